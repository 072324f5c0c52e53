//! Pages of the TERYT register: the list of voivodeships and one page per
//! unit with everything the platform holds about it.

use super::extract::Path;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::layout::Layout;
use super::views::{shown_of, ActivityCard};
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::format;
use crate::domain::teryt::Teryt;
use crate::store::activities;
use crate::store::programme::{self, LocalWork, ResearchArea};
use crate::store::teryt::{self as register, UnitRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::JST_INDEX, get(index))
        .route("/jst/{teryt}", get(unit))
}

#[derive(Template)]
#[template(path = "public/jst_index.html")]
struct IndexPage {
    layout: Layout,
    voivodeships: Vec<UnitRow>,
}

async fn index(State(state): State<AppState>) -> Result<Response> {
    let voivodeships = register::top_level(state.db()).await?;
    render(&IndexPage {
        layout: Layout::new(state.site(), paths::JST_INDEX, "Samorządy"),
        voivodeships,
    })
}

#[derive(Template)]
#[template(path = "public/jst.html")]
struct UnitPage {
    layout: Layout,
    unit: UnitRow,
    ancestors: Vec<UnitRow>,
    children: Vec<UnitRow>,
    works: Vec<LocalWork>,
    works_note: String,
    research: Vec<ResearchArea>,
    activities: Vec<ActivityCard>,
    activities_total: String,
    activities_note: String,
    organisations_total: String,
    organisations_note: String,
    organisations: Vec<String>,
}

const LIST_LIMIT: i64 = 20;

async fn unit(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response> {
    let teryt = Teryt::parse(&code).map_err(|e| {
        Error::BadRequest(format!(
            "Nieprawidłowy kod TERYT „{}”: {e}.",
            code.chars().take(16).collect::<String>()
        ))
    })?;
    let mut chain = register::with_ancestors(state.db(), &teryt).await?;
    let unit = chain
        .pop()
        .filter(|u| u.teryt == teryt.as_str())
        .ok_or(Error::NotFound)?;
    let prefix = teryt.descendant_prefix();
    let research = match &state.site().project {
        Some(p) => programme::research_areas(state.db(), p.id, prefix).await?,
        None => Vec::new(),
    };
    let acts = activities::within(state.db(), prefix, LIST_LIMIT).await?;
    let works = programme::local_works_within(state.db(), prefix, LIST_LIMIT).await?;
    let (org_total, organisations) =
        programme::organisations_within(state.db(), prefix, LIST_LIMIT).await?;
    let page = UnitPage {
        layout: Layout::new(
            state.site(),
            paths::JST_INDEX,
            format!("{} ({})", unit.name, unit.kind_label()),
        ),
        ancestors: chain,
        children: register::children(state.db(), &teryt).await?,
        works_note: shown_of(works.items.len(), works.total, "pierwszych"),
        works: works.items,
        research,
        activities: acts.items.iter().map(ActivityCard::from).collect(),
        activities_total: format::integer(acts.total),
        activities_note: shown_of(acts.items.len(), acts.total, "najnowszych"),
        organisations_total: format::integer(org_total),
        organisations_note: shown_of(organisations.len(), org_total, "pierwszych alfabetycznie"),
        organisations,
        unit,
    };
    render(&page)
}
