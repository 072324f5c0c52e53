//! CSV import of organisations and people: upload, a preview with a
//! validation report by row, then one transaction — nothing is imported
//! if any row is invalid.
//!
//! Columns (first row is the header; `;` or `,` between values; UTF-8):
//! - organisations: `nazwa, forma_prawna, krs, nip, regon, adres, jst, opp, obszary`;
//! - people: `imie, nazwisko, email, telefon, plec, grupa, organizacja, jst`.
//!
//! Vocabulary columns accept the code or the Polish label.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::paths::IMPORT as BASE;
use super::require;
use super::ui::{invalid, Block, Field, Form, Kind, Page, Table};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::format::{count, nouns};
use crate::service::imports::{self, Imported, Line, Report, What};
use crate::web::extract::Form as BodyForm;
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(upload_page).post(preview))
        .route(&format!("{BASE}/zatwierdz"), post(commit))
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

fn report_page(
    staff: &Staff,
    v: &Visitor,
    what: What,
    text: &str,
    report: Report,
) -> Result<Response> {
    let confirm = Form::post(
        format!("{BASE}/zatwierdz"),
        &v.csrf,
        &format!("Importuj {}", count(report.lines.len() as i64, nouns::ROW)),
        vec![
            Field::new("what", "", Kind::Hidden, what.code()),
            Field::new("csv", "", Kind::Hidden, text),
        ],
    );
    checked_file(
        Page::new("Import: raport", Some(staff), &v.csrf).section(BASE),
        "Dane",
        report.lines,
        report.invalid_rows,
        confirm,
        "Nic nie zostało zaimportowane.",
        upload_form(v, what.code()),
    )
}

/// The page of a checked CSV file: the report of every row, then the
/// button that confirms it when no row is wrong (422 otherwise, saying
/// `nothing` happened), and the form to send a file again.
pub fn checked_file(
    mut page: Page,
    summary_header: &str,
    lines: Vec<Line>,
    invalid_rows: usize,
    mut confirm: Form,
    nothing: &str,
    again: Form,
) -> Result<Response> {
    let ok = invalid_rows == 0;
    let mut table = Table::new("Raport z pliku", &["Wiersz", "Wynik", summary_header]);
    table.total = lines.len() as i64;
    table.rows = lines
        .into_iter()
        .map(|l| vec![l.row.to_string().into(), l.result.into(), l.summary.into()])
        .collect();
    page = if ok {
        confirm.class = "confirm";
        page.block(Block::Text("Wszystkie wiersze są poprawne.".into()))
            .block(Block::Form(confirm))
    } else {
        page.block(Block::Alert(format!(
            "Błędne wiersze: {invalid_rows}. {nothing} Popraw plik i wyślij go ponownie."
        )))
    };
    let page = page.block(Block::Table(table)).block(Block::Form(again));
    if ok {
        page.render()
    } else {
        invalid(page)
    }
}

/// The text fields of an uploaded form and its file `file` as UTF-8 text
/// (none when no file was sent).
pub async fn read_upload(
    mut multipart: axum::extract::Multipart,
) -> Result<(Vec<(String, String)>, Option<String>)> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        crate::web::limits::multipart_error(&e, "Nie udało się odczytać przesłanego pliku.")
    };
    let (mut fields, mut text) = (Vec::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let bytes = field.bytes().await.map_err(bad)?;
            text = Some(String::from_utf8(bytes.to_vec()).map_err(|_| {
                Error::BadRequest(
                    "Plik nie jest zapisany w UTF-8. Zapisz go jako „CSV UTF-8”.".into(),
                )
            })?);
        } else {
            fields.push((name, field.text().await.map_err(bad)?));
        }
    }
    Ok((fields, text))
}

/// The sent file's text, or the message that one must be chosen.
pub fn chosen(text: Option<String>) -> Result<String> {
    text.ok_or_else(|| Error::BadRequest("Wybierz plik CSV.".into()))
}

async fn preview(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    crate::web::extract::Multipart(multipart): crate::web::extract::Multipart,
) -> Result<Response> {
    require(&staff, Area::Import, Action::Change)?;
    let (fields, text) = read_upload(multipart).await?;
    let what = fields
        .iter()
        .find(|(k, _)| k == "what")
        .map_or("", |(_, v)| v.as_str());
    let what = What::parse(what).map_err(Error::BadRequest)?;
    require(&staff, what.area(), Action::Change)?;
    let text = chosen(text)?;
    let rows = imports::rows(&text, what).map_err(Error::BadRequest)?;
    let report = imports::check(state.db(), &staff, what, &rows).await?;
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
    let what = What::parse(&c.what).map_err(Error::BadRequest)?;
    require(&staff, what.area(), Action::Change)?;
    let rows = imports::rows(&c.csv, what).map_err(Error::BadRequest)?;
    let now = state.clock().now();
    let count = match imports::import(state.db(), &staff, what, &rows, now).await? {
        Imported::Done(count) => count,
        Imported::Refused(report) => return report_page(&staff, &v, what, &c.csv, report),
    };
    let list = match what {
        What::Organisations => super::paths::ORGANISATIONS,
        What::People => super::paths::PEOPLE,
    };
    tracing::info!(
        account = staff.account_id,
        rows = count,
        what = what.code(),
        "CSV imported"
    );
    Ok(Redirect::to(&format!("{list}?komunikat=zaimportowano")).into_response())
}
