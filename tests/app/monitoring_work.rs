//! The monitor's work for staff: the dashboard of the region by county
//! with its gaps, and the coordinators' daily e-mail of what changed,
//! sent once whatever the number of instances.

use crate::browser::Browser;
use crate::helpers::{spawn_app, spawn_on, TestDatabase};
use koalicja::store::Db;
use reqwest::StatusCode;
use sqlx::Row;

const PLONSK: &str = "1420011";
const DAY: i64 = 86_400;

async fn digests(app: &crate::helpers::TestApp, to: &str) -> Vec<String> {
    sqlx::query(
        "SELECT body_text FROM outbox WHERE recipient = $1 AND subject LIKE 'Monitoring współpracy:%' ORDER BY id",
    )
    .bind(to)
    .fetch_all(app.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>(0))
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_1_december_the_dashboard_counts_the_gaps_and_the_coordinators_are_told_once() {
    let first = spawn_app().await;
    let second_db = Db::connect(&first.database.url).await.unwrap();
    let second = spawn_on(TestDatabase::shared(&first.database), second_db).await;
    let staff = first
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    let page = format!("/admin/monitoring/{PLONSK}/2027");
    let saved = staff
        .submit(
            &page,
            &page,
            &[("stage", "draft"), ("checked_on", "2026-11-28")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // The facts saved on 28 November are in the digest of the 29th.
    first.clock.advance(DAY);
    second.clock.advance(DAY);
    tokio::join!(first.run_jobs(), second.run_jobs());
    let sent = digests(&first, "monitor@example.org").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].contains("Fakty zapisane przez zespół poprzedniego dnia (1)")
            && sent[0].contains("Płońsk (gmina miejska), rok 2027"),
        "{}",
        sent[0]
    );

    // 1 December: the deadline passed overnight.
    first.clock.advance(2 * DAY);
    second.clock.advance(2 * DAY);
    for _ in 0..2 {
        tokio::join!(first.run_jobs(), second.run_jobs());
    }
    let sent = digests(&first, "monitor@example.org").await;
    assert_eq!(sent.len(), 2, "one a day, from either instance: {sent:?}");
    let today = &sent[1];
    assert!(
        today.contains("Statusy zmienione przez upływ terminu")
            && today.contains(
                "Płońsk (gmina miejska) (1420011): program na 2027: projekt → nieuchwalony w terminie"
            )
            && !today.contains("Fakty zapisane"),
        "{today}"
    );

    let b = Browser::new(&second);
    b.sign_in("monitor@example.org").await;
    let board = b.get("/admin/monitoring/pulpit?powiat=1420").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    assert!(
        board.body.contains("Stan na 1 grudnia 2026")
            && board.body.contains("Program: luka")
            && board.body.contains("Razem")
            && board.body.contains("program na 2027")
            && board
                .body
                .contains(&format!("/admin/monitoring/{PLONSK}/2027/sprawa/program")),
        "{}",
        board.body
    );
    // The county row of powiat płoński counts Płońsk's gap.
    let row = board
        .body
        .split("<tr>")
        .find(|r| r.contains(">płoński<") || r.contains("powiat płoński"))
        .expect("powiat płoński's row")
        .to_owned();
    let cells: Vec<&str> = row.split("<td>").skip(1).collect();
    let gaps: i64 = cells[2]
        .split('<')
        .next()
        .unwrap()
        .trim()
        .parse()
        .expect("a count");
    assert!(gaps >= 1, "{row}");

    // Once opened, the gap shows its case instead of the button.
    let opened = b
        .submit(
            "/admin/monitoring/pulpit?powiat=1420",
            &format!("/admin/monitoring/{PLONSK}/2027/sprawa/program"),
            &[],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let board = b.get("/admin/monitoring/pulpit?powiat=1420").await;
    assert!(
        !board
            .body
            .contains(&format!("/admin/monitoring/{PLONSK}/2027/sprawa/program"))
            && board.body.contains("INT/2026/"),
        "{}",
        board.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_refuses_a_county_outside_the_region() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    let refused = b.get("/admin/monitoring/pulpit?powiat=9999").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("Nie ma takiego powiatu"),
        "{}",
        refused.body
    );
}

const IMPORT: &str = "/admin/monitoring/import";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_of_facts_is_saved_whole_or_not_at_all_with_a_report_by_row() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    let before = app.rows("monitoring").await;
    let audit = app.rows("audit_log").await;
    let bad = "teryt;rok;etap;data_uchwalenia;adres_programu;data_sprawdzenia\n\
               1420011;2027;uchwalony;2026-11-25;https://bip.plonsk.pl/program-2027;2026-11-28\n\
               9999999;2027;uchwalony;2026-11-25;;\n\
               1420021;2027;uchwalony;2026-11-25;javascript:alert(1);\n\
               1420032;2027;uchwalony;;;\n\
               1420011;2027;projekt;;;\n\
               1420044;1999;projekt;;;\n\
               1420052;2027;projekt;;;2026-11-2\u{0}8\n";
    let report = b
        .upload(IMPORT, IMPORT, &[], ("file", bad.as_bytes().to_vec()))
        .await;
    assert_eq!(
        report.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        report.body
    );
    for needle in [
        "Błędne wiersze: 6. Nic nie zostało zapisane.",
        "data_sprawdzenia: niedozwolone znaki sterujące",
        "„9999999” nie jest kodem TERYT",
        "adres_programu: Adres strony zaczyna się od https:// lub http://.",
        "data_uchwalenia: Podaj datę uchwalenia programu.",
        "Ten samorząd i rok są w pliku drugi raz.",
        "rok: wpisz rok od 2011 do 2027.",
    ] {
        assert!(report.body.contains(needle), "{needle}: {}", report.body);
    }
    assert_eq!(app.rows("monitoring").await, before);
    assert_eq!(app.rows("audit_log").await, audit);

    // Only the first row: it passes, and is saved when confirmed. The
    // facts of columns left out of the file stay as they were.
    let good = "teryt;rok;etap;data_uchwalenia;adres_programu;data_sprawdzenia;notatki\n\
                1420011;2027;uchwalony;2026-11-25;https://bip.plonsk.pl/program-2027;2026-11-28;-5 dni do terminu\n";
    let report = b
        .upload(IMPORT, IMPORT, &[], ("file", good.as_bytes().to_vec()))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert!(
        report.body.contains("Wszystkie wiersze są poprawne."),
        "{}",
        report.body
    );
    let csv =
        crate::helpers::between(&report.body, "name=\"csv\" value=\"", "\"").expect("the file");
    let token = crate::browser::csrf(&report.body);
    let csv = csv.replace("&#10;", "\n").replace("&#x0A;", "\n");
    let saved = b
        .post(
            "/admin/monitoring/import/zatwierdz",
            &[("csrf", &token), ("csv", &csv)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let list = b.get(saved.headers["location"].to_str().unwrap()).await;
    assert!(list.body.contains("Import zakończony."), "{}", list.body);
    app.refresh().await;
    let plonsk = crate::monitoring::plonsk(&app, 2027).await;
    assert_eq!(plonsk["programme"], "on_time");

    // The county's facts download in the same columns and import back
    // unchanged.
    let (status, bytes) = b
        .get_bytes("/admin/monitoring/fakty.csv?rok=2027&powiat=1420")
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains("1420011;2027;Płońsk (gmina miejska);adopted;")
            && text.contains("https://bip.plonsk.pl/program-2027")
            && text.contains(";'-5 dni do terminu"),
        "{text}"
    );
    let again = b.upload(IMPORT, IMPORT, &[], ("file", bytes)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(again.body.contains("Wszystkie wiersze są poprawne."));
    // Saved again, the spreadsheet's guard is read back off: the note is
    // as it was typed.
    let csv =
        crate::helpers::between(&again.body, "name=\"csv\" value=\"", "\"").expect("the file");
    let token = crate::browser::csrf(&again.body);
    let saved = b
        .post(
            "/admin/monitoring/import/zatwierdz",
            &[("csrf", &token), ("csv", &csv.replace("&#39;", "'"))],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let facts = b.get(&format!("/admin/monitoring/{PLONSK}/2027")).await;
    assert!(
        facts.body.contains(">-5 dni do terminu</textarea>"),
        "{}",
        facts.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_kept_in_the_database_with_its_sha_256_and_any_instance_serves_it() {
    let first = spawn_app().await;
    let second_db = Db::connect(&first.database.url).await.unwrap();
    let second = spawn_on(TestDatabase::shared(&first.database), second_db).await;
    let b = first
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    let page = format!("/admin/monitoring/{PLONSK}/2026");
    let action = format!("{page}/dowody");
    let pdf = crate::files::PDF.to_vec();
    let added = b
        .upload_files(
            &page,
            &action,
            &[
                ("fact", "programme"),
                ("source_url", "https://bip.plonsk.pl/uchwala-xii-2025"),
                ("evidence_checked_on", "2026-11-27"),
            ],
            vec![("file", "Uchwała XII-123-2025.pdf", pdf.clone())],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    // SHA-256 of the file, computed here independently.
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let facts = b.get(&page).await;
    assert_eq!(
        facts.body.matches("id=\"pole-checked-on\"").count(),
        1,
        "the facts' and the document's dates have ids of their own"
    );
    assert!(
        facts.body.contains(&hash) && facts.body.contains("27 listopada 2026 (Ewa"),
        "{}",
        facts.body
    );

    second.refresh().await;
    let unit = second.get(&format!("/jst/{PLONSK}")).await;
    assert!(
        unit.body.contains("Uchwała XII-123-2025.pdf")
            && unit.body.contains(&hash)
            && unit.body.contains("program współpracy (uchwała)"),
        "{}",
        unit.body
    );
    let href = crate::helpers::between(&unit.body, "<a href=\"/monitoring/dowody/", "\"")
        .expect("a download link");
    let reply = second
        .client
        .get(format!("{}/monitoring/dowody/{href}", second.address))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.headers()["content-type"], "application/pdf");
    assert!(reply.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(reply.bytes().await.unwrap().to_vec(), pdf, "byte for byte");

    // Text renamed .pdf is refused, and so is an address that is not one.
    let refused = b
        .upload_files(
            &page,
            &action,
            &[("fact", "programme"), ("source_url", "")],
            vec![("file", "uchwala.pdf", b"<html>nie PDF</html>".to_vec())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body.contains("Dowodu nie dodano"),
        "{}",
        refused.body
    );
    // The year's page again, the file's reason at its field.
    assert!(
        refused.body.contains("id=\"pole-file-blad\"") && refused.body.contains(&hash),
        "{}",
        refused.body
    );
    let refused = b
        .upload_files(
            &page,
            &action,
            &[("fact", "report"), ("source_url", "javascript:alert(1)")],
            vec![("file", "uchwala.pdf", pdf.clone())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    // What was typed is kept, for the person to mend.
    assert!(
        refused.body.contains("value=\"javascript:alert(1)\"")
            && refused.body.contains("<option value=\"report\" selected>"),
        "{}",
        refused.body
    );
    assert_eq!(first.rows("monitoring_evidence").await, 1);

    // Removed: gone from the page and the address.
    let id = href.clone();
    let removed = b.submit(&page, &format!("{action}/{id}/usun"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let gone = second.get(&format!("/monitoring/dowody/{id}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_shows_the_regions_map_with_its_counts_in_words() {
    let app = spawn_app().await;
    let home = app.get("/").await;
    assert!(
        home.body.contains("<img src=\"/monitoring/mapa.svg?rok=2026\"")
            && home.body.contains("alt=\"Mapa gmin regionu według statusu programu współpracy z organizacjami na rok 2026. ")
            && home.body.contains("uchwalony w terminie: ")
            && home.body.contains("Dane przykładowe"),
        "{}",
        home.body
    );
    assert!(home.body.len() < 30 * 1024, "{} bytes", home.body.len());
    let reply = app
        .client
        .get(format!("{}/monitoring/mapa.svg?rok=2026", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        reply.headers()["content-type"],
        "image/svg+xml; charset=utf-8"
    );
    let svg = reply.text().await.unwrap();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    // One shape per gmina (314) and 42 county outlines.
    assert_eq!(svg.matches("<path class=\"status-").count(), 314);
    assert_eq!(svg.matches("<path class=\"outline\"").count(), 42);
    assert!(svg
        .contains("<title>Programy współpracy na rok 2026 – mapa gmin (dane przykładowe)</title>"));
}
