//! Migrations: an applied migration whose text changed is refused at
//! start, naming it; a database migrated by the former bookkeeping table
//! is taken over without running anything again.

use crate::helpers::{run_cli, TestDatabase};
use koalicja::store::{migration_count, Db};

/// The names of the migrations the binary carries (`0001_foundation`, …).
fn migration_names() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".sql").map(str::to_owned))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_applied_migration_whose_text_changed_is_refused_at_start_naming_it() {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.unwrap();
    assert_eq!(db.migrate().await.unwrap(), migration_count());
    // What a binary whose copy of 0005 was edited finds: the checksum
    // recorded when the migration ran is not that of the text it carries.
    sqlx::query("UPDATE _sqlx_migrations SET checksum = $1 WHERE version = 5")
        .bind(vec![0u8; 48])
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;

    let (ok, out) = run_cli(&["migrate", "--database-url", &database.url]);
    assert!(!ok, "the start is refused: {out}");
    assert!(
        out.contains("migracja 0005_records_version została zmieniona"),
        "the message names the migration: {out}"
    );

    let db = Db::connect(&database.url).await.unwrap();
    let refused = db.migrate().await.expect_err("refused again").to_string();
    assert!(refused.contains("0005_records_version"), "{refused}");
    db.close().await;
}

#[tokio::test]
async fn a_database_migrated_by_the_former_table_is_accepted_and_not_migrated_again() {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    // As the former binary left a database: its own table listing what
    // ran, and no table of sqlx's.
    sqlx::query("DROP TABLE _sqlx_migrations")
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query("CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        .execute(db.pool())
        .await
        .unwrap();
    let names = migration_names();
    assert_eq!(names.len(), migration_count());
    for name in &names {
        sqlx::query("INSERT INTO schema_migration (name, applied_at) VALUES ($1, $2)")
            .bind(name)
            .bind("2025-01-01T00:00:00Z")
            .execute(db.pool())
            .await
            .unwrap();
    }

    assert_eq!(db.migrate().await.unwrap(), 0, "nothing runs again");
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(recorded as usize, migration_count());
    assert_eq!(
        db.migrate().await.unwrap(),
        0,
        "and the next start runs nothing"
    );
    db.close().await;

    let (ok, out) = run_cli(&["migrate", "--database-url", &database.url]);
    assert!(ok, "the command line starts on it: {out}");
}
