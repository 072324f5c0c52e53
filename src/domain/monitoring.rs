//! The cooperation monitor: what each JST did, year by year, of its duties
//! towards NGOs under the act on public benefit activity and volunteering
//! (the annual programme of cooperation, its consultation, the report on
//! the year before, the public-benefit council), as staff recorded it,
//! and the status that follows from those facts and the date.
//!
//! Nothing is guessed: a JST whose facts for a year were never recorded,
//! or were recorded without what a status needs, has the status
//! "unknown". The legal dates and their citations are configuration
//! (`Rules`, the `[monitoring]` section of the configuration file).

use jiff::civil::Date;

/// The legal rules the statuses follow, with the provisions they cite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    /// The first year with a programme the act required.
    pub first_year: i16,
    /// Month and day, in the year before the programme's year, by which
    /// the council adopts the programme.
    pub programme_deadline: (i8, i8),
    pub programme_basis: String,
    /// Month and day, in the year after the one reported on, by which the
    /// report is submitted to the council and published.
    pub report_deadline: (i8, i8),
    pub report_basis: String,
    pub consultation_basis: String,
    pub council_basis: String,
    /// The elements the programme must contain.
    pub elements: Vec<String>,
    pub elements_basis: String,
    /// The provisions on open competitions and small grants.
    pub grants_basis: String,
    /// The cooperation index's weights.
    pub index: crate::domain::cooperation_index::Weights,
}

impl Rules {
    /// The day the programme for `year` is due (30 November of the year
    /// before, by default).
    pub fn programme_due(&self, year: i16) -> Option<Date> {
        let (m, d) = self.programme_deadline;
        Date::new(year - 1, m, d).ok()
    }

    /// The day the report on `year - 1` is due (31 May of `year`, by
    /// default).
    pub fn report_due(&self, year: i16) -> Option<Date> {
        let (m, d) = self.report_deadline;
        Date::new(year, m, d).ok()
    }
}

/// The year shown when none is asked: the one whose programme was due
/// last (from 1 December, the coming year's).
pub fn default_year(rules: &Rules, today: Date) -> i16 {
    let next = today.year() + 1;
    match rules.programme_due(next) {
        Some(due) if today > due => next,
        _ => today.year(),
    }
}

/// A month and day written `MM-DD` (`11-30`).
pub fn parse_month_day(text: &str) -> Option<(i8, i8)> {
    let (m, d) = text.trim().split_once('-')?;
    let (m, d): (i8, i8) = (m.parse().ok()?, d.parse().ok()?);
    // A day that exists in every year (29 February does not).
    Date::new(2023, m, d).ok().map(|_| (m, d))
}

/// How far the programme for a year got, as staff found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Not recorded.
    Unknown,
    /// Checked: no trace of a programme.
    None,
    Draft,
    Consultation,
    Adopted,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Unknown,
        Stage::None,
        Stage::Draft,
        Stage::Consultation,
        Stage::Adopted,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Unknown => "",
            Stage::None => "none",
            Stage::Draft => "draft",
            Stage::Consultation => "consultation",
            Stage::Adopted => "adopted",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Unknown => "nie sprawdzono",
            Stage::None => "brak śladu programu",
            Stage::Draft => "projekt",
            Stage::Consultation => "projekt w konsultacjach",
            Stage::Adopted => "uchwalony",
        }
    }
}

/// The facts of one JST for one year that the statuses read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub year: i16,
    pub stage: Option<Stage>,
    pub adopted_on: Option<Date>,
    /// The last year a multi-year programme covers (art. 5a ust. 2); none
    /// for an annual one.
    pub last_year: Option<i16>,
    /// When the wojewoda's supervisory ruling annulled it.
    pub annulled_on: Option<Date>,
    pub consultation_announced_on: Option<Date>,
    pub report_submitted_on: Option<Date>,
    pub report_published_on: Option<Date>,
    /// When staff last looked for the facts (the JST's BIP, the journal).
    pub checked_on: Option<Date>,
    /// How many of the required elements staff found in the programme;
    /// none when the checklist was left empty.
    pub elements_found: Option<u8>,
    /// Whether the public-benefit council exists; none if not known.
    pub council_exists: Option<bool>,
    /// Open competitions and small grants announced in the year; none if
    /// neither was recorded.
    pub grants: Option<u32>,
}

impl Facts {
    /// The elements found, from the stored checklist (one line each,
    /// where the element is found; an empty line: not found).
    pub fn elements_found(stored: &str) -> Option<u8> {
        if stored.trim().is_empty() {
            return None;
        }
        let found = stored.split('\n').filter(|l| !l.trim().is_empty()).count();
        Some(u8::try_from(found).unwrap_or(u8::MAX))
    }

    /// "tak", "nie" or not known.
    pub fn council(stored: &str) -> Option<bool> {
        match stored {
            "tak" => Some(true),
            "nie" => Some(false),
            _ => None,
        }
    }

    /// Competitions and small grants together, if either was recorded.
    pub fn grants(competitions: Option<u32>, small_grants: Option<u32>) -> Option<u32> {
        match (competitions, small_grants) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
        }
    }
}

/// The programme of cooperation for a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgrammeStatus {
    Unknown,
    None,
    Draft,
    InConsultation,
    /// The deadline passed with no programme adopted, before the year it
    /// is for began (1–31 December).
    Overdue,
    OnTime,
    Late,
    NotAdopted,
    /// A multi-year programme adopted for an earlier year covers it.
    MultiYear {
        from: i16,
    },
    Annulled,
}

impl ProgrammeStatus {
    /// The code in filters, CSV, JSON and the class of the map's shape.
    pub fn code(self) -> &'static str {
        match self {
            ProgrammeStatus::Unknown => "unknown",
            ProgrammeStatus::None => "none",
            ProgrammeStatus::Draft => "draft",
            ProgrammeStatus::InConsultation => "consultation",
            ProgrammeStatus::Overdue => "overdue",
            ProgrammeStatus::OnTime => "on_time",
            ProgrammeStatus::Late => "late",
            ProgrammeStatus::NotAdopted => "not_adopted",
            ProgrammeStatus::MultiYear { .. } => "multi_year",
            ProgrammeStatus::Annulled => "annulled",
        }
    }

    pub fn label(self) -> String {
        match self {
            ProgrammeStatus::Unknown => "nieznany".into(),
            ProgrammeStatus::None => "brak programu".into(),
            ProgrammeStatus::Draft => "projekt".into(),
            ProgrammeStatus::InConsultation => "projekt w konsultacjach".into(),
            ProgrammeStatus::Overdue => "nieuchwalony w terminie".into(),
            ProgrammeStatus::OnTime => "uchwalony w terminie".into(),
            ProgrammeStatus::Late => "uchwalony po terminie".into(),
            ProgrammeStatus::NotAdopted => "nieuchwalony do 1 stycznia".into(),
            ProgrammeStatus::MultiYear { from } => {
                format!("obowiązuje program wieloletni (od {from} r.)")
            }
            ProgrammeStatus::Annulled => "nieważny (rozstrzygnięcie nadzorcze wojewody)".into(),
        }
    }

    /// The codes a filter offers, with their labels.
    pub fn choices() -> Vec<(&'static str, String)> {
        [
            ProgrammeStatus::OnTime,
            ProgrammeStatus::Late,
            ProgrammeStatus::MultiYear { from: 0 },
            ProgrammeStatus::Overdue,
            ProgrammeStatus::NotAdopted,
            ProgrammeStatus::Annulled,
            ProgrammeStatus::InConsultation,
            ProgrammeStatus::Draft,
            ProgrammeStatus::None,
            ProgrammeStatus::Unknown,
        ]
        .into_iter()
        .map(|s| match s {
            ProgrammeStatus::MultiYear { .. } => (s.code(), "obowiązuje program wieloletni".into()),
            _ => (s.code(), s.label()),
        })
        .collect()
    }

    /// A gap the monitor turns into work: no programme adopted in time.
    pub fn is_gap(self) -> bool {
        matches!(
            self,
            ProgrammeStatus::Overdue | ProgrammeStatus::NotAdopted | ProgrammeStatus::Annulled
        )
    }
}

/// Whether a date is known and not after `today`.
fn by(day: Option<Date>, today: Date) -> Option<Date> {
    day.filter(|d| *d <= today)
}

/// The programme for `year` on `today`, from the JST's facts of every
/// year it has (an earlier multi-year programme may cover `year`).
pub fn programme_status(rules: &Rules, year: i16, all: &[Facts], today: Date) -> ProgrammeStatus {
    let own = all.iter().find(|f| f.year == year);
    if let Some(f) = own {
        if f.stage == Some(Stage::Adopted) {
            if let Some(adopted) = by(f.adopted_on, today) {
                if by(f.annulled_on, today).is_some() {
                    return ProgrammeStatus::Annulled;
                }
                let on_time = rules.programme_due(year).is_some_and(|due| adopted <= due);
                return if on_time {
                    ProgrammeStatus::OnTime
                } else {
                    ProgrammeStatus::Late
                };
            }
        }
    }
    let covering = all.iter().filter(|f| f.year < year).find(|f| {
        f.stage == Some(Stage::Adopted)
            && by(f.adopted_on, today).is_some()
            && f.last_year.is_some_and(|last| last >= year)
            && by(f.annulled_on, today).is_none()
    });
    if let Some(f) = covering {
        return ProgrammeStatus::MultiYear { from: f.year };
    }
    let stage = match own.and_then(|f| f.stage) {
        None | Some(Stage::Unknown) => return ProgrammeStatus::Unknown,
        Some(stage) => stage,
    };
    let in_force_from = Date::new(year, 1, 1).ok();
    if in_force_from.is_some_and(|first| today >= first) {
        return ProgrammeStatus::NotAdopted;
    }
    if rules.programme_due(year).is_some_and(|due| today > due) {
        return ProgrammeStatus::Overdue;
    }
    match stage {
        Stage::None => ProgrammeStatus::None,
        Stage::Draft => ProgrammeStatus::Draft,
        // Adopted with a date still to come, or none: a draft until then.
        Stage::Consultation | Stage::Adopted => ProgrammeStatus::InConsultation,
        Stage::Unknown => ProgrammeStatus::Unknown,
    }
}

/// The report on the year before `year`, due in `year`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportStatus {
    Unknown,
    /// Not due yet and not submitted.
    Due,
    Published,
    NotPublished,
    /// Checked after the deadline: not submitted.
    Missing,
}

impl ReportStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Unknown => "unknown",
            ReportStatus::Due => "due",
            ReportStatus::Published => "published",
            ReportStatus::NotPublished => "not_published",
            ReportStatus::Missing => "missing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Unknown => "nieznany",
            ReportStatus::Due => "przed terminem",
            ReportStatus::Published => "złożone i opublikowane",
            ReportStatus::NotPublished => "złożone, nieopublikowane",
            ReportStatus::Missing => "brak po terminie",
        }
    }
}

/// The report due in `facts.year` (on the year before) on `today`.
pub fn report_status(rules: &Rules, facts: Option<&Facts>, today: Date) -> ReportStatus {
    let Some(f) = facts else {
        return ReportStatus::Unknown;
    };
    let due = rules.report_due(f.year);
    if by(f.report_submitted_on, today).is_some() {
        return if by(f.report_published_on, today).is_some() {
            ReportStatus::Published
        } else {
            ReportStatus::NotPublished
        };
    }
    let past = due.is_some_and(|due| today > due);
    let checked_after = f
        .checked_on
        .zip(due)
        .is_some_and(|(checked, due)| checked > due && checked <= today);
    match (past, checked_after) {
        (true, true) => ReportStatus::Missing,
        (true, false) => ReportStatus::Unknown,
        (false, _) if f.checked_on.is_some() => ReportStatus::Due,
        (false, _) => ReportStatus::Unknown,
    }
}

/// The consultation of the programme with NGOs (art. 5 ust. 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsultationStatus {
    Unknown,
    Held,
    NotEvidenced,
}

impl ConsultationStatus {
    pub fn code(self) -> &'static str {
        match self {
            ConsultationStatus::Unknown => "unknown",
            ConsultationStatus::Held => "held",
            ConsultationStatus::NotEvidenced => "not_evidenced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsultationStatus::Unknown => "nieznany",
            ConsultationStatus::Held => "przeprowadzone",
            ConsultationStatus::NotEvidenced => "brak dowodu",
        }
    }
}

pub fn consultation_status(facts: Option<&Facts>, today: Date) -> ConsultationStatus {
    match facts {
        Some(f) if by(f.consultation_announced_on, today).is_some() => ConsultationStatus::Held,
        Some(f) if by(f.checked_on, today).is_some() => ConsultationStatus::NotEvidenced,
        _ => ConsultationStatus::Unknown,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jiff::civil::date;

    pub(crate) fn rules() -> Rules {
        Rules {
            first_year: 2011,
            programme_deadline: (11, 30),
            programme_basis: "art. 5a ust. 1".into(),
            report_deadline: (5, 31),
            report_basis: "art. 5a ust. 3".into(),
            consultation_basis: "art. 5 ust. 5".into(),
            council_basis: "art. 41e".into(),
            elements: Vec::new(),
            elements_basis: "art. 5a ust. 4".into(),
            grants_basis: "art. 13 i art. 19a".into(),
            index: crate::domain::cooperation_index::Weights {
                weights: [30, 15, 15, 20, 10, 10],
                min_coverage: 50,
            },
        }
    }

    fn adopted(year: i16, on: Date) -> Facts {
        Facts {
            year,
            stage: Some(Stage::Adopted),
            adopted_on: Some(on),
            ..Facts::default()
        }
    }

    #[test]
    fn a_programme_adopted_by_30_november_is_on_time_and_one_day_later_is_late() {
        let r = rules();
        let today = date(2026, 12, 2);
        let on_time = [adopted(2026, date(2025, 11, 30))];
        assert_eq!(
            programme_status(&r, 2026, &on_time, today),
            ProgrammeStatus::OnTime
        );
        let late = [adopted(2026, date(2025, 12, 1))];
        assert_eq!(
            programme_status(&r, 2026, &late, today),
            ProgrammeStatus::Late
        );
    }

    #[test]
    fn a_draft_is_a_draft_until_30_november_overdue_in_december_then_not_adopted() {
        let r = rules();
        let draft = [Facts {
            year: 2027,
            stage: Some(Stage::Draft),
            ..Facts::default()
        }];
        let s = |d| programme_status(&r, 2027, &draft, d);
        assert_eq!(s(date(2026, 11, 30)), ProgrammeStatus::Draft);
        assert_eq!(s(date(2026, 12, 1)), ProgrammeStatus::Overdue);
        assert_eq!(s(date(2026, 12, 31)), ProgrammeStatus::Overdue);
        assert_eq!(s(date(2027, 1, 1)), ProgrammeStatus::NotAdopted);
    }

    #[test]
    fn nothing_recorded_is_unknown_whatever_the_date() {
        let r = rules();
        assert_eq!(
            programme_status(&r, 2026, &[], date(2026, 6, 1)),
            ProgrammeStatus::Unknown
        );
        assert_eq!(
            report_status(&r, None, date(2026, 6, 1)),
            ReportStatus::Unknown
        );
    }

    #[test]
    fn a_multi_year_programme_covers_its_years_and_an_annulled_one_does_not() {
        let r = rules();
        let mut multi = adopted(2024, date(2023, 11, 20));
        multi.last_year = Some(2026);
        let all = [multi.clone()];
        let today = date(2026, 3, 1);
        assert_eq!(
            programme_status(&r, 2026, &all, today),
            ProgrammeStatus::MultiYear { from: 2024 }
        );
        assert_eq!(
            programme_status(&r, 2027, &all, today),
            ProgrammeStatus::Unknown
        );
        multi.annulled_on = Some(date(2024, 1, 15));
        let all = [multi];
        assert_eq!(
            programme_status(&r, 2024, &all, today),
            ProgrammeStatus::Annulled
        );
        assert_eq!(
            programme_status(&r, 2025, &all, today),
            ProgrammeStatus::Unknown
        );
    }

    #[test]
    fn a_report_checked_after_31_may_and_not_found_is_missing() {
        let r = rules();
        let mut f = Facts {
            year: 2026,
            checked_on: Some(date(2026, 6, 2)),
            ..Facts::default()
        };
        assert_eq!(
            report_status(&r, Some(&f), date(2026, 6, 3)),
            ReportStatus::Missing
        );
        f.checked_on = Some(date(2026, 5, 20));
        assert_eq!(
            report_status(&r, Some(&f), date(2026, 5, 31)),
            ReportStatus::Due
        );
        assert_eq!(
            report_status(&r, Some(&f), date(2026, 6, 3)),
            ReportStatus::Unknown
        );
        f.report_submitted_on = Some(date(2026, 5, 28));
        assert_eq!(
            report_status(&r, Some(&f), date(2026, 6, 3)),
            ReportStatus::NotPublished
        );
        f.report_published_on = Some(date(2026, 5, 29));
        assert_eq!(
            report_status(&r, Some(&f), date(2026, 6, 3)),
            ReportStatus::Published
        );
    }

    #[test]
    fn month_and_day_are_read_and_29_february_is_refused() {
        assert_eq!(parse_month_day("11-30"), Some((11, 30)));
        assert_eq!(parse_month_day("02-29"), None);
        assert_eq!(parse_month_day("13-01"), None);
    }
}
