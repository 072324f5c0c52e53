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

/// A noun's forms after a number: "1 szkolenie", "2 szkolenia",
/// "5 szkoleń", and after a fraction "1,5 godziny" (the genitive singular,
/// which differs from the plural for masculine nouns: "2,5 kilometra").
/// For phrases in another case give that case's forms: locative
/// `Noun::new("samorządzie", "samorządach", "samorządach", "samorządu")`.
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
    pub fraction: &'static str,
}

impl Noun {
    pub const fn new(
        one: &'static str,
        few: &'static str,
        many: &'static str,
        fraction: &'static str,
    ) -> Noun {
        Noun {
            one,
            few,
            many,
            fraction,
        }
    }

    /// The form that follows the whole number `n`: one for 1, few for
    /// 2–4, 22–24, 102–104… (but not 12–14), many for the rest
    /// (0, 5–21, 25–31, 112…).
    pub fn form(&self, n: i64) -> &'static str {
        let n = n.unsigned_abs();
        let (units, tens) = (n % 10, n % 100);
        if n == 1 {
            self.one
        } else if (2..=4).contains(&units) && !(12..=14).contains(&tens) {
            self.few
        } else {
            self.many
        }
    }

    /// The form that follows `x`: as [`Noun::form`] for whole numbers, the
    /// fraction form when `x` shows a decimal part (to one decimal place,
    /// as [`decimal`] prints it).
    pub fn form_of(&self, x: f64) -> &'static str {
        let tenths = (x * 10.0).round() as i64;
        if tenths % 10 == 0 {
            self.form(tenths / 10)
        } else {
            self.fraction
        }
    }
}

/// "5 szkoleń", "1 234 osoby": the number as [`integer`] prints it and the
/// noun in the form it takes.
pub fn count(n: i64, noun: Noun) -> String {
    format!("{} {}", integer(n), noun.form(n))
}

/// "105,5 godziny", "2 godziny": the number as [`decimal`] prints it and
/// the noun in the form it takes.
pub fn amount(x: f64, noun: Noun) -> String {
    format!("{} {}", decimal(x), noun.form_of(x))
}

/// The locative of a county's name as the register writes it, a masculine
/// adjective ("otwocki", "warszawski zachodni"): "otwockim", "warszawskim
/// zachodnim", for "w powiecie …". Words that are not such adjectives are
/// kept as they are.
pub fn county_locative(adjective: &str) -> String {
    adjective
        .split(' ')
        .map(|word| {
            let lower = word.to_lowercase();
            if lower.len() > 2 && (lower.ends_with('i') || lower.ends_with('y')) {
                format!("{word}m")
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "w powiecie otwockim" for the county "otwocki".
pub fn in_county(adjective: &str) -> String {
    format!("w powiecie {}", county_locative(adjective))
}

/// Nouns the site counts with.
pub mod nouns {
    use super::Noun;
    pub const TRAINING: Noun = Noun::new("szkolenie", "szkolenia", "szkoleń", "szkolenia");
    pub const PERSON: Noun = Noun::new("osoba", "osoby", "osób", "osoby");
    pub const PARTICIPATION: Noun = Noun::new("udział", "udziały", "udziałów", "udziału");
    pub const HOUR: Noun = Noun::new("godzina", "godziny", "godzin", "godziny");
    /// Genitive: "w ciągu 1 godziny", "w ciągu 48 godzin".
    pub const HOUR_GENITIVE: Noun = Noun::new("godziny", "godzin", "godzin", "godziny");
    pub const KILOMETRE: Noun = Noun::new("kilometr", "kilometry", "kilometrów", "kilometra");
    pub const ORGANISATION: Noun =
        Noun::new("organizacja", "organizacje", "organizacji", "organizacji");
    pub const SESSION: Noun = Noun::new("sesja", "sesje", "sesji", "sesji");
    pub const CASE: Noun = Noun::new("sprawa", "sprawy", "spraw", "sprawy");
    pub const DAY: Noun = Noun::new("dzień", "dni", "dni", "dnia");
    pub const PLACE: Noun = Noun::new("miejsce", "miejsca", "miejsc", "miejsca");
    /// Also the accusative: "odpowiedzi na 1 pismo", "na 2 pisma".
    pub const LETTER: Noun = Noun::new("pismo", "pisma", "pism", "pisma");
    pub const RESULT: Noun = Noun::new("wynik", "wyniki", "wyników", "wyniku");
    pub const ROW: Noun = Noun::new("wiersz", "wiersze", "wierszy", "wiersza");
    /// After "co najmniej": "2 litery", "5 liter".
    pub const LETTER_ACCUSATIVE: Noun = Noun::new("literę", "litery", "liter", "litery");
    pub const CHARACTER: Noun = Noun::new("znak", "znaki", "znaków", "znaku");
    pub const OTHER_RECORD: Noun = Noun::new(
        "inny rekord",
        "inne rekordy",
        "innych rekordów",
        "innego rekordu",
    );
    pub const ERROR: Noun = Noun::new("błąd", "błędy", "błędów", "błędu");
    /// Locative: "w 1 samorządzie", "w 6 samorządach".
    pub const IN_LOCAL_GOVERNMENT: Noun =
        Noun::new("samorządzie", "samorządach", "samorządach", "samorządu");
    /// "1 osoba", "2 różne osoby", "225 różnych osób": distinct people,
    /// beside participations.
    pub const DISTINCT_PERSON: Noun =
        Noun::new("osoba", "różne osoby", "różnych osób", "różnej osoby");
    pub const EVENT: Noun = Noun::new("wydarzenie", "wydarzenia", "wydarzeń", "wydarzenia");
    /// Trainings and workshops together: "17 szkoleń i warsztatów".
    pub const TRAINING_OR_WORKSHOP: Noun = Noun::new(
        "szkolenie lub warsztat",
        "szkolenia i warsztaty",
        "szkoleń i warsztatów",
        "szkolenia",
    );
    pub const PARTICIPANT: Noun = Noun::new(
        "uczestniczka lub uczestnik",
        "uczestniczki i uczestnicy",
        "uczestniczek i uczestników",
        "uczestnika",
    );
}

fn month_index(d: Date) -> usize {
    usize::try_from(d.month() - 1).unwrap_or(0).min(11)
}

/// A cell a spreadsheet would run as a formula, prefixed with `'`.
pub fn spreadsheet_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A cell read back from a file `spreadsheet_cell` wrote: its `'` taken off.
pub fn from_spreadsheet_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
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
    fn nouns_take_the_form_their_number_asks_for() {
        use nouns::*;
        let cases = [
            (0, "0 szkoleń"),
            (1, "1 szkolenie"),
            (2, "2 szkolenia"),
            (4, "4 szkolenia"),
            (5, "5 szkoleń"),
            (12, "12 szkoleń"),
            (22, "22 szkolenia"),
            (25, "25 szkoleń"),
            (101, "101 szkoleń"),
            (112, "112 szkoleń"),
            (1002, "1\u{a0}002 szkolenia"),
        ];
        for (n, want) in cases {
            assert_eq!(count(n, TRAINING), want, "{n}");
        }
        assert_eq!(count(1, PERSON), "1 osoba");
        assert_eq!(count(13, PERSON), "13 osób");
        assert_eq!(count(24, PERSON), "24 osoby");
        assert_eq!(amount(105.5, HOUR), "105,5 godziny");
        assert_eq!(amount(0.5, HOUR), "0,5 godziny");
        assert_eq!(amount(2.5, KILOMETRE), "2,5 kilometra");
        assert_eq!(amount(2.0, KILOMETRE), "2 kilometry");
        assert_eq!(amount(105.0, HOUR), "105 godzin");
        assert_eq!(amount(1.04, HOUR), "1 godzina");
        assert_eq!(
            format!("w {}", count(1, IN_LOCAL_GOVERNMENT)),
            "w 1 samorządzie"
        );
        assert_eq!(
            format!("w {}", count(6, IN_LOCAL_GOVERNMENT)),
            "w 6 samorządach"
        );
        assert_eq!(
            format!("w {}", count(2, IN_LOCAL_GOVERNMENT)),
            "w 2 samorządach"
        );
    }

    #[test]
    fn counties_take_the_locative() {
        for (name, want) in [
            ("otwocki", "otwockim"),
            ("płoński", "płońskim"),
            ("łosicki", "łosickim"),
            ("sochaczewski", "sochaczewskim"),
            ("przasnyski", "przasnyskim"),
            ("szydłowiecki", "szydłowieckim"),
            ("nowodworski", "nowodworskim"),
            ("warszawski zachodni", "warszawskim zachodnim"),
        ] {
            assert_eq!(county_locative(name), want);
        }
        assert_eq!(in_county("otwocki"), "w powiecie otwockim");
    }

    #[test]
    fn back_office_nouns_agree_with_their_numbers() {
        use nouns::*;
        assert_eq!(count(0, RESULT), "0 wyników");
        assert_eq!(count(1, RESULT), "1 wynik");
        assert_eq!(count(2, RESULT), "2 wyniki");
        assert_eq!(count(5, RESULT), "5 wyników");
        assert_eq!(count(22, ROW), "22 wiersze");
        assert_eq!(count(112, ROW), "112 wierszy");
        assert_eq!(count(300, CHARACTER), "300 znaków");
        assert_eq!(count(1, OTHER_RECORD), "1 inny rekord");
        assert_eq!(count(3, OTHER_RECORD), "3 inne rekordy");
        assert_eq!(count(2, ERROR), "2 błędy");
    }

    #[test]
    fn dates_use_the_genitive_month() {
        assert_eq!(date(d(2023, 9, 8)), "8 września 2023");
        assert_eq!(date_span(d(2021, 5, 19), d(2021, 5, 21)), "19–21 maja 2021");
    }
}
