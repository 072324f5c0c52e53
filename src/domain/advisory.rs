//! Individual advisory: the topics NGOs ask about, how a session is held,
//! and a session as staff record it in the advisory log.

use serde::Deserialize;

use super::records::{choice, date, number, optional, FieldErrors};

vocabulary! {
    /// What an NGO asks advice about.
    Topic {
        Programme => "programme", "roczny program współpracy";
        Competition => "competition", "otwarty konkurs ofert i rozliczenie dotacji";
        SmallGrants => "small_grants", "małe granty (art. 19a)";
        Consultation => "consultation", "konsultacje społeczne";
        PublicInformation => "public_information", "dostęp do informacji publicznej";
        Council => "council", "rada działalności pożytku publicznego";
        Statute => "statute", "statut i organy organizacji";
        Other => "other", "inny temat";
    }
}

vocabulary! {
    /// How a session was held.
    SessionForm {
        InPerson => "in_person", "spotkanie";
        Phone => "phone", "telefon";
        Online => "online", "online";
    }
}

/// The longest session recorded in one entry, in minutes (a working day).
pub const MAX_MINUTES: i64 = 8 * 60;

/// A session as typed into the advisory log.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SessionInput {
    pub organisation: String,
    pub person: String,
    pub advisor: String,
    pub held_on: String,
    pub minutes: String,
    pub form: String,
    pub topic: String,
    pub summary: String,
    pub case_number: String,
}

/// A session that passed the checks (the organisation, person and case are
/// looked up by the caller).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdvisorySession {
    pub advisor: i64,
    pub held_on: jiff::civil::Date,
    pub minutes: i64,
    pub form: SessionForm,
    pub topic: Topic,
    pub summary: String,
}

impl SessionInput {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<AdvisorySession> {
        let advisor = self.advisor.trim().parse::<i64>().ok();
        if advisor.is_none() {
            errors.add("advisor", "Wybierz doradczynię lub doradcę.");
        }
        let held_on = date(errors, "held_on", &self.held_on).parse().ok();
        let minutes = if self.minutes.trim().is_empty() {
            errors.add("minutes", "To pole jest wymagane.");
            None
        } else {
            number(errors, "minutes", &self.minutes, MAX_MINUTES)
        };
        let minutes = minutes.filter(|m| *m > 0);
        if minutes.is_none() && errors.get("minutes").is_empty() {
            errors.add(
                "minutes",
                format!("Podaj liczbę minut od 1 do {MAX_MINUTES}."),
            );
        }
        let form = choice(errors, "form", &self.form, SessionForm::from_code);
        let topic = choice(errors, "topic", &self.topic, Topic::from_code);
        let summary = optional(errors, "summary", &self.summary, 5000);
        Some(AdvisorySession {
            advisor: advisor?,
            held_on: held_on?,
            minutes: minutes?,
            form: form?,
            topic: topic?,
            summary,
        })
        .filter(|_| errors.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_needs_an_advisor_a_date_minutes_a_form_and_a_topic() {
        let mut e = FieldErrors::default();
        assert!(SessionInput {
            minutes: "0".into(),
            held_on: "2026-02-30".into(),
            ..Default::default()
        }
        .validate(&mut e)
        .is_none());
        for f in ["advisor", "held_on", "minutes", "form", "topic"] {
            assert!(!e.get(f).is_empty(), "{f}");
        }
        let mut e = FieldErrors::default();
        let s = SessionInput {
            advisor: "3".into(),
            held_on: "2026-11-27".into(),
            minutes: "90".into(),
            form: "phone".into(),
            topic: "small_grants".into(),
            ..Default::default()
        }
        .validate(&mut e)
        .unwrap_or_else(|| unreachable!("{e:?}"));
        assert_eq!(
            (s.minutes, s.form, s.topic),
            (90, SessionForm::Phone, Topic::SmallGrants)
        );
    }
}
