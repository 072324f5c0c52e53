//! The jobs table: background work that any instance may do, claimed by
//! exactly one of them.
//!
//! A claim marks the job with the worker's name and a lease; a worker that
//! dies leaves a lease that expires, and the job is claimed again. On
//! PostgreSQL the claim skips rows another transaction is claiming
//! (`FOR UPDATE SKIP LOCKED`); on SQLite the write transaction itself
//! (`BEGIN IMMEDIATE`) serialises claims.

use super::{int, text, Db, Engine, Result, Tx};
use sqlx::Row;

/// A claimed job, to be completed or failed by the claimer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

/// Adds a job, due at `run_at` (UTC ISO-8601 text).
pub async fn enqueue(db: &Db, kind: &str, payload: &str, run_at: &str, now: &str) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let id = enqueue_in(&mut tx, kind, payload, run_at, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a job inside the caller's transaction: it exists only if the
/// transaction commits.
pub async fn enqueue_in(
    tx: &mut Tx,
    kind: &str,
    payload: &str,
    run_at: &str,
    now: &str,
) -> Result<i64> {
    let id = sqlx::query(
        "INSERT INTO job (kind, payload, run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(kind)
    .bind(payload)
    .bind(run_at)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get::<i64, _>(0)?;
    Ok(id)
}

/// Adds a job of `kind` due now for each outbox row in `ids` (its id as
/// the payload), in one statement, inside the caller's transaction.
pub(super) async fn enqueue_for_outbox(
    tx: &mut Tx,
    kind: &str,
    ids: &[i64],
    now: &str,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    // The ids are numbers from the database, written into the text as such.
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query(&format!(
        "INSERT INTO job (kind, payload, run_at, created_at, updated_at) \
         SELECT $1, CAST(id AS TEXT), $2, $2, $2 FROM outbox WHERE id IN ({list}) ORDER BY id"
    ))
    .bind(kind)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Claims the oldest due job that nobody holds, for `lease_until`.
pub async fn claim(db: &Db, worker: &str, now: &str, lease_until: &str) -> Result<Option<Job>> {
    let lock = match db.engine() {
        Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "SELECT id FROM job WHERE done_at IS NULL AND run_at <= $1 \
         AND (locked_until IS NULL OR locked_until < $1) ORDER BY run_at, id LIMIT 1{lock}"
    ))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        tx.commit().await?;
        return Ok(None);
    };
    let id: i64 = row.try_get(0)?;
    let job = sqlx::query(
        "UPDATE job SET locked_by = $2, locked_until = $3, attempts = attempts + 1, updated_at = $4 \
         WHERE id = $1 RETURNING id, kind, payload, attempts",
    )
    .bind(id)
    .bind(worker)
    .bind(lease_until)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(Job {
        id: int(&job, "id")?,
        kind: text(&job, "kind")?,
        payload: text(&job, "payload")?,
        attempts: int(&job, "attempts")?,
    }))
}

/// Marks a claimed job done.
pub async fn complete(db: &Db, id: i64, now: &str) -> Result<()> {
    sqlx::query("UPDATE job SET done_at = $2, locked_by = NULL, locked_until = NULL, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(&mut *db.writer().await?)
        .await?;
    Ok(())
}

/// Releases a failed job to be tried again at `retry_at`.
pub async fn fail(db: &Db, id: i64, error: &str, retry_at: &str, now: &str) -> Result<()> {
    sqlx::query(
        "UPDATE job SET last_error = $2, run_at = $3, locked_by = NULL, locked_until = NULL, updated_at = $4 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .bind(now)
    .execute(&mut *db.writer().await?)
    .await?;
    Ok(())
}
