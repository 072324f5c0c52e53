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

/// The index of a JST for a year.
#[derive(Clone, Debug, Serialize)]
pub struct Index {
    /// 0–100; none when too little is known.
    pub value: Option<u8>,
    /// Percent of the total weight whose indicators are known.
    pub coverage: u8,
    pub scores: Vec<Score>,
}

/// The index of `year` on `today`, from the JST's facts of every year it
/// has (an earlier multi-year programme may be the one in force).
pub fn index(rules: &Rules, year: i16, all: &[Facts], today: Date) -> Index {
    let weights = &rules.index;
    let own = all.iter().find(|f| f.year == year);
    let programme = programme_status(rules, year, all, today);
    let scores: Vec<Score> = Indicator::ALL
        .into_iter()
        .map(|i| {
            let (value, found) = match i {
                Indicator::Programme => programme_score(programme),
                Indicator::Consultation => match consultation_status(own, today) {
                    ConsultationStatus::Held => (Some(1.0), "przeprowadzone".into()),
                    ConsultationStatus::NotEvidenced => (Some(0.0), "brak dowodu".into()),
                    ConsultationStatus::Unknown => (None, "nieznane".into()),
                },
                Indicator::Elements => elements_score(rules, programme, year, all),
                Indicator::Report => match report_status(rules, own, today) {
                    ReportStatus::Published => (Some(1.0), "złożone i opublikowane".into()),
                    ReportStatus::NotPublished => (Some(0.5), "złożone, nieopublikowane".into()),
                    ReportStatus::Missing => (Some(0.0), "brak po terminie".into()),
                    ReportStatus::Due => (None, "przed terminem".into()),
                    ReportStatus::Unknown => (None, "nieznane".into()),
                },
                Indicator::Council => match own.and_then(|f| f.council_exists) {
                    Some(true) => (Some(1.0), "istnieje".into()),
                    Some(false) => (Some(0.0), "nie istnieje".into()),
                    None => (None, "nieznane".into()),
                },
                Indicator::Grants => match own.and_then(|f| f.grants) {
                    Some(0) => (Some(0.0), "żadnego".into()),
                    Some(n) => (Some(1.0), format!("{n} (konkursy i małe granty)")),
                    None => (None, "nieznane".into()),
                },
            };
            Score {
                indicator: i.code(),
                name: i.name(),
                weight: weights.of(i),
                value,
                found,
                source: i.source(rules),
            }
        })
        .collect();
    let total = weights.total();
    let known: u32 = scores
        .iter()
        .filter(|s| s.value.is_some())
        .map(|s| s.weight)
        .sum();
    let earned: f64 = scores
        .iter()
        .filter_map(|s| s.value.map(|v| v * f64::from(s.weight)))
        .sum();
    let coverage = (known * 100)
        .checked_div(total)
        .map_or(0, |c| u8::try_from(c).unwrap_or(100));
    let value = (known > 0 && coverage >= weights.min_coverage).then(|| {
        (earned * 100.0 / f64::from(known))
            .round()
            .clamp(0.0, 100.0) as u8
    });
    Index {
        value,
        coverage,
        scores,
    }
}

fn programme_score(status: ProgrammeStatus) -> (Option<f64>, String) {
    let value = match status {
        ProgrammeStatus::OnTime | ProgrammeStatus::MultiYear { .. } => Some(1.0),
        ProgrammeStatus::Late => Some(0.5),
        ProgrammeStatus::None
        | ProgrammeStatus::Overdue
        | ProgrammeStatus::NotAdopted
        | ProgrammeStatus::Annulled => Some(0.0),
        ProgrammeStatus::Unknown | ProgrammeStatus::Draft | ProgrammeStatus::InConsultation => None,
    };
    (value, status.label())
}

/// The share of the elements found in the programme in force for `year`:
/// its own, or the multi-year one that covers it.
fn elements_score(
    rules: &Rules,
    programme: ProgrammeStatus,
    year: i16,
    all: &[Facts],
) -> (Option<f64>, String) {
    let from = match programme {
        ProgrammeStatus::OnTime | ProgrammeStatus::Late => year,
        ProgrammeStatus::MultiYear { from } => from,
        ProgrammeStatus::None
        | ProgrammeStatus::NotAdopted
        | ProgrammeStatus::Overdue
        | ProgrammeStatus::Annulled => return (Some(0.0), "brak programu".into()),
        _ => return (None, "nieznane".into()),
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
                format!("{found} z {required}"),
            )
        }
        None => (None, "nie sprawdzono".into()),
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
        let i = index(&rules(), 2026, &[f], date(2026, 7, 1));
        assert_eq!(i.value, Some(100));
        assert_eq!(i.coverage, 100);
        assert_eq!(i.scores[0].points(), "30 z 30");
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
        let i = index(&rules(), 2026, &[f], date(2026, 3, 1));
        assert_eq!(i.coverage, 60);
        let expected = ((15.0 + 15.0 + 15.0 * 5.0 / 11.0) * 100.0 / 60.0_f64).round() as u8;
        assert_eq!(i.value, Some(expected));
        assert_eq!(i.scores[3].points(), "nie liczy się");
        assert_eq!(i.scores[2].points(), "6,8 z 15");
    }

    #[test]
    fn too_little_known_gives_no_index() {
        let f = Facts {
            year: 2026,
            council_exists: Some(true),
            ..Facts::default()
        };
        let i = index(&rules(), 2026, &[f], date(2026, 3, 1));
        assert_eq!(i.coverage, 10);
        assert_eq!(i.value, None);
    }
}
