//! Boundaries of units for the monitor's map (`domain::boundaries`),
//! replaced whole by an import.

use super::{Db, Result};
use crate::domain::boundaries::Boundary;

/// Writes the boundaries, each replacing the unit's former one, in one
/// transaction; the monitor's pages are re-rendered.
pub async fn import(db: &Db, all: &[Boundary]) -> Result<usize> {
    let mut tx = db.begin_write().await?;
    for b in all {
        sqlx::query(
            "INSERT INTO boundary (teryt, path, min_x, min_y, max_x, max_y) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (teryt) DO UPDATE SET \
             path = excluded.path, min_x = excluded.min_x, min_y = excluded.min_y, \
             max_x = excluded.max_x, max_y = excluded.max_y",
        )
        .bind(&b.teryt)
        .bind(&b.path)
        .bind(b.min_x)
        .bind(b.min_y)
        .bind(b.max_x)
        .bind(b.max_y)
        .execute(&mut *tx)
        .await?;
    }
    super::bump_version(&mut tx, super::Topics::MONITOR).await?;
    tx.commit().await?;
    Ok(all.len())
}

/// The codes of the units with a boundary that start with `prefix` and
/// have `length` digits, without their paths.
pub async fn codes_within(db: &Db, prefix: &str, length: usize) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT teryt FROM boundary WHERE teryt LIKE $1 AND LENGTH(teryt) = $2 ORDER BY teryt",
    )
    .bind(format!("{prefix}%"))
    .bind(length as i64)
    .fetch_all(db.pool())
    .await?)
}

/// The boundaries of the units whose codes start with `prefix` and have
/// `length` digits (7: gminy, 4: powiaty), by code.
pub async fn within(db: &Db, prefix: &str, length: usize) -> Result<Vec<Boundary>> {
    let rows: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT teryt, path, min_x, min_y, max_x, max_y FROM boundary \
         WHERE teryt LIKE $1 AND LENGTH(teryt) = $2 ORDER BY teryt",
    )
    .bind(format!("{prefix}%"))
    .bind(length as i64)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(teryt, path, min_x, min_y, max_x, max_y)| Boundary {
            teryt,
            path,
            min_x,
            min_y,
            max_x,
            max_y,
        })
        .collect())
}
