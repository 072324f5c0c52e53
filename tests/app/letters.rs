//! Letters to a JST: addressed to its organ with its office's postal
//! address, from the sender and signatory of the configuration; dates of
//! sending that cannot be; the reporter's description only with their
//! permission; the demo's open cases with letters due around the day it
//! was loaded.

use koalicja::config::Settings;
use koalicja::store::Db;
use reqwest::StatusCode;
use sqlx::Row;

use crate::browser::Browser;
use crate::cases::{
    case_id, case_in, dashboard, filed, led_case, letter, letter_step, problem, report,
};
use crate::certificates::{flat, pdf_text};
use crate::helpers::{between, spawn_app, spawn_with, TestApp, TestDatabase};

/// The demo on a server whose letters come from a named sender.
async fn with_sender() -> TestApp {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.expect("database opens");
    db.migrate().await.expect("migrations run");
    let settings = Settings {
        sender_name: "Fundacja Dialogu Lokalnego".into(),
        sender_address: vec!["ul. Koszykowa 24 lok. 3".into(), "00-553 Warszawa".into()],
        sender_email: "pisma@dialog.example.org".into(),
        signatory: "Anna Czyżewska".into(),
        signatory_function: "Prezeska Zarządu".into(),
        ..Settings::local(database.dir.path())
    };
    koalicja::demo::load(&db, "2026-11-28T00:00:00Z", &settings)
        .await
        .expect("demo loads");
    spawn_with(database, db, settings).await
}

/// Saves an office's record as staff would: organ and office name (empty:
/// by the kind of JST) and the postal address.
async fn save_office(admin: &Browser<'_>, teryt: &str, organ: &str, name: &str, address: &str) {
    let page = format!("/admin/jst/{teryt}");
    let saved = admin
        .submit(
            &page,
            &page,
            &[
                ("organ", organ),
                ("office_name", name),
                ("address", address),
                ("email", ""),
                ("website", ""),
                ("bip", ""),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letter_names_the_organ_its_office_and_postal_address_and_the_configured_sender() {
    let app = with_sender().await;
    let admin = app.signed_in("admin-jst@example.org", "admin", &[]).await;
    let advisor = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    // A rural gmina, a town's gmina, a city with powiat rights, a powiat.
    for (teryt, organ, office, street, town) in [
        (
            "1420092",
            "Wójt Gminy Płońsk",
            "Urząd Gminy Płońsk",
            "ul. Płocka 39",
            "09-100 Płońsk",
        ),
        (
            "1420011",
            "Burmistrz Miasta Płońsk",
            "Urząd Miasta Płońsk",
            "ul. Płocka 39a",
            "09-100 Płońsk",
        ),
        (
            "1462",
            "Prezydent Miasta Płock",
            "Urząd Miasta Płock",
            "Stary Rynek 1",
            "09-400 Płock",
        ),
        (
            "1420",
            "Starosta Płoński",
            "Starostwo Powiatowe",
            "ul. Płocka 39b",
            "09-100 Płońsk",
        ),
    ] {
        save_office(&admin, teryt, "", "", &format!("{street}\n{town}")).await;
        let (number, case) = case_in(&app, teryt, false).await;
        let text = letter(&advisor, &case, "explanations").await;
        for expected in [
            organ,
            office,
            street,
            town,
            "Fundacja Dialogu Lokalnego",
            "ul. Koszykowa 24 lok. 3",
            "00-553 Warszawa",
            "e-mail: pisma@dialog.example.org",
            "Z poważaniem Anna Czyżewska Prezeska Zarządu",
            &format!("Znak: {number}"),
            // The sentences read right with their placeholders filled in.
            "w sprawie nieuchwalenia lub braku konsultacji rocznego programu współpracy",
            "Sprawę zgłosiła nam organizacja pozarządowa działająca na Państwa terenie",
            "Odpowiedź prosimy przesłać na adres poczty elektronicznej pisma@dialog.example.org.",
        ] {
            assert!(text.contains(expected), "{teryt}: {expected}: {text}");
        }
        assert!(!text.contains("{{"), "every placeholder filled: {text}");
        assert!(!text.contains("otrzymaliśmy od:"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_correct_an_offices_organ_and_name_and_the_next_letter_uses_them() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin-jst@example.org", "admin", &[]).await;
    let form = admin.get("/admin/jst/1420011").await;
    assert!(
        form.body.contains("Puste: Burmistrz Miasta Płońsk."),
        "the default is shown: {}",
        form.body
    );
    save_office(
        &admin,
        "1420011",
        "Burmistrz Miasta Płońska",
        "Urząd Miejski w Płońsku",
        "ul. Płocka 39; 09-100 Płońsk",
    )
    .await;
    let audited: String = sqlx::query(
        "SELECT after_json FROM audit_log WHERE entity = 'office' AND entity_id = '1420011' \
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get(0);
    assert!(audited.contains("Urząd Miejski w Płońsku"), "{audited}");

    let advisor = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    let (_, case) = case_in(&app, "1420011", false).await;
    let text = letter(&advisor, &case, "public_information").await;
    assert!(
        text.contains(
            "Burmistrz Miasta Płońska Urząd Miejski w Płońsku ul. Płocka 39 09-100 Płońsk"
        ),
        "{text}"
    );
    assert!(!text.contains("Burmistrz Miasta Płońsk "), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_before_the_letters_date_or_delivery_before_sending_is_refused_with_the_input_kept()
{
    let app = spawn_app().await;
    let (number, case, b) = led_case(&app).await;
    letter(&b, &case, "explanations").await; // dated 28 November 2026

    let early = letter_step(
        &b,
        &case,
        "wysylka",
        &[
            ("via", "post"),
            ("sent_on", "2026-11-27"),
            ("delivered_on", "2026-11-30"),
        ],
    )
    .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early.body.contains(
            "Pismo nie mogło zostać wysłane przed datą, którą nosi (28 listopada 2026 r.)."
        ),
        "{}",
        early.body
    );
    assert!(early.body.contains("value=\"2026-11-27\""), "input kept");
    assert!(early.body.contains("value=\"2026-11-30\""), "input kept");

    let undelivered = letter_step(
        &b,
        &case,
        "wysylka",
        &[
            ("via", "post"),
            ("sent_on", "2026-11-30"),
            ("delivered_on", "2026-11-29"),
        ],
    )
    .await;
    assert_eq!(undelivered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(undelivered.body.contains(
        "Data doręczenia nie może być wcześniejsza niż data wysłania (30 listopada 2026 r.)."
    ));
    assert!(
        undelivered.body.contains("value=\"2026-11-29\""),
        "input kept"
    );
    let nothing: Option<String> = sqlx::query("SELECT sent_on FROM letter")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.get::<Option<String>, _>(0))
        .find(|d| d.as_str() > "2026-11-26");
    assert_eq!(nothing, None, "nothing recorded");

    let sent = letter_step(
        &b,
        &case,
        "wysylka",
        &[
            ("via", "post"),
            ("sent_on", "2026-11-28"),
            ("delivered_on", "2026-11-30"),
        ],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // A reminder names the letter it follows, in a sentence that reads
    // right; it was no request for public information, so no word of a
    // complaint about inaction.
    letter(&b, &case, "reminder").await;
    let text = last_letter(&b, &case).await;
    assert!(
        text.contains(&format!(
            "w nawiązaniu do naszego pisma z dnia 28 listopada 2026 r. (znak: {number}) w sprawie \
             nieuchwalenia lub braku konsultacji rocznego programu współpracy z organizacjami \
             pozarządowymi uprzejmie przypominamy"
        )),
        "{text}"
    );
    assert!(!text.contains("{{"), "{text}");
    assert!(!text.contains("bezczynność"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reporters_description_goes_into_a_letter_only_when_they_allowed_it() {
    let app = spawn_app().await;
    let form = app.get("/interwencje/zgloszenie").await;
    assert!(
        form.body
            .contains("Zgadzam się, by pismo do urzędu przytaczało opis problemu"),
        "the form asks: {}",
        form.body
    );
    let advisor = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;

    let (_, withheld) = case_in(&app, "1420092", true).await;
    let text = letter(&advisor, &withheld, "explanations").await;
    assert!(!text.contains("Rada gminy nie uchwaliła"), "{text}");
    assert!(
        text.contains("Treść zgłoszenia pozostaje do naszej wiadomości"),
        "{text}"
    );

    let b = Browser::new(&app);
    let mut fields = problem("1420092", "programme_not_adopted", false);
    fields.push(("share", "1"));
    let number = filed(&b, &report(&b, &fields, vec![]).await).await;
    let shared = format!("/admin/sprawy/{}", case_id(&app, &number).await);
    let text = letter(&advisor, &shared, "explanations").await;
    assert!(
        text.contains(
            "W zgłoszeniu czytamy: „Rada gminy nie uchwaliła programu współpracy na 2027 rok do 30 listopada.”"
        ),
        "{text}"
    );
    assert!(
        !text.contains("Przyjaciół Ziemi Płońskiej"),
        "sharing the description does not name the organisation: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demos_open_cases_have_letters_overdue_and_due_soon_on_the_dashboard() {
    let app = spawn_app().await;
    let b = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    let board = b.get("/admin/sprawy/terminy").await;
    assert_eq!(board.status, StatusCode::OK);
    let (overdue, soon) = dashboard(&board.body);
    // Loaded on 28 November 2026: a letter e-mailed on 1 November was due
    // on 16 November; one sent through ePUAP on 17 November is due on
    // 1 December.
    assert!(overdue.contains("INT/2026/001"), "{overdue}");
    assert!(overdue.contains("16 listopada 2026"), "{overdue}");
    assert!(soon.contains("INT/2026/002"), "{soon}");
    assert!(soon.contains("1 grudnia 2026"), "{soon}");

    // The letters themselves, as they were sent, are on the cases' pages.
    let text = demo_letter(&app, &b, "INT/2026/001").await;
    assert!(
        text.contains("Wójt Gminy Płońsk Urząd Gminy Płońsk"),
        "{text}"
    );
    assert!(text.contains("Znak: INT/2026/001"), "{text}");
    let text = demo_letter(&app, &b, "INT/2026/002").await;
    assert!(
        text.contains("Prezydent Miasta Płock Urząd Miasta Płock Stary Rynek 1 09-400 Płock"),
        "{text}"
    );
    let text = demo_letter(&app, &b, "INT/2026/003").await;
    assert!(
        text.contains("Starosta Płoński Starostwo Powiatowe w Płońsku ul. Płocka 39"),
        "{text}"
    );
}

/// The text of the latest letter on a case's page.
async fn last_letter(b: &Browser<'_>, case: &str) -> String {
    let page = b.get(case).await;
    let table = between(&page.body, "Pisma do urzędu", "</table>").expect("the letters");
    let href = table
        .rsplit("<a href=\"")
        .next()
        .and_then(|t| t.split('"').next())
        .expect("a link to the letter")
        .to_owned();
    let (status, bytes) = b.get_bytes(&href).await;
    assert_eq!(status, StatusCode::OK);
    flat(&pdf_text(&bytes))
}

/// The text of the letter of the demo's case `number`.
async fn demo_letter(app: &TestApp, b: &Browser<'_>, number: &str) -> String {
    let case = format!("/admin/sprawy/{}", case_id(app, number).await);
    let page = b.get(&case).await;
    let href = between(&page.body, "Pisma do urzędu", "</table>")
        .and_then(|t| between(&t, "<a href=\"", "\""))
        .expect("a link to the letter");
    let (status, bytes) = b.get_bytes(&href).await;
    assert_eq!(status, StatusCode::OK);
    flat(&pdf_text(&bytes))
}
