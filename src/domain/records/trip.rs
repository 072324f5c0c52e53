//! A trip: its form and the checked record.

use serde::Deserialize;

use super::*;

/// A trip as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct TripForm {
    pub travelled_on: String,
    pub route: String,
    pub kilometres: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trip {
    pub travelled_on: String,
    pub route: String,
    pub kilometres: i64,
}

impl TripForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Trip> {
        let travelled_on = date(errors, "travelled_on", &self.travelled_on);
        let route = required(errors, "route", &self.route, 300);
        let kilometres = number(errors, "kilometres", &self.kilometres, 10_000);
        if self.kilometres.trim().is_empty() {
            errors.add("kilometres", "To pole jest wymagane.");
        }
        Some(Trip {
            travelled_on,
            route,
            kilometres: kilometres?,
        })
        .filter(|_| errors.is_empty())
    }
}
