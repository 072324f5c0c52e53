//! What can go wrong below the store, and which failures mean the
//! database cannot answer now.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("błąd bazy danych")]
    Database(#[from] sqlx::Error),
    #[error("nieobsługiwany adres bazy danych: {0} (dozwolone: sqlite:, postgres:)")]
    UnsupportedUrl(String),
    #[error("migracja {name} nie powiodła się")]
    Migration {
        name: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error(
        "migracja {name} została zmieniona po zastosowaniu w tej bazie danych: \
         zastosowanej migracji nie wolno zmieniać, zmianę zapisuje się w nowej migracji"
    )]
    MigrationEdited { name: String },
    #[error("system nie dostarczył liczb losowych")]
    Random,
}

impl StoreError {
    /// The database could not answer now: it is down or restarting, every
    /// connection stayed busy for the whole wait, or a statement ran past
    /// its time limit. Nothing is wrong with the request; it may succeed
    /// later (the web layer answers 503 with `Retry-After`).
    pub fn is_unavailable(&self) -> bool {
        use sqlx::migrate::MigrateError;
        let e = match self {
            StoreError::Database(e)
            | StoreError::Migration {
                source: MigrateError::Execute(e) | MigrateError::ExecuteMigration(e, _),
                ..
            } => e,
            _ => return false,
        };
        match e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(d) => {
                if let Some(pg) = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                    let code = pg.code();
                    // query_canceled (the statement timeout), connection
                    // exceptions, the server shutting down or starting,
                    // too many connections.
                    code == "57014"
                        || code.starts_with("08")
                        || code.starts_with("57P")
                        || code == "53300"
                } else if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLITE_BUSY, SQLITE_LOCKED (past the busy timeout),
                    // SQLITE_CANTOPEN; codes may be extended ones.
                    d.code()
                        .and_then(|c| c.parse::<i32>().ok())
                        .is_some_and(|c| matches!(c & 0xff, 5 | 6 | 14))
                } else {
                    false
                }
            }
            _ => false,
        }
    }
}

/// Whether a failed write broke a unique constraint.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Whether a failed write named a row that does not exist, or removed one
/// others still name.
pub fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_cannot_answer_now_is_unavailable() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(StoreError::Database(sqlx::Error::PoolTimedOut).is_unavailable());
        assert!(StoreError::Database(sqlx::Error::Io(refused)).is_unavailable());
        assert!(!StoreError::Database(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!StoreError::Random.is_unavailable());
    }
}
