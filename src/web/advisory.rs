//! Advisory and interventions on the public site: `/doradztwo-i-interwencje`
//! and the same figures as JSON (`/api/v1/advisory`). Aggregates only: no
//! reporter's data, and no group smaller than `MIN_GROUP`.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::layout::Layout;
use super::public::{intro, project};
use super::{paths, render, reports, Result};
use crate::app::AppState;
use crate::domain::format;
use crate::domain::stats::{large_groups, MIN_GROUP};
use crate::store::{activities, cases};

/// A group of the figures: what it is, how many, and (advisory) hours.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// A code (category, outcome) or a TERYT code (county); empty for
    /// advisory topics and open cases.
    pub code: String,
    pub label: String,
    pub count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
}

/// The section's figures, small groups left out.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    pub advisory_sessions: i64,
    pub advisory_hours: f64,
    pub advisory_by_topic: Vec<Group>,
    /// The period whose interventions are counted (the project's, as
    /// `YYYY-MM-DD`): those filed inside it and taken up by staff.
    pub interventions_from: String,
    pub interventions_to: String,
    /// `None` while fewer than `min_group` cases are counted.
    pub interventions: Option<i64>,
    pub interventions_by_category: Vec<Group>,
    pub interventions_by_outcome: Vec<Group>,
    pub interventions_by_county: Vec<Group>,
    /// Whether any group was left out for being small.
    pub groups_held_back: bool,
    pub min_group: i64,
}

fn hours(minutes: i64) -> f64 {
    minutes as f64 / 60.0
}

pub async fn figures(state: &AppState) -> Result<Figures> {
    let project = project(state).await?;
    let topics = activities::advisory_by_topic(state.db(), project.id).await?;
    let sessions: i64 = topics.iter().map(|t| t.1).sum();
    let minutes: i64 = topics.iter().map(|t| t.2).sum();
    let (topics, a) = large_groups(topics.into_iter().map(|(t, n, m)| ((t, m), n)).collect());
    // Interventions filed inside the project's period (Warsaw days) that
    // staff have taken up: a report nobody has looked at yet counts not.
    let midnight = |day: jiff::civil::Date, after: i64| {
        day.checked_add(jiff::Span::new().days(after))
            .ok()
            .and_then(|d| d.to_zoned(crate::app::warsaw()).ok())
            .map(|z| z.timestamp())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    };
    let f = cases::figures(
        state.db(),
        midnight(project.starts_on, 0),
        midnight(project.ends_on, 1),
    )
    .await?;
    let interventions: i64 = f.by_category.iter().map(|g| g.1).sum();
    let (by_category, b) = large_groups(f.by_category);
    let (by_outcome, c) = large_groups(f.by_outcome);
    let (by_county, d) = large_groups(f.by_county);
    Ok(Figures {
        advisory_sessions: sessions,
        advisory_hours: hours(minutes),
        advisory_by_topic: topics
            .into_iter()
            .map(|((topic, m), n)| Group {
                code: String::new(),
                label: topic,
                count: n,
                hours: Some(hours(m)),
            })
            .collect(),
        interventions_from: project.starts_on.to_string(),
        interventions_to: project.ends_on.to_string(),
        interventions: (interventions >= MIN_GROUP).then_some(interventions),
        interventions_by_category: by_category
            .into_iter()
            .map(|(category, n)| Group {
                code: category.code().to_owned(),
                label: category.label().to_owned(),
                count: n,
                hours: None,
            })
            .collect(),
        interventions_by_outcome: by_outcome
            .into_iter()
            .map(|(outcome, n)| Group {
                code: outcome.map_or("", |o| o.code()).to_owned(),
                label: match outcome {
                    Some(o) => format!("zamknięte: {}", o.label()),
                    None => "w toku".to_owned(),
                },
                count: n,
                hours: None,
            })
            .collect(),
        interventions_by_county: by_county
            .into_iter()
            .map(|((teryt, name, _kind), n)| Group {
                label: name,
                code: teryt,
                count: n,
                hours: None,
            })
            .collect(),
        groups_held_back: a || b || c || d,
        min_group: MIN_GROUP,
    })
}

/// A row of a table on the page: link (if any), label, count, hours.
type Row = (String, String, String, String);

fn rows(groups: &[Group], link: impl Fn(&Group) -> String) -> Vec<Row> {
    groups
        .iter()
        .map(|g| {
            (
                link(g),
                g.label.clone(),
                format::integer(g.count),
                g.hours.map(format::decimal).unwrap_or_default(),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "public/advisory.html")]
struct AdvisoryPage {
    layout: Layout,
    intro: String,
    sessions: String,
    hours: String,
    topics: Vec<Row>,
    interventions: String,
    /// The period counted, as the page says it ("od 1 marca 2021 do …").
    period: String,
    by_category: Vec<Row>,
    by_outcome: Vec<Row>,
    by_county: Vec<Row>,
    held_back: bool,
    min_group: i64,
    advice_form: &'static str,
    problem_form: &'static str,
}

/// A day as the page says it ("1 marca 2021").
fn day(iso: &str) -> String {
    iso.parse()
        .map(format::date)
        .unwrap_or_else(|_| iso.to_owned())
}

pub async fn page(State(state): State<AppState>) -> Result<Response> {
    let f = figures(&state).await?;
    let project = project(&state).await?;
    let none = |_: &Group| String::new();
    render(&AdvisoryPage {
        layout: Layout::new(state.site(), paths::ADVISORY, "Doradztwo i interwencje"),
        intro: intro(&state, project.id, "doradztwo-i-interwencje").await?,
        sessions: format::integer(f.advisory_sessions),
        hours: format::amount(f.advisory_hours, format::nouns::HOUR),
        topics: rows(&f.advisory_by_topic, none),
        interventions: f
            .interventions
            .map(format::integer)
            .unwrap_or_else(|| format!("mniej niż {MIN_GROUP}")),
        period: format!(
            "od {} do {}",
            day(&f.interventions_from),
            day(&f.interventions_to)
        ),
        by_category: rows(&f.interventions_by_category, none),
        by_outcome: rows(&f.interventions_by_outcome, none),
        by_county: rows(&f.interventions_by_county, |g| paths::jst(&g.code)),
        held_back: f.groups_held_back,
        min_group: f.min_group,
        advice_form: reports::ADVICE,
        problem_form: reports::PROBLEM,
    })
}

pub async fn api(State(state): State<AppState>) -> Result<Response> {
    Ok(Json(figures(&state).await?).into_response())
}
