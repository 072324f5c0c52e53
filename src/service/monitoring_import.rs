//! The monitor's facts from a CSV file, many JSTs and years at once: a
//! report line per row, then one transaction — nothing is saved if any
//! row is wrong. A row names its JST (`teryt`) and year (`rok`); the other
//! columns (`domain::records::MONITORING_CSV_COLUMNS`) are put over the
//! facts already recorded, an empty cell clearing its fact, a column left
//! out of the file keeping it. Every fact is checked as the form checks
//! it (dates, amounts, the evidence links' form).

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;

use crate::domain::access::{Area, Staff};
use crate::domain::format::from_spreadsheet_cell;
use crate::domain::monitoring::{Rules, Stage};
use crate::domain::records::{FieldErrors, MonitoringForm, MONITORING_CSV_COLUMNS};
use crate::domain::teryt::Teryt;
use crate::store::{monitoring, teryt, Db, Result};

/// The columns every file has.
pub const REQUIRED: [&str; 2] = ["teryt", "rok"];

pub use super::imports::Line;

pub struct Checked {
    pub lines: Vec<Line>,
    pub invalid_rows: usize,
    /// What to save when no row is wrong.
    pub records: Vec<(String, i16, MonitoringForm)>,
}

/// A stage given as its code or its label ("uchwalony").
fn stage_code(value: &str) -> String {
    let v = value.trim().to_lowercase();
    Stage::ALL
        .into_iter()
        .find(|s| s.code() == v || s.label() == v)
        .map_or(v, |s| s.code().to_owned())
}

/// The column a form field comes from.
fn column_of(field: &str) -> &str {
    MONITORING_CSV_COLUMNS
        .iter()
        .find(|(_, f)| *f == field)
        .map_or(field, |(c, _)| c)
}

pub async fn check(
    db: &Db,
    staff: &Staff,
    rules: &Rules,
    today: Date,
    rows: &[HashMap<String, String>],
) -> Result<Checked> {
    let scope = staff.scope(Area::LocalGovernments);
    let mut seen = HashSet::new();
    let mut out = Checked {
        lines: Vec::with_capacity(rows.len()),
        invalid_rows: 0,
        records: Vec::with_capacity(rows.len()),
    };
    for (i, r) in rows.iter().enumerate() {
        let mut problems: Vec<String> = Vec::new();
        for column in super::imports::control_columns(r) {
            problems.push(format!(
                "{column}: niedozwolone znaki sterujące (na przykład znak o kodzie 0)."
            ));
        }
        let code = r.get("teryt").map_or("", |v| v.trim());
        let unit = match Teryt::parse(code) {
            Ok(t) => teryt::get(db, &t).await?,
            Err(_) => None,
        };
        let unit = match unit {
            Some(u) if Teryt::parse(&u.teryt).is_ok_and(|t| t.is_jst()) => {
                if Staff::reaches_unit(&scope, Some(&u.teryt)) {
                    Some(u)
                } else {
                    problems.push(format!(
                        "teryt: nie możesz zmieniać faktów samorządu {}.",
                        u.display_name
                    ));
                    None
                }
            }
            _ => {
                problems.push(format!(
                    "teryt: „{code}” nie jest kodem TERYT gminy, powiatu ani województwa z rejestru (np. 1420011)."
                ));
                None
            }
        };
        let year = r
            .get("rok")
            .and_then(|y| y.trim().parse::<i16>().ok())
            .filter(|y| (rules.first_year..=today.year() + 1).contains(y));
        if year.is_none() {
            problems.push(format!(
                "rok: wpisz rok od {} do {}.",
                rules.first_year,
                today.year() + 1
            ));
        }
        let mut summary = String::new();
        if let (Some(u), Some(year)) = (&unit, year) {
            summary = format!("{}, rok {year}", u.display_name);
            if !seen.insert((u.teryt.clone(), year)) {
                problems.push("Ten samorząd i rok są w pliku drugi raz.".into());
            }
            let before = monitoring::get(db, &u.teryt, year)
                .await?
                .map(|r| r.form)
                .unwrap_or_default();
            let stage;
            let mut given: Vec<(&str, &str)> = Vec::new();
            for (column, field) in MONITORING_CSV_COLUMNS {
                if let Some(v) = r.get(*column) {
                    given.push((field, from_spreadsheet_cell(v)));
                }
            }
            if let Some(at) = given.iter().position(|(f, _)| *f == "stage") {
                stage = stage_code(given[at].1);
                given[at].1 = &stage;
            }
            let mut errors = FieldErrors::default();
            match before.with(&given).validate(year, &mut errors) {
                Some(form) if problems.is_empty() => {
                    out.records.push((u.teryt.clone(), year, form));
                }
                _ => problems.extend(
                    errors
                        .all()
                        .iter()
                        .map(|(f, m)| format!("{}: {m}", column_of(f))),
                ),
            }
        }
        let result = if problems.is_empty() {
            "poprawny".to_owned()
        } else {
            out.invalid_rows += 1;
            problems.join("\n")
        };
        out.lines.push(Line {
            row: i + 2,
            result,
            summary,
        });
    }
    if out.invalid_rows > 0 {
        out.records.clear();
    }
    Ok(out)
}

/// Saves every row if every row passes `check` (checked again now);
/// otherwise nothing, and the report.
pub async fn import(
    db: &Db,
    staff: &Staff,
    rules: &Rules,
    now: jiff::Timestamp,
    rows: &[HashMap<String, String>],
) -> Result<std::result::Result<usize, Checked>> {
    let today = now.to_zoned(crate::clock::warsaw()).date();
    let checked = check(db, staff, rules, today, rows).await?;
    if checked.invalid_rows > 0 {
        return Ok(Err(checked));
    }
    monitoring::save_all(db, staff.account_id, &checked.records, now).await?;
    Ok(Ok(checked.records.len()))
}
