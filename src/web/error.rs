//! The one error type of the web layer and the pages it becomes.
//!
//! Error policy: domain and store modules return `thiserror` enums; handlers
//! turn them into `web::Error` with `?`; `anyhow` is used only in `main`.
//! A response never carries internal error text: a store failure is logged
//! once here (cause chain, inside the request span) and the user sees a
//! Polish 500 page. `render_errors` (middleware) draws the page around the
//! message, with the site's layout.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Nie znaleziono strony")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("Wystąpił błąd serwera")]
    Internal(#[from] crate::store::StoreError),
}

/// Marker a failed response carries until the middleware renders it.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub message: String,
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Error::Internal(e) = &self {
            let chain: Vec<String> =
                std::iter::successors(Some(e as &dyn std::error::Error), |s| s.source())
                    .map(|s| s.to_string())
                    .collect();
            tracing::error!(cause = %chain.join(": "), "request failed");
        }
        let mut response = self.status().into_response();
        response.extensions_mut().insert(ErrorPage {
            message: self.to_string(),
        });
        response
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
