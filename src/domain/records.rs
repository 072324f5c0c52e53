//! The records staff keep, as they come from a form: each `…Form` holds
//! the raw text (kept to show again on error), `validate` gives the typed
//! record or Polish messages per field. Checks that need the database
//! (does this JST exist, is this NIP taken) are made by the caller.

use serde::Deserialize;

use super::activity::{ActivityKind, ActivityStatus, Audience, Gender, Group};
use super::format::nouns;
use super::identifiers;

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

/// An organisation as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
    pub legal_form: String,
    pub krs: String,
    pub nip: String,
    pub regon: String,
    pub address: String,
    /// A TERYT code or a name, resolved by the caller.
    pub local_government: String,
    pub is_opp: Option<String>,
    pub areas: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub name: String,
    pub legal_form: LegalForm,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    pub address: String,
    pub is_opp: bool,
    pub areas: String,
}

impl OrganisationForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Organisation> {
        let name = required(errors, "name", &self.name, 300);
        let legal_form = choice(errors, "legal_form", &self.legal_form, LegalForm::from_code);
        let krs = identifier(
            errors,
            "krs",
            &self.krs,
            identifiers::krs,
            "Numer KRS to do 10 cyfr.",
        );
        let nip = identifier(
            errors,
            "nip",
            &self.nip,
            identifiers::nip,
            "Ten NIP jest nieprawidłowy (10 cyfr, cyfra kontrolna się nie zgadza).",
        );
        let regon = identifier(
            errors,
            "regon",
            &self.regon,
            identifiers::regon,
            "Ten REGON jest nieprawidłowy (9 lub 14 cyfr, cyfra kontrolna się nie zgadza).",
        );
        let address = optional(errors, "address", &self.address, 300);
        let areas = optional(errors, "areas", &self.areas, 500);
        optional(errors, "local_government", &self.local_government, 100);
        Some(Organisation {
            name,
            legal_form: legal_form?,
            krs,
            nip,
            regon,
            address,
            is_opp: checked(&self.is_opp),
            areas,
        })
        .filter(|_| errors.is_empty())
    }
}

/// A person as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub gender: String,
    pub group: String,
    /// An organisation's number or name, resolved by the caller.
    pub organisation: String,
    /// A JST's TERYT code or name, resolved by the caller.
    pub local_government: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: String,
    pub gender: Gender,
    pub group: Group,
}

impl PersonForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Person> {
        let first_name = required(errors, "first_name", &self.first_name, 100);
        let last_name = required(errors, "last_name", &self.last_name, 100);
        let email = email(errors, "email", &self.email);
        let phone = phone(errors, "phone", &self.phone);
        let gender = if self.gender.trim().is_empty() {
            Some(Gender::Undisclosed)
        } else {
            choice(errors, "gender", &self.gender, Gender::from_code)
        };
        let group = choice(errors, "group", &self.group, Group::from_code);
        optional(errors, "organisation", &self.organisation, 300);
        optional(errors, "local_government", &self.local_government, 100);
        Some(Person {
            first_name,
            last_name,
            email: (!email.is_empty()).then_some(email),
            phone,
            gender: gender?,
            group: group?,
        })
        .filter(|_| errors.is_empty())
    }
}

/// The office of a JST, as typed into the form.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct OfficeForm {
    /// The organ letters go to ("Prezydent Miasta Otwocka"); empty: the
    /// one of the JST's kind (`domain::organ`).
    pub organ: String,
    /// The office's own name ("Starostwo Powiatowe w Płońsku"); empty: the
    /// one of the JST's kind.
    pub office_name: String,
    /// The postal address, one line each.
    pub address: String,
    pub email: String,
    pub website: String,
    pub bip: String,
    pub notes: String,
}

fn web_address(errors: &mut FieldErrors, field: &'static str, value: &str) -> String {
    let v = value.trim();
    if !(v.is_empty() || v.starts_with("https://") || v.starts_with("http://")) {
        errors.add(field, "Adres strony zaczyna się od https:// lub http://.");
    }
    optional(errors, field, v, 300)
}

impl OfficeForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<OfficeForm> {
        let office = OfficeForm {
            organ: optional(errors, "organ", &self.organ, 200),
            office_name: optional(errors, "office_name", &self.office_name, 200),
            address: optional(errors, "address", &self.address, 300),
            email: email(errors, "email", &self.email),
            website: web_address(errors, "website", &self.website),
            bip: web_address(errors, "bip", &self.bip),
            notes: optional(errors, "notes", &self.notes, 5000),
        };
        errors.is_empty().then_some(office)
    }
}

/// An activity as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub title: String,
    pub topic: String,
    pub summary_md: String,
    pub starts_on: String,
    pub ends_on: String,
    pub start_time: String,
    pub duration_minutes: String,
    pub online: Option<String>,
    pub venue: String,
    pub local_government: String,
    pub audience: String,
    pub capacity: String,
    pub co_organiser: String,
    pub trainer_account_id: String,
    /// The last day to register; empty: the first day of the activity.
    pub registration_closes_on: String,
    /// The link of an online event, sent only to people with a place.
    pub online_link: String,
    /// planned, held or cancelled; empty keeps what is recorded (a new
    /// activity is planned).
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    pub kind: ActivityKind,
    /// `None`: unchanged (planned for a new activity).
    pub status: Option<ActivityStatus>,
    pub title: String,
    pub topic: String,
    pub summary_md: String,
    pub starts_on: String,
    pub ends_on: String,
    pub start_time: String,
    pub duration_minutes: i64,
    pub online: bool,
    pub venue: String,
    pub audience: Audience,
    pub capacity: Option<i64>,
    pub co_organiser: Option<String>,
    pub trainer_account_id: Option<i64>,
    pub registration_closes_on: Option<String>,
    pub online_link: Option<String>,
}

impl ActivityForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Activity> {
        let kind = choice(errors, "kind", &self.kind, ActivityKind::from_code);
        let title = required(errors, "title", &self.title, 300);
        let topic = optional(errors, "topic", &self.topic, 300);
        let summary_md = optional(errors, "summary_md", &self.summary_md, 20_000);
        let starts_on = date(errors, "starts_on", &self.starts_on);
        let ends_on = if self.ends_on.trim().is_empty() {
            starts_on.clone()
        } else {
            date(errors, "ends_on", &self.ends_on)
        };
        if errors.get("starts_on").is_empty()
            && errors.get("ends_on").is_empty()
            && ends_on < starts_on
        {
            errors.add(
                "ends_on",
                "Data zakończenia nie może być wcześniejsza niż data rozpoczęcia.",
            );
        }
        let start_time = self.start_time.trim().to_owned();
        if !start_time.is_empty() && start_time.parse::<jiff::civil::Time>().is_err() {
            errors.add("start_time", "Podaj godzinę w postaci GG:MM, np. 10:00.");
        }
        let duration_minutes = number(errors, "duration_minutes", &self.duration_minutes, 100_000);
        if self.duration_minutes.trim().is_empty() {
            errors.add("duration_minutes", "To pole jest wymagane.");
        }
        let online = checked(&self.online);
        let venue = optional(errors, "venue", &self.venue, 300);
        if !online && venue.is_empty() {
            errors.add(
                "venue",
                "Podaj miejsce albo zaznacz, że wydarzenie jest online.",
            );
        }
        optional(errors, "local_government", &self.local_government, 100);
        let audience = choice(errors, "audience", &self.audience, Audience::from_code);
        let capacity = number(errors, "capacity", &self.capacity, 100_000);
        let co_organiser = optional(errors, "co_organiser", &self.co_organiser, 300);
        let trainer = number(
            errors,
            "trainer_account_id",
            &self.trainer_account_id,
            i64::MAX,
        );
        let closes = self.registration_closes_on.trim();
        let registration_closes_on = if closes.is_empty() {
            None
        } else {
            let d = date(errors, "registration_closes_on", closes);
            if errors.get("registration_closes_on").is_empty()
                && errors.get("ends_on").is_empty()
                && d > ends_on
            {
                errors.add(
                    "registration_closes_on",
                    "Zapisy nie mogą trwać dłużej niż samo wydarzenie.",
                );
            }
            Some(d)
        };
        let link = web_address(errors, "online_link", &self.online_link);
        let status = match self.status.trim() {
            "" => None,
            s => choice(errors, "status", s, ActivityStatus::from_code),
        };
        Some(Activity {
            status,
            registration_closes_on,
            online_link: (!link.is_empty()).then_some(link),
            kind: kind?,
            title,
            topic,
            summary_md,
            starts_on,
            ends_on,
            start_time,
            duration_minutes: duration_minutes.unwrap_or(0),
            online,
            venue,
            audience: audience?,
            capacity,
            co_organiser: (!co_organiser.is_empty()).then_some(co_organiser),
            trainer_account_id: trainer,
        })
        .filter(|_| errors.is_empty())
    }
}

/// A trip as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct TripForm {
    pub travelled_on: String,
    pub route: String,
    pub kilometres: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trip {
    pub travelled_on: String,
    pub route: String,
    pub kilometres: i64,
}

impl TripForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<Trip> {
        let travelled_on = date(errors, "travelled_on", &self.travelled_on);
        let route = required(errors, "route", &self.route, 300);
        let kilometres = number(errors, "kilometres", &self.kilometres, 10_000);
        if self.kilometres.trim().is_empty() {
            errors.add("kilometres", "To pole jest wymagane.");
        }
        Some(Trip {
            travelled_on,
            route,
            kilometres: kilometres?,
        })
        .filter(|_| errors.is_empty())
    }
}

/// A page of the site as typed into the form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageForm {
    pub slug: String,
    pub title: String,
    pub body_md: String,
}

impl PageForm {
    pub fn validate(&self, errors: &mut FieldErrors) -> Option<PageForm> {
        let slug = required(errors, "slug", &self.slug, 100);
        if !slug.is_empty()
            && !slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            errors.add(
                "slug",
                "Adres może zawierać tylko małe litery bez polskich znaków, cyfry i myślniki.",
            );
        }
        let page = PageForm {
            slug,
            title: required(errors, "title", &self.title, 300),
            body_md: optional(errors, "body_md", &self.body_md, 100_000),
        };
        errors.is_empty().then_some(page)
    }
}

/// One item of an event's programme, as typed (and, validated, as kept).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct AgendaItem {
    pub day: String,
    pub starts_at: String,
    pub title: String,
    /// Who speaks, with a short note each: "Anna Nowak — radna; …".
    pub speakers: String,
}

impl AgendaItem {
    /// Checks an item of an activity held from `first` to `last` (dates).
    pub fn validate(
        &self,
        first: &str,
        last: &str,
        errors: &mut FieldErrors,
    ) -> Option<AgendaItem> {
        let day = date(errors, "day", &self.day);
        if errors.get("day").is_empty() && (day.as_str() < first || day.as_str() > last) {
            errors.add("day", "Ten dzień nie należy do wydarzenia.");
        }
        let starts_at = self.starts_at.trim().to_owned();
        if starts_at.parse::<jiff::civil::Time>().is_err() || starts_at.len() != 5 {
            errors.add("starts_at", "Podaj godzinę w postaci GG:MM, np. 10:00.");
        }
        let item = AgendaItem {
            day,
            starts_at,
            title: required(errors, "title", &self.title, 300),
            speakers: optional(errors, "speakers", &self.speakers, 2000),
        };
        errors.is_empty().then_some(item)
    }
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
