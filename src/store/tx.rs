//! Write transactions and single writes, behind the write gate on SQLite.

use super::versions::{Versions, Written};
use super::{Db, Engine, Result};
use sqlx::{Any, Transaction};
use std::sync::Arc;

/// A write transaction. On SQLite it also holds this process's write
/// gate: writers queue here, in order and without sleeping, instead of in
/// SQLite's busy handler, which retries with sleeps of up to 100 ms.
pub struct Tx {
    pub(super) tx: Transaction<'static, Any>,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    /// The versions this transaction set (`bump_version`, `bump_counts`;
    /// 0 for one it left), and where to record them once committed.
    pub(super) bumped: Versions,
    written: Arc<Written>,
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        self.written.record(&self.bumped);
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        Ok(self.tx.rollback().await?)
    }

    pub fn engine(&self) -> Engine {
        if self.backend_name() == "PostgreSQL" {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

/// A connection for one write outside a transaction; holds the write
/// gate on SQLite like `Tx`.
pub struct Writer {
    conn: sqlx::pool::PoolConnection<Any>,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl std::ops::Deref for Writer {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Writer {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.conn
    }
}

impl Db {
    /// A connection for a single write statement (`execute(&mut *db.writer().await?)`).
    pub async fn writer(&self) -> Result<Writer> {
        let gate = match self.engine {
            Engine::Sqlite => Some(self.gate.clone().lock_owned().await),
            Engine::Postgres => None,
        };
        Ok(Writer {
            conn: self.pool.acquire().await?,
            _gate: gate,
        })
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing later.
    pub async fn begin_write(&self) -> Result<Tx> {
        Ok(match self.engine {
            Engine::Sqlite => {
                let gate = self.gate.clone().lock_owned().await;
                Tx {
                    tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
                    _gate: Some(gate),
                    bumped: Versions::default(),
                    written: self.written.clone(),
                }
            }
            Engine::Postgres => Tx {
                tx: self.pool.begin().await?,
                _gate: None,
                bumped: Versions::default(),
                written: self.written.clone(),
            },
        })
    }
}
