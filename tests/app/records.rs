//! Keeping records from the browser: validation, duplicates, search,
//! the audit log, escaping, attendance that moves the counters.

use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{counter, spawn_app, TestApp};

async fn audit(
    app: &TestApp,
    entity: &str,
) -> Vec<(String, String, Option<String>, Option<String>)> {
    sqlx::query("SELECT action, entity_id, before_json, after_json FROM audit_log WHERE entity = $1 ORDER BY id")
        .bind(entity)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

fn id_from(location: &str) -> i64 {
    location
        .split('/')
        .nth(3)
        .and_then(|s| s.split('?').next())
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identifiers_are_checked_with_polish_messages_and_the_input_is_kept() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let before = app.rows("organisation").await;
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str)] = &[
        // nip,          regon,             krs,           message
        ("1234563217",   "",                "",            "Ten NIP jest nieprawidłowy"),
        ("",             "192598183",       "",            "Ten REGON jest nieprawidłowy"),
        ("",             "12345678512348",  "",            "Ten REGON jest nieprawidłowy"),
        ("",             "",                "12345678901", "Numer KRS to do 10 cyfr."),
        ("12345",        "",                "",            "Ten NIP jest nieprawidłowy"),
    ];
    for (nip, regon, krs, message) in cases {
        let r = b
            .submit(
                "/admin/organizacje/nowa",
                "/admin/organizacje/nowa",
                &[
                    ("name", "Fundacja Źródło"),
                    ("legal_form", "fundacja"),
                    ("nip", nip),
                    ("regon", regon),
                    ("krs", krs),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{nip}/{regon}/{krs}"
        );
        assert!(r.body.contains(message), "{message}: {}", r.body);
        assert!(r.body.contains("Popraw błędy w formularzu"));
        assert!(
            r.body.contains("value=\"Fundacja Źródło\""),
            "the name is kept"
        );
    }
    let empty = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[("name", ""), ("legal_form", "")],
        )
        .await;
    assert!(empty.body.contains("To pole jest wymagane."));
    assert!(empty.body.contains("Wybierz jedną z możliwości."));
    assert_eq!(app.rows("organisation").await, before, "nothing saved");

    let ok = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", "Fundacja Źródło"),
                ("legal_form", "fundacja"),
                ("nip", "123-456-32-18"),
                ("regon", "12345678512347"),
                ("krs", "359730"),
                ("local_government", "Płońsk"),
                ("is_opp", "1"),
            ],
        )
        .await;
    // "Płońsk" is two gminy (miejska and wiejska): the message lists both.
    assert_eq!(ok.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(ok.body.contains("Pasuje kilka samorządów"), "{}", ok.body);
    assert!(ok.body.contains("1420011") && ok.body.contains("1420092"));
    let ok = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", "Fundacja Źródło"),
                ("legal_form", "fundacja"),
                ("nip", "123-456-32-18"),
                ("regon", "12345678512347"),
                ("krs", "359730"),
                ("local_government", "1420011"),
                ("is_opp", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let id = id_from(ok.headers["location"].to_str().unwrap());
    let page = b
        .get(&format!("/admin/organizacje/{id}?komunikat=dodano"))
        .await;
    assert!(page.body.contains("Rekord został dodany."));
    assert!(
        page.body.contains("value=\"1234563218\""),
        "stored normalised"
    );
    assert!(page.body.contains("value=\"0000359730\""));

    let dup = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", "Inna nazwa"),
                ("legal_form", "stowarzyszenie"),
                ("nip", "1234563218"),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup
        .body
        .contains("Organizacja z tym numerem NIP już jest w bazie: Fundacja Źródło."));
    assert!(
        dup.body
            .contains(&format!("href=\"/admin/organizacje/{id}\"")),
        "links to the existing record"
    );
    let dup_krs = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", "Inna nazwa"),
                ("legal_form", "stowarzyszenie"),
                ("krs", "0000359730"),
            ],
        )
        .await;
    assert!(dup_krs.body.contains("numerem KRS już jest w bazie"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_ignores_case_and_polish_letters() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    b.submit(
        "/admin/organizacje/nowa",
        "/admin/organizacje/nowa",
        &[
            ("name", "Stowarzyszenie Łódź Żyje"),
            ("legal_form", "stowarzyszenie"),
        ],
    )
    .await;
    b.submit(
        "/admin/osoby/nowa",
        "/admin/osoby/nowa",
        &[
            ("first_name", "Łucja"),
            ("last_name", "Śliwińska"),
            ("group", "ngo"),
            ("email", "lucja@example.org"),
        ],
    )
    .await;
    for (path, want) in [
        ("/admin/organizacje?q=lodz", "Stowarzyszenie Łódź Żyje"),
        (
            "/admin/organizacje?q=%C5%81%C3%93D%C5%B9+%C5%BCyje",
            "Stowarzyszenie Łódź Żyje",
        ),
        ("/admin/osoby?q=sliwinska", "Śliwińska Łucja"),
        ("/admin/osoby?q=LUCJA", "Śliwińska Łucja"),
        ("/admin/jst?q=plonsk", "Płońsk"),
    ] {
        let r = b.get(path).await;
        assert!(r.body.contains(want), "{path}: {}", r.body);
    }
    let none = b.get("/admin/organizacje?q=krakow").await;
    assert!(none.body.contains("0 wyników"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_in_the_audit_log_and_people_appear_only_as_ids() {
    let app = spawn_app().await;
    let b = app.signed_in("admin@example.org", "admin", &[]).await;
    let created = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[("name", "Fundacja Audytowana"), ("legal_form", "fundacja")],
        )
        .await;
    let org = id_from(created.headers["location"].to_str().unwrap());
    let page = format!("/admin/organizacje/{org}");
    b.submit(
        &page,
        &page,
        &[("name", "Fundacja Po Zmianie"), ("legal_form", "fundacja")],
    )
    .await;
    let person = b
        .submit(
            "/admin/osoby/nowa",
            "/admin/osoby/nowa",
            &[
                ("first_name", "Zofia"),
                ("last_name", "Tajna"),
                ("email", "zofia.tajna@example.org"),
                ("group", "ngo"),
                ("organisation", &org.to_string()),
            ],
        )
        .await;
    let pid = id_from(person.headers["location"].to_str().unwrap());
    let ppage = format!("/admin/osoby/{pid}");
    b.submit(
        &ppage,
        &ppage,
        &[
            ("first_name", "Zofia"),
            ("last_name", "Jawna"),
            ("email", "zofia.tajna@example.org"),
            ("group", "ngo"),
        ],
    )
    .await;
    b.submit(
        &ppage,
        &format!("{ppage}/zgody"),
        &[
            ("purpose", "informacje o szkoleniach"),
            ("text_version", "klauzula-2024-01"),
        ],
    )
    .await;
    b.submit(
        &ppage,
        &format!("{ppage}/afiliacje"),
        &[("affiliation_office", "1420011"), ("role", "councillor")],
    )
    .await;
    b.submit(&ppage, &format!("{ppage}/usun"), &[]).await;
    b.submit(&page, &format!("{page}/usun"), &[]).await;

    let orgs = audit(&app, "organisation").await;
    let actions: Vec<&str> = orgs.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(actions, ["create", "update", "delete"]);
    assert!(
        orgs[1]
            .2
            .as_deref()
            .unwrap()
            .contains("Fundacja Audytowana"),
        "before"
    );
    assert!(
        orgs[1]
            .3
            .as_deref()
            .unwrap()
            .contains("Fundacja Po Zmianie"),
        "after"
    );
    let people = audit(&app, "person").await;
    assert_eq!(
        people.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(),
        ["create", "update", "delete"]
    );
    assert!(
        people[1]
            .3
            .as_deref()
            .unwrap()
            .contains("\"changed_personal_fields\":[\"last_name\"]"),
        "{:?}",
        people[1]
    );
    let everything: Vec<String> =
        sqlx::query("SELECT COALESCE(before_json, '') || COALESCE(after_json, '') FROM audit_log")
            .fetch_all(app.db.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
    for text in &everything {
        for secret in ["Zofia", "Tajna", "Jawna", "zofia.tajna"] {
            assert!(!text.contains(secret), "personal data in the log: {text}");
        }
    }
    assert_eq!(audit(&app, "consent").await.len(), 1);
    assert_eq!(audit(&app, "affiliation").await.len(), 1);
    let who: i64 = sqlx::query(
        "SELECT COUNT(*) FROM audit_log WHERE account_id IS NULL AND entity <> 'account'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get(0);
    assert_eq!(who, 0, "every change names who made it");
    let log = b
        .get(&format!(
            "/admin/dziennik?entity=organisation&entity_id={org}"
        ))
        .await;
    assert!(log.body.contains("3 wyniki"), "{}", log.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_in_every_text_field_comes_back_escaped_everywhere() {
    let app = spawn_app().await;
    let b = app.signed_in("admin@example.org", "admin", &[]).await;
    let xss = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    let org = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", xss),
                ("legal_form", "fundacja"),
                ("address", xss),
                ("areas", xss),
                ("local_government", "1420011"),
            ],
        )
        .await;
    assert_eq!(org.status, StatusCode::SEE_OTHER, "{}", org.body);
    let org_page = org.headers["location"].to_str().unwrap().to_owned();
    let person = b
        .submit(
            "/admin/osoby/nowa",
            "/admin/osoby/nowa",
            &[
                ("first_name", xss),
                ("last_name", xss),
                ("phone", ""),
                ("group", "official"),
                ("local_government", "1420011"),
            ],
        )
        .await;
    let person_page = person.headers["location"].to_str().unwrap().to_owned();
    let activity = b
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &[
                ("kind", "training"),
                ("title", xss),
                ("topic", xss),
                ("summary_md", xss),
                ("starts_on", "2026-12-10"),
                ("duration_minutes", "300"),
                ("venue", xss),
                ("local_government", "1420011"),
                ("audience", "ngo"),
                ("co_organiser", xss),
            ],
        )
        .await;
    assert_eq!(activity.status, StatusCode::SEE_OTHER, "{}", activity.body);
    let activity_page = activity.headers["location"].to_str().unwrap().to_owned();
    b.submit(
        "/admin/strony/nowa",
        "/admin/strony/nowa",
        &[
            ("slug", "szkolenia"),
            ("title", xss),
            ("body_md", &format!("{xss} [x](javascript:alert(3))")),
        ],
    )
    .await;
    b.submit(
        "/admin/jst/1420011",
        "/admin/jst/1420011",
        &[("address", xss), ("notes", xss)],
    )
    .await;
    b.submit(
        &person_page,
        &format!("{person_page}/zgody"),
        &[("purpose", xss), ("text_version", xss)],
    )
    .await;

    let trip = b
        .submit(
            "/admin/wyjazdy",
            "/admin/wyjazdy",
            &[
                ("travelled_on", "2024-02-20"),
                ("route", xss),
                ("kilometres", "10"),
            ],
        )
        .await;
    assert_eq!(trip.status, StatusCode::SEE_OTHER);
    let account = b
        .submit(
            "/admin/konta",
            "/admin/konta",
            &[
                ("email", "xss@example.org"),
                ("name", xss),
                ("role", "trainer"),
                ("password", "hasło początkowe 1"),
            ],
        )
        .await;
    assert_eq!(account.status, StatusCode::SEE_OTHER, "{}", account.body);
    let pages = [
        org_page.as_str(),
        "/admin/organizacje",
        person_page.as_str(),
        "/admin/osoby",
        activity_page.as_str(),
        "/admin/dzialania",
        "/admin/strony",
        "/admin/jst/1420011",
        "/admin/dziennik",
        "/admin/wyjazdy",
        "/admin/konta",
        "/szkolenia",
        "/jst/1420011",
        "/jst/1420",
    ];
    for path in pages {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(
            !r.body.contains("<script>alert"),
            "{path} carries a raw script"
        );
        assert!(!r.body.contains("<img src=x"), "{path} carries a raw tag");
        assert!(
            !r.body.to_lowercase().contains("javascript:"),
            "{path} carries a script link"
        );
    }
    let training = app.get("/szkolenia").await.body;
    assert!(
        training.contains("&#60;script&#62;alert(1)"),
        "shown as text"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attendance_recorded_in_the_back_office_moves_the_public_counters() {
    let app = spawn_app().await;
    let b = app.signed_in("trenerka@example.org", "trainer", &[]).await;
    let before = app.stats("").await;
    let home_before = counter(&app.get("/").await.body, "recipients");
    let made = b
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &[
                ("kind", "training"),
                ("title", "Szkolenie z budżetu obywatelskiego"),
                // Inside the demo project's period (to 29 February 2024).
                ("starts_on", "2024-02-10"),
                ("duration_minutes", "300"),
                ("venue", "Płońsk"),
                ("local_government", "1420011"),
                ("audience", "ngo"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let activity = made.redirected_to();

    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    let person = admin
        .submit(
            "/admin/osoby/nowa",
            "/admin/osoby/nowa",
            &[
                ("first_name", "Jan"),
                ("last_name", "Nowicjusz"),
                ("email", "jan.nowicjusz@example.org"),
                ("group", "ngo"),
            ],
        )
        .await;
    assert_eq!(person.status, StatusCode::SEE_OTHER);
    let sheet = format!("{activity}/obecnosc");
    let added = b
        .submit(&sheet, &sheet, &[("person", "jan.nowicjusz@example.org")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let unknown = b
        .submit(&sheet, &sheet, &[("person", "nikt@example.org")])
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("Nie znaleziono osoby"));

    let after = app.stats("").await;
    assert_eq!(
        after["recipients"].as_i64().unwrap(),
        before["recipients"].as_i64().unwrap() + 1
    );
    assert_eq!(
        after["trainings"].as_i64().unwrap(),
        before["trainings"].as_i64().unwrap() + 1
    );
    assert_eq!(
        after["hours"].as_f64().unwrap(),
        before["hours"].as_f64().unwrap() + 5.0
    );
    assert_eq!(
        counter(&app.get("/").await.body, "recipients"),
        home_before + 1.0,
        "the home page follows"
    );

    let sheet_page = b.get(&sheet).await;
    let pid = sheet_page
        .body
        .split("/obecnosc/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let removed = b.submit(&sheet, &format!("{sheet}/{pid}/usun"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stats("").await["recipients"],
        before["recipients"],
        "and back"
    );
    assert_eq!(audit(&app, "attendance").await.len(), 2);

    // Another trainer's activity is out of reach.
    let other = app
        .signed_in("inny.trenerka@example.org", "trainer", &[])
        .await;
    assert_eq!(other.get(&activity).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_export_as_filtered_to_csv_and_xlsx() {
    let app = spawn_app().await;
    let b = app.signed_in("admin@example.org", "admin", &[]).await;
    b.submit(
        "/admin/organizacje/nowa",
        "/admin/organizacje/nowa",
        &[
            ("name", "Fundacja Eksportowa Zażółć"),
            ("legal_form", "fundacja"),
            ("nip", "1234563218"),
        ],
    )
    .await;
    let csv = b.get("/admin/organizacje?q=eksportowa&format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("organizacje.csv"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "header and the one filtered row: {lines:?}");
    assert!(
        lines[1].starts_with("Fundacja Eksportowa Zażółć,fundacja,1234563218"),
        "{}",
        lines[1]
    );
    let all = b.get("/admin/organizacje?format=csv").await;
    assert!(
        all.body.lines().count() > 10,
        "unfiltered: every organisation"
    );
    let (status, xlsx) = b
        .get_bytes("/admin/organizacje?q=eksportowa&format=xlsx")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&xlsx[..2], b"PK", "an XLSX file is a zip");
    let people = b.get("/admin/osoby?grupa=official&format=csv").await;
    assert!(
        people
            .body
            .lines()
            .skip(1)
            .all(|l| l.contains("urzędniczki i urzędnicy")),
        "{}",
        people.body
    );
    assert_eq!(
        b.get("/admin/osoby?format=pdf").await.status,
        StatusCode::BAD_REQUEST
    );
    let sheet = b.get("/admin/dzialania/1/obecnosc?format=csv").await;
    assert_eq!(sheet.status, StatusCode::OK);
    let attendees: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attendance WHERE activity_id = 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        sheet.body.lines().count() as i64,
        attendees + 1,
        "every attendee, not one page"
    );
    let accounts = b.get("/admin/konta?format=csv").await;
    assert!(
        accounts.body.contains("admin@example.org"),
        "{}",
        accounts.body
    );
    let pages = b.get("/admin/strony?format=xlsx").await;
    assert_eq!(pages.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_edited_in_markdown_is_previewed_sanitised_and_shown_on_the_site() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let preview = b
        .submit(
            "/admin/strony/nowa",
            "/admin/strony/nowa",
            &[
                ("slug", "szkolenia"),
                ("title", "Szkolenia"),
                ("body_md", "**Zapraszamy** na <b>szkolenia</b>."),
                ("preview", "1"),
            ],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.body.contains("<strong>Zapraszamy</strong>"),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("&lt;b&gt;szkolenia&lt;/b&gt;"));
    let before = app.rows("page").await;
    let taken = b
        .submit(
            "/admin/strony/nowa",
            "/admin/strony/nowa",
            &[
                ("slug", "szkolenia"),
                ("title", "Szkolenia"),
                ("body_md", "x"),
            ],
        )
        .await;
    assert_eq!(
        taken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the demo has this page"
    );
    assert!(taken.body.contains("Strona o tym adresie już istnieje."));
    assert_eq!(app.rows("page").await, before);
    let list = b.get("/admin/strony").await;
    let row = list
        .body
        .split("<tr>")
        .find(|r| r.contains("/szkolenia<"))
        .expect("the page is listed");
    let id = row
        .split("/admin/strony/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let path = format!("/admin/strony/{id}");
    let saved = b
        .submit(
            &path,
            &path,
            &[
                ("slug", "szkolenia"),
                ("title", "Szkolenia"),
                ("body_md", "**Zapraszamy** na szkolenia z ustawy."),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = app.get("/szkolenia").await;
    assert!(
        public
            .body
            .contains("<strong>Zapraszamy</strong> na szkolenia z ustawy."),
        "the public page follows the edit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trip_is_added_corrected_and_deleted_after_confirmation_and_kilometres_follow() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let km = app.stats("").await["kilometres"].as_f64().unwrap();
    let bad = b
        .submit(
            "/admin/wyjazdy",
            "/admin/wyjazdy",
            &[
                ("travelled_on", "1.03.2024"),
                ("route", ""),
                ("kilometres", "-5"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Podaj datę w postaci RRRR-MM-DD"));
    assert!(bad.body.contains("Podaj liczbę całkowitą od 0 do 10000."));
    let added = b
        .submit(
            "/admin/wyjazdy",
            "/admin/wyjazdy",
            &[
                ("travelled_on", "2024-02-20"),
                ("route", "Warszawa – Ciechanów"),
                ("kilometres", "200"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stats("").await["kilometres"].as_f64().unwrap(),
        km + 200.0
    );
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM trip")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let page = format!("/admin/wyjazdy/{id}");
    let fixed = b
        .submit(
            &page,
            &page,
            &[
                ("travelled_on", "2024-02-20"),
                ("route", "Warszawa – Ciechanów – Warszawa"),
                ("kilometres", "210"),
            ],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stats("").await["kilometres"].as_f64().unwrap(),
        km + 210.0
    );
    let confirm = b.get(&format!("{page}/usun")).await;
    assert!(
        confirm.body.contains("Usunąć wyjazd z 20 lutego 2024"),
        "{}",
        confirm.body
    );
    let deleted = b
        .submit(&format!("{page}/usun"), &format!("{page}/usun"), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(app.stats("").await["kilometres"].as_f64().unwrap(), km);
    let actions: Vec<String> = audit(&app, "trip").await.into_iter().map(|a| a.0).collect();
    assert_eq!(actions, ["create", "update", "delete"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_is_kept_for_a_jst_and_bad_addresses_are_refused() {
    let app = spawn_app().await;
    let b = app
        .signed_in("partner.plonsk@example.org", "partner", &["1420"])
        .await;
    let bad = b
        .submit(
            "/admin/jst/1420011",
            "/admin/jst/1420011",
            &[
                ("address", "ul. Płońska 39"),
                ("email", "urzad"),
                ("website", "plonsk.pl"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad
        .body
        .contains("Podaj adres e-mail w postaci nazwa@domena.pl."));
    assert!(bad.body.contains("Adres strony zaczyna się od https://"));
    assert!(bad.body.contains(">ul. Płońska 39</textarea>"), "kept");
    let ok = b
        .submit(
            "/admin/jst/1420011",
            "/admin/jst/1420011",
            &[
                ("address", "ul. Płońska 39, 09-100 Płońsk"),
                ("email", "urzad@plonsk.pl"),
                ("bip", "https://bip.plonsk.pl"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = b.get("/admin/jst/1420011").await;
    assert!(page
        .body
        .contains(">ul. Płońska 39, 09-100 Płońsk</textarea>"));
    assert_eq!(
        b.get("/admin/jst/1417021").await.status,
        StatusCode::FORBIDDEN,
        "Otwock is not theirs"
    );
    assert_eq!(audit(&app, "office").await.len(), 1);
}
