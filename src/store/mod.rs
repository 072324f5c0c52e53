//! Storage: every SQL statement of the program lives below this module.
//!
//! One code path serves SQLite (embedded default) and PostgreSQL through
//! sqlx's `Any` driver; the engine is picked once from the URL scheme.
//! SQL is written in the dialect both accept (`$n` parameters, `RETURNING`,
//! `ON CONFLICT`); what differs lives in small functions named after it.
//! Values cross this boundary as domain types or plain rows, never as SQL.
//!
//! Conventions: times are UTC ISO-8601 text, civil dates `YYYY-MM-DD`
//! text, ids and counts `BIGINT`. Every write transaction bumps
//! `meta.data_version`, which page caches compare against; writes of
//! records (all but registrations changing status) also bump
//! `meta.records_version`, which caches of records compare against.

pub mod accounts;
pub mod activities;
pub mod activity_records;
pub mod advisory;
pub mod agenda;
pub mod audit;
pub mod bulk;
pub mod cases;
pub mod certificates;
pub mod feedback;
pub mod jobs;
pub mod letters;
pub mod limits;
pub mod offices;
pub mod organisations;
pub mod outbox;
pub mod pages;
pub mod people;
pub mod programme;
pub mod registrations;
pub mod rows;
mod script;
pub mod sort_keys;
pub mod stats;
pub mod teryt;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("błąd bazy danych")]
    Database(#[from] sqlx::Error),
    #[error("nieobsługiwany adres bazy danych: {0} (dozwolone: sqlite:, postgres:)")]
    UnsupportedUrl(String),
    #[error("migracja {name} nie powiodła się")]
    Migration {
        name: &'static str,
        source: sqlx::Error,
    },
    #[error("system nie dostarczył liczb losowych")]
    Random,
}

impl StoreError {
    /// The database could not answer now: it is down or restarting, every
    /// connection stayed busy for the whole wait, or a statement ran past
    /// its time limit. Nothing is wrong with the request; it may succeed
    /// later (the web layer answers 503 with `Retry-After`).
    pub fn is_unavailable(&self) -> bool {
        let e = match self {
            StoreError::Database(e) | StoreError::Migration { source: e, .. } => e,
            StoreError::UnsupportedUrl(_) | StoreError::Random => return false,
        };
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(d) => {
                if let Some(pg) = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    let code = pg.code();
                    // query_canceled (the statement timeout), connection
                    // exceptions, the server shutting down or starting,
                    // too many connections.
                    code == "57014"
                        || code.starts_with("08")
                        || code.starts_with("57P")
                        || code == "53300"
                } else if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLITE_BUSY, SQLITE_LOCKED (past the busy timeout),
                    // SQLITE_CANTOPEN; codes may be extended ones.
                    d.code()
                        .and_then(|c| c.parse::<i32>().ok())
                        .is_some_and(|c| matches!(c & 0xff, 5 | 6 | 14))
                } else {
                    false
                }
            }
            _ => false,
        }
    }
}

/// A write transaction. On SQLite it also holds this process's write
/// gate: writers queue here, in order and without sleeping, instead of in
/// SQLite's busy handler, which retries with sleeps of up to 100 ms.
pub struct Tx {
    tx: Transaction<'static, Any>,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    /// The versions this transaction set (`bump_version`, `bump_counts`;
    /// 0 for one it left), and where to record them once committed.
    bumped: Versions,
    written: Arc<Written>,
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        self.written
            .data
            .fetch_max(self.bumped.data, Ordering::SeqCst);
        self.written
            .records
            .fetch_max(self.bumped.records, Ordering::SeqCst);
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }

    pub fn engine(&self) -> Engine {
        if self.backend_name() == "PostgreSQL" {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

/// A connection for one write outside a transaction; holds the write
/// gate on SQLite like `Tx`.
pub struct Writer {
    conn: sqlx::pool::PoolConnection<Any>,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for Writer {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Writer {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.conn
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One page of a list, with the number of items in the whole list.
#[derive(Clone, Debug)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// The two counters of `meta`: `data` moves with every write, `records`
/// with every write but registrations changing status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Versions {
    pub data: i64,
    pub records: i64,
}

impl Versions {
    /// Each counter at the newer of the two.
    pub fn max(self, other: Versions) -> Versions {
        Versions {
            data: self.data.max(other.data),
            records: self.records.max(other.records),
        }
    }
}

/// The newest versions this process committed.
#[derive(Debug, Default)]
struct Written {
    data: AtomicI64,
    records: AtomicI64,
}

/// Which database engine a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The shared handle to the database.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    /// One connection for the health check alone.
    health: AnyPool,
    engine: Engine,
    settings: PoolSettings,
    /// Kept to open the change listener; may hold a password, so `Debug`
    /// leaves it out.
    url: Arc<str>,
    /// One writer at a time on SQLite (see `Tx`).
    gate: Arc<tokio::sync::Mutex<()>>,
    /// The registration steps waiting for the next group commit (SQLite).
    group: registrations::group_commit::Queue,
    /// The newest versions this process committed.
    written: Arc<Written>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

/// Migrations, embedded in the binary, applied in order, never edited once
/// released (see migrations/README.md).
const MIGRATIONS: &[(&str, &str, &str)] = &[
    (
        "0001_foundation",
        include_str!("../../migrations/sqlite/0001_foundation.sql"),
        include_str!("../../migrations/postgres/0001_foundation.sql"),
    ),
    (
        "0002_back_office",
        include_str!("../../migrations/sqlite/0002_back_office.sql"),
        include_str!("../../migrations/postgres/0002_back_office.sql"),
    ),
    (
        "0003_registrations",
        include_str!("../../migrations/sqlite/0003_registrations.sql"),
        include_str!("../../migrations/postgres/0003_registrations.sql"),
    ),
    (
        "0004_certificates",
        include_str!("../../migrations/sqlite/0004_certificates.sql"),
        include_str!("../../migrations/postgres/0004_certificates.sql"),
    ),
    (
        "0005_records_version",
        include_str!("../../migrations/sqlite/0005_records_version.sql"),
        include_str!("../../migrations/postgres/0005_records_version.sql"),
    ),
    (
        "0006_outbox_jobs",
        include_str!("../../migrations/sqlite/0006_outbox_jobs.sql"),
        include_str!("../../migrations/postgres/0006_outbox_jobs.sql"),
    ),
    (
        "0007_cases",
        include_str!("../../migrations/sqlite/0007_cases.sql"),
        include_str!("../../migrations/postgres/0007_cases.sql"),
    ),
    (
        "0008_one_jst",
        include_str!("../../migrations/sqlite/0008_one_jst.sql"),
        include_str!("../../migrations/postgres/0008_one_jst.sql"),
    ),
    (
        "0009_activity_status",
        include_str!("../../migrations/sqlite/0009_activity_status.sql"),
        include_str!("../../migrations/postgres/0009_activity_status.sql"),
    ),
    (
        "0010_letters",
        include_str!("../../migrations/sqlite/0010_letters.sql"),
        include_str!("../../migrations/postgres/0010_letters.sql"),
    ),
    (
        "0011_sort_keys",
        include_str!("../../migrations/sqlite/0011_sort_keys.sql"),
        include_str!("../../migrations/postgres/0011_sort_keys.sql"),
    ),
    (
        "0012_registration_link_resent",
        include_str!("../../migrations/sqlite/0012_registration_link_resent.sql"),
        include_str!("../../migrations/postgres/0012_registration_link_resent.sql"),
    ),
    (
        "0013_letter_facts",
        include_str!("../../migrations/sqlite/0013_letter_facts.sql"),
        include_str!("../../migrations/postgres/0013_letter_facts.sql"),
    ),
    (
        "0014_case_receipt",
        include_str!("../../migrations/sqlite/0014_case_receipt.sql"),
        include_str!("../../migrations/postgres/0014_case_receipt.sql"),
    ),
    (
        "0015_speaker_gender",
        include_str!("../../migrations/sqlite/0015_speaker_gender.sql"),
        include_str!("../../migrations/postgres/0015_speaker_gender.sql"),
    ),
    (
        "0016_number_order",
        include_str!("../../migrations/sqlite/0016_number_order.sql"),
        include_str!("../../migrations/postgres/0016_number_order.sql"),
    ),
    (
        "0017_attendance_counts",
        include_str!("../../migrations/sqlite/0017_attendance_counts.sql"),
        include_str!("../../migrations/postgres/0017_attendance_counts.sql"),
    ),
    (
        "0018_account_security",
        include_str!("../../migrations/sqlite/0018_account_security.sql"),
        include_str!("../../migrations/postgres/0018_account_security.sql"),
    ),
    (
        "0019_files_and_mail_once",
        include_str!("../../migrations/sqlite/0019_files_and_mail_once.sql"),
        include_str!("../../migrations/postgres/0019_files_and_mail_once.sql"),
    ),
    (
        "0020_scheduled_jobs",
        include_str!("../../migrations/sqlite/0020_scheduled_jobs.sql"),
        include_str!("../../migrations/postgres/0020_scheduled_jobs.sql"),
    ),
];

/// How many migrations the binary carries.
pub fn migration_count() -> usize {
    MIGRATIONS.len()
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
/// timeout.
fn pool_options(engine: Engine, connections: u32, settings: &PoolSettings) -> AnyPoolOptions {
    let options = AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(settings.wait);
    match engine {
        // A connection to a file of this process does not go stale as a
        // network one may: no round trip to test it at every use.
        Engine::Sqlite => options.test_before_acquire(false).after_connect(|conn, _| {
            Box::pin(async move {
                // synchronous = FULL: a commit is on disk (the WAL is
                // fsynced) before the answer says it happened.
                // mmap_size: pages are read from a mapping of the file,
                // not copied in by a read() each time a write elsewhere
                // emptied this connection's page cache.
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                     PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL; \
                     PRAGMA mmap_size = 268435456;",
                )
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
        let pool = pool_options(engine, settings.connections(engine), &settings)
            .connect(url)
            .await?;
        let health = PoolSettings {
            wait: HEALTH_WAIT,
            statement_timeout: Some(HEALTH_WAIT),
            ..settings
        };
        Ok(Db {
            pool,
            health: pool_options(engine, 1, &health).connect_lazy(url)?,
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
    /// at first use), for a writer that should not queue for a connection
    /// behind the readers. It shares this handle's write gate.
    pub(super) fn with_own_connection(&self) -> Result<Db> {
        Ok(Db {
            pool: pool_options(self.engine, 1, &self.settings).connect_lazy(&self.url)?,
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

    /// Applies every migration not yet applied; returns how many ran.
    #[tracing::instrument(skip_all)]
    pub async fn migrate(&self) -> Result<usize> {
        let mut tx = self.begin_migration().await?;
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration \
             (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .await?;
        tx.commit().await?;
        let mut applied = 0;
        for (name, sqlite, postgres) in MIGRATIONS {
            let mut tx = self.begin_migration().await?;
            let done = sqlx::query("SELECT name FROM schema_migration WHERE name = $1")
                .bind(*name)
                .fetch_optional(&mut *tx)
                .await?;
            if done.is_some() {
                continue;
            }
            let sql = if self.engine == Engine::Sqlite {
                sqlite
            } else {
                postgres
            };
            tx.execute(*sql)
                .await
                .map_err(|source| StoreError::Migration { name, source })?;
            sqlx::query("INSERT INTO schema_migration (name, applied_at) VALUES ($1, $2)")
                .bind(*name)
                .bind(now_text())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            applied += 1;
        }
        sort_keys::fill(self).await?;
        teryt::name_units(self).await?;
        Ok(applied)
    }

    /// A write transaction that instances starting together take in turn:
    /// on PostgreSQL an advisory lock (even `CREATE TABLE IF NOT EXISTS`
    /// races there); on SQLite `BEGIN IMMEDIATE` already does it.
    async fn begin_migration(&self) -> Result<Tx> {
        let mut tx = self.begin_write().await?;
        if self.engine == Engine::Postgres {
            // A migration of a large database may run longer than a web
            // request's statements are allowed to.
            tx.execute("SET LOCAL statement_timeout = 0").await?;
            sqlx::query("SELECT pg_advisory_xact_lock(4242001)")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// A connection for a single write statement (`execute(&mut *db.writer().await?)`).
    pub async fn writer(&self) -> Result<Writer> {
        let gate = match self.engine {
            Engine::Sqlite => Some(self.gate.clone().lock_owned().await),
            Engine::Postgres => None,
        };
        Ok(Writer {
            conn: self.pool.acquire().await?,
            _gate: gate,
        })
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing later.
    pub async fn begin_write(&self) -> Result<Tx> {
        Ok(match self.engine {
            Engine::Sqlite => {
                let gate = self.gate.clone().lock_owned().await;
                Tx {
                    tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
                    _gate: Some(gate),
                    bumped: Versions::default(),
                    written: self.written.clone(),
                }
            }
            Engine::Postgres => Tx {
                tx: self.pool.begin().await?,
                _gate: None,
                bumped: Versions::default(),
                written: self.written.clone(),
            },
        })
    }

    /// The newest versions this process's own writes committed (0 before
    /// the first): a change made here is known without a query.
    pub fn written_versions(&self) -> Versions {
        Versions {
            data: self.written.data.load(Ordering::SeqCst),
            records: self.written.records.load(Ordering::SeqCst),
        }
    }

    /// The counter every write bumps; pages are valid while it is unchanged.
    pub async fn data_version(&self) -> Result<i64> {
        Ok(self.versions().await?.data)
    }

    /// Both counters, in one read.
    pub async fn versions(&self) -> Result<Versions> {
        let rows = sqlx::query(
            "SELECT key, value FROM meta WHERE key IN ('data_version', 'records_version')",
        )
        .fetch_all(&self.pool)
        .await?;
        versions_of(&rows)
    }

    /// True when the database holds no project yet.
    pub async fn is_empty(&self) -> Result<bool> {
        let row = sqlx::query("SELECT COUNT(*) FROM project")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>(0)? == 0)
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.health.close().await;
    }
}

/// The channel on which PostgreSQL announces committed changes.
const CHANGES_CHANNEL: &str = "koalicja_data";

fn versions_of(rows: &[AnyRow]) -> Result<Versions> {
    let mut v = Versions::default();
    for row in rows {
        let value: i64 = row.try_get(1)?;
        match row.try_get::<String, _>(0)?.as_str() {
            "records_version" => v.records = value,
            _ => v.data = value,
        }
    }
    Ok(v)
}

/// Marks records as changed; call inside every write transaction (but
/// those of registrations changing status alone: `bump_counts`). On
/// PostgreSQL the other instances also hear of it the moment it commits
/// (`NOTIFY` is delivered on commit).
pub async fn bump_version(tx: &mut Tx) -> Result<()> {
    bump(tx, "IN ('data_version', 'records_version')").await
}

/// Marks the data as changed but no record: registrations changed status
/// (the counts of places pages show), nothing else.
pub async fn bump_counts(tx: &mut Tx) -> Result<()> {
    bump(tx, "= 'data_version'").await
}

async fn bump(tx: &mut Tx, keys: &str) -> Result<()> {
    let rows = sqlx::query(&format!(
        "UPDATE meta SET value = value + 1 WHERE key {keys} RETURNING key, value"
    ))
    .fetch_all(&mut **tx)
    .await?;
    tx.bumped = tx.bumped.max(versions_of(&rows)?);
    if tx.engine() == Engine::Postgres {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(CHANGES_CHANNEL)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Hears of changes committed by any instance (PostgreSQL only).
pub struct ChangeListener(sqlx::postgres::PgListener);

impl ChangeListener {
    /// `None` on SQLite, where instances poll `data_version` instead.
    pub async fn connect(db: &Db) -> Result<Option<ChangeListener>> {
        if db.engine != Engine::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&db.url).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        Ok(Some(ChangeListener(listener)))
    }

    /// Waits for the next change. A lost connection also counts as a change,
    /// since notifications sent meanwhile are gone.
    pub async fn changed(&mut self) -> Result<()> {
        self.0.try_recv().await?;
        Ok(())
    }
}

/// The current instant as stored (UTC, seconds). Used only for bookkeeping
/// columns; rules that depend on time take the time as a parameter.
#[allow(clippy::disallowed_methods)]
pub fn now_text() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Bounds `[low, high)` of the TERYT codes that start with `prefix`: every
/// unit inside another shares its code's prefix, and a range (unlike
/// `LIKE`) is answered from an index on both engines. Codes are digits, and
/// ':' sorts right after '9'.
fn code_range(prefix: &str) -> (String, String) {
    (prefix.to_owned(), format!("{prefix}:"))
}

/// How many rows of `table` lie in a unit or inside it (by their
/// `local_government` column).
async fn count_within(db: &Db, table: &'static str, prefix: &str) -> Result<i64> {
    let (low, high) = code_range(prefix);
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE local_government >= $1 AND local_government < $2"
    );
    Ok(sqlx::query(&sql)
        .bind(low)
        .bind(high)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?)
}

/// A statement whose text changes with the size of a batch (a `VALUES`
/// or `IN` list): prepared for this run only, so that its many shapes do
/// not push the statements used on every request out of a connection's
/// cache.
fn batch_query(sql: &str) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments<'_>> {
    sqlx::query(sql).persistent(false)
}

/// Ids for `IN (…)`: numbers from the database, written into the text as
/// such (nothing a user typed).
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `rows` parenthesised groups of `columns` parameters, for a multi-row
/// `VALUES`: `(?, ?), (?, ?)` on SQLite, which looks named parameters
/// (`$n`) up by a linear scan and so makes a statement with thousands of
/// them quadratic, while its anonymous `?` are numbered in order at no
/// cost; `($1, $2), ($3, $4)` on PostgreSQL. The statement must have no
/// other parameters.
fn values(engine: Engine, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 4);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            match engine {
                Engine::Sqlite => sql.push('?'),
                Engine::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * columns + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// Reads a column that may be NULL.
fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

/// Reads a text column.
fn text(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

/// Reads an integer column.
fn int(row: &AnyRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

/// A `WHERE` clause being built: conditions joined by `AND`, text values
/// bound as parameters, numbers and codes checked and written inline.
#[derive(Clone, Debug)]
pub struct Where {
    sql: String,
    binds: Vec<String>,
}

impl Default for Where {
    fn default() -> Self {
        Where {
            sql: "1 = 1".into(),
            binds: Vec::new(),
        }
    }
}

impl Where {
    /// Adds a condition with one text parameter, written `?` in `cond`.
    pub fn text(&mut self, cond: &str, value: impl Into<String>) -> &mut Self {
        self.binds.push(value.into());
        let n = format!("${}", self.binds.len());
        self.sql.push_str(" AND ");
        self.sql.push_str(&cond.replace('?', &n));
        self
    }

    /// Adds a condition with no parameters.
    pub fn raw(&mut self, cond: &str) -> &mut Self {
        self.sql.push_str(" AND ");
        self.sql.push_str(cond);
        self
    }

    /// Records inside a unit, by a TERYT column.
    pub fn within(&mut self, column: &str, prefix: &str) -> &mut Self {
        let (low, high) = code_range(prefix);
        self.text(&format!("{column} >= ?"), low);
        self.text(&format!("{column} < ?"), high)
    }

    /// Limits rows to what a scope reaches. `unit` is the TERYT column,
    /// `trainer` the trainer's account column and `project` the project
    /// column, where the table has them; a scope whose column the table
    /// lacks reaches nothing.
    pub fn scope(
        &mut self,
        scope: &crate::domain::access::Scope,
        unit: Option<&str>,
        trainer: Option<&str>,
        project: Option<&str>,
    ) -> &mut Self {
        use crate::domain::access::Scope;
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty();
        match scope {
            Scope::All => self,
            Scope::Within(areas) => match unit {
                Some(col) => {
                    let parts: Vec<String> = areas
                        .iter()
                        .filter(|a| digits(a))
                        .map(|a| format!("({col} >= '{a}' AND {col} < '{a}:')"))
                        .collect();
                    if parts.is_empty() {
                        self.raw("1 = 0")
                    } else {
                        self.raw(&format!("({})", parts.join(" OR ")))
                    }
                }
                None => self.raw("1 = 0"),
            },
            Scope::TrainerOf(id) => match trainer {
                Some(col) => self.raw(&format!("{col} = {id}")),
                None => self.raw("1 = 0"),
            },
            Scope::Projects(ids) => match project {
                Some(col) if !ids.is_empty() => {
                    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                    self.raw(&format!("{col} IN ({})", list.join(", ")))
                }
                _ => self.raw("1 = 0"),
            },
        }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// How many rows of `from` (a table or joins, with their aliases) the
    /// conditions keep: the total of a paged list.
    pub async fn count(&self, db: &Db, from: &str) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {from} WHERE {}", self.sql);
        Ok(self
            .bind(sqlx::query(&sql))
            .fetch_one(db.pool())
            .await?
            .try_get(0)?)
    }

    /// Binds the parameters to a query built from `sql()`.
    pub fn bind<'q>(
        &'q self,
        mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
        for b in &self.binds {
            q = q.bind(b.as_str());
        }
        q
    }
}

/// Whether a failed write broke a unique constraint.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Whether a failed write named a row that does not exist, or removed one
/// others still name.
pub fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
}

/// SQL that folds a text column like `domain::search::fold` does for
/// Polish letters (lower case, no diacritics), for tables with few rows
/// and no stored search key.
pub fn fold_sql(column: &str) -> String {
    const PAIRS: &[(&str, &str)] = &[
        ("ą", "a"),
        ("ć", "c"),
        ("ę", "e"),
        ("ł", "l"),
        ("ń", "n"),
        ("ó", "o"),
        ("ś", "s"),
        ("ź", "z"),
        ("ż", "z"),
        ("Ą", "A"),
        ("Ć", "C"),
        ("Ę", "E"),
        ("Ł", "L"),
        ("Ń", "N"),
        ("Ó", "O"),
        ("Ś", "S"),
        ("Ź", "Z"),
        ("Ż", "Z"),
    ];
    let mut e = column.to_owned();
    for (from, to) in PAIRS {
        e = format!("REPLACE({e}, '{from}', '{to}')");
    }
    format!("LOWER({e})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_cannot_answer_now_is_unavailable() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(StoreError::Database(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(StoreError::Database(sqlx::Error::Io(refused)).is_unavailable());
        assert!(!StoreError::Database(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!StoreError::Random.is_unavailable());
    }

    #[test]
    fn values_are_anonymous_on_sqlite_and_numbered_on_postgresql() {
        assert_eq!(values(Engine::Sqlite, 2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(values(Engine::Postgres, 2, 2), "($1, $2), ($3, $4)");
        assert_eq!(values(Engine::Postgres, 1, 1), "($1)");
    }
}
