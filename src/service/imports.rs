//! The CSV import of organisations and people: the file read into rows,
//! every row checked as its record's form would be and against the file,
//! the database and the staff member's scope, then all imported in one
//! transaction — nothing if any row is invalid.
//!
//! Vocabulary columns accept the code or the Polish label.

use std::collections::{HashMap, HashSet};

use crate::domain::access::{Area, Scope, Staff};
use crate::domain::activity::{Gender, Group};
use crate::domain::identifiers;
use crate::domain::records::{
    email_ok, has_control_character, FieldErrors, LegalForm, OrganisationForm, PersonForm,
};
use crate::service::references;
use crate::store::{organisations, people, Db, Result};

/// The most rows one file may hold.
const MAX_ROWS: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Organisations,
    People,
}

impl What {
    /// What the form's `what` names; the message otherwise.
    pub fn parse(code: &str) -> std::result::Result<What, String> {
        match code {
            "organizacje" => Ok(What::Organisations),
            "osoby" => Ok(What::People),
            _ => Err("Wybierz, co importujesz: organizacje albo osoby.".into()),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            What::Organisations => "organizacje",
            What::People => "osoby",
        }
    }

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            What::Organisations => &[
                "nazwa",
                "forma_prawna",
                "krs",
                "nip",
                "regon",
                "adres",
                "jst",
                "opp",
                "obszary",
            ],
            What::People => &[
                "imie",
                "nazwisko",
                "email",
                "telefon",
                "plec",
                "grupa",
                "organizacja",
                "jst",
            ],
        }
    }

    /// The form's label of a field and the file's column it comes from.
    fn label(self, field: &str) -> (&'static str, &'static str) {
        match (self, field) {
            (What::Organisations, "name") => ("Nazwa", "nazwa"),
            (What::Organisations, "legal_form") => ("Forma prawna", "forma_prawna"),
            (What::Organisations, "krs") => ("Numer KRS", "krs"),
            (What::Organisations, "nip") => ("NIP", "nip"),
            (What::Organisations, "regon") => ("REGON", "regon"),
            (What::Organisations, "address") => ("Adres", "adres"),
            (What::Organisations, "areas") => ("Obszary działalności", "obszary"),
            (What::Organisations, "is_opp") => ("Status OPP", "opp"),
            (What::People, "first_name") => ("Imię", "imie"),
            (What::People, "last_name") => ("Nazwisko", "nazwisko"),
            (What::People, "email") => ("E-mail", "email"),
            (What::People, "phone") => ("Telefon", "telefon"),
            (What::People, "gender") => ("Płeć", "plec"),
            (What::People, "group") => ("Grupa", "grupa"),
            (What::People, "organisation") => ("Organizacja", "organizacja"),
            (_, "local_government") => ("JST", "jst"),
            _ => ("", ""),
        }
    }

    /// "Płeć (kolumna plec): Wpisz jedną z wartości: kobieta, mężczyzna, …"
    /// A file has no list to pick from, so a closed list's message names
    /// what may be written, and a JST's asks for a code or a full name.
    /// `choices`: the candidates offered for the field, named here with
    /// their codes, since a file is corrected by typing one.
    fn describe(self, field: &str, message: &str, choices: &[(String, String)]) -> String {
        let message = match (field, accepted(field)) {
            (_, Some(values)) if message == CHOOSE => {
                format!("Wpisz jedną z wartości: {values}.")
            }
            ("local_government", _) if !choices.is_empty() => format!(
                "Pasuje kilka samorządów: {}. Wpisz kod TERYT jednego z nich albo jego pełną nazwę (np. „gmina Płońsk”).",
                choices
                    .iter()
                    .map(|(code, label)| format!("{label} (kod {code})"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            _ => message.to_owned(),
        };
        match self.label(field) {
            ("", _) => message,
            (label, column) => format!("{label} (kolumna {column}): {message}"),
        }
    }

    pub fn area(self) -> Area {
        match self {
            What::Organisations => Area::Organisations,
            What::People => Area::People,
        }
    }
}

/// What a form's closed list says when nothing of it was chosen.
const CHOOSE: &str = "Wybierz jedną z możliwości.";

/// The words of the `opp` column read as yes and as no (case ignored).
const YES: &[&str] = &["tak", "t", "1", "x"];
const NO: &[&str] = &["nie", "n", "0", ""];

/// The values a closed list's column accepts: each label (its code too).
fn accepted(field: &str) -> Option<String> {
    fn list<T: Copy>(
        all: &[T],
        code: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) -> String {
        all.iter()
            .map(|x| match (code(*x), label(*x)) {
                (c, l) if c == l => format!("„{l}”"),
                (c, l) => format!("„{l}” (albo „{c}”)"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
    match field {
        "legal_form" => Some(list(LegalForm::ALL, LegalForm::code, LegalForm::label)),
        "gender" => Some(list(Gender::ALL, Gender::code, Gender::label)),
        "group" => Some(list(Group::ALL, Group::code, Group::label)),
        _ => None,
    }
}

/// The `opp` column as a checkbox's value; a message for any other word.
fn opp(value: &str, errors: &mut FieldErrors) -> Option<String> {
    let v = value.trim().to_lowercase();
    if YES.contains(&v.as_str()) {
        return Some("1".into());
    }
    if !NO.contains(&v.as_str()) {
        errors.add(
            "is_opp",
            format!(
                "„{}” nie jest ani „tak”, ani „nie”. Wpisz „tak” (albo {}) lub „nie” (albo {}, albo zostaw puste).",
                value.trim(),
                YES[1..].iter().map(|w| format!("„{w}”")).collect::<Vec<_>>().join(", "),
                NO[1..3].iter().map(|w| format!("„{w}”")).collect::<Vec<_>>().join(", "),
            ),
        );
    }
    None
}

/// Rows of a CSV text as maps from column to value; a Polish message if the
/// file cannot be read.
pub fn rows(text: &str, what: What) -> std::result::Result<Vec<HashMap<String, String>>, String> {
    rows_with(text, what.columns())
}

/// `rows`, the header to have `required` columns.
pub fn rows_with(
    text: &str,
    required: &[&str],
) -> std::result::Result<Vec<HashMap<String, String>>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| "Nie można odczytać nagłówka pliku.".to_owned())?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "W nagłówku brakuje kolumn: {}.",
            missing.join(", ")
        ));
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| {
            format!(
                "Wiersz {}: nie można go odczytać (sprawdź cudzysłowy i kodowanie UTF-8).",
                i + 2
            )
        })?;
        if out.len() >= MAX_ROWS {
            return Err(format!(
                "Plik ma więcej niż {MAX_ROWS} wierszy; podziel go."
            ));
        }
        out.push(
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(|v| v.trim().to_owned()))
                .collect(),
        );
    }
    if out.is_empty() {
        return Err("Plik nie ma wierszy z danymi.".into());
    }
    Ok(out)
}

/// A code for a value given as code or Polish label.
fn code_of<T: Copy>(
    value: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> String {
    let v = value.trim().to_lowercase();
    all.iter()
        .find(|x| code(**x) == v || label(**x).to_lowercase() == v)
        .map(|x| code(*x).to_owned())
        .unwrap_or(v)
}

/// A JST the staff member may not add records in.
fn out_of_scope(scope: &Scope, jst: &Option<String>, errors: &mut FieldErrors) {
    if errors.get("local_government").is_empty() && !Staff::reaches_unit(scope, jst.as_deref()) {
        errors.add("local_government", "JST poza Twoim obszarem.");
    }
}

/// One row's line of the report.
pub struct Line {
    /// The row's number in the file (the header is row 1).
    pub row: usize,
    /// "poprawny", or every message of the row, one a line.
    pub result: String,
    /// The record's name, to find the row by.
    pub summary: String,
}

/// The result of checking every row.
pub struct Report {
    pub lines: Vec<Line>,
    pub organisations: Vec<organisations::Import>,
    pub people: Vec<people::Import>,
    pub invalid_rows: usize,
}

/// What the rows checked so far hold, for the next row's checks.
struct Checking<'a> {
    db: &'a Db,
    scope: Scope,
    /// NIPs, KRS numbers and e-mails seen in the file.
    seen: HashSet<String>,
    report: Report,
}

fn get(r: &HashMap<String, String>, k: &str) -> String {
    r.get(k).cloned().unwrap_or_default()
}

/// Each column with a control character, as a message of the row.
/// The columns of a row with a control character, in order.
pub fn control_columns(r: &HashMap<String, String>) -> Vec<&String> {
    let mut columns: Vec<&String> = r
        .iter()
        .filter(|(_, v)| has_control_character(v))
        .map(|(k, _)| k)
        .collect();
    columns.sort();
    columns
}

fn control_characters(r: &HashMap<String, String>, errors: &mut FieldErrors) {
    for column in control_columns(r) {
        errors.add(
            "",
            format!(
                "Kolumna {column}: niedozwolone znaki sterujące (na przykład znak o kodzie 0)."
            ),
        );
    }
}

impl Checking<'_> {
    /// Checks a row of organisations; gives what identifies it.
    async fn organisation(
        &mut self,
        r: &HashMap<String, String>,
        errors: &mut FieldErrors,
    ) -> Result<String> {
        let form = OrganisationForm {
            name: get(r, "nazwa"),
            legal_form: code_of(
                &get(r, "forma_prawna"),
                LegalForm::ALL,
                LegalForm::code,
                LegalForm::label,
            ),
            krs: get(r, "krs"),
            nip: get(r, "nip"),
            regon: get(r, "regon"),
            address: get(r, "adres"),
            local_government: get(r, "jst"),
            is_opp: opp(&get(r, "opp"), errors),
            areas: get(r, "obszary"),
        };
        let valid = form.validate(errors);
        let jst = references::jst(
            self.db,
            &form.local_government,
            None,
            "local_government",
            errors,
        )
        .await?;
        // Numbers are checked against the file and the database even when
        // other fields of the row have errors, so that one report lists
        // everything to correct.
        let numbers = [
            ("nip", "NIP", identifiers::nip(form.nip.trim())),
            ("krs", "KRS", identifiers::krs(form.krs.trim())),
        ];
        for (field, label, value) in &numbers {
            let Some(v) = value else { continue };
            if !self.seen.insert(format!("{label}{v}")) {
                errors.add(field, format!("{label} {v} powtarza się w pliku."));
            }
            let (nip, krs) = match *field {
                "nip" => (Some(v.as_str()), None),
                _ => (None, Some(v.as_str())),
            };
            if let Some((_, name, _)) = organisations::duplicate(self.db, nip, krs, None).await? {
                errors.add(
                    field,
                    format!("Organizacja z tym numerem {label} już jest w bazie: {name}."),
                );
            }
        }
        out_of_scope(&self.scope, &jst, errors);
        if let Some(o) = valid.filter(|_| errors.is_empty()) {
            self.report.organisations.push(organisations::Import {
                organisation: o,
                jst,
            });
        }
        Ok(form.name)
    }

    /// Checks a row of people; gives what identifies it.
    async fn person(
        &mut self,
        r: &HashMap<String, String>,
        errors: &mut FieldErrors,
    ) -> Result<String> {
        let form = PersonForm {
            first_name: get(r, "imie"),
            last_name: get(r, "nazwisko"),
            email: get(r, "email"),
            phone: get(r, "telefon"),
            gender: code_of(&get(r, "plec"), Gender::ALL, Gender::code, Gender::label),
            group: code_of(&get(r, "grupa"), Group::ALL, Group::code, Group::label),
            organisation: get(r, "organizacja"),
            local_government: get(r, "jst"),
        };
        let valid = form.validate(errors);
        let organisation =
            references::organisation(self.db, &form.organisation, "organisation", errors).await?;
        let jst = references::jst(
            self.db,
            &form.local_government,
            None,
            "local_government",
            errors,
        )
        .await?;
        let email = form.email.trim().to_lowercase();
        if email_ok(&email) {
            if !self.seen.insert(email.clone()) {
                errors.add("email", "Ten e-mail powtarza się w pliku.");
            } else if people::by_email(self.db, &email).await?.is_some() {
                errors.add("email", "Osoba z tym e-mailem już jest w bazie.");
            }
        }
        out_of_scope(&self.scope, &jst, errors);
        if let Some(p) = valid.filter(|_| errors.is_empty()) {
            self.report.people.push(people::Import {
                person: p,
                organisation,
                jst,
            });
        }
        Ok(format!("{} {}", form.first_name, form.last_name))
    }
}

/// Checks every row of a file as the form of its record would, and
/// against the file itself (a number or e-mail twice), the database (one
/// already there) and the staff member's scope: a line per row, and the
/// records to import when no row is wrong.
pub async fn check(
    db: &Db,
    staff: &Staff,
    what: What,
    rows: &[HashMap<String, String>],
) -> Result<Report> {
    let mut c = Checking {
        db,
        scope: staff.scope(what.area()),
        seen: HashSet::new(),
        report: Report {
            lines: Vec::with_capacity(rows.len()),
            organisations: Vec::new(),
            people: Vec::new(),
            invalid_rows: 0,
        },
    };
    for (i, r) in rows.iter().enumerate() {
        let mut errors = FieldErrors::default();
        control_characters(r, &mut errors);
        let summary = match what {
            What::Organisations => c.organisation(r, &mut errors).await?,
            What::People => c.person(r, &mut errors).await?,
        };
        let result = if errors.is_empty() {
            "poprawny".to_owned()
        } else {
            c.report.invalid_rows += 1;
            errors
                .all()
                .iter()
                .map(|(f, m)| what.describe(f, m, errors.choices(f)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        c.report.lines.push(Line {
            row: i + 2,
            result,
            summary,
        });
    }
    Ok(c.report)
}

/// What importing a checked file gave.
pub enum Imported {
    /// This many records, all of them.
    Done(usize),
    /// Nothing: a row was wrong, or became wrong since the file was
    /// checked (a number taken meanwhile); the report says which.
    Refused(Report),
}

/// Imports every row of a file in one transaction, if every row passes
/// `check`; nothing otherwise.
pub async fn import(
    db: &Db,
    staff: &Staff,
    what: What,
    rows: &[HashMap<String, String>],
    now: jiff::Timestamp,
) -> Result<Imported> {
    let report = check(db, staff, what, rows).await?;
    if report.invalid_rows > 0 {
        return Ok(Imported::Refused(report));
    }
    match what {
        What::Organisations => {
            match organisations::import(db, staff.account_id, &report.organisations, now).await? {
                Some(count) => Ok(Imported::Done(count)),
                // A number of the file was taken since it was checked: the
                // check again says which.
                None => Ok(Imported::Refused(check(db, staff, what, rows).await?)),
            }
        }
        What::People => Ok(Imported::Done(
            people::import(db, staff.account_id, &report.people, now).await?,
        )),
    }
}
