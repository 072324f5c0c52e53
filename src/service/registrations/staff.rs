//! The staff side of registrations: adding someone by hand, moving a
//! registration between the participants and the waitlist or cancelling
//! it, and checking people in (on the attendance the figures count). Who
//! may do it (the activity's `Change` right) is checked by the caller
//! before; whether check-in is open (`check_in_open`) is checked here, on
//! the day of `now` in Warsaw.

use jiff::civil::Date;
use jiff::Timestamp;

use crate::domain::activity;
use crate::domain::records::FieldErrors;
use crate::domain::registration::{staff_consent, RegistrationForm, Status};
use crate::store::activities::Activity;
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

/// Whether staff may record attendance at `a` on `today`: from its first
/// day on, never earlier and never at a cancelled activity; the refusal
/// says why, in Polish (`domain::activity::check_in_open`).
pub fn check_in_open(a: &Activity, today: Date) -> Result<(), String> {
    activity::check_in_open(a.status, a.starts_on, today)
}

/// What a check-in gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    Done,
    /// No such confirmed registration of the activity.
    NotFound,
    /// Check-in is not open (the reason, in Polish).
    Closed(String),
}

/// The day of `now` in Warsaw.
fn day_of(now: Timestamp) -> Date {
    now.to_zoned(crate::clock::warsaw()).date()
}

/// Whether check-in at `a` is open `now` (the refusal if not), and if so
/// whether the first one present marks it held.
fn gate(a: &Activity, now: Timestamp) -> Result<bool, String> {
    let today = day_of(now);
    check_in_open(a, today)?;
    Ok(activity::held_by_check_in(a.status, a.ends_on, today))
}

/// Marks a confirmed registration's person present (made from the
/// registration if not known yet) or takes it back, while check-in is
/// open; the first one present from the activity's last day on marks a
/// planned activity held (`domain::activity::held_by_check_in`).
pub async fn check_in(
    db: &Db,
    who: i64,
    a: &Activity,
    registration: i64,
    present: bool,
    now: Timestamp,
) -> Result<Checked, StoreError> {
    let mark_held = match gate(a, now) {
        Ok(mark_held) => mark_held,
        Err(why) => return Ok(Checked::Closed(why)),
    };
    let Some(person) = registrations::person_of(db, a.id, registration, now).await? else {
        return Ok(Checked::NotFound);
    };
    activity_records::set_attendance(db, who, a.id, person, present, present && mark_held, now)
        .await?;
    Ok(Checked::Done)
}

/// Records `person` present at `a` (from the attendance screen), while
/// check-in is open, as `check_in` does.
pub async fn attend(
    db: &Db,
    who: i64,
    a: &Activity,
    person: i64,
    now: Timestamp,
) -> Result<Checked, StoreError> {
    let mark_held = match gate(a, now) {
        Ok(mark_held) => mark_held,
        Err(why) => return Ok(Checked::Closed(why)),
    };
    activity_records::set_attendance(db, who, a.id, person, true, mark_held, now).await?;
    Ok(Checked::Done)
}

/// Checks in everyone with a place in `a`, while check-in is open.
pub async fn all_present(
    db: &Db,
    who: i64,
    a: &Activity,
    now: Timestamp,
) -> Result<Checked, StoreError> {
    if let Err(why) = check_in_open(a, day_of(now)) {
        return Ok(Checked::Closed(why));
    }
    for registration in registrations::confirmed_ids(db, a.id).await? {
        check_in(db, who, a, registration, true, now).await?;
    }
    Ok(Checked::Done)
}
