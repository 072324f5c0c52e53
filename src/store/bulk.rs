//! Bulk loading for generated data sets: many rows per statement, ids
//! chosen by the caller, one transaction per batch.

use super::{Db, Engine, Result};

/// One value of a row. NULLs carry their column's type, which PostgreSQL
/// needs to accept them.
#[derive(Clone, Debug)]
pub enum Value {
    Int(i64),
    Text(String),
    NullInt,
    NullText,
}

/// The largest number of bound values in one statement (SQLite allows
/// 32,766, PostgreSQL 65,535).
const MAX_PARAMS: usize = 30_000;

/// Inserts `rows` into `table`, committing every `MAX_PARAMS` values.
/// Table and column names come from the program, never from input.
pub async fn insert(
    db: &Db,
    table: &'static str,
    columns: &[&'static str],
    rows: &[Vec<Value>],
) -> Result<()> {
    let per_statement = (MAX_PARAMS / columns.len()).max(1);
    let engine = db.engine();
    let mut tx = db.begin_write().await?;
    for chunk in rows.chunks(per_statement) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            super::values(engine, chunk.len(), columns.len())
        );
        let mut query = super::batch_query(&sql);
        for row in chunk {
            for value in row {
                query = match value {
                    Value::Int(v) => query.bind(*v),
                    Value::Text(v) => query.bind(v.as_str()),
                    Value::NullInt => query.bind(None::<i64>),
                    Value::NullText => query.bind(None::<String>),
                };
            }
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// After rows were inserted with explicit ids, lets PostgreSQL's identity
/// continue after the largest one (SQLite does so by itself).
pub async fn continue_ids(db: &Db, table: &'static str) -> Result<()> {
    if db.engine() == Engine::Postgres {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// Recomputes which attendance counts and the summaries of a project from
/// its records, after a bulk load that wrote them directly.
pub async fn rebuild_summaries(db: &Db, project: i64) -> Result<()> {
    let mut tx = db.begin_write().await?;
    super::activities::set_counts(&mut tx, &format!("project_id = {project}")).await?;
    super::activities::set_participants(&mut tx, &format!("project_id = {project}")).await?;
    super::summaries::rebuild(&mut tx, project).await?;
    super::bump_version(&mut tx, super::Topics::ACTIVITIES).await?;
    tx.commit().await?;
    Ok(())
}

/// Number of rows in a table.
pub async fn count(db: &Db, table: &'static str) -> Result<i64> {
    Ok(sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db.pool())
        .await?)
}

/// Refreshes the planner's statistics after a bulk load.
pub async fn analyze(db: &Db) -> Result<()> {
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    Ok(())
}
