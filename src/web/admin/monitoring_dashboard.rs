//! The monitor's dashboard (`/admin/monitoring/pulpit`): the region today,
//! county by county — how many JSTs adopted the programme for the year
//! whose deadline came last (30 November), how many reports on the year
//! before are in (31 May) — and every gap, with its case or the button
//! that opens one.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;

use super::monitoring::{gap_action, BASE};
use super::require;
use super::ui::{Block, Cell, Field, Form, Page, Table};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::format;
use crate::domain::monitoring::{
    default_year, programme_status, report_status, ProgrammeStatus, ReportStatus,
};
use crate::domain::monitoring_gap::{gaps, Gap};
use crate::store::{monitoring, monitoring_cases, teryt};
use crate::web::extract::Query;
use crate::web::session::Signed;
use crate::web::Result;

pub const DASHBOARD: &str = "/admin/monitoring/pulpit";

/// A gap's cells and its row's buttons (action, label).
type GapRow = (Vec<Cell>, Vec<(String, String)>);

/// A county's counts: JSTs; programmes adopted, gaps, in work, unknown;
/// reports in, gaps, not yet due or unknown.
#[derive(Default, Clone, Copy)]
struct Counts([i64; 8]);

impl Counts {
    fn add(&mut self, p: ProgrammeStatus, r: ReportStatus) {
        self.0[0] += 1;
        let at = match p {
            ProgrammeStatus::OnTime | ProgrammeStatus::Late | ProgrammeStatus::MultiYear { .. } => {
                1
            }
            _ if p.is_gap() => 2,
            ProgrammeStatus::Unknown => 4,
            _ => 3,
        };
        self.0[at] += 1;
        let at = match r {
            ReportStatus::Published => 5,
            ReportStatus::Missing | ReportStatus::NotPublished => 6,
            ReportStatus::Due | ReportStatus::Unknown => 7,
        };
        self.0[at] += 1;
    }

    fn cells(&self, name: Cell) -> Vec<Cell> {
        let mut row = vec![name];
        row.extend(self.0.iter().map(|n| Cell::from(format::integer(*n))));
        row
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct DashboardQuery {
    komunikat: Option<String>,
    strona: Option<String>,
    /// A county's TERYT code: its gaps only.
    powiat: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<DashboardQuery>,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::View)?;
    let rules = &state.settings().monitoring;
    let today = state.clock().today_date();
    let year = default_year(rules, today);
    let report_year = today.year();
    let region = teryt::monitor_region(state.db()).await?;
    // The report due this year is read from this year's facts, read
    // beside the programme's year when that is next year.
    let units = monitoring::region_with(state.db(), &region, year, report_year).await?;
    let scope = staff.scope(Area::LocalGovernments);
    let county_list: Vec<(&str, &str)> = units
        .iter()
        .filter(|u| u.unit.teryt.len() == 4)
        .map(|u| (u.unit.teryt.as_str(), u.unit.display_name.as_str()))
        .collect();
    let names: HashMap<&str, &str> = county_list.iter().copied().collect();
    let cases = monitoring_cases::open_about(state.db(), &[year, report_year]).await?;
    // Every county of the region, in the register's order.
    let mut counties: Vec<(String, Counts)> = units
        .iter()
        .filter(|u| u.unit.teryt.len() <= 4 && Staff::reaches_unit(&scope, Some(&u.unit.teryt)))
        .map(|u| {
            let name = names
                .get(u.unit.teryt.as_str())
                .map_or("województwo", |n| *n);
            (name.to_owned(), Counts::default())
        })
        .collect();
    let wanted = q.powiat.trim();
    if !wanted.is_empty() && !names.contains_key(wanted) {
        return Err(crate::web::Error::BadRequest(
            "Nie ma takiego powiatu w regionie: wybierz powiat z listy.".into(),
        ));
    }
    let mut total = Counts::default();
    let mut gap_rows: Vec<GapRow> = Vec::new();
    for u in units
        .iter()
        .filter(|u| Staff::reaches_unit(&scope, Some(&u.unit.teryt)))
    {
        let p = programme_status(rules, year, &u.facts, today);
        let own = u.facts.iter().find(|f| f.year == report_year);
        let r = report_status(rules, own, today);
        let county = u
            .county
            .as_deref()
            .and_then(|c| names.get(c))
            .map_or_else(|| "województwo".to_owned(), |n| (*n).to_owned());
        match counties.iter_mut().find(|c| c.0 == county) {
            Some(c) => c.1.add(p, r),
            None => {
                let mut c = Counts::default();
                c.add(p, r);
                counties.push((county.clone(), c));
            }
        }
        total.add(p, r);
        if !wanted.is_empty() && u.county.as_deref() != Some(wanted) {
            continue;
        }
        let mut found = gaps(rules, year, &u.facts, today);
        if report_year != year {
            // The report's gap is of this year's facts.
            found.retain(|g| *g == Gap::Programme);
            if gaps(rules, report_year, &u.facts, today).contains(&Gap::Report) {
                found.push(Gap::Report);
            }
        }
        for gap in found {
            let facts_year = if gap == Gap::Report {
                report_year
            } else {
                year
            };
            let status = match gap {
                Gap::Programme => p.label(),
                Gap::Report => r.label().to_owned(),
            };
            let case = cases.iter().find(|c| {
                c.local_government == u.unit.teryt
                    && c.year == facts_year
                    && c.category == gap.category().code()
            });
            let (case_cell, actions) = match case {
                Some(c) => (
                    Cell::link(c.number.clone(), format!("{}/{}", super::cases::BASE, c.id)),
                    Vec::new(),
                ),
                None if staff.can(Area::Cases, Action::Change) => (
                    Cell::from("—"),
                    vec![(
                        gap_action(&u.unit.teryt, facts_year, gap),
                        format!("Załóż sprawę: {}", u.unit.display_name),
                    )],
                ),
                None => (Cell::from("—"), Vec::new()),
            };
            gap_rows.push((
                vec![
                    Cell::link(
                        u.unit.display_name.clone(),
                        format!("{BASE}/{}/{facts_year}", u.unit.teryt),
                    ),
                    county.clone().into(),
                    match gap {
                        Gap::Programme => format!("program na {year}"),
                        Gap::Report => format!("sprawozdanie za {}", report_year - 1),
                    }
                    .into(),
                    status.into(),
                    case_cell,
                ],
                actions,
            ));
        }
    }
    let mut by_county = Table::new(
        &format!(
            "Powiaty: program na {year} i sprawozdanie za {} na {}",
            report_year - 1,
            format::date(today)
        ),
        &[
            "Powiat",
            "Samorządy",
            "Program uchwalony",
            "Program: luka",
            "Program w pracy",
            "Program: nie sprawdzono",
            "Sprawozdanie złożone i opublikowane",
            "Sprawozdanie: luka",
            "Sprawozdanie przed terminem lub nie sprawdzono",
        ],
    );
    by_county.total = counties.len() as i64;
    by_county.rows = counties
        .iter()
        .map(|(name, c)| c.cells(name.clone().into()))
        .collect();
    by_county.rows.push(total.cells("Razem".into()));
    let w = super::export::Window::of("", q.strona.as_deref())?;
    let mut gap_table = Table::new(
        "Luki do interwencji",
        &["Samorząd", "Powiat", "Czego brakuje", "Status", "Sprawa"],
    );
    gap_table.total = gap_rows.len() as i64;
    gap_table.csrf = v.csrf.clone();
    let shown: Vec<_> = gap_rows
        .into_iter()
        .skip(usize::try_from(w.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(w.limit).unwrap_or(0))
        .collect();
    gap_table.row_actions = shown.iter().map(|(_, a)| a.clone()).collect();
    gap_table.rows = shown.into_iter().map(|(r, _)| r).collect();
    w.decorate(&mut gap_table, &format!("{DASHBOARD}?powiat={wanted}"));
    gap_table.exports.clear();
    let due = |d: Option<jiff::civil::Date>| d.map_or_else(String::new, format::date);
    Page::new("Pulpit monitoringu współpracy", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(q.komunikat.as_deref()))
        .block(Block::Text(format!(
            "Stan na {}. Program współpracy na {year} – termin uchwalenia {} ({}); sprawozdanie za {} – termin {} ({}). Luka to program nieuchwalony w terminie, nieuchwalony do 1 stycznia albo unieważniony oraz sprawozdanie brakujące po terminie albo nieopublikowane. Koordynatorzy dostają raz dziennie e-mail ze zmianami.",
            format::date(today),
            due(rules.programme_due(year)),
            rules.programme_basis,
            report_year - 1,
            due(rules.report_due(report_year)),
            rules.report_basis,
        )))
        .block(Block::Table(by_county))
        .block(Block::Form(Form::filter(
            DASHBOARD,
            vec![Field::select(
                "powiat",
                "Luki w powiecie",
                wanted.to_owned(),
                std::iter::once(("", "cały region"))
                    .chain(county_list.iter().copied())
                    .collect::<Vec<_>>(),
            )],
        )))
        .block(Block::Table(gap_table))
        .render()
}
