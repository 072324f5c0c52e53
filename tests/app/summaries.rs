//! The figures' summaries equal a recomputation after random changes: a
//! model of the records is kept here, beside the database, through
//! random inserts, edits, deletions, attendance and group changes (ranges
//! cut multi-day activities, people change groups), and every figure of
//! `/api/v1/stats` for random ranges, and the catalogue's held totals,
//! equal what the model gives; at the end the maintained tables equal the
//! ones rebuilt from the records.

use std::collections::BTreeSet;

use crate::helpers::{insert_test_project, spawn_empty, Rng, TestApp, TEST_PERIOD as PERIOD};
use jiff::civil::Date;
use koalicja::domain::activity::{
    ActivityKind, ActivityStatus, Audience, Catalogue, Gender, Group,
};
use koalicja::domain::records::{ActivityRecord, Person, Trip};
use koalicja::domain::stats::hours_from_minutes;
use koalicja::store::activities::{self as acts, NewPerson, Selection};
use koalicja::store::{activity_records, bulk, bump_version, people, Topics};
use serde_json::json;

/// The months records fall in: around the period's ends and a few
/// inside it, so that people meet again within a month and across.
const MONTHS: &[(i16, i8)] = &[
    (2021, 12),
    (2022, 1),
    (2022, 2),
    (2022, 3),
    (2022, 6),
    (2023, 11),
    (2023, 12),
    (2024, 1),
];
const PEOPLE: usize = 14;

fn now() -> jiff::Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

/// A day of `MONTHS`, one of few in each, so that ranges start and end on
/// the days people attended and on the days around them.
fn day(rng: &mut Rng) -> Date {
    let (year, month) = rng.pick(MONTHS);
    let first = jiff::civil::date(year, month, 1);
    let day = rng.pick(&[1, 2, 15, 31]).min(first.days_in_month());
    first.with().day(day).build().unwrap()
}

#[derive(Clone, Debug)]
struct Activity {
    id: i64,
    kind: ActivityKind,
    status: ActivityStatus,
    starts_on: Date,
    ends_on: Date,
    minutes: i64,
    /// Its local work (an index of `Model::works`), set when made.
    work: Option<usize>,
}

struct TripRow {
    id: i64,
    day: Date,
    km: i64,
    activity: Option<usize>,
}

/// The records as the test made them.
struct Model {
    project: i64,
    people: Vec<(i64, Group)>,
    activities: Vec<Option<Activity>>,
    attendance: BTreeSet<(usize, usize)>,
    trips: Vec<Option<TripRow>>,
    /// Local works: their id and the JST they count as.
    works: Vec<(i64, &'static str)>,
}

impl Model {
    fn held(&self) -> impl Iterator<Item = (usize, &Activity)> {
        self.activities
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.as_ref().map(|a| (i, a)))
            .filter(|(_, a)| a.status == ActivityStatus::Held)
    }

    /// The attendance (activity, person) outside the team at the held
    /// activities `pick` keeps: each one a participation.
    fn counted(&self, pick: &dyn Fn(&Activity) -> bool) -> Vec<(usize, usize)> {
        let chosen: BTreeSet<usize> = self
            .held()
            .filter(|(_, a)| pick(a))
            .map(|(i, _)| i)
            .collect();
        self.attendance
            .iter()
            .filter(|(a, p)| chosen.contains(a) && self.people[*p].1 != Group::Team)
            .copied()
            .collect()
    }

    /// Distinct people among `counted`.
    fn people_at(&self, pick: &dyn Fn(&Activity) -> bool) -> usize {
        let people: BTreeSet<usize> = self.counted(pick).iter().map(|(_, p)| *p).collect();
        people.len()
    }

    /// `/api/v1/stats` for `[from, to]`: held activities by their first
    /// day inside the range cut to the project's period.
    fn stats(&self, from: Date, to: Date) -> serde_json::Value {
        let lo = from.max(PERIOD.0.parse().unwrap());
        let hi = to.min(PERIOD.1.parse().unwrap());
        let inside = |a: &Activity| a.starts_on >= lo && a.starts_on <= hi;
        let minutes = |advisory: bool| {
            self.held()
                .filter(|(_, a)| inside(a) && (a.kind == ActivityKind::Advisory) == advisory)
                .map(|(_, a)| a.minutes)
                .sum::<i64>()
        };
        let km: i64 = self
            .trips
            .iter()
            .flatten()
            .filter(|t| t.day >= lo && t.day <= hi)
            .filter(|t| {
                t.activity.is_none_or(|a| {
                    self.activities[a].as_ref().unwrap().status == ActivityStatus::Held
                })
            })
            .map(|t| t.km)
            .sum();
        json!({
            "recipients": self.people_at(&|a| inside(a)),
            "kilometres": km,
            "hours": hours_from_minutes(minutes(false)),
            "trainings": self.held().filter(|(_, a)| inside(a) && a.kind.is_training()).count(),
            "training_participants": self.people_at(&|a| inside(a) && a.kind.is_training()),
            "advisory_hours": hours_from_minutes(minutes(true)),
            "local_governments": self
                .held()
                .filter(|(_, a)| inside(a))
                .filter_map(|(_, a)| a.work.map(|w| self.works[w].1))
                .collect::<BTreeSet<_>>()
                .len(),
        })
    }

    /// The catalogue's totals of a selection, all time or one month: every
    /// held activity, people and participations inside the period.
    fn held_totals(&self, events: bool, month: Option<(Date, Date)>) -> acts::Held {
        let period = |a: &Activity| {
            a.starts_on >= PERIOD.0.parse().unwrap() && a.starts_on <= PERIOD.1.parse().unwrap()
        };
        let pick = |a: &Activity| {
            (if events {
                a.kind.is_event()
            } else {
                a.kind.is_training()
            }) && month.is_none_or(|(f, l)| a.starts_on >= f && a.starts_on <= l)
        };
        acts::Held {
            activities: self.held().filter(|(_, a)| pick(a)).count() as i64,
            people: Some(self.people_at(&|a| pick(a) && period(a)) as i64),
            participations: self.counted(&|a| pick(a) && period(a)).len() as i64,
        }
    }
}

async fn start(app: &TestApp) -> Model {
    let mut tx = app.db.begin_write().await.unwrap();
    let project = insert_test_project(&mut tx).await;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let group = Group::ALL[i % Group::ALL.len()];
        let p = NewPerson {
            first_name: format!("Osoba{i}"),
            last_name: "Testowa".into(),
            email: None,
            gender: Gender::Undisclosed,
            group,
            organisation_id: None,
            local_government: None,
        };
        people.push((
            acts::insert_person(&mut tx, &p, now()).await.unwrap(),
            group,
        ));
    }
    let works = local_works(&mut tx, project).await;
    bump_version(&mut tx, Topics::ALL).await.unwrap();
    tx.commit().await.unwrap();
    Model {
        project,
        people,
        activities: Vec::new(),
        attendance: BTreeSet::new(),
        trips: Vec::new(),
        works,
    }
}

/// Four local works in three JSTs: Warszawa by its gmina code and by its
/// powiat code (a city with powiat rights, one JST), the gmina Płońsk and
/// the powiat płoński.
async fn local_works(tx: &mut koalicja::store::Tx, project: i64) -> Vec<(i64, &'static str)> {
    let units = [
        ("14", "wojewodztwo", None),
        ("1465", "miasto_na_prawach_powiatu", Some("14")),
        ("1465011", "gmina_miejska", Some("1465")),
        ("1420", "powiat", Some("14")),
        ("1420011", "gmina_miejska", Some("1420")),
    ];
    for (code, kind, parent) in units {
        sqlx::query(
            "INSERT INTO local_government (teryt, kind, is_jst, parent_teryt, name, name_extra, \
             valid_on, created_at, updated_at) VALUES ($1, $2, 1, $3, $1, '', '2026-01-01', '', '')",
        )
        .bind(code)
        .bind(kind)
        .bind(parent)
        .execute(&mut **tx)
        .await
        .unwrap();
    }
    let mut works = Vec::new();
    for (code, counted_as) in [
        ("1465011", "1465"),
        ("1465", "1465"),
        ("1420011", "1420011"),
        ("1420", "1420"),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO local_work (project_id, slug, title, local_government, office, period, \
             summary_md, deliverables_md, created_at, updated_at) \
             VALUES ($1, $2, 'Praca lokalna', $3, '', '', '', '', '', '') RETURNING id",
        )
        .bind(project)
        .bind(format!("praca-{code}"))
        .bind(code)
        .fetch_one(&mut **tx)
        .await
        .unwrap();
        works.push((id, counted_as));
    }
    works
}

fn random_activity(rng: &mut Rng) -> Activity {
    let starts_on = day(rng);
    Activity {
        id: 0,
        kind: rng.pick(ActivityKind::ALL),
        status: rng.pick(&[
            ActivityStatus::Held,
            ActivityStatus::Held,
            ActivityStatus::Held,
            ActivityStatus::Planned,
            ActivityStatus::Cancelled,
        ]),
        starts_on,
        // Up to four days long, across months and the period's ends.
        ends_on: starts_on
            .checked_add(jiff::Span::new().days(rng.below(4) as i64))
            .unwrap(),
        minutes: 30 * (1 + rng.below(12) as i64),
        work: None,
    }
}

fn record(a: &Activity) -> ActivityRecord {
    ActivityRecord {
        kind: a.kind,
        status: Some(a.status),
        title: "Działanie".into(),
        topic: "Temat".into(),
        summary_md: String::new(),
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        start_time: "10:00".into(),
        duration_minutes: a.minutes,
        online: true,
        venue: "online".into(),
        audience: Audience::Both,
        capacity: None,
        co_organiser: None,
        trainer_account_id: None,
        registration_closes_on: None,
        online_link: None,
    }
}

/// Some existing element of `items`, if any.
fn existing<T>(rng: &mut Rng, items: &[Option<T>]) -> Option<usize> {
    let live: Vec<usize> = (0..items.len()).filter(|i| items[*i].is_some()).collect();
    (!live.is_empty()).then(|| live[rng.below(live.len())])
}

/// One random change, made as the program makes it, and to the model.
async fn change(app: &TestApp, m: &mut Model, rng: &mut Rng) {
    let db = &app.db;
    match rng.below(10) {
        0 => {
            let mut a = random_activity(rng);
            a.id = activity_records::save(db, 1, m.project, None, &record(&a), None, now())
                .await
                .unwrap();
            m.activities.push(Some(a));
        }
        1 => {
            // An activity of local work, made as the programme's loader
            // makes them (the back office does not choose local work).
            let mut a = random_activity(rng);
            let w = rng.below(m.works.len());
            a.work = Some(w);
            let r = record(&a);
            let mut tx = db.begin_write().await.unwrap();
            let new = acts::NewActivity {
                slug: format!("praca-{}", m.activities.len()),
                kind: r.kind,
                status: a.status,
                title: r.title,
                topic: r.topic,
                summary_md: r.summary_md,
                starts_on: a.starts_on,
                ends_on: a.ends_on,
                start_time: r.start_time,
                duration_minutes: a.minutes,
                online: true,
                venue: r.venue,
                local_government: None,
                audience: Audience::Both,
                capacity: None,
                co_organiser: None,
                local_work_id: Some(m.works[w].0),
                organisation_id: None,
            };
            a.id = acts::insert_activity(&mut tx, m.project, &new, now())
                .await
                .unwrap();
            bump_version(&mut tx, Topics::ACTIVITIES).await.unwrap();
            tx.commit().await.unwrap();
            m.activities.push(Some(a));
        }
        2 => {
            // An edit: another day, kind, length or status.
            let Some(i) = existing(rng, &m.activities) else {
                return;
            };
            let mut a = random_activity(rng);
            a.id = m.activities[i].as_ref().unwrap().id;
            a.work = m.activities[i].as_ref().unwrap().work;
            activity_records::save(db, 1, m.project, Some(a.id), &record(&a), None, now())
                .await
                .unwrap();
            m.activities[i] = Some(a);
        }
        3..=5 => {
            let Some(i) = existing(rng, &m.activities) else {
                return;
            };
            let p = rng.below(PEOPLE);
            let a = m.activities[i].clone().unwrap();
            let present = rng.below(3) > 0;
            let mark_held = rng.below(2) == 0;
            activity_records::set_attendance(db, 1, a.id, m.people[p].0, present, mark_held, now())
                .await
                .unwrap();
            if present {
                m.attendance.insert((i, p));
                if mark_held && a.status == ActivityStatus::Planned {
                    m.activities[i].as_mut().unwrap().status = ActivityStatus::Held;
                }
            } else {
                m.attendance.remove(&(i, p));
            }
        }
        6 => {
            let p = rng.below(PEOPLE);
            let group = rng.pick(Group::ALL);
            let person = Person {
                first_name: format!("Osoba{p}"),
                last_name: "Testowa".into(),
                email: None,
                phone: String::new(),
                gender: Gender::Undisclosed,
                group,
            };
            people::save(db, 1, Some(m.people[p].0), &person, None, None, now())
                .await
                .unwrap();
            m.people[p].1 = group;
        }
        7 => {
            // A trip, to an activity or not.
            let on = day(rng);
            let km = 1 + rng.below(300) as i64;
            let activity = existing(rng, &m.activities).filter(|_| rng.below(2) == 0);
            let mut tx = db.begin_write().await.unwrap();
            let linked = activity.map(|i| m.activities[i].as_ref().unwrap().id);
            acts::insert_trip(&mut tx, m.project, on, "A – B", km, linked, now())
                .await
                .unwrap();
            bump_version(&mut tx, Topics::ACTIVITIES).await.unwrap();
            tx.commit().await.unwrap();
            let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM trip")
                .fetch_one(db.pool())
                .await
                .unwrap();
            m.trips.push(Some(TripRow {
                id,
                day: on,
                km,
                activity,
            }));
        }
        8 => {
            let Some(i) = existing(rng, &m.trips) else {
                return;
            };
            let t = m.trips[i].as_mut().unwrap();
            if rng.below(3) == 0 {
                activity_records::change_trip(db, 1, m.project, Some(t.id), None, now())
                    .await
                    .unwrap();
                m.trips[i] = None;
            } else {
                t.day = day(rng);
                t.km = 1 + rng.below(300) as i64;
                let trip = Trip {
                    travelled_on: t.day.to_string(),
                    route: "A – B".into(),
                    kilometres: t.km,
                };
                activity_records::change_trip(db, 1, m.project, Some(t.id), Some(&trip), now())
                    .await
                    .unwrap();
            }
        }
        _ => {
            // A deletion of an activity nothing refers to.
            let Some(i) = existing(rng, &m.activities) else {
                return;
            };
            let referred = m.attendance.iter().any(|(a, _)| *a == i)
                || m.trips.iter().flatten().any(|t| t.activity == Some(i));
            if !referred {
                let id = m.activities[i].as_ref().unwrap().id;
                assert!(activity_records::delete(db, 1, id, now()).await.unwrap());
                m.activities[i] = None;
            }
        }
    }
}

/// Every figure for `[from, to]` as the API gives it and as the model does.
async fn check_range(app: &TestApp, m: &Model, from: Date, to: Date, seed: u64) {
    app.refresh().await;
    let got = app.stats(&format!("?from={from}&to={to}")).await;
    let want = m.stats(from, to);
    for (key, value) in want.as_object().unwrap() {
        assert_eq!(&got[key], value, "{key} for {from}..{to} (seed {seed})");
    }
}

async fn check_catalogue(app: &TestApp, m: &Model, month: Option<Date>, seed: u64) {
    for (events, selection) in [(false, Selection::Trainings), (true, Selection::Events)] {
        let filter = Catalogue {
            month: month.map(|d| format!("{:04}-{:02}", d.year(), d.month())),
            ..Catalogue::default()
        };
        let got = acts::held(&app.db, m.project, selection, &filter)
            .await
            .unwrap();
        let want = m.held_totals(events, filter.month_days());
        assert_eq!(got, want, "{selection:?}, month {month:?} (seed {seed})");
        // Under another filter (every activity of the test is for both
        // audiences, so it selects them all) the totals are added up from
        // the activities, without distinct people.
        let filter = Catalogue {
            audience: Some(Audience::Ngo),
            ..filter
        };
        let got = acts::held(&app.db, m.project, selection, &filter)
            .await
            .unwrap();
        let want = acts::Held {
            people: None,
            ..want
        };
        assert_eq!(
            got, want,
            "{selection:?} for NGOs, month {month:?} (seed {seed})"
        );
    }
}

/// The summary tables as rows, cells of zero left out (a cell that fell
/// back to zero stays as a row).
async fn tables(app: &TestApp) -> Vec<Vec<(String, String, String, String, i64)>> {
    let mut all = Vec::new();
    for sql in [
        "SELECT facet, CAST(subject AS TEXT), day, prev, 0 FROM reach_point ORDER BY 1, 2, 3, 4",
        "SELECT facet, level, d, p, n FROM reach_cell WHERE n <> 0 ORDER BY 1, 2, 3, 4",
        "SELECT measure, day, '', '', n FROM daily_figure WHERE n <> 0 ORDER BY 1, 2",
        "SELECT CAST(id AS TEXT), '', '', '', participants FROM activity ORDER BY id",
    ] {
        all.push(sqlx::query_as(sql).fetch_all(app.db.pool()).await.unwrap());
    }
    all
}

/// A range's end: a day someone attended on, or any day.
fn edge(m: &Model, rng: &mut Rng) -> Date {
    let attended: Vec<Date> = m
        .attendance
        .iter()
        .filter_map(|(a, _)| m.activities[*a].as_ref())
        .map(|a| a.starts_on)
        .collect();
    match rng.below(2) {
        0 if !attended.is_empty() => rng.pick(&attended),
        _ => day(rng),
    }
}

async fn run(seed: u64, steps: usize) {
    let app = spawn_empty().await;
    let mut m = start(&app).await;
    let mut rng = Rng::new(seed);
    for step in 1..=steps {
        change(&app, &mut m, &mut rng).await;
        if step % 15 == 0 {
            for _ in 0..6 {
                let (a, b) = (edge(&m, &mut rng), edge(&m, &mut rng));
                check_range(&app, &m, a.min(b), a.max(b), seed).await;
            }
            // One day, and one month: the edges' own cases.
            let d = day(&mut rng);
            check_range(&app, &m, d, d, seed).await;
            check_range(&app, &m, d.first_of_month(), d.last_of_month(), seed).await;
            check_catalogue(&app, &m, Some(d), seed).await;
        }
    }
    check_range(
        &app,
        &m,
        "2000-01-01".parse().unwrap(),
        "2100-12-31".parse().unwrap(),
        seed,
    )
    .await;
    let open = app.stats("").await;
    assert_eq!(
        open["recipients"],
        m.stats(Date::MIN, Date::MAX)["recipients"],
        "seed {seed}"
    );
    check_catalogue(&app, &m, None, seed).await;

    // Each activity's participants as lists show them: its attendance
    // without the team.
    for (i, a) in m.activities.iter().enumerate() {
        let Some(a) = a else { continue };
        let shown = acts::by_id(&app.db, a.id)
            .await
            .unwrap()
            .unwrap()
            .participants;
        let want = m
            .attendance
            .iter()
            .filter(|(x, p)| *x == i && m.people[*p].1 != Group::Team)
            .count();
        assert_eq!(
            shown, want as i64,
            "participants of activity {i} (seed {seed})"
        );
    }
    let kept = tables(&app).await;
    bulk::rebuild_summaries(&app.db, m.project).await.unwrap();
    assert_eq!(
        kept,
        tables(&app).await,
        "maintained and rebuilt summaries (seed {seed})"
    );
    assert!(
        !kept[0].is_empty() && !kept[2].is_empty(),
        "the run made figures"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summaries_equal_recomputation_after_random_changes() {
    for seed in [0x5eed_0001, 0x5eed_0002, 0x5eed_0003, 0x5eed_0004] {
        run(seed, 200).await;
    }
}
