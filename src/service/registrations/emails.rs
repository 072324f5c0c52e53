//! The registration e-mails sent on a schedule: the reminder two days
//! before an activity, and the thank-you e-mail (with the certificate and
//! the feedback form) after it. Each registration gets each once, whichever
//! instance runs first: the mark and the queued e-mail are one write.

use std::collections::HashMap;

use super::about;
use crate::mail::registration::{self as mails, About};
use crate::store::outbox::Message;
use crate::store::registrations::{self, Once};
use crate::store::{activities, Db, StoreError};

/// How many days before an activity its participants are reminded.
pub const REMIND_DAYS_BEFORE: i64 = 2;

/// Queues the reminders of activities starting `REMIND_DAYS_BEFORE` days
/// after `now`'s day in Warsaw; how many were queued.
pub async fn send_reminders(
    db: &Db,
    base_url: &str,
    now: jiff::Timestamp,
) -> Result<usize, StoreError> {
    let today = now.to_zoned(crate::clock::warsaw()).date();
    // No day that far after the last date jiff knows: nothing starts on it.
    let Ok(day) = today.checked_add(jiff::Span::new().days(REMIND_DAYS_BEFORE)) else {
        return Ok(0);
    };
    let due = registrations::due_reminders(db, day).await?;
    queue_once(db, base_url, now, due, Once::Reminder, mails::reminder).await
}

/// Queues the thank-you e-mails of activities that ended before `now`'s
/// day, to the people who were present; how many were queued.
pub async fn send_thanks(
    db: &Db,
    base_url: &str,
    now: jiff::Timestamp,
) -> Result<usize, StoreError> {
    let today = now.to_zoned(crate::clock::warsaw()).date();
    let due = crate::store::feedback::due_thanks(db, today).await?;
    queue_once(db, base_url, now, due, Once::Thanks, mails::thank_you).await
}

/// Writes and queues `once` for each registration due, reading each
/// activity once however many of its people are due.
async fn queue_once(
    db: &Db,
    base_url: &str,
    now: jiff::Timestamp,
    due: Vec<registrations::Registrant>,
    once: Once,
    write: fn(&str, &About, &str, &str) -> Message,
) -> Result<usize, StoreError> {
    let mut abouts: HashMap<i64, About> = HashMap::new();
    let mut sent = 0;
    for l in due {
        if !abouts.contains_key(&l.activity_id) {
            let Some(a) = activities::by_id_uncounted(db, l.activity_id).await? else {
                continue;
            };
            // Only a reminder goes before the activity, to people with a
            // place: it carries the online link.
            abouts.insert(a.id, about(base_url, &a, once == Once::Reminder, now));
        }
        let Some(a) = abouts.get(&l.activity_id) else {
            continue;
        };
        let mail = write(base_url, a, &l.email, &l.token);
        if registrations::queue_once(db, l.id, once, &mail, now).await? {
            sent += 1;
        }
    }
    Ok(sent)
}
