//! The gate of public computations: a public page or figure that is not
//! in the page cache is computed only while fewer than
//! `public_computations` others are; a request waits a moment for its
//! turn, then is answered 503 with `Retry-After`. Whatever anonymous
//! clients ask (new date ranges, filters, searches, pages), the database
//! work they cause at once is bounded, and the pool keeps connections for
//! the rest of the site.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::Error;
use crate::app::AppState;

/// How long a request waits for its turn before it is refused.
pub const TURN_WAIT: Duration = Duration::from_millis(500);

/// Seconds a refused client is asked to wait (`Retry-After`).
pub const RETRY_AFTER: i64 = 5;

/// Turns to compute; one per computation running.
#[derive(Debug)]
pub struct Gate(Arc<Semaphore>);

/// A turn, given back when dropped.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

impl Gate {
    pub fn new(turns: usize) -> Gate {
        Gate(Arc::new(Semaphore::new(turns.max(1))))
    }

    /// A turn, if one frees within `TURN_WAIT`.
    pub async fn enter(&self) -> Option<Turn> {
        tokio::time::timeout(TURN_WAIT, self.0.clone().acquire_owned())
            .await
            .ok()?
            .ok()
            .map(|p| Turn { _permit: p })
    }

    /// A turn now, if one is free.
    pub fn try_enter(&self) -> Option<Turn> {
        self.0
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|p| Turn { _permit: p })
    }
}

/// The middleware: what reaches the handlers of public pages (the page
/// cache answered everything it could) runs in a turn.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(_turn) = state.gate().enter().await else {
        tracing::warn!(path = request.uri().path(), "public computations busy");
        return Error::Overloaded.into_response();
    };
    next.run(request).await
}
