//! Only what happened counts, and only then is it certified: activities
//! are planned, held or cancelled; the figures count held ones inside the
//! project's period, without the project's team; attendance is recorded
//! from the first day on; certificates exist for held activities only;
//! no public page shows a group of fewer than three people. And the
//! demo shows what is to come: an upcoming training and the events'
//! programmes.

use std::collections::{BTreeMap, BTreeSet};

use crate::browser::{csrf, Browser};
use crate::helpers::{between, counter, spawn_app, Reply, TestApp};
use crate::registration::register;
use koalicja::store::{bump_version, Topics};
use reqwest::StatusCode;
use sqlx::Row;

/// The demo project runs until `ends_on` (a write the figures follow).
pub(crate) async fn project_runs_until(app: &TestApp, ends_on: &str) {
    let mut tx = app.db.begin_write().await.unwrap();
    sqlx::query("UPDATE project SET ends_on = $1")
        .bind(ends_on)
        .execute(&mut *tx)
        .await
        .unwrap();
    bump_version(&mut tx, Topics::ALL).await.unwrap();
    tx.commit().await.unwrap();
    app.clock.advance(1);
}

/// The fields of the back office's activity form for a training.
fn training_form<'a>(title: &'a str, day: &'a str, status: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "training"),
        ("title", title),
        ("status", status),
        ("starts_on", day),
        ("duration_minutes", "300"),
        ("venue", "Płońsk"),
        ("local_government", "1420011"),
        ("audience", "ngo"),
    ]
}

/// Every public figure: the API's and the home page's counters and the
/// training list's count and summary.
async fn public_figures(app: &TestApp) -> (serde_json::Value, Vec<f64>, String) {
    let home = app.get("/").await.body;
    let counters = ["recipients", "kilometres", "hours"]
        .iter()
        .map(|k| counter(&home, k))
        .collect();
    let list = app.get("/szkolenia").await.body;
    let summary = between(&list, "<h3>Zrealizowane", "</p>").unwrap();
    (app.stats("").await, counters, summary)
}

/// Posts `fields` to `action` with the token of `page`, whether or not the
/// page offers that form (a request sent from an older page or by hand).
async fn forced(b: &Browser<'_>, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
    let token = csrf(&b.get(page).await.body);
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    b.post(action, &all).await
}

async fn new_person(admin: &Browser<'_>, email: &str, group: &str) {
    let made = admin
        .submit(
            "/admin/osoby/nowa",
            "/admin/osoby/nowa",
            &[
                ("first_name", "Jan"),
                ("last_name", "Próbny"),
                ("email", email),
                ("group", group),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planned_activity_changes_no_public_figure_refuses_check_in_and_issues_no_certificate() {
    let app = spawn_app().await;
    // A project still running, so that only the activity's state decides.
    project_runs_until(&app, "2027-12-31").await;
    let before = public_figures(&app).await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    new_person(&admin, "jan.probny@example.org", "ngo").await;

    // Not held before its first day (today is 28 November 2026).
    let early = admin
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &training_form("Szkolenie grudniowe", "2026-12-15", "held"),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.body.contains("dopiero od jego ostatniego dnia"),
        "{}",
        early.body
    );
    for (title, day) in [
        ("Szkolenie grudniowe", "2026-12-15"),
        ("Szkolenie na rok 2027", "2027-03-10"),
    ] {
        let made = admin
            .submit(
                "/admin/dzialania/nowe",
                "/admin/dzialania/nowe",
                &training_form(title, day, "planned"),
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    }
    let december: i64 =
        sqlx::query_scalar("SELECT id FROM activity WHERE title = 'Szkolenie grudniowe'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();

    // Two planned trainings: no figure moves; the list shows them to come.
    assert_eq!(public_figures(&app).await, before);
    let list = app.get("/szkolenia").await.body;
    let upcoming = between(&list, "<h3>Nadchodzące", "<h3>Zrealizowane").unwrap();
    assert!(upcoming.contains("Szkolenie na rok 2027"), "{upcoming}");
    assert!(list.contains("Zrealizowane (17)"));

    // No check-in on 28 November for 15 December.
    let sheet = format!("/admin/dzialania/{december}/obecnosc");
    let refused = forced(
        &admin,
        &sheet,
        &sheet,
        &[("person", "jan.probny@example.org")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("od pierwszego dnia działania, 15 grudnia 2026, nie wcześniej"),
        "{}",
        refused.body
    );
    let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendance WHERE activity_id = $1")
        .bind(december)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(present, 0);

    // No certificates of what has not happened.
    let zip = admin
        .get(&format!("/admin/dzialania/{december}/zaswiadczenia.zip"))
        .await;
    assert_eq!(zip.status, StatusCode::BAD_REQUEST);
    assert!(zip.body.contains("tylko za działania, które się odbyły"));
    let issued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificate")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(issued, 0);
    assert_eq!(public_figures(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_is_valid_only_while_its_activity_is_held() {
    let app = spawn_app().await;
    let before = public_figures(&app).await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    new_person(&admin, "jan.probny@example.org", "ngo").await;
    // Inside the demo project's period: checked in later, from the records.
    let form = training_form("Szkolenie z rozliczania dotacji", "2023-05-10", "planned");
    let made = admin
        .submit("/admin/dzialania/nowe", "/admin/dzialania/nowe", &form)
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let activity = made.redirected_to();
    let sheet = format!("{activity}/obecnosc");
    let added = admin
        .submit(&sheet, &sheet, &[("person", "jan.probny@example.org")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);

    // Someone was there: it was held, and counts.
    let edit = admin.get(&activity).await.body;
    assert!(edit.contains("<option value=\"held\" selected"), "{edit}");
    let held = app.stats("").await;
    assert_eq!(
        held["trainings"],
        before.0["trainings"].as_i64().unwrap() + 1
    );
    assert_eq!(
        held["recipients"],
        before.0["recipients"].as_i64().unwrap() + 1
    );
    let (status, _) = admin
        .get_bytes(&format!("{activity}/zaswiadczenia.zip"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let code: String = sqlx::query_scalar("SELECT code FROM certificate")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let valid = app.get(&format!("/zaswiadczenia/{code}")).await.body;
    assert!(valid.contains("jest prawdziwe i ważne"), "{valid}");

    // Recorded as cancelled after all: nothing counts, nothing is valid.
    let mut cancelled = form.clone();
    cancelled.retain(|(k, _)| *k != "status");
    cancelled.push(("status", "cancelled"));
    let saved = admin.submit(&activity, &activity, &cancelled).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let void = app.get(&format!("/zaswiadczenia/{code}")).await.body;
    assert!(!void.contains("prawdziwe i ważne"), "{void}");
    assert!(void.contains("nie jest ważne"), "{void}");
    let zip = admin.get(&format!("{activity}/zaswiadczenia.zip")).await;
    assert_eq!(zip.status, StatusCode::BAD_REQUEST);
    assert_eq!(public_figures(&app).await, before);
    assert!(void.contains("zostało odwołane"), "the true reason: {void}");
    let refused = forced(
        &admin,
        &sheet,
        &sheet,
        &[("person", "jan.probny@example.org")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "no check-in");

    // The change of state is in the audit log.
    let changes: Vec<String> = sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE entity = 'activity' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(
        changes.last().unwrap().contains("\"status\":\"cancelled\""),
        "{changes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_upcoming_training_is_marked_as_a_demonstration_and_accepts_registration() {
    let app = spawn_app().await;
    let list = app.get("/szkolenia").await.body;
    let upcoming = between(&list, "<h3>Nadchodzące", "<h3>Zrealizowane").unwrap();
    assert!(upcoming.starts_with(" (1)"), "{upcoming}");
    assert!(upcoming.contains("(termin demonstracyjny)"), "{upcoming}");
    // Three weeks after the day the demo was loaded (28 November 2026),
    // moved off the weekend.
    assert!(upcoming.contains("21 grudnia 2026"), "{upcoming}");
    let slug = between(upcoming.as_str(), "href=\"/szkolenia/", "\"").unwrap();
    let page_url = format!("/szkolenia/{slug}");
    let page = app.get(&page_url).await.body;
    assert!(page.contains("To termin demonstracyjny"), "{page}");
    assert!(page.contains("<dd>zaplanowane</dd>"), "{page}");
    assert!(
        page.contains(&format!("{page_url}/zapis")),
        "registration open"
    );
    let b = Browser::new(&app);
    let sent = register(&b, &page_url, "Zofia", "zofia@example.org").await;
    assert!(
        sent.status == StatusCode::SEE_OTHER || sent.status == StatusCode::OK,
        "{}",
        sent.body
    );
    let registered: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM registration r JOIN activity a ON a.id = r.activity_id \
         WHERE a.slug = $1 AND r.email = 'zofia@example.org'",
    )
    .bind(&slug)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(registered, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_events_show_their_programmes() {
    let app = spawn_app().await;
    for (slug, days, items) in [
        (
            "2021-05-19-seminarium-wprowadzajace",
            &["19 maja 2021", "20 maja 2021", "21 maja 2021"][..],
            &[
                "Monika Chrzczonowicz — Stowarzyszenie Klon/Jawor",
                "Łukasz Waszak — Centrum OPUS",
                "Piotr Drygała",
            ][..],
        ),
        (
            "2021-09-23-debata-wprowadzajaca",
            &["23 września 2021"][..],
            &["Hubert Pasiak — wójt gminy Zbuczyn", "Pytania uczestniczek"][..],
        ),
        (
            "2023-09-08-konferencja-podsumowujaca",
            &["8 września 2023"][..],
            &["Dobre praktyki z sześciu samorządów", "wyniki badań"][..],
        ),
    ] {
        let page = app.get(&format!("/wydarzenia/{slug}")).await.body;
        let programme = between(&page, "<h2>Program</h2>", "<h2>").unwrap_or_default();
        for day in days {
            assert!(
                programme.contains(&format!("<h3>{day}</h3>")),
                "{slug}: {day}"
            );
        }
        for item in items {
            assert!(programme.contains(item), "{slug}: {item} in {programme}");
        }
    }
}

/// The numbers in a page's cells of numbers.
fn numbers_in_cells(html: &str) -> Vec<String> {
    html.split("<td class=\"num\">")
        .skip(1)
        .map(|p| p.split('<').next().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_public_page_shows_a_group_under_three_people() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    // A held training with two participants and a group of one.
    for (email, group) in [
        ("a@example.org", "ngo"),
        ("b@example.org", "ngo"),
        ("c@example.org", "other"),
        ("d@example.org", "ngo"),
        ("e@example.org", "ngo"),
    ] {
        new_person(&admin, email, group).await;
    }
    let small = training_form("Szkolenie w małej grupie", "2023-06-01", "planned");
    let made = admin
        .submit("/admin/dzialania/nowe", "/admin/dzialania/nowe", &small)
        .await;
    let activity = made.redirected_to();
    let sheet = format!("{activity}/obecnosc");
    for email in ["a@example.org", "b@example.org"] {
        let added = admin.submit(&sheet, &sheet, &[("person", email)]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let big = training_form("Szkolenie z grupą jednej osoby", "2023-06-02", "planned");
    let made = admin
        .submit("/admin/dzialania/nowe", "/admin/dzialania/nowe", &big)
        .await;
    let sheet = format!("{}/obecnosc", made.redirected_to());
    for email in [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "d@example.org",
        "e@example.org",
    ] {
        let added = admin.submit(&sheet, &sheet, &[("person", email)]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }

    // The network: the demo has places with one or two members.
    let network = app.get("/siec-urzednikow").await.body;
    let cells = numbers_in_cells(&network);
    assert!(!cells.is_empty());
    for n in &cells {
        assert!(n.parse::<i64>().unwrap() >= 3, "{n} in {network}");
    }
    assert!(network.contains("nie wymieniamy, aby nikogo nie dało się rozpoznać"));
    let members = between(&network, "<strong>", "</strong>").unwrap();
    assert!(members.parse::<i64>().unwrap() >= 3);

    // The lists of activities: fewer than three is said, not counted.
    let list = app.get("/szkolenia?strona=1").await.body;
    let row = between(&list, "Szkolenie w małej grupie", "</tr>").unwrap();
    assert!(row.contains("mniej niż 3"), "{row}");
    for page in [
        "/szkolenia",
        "/wydarzenia",
        "/dzialania-lokalne/plonsk",
        "/jst/1420011",
    ] {
        let body = app.get(page).await.body;
        for n in numbers_in_cells(&body) {
            assert!(
                !matches!(n.as_str(), "1" | "2"),
                "{page} shows a group of {n}"
            );
        }
    }

    // An activity's page: no group of one or two, and no total of two.
    let small_page = app
        .get(&format!(
            "/szkolenia/{}",
            sqlx::query_scalar::<_, String>(
                "SELECT slug FROM activity WHERE title = 'Szkolenie w małej grupie'"
            )
            .fetch_one(app.db.pool())
            .await
            .unwrap()
        ))
        .await
        .body;
    assert!(small_page.contains("<dd>mniej niż 3</dd>"), "{small_page}");
    assert!(!small_page.contains(": 2 osoby"), "{small_page}");
    let big_slug: String = sqlx::query_scalar(
        "SELECT slug FROM activity WHERE title = 'Szkolenie z grupą jednej osoby'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let big_page = app.get(&format!("/szkolenia/{big_slug}")).await.body;
    assert!(!big_page.contains("inne osoby: 1"), "{big_page}");
    assert!(
        big_page.contains("nie są pokazane osobno"),
        "the page says a group is held back: {big_page}"
    );
    for slug in [
        "2021-05-19-seminarium-wprowadzajace",
        "2021-09-23-debata-wprowadzajaca",
        "2023-09-08-konferencja-podsumowujaca",
    ] {
        let page = app.get(&format!("/wydarzenia/{slug}")).await.body;
        for line in page.split("<li>").skip(1) {
            let line = line.split("</li>").next().unwrap_or_default();
            assert!(
                !line.ends_with(": 1 osoba") && !line.ends_with(": 2 osoby"),
                "{slug}: {line}"
            );
        }
    }
}

/// Attendance as recorded, with what decides whether it counts.
struct Seat {
    person: i64,
    activity: i64,
    on: String,
    kind: String,
    held: bool,
    team: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_figures_match_a_recount_of_what_was_held_without_the_team() {
    let app = spawn_app().await;
    // A planned training, a cancelled one and one after the period: none
    // of them counts.
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    for (title, day, status) in [
        ("Szkolenie zaplanowane", "2027-02-01", "planned"),
        ("Szkolenie odwołane", "2023-04-01", "cancelled"),
        ("Szkolenie po projekcie", "2025-04-01", "held"),
    ] {
        let made = admin
            .submit(
                "/admin/dzialania/nowe",
                "/admin/dzialania/nowe",
                &training_form(title, day, status),
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    }
    let seats: Vec<Seat> = sqlx::query(
        "SELECT t.person_id, t.activity_id, a.starts_on, a.kind, a.status, p.person_group \
         FROM attendance t JOIN activity a ON a.id = t.activity_id JOIN person p ON p.id = t.person_id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| Seat {
        person: r.get(0),
        activity: r.get(1),
        on: r.get(2),
        kind: r.get(3),
        held: r.get::<String, _>(4) == "held",
        team: r.get::<String, _>(5) == "team",
    })
    .collect();
    assert!(
        seats.iter().any(|s| s.team),
        "the seminar's team is recorded"
    );
    let activities: Vec<(String, String, String, i64)> =
        sqlx::query("SELECT kind, starts_on, status, duration_minutes FROM activity")
            .fetch_all(app.db.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
    let (start, end): (String, String) = sqlx::query("SELECT starts_on, ends_on FROM project")
        .fetch_one(app.db.pool())
        .await
        .map(|r| (r.get(0), r.get(1)))
        .unwrap();

    for (from, to) in [
        ("", ""),
        ("2021-01-01", "2021-12-31"),
        ("2023-01-01", "2030-12-31"),
    ] {
        let lo = if from.is_empty() || from < start.as_str() {
            start.as_str()
        } else {
            from
        };
        let hi = if to.is_empty() || to > end.as_str() {
            end.as_str()
        } else {
            to
        };
        let inside = |on: &str| on >= lo && on <= hi;
        let counted: Vec<&Seat> = seats
            .iter()
            .filter(|s| s.held && !s.team && inside(&s.on))
            .collect();
        let recipients: BTreeSet<i64> = counted.iter().map(|s| s.person).collect();
        let trained: BTreeSet<i64> = counted
            .iter()
            .filter(|s| s.kind == "training" || s.kind == "workshop")
            .map(|s| s.person)
            .collect();
        let held: Vec<&(String, String, String, i64)> = activities
            .iter()
            .filter(|a| a.2 == "held" && inside(&a.1))
            .collect();
        let trainings = held
            .iter()
            .filter(|a| a.0 == "training" || a.0 == "workshop")
            .count();
        let minutes: i64 = held.iter().filter(|a| a.0 != "advisory").map(|a| a.3).sum();
        let query = if from.is_empty() {
            String::new()
        } else {
            format!("?from={from}&to={to}")
        };
        let stats = app.stats(&query).await;
        assert_eq!(stats["recipients"], recipients.len(), "{query}");
        assert_eq!(stats["training_participants"], trained.len(), "{query}");
        assert_eq!(stats["trainings"], trainings, "{query}");
        let hours = stats["hours"].as_f64().unwrap();
        assert!(
            (hours - (minutes as f64 / 6.0).round() / 10.0).abs() < 1e-9,
            "{query}: {hours}"
        );
    }
    // The team at the seminar is left out: 12 people there, none counted
    // unless they also came to something else as themselves.
    let mut by_activity: BTreeMap<i64, usize> = BTreeMap::new();
    for s in seats.iter().filter(|s| s.team) {
        *by_activity.entry(s.activity).or_default() += 1;
    }
    assert_eq!(by_activity.values().sum::<usize>(), 12);
    let home = app.get("/").await.body;
    assert!(
        home.contains("odbiorcy zrealizowanych działań (bez zespołu projektu i partnerów)"),
        "the counter says what it counts"
    );

    // Someone recorded as a participant who turns out to be of the team
    // stops counting once staff correct their group.
    new_person(&admin, "nowa.osoba@example.org", "ngo").await;
    let held = training_form("Szkolenie sprawdzające", "2023-03-03", "held");
    let made = admin
        .submit("/admin/dzialania/nowe", "/admin/dzialania/nowe", &held)
        .await;
    let sheet = format!("{}/obecnosc", made.redirected_to());
    let before = app.stats("").await["recipients"].as_i64().unwrap();
    let march = "?from=2023-03-01&to=2023-03-31";
    let before_in_march = app.stats(march).await["recipients"].as_i64().unwrap();
    admin
        .submit(&sheet, &sheet, &[("person", "nowa.osoba@example.org")])
        .await;
    assert_eq!(app.stats("").await["recipients"], before + 1);
    assert_eq!(app.stats(march).await["recipients"], before_in_march + 1);
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM person WHERE email = 'nowa.osoba@example.org'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let person = format!("/admin/osoby/{id}");
    let moved = admin
        .submit(
            &person,
            &person,
            &[
                ("first_name", "Jan"),
                ("last_name", "Próbny"),
                ("email", "nowa.osoba@example.org"),
                ("group", "team"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(app.stats("").await["recipients"], before);
    assert_eq!(app.stats(march).await["recipients"], before_in_march);

    let home = app.get("/").await.body;
    let stats = app.stats("").await;
    assert_eq!(
        counter(&home, "recipients") as i64,
        stats["recipients"].as_i64().unwrap()
    );
}

/// The activity's state as its edit page shows it selected.
async fn state_of(admin: &Browser<'_>, activity: &str) -> String {
    let edit = admin.get(activity).await.body;
    let select = between(&edit, "name=\"status\"", "</select>").unwrap_or_default();
    select
        .split("<option value=\"")
        .skip(1)
        .find(|o| {
            o.split("</option>")
                .next()
                .unwrap_or_default()
                .contains("selected")
        })
        .and_then(|o| o.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multi_day_activity_is_held_and_certified_only_from_its_last_day() {
    let app = spawn_app().await;
    project_runs_until(&app, "2027-12-31").await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    new_person(&admin, "ala@example.org", "ngo").await;
    new_person(&admin, "ola@example.org", "ngo").await;
    let mut form = training_form("Szkolenie trzytygodniowe", "2026-12-02", "planned");
    form.push(("ends_on", "2026-12-23"));
    let made = admin
        .submit("/admin/dzialania/nowe", "/admin/dzialania/nowe", &form)
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let activity = made.redirected_to();
    let sheet = format!("{activity}/obecnosc");
    let list = format!("{activity}/zapisy");
    let as_held = |f: &[(&'static str, &'static str)]| {
        let mut f = f.to_vec();
        f.retain(|(k, _)| *k != "status");
        f.push(("status", "held"));
        f
    };

    // 28 November, before the first day: check-in is not offered, the
    // pages say from when, and a request sent anyway is refused on the
    // back-office page itself.
    let registrations = admin.get(&list).await.body;
    assert!(
        !registrations.contains("Zaznacz obecność wszystkich"),
        "{registrations}"
    );
    assert!(!registrations.contains("/obecny\""), "{registrations}");
    assert!(
        registrations.contains("od pierwszego dnia działania, 2 grudnia 2026"),
        "{registrations}"
    );
    let attendance = admin.get(&sheet).await.body;
    assert!(!attendance.contains("name=\"person\""), "{attendance}");
    assert!(attendance.contains("2 grudnia 2026"), "{attendance}");
    let refused = forced(&admin, &list, &format!("{list}/obecni"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("role=\"alert\""), "{}", refused.body);
    assert!(refused.body.contains("2 grudnia 2026"), "{}", refused.body);
    assert!(refused.body.contains("Zapisy: Szkolenie trzytygodniowe"));
    assert!(refused.body.contains("Wyloguj"), "the back office's layout");
    assert!(!refused.body.contains("Kod błędu"), "{}", refused.body);

    // 2 December, its first day: check-in opens, but it is not held yet,
    // by staff or by the check-in.
    app.clock.advance(4 * 24 * 3600);
    admin.sign_in("admin@example.org").await;
    let registrations = admin.get(&list).await.body;
    assert!(registrations.contains("Zaznacz obecność wszystkich"));
    let added = admin
        .submit(&sheet, &sheet, &[("person", "ala@example.org")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(state_of(&admin, &activity).await, "planned");
    let early = admin.submit(&activity, &activity, &as_held(&form)).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("dopiero od jego ostatniego dnia"));
    let zip = admin.get(&format!("{activity}/zaswiadczenia.zip")).await;
    assert_eq!(zip.status, StatusCode::BAD_REQUEST);
    let issued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificate")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(issued, 0);
    // The public page of a planned activity shows no attendance.
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM activity WHERE title = 'Szkolenie trzytygodniowe'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let public = app.get(&format!("/szkolenia/{slug}")).await.body;
    assert!(!public.contains("Obecnych osób"), "{public}");
    assert!(!public.contains("Obecność według grup"), "{public}");
    assert!(public.contains("<dt>Zapisane osoby</dt>"), "{public}");

    // 23 December, its last day: a check-in marks it held; certificates
    // exist and are valid.
    app.clock.advance(21 * 24 * 3600);
    admin.sign_in("admin@example.org").await;
    let added = admin
        .submit(&sheet, &sheet, &[("person", "ola@example.org")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(state_of(&admin, &activity).await, "held");
    let (status, _) = admin
        .get_bytes(&format!("{activity}/zaswiadczenia.zip"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let code: String = sqlx::query_scalar(
        "SELECT c.code FROM certificate c JOIN person p ON p.id = c.person_id \
         WHERE p.email = 'ala@example.org'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let valid = app.get(&format!("/zaswiadczenia/{code}")).await.body;
    assert!(valid.contains("jest prawdziwe i ważne"), "{valid}");

    // Back to planned: the check-ins stay on record, but the certificate
    // says the activity is not held (not that the person is missing) and
    // the public page shows no attendance.
    let saved = admin.submit(&activity, &activity, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let void = app.get(&format!("/zaswiadczenia/{code}")).await.body;
    assert!(
        void.contains("nie jest zapisane jako zrealizowane"),
        "{void}"
    );
    assert!(!void.contains("liście obecności"), "{void}");
    let public = app.get(&format!("/szkolenia/{slug}")).await.body;
    assert!(!public.contains("Obecnych osób"), "{public}");
    assert!(
        !public.contains("mniej niż 3</dd>\n  <dt>Wolne"),
        "{public}"
    );

    // Held again, and the person taken off the attendance: that reason.
    let saved = admin.submit(&activity, &activity, &as_held(&form)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let ala: i64 = sqlx::query_scalar("SELECT id FROM person WHERE email = 'ala@example.org'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let removed = admin
        .submit(&sheet, &format!("{sheet}/{ala}/usun"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let void = app.get(&format!("/zaswiadczenia/{code}")).await.body;
    assert!(void.contains("liście obecności"), "{void}");
    assert!(
        !void.contains("nie jest zapisane jako zrealizowane"),
        "{void}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planned_activity_shows_its_registrations_not_an_attendance() {
    let app = spawn_app().await;
    let list = app.get("/szkolenia").await.body;
    let upcoming = between(&list, "<h3>Nadchodzące", "<h3>Zrealizowane").unwrap();
    let slug = between(upcoming.as_str(), "href=\"/szkolenia/", "\"").unwrap();
    let page_url = format!("/szkolenia/{slug}");
    crate::registration::registered_and_confirmed(&app, &page_url, "Zofia", "zofia@example.org")
        .await;
    let page = app.get(&page_url).await.body;
    assert!(!page.contains("Obecnych osób"), "{page}");
    assert!(
        page.contains("<dt>Zapisane osoby</dt><dd>mniej niż 3</dd>"),
        "{page}"
    );
    assert!(page.contains("<dt>Wolne miejsca</dt><dd>19</dd>"), "{page}");
    let list = app.get("/szkolenia").await.body;
    let row = between(&list, &format!("/szkolenia/{slug}"), "</tr>").unwrap();
    assert!(row.contains("zapisane: mniej niż 3"), "{row}");
    assert!(row.contains("wolne miejsca: 19"), "{row}");
    assert!(!row.contains("<td class=\"num\">0</td>"), "{row}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_count_of_people_leaves_the_team_out_and_says_so() {
    let app = spawn_app().await;
    let recount = |kinds: &'static str| {
        let db = app.db.clone();
        async move {
            let row = sqlx::query(&format!(
                "SELECT COUNT(DISTINCT t.person_id) AS people, COUNT(*) AS participations \
                 FROM attendance t JOIN activity a ON a.id = t.activity_id \
                 JOIN person p ON p.id = t.person_id \
                 WHERE a.status = 'held' AND a.kind IN {kinds} AND p.person_group <> 'team'"
            ))
            .fetch_one(db.pool())
            .await
            .unwrap();
            (
                row.try_get::<i64, _>("people").unwrap(),
                row.try_get::<i64, _>("participations").unwrap(),
            )
        }
    };
    let (people, participations) = recount("('seminar','debate','conference')").await;
    let events = app.get("/wydarzenia").await.body;
    let summary = between(&events, "<p class=\"held\">", "</p>").unwrap();
    use koalicja::domain::format::{count, nouns};
    let expected = format!(
        "{}; łącznie {} (bez zespołu projektu i partnerów)",
        count(people, nouns::DISTINCT_PERSON),
        count(participations, nouns::PARTICIPATION)
    );
    assert!(summary.contains(&expected), "{summary} vs {expected}");
    // The seminar's only attendance was the team: it shows nobody.
    let seminar = app
        .get("/wydarzenia/2021-05-19-seminarium-wprowadzajace")
        .await
        .body;
    assert!(
        seminar.contains("<dt>Obecnych osób (bez zespołu projektu i partnerów)</dt><dd>0</dd>"),
        "{seminar}"
    );
    assert!(
        !seminar.contains("zespół projektu i partnerów: "),
        "{seminar}"
    );
    let row = between(
        &events,
        "/wydarzenia/2021-05-19-seminarium-wprowadzajace\"",
        "</tr>",
    )
    .unwrap();
    assert!(row.contains("<td class=\"num\">0</td>"), "{row}");
    // The home page's recipients and the list agree on the definition.
    let home = app.get("/").await.body;
    assert!(home.contains("(bez zespołu projektu i partnerów)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_back_office_lists_activities_with_their_state() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    let all = admin.get("/admin/dzialania").await.body;
    assert!(
        all.contains("<th scope=\"col\">Stan</th>") || all.contains(">Stan</th>"),
        "{all}"
    );
    assert!(all.contains("<td>odbyło się</td>"), "{all}");
    let planned = admin.get("/admin/dzialania?stan=planned").await.body;
    assert!(planned.contains("<td>zaplanowane</td>"), "{planned}");
    assert!(!planned.contains("<td>odbyło się</td>"), "{planned}");
    assert!(planned.contains("(termin demonstracyjny)"), "{planned}");
}
