//! Rate limits of public forms: each request is a row, counted over a
//! window per client address (in the database, so every instance sees the
//! same counts).

use sqlx::Row;

use super::{Db, Result};

/// Counts this request of `kind` from `address` and returns how many there
/// were since `since` (this one included) and the oldest of them.
pub async fn hit(
    db: &Db,
    kind: &str,
    address: &str,
    since: &str,
    now: &str,
) -> Result<(i64, Option<String>)> {
    sqlx::query("INSERT INTO form_hit (kind, address, at) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(address)
        .bind(now)
        .execute(db.pool())
        .await?;
    let row = sqlx::query(
        "SELECT COUNT(*), MIN(at) FROM form_hit WHERE kind = $1 AND address = $2 AND at >= $3",
    )
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
