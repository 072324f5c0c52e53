//! Pages of the TERYT register: the list of voivodeships and one page per
//! unit with everything the platform holds about it.

use super::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::layout::Layout;
use super::views::{shown_of, ActivityCard};
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::activity::ActivityStatus;
use crate::domain::format;
use crate::domain::teryt::{Teryt, UnitKind};
use crate::store::activities;
use crate::store::programme::{self, LocalWork, ResearchArea};
use crate::store::teryt::{self as register, Resolved, UnitRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::JST_INDEX, get(index))
        .route("/jst/{teryt}", get(unit))
}

#[derive(Template)]
#[template(path = "public/jst_index.html")]
struct IndexPage {
    layout: Layout,
    query: String,
    /// What the search found: (link, label) of each JST.
    found: Vec<(String, String)>,
    /// Why the search found nothing to list, if it did not.
    refusal: String,
    /// The region's voivodeship, when the register holds one.
    region: Option<UnitRow>,
    /// Its counties (powiaty and cities with powiat rights), or the
    /// voivodeships when the register holds several.
    units: Vec<UnitRow>,
}

#[derive(Deserialize)]
struct Finder {
    #[serde(default)]
    q: String,
}

/// The finder: a search box (the same matcher as the forms) and the
/// region's counties in Polish alphabetical order.
async fn index(State(state): State<AppState>, Query(f): Query<Finder>) -> Result<Response> {
    let query: String = f.q.trim().chars().take(100).collect();
    let (mut found, mut refusal) = (Vec::new(), String::new());
    if !query.is_empty() {
        match register::resolve(state.db(), &query).await? {
            Resolved::One(one) => {
                found.push((paths::jst(&one.candidate.teryt), one.choice_label()));
            }
            Resolved::Several(many) => {
                found = many
                    .iter()
                    .map(|m| (paths::jst(&m.candidate.teryt), m.choice_label()))
                    .collect();
            }
            Resolved::TooMany(n) => {
                refusal = format!(
                    "„{query}” pasuje do zbyt wielu samorządów ({n}). Wpisz pełną nazwę, np. „gmina Płońsk” albo „powiat płoński”."
                );
            }
            Resolved::Nothing => {
                refusal = register::not_found(state.db(), &query).await?;
            }
            Resolved::TooShort => refusal = crate::domain::jst_match::too_short(),
        }
    }
    let mut voivodeships = register::top_level(state.db()).await?;
    let (region, units) = if voivodeships.len() == 1 {
        let region = voivodeships.remove(0);
        let code = Teryt::parse(&region.teryt).map_err(|_| Error::NotFound)?;
        let counties = register::children(state.db(), &code).await?;
        (Some(region), counties)
    } else {
        (None, voivodeships)
    };
    render(&IndexPage {
        layout: Layout::new(state.site(), paths::JST_INDEX, "Samorządy"),
        query,
        found,
        refusal,
        region,
        units,
    })
}

#[derive(Template)]
#[template(path = "public/jst.html")]
struct UnitPage {
    layout: Layout,
    unit: UnitRow,
    ancestors: Vec<UnitRow>,
    children: Vec<UnitRow>,
    children_heading: &'static str,
    works: Vec<LocalWork>,
    works_note: String,
    research: Vec<ResearchArea>,
    /// Held activities: only they count as done here.
    activities: Vec<ActivityCard>,
    activities_total: String,
    activities_note: String,
    /// Planned ones, listed apart as upcoming and counted in nothing.
    upcoming: Vec<ActivityCard>,
    upcoming_note: String,
    organisations_total: String,
    organisations_note: String,
    organisations: Vec<String>,
    /// Its years in the cooperation monitor, newest first.
    monitoring: Vec<super::monitoring::Year>,
    /// The monitor's evidence documents, newest year first.
    evidence: Vec<crate::store::monitoring_evidence::Evidence>,
}

impl UnitPage {
    fn monitoring_sample(&self) -> bool {
        self.monitoring.iter().any(|y| y.sample)
    }

    fn evidence_size(&self, bytes: &i64) -> String {
        super::admin::monitoring_evidence::size(*bytes)
    }

    fn evidence_href(&self, id: &i64) -> String {
        super::paths::evidence(*id)
    }

    fn written(&self, iso: &str) -> String {
        iso.parse()
            .map_or_else(|_| iso.to_owned(), crate::domain::format::date)
    }

    fn indicators(&self) -> Option<super::monitoring::IndicatorTable> {
        super::monitoring::IndicatorTable::of(&self.monitoring)
    }

    fn index_chart(&self) -> Option<super::monitoring::IndexChart> {
        super::monitoring::IndexChart::of(&self.monitoring)
    }
}

const LIST_LIMIT: i64 = 20;

async fn unit(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response> {
    // A code of TERYT's shape (2, 4 or 7 digits) that names no unit is not
    // found; anything else is no code at all.
    let well_formed = matches!(code.len(), 2 | 4 | 7) && code.bytes().all(|b| b.is_ascii_digit());
    let teryt = Teryt::parse(&code).map_err(|e| {
        if well_formed {
            Error::NotFound
        } else {
            Error::BadRequest(format!(
                "Nieprawidłowy kod TERYT „{}”: {e}.",
                code.chars()
                    .filter(|c| !c.is_control())
                    .take(16)
                    .collect::<String>()
            ))
        }
    })?;
    if teryt.is_city_gmina() {
        // The second code of a city with powiat rights: the same JST, when
        // the register holds it.
        let city = teryt.canonical();
        if register::get(state.db(), &city).await?.is_none() {
            return Err(Error::NotFound);
        }
        return Ok(Redirect::permanent(&paths::jst(city.as_str())).into_response());
    }
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
    let acts = activities::within(state.db(), prefix, ActivityStatus::Held, LIST_LIMIT).await?;
    let upcoming =
        activities::within(state.db(), prefix, ActivityStatus::Planned, LIST_LIMIT).await?;
    let works = programme::local_works_within(state.db(), prefix, LIST_LIMIT).await?;
    let (org_total, organisations) =
        programme::organisations_within(state.db(), prefix, LIST_LIMIT).await?;
    let page = UnitPage {
        layout: Layout::new(state.site(), paths::JST_INDEX, unit.display_name.clone()),
        ancestors: chain,
        children: register::children(state.db(), &teryt).await?,
        children_heading: match unit.kind {
            UnitKind::Wojewodztwo => "Powiaty i miasta na prawach powiatu",
            UnitKind::Powiat => "Gminy powiatu",
            UnitKind::MiastoNaPrawachPowiatu => "Dzielnice",
            _ => "Części gminy",
        },
        works_note: shown_of(works.items.len(), works.total, "pierwszych"),
        works: works.items,
        research,
        activities: acts.items.iter().map(ActivityCard::from).collect(),
        activities_total: format::integer(acts.total),
        activities_note: shown_of(acts.items.len(), acts.total, "najnowszych"),
        upcoming: upcoming.items.iter().map(ActivityCard::from).collect(),
        upcoming_note: shown_of(upcoming.items.len(), upcoming.total, "najbliższych"),
        organisations_total: format::integer(org_total),
        organisations_note: shown_of(organisations.len(), org_total, "pierwszych alfabetycznie"),
        organisations,
        monitoring: super::monitoring::history(&state, &unit.teryt).await?,
        evidence: crate::store::monitoring_evidence::of_unit(state.db(), &unit.teryt).await?,
        unit,
    };
    render(&page)
}
