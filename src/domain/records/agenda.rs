//! An item of an event's programme.

use serde::Deserialize;

use super::*;

/// One item of an event's programme, as typed (and, validated, as kept).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct AgendaItem {
    pub day: String,
    pub starts_at: String,
    pub title: String,
    /// Who speaks, with a short note each: "Anna Nowak — radna; …".
    pub speakers: String,
}

impl AgendaItem {
    /// Checks an item of an activity held from `first` to `last` (dates).
    pub fn validate(
        &self,
        first: &str,
        last: &str,
        errors: &mut FieldErrors,
    ) -> Option<AgendaItem> {
        let day = date(errors, "day", &self.day);
        if errors.get("day").is_empty() && (day.as_str() < first || day.as_str() > last) {
            errors.add("day", "Ten dzień nie należy do wydarzenia.");
        }
        let starts_at = self.starts_at.trim().to_owned();
        if starts_at.parse::<jiff::civil::Time>().is_err() || starts_at.len() != 5 {
            errors.add("starts_at", "Podaj godzinę w postaci GG:MM, np. 10:00.");
        }
        let item = AgendaItem {
            day,
            starts_at,
            title: required(errors, "title", &self.title, 300),
            speakers: optional(errors, "speakers", &self.speakers, 2000),
        };
        errors.is_empty().then_some(item)
    }
}
