//! The cooperation index: one number from 0 to 100 per JST and year, a
//! weighted mean of indicators read from the monitor's facts, each shown
//! with its weight and its source beside the score.
//!
//! An indicator whose facts are not known is left out of the mean and
//! said to be left out; below a minimum share of the weights known, there
//! is no index at all. The weights and that share are configuration
//! (`[monitoring.index]`).

use jiff::civil::Date;
use serde::Serialize;

use super::monitoring::{
    consultation_status, programme_status, report_status, ConsultationStatus, Facts,
    ProgrammeStatus, ReportStatus, Rules,
};

/// What the index is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indicator {
    Programme,
    Consultation,
    Elements,
    Report,
    Council,
    Grants,
}

impl Indicator {
    pub const ALL: [Indicator; 6] = [
        Indicator::Programme,
        Indicator::Consultation,
        Indicator::Elements,
        Indicator::Report,
        Indicator::Council,
        Indicator::Grants,
    ];

    /// Its name in the configuration and in open data.
    pub fn code(self) -> &'static str {
        match self {
            Indicator::Programme => "programme",
            Indicator::Consultation => "consultation",
            Indicator::Elements => "elements",
            Indicator::Report => "report",
            Indicator::Council => "council",
            Indicator::Grants => "grants",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Indicator::Programme => "Program współpracy uchwalony w terminie",
            Indicator::Consultation => "Konsultacje projektu programu z organizacjami",
            Indicator::Elements => "Elementy, które program musi zawierać",
            Indicator::Report => "Sprawozdanie z realizacji programu za rok poprzedni",
            Indicator::Council => "Rada działalności pożytku publicznego",
            Indicator::Grants => "Otwarte konkursy ofert i małe granty w roku",
        }
    }

    /// How the facts become a score, in words (the method page).
    pub fn rule(self) -> &'static str {
        match self {
            Indicator::Programme => "1 – uchwalony w terminie albo obowiązuje program wieloletni; 0,5 – uchwalony po terminie; 0 – brak programu, nieuchwalony, unieważniony przez wojewodę. Projekt przed terminem: nie liczy się.",
            Indicator::Consultation => "1 – konsultacje przeprowadzone (jest data ogłoszenia); 0 – sprawdzono i nie ma dowodu konsultacji.",
            Indicator::Elements => "Odsetek wymaganych elementów, które znaleziono w obowiązującym programie; 0, gdy programu nie ma. Nie liczy się, gdy listy elementów nie sprawdzono.",
            Indicator::Report => "1 – złożone i opublikowane w BIP; 0,5 – złożone, nieopublikowane; 0 – brak po terminie. Przed terminem: nie liczy się.",
            Indicator::Council => "1 – rada istnieje; 0 – rady nie ma.",
            Indicator::Grants => "1 – ogłoszono w roku co najmniej jeden otwarty konkurs ofert albo przyznano mały grant; 0 – żadnego.",
        }
    }

    /// The provision the indicator rests on, from the rules' citations.
    pub fn source(self, rules: &Rules) -> String {
        match self {
            Indicator::Programme => rules.programme_basis.clone(),
            Indicator::Consultation => rules.consultation_basis.clone(),
            Indicator::Elements => rules.elements_basis.clone(),
            Indicator::Report => rules.report_basis.clone(),
            Indicator::Council => rules.council_basis.clone(),
            Indicator::Grants => rules.grants_basis.clone(),
        }
    }
}

/// The weights and the share of them that must be known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Weights {
    /// Per indicator, in `Indicator::ALL` order.
    pub weights: [u32; 6],
    /// Percent of the total weight whose indicators must be known for an
    /// index to be given.
    pub min_coverage: u8,
}

impl Weights {
    pub fn of(&self, i: Indicator) -> u32 {
        let at = Indicator::ALL.iter().position(|x| *x == i).unwrap_or(0);
        self.weights[at]
    }

    pub fn total(&self) -> u32 {
        self.weights.iter().sum()
    }
}

/// One indicator of one JST and year.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    pub indicator: &'static str,
    pub name: &'static str,
    pub weight: u32,
    /// From 0 to 1; none: not known, left out.
    pub value: Option<f64>,
    /// What the facts say, in words.
    pub found: String,
    pub source: String,
}

impl Score {
    /// The points it adds, out of its weight, as written on a page.
    pub fn points(&self) -> String {
        self.value.map_or_else(
            || "nie liczy się".to_owned(),
            |v| {
                format!(
                    "{} z {}",
                    super::format::decimal(v * f64::from(self.weight)),
                    self.weight
                )
            },
        )
    }
}

/// What the facts say of an indicator, without words yet (the table of
/// a whole country reads only the values).
#[derive(Clone, Copy)]
enum Found {
    Text(&'static str),
    Programme(ProgrammeStatus),
    Elements(usize, usize),
    Grants(u32),
}

impl Found {
    fn words(self) -> String {
        match self {
            Found::Text(t) => t.to_owned(),
            Found::Programme(p) => p.label(),
            Found::Elements(found, required) => format!("{found} z {required}"),
            Found::Grants(n) => format!("{n} (konkursy i małe granty)"),
        }
    }
}

/// Each indicator's score (none: not known) and what the facts say.
fn measured(rules: &Rules, year: i16, all: &[Facts], today: Date) -> [(Option<f64>, Found); 6] {
    let own = all.iter().find(|f| f.year == year);
    let programme = programme_status(rules, year, all, today);
    Indicator::ALL.map(|i| match i {
        Indicator::Programme => programme_score(programme),
        Indicator::Consultation => match consultation_status(own, today) {
            ConsultationStatus::Held => (Some(1.0), Found::Text("przeprowadzone")),
            ConsultationStatus::NotEvidenced => (Some(0.0), Found::Text("brak dowodu")),
            ConsultationStatus::Unknown => (None, Found::Text("nieznane")),
        },
        Indicator::Elements => elements_score(rules, programme, year, all),
        Indicator::Report => match report_status(rules, own, today) {
            ReportStatus::Published => (Some(1.0), Found::Text("złożone i opublikowane")),
            ReportStatus::NotPublished => (Some(0.5), Found::Text("złożone, nieopublikowane")),
            ReportStatus::Missing => (Some(0.0), Found::Text("brak po terminie")),
            ReportStatus::Due => (None, Found::Text("przed terminem")),
            ReportStatus::Unknown => (None, Found::Text("nieznane")),
        },
        Indicator::Council => match own.and_then(|f| f.council_exists) {
            Some(true) => (Some(1.0), Found::Text("istnieje")),
            Some(false) => (Some(0.0), Found::Text("nie istnieje")),
            None => (None, Found::Text("nieznane")),
        },
        Indicator::Grants => match own.and_then(|f| f.grants) {
            Some(0) => (Some(0.0), Found::Text("żadnego")),
            Some(n) => (Some(1.0), Found::Grants(n)),
            None => (None, Found::Text("nieznane")),
        },
    })
}

/// The index of `year` on `today` and the share of the weights known,
/// from the JST's facts of every year it has.
pub fn value(rules: &Rules, year: i16, all: &[Facts], today: Date) -> (Option<u8>, u8) {
    of_scores(
        &rules.index,
        &measured(rules, year, all, today).map(|m| m.0),
    )
}

fn of_scores(weights: &Weights, scores: &[Option<f64>; 6]) -> (Option<u8>, u8) {
    let total = weights.total();
    let (mut known, mut earned) = (0u32, 0.0);
    for (score, weight) in scores.iter().zip(weights.weights) {
        if let Some(v) = score {
            known += weight;
            earned += v * f64::from(weight);
        }
    }
    let coverage = (known * 100)
        .checked_div(total)
        .map_or(0, |c| u8::try_from(c).unwrap_or(100));
    let value = (known > 0 && coverage >= weights.min_coverage).then(|| {
        (earned * 100.0 / f64::from(known))
            .round()
            .clamp(0.0, 100.0) as u8
    });
    (value, coverage)
}

/// Every indicator of `year` on `today` in words, with its weight and
/// source (an earlier multi-year programme may be the one in force).
pub fn scores(rules: &Rules, year: i16, all: &[Facts], today: Date) -> Vec<Score> {
    Indicator::ALL
        .into_iter()
        .zip(measured(rules, year, all, today))
        .map(|(i, (value, found))| Score {
            indicator: i.code(),
            name: i.name(),
            weight: rules.index.of(i),
            value,
            found: found.words(),
            source: i.source(rules),
        })
        .collect()
}

fn programme_score(status: ProgrammeStatus) -> (Option<f64>, Found) {
    let value = match status {
        ProgrammeStatus::OnTime | ProgrammeStatus::MultiYear { .. } => Some(1.0),
        ProgrammeStatus::Late => Some(0.5),
        ProgrammeStatus::None
        | ProgrammeStatus::Overdue
        | ProgrammeStatus::NotAdopted
        | ProgrammeStatus::Annulled => Some(0.0),
        ProgrammeStatus::Unknown | ProgrammeStatus::Draft | ProgrammeStatus::InConsultation => None,
    };
    (value, Found::Programme(status))
}

/// The share of the elements found in the programme in force for `year`:
/// its own, or the multi-year one that covers it.
fn elements_score(
    rules: &Rules,
    programme: ProgrammeStatus,
    year: i16,
    all: &[Facts],
) -> (Option<f64>, Found) {
    let from = match programme {
        ProgrammeStatus::OnTime | ProgrammeStatus::Late => year,
        ProgrammeStatus::MultiYear { from } => from,
        ProgrammeStatus::None
        | ProgrammeStatus::NotAdopted
        | ProgrammeStatus::Overdue
        | ProgrammeStatus::Annulled => return (Some(0.0), Found::Text("brak programu")),
        _ => return (None, Found::Text("nieznane")),
    };
    let required = rules.elements.len().max(1);
    match all
        .iter()
        .find(|f| f.year == from)
        .and_then(|f| f.elements_found)
    {
        Some(found) => {
            let found = usize::from(found).min(required);
            (
                Some(found as f64 / required as f64),
                Found::Elements(found, required),
            )
        }
        None => (None, Found::Text("nie sprawdzono")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::monitoring::Stage;
    use jiff::civil::date;

    fn rules() -> Rules {
        let mut r = crate::domain::monitoring::tests::rules();
        r.elements = vec!["a".into(); 11];
        r
    }

    #[test]
    fn everything_done_is_100_and_the_points_add_up_to_the_weights() {
        let f = Facts {
            year: 2026,
            stage: Some(Stage::Adopted),
            adopted_on: Some(date(2025, 11, 20)),
            consultation_announced_on: Some(date(2025, 10, 1)),
            report_submitted_on: Some(date(2026, 5, 20)),
            report_published_on: Some(date(2026, 5, 25)),
            elements_found: Some(11),
            council_exists: Some(true),
            grants: Some(3),
            ..Facts::default()
        };
        let (value, coverage) = value(&rules(), 2026, std::slice::from_ref(&f), date(2026, 7, 1));
        assert_eq!(value, Some(100));
        assert_eq!(coverage, 100);
        let scores = scores(&rules(), 2026, &[f], date(2026, 7, 1));
        assert_eq!(scores[0].points(), "30 z 30");
    }

    #[test]
    fn a_late_programme_with_half_the_elements_and_unknowns_left_out() {
        let f = Facts {
            year: 2026,
            stage: Some(Stage::Adopted),
            adopted_on: Some(date(2025, 12, 10)),
            elements_found: Some(5),
            consultation_announced_on: Some(date(2025, 10, 1)),
            ..Facts::default()
        };
        // Known: programme 30 × 0.5, consultation 15 × 1, elements 15 × 5/11.
        let (value, coverage) = value(&rules(), 2026, std::slice::from_ref(&f), date(2026, 3, 1));
        assert_eq!(coverage, 60);
        let expected = ((15.0 + 15.0 + 15.0 * 5.0 / 11.0) * 100.0 / 60.0_f64).round() as u8;
        assert_eq!(value, Some(expected));
        let scores = scores(&rules(), 2026, &[f], date(2026, 3, 1));
        assert_eq!(scores[3].points(), "nie liczy się");
        assert_eq!(scores[2].points(), "6,8 z 15");
    }

    #[test]
    fn too_little_known_gives_no_index() {
        let f = Facts {
            year: 2026,
            council_exists: Some(true),
            ..Facts::default()
        };
        let (value, coverage) = value(&rules(), 2026, &[f], date(2026, 3, 1));
        assert_eq!(coverage, 10);
        assert_eq!(value, None);
    }
}
