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
    case_id, case_in, dashboard, filed, led_case, letter, letter_dated, letter_step, problem,
    report,
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
        ..crate::helpers::local_settings(database.dir.path())
    };
    koalicja::demo::load(&db, "2026-11-28T00:00:00Z".parse().unwrap(), &settings)
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
            ("sent_on", "2026-11-28"),
            ("delivered_on", "2026-11-27"),
        ],
    )
    .await;
    assert_eq!(undelivered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(undelivered.body.contains(
        "Data doręczenia nie może być wcześniejsza niż data wysłania (28 listopada 2026 r.)."
    ));
    assert!(
        undelivered.body.contains("value=\"2026-11-27\""),
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
            ("delivered_on", "2026-11-28"),
        ],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    // The reply is due on 14 December; from the 15th a reminder may follow.
    app.clock.advance(17 * 24 * 3600);
    b.sign_in("doradczyni@example.org").await;
    // A reminder names the letter it follows, in a sentence that reads
    // right; it was no request for public information, so no word of a
    // complaint about inaction.
    letter_dated(&b, &case, "reminder", "2026-12-15").await;
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

/// The letter form posted with these values; the template's own title.
async fn make_letter(
    b: &Browser<'_>,
    case: &str,
    template: &str,
    dated_on: &str,
    body: &str,
    function: &str,
) -> crate::helpers::Reply {
    let draft = format!("{case}/pismo?szablon={template}");
    b.submit(
        &draft,
        &format!("{case}/pismo"),
        &[
            ("template", template),
            ("title", "Prośba o wyjaśnienia"),
            ("dated_on", dated_on),
            ("body", body),
            ("signatory_function", function),
        ],
    )
    .await
}

async fn letters_made(app: &TestApp) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM letter")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_comes_only_after_a_sent_letters_deadline_and_no_placeholder_reaches_a_pdf() {
    let app = spawn_app().await;
    let (_, case, b) = led_case(&app).await;
    let page = b.get(&case).await.body;
    assert!(!page.contains("Nowe pismo: Przypomnienie"), "{page}");
    assert!(
        page.contains("żadne pismo nie zostało jeszcze wysłane"),
        "{page}"
    );
    let refused = b.get(&format!("{case}/pismo?szablon=reminder")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    // A placeholder left in the text stops the letter, the text kept.
    let before = letters_made(&app).await;
    let body = "W nawiązaniu do pisma z dnia {{poprzednie_pismo}} przypominamy o sprawie.";
    let left = make_letter(&b, &case, "explanations", "2026-11-28", body, "").await;
    assert_eq!(left.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        left.body
            .contains("W treści zostało pole {{poprzednie_pismo}}"),
        "{}",
        left.body
    );
    assert!(
        left.body.contains("przypominamy o sprawie.</textarea>"),
        "kept"
    );
    assert_eq!(letters_made(&app).await, before, "no letter made");

    // Sent on 28 November: the reply is due on 14 December (the 12th is a
    // Saturday); a reminder only from the 15th.
    letter(&b, &case, "explanations").await;
    let sent = letter_step(
        &b,
        &case,
        "wysylka",
        &[
            ("via", "email"),
            ("sent_on", "2026-11-28"),
            ("delivered_on", ""),
        ],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = b.get(&case).await.body;
    assert!(!page.contains("Nowe pismo: Przypomnienie"), "{page}");
    assert!(
        page.contains("przypomnienie będzie można przygotować od 15 grudnia 2026 r."),
        "{page}"
    );
    let early = b.get(&format!("{case}/pismo?szablon=reminder")).await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
    assert!(early.body.contains("15 grudnia 2026 r."), "{}", early.body);

    app.clock.advance(17 * 24 * 3600);
    b.sign_in("doradczyni@example.org").await;
    let page = b.get(&case).await.body;
    assert!(page.contains("Nowe pismo: Przypomnienie"), "{page}");
    // Written late, but dated before the deadline it recalls: refused.
    let backdated = make_letter(&b, &case, "reminder", "2026-11-29", "Przypominamy.", "").await;
    assert_eq!(backdated.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        backdated
            .body
            .contains("Data przypomnienia: Na odpowiedź urzędu czekamy jeszcze do"),
        "{}",
        backdated.body
    );
    letter_dated(&b, &case, "reminder", "2026-12-15").await;
    let text = last_letter(&b, &case).await;
    assert!(text.contains("z dnia 28 listopada 2026 r."), "{text}");
    assert!(!text.contains("{{"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_of_a_letter_and_its_sending_stay_between_the_report_and_today() {
    let app = spawn_app().await;
    let (_, case, b) = led_case(&app).await; // reported on 28 November 2026
    let body = "Prosimy o wyjaśnienia.";
    let old = make_letter(&b, &case, "explanations", "2020-01-01", body, "").await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        old.body.contains(
            "Pismo nie może nosić daty wcześniejszej niż dzień zgłoszenia sprawy (28 listopada 2026 r.)."
        ),
        "{}",
        old.body
    );
    assert!(old.body.contains("value=\"2020-01-01\""), "input kept");
    let future = make_letter(&b, &case, "explanations", "2026-12-05", body, "").await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future
        .body
        .contains("Pismo nie może nosić daty późniejszej niż dzisiejsza (28 listopada 2026 r.)."));
    assert_eq!(letters_made(&app).await, 3, "only the demo's letters");

    letter(&b, &case, "explanations").await;
    let page = b.get(&case).await.body;
    assert!(
        page.contains("przy poczcie jest wymagana: wpisz datę z potwierdzenia odbioru"),
        "the form says post needs its delivery: {page}"
    );
    for (via, sent_on, delivered_on, message) in [
        (
            "email",
            "2026-12-05",
            "",
            "Data wysłania nie może być późniejsza niż dzisiejsza (28 listopada 2026 r.).",
        ),
        (
            "epuap",
            "2026-11-28",
            "2026-12-01",
            "Data doręczenia nie może być późniejsza niż dzisiejsza (28 listopada 2026 r.).",
        ),
        (
            "post",
            "2026-11-28",
            "",
            "Przy wysyłce pocztą wpisz datę doręczenia z potwierdzenia odbioru",
        ),
    ] {
        let refused = letter_step(
            &b,
            &case,
            "wysylka",
            &[
                ("via", via),
                ("sent_on", sent_on),
                ("delivered_on", delivered_on),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{via}");
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
        assert!(
            refused.body.contains(&format!("value=\"{sent_on}\"")),
            "kept"
        );
    }
    let sent: Option<String> = sqlx::query("SELECT MAX(sent_on) FROM letter WHERE case_id = $1")
        .bind(case.rsplit('/').next().unwrap().parse::<i64>().unwrap())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(sent, None, "nothing recorded");

    // A new case is taken under review before its letter is sent.
    let (_, fresh) = case_in(&app, "1420011", false).await;
    letter(&b, &fresh, "explanations").await;
    let new = letter_step(
        &b,
        &fresh,
        "wysylka",
        &[
            ("via", "email"),
            ("sent_on", "2026-11-28"),
            ("delivered_on", ""),
        ],
    )
    .await;
    assert_eq!(new.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        new.body
            .contains("Najpierw zmień stan sprawy na „w analizie”."),
        "{}",
        new.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_letter_needs_its_offices_postal_address_and_the_demos_offices_say_they_are_invented() {
    let app = spawn_app().await;
    // Every JST the demo's cases write to has an address.
    let missing: i64 = sqlx::query(
        "SELECT COUNT(*) FROM case_file c LEFT JOIN office o ON o.local_government = c.local_government \
         WHERE c.local_government IS NOT NULL AND (o.address IS NULL OR o.address = '')",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get(0);
    assert_eq!(missing, 0);
    let advisor = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    let demo = format!("/admin/sprawy/{}", case_id(&app, "INT/2026/001").await);
    let draft = advisor
        .get(&format!("{demo}/pismo?szablon=explanations"))
        .await;
    assert!(
        draft.body.contains("Z karty urzędu: Dane przykładowe"),
        "{}",
        draft.body
    );
    let admin = app.signed_in("admin-jst@example.org", "admin", &[]).await;
    let record = admin.get("/admin/jst/1420092").await.body;
    assert!(record.contains("Notatki: Dane przykładowe"), "{record}");
    assert!(record.contains("ul. Płocka 39"), "{record}");

    // Powiat otwocki has no office record: no letter until it has an
    // address, and the page says where to give it.
    let (_, case) = case_in(&app, "1417", false).await;
    let draft = advisor
        .get(&format!("{case}/pismo?szablon=explanations"))
        .await;
    assert!(
        draft.body.contains("href=\"/admin/jst/1417\""),
        "{}",
        draft.body
    );
    assert!(draft.body.contains("Uzupełnij adres na karcie JST"));
    let before = letters_made(&app).await;
    let made = make_letter(&advisor, &case, "explanations", "2026-11-28", "Treść.", "").await;
    assert_eq!(made.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(made.body.contains("Uzupełnij adres na karcie JST"));
    assert!(made.body.contains("Treść.</textarea>"), "input kept");
    assert_eq!(letters_made(&app).await, before);

    save_office(&admin, "1417", "", "", "ul. Komunardów 10\n05-400 Otwock").await;
    let text = letter(&advisor, &case, "explanations").await;
    assert!(
        text.contains("Starosta Otwocki Starostwo Powiatowe ul. Komunardów 10 05-400 Otwock"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_category_cites_its_provisions_and_the_signatorys_function_is_typed_per_letter() {
    let app = spawn_app().await;
    crate::cases::office(&app).await;
    let b = Browser::new(&app);
    let number = filed(
        &b,
        &report(&b, &problem("1420011", "transparency", false), vec![]).await,
    )
    .await;
    let case = format!("/admin/sprawy/{}", case_id(&app, &number).await);
    let advisor = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    let text = letter(&advisor, &case, "explanations").await;
    assert!(text.contains("art. 5a ust. 3"), "{text}");
    assert!(!text.contains("art. 5a ust. 1"), "{text}");
    // With no function configured, none is printed.
    assert!(
        text.trim_end().ends_with("Z poważaniem Ewa Żółkiewska"),
        "{text}"
    );

    let page = advisor
        .get(&format!("{case}/pismo?szablon=explanations"))
        .await;
    assert!(page.body.contains("Funkcja osoby podpisującej"));
    let made = make_letter(
        &advisor,
        &case,
        "explanations",
        "2026-11-28",
        "Prosimy o wyjaśnienia.",
        "Koordynatorka projektu",
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let kept: String =
        sqlx::query("SELECT signatory_function FROM letter ORDER BY id DESC LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get(0);
    assert_eq!(kept, "Koordynatorka projektu");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_and_the_case_page_name_jsts_dates_and_states_as_people_write_them() {
    let app = spawn_app().await;
    let (_, case, b) = led_case(&app).await;
    let page = b.get(&case).await.body;
    assert!(
        !page.contains("(1420011)"),
        "no code in the JST's name: {page}"
    );
    assert!(page.contains("<dt>Kod TERYT</dt>"), "{page}");
    letter(&b, &case, "explanations").await;
    letter_step(
        &b,
        &case,
        "wysylka",
        &[
            ("via", "email"),
            ("sent_on", "2026-11-28"),
            ("delivered_on", ""),
        ],
    )
    .await;
    let moved = b
        .submit(
            &case,
            &format!("{case}/powiazania"),
            &[("jst", "1420092"), ("organisation", ""), ("person", "")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);

    let admin = app
        .signed_in("admin-dziennik@example.org", "admin", &[])
        .await;
    save_office(
        &admin,
        "1420011",
        "",
        "Urząd Miejski w Płońsku",
        "ul. Płocka 39\n09-100 Płońsk",
    )
    .await;
    let id = case.rsplit('/').next().unwrap();
    let log = admin
        .get(&format!("/admin/dziennik?entity=case&entity_id={id}"))
        .await
        .body;
    for want in [
        "stan: nowa → w analizie",
        "stan: w analizie → oczekuje na odpowiedź",
        "termin odpowiedzi: — → 14 grudnia 2026",
        "JST: Płońsk (gmina miejska) → Płońsk (gmina wiejska)",
    ] {
        assert!(log.contains(want), "{want}: {log}");
    }
    assert!(!log.contains("2026-12-14"), "{log}");
    assert!(!log.contains("1420092"), "{log}");
    let office = admin
        .get("/admin/dziennik?entity=office&entity_id=1420011")
        .await
        .body;
    assert!(office.contains("nazwa urzędu:"), "{office}");
    assert!(!office.contains("office name"), "{office}");

    // Registrations show when they were made by Warsaw's clock, in Polish.
    let slug: String = sqlx::query("SELECT slug FROM activity WHERE status = 'planned' LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0);
    let visitor = Browser::new(&app);
    crate::registration::register(
        &visitor,
        &format!("/szkolenia/{slug}"),
        "Zofia",
        "zofia@example.org",
    )
    .await;
    let activity: i64 = sqlx::query("SELECT id FROM activity WHERE slug = $1")
        .bind(&slug)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0);
    let list = admin
        .get(&format!("/admin/dzialania/{activity}/zapisy"))
        .await
        .body;
    assert!(list.contains("Zapisano"), "{list}");
    assert!(!list.contains("(UTC)"), "{list}");
    assert!(list.contains("28 listopada 2026, "), "{list}");
    assert!(!list.contains("2026-11-28T"), "{list}");
}
