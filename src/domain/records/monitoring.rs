//! The facts of one JST for one year in the cooperation monitor, as
//! typed into the back office's form (`domain::monitoring` reads them).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::*;
use crate::domain::monitoring::{Facts, Stage};

/// How many elements the act asks a programme to contain (art. 5a ust. 4).
pub const ELEMENTS: usize = 11;

/// The form fields of the elements, in the act's order.
pub const ELEMENT_FIELDS: [&str; ELEMENTS] = [
    "element_1",
    "element_2",
    "element_3",
    "element_4",
    "element_5",
    "element_6",
    "element_7",
    "element_8",
    "element_9",
    "element_10",
    "element_11",
];

/// The columns of the monitor's CSV (import and export), each with the
/// form field it fills: `teryt` and `rok` name the JST and year.
pub const CSV_COLUMNS: &[(&str, &str)] = &[
    ("etap", "stage"),
    ("uchwala", "resolution"),
    ("data_uchwalenia", "adopted_on"),
    ("rada", "council"),
    ("ostatni_rok", "last_year"),
    ("srodki", "funds"),
    ("adres_programu", "programme_url"),
    ("dziennik_urzedowy", "journal"),
    ("data_uniewaznienia", "annulled_on"),
    ("rozstrzygniecie", "ruling"),
    ("element_1", "element_1"),
    ("element_2", "element_2"),
    ("element_3", "element_3"),
    ("element_4", "element_4"),
    ("element_5", "element_5"),
    ("element_6", "element_6"),
    ("element_7", "element_7"),
    ("element_8", "element_8"),
    ("element_9", "element_9"),
    ("element_10", "element_10"),
    ("element_11", "element_11"),
    ("uchwala_o_konsultacjach", "consultation_rules"),
    ("data_ogloszenia_konsultacji", "consultation_announced_on"),
    ("dni_konsultacji", "consultation_days"),
    ("forma_konsultacji", "consultation_form"),
    ("adres_konsultacji", "consultation_url"),
    (
        "adres_sprawozdania_z_konsultacji",
        "consultation_report_url",
    ),
    ("opinia_rady_pozytku", "council_opinion"),
    ("data_zlozenia_sprawozdania", "report_submitted_on"),
    ("data_publikacji_sprawozdania", "report_published_on"),
    ("adres_sprawozdania", "report_url"),
    ("rada_pozytku_istnieje", "council_exists"),
    ("data_wniosku_o_rade", "council_requested_on"),
    ("wnioskodawca_rady", "council_requested_by"),
    ("kadencja_rady", "council_term"),
    ("konkursy", "competitions"),
    ("kwota_konkursow", "competitions_amount"),
    ("male_granty", "small_grants"),
    ("kwota_malych_grantow", "small_grants_amount"),
    ("data_sprawdzenia", "checked_on"),
    ("notatki", "notes"),
];

/// The largest amount taken, in złoty.
const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// One JST's facts for one year: every field as typed (dates `RRRR-MM-DD`,
/// amounts in whole złoty), empty when not known.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default)]
pub struct MonitoringForm {
    /// `Stage::code`.
    pub stage: String,
    /// The resolution's number ("XII/123/2025").
    pub resolution: String,
    pub adopted_on: String,
    /// The council that adopted it ("Rada Miejska w Płońsku").
    pub council: String,
    /// The last year a multi-year programme covers.
    pub last_year: String,
    pub funds: String,
    pub programme_url: String,
    /// The entry in the voivodeship's official journal.
    pub journal: String,
    pub annulled_on: String,
    /// The wojewoda's supervisory ruling.
    pub ruling: String,
    pub element_1: String,
    pub element_2: String,
    pub element_3: String,
    pub element_4: String,
    pub element_5: String,
    pub element_6: String,
    pub element_7: String,
    pub element_8: String,
    pub element_9: String,
    pub element_10: String,
    pub element_11: String,
    /// The JST's own resolution on consultations (art. 5 ust. 5).
    pub consultation_rules: String,
    pub consultation_announced_on: String,
    pub consultation_days: String,
    pub consultation_form: String,
    pub consultation_url: String,
    pub consultation_report_url: String,
    /// The public-benefit council's opinion on the draft (art. 41i ust. 1).
    pub council_opinion: String,
    pub report_submitted_on: String,
    pub report_published_on: String,
    pub report_url: String,
    /// "tak", "nie" or empty (not known).
    pub council_exists: String,
    pub council_requested_on: String,
    pub council_requested_by: String,
    pub council_term: String,
    pub competitions: String,
    pub competitions_amount: String,
    pub small_grants: String,
    pub small_grants_amount: String,
    /// When staff looked for these facts.
    pub checked_on: String,
    pub notes: String,
}

/// A date that may be left empty, or a message.
fn optional_date(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    date(errors, field, value)
}

/// Whole złoty, spaces between thousands allowed ("12 500").
fn amount(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return String::new();
    }
    match digits.parse::<i64>() {
        Ok(n) if (0..=MAX_AMOUNT).contains(&n) => n.to_string(),
        _ => {
            errors.add(field, "Podaj kwotę w pełnych złotych, np. 250 000.");
            digits
        }
    }
}

/// A count that may be left empty.
fn count(errors: &mut FieldErrors, field: &'static str, value: &str, max: i64) -> String {
    number(errors, field, value, max).map_or_else(String::new, |n| n.to_string())
}

/// One line: what a text field holds (a pasted line break becomes a space).
fn line(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let v = value.replace(['\r', '\n'], " ");
    optional(errors, field, &v, max)
}

fn day(value: &str) -> Option<Date> {
    value.parse().ok()
}

impl MonitoringForm {
    /// The elements as typed, in the act's order.
    pub fn elements(&self) -> [&str; ELEMENTS] {
        [
            &self.element_1,
            &self.element_2,
            &self.element_3,
            &self.element_4,
            &self.element_5,
            &self.element_6,
            &self.element_7,
            &self.element_8,
            &self.element_9,
            &self.element_10,
            &self.element_11,
        ]
    }

    /// The elements to fill, in the act's order.
    pub fn elements_mut(&mut self) -> [&mut String; ELEMENTS] {
        [
            &mut self.element_1,
            &mut self.element_2,
            &mut self.element_3,
            &mut self.element_4,
            &mut self.element_5,
            &mut self.element_6,
            &mut self.element_7,
            &mut self.element_8,
            &mut self.element_9,
            &mut self.element_10,
            &mut self.element_11,
        ]
    }

    /// Sets the elements from stored text (one line each).
    pub fn set_elements(&mut self, stored: &str) {
        let mut lines = stored.split('\n');
        for slot in self.elements_mut() {
            *slot = lines.next().unwrap_or_default().to_owned();
        }
    }

    /// The elements as stored: one line each.
    pub fn stored_elements(&self) -> String {
        let lines = self.elements();
        if lines.iter().all(|l| l.is_empty()) {
            return String::new();
        }
        lines.join("\n")
    }

    /// The facts checked for the programme of `year`: each field in its
    /// form, and the facts that must go together (an adopted programme
    /// has its date; an annulment, a programme adopted; a report
    /// published, a report submitted).
    pub fn validate(&self, year: i16, errors: &mut FieldErrors) -> Option<MonitoringForm> {
        let mut f = MonitoringForm {
            stage: self.stage.trim().to_owned(),
            resolution: line(errors, "resolution", &self.resolution, 100),
            adopted_on: optional_date(errors, "adopted_on", &self.adopted_on),
            council: line(errors, "council", &self.council, 200),
            last_year: count(errors, "last_year", &self.last_year, 2100),
            funds: amount(errors, "funds", &self.funds),
            programme_url: web_address(errors, "programme_url", &self.programme_url),
            journal: line(errors, "journal", &self.journal, 200),
            annulled_on: optional_date(errors, "annulled_on", &self.annulled_on),
            ruling: line(errors, "ruling", &self.ruling, 200),
            consultation_rules: line(errors, "consultation_rules", &self.consultation_rules, 200),
            consultation_announced_on: optional_date(
                errors,
                "consultation_announced_on",
                &self.consultation_announced_on,
            ),
            consultation_days: count(errors, "consultation_days", &self.consultation_days, 365),
            consultation_form: line(errors, "consultation_form", &self.consultation_form, 200),
            consultation_url: web_address(errors, "consultation_url", &self.consultation_url),
            consultation_report_url: web_address(
                errors,
                "consultation_report_url",
                &self.consultation_report_url,
            ),
            council_opinion: line(errors, "council_opinion", &self.council_opinion, 300),
            report_submitted_on: optional_date(
                errors,
                "report_submitted_on",
                &self.report_submitted_on,
            ),
            report_published_on: optional_date(
                errors,
                "report_published_on",
                &self.report_published_on,
            ),
            report_url: web_address(errors, "report_url", &self.report_url),
            council_exists: self.council_exists.trim().to_owned(),
            council_requested_on: optional_date(
                errors,
                "council_requested_on",
                &self.council_requested_on,
            ),
            council_requested_by: line(
                errors,
                "council_requested_by",
                &self.council_requested_by,
                200,
            ),
            council_term: line(errors, "council_term", &self.council_term, 100),
            competitions: count(errors, "competitions", &self.competitions, 100_000),
            competitions_amount: amount(errors, "competitions_amount", &self.competitions_amount),
            small_grants: count(errors, "small_grants", &self.small_grants, 100_000),
            small_grants_amount: amount(errors, "small_grants_amount", &self.small_grants_amount),
            checked_on: optional_date(errors, "checked_on", &self.checked_on),
            notes: optional(errors, "notes", &self.notes, 5000),
            ..MonitoringForm::default()
        };
        for ((field, value), slot) in ELEMENT_FIELDS
            .into_iter()
            .zip(self.elements())
            .zip(f.elements_mut())
        {
            *slot = line(errors, field, value, 100);
        }
        let stage = Stage::parse(&f.stage);
        if stage.is_none() {
            errors.add("stage", "Wybierz jedną z możliwości.");
        }
        if !["", "tak", "nie"].contains(&f.council_exists.as_str()) {
            errors.add("council_exists", "Wybierz jedną z możliwości.");
        }
        if stage == Some(Stage::Adopted) && f.adopted_on.is_empty() {
            errors.add("adopted_on", "Podaj datę uchwalenia programu.");
        }
        if stage != Some(Stage::Adopted) && !f.adopted_on.is_empty() {
            errors.add(
                "adopted_on",
                "Data uchwalenia dotyczy programu uchwalonego: wybierz etap „uchwalony” albo usuń datę.",
            );
        }
        if !f.annulled_on.is_empty() && stage != Some(Stage::Adopted) {
            errors.add("annulled_on", "Unieważnić można tylko program uchwalony.");
        }
        if let (Some(adopted), Some(annulled)) = (day(&f.adopted_on), day(&f.annulled_on)) {
            if annulled < adopted {
                errors.add(
                    "annulled_on",
                    "Unieważnienie nie może poprzedzać uchwalenia.",
                );
            }
        }
        if let Ok(last) = f.last_year.parse::<i16>() {
            if last <= year || last > year + 10 {
                errors.add(
                    "last_year",
                    format!(
                        "Program wieloletni obejmuje lata po {year}, najwyżej do {}. Dla programu rocznego zostaw puste.",
                        year + 10
                    ),
                );
            }
        }
        if !f.report_published_on.is_empty() && f.report_submitted_on.is_empty() {
            errors.add(
                "report_submitted_on",
                "Podaj też datę przedłożenia sprawozdania radzie.",
            );
        }
        errors.is_empty().then_some(f)
    }

    /// The form with `values` (form field → value) put over it.
    pub fn with(&self, values: &[(&str, &str)]) -> MonitoringForm {
        let mut map = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return self.clone(),
        };
        for (field, value) in values {
            map.insert((*field).to_owned(), serde_json::Value::from(*value));
        }
        serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_else(|_| self.clone())
    }

    /// The values of the CSV's columns (`CSV_COLUMNS`), in order.
    pub fn csv_values(&self) -> Vec<String> {
        let map = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        CSV_COLUMNS
            .iter()
            .map(|(_, field)| {
                map.get(*field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    /// What the statuses read.
    pub fn facts(&self, year: i16) -> Facts {
        Facts {
            year,
            stage: Stage::parse(&self.stage),
            adopted_on: day(&self.adopted_on),
            last_year: self.last_year.parse().ok(),
            annulled_on: day(&self.annulled_on),
            consultation_announced_on: day(&self.consultation_announced_on),
            report_submitted_on: day(&self.report_submitted_on),
            report_published_on: day(&self.report_published_on),
            checked_on: day(&self.checked_on),
            elements_found: Facts::elements_found(&self.stored_elements()),
            council_exists: Facts::council(&self.council_exists),
            grants: Facts::grants(
                self.competitions.trim().parse().ok(),
                self.small_grants.trim().parse().ok(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adopted_programme_needs_its_date_and_an_annulment_follows_it() {
        let mut errors = FieldErrors::default();
        let form = MonitoringForm {
            stage: "adopted".into(),
            annulled_on: "2025-01-10".into(),
            ..MonitoringForm::default()
        };
        assert!(form.validate(2026, &mut errors).is_none());
        assert_eq!(errors.get("adopted_on"), "Podaj datę uchwalenia programu.");
        let mut errors = FieldErrors::default();
        let form = MonitoringForm {
            adopted_on: "2025-11-27".into(),
            annulled_on: "2025-11-01".into(),
            ..form
        };
        assert!(form.validate(2026, &mut errors).is_none());
        assert!(errors.get("annulled_on").contains("nie może poprzedzać"));
    }

    #[test]
    fn amounts_take_spaces_and_a_line_break_becomes_a_space() {
        let mut errors = FieldErrors::default();
        let form = MonitoringForm {
            funds: "1 250 000".into(),
            element_3: "§ 3\nust. 2".into(),
            ..MonitoringForm::default()
        };
        let f = form.validate(2026, &mut errors).unwrap_or_default();
        assert!(errors.is_empty(), "{:?}", errors.all());
        assert_eq!(f.funds, "1250000");
        assert_eq!(f.element_3, "§ 3 ust. 2");
        let mut back = MonitoringForm::default();
        back.set_elements(&f.stored_elements());
        assert_eq!(back.elements(), f.elements());
    }
}
