//! Fills the Polish sort keys (`domain::search::sort_key`) of rows written
//! before the keys existed; every write since fills its own. Run after the
//! migrations, so it does nothing once every row has its key.

use super::{bump_version, Db, Result};

/// Rows updated per transaction.
const CHUNK: i64 = 5_000;

/// (table, the name the key is made of).
const TABLES: &[(&str, &str)] = &[
    ("organisation", "name"),
    ("person", "last_name || ' ' || first_name"),
    ("account", "name"),
];

pub async fn fill(db: &Db) -> Result<()> {
    for (table, name) in TABLES {
        loop {
            let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
                "SELECT id, {name} AS name FROM {table} WHERE sort_key IS NULL ORDER BY id LIMIT {CHUNK}"
            ))
            .fetch_all(db.pool())
            .await?;
            if rows.is_empty() {
                break;
            }
            let mut tx = db.begin_write().await?;
            let sql = format!("UPDATE {table} SET sort_key = $1 WHERE id = $2");
            for (id, name) in &rows {
                sqlx::query(&sql)
                    .bind(crate::domain::search::sort_key(name))
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
            }
            bump_version(&mut tx, super::Topics::ALL).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}
