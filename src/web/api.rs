//! The JSON API (`/api/v1/…`): open data for anyone, no sign-in.

use super::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::{paths, Error, Result};
use crate::app::AppState;
use crate::domain::stats::DateRange;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::STATS_API, get(stats))
        .route(paths::ADVISORY_API, get(super::advisory::api))
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

/// The figures; errors become JSON with a Polish message (`render_errors`).
async fn stats(State(state): State<AppState>, Query(q): Query<RangeQuery>) -> Result<Response> {
    let range = DateRange::parse(q.from.as_deref(), q.to.as_deref())
        .map_err(|e| Error::BadRequest(e.to_string()))?;
    let project = super::public::project(&state).await?;
    Ok(Json(state.stats(&project, &range).await?).into_response())
}

/// 200 when the database answers within a fraction of a second, through
/// a connection of its own (`Db::answers`): never behind the requests that
/// hold the pool's.
async fn health(State(state): State<AppState>) -> Response {
    if state.db().answers().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "baza danych niedostępna").into_response()
    }
}
