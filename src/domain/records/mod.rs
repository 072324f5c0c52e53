//! The records staff keep, as they come from a form: each `…Form` holds
//! the raw text (kept to show again on error), `validate` gives the typed
//! record or Polish messages per field. Checks that need the database
//! (does this JST exist, is this NIP taken) are made by the caller.

use super::format::nouns;

mod activity;
mod agenda;
mod monitoring;
mod office;
mod organisation;
mod page;
mod person;
mod trip;

pub use activity::*;
pub use agenda::*;
pub use monitoring::{
    MonitoringForm, CSV_COLUMNS as MONITORING_CSV_COLUMNS, ELEMENTS, ELEMENT_FIELDS,
};
pub use office::*;
pub use organisation::*;
pub use page::*;
pub use person::*;
pub use trip::*;

/// What a form sent with a control character (NUL, escape, …) is told;
/// nothing of it is kept.
pub const CONTROL_CHARACTERS: &str =
    "Formularz zawiera niedozwolone znaki sterujące (na przykład znak o kodzie 0). \
     Usuń je (najłatwiej wpisując tekst ponownie, zamiast go wklejać) i wyślij formularz jeszcze raz.";

/// Whether text holds a character no form field may: U+0000–U+001F other
/// than tab, line feed and carriage return, U+007F, and the C1 controls
/// U+0080–U+009F.
pub fn has_control_character(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Polish messages per form field, in the order the fields were checked,
/// and for a field whose answer could mean several records, those records
/// as choices (value, label).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(
    Vec<(&'static str, String)>,
    Vec<(&'static str, Vec<(String, String)>)>,
);

impl FieldErrors {
    /// Offers the records a field's answer could mean, to pick one.
    pub fn offer(&mut self, field: &'static str, choices: Vec<(String, String)>) {
        self.1.push((field, choices));
    }

    /// The choices offered for a field, empty when none.
    pub fn choices(&self, field: &str) -> &[(String, String)] {
        self.1
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[])
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The message for a field, empty when it is fine.
    pub fn get(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[(&'static str, String)] {
        &self.0
    }
}

vocabulary! {
    /// Legal forms of the organisations the programme works with.
    LegalForm {
        Association => "stowarzyszenie", "stowarzyszenie";
        SimpleAssociation => "stowarzyszenie_zwykle", "stowarzyszenie zwykłe";
        Foundation => "fundacja", "fundacja";
        RuralWomen => "kgw", "koło gospodyń wiejskich";
        SchoolSports => "uks", "uczniowski klub sportowy";
        SocialCooperative => "spoldzielnia_socjalna", "spółdzielnia socjalna";
        Other => "inna", "inna forma";
    }
}

vocabulary! {
    /// The role a person has where they work.
    AffiliationRole {
        NgoLeader => "ngo_leader", "liderka lub lider organizacji";
        Official => "official", "urzędniczka lub urzędnik";
        Authority => "authority", "władze samorządowe";
        Councillor => "councillor", "radna lub radny";
        Other => "other", "inna rola";
    }
}

/// The longest text each kind of field takes, in characters: a person's
/// or an account's name (each of first and last name takes half);
/// an e-mail address (RFC 5321); a title, an organisation's name, an
/// address and other one-line texts; a long text (a description, a
/// summary, a note); what is typed into a search box or to find a record.
pub const MAX_NAME: usize = 200;
pub const MAX_EMAIL: usize = 254;
pub const MAX_TITLE: usize = 300;
pub const MAX_TEXT: usize = 20_000;
pub const MAX_SEARCH: usize = 200;

/// The message of a field longer than `max` characters; the form names
/// the field beside it ("Imię: Najwyżej 100 znaków.").
pub fn too_long(max: usize) -> String {
    format!("Najwyżej {max} {}.", nouns::CHARACTER.form(max as i64))
}

/// Trimmed text, or a message when it is empty or too long. (Control
/// characters never get here: forms, addresses and imported files are
/// refused whole before, see `web::extract`.)
pub(crate) fn required(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "To pole jest wymagane.");
    } else if v.chars().count() > max {
        errors.add(field, too_long(max));
    }
    v.to_owned()
}

/// Trimmed text that may be empty, or a message when too long.
pub(crate) fn optional(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: usize,
) -> String {
    let v = value.trim();
    if v.chars().count() > max {
        errors.add(field, too_long(max));
    }
    v.to_owned()
}

/// A checked identifier, `None` when left empty.
fn identifier(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    check: fn(&str) -> Option<String>,
    message: &str,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let checked = check(v);
    if checked.is_none() {
        errors.add(field, message);
    }
    checked
}

/// A plain address `local@domain`, as mail is delivered to it: the local
/// part a dot-atom (letters, digits and `!#$%&'*+-/=?^_`{|}~`, dots only
/// between them), the domain dot-separated labels of letters, digits and
/// hyphens with at least one dot. No quotes, angle brackets, display
/// names, comments, spaces or control characters: every other spelling of
/// a mailbox would let one mailbox pass for several. Whether it exists
/// only a message can tell.
pub fn email_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let atom = |part: &str, allowed: &dyn Fn(char) -> bool| {
        !part.is_empty()
            && part
                .split('.')
                .all(|w| !w.is_empty() && w.chars().all(allowed))
    };
    let local_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let label_char = |c: char| c.is_alphanumeric() || c == '-';
    atom(local, &local_char)
        && local.len() <= 64
        && atom(domain, &label_char)
        && domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.starts_with('-') && !l.ends_with('-') && l.len() <= 63)
        && email.len() <= MAX_EMAIL
}

/// An address as stored: trimmed and lower-cased (the domain is
/// case-insensitive, and the local part is treated so too), so that one
/// mailbox is one address.
pub fn normal_email(value: &str) -> String {
    value.trim().to_lowercase()
}

/// A phone number as typed (9–15 digits, spaces, `+`, `-`, brackets), or a
/// message; empty is fine.
pub(crate) fn phone(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let phone = value.trim().to_owned();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.is_empty()
        && (!(9..=15).contains(&digits)
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c)))
    {
        errors.add(
            field,
            "Podaj numer telefonu: 9–15 cyfr, np. +48 600 100 200.",
        );
    }
    phone
}

/// An optional e-mail address in its stored form (`normal_email`), or a
/// message when it is not a plain `local@domain` (`email_ok`).
/// What an e-mail address longer than `MAX_EMAIL` is told.
pub const EMAIL_TOO_LONG: &str = "Adres e-mail może mieć najwyżej 254 znaki.";

pub(crate) fn email(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let v = normal_email(value);
    if v.chars().count() > MAX_EMAIL {
        errors.add(field, EMAIL_TOO_LONG);
    } else if !v.is_empty() && !email_ok(&v) {
        errors.add(field, "Podaj adres e-mail w postaci nazwa@domena.pl.");
    }
    v
}

/// A required e-mail address in its stored form, or a message: the one
/// rule of every e-mail field.
pub(crate) fn required_email(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    if value.trim().is_empty() {
        errors.add(field, "To pole jest wymagane.");
        return String::new();
    }
    email(errors, field, value)
}

pub(crate) fn date(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, "To pole jest wymagane.");
    } else if v.parse::<jiff::civil::Date>().is_err() || v.len() != 10 {
        errors.add(field, "Podaj datę w postaci RRRR-MM-DD, np. 2024-03-15.");
    }
    v.to_owned()
}

pub(crate) fn number(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    max: i64,
) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Some(n),
        _ => {
            errors.add(field, format!("Podaj liczbę całkowitą od 0 do {max}."));
            None
        }
    }
}

pub(crate) fn choice<T: Copy>(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let found = parse(value.trim());
    if found.is_none() {
        errors.add(field, "Wybierz jedną z możliwości.");
    }
    found
}

pub(crate) fn checked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

pub(crate) fn web_address(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let v = value.trim();
    if !(v.is_empty() || v.starts_with("https://") || v.starts_with("http://")) {
        errors.add(field, "Adres strony zaczyna się od https:// lub http://.");
    }
    optional(errors, field, v, 300)
}

/// A slug for a new record: the folded title, dashes between words (a
/// title with no letter or digit: "dzialanie").
pub fn slug(title: &str, suffix: &str) -> String {
    let mut base: String = super::search::fold(title)
        .split([' ', '.', '@'])
        .filter(|w| !w.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    if base.is_empty() {
        base = "dzialanie".to_owned();
    }
    if suffix.is_empty() {
        base
    } else {
        format!("{base}-{suffix}")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn one_mailbox_has_one_accepted_spelling() {
        let mut errors = FieldErrors::default();
        assert_eq!(
            required_email(&mut errors, "email", "  Own@EXAMPLE.org "),
            "own@example.org"
        );
        assert!(errors.is_empty(), "{errors:?}");
        for other in [
            "<own@example.org>",
            "\"own\"@example.org",
            "\"own\\-x\"@example.org",
            "Own <own@example.org>",
            "own@example.org (ja)",
            "own(ja)@example.org",
            "own\u{7}@example.org",
            "own@exa\nmple.org",
            ".own@example.org",
            "o..wn@example.org",
            "own@example",
            "own@-example.org",
            "own@example..org",
            "own@@example.org",
            "own@[127.0.0.1]",
            "<img/src=x/onerror=alert(1)>@x.pl",
            "<img/src=x/onerror=…>@x.pl",
            "a,b@x.pl",
            "a;b@x.pl",
            "a:b@x.pl",
            "a b@x.pl",
            "a@x_y.pl",
        ] {
            let mut errors = FieldErrors::default();
            required_email(&mut errors, "email", other);
            assert!(!errors.is_empty(), "{other} accepted");
        }
        for fine in [
            "o'brien+kurs@example.org",
            "a.b-c_d@sub.example.org",
            "biuro@łódź.pl",
        ] {
            assert!(email_ok(fine), "{fine} refused");
        }
    }
    use super::*;

    #[test]
    fn control_characters_are_found_but_tabs_and_line_ends_are_text() {
        assert!(has_control_character("x@example.org\u{0}x"));
        assert!(has_control_character("a\u{1b}[31m"));
        assert!(has_control_character("\u{7f}"));
        assert!(has_control_character("\u{85}"));
        assert!(!has_control_character(
            "Wiersz 1\r\nWiersz 2\tz tabulatorem\rkoniec"
        ));
        assert!(!has_control_character("Zażółć gęślą jaźń „cytat” — 5 zł"));
    }

    fn org(nip: &str, regon: &str, krs: &str) -> (Option<Organisation>, FieldErrors) {
        let form = OrganisationForm {
            name: "Fundacja Łąka".into(),
            legal_form: "fundacja".into(),
            nip: nip.into(),
            regon: regon.into(),
            krs: krs.into(),
            ..OrganisationForm::default()
        };
        let mut e = FieldErrors::default();
        (form.validate(&mut e), e)
    }

    #[test]
    fn an_organisation_with_valid_identifiers_is_normalised() {
        let (o, e) = org("123-456-32-18", "123456785", "359730");
        assert!(e.is_empty(), "{e:?}");
        let o = o.unwrap_or_else(|| unreachable!());
        assert_eq!(o.nip.as_deref(), Some("1234563218"));
        assert_eq!(o.krs.as_deref(), Some("0000359730"));
    }

    #[test]
    fn each_bad_identifier_gets_its_own_polish_message() {
        let (o, e) = org("1234563217", "192598183", "12345678901");
        assert!(o.is_none());
        assert!(e.get("nip").contains("NIP"));
        assert!(e.get("regon").contains("REGON"));
        assert!(e.get("krs").contains("KRS"));
    }

    #[test]
    fn a_person_needs_names_and_a_group_and_a_sane_email() {
        let form = PersonForm {
            first_name: " ".into(),
            last_name: "Żak".into(),
            email: "nie-adres".into(),
            phone: "12".into(),
            group: "martians".into(),
            ..PersonForm::default()
        };
        let mut e = FieldErrors::default();
        assert!(form.validate(&mut e).is_none());
        for field in ["first_name", "email", "phone", "group"] {
            assert!(!e.get(field).is_empty(), "{field}: {e:?}");
        }
        assert!(e.get("last_name").is_empty());
    }

    #[test]
    fn an_activity_cannot_end_before_it_starts() {
        let form = ActivityForm {
            kind: "training".into(),
            title: "Szkolenie".into(),
            starts_on: "2024-03-02".into(),
            ends_on: "2024-03-01".into(),
            duration_minutes: "360".into(),
            venue: "Płońsk".into(),
            audience: "ngo".into(),
            ..ActivityForm::default()
        };
        let mut e = FieldErrors::default();
        assert!(form.validate(&mut e).is_none());
        assert!(e.get("ends_on").contains("wcześniejsza"), "{e:?}");
    }

    #[test]
    fn slugs_are_folded_titles() {
        assert_eq!(
            slug("Szkolenie: Ustawa o pożytku!", "2024"),
            "szkolenie-ustawa-o-pozytku-2024"
        );
        assert_eq!(slug("💬 — „”", "20270115"), "dzialanie-20270115");
    }

    #[test]
    fn a_field_over_its_limit_is_told_the_limit_in_polish() {
        let mut e = FieldErrors::default();
        required(&mut e, "title", &"ż".repeat(MAX_TITLE), MAX_TITLE);
        optional(&mut e, "summary", &"a".repeat(MAX_TEXT), MAX_TEXT);
        assert!(e.is_empty(), "{e:?}");
        required(&mut e, "title", &"ż".repeat(MAX_TITLE + 1), MAX_TITLE);
        optional(&mut e, "summary", &"a".repeat(MAX_TEXT + 1), MAX_TEXT);
        email(&mut e, "email", &format!("{}@example.org", "a".repeat(250)));
        assert_eq!(e.get("title"), "Najwyżej 300 znaków.");
        assert_eq!(e.get("summary"), "Najwyżej 20000 znaków.");
        assert_eq!(e.get("email"), EMAIL_TOO_LONG);
        assert_eq!(too_long(254), "Najwyżej 254 znaki.");
    }
}
