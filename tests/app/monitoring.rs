//! The cooperation monitor: statuses from the facts staff record and the
//! date, the region's table with its filters, CSV and JSON, the JST's
//! history, refusals of bad input and of other people's JSTs.

use crate::helpers::{spawn_app, TestApp};
use crate::invalidation::{cached, rendered};
use reqwest::StatusCode;
use serde_json::Value;

/// Płońsk, a gmina miejska of the powiat płoński.
const PLONSK: &str = "1420011";
const DAY: i64 = 86_400;

fn edit(year: i16) -> String {
    format!("/admin/monitoring/{PLONSK}/{year}")
}

/// Saves Płońsk's facts for `year` (every other field left empty), signed
/// in afresh (the test's clock moves past sessions).
async fn save(b: &crate::browser::Browser<'_>, year: i16, fields: &[(&str, &str)]) {
    let b = crate::browser::Browser::new(b.app);
    let signed = b.sign_in("monitor@example.org").await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let page = edit(year);
    let reply = b.submit(&page, &page, fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    b.app.refresh().await;
}

/// The programme's status code of Płońsk for `year`, from the open data.
async fn programme(app: &TestApp, year: i16) -> String {
    status(app, year, "programme").await
}

async fn status(app: &TestApp, year: i16, which: &str) -> String {
    plonsk(app, year).await[which]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Płońsk's row of the open data for `year`.
pub(crate) async fn plonsk(app: &TestApp, year: i16) -> Value {
    let reply = app
        .get(&format!("/api/v1/monitoring?rok={year}&powiat=1420"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let table: Value = serde_json::from_str(&reply.body).expect("JSON");
    table["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["teryt"] == PLONSK)
        .expect("Płońsk listed")
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programme_is_a_draft_then_overdue_from_1_december_not_adopted_from_1_january_on_time_or_late_by_its_date(
) {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    // 28 November 2026: the programme for 2027 is still in work.
    save(
        &b,
        2027,
        &[("stage", "draft"), ("checked_on", "2026-11-28")],
    )
    .await;
    assert_eq!(programme(&app, 2027).await, "draft");
    app.clock.advance(3 * DAY); // 1 December: past the deadline, the year not begun
    app.refresh().await;
    assert_eq!(programme(&app, 2027).await, "overdue");
    app.clock.advance(31 * DAY); // 1 January 2027
    app.refresh().await;
    assert_eq!(programme(&app, 2027).await, "not_adopted");
    let page = app
        .get("/monitoring?rok=2027&status=not_adopted&powiat=1420")
        .await;
    assert!(
        page.body.contains("Płońsk") && page.body.contains("nieuchwalony do 1 stycznia"),
        "{}",
        page.body
    );

    save(
        &b,
        2027,
        &[("stage", "adopted"), ("adopted_on", "2026-12-01")],
    )
    .await;
    assert_eq!(programme(&app, 2027).await, "late");
    save(
        &b,
        2027,
        &[("stage", "adopted"), ("adopted_on", "2026-11-30")],
    )
    .await;
    assert_eq!(programme(&app, 2027).await, "on_time");
    let history = app.get(&format!("/api/v1/jst/{PLONSK}/monitoring")).await;
    let history: Value = serde_json::from_str(&history.body).expect("JSON");
    assert_eq!(history["years"][0]["year"], 2027);
    assert_eq!(
        history["years"][0]["programme_label"],
        "uchwalony w terminie"
    );
    let unit = app.get(&format!("/jst/{PLONSK}")).await;
    assert!(unit.body.contains("uchwalony w terminie"), "{}", unit.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_multi_year_programme_covers_its_years_and_an_annulled_one_does_not() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    save(
        &b,
        2026,
        &[
            ("stage", "adopted"),
            ("adopted_on", "2025-11-20"),
            ("last_year", "2027"),
        ],
    )
    .await;
    save(&b, 2027, &[]).await; // the year's own record: nothing known
    assert_eq!(programme(&app, 2027).await, "multi_year");
    assert_eq!(programme(&app, 2026).await, "on_time");
    save(
        &b,
        2026,
        &[
            ("stage", "adopted"),
            ("adopted_on", "2025-11-20"),
            ("last_year", "2027"),
            ("annulled_on", "2025-12-20"),
        ],
    )
    .await;
    assert_eq!(programme(&app, 2026).await, "annulled");
    assert_eq!(programme(&app, 2027).await, "unknown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_checked_after_31_may_and_not_found_is_missing_until_it_is_submitted() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    app.clock.advance(186 * DAY); // 2 June 2027
    app.refresh().await;
    save(
        &b,
        2027,
        &[
            ("stage", "adopted"),
            ("adopted_on", "2026-11-25"),
            ("checked_on", "2027-06-01"),
        ],
    )
    .await;
    assert_eq!(status(&app, 2027, "report").await, "missing");
    save(
        &b,
        2027,
        &[
            ("stage", "adopted"),
            ("adopted_on", "2026-11-25"),
            ("checked_on", "2027-06-01"),
            ("report_submitted_on", "2027-05-28"),
        ],
    )
    .await;
    assert_eq!(status(&app, 2027, "report").await, "not_published");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_facts_are_refused_in_polish_and_nothing_is_saved() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    let before = app.rows("monitoring").await;
    let page = edit(2027);
    let long = "x".repeat(100_000);
    for (fields, message) in [
        (
            vec![("stage", "adopted")],
            "Podaj datę uchwalenia programu.",
        ),
        (
            vec![("stage", "draft"), ("adopted_on", "30.11.2026")],
            "Podaj datę w postaci RRRR-MM-DD",
        ),
        (
            vec![("stage", "draft"), ("programme_url", "javascript:alert(1)")],
            "zaczyna się od https://",
        ),
        (
            vec![("stage", "draft"), ("resolution", long.as_str())],
            "Najwyżej 100 znaków.",
        ),
        (vec![("stage", "ukryty")], "Wybierz jedną z możliwości."),
    ] {
        let reply = b.submit(&page, &page, &fields).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(reply.body.contains(message), "{message}: {}", reply.body);
    }
    assert_eq!(app.rows("monitoring").await, before);
    // The region's 352 JSTs come a page at a time, and as a file.
    let list = b.get("/admin/monitoring?rok=2026").await;
    assert!(list.body.contains("Następna strona"), "{}", list.body);
    let last = b.get("/admin/monitoring?rok=2026&strona=18").await;
    assert_eq!(last.status, StatusCode::OK);
    let (status, csv) = b.get_bytes("/admin/monitoring?rok=2026&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8_lossy(&csv).lines().count(), 353);
    // Not a JST (a city's part), and a year beyond the next: not found.
    assert_eq!(
        b.get("/admin/monitoring/1420011x/2027").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(b.get(&edit(2040)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/monitoring?rok=abc").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_changes_the_facts_of_its_own_county_alone() {
    let app = spawn_app().await;
    let b = app
        .signed_in("otwock-m@example.org", "partner", &["1417"])
        .await;
    let reply = b.get(&edit(2027)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let list = b.get("/admin/monitoring").await;
    assert!(
        list.body.contains("Otwock") && !list.body.contains("Płońsk"),
        "{}",
        list.body
    );
    let own = "/admin/monitoring/1417/2027";
    let saved = b.submit(own, own, &[("stage", "draft")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_region_table_says_its_facts_are_invented_and_opens_as_columns() {
    let app = spawn_app().await;
    let page = app.get("/monitoring").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Dane przykładowe."), "{}", page.body);
    assert!(
        page.body.contains("Programy współpracy na rok 2026"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("30 listopada 2025"),
        "the deadline: {}",
        page.body
    );
    let (status, csv) = crate::browser::Browser::new(&app)
        .get_bytes("/api/v1/monitoring.csv?rok=2026&rodzaj=powiat")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "a byte order mark");
    let text = String::from_utf8(csv[3..].to_vec()).expect("UTF-8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("rok;teryt;jst;rodzaj;powiat;program;sprawozdanie;konsultacje;indeks współpracy;indeks: część wag znanych (%);dane przykładowe")
    );
    let rows: Vec<&str> = lines.collect();
    // 37 powiaty and 5 cities with powiat rights.
    assert_eq!(rows.len(), 42, "{text}");
    assert!(rows
        .iter()
        .all(|r| r.split(';').count() == 11 && r.starts_with("2026;")));
    // A download, also when the cache answers.
    for _ in 0..2 {
        let reply = app
            .client
            .get(format!("{}/api/v1/monitoring.csv?rok=2026", app.address))
            .send()
            .await
            .expect("sent");
        assert_eq!(
            reply.headers()["content-disposition"],
            "attachment; filename=\"monitoring-2026.csv\""
        );
    }
    // A year with no facts is still the demo's data set.
    let old: Value =
        serde_json::from_str(&app.get("/api/v1/monitoring?rok=2012").await.body).expect("JSON");
    assert_eq!(old["sample"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_the_monitor_does_not_know_are_refused_in_polish() {
    let app = spawn_app().await;
    for (query, message) in [
        (
            "rok=2010",
            "od 2011 (pierwszy rok, na który ustawa wymagała programu współpracy)",
        ),
        ("rok=99999", "od 2011"),
        ("status=xyz", "Nieznany status programu"),
        ("powiat=9999", "Nie ma takiego powiatu w regionie"),
        (
            "powiat=%27%20OR%201%3D1",
            "Nie ma takiego powiatu w regionie",
        ),
        (
            "rodzaj=%3Cscript%3E",
            "Rodzaj samorządu to gmina, powiat albo wojewodztwo.",
        ),
    ] {
        let reply = app.get(&format!("/monitoring?{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(reply.body.contains(message), "{query}: {}", reply.body);
        assert!(!reply.body.contains("<script>"), "{query}");
    }
    assert_eq!(
        app.get("/monitoring?strona=99").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_of_the_monitor_re_renders_its_pages_and_the_home_page_and_leaves_the_trainings() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    app.refresh().await;
    cached(&app, &["/monitoring", "/szkolenia", "/"]).await;
    save(&b, 2026, &[("stage", "none"), ("checked_on", "2026-11-28")]).await;
    assert!(rendered(&app, "/monitoring").await.0);
    assert!(!rendered(&app, "/szkolenia").await.0, "the trainings stay");
    assert!(
        rendered(&app, "/").await.0,
        "the home page shows the monitor's map and its counts"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_draws_each_gmina_once_as_a_named_link_coloured_by_its_status() {
    let app = spawn_app().await;
    let map = app.get("/monitoring/mapa?rok=2026").await;
    assert_eq!(map.status, StatusCode::OK);
    let shapes: Vec<&str> = map.body.split("<a href=\"/jst/").skip(1).collect();
    assert_eq!(shapes.len(), 314, "one shape per gmina");
    // Cities with powiat rights are drawn as their gmina and link to the JST.
    assert!(
        map.body
            .contains("<a href=\"/jst/1462\" aria-label=\"Płock: "),
        "Płock"
    );
    assert!(!map.body.contains("/jst/1462011\""));
    assert!(shapes
        .iter()
        .all(|s| s.contains("aria-label=\"") && s.contains("<path class=\"status-")));
    assert!(map.body.contains("Dane przykładowe."));
    // Płońsk's status on the map is the one its facts give.
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    save(
        &b,
        2026,
        &[("stage", "adopted"), ("adopted_on", "2025-12-03")],
    )
    .await;
    let map = app.get("/monitoring/mapa?rok=2026&powiat=1420").await;
    assert!(
        map.body.contains(&format!(
            "<a href=\"/jst/{PLONSK}\" aria-label=\"Płońsk (gmina miejska): uchwalony po terminie\"><path class=\"status-late\""
        )),
        "{}",
        map.body
    );
    let county: Vec<&str> = map.body.split("<a href=\"/jst/").skip(1).collect();
    assert_eq!(county.len(), 12, "the gminy of the powiat płoński");
    assert!(map.body.len() < 300_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_boundaries_replace_a_unit_s_shape_and_a_bad_file_is_refused_naming_the_feature() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("granice.geojson");
    let triangle = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"teryt":"{PLONSK}"}},"geometry":{{"type":"Polygon","coordinates":[[[20.3,52.6],[20.4,52.6],[20.35,52.7],[20.3,52.6]]]}}}}]}}"#
    );
    std::fs::write(&file, triangle).expect("written");
    let path = file.to_string_lossy().into_owned();
    let (ok, out) = crate::helpers::run_cli(&[
        "import-boundaries",
        &path,
        "--database-url",
        &app.database.url,
    ]);
    assert!(ok, "{out}");
    app.refresh().await;
    let map = app.get("/monitoring/mapa?rok=2026&powiat=1420").await;
    let plonsk = map
        .body
        .split(&format!("<a href=\"/jst/{PLONSK}\""))
        .nth(1)
        .expect("Płońsk drawn");
    // x = (lon − 13.5) · cos 52° · 100, y = (55.5 − lat) · 100.
    assert!(
        plonsk.contains("d=\"M418.6 290L424.8 290L421.7 280L418.6 290Z\""),
        "{}",
        &plonsk[..300.min(plonsk.len())]
    );

    std::fs::write(&file, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"teryt":"1420011"},"geometry":{"type":"Point","coordinates":[20,52]}}]}"#).expect("written");
    let (ok, out) = crate::helpers::run_cli(&[
        "import-boundaries",
        &path,
        "--database-url",
        &app.database.url,
    ]);
    assert!(!ok);
    assert!(
        out.contains("obiekt nr 1 (1420011) nie ma geometrii Polygon ani MultiPolygon"),
        "{out}"
    );
}

/// Płońsk's index for `year` and the share of the weights it rests on,
/// from the open data.
async fn index(app: &TestApp, year: i16) -> (Value, Value) {
    let unit = plonsk(app, year).await;
    (unit["index"].clone(), unit["index_coverage"].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_recomputes_when_a_fact_changes_and_shows_its_weights_and_sources() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    // Adopted on time with every element, consulted, a council, grants;
    // the report on 2025 not due until 31 May 2026 — left out.
    let mut facts = vec![
        ("stage", "adopted"),
        ("adopted_on", "2025-11-20"),
        ("consultation_announced_on", "2025-10-01"),
        ("council_exists", "tak"),
        ("competitions", "4"),
        ("checked_on", "2025-12-01"),
    ];
    let elements: Vec<(String, String)> = (1..=11)
        .map(|i| (format!("element_{i}"), format!("§ {i}")))
        .collect();
    facts.extend(elements.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    save(&b, 2026, &facts).await;
    // 28 November 2026: the report on 2025 was due on 31 May and was
    // never found, checked in December 2025 only — unknown, left out.
    assert_eq!(index(&app, 2026).await, (Value::from(100), Value::from(80)));
    let unit = app.get(&format!("/jst/{PLONSK}")).await;
    assert!(
        unit.body.contains("<td>100 (z 80% wag)</td>")
            && unit
                .body
                .contains("<td>30 z 30<br><small>uchwalony w terminie</small></td>")
            && unit
                .body
                .contains("<td>10 z 10<br><small>istnieje</small></td>")
            && unit.body.contains("art. 41e")
            && unit.body.contains("2026: 100, "),
        "{}",
        unit.body
    );

    // Half the elements lost and the council gone: the index falls.
    facts.retain(|(k, _)| !k.starts_with("element_") && *k != "council_exists");
    facts.push(("council_exists", "nie"));
    facts.extend(
        elements
            .iter()
            .take(5)
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    save(&b, 2026, &facts).await;
    // Known weights 80: 30 + 15 + 15 × 5/11 + 0 + 10 = 61.8 → 77.
    assert_eq!(index(&app, 2026).await, (Value::from(77), Value::from(80)));
    let table = app.get("/monitoring?rok=2026&powiat=1420").await;
    assert!(table.body.contains("77 (z 80% wag)"), "{}", table.body);
    let csv = app.get("/api/v1/monitoring.csv?rok=2026&powiat=1420").await;
    assert!(
        csv.body.contains("indeks współpracy") && csv.body.contains(";77;80;"),
        "{}",
        csv.body
    );

    let method = app.get("/monitoring/metoda").await;
    assert_eq!(method.status, StatusCode::OK);
    for needle in [
        "Program współpracy uchwalony w terminie</th><td>30 (30%)",
        "Rada działalności pożytku publicznego</th><td>10 (10%)",
        "art. 5a ust. 4",
        "mniej niż 50% wag",
    ] {
        assert!(method.body.contains(needle), "{needle}: {}", method.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weights_changed_in_the_configuration_change_the_index_and_its_method_page() {
    let app = crate::helpers::spawn_app_with(|mut s| {
        // Only the programme counts.
        s.monitoring.index = koalicja::domain::cooperation_index::Weights {
            weights: [1, 0, 0, 0, 0, 0],
            min_coverage: 100,
        };
        s
    })
    .await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    save(
        &b,
        2026,
        &[("stage", "adopted"), ("adopted_on", "2025-12-05")],
    )
    .await;
    assert_eq!(index(&app, 2026).await, (Value::from(50), Value::from(100)));
    let method = app.get("/monitoring/metoda").await;
    assert!(
        method
            .body
            .contains("Program współpracy uchwalony w terminie</th><td>1 (100%)")
            && method
                .body
                .contains("Rada działalności pożytku publicznego</th><td>0 (0%)"),
        "{}",
        method.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gap_becomes_one_case_addressed_to_the_organ_whose_duty_it_was() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    // The programme for 2027 still a draft on 1 December 2026.
    save(
        &b,
        2027,
        &[
            ("stage", "draft"),
            ("council", "Rada Miejska w Płońsku"),
            ("checked_on", "2026-11-28"),
        ],
    )
    .await;
    // The report on 2025 submitted, never published in BIP.
    save(
        &b,
        2026,
        &[
            ("stage", "adopted"),
            ("adopted_on", "2025-11-20"),
            ("report_submitted_on", "2026-05-20"),
            ("checked_on", "2026-06-10"),
        ],
    )
    .await;
    app.clock.advance(3 * DAY);
    app.refresh().await;
    let b = crate::browser::Browser::new(&app);
    b.sign_in("monitor@example.org").await;
    let facts = b.get(&edit(2027)).await;
    assert!(
        facts
            .body
            .contains("Załóż sprawę: brak programu współpracy"),
        "{}",
        facts.body
    );
    let cases_before = app.rows("case_file").await;

    let opened = b
        .submit(&edit(2027), &format!("{}/sprawa/program", edit(2027)), &[])
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let location =
        |r: &crate::helpers::Reply| r.headers["location"].to_str().unwrap_or("").to_owned();
    assert!(location(&opened).ends_with("?komunikat=sprawa-zalozona"));
    let case = opened.redirected_to();
    let page = b.get(&location(&opened)).await;
    for needle in [
        "Sprawa interwencyjna została założona z monitoringu",
        "program współpracy nieuchwalony albo niekonsultowany",
        "Przewodniczący Rady Miejskiej w Płońsku",
        "na rok 2027: nieuchwalony w terminie",
        "Termin uchwalenia: 30 listopada 2026",
        "Płońsk",
    ] {
        assert!(page.body.contains(needle), "{needle}: {}", page.body);
    }
    // The office's postal address, which every letter needs.
    let office = format!("/admin/jst/{PLONSK}");
    let saved = b
        .submit(
            &office,
            &office,
            &[
                ("organ", ""),
                ("office_name", ""),
                ("address", "pl. 15 Sierpnia 39\n09-100 Płońsk"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let letter = b.get(&format!("{case}/pismo?szablon=explanations")).await;
    assert_eq!(letter.status, StatusCode::OK, "{}", letter.body);
    let body =
        crate::helpers::between(&letter.body, "<textarea", "</textarea>").unwrap_or_default();
    assert!(
        letter
            .body
            .contains("Przewodniczący Rady Miejskiej w Płońsku")
            && body.contains("Sprawę stwierdziliśmy w prowadzonym przez nas monitoringu")
            && body.contains("na rok 2027: nieuchwalony w terminie")
            && !body.contains("W zgłoszeniu czytamy")
            && !body.contains("Sprawę zgłosiła nam")
            // The date the facts were checked, not who of the team did.
            && body.contains("Fakty sprawdzone: 28 listopada 2026.")
            && !body.contains("Żółkiewska"),
        "{}",
        letter.body
    );
    // Again: the same open case, not a second one.
    let again = b
        .submit(&edit(2027), &format!("{}/sprawa/program", edit(2027)), &[])
        .await;
    assert_eq!(
        location(&again),
        format!("{case}?komunikat=sprawa-istnieje")
    );
    assert_eq!(app.rows("case_file").await, cases_before + 1);

    // The report: the executive, as the letters name it by default.
    let report = b
        .submit(
            &edit(2026),
            &format!("{}/sprawa/sprawozdanie", edit(2026)),
            &[],
        )
        .await;
    let report_case = report.redirected_to();
    let page = b.get(&report_case).await;
    assert!(
        page.body.contains("brak przejrzystości")
            && page.body.contains("za rok 2025: złożone, nieopublikowane")
            && !page.body.contains("Adresat pism"),
        "{}",
        page.body
    );
    let letter = b
        .get(&format!("{report_case}/pismo?szablon=explanations"))
        .await;
    assert!(
        letter.body.contains("Burmistrz Miasta Płońsk") && !letter.body.contains("Przewodniczący"),
        "{}",
        letter.body
    );

    // No such gap: nothing opened.
    save(
        &b,
        2025,
        &[("stage", "adopted"), ("adopted_on", "2024-11-20")],
    )
    .await;
    let token = crate::browser::csrf(&b.get(&edit(2025)).await.body);
    let none = b
        .post(
            &format!("{}/sprawa/program", edit(2025)),
            &[("csrf", &token)],
        )
        .await;
    assert!(
        location(&none).ends_with("komunikat=brak-luki"),
        "{}",
        none.body
    );
    assert_eq!(app.rows("case_file").await, cases_before + 2);

    // A partner of another county cannot open Płońsk's case.
    let partner = app
        .signed_in("otwock-m@example.org", "partner", &["1417"])
        .await;
    let token = crate::browser::csrf(&partner.get("/admin/monitoring").await.body);
    let refused = partner
        .post(
            &format!("{}/sprawa/program", edit(2027)),
            &[("csrf", &token)],
        )
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER, "{}", refused.body);
    assert_eq!(app.rows("case_file").await, cases_before + 2);
}
