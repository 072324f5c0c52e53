//! The counters are computed from records: the home page, the API and a
//! sum made here from the inserted records agree, for any date range.

use crate::helpers::{counter, insert_test_project, spawn_app, spawn_empty, TestApp};
use koalicja::domain::activity::{ActivityKind, ActivityStatus, Audience, Gender, Group};
use koalicja::store::activities::{self as acts, NewActivity, NewPerson};
use koalicja::store::programme as prog;
use koalicja::store::{bump_version, teryt, Topics};
use reqwest::StatusCode;
use serde_json::json;

const NOW: &str = "2026-01-01T00:00:00Z";

fn now() -> jiff::Timestamp {
    NOW.parse().unwrap()
}

struct Meeting {
    date: &'static str,
    kind: ActivityKind,
    minutes: i64,
    people: &'static [usize],
}

/// A small programme with known figures.
const MEETINGS: &[Meeting] = &[
    Meeting {
        date: "2022-03-01",
        kind: ActivityKind::Training,
        minutes: 360,
        people: &[0, 1, 2],
    },
    Meeting {
        date: "2022-06-01",
        kind: ActivityKind::Workshop,
        minutes: 240,
        people: &[2, 3],
    },
    Meeting {
        date: "2023-02-01",
        kind: ActivityKind::Conference,
        minutes: 300,
        people: &[0, 4, 5, 6],
    },
    Meeting {
        date: "2023-05-01",
        kind: ActivityKind::Advisory,
        minutes: 90,
        people: &[7],
    },
];
const TRIPS: &[(&str, i64)] = &[("2022-03-01", 130), ("2022-06-01", 90), ("2023-02-01", 12)];

async fn seed(app: &TestApp) {
    let units = koalicja::domain::teryt::parse_file(koalicja::demo::TERYT_14).unwrap();
    teryt::import(&app.db, &units, NOW.parse().unwrap())
        .await
        .unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    let project = insert_test_project(&mut tx).await;
    let mut people = Vec::new();
    for i in 0..8 {
        let p = NewPerson {
            first_name: format!("Osoba{i}"),
            last_name: "Testowa".into(),
            email: None,
            gender: Gender::Undisclosed,
            group: Group::Ngo,
            organisation_id: None,
            local_government: None,
        };
        people.push(acts::insert_person(&mut tx, &p, now()).await.unwrap());
    }
    for (i, m) in MEETINGS.iter().enumerate() {
        let a = NewActivity {
            slug: format!("a{i}"),
            kind: m.kind,
            status: ActivityStatus::Held,
            title: format!("Działanie {i}"),
            topic: "t".into(),
            summary_md: String::new(),
            starts_on: m.date.parse().unwrap(),
            ends_on: m.date.parse().unwrap(),
            start_time: "10:00".into(),
            duration_minutes: m.minutes,
            online: true,
            venue: "online".into(),
            local_government: None,
            audience: Audience::Both,
            capacity: None,
            co_organiser: None,
            local_work_id: None,
            organisation_id: None,
        };
        let id = acts::insert_activity(&mut tx, project, &a, now())
            .await
            .unwrap();
        for p in m.people {
            acts::insert_attendance(&mut tx, id, people[*p], now())
                .await
                .unwrap();
        }
    }
    for (date, km) in TRIPS {
        acts::insert_trip(
            &mut tx,
            project,
            date.parse().unwrap(),
            "A – B",
            *km,
            None,
            now(),
        )
        .await
        .unwrap();
    }
    bump_version(&mut tx, Topics::ALL).await.unwrap();
    tx.commit().await.unwrap();
}

/// The figures, summed here from the records above.
fn expected(from: &str, to: &str) -> serde_json::Value {
    let inside: Vec<&Meeting> = MEETINGS
        .iter()
        .filter(|m| m.date >= from && m.date <= to)
        .collect();
    let distinct = |pred: &dyn Fn(&Meeting) -> bool| {
        let mut ids: Vec<usize> = inside
            .iter()
            .filter(|m| pred(m))
            .flat_map(|m| m.people.iter().copied())
            .collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    let minutes = |advisory: bool| -> i64 {
        inside
            .iter()
            .filter(|m| (m.kind == ActivityKind::Advisory) == advisory)
            .map(|m| m.minutes)
            .sum()
    };
    json!({
        "recipients": distinct(&|_| true),
        "kilometres": TRIPS.iter().filter(|(d, _)| *d >= from && *d <= to).map(|(_, k)| k).sum::<i64>(),
        "hours": minutes(false) as f64 / 60.0,
        "trainings": inside.iter().filter(|m| m.kind.is_training()).count(),
        "training_participants": distinct(&|m| m.kind.is_training()),
        "advisory_hours": minutes(true) as f64 / 60.0,
        "local_governments": 0,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_equal_the_api_and_the_sums_of_the_records() {
    let app = spawn_empty().await;
    seed(&app).await;
    let want = expected("0000", "9999");
    assert_eq!(want["recipients"], 8);
    let got = app.stats("").await;
    assert_eq!(got, want);
    let home = app.get("/").await.body;
    assert_eq!(
        counter(&home, "recipients"),
        want["recipients"].as_f64().unwrap()
    );
    assert_eq!(
        counter(&home, "kilometres"),
        want["kilometres"].as_f64().unwrap()
    );
    assert_eq!(counter(&home, "hours"), want["hours"].as_f64().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_date_range_counts_only_what_happened_inside_it() {
    let app = spawn_empty().await;
    seed(&app).await;
    for (from, to) in [
        ("2022-01-01", "2022-12-31"),
        ("2022-06-01", "2023-02-01"),
        ("2023-03-01", "2023-12-31"),
        ("2030-01-01", "2030-12-31"),
    ] {
        let got = app.stats(&format!("?from={from}&to={to}")).await;
        assert_eq!(got, expected(from, to), "{from}..{to}");
    }
    let only_from = app.stats("?from=2023-01-01").await;
    assert_eq!(only_from, expected("2023-01-01", "9999"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_range_is_refused_with_a_polish_message() {
    let app = spawn_empty().await;
    seed(&app).await;
    let reply = app.get("/api/v1/stats?from=2023-02-30").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.contains("nie ma postaci RRRR-MM-DD"),
        "{}",
        reply.body
    );
    let reversed = app.get("/api/v1/stats?from=2023-02-01&to=2022-01-01").await;
    assert_eq!(reversed.status, StatusCode::BAD_REQUEST);
    assert!(reversed.body.contains("późniejsza"), "{}", reversed.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_record_shows_in_the_counters_without_a_restart() {
    let app = spawn_app().await;
    let before = counter(&app.get("/").await.body, "kilometres");
    let mut tx = app.db.begin_write().await.unwrap();
    let project = prog::main_project(&app.db).await.unwrap().unwrap().id;
    acts::insert_trip(
        &mut tx,
        project,
        "2023-06-01".parse().unwrap(),
        "Warszawa – Radom",
        1000,
        None,
        now(),
    )
    .await
    .unwrap();
    bump_version(&mut tx, Topics::ALL).await.unwrap();
    tx.commit().await.unwrap();
    app.refresh().await;
    let after = counter(&app.get("/").await.body, "kilometres");
    assert_eq!(after, before + 1000.0);
    assert_eq!(app.stats("").await["kilometres"].as_f64(), Some(after));
}
