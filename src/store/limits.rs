//! Rate limits of public forms: each request is a row, counted over a
//! window per client address (in the database, so every instance sees the
//! same counts).

use sqlx::Row;

use super::{Db, Result, Tx};

/// Records one request of `kind` from `address`, in the transaction of
/// what it did.
pub async fn count_hit(tx: &mut Tx, kind: &str, address: &str, now: &str) -> Result<()> {
    sqlx::query("INSERT INTO form_hit (kind, address, at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(address)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many requests of `kind` came from `address` since `since`, counted
/// up to `cap` (so the count stays cheap however many there were), and
/// the oldest of them.
pub async fn hits(
    db: &Db,
    kind: &str,
    address: &str,
    since: &str,
    cap: i64,
) -> Result<(i64, Option<String>)> {
    let row = sqlx::query(&format!(
        "SELECT COUNT(*), MIN(at) FROM (SELECT at FROM form_hit \
         WHERE kind = $1 AND address = $2 AND at >= $3 ORDER BY at LIMIT {cap}) AS recent"
    ))
    .bind(kind)
    .bind(address)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    Ok((
        row.try_get::<i64, _>(0)?,
        row.try_get::<Option<String>, _>(1)?,
    ))
}
