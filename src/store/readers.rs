//! Hand-written column reads, left for the store modules not yet mapped
//! with `#[derive(sqlx::FromRow)]` (see `rows`).

use super::Result;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Reads a column that may be NULL.
pub(super) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

/// Reads a text column.
pub(super) fn text(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

/// Reads an integer column.
pub(super) fn int(row: &AnyRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}
