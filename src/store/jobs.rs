//! The jobs table: background work that any instance may do, claimed by
//! exactly one of them.
//!
//! A claim marks the job with the worker's name and a lease; a worker that
//! dies leaves a lease that expires, and the job is claimed again. On
//! PostgreSQL the claim skips rows another transaction is claiming
//! (`FOR UPDATE SKIP LOCKED`); on SQLite the write transaction itself
//! (`BEGIN IMMEDIATE`) serialises claims.

use crate::clock::stamp;
use jiff::Timestamp;

use super::{Db, Engine, Result, Tx};

/// A claimed job, to be completed or failed by the claimer.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

/// Adds a job, due at `run_at`.
pub async fn enqueue(
    db: &Db,
    kind: &str,
    payload: &str,
    run_at: Timestamp,
    now: Timestamp,
) -> Result<i64> {
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
    run_at: Timestamp,
    now: Timestamp,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO job (kind, payload, run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(kind)
    .bind(payload)
    .bind(stamp(run_at))
    .bind(stamp(now))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Claims the oldest due job that nobody holds, for `lease_until`.
pub async fn claim(
    db: &Db,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
) -> Result<Option<Job>> {
    Ok(claim_many(db, worker, now, lease_until, 1).await?.pop())
}

/// Claims up to `limit` of the oldest due jobs that nobody holds, for
/// `lease_until`, in one statement; oldest first.
pub async fn claim_many(
    db: &Db,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> Result<Vec<Job>> {
    let mut tx = db.begin_write().await?;
    let jobs = claim_many_in(&mut tx, worker, now, lease_until, limit).await?;
    tx.commit().await?;
    Ok(jobs)
}

/// `claim_many` inside the caller's transaction, which may record more
/// with the claim (the outbox's sending marks).
pub async fn claim_many_in(
    tx: &mut Tx,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
    limit: i64,
) -> Result<Vec<Job>> {
    let lock = match tx.engine() {
        Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    };
    let mut jobs: Vec<Job> = sqlx::query_as(&format!(
        "UPDATE job SET locked_by = $2, locked_until = $3, attempts = attempts + 1, updated_at = $1 \
         WHERE id IN (SELECT id FROM job WHERE done_at IS NULL AND run_at <= $1 \
         AND (locked_until IS NULL OR locked_until < $1) ORDER BY run_at, id LIMIT {limit}{lock}) \
         RETURNING id, kind, payload, attempts"
    ))
    .bind(stamp(now))
    .bind(worker)
    .bind(stamp(lease_until))
    .fetch_all(&mut **tx)
    .await?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// Marks a claimed job done.
pub async fn complete(db: &Db, id: i64, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    complete_all(&mut tx, &[id], now).await?;
    tx.commit().await
}

/// Marks claimed jobs done in one statement, in the caller's transaction.
pub async fn complete_all(tx: &mut Tx, ids: &[i64], now: Timestamp) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    super::batch_query(&format!(
        "UPDATE job SET done_at = $1, locked_by = NULL, locked_until = NULL, updated_at = $1 \
         WHERE id IN ({})",
        super::id_list(ids)
    ))
    .bind(stamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Releases a failed job to be tried again at `retry_at`.
pub async fn fail(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "UPDATE job SET last_error = $2, run_at = $3, locked_by = NULL, locked_until = NULL, updated_at = $4 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(stamp(retry_at))
    .bind(stamp(now))
    .execute(&mut *db.writer().await?)
    .await?;
    Ok(())
}

/// Claims slot `slot` of the periodic job `name` for `worker`: true for the
/// one caller that moves the job's last slot forward to it, false for every
/// other (the slot, or a later one, was claimed already). One statement, so
/// instances sharing the database cannot both claim a slot: on PostgreSQL
/// the second upsert waits for the first and then finds its row's slot
/// taken; on SQLite the writer's lock orders them.
pub async fn claim_slot(
    db: &Db,
    name: &str,
    slot: i64,
    worker: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO scheduled_job (name, slot, claimed_by, claimed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO UPDATE SET slot = excluded.slot, claimed_by = excluded.claimed_by, \
         claimed_at = excluded.claimed_at WHERE scheduled_job.slot < excluded.slot",
    )
    .bind(name)
    .bind(slot)
    .bind(worker)
    .bind(stamp(now))
    .execute(&mut *db.writer().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}
