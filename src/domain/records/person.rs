//! A person: their form, names, e-mail, phone, gender and group.

use crate::domain::activity::{Gender, Group};
use serde::Deserialize;

use super::*;

/// A person as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub gender: String,
    pub group: String,
    /// An organisation's number or name, resolved by the caller.
    pub organisation: String,
    /// A JST's TERYT code or name, resolved by the caller.
    pub local_government: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: String,
    pub gender: Gender,
    pub group: Group,
}

impl PersonForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Person> {
        let first_name = required(errors, "first_name", &self.first_name, 100);
        let last_name = required(errors, "last_name", &self.last_name, 100);
        let email = email(errors, "email", &self.email);
        let phone = phone(errors, "phone", &self.phone);
        let gender = if self.gender.trim().is_empty() {
            Some(Gender::Undisclosed)
        } else {
            choice(errors, "gender", &self.gender, Gender::from_code)
        };
        let group = choice(errors, "group", &self.group, Group::from_code);
        optional(errors, "organisation", &self.organisation, 300);
        optional(errors, "local_government", &self.local_government, 100);
        Some(Person {
            first_name,
            last_name,
            email: (!email.is_empty()).then_some(email),
            phone,
            gender: gender?,
            group: group?,
        })
        .filter(|_| errors.is_empty())
    }
}
