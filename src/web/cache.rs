//! The page cache: public pages are rendered once per data version and
//! served from memory, gzip-compressed ahead of time.
//!
//! Architecture Invariant: a cached page is never older than the data it
//! was rendered from by more than one refresh interval. Every write in
//! this process clears the cache at once; writes by other processes bump
//! `meta.data_version`, which `app::refresh` polls.
//!
//! Concurrent misses of one page render it once: the first renders, the
//! others wait for it and are answered from the cache (`Flights`); they
//! render themselves only if its page was not kept.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;

use super::paths;
use crate::app::AppState;

/// Pages larger than this are served but not kept.
const MAX_BODY: usize = 512 * 1024;
/// Above this many entries the cache starts afresh.
const MAX_ENTRIES: usize = 4096;

pub struct CachedPage {
    content_type: HeaderValue,
    etag: HeaderValue,
    cache_control: HeaderValue,
    body: Bytes,
    gzip: Option<Bytes>,
}

/// Pages by path and query. Each `clear` starts a new generation; a page
/// rendered during an older generation is not stored, so a render that
/// raced with a change cannot outlive it.
#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
    generation: AtomicU64,
    flights: Flights,
}

/// The pages being rendered now, each with a signal that ends when its
/// render does.
#[derive(Default)]
struct Flights {
    running: Mutex<HashMap<String, watch::Receiver<()>>>,
    /// Requests waiting for another's render now.
    following: AtomicUsize,
    /// Renders run so far, each for the requests that waited for it.
    led: AtomicUsize,
}

/// Whether this request renders its page or waits for another's render.
enum Turn<'a> {
    Lead(Leading<'a>),
    Follow(watch::Receiver<()>),
}

/// A render in progress; when dropped (the page stored, or the request
/// gone) those waiting for it wake.
struct Leading<'a> {
    flights: &'a Flights,
    key: String,
    _done: watch::Sender<()>,
}

impl Flights {
    fn join(&self, key: &str) -> Option<Turn<'_>> {
        let mut flights = self.running.lock().ok()?;
        if let Some(running) = flights.get(key) {
            return Some(Turn::Follow(running.clone()));
        }
        let (done, running) = watch::channel(());
        flights.insert(key.to_owned(), running);
        Some(Turn::Lead(Leading {
            flights: self,
            key: key.to_owned(),
            _done: done,
        }))
    }
}

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        if let Ok(mut flights) = self.flights.running.lock() {
            flights.remove(&self.key);
        }
    }
}

impl PageCache {
    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.pages.read().ok()?.get(key).cloned()
    }

    /// The generation to pass to `put` for a render that starts now.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn put(&self, key: String, page: Arc<CachedPage>, generation: u64) {
        if let Ok(mut pages) = self.pages.write() {
            if self.generation() != generation {
                return;
            }
            if pages.len() >= MAX_ENTRIES {
                pages.clear();
            }
            pages.insert(key, page);
        }
    }

    /// How many requests wait now for a render of their page that another
    /// request started.
    pub fn following(&self) -> usize {
        self.flights.following.load(Ordering::SeqCst)
    }

    /// Pages rendered so far for requests the cache could not answer.
    pub fn renders(&self) -> usize {
        self.flights.led.load(Ordering::SeqCst)
    }

    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            pages.clear();
        }
    }
}

impl CachedPage {
    fn new(content_type: HeaderValue, cache_control: HeaderValue, body: Bytes) -> CachedPage {
        let gzip = gzip(&body).filter(|z| z.len() < body.len());
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", fnv1a(&body)))
            .unwrap_or(HeaderValue::from_static("\"0\""));
        CachedPage {
            content_type,
            etag,
            cache_control,
            body,
            gzip,
        }
    }

    fn respond(&self, request: &HeaderMap) -> Response {
        let mut headers = HeaderMap::with_capacity(5);
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if request.get(header::IF_NONE_MATCH) == Some(&self.etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        let body = match &self.gzip {
            Some(z) if accepts_gzip(request) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                z.clone()
            }
            _ => self.body.clone(),
        };
        (headers, Body::from(body)).into_response()
    }
}

/// Serves GET requests from the cache, and fills it with successful
/// responses of the handlers below.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let key = cache_key(request.uri().path(), request.uri().query());
    if let Some(page) = state.cache().get(&key) {
        return page.respond(request.headers());
    }
    let _leading = match state.cache().flights.join(&key) {
        Some(Turn::Follow(mut running)) => {
            let flights = &state.cache().flights;
            flights.following.fetch_add(1, Ordering::SeqCst);
            // Ends with an error when the render ends.
            let _ = running.changed().await;
            flights.following.fetch_sub(1, Ordering::SeqCst);
            if let Some(page) = state.cache().get(&key) {
                return page.respond(request.headers());
            }
            None
        }
        Some(Turn::Lead(leading)) => {
            state.cache().flights.led.fetch_add(1, Ordering::SeqCst);
            Some(leading)
        }
        None => None,
    };
    let headers = request.headers().clone();
    let generation = state.cache().generation();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
    let cache_control = parts
        .headers
        .get(header::CACHE_CONTROL)
        .cloned()
        .unwrap_or(HeaderValue::from_static("no-cache"));
    let page = Arc::new(CachedPage::new(content_type, cache_control, bytes));
    state.cache().put(key, page.clone(), generation);
    page.respond(&headers)
}

/// The path and the known query parameters (decoded, in a fixed order).
fn cache_key(path: &str, query: Option<&str>) -> String {
    let Some(query) = query else {
        return path.to_owned();
    };
    let mut known: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| paths::QUERY_PARAMS.contains(&name.as_ref()))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if known.is_empty() {
        return path.to_owned();
    }
    known.sort();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(known)
        .finish();
    format!("{path}?{query}")
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.trim().split(';');
            parts.next().map(str::trim) == Some("gzip")
                && !parts.any(|p| p.trim().replace(' ', "") == "q=0")
        })
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::best());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_keeps_only_known_parameters_in_order() {
        assert_eq!(cache_key("/", None), "/");
        assert_eq!(cache_key("/", Some("utm_source=x&a=1")), "/");
        assert_eq!(
            cache_key("/szkolenia", Some("x=1&strona=2")),
            "/szkolenia?strona=2"
        );
        assert_eq!(
            cache_key("/szkolenia", Some("str%6Fna=2")),
            "/szkolenia?strona=2"
        );
        assert_eq!(
            cache_key("/api/v1/stats", Some("to=2023-12-31&from=2023-01-01")),
            "/api/v1/stats?from=2023-01-01&to=2023-12-31"
        );
    }

    #[test]
    fn gzip_is_chosen_only_when_accepted() {
        let mut h = HeaderMap::new();
        assert!(!accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br, gzip;q=0.8"),
        );
        assert!(accepts_gzip(&h));
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip;q=0, br"),
        );
        assert!(!accepts_gzip(&h));
    }
}
