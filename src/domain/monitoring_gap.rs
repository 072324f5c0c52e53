//! A gap the cooperation monitor shows, as an intervention: which
//! category of case it is, who the letters go to (the council's chair for
//! a programme the council did not adopt, the executive for a report it
//! did not submit or publish) and the facts the case starts with.

use jiff::civil::Date;

use super::cases::Category;
use super::format;
use super::monitoring::{programme_status, report_status, Facts, ReportStatus, Rules, Stage};

/// What is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// No programme in force: not adopted in time, or annulled.
    Programme,
    /// The report on the year before missing or not published.
    Report,
}

/// Who a gap's letters go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Organ {
    /// The chair of the council (organ stanowiący), whose duty it is to
    /// adopt the programme.
    CouncilChair,
    /// The executive (wójt, burmistrz, prezydent, zarząd), whose duty it
    /// is to submit and publish the report.
    Executive,
}

impl Gap {
    pub const ALL: [Gap; 2] = [Gap::Programme, Gap::Report];

    /// Its code in addresses.
    pub fn code(self) -> &'static str {
        match self {
            Gap::Programme => "program",
            Gap::Report => "sprawozdanie",
        }
    }

    pub fn parse(code: &str) -> Option<Gap> {
        Gap::ALL.into_iter().find(|g| g.code() == code)
    }

    pub fn category(self) -> Category {
        match self {
            Gap::Programme => Category::ProgrammeNotAdopted,
            Gap::Report => Category::Transparency,
        }
    }

    pub fn organ(self) -> Organ {
        match self {
            Gap::Programme => Organ::CouncilChair,
            Gap::Report => Organ::Executive,
        }
    }

    /// The button that opens its case.
    pub fn action(self) -> &'static str {
        match self {
            Gap::Programme => {
                "Załóż sprawę: brak programu współpracy (pismo do przewodniczącego rady)"
            }
            Gap::Report => "Załóż sprawę: brak sprawozdania (pismo do organu wykonawczego)",
        }
    }
}

/// The gaps of a JST for `year` on `today`, from its facts of every year.
pub fn gaps(rules: &Rules, year: i16, all: &[Facts], today: Date) -> Vec<Gap> {
    let own = all.iter().find(|f| f.year == year);
    let mut out = Vec::new();
    if programme_status(rules, year, all, today).is_gap() {
        out.push(Gap::Programme);
    }
    if matches!(
        report_status(rules, own, today),
        ReportStatus::Missing | ReportStatus::NotPublished
    ) {
        out.push(Gap::Report);
    }
    out
}

/// What a case about `gap` starts with: the facts as staff recorded them,
/// the deadline and its provision.
pub struct Known<'a> {
    pub jst: &'a str,
    pub year: i16,
    pub status: &'a str,
    pub stage: Option<Stage>,
    pub resolution: &'a str,
    pub programme_url: &'a str,
    pub annulled_on: Option<Date>,
    pub ruling: &'a str,
    pub report_submitted_on: Option<Date>,
    pub report_url: &'a str,
    pub checked_on: Option<Date>,
}

pub fn description(rules: &Rules, gap: Gap, k: &Known<'_>) -> String {
    let date = |d: Option<Date>| d.map_or_else(|| "—".to_owned(), format::date);
    let mut lines = Vec::new();
    match gap {
        Gap::Programme => {
            lines.push(format!(
                "Monitoring współpracy: {} – program współpracy z organizacjami pozarządowymi na rok {}: {}.",
                k.jst, k.year, k.status
            ));
            lines.push(format!(
                "Termin uchwalenia: {} ({}).",
                date(rules.programme_due(k.year)),
                rules.programme_basis
            ));
            if let Some(stage) = k.stage {
                lines.push(format!("Etap programu: {}.", stage.label()));
            }
            if !k.resolution.is_empty() {
                lines.push(format!("Uchwała: {}.", k.resolution));
            }
            if k.annulled_on.is_some() {
                lines.push(format!(
                    "Rozstrzygnięcie nadzorcze wojewody z {}{}.",
                    date(k.annulled_on),
                    if k.ruling.is_empty() {
                        String::new()
                    } else {
                        format!(", znak {}", k.ruling)
                    }
                ));
            }
            if !k.programme_url.is_empty() {
                lines.push(format!("BIP: {}", k.programme_url));
            }
        }
        Gap::Report => {
            lines.push(format!(
                "Monitoring współpracy: {} – sprawozdanie z realizacji programu współpracy za rok {}: {}.",
                k.jst,
                k.year - 1,
                k.status
            ));
            lines.push(format!(
                "Termin przedłożenia radzie i publikacji w BIP: {} ({}).",
                date(rules.report_due(k.year)),
                rules.report_basis
            ));
            if k.report_submitted_on.is_some() {
                lines.push(format!(
                    "Przedłożone radzie: {}.",
                    date(k.report_submitted_on)
                ));
            }
            if !k.report_url.is_empty() {
                lines.push(format!("Adres: {}", k.report_url));
            }
        }
    }
    // The letters quote this: the date, not who of the team checked.
    lines.push(format!("Fakty sprawdzone: {}.", date(k.checked_on)));
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_programme_not_adopted_and_a_report_not_published_are_gaps() {
        let r = crate::domain::monitoring::tests::rules();
        let f = Facts {
            year: 2026,
            stage: Some(Stage::Draft),
            report_submitted_on: Some(date(2026, 5, 20)),
            checked_on: Some(date(2026, 6, 10)),
            ..Facts::default()
        };
        assert_eq!(
            gaps(&r, 2026, std::slice::from_ref(&f), date(2026, 6, 11)),
            [Gap::Programme, Gap::Report]
        );
        assert!(gaps(&r, 2026, &[f], date(2025, 11, 20)).is_empty());
    }
}
