//! Migrations: the files of `migrations/sqlite/` and `migrations/postgres/`
//! (same names per engine), embedded by `sqlx::migrate!` with their
//! checksums and applied in order by sqlx's migrator, which records each
//! in `_sqlx_migrations`. A migration whose text changed after it was
//! applied is refused at start, naming it (`StoreError::MigrationEdited`).
//!
//! Databases migrated before by the program's own table `schema_migration`
//! have what it lists recorded into `_sqlx_migrations` first (with the
//! checksums of the embedded files), so nothing runs twice.
//!
//! Instances starting together take turns: on PostgreSQL an advisory lock
//! held for the whole run (sqlx's migrator takes one of its own too), on
//! SQLite a lock of this process.

use super::{sort_keys, teryt, Db, Engine, Result, StoreError};
use sqlx::migrate::{Migrate, MigrateError, Migration, Migrator};
use sqlx::{AnyConnection, Connection, Executor, Row};

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// One migration of this process at a time on SQLite.
static SQLITE_TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The advisory lock instances on one PostgreSQL database migrate under.
const POSTGRES_LOCK: i64 = 4242001;

/// How many migrations the binary carries.
pub fn migration_count() -> usize {
    SQLITE.iter().count()
}

fn migrator(engine: Engine) -> &'static Migrator {
    match engine {
        Engine::Sqlite => &SQLITE,
        Engine::Postgres => &POSTGRES,
    }
}

/// A migration's name as its file is named, without `.sql`
/// (`0005_records_version`); sqlx keeps the words of the description
/// apart with spaces.
fn file_name(m: &Migration) -> String {
    format!("{:04}_{}", m.version, m.description.replace(' ', "_"))
}

/// The name of migration `version`, for messages.
fn name_of(engine: Engine, version: i64) -> String {
    migrator(engine)
        .iter()
        .find(|m| m.version == version)
        .map_or_else(|| format!("{version:04}"), file_name)
}

/// sqlx's error in the program's words, naming the migration.
fn refused(engine: Engine, e: MigrateError) -> StoreError {
    match e {
        MigrateError::VersionMismatch(v) => StoreError::MigrationEdited {
            name: name_of(engine, v),
        },
        MigrateError::ExecuteMigration(_, v)
        | MigrateError::VersionMissing(v)
        | MigrateError::VersionNotPresent(v)
        | MigrateError::VersionTooOld(v, _)
        | MigrateError::VersionTooNew(v, _)
        | MigrateError::Dirty(v) => StoreError::Migration {
            name: name_of(engine, v),
            source: e,
        },
        e => StoreError::Migration {
            name: "–".into(),
            source: e,
        },
    }
}

impl Db {
    /// Applies every migration not yet applied; returns how many ran. Then
    /// fills the sort keys and the names of units left empty.
    #[tracing::instrument(skip_all)]
    pub async fn migrate(&self) -> Result<usize> {
        let applied = {
            let _turn = match self.engine {
                Engine::Sqlite => Some(SQLITE_TURN.lock().await),
                Engine::Postgres => None,
            };
            let mut conn = self.pool.acquire().await?;
            if self.engine == Engine::Postgres {
                // A migration of a large database may run longer than a
                // web request's statements are allowed to; the connection
                // is closed afterwards rather than returned so changed.
                conn.close_on_drop();
                (&mut *conn).execute("SET statement_timeout = 0").await?;
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(POSTGRES_LOCK)
                    .execute(&mut *conn)
                    .await?;
            }
            migrate_on(&mut conn, self.engine).await?
        };
        sort_keys::fill(self).await?;
        teryt::name_units(self).await?;
        super::summaries::fill(self).await?;
        super::monitoring::fill_elements_found(self).await?;
        Ok(applied)
    }
}

/// The migration run on one connection, under the turn of its engine.
async fn migrate_on(conn: &mut AnyConnection, engine: Engine) -> Result<usize> {
    let migrator = migrator(engine);
    conn.ensure_migrations_table()
        .await
        .map_err(|e| refused(engine, e))?;
    adopt_old_records(conn, engine).await?;
    let before = applied_count(conn, engine).await?;
    migrator
        .run_direct(conn)
        .await
        .map_err(|e| refused(engine, e))?;
    Ok(applied_count(conn, engine).await? - before)
}

async fn applied_count(conn: &mut AnyConnection, engine: Engine) -> Result<usize> {
    Ok(conn
        .list_applied_migrations()
        .await
        .map_err(|e| refused(engine, e))?
        .len())
}

/// Records into `_sqlx_migrations` the migrations the former table
/// `schema_migration` lists as applied and sqlx's table does not yet hold,
/// with the checksums of the files this binary carries.
async fn adopt_old_records(conn: &mut AnyConnection, engine: Engine) -> Result<()> {
    let exists = match engine {
        Engine::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'"
        }
        Engine::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'schema_migration'"
        }
    };
    let found: i64 = sqlx::query(exists)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    if found == 0 {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    let old: Vec<String> = sqlx::query_scalar("SELECT name FROM schema_migration")
        .fetch_all(&mut *tx)
        .await?;
    let recorded: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut *tx)
        .await?;
    for m in migrator(engine).iter() {
        if recorded.contains(&m.version) || !old.contains(&file_name(m)) {
            continue;
        }
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, $2, TRUE, $3, 0)",
        )
        .bind(m.version)
        .bind(m.description.as_ref())
        .bind(m.checksum.to_vec())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_engines_carry_the_same_migrations_named_as_their_files() {
        let names = |m: &Migrator| m.iter().map(file_name).collect::<Vec<_>>();
        assert_eq!(names(&SQLITE), names(&POSTGRES));
        assert_eq!(names(&SQLITE)[4], "0005_records_version");
        assert_eq!(migration_count(), names(&POSTGRES).len());
    }
}
