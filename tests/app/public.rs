//! Every public page answers in Polish; unknown or malformed paths get the
//! Polish error pages, never a 500.

use crate::helpers::{h1, log_text, spawn_app, TestApp};
use reqwest::StatusCode;

const FUNDER: &str = "Aktywni Obywatele – Fundusz Krajowy";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_page_answers_with_its_polish_heading() {
    let app = spawn_app().await;
    let pages = [
        ("/", "Mazowiecka Koalicja na rzecz dialogu NGO-JST"),
        ("/szkolenia", "Szkolenia"),
        (
            "/szkolenia/2021-10-14-organizacja-pozarzadowa-od-podstaw",
            "Organizacja pozarządowa od podstaw",
        ),
        ("/wydarzenia", "Wydarzenia"),
        (
            "/wydarzenia/2021-05-19-seminarium-wprowadzajace",
            "Seminarium wprowadzające",
        ),
        ("/dzialania-lokalne", "Działania lokalne"),
        ("/dzialania-lokalne/jednorozec", "Jednorożec"),
        ("/doradztwo-i-interwencje", "Doradztwo i interwencje"),
        ("/badania", "Badania"),
        ("/poradniki", "Poradniki"),
        (
            "/siec-urzednikow",
            "Mazowiecka sieć urzędników i urzędniczek współpracujących z NGO",
        ),
        ("/jst", "Samorządy"),
        ("/jst/14", "województwo mazowieckie"),
        ("/jst/1420", "powiat płoński"),
        ("/jst/1422042", "Jednorożec"),
    ];
    for (path, heading) in pages {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(h1(&page.body), heading, "{path}");
        assert!(page.body.contains("<html lang=\"pl\">"), "{path}");
        assert!(
            page.body.contains("href=\"#tresc\">Przejdź do treści</a>"),
            "{path}"
        );
        assert!(page.body.contains("id=\"tresc\""), "{path}");
        assert!(
            page.body.contains(FUNDER),
            "{path} has no funder attribution"
        );
        assert!(!page.body.contains("<script"), "{path} needs no JavaScript");
        assert!(
            page.body.len() < 30_000,
            "{path} is {} bytes",
            page.body.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_navigation_entry_leads_to_a_page() {
    let app = spawn_app().await;
    let home = app.get("/").await.body;
    for (path, label) in koalicja::web::layout::NAV {
        assert!(
            home.contains(&format!("<a href=\"{path}\"")),
            "{label} missing from navigation"
        );
        assert_eq!(app.get(path).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_get_the_polish_404_page() {
    let app = spawn_app().await;
    for path in [
        "/nie-ma-takiej-strony",
        "/szkolenia/nie-ma",
        "/wydarzenia/2021-10-14-organizacja-pozarzadowa-od-podstaw",
        "/dzialania-lokalne/atlantyda",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(h1(&page.body), "Nie znaleziono strony", "{path}");
        assert!(page.body.contains(FUNDER));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_teryt_codes_get_400_and_absent_ones_404() {
    let app = spawn_app().await;
    for code in ["abc", "1", "146", "14650111", "14a0", "%C5%81%C3%B3d%C5%BA"] {
        let page = app.get(&format!("/jst/{code}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{code}");
        assert!(page.body.contains("Nieprawidłowy kod TERYT"), "{code}");
    }
    // A control character is no part of any address.
    let page = app.get("/jst/14%00").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("niedozwolone znaki sterujące"));
    assert!(!page.body.contains('\0'), "no control character echoed");
    // Of TERYT's shape (2, 4 or 7 digits) but not in the register: not
    // found, whatever its digits.
    for code in [
        "32", "3201", "1465099", "1400", "0200", "3399", "1465016", "9999999",
    ] {
        let page = app.get(&format!("/jst/{code}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{code}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jst_page_shows_its_parents_children_and_local_work() {
    let app = spawn_app().await;
    let page = app.get("/jst/1420").await.body;
    assert!(page.contains("<a href=\"/jst/14\">województwo mazowieckie</a>"));
    assert!(
        page.contains("href=\"/jst/1420011\">Płońsk (gmina miejska)</a>"),
        "a gmina of the powiat is listed"
    );
    assert!(page.contains("href=\"/dzialania-lokalne/plonsk\""));
    assert!(page.contains("Starostwo Powiatowe w Płońsku"));
    assert!(page.contains("badania jakościowe"));
    let gmina = app.get("/jst/1430053").await.body;
    assert!(
        gmina.contains("href=\"/jst/1430054\">Szydłowiec (miasto)</a>"),
        "the town part is listed under its gmina"
    );
    let part = app.get("/jst/1430054").await.body;
    assert!(part.contains("miasto (część gminy miejsko-wiejskiej)"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_page_numbers_are_refused_in_polish() {
    let app = spawn_app().await;
    let page = app.get("/szkolenia?strona=zero").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("Numer strony musi być liczbą dodatnią."));
    assert_eq!(
        app.get("/szkolenia?strona=99").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_served_precompressed_with_an_etag() {
    let app = spawn_app().await;
    let plain = app.get("/").await;
    let etag = plain
        .headers
        .get("etag")
        .expect("etag")
        .to_str()
        .unwrap()
        .to_owned();
    let zipped = app.get_with("/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(
        zipped
            .headers
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    let again = app.get_with("/", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_addresses_get_polish_errors_not_raw_text() {
    let app = spawn_app().await;
    for (path, message) in [
        (
            "/szkolenia?strona=1&strona=2",
            "Nieprawidłowe parametry w adresie strony.",
        ),
        ("/jst/%FF", "Nieprawidłowy adres strony."),
        ("/szkolenia/%FF", "Nieprawidłowy adres strony."),
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(h1(&page.body), "Nieprawidłowe zapytanie", "{path}");
        assert!(page.body.contains(message), "{path}: {}", page.body);
    }
    let api = app
        .get("/api/v1/stats?from=2021-01-01&from=2022-01-01")
        .await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        api.body,
        r#"{"error":"Nieprawidłowe parametry w adresie strony."}"#
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_network_page_lists_at_most_50_jsts_and_says_so() {
    use koalicja::domain::activity::{Gender, Group};
    use koalicja::store::{activities, bump_version, programme, Topics};
    let app = spawn_app().await;
    let project = programme::main_project(&app.db).await.unwrap().unwrap().id;
    let units = koalicja::store::teryt::children(
        &app.db,
        &koalicja::domain::teryt::Teryt::parse("14").unwrap(),
    )
    .await
    .unwrap();
    let mut codes = Vec::new();
    for powiat in units {
        let t = koalicja::domain::teryt::Teryt::parse(&powiat.teryt).unwrap();
        for g in koalicja::store::teryt::children(&app.db, &t).await.unwrap() {
            codes.push(g.teryt);
        }
    }
    assert!(codes.len() > 60);
    let mut tx = app.db.begin_write().await.unwrap();
    // Three people from each, so that no place is a group too small to show.
    for code in codes.iter().take(60).flat_map(|c| [c, c, c]) {
        let person = activities::NewPerson {
            first_name: "Urzędniczka".into(),
            last_name: "Testowa".into(),
            email: None,
            gender: Gender::Female,
            group: Group::Official,
            organisation_id: None,
            local_government: Some(code.clone()),
        };
        let id =
            activities::insert_person(&mut tx, &person, "2026-01-01T00:00:00Z".parse().unwrap())
                .await
                .unwrap();
        programme::insert_network_member(
            &mut tx,
            project,
            id,
            jiff::civil::date(2026, 1, 1),
            "2026-01-01T00:00:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    }
    bump_version(&mut tx, Topics::ALL).await.unwrap();
    tx.commit().await.unwrap();
    app.refresh().await;
    let page = app.get("/siec-urzednikow").await.body;
    assert!(
        page.contains("Pokazano 50 samorządów z największą liczbą osób spośród"),
        "{page}"
    );
    assert_eq!(page.matches("<td class=\"num\">").count(), 50);
}

/// For every `<table>` of a page: the id its scrolling region (the element
/// opened right before it) is labelled by, and its caption's id.
fn table_regions(html: &str) -> Vec<(String, String)> {
    let parts: Vec<&str> = html.split("<table>").collect();
    parts
        .windows(2)
        .map(|w| {
            let region = w[0]
                .trim_end()
                .rsplit_once('\n')
                .map_or(w[0], |(_, line)| line)
                .strip_prefix("<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"")
                .and_then(|rest| rest.strip_suffix("\" tabindex=\"0\">"))
                .unwrap_or_default();
            let caption = crate::helpers::between(w[1], "<caption id=\"", "\"").unwrap_or_default();
            (region.to_owned(), caption)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_table_scrolls_in_its_own_labelled_region_and_keeps_words_whole() {
    let app = spawn_app().await;
    for path in [
        "/szkolenia",
        "/wydarzenia",
        "/dzialania-lokalne/plonsk",
        "/doradztwo-i-interwencje",
        "/badania",
        "/siec-urzednikow",
        "/jst/14",
        "/jst/1420",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let tables = table_regions(&page.body);
        assert!(!tables.is_empty(), "{path} has a table");
        for (region, caption) in tables {
            assert!(
                !region.is_empty() && region == caption,
                "{path}: a table outside a region labelled by its caption ({region:?}, {caption:?})"
            );
        }
    }
    let staff = app.signed_in("admin@example.org", "admin", &[]).await;
    for path in [
        "/admin/sprawy",
        "/admin/organizacje",
        "/admin/dziennik",
        "/admin/jst",
    ] {
        let page = staff.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let tables = table_regions(&page.body);
        assert!(!tables.is_empty(), "{path} has a table");
        for (region, caption) in tables {
            assert!(
                !region.is_empty() && region == caption,
                "{path}: {region:?}, {caption:?}"
            );
        }
    }
    let cases = staff.get("/admin/sprawy").await;
    assert!(
        cases.body.contains("<span class=\"word\">INT/2026/"),
        "a case number is kept on one line: {}",
        cases.body
    );
    let css = app.get("/static/style.css").await;
    assert!(
        css.body
            .lines()
            .filter(|rule| rule.contains("td"))
            .all(|rule| !rule.contains("anywhere") && !rule.contains("break-all")),
        "cells never break inside words"
    );
    assert!(css.body.contains(".table-scroll { overflow-x: auto;"));
    assert!(
        css.body
            .contains(".field .choice input[type=\"radio\"] { flex: none; width: auto;"),
        "the choices are a list of radio buttons, each left of its label"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_funders_english_slogan_is_marked_as_english() {
    let app = spawn_app().await;
    let home = app.get("/").await;
    assert!(
        home.body.contains(
            "<p class=\"funder-slogan\" lang=\"en\">Working together for a green, competitive and inclusive Europe.</p>"
        ),
        "{}",
        home.body
    );
}

/// The slug of the demo's first held training, its row changed by `set`
/// (an SQL assignment) behind the application's back.
async fn held_training_stored_with(app: &TestApp, set: &str) -> String {
    let slug: String = sqlx::query_scalar(
        "SELECT slug FROM activity WHERE kind = 'training' AND status = 'held' ORDER BY id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    sqlx::query(&format!("UPDATE activity SET {set} WHERE slug = $1"))
        .bind(&slug)
        .execute(app.db.pool())
        .await
        .unwrap();
    slug
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_state_in_the_database_is_an_error_not_read_as_another() {
    let app = spawn_app().await;
    let slug = held_training_stored_with(&app, "status = 'odlozone'").await;
    let page = app.get(&format!("/szkolenia/{slug}")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    let log = log_text();
    assert!(
        log.contains("odlozone") && log.contains("w słowniku ActivityStatus"),
        "the log names the code: {log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_date_in_the_database_is_an_error_not_a_default_date() {
    let app = spawn_app().await;
    let slug = held_training_stored_with(&app, "starts_on = '2023-13-45'").await;
    for path in [
        format!("/szkolenia/{slug}"),
        format!("/szkolenia/{slug}/kalendarz.ics"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        assert_eq!(h1(&page.body), "Błąd serwera", "{path}: {}", page.body);
    }
    let log = log_text();
    assert!(
        log.contains("decoding column starts_on"),
        "the log names the column: {log}"
    );
}
