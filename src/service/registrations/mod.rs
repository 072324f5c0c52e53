//! The registration workflow: what its e-mails say of an activity, the
//! expiry of registrations never confirmed, and the e-mails sent on a
//! schedule (`emails`: reminders, thank-you e-mails).

pub mod emails;
pub mod register;
pub mod staff;
pub mod steps;

use crate::domain::format;
use crate::domain::ical;
use crate::domain::registration::CONFIRM_WITHIN_HOURS;
use crate::mail::registration::{self as mails, About};
use crate::store::activities::Activity;
use crate::store::{registrations, Db, StoreError};

/// Expires registrations not confirmed within `CONFIRM_WITHIN_HOURS` of
/// being made (they are also refused at confirmation, so this only keeps
/// the lists true); how many.
pub async fn expire(db: &Db, now: jiff::Timestamp) -> Result<u64, StoreError> {
    let before = now - jiff::SignedDuration::from_hours(CONFIRM_WITHIN_HOURS);
    registrations::expire(db, before, now).await
}

/// Whether people may register for `a` on `today`
/// (`domain::registration::is_open`).
pub fn open(a: &Activity, today: jiff::civil::Date) -> bool {
    crate::domain::registration::is_open(a.status, a.starts_on, a.registration_closes_on, today)
}

/// The host part of the site's address, naming the calendar's events.
fn host(base_url: &str) -> &str {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("koalicja")
}

/// The activity's page, as a full address.
fn page(base_url: &str, a: &Activity) -> String {
    let path = crate::paths::activity(a.kind, a.local_work_id.is_some(), &a.slug);
    format!("{base_url}{path}")
}

/// An activity as a calendar event.
pub fn event(base_url: &str, a: &Activity) -> ical::Event {
    ical::Event {
        uid: format!("aktywnosc-{}@{}", a.id, host(base_url)),
        summary: a.title.clone(),
        description: a.topic.clone(),
        location: if a.online {
            "online".into()
        } else {
            a.venue.clone()
        },
        url: page(base_url, a),
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        start_time: a.start_time.parse().ok(),
        duration_minutes: a.duration_minutes,
    }
}

/// The activity as e-mails describe it; `with_link` for e-mails to people
/// with a place, the only ones that carry an online event's link and the
/// calendar file (not written for the others), stamped `now`.
pub fn about(base_url: &str, a: &Activity, with_link: bool, now: jiff::Timestamp) -> About {
    let when = if a.start_time.is_empty() {
        format::date_span(a.starts_on, a.ends_on)
    } else {
        format!(
            "{}, od {}",
            format::date_span(a.starts_on, a.ends_on),
            a.start_time
        )
    };
    About {
        named: mails::named(a.kind),
        title: a.title.clone(),
        when,
        place: if a.online {
            "online".into()
        } else {
            a.venue.clone()
        },
        url: page(base_url, a),
        online_link: a.online_link.clone().filter(|_| with_link),
        ics: if with_link {
            ical::calendar(&a.title, &[event(base_url, a)], now)
        } else {
            String::new()
        },
    }
}
