//! What anonymous clients can cost: public computations are bounded at
//! once, beyond which the answer is a Polish 503 with `Retry-After`;
//! `/healthz` never waits behind them; on PostgreSQL a statement past its
//! time limit is cancelled.

use crate::helpers::*;
use koalicja::config::Settings;
use koalicja::store::{Db, PoolSettings, StoreError};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// A new date range of the figures for each `n`: none is cached.
fn new_range(n: usize) -> String {
    let day = jiff::civil::date(2021, 1, 1) + jiff::Span::new().days(n as i64);
    format!("/api/v1/stats?from={day}&to=2024-12-31")
}

/// The figures, answered.
fn assert_figures(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let figures: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert!(figures["recipients"].is_number(), "{figures}");
}

/// What a refused public computation answers: 503, a moment to wait, and
/// why in Polish.
fn assert_refused_in_polish(reply: &Reply) {
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    let wait: u64 = reply.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1, "Retry-After: {wait}");
    assert!(
        reply.body.contains("Spróbuj ponownie za kilka sekund"),
        "{}",
        reply.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_while_four_clients_ask_new_date_ranges() {
    let database = TestDatabase::new().await;
    let postgres = database.is_postgres();
    // PostgreSQL cancels a statement after one second, before the
    // request's own deadline (three) would answer it.
    let pool = PoolSettings {
        statement_timeout: Some(Duration::from_secs(1)),
        ..PoolSettings::default()
    };
    let settings = Settings {
        statement_timeout: Some(Duration::from_secs(3)),
        ..crate::helpers::local_settings(database.dir.path())
    };
    let db = Db::connect_with(&database.url, pool).await.unwrap();
    db.migrate().await.unwrap();
    koalicja::demo::load(&db, "2026-11-28T00:00:00Z".parse().unwrap(), &settings)
        .await
        .unwrap();
    let locker = Db::connect(&database.url).await.unwrap();
    let app = spawn_with(database, db, settings).await;
    // On PostgreSQL every range is made as slow as a range at national
    // scale and slower: ranges read `reach_cell`, locked here until the
    // clients are done, so each computation waits until the statement
    // timeout cancels it. (SQLite has no such lock for readers: there the
    // clients' computations simply run.)
    let lock = if postgres {
        let mut tx = locker.pool().begin().await.unwrap();
        sqlx::query("LOCK TABLE reach_cell IN ACCESS EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await
            .unwrap();
        Some(tx)
    } else {
        None
    };
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let address = app.address.clone();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let asked = (0..12).map(|i| {
                    let http = http.clone();
                    let url = format!("{address}{}", new_range(client * 100 + i));
                    async move {
                        let start = Instant::now();
                        let response = http.get(url).send().await.unwrap();
                        let reply = Reply {
                            status: response.status(),
                            headers: response.headers().clone(),
                            body: response.text().await.unwrap(),
                        };
                        (reply, start.elapsed())
                    }
                });
                futures_join_all(asked).await
            })
        })
        .collect();
    for _ in 0..5 {
        let start = Instant::now();
        let health = app.get("/healthz").await;
        let took = start.elapsed();
        assert_eq!(health.status, StatusCode::OK, "{}", health.body);
        assert!(took < Duration::from_secs(2), "/healthz took {took:?}");
    }
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.await.unwrap());
    }
    for (reply, took) in &answers {
        // Nothing hangs: a turn is waited for half a second, a statement
        // at most its timeout.
        assert!(*took < Duration::from_secs(3), "a range took {took:?}");
        if reply.status != StatusCode::OK {
            assert_refused_in_polish(reply);
        }
    }
    if postgres {
        assert!(
            answers
                .iter()
                .any(|(r, _)| r.body.contains("chwilowo niedostępny")),
            "a computation was cancelled by the statement timeout"
        );
    }
    drop(lock);
    assert_figures(&app.get(&new_range(999)).await);
}

/// `futures::future::join_all` without the dependency: every future runs
/// at once on its own task.
async fn futures_join_all<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_public_computations_the_answer_is_a_polish_503_with_retry_after() {
    let app = spawn_app().await;
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    // Every turn taken, as by computations in flight.
    let mut turns = Vec::new();
    while let Some(turn) = app.state.gate().try_enter() {
        turns.push(turn);
    }
    assert_eq!(turns.len(), 2, "public_computations defaults to 2");

    let start = Instant::now();
    let figures = app.get(&new_range(1)).await;
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_refused_in_polish(&figures);
    let error: serde_json::Value = serde_json::from_str(&figures.body).unwrap();
    assert_eq!(
        error["error"],
        "Serwis jest teraz bardzo obciążony. Spróbuj ponownie za kilka sekund."
    );

    let search = app.get("/jst?q=P%C5%82o%C5%84sk").await;
    assert_refused_in_polish(&search);
    assert_eq!(h1(&search.body), "Serwis chwilowo niedostępny");

    // What is cached is served as ever, and the health check answers.
    assert_eq!(app.get("/").await.status, StatusCode::OK);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);

    drop(turns);
    assert_figures(&app.get(&new_range(1)).await);
    let found = app.get("/jst?q=P%C5%82o%C5%84sk").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("Płońsk"));
}

#[tokio::test]
async fn identical_requests_in_flight_are_answered_by_one_computation() {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    let settings = Settings {
        // A turn for each: only the sharing keeps them to one computation.
        public_computations: 16,
        ..crate::helpers::local_settings(database.dir.path())
    };
    koalicja::demo::load(&db, "2026-11-28T00:00:00Z".parse().unwrap(), &settings)
        .await
        .unwrap();
    let app = spawn_with(database, db, settings).await;
    let renders = app.state.cache().renders();
    // The turns taken until every request is in, so that none is
    // answered before the last arrives.
    let mut turns = Vec::new();
    while let Some(turn) = app.state.gate().try_enter() {
        turns.push(turn);
    }
    let range = new_range(7);
    let asked: Vec<_> = (0..16)
        .map(|_| {
            let http = app.client.clone();
            let url = format!("{}{range}", app.address);
            tokio::spawn(async move { http.get(url).send().await.unwrap().text().await.unwrap() })
        })
        .collect();
    let all_in = async {
        while app.state.cache().following() < 15 {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), all_in)
        .await
        .expect("fifteen requests wait for the first one's computation");
    drop(turns);
    let mut bodies = Vec::new();
    for a in asked {
        bodies.push(a.await.unwrap());
    }
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    assert!(bodies[0].contains("recipients"), "{}", bodies[0]);
    assert_eq!(app.state.cache().renders() - renders, 1, "one render");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_computation_past_the_deadline_is_answered_503_in_its_time() {
    let database = TestDatabase::new().await;
    let postgres = database.is_postgres();
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    let settings = Settings {
        statement_timeout: Some(Duration::from_millis(300)),
        ..crate::helpers::local_settings(database.dir.path())
    };
    koalicja::demo::load(&db, "2026-11-28T00:00:00Z".parse().unwrap(), &settings)
        .await
        .unwrap();
    let app = spawn_with(database, db.clone(), settings).await;
    if !postgres {
        // Nothing makes a read slow on SQLite here (a lock does not stop
        // its readers); `web::gate`'s unit test runs a slow computation
        // past the deadline under a paused clock.
        return;
    }
    // The figures of a range read `reach_cell`, locked here: the
    // computation waits (its statement timeout is the default 5 s), and
    // the request is answered at its deadline.
    let mut tx = db.pool().begin().await.unwrap();
    sqlx::query("LOCK TABLE reach_cell IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await
        .unwrap();
    let start = Instant::now();
    let reply = app.get(&new_range(3)).await;
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "answered in its time"
    );
    assert_refused_in_polish(&reply);
    drop(tx);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_past_the_timeout_is_cancelled_on_postgres() {
    let database = TestDatabase::new().await;
    if !database.is_postgres() {
        // SQLite has no statement timeout (see ARCHITECTURE.md, "Load and
        // outages"): public computations are bounded by their turns.
        return;
    }
    let pool = PoolSettings {
        statement_timeout: Some(Duration::from_millis(300)),
        ..PoolSettings::default()
    };
    let db = Db::connect_with(&database.url, pool).await.unwrap();
    let start = Instant::now();
    let slow = sqlx::query("SELECT pg_sleep(5)").execute(db.pool()).await;
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "cancelled in time"
    );
    let error = StoreError::from(slow.expect_err("cancelled"));
    assert!(error.is_unavailable(), "answered as 503: {error:?}");

    // Work that may take long runs without the limit.
    let maintenance = Db::connect_with(&database.url, pool.maintenance())
        .await
        .unwrap();
    sqlx::query("SELECT pg_sleep(0.5)")
        .execute(maintenance.pool())
        .await
        .expect("no limit for maintenance");
    // So do migrations, whatever pool runs them.
    db.migrate().await.expect("migrations set their own limit");
}
