//! The gate of public computations: a public page or figure that is not
//! in the page cache is computed only while fewer than
//! `public_computations` others are; a request waits a moment for its
//! turn, then is answered 503 with `Retry-After`. Whatever anonymous
//! clients ask (new date ranges, filters, searches, pages), the database
//! work they cause at once is bounded, and the pool keeps connections for
//! the rest of the site.
//!
//! A computation is answered within the statement timeout: past it the
//! request gets the same 503, while the computation, which SQLite cannot
//! cancel, runs on to its end in its turn (figures it computed are kept
//! for the next request). On PostgreSQL the server cancels the statement
//! at about the same time.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::future::Future;
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
pub struct Gate {
    turns: Arc<Semaphore>,
    /// How long a computation's request waits for its answer; `None`: as
    /// long as it takes.
    deadline: Option<Duration>,
}

/// A turn, given back when dropped.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

/// No turn came free in time, or the computation did not end in time.
#[derive(Debug, PartialEq, Eq)]
pub struct Busy;

impl Gate {
    pub fn new(turns: usize, deadline: Option<Duration>) -> Gate {
        Gate {
            turns: Arc::new(Semaphore::new(turns.max(1))),
            deadline,
        }
    }

    /// A turn, if one frees within `TURN_WAIT`.
    pub async fn enter(&self) -> Option<Turn> {
        tokio::time::timeout(TURN_WAIT, self.turns.clone().acquire_owned())
            .await
            .ok()?
            .ok()
            .map(|p| Turn { _permit: p })
    }

    /// A turn now, if one is free.
    pub fn try_enter(&self) -> Option<Turn> {
        self.turns
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|p| Turn { _permit: p })
    }

    /// Runs `computation` in a turn and waits for it until the deadline.
    /// The turn is held until the computation ends, answered or not.
    pub async fn compute<T, F>(&self, computation: F) -> Result<T, Busy>
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        let turn = self.enter().await.ok_or(Busy)?;
        // In the request's span, so that what it logs names the request.
        let running = tokio::spawn(tracing::Instrument::in_current_span(async move {
            let out = computation.await;
            drop(turn);
            out
        }));
        let answered = match self.deadline {
            Some(deadline) => tokio::time::timeout(deadline, running)
                .await
                .map_err(|_| Busy)?,
            None => running.await,
        };
        answered.map_err(|_| Busy)
    }
}

/// The middleware: what reaches the handlers of public pages (the page
/// cache answered everything it could) runs in a turn.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = super::route(request.extensions().get::<MatchedPath>()).to_owned();
    match state.gate().compute(next.run(request)).await {
        Ok(response) => response,
        Err(Busy) => {
            tracing::warn!(route, "public computations busy");
            Error::Overloaded.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_computation_past_the_deadline_is_answered_busy_and_keeps_its_turn() {
        let gate = Gate::new(1, Some(Duration::from_secs(5)));
        let slow = gate.compute(tokio::time::sleep(Duration::from_secs(60)));
        assert_eq!(slow.await, Err(Busy), "answered at the deadline");
        assert!(gate.try_enter().is_none(), "still computing in its turn");
        assert_eq!(gate.compute(async { 1 }).await, Err(Busy), "no turn free");
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(
            gate.try_enter().is_some(),
            "its turn came back when it ended"
        );
        assert_eq!(gate.compute(async { 2 }).await, Ok(2));
    }
}
