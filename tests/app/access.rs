//! Who may do what: the role × action matrix, and partner scoping.

use reqwest::StatusCode;

use crate::browser::{csrf, Browser};
use crate::helpers::{spawn_app, TestApp};
use koalicja::domain::records::{LegalForm, Organisation};

const OK: u16 = 200;
const MOVED: u16 = 303;
const NO: u16 = 403;

/// Method, path, form fields, and the status each role gets.
type Row<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], [u16; 5]);

/// An organisation in a gmina, created as the system would (account 1).
async fn organisation(app: &TestApp, name: &str, jst: &str) -> i64 {
    let o = Organisation {
        name: name.into(),
        legal_form: LegalForm::Association,
        krs: None,
        nip: None,
        regon: None,
        address: String::new(),
        is_opp: false,
        areas: String::new(),
    };
    koalicja::store::organisations::save(
        &app.db,
        1,
        None,
        &o,
        Some(jst),
        "2026-11-28T10:00:00Z".parse().unwrap(),
    )
    .await
    .expect("saved")
    .expect("no other organisation has its numbers")
}

async fn status(b: &Browser<'_>, method: &str, path: &str, fields: &[(&str, &str)]) -> u16 {
    match method {
        "GET" => b.get(path).await.status.as_u16(),
        _ => {
            let token = csrf(&b.get("/admin").await.body);
            let mut all = vec![("csrf", token.as_str())];
            all.extend_from_slice(fields);
            b.post(path, &all).await.status.as_u16()
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_reaches_exactly_what_the_matrix_says() {
    let app = spawn_app().await;
    app.account("root@example.org", "admin", &[]).await;
    let otwock = organisation(&app, "Stowarzyszenie Otwockie", "1417021").await;
    let roles = ["admin", "coordinator", "partner", "trainer", "advisor"];
    let mut browsers = Vec::new();
    for role in roles {
        let areas: &[&str] = if role == "partner" { &["1420"] } else { &[] };
        browsers.push(
            app.signed_in(&format!("{role}@example.org"), role, areas)
                .await,
        );
    }
    let org_path = format!("/admin/organizacje/{otwock}");
    let org = [
        ("name", "Nowa Fundacja"),
        ("legal_form", "fundacja"),
        ("local_government", "1420011"),
    ];
    let edit = [
        ("name", "Stowarzyszenie Otwockie"),
        ("legal_form", "stowarzyszenie"),
        ("local_government", "1417021"),
    ];
    let trip = [
        ("travelled_on", "2024-03-01"),
        ("route", "Warszawa – Płońsk"),
        ("kilometres", "140"),
    ];
    let account = [
        ("email", "nowy@example.org"),
        ("name", "Nowy"),
        ("role", "trainer"),
        ("password", "hasło początkowe 1"),
    ];
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        //                                       admin  coord  partner trainer advisor
        ("GET",  "/admin",                  &[], [OK,    OK,    OK,     OK,     OK]),
        ("GET",  "/admin/organizacje",      &[], [OK,    OK,    OK,     NO,     OK]),
        ("GET",  "/admin/osoby",            &[], [OK,    OK,    OK,     NO,     OK]),
        ("GET",  "/admin/jst",              &[], [OK,    OK,    OK,     OK,     OK]),
        ("GET",  "/admin/dzialania",        &[], [OK,    OK,    OK,     OK,     NO]),
        ("GET",  "/admin/wyjazdy",          &[], [OK,    OK,    NO,     NO,     NO]),
        ("GET",  "/admin/strony",           &[], [OK,    OK,    NO,     NO,     NO]),
        ("GET",  "/admin/import",           &[], [OK,    OK,    NO,     NO,     NO]),
        ("GET",  "/admin/konta",            &[], [OK,    NO,    NO,     NO,     NO]),
        ("GET",  "/admin/dziennik",         &[], [OK,    NO,    NO,     NO,     NO]),
        ("GET",  &org_path,                 &[], [OK,    OK,    NO,     NO,     OK]),
        ("POST", &org_path,                 &edit, [MOVED, MOVED, NO,    NO,     MOVED]),
        ("POST", "/admin/organizacje/nowa", &org, [MOVED, MOVED, MOVED,  NO,     MOVED]),
        ("POST", "/admin/wyjazdy",          &trip, [MOVED, MOVED, NO,    NO,     NO]),
        ("POST", "/admin/konta",            &account, [MOVED, NO, NO,     NO,     NO]),
    ];
    let mut wrong = Vec::new();
    for (method, path, fields, expected) in &table {
        for (i, b) in browsers.iter().enumerate() {
            // Organisations without NIP never clash; only admins create accounts.
            let got = status(b, method, path, fields).await;
            if got != expected[i] {
                wrong.push(format!(
                    "{method} {path} as {}: {got}, expected {}",
                    roles[i], expected[i]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plonsk_partner_sees_only_plonsk_records_and_cannot_touch_otwock() {
    let app = spawn_app().await;
    let plonsk = organisation(&app, "Fundacja Płońska Zażółć", "1420011").await;
    let otwock = organisation(&app, "Stowarzyszenie Otwockie", "1417021").await;
    let b = app
        .signed_in("partner.plonsk@example.org", "partner", &["1420"])
        .await;

    let list = b.get("/admin/organizacje?q=a").await;
    assert!(
        list.body.contains("Fundacja Płońska Zażółć"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("Stowarzyszenie Otwockie"));
    assert_eq!(
        b.get(&format!("/admin/organizacje/{plonsk}")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        b.get(&format!("/admin/organizacje/{otwock}")).await.status,
        StatusCode::FORBIDDEN
    );
    let edit = b
        .submit(
            &format!("/admin/organizacje/{plonsk}"),
            &format!("/admin/organizacje/{otwock}"),
            &[("name", "Przejęte"), ("legal_form", "fundacja")],
        )
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    let moved = b
        .submit(
            &format!("/admin/organizacje/{plonsk}"),
            &format!("/admin/organizacje/{plonsk}"),
            &[
                ("name", "Fundacja Płońska"),
                ("legal_form", "fundacja"),
                ("local_government", "1417021"),
            ],
        )
        .await;
    assert_eq!(
        moved.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "cannot move a record out of the area"
    );
    assert!(moved.body.contains("Wybierz JST ze swojego obszaru."));
    let name: String =
        sqlx::query_scalar::<_, String>("SELECT name FROM organisation WHERE id = $1")
            .bind(otwock)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(name, "Stowarzyszenie Otwockie", "nothing changed");

    // The JST list and exports follow the same scope.
    let jst = b.get("/admin/jst?q=otwock").await;
    assert!(jst.body.contains("0 wyników"), "{}", jst.body);
    let csv = b.get("/admin/organizacje?format=csv").await;
    assert!(csv.body.contains("Fundacja Płońska"));
    assert!(!csv.body.contains("Otwock"));
}
