//! The paper of an activity: the attendance sheet to sign, certificates
//! with their public verification, the ZIP for staff and the participant's
//! own certificate through the thank-you e-mail.

use std::io::Read;

use reqwest::StatusCode;

use crate::browser::Browser;
use crate::helpers::{spawn_app, TestApp};
use crate::mail::sent;
use crate::registration::{
    awaited_mails, mails_to, move_registration, parse_ics, registered, registered_and_confirmed,
    training,
};

pub(crate) fn pdf_text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    pdf_extract::extract_text_from_mem(bytes).expect("text can be extracted")
}

/// Extracted text with its line breaks and runs of spaces made single
/// spaces, so phrases can be looked for whatever the layout.
pub(crate) fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn last_activity(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT MAX(id) FROM activity")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

async fn funder_sentence(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT funder_sentence FROM project ORDER BY id LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// Waits for the worker to queue the thank-you to `to`; its text.
async fn thank_you(app: &TestApp, to: &str) -> String {
    awaited_mails(app, to, "Dziękujemy za udział")
        .await
        .pop()
        .unwrap_or_else(|| panic!("no thank-you e-mail to {to}"))
        .1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_confirm_attend_and_get_a_certificate_anyone_can_verify() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await; // 10 December 2026
    let b = Browser::new(&app);
    let here = registered(&app, &b, &page, "Żaneta", "zaneta@example.org").await;
    let confirmed = b.submit(&here, &format!("{here}/potwierdz"), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let place = mails_to(&app, "zaneta@example.org")
        .await
        .into_iter()
        .find(|m| m.0.starts_with("Zapis potwierdzony"))
        .expect("the e-mail with the place");
    let calendar = parse_ics(&place.2.expect("the .ics attached"));
    assert_eq!(calendar.events.len(), 1);
    assert!(
        !b.get(&here).await.body.contains("zaswiadczenie.pdf"),
        "no certificate before attending"
    );
    assert_eq!(
        b.get_bytes(&format!("{here}/zaswiadczenie.pdf")).await.0,
        StatusCode::NOT_FOUND
    );

    // Not before the day: no check-in on 28 November for 10 December.
    let id = last_activity(&app).await;
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let early = move_registration(&app, &staff, id, "zaneta@example.org", "obecny").await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early
            .body
            .contains("od pierwszego dnia działania, 10 grudnia 2026, nie wcześniej"),
        "{}",
        early.body
    );
    sent(&app, 2).await;

    // The day: staff check her in.
    app.clock.advance(12 * 24 * 3600);
    staff.sign_in("koordynator@example.org").await;
    let checked = move_registration(&app, &staff, id, "zaneta@example.org", "obecny").await;
    assert_eq!(checked.status, StatusCode::SEE_OTHER);

    // After the day, the thank-you carries the certificate's link.
    app.clock.advance(24 * 3600);
    let thanks = thank_you(&app, "zaneta@example.org").await;
    let link = format!("{here}/zaswiadczenie.pdf");
    assert!(thanks.contains(&link), "{thanks}");
    assert!(b.get(&here).await.body.contains(&link), "and her page");

    let (status, pdf) = b.get_bytes(&link).await;
    assert_eq!(status, StatusCode::OK);
    let text = flat(&pdf_text(&pdf));
    assert!(text.contains("ZAŚWIADCZENIE"), "{text}");
    assert!(text.contains("o udziale w szkoleniu"), "{text}");
    assert!(text.contains("Żaneta Wiśniewska"), "{text}");
    assert!(
        text.contains("Współpraca finansowa gmin z organizacjami"),
        "{text}"
    );
    assert!(text.contains("10 grudnia 2026"), "{text}");
    assert!(text.contains("6 godz."), "{text}");
    assert!(text.contains("Płońsk, ul. Płocka 39"), "{text}");
    assert!(text.contains(&flat(&funder_sentence(&app).await)), "{text}");
    let code: String = sqlx::query_scalar("SELECT code FROM certificate")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(
        text.contains(&format!("Numer zaświadczenia: {code}")),
        "{text}"
    );
    assert!(text.contains(&format!("/zaswiadczenia/{code}")), "{text}");

    // The same certificate when asked again: one code per person.
    let (_, again) = b.get_bytes(&link).await;
    assert!(flat(&pdf_text(&again)).contains(&code));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificate")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 1);

    // Anyone can verify it, typed carelessly or linked.
    let public = Browser::new(&app);
    let typed = public
        .get(&format!(
            "/zaswiadczenia?kod={}",
            code.to_lowercase().replace('-', "+")
        ))
        .await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER);
    assert_eq!(typed.headers["location"], format!("/zaswiadczenia/{code}"));
    let verified = public.get(&format!("/zaswiadczenia/{code}")).await;
    assert_eq!(verified.status, StatusCode::OK);
    assert!(
        verified.body.contains("jest prawdziwe i ważne"),
        "{}",
        verified.body
    );
    assert!(verified.body.contains("Żaneta Wiśniewska"));
    // Registration asks no gender here, so the neutral form.
    assert!(verified
        .body
        .contains("Żaneta Wiśniewska jest osobą, która wzięła udział w szkoleniu"));
    assert!(verified
        .body
        .contains("Współpraca finansowa gmin z organizacjami"));
    assert!(
        !verified.body.contains("zaneta@example.org"),
        "no contact data"
    );

    // Taken off the attendance, the certificate is void and not sent.
    let staff = Browser::new(&app); // days later: a new session
    staff.sign_in("koordynator@example.org").await;
    move_registration(&app, &staff, id, "zaneta@example.org", "nieobecny").await;
    let void = public.get(&format!("/zaswiadczenia/{code}")).await;
    assert!(void.body.contains("zostało unieważnione"), "{}", void.body);
    assert_eq!(b.get_bytes(&link).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_or_unknown_codes_get_a_clear_answer() {
    let app = spawn_app().await;
    let empty = app.get("/zaswiadczenia").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("<h1>Weryfikacja zaświadczenia</h1>"));
    assert!(empty.body.contains("name=\"kod\""));

    let malformed = app.get("/zaswiadczenia?kod=abc").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed
        .body
        .contains("Numer zaświadczenia ma dziesięć liter i cyfr"));
    assert!(
        malformed.body.contains("value=\"abc\""),
        "the input is kept"
    );

    let unknown = app.get("/zaswiadczenia/00000-00000").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Nie ma zaświadczenia o tym numerze"));

    let lower = app.get("/zaswiadczenia/abcde-fghjk").await;
    assert_eq!(lower.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(lower.headers["location"], "/zaswiadczenia/ABCDE-FGHJK");
    assert_eq!(
        app.get("/zaswiadczenia/nie-ma-takiego").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_print_the_attendance_sheet_and_download_every_certificate_as_zip() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    for (first, email) in [
        ("Łucja", "lucja@example.org"),
        ("Ścibor", "scibor@example.org"),
        ("Nieobecna", "nie@example.org"),
    ] {
        registered_and_confirmed(&app, &page, first, email).await;
    }
    let id = last_activity(&app).await;
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let list = format!("/admin/dzialania/{id}/zapisy");
    let body = staff.get(&list).await.body;
    assert!(body.contains(&format!("/admin/dzialania/{id}/lista-obecnosci.pdf")));
    assert!(body.contains(&format!("/admin/dzialania/{id}/zaswiadczenia.zip")));

    // Before the day: a sheet with every confirmed name and room to sign.
    let (status, sheet) = staff
        .get_bytes(&format!("/admin/dzialania/{id}/lista-obecnosci.pdf"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = flat(&pdf_text(&sheet));
    for expected in [
        "LISTA OBECNOŚCI",
        "Współpraca finansowa gmin z organizacjami",
        "10 grudnia 2026, od 10:00",
        "Płońsk, ul. Płocka 39",
        "Imię i nazwisko",
        "Podpis",
        "Łucja Wiśniewska",
        "Ścibor Wiśniewska",
        "Nieobecna Wiśniewska",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(text.contains(&flat(&funder_sentence(&app).await)), "{text}");
    // Three names and the spare rows, numbered.
    assert!(text.contains("8."), "{text}");

    // Not held yet: no certificates to give.
    let none = staff
        .get(&format!("/admin/dzialania/{id}/zaswiadczenia.zip"))
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(
        none.body.contains("tylko za działania, które się odbyły"),
        "{}",
        none.body
    );

    // The day: nobody checked in yet, no one to give a certificate to.
    app.clock.advance(12 * 24 * 3600);
    staff.sign_in("koordynator@example.org").await;
    sqlx::query("UPDATE activity SET status = 'held' WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let none = staff
        .get(&format!("/admin/dzialania/{id}/zaswiadczenia.zip"))
        .await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.body.contains("nie ma komu wydać zaświadczeń"));

    for email in ["lucja@example.org", "scibor@example.org"] {
        move_registration(&app, &staff, id, email, "obecny").await;
    }
    let (status, zipped) = staff
        .get_bytes(&format!("/admin/dzialania/{id}/zaswiadczenia.zip"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
    assert_eq!(archive.len(), 2, "the two who came");
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        assert!(file.name().ends_with(".pdf"));
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        let text = flat(&pdf_text(&bytes));
        assert!(text.contains("ZAŚWIADCZENIE"));
        names.push(
            ["Łucja Wiśniewska", "Ścibor Wiśniewska"]
                .into_iter()
                .find(|n| text.contains(n))
                .unwrap_or_else(|| panic!("a name in {text}")),
        );
    }
    names.sort_unstable();
    assert_eq!(names, ["Łucja Wiśniewska", "Ścibor Wiśniewska"]);
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM certificate ORDER BY code")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(codes.len(), 2);
    assert_ne!(codes[0], codes[1]);

    // The same codes the second time.
    staff
        .get_bytes(&format!("/admin/dzialania/{id}/zaswiadczenia.zip"))
        .await;
    let again: Vec<String> = sqlx::query_scalar("SELECT code FROM certificate ORDER BY code")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(again, codes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_day_seminar_has_a_sheet_for_each_day_and_staff_out_of_scope_get_none() {
    let app = spawn_app().await;
    let seminar: i64 =
        sqlx::query_scalar("SELECT id FROM activity WHERE kind = 'seminar' ORDER BY id LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let staff = app.signed_in("admin@example.org", "admin", &[]).await;
    let (status, sheet) = staff
        .get_bytes(&format!("/admin/dzialania/{seminar}/lista-obecnosci.pdf"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = flat(&pdf_text(&sheet));
    for day in [
        "19 maja 2021 (dzień 1 z 3)",
        "20 maja 2021 (dzień 2 z 3)",
        "21 maja 2021 (dzień 3 z 3)",
    ] {
        assert!(text.contains(day), "{day} in {text}");
    }

    // The demo seminar's attendees get certificates "o udziale w wydarzeniu".
    let (status, zipped) = staff
        .get_bytes(&format!("/admin/dzialania/{seminar}/zaswiadczenia.zip"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
    let attendees: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attendance WHERE activity_id = $1")
            .bind(seminar)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(archive.len() as i64, attendees);
    let mut bytes = Vec::new();
    archive
        .by_index(0)
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    let text = flat(&pdf_text(&bytes));
    assert!(text.contains("o udziale w wydarzeniu"), "{text}");
    assert!(text.contains("udział w seminarium"), "{text}");
    assert!(text.contains("19–21 maja 2021"), "{text}");

    // A partner from another county, and nobody signed in, get neither.
    let otwock = app
        .signed_in("partner@example.org", "partner", &["1417"])
        .await;
    for path in ["lista-obecnosci.pdf", "zaswiadczenia.zip"] {
        let url = format!("/admin/dzialania/{seminar}/{path}");
        assert_eq!(
            otwock.get_bytes(&url).await.0,
            StatusCode::FORBIDDEN,
            "{url}"
        );
        let anonymous = app.get(&url).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{url}");
    }
}
