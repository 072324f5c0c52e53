//! The public site: the project, trainings, events, local work, advisory,
//! research, guides and the officials' network.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::layout::{markdown, Layout};
use super::views::{date, page_number, span, ActivityCard, Pager};
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::activity::{DocumentKind, Group};
use crate::domain::format;
use crate::domain::stats::{DateRange, Stats};
use crate::store::activities::{self, Selection, When};
use crate::store::programme::{self, Document, LocalWork, Partner, Project, ResearchArea};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::HOME, get(home))
        .route(paths::TRAININGS, get(trainings))
        .route("/szkolenia/{slug}", get(training))
        .route(paths::EVENTS, get(events))
        .route("/wydarzenia/{slug}", get(event))
        .route(paths::LOCAL_WORK, get(local_works))
        .route("/dzialania-lokalne/{slug}", get(local_work))
        .route("/dzialania-lokalne/wydarzenie/{slug}", get(local_meeting))
        .route(paths::ADVISORY, get(advisory))
        .route(paths::RESEARCH, get(research))
        .route(paths::GUIDES, get(guides))
        .route(paths::NETWORK, get(network))
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// Page of the past activities.
    strona: Option<String>,
    /// Page of the upcoming activities.
    nadchodzace: Option<String>,
}

/// The counters as printed on the home page.
pub struct Counter {
    pub label: &'static str,
    pub value: String,
    pub key: &'static str,
}

/// A card linking to one area of the programme.
pub struct Area {
    pub url: &'static str,
    pub title: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomePage {
    layout: Layout,
    project: Project,
    summary: String,
    partners: Vec<Partner>,
    counters: Vec<Counter>,
    areas: Vec<Area>,
    period: String,
}

async fn project(state: &AppState) -> Result<Project> {
    programme::main_project(state.db())
        .await?
        .ok_or(Error::NotFound)
}

async fn home(State(state): State<AppState>) -> Result<Response> {
    let project = project(&state).await?;
    let stats = state.stats(project.id, &DateRange::default()).await?;
    let partners = programme::partners(state.db(), project.id).await?;
    let docs = programme::documents(state.db(), project.id, Some(DocumentKind::Guide)).await?;
    let research = programme::research_areas(state.db(), project.id, "").await?;
    let areas = vec![
        Area {
            url: paths::TRAININGS,
            title: "Szkolenia",
            text: format!(
                "{} szkoleń i warsztatów, {} uczestniczek i uczestników.",
                stats.trainings, stats.training_participants
            ),
        },
        Area {
            url: paths::LOCAL_WORK,
            title: "Działania lokalne",
            text: format!(
                "Lokalne programy rozwoju współpracy w {} samorządach.",
                stats.local_governments
            ),
        },
        Area {
            url: paths::ADVISORY,
            title: "Doradztwo i interwencje",
            text: format!(
                "{} godzin doradztwa indywidualnego.",
                format::decimal(stats.advisory_hours)
            ),
        },
        Area {
            url: paths::RESEARCH,
            title: "Badania",
            text: format!(
                "Badania jakości współpracy NGO i JST: {} obszarów badań.",
                research.len()
            ),
        },
        Area {
            url: paths::GUIDES,
            title: "Poradniki",
            text: format!("Poradniki projektu: {}.", docs.len()),
        },
        Area {
            url: paths::EVENTS,
            title: "Wydarzenia",
            text: "Seminarium, debata i konferencja podsumowująca.".into(),
        },
        Area {
            url: paths::NETWORK,
            title: "Sieć urzędników",
            text: "Mazowiecka sieć urzędników i urzędniczek współpracujących z NGO.".into(),
        },
    ];
    let page = HomePage {
        layout: Layout::new(state.site(), paths::HOME, "O projekcie"),
        summary: markdown(&project.summary_md),
        period: span(&project.starts_on, &project.ends_on),
        counters: counters(&stats),
        project,
        partners,
        areas,
    };
    render(&page)
}

fn counters(stats: &Stats) -> Vec<Counter> {
    vec![
        Counter {
            label: "Odbiorców",
            value: format::integer(stats.recipients),
            key: "recipients",
        },
        Counter {
            label: "Przejechanych kilometrów",
            value: format::integer(stats.kilometres),
            key: "kilometres",
        },
        Counter {
            label: "Godzin spotkań i szkoleń",
            value: format::decimal(stats.hours),
            key: "hours",
        },
    ]
}

#[derive(Template)]
#[template(path = "public/activities.html")]
struct ActivitiesPage {
    layout: Layout,
    heading: &'static str,
    intro: String,
    list_heading: &'static str,
    upcoming: Listing,
    past: Listing,
}

/// One paged part of a list: its rows, how many in all, its pager.
pub struct Listing {
    pub rows: Vec<ActivityCard>,
    pub total: i64,
    pub pager: Pager,
}

async fn intro(state: &AppState, project: i64, slug: &str) -> Result<String> {
    Ok(programme::page(state.db(), project, slug)
        .await?
        .map(|p| markdown(&p.body_md))
        .unwrap_or_default())
}

async fn listing(
    state: &AppState,
    project: i64,
    selection: Selection,
    when: When,
    (section, param, raw): (&'static str, &'static str, Option<&str>),
) -> Result<Listing> {
    let current = page_number(raw)?;
    let today = state.today();
    let page = activities::list(
        state.db(),
        project,
        selection,
        when,
        &today,
        Pager::PER_PAGE,
        Pager::offset(current),
    )
    .await?;
    let pager = Pager::new(section, param, current, page.total);
    if current > pager.pages {
        return Err(Error::NotFound);
    }
    Ok(Listing {
        rows: page.items.iter().map(ActivityCard::from).collect(),
        total: page.total,
        pager,
    })
}

async fn activity_list(
    state: &AppState,
    selection: Selection,
    section: &'static str,
    heading: &'static str,
    list_heading: &'static str,
    query: PageQuery,
) -> Result<Response> {
    let project = project(state).await?;
    let upcoming = (section, "nadchodzace", query.nadchodzace.as_deref());
    let past = (section, "strona", query.strona.as_deref());
    let page = ActivitiesPage {
        layout: Layout::new(state.site(), section, heading),
        heading,
        intro: intro(state, project.id, section.trim_start_matches('/')).await?,
        list_heading,
        upcoming: listing(state, project.id, selection, When::Upcoming, upcoming).await?,
        past: listing(state, project.id, selection, When::Past, past).await?,
    };
    render(&page)
}

async fn trainings(State(state): State<AppState>, Query(q): Query<PageQuery>) -> Result<Response> {
    activity_list(
        &state,
        Selection::Trainings,
        paths::TRAININGS,
        "Szkolenia",
        "Lista szkoleń",
        q,
    )
    .await
}

async fn events(State(state): State<AppState>, Query(q): Query<PageQuery>) -> Result<Response> {
    activity_list(
        &state,
        Selection::Events,
        paths::EVENTS,
        "Wydarzenia",
        "Lista wydarzeń",
        q,
    )
    .await
}

/// One speaker line: role, name, affiliation.
pub struct SpeakerLine {
    pub role: &'static str,
    pub name: String,
    pub affiliation: String,
}

#[derive(Template)]
#[template(path = "public/activity.html")]
struct ActivityPage {
    layout: Layout,
    back_url: String,
    back_label: String,
    card: ActivityCard,
    summary: String,
    start_time: String,
    capacity: Option<String>,
    co_organiser: Option<String>,
    speakers: Vec<SpeakerLine>,
    groups: Vec<(&'static str, String)>,
}

async fn activity_page(
    state: &AppState,
    slug: &str,
    section: &'static str,
    back: (String, String),
    fits: impl Fn(&activities::Activity) -> bool,
) -> Result<Response> {
    let a = activities::by_slug(state.db(), slug)
        .await?
        .filter(|a| fits(a))
        .ok_or(Error::NotFound)?;
    let speakers = activities::speakers(state.db(), a.id).await?;
    let groups = activities::attendance_by_group(state.db(), a.id).await?;
    let page = ActivityPage {
        layout: Layout::new(state.site(), section, a.title.clone()),
        back_url: back.0,
        back_label: back.1,
        summary: markdown(&a.summary_md),
        start_time: a.start_time.clone(),
        capacity: a.capacity.map(format::integer),
        co_organiser: a.co_organiser.clone(),
        speakers: speakers
            .into_iter()
            .map(|s| SpeakerLine {
                role: s.role.label(),
                name: s.name,
                affiliation: s.affiliation,
            })
            .collect(),
        groups: groups
            .into_iter()
            .map(|(g, n): (Group, i64)| (g.label(), format::integer(n)))
            .collect(),
        card: ActivityCard::from(&a),
    };
    render(&page)
}

async fn training(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let back = (paths::TRAININGS.to_owned(), "Lista szkoleń".to_owned());
    activity_page(&state, &slug, paths::TRAININGS, back, |a| {
        a.kind.is_training() && a.local_work_id.is_none()
    })
    .await
}

async fn event(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let back = (paths::EVENTS.to_owned(), "Wydarzenia".to_owned());
    activity_page(&state, &slug, paths::EVENTS, back, |a| a.kind.is_event()).await
}

async fn local_meeting(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let a = activities::by_slug(state.db(), &slug)
        .await?
        .ok_or(Error::NotFound)?;
    let id = a.local_work_id.ok_or(Error::NotFound)?;
    let work = programme::local_work_by_id(state.db(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let back = (
        format!("{}/{}", paths::LOCAL_WORK, work.slug),
        format!("Działania lokalne: {}", work.title),
    );
    activity_page(&state, &slug, paths::LOCAL_WORK, back, |a| {
        a.local_work_id.is_some()
    })
    .await
}

#[derive(Template)]
#[template(path = "public/local_works.html")]
struct LocalWorksPage {
    layout: Layout,
    intro: String,
    works: Vec<LocalWork>,
    total: i64,
    pager: Pager,
    pager_label: &'static str,
}

async fn local_works(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    let current = page_number(q.strona.as_deref())?;
    let project = project(&state).await?;
    let works = programme::local_works(
        state.db(),
        project.id,
        Pager::PER_PAGE,
        Pager::offset(current),
    )
    .await?;
    let pager = Pager::new(paths::LOCAL_WORK, "strona", current, works.total);
    if current > pager.pages {
        return Err(Error::NotFound);
    }
    let page = LocalWorksPage {
        layout: Layout::new(state.site(), paths::LOCAL_WORK, "Działania lokalne"),
        intro: intro(&state, project.id, "dzialania-lokalne").await?,
        works: works.items,
        total: works.total,
        pager,
        pager_label: "Strony listy działań lokalnych",
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "public/local_work.html")]
struct LocalWorkPage {
    layout: Layout,
    work: LocalWork,
    jst_url: String,
    summary: String,
    deliverables: String,
    meetings: Vec<ActivityCard>,
    participants: String,
}

async fn local_work(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let work = programme::local_work_by_slug(state.db(), &slug)
        .await?
        .ok_or(Error::NotFound)?;
    let project = project(&state).await?;
    let meetings = activities::list(
        state.db(),
        project.id,
        Selection::LocalWork(work.id),
        When::Any,
        &state.today(),
        200,
        0,
    )
    .await?;
    let attendances: i64 = meetings.items.iter().map(|m| m.participants).sum();
    let page = LocalWorkPage {
        layout: Layout::new(
            state.site(),
            paths::LOCAL_WORK,
            format!("Działania lokalne: {}", work.title),
        ),
        jst_url: paths::jst(&work.local_government),
        summary: markdown(&work.summary_md),
        deliverables: markdown(&work.deliverables_md),
        meetings: meetings.items.iter().map(ActivityCard::from).collect(),
        participants: format::integer(attendances),
        work,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "public/advisory.html")]
struct AdvisoryPage {
    layout: Layout,
    intro: String,
    sessions: String,
    hours: String,
    topics: Vec<(String, String, String)>,
}

async fn advisory(State(state): State<AppState>) -> Result<Response> {
    let project = project(&state).await?;
    let topics = activities::advisory_by_topic(state.db(), project.id).await?;
    let sessions: i64 = topics.iter().map(|t| t.1).sum();
    let minutes: i64 = topics.iter().map(|t| t.2).sum();
    let page = AdvisoryPage {
        layout: Layout::new(state.site(), paths::ADVISORY, "Doradztwo i interwencje"),
        intro: intro(&state, project.id, "doradztwo-i-interwencje").await?,
        sessions: format::integer(sessions),
        hours: format::decimal(minutes as f64 / 60.0),
        topics: topics
            .into_iter()
            .map(|(t, n, m)| (t, format::integer(n), format::decimal(m as f64 / 60.0)))
            .collect(),
    };
    render(&page)
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
            published: date(&doc.published_on),
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
}

async fn network(State(state): State<AppState>) -> Result<Response> {
    let project = project(&state).await?;
    let summary = programme::network_summary(state.db(), project.id).await?;
    let page = NetworkPage {
        layout: Layout::new(state.site(), paths::NETWORK, "Sieć urzędników"),
        intro: intro(&state, project.id, "siec-urzednikow").await?,
        members: format::integer(summary.members),
        places: summary
            .local_governments
            .into_iter()
            .map(|(teryt, name, n)| (paths::jst(&teryt), name, format::integer(n)))
            .collect(),
    };
    render(&page)
}
