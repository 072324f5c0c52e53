//! The staff side of registrations: adding someone by hand, moving a
//! registration between the participants and the waitlist or cancelling
//! it, and checking people in (on the attendance the figures count). Who
//! may do it (the activity's `Change` right) and whether check-in is open
//! are checked by the caller before.

use crate::domain::records::FieldErrors;
use crate::domain::registration::{staff_consent, RegistrationForm, Status};
use crate::store::registrations::{self, Created};
use crate::store::{activity_records, Db, StoreError};

/// What adding by hand gave.
#[derive(Debug)]
pub enum Added {
    Id(i64),
    /// What is wrong, per field (also an address already registered).
    Refused(FieldErrors),
    /// No token could be drawn: try again.
    Retry,
}

/// The lists staff may add someone to or move them to.
fn list_of(code: &str) -> Option<Status> {
    Status::from_code(code).filter(|s| matches!(s, Status::Confirmed | Status::Waitlisted))
}

/// Adds the person of `form` to `list` (its code: the participants or the
/// waitlist) of `activity`, with the consent given to staff and no
/// confirmation e-mail.
pub async fn add(
    db: &Db,
    who: i64,
    activity: i64,
    form: &RegistrationForm,
    list: &str,
    now: jiff::Timestamp,
) -> Result<Added, StoreError> {
    let mut errors = FieldErrors::default();
    let valid = form.validate(&mut errors);
    let list = list_of(list);
    if list.is_none() {
        errors.add("list", "Wybierz jedną z możliwości.");
    }
    let (Some(registration), Some(list)) = (valid.filter(|_| errors.is_empty()), list) else {
        return Ok(Added::Refused(errors));
    };
    let Ok(token) = crate::domain::auth::new_token() else {
        return Ok(Added::Retry);
    };
    let created = registrations::add_by_staff(
        db,
        who,
        activity,
        registrations::ByHand {
            registration: &registration,
            status: list,
            token: &token,
            consent: &staff_consent(),
        },
        now,
    )
    .await?;
    Ok(match created {
        Created::Added(id) | Created::Pending(id) => Added::Id(id),
        Created::Duplicate(status) => {
            errors.add(
                "email",
                format!("Ta osoba jest już zapisana (zapis: {}).", status.label()),
            );
            Added::Refused(errors)
        }
        Created::Limited(_) => Added::Refused(errors),
    })
}

/// A move staff make on a registration, by the code in its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// To a status: the participants, the waitlist, cancelled.
    To(Status),
    /// Checked in (true) or the check-in taken back.
    Present(bool),
}

impl Move {
    pub fn from_code(code: &str) -> Option<Move> {
        Some(match code {
            "uczestnik" => Move::To(Status::Confirmed),
            "rezerwa" => Move::To(Status::Waitlisted),
            "anuluj" => Move::To(Status::Cancelled),
            "obecny" => Move::Present(true),
            "nieobecny" => Move::Present(false),
            _ => return None,
        })
    }
}

/// Moves registration `id` of `activity` to `status`; false if there is
/// no such registration.
pub async fn set_status(
    db: &Db,
    who: i64,
    activity: i64,
    id: i64,
    status: Status,
    now: jiff::Timestamp,
) -> Result<bool, StoreError> {
    registrations::set_by_staff(db, who, activity, id, status, now).await
}

/// Marks a confirmed registration's person present (made from the
/// registration if not known yet) or takes it back; `mark_held` marks the
/// activity held with the first one present. False if there is no such
/// confirmed registration.
pub async fn check_in(
    db: &Db,
    who: i64,
    activity: i64,
    registration: i64,
    present: bool,
    mark_held: bool,
    now: jiff::Timestamp,
) -> Result<bool, StoreError> {
    let Some(person) = registrations::person_of(db, activity, registration, now).await? else {
        return Ok(false);
    };
    let now = crate::clock::stamp(now);
    activity_records::set_attendance(
        db,
        who,
        activity,
        person,
        present,
        present && mark_held,
        &now,
    )
    .await?;
    Ok(true)
}

/// Checks in everyone with a place in `activity`.
pub async fn all_present(
    db: &Db,
    who: i64,
    activity: i64,
    mark_held: bool,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    for registration in registrations::confirmed_ids(db, activity).await? {
        check_in(db, who, activity, registration, true, mark_held, now).await?;
    }
    Ok(())
}
