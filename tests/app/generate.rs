//! The synthetic data set: exact sizes, figures that match its records,
//! and refusal to write into a database that holds data.

use crate::helpers::{run_cli, spawn_on, TestDatabase};
use koalicja::store::{bulk, Db};
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_small_scale_has_exact_sizes_and_consistent_figures() {
    let database = TestDatabase::new().await;
    let (ok, out) = run_cli(&[
        "generate",
        "--scale",
        "small",
        "--seed",
        "7",
        "--database-url",
        &database.url,
    ]);
    assert!(ok, "{out}");
    let db = Db::connect(&database.url).await.unwrap();
    for (table, rows) in [
        ("organisation", 100),
        ("person", 1000),
        ("activity", 50),
        ("attendance", 2000),
        ("trip", 200),
    ] {
        assert_eq!(bulk::count(&db, table).await.unwrap(), rows, "{table}");
    }
    assert_eq!(
        bulk::count(&db, "local_government").await.unwrap(),
        4348,
        "the whole national register"
    );
    let distinct: i64 = sqlx::query("SELECT COUNT(DISTINCT person_id) FROM attendance")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let km: i64 = sqlx::query("SELECT CAST(SUM(kilometres) AS BIGINT) FROM trip")
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let app = spawn_on(database, db).await;
    let stats = app.stats("").await;
    assert_eq!(stats["recipients"].as_i64(), Some(distinct));
    assert_eq!(stats["kilometres"].as_i64(), Some(km));
    let ranged = app.stats("?from=2021-01-01&to=2026-12-31").await;
    assert_eq!(
        ranged["recipients"], stats["recipients"],
        "the range spans the whole data set"
    );
    assert_eq!(
        ranged["training_participants"],
        stats["training_participants"]
    );

    let (ok, out) = run_cli(&[
        "generate",
        "--scale",
        "small",
        "--database-url",
        &app.database.url,
    ]);
    assert!(!ok, "a second run must refuse");
    assert!(out.contains("baza danych nie jest pusta"), "{out}");
}
