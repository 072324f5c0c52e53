//! The JSON API (`/api/v1/…`): open data for anyone, no sign-in.

use super::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::paths;
use crate::app::AppState;
use crate::domain::stats::DateRange;
use crate::store::programme;

pub fn router() -> Router<AppState> {
    Router::new().route(paths::STATS_API, get(stats))
}

/// Routes that must never be served from the page cache.
pub fn uncached_router() -> Router<AppState> {
    Router::new().route(paths::HEALTH, get(health))
}

#[derive(Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

/// An API error: JSON with a Polish message.
fn problem(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

async fn stats(State(state): State<AppState>, Query(q): Query<RangeQuery>) -> Response {
    let range = match DateRange::parse(q.from.as_deref(), q.to.as_deref()) {
        Ok(r) => r,
        Err(e) => return problem(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let project = match programme::main_project(state.db()).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            return problem(
                StatusCode::NOT_FOUND,
                "Brak projektu w bazie danych.".into(),
            )
        }
        Err(e) => return super::Error::from(e).into_response(),
    };
    match state.stats(project.id, &range).await {
        Ok(stats) => Json(stats).into_response(),
        Err(e) => super::Error::from(e).into_response(),
    }
}

async fn health(State(state): State<AppState>) -> Response {
    match state.db().data_version().await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "baza danych niedostępna").into_response(),
    }
}
