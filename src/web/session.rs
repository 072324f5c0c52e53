//! Who is asking: the staff session behind a cookie, and the CSRF check
//! every state-changing request passes.
//!
//! A session lives in the database (`staff_session`), so any instance
//! recognises it. The cookie holds a random token; the table its hash.
//! Sessions end after 30 minutes without a request or 12 hours after
//! sign-in, whichever comes first; signing in always starts a new one.
//!
//! CSRF: a signed-in form carries the session's token; an anonymous form
//! (sign-in, password reset) carries the token of a `koalicja_csrf`
//! cookie (double submit). Over https both cookies carry the `__Host-`
//! prefix (`cookie_name`). A POST without the right token, or one a
//! browser says came from another site (`Origin`, `Sec-Fetch-Site`), is
//! refused with 403 before any handler runs, and the refusal is logged
//! (route, account id and which check failed). A file upload's token is in
//! its address, so it is checked before a byte of the body is read.

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

use super::limits::Reservation;
use crate::app::AppState;
use crate::domain::access::Staff;
use crate::domain::auth;
use crate::service::sign_in::{self, SessionStatus};

pub const SESSION_COOKIE: &str = "koalicja_sesja";
pub const CSRF_COOKIE: &str = "koalicja_csrf";
/// The form field (or `x-csrf-token` header) that carries the token.
pub const CSRF_FIELD: &str = "csrf";

pub use crate::domain::attachments::{FORM_LIMIT, UPLOAD_LIMIT};

/// What the request knows of its sender; put in the request's extensions.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub staff: Option<Staff>,
    /// Password checked, TOTP code still due.
    pub second_factor_due: Option<i64>,
    pub token_hash: Option<String>,
    pub csrf: String,
    pub address: String,
}

/// The value of one cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The name a cookie goes by: over https with the `__Host-` prefix, so a
/// browser takes it only from this host over https, with `Secure`,
/// `Path=/` and no `Domain` — no other host (a sibling subdomain, a
/// plain-http page on the way) can set or shadow the session or the CSRF
/// token.
pub fn cookie_name(https: bool, name: &str) -> String {
    if https {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// A `Set-Cookie` value with the flags every cookie here carries.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let https = state.settings().https;
    let name = cookie_name(https, name);
    let secure = if https { "; Secure" } else { "" };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The body of a form that was sent (not multipart), kept for extractors
/// that read a field beside the handler's own form (`pick::Choices`).
#[derive(Clone, Debug)]
pub struct FormBody(pub axum::body::Bytes);

/// Loads the session, checks CSRF on unsafe methods, and passes on.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let address = client_address(&parts, state.settings().trust_forwarded_for);
    let mut set_cookies = Vec::new();
    let visitor = match visitor(&state, &parts.headers, address).await {
        Ok((v, expired)) => {
            if expired {
                set_cookies.push(set_cookie(&state, SESSION_COOKIE, "", Some(0)));
            }
            v
        }
        Err(e) => return super::Error::from(e).into_response(),
    };
    let anonymous_csrf = cookie(
        &parts.headers,
        &cookie_name(state.settings().https, CSRF_COOKIE),
    )
    .map(str::to_owned);
    let visitor = match (&visitor.staff, &visitor.second_factor_due, anonymous_csrf) {
        (None, None, None) => {
            let token = auth::new_token().unwrap_or_default();
            set_cookies.push(set_cookie(&state, CSRF_COOKIE, &token, None));
            Visitor {
                csrf: token,
                ..visitor
            }
        }
        (None, None, Some(token)) => Visitor {
            csrf: token,
            ..visitor
        },
        _ => visitor,
    };
    let changing = is_unsafe(&parts.method);
    let (body, reservation) = if changing {
        match checked_body(&state, &mut parts, body, &visitor).await {
            Ok((body, reservation)) => (body, Some(reservation)),
            Err(refused) => return refused.into_response(),
        }
    } else {
        (body, None)
    };
    parts.extensions.insert(visitor);
    let mut response = next.run(Request::from_parts(parts, body)).await;
    drop(reservation);
    if changing && response.status().is_redirection() {
        // This instance shows its own change at once; others within the
        // refresh interval (or at once, on PostgreSQL).
        if let Err(e) = state.refresh_after_write().await {
            tracing::warn!(cause = %e, "could not refresh after a change");
        }
    }
    for c in set_cookies {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What a refused state-changing request is told.
const FORGED: &str =
    "Formularz wygasł albo nie pochodzi z tej strony. Wróć, odśwież stronę i wyślij go ponownie.";

/// The checks of a state-changing request, in this order, each before a
/// byte of the body is read unless said: the request comes from this
/// site (`Origin`, `Sec-Fetch-Site`); for a file upload, the token in the
/// address (or header); the declared size within the limit; room in the
/// body budget (`limits::BodyBudget`). A form's body is then read (to
/// `FORM_LIMIT`) and its token checked; an upload's body is left to its
/// handler, which reads it within `UPLOAD_LIMIT`. The reservation is
/// held until the answer is made.
async fn checked_body(
    state: &AppState,
    parts: &mut Parts,
    body: Body,
    visitor: &Visitor,
) -> Result<(Body, Reservation), super::Error> {
    let forged = |why: &str| {
        tracing::warn!(
            route = %super::route(parts.extensions.get::<MatchedPath>()),
            account = visitor.staff.as_ref().map(|s| s.account_id),
            why,
            "refused: missing or wrong CSRF token"
        );
        super::Error::Forbidden(FORGED.into())
    };
    if let Some(why) = cross_site(parts, state.settings()) {
        return Err(forged(why));
    }
    let multipart = is_multipart(&parts.headers);
    let early = sent_early(parts, multipart);
    match &early {
        Some(sent) if !token_ok(sent, &visitor.csrf) => return Err(forged("token")),
        None if multipart => return Err(forged("token")),
        _ => {}
    }
    let limit = if multipart { UPLOAD_LIMIT } else { FORM_LIMIT };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(super::Error::TooLarge);
    }
    let reservation = state
        .body_budget()
        .reserve(&visitor.address, declared.unwrap_or(limit))?;
    if multipart {
        return Ok((body, reservation));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|e| super::limits::read_error(&e, UNREADABLE))?;
    if early.is_none() && !field(&bytes).is_some_and(|sent| token_ok(&sent, &visitor.csrf)) {
        return Err(forged("token"));
    }
    parts.extensions.insert(FormBody(bytes.clone()));
    Ok((Body::from(bytes), reservation))
}

const UNREADABLE: &str = "Nie udało się odczytać formularza. Wróć i spróbuj ponownie.";

/// The address sign-in limits count by: the connection's peer, or behind
/// a trusted proxy the address it appended last to `X-Forwarded-For`.
fn client_address(parts: &Parts, trust_forwarded_for: bool) -> String {
    let forwarded = trust_forwarded_for
        .then(|| parts.headers.get_all("x-forwarded-for").iter().next_back())
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(|v| v.trim().to_owned())
        .filter(|v| v.parse::<std::net::IpAddr>().is_ok());
    forwarded.unwrap_or_else(|| {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    })
}

fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_multipart(h: &HeaderMap) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// The token sent outside the body: the `x-csrf-token` header, or for
/// file uploads (whose body is read by their handler) the query string.
fn sent_early(parts: &Parts, multipart: bool) -> Option<String> {
    let from_header = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    from_header.or_else(|| {
        multipart
            .then(|| parts.uri.query().and_then(|q| field(q.as_bytes())))
            .flatten()
    })
}

/// The token field of a form body or query string.
fn field(raw: &[u8]) -> Option<String> {
    form_urlencoded::parse(raw)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned())
}

fn token_ok(sent: &str, expected: &str) -> bool {
    !expected.is_empty() && auth::same(sent, expected)
}

/// Why a request does not come from this site, if it does not: a browser
/// says where a form was sent from (`Origin`, `Sec-Fetch-Site`); tools
/// that say nothing are judged by their token alone. The site is
/// `base_url`'s origin, or, when `base_url` is not set, also the `Host`
/// the request came to.
fn cross_site(parts: &Parts, settings: &crate::config::Settings) -> Option<&'static str> {
    let h = &parts.headers;
    if h.get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return Some("Sec-Fetch-Site: cross-site");
    }
    let origin = h.get(header::ORIGIN)?;
    let origin = origin.to_str().unwrap_or_default().to_ascii_lowercase();
    if origin == origin_of(&settings.base_url) {
        return None;
    }
    let host = h
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let authority = origin.split_once("://").map(|(_, a)| a);
    if !settings.base_url_set && host.is_some() && authority == host.as_deref() {
        return None;
    }
    Some("Origin")
}

/// `scheme://host[:port]` of a URL as a browser sends it in `Origin`:
/// lower-case, without a path and without the scheme's default port.
fn origin_of(url: &str) -> String {
    let url = url.to_ascii_lowercase();
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url.as_str()));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let default = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default).unwrap_or(authority);
    format!("{scheme}://{authority}")
}

/// Reads the session cookie; the flag says an expired session was ended.
/// The account of a signed-in session is recorded in the request's span.
async fn visitor(
    state: &AppState,
    headers: &HeaderMap,
    address: String,
) -> Result<(Visitor, bool), crate::store::StoreError> {
    let none = Visitor {
        staff: None,
        second_factor_due: None,
        token_hash: None,
        csrf: String::new(),
        address,
    };
    let name = cookie_name(state.settings().https, SESSION_COOKIE);
    let Some(token) = cookie(headers, &name).filter(|t| !t.is_empty()) else {
        return Ok((none, false));
    };
    let hash = auth::token_hash(token);
    Ok(
        match sign_in::session(state.db(), state.clock(), &hash).await? {
            SessionStatus::Ended => (none, true),
            SessionStatus::SecondFactorDue { account, csrf } => (
                Visitor {
                    second_factor_due: Some(account),
                    token_hash: Some(hash),
                    csrf,
                    ..none
                },
                false,
            ),
            SessionStatus::Signed { staff, csrf } => {
                tracing::Span::current().record("account", staff.account_id);
                (
                    Visitor {
                        staff: Some(staff),
                        token_hash: Some(hash),
                        csrf,
                        ..none
                    },
                    false,
                )
            }
        },
    )
}

/// A signed-in staff member; anyone else is sent to the sign-in page.
pub struct Signed(pub Staff, pub Visitor);

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let visitor = parts.extensions.get::<Visitor>().cloned();
        match visitor.and_then(|v| v.staff.clone().map(|s| (s, v))) {
            Some((staff, v)) => Ok(Signed(staff, v)),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/admin");
                let target = format!(
                    "{}?dalej={}",
                    super::admin::paths::SIGN_IN,
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Anyone, signed in or not, with their CSRF token.
pub struct Anyone(pub Visitor);

impl<S: Send + Sync> FromRequestParts<S> for Anyone {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, StatusCode> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .map(Anyone)
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}
