//! The certificate of attendance ("Zaświadczenie o udziale w szkoleniu"):
//! its verification code and its one-page PDF. The code is random (50
//! bits), printed in two groups of five Crockford base-32 characters, and
//! read back forgivingly (case, dashes, O for 0, I and L for 1).

use super::activity::{has_ended, ActivityKind, ActivityStatus, Gender};
use crate::pdf::{Align, Document, PdfError, Weight, A4};

/// Crockford's base 32: no I, L, O or U, so a code read aloud or retyped
/// survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 10;

/// A new random code, e.g. `7K3QD-M9XA2`.
pub fn new_code() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; CODE_LEN];
    getrandom::fill(&mut bytes)?;
    let raw: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    Ok(format!("{}-{}", &raw[..5], &raw[5..]))
}

/// The canonical form of a typed code, or `None` when it cannot be one.
pub fn normalise(input: &str) -> Option<String> {
    let mut raw = String::with_capacity(CODE_LEN);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\u{a0}' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        raw.push(c);
    }
    (raw.len() == CODE_LEN).then(|| format!("{}-{}", &raw[..5], &raw[5..]))
}

/// "6 godz.", "1,5 godz." (the abbreviation reads right with any number).
pub fn hours(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        format!("{} godz.", tenths / 10)
    } else {
        format!("{},{} godz.", tenths / 10, tenths % 10)
    }
}

/// What follows the participant's name: "wzięła udział w szkoleniu" for a
/// woman, "wziął udział w szkoleniu" for a man (as they declared), and
/// when the gender is not known a phrase whose verb agrees with "osoba",
/// not with the person: "jest osobą, która wzięła udział w szkoleniu".
pub fn took_part(gender: Gender, kind: ActivityKind) -> String {
    let verb = match gender {
        Gender::Female => "wzięła",
        Gender::Male => "wziął",
        Gender::Other | Gender::Undisclosed => "jest osobą, która wzięła",
    };
    let what = match kind {
        ActivityKind::Training => "w szkoleniu",
        ActivityKind::Workshop => "w warsztatach",
        ActivityKind::Meeting => "w spotkaniu",
        ActivityKind::Seminar => "w seminarium",
        ActivityKind::Debate => "w debacie",
        ActivityKind::Conference => "w konferencji",
        ActivityKind::Advisory => "w doradztwie",
    };
    format!("{verb} udział {what}")
}

/// Whether a certificate holds, and if not, the true reason why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Valid,
    /// The activity was cancelled.
    Cancelled,
    /// The activity is not recorded as held (planned, or not yet at its
    /// last day).
    NotHeld,
    /// The activity was held but the person is no longer on its attendance.
    NotPresent,
}

impl Standing {
    /// A certificate is valid while its activity is held and over (today
    /// is its last day or later) and its holder is on the attendance; the
    /// activity's state comes first among the reasons, as it voids the
    /// certificates of everyone.
    pub fn of(
        status: ActivityStatus,
        ends_on: jiff::civil::Date,
        today: jiff::civil::Date,
        present: bool,
    ) -> Standing {
        match status {
            ActivityStatus::Cancelled => Standing::Cancelled,
            ActivityStatus::Planned => Standing::NotHeld,
            ActivityStatus::Held if !has_ended(ends_on, today) => Standing::NotHeld,
            ActivityStatus::Held if !present => Standing::NotPresent,
            ActivityStatus::Held => Standing::Valid,
        }
    }

    /// Why the certificate numbered `code` is not valid, in Polish.
    pub fn reason(self, code: &str) -> Option<String> {
        Some(match self {
            Standing::Valid => return None,
            Standing::Cancelled => format!(
                "Zaświadczenie nr {code} nie jest ważne: działanie, którego dotyczy, zostało odwołane."
            ),
            Standing::NotHeld => format!(
                "Zaświadczenie nr {code} nie jest ważne: działanie, którego dotyczy, nie jest zapisane jako zrealizowane (jest zaplanowane albo jeszcze trwa)."
            ),
            Standing::NotPresent => format!(
                "Zaświadczenie nr {code} zostało unieważnione: tej osoby nie ma już na liście obecności."
            ),
        })
    }
}

/// What the certificate says.
#[derive(Clone, Debug)]
pub struct Certificate {
    pub code: String,
    /// "Anna Żółkiewska".
    pub name: String,
    pub gender: Gender,
    pub kind: ActivityKind,
    pub title: String,
    /// "12 marca 2024".
    pub when: String,
    pub place: String,
    pub duration_minutes: i64,
    pub trainers: Vec<String>,
    pub organiser: String,
    pub funder: String,
    /// The public page that confirms the code.
    pub verify_url: String,
    /// "12 marca 2024".
    pub issued_on: String,
}

impl Certificate {
    /// "o udziale w szkoleniu" or, for events, "o udziale w wydarzeniu".
    fn subtitle(&self) -> &'static str {
        if self.kind.is_training() {
            "o udziale w szkoleniu"
        } else {
            "o udziale w wydarzeniu"
        }
    }

    /// The file name inside a ZIP: code and name without characters that
    /// trouble file systems.
    pub fn file_name(&self) -> String {
        let name: String = self
            .name
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        format!("zaswiadczenie-{}-{name}.pdf", self.code)
    }
}

/// The certificate as a one-page A4 PDF.
pub fn pdf(c: &Certificate) -> Result<Vec<u8>, PdfError> {
    let mut d = Document::new(&format!("Zaświadczenie {}", c.code))?;
    let (w, h) = A4;
    d.rect(28.0, 28.0, w - 56.0, h - 56.0, -1.0);
    d.rect(34.0, 34.0, w - 68.0, h - 68.0, -1.0);
    heading(&mut d, c);
    attendance(&mut d, c);
    closing(&mut d, c);
    d.finish()
}

/// The organiser's mark, the word "ZAŚWIADCZENIE" and what it certifies.
fn heading(d: &mut Document, c: &Certificate) {
    let (w, _) = A4;
    let mid = w / 2.0;
    // The organiser's mark.
    d.rect(70.0, 62.0, w - 140.0, 40.0, 0.93);
    d.text(
        Weight::Regular,
        8.5,
        mid,
        78.0,
        Align::Center,
        "Organizator",
    );
    d.text(Weight::Bold, 11.0, mid, 94.0, Align::Center, &c.organiser);

    d.text(
        Weight::Bold,
        30.0,
        mid,
        190.0,
        Align::Center,
        "ZAŚWIADCZENIE",
    );
    d.text(
        Weight::Regular,
        14.0,
        mid,
        214.0,
        Align::Center,
        c.subtitle(),
    );
}

/// Who took part in what: the name, the activity's title and its facts.
fn attendance(d: &mut Document, c: &Certificate) {
    let (w, _) = A4;
    let mid = w / 2.0;
    let text_width = w - 140.0;
    d.text(
        Weight::Regular,
        12.0,
        mid,
        275.0,
        Align::Center,
        "Zaświadcza się, że",
    );
    let mut y = d.paragraph(
        Weight::Bold,
        22.0,
        70.0,
        315.0,
        text_width,
        Align::Center,
        &c.name,
    );
    y += 8.0;
    d.text(
        Weight::Regular,
        12.0,
        mid,
        y,
        Align::Center,
        &took_part(c.gender, c.kind),
    );
    y = d.paragraph(
        Weight::Bold,
        15.0,
        70.0,
        y + 28.0,
        text_width,
        Align::Center,
        &format!("„{}”", c.title),
    );
    y += 22.0;
    let mut rows = vec![
        ("Termin", c.when.clone()),
        ("Miejsce", c.place.clone()),
        ("Wymiar", hours(c.duration_minutes)),
    ];
    if !c.trainers.is_empty() {
        rows.push(("Prowadzenie", c.trainers.join(", ")));
    }
    for (label, value) in rows {
        d.text(
            Weight::Bold,
            11.0,
            170.0,
            y,
            Align::Right,
            &format!("{label}:"),
        );
        y = d.paragraph(
            Weight::Regular,
            11.0,
            180.0,
            y,
            w - 250.0,
            Align::Left,
            &value,
        ) + 4.0;
    }
}

/// The date of issue, the signature line, the funder's mark and the
/// verification code.
fn closing(d: &mut Document, c: &Certificate) {
    let (w, _) = A4;
    let mid = w / 2.0;
    // Date of issue and the signature line.
    let sign_y = 640.0;
    d.text(
        Weight::Regular,
        10.0,
        70.0,
        sign_y,
        Align::Left,
        &format!("Data wydania: {}", c.issued_on),
    );
    d.line((w - 250.0, sign_y), (w - 70.0, sign_y), 0.6);
    d.text(
        Weight::Regular,
        8.5,
        w - 160.0,
        sign_y + 12.0,
        Align::Center,
        "podpis w imieniu organizatora",
    );

    // The funder's mark and the verification code.
    d.rect(70.0, 672.0, w - 140.0, 66.0, -1.0);
    d.paragraph(
        Weight::Regular,
        8.5,
        80.0,
        688.0,
        w - 160.0,
        Align::Center,
        &c.funder,
    );
    d.text(
        Weight::Bold,
        10.0,
        mid,
        765.0,
        Align::Center,
        &format!("Numer zaświadczenia: {}", c.code),
    );
    d.text(
        Weight::Regular,
        8.5,
        mid,
        779.0,
        Align::Center,
        &format!("Sprawdź autentyczność: {}", c.verify_url),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_certificate_speaks_in_the_participants_gender() {
        assert_eq!(
            took_part(Gender::Female, ActivityKind::Training),
            "wzięła udział w szkoleniu"
        );
        assert_eq!(
            took_part(Gender::Male, ActivityKind::Conference),
            "wziął udział w konferencji"
        );
        for unknown in [Gender::Other, Gender::Undisclosed] {
            let text = took_part(unknown, ActivityKind::Workshop);
            assert_eq!(text, "jest osobą, która wzięła udział w warsztatach");
            assert!(!text.contains('(') && !text.contains('/'), "{text}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn codes_are_two_groups_of_five_and_read_back() {
        let code = new_code().unwrap();
        assert_eq!(code.len(), 11);
        assert_eq!(normalise(&code), Some(code.clone()));
        assert_eq!(
            normalise(&code.to_lowercase().replace('-', " ")),
            Some(code)
        );
        assert_eq!(normalise("o1lI0-abcde"), Some("01110-ABCDE".into()));
        assert_eq!(normalise("ABCDE-ABCD"), None);
        assert_eq!(normalise("ABCDE-ABCDU"), None);
        assert_eq!(normalise("ĄBCDE-ABCDE"), None);
    }

    #[test]
    fn hours_read_in_polish() {
        assert_eq!(hours(360), "6 godz.");
        assert_eq!(hours(90), "1,5 godz.");
        assert_eq!(hours(1080), "18 godz.");
        assert_eq!(hours(50), "0,8 godz.");
    }

    proptest! {
        #[test]
        fn any_text_normalises_to_a_valid_code_or_nothing(s in "\\PC{0,14}") {
            if let Some(code) = normalise(&s) {
                prop_assert_eq!(normalise(&code), Some(code.clone()));
                prop_assert_eq!(code.len(), 11);
            }
        }
    }
}

#[cfg(test)]
mod standing {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_certificate_says_the_true_reason_it_is_void() {
        use ActivityStatus::*;
        let of = |s, p| Standing::of(s, date(2026, 12, 23), date(2027, 1, 5), p);
        assert_eq!(of(Held, true), Standing::Valid);
        assert_eq!(of(Held, false), Standing::NotPresent);
        // The state of the activity is the reason even while the person
        // is still on its attendance.
        assert_eq!(of(Planned, true), Standing::NotHeld);
        assert_eq!(of(Cancelled, true), Standing::Cancelled);
        assert_eq!(of(Cancelled, false), Standing::Cancelled);
        // Before its last day nothing is certified.
        assert_eq!(
            Standing::of(Held, date(2026, 12, 23), date(2026, 12, 2), true),
            Standing::NotHeld
        );
        assert_eq!(Standing::Valid.reason("X"), None);
        let cancelled = Standing::Cancelled
            .reason("7K3QD-M9XA2")
            .unwrap_or_default();
        assert!(cancelled.contains("odwołane"), "{cancelled}");
        let absent = Standing::NotPresent
            .reason("7K3QD-M9XA2")
            .unwrap_or_default();
        assert!(absent.contains("liście obecności"), "{absent}");
    }
}
