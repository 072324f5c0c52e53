//! An activity (training, event, meeting): its form and the checked record.

use crate::domain::activity::{ActivityKind, ActivityStatus, Audience};
use jiff::civil::Date;
use serde::Deserialize;

use super::*;

/// An activity as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub title: String,
    pub topic: String,
    pub summary_md: String,
    pub starts_on: String,
    pub ends_on: String,
    pub start_time: String,
    pub duration_minutes: String,
    pub online: Option<String>,
    pub venue: String,
    pub local_government: String,
    pub audience: String,
    pub capacity: String,
    pub co_organiser: String,
    pub trainer_account_id: String,
    /// The last day to register; empty: the first day of the activity.
    pub registration_closes_on: String,
    /// The link of an online event, sent only to people with a place.
    pub online_link: String,
    /// planned, held or cancelled; empty keeps what is recorded (a new
    /// activity is planned).
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRecord {
    pub kind: ActivityKind,
    /// `None`: unchanged (planned for a new activity).
    pub status: Option<ActivityStatus>,
    pub title: String,
    pub topic: String,
    pub summary_md: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub start_time: String,
    pub duration_minutes: i64,
    pub online: bool,
    pub venue: String,
    pub audience: Audience,
    pub capacity: Option<i64>,
    pub co_organiser: Option<String>,
    pub trainer_account_id: Option<i64>,
    pub registration_closes_on: Option<Date>,
    pub online_link: Option<String>,
}

/// A date field checked by `date`: the day, or `None` when `date`
/// recorded the field's error.
fn day(errors: &mut FieldErrors, field: &'static str, value: &str) -> Option<Date> {
    let text = date(errors, field, value);
    text.parse().ok().filter(|_| text.len() == 10)
}

impl ActivityForm {
    /// The first and last day (one day when the last is empty), the last
    /// not before the first.
    fn dates(&self, errors: &mut FieldErrors) -> (Option<Date>, Option<Date>) {
        let starts_on = day(errors, "starts_on", &self.starts_on);
        let ends_on = if self.ends_on.trim().is_empty() {
            starts_on
        } else {
            day(errors, "ends_on", &self.ends_on)
        };
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.add(
                    "ends_on",
                    "Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.",
                );
            }
        }
        (starts_on, ends_on)
    }

    /// The last day of registration, if any: not after the last day.
    fn registration_closes_on(
        &self,
        errors: &mut FieldErrors,
        ends_on: Option<Date>,
    ) -> Option<Date> {
        let closes = self.registration_closes_on.trim();
        if closes.is_empty() {
            return None;
        }
        let d = day(errors, "registration_closes_on", closes)?;
        if errors.get("ends_on").is_empty() && ends_on.is_some_and(|e| d > e) {
            errors.add(
                "registration_closes_on",
                "Zapisy nie mogą trwać dłużej niż samo wydarzenie.",
            );
        }
        Some(d)
    }

    pub fn validate(&self, errors: &mut FieldErrors) -> Option<ActivityRecord> {
        let kind = choice(errors, "kind", &self.kind, ActivityKind::from_code);
        let title = required(errors, "title", &self.title, 300);
        let topic = optional(errors, "topic", &self.topic, 300);
        let summary_md = optional(errors, "summary_md", &self.summary_md, 20_000);
        let (starts_on, ends_on) = self.dates(errors);
        let start_time = self.start_time.trim().to_owned();
        if !start_time.is_empty() && start_time.parse::<jiff::civil::Time>().is_err() {
            errors.add("start_time", "Podaj godzinę w postaci GG:MM, np. 10:00.");
        }
        let duration_minutes = number(errors, "duration_minutes", &self.duration_minutes, 100_000);
        if self.duration_minutes.trim().is_empty() {
            errors.add("duration_minutes", "To pole jest wymagane.");
        }
        let online = checked(&self.online);
        let venue = optional(errors, "venue", &self.venue, 300);
        if !online && venue.is_empty() {
            errors.add(
                "venue",
                "Podaj miejsce albo zaznacz, że wydarzenie jest online.",
            );
        }
        optional(errors, "local_government", &self.local_government, 100);
        let audience = choice(errors, "audience", &self.audience, Audience::from_code);
        let capacity = number(errors, "capacity", &self.capacity, 100_000);
        let co_organiser = optional(errors, "co_organiser", &self.co_organiser, 300);
        let trainer = number(
            errors,
            "trainer_account_id",
            &self.trainer_account_id,
            i64::MAX,
        );
        let registration_closes_on = self.registration_closes_on(errors, ends_on);
        let link = web_address(errors, "online_link", &self.online_link);
        let status = match self.status.trim() {
            "" => None,
            s => choice(errors, "status", s, ActivityStatus::from_code),
        };
        Some(ActivityRecord {
            status,
            registration_closes_on,
            online_link: (!link.is_empty()).then_some(link),
            kind: kind?,
            title,
            topic,
            summary_md,
            starts_on: starts_on?,
            ends_on: ends_on?,
            start_time,
            duration_minutes: duration_minutes.unwrap_or(0),
            online,
            venue,
            audience: audience?,
            capacity,
            co_organiser: (!co_organiser.is_empty()).then_some(co_organiser),
            trainer_account_id: trainer,
        })
        .filter(|_| errors.is_empty())
    }
}
