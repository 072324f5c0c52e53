//! The one error type of the web layer and the pages it becomes.
//!
//! Error policy: domain and store modules return `thiserror` enums; handlers
//! turn them into `web::Error` with `?`; `anyhow` is used only in `main`.
//! A response never carries internal error text: a store failure is logged
//! once here (cause chain, inside the request's span, which carries its
//! `RequestId`), and the user sees a Polish 500 page naming the request id
//! (the response is marked `Failure`), or a 503 with `Retry-After` when the
//! database could not answer now (`StoreError::is_unavailable`).
//! `render_errors` (middleware) draws the page around the message, with
//! the site's layout.

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
    /// The body did not arrive within `body_timeout`.
    #[error(
        "Przesyłanie danych trwało zbyt długo. Sprawdź połączenie i wyślij formularz ponownie."
    )]
    TimedOut,
    /// The memory for request bodies is spent; try again after this many
    /// seconds.
    #[error("Serwer przyjmuje teraz zbyt wiele danych naraz. Spróbuj ponownie za chwilę.")]
    Busy(i64),
    /// This address's share of that memory is spent.
    #[error("Z tego adresu przesyłanych jest teraz zbyt wiele danych naraz. Spróbuj ponownie za chwilę.")]
    BusyAddress(i64),
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
    #[error("{}", if .0.is_unavailable() { UNAVAILABLE } else { "Wystąpił błąd serwera" })]
    Internal(crate::store::StoreError),
    /// Every turn of the public computations was taken (`web::gate`).
    #[error("Serwis jest teraz bardzo obciążony. Spróbuj ponownie za kilka sekund.")]
    Overloaded,
    #[error("Wystąpił błąd serwera")]
    Document(#[from] crate::pdf::PdfError),
    /// A file of a case could not be written or read.
    #[error("Wystąpił błąd serwera")]
    Files(#[from] std::io::Error),
}

/// What the page says when the database could not answer now.
const UNAVAILABLE: &str = "Serwis jest chwilowo niedostępny. Spróbuj ponownie za kilka sekund.";

/// Seconds a client is asked to wait when the database did not answer.
const RETRY_UNAVAILABLE: i64 = 10;

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

impl From<crate::service::sign_in::SignInError> for Error {
    fn from(e: crate::service::sign_in::SignInError) -> Error {
        use crate::service::sign_in::SignInError;
        match e {
            SignInError::TooMany(seconds) => Error::TooMany(seconds),
            SignInError::Random => Error::BadRequest("Spróbuj ponownie.".into()),
            SignInError::Store(e) => e.into(),
        }
    }
}

/// Marker a failed response carries until the middleware renders it.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub message: String,
}

/// The id of a request: in its span (so in every log line it causes), in
/// the `x-request-id` header of its answer and on a failure's page, so that
/// what a user reports can be found in the log.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Marks a response whose failure was logged: its page names the request
/// id.
#[derive(Clone, Copy, Debug)]
pub struct Failure;

impl RequestId {
    /// Eight random hex digits.
    pub fn random() -> RequestId {
        let mut bytes = [0u8; 4];
        if getrandom::fill(&mut bytes).is_err() {
            // Never on a working system; an id still has to be shown.
            static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            bytes = NEXT
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                .to_be_bytes();
        }
        RequestId(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }
}
impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::TimedOut => StatusCode::REQUEST_TIMEOUT,
            Error::Busy(_) | Error::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(e) if e.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            Error::TooMany(_) | Error::TooManyForms(_) | Error::BusyAddress(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            Error::Internal(_) | Error::Document(_) | Error::Files(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let failed = matches!(
            &self,
            Error::Internal(_) | Error::Document(_) | Error::Files(_)
        );
        match &self {
            Error::Internal(e) => {
                let chain: Vec<String> =
                    std::iter::successors(Some(e as &dyn std::error::Error), |s| s.source())
                        .map(|s| s.to_string())
                        .collect();
                let cause = crate::domain::redact::masked(&chain.join(": "));
                if e.is_unavailable() {
                    tracing::warn!(cause, "database unavailable");
                } else {
                    tracing::error!(cause, "request failed");
                }
            }
            Error::Document(e) => tracing::error!(cause = %e, "document failed"),
            Error::Files(e) => tracing::error!(cause = %e, "file of a case failed"),
            _ => {}
        }
        let mut response = self.status().into_response();
        let retry_after = match &self {
            Error::TooMany(seconds)
            | Error::TooManyForms(seconds)
            | Error::Busy(seconds)
            | Error::BusyAddress(seconds) => Some(*seconds),
            Error::Overloaded => Some(super::gate::RETRY_AFTER),
            Error::Internal(e) if e.is_unavailable() => Some(RETRY_UNAVAILABLE),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            if let Ok(v) = axum::http::HeaderValue::from_str(&seconds.max(1).to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, v);
            }
        }
        response.extensions_mut().insert(ErrorPage {
            message: self.to_string(),
        });
        if failed {
            response.extensions_mut().insert(Failure);
        }
        response
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
