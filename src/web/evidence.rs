//! The cooperation monitor's evidence documents for anyone
//! (`/monitoring/dowody/{id}`): served from the database, outside the page
//! cache, as a download with its name and the SHA-256 the JST's page
//! shows beside it.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::extract::Path;
use super::{case_files, paths, Error, Result};
use crate::app::AppState;
use crate::store::monitoring_evidence;

pub fn router() -> Router<AppState> {
    Router::new().route(
        &format!("{}/dowody/{{id}}", paths::MONITORING),
        get(download),
    )
}

async fn download(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response> {
    let (e, bytes) = monitoring_evidence::content(state.db(), id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(case_files::file_response(
        bytes,
        &e.name,
        e.file_type,
        // Asked again each time: a document staff removed (a wrong file,
        // one with personal data) must not live on in caches.
        "no-cache",
    ))
}
