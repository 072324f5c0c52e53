//! Statutory deadlines: days off under the act on public holidays (ustawa
//! o dniach wolnych od pracy, Dz.U. 1951 nr 4 poz. 28, as amended) and the
//! rule of the Code of Administrative Procedure (KPA art. 57): a deadline in
//! days ends that many days after the event (the day of the event is not
//! counted), one in months on the same day of the month (or the month's
//! last day); a deadline ending on a Saturday or a day off moves to the next
//! day that is neither.
//!
//! The list of holidays follows the law in force in each year: Epiphany
//! (6 January) is a day off from 2011, Christmas Eve (24 December) from
//! 2025 (act of 6 December 2024).

use jiff::civil::{Date, Weekday};
use jiff::{Span, ToSpan};

/// A holiday on a fixed day of the year, from the year the law made it one.
struct Fixed {
    month: i8,
    day: i8,
    since: i16,
    name: &'static str,
}

const FIXED: &[Fixed] = &[
    Fixed {
        month: 1,
        day: 1,
        since: 1951,
        name: "Nowy Rok",
    },
    Fixed {
        month: 1,
        day: 6,
        since: 2011,
        name: "Święto Trzech Króli",
    },
    Fixed {
        month: 5,
        day: 1,
        since: 1951,
        name: "Święto Państwowe (1 Maja)",
    },
    Fixed {
        month: 5,
        day: 3,
        since: 1990,
        name: "Święto Narodowe Trzeciego Maja",
    },
    Fixed {
        month: 8,
        day: 15,
        since: 1989,
        name: "Wniebowzięcie Najświętszej Maryi Panny",
    },
    Fixed {
        month: 11,
        day: 1,
        since: 1951,
        name: "Wszystkich Świętych",
    },
    Fixed {
        month: 11,
        day: 11,
        since: 1989,
        name: "Narodowe Święto Niepodległości",
    },
    Fixed {
        month: 12,
        day: 24,
        since: 2025,
        name: "Wigilia Bożego Narodzenia",
    },
    Fixed {
        month: 12,
        day: 25,
        since: 1951,
        name: "Boże Narodzenie (pierwszy dzień)",
    },
    Fixed {
        month: 12,
        day: 26,
        since: 1951,
        name: "Boże Narodzenie (drugi dzień)",
    },
];

/// Movable holidays: days after Easter Sunday.
const MOVABLE: &[(i16, &str)] = &[
    (0, "Wielkanoc"),
    (1, "Poniedziałek Wielkanocny"),
    (49, "Zielone Świątki"),
    (60, "Boże Ciało"),
];

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm of
/// Meeus, Jones and Butcher).
pub fn easter(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // Always a date in March or April.
    Date::new(year, month as i8, day as i8).unwrap_or_default()
}

/// The public holidays of `year` by the law in force then, in date order,
/// with their names.
pub fn holidays(year: i16) -> Vec<(Date, &'static str)> {
    let mut all: Vec<(Date, &'static str)> = FIXED
        .iter()
        .filter(|f| year >= f.since)
        .filter_map(|f| Date::new(year, f.month, f.day).ok().map(|d| (d, f.name)))
        .collect();
    let sunday = easter(year);
    all.extend(MOVABLE.iter().filter_map(|(after, name)| {
        sunday
            .checked_add(i64::from(*after).days())
            .ok()
            .map(|d| (d, *name))
    }));
    all.sort_by_key(|(d, _)| *d);
    all
}

/// A statutory day off: a Sunday or a public holiday.
pub fn is_day_off(d: Date) -> bool {
    d.weekday() == Weekday::Sunday || holidays(d.year()).iter().any(|(h, _)| *h == d)
}

/// A day on which a deadline may end: neither a Saturday nor a day off.
pub fn is_working_day(d: Date) -> bool {
    d.weekday() != Weekday::Saturday && !is_day_off(d)
}

/// `d` if a deadline may end on it, else the next day that it may.
pub fn next_working_day(d: Date) -> Date {
    let mut day = d;
    while !is_working_day(day) {
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => return day,
        }
    }
    day
}

/// The last day of a deadline of `days` days from `from` (KPA art. 57 § 1
/// and § 4).
pub fn in_days(from: Date, days: i64) -> Date {
    next_working_day(from.checked_add(days.days()).unwrap_or(from))
}

/// The last day of a deadline of `months` months from `from` (KPA art. 57
/// § 3 and § 4): the same day of the month, or the month's last day.
pub fn in_months(from: Date, months: i64) -> Date {
    next_working_day(from.checked_add(Span::new().months(months)).unwrap_or(from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn easter_falls_on_known_sundays() {
        assert_eq!(easter(2000), date(2000, 4, 23));
        assert_eq!(easter(2019), date(2019, 4, 21));
        assert_eq!(easter(2024), date(2024, 3, 31));
        assert_eq!(easter(2025), date(2025, 4, 20));
        assert_eq!(easter(2026), date(2026, 4, 5));
        assert_eq!(easter(2038), date(2038, 4, 25));
    }

    #[test]
    fn movable_and_fixed_holidays_by_the_law_of_each_year() {
        assert!(is_day_off(date(2025, 4, 21)), "Easter Monday 2025");
        assert!(is_day_off(date(2024, 5, 30)), "Corpus Christi 2024");
        assert!(is_day_off(date(2025, 6, 19)), "Corpus Christi 2025");
        assert!(is_day_off(date(2026, 6, 4)), "Corpus Christi 2026");
        assert!(is_day_off(date(2025, 11, 1)) && is_day_off(date(2025, 11, 11)));
        assert!(!is_day_off(date(2024, 12, 24)), "not yet a holiday in 2024");
        assert!(is_day_off(date(2025, 12, 24)), "a holiday from 2025");
        assert!(is_day_off(date(2024, 12, 25)) && is_day_off(date(2024, 12, 26)));
        assert!(!is_day_off(date(2010, 1, 6)) && is_day_off(date(2011, 1, 6)));
        assert_eq!(holidays(2024).len(), 13);
        assert_eq!(holidays(2025).len(), 14);
    }

    #[test]
    fn a_deadline_ending_on_a_saturday_or_a_holiday_moves_to_the_next_working_day() {
        // 14 days from Saturday 14 November 2026 end on Saturday the 28th.
        assert_eq!(in_days(date(2026, 11, 14), 14), date(2026, 11, 30));
        // Ending on Wednesday 24 December 2025: 24–26 are holidays, then a
        // weekend.
        assert_eq!(in_days(date(2025, 12, 10), 14), date(2025, 12, 29));
        // The same day in 2024 was a working Tuesday.
        assert_eq!(in_days(date(2024, 12, 10), 14), date(2024, 12, 24));
        // Easter Monday 2025, then Tuesday.
        assert_eq!(in_days(date(2025, 4, 7), 14), date(2025, 4, 22));
        // Saturday 1 November 2025 → Monday 3 November.
        assert_eq!(in_days(date(2025, 10, 18), 14), date(2025, 11, 3));
        // A working day stays.
        assert_eq!(in_days(date(2026, 11, 2), 14), date(2026, 11, 16));
    }

    #[test]
    fn a_deadline_in_months_ends_on_the_same_day_or_the_months_last() {
        assert_eq!(
            in_months(date(2026, 3, 16), 2),
            date(2026, 5, 18),
            "16 May 2026 is a Saturday"
        );
        assert_eq!(
            in_months(date(2025, 12, 31), 2),
            date(2026, 3, 2),
            "28 February 2026 is a Saturday"
        );
        assert_eq!(
            in_months(date(2026, 1, 15), 2),
            date(2026, 3, 16),
            "15 March 2026 is a Sunday"
        );
    }

    proptest! {
        #[test]
        fn a_deadline_ends_on_the_first_working_day_from_its_plain_date(
            from in (0i64..36_500).prop_map(|n| date(2000, 1, 1).checked_add(n.days()).unwrap_or_default()),
            days in 0i64..=400,
        ) {
            let plain = from.checked_add(days.days()).unwrap_or(from);
            let end = in_days(from, days);
            prop_assert!(end >= plain);
            prop_assert!(end.weekday() != Weekday::Saturday);
            prop_assert!(end.weekday() != Weekday::Sunday);
            prop_assert!(holidays(end.year()).iter().all(|(h, _)| *h != end));
            let mut day = plain;
            while day < end {
                prop_assert!(!is_working_day(day), "{day} was a working day before {end}");
                day = day.tomorrow().unwrap_or(end);
            }
        }
    }
}
