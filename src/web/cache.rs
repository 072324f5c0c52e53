//! The page cache: public pages are rendered once per change of what they
//! show and served from memory, gzip-compressed ahead of time.
//!
//! Architecture Invariant: a cached page is served as fresh only while
//! none of its topics (`topics_of`, by route) moved since it was rendered;
//! once one moved, it is served only to requests that arrive while another
//! request re-renders it (or, for a page overtaken by a change during its
//! render, until `Settings::render_gap` after that render began), and for
//! at most `Settings::stale_pages` after
//! this instance learnt of the change: never older than the data by more
//! than that and one refresh interval. A write in this process marks the
//! pages of its topics at once; writes by other processes move their
//! topics' counters in `meta`, which `app::refresh` reads.
//!
//! One render of a page at a time: the first request renders, the others
//! get the previous page if there is one still young enough, or wait for
//! the render and are answered from the cache (`Flights`); they render
//! themselves only if its page was not kept. A render refused for load
//! (503) is also answered with the previous page while it is young enough.
//! A render during which the data moved again is kept as stale since it
//! started, so pages that change faster than they render are still
//! rendered one at a time, and the next render of such a page starts no
//! sooner than `Settings::render_gap` after it began: under a stream of
//! registrations a list is rendered once a second, not back to back.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::watch;

use super::paths;
use crate::app::AppState;
use crate::store::Topics;

/// The largest page kept (the national table as JSON is about 1.5 MB); a
/// larger one is answered with an error, logged.
const MAX_BODY: usize = 8 * 1024 * 1024;
/// Above this many entries the cache starts afresh.
const MAX_ENTRIES: usize = 4096;

/// What the figures of the project (`store::stats`) are computed from.
pub const FIGURES: Topics = Topics::ACTIVITIES
    .with(Topics::PEOPLE)
    .with(Topics::REGISTER)
    .with(Topics::PROGRAMME);
/// What lists and pages of activities show: with their free places, the
/// people who speak, the places they are held; and the layout's project.
const ACTIVITY_PAGES: Topics = Topics::ACTIVITIES
    .with(Topics::PLACES)
    .with(Topics::PEOPLE)
    .with(Topics::REGISTER)
    .with(Topics::PROGRAMME);
/// The advisory and interventions section: sessions with the advisers and
/// organisations advised, cases.
const ADVISORY: Topics = FIGURES
    .with(Topics::CASES)
    .with(Topics::ACCOUNTS)
    .with(Topics::ORGANISATIONS);

/// The monitor's table: its facts, the register's units, the layout.
const MONITOR: Topics = Topics::MONITOR
    .with(Topics::REGISTER)
    .with(Topics::PROGRAMME);

/// The topics the page at `path` is made from: a change of any of them
/// re-renders it, a change of others leaves it. Every page's layout shows
/// the project (`Topics::PROGRAMME`); a path not named here depends on all.
pub fn topics_of(path: &str) -> Topics {
    let under = |section: &str| path.starts_with(section);
    match path {
        // The home page shows the monitor's map too.
        paths::HOME => FIGURES.with(MONITOR),
        paths::STATS_API => FIGURES,
        paths::STYLESHEET => Topics::NONE,
        paths::ADVISORY | paths::ADVISORY_API => ADVISORY,
        paths::RESEARCH | paths::GUIDES => Topics::PROGRAMME.with(Topics::REGISTER),
        paths::NETWORK => Topics::PROGRAMME
            .with(Topics::PEOPLE)
            .with(Topics::ORGANISATIONS)
            .with(Topics::REGISTER),
        // A unit's page also lists the organisations within it, and its
        // years in the monitor.
        _ if under(paths::JST_INDEX) => ACTIVITY_PAGES
            .with(Topics::ORGANISATIONS)
            .with(Topics::MONITOR),
        // The index's method: the configuration and the layout.
        paths::MONITORING_METHOD => Topics::PROGRAMME,
        paths::MONITORING
        | paths::MONITORING_MAP
        | paths::MONITORING_MAP_IMAGE
        | paths::MONITORING_API
        | paths::MONITORING_CSV => MONITOR,
        // Calendars say when and where, not how many places are free.
        _ if path.ends_with(".ics") => ACTIVITY_PAGES.without(Topics::PLACES),
        _ if under(paths::TRAININGS) || under(paths::EVENTS) || under(paths::LOCAL_WORK) => {
            ACTIVITY_PAGES
        }
        _ => Topics::ALL,
    }
}

pub struct CachedPage {
    content_type: HeaderValue,
    disposition: Option<HeaderValue>,
    etag: HeaderValue,
    cache_control: HeaderValue,
    body: Bytes,
    gzip: Option<Bytes>,
}

/// A kept page: what it is made from, and since when one of that moved.
struct Entry {
    page: Arc<CachedPage>,
    topics: Topics,
    stale_since: Option<Timestamp>,
    /// For a page whose data moved again during its render: not rendered
    /// again before then (`PageCache::gap`).
    rests_until: Option<Timestamp>,
}

/// What the cache holds for a request.
enum Found {
    Fresh(Arc<CachedPage>),
    /// The previous page, still young enough to answer while it is re-rendered.
    Stale(Arc<CachedPage>),
    /// The previous page, which answers without a render: its data moves
    /// faster than it renders, and its last render began less than the
    /// gap ago.
    Resting(Arc<CachedPage>),
    Missing,
}

/// Pages by path and query. Each topic counts the changes of it this
/// instance learnt of (`generation`); a page rendered while one of its
/// topics moved is not stored, so a render that raced with a change cannot
/// outlive it.
pub struct PageCache {
    pages: RwLock<HashMap<String, Entry>>,
    /// Changes learnt of, per topic (by bit).
    changes: [AtomicU64; 16],
    /// How long a page whose topics moved may still answer.
    stale_for: SignedDuration,
    /// The least time between the starts of two renders of a page whose
    /// data moved during the first: while staff or registrations change it
    /// many times a second, it is rendered once per gap, not back to back.
    gap: SignedDuration,
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
    /// Requests answered with the previous page while it was re-rendered.
    stale: AtomicUsize,
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
    /// An empty cache whose pages answer for at most `stale_for` after
    /// their topics moved, while they are re-rendered, and whose pages
    /// overtaken by a change during their render are rendered again at
    /// most once per `gap`.
    pub fn new(stale_for: std::time::Duration, gap: std::time::Duration) -> PageCache {
        let signed = |d| SignedDuration::try_from(d).unwrap_or(SignedDuration::ZERO);
        PageCache {
            pages: RwLock::default(),
            changes: Default::default(),
            stale_for: signed(stale_for),
            gap: signed(gap),
            flights: Flights::default(),
        }
    }

    /// The page kept for `key`, as fresh or stale as it is at `now`.
    fn find(&self, key: &str, now: Timestamp) -> Found {
        let Some(pages) = self.pages.read().ok() else {
            return Found::Missing;
        };
        match pages.get(key) {
            Some(Entry {
                page,
                stale_since: None,
                ..
            }) => Found::Fresh(page.clone()),
            Some(Entry {
                page,
                stale_since: Some(since),
                rests_until,
                ..
            }) if now.duration_since(*since) <= self.stale_for => {
                if rests_until.is_some_and(|t| now < t) {
                    Found::Resting(page.clone())
                } else {
                    Found::Stale(page.clone())
                }
            }
            _ => Found::Missing,
        }
    }

    /// The generation of `topics` to pass to `put` for a render (or a
    /// computation) that starts now: it moves with every change of them.
    pub fn generation(&self, topics: Topics) -> u64 {
        (0..16)
            .filter(|&bit| topics.meets(Topics::bit(bit)))
            .map(|bit| self.changes[bit].load(Ordering::Acquire))
            .sum()
    }

    /// Keeps a page whose render started at `started`, at `generation` of
    /// its topics. When they moved during the render, the page is kept as
    /// stale since its start (what it shows is no older than that), unless
    /// a fresh one is kept already: while the data changes faster than a
    /// page renders, requests still get a page at most `stale_for` old and
    /// one request re-renders it, instead of each rendering its own — and
    /// not before `gap` after this render began.
    fn put(
        &self,
        key: String,
        page: Arc<CachedPage>,
        topics: Topics,
        generation: u64,
        started: Timestamp,
    ) {
        if let Ok(mut pages) = self.pages.write() {
            let stale_since = (self.generation(topics) != generation).then_some(started);
            if stale_since.is_some()
                && pages
                    .get(&key)
                    .is_some_and(|e| e.stale_since.is_none_or(|s| s >= started))
            {
                return;
            }
            if pages.len() >= MAX_ENTRIES {
                pages.clear();
            }
            let entry = Entry {
                page,
                topics,
                stale_since,
                rests_until: stale_since.and_then(|s| s.checked_add(self.gap).ok()),
            };
            pages.insert(key, entry);
        }
    }

    /// Notes that `topics` moved (learnt at `now`): pages made from them
    /// become stale, and renders of them running now are not kept. When
    /// the places moved of the activities `places_of` (slugs) alone, the
    /// pages of other single activities stay fresh.
    pub fn invalidate(&self, topics: Topics, places_of: Option<&[String]>, now: Timestamp) {
        if topics.is_empty() {
            return;
        }
        if let Ok(mut pages) = self.pages.write() {
            for bit in (0..16).filter(|&bit| topics.meets(Topics::bit(bit))) {
                self.changes[bit].fetch_add(1, Ordering::AcqRel);
            }
            for (key, entry) in pages.iter_mut() {
                if touched(key, entry.topics, topics, places_of) {
                    entry.stale_since.get_or_insert(now);
                }
            }
        }
    }

    /// How many requests wait now for a render of their page that another
    /// request started.
    pub fn following(&self) -> usize {
        self.flights.following.load(Ordering::SeqCst)
    }

    /// How many pages are being rendered now.
    pub fn rendering(&self) -> usize {
        self.flights.running.lock().map(|r| r.len()).unwrap_or(0)
    }

    /// Pages rendered so far for requests the cache could not answer fresh.
    pub fn renders(&self) -> usize {
        self.flights.led.load(Ordering::SeqCst)
    }

    /// Requests answered so far with a page's previous version while it was
    /// re-rendered.
    pub fn stale_answers(&self) -> usize {
        self.flights.stale.load(Ordering::SeqCst)
    }
}

/// Whether the page at `key`, made from `made_of`, changed when `moved`
/// did (the places only of the activities `places_of`, if known).
fn touched(key: &str, made_of: Topics, moved: Topics, places_of: Option<&[String]>) -> bool {
    if made_of.meets(moved.without(Topics::PLACES)) {
        return true;
    }
    if !made_of.meets(moved) {
        return false;
    }
    match (places_of, activity_slug(key)) {
        (Some(slugs), Some(slug)) => slugs.iter().any(|s| s == slug),
        _ => true,
    }
}

/// The slug of the page of one activity (`/szkolenia/{slug}`,
/// `/wydarzenia/{slug}`); `None` for other pages.
fn activity_slug(key: &str) -> Option<&str> {
    let path = key.split('?').next()?;
    [paths::TRAININGS, paths::EVENTS]
        .into_iter()
        .find_map(|section| {
            let slug = path.strip_prefix(section)?.strip_prefix('/')?;
            (!slug.is_empty() && !slug.contains('/')).then_some(slug)
        })
}

impl CachedPage {
    fn new(
        content_type: HeaderValue,
        cache_control: HeaderValue,
        disposition: Option<HeaderValue>,
        body: Bytes,
    ) -> CachedPage {
        let gzip = gzip(&body).filter(|z| z.len() < body.len());
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", fnv1a(&body)))
            .unwrap_or(HeaderValue::from_static("\"0\""));
        CachedPage {
            content_type,
            disposition,
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
        if let Some(d) = &self.disposition {
            headers.insert(header::CONTENT_DISPOSITION, d.clone());
        }
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
    let topics = topics_of(request.uri().path());
    let cache = state.cache();
    let previous = match cache.find(&key, state.clock().now()) {
        Found::Fresh(page) => return page.respond(request.headers()),
        Found::Resting(page) => {
            cache.flights.stale.fetch_add(1, Ordering::SeqCst);
            return page.respond(request.headers());
        }
        Found::Stale(page) => Some(page),
        Found::Missing => None,
    };
    let _leading = match cache.flights.join(&key) {
        Some(Turn::Follow(running)) => {
            if let Some(page) = &previous {
                cache.flights.stale.fetch_add(1, Ordering::SeqCst);
                return page.respond(request.headers());
            }
            if let Some(page) = cache.follow(&key, running, &state).await {
                return page.respond(request.headers());
            }
            None
        }
        Some(Turn::Lead(leading)) => {
            cache.flights.led.fetch_add(1, Ordering::SeqCst);
            Some(leading)
        }
        None => None,
    };
    let headers = request.headers().clone();
    let generation = cache.generation(topics);
    let started = state.clock().now();
    let response = next.run(request).await;
    if response.status() == StatusCode::SERVICE_UNAVAILABLE && previous.is_some() {
        // No turn or no database for the new page: the previous one, if
        // still young enough, rather than an error.
        if let Found::Stale(page) | Found::Resting(page) = cache.find(&key, state.clock().now()) {
            cache.flights.stale.fetch_add(1, Ordering::SeqCst);
            return page.respond(&headers);
        }
    }
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        tracing::error!(limit = MAX_BODY, "a page is larger than the cache keeps");
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
    // A file to download (a CSV) keeps its name.
    let disposition = parts.headers.get(header::CONTENT_DISPOSITION).cloned();
    let page = Arc::new(CachedPage::new(
        content_type,
        cache_control,
        disposition,
        bytes,
    ));
    cache.put(key, page.clone(), topics, generation, started);
    page.respond(&headers)
}

impl PageCache {
    /// Waits for another request's render of `key`; then the page it kept,
    /// if any.
    async fn follow(
        &self,
        key: &str,
        mut running: watch::Receiver<()>,
        state: &AppState,
    ) -> Option<Arc<CachedPage>> {
        self.flights.following.fetch_add(1, Ordering::SeqCst);
        // Ends with an error when the render ends.
        let _ = running.changed().await;
        self.flights.following.fetch_sub(1, Ordering::SeqCst);
        match self.find(key, state.clock().now()) {
            Found::Fresh(page) | Found::Stale(page) | Found::Resting(page) => Some(page),
            Found::Missing => None,
        }
    }
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
    fn each_page_follows_the_topics_it_is_made_from() {
        let places = |p: &str| topics_of(p).meets(Topics::PLACES);
        let organisations = |p: &str| topics_of(p).meets(Topics::ORGANISATIONS);
        assert!(places("/szkolenia") && places("/szkolenia/x") && places("/jst/1420"));
        // Calendars say when and where, not how many places are free.
        assert!(!places("/szkolenia.ics") && !places("/wydarzenia/x/kalendarz.ics"));
        assert!(topics_of("/szkolenia.ics").meets(Topics::ACTIVITIES));
        assert!(!places("/") && !places("/api/v1/stats") && !places("/badania"));
        assert!(organisations("/jst/1420") && organisations("/siec-urzednikow"));
        assert!(!organisations("/") && !organisations("/szkolenia"));
        assert_eq!(topics_of("/static/style.css"), Topics::NONE);
        assert_eq!(topics_of("/nieznana"), Topics::ALL);
        for path in [
            "/",
            "/szkolenia",
            "/badania",
            "/jst",
            "/doradztwo-i-interwencje",
        ] {
            assert!(
                topics_of(path).meets(Topics::PROGRAMME),
                "{path}: the layout"
            );
        }
    }

    #[test]
    fn places_of_some_activities_touch_their_pages_and_the_lists() {
        let places = Topics::PLACES;
        let a = ["a".to_owned()];
        let made_of = topics_of("/szkolenia/a");
        assert!(touched("/szkolenia/a", made_of, places, Some(&a)));
        assert!(!touched("/szkolenia/b", made_of, places, Some(&a)));
        assert!(!touched("/wydarzenia/b?x=1", made_of, places, Some(&a)));
        assert!(touched("/szkolenia/b", made_of, places, None), "not known");
        let both = places.with(Topics::ACTIVITIES);
        assert!(touched("/szkolenia/b", made_of, both, Some(&a)));
        assert!(touched(
            "/szkolenia",
            topics_of("/szkolenia"),
            places,
            Some(&a)
        ));
        assert!(touched(
            "/szkolenia/b/kalendarz.ics",
            made_of,
            places,
            Some(&a)
        ));
        assert!(!touched("/", topics_of("/"), places, None));
        assert_eq!(activity_slug("/szkolenia.ics"), None);
        assert_eq!(activity_slug("/wydarzenia/x"), Some("x"));
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
