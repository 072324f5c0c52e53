//! The programme's impact figures and the date ranges they are asked for.
//!
//! Only what happened counts: every figure reads held activities
//! (`ActivityStatus::Held`) dated inside the project's period, never
//! planned or cancelled ones nor anything before or after the project.
//! Definitions (every figure is computed from records, never typed in):
//! - recipients ("odbiorcy"): distinct people on the attendance of a held
//!   activity, except the project's team and its partners' staff
//!   (`Group::Team`), who run the activities rather than being reached by
//!   them; a person who came to five activities is one recipient;
//! - kilometres: the sum of the trip log inside the period, without trips
//!   to activities that were not held;
//! - hours: the summed duration of held meetings, trainings and events
//!   (every kind but individual advisory, which is `advisory_hours`);
//! - trainings: trainings and workshops held;
//! - training_participants: distinct recipients who attended one of them;
//! - advisory_hours: the summed duration of held advisory sessions;
//! - local_governments: distinct JSTs with a local cooperation programme;
//!   for a range, those where an activity of it was held in the range.
//!
//! A range selects activities by their first (Warsaw) day and trips by
//! their day, both ends included, within the project's period: a
//! three-day training that starts on 30 June counts in June. The figures
//! are read from summaries kept with the records (`store::summaries`,
//! distinct people by `domain::reach`).
//!
//! Every public count of people at activities — recipients, the people at
//! one activity, its groups, the distinct people and participations of a
//! list — leaves the project's team out in the same way
//! (`Group::is_recipient`), and the pages say so.
//! Lists of activities show participations (people on each attendance);
//! where they do, the page gives both numbers, distinct people and
//! participations, so that the two are not confused. A planned activity
//! shows no attendance at all, only its registrations.
//!
//! No public count of people or cases shows a group of fewer than
//! `MIN_GROUP`: see `large_groups` and `shown`.

use jiff::civil::Date;
use serde::Serialize;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    pub recipients: i64,
    pub kilometres: i64,
    pub hours: f64,
    pub trainings: i64,
    pub training_participants: i64,
    pub advisory_hours: f64,
    pub local_governments: i64,
}

/// Inclusive range of civil dates; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DateRange {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("data „{0}” nie ma postaci RRRR-MM-DD")]
    BadDate(String),
    #[error("data początkowa jest późniejsza niż końcowa")]
    Reversed,
}

impl DateRange {
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<DateRange, RangeError> {
        let date = |s: Option<&str>| -> Result<Option<Date>, RangeError> {
            match s.map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => Date::strptime("%Y-%m-%d", s)
                    .map(Some)
                    .map_err(|_| RangeError::BadDate(s.to_owned())),
            }
        };
        let range = DateRange {
            from: date(from)?,
            to: date(to)?,
        };
        match (range.from, range.to) {
            (Some(f), Some(t)) if f > t => Err(RangeError::Reversed),
            _ => Ok(range),
        }
    }

    /// Lower bound as stored (ISO date text), or a value below every date.
    pub fn from_key(&self) -> String {
        self.from
            .map_or_else(|| "0000-00-00".to_owned(), |d| d.to_string())
    }

    /// Upper bound as stored, or a value above every date.
    pub fn to_key(&self) -> String {
        self.to
            .map_or_else(|| "9999-99-99".to_owned(), |d| d.to_string())
    }

    pub fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

/// What the pages say of the counts of people: everyone but the project's
/// team (`Group::is_recipient`, in SQL `store::activities::COUNTED_PERSON_SQL`).
pub const WITHOUT_TEAM: &str = "bez zespołu projektu i partnerów";

/// Minutes to hours, rounded to one decimal place.
pub fn hours_from_minutes(minutes: i64) -> f64 {
    (minutes as f64 / 6.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_accept_iso_dates_and_open_ends() {
        let r = DateRange::parse(Some("2021-03-01"), None);
        assert_eq!(
            r.map(|r| (r.from_key(), r.to_key())),
            Ok(("2021-03-01".into(), "9999-99-99".into()))
        );
        assert!(DateRange::parse(Some(""), Some(" "))
            .map(|r| r.is_open())
            .unwrap_or(false));
    }

    #[test]
    fn ranges_reject_bad_or_reversed_dates() {
        assert_eq!(
            DateRange::parse(Some("2021-13-01"), None),
            Err(RangeError::BadDate("2021-13-01".into()))
        );
        assert_eq!(
            DateRange::parse(Some("wczoraj"), None),
            Err(RangeError::BadDate("wczoraj".into()))
        );
        assert_eq!(
            DateRange::parse(Some("2022-01-02"), Some("2022-01-01")),
            Err(RangeError::Reversed)
        );
    }

    #[test]
    fn hours_are_rounded_to_a_tenth() {
        assert_eq!(hours_from_minutes(90), 1.5);
        assert_eq!(hours_from_minutes(100), 1.7);
        assert_eq!(hours_from_minutes(0), 0.0);
    }
}

/// Public counts of people and cases show no group smaller than this, so
/// that no one can be told from the figures: the officials' network, the
/// people at an activity by group, advisory and interventions.
pub const MIN_GROUP: i64 = 3;

/// A single public count of people: `None` for a group of one or two,
/// which the page shows as "fewer than 3"; nobody (0) is no group.
pub fn shown(n: i64) -> Option<i64> {
    (n == 0 || n >= MIN_GROUP).then_some(n)
}

/// The groups of at least `MIN_GROUP`, and whether any were held back.
/// The page shows the total too, so when only one group is small the
/// smallest of the others is held back with it: otherwise the total less
/// the groups shown would give the small one away.
pub fn large_groups<T>(groups: Vec<(T, i64)>) -> (Vec<(T, i64)>, bool) {
    let all = groups.len();
    let mut shown: Vec<(T, i64)> = groups
        .into_iter()
        .filter(|(_, n)| *n >= MIN_GROUP)
        .collect();
    let small = all - shown.len();
    if small == 1 {
        if let Some(smallest) = (0..shown.len()).min_by_key(|&i| shown[i].1) {
            shown.remove(smallest);
        }
    }
    let held_back = shown.len() < all;
    (shown, held_back)
}

#[cfg(test)]
mod small_groups {
    use super::large_groups;

    #[test]
    fn groups_under_three_are_held_back() {
        let (shown, held) = large_groups(vec![("a", 3), ("b", 2), ("c", 1), ("d", 7)]);
        assert_eq!(shown, vec![("a", 3), ("d", 7)]);
        assert!(held);
        assert_eq!(large_groups(vec![("a", 5)]), (vec![("a", 5)], false));
    }

    #[test]
    fn a_single_count_under_three_is_not_shown() {
        use super::shown;
        assert_eq!(shown(0), Some(0));
        assert_eq!(shown(1), None);
        assert_eq!(shown(2), None);
        assert_eq!(shown(3), Some(3));
    }

    #[test]
    fn a_lone_small_group_takes_the_next_smallest_with_it() {
        // 4 + 3 + 2 = 9 is shown as the total: showing 4 and 3 would give
        // the 2 away.
        let (shown, held) = large_groups(vec![("a", 4), ("b", 3), ("c", 2)]);
        assert_eq!(shown, vec![("a", 4)]);
        assert!(held);
        assert_eq!(large_groups(vec![("a", 1)]), (vec![], true));
    }
}
