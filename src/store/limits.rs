//! Rate limits of public forms: each request is a row, counted over a
//! window per client address (in the database, so every instance sees the
//! same counts).

use sqlx::Row;

use super::{Db, Result, Tx};

/// Records requests of `kind`, each an address and a time, in one
/// statement.
pub async fn count_hits(tx: &mut Tx, kind: &str, hits: &[(&str, &str)]) -> Result<()> {
    for chunk in hits.chunks(1000) {
        let rows = super::values(tx.engine(), chunk.len(), 3);
        let sql = format!("INSERT INTO form_hit (kind, address, at) VALUES {rows}");
        let mut q = super::batch_query(&sql);
        for (address, at) in chunk {
            q = q.bind(kind).bind(*address).bind(*at);
        }
        q.execute(&mut **tx).await?;
    }
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
