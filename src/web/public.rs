//! The public site's router, what its pages share, and the sections that
//! describe the programme: research, guides, the officials' network.
//! Trainings and events live in `activities`, local work in `local_work`,
//! advisory and interventions in `advisory`, the home page in `home`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::layout::{markdown, Layout};
use super::views::{self, shown_of};
use super::{activities as acts, home, local_work, paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::activity::DocumentKind;
use crate::domain::format;
use crate::domain::stats::{large_groups, MIN_GROUP};
use crate::store::programme::{self, Document, Project, ResearchArea};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::HOME, get(home::home))
        .route(paths::TRAININGS, get(acts::trainings))
        .route("/szkolenia/{slug}", get(acts::training))
        .route(paths::EVENTS, get(acts::events))
        .route("/wydarzenia/{slug}", get(acts::event))
        .route(paths::LOCAL_WORK, get(local_work::local_works))
        .route("/dzialania-lokalne/{slug}", get(local_work::local_work))
        .route(
            "/dzialania-lokalne/wydarzenie/{slug}",
            get(local_work::local_meeting),
        )
        .route(paths::ADVISORY, get(super::advisory::page))
        .route(paths::RESEARCH, get(research))
        .route(paths::GUIDES, get(guides))
        .route(paths::NETWORK, get(network))
}

/// The project the site shows, as read at the last data change. With none
/// known yet, the data may have changed since: look again before a 404.
pub(super) async fn project(state: &AppState) -> Result<Project> {
    if state.site().project.is_none() {
        state.refresh().await?;
    }
    state.site().project.clone().ok_or(Error::NotFound)
}

pub(super) async fn intro(state: &AppState, project: i64, slug: &str) -> Result<String> {
    Ok(programme::page(state.db(), project, slug)
        .await?
        .map(|p| markdown(&p.body_md))
        .unwrap_or_default())
}

/// A document with its date written out.
pub struct DocumentLine {
    pub doc: Document,
    pub published: String,
    pub description: String,
}

fn document_lines(docs: Vec<Document>) -> Vec<DocumentLine> {
    docs.into_iter()
        .map(|doc| DocumentLine {
            published: crate::domain::format::date(doc.published_on),
            description: markdown(&doc.description_md),
            doc,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "public/research.html")]
struct ResearchPage {
    layout: Layout,
    intro: String,
    areas: Vec<(ResearchArea, String)>,
    reports: Vec<DocumentLine>,
}

async fn research(State(state): State<AppState>) -> Result<Response> {
    let project = project(&state).await?;
    let areas = programme::research_areas(state.db(), project.id, "").await?;
    let page = ResearchPage {
        layout: Layout::new(state.site(), paths::RESEARCH, "Badania"),
        intro: intro(&state, project.id, "badania").await?,
        areas: areas
            .into_iter()
            .map(|a| {
                let url = paths::jst(&a.local_government);
                (a, url)
            })
            .collect(),
        reports: document_lines(
            programme::documents(state.db(), project.id, Some(DocumentKind::ResearchReport))
                .await?,
        ),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "public/guides.html")]
struct GuidesPage {
    layout: Layout,
    intro: String,
    guides: Vec<DocumentLine>,
}

async fn guides(State(state): State<AppState>) -> Result<Response> {
    let project = project(&state).await?;
    let page = GuidesPage {
        layout: Layout::new(state.site(), paths::GUIDES, "Poradniki"),
        intro: intro(&state, project.id, "poradniki").await?,
        guides: document_lines(
            programme::documents(state.db(), project.id, Some(DocumentKind::Guide)).await?,
        ),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "public/network.html")]
struct NetworkPage {
    layout: Layout,
    intro: String,
    members: String,
    places: Vec<(String, String, String)>,
    places_note: Vec<String>,
}

/// How many JSTs the network page lists.
const PLACES_SHOWN: usize = 50;

/// Every JST of the network is read, so that the rule on small groups
/// sees them all before the first `PLACES_SHOWN` are kept.
const EVERY_PLACE: i64 = 1_000_000;

async fn network(State(state): State<AppState>) -> Result<Response> {
    let project = project(&state).await?;
    let summary = programme::network_summary(state.db(), project.id, EVERY_PLACE).await?;
    let (mut large, held_back) = large_groups(
        summary
            .local_governments
            .into_iter()
            .map(|(teryt, name, n)| ((teryt, name), n))
            .collect(),
    );
    let listed = large.len();
    large.truncate(PLACES_SHOWN);
    let mut places_note = Vec::new();
    let shown = shown_of(
        large.len(),
        listed as i64,
        "samorządów z największą liczbą osób",
    );
    if !shown.is_empty() {
        places_note.push(format!("Pokazano {shown}."));
    }
    if held_back {
        places_note.push(format!(
            "Samorządów, z których w sieci jest mniej niż {MIN_GROUP} osoby (a gdy taki jest jeden, \
             także kolejnego najmniejszego), nie wymieniamy, aby nikogo nie dało się rozpoznać."
        ));
    }
    let page = NetworkPage {
        layout: Layout::new(state.site(), paths::NETWORK, "Sieć urzędników"),
        intro: intro(&state, project.id, "siec-urzednikow").await?,
        members: views::people(summary.members),
        places_note,
        places: large
            .into_iter()
            .map(|((teryt, name), n)| (paths::jst(&teryt), name, format::integer(n)))
            .collect(),
    };
    render(&page)
}
