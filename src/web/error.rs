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
    /// Refused: not allowed, or a failed CSRF check. The caller logs it.
    #[error("{0}")]
    Forbidden(String),
    #[error("Przesłane dane są zbyt duże.")]
    TooLarge,
    /// Too many failed sign-ins; try again after this many seconds.
    #[error("Zbyt wiele nieudanych prób logowania. Spróbuj ponownie za {} min.", (.0 + 59) / 60)]
    TooMany(i64),
    /// Too many forms sent from one address; try again after this many seconds.
    #[error("Wysłano zbyt wiele formularzy z tego adresu. Spróbuj ponownie za {} min.", (.0 + 59) / 60)]
    TooManyForms(i64),
    /// A write the database refused for what the request named: a record
    /// that does not exist (any more) or is still named by others, or a
    /// unique value another request took first. The checks before a write
    /// give these as form messages; this answers what slipped between.
    #[error("{0}")]
    Conflict(String),
    #[error("Wystąpił błąd serwera")]
    Internal(crate::store::StoreError),
    #[error("Wystąpił błąd serwera")]
    Document(#[from] crate::pdf::PdfError),
    /// A file of a case could not be written or read.
    #[error("Wystąpił błąd serwera")]
    Files(#[from] std::io::Error),
}

impl From<crate::store::StoreError> for Error {
    fn from(e: crate::store::StoreError) -> Error {
        use crate::store::{is_foreign_key_violation, is_unique_violation, StoreError};
        if let StoreError::Database(d) = &e {
            if is_foreign_key_violation(d) {
                tracing::warn!("write refused: a record it names is missing or still in use");
                return Error::Conflict(
                    "Nie udało się zapisać: wskazany rekord nie istnieje (mógł zostać usunięty) \
                     albo wciąż odwołują się do niego inne dane. Odśwież stronę i spróbuj ponownie."
                        .into(),
                );
            }
            if is_unique_violation(d) {
                tracing::warn!("write refused: a unique value was taken");
                return Error::Conflict(
                    "Nie udało się zapisać: tę wartość ma już inny rekord (mógł zostać zapisany \
                     w tej samej chwili). Odśwież stronę i spróbuj ponownie."
                        .into(),
                );
            }
        }
        Error::Internal(e)
    }
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
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::TooMany(_) | Error::TooManyForms(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Internal(_) | Error::Document(_) | Error::Files(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
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
        if let Error::Document(e) = &self {
            tracing::error!(cause = %e, "document failed");
        }
        if let Error::Files(e) = &self {
            tracing::error!(cause = %e, "file of a case failed");
        }
        let mut response = self.status().into_response();
        if let Error::TooMany(seconds) | Error::TooManyForms(seconds) = &self {
            if let Ok(v) = axum::http::HeaderValue::from_str(&seconds.max(&1).to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        response.extensions_mut().insert(ErrorPage {
            message: self.to_string(),
        });
        response
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
