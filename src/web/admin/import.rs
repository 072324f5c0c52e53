//! CSV import of organisations and people: upload, a preview with a
//! validation report by row, then one transaction — nothing is imported
//! if any row is invalid.
//!
//! Columns (first row is the header; `;` or `,` between values; UTF-8):
//! - organisations: `nazwa, forma_prawna, krs, nip, regon, adres, jst, opp, obszary`;
//! - people: `imie, nazwisko, email, telefon, plec, grupa, organizacja, jst`.
//!
//! Vocabulary columns accept the code or the Polish label.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::paths::IMPORT as BASE;
use super::ui::{invalid, Block, Field, Form, Kind, Page, Table};
use super::{pick, require};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Scope, Staff};
use crate::domain::activity::{Gender, Group};
use crate::domain::format::{count, nouns};
use crate::domain::identifiers;
use crate::domain::records::{
    email_ok, has_control_character, FieldErrors, LegalForm, OrganisationForm, PersonForm,
};
use crate::store::{organisations, people};
use crate::web::extract::Form as BodyForm;
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(upload_page).post(preview))
        .route(&format!("{BASE}/zatwierdz"), post(commit))
}

/// The most rows one file may hold.
const MAX_ROWS: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    Organisations,
    People,
}

impl What {
    fn parse(code: &str) -> Result<What> {
        match code {
            "organizacje" => Ok(What::Organisations),
            "osoby" => Ok(What::People),
            _ => Err(Error::BadRequest(
                "Wybierz, co importujesz: organizacje albo osoby.".into(),
            )),
        }
    }

    fn code(self) -> &'static str {
        match self {
            What::Organisations => "organizacje",
            What::People => "osoby",
        }
    }

    fn columns(self) -> &'static [&'static str] {
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

    fn area(self) -> Area {
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

fn upload_form(v: &Visitor, what: &str) -> Form {
    let mut form = Form::post(
        BASE,
        &v.csrf,
        "Sprawdź plik",
        vec![
            Field::select(
                "what",
                "Co importujesz",
                what,
                [("organizacje", "organizacje"), ("osoby", "osoby")],
            ),
            Field::new("file", "Plik CSV (UTF-8)", Kind::File, "").required(),
        ],
    );
    form.multipart = true;
    form
}

async fn upload_page(Signed(staff, v): Signed) -> Result<Response> {
    require(&staff, Area::Import, Action::Change)?;
    Page::new("Import z pliku CSV", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Text(format!(
            "Organizacje — kolumny: {}. Osoby — kolumny: {}. Pierwszy wiersz to nagłówek; wartości oddzielone średnikiem lub przecinkiem.",
            What::Organisations.columns().join(", "),
            What::People.columns().join(", ")
        )))
        .block(Block::Text("Najpierw pokażemy raport z każdego wiersza. Jeśli choć jeden wiersz ma błąd, nic nie zostanie zaimportowane.".into()))
        .block(Block::Form(upload_form(&v, "organizacje")))
        .render()
}

/// Rows of a CSV text as maps from column to value; a Polish message if the
/// file cannot be read.
fn rows(text: &str, what: What) -> std::result::Result<Vec<HashMap<String, String>>, String> {
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
    let missing: Vec<&str> = what
        .columns()
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

/// The result of checking every row.
struct Report {
    table: Table,
    organisations: Vec<organisations::Import>,
    people: Vec<people::Import>,
    invalid_rows: usize,
}

async fn check(
    state: &AppState,
    staff: &Staff,
    what: What,
    rows: &[HashMap<String, String>],
) -> Result<Report> {
    let get = |r: &HashMap<String, String>, k: &str| r.get(k).cloned().unwrap_or_default();
    let mut table = Table::new("Raport z pliku", &["Wiersz", "Wynik", "Dane"]);
    let mut report_orgs = Vec::new();
    let mut report_people = Vec::new();
    let mut invalid_rows = 0;
    let mut seen: HashSet<String> = HashSet::new();
    let scope = staff.scope(what.area());
    for (i, r) in rows.iter().enumerate() {
        let mut errors = FieldErrors::default();
        let mut columns: Vec<&String> = r
            .iter()
            .filter(|(_, v)| has_control_character(v))
            .map(|(k, _)| k)
            .collect();
        columns.sort();
        for column in columns {
            errors.add(
                "",
                format!(
                    "Kolumna {column}: niedozwolone znaki sterujące (na przykład znak o kodzie 0)."
                ),
            );
        }
        let summary;
        match what {
            What::Organisations => {
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
                    is_opp: opp(&get(r, "opp"), &mut errors),
                    areas: get(r, "obszary"),
                };
                summary = form.name.clone();
                let valid = form.validate(&mut errors);
                let jst = pick::jst(
                    state.db(),
                    &form.local_government,
                    None,
                    "local_government",
                    &mut errors,
                )
                .await?;
                // Numbers are checked against the file and the database
                // even when other fields of the row have errors, so that
                // one report lists everything to correct.
                let numbers = [
                    ("nip", "NIP", identifiers::nip(form.nip.trim())),
                    ("krs", "KRS", identifiers::krs(form.krs.trim())),
                ];
                for (field, label, value) in &numbers {
                    let Some(v) = value else { continue };
                    if !seen.insert(format!("{label}{v}")) {
                        errors.add(field, format!("{label} {v} powtarza się w pliku."));
                    }
                    let (nip, krs) = match *field {
                        "nip" => (Some(v.as_str()), None),
                        _ => (None, Some(v.as_str())),
                    };
                    if let Some((_, name, _)) =
                        organisations::duplicate(state.db(), nip, krs, None).await?
                    {
                        errors.add(
                            field,
                            format!("Organizacja z tym numerem {label} już jest w bazie: {name}."),
                        );
                    }
                }
                out_of_scope(&scope, &jst, &mut errors);
                if let Some(o) = valid.filter(|_| errors.is_empty()) {
                    report_orgs.push(organisations::Import {
                        organisation: o,
                        jst,
                    });
                }
            }
            What::People => {
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
                summary = format!("{} {}", form.first_name, form.last_name);
                let valid = form.validate(&mut errors);
                let organisation =
                    pick::organisation(state.db(), &form.organisation, "organisation", &mut errors)
                        .await?;
                let jst = pick::jst(
                    state.db(),
                    &form.local_government,
                    None,
                    "local_government",
                    &mut errors,
                )
                .await?;
                let email = form.email.trim().to_lowercase();
                if email_ok(&email) {
                    if !seen.insert(email.clone()) {
                        errors.add("email", "Ten e-mail powtarza się w pliku.");
                    } else if people::by_email(state.db(), &email).await?.is_some() {
                        errors.add("email", "Osoba z tym e-mailem już jest w bazie.");
                    }
                }
                out_of_scope(&scope, &jst, &mut errors);
                if let Some(p) = valid.filter(|_| errors.is_empty()) {
                    report_people.push(people::Import {
                        person: p,
                        organisation,
                        jst,
                    });
                }
            }
        }
        let result = if errors.is_empty() {
            "poprawny".to_owned()
        } else {
            invalid_rows += 1;
            errors
                .all()
                .iter()
                .map(|(f, m)| what.describe(f, m, errors.choices(f)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        table.rows.push(vec![
            (i + 2).to_string().into(),
            result.into(),
            summary.into(),
        ]);
    }
    table.total = rows.len() as i64;
    Ok(Report {
        table,
        organisations: report_orgs,
        people: report_people,
        invalid_rows,
    })
}

fn report_page(
    staff: &Staff,
    v: &Visitor,
    what: What,
    text: &str,
    report: Report,
) -> Result<Response> {
    let ok = report.invalid_rows == 0;
    let mut page = Page::new("Import: raport", Some(staff), &v.csrf).section(BASE);
    page = if ok {
        let mut form = Form::post(
            format!("{BASE}/zatwierdz"),
            &v.csrf,
            &format!("Importuj {}", count(report.table.total, nouns::ROW)),
            vec![
                Field::new("what", "", Kind::Hidden, what.code()),
                Field::new("csv", "", Kind::Hidden, text),
            ],
        );
        form.class = "confirm";
        page.block(Block::Text("Wszystkie wiersze są poprawne.".into()))
            .block(Block::Form(form))
    } else {
        page.block(Block::Text(format!(
            "Błędne wiersze: {}. Nic nie zostało zaimportowane. Popraw plik i wyślij go ponownie.",
            report.invalid_rows
        )))
    };
    let page = page
        .block(Block::Table(report.table))
        .block(Block::Form(upload_form(v, what.code())));
    if ok {
        page.render()
    } else {
        invalid(page)
    }
}

async fn preview(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    crate::web::extract::Multipart(mut multipart): crate::web::extract::Multipart,
) -> Result<Response> {
    require(&staff, Area::Import, Action::Change)?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        crate::web::limits::multipart_error(&e, "Nie udało się odczytać przesłanego pliku.")
    };
    let (mut what, mut text) = (String::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("what") => what = field.text().await.map_err(bad)?,
            Some("file") => {
                let bytes = field.bytes().await.map_err(bad)?;
                text = Some(String::from_utf8(bytes.to_vec()).map_err(|_| {
                    Error::BadRequest(
                        "Plik nie jest zapisany w UTF-8. Zapisz go jako „CSV UTF-8”.".into(),
                    )
                })?);
            }
            _ => {}
        }
    }
    let what = What::parse(&what)?;
    require(&staff, what.area(), Action::Change)?;
    let text = text.ok_or_else(|| Error::BadRequest("Wybierz plik CSV.".into()))?;
    let rows = rows(&text, what).map_err(Error::BadRequest)?;
    let report = check(&state, &staff, what, &rows).await?;
    report_page(&staff, &v, what, &text, report)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Commit {
    what: String,
    csv: String,
}

async fn commit(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(c): BodyForm<Commit>,
) -> Result<Response> {
    require(&staff, Area::Import, Action::Change)?;
    let what = What::parse(&c.what)?;
    require(&staff, what.area(), Action::Change)?;
    let rows = rows(&c.csv, what).map_err(Error::BadRequest)?;
    let report = check(&state, &staff, what, &rows).await?;
    if report.invalid_rows > 0 {
        return report_page(&staff, &v, what, &c.csv, report);
    }
    let now = state.now_text();
    let (count, list) = match what {
        What::Organisations => {
            let imported =
                organisations::import(state.db(), staff.account_id, &report.organisations, &now)
                    .await?;
            let Some(count) = imported else {
                // A number of the file was taken since it was checked: the
                // check again says which.
                let report = check(&state, &staff, what, &rows).await?;
                return report_page(&staff, &v, what, &c.csv, report);
            };
            (count, super::paths::ORGANISATIONS)
        }
        What::People => (
            people::import(state.db(), staff.account_id, &report.people, &now).await?,
            super::paths::PEOPLE,
        ),
    };
    tracing::info!(
        account = staff.account_id,
        rows = count,
        what = what.code(),
        "CSV imported"
    );
    Ok(Redirect::to(&format!("{list}?komunikat=zaimportowano")).into_response())
}
