//! A JST's office: its form, contacts and web address.

use serde::Deserialize;

use super::*;

/// The office of a JST, as typed into the form.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct OfficeForm {
    /// The organ letters go to ("Prezydent Miasta Otwocka"); empty: the
    /// one of the JST's kind (`domain::organ`).
    pub organ: String,
    /// The office's own name ("Starostwo Powiatowe w Płońsku"); empty: the
    /// one of the JST's kind.
    pub office_name: String,
    /// The postal address, one line each.
    pub address: String,
    pub email: String,
    pub website: String,
    pub bip: String,
    pub notes: String,
}

impl OfficeForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<OfficeForm> {
        let office = OfficeForm {
            organ: optional(errors, "organ", &self.organ, 200),
            office_name: optional(errors, "office_name", &self.office_name, 200),
            address: optional(errors, "address", &self.address, 300),
            email: email(errors, "email", &self.email),
            website: web_address(errors, "website", &self.website),
            bip: web_address(errors, "bip", &self.bip),
            notes: optional(errors, "notes", &self.notes, 5000),
        };
        errors.is_empty().then_some(office)
    }
}
