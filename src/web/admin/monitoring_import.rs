//! The monitor's facts in bulk: the region's (or a county's) facts for a
//! year as a CSV file to edit in a spreadsheet (`fakty.csv`), and the same
//! columns imported back — a report by row, then all rows or none
//! (`service::monitoring_import`).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::monitoring::BASE;
use super::require;
use super::ui::{Block, Field, Form, Kind, Page};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::format::{count, nouns};
use crate::domain::records::MONITORING_CSV_COLUMNS;
use crate::service::imports::rows_with;
use crate::service::monitoring_import::{self as import, Checked, REQUIRED};
use crate::store::monitoring;
use crate::web::extract::{Form as BodyForm, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub const IMPORT: &str = "/admin/monitoring/import";
pub const COMMIT: &str = "/admin/monitoring/import/zatwierdz";
pub const FACTS_CSV: &str = "/admin/monitoring/fakty.csv";

fn columns() -> String {
    REQUIRED
        .iter()
        .copied()
        .chain(MONITORING_CSV_COLUMNS.iter().map(|(c, _)| *c))
        .collect::<Vec<_>>()
        .join(", ")
}

fn upload_form(v: &Visitor) -> Form {
    let mut form = Form::post(
        IMPORT,
        &v.csrf,
        "Sprawdź plik",
        vec![Field::new("file", "Plik CSV (UTF-8)", Kind::File, "").required()],
    );
    form.multipart = true;
    form
}

pub async fn upload_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
) -> Result<Response> {
    let year = crate::domain::monitoring::default_year(
        &state.settings().monitoring,
        state.clock().today_date(),
    );
    require(&staff, Area::LocalGovernments, Action::Change)?;
    Page::new("Monitoring: import faktów z pliku CSV", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Text(format!(
            "Kolumny: {}. Wymagane są teryt i rok; pozostałe kolumny nadpisują zapisane fakty (pusta komórka je czyści), a kolumna pominięta w pliku zostawia fakt bez zmian. Daty RRRR-MM-DD, kwoty w złotych, adresy od https://. Etap: kod albo nazwa (np. „uchwalony”). Pierwszy wiersz to nagłówek; wartości oddzielone średnikiem lub przecinkiem.",
            columns()
        )))
        .block(Block::Links(vec![(
            format!("{FACTS_CSV}?rok={year}"),
            format!("Pobierz fakty regionu na rok {year} w tym formacie (do edycji w arkuszu)"),
        )]))
        .block(Block::Text("Najpierw pokażemy raport z każdego wiersza. Jeśli choć jeden wiersz ma błąd, nic nie zostanie zapisane.".into()))
        .block(Block::Form(upload_form(&v)))
        .render()
}

fn report_page(staff: &Staff, v: &Visitor, text: &str, checked: Checked) -> Result<Response> {
    let confirm = Form::post(
        COMMIT,
        &v.csrf,
        &format!("Zapisz {}", count(checked.lines.len() as i64, nouns::ROW)),
        vec![Field::new("csv", "", Kind::Hidden, text)],
    );
    super::import::checked_file(
        Page::new("Monitoring: raport z importu", Some(staff), &v.csrf).section(BASE),
        "Samorząd i rok",
        checked.lines,
        checked.invalid_rows,
        confirm,
        "Nic nie zostało zapisane.",
        upload_form(v),
    )
}

fn read(text: &str) -> Result<Vec<std::collections::HashMap<String, String>>> {
    rows_with(text, &REQUIRED).map_err(Error::BadRequest)
}

pub async fn preview(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    crate::web::extract::Multipart(multipart): crate::web::extract::Multipart,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::Change)?;
    let text = super::import::chosen(super::import::read_upload(multipart).await?.1)?;
    let rows = read(&text)?;
    let checked = import::check(
        state.db(),
        &staff,
        &state.settings().monitoring,
        state.clock().today_date(),
        &rows,
    )
    .await?;
    report_page(&staff, &v, &text, checked)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Commit {
    csv: String,
}

pub async fn commit(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(c): BodyForm<Commit>,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::Change)?;
    let rows = read(&c.csv)?;
    match import::import(
        state.db(),
        &staff,
        &state.settings().monitoring,
        state.clock().now(),
        &rows,
    )
    .await?
    {
        Ok(n) => {
            tracing::info!(
                account = staff.account_id,
                rows = n,
                "monitoring CSV imported"
            );
            Ok(Redirect::to(&format!("{BASE}?komunikat=zaimportowano")).into_response())
        }
        Err(checked) => report_page(&staff, &v, &c.csv, checked),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Selection {
    rok: String,
    powiat: String,
}

/// The facts of a year as the import reads them: one row per JST of the
/// region (or county) the person reaches, recorded or not.
pub async fn facts_csv(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Query(q): Query<Selection>,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::View)?;
    let rules = &state.settings().monitoring;
    let today = state.clock().today_date();
    let year = crate::web::monitoring::year_asked(&q.rok, rules, today)?;
    let county: String = q
        .powiat
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    let scope = staff.scope(Area::LocalGovernments);
    let units = crate::store::teryt::jsts_within(state.db(), &county).await?;
    let recorded = monitoring::of_year(state.db(), &county, year).await?;
    let mut header = vec!["teryt", "rok", "jst"];
    header.extend(MONITORING_CSV_COLUMNS.iter().map(|(c, _)| *c));
    let year_text = year.to_string();
    crate::web::csv_file::download(
        &format!("monitoring-fakty-{year}.csv"),
        &header,
        units
            .iter()
            .filter(|u| Staff::reaches_unit(&scope, Some(&u.teryt)))
            .map(|u| {
                let values = recorded
                    .get(&u.teryt)
                    .map(|f| f.csv_values())
                    .unwrap_or_else(|| vec![String::new(); MONITORING_CSV_COLUMNS.len()]);
                let mut row = vec![u.teryt.clone(), year_text.clone(), u.display_name.clone()];
                row.extend(
                    values
                        .iter()
                        .map(|v| crate::domain::format::spreadsheet_cell(v)),
                );
                row
            }),
    )
}
