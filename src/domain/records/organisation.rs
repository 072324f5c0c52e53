//! An organisation: its form, checked names and numbers (NIP, REGON, KRS).

use crate::domain::identifiers;
use serde::Deserialize;

use super::*;

/// An organisation as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub legal_form: String,
    pub krs: String,
    pub nip: String,
    pub regon: String,
    pub address: String,
    /// A TERYT code or a name, resolved by the caller.
    pub local_government: String,
    pub is_opp: Option<String>,
    pub areas: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub legal_form: LegalForm,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    pub address: String,
    pub is_opp: bool,
    pub areas: String,
}

impl OrganisationForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Organisation> {
        let name = required(errors, "name", &self.name, 300);
        let legal_form = choice(errors, "legal_form", &self.legal_form, LegalForm::from_code);
        let krs = identifier(
            errors,
            "krs",
            &self.krs,
            identifiers::krs,
            "Numer KRS to do 10 cyfr.",
        );
        let nip = identifier(
            errors,
            "nip",
            &self.nip,
            identifiers::nip,
            "Ten NIP jest nieprawidłowy (10 cyfr, cyfra kontrolna się nie zgadza).",
        );
        let regon = identifier(
            errors,
            "regon",
            &self.regon,
            identifiers::regon,
            "Ten REGON jest nieprawidłowy (9 lub 14 cyfr, cyfra kontrolna się nie zgadza).",
        );
        let address = optional(errors, "address", &self.address, 300);
        let areas = optional(errors, "areas", &self.areas, 500);
        optional(errors, "local_government", &self.local_government, 100);
        Some(Organisation {
            name,
            legal_form: legal_form?,
            krs,
            nip,
            regon,
            address,
            is_opp: checked(&self.is_opp),
            areas,
        })
        .filter(|_| errors.is_empty())
    }
}
