//! HTTP: one module per area, each exposing `router()`; this module only
//! merges them and adds the layers (request log, page cache, error pages).
//!
//! Architecture Invariant: no SQL and no business rules here; handlers
//! parse input, make one domain/store call per need, and render a template.

pub mod activities;
pub mod activity_cache;
pub mod admin;
pub mod advisory;
pub mod api;
pub mod cache;
pub mod case_files;
pub mod certificates;
pub mod csv_file;
mod error;
mod evidence;
pub mod extract;
pub mod gate;
pub mod home;
pub mod jst;
pub mod layout;
pub mod limits;
pub mod local_work;
pub mod monitoring;
pub mod monitoring_cache;
mod monitoring_map;
pub mod paths;
pub mod public;
pub mod registration;
pub mod reports;
pub mod server;
pub mod session;
pub mod views;

pub use error::{Error, ErrorPage, Failure, RequestId, Result};

use askama::Template;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::time::Instant;
use tracing::Instrument;

use crate::app::AppState;
use layout::Layout;

const STYLESHEET: &str = include_str!("../../static/style.css");

pub fn router(state: AppState) -> Router {
    let cached = Router::new()
        .merge(public::router())
        .merge(jst::router())
        .merge(monitoring::router())
        .merge(api::router())
        .merge(registration::calendar_router())
        .route(paths::STYLESHEET, get(stylesheet))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), gate::layer))
        .layer(middleware::from_fn_with_state(state.clone(), render_errors))
        .layer(middleware::from_fn_with_state(state.clone(), cache::layer));
    let https = state.settings().https;
    let back_office = admin::router(state.clone())
        .merge(registration::router(state.clone()))
        .merge(reports::router(state.clone()))
        .merge(certificates::router())
        .merge(evidence::router())
        .layer(middleware::from_fn_with_state(state.clone(), render_errors));
    Router::new()
        .merge(api::uncached_router())
        .merge(back_office)
        .merge(cached)
        // An address with a control character is refused before the page
        // cache and every handler, with the Polish error page.
        .layer(middleware::from_fn(read_small_body))
        .layer(middleware::from_fn(extract::refuse_control_characters))
        .layer(middleware::from_fn_with_state(state.clone(), render_errors))
        .layer(middleware::from_fn(move |r, n| {
            security_headers(https, r, n)
        }))
        .layer(middleware::from_fn(close_after_refused_body))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Bodies of at most this many bytes (every form without files) are read
/// whole before any handler runs.
const SMALL_BODY: u64 = server::MAX_BUFFER as u64;

/// Whether a request's body is announced as small (`SMALL_BODY`).
fn small_body(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .is_some_and(|n| n <= SMALL_BODY)
}

/// Reads a small body before the handler, so that a request refused
/// early (a wrong token, a full budget) is answered only once the client
/// has sent all of it: a client still sending would otherwise meet a
/// connection closing under it and lose the answer.
async fn read_small_body(request: Request, next: Next) -> Result<Response> {
    if !small_body(&request) {
        return Ok(next.run(request).await);
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, SMALL_BODY as usize)
        .await
        .map_err(|e| limits::read_error(&e, "Nie udało się odczytać formularza."))?;
    Ok(next
        .run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await)
}

/// A larger body that is refused may be answered before it was read: the
/// answer says `Connection: close`, so the client does not send its next
/// request on a connection the server is draining.
async fn close_after_refused_body(request: Request, next: Next) -> Response {
    let has_body = request.headers().contains_key(header::CONTENT_LENGTH)
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    let unread = has_body && !small_body(&request);
    let mut response = next.run(request).await;
    let status = response.status();
    if unread && (status.is_client_error() || status.is_server_error()) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// Renders a page template into an HTML response.
pub fn render(page: &impl Template) -> Result<Response> {
    match page.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => {
            tracing::error!(cause = %e, "template failed");
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(ErrorPage {
                message: "Wystąpił błąd serwera".into(),
            });
            response.extensions_mut().insert(Failure);
            Ok(response)
        }
    }
}

/// No page at this address. A body sent with it is read and dropped, so
/// that the client, still sending it, gets the answer rather than a
/// closed connection.
async fn not_found(request: Request) -> Error {
    let _ = axum::body::to_bytes(request.into_body(), session::FORM_LIMIT).await;
    Error::NotFound
}

async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        STYLESHEET,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "public/error.html")]
struct ErrorView {
    layout: Layout,
    status: u16,
    message: String,
    /// The id of the request whose failure was logged (empty: none was).
    request_id: String,
}

/// Replaces a bare error response with the Polish error page.
async fn render_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wants_json = request.uri().path().starts_with("/api/");
    let request_id = request.extensions().get::<RequestId>().cloned();
    let response = next.run(request).await;
    let Some(ErrorPage { message }) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let status = response.status();
    let request_id = match (response.extensions().get::<Failure>(), request_id) {
        (Some(Failure), Some(id)) => id.0,
        _ => String::new(),
    };
    let kept: Vec<_> = [
        header::RETRY_AFTER,
        header::SET_COOKIE,
        header::CACHE_CONTROL,
    ]
    .into_iter()
    .flat_map(|name| {
        response
            .headers()
            .get_all(&name)
            .iter()
            .map(|v| (name.clone(), v.clone()))
            .collect::<Vec<_>>()
    })
    .collect();
    let mut page = if wants_json {
        let mut body = serde_json::json!({ "error": message });
        if !request_id.is_empty() {
            body["request_id"] = request_id.into();
        }
        (status, axum::Json(body)).into_response()
    } else {
        error_page(&state, status, message, request_id)
    };
    for (name, value) in kept {
        page.headers_mut().append(name, value);
    }
    page
}

/// The Polish error page of `status`.
fn error_page(
    state: &AppState,
    status: StatusCode,
    message: String,
    request_id: String,
) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => "Nie znaleziono strony",
        StatusCode::BAD_REQUEST => "Nieprawidłowe zapytanie",
        StatusCode::FORBIDDEN => "Brak dostępu",
        StatusCode::CONFLICT => "Nie udało się zapisać",
        StatusCode::TOO_MANY_REQUESTS => "Zbyt wiele prób",
        StatusCode::PAYLOAD_TOO_LARGE => "Zbyt duże dane",
        StatusCode::REQUEST_TIMEOUT => "Przekroczony czas",
        StatusCode::SERVICE_UNAVAILABLE => "Serwis chwilowo niedostępny",
        _ => "Błąd serwera",
    };
    let view = ErrorView {
        layout: Layout::new(state.site(), "", title.to_owned()),
        status: status.as_u16(),
        message,
        request_id,
    };
    match view.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, "Błąd serwera").into_response(),
    }
}

/// Content Security Policy of every response: our own styles and nothing
/// inline, no frames, forms only to ourselves.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The security headers every response carries; HSTS when served over HTTPS.
async fn security_headers(https: bool, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    // A download sets its own, stricter policy (`case_files::download`).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// The span of a request, which every line it logs carries: a random
/// request id (also sent back as `x-request-id`, and named on a failure's
/// page), the route, and the account once signed in (`web::session`
/// records it). Then one log line per request in it: method, status and
/// time taken. The route is the path's template (`/zapisy/{token}`), never
/// the path itself: paths carry tokens of registrations and password
/// resets, receipts, codes and searches, which a reader of the log must
/// not get.
async fn log_request(mut request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let id = RequestId::random();
    let span = tracing::info_span!(
        "request",
        request_id = %id.0,
        route = %route(request.extensions().get::<MatchedPath>()),
        account = tracing::field::Empty,
    );
    request.extensions_mut().insert(id.clone());
    async move {
        let mut response = next.run(request).await;
        tracing::info!(
            target: "koalicja::request",
            %method,
            status = response.status().as_u16(),
            micros = start.elapsed().as_micros() as u64,
        );
        if let Ok(value) = HeaderValue::from_str(&id.0) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        response
    }
    .instrument(span)
    .await
}

/// The header that carries a request's id back.
pub const REQUEST_ID: &str = "x-request-id";

/// What a request is logged as: the template of the route it matched, or
/// `UNMATCHED` (no route: the path is whatever the client typed).
pub fn route(matched: Option<&MatchedPath>) -> &str {
    matched.map_or(UNMATCHED, MatchedPath::as_str)
}

/// The route logged for a request that matched none.
pub const UNMATCHED: &str = "(unmatched)";
