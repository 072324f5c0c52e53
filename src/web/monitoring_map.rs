//! The monitor's map (`/monitoring/mapa`): the region's gminy drawn by the
//! server from the stored boundaries (`store::boundaries`), each coloured
//! by its programme's status for the year and a link to its page, named
//! with its status for screen readers; the counties' outlines over them.
//! With a county (`powiat`), the map zooms to its gminy. The table of
//! `/monitoring` is the same data as text.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::extract::Query;
use super::layout::Layout;
use super::monitoring::{select, Filters, Row};
use super::{paths, render, Result};
use crate::app::AppState;
use crate::domain::monitoring::ProgrammeStatus;
use crate::domain::teryt::is_city_gmina;
use crate::store::boundaries;

/// A unit on the map.
struct Shape {
    href: String,
    /// Its name and status, for its link's accessible name and tooltip.
    label: String,
    class: &'static str,
    path: String,
}

#[derive(Template)]
#[template(path = "public/monitoring_map.html")]
struct Page {
    layout: Layout,
    map: Drawing,
}

/// The index's bands on the map: class, label, lowest value.
const BANDS: [(&str, &str, u8); 4] = [
    ("index-75", "indeks 75–100", 75),
    ("index-50", "indeks 50–74", 50),
    ("index-25", "indeks 25–49", 25),
    ("index-0", "indeks 0–24", 0),
];

/// The class and words of a row coloured by its index.
fn band(row: &Row) -> (&'static str, String) {
    match row.status.index {
        Some(v) => {
            let b = BANDS.iter().find(|b| v >= b.2).unwrap_or(&BANDS[3]);
            (b.0, format!("indeks współpracy {v}"))
        }
        None => ("index-none", "indeks: za mało danych".into()),
    }
}

/// The map of a selection, drawn once for the page and the image.
pub(super) struct Drawing {
    year: i16,
    /// The county zoomed to, if any, and its name.
    county: String,
    county_name: String,
    view_box: String,
    shapes: Vec<Shape>,
    outlines: Vec<String>,
    /// Statuses (or bands) present, with how many gminy have each.
    legend: Vec<(&'static str, String, usize)>,
    sample: bool,
    /// The same selection as the table.
    table: String,
    /// Coloured by the cooperation index rather than the status.
    by_index: bool,
    /// The same map coloured the other way.
    other: String,
}

pub(super) async fn page(
    State(state): State<AppState>,
    Query(f): Query<Filters>,
) -> Result<Response> {
    let d = drawing(&state, &f).await?;
    render(&Page {
        layout: Layout::new(
            state.site(),
            paths::MONITORING,
            "Mapa monitoringu współpracy",
        ),
        map: d,
    })
}

#[derive(Template)]
#[template(path = "public/monitoring_map.svg", escape = "xml")]
struct Image {
    view_box: String,
    shapes: Vec<Shape>,
    outlines: Vec<String>,
    title: String,
}

/// The map alone as an SVG image (the home page shows it), styled within.
pub(super) async fn image(
    State(state): State<AppState>,
    Query(f): Query<Filters>,
) -> Result<Response> {
    let d = drawing(&state, &f).await?;
    let image = Image {
        title: format!(
            "Programy współpracy na rok {} – mapa gmin{}",
            d.year,
            if d.sample { " (dane przykładowe)" } else { "" }
        ),
        view_box: d.view_box,
        shapes: d.shapes,
        outlines: d.outlines,
    };
    let mut response = render(&image)?;
    if response.status().is_success() {
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("image/svg+xml; charset=utf-8"),
        );
    }
    Ok(response)
}

/// What a home page says of the map in words: how many gminy have each
/// status, for its image's text.
pub(super) async fn summary(state: &AppState) -> Result<(i16, String, bool)> {
    let s = select(state, &Filters::default()).await?;
    let by_code: HashMap<&str, &Row> = s.rows.iter().map(|r| (r.teryt.as_str(), r)).collect();
    let mut legend = Vec::new();
    for code in boundaries::codes_within(state.db(), &s.region, 7).await? {
        if let Some(row) = by_code.get(jst_of(&code)) {
            colour(row, false, &mut legend);
        }
    }
    sort_legend(&mut legend, false);
    let parts: Vec<String> = legend
        .iter()
        .map(|(_, label, n)| format!("{label}: {n}"))
        .collect();
    Ok((s.year, parts.join("; "), s.sample))
}

/// The JST a gmina's shape stands for: a city with powiat rights is drawn
/// as its gmina, and is one JST.
fn jst_of(gmina: &str) -> &str {
    if is_city_gmina(gmina) {
        &gmina[..4]
    } else {
        gmina
    }
}

/// A row's class on the map and its words there, counted in the legend.
fn colour(
    row: &Row,
    by_index: bool,
    legend: &mut Vec<(&'static str, String, usize)>,
) -> (&'static str, String) {
    let (class, words) = if by_index {
        band(row)
    } else {
        (row.status.programme, row.status.programme_label.clone())
    };
    match legend.iter_mut().find(|l| l.0 == class) {
        Some(l) => l.2 += 1,
        None => {
            let label = match BANDS.iter().find(|b| b.0 == class) {
                Some(b) => b.1.to_owned(),
                None if by_index => "za mało danych".to_owned(),
                None => words.clone(),
            };
            legend.push((class, label, 1));
        }
    }
    (class, words)
}

/// The legend in the order of the filter's statuses, or of the bands.
fn sort_legend(legend: &mut [(&'static str, String, usize)], by_index: bool) {
    let order: Vec<&str> = if by_index {
        BANDS.iter().map(|b| b.0).chain(["index-none"]).collect()
    } else {
        ProgrammeStatus::choices().iter().map(|c| c.0).collect()
    };
    legend.sort_by_key(|l| order.iter().position(|c| *c == l.0));
}

pub(super) async fn drawing(state: &AppState, f: &Filters) -> Result<Drawing> {
    let by_index = match f.kolor.as_deref().unwrap_or("").trim() {
        "" | "status" => false,
        "indeks" => true,
        _ => {
            return Err(super::Error::BadRequest(
                "Mapę można pokolorować według statusu (kolor=status) albo indeksu współpracy (kolor=indeks)."
                    .into(),
            ))
        }
    };
    let s = select(state, f).await?;
    let by_code: HashMap<&str, &Row> = s.rows.iter().map(|r| (r.teryt.as_str(), r)).collect();
    let prefix = if s.county.is_empty() {
        s.region.clone()
    } else {
        s.county.clone()
    };
    let gminy = boundaries::within(state.db(), &prefix, 7).await?;
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    let mut shapes = Vec::with_capacity(gminy.len());
    let mut legend: Vec<(&'static str, String, usize)> = Vec::new();
    for b in gminy {
        let code = jst_of(&b.teryt);
        let Some(row) = by_code.get(code) else {
            continue;
        };
        (min_x, min_y) = (min_x.min(b.min_x), min_y.min(b.min_y));
        (max_x, max_y) = (max_x.max(b.max_x), max_y.max(b.max_y));
        let (class, words) = colour(row, by_index, &mut legend);
        shapes.push(Shape {
            href: paths::jst(code),
            label: format!("{}: {words}", row.name),
            class,
            path: b.path,
        });
    }
    sort_legend(&mut legend, by_index);
    let outlines = if s.county.is_empty() {
        boundaries::within(state.db(), &prefix, 4)
            .await?
            .into_iter()
            .map(|b| b.path)
            .collect()
    } else {
        Vec::new()
    };
    let margin = 20;
    let view_box = if shapes.is_empty() {
        "0 0 100 100".to_owned()
    } else {
        let tenths = |v: i64| format!("{}.{}", v.div_euclid(10), v.rem_euclid(10));
        format!(
            "{} {} {} {}",
            tenths(min_x - margin),
            tenths(min_y - margin),
            tenths(max_x - min_x + 2 * margin),
            tenths(max_y - min_y + 2 * margin)
        )
    };
    let county_name = s
        .counties
        .iter()
        .find(|(c, _)| *c == s.county)
        .map_or_else(String::new, |(_, n)| n.clone());
    let mut table = format!("{}?rok={}", paths::MONITORING, s.year);
    if !s.county.is_empty() {
        table.push_str(&format!("&powiat={}", s.county));
    }
    let other = format!(
        "{}{}&kolor={}",
        paths::MONITORING_MAP,
        &table[paths::MONITORING.len()..],
        if by_index { "status" } else { "indeks" }
    );
    Ok(Drawing {
        year: s.year,
        county: s.county,
        county_name,
        view_box,
        shapes,
        outlines,
        legend,
        sample: s.sample,
        table,
        by_index,
        other,
    })
}
