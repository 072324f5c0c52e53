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
    // The monitor: facts for every JST of the country, six years each.
    let (jsts, with_facts, years): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM local_government WHERE is_jst = 1), \
         (SELECT COUNT(DISTINCT local_government) FROM monitoring), \
         (SELECT COUNT(DISTINCT year) FROM monitoring)",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(jsts > 2800, "{jsts}");
    assert_eq!(with_facts, jsts, "every JST has facts");
    assert_eq!(years, 6);
    let app = spawn_on(database, db).await;
    let table = app.get("/api/v1/monitoring?rok=2026").await;
    assert_eq!(table.status, reqwest::StatusCode::OK, "{}", table.body);
    let table: serde_json::Value = serde_json::from_str(&table.body).unwrap();
    assert_eq!(table["units"].as_array().unwrap().len() as i64, jsts);
    // The country's 380 counties are typed by code, not listed: the page
    // keeps within its 30 kB.
    let page = app.get("/monitoring?rok=2026").await;
    assert!(page.body.contains("Powiat (kod TERYT)"), "{}", page.body);
    assert!(page.body.len() < 30 * 1024, "{} bytes", page.body.len());
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
