//! Instances are interchangeable: two servers on one database show the
//! same data right after a write, and a job is claimed by one of them only.

use crate::browser::Browser;
use crate::helpers::{counter, spawn_app, spawn_on, TestDatabase};
use crate::invalidation::{add_organisation, cached, rendered, PLONSK};
use crate::registration::{registered_and_confirmed, training};
use koalicja::store::{bump_version, jobs, ChangeListener, Db, Topics};
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_show_a_write_through_either_of_them() {
    let first = spawn_app().await;
    let second_db = Db::connect(&first.database.url).await.unwrap();
    let second = spawn_on(TestDatabase::shared(&first.database), second_db).await;
    let before = counter(&first.get("/").await.body, "kilometres");
    assert_eq!(counter(&second.get("/").await.body, "kilometres"), before);
    // Signed in on the first instance; the session lives in the database,
    // so the same cookie works on the second.
    first
        .account("koordynator@example.org", "coordinator", &[])
        .await;
    let on_first = Browser::new(&first);
    on_first.sign_in("koordynator@example.org").await;
    let on_second = Browser::new(&second);
    on_second.set_cookie(
        "koalicja_sesja",
        &on_first.cookie("koalicja_sesja").unwrap(),
    );

    for (n, writer) in [&on_first, &on_second].into_iter().enumerate() {
        let added = writer
            .submit(
                "/admin/wyjazdy",
                "/admin/wyjazdy",
                &[
                    ("travelled_on", "2023-06-01"),
                    ("route", "Warszawa – Radom"),
                    ("kilometres", "100"),
                ],
            )
            .await;
        assert_eq!(
            added.status,
            reqwest::StatusCode::SEE_OTHER,
            "{}",
            added.body
        );
        let want = before + 100.0 * (n as f64 + 1.0);
        for reader in [&first, &second] {
            // What the watcher does: read the data version the other
            // instance's write bumped.
            reader.refresh().await;
            let seen = counter(&reader.get("/").await.body, "kilometres");
            assert_eq!(seen, want, "write {n} seen by {}", reader.address);
            assert_eq!(reader.stats("").await["kilometres"].as_f64(), Some(want));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_instance_re_renders_only_the_pages_a_write_through_the_other_touched() {
    let first = spawn_app().await;
    let second_db = Db::connect(&first.database.url).await.unwrap();
    let second = spawn_on(TestDatabase::shared(&first.database), second_db).await;
    let page = training(&first, Some(20)).await;
    let other = training(&first, Some(20)).await;
    let staff = first
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    first.refresh().await;
    second.refresh().await;
    let pages = ["/", page.as_str(), other.as_str(), "/szkolenia", PLONSK];
    cached(&second, &pages).await;

    registered_and_confirmed(&first, &page, "Anna", "anna@example.org").await;
    // What the watcher does: read the versions the other instance's write
    // moved.
    second.refresh().await;
    let (again, body) = rendered(&second, &page).await;
    assert!(again, "the activity's page re-rendered");
    assert!(body.contains("<dt>Wolne miejsca</dt><dd>19</dd>"), "{body}");
    let (again, list) = rendered(&second, "/szkolenia").await;
    assert!(again && list.contains("wolne miejsca: 19"), "{list}");
    assert!(!rendered(&second, "/").await.0, "the home page left");
    assert!(
        !rendered(&second, &other).await.0,
        "the other activity left"
    );

    add_organisation(&staff, "Abecadło – Fundacja Nowa").await;
    second.refresh().await;
    assert!(!rendered(&second, "/szkolenia").await.0, "the list left");
    assert!(!rendered(&second, &page).await.0, "the activity left");
    assert!(!rendered(&second, "/").await.0, "the home page left");
    let (again, unit) = rendered(&second, PLONSK).await;
    assert!(again && unit.contains("Abecadło – Fundacja Nowa"), "{unit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_job_is_claimed_by_exactly_one_worker() {
    let database = TestDatabase::new().await;
    let setup = Db::connect(&database.url).await.unwrap();
    setup.migrate().await.unwrap();
    const JOBS: usize = 60;
    for i in 0..JOBS {
        jobs::enqueue(
            &setup,
            "test",
            &i.to_string(),
            t("2026-01-01T00:00:00Z"),
            t("2026-01-01T00:00:00Z"),
        )
        .await
        .unwrap();
    }
    let mut workers = Vec::new();
    for w in 0..4 {
        let db = Db::connect(&database.url).await.unwrap();
        workers.push(tokio::spawn(async move {
            let mut claimed = Vec::new();
            let name = format!("worker-{w}");
            while let Some(job) = jobs::claim(
                &db,
                &name,
                t("2026-01-01T00:01:00Z"),
                t("2026-01-01T00:06:00Z"),
            )
            .await
            .unwrap()
            {
                jobs::complete(&db, job.id, t("2026-01-01T00:01:01Z"))
                    .await
                    .unwrap();
                claimed.push(job.payload);
            }
            claimed
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), JOBS, "every job claimed once");
    assert_eq!(distinct.len(), JOBS, "no job claimed twice");
    let none_left = jobs::claim(
        &setup,
        "late",
        t("2026-01-02T00:00:00Z"),
        t("2026-01-02T00:05:00Z"),
    )
    .await
    .unwrap();
    assert_eq!(none_left, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_claim_is_taken_again_and_a_failed_job_waits_for_its_retry() {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    jobs::enqueue(
        &db,
        "test",
        "x",
        t("2026-01-01T00:00:00Z"),
        t("2026-01-01T00:00:00Z"),
    )
    .await
    .unwrap();
    let first = jobs::claim(
        &db,
        "a",
        t("2026-01-01T00:00:10Z"),
        t("2026-01-01T00:05:00Z"),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        jobs::claim(
            &db,
            "b",
            t("2026-01-01T00:01:00Z"),
            t("2026-01-01T00:06:00Z")
        )
        .await
        .unwrap(),
        None
    );
    let again = jobs::claim(
        &db,
        "b",
        t("2026-01-01T00:05:01Z"),
        t("2026-01-01T00:10:00Z"),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((again.id, again.attempts), (first.id, 2));
    jobs::fail(
        &db,
        again.id,
        "timeout",
        t("2026-01-01T01:00:00Z"),
        t("2026-01-01T00:06:00Z"),
    )
    .await
    .unwrap();
    assert_eq!(
        jobs::claim(
            &db,
            "c",
            t("2026-01-01T00:30:00Z"),
            t("2026-01-01T00:35:00Z")
        )
        .await
        .unwrap(),
        None
    );
    let retried = jobs::claim(
        &db,
        "c",
        t("2026-01-01T01:00:00Z"),
        t("2026-01-01T01:05:00Z"),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(retried.attempts, 3);
}

/// A time written as stored, for the store's job functions.
fn t(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_committed_change_is_announced_to_listeners_on_postgres() {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    let listener = ChangeListener::connect(&db).await.unwrap();
    if !database.is_postgres() {
        assert!(listener.is_none(), "SQLite instances poll instead");
        return;
    }
    let mut listener = listener.expect("a listener on PostgreSQL");
    let other = Db::connect(&database.url).await.unwrap();
    let mut tx = other.begin_write().await.unwrap();
    bump_version(&mut tx, Topics::ALL).await.unwrap();
    tx.commit().await.unwrap();
    // The bound only keeps a broken build from hanging the suite.
    let heard = tokio::time::timeout(Duration::from_secs(30), listener.changed()).await;
    assert!(matches!(heard, Ok(Ok(()))), "the commit was announced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_together_both_migrate_a_fresh_database() {
    let database = TestDatabase::new().await;
    let (a, b) = (
        Db::connect(&database.url).await.unwrap(),
        Db::connect(&database.url).await.unwrap(),
    );
    let (ra, rb) = tokio::join!(a.migrate(), b.migrate());
    let applied = ra.expect("first instance migrates") + rb.expect("second instance migrates");
    assert_eq!(
        applied,
        koalicja::store::migration_count(),
        "each migration ran exactly once"
    );
}
