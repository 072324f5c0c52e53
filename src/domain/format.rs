//! Polish presentation of numbers and dates.
//!
//! Pages show numbers with a non-breaking space between thousands and a
//! decimal comma, and dates as "8 września 2023".

use jiff::civil::Date;

const MONTHS_GENITIVE: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

/// 1234567 → "1 234 567" (with U+00A0 between groups).
pub fn integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// 1234.5 → "1 234,5"; whole numbers have no decimal part.
pub fn decimal(x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    let whole = integer(tenths / 10);
    match (tenths % 10).abs() {
        0 => whole,
        d => format!("{whole},{d}"),
    }
}

/// 2023-09-08 → "8 września 2023".
const MONTHS_NOMINATIVE: [&str; 12] = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
];

/// "marzec 2024".
pub fn month_year(d: Date) -> String {
    format!("{} {}", MONTHS_NOMINATIVE[month_index(d)], d.year())
}

pub fn date(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS_GENITIVE[month_index(d)],
        d.year()
    )
}

/// A span of days: "19–21 maja 2021", "30 maja – 2 czerwca 2021", or one date.
pub fn date_span(start: Date, end: Date) -> String {
    if start == end {
        date(start)
    } else if start.year() == end.year() && start.month() == end.month() {
        format!("{}–{}", start.day(), date(end))
    } else {
        format!("{} – {}", date(start), date(end))
    }
}

fn month_index(d: Date) -> usize {
    usize::try_from(d.month() - 1).unwrap_or(0).min(11)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn numbers_are_grouped_the_polish_way() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1\u{a0}000");
        assert_eq!(integer(-1234567), "-1\u{a0}234\u{a0}567");
        assert_eq!(decimal(1234.5), "1\u{a0}234,5");
        assert_eq!(decimal(104.0), "104");
    }

    #[test]
    fn dates_use_the_genitive_month() {
        assert_eq!(date(d(2023, 9, 8)), "8 września 2023");
        assert_eq!(date_span(d(2021, 5, 19), d(2021, 5, 21)), "19–21 maja 2021");
    }
}
