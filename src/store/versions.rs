//! The data versions page caches compare against: `meta.data_version`
//! moves with every write, `meta.records_version` with every write of
//! records; on PostgreSQL other instances hear of a commit at once.

use super::{Db, Engine, Result, Tx};
use std::sync::atomic::{AtomicI64, Ordering};

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
pub(super) struct Written {
    pub(super) data: AtomicI64,
    pub(super) records: AtomicI64,
}

impl Db {
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
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT key, value FROM meta WHERE key IN ('data_version', 'records_version')",
        )
        .fetch_all(&self.pool)
        .await?;
        versions_of(&rows)
    }
}

/// The channel on which PostgreSQL announces committed changes.
const CHANGES_CHANNEL: &str = "koalicja_data";

/// The counters of rows of `meta` (key, value) read for them.
fn versions_of(rows: &[(String, i64)]) -> Result<Versions> {
    let mut v = Versions::default();
    for (key, value) in rows {
        match key.as_str() {
            "records_version" => v.records = *value,
            _ => v.data = *value,
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

async fn bump(tx: &mut Tx, keys: &'static str) -> Result<()> {
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
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
