//! The pool and its settings, and the health check's own connection.

use super::registrations::group_commit;
use super::{Result, StoreError, Written};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;

/// Which database engine a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The shared handle to the database.
#[derive(Clone)]
pub struct Db {
    pub(super) pool: AnyPool,
    /// One connection for the health check alone.
    pub(super) health: AnyPool,
    pub(super) engine: Engine,
    pub(super) settings: PoolSettings,
    /// Kept to open the change listener; may hold a password, so `Debug`
    /// leaves it out.
    pub(super) url: Arc<str>,
    /// One writer at a time on SQLite (see `Tx`).
    pub(super) gate: Arc<tokio::sync::Mutex<()>>,
    /// The registration steps waiting for the next group commit (SQLite).
    pub(super) group: group_commit::Queue,
    /// The newest versions this process committed.
    pub(super) written: Arc<Written>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

/// How a pool behaves: its size, how long a request waits for a
/// connection, how long one statement may run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolSettings {
    /// Connections at most; `None`: 4 on SQLite (more threads than that
    /// only queue for the cores), 16 on PostgreSQL.
    pub connections: Option<u32>,
    /// How long to wait for a connection — a free one, or a new one while
    /// the server does not answer — before giving up
    /// (`StoreError::is_unavailable`).
    pub wait: Duration,
    /// The longest one statement may run on PostgreSQL before the server
    /// cancels it; `None`: no limit. SQLite has none: sqlx's `Any`
    /// connection does not reach SQLite's progress handler.
    pub statement_timeout: Option<Duration>,
}

impl Default for PoolSettings {
    /// What the web server uses.
    fn default() -> Self {
        PoolSettings {
            connections: None,
            wait: Duration::from_secs(1),
            statement_timeout: Some(Duration::from_secs(5)),
        }
    }
}

impl PoolSettings {
    /// For work that may take long and nobody waits for in a browser:
    /// migrations, the demo loader, imports, generated data sets. Waits
    /// longer for a server that is starting up.
    pub fn maintenance(self) -> PoolSettings {
        PoolSettings {
            wait: Duration::from_secs(10),
            statement_timeout: None,
            ..self
        }
    }

    fn connections(&self, engine: Engine) -> u32 {
        self.connections.unwrap_or(match engine {
            Engine::Sqlite => 4,
            Engine::Postgres => 16,
        })
    }
}

/// How long the health check waits for its connection, and for its
/// answer (`Db::answers` gives up at 800 ms in all).
const HEALTH_WAIT: Duration = Duration::from_millis(500);

/// The pool's settings: on SQLite each connection in WAL mode with
/// durable commits; on PostgreSQL each connection with the statement
/// timeout. `mapped`: SQLite reads the file through a mapping.
fn pool_options(
    engine: Engine,
    connections: u32,
    settings: &PoolSettings,
    mapped: bool,
) -> AnyPoolOptions {
    let options = AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(settings.wait);
    // Readers copy pages into their own cache with read(): a mapping
    // counts every page a process ever read as its memory (500 MB at
    // national scale). The group commit's writer maps the file (its
    // batches took 6.5 ms mapped, 15% less than read), and touches only
    // the pages registrations write.
    let mmap_size = if mapped { 268_435_456 } else { 0 };
    match engine {
        // A connection to a file of this process does not go stale as a
        // network one may: no round trip to test it at every use. All are
        // opened at start (a few milliseconds each), not by the first
        // requests that read at once.
        Engine::Sqlite => options
            .test_before_acquire(false)
            .min_connections(connections)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    // synchronous = FULL: a commit is on disk (the WAL is
                    // fsynced) before the answer says it happened.
                    conn.execute(&*format!(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; \
                         PRAGMA mmap_size = {mmap_size};"
                    ))
                    .await?;
                    Ok(())
                })
            }),
        Engine::Postgres => {
            // 0 is PostgreSQL's "no limit".
            let ms = settings
                .statement_timeout
                .map_or(0, |t| t.as_millis().max(1));
            options.after_connect(move |conn, _| {
                Box::pin(async move {
                    conn.execute(&*format!("SET statement_timeout = {ms}"))
                        .await?;
                    Ok(())
                })
            })
        }
    }
}

impl Db {
    /// Opens a pool for `url` (`sqlite://path?mode=rwc` or `postgres://…`)
    /// with the web server's settings (`PoolSettings::default`).
    pub async fn connect(url: &str) -> Result<Db> {
        Db::connect_with(url, PoolSettings::default()).await
    }

    /// Opens a pool for `url` with `settings`, and beside it the health
    /// check's own connection (opened at first use).
    pub async fn connect_with(url: &str, settings: PoolSettings) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(
                url.split(':').next().unwrap_or("").to_owned(),
            ));
        };
        if engine == Engine::Sqlite {
            // The database file is its owner's alone, whatever the umask.
            crate::files::private_sqlite(url).map_err(sqlx::Error::Io)?;
        }
        let pool = pool_options(engine, settings.connections(engine), &settings, false)
            .connect(url)
            .await?;
        let health = PoolSettings {
            wait: HEALTH_WAIT,
            statement_timeout: Some(HEALTH_WAIT),
            ..settings
        };
        Ok(Db {
            pool,
            health: pool_options(engine, 1, &health, false).connect_lazy(url)?,
            engine,
            settings,
            url: url.into(),
            gate: Default::default(),
            group: Default::default(),
            written: Default::default(),
        })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The pool's settings.
    pub fn settings(&self) -> PoolSettings {
        self.settings
    }

    /// This database through a pool of one connection of its own (opened
    /// at first use; on SQLite reading through a mapping of the file), for
    /// a writer that should not queue for a connection behind the readers.
    /// It shares this handle's write gate.
    pub(super) fn with_own_connection(&self) -> Result<Db> {
        Ok(Db {
            pool: pool_options(self.engine, 1, &self.settings, true).connect_lazy(&self.url)?,
            group: Default::default(),
            ..self.clone()
        })
    }

    /// Whether the database answers, within a fraction of a second,
    /// through a connection of its own: never behind requests that hold
    /// every connection of the pool.
    pub async fn answers(&self) -> bool {
        let check = sqlx::query("SELECT value FROM meta WHERE key = 'data_version'")
            .fetch_optional(&self.health);
        matches!(
            tokio::time::timeout(Duration::from_millis(800), check).await,
            Ok(Ok(Some(_)))
        )
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// True when the database holds no project yet.
    pub async fn is_empty(&self) -> Result<bool> {
        let projects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM project")
            .fetch_one(&self.pool)
            .await?;
        Ok(projects == 0)
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.health.close().await;
    }
}
