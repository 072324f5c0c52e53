//! The cooperation monitor in public: the region's table of JSTs with the
//! status of their programme, report and consultation for a year
//! (`/monitoring`, with filters and pages), the same as open data (JSON
//! and CSV), and a JST's history (`/api/v1/jst/{teryt}/monitoring`; its
//! page shows it too).

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::extract::{Path, Query};
use super::layout::Layout;
use super::views::Pager;
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::cooperation_index::{self, Score};
use crate::domain::monitoring::{
    consultation_status, programme_status, report_status, Facts, ProgrammeStatus, Rules,
};
use crate::domain::teryt::Teryt;
use crate::store::monitoring::{self as store, Unit};
use crate::store::teryt as register;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::MONITORING, get(page))
        .route(paths::MONITORING_MAP, get(super::monitoring_map::page))
        .route(paths::MONITORING_METHOD, get(method))
        .route(
            paths::MONITORING_MAP_IMAGE,
            get(super::monitoring_map::image),
        )
        .route(paths::MONITORING_API, get(api))
        .route(paths::MONITORING_CSV, get(csv))
        .route("/api/v1/jst/{teryt}/monitoring", get(unit_api))
}

/// The filters, as in the address.
#[derive(Deserialize, Default)]
pub struct Filters {
    rok: Option<String>,
    /// The API's name for `rok`.
    year: Option<String>,
    powiat: Option<String>,
    rodzaj: Option<String>,
    status: Option<String>,
    strona: Option<String>,
    /// The map's colouring: `status` (default) or `indeks`.
    pub(super) kolor: Option<String>,
}

/// The kinds of JST a filter offers: code, label, length of the TERYT code.
const KINDS: [(&str, &str, usize); 3] = [
    ("gmina", "gminy", 7),
    ("powiat", "powiaty i miasta na prawach powiatu", 4),
    ("wojewodztwo", "województwo", 2),
];

/// The three statuses of a JST for a year, each as a code (filters, the
/// class of its cell) and in words.
#[derive(Serialize, Clone)]
pub struct Statuses {
    pub programme: &'static str,
    pub programme_label: String,
    pub report: &'static str,
    pub report_label: &'static str,
    pub consultation: &'static str,
    pub consultation_label: &'static str,
    /// The cooperation index, 0–100; none when too little is known.
    pub index: Option<u8>,
    /// Percent of the index's weights whose facts are known.
    pub index_coverage: u8,
}

impl Statuses {
    /// The index as the table writes it.
    pub fn index_text(&self) -> String {
        match self.index {
            Some(v) if self.index_coverage < 100 => {
                format!("{v} (z {}% wag)", self.index_coverage)
            }
            Some(v) => v.to_string(),
            None => "za mało danych".into(),
        }
    }

    /// On `today`, for `year`, from the JST's facts of every year it has.
    pub fn of(rules: &Rules, year: i16, facts: &[Facts], today: Date) -> Statuses {
        let programme = programme_status(rules, year, facts, today);
        let own = facts.iter().find(|f| f.year == year);
        let report = report_status(rules, own, today);
        let consultation = consultation_status(own, today);
        let (index, index_coverage) = cooperation_index::value(rules, year, facts, today);
        Statuses {
            index,
            index_coverage,
            programme: programme.code(),
            programme_label: programme.label(),
            report: report.code(),
            report_label: report.label(),
            consultation: consultation.code(),
            consultation_label: consultation.label(),
        }
    }
}

/// A JST's row: its statuses for the year.
#[derive(Serialize, Clone)]
pub struct Row {
    pub teryt: String,
    pub name: String,
    pub kind: String,
    pub county: String,
    #[serde(flatten)]
    pub status: Statuses,
    /// The facts are the demo's invented ones.
    pub sample: bool,
}

pub(super) struct Selection {
    pub(super) year: i16,
    /// The region's code (the register's one voivodeship), or empty: the
    /// whole country.
    pub(super) region: String,
    pub(super) county: String,
    kind: String,
    status: String,
    pub(super) rows: Vec<Row>,
    /// Programmes by status in the selection before the status filter:
    /// (code, label, count), the statuses present only.
    counts: Vec<(&'static str, String, usize)>,
    pub(super) counties: Vec<(String, String)>,
    pub(super) sample: bool,
}

/// The years the monitor knows: from the first the act required to the
/// coming one.
pub fn years_refused(rules: &Rules, today: Date) -> Error {
    Error::BadRequest(format!(
        "Rok musi być liczbą od {} (pierwszy rok, na który ustawa wymagała programu współpracy) do {}.",
        rules.first_year,
        today.year() + 1
    ))
}

fn year_of(f: &Filters, rules: &Rules, today: Date) -> Result<i16> {
    year_asked(
        f.rok.as_deref().or(f.year.as_deref()).unwrap_or(""),
        rules,
        today,
    )
}

/// The year an address asks for: empty, the default; one the monitor
/// knows; or the Polish refusal.
pub fn year_asked(asked: &str, rules: &Rules, today: Date) -> Result<i16> {
    let asked = asked.trim();
    if asked.is_empty() {
        return Ok(crate::domain::monitoring::default_year(rules, today));
    }
    match asked.parse::<i16>() {
        Ok(y) if (rules.first_year..=today.year() + 1).contains(&y) => Ok(y),
        _ => Err(years_refused(rules, today)),
    }
}

/// Computes at start the region's table of the year shown by default
/// (the home page's map, `/monitoring`), keeping the region's JSTs for
/// the other years' tables, which then read only the facts.
pub async fn warm(state: &AppState) {
    let read = async {
        let rules = &state.settings().monitoring;
        let today = state.clock().today_date();
        let region = register::monitor_region(state.db()).await?;
        let year = crate::domain::monitoring::default_year(rules, today);
        region_year(state, &region, year, rules, today).await?;
        Ok::<_, Error>(())
    };
    if let Err(e) = read.await {
        tracing::warn!(error = %e, "the monitor's region was not read at start");
    }
}

pub(super) async fn select(state: &AppState, f: &Filters) -> Result<Selection> {
    let rules = &state.settings().monitoring;
    let today = state.clock().today_date();
    let year = year_of(f, rules, today)?;
    let region = register::monitor_region(state.db()).await?;
    let county = f.powiat.clone().unwrap_or_default().trim().to_owned();
    let table = region_year(state, &region, year, rules, today).await?;
    let counties = &table.counties;
    if !county.is_empty() && !counties.iter().any(|(c, _)| *c == county) {
        return Err(Error::BadRequest(
            "Nie ma takiego powiatu w regionie: wybierz powiat z listy (kod TERYT, np. 1420)."
                .into(),
        ));
    }
    let kind = f.rodzaj.clone().unwrap_or_default().trim().to_owned();
    let length = KINDS.iter().find(|k| k.0 == kind).map(|k| k.2);
    if !kind.is_empty() && length.is_none() {
        return Err(Error::BadRequest(
            "Rodzaj samorządu to gmina, powiat albo wojewodztwo.".into(),
        ));
    }
    let mut rows: Vec<Row> = table
        .rows
        .iter()
        .filter(|r| county.is_empty() || r.teryt.starts_with(&county))
        .filter(|r| length.is_none_or(|l| r.teryt.len() == l))
        .cloned()
        .collect();
    let mut counts: Vec<(&'static str, String, usize)> = ProgrammeStatus::choices()
        .into_iter()
        .map(|(code, label)| {
            (
                code,
                label,
                rows.iter().filter(|r| r.status.programme == code).count(),
            )
        })
        .filter(|c| c.2 > 0)
        .collect();
    counts.sort_by_key(|c| std::cmp::Reverse(c.2));
    let status = f.status.clone().unwrap_or_default().trim().to_owned();
    if ProgrammeStatus::choices().iter().any(|(c, _)| *c == status) {
        rows.retain(|r| r.status.programme == status);
    } else if !status.is_empty() {
        return Err(Error::BadRequest(
            "Nieznany status programu: wybierz status z listy.".into(),
        ));
    }
    Ok(Selection {
        year,
        region,
        sample: rows.iter().any(|r| r.sample) || store::has_samples(state.db()).await?,
        county,
        kind,
        status,
        rows,
        counts,
        counties: table.counties.clone(),
    })
}

/// The region's rows for a year: kept in memory (`monitoring_cache`), or
/// computed from the stored facts and kept.
async fn region_year(
    state: &AppState,
    region: &str,
    year: i16,
    rules: &Rules,
    today: Date,
) -> Result<std::sync::Arc<super::monitoring_cache::RegionYear>> {
    let cache = state.monitor();
    if let Some(t) = cache.get(region, year) {
        return Ok(t);
    }
    let generation = cache.generation();
    let register = cache.units(state.db(), region).await?;
    let units = store::join(
        &register,
        store::facts_within(state.db(), region, year, year).await?,
    );
    let counties: Vec<(String, String)> = units
        .iter()
        .filter(|u| u.unit.teryt.len() == 4)
        .map(|u| (u.unit.teryt.clone(), u.unit.display_name.clone()))
        .collect();
    let names: std::collections::HashMap<&str, &str> = counties
        .iter()
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let rows = units
        .iter()
        .map(|u| row_of(rules, year, today, u, &names))
        .collect();
    Ok(cache.keep(
        region,
        year,
        super::monitoring_cache::RegionYear { rows, counties },
        generation,
    ))
}

fn row_of(
    rules: &Rules,
    year: i16,
    today: Date,
    u: &Unit,
    counties: &std::collections::HashMap<&str, &str>,
) -> Row {
    Row {
        teryt: u.unit.teryt.clone(),
        name: u.unit.display_name.clone(),
        kind: u.unit.kind_label().to_owned(),
        county: u
            .county
            .as_deref()
            .and_then(|c| counties.get(c))
            .map_or_else(String::new, |n| (*n).to_owned()),
        status: Statuses::of(rules, year, &u.facts, today),
        sample: u.sample,
    }
}

#[derive(Template)]
#[template(path = "public/monitoring.html")]
struct Page {
    layout: Layout,
    year: i16,
    years: Vec<i16>,
    county: String,
    counties: Vec<(String, String)>,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    status: String,
    statuses: Vec<(&'static str, String)>,
    counts: Vec<(&'static str, String, usize)>,
    total: usize,
    rows: Vec<Row>,
    pager: Pager,
    sample: bool,
    /// Every row is the demo's: the notice above says so once.
    all_sample: bool,
    /// The selection's address without the status, for the counts' links.
    base_query: String,
    programme_due: String,
    programme_basis: String,
    report_due: String,
    report_basis: String,
    consultation_basis: String,
    csv: String,
}

/// The address of the selection (without the page), for the pager and
/// the CSV.
fn query_of(year: i16, county: &str, kind: &str, status: &str) -> String {
    let mut q = format!("rok={year}");
    for (name, value) in [("powiat", county), ("rodzaj", kind), ("status", status)] {
        if !value.is_empty() {
            q.push_str(&format!(
                "&{name}={}",
                form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
            ));
        }
    }
    q
}

async fn page(State(state): State<AppState>, Query(f): Query<Filters>) -> Result<Response> {
    let s = select(&state, &f).await?;
    let rules = &state.settings().monitoring;
    let today = state.clock().today_date();
    let current = f
        .strona
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let query = query_of(s.year, &s.county, &s.kind, &s.status);
    let total = s.rows.len();
    let pager = Pager::new(
        &format!("{}?{query}", paths::MONITORING),
        "strona",
        current,
        total as i64,
    );
    let from = usize::try_from(Pager::offset(current)).unwrap_or(usize::MAX);
    if from >= total && total > 0 {
        return Err(Error::NotFound);
    }
    let rows: Vec<Row> = s
        .rows
        .iter()
        .skip(from)
        .take(Pager::PER_PAGE as usize)
        .cloned()
        .collect();
    let date = |d: Option<Date>| d.map_or_else(String::new, crate::domain::format::date);
    render(&Page {
        layout: Layout::new(state.site(), paths::MONITORING, "Monitoring współpracy"),
        year: s.year,
        years: (rules.first_year..=today.year() + 1).rev().collect(),
        kinds: KINDS.iter().map(|k| (k.0, k.1)).collect(),
        statuses: ProgrammeStatus::choices(),
        counts: s.counts,
        total,
        rows,
        pager,
        sample: s.sample,
        all_sample: s.rows.iter().all(|r| r.sample),
        base_query: query_of(s.year, &s.county, &s.kind, ""),
        programme_due: date(rules.programme_due(s.year)),
        programme_basis: rules.programme_basis.clone(),
        report_due: date(rules.report_due(s.year)),
        report_basis: rules.report_basis.clone(),
        consultation_basis: rules.consultation_basis.clone(),
        csv: format!("{}?{query}", paths::MONITORING_CSV),
        county: s.county,
        counties: s.counties,
        kind: s.kind,
        status: s.status,
    })
}

#[derive(Template)]
#[template(path = "public/monitoring_method.html")]
struct Method {
    layout: Layout,
    /// Name, weight, share of the total in percent, rule, source.
    indicators: Vec<(&'static str, u32, String, &'static str, String)>,
    total: u32,
    min_coverage: u8,
    elements: Vec<String>,
}

/// How the cooperation index is computed, from the weights in force.
async fn method(State(state): State<AppState>) -> Result<Response> {
    use cooperation_index::Indicator;
    let rules = &state.settings().monitoring;
    let total = rules.index.total();
    render(&Method {
        layout: Layout::new(
            state.site(),
            paths::MONITORING,
            "Indeks współpracy – metoda",
        ),
        indicators: Indicator::ALL
            .into_iter()
            .map(|i| {
                let w = rules.index.of(i);
                let share = f64::from(w) * 100.0 / f64::from(total.max(1));
                (
                    i.name(),
                    w,
                    crate::domain::format::decimal(share),
                    i.rule(),
                    i.source(rules),
                )
            })
            .collect(),
        total,
        min_coverage: rules.index.min_coverage,
        elements: rules.elements.clone(),
    })
}

/// The region's table for a year as JSON.
#[derive(Serialize)]
struct Table {
    year: i16,
    /// Facts of the demo data set are invented.
    sample: bool,
    programme_deadline: String,
    report_deadline: String,
    units: Vec<Row>,
}

async fn api(State(state): State<AppState>, Query(f): Query<Filters>) -> Result<Response> {
    let s = select(&state, &f).await?;
    let rules = &state.settings().monitoring;
    let iso = |d: Option<Date>| d.map_or_else(String::new, |d| d.to_string());
    Ok(Json(Table {
        year: s.year,
        sample: s.sample,
        programme_deadline: iso(rules.programme_due(s.year)),
        report_deadline: iso(rules.report_due(s.year)),
        units: s.rows,
    })
    .into_response())
}

/// The same as CSV: semicolons and a byte order mark, so that a Polish
/// spreadsheet opens it in columns.
async fn csv(State(state): State<AppState>, Query(f): Query<Filters>) -> Result<Response> {
    let s = select(&state, &f).await?;
    let year = s.year.to_string();
    super::csv_file::download(
        &format!("monitoring-{}.csv", s.year),
        &[
            "rok",
            "teryt",
            "jst",
            "rodzaj",
            "powiat",
            "program",
            "sprawozdanie",
            "konsultacje",
            "indeks współpracy",
            "indeks: część wag znanych (%)",
            "dane przykładowe",
        ],
        s.rows.iter().map(|r| {
            [
                year.clone(),
                r.teryt.clone(),
                r.name.clone(),
                r.kind.clone(),
                r.county.clone(),
                r.status.programme_label.clone(),
                r.status.report_label.to_owned(),
                r.status.consultation_label.to_owned(),
                r.status.index.map_or_else(String::new, |v| v.to_string()),
                r.status.index_coverage.to_string(),
                if r.sample { "tak" } else { "nie" }.to_owned(),
            ]
        }),
    )
}

/// One year of a JST's history.
#[derive(Serialize, Clone)]
pub struct Year {
    pub year: i16,
    #[serde(flatten)]
    pub status: Statuses,
    pub resolution: String,
    pub adopted_on: String,
    pub programme_url: String,
    pub report_url: String,
    pub checked_on: String,
    pub sample: bool,
    /// The index's indicators: weight, score, what was found, source.
    pub indicators: Vec<Score>,
}

impl Year {
    /// A stored date as the site writes dates ("27 listopada 2025").
    fn written(iso: &str) -> String {
        iso.parse::<Date>()
            .map_or_else(|_| iso.to_owned(), crate::domain::format::date)
    }

    pub fn adopted_on_text(&self) -> String {
        Year::written(&self.adopted_on)
    }

    pub fn checked_on_text(&self) -> String {
        Year::written(&self.checked_on)
    }
}

/// A small bar chart of a JST's index, oldest year first.
pub struct IndexChart {
    pub width: u32,
    /// x, y, height of the bar, the year, the index.
    pub bars: Vec<(u32, u32, u32, i16, u8)>,
    /// The same in words, for screen readers.
    pub label: String,
}

impl IndexChart {
    pub const HEIGHT: u32 = 100;
    const BAR: u32 = 34;

    /// From the years with an index (newest first, as the page lists
    /// them); none if no year has one.
    pub fn of(years: &[Year]) -> Option<IndexChart> {
        let scored: Vec<(i16, u8)> = years
            .iter()
            .rev()
            .filter_map(|y| y.status.index.map(|v| (y.year, v)))
            .collect();
        if scored.is_empty() {
            return None;
        }
        let bars = scored
            .iter()
            .zip(0u32..)
            .map(|(&(year, v), i)| {
                let h = u32::from(v) * 70 / 100;
                (i * IndexChart::BAR + 4, 84 - h, h, year, v)
            })
            .collect();
        let words: Vec<String> = scored.iter().map(|(y, v)| format!("{y}: {v}")).collect();
        Some(IndexChart {
            width: scored.len() as u32 * IndexChart::BAR + 8,
            bars,
            label: format!("Indeks współpracy rok po roku – {}", words.join(", ")),
        })
    }
}

/// The index's indicators of a JST, one row each with its weight and
/// source once, and a cell per year (newest first): the points and what
/// the facts say.
pub struct IndicatorTable {
    pub years: Vec<i16>,
    pub rows: Vec<IndicatorRow>,
}

/// Name, weight, source, (points, found) per year.
pub type IndicatorRow = (&'static str, u32, String, Vec<(String, String)>);

impl IndicatorTable {
    pub fn of(years: &[Year]) -> Option<IndicatorTable> {
        let first = years.first()?;
        let rows = first
            .indicators
            .iter()
            .enumerate()
            .map(|(at, i)| {
                let cells = years
                    .iter()
                    .filter_map(|y| y.indicators.get(at))
                    .map(|s| (s.points(), s.found.clone()))
                    .collect();
                (i.name, i.weight, i.source.clone(), cells)
            })
            .collect();
        Some(IndicatorTable {
            years: years.iter().map(|y| y.year).collect(),
            rows,
        })
    }
}

/// A JST's years as recorded, newest first, with their statuses today.
pub async fn history(state: &AppState, teryt: &str) -> Result<Vec<Year>> {
    let rules = &state.settings().monitoring;
    let today = state.clock().today_date();
    let records = store::history(state.db(), teryt).await?;
    let facts: Vec<_> = records.iter().map(|r| r.form.facts(r.year)).collect();
    Ok(records
        .iter()
        .rev()
        .map(|r| Year {
            year: r.year,
            status: Statuses::of(rules, r.year, &facts, today),
            indicators: cooperation_index::scores(rules, r.year, &facts, today),
            resolution: r.form.resolution.clone(),
            adopted_on: r.form.adopted_on.clone(),
            programme_url: r.form.programme_url.clone(),
            report_url: r.form.report_url.clone(),
            checked_on: r.form.checked_on.clone(),
            sample: r.sample,
        })
        .collect())
}

#[derive(Serialize)]
struct UnitHistory {
    teryt: String,
    name: String,
    years: Vec<Year>,
}

async fn unit_api(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response> {
    let t = Teryt::parse(&code)
        .map_err(|e| Error::BadRequest(format!("Nieprawidłowy kod TERYT: {e}.")))?;
    let u = register::get(state.db(), &t)
        .await?
        .ok_or(Error::NotFound)?;
    let years = history(&state, &u.teryt).await?;
    Ok(Json(UnitHistory {
        teryt: u.teryt,
        name: u.display_name,
        years,
    })
    .into_response())
}
