//! A registration's steps through its link: confirmation (placed on the
//! list or the waitlist, refused once the time to confirm ran out) and
//! cancellation (a freed place goes to the first on the waitlist). Each
//! writes the e-mails for where the registration ends up.

use super::about;
use crate::domain::registration::{Status, CONFIRM_WITHIN_HOURS};
use crate::mail::registration as mails;
use crate::store::activities::Activity;
use crate::store::outbox::Message;
use crate::store::registrations::{self, Cancellation, Confirmation, Registrant};
use crate::store::{Db, StoreError};

/// Writes the e-mail for a registration's new status: `promoted` when a
/// place came to someone from the waitlist.
fn composer(
    base_url: &str,
    a: &Activity,
    promoted: bool,
    now: jiff::Timestamp,
) -> impl Fn(Status, &Registrant) -> Message + Send + Sync {
    let about = about(base_url, a, true, now);
    let base = base_url.to_owned();
    move |status, l| mails::status_change(&base, &about, status, promoted, &l.email, &l.token)
}

/// Confirms the registration `l` of activity `a` at `now`, if it was made
/// within `CONFIRM_WITHIN_HOURS`.
pub async fn confirm(
    db: &Db,
    base_url: &str,
    a: &Activity,
    l: Registrant,
    now: jiff::Timestamp,
) -> Result<Confirmation, StoreError> {
    let expired_before = now - jiff::SignedDuration::from_hours(CONFIRM_WITHIN_HOURS);
    let compose = composer(base_url, a, false, now);
    registrations::confirm(db, l, expired_before, now, &compose).await
}

/// Cancels the live registration of `token` (for activity `a`) at `now`.
pub async fn cancel(
    db: &Db,
    base_url: &str,
    a: &Activity,
    token: &str,
    now: jiff::Timestamp,
) -> Result<Option<Cancellation>, StoreError> {
    let compose = composer(base_url, a, true, now);
    registrations::cancel(db, token, now, &compose).await
}
