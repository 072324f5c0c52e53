//! The scheduled jobs: each periodic job's `run_once` done twice at one
//! time does its work once; instances sharing a database run a slot once;
//! every run is logged inside its job's span.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::browser::Browser;
use crate::helpers::{log_text, spawn_app, TestDatabase};
use crate::mail::sent;
use crate::registration::{move_registration, register, registered_and_confirmed, training};
use koalicja::app::Clock;
use koalicja::jobs::{self, outbox, Context, Periodic};
use koalicja::store::Db;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_periodic_job_run_twice_at_one_time_does_its_work_once() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await; // 10 December
    registered_and_confirmed(&app, &page, "Obecna", "obecna@example.org").await;
    register(&Browser::new(&app), &page, "Milcząca", "milczy@example.org").await;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM activity")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    sent(&app, 3).await;
    app.clock.advance(12 * 24 * 3600); // 10 December: the day
    staff.sign_in("koordynator@example.org").await;
    move_registration(&app, &staff, id, "obecna@example.org", "obecny").await;
    app.clock.advance(24 * 3600); // 11 December: the day after
                                  // A file no row names, older than the grace period.
    let attachments = app.data_dir.join("attachments");
    std::fs::create_dir_all(&attachments).unwrap();
    let orphan = attachments.join("sierota.pdf");
    std::fs::write(&orphan, b"%PDF-1.7").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(2 * 3600))
        .unwrap();

    let ctx = app.state.jobs();
    let now = app.clock.now();
    let mut first = HashMap::new();
    for job in Periodic::ALL {
        first.insert(job, job.run_once(ctx, now).await.unwrap());
    }
    assert_eq!(first[&Periodic::Expiry], 1, "the unconfirmed registration");
    assert_eq!(first[&Periodic::Thanks], 1, "the attendee thanked");
    assert_eq!(first[&Periodic::OrphanFiles], 1, "the file no row names");
    assert!(!orphan.exists());
    let queued = app.rows("outbox").await;
    for job in Periodic::ALL {
        assert_eq!(job.run_once(ctx, now).await.unwrap(), 0, "{}", job.name());
    }
    assert_eq!(app.rows("outbox").await, queued, "nothing more queued");

    assert!(
        outbox::run_once(ctx, now).await.unwrap() >= 1,
        "the thank-you sent"
    );
    assert_eq!(outbox::run_once(ctx, now).await.unwrap(), 0);
    let status: String = sqlx::query_scalar("SELECT status FROM registration WHERE email = $1")
        .bind("milczy@example.org")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_sharing_a_database_run_each_slot_of_a_periodic_job_once() {
    let database = TestDatabase::new().await;
    let setup = Db::connect(&database.url).await.unwrap();
    setup.migrate().await.unwrap();
    let at = jiff::Timestamp::from_second(1_796_292_000).unwrap(); // a whole hour
    let clock = Clock::manual(at);
    let instance = |db: Db| {
        Context::new(
            db,
            clock.clone(),
            crate::helpers::local_settings(database.dir.path()),
        )
    };
    let a = instance(Db::connect(&database.url).await.unwrap());
    let b = instance(Db::connect(&database.url).await.unwrap());

    let ran_together = |now: jiff::Timestamp| {
        let (a, b) = (a.clone(), b.clone());
        async move {
            let (ra, rb) = tokio::join!(
                jobs::run_scheduled(&a, now, "a"),
                jobs::run_scheduled(&b, now, "b")
            );
            let mut all = ra.unwrap();
            all.extend(rb.unwrap());
            all
        }
    };
    let mut first = ran_together(at).await;
    first.sort_by_key(|j| j.name());
    let mut every = Periodic::ALL.to_vec();
    every.sort_by_key(|j| j.name());
    assert_eq!(first, every, "each job once, by one instance or the other");
    assert_eq!(
        ran_together(at).await,
        Vec::<Periodic>::new(),
        "the slot was taken"
    );

    // A minute later: the jobs run every minute have a new slot, the
    // hourly sweep of files has not.
    clock.advance(60);
    let mut next = ran_together(clock.now()).await;
    next.sort_by_key(|j| j.name());
    let mut minutely: Vec<Periodic> = Periodic::ALL
        .into_iter()
        .filter(|j| j.every() == 60)
        .collect();
    minutely.sort_by_key(|j| j.name());
    assert_eq!(next, minutely);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_run_is_logged_inside_its_span() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await;
    register(
        &Browser::new(&app),
        &page,
        "Śledzona",
        "sledzona@example.org",
    )
    .await;
    app.run_jobs().await;
    let log = log_text();
    assert!(
        log.lines()
            .any(|l| l.contains("job{job=") && l.contains("send_outbox") && l.contains("job ran")),
        "{log}"
    );
}
