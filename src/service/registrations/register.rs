//! The public register form's step: a pending registration with its
//! confirmation request, counted against the sender's address; an address
//! registered again gets its own registration's link (at most once an
//! hour), and whoever sent the form learns nothing of it.

use super::about;
use crate::domain::records::FieldErrors;
use crate::domain::registration::{RegistrationForm, CONSENT_VERSION};
use crate::mail::registration as mails;
use crate::store::activities::Activity;
use crate::store::registrations::{self, Created, NewRegistration};
use crate::store::{offices, organisations, Db, StoreError};

/// The window of the limit on registrations per address
/// (`registrations_per_address` in the configuration), in seconds.
pub const LIMIT_WINDOW: i64 = 15 * 60;

/// How often (in seconds) one registration's link is sent again when its
/// address is registered once more: an address typed by someone else
/// gets at most one such e-mail an hour per registration.
pub const RESEND_EVERY: i64 = 60 * 60;

/// What sending the form gave.
#[derive(Debug)]
pub enum Registered {
    /// Recorded, or the link sent again to an address registered before
    /// (the same answer): `queued` when an e-mail waits to be sent.
    Sent { queued: bool },
    /// What is wrong, per field.
    Invalid(FieldErrors),
    /// The sender's address is over its limit: the time of the oldest
    /// counted registration.
    Limited(Option<jiff::Timestamp>),
    /// No token could be drawn: try again.
    Retry,
}

/// Who sends the form and how many they may send in `LIMIT_WINDOW`.
pub struct Sender<'a> {
    pub address: &'a str,
    pub allowed: i64,
}

/// Registers the person of `form` for activity `a` (open for
/// registration: checked by the caller) at `now`.
pub async fn register(
    db: &Db,
    base_url: &str,
    a: &Activity,
    form: &RegistrationForm,
    sender: Sender<'_>,
    now: jiff::Timestamp,
) -> Result<Registered, StoreError> {
    let mut errors = FieldErrors::default();
    let Some(r) = form.validate(&mut errors) else {
        return Ok(Registered::Invalid(errors));
    };
    let (organisation, jst) = affiliation(db, &r.affiliation).await?;
    let Ok(token) = crate::domain::auth::new_token() else {
        return Ok(Registered::Retry);
    };
    let about = about(base_url, a, false, now);
    let email = r.email.clone();
    let mail = mails::confirmation_request(base_url, &about, &r.email, &token);
    let created = registrations::create(
        db,
        NewRegistration {
            activity: a.id,
            address: sender.address.to_owned(),
            allowed: sender.allowed,
            since: now - jiff::SignedDuration::from_secs(LIMIT_WINDOW),
            registration: r,
            organisation,
            jst,
            token,
            consent_version: CONSENT_VERSION.to_owned(),
            mail,
            now,
        },
    )
    .await?;
    Ok(match created {
        Created::Pending(_) | Created::Added(_) => Registered::Sent { queued: true },
        Created::Limited(oldest) => Registered::Limited(oldest),
        Created::Duplicate(_) => {
            let base = base_url.to_owned();
            let queued = registrations::resend_link(
                db,
                a.id,
                &email,
                now - jiff::SignedDuration::from_secs(RESEND_EVERY),
                now,
                &move |l| mails::already_registered(&base, &about, l.status, &l.email, &l.token),
            )
            .await?;
            Registered::Sent { queued }
        }
    })
}

/// The organisation or JST office a typed affiliation names, if exactly one.
async fn affiliation(db: &Db, typed: &str) -> Result<(Option<i64>, Option<String>), StoreError> {
    if typed.trim().is_empty() {
        return Ok((None, None));
    }
    if let [(id, _)] = organisations::find(db, typed, 2).await?.as_slice() {
        return Ok((Some(*id), None));
    }
    if let [unit] = offices::find(db, typed, 2).await?.as_slice() {
        return Ok((None, Some(unit.teryt.clone())));
    }
    Ok((None, None))
}
