//! The home page: the project, its partners, the counters and the areas.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::layout::{markdown, Layout};
use super::public::project;
use super::{paths, render, Result};
use crate::app::AppState;
use crate::domain::activity::DocumentKind;
use crate::domain::format::{self, nouns};
use crate::domain::stats::{DateRange, Stats};
use crate::store::programme::{self, Partner, Project};

/// The counters as printed on the home page.
pub struct Counter {
    pub label: String,
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
    /// The monitor's map: its year, its legend in words, whether its
    /// facts are the demo's; none without boundaries.
    map: Option<(i16, String, bool)>,
}

pub(super) async fn home(State(state): State<AppState>) -> Result<Response> {
    let project = project(&state).await?;
    let map = Some(super::monitoring_map::summary(&state).await?).filter(|m| !m.1.is_empty());
    let stats = state.stats(&project, &DateRange::default()).await?;
    let partners = programme::partners(state.db(), project.id).await?;
    let docs = programme::documents(state.db(), project.id, Some(DocumentKind::Guide)).await?;
    let research = programme::research_areas(state.db(), project.id, "").await?;
    let areas = vec![
        Area {
            url: paths::TRAININGS,
            title: "Szkolenia",
            text: format!(
                "Zrealizowano {}. Uczestnicy: {}.",
                format::count(stats.trainings, nouns::TRAINING_OR_WORKSHOP),
                format::count(stats.training_participants, nouns::DISTINCT_PERSON)
            ),
        },
        Area {
            url: paths::LOCAL_WORK,
            title: "Działania lokalne",
            text: format!(
                "Lokalne programy rozwoju współpracy w {}.",
                format::count(stats.local_governments, nouns::IN_LOCAL_GOVERNMENT)
            ),
        },
        Area {
            url: paths::ADVISORY,
            title: "Doradztwo i interwencje",
            text: format!(
                "{} doradztwa indywidualnego.",
                format::amount(stats.advisory_hours, nouns::HOUR)
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
        period: format::date_span(project.starts_on, project.ends_on),
        map,
        counters: counters(&stats),
        project,
        partners,
        areas,
    };
    render(&page)
}

/// The three counters: each number with what it counts (held
/// activities inside the project's period, see `domain::stats`).
fn counters(stats: &Stats) -> Vec<Counter> {
    vec![
        Counter {
            label: format!(
                "{} – odbiorcy zrealizowanych działań ({})",
                nouns::DISTINCT_PERSON.form(stats.recipients),
                crate::domain::stats::WITHOUT_TEAM
            ),
            value: format::integer(stats.recipients),
            key: "recipients",
        },
        Counter {
            label: format!(
                "{} przejechanych na zrealizowane działania i badania",
                nouns::KILOMETRE.form(stats.kilometres)
            ),
            value: format::integer(stats.kilometres),
            key: "kilometres",
        },
        Counter {
            label: format!(
                "{} zrealizowanych spotkań, szkoleń i wydarzeń",
                nouns::HOUR.form_of(stats.hours)
            ),
            value: format::decimal(stats.hours),
            key: "hours",
        },
    ]
}
