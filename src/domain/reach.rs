//! Distinct people (and local governments) over any date range, exactly,
//! from summaries whose read does not grow with the records.
//!
//! Each person (the "subject") has, per facet, the days on which they
//! attended something that counts (a JST: the days its local work held
//! an activity; `Facet`). A *point* is one such day together
//! with the person's previous such day (`prev`, none for the first). A
//! person attended within `[lo, hi]` exactly when one of their points has
//! `lo <= day <= hi` and `prev < lo` — the first of their days in the
//! range — so the distinct people of a range are the points counted by
//! that condition: a two-dimensional count.
//!
//! The count is kept at two grains, month and day (`Level`): per point,
//! one row each for (month of the day, month of prev), (prev, month of the
//! day) and (day, month of prev), summed per key; the points themselves
//! give the finest grain. Each row's first key is the one a read narrows
//! to a few values (a month, a day of the range's first or last month), so
//! that an index on (first, second) reads only what is counted. `Plan` splits a range into four parts, each a
//! bounded read: whole months in the middle, and the days of the range in
//! its first and last month; prev before the first month, or in it. What
//! is read grows with the length of the range in months and days, never
//! with the number of people or attendances.
//!
//! Keys are text, as dates are stored: a month `YYYY-MM`, a day
//! `YYYY-MM-DD`, and `""` (before every key) for no previous day.

use jiff::civil::Date;

use super::activity::ActivityKind;

/// What a count of distinct subjects is over (`domain::stats`): everyone
/// reached, the people at trainings, the people at events — each person
/// a subject, their days those they attended — and the local governments
/// with local cooperation work, each JST a subject, its days those on
/// which an activity of its local work was held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facet {
    People,
    Training,
    Event,
    LocalGovernment,
}

impl Facet {
    /// The facets whose subjects are people, from their attendance.
    pub const ATTENDED: [Facet; 3] = [Facet::People, Facet::Training, Facet::Event];

    /// Whether attendance at an activity of `kind` counts in this facet.
    pub fn includes(self, kind: ActivityKind) -> bool {
        match self {
            Facet::People => true,
            Facet::Training => kind.is_training(),
            Facet::Event => kind.is_event(),
            Facet::LocalGovernment => false,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Facet::People => "people",
            Facet::Training => "training",
            Facet::Event => "event",
            Facet::LocalGovernment => "jst",
        }
    }
}

/// The grain of a summary row: (day key, prev key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// (month of the day, month of prev)
    MonthMonth,
    /// (prev, month of the day)
    PrevMonth,
    /// (day, month of prev)
    DayMonth,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::MonthMonth, Level::PrevMonth, Level::DayMonth];

    pub fn code(self) -> &'static str {
        match self {
            Level::MonthMonth => "mm",
            Level::PrevMonth => "pm",
            Level::DayMonth => "dm",
        }
    }
}

/// A day a subject attended and the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Point {
    pub day: Date,
    pub prev: Option<Date>,
}

impl Point {
    pub fn day_key(&self) -> String {
        self.day.to_string()
    }

    pub fn prev_key(&self) -> String {
        self.prev.map(|d| d.to_string()).unwrap_or_default()
    }

    /// The summary rows this point adds one to.
    pub fn cells(&self) -> [(Level, String, String); 3] {
        let prev_month = self.prev.map(month_key).unwrap_or_default();
        [
            (Level::MonthMonth, month_key(self.day), prev_month.clone()),
            (Level::PrevMonth, self.prev_key(), month_key(self.day)),
            (Level::DayMonth, self.day_key(), prev_month),
        ]
    }
}

/// The points of one subject from the days they attended (in any order,
/// repeats allowed).
pub fn points(days: &[Date]) -> Vec<Point> {
    let mut days = days.to_vec();
    days.sort_unstable();
    days.dedup();
    let mut prev = None;
    days.into_iter()
        .map(|day| {
            let p = Point { day, prev };
            prev = Some(day);
            p
        })
        .collect()
}

pub fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Days `[from, to]`, inclusive, as keys: the range's days in its first or
/// last month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
}

/// The four reads that count the distinct subjects of `[lo, hi]`; each
/// sums `n` over the rows its condition selects (for the finest grain,
/// counts the points).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The first month (`L`) and last month (`H`) of the range.
    pub first_month: String,
    pub last_month: String,
    /// The range's first day and the first day of its first month.
    pub lo: String,
    pub month_start: String,
    /// The range's days in its first month, and in its last month when
    /// that is another.
    pub edges: Vec<Edge>,
}

impl Plan {
    /// `None` for an empty range.
    pub fn new(lo: Date, hi: Date) -> Option<Plan> {
        if lo > hi {
            return None;
        }
        let first_end = lo.last_of_month().min(hi);
        let mut edges = vec![Edge {
            from: lo.to_string(),
            to: first_end.to_string(),
        }];
        if month_key(hi) != month_key(lo) {
            edges.push(Edge {
                from: hi.first_of_month().to_string(),
                to: hi.to_string(),
            });
        }
        Some(Plan {
            first_month: month_key(lo),
            last_month: month_key(hi),
            lo: lo.to_string(),
            month_start: lo.first_of_month().to_string(),
            edges,
        })
    }

    /// Whether a summary row of `level` keyed (`d`, `p`) is in the count:
    /// the conditions the store writes in SQL, for tests.
    pub fn selects(&self, level: Level, d: &str, p: &str) -> bool {
        let middle = |m: &str| m > self.first_month.as_str() && m < self.last_month.as_str();
        match level {
            Level::MonthMonth => middle(d) && p < self.first_month.as_str(),
            Level::PrevMonth => d >= self.month_start.as_str() && d < self.lo.as_str() && middle(p),
            Level::DayMonth => self.on_edge(d) && p < self.first_month.as_str(),
        }
    }

    /// The days of the first month before the range: the previous days of
    /// the points counted at the finest grain (none when the range starts
    /// on the first of a month).
    pub fn prev_days(&self) -> Vec<String> {
        let (Ok(first), Ok(lo)) = (self.month_start.parse::<Date>(), self.lo.parse::<Date>())
        else {
            return Vec::new();
        };
        first
            .series(jiff::Span::new().days(1))
            .take_while(|d| *d < lo)
            .map(|d| d.to_string())
            .collect()
    }

    /// Whether a point is counted at the finest grain: on an edge, its
    /// previous day one of `prev_days`.
    pub fn selects_point(&self, day: &str, prev: &str) -> bool {
        self.on_edge(day) && self.prev_days().iter().any(|d| d == prev)
    }

    fn on_edge(&self, d: &str) -> bool {
        self.edges
            .iter()
            .any(|e| d >= e.from.as_str() && d <= e.to.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn day(base: Date, n: u32) -> Date {
        base.checked_add(jiff::Span::new().days(i64::from(n)))
            .unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn points_chain_each_day_to_the_one_before() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let p = points(&[d("2023-05-02"), d("2023-01-01"), d("2023-05-02")]);
        assert_eq!(
            p,
            vec![
                Point {
                    day: d("2023-01-01"),
                    prev: None
                },
                Point {
                    day: d("2023-05-02"),
                    prev: Some(d("2023-01-01"))
                },
            ]
        );
        assert_eq!(p[0].prev_key(), "");
        assert_eq!(
            p[1].cells()[0],
            (Level::MonthMonth, "2023-05".into(), "2023-01".into())
        );
    }

    proptest! {
        /// People attend on a few days over three years or three months
        /// (some often, some once); every range, also past the last day,
        /// counts through the plan what a scan of their days counts.
        #[test]
        fn the_plan_counts_what_a_scan_of_the_attendance_counts(
            span in prop::sample::select(vec![90u32, 1_100]),
            people in prop::collection::vec(prop::collection::vec(0u32..1_100, 1..8), 1..60),
            ranges in prop::collection::vec((0u32..1_130, 0u32..1_130), 1..50),
        ) {
            let base: Date = date(2021, 1, 1);
            let people: Vec<Vec<Date>> = people
                .iter()
                .map(|days| days.iter().map(|n| day(base, n % span)).collect())
                .collect();
            let mut cells: HashMap<(Level, String, String), i64> = HashMap::new();
            let mut all_points = Vec::new();
            for days in &people {
                for p in points(days) {
                    for c in p.cells() {
                        *cells.entry(c).or_default() += 1;
                    }
                    all_points.push(p);
                }
            }
            for (a, b) in ranges {
                let (a, b) = (day(base, a % (span + 30)), day(base, b % (span + 30)));
                let (lo, hi) = (a.min(b), a.max(b));
                let expected = people
                    .iter()
                    .filter(|days| days.iter().any(|d| *d >= lo && *d <= hi))
                    .count() as i64;
                let plan = Plan::new(lo, hi).unwrap_or_else(|| unreachable!());
                let summed: i64 = cells
                    .iter()
                    .filter(|((l, d, p), _)| plan.selects(*l, d, p))
                    .map(|(_, n)| n)
                    .sum::<i64>()
                    + all_points
                        .iter()
                        .filter(|p| plan.selects_point(&p.day_key(), &p.prev_key()))
                        .count() as i64;
                prop_assert_eq!(summed, expected, "{}..{}", lo, hi);
            }
        }
    }

    #[test]
    fn an_empty_range_has_no_plan() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert!(Plan::new(d("2023-02-02"), d("2023-02-01")).is_none());
        let one = Plan::new(d("2023-02-01"), d("2023-02-01")).unwrap();
        assert_eq!(one.edges.len(), 1);
    }
}
