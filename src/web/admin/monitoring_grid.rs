//! The monitor's facts of many JSTs on one screen: a county's (or the
//! region's) JSTs for a year as rows of inputs — the facts that change
//! around the deadlines (the programme's stage, resolution and adoption,
//! the consultation, the report) — saved together through the CSV import
//! (`service::monitoring_import`): every row checked as the form checks
//! it, then all rows or none. Only the cells changed on the screen are
//! written; a row someone changed meanwhile is not overwritten unseen.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::monitoring::BASE;
use super::ui::{Block, Cell, Field, Form, Grid, GridCell, GridRow, Kind, Page};
use super::{notice, require};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::monitoring::{Rules, Stage};
use crate::domain::records::{MonitoringForm, MONITORING_CSV_COLUMNS};
use crate::service::monitoring_import as import;
use crate::store::teryt::UnitRow;
use crate::store::{monitoring, teryt};
use crate::web::extract::{Form as BodyForm, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::views::Pager;
use crate::web::Result;

pub const GRID: &str = "/admin/monitoring/zbiorczo";

/// The columns on the screen (codes of the CSV's columns) and their
/// headers.
const COLUMNS: [(&str, &str, Kind); 9] = [
    ("etap", "Etap programu", Kind::Select),
    ("uchwala", "Nr uchwały", Kind::Text),
    ("data_uchwalenia", "Data uchwalenia", Kind::Date),
    ("adres_programu", "Adres programu", Kind::Text),
    (
        "data_ogloszenia_konsultacji",
        "Ogłoszenie konsultacji",
        Kind::Date,
    ),
    (
        "data_zlozenia_sprawozdania",
        "Sprawozdanie złożone radzie",
        Kind::Date,
    ),
    (
        "data_publikacji_sprawozdania",
        "Sprawozdanie opublikowane",
        Kind::Date,
    ),
    ("adres_sprawozdania", "Adres sprawozdania", Kind::Text),
    ("data_sprawdzenia", "Data sprawdzenia", Kind::Date),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Selection {
    rok: String,
    powiat: String,
    strona: Option<String>,
    komunikat: Option<String>,
}

/// The values of the screen's columns in a record.
fn values_of(form: &MonitoringForm) -> Vec<String> {
    let all = form.csv_values();
    COLUMNS
        .iter()
        .map(|(code, _, _)| {
            MONITORING_CSV_COLUMNS
                .iter()
                .position(|(c, _)| c == code)
                .map(|i| all[i].clone())
                .unwrap_or_default()
        })
        .collect()
}

/// What a row held when drawn: a digest of its values on the screen.
fn state_of(values: &[String]) -> String {
    let mut h = Sha256::new();
    for v in values {
        h.update(v.as_bytes());
        h.update([0]);
    }
    h.finalize()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The selection read from the address or the form: the year, the county
/// (digits only) and the page.
struct Chosen {
    year: i16,
    county: String,
    page: i64,
}

fn chosen(rules: &Rules, today: jiff::civil::Date, s: &Selection) -> Result<Chosen> {
    Ok(Chosen {
        year: crate::web::monitoring::year_asked(&s.rok, rules, today)?,
        county: s
            .powiat
            .chars()
            .filter(char::is_ascii_digit)
            .take(4)
            .collect(),
        page: crate::web::views::page_number(s.strona.as_deref())?,
    })
}

/// The JSTs of the selection the person reaches on the chosen page (the
/// last one when it asked for more), and their number.
async fn units(state: &AppState, staff: &Staff, c: &mut Chosen) -> Result<(Vec<UnitRow>, i64)> {
    let scope = staff.scope(Area::LocalGovernments);
    let all: Vec<UnitRow> = teryt::jsts_within(state.db(), &c.county)
        .await?
        .into_iter()
        .filter(|u| Staff::reaches_unit(&scope, Some(&u.teryt)))
        .collect();
    let total = all.len() as i64;
    c.page = c.page.min(Pager::new("", "strona", 1, total).pages);
    let page = all
        .into_iter()
        .skip(usize::try_from(Pager::offset(c.page)).unwrap_or(usize::MAX))
        .take(Pager::PER_PAGE as usize)
        .collect();
    Ok((page, total))
}

fn address(c: &Chosen) -> String {
    let mut a = format!("{GRID}?rok={}", c.year);
    if !c.county.is_empty() {
        a.push_str(&format!("&powiat={}", c.county));
    }
    a
}

/// A row of the grid: its values and state, and what is wrong with it.
struct Drawn {
    values: Vec<String>,
    state: String,
    error: String,
    invalid: Vec<&'static str>,
}

fn page(
    staff: &Staff,
    v: &Visitor,
    c: &Chosen,
    units: &[UnitRow],
    total: i64,
    mut rows: HashMap<String, Drawn>,
) -> Page {
    let stages: Vec<(String, String)> = Stage::ALL
        .into_iter()
        .map(|s| (s.code().to_owned(), s.label().to_owned()))
        .collect();
    let grid = Grid {
        action: GRID.to_owned(),
        csrf: v.csrf.clone(),
        caption: format!(
            "Program na {} i sprawozdanie za {} – samorządy {}–{} z {total}",
            c.year,
            c.year - 1,
            Pager::offset(c.page) + 1,
            Pager::offset(c.page) + units.len() as i64
        ),
        hidden: vec![
            ("rok", c.year.to_string()),
            ("powiat", c.county.clone()),
            ("strona", c.page.to_string()),
        ],
        columns: COLUMNS
            .iter()
            .map(|(code, label, _)| (*code, (*label).to_owned()))
            .collect(),
        rows: units
            .iter()
            .map(|u| {
                let d = rows.remove(&u.teryt).unwrap_or_else(|| Drawn {
                    values: vec![String::new(); COLUMNS.len()],
                    state: state_of(&vec![String::new(); COLUMNS.len()]),
                    error: String::new(),
                    invalid: Vec::new(),
                });
                GridRow {
                    key: u.teryt.clone(),
                    name: Cell::link(
                        u.display_name.clone(),
                        format!("{BASE}/{}/{}", u.teryt, c.year),
                    ),
                    state: d.state,
                    cells: COLUMNS
                        .iter()
                        .zip(d.values)
                        .map(|((code, _, kind), value)| GridCell {
                            column: code,
                            kind: *kind,
                            value,
                            options: match kind {
                                Kind::Select => stages.clone(),
                                _ => Vec::new(),
                            },
                            invalid: d.invalid.contains(code),
                        })
                        .collect(),
                    error: d.error,
                }
            })
            .collect(),
        submit: "Zapisz zmiany".to_owned(),
    };
    let base = address(c);
    let pager = Pager::new(&base, "strona", c.page, total);
    let mut links = Vec::new();
    if let Some(p) = pager.prev() {
        links.push((p, "Poprzednie samorządy".to_owned()));
    }
    if let Some(n) = pager.next() {
        links.push((n, "Następne samorządy".to_owned()));
    }
    let mut p = Page::new(
        format!("Monitoring: fakty wielu samorządów na rok {}", c.year),
        Some(staff),
        &v.csrf,
    )
    .section(BASE)
    .block(Block::Text(
        "Zmień komórki i zapisz: zapisane zostaną tylko zmienione komórki, po sprawdzeniu każdego wiersza tak jak w formularzu samorządu; jeśli choć jeden wiersz ma błąd, nic nie zostanie zapisane. Daty RRRR-MM-DD, adresy od https://. Pozostałe fakty (elementy programu, rada pożytku, konkursy) – w formularzu samorządu (link w nazwie) albo w pliku CSV.".into(),
    ))
    .block(Block::Form(Form::filter(
        GRID,
        vec![
            Field::new("rok", "Rok programu", Kind::Number, c.year.to_string()),
            Field::text("powiat", "Powiat (kod TERYT)", c.county.clone())
                .hint("Np. 1420 – powiat płoński z jego gminami. Puste: cały region."),
        ],
    )))
    .block(Block::Grid(grid));
    if !links.is_empty() {
        p = p.block(Block::Links(links));
    }
    p
}

pub async fn grid_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<Selection>,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::Change)?;
    let mut c = chosen(&state.settings().monitoring, state.clock().today_date(), &q)?;
    let (units, total) = units(&state, &staff, &mut c).await?;
    let recorded = monitoring::of_year(state.db(), &c.county, c.year).await?;
    let rows = units
        .iter()
        .filter_map(|u| {
            let values = values_of(recorded.get(&u.teryt)?);
            Some((
                u.teryt.clone(),
                Drawn {
                    state: state_of(&values),
                    values,
                    error: String::new(),
                    invalid: Vec::new(),
                },
            ))
        })
        .collect();
    page(&staff, &v, &c, &units, total, rows)
        .notice(notice(q.komunikat.as_deref()))
        .render()
}

/// The header of a column, for messages.
fn label_of(column: &str) -> &str {
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == column)
        .map_or(column, |(_, l, _)| l)
}

pub async fn save(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(body): BodyForm<Vec<(String, String)>>,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::Change)?;
    let rules = &state.settings().monitoring;
    let field = |name: &str| {
        body.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut c = chosen(
        rules,
        state.clock().today_date(),
        &Selection {
            rok: field("rok"),
            powiat: field("powiat"),
            strona: Some(field("strona")),
            komunikat: None,
        },
    )?;
    let (units, total) = units(&state, &staff, &mut c).await?;
    let recorded = monitoring::of_year(state.db(), &c.county, c.year).await?;
    let mut drawn: HashMap<String, Drawn> = HashMap::new();
    let mut changed: Vec<(String, HashMap<String, String>)> = Vec::new();
    let mut conflicts = 0;
    for u in &units {
        let key = |column: &str| format!("{}.{column}", u.teryt);
        let now = values_of(&recorded.get(&u.teryt).cloned().unwrap_or_default());
        let sent: Vec<String> = COLUMNS
            .iter()
            .zip(&now)
            .map(|((code, _, _), now)| {
                body.iter()
                    .find(|(k, _)| *k == key(code))
                    .map_or_else(|| now.clone(), |(_, v)| v.trim().to_owned())
            })
            .collect();
        let was = body
            .iter()
            .find(|(k, _)| *k == key("stan"))
            .map_or_else(String::new, |(_, v)| v.clone());
        let differ: Vec<&'static str> = COLUMNS
            .iter()
            .zip(sent.iter().zip(&now))
            .filter(|(_, (s, n))| s != n)
            .map(|((code, _, _), _)| *code)
            .collect();
        let mut d = Drawn {
            state: state_of(&now),
            values: sent.clone(),
            error: String::new(),
            invalid: Vec::new(),
        };
        if !differ.is_empty() && was != d.state {
            conflicts += 1;
            d.error = format!(
                "W międzyczasie ktoś zmienił fakty tego samorządu; teraz zapisane: {}. Sprawdź wpisane wartości i zapisz ponownie, aby je zastąpić.",
                differ
                    .iter()
                    .map(|code| {
                        let i = COLUMNS.iter().position(|(c, _, _)| c == code).unwrap_or(0);
                        let n = if now[i].is_empty() { "(puste)" } else { &now[i] };
                        format!("{} – {n}", label_of(code))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            d.invalid = differ;
        } else if !differ.is_empty() {
            let mut row: HashMap<String, String> = HashMap::from([
                ("teryt".to_owned(), u.teryt.clone()),
                ("rok".to_owned(), c.year.to_string()),
            ]);
            for code in &differ {
                let i = COLUMNS.iter().position(|(c, _, _)| c == code).unwrap_or(0);
                row.insert((*code).to_owned(), sent[i].clone());
            }
            changed.push((u.teryt.clone(), row));
        }
        drawn.insert(u.teryt.clone(), d);
    }
    let rows: Vec<HashMap<String, String>> = changed.iter().map(|(_, r)| r.clone()).collect();
    if conflicts == 0 {
        if rows.is_empty() {
            return Ok(
                Redirect::to(&format!("{}&komunikat=bez-zmian", address(&c))).into_response(),
            );
        }
        match import::import(state.db(), &staff, rules, state.clock().now(), &rows).await? {
            Ok(n) => {
                tracing::info!(
                    account = staff.account_id,
                    rows = n,
                    "monitoring grid saved"
                );
                let page = if c.page > 1 {
                    format!("&strona={}", c.page)
                } else {
                    String::new()
                };
                return Ok(
                    Redirect::to(&format!("{}{page}&komunikat=zapisano", address(&c)))
                        .into_response(),
                );
            }
            Err(checked) => mark(&mut drawn, &changed, &checked.lines),
        }
    } else {
        let checked =
            import::check(state.db(), &staff, rules, state.clock().today_date(), &rows).await?;
        mark(&mut drawn, &changed, &checked.lines);
    }
    let wrong = drawn.values().filter(|d| !d.error.is_empty()).count();
    let mut p = page(&staff, &v, &c, &units, total, drawn);
    p.blocks.insert(
        0,
        Block::Alert(format!(
            "Nic nie zostało zapisane: {} do poprawienia (opis pod nazwą samorządu). Wpisane wartości zostały w formularzu.",
            crate::domain::format::count(wrong as i64, crate::domain::format::nouns::ROW)
        )),
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p.render()?).into_response())
}

/// Puts each checked row's problems under its name, in the screen's words.
fn mark(
    drawn: &mut HashMap<String, Drawn>,
    changed: &[(String, HashMap<String, String>)],
    lines: &[import::Line],
) {
    for ((teryt, _), line) in changed.iter().zip(lines) {
        if line.result == "poprawny" {
            continue;
        }
        let Some(d) = drawn.get_mut(teryt) else {
            continue;
        };
        let mut messages = Vec::new();
        for problem in line.result.lines() {
            match problem.split_once(": ") {
                Some((column, message)) if COLUMNS.iter().any(|(c, _, _)| *c == column) => {
                    d.invalid.push(
                        COLUMNS
                            .iter()
                            .find(|(c, _, _)| *c == column)
                            .map_or("", |(c, _, _)| c),
                    );
                    messages.push(format!("{}: {message}", label_of(column)));
                }
                _ => messages.push(problem.to_owned()),
            }
        }
        d.error = messages.join(" ");
    }
}
