//! The running server: shared state, start-up, the data-version watcher
//! and graceful shutdown.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;

pub use crate::clock::{stamp, warsaw, Clock};
use crate::config::Settings;
use crate::domain::sealed::SecretKey;
use crate::domain::stats::{DateRange, Stats};
use crate::store::{self, Db, StoreError, Topics, Versions};
use crate::web::activity_cache;
use crate::web::activity_cache::ActivityCache;
use crate::web::cache::{self, PageCache};
use crate::web::gate::Gate;
use crate::web::layout::SiteInfo;
use crate::web::limits::BodyBudget;

/// How often each instance checks whether another process changed data.
pub const REFRESH_INTERVAL: Duration = Duration::from_millis(500);

struct Inner {
    db: Db,
    clock: Clock,
    settings: Settings,
    /// Seals secrets at rest (`crate::secret_key`).
    secret_key: SecretKey,
    /// What this instance's jobs work with (`jobs::Context`).
    jobs: crate::jobs::Context,
    cache: PageCache,
    /// Turns of the public computations (`web::gate`).
    gate: Gate,
    activities: ActivityCache,
    monitor: crate::web::monitoring_cache::MonitorCache,
    site: RwLock<Arc<SiteInfo>>,
    stats: RwLock<HashMap<(i64, DateRange), Stats>>,
    seen: RwLock<(Versions, Option<jiff::civil::Date>)>,
    /// One refresh at a time: two that read `seen` before either wrote it
    /// (the watcher's and a request's after its write) would mark the same
    /// change twice, and the second would discard a render begun after
    /// the first.
    refreshing: tokio::sync::Mutex<()>,
    bodies: BodyBudget,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] crate::secret_key::KeyError),
}

impl AppState {
    /// The state of a server: its key for secrets at rest found or made,
    /// TOTP secrets written before encryption sealed with it, and the
    /// caches filled.
    pub async fn new(db: Db, clock: Clock, settings: Settings) -> Result<AppState, StartError> {
        let secret_key = crate::secret_key::resolve(&settings)?;
        crate::service::accounts::seal_totp_secrets(&db, &secret_key).await?;
        let bodies = BodyBudget::new(&settings.transport);
        let jobs = crate::jobs::Context::new(db.clone(), clock.clone(), settings.clone());
        let cache = PageCache::new(settings.stale_pages, settings.render_gap);
        let state = AppState(Arc::new(Inner {
            db,
            clock,
            gate: Gate::new(settings.public_computations, settings.statement_timeout),
            settings,
            secret_key,
            jobs,
            cache,
            activities: ActivityCache::default(),
            monitor: Default::default(),
            site: RwLock::new(Arc::new(SiteInfo::default())),
            stats: RwLock::new(HashMap::new()),
            seen: RwLock::new((Versions::default(), None)),
            refreshing: tokio::sync::Mutex::new(()),
            bodies,
        }));
        state.refresh().await?;
        Ok(state)
    }

    pub fn db(&self) -> &Db {
        &self.0.db
    }

    pub fn cache(&self) -> &PageCache {
        &self.0.cache
    }

    /// Turns of the public computations.
    pub fn gate(&self) -> &Gate {
        &self.0.gate
    }

    /// Activities without counts, kept while no record changes.
    pub fn activities(&self) -> &ActivityCache {
        &self.0.activities
    }

    /// The monitor's tables of a year, kept while its facts and the date
    /// stand.
    pub fn monitor(&self) -> &crate::web::monitoring_cache::MonitorCache {
        &self.0.monitor
    }

    /// Today's date in Warsaw.
    pub fn today(&self) -> jiff::civil::Date {
        self.0.clock.today_date()
    }

    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// The key secrets at rest are sealed with.
    pub fn secret_key(&self) -> &SecretKey {
        &self.0.secret_key
    }

    /// The memory request bodies may take at once.
    pub fn body_budget(&self) -> &BodyBudget {
        &self.0.bodies
    }

    /// Tells this instance's job loop that jobs were queued.
    pub fn jobs_queued(&self) {
        self.0.jobs.queued();
    }

    /// What this instance's jobs work with.
    pub fn jobs(&self) -> &crate::jobs::Context {
        &self.0.jobs
    }

    pub fn site(&self) -> Arc<SiteInfo> {
        self.0.site.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// The figures for a range, computed once per change of what they are
    /// made from (`cache::FIGURES`).
    pub async fn stats(
        &self,
        project: &store::programme::Project,
        range: &DateRange,
    ) -> Result<Stats, StoreError> {
        let key = (project.id, *range);
        if let Some(s) = self.0.stats.read().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(s);
        }
        let generation = self.0.cache.generation(cache::FIGURES);
        let stats = store::stats::compute(&self.0.db, project, range).await?;
        if let Ok(mut m) = self.0.stats.write() {
            if m.len() > 1024 {
                m.clear();
            }
            // Figures computed while the data changed are not kept.
            if self.0.cache.generation(cache::FIGURES) == generation {
                m.insert(key, stats.clone());
            }
        }
        Ok(stats)
    }

    /// After a request that may have written: refreshes if this process
    /// committed versions newer than the ones its caches show (one that
    /// wrote nothing public costs no query).
    pub async fn refresh_after_write(&self) -> Result<bool, StoreError> {
        let seen = self.seen().0;
        let written = self.0.db.written_versions();
        if seen.max(written) == seen {
            return Ok(false);
        }
        // Changes of other instances up to then are in those versions too;
        // later ones come with the watcher.
        self.refresh_to(seen.max(written)).await
    }

    /// Drops what was derived from data whose versions moved, or from
    /// everything when the date changed, since the last look. Returns
    /// whether anything moved.
    pub async fn refresh(&self) -> Result<bool, StoreError> {
        let versions = self.0.db.versions().await?;
        self.refresh_to(versions).await
    }

    fn seen(&self) -> (Versions, Option<jiff::civil::Date>) {
        self.0.seen.read().map(|s| *s).unwrap_or_default()
    }

    /// `refresh`, knowing the versions: each cache drops (the page cache
    /// marks stale) only what is made from the topics that moved, so
    /// registrations changing status leave the site's project, the
    /// activities and the figures as they are.
    async fn refresh_to(&self, versions: Versions) -> Result<bool, StoreError> {
        let _turn = self.0.refreshing.lock().await;
        let today = Some(self.today());
        let (seen, seen_today) = self.seen();
        // Counters only grow: a read older than this process's own writes
        // moves nothing back.
        let versions = seen.max(versions);
        if seen == versions && seen_today == today {
            return Ok(false);
        }
        let moved = match seen_today == today {
            true => seen.moved(&versions),
            false => Topics::ALL,
        };
        if moved.meets(Topics::PROGRAMME) {
            let site = SiteInfo {
                project: store::programme::main_project(&self.0.db).await?,
            };
            if let Ok(mut s) = self.0.site.write() {
                *s = Arc::new(site);
            }
        }
        if moved.meets(activity_cache::TOPICS) {
            self.0.activities.clear();
        }
        if moved.meets(Topics::REGISTER) {
            self.0.monitor.clear_register();
        } else if moved.meets(crate::web::monitoring_cache::TOPICS) {
            self.0.monitor.clear();
        }
        // Registrations alone: only the pages of their activities and the
        // lists change.
        let places_of = match moved.meets(Topics::ACTIVITIES) {
            false if moved.meets(Topics::PLACES) => {
                self.0.db.places_changed(&seen, &versions).await?
            }
            _ => None,
        };
        if let Ok(mut m) = self.0.stats.write() {
            if moved.meets(cache::FIGURES) {
                m.clear();
            }
            let now = self.0.clock.now();
            self.0.cache.invalidate(moved, places_of.as_deref(), now);
        }
        if let Ok(mut s) = self.0.seen.write() {
            *s = (versions, today);
        }
        Ok(true)
    }
}

/// Serves until SIGINT or SIGTERM, then finishes the requests in flight
/// (`server::run`: connection caps and timeouts).
pub async fn serve(state: AppState, listener: TcpListener) -> std::io::Result<()> {
    serve_with(state, listener, true).await
}

/// Serves, with the job loop (`jobs::run`) running beside it or not:
/// without it, jobs run when `jobs::drain` or a job's `run_once` is called
/// (the tests drive them with the clock).
pub async fn serve_with(
    state: AppState,
    listener: TcpListener,
    worker: bool,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(watch(state.clone()));
    let warmed = state.clone();
    tokio::spawn(async move { crate::web::monitoring::warm(&warmed).await });
    let worker = worker.then(|| tokio::spawn(crate::jobs::run(state.jobs().clone())));
    let transport = state.settings().transport.clone();
    let per_address = !state.settings().trust_forwarded_for;
    let app = crate::web::router(state);
    let result =
        crate::web::server::run(listener, app, &transport, per_address, shutdown_signal()).await;
    watcher.abort();
    if let Some(worker) = worker {
        worker.abort();
    }
    result
}

/// Binds the address, reporting it in the log.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let listener = TcpListener::bind(addr).await?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    Ok(listener)
}

/// Keeps this instance's caches in step with the database: on PostgreSQL
/// it refreshes the moment another instance commits a change (LISTEN); on
/// both engines it also polls the versions.
async fn watch(state: AppState) {
    let mut listener = match store::ChangeListener::connect(state.db()).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(cause = %e, "no change notifications; polling only");
            None
        }
    };
    let mut tick = tokio::time::interval(REFRESH_INTERVAL);
    loop {
        match listener.as_mut() {
            Some(l) => tokio::select! {
                _ = tick.tick() => {}
                heard = l.changed() => {
                    if let Err(e) = heard {
                        tracing::warn!(cause = %e, "change listener failed");
                        tick.tick().await;
                    }
                }
            },
            None => {
                tick.tick().await;
            }
        }
        if let Err(e) = state.refresh().await {
            tracing::warn!(cause = %e, "could not check the data versions");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
