//! Registration from the catalogue: the form, double opt-in by e-mail,
//! places and the waitlist, cancellation, expiry, iCalendar.

use std::io::BufReader;

use reqwest::StatusCode;
use sqlx::Row;

use crate::browser::{csrf, Browser};
use crate::helpers::{between, spawn_app, TestApp};
use crate::mail::sent;
use koalicja::domain::activity::{ActivityKind, Audience};
use koalicja::domain::records::ActivityRecord;

/// An upcoming training in Płońsk with `capacity` places; returns its page.
pub(crate) async fn training(app: &TestApp, capacity: Option<i64>) -> String {
    let project: i64 = sqlx::query_scalar("SELECT id FROM project")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let a = ActivityRecord {
        kind: ActivityKind::Training,
        status: None,
        title: "Współpraca finansowa gmin z organizacjami".into(),
        topic: "ustawa o pożytku".into(),
        summary_md: String::new(),
        starts_on: "2026-12-10".parse().unwrap(),
        ends_on: "2026-12-10".parse().unwrap(),
        start_time: "10:00".into(),
        duration_minutes: 360,
        online: false,
        venue: "Płońsk, ul. Płocka 39".into(),
        audience: Audience::Both,
        capacity,
        co_organiser: None,
        trainer_account_id: None,
        registration_closes_on: None,
        online_link: None,
    };
    let id = koalicja::store::activity_records::save(
        &app.db,
        1,
        project,
        None,
        &a,
        Some("1420011"),
        "2026-11-28T10:00:00Z".parse().unwrap(),
    )
    .await
    .unwrap();
    app.clock.advance(1); // the page cache follows the data version
    let slug: String = sqlx::query_scalar("SELECT slug FROM activity WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    format!("/szkolenia/{slug}")
}

pub(crate) async fn register(
    b: &Browser<'_>,
    page: &str,
    first: &str,
    email: &str,
) -> crate::helpers::Reply {
    let form = format!("{page}/zapis");
    b.submit(
        &form,
        &form,
        &[
            ("first_name", first),
            ("last_name", "Wiśniewska"),
            ("email", email),
            ("role", "ngo_leader"),
            ("consent", "1"),
        ],
    )
    .await
}

/// The path of the registration's link in the newest e-mail to `email`
/// (the confirmation request is queued with the registration itself).
pub(crate) async fn mailed_link(app: &TestApp, email: &str) -> String {
    let mails = mails_to(app, email).await;
    let text = &mails
        .last()
        .unwrap_or_else(|| panic!("no e-mail to {email}"))
        .1;
    let start = text.find("/zapisy/").expect("the registration's link") + "/zapisy/".len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("/zapisy/{token}")
}

/// Registers `email` for the activity at `page`: the form leads to the
/// page that says to check the inbox; the registration's page, from the
/// link in the e-mail.
pub(crate) async fn registered(
    app: &TestApp,
    b: &Browser<'_>,
    page: &str,
    first: &str,
    email: &str,
) -> String {
    let r = register(b, page, first, email).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.redirected_to(), format!("{page}/zapis/wyslano"));
    mailed_link(app, email).await
}

/// Registers `email` for the activity at `page` and confirms; the
/// registration's page.
pub(crate) async fn registered_and_confirmed(
    app: &TestApp,
    page: &str,
    first: &str,
    email: &str,
) -> String {
    let b = Browser::new(app);
    let here = registered(app, &b, page, first, email).await;
    let confirmed = b.submit(&here, &format!("{here}/potwierdz"), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    here
}

/// Staff move the registration of `email` for activity `id` (`obecny`,
/// `nieobecny`, `rezerwa`, …) from the activity's registration list.
pub(crate) async fn move_registration(
    app: &TestApp,
    staff: &Browser<'_>,
    id: i64,
    email: &str,
    to: &str,
) -> crate::helpers::Reply {
    let list = format!("/admin/dzialania/{id}/zapisy");
    let reg: i64 = sqlx::query_scalar("SELECT id FROM registration WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    staff
        .submit(&list, &format!("{list}/{reg}/{to}"), &[])
        .await
}

/// The messages to `to` whose subject starts with `subject`, after the
/// jobs due by the app's clock have run (empty if none came).
pub(crate) async fn awaited_mails(
    app: &TestApp,
    to: &str,
    subject: &str,
) -> Vec<(String, String, Option<String>)> {
    app.run_jobs().await;
    mails_to(app, to)
        .await
        .into_iter()
        .filter(|m| m.0.starts_with(subject))
        .collect()
}

/// The messages sent to `to`, newest last: (subject, text, attachment).
pub(crate) async fn mails_to(app: &TestApp, to: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::query(
        "SELECT subject, body_text, attachment FROM outbox WHERE recipient = $1 ORDER BY id",
    )
    .bind(to)
    .fetch_all(app.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect()
}

pub(crate) fn parse_ics(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    parser
        .next()
        .expect("one calendar")
        .expect("a valid calendar")
}

pub(crate) fn prop(e: &ical::parser::ical::component::IcalEvent, name: &str) -> String {
    e.properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_confirm_and_get_the_invitation_by_email() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let public = app.get(&page).await;
    assert!(public.body.contains("Zapisz się"), "{}", public.body);
    assert!(public.body.contains("<dt>Wolne miejsca</dt><dd>20</dd>"));

    let b = Browser::new(&app);
    let form = b.get(&format!("{page}/zapis")).await;
    assert!(form.body.contains("Informacja o danych osobowych"));
    assert!(
        form.body.contains("art. 9 ust. 2 lit. a RODO"),
        "the notice covers special-category data"
    );
    let here = registered(&app, &b, &page, "Żaneta", "zaneta@example.org").await;
    let waiting = b.get(&here).await;
    assert!(
        waiting.body.contains("<dd>czeka na potwierdzenie</dd>"),
        "{}",
        waiting.body
    );

    let mails = sent(&app, 1).await;
    assert_eq!(mails[0].0, "zaneta@example.org");
    assert!(
        mails[0].1.starts_with("Dzień dobry,\n\n") && !mails[0].1.contains("Żaneta"),
        "a greeting with no name in the nominative: {}",
        mails[0].1
    );
    assert!(mails[0].1.contains("w ciągu 48 godzin, wygaśnie"));
    let confirmed = b.submit(&here, &format!("{here}/potwierdz"), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    let status = b.get(confirmed.headers["location"].to_str().unwrap()).await;
    assert!(
        status.body.contains("Zapis potwierdzony."),
        "{}",
        status.body
    );
    assert!(
        status
            .body
            .contains("<dt>Stan zapisu</dt><dd>potwierdzony</dd>"),
        "{}",
        status.body
    );

    sent(&app, 2).await;
    let mails = mails_to(&app, "zaneta@example.org").await;
    let (subject, text, ics) = &mails[1];
    assert!(subject.starts_with("Zapis potwierdzony"), "{subject}");
    assert!(
        text.contains("/zapisy/"),
        "the cancellation link is in every e-mail"
    );
    let cal = parse_ics(ics.as_deref().expect("an .ics attached"));
    let tz = &cal.timezones[0];
    assert!(tz
        .properties
        .iter()
        .any(|p| p.name == "TZID" && p.value.as_deref() == Some("Europe/Warsaw")));
    let e = &cal.events[0];
    assert_eq!(
        prop(e, "SUMMARY"),
        "Współpraca finansowa gmin z organizacjami"
    );
    assert_eq!(prop(e, "DTSTART"), "20261210T100000");
    assert_eq!(prop(e, "DTEND"), "20261210T160000");
    let dtstart = e.properties.iter().find(|p| p.name == "DTSTART").unwrap();
    assert_eq!(
        dtstart.params.as_ref().unwrap()[0],
        ("TZID".to_owned(), vec!["Europe/Warsaw".to_owned()])
    );
    let uid = prop(e, "UID");
    let eml = std::fs::read_to_string(app.data_dir.join("outbox/000002.eml")).unwrap();
    assert!(eml.contains("Content-Type: text/calendar"), "{eml}");

    // The same UID from the public file and the feed.
    let file = app.get(&format!("{page}/kalendarz.ics")).await;
    assert_eq!(file.headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(prop(&parse_ics(&file.body).events[0], "UID"), uid);
    let feed = parse_ics(&app.get("/szkolenia.ics").await.body);
    assert!(feed.events.iter().any(|e| prop(e, "UID") == uid));
    assert!(
        feed.events
            .iter()
            .all(|e| prop(e, "DTSTART").as_str() >= "20261128"),
        "only what is to come"
    );

    assert!(
        app.get(&page)
            .await
            .body
            .contains("<dt>Wolne miejsca</dt><dd>19</dd>"),
        "a place is taken"
    );
}

/// What a visitor receives for a sent form, with the per-request tokens
/// (CSRF) blanked: status, where it leads, and that page.
async fn answer_to(
    b: &Browser<'_>,
    page: &str,
    first: &str,
    email: &str,
) -> (StatusCode, String, String) {
    let r = register(b, page, first, email).await;
    let to = r.headers["location"].to_str().unwrap().to_owned();
    let landing = b.get(&to).await;
    assert_eq!(landing.status, StatusCode::OK);
    let blank = |html: &str| match between(html, "name=\"csrf\" value=\"", "\"") {
        Some(token) => html.replace(&token, "CSRF"),
        None => html.to_owned(),
    };
    (
        r.status,
        to,
        format!("{}\n{}", blank(&r.body), blank(&landing.body)),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_the_form_confirms_nothing_until_the_mailed_link_is_used() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let b = Browser::new(&app);
    let r = register(&b, &page, "Anna", "anna@example.org").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers["location"].to_str().unwrap().to_owned();
    let token: String = sqlx::query_scalar("SELECT token FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(!to.contains(&token) && !r.body.contains(&token), "{to}");
    let landing = b.get(&to).await;
    assert_eq!(landing.status, StatusCode::OK);
    assert!(
        landing.body.contains("<h1>Sprawdź skrzynkę</h1>"),
        "{}",
        landing.body
    );
    assert!(
        landing
            .body
            .contains("Jeśli ten adres jest zapisany na szkolenie „Współpraca finansowa gmin z organizacjami”, wysłaliśmy na niego wiadomość"),
        "{}",
        landing.body
    );
    for nothing_that_confirms in [
        &token,
        "/zapisy/",
        "potwierdz\"",
        "<form",
        "Potwierdzam zapis\"",
        "anna@example.org",
    ] {
        assert!(
            !landing.body.contains(nothing_that_confirms),
            "{nothing_that_confirms}: {}",
            landing.body
        );
    }
    let status = || async {
        sqlx::query_scalar::<_, String>("SELECT status FROM registration")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
    };
    assert_eq!(status().await, "pending", "the form alone books nothing");
    // Guessing at the confirmation without the token leads nowhere.
    assert_eq!(b.get("/zapisy/wyslano").await.status, StatusCode::NOT_FOUND);
    assert_eq!(status().await, "pending");

    // The link in the e-mail opens the page that confirms; opening it
    // changes nothing (mail scanners follow links), the button does.
    let here = mailed_link(&app, "anna@example.org").await;
    assert_eq!(here, format!("/zapisy/{token}"));
    let opened = b.get(&here).await;
    assert!(opened.body.contains("Potwierdzam zapis"), "{}", opened.body);
    assert_eq!(status().await, "pending");
    let confirmed = b.submit(&here, &format!("{here}/potwierdz"), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(status().await, "confirmed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeated_registration_answers_the_same_and_mails_the_owner_their_link() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let owner = Browser::new(&app);
    let here = registered(&app, &owner, &page, "Anna", "anna@example.org").await;

    // Someone else types the registered address, and a new one.
    let other = Browser::new(&app);
    let taken = answer_to(&other, &page, "Ktoś", "ANNA@example.org").await;
    let fresh = answer_to(&other, &page, "Nowa", "nowa@example.org").await;
    assert_eq!(taken.0, StatusCode::SEE_OTHER);
    assert_eq!(taken, fresh, "nothing tells the two apart");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registration WHERE email = $1")
        .bind("anna@example.org")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 1, "never a duplicate");

    // The owner gets their registration's own link; a confirmed place too.
    let again = awaited_mails(&app, "anna@example.org", "Twój zapis").await;
    assert_eq!(again.len(), 1);
    let text = &again[0].1;
    assert!(text.starts_with("Dzień dobry,\n\n"), "{text}");
    assert!(text.contains(&format!("{here} ")), "{text}");
    assert!(text.contains("Zapis czeka na potwierdzenie"), "{text}");
    b_confirm(&owner, &here).await;
    let after = answer_to(&other, &page, "Ktoś", "anna@example.org").await;
    assert_eq!(after, fresh, "nor whether the place is confirmed");
    let again = mails_to(&app, "anna@example.org").await;
    assert!(
        again
            .iter()
            .filter(|m| m.0.starts_with("Twój zapis"))
            .count()
            == 1,
        "at most one such e-mail an hour: {again:?}"
    );
    app.clock.advance(3601);
    answer_to(&other, &page, "Ktoś", "anna@example.org").await;
    let again: Vec<_> = mails_to(&app, "anna@example.org")
        .await
        .into_iter()
        .filter(|m| m.0.starts_with("Twój zapis"))
        .collect();
    assert_eq!(again.len(), 2, "an hour later, one more");
    assert!(
        again[1].1.contains("Zapis jest potwierdzony: masz miejsce"),
        "{}",
        again[1].1
    );
    assert!(again[1].1.contains(&format!("{here} ")), "{}", again[1].1);
    let mailed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1")
        .bind("anna@example.org")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(mailed, 4, "request, place, and the two links again");
}

async fn b_confirm(b: &Browser<'_>, here: &str) {
    let confirmed = b.submit(here, &format!("{here}/potwierdz"), &[]).await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_invalid_field_gets_its_message_and_the_input_is_kept() {
    let app = spawn_app().await;
    let page = training(&app, None).await;
    let b = Browser::new(&app);
    let form = format!("{page}/zapis");
    let r = b
        .submit(
            &form,
            &form,
            &[
                ("first_name", ""),
                ("last_name", "Łęcka"),
                ("email", "nie-adres"),
                ("phone", "12"),
                ("role", "król"),
                ("gender", "x"),
                ("needs", &"x".repeat(2001)),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Imię: To pole jest wymagane.",
        "E-mail: Podaj adres e-mail w postaci nazwa@domena.pl.",
        "Podaj numer telefonu: 9–15 cyfr",
        "Rola: Wybierz jedną z możliwości.",
        "Wybierz jedną z możliwości albo zostaw pole puste.",
        "Najwyżej 2000 znaków.",
        "Zapis wymaga zgody na przetwarzanie danych.",
    ] {
        assert!(r.body.contains(message), "{message}");
    }
    assert!(r.body.contains("value=\"Łęcka\""), "kept");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_gives_the_place_to_the_first_on_the_waitlist() {
    let app = spawn_app().await;
    let page = training(&app, Some(1)).await;
    let mut here = Vec::new();
    for (i, email) in [
        "pierwsza@example.org",
        "druga@example.org",
        "trzecia@example.org",
    ]
    .iter()
    .enumerate()
    {
        let b = Browser::new(&app);
        let path = registered(&app, &b, &page, "Osoba", email).await;
        b.submit(&path, &format!("{path}/potwierdz"), &[]).await;
        app.clock.advance(60 * (i as i64 + 1));
        here.push(path);
    }
    let b = Browser::new(&app);
    assert!(b.get(&here[0]).await.body.contains("<dd>potwierdzony</dd>"));
    assert!(b
        .get(&here[1])
        .await
        .body
        .contains("<dd>na liście rezerwowej</dd>"));
    assert!(app
        .get(&page)
        .await
        .body
        .contains("brak (zapis na listę rezerwową)"));
    let out = b
        .submit(&here[0], &format!("{}/rezygnacja", here[0]), &[])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(b.get(&here[0]).await.body.contains("<dd>anulowany</dd>"));
    assert!(
        b.get(&here[1]).await.body.contains("<dd>potwierdzony</dd>"),
        "the first waiting moves up"
    );
    assert!(
        b.get(&here[2])
            .await
            .body
            .contains("<dd>na liście rezerwowej</dd>"),
        "the next keeps waiting"
    );
    sent(&app, 7).await;
    let second = mails_to(&app, "druga@example.org").await;
    let last = second.last().unwrap();
    assert!(last.0.starts_with("Masz miejsce"), "{}", last.0);
    assert!(last.2.is_some(), "with the invitation");
    let first = mails_to(&app, "pierwsza@example.org").await;
    assert!(first.last().unwrap().0.starts_with("Rezygnacja przyjęta"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unconfirmed_registration_expires_after_48_hours() {
    let app = spawn_app().await;
    let page = training(&app, Some(5)).await;
    let b = Browser::new(&app);
    let here = registered(&app, &b, &page, "Ola", "ola@example.org").await;
    // The page is opened in time and the button pressed too late (the
    // worker's sweep may expire it meanwhile, and the page would then
    // offer no button).
    let opened = b.get(&here).await;
    app.clock.advance(49 * 3600);
    let late = b
        .post(
            &format!("{here}/potwierdz"),
            &[("csrf", &csrf(&opened.body))],
        )
        .await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    let page_after = b.get(late.headers["location"].to_str().unwrap()).await;
    assert!(
        page_after
            .body
            .contains("nie został potwierdzony w ciągu 48 godzin i wygasł"),
        "{}",
        page_after.body
    );
    assert!(page_after
        .body
        .contains("<dd>wygasły (niepotwierdzony)</dd>"));
    // Expired, the address may register again.
    assert_eq!(
        register(&b, &page, "Ola", "ola@example.org").await.status,
        StatusCode::SEE_OTHER
    );

    // The worker's sweep expires the ones nobody clicks.
    register(&Browser::new(&app), &page, "Ela", "ela@example.org").await;
    app.clock.advance(49 * 3600);
    app.run_jobs().await;
    let expired =
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM registration WHERE status = 'expired'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(expired, 3, "every registration left pending for 48 hours");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_sent_ten_times_at_once_is_registered_once() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let replies = at_once(&app, &page, 10, |_| "ta.sama@example.org".into()).await;
    assert!(
        replies.iter().all(|r| *r == StatusCode::SEE_OTHER),
        "every one answered alike: {replies:?}"
    );
    assert_eq!(registrations(&app).await, 1);
    let subjects: Vec<String> = mails_to(&app, "ta.sama@example.org")
        .await
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(
        subjects[0].starts_with("Potwierdź zapis") && subjects[1].starts_with("Twój zapis"),
        "one confirmation request and one e-mail with its link, not nine: {subjects:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_registrations_for_twenty_places_give_twenty_places_and_thirty_waiting() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let browsers: Vec<Browser> = (0..50).map(|_| Browser::new(&app)).collect();
    let registered = futures_join(browsers.iter().enumerate().map(|(i, b)| {
        let page = page.clone();
        let app = &app;
        async move { registered(app, b, &page, "Osoba", &format!("osoba{i}@example.org")).await }
    }))
    .await;
    let confirmed = futures_join(
        browsers
            .iter()
            .zip(&registered)
            .map(|(b, here)| async move {
                b.submit(here, &format!("{here}/potwierdz"), &[])
                    .await
                    .status
            }),
    )
    .await;
    assert!(
        confirmed.iter().all(|s| *s == StatusCode::SEE_OTHER),
        "no errors: {confirmed:?}"
    );
    let counts: Vec<(String, i64)> =
        sqlx::query("SELECT status, COUNT(*) FROM registration GROUP BY status ORDER BY status")
            .fetch_all(app.db.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    assert_eq!(
        counts,
        [("confirmed".to_owned(), 20), ("waitlisted".to_owned(), 30)]
    );
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT email) FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(distinct, 50, "no duplicates");
}

/// Runs futures at once (a join without an extra dependency).
pub(crate) async fn futures_join<F: std::future::Future<Output = T>, T>(
    futures: impl Iterator<Item = F>,
) -> Vec<T> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    let mut out: Vec<Option<T>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_closing_day_the_form_says_so_and_refuses() {
    let app = spawn_app().await;
    let page = training(&app, Some(5)).await;
    sqlx::query("UPDATE activity SET registration_closes_on = '2026-11-27'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let b = Browser::new(&app);
    let form = b.get(&format!("{page}/zapis")).await;
    assert!(form.body.contains("Zapisy na to szkolenie są zamknięte."));
    let token = between(
        &b.get("/admin/logowanie").await.body,
        "name=\"csrf\" value=\"",
        "\"",
    )
    .unwrap();
    let r = b
        .post(
            &format!("{page}/zapis"),
            &[
                ("csrf", &token),
                ("first_name", "A"),
                ("last_name", "B"),
                ("email", "a@example.org"),
                ("role", "other"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Zapisy na to szkolenie są już zamknięte."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_see_registrations_move_people_between_lists_and_add_by_hand() {
    let app = spawn_app().await;
    let page = training(&app, Some(1)).await;
    for (email, needs) in [("ala@example.org", "tłumacz PJM"), ("ola@example.org", "")] {
        let b = Browser::new(&app);
        let form = format!("{page}/zapis");
        let r = b
            .submit(
                &form,
                &form,
                &[
                    ("first_name", "Ala"),
                    ("last_name", "Kowal"),
                    ("email", email),
                    ("role", "official"),
                    ("needs", needs),
                    ("consent", "1"),
                ],
            )
            .await;
        assert_eq!(r.redirected_to(), format!("{page}/zapis/wyslano"));
        let here = mailed_link(&app, email).await;
        b.submit(&here, &format!("{here}/potwierdz"), &[]).await;
        app.clock.advance(60);
    }
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM activity")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let list_path = format!("/admin/dzialania/{id}/zapisy");
    let list = staff.get(&list_path).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("ala@example.org") && list.body.contains("<td>potwierdzony</td>"),
        "{}",
        list.body
    );
    assert!(list.body.contains("<td>na liście rezerwowej</td>"));
    assert!(list.body.contains("tłumacz PJM"), "staff see the needs");
    let csv = staff.get(&format!("{list_path}?format=csv")).await;
    assert_eq!(csv.body.lines().count(), 3, "{}", csv.body);
    let waiting = staff
        .get(&format!("{list_path}?status=waitlisted&format=csv"))
        .await;
    assert!(waiting.body.contains("ola@example.org") && !waiting.body.contains("ala@example.org"));

    let ola: i64 =
        sqlx::query_scalar("SELECT id FROM registration WHERE email = 'ola@example.org'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let moved = staff
        .submit(&list_path, &format!("{list_path}/{ola}/uczestnik"), &[])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let status: String = sqlx::query_scalar("SELECT status FROM registration WHERE id = $1")
        .bind(ola)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "confirmed");

    let no_consent = staff
        .submit(
            &list_path,
            &list_path,
            &[
                ("first_name", "Jan"),
                ("last_name", "Telefoniczny"),
                ("email", "jan@example.org"),
                ("role", "councillor"),
                ("list", "confirmed"),
            ],
        )
        .await;
    assert_eq!(no_consent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_consent
        .body
        .contains("Zapis wymaga zgody na przetwarzanie danych."));
    let added = staff
        .submit(
            &list_path,
            &list_path,
            &[
                ("first_name", "Jan"),
                ("last_name", "Telefoniczny"),
                ("email", "jan@example.org"),
                ("role", "councillor"),
                ("list", "waitlisted"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let again = staff
        .submit(
            &list_path,
            &list_path,
            &[
                ("first_name", "Jan"),
                ("last_name", "T"),
                ("email", "jan@example.org"),
                ("role", "councillor"),
                ("list", "confirmed"),
                ("consent", "1"),
            ],
        )
        .await;
    assert!(again
        .body
        .contains("Ta osoba jest już zapisana (zapis: na liście rezerwowej)."));
    let consent: String = sqlx::query_scalar(
        "SELECT consent_version FROM registration WHERE email = 'jan@example.org'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(consent.starts_with("zespół: "), "{consent}");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'registration'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 2);
    let everything: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(after_json, '') FROM audit_log WHERE entity = 'registration'",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(everything
        .iter()
        .all(|j| !j.contains("jan@") && !j.contains("Telefoniczny")));

    let partner = app
        .signed_in("partner.otwock@example.org", "partner", &["1417"])
        .await;
    assert_eq!(
        partner.get(&list_path).await.status,
        StatusCode::FORBIDDEN,
        "a Płońsk training is not Otwock's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_filters_by_audience_topic_county_form_and_month() {
    let app = spawn_app().await;
    let project: i64 = sqlx::query_scalar("SELECT id FROM project")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    #[rustfmt::skip]
    let cases = [
        ("Szkolenie A dla urzędów", Audience::Officials, "budżet obywatelski", "2026-12-03", false, "1420011"),
        ("Szkolenie B online", Audience::Ngo, "rzecznictwo", "2027-01-14", true, "1417021"),
        ("Szkolenie C dla wszystkich", Audience::Both, "budżet obywatelski", "2027-01-20", false, "1417021"),
    ];
    for (title, audience, topic, day, online, jst) in cases {
        let a = ActivityRecord {
            kind: ActivityKind::Training,
            status: None,
            title: title.into(),
            topic: topic.into(),
            summary_md: String::new(),
            starts_on: day.parse().unwrap(),
            ends_on: day.parse().unwrap(),
            start_time: "10:00".into(),
            duration_minutes: 300,
            online,
            venue: if online { String::new() } else { "Sala".into() },
            audience,
            capacity: Some(25),
            co_organiser: None,
            trainer_account_id: None,
            registration_closes_on: None,
            online_link: None,
        };
        koalicja::store::activity_records::save(
            &app.db,
            1,
            project,
            None,
            &a,
            Some(jst),
            "2026-11-28T10:00:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    }
    app.clock.advance(1);
    let shown = |body: &str| -> Vec<&'static str> {
        ["Szkolenie A", "Szkolenie B", "Szkolenie C"]
            .into_iter()
            .filter(|t| body.contains(t))
            .collect()
    };
    for (query, want) in [
        ("", vec!["Szkolenie A", "Szkolenie B", "Szkolenie C"]),
        ("?dla=ngo", vec!["Szkolenie B", "Szkolenie C"]),
        ("?dla=officials", vec!["Szkolenie A", "Szkolenie C"]),
        (
            "?temat=bud%C5%BCet+obywatelski",
            vec!["Szkolenie A", "Szkolenie C"],
        ),
        ("?obszar=1417", vec!["Szkolenie B", "Szkolenie C"]),
        ("?forma=online", vec!["Szkolenie B"]),
        ("?forma=stacjonarnie&miesiac=2027-01", vec!["Szkolenie C"]),
    ] {
        let page = app.get(&format!("/szkolenia{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{query}");
        assert_eq!(shown(&page.body), want, "{query}");
    }
    let all = app.get("/szkolenia").await.body;
    assert!(all.contains("wolne miejsca: 25"), "free places in the list");
    assert!(
        all.contains("<option value=\"1417\">powiat otwocki</option>"),
        "counties come from the data"
    );
    assert!(all.contains("styczeń 2027"), "months in Polish");
    for bad in [
        "?dla=kosmici",
        "?miesiac=2027-13",
        "?obszar=14x",
        "?temat=nieistniej%C4%85cy",
    ] {
        let r = app.get(&format!("/szkolenia{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checking_people_in_puts_them_on_the_attendance_and_moves_the_counters() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await;
    for email in ["a@example.org", "b@example.org", "c@example.org"] {
        registered_and_confirmed(&app, &page, "Osoba", email).await;
    }
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM activity")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    // A project still running on the day: its figures take the training in.
    crate::held::project_runs_until(&app, "2027-12-31").await;
    let before = app.stats("").await;
    let staff = app.signed_in("trenerka@example.org", "admin", &[]).await;
    let list = format!("/admin/dzialania/{id}/zapisy");
    let first: i64 =
        sqlx::query_scalar("SELECT id FROM registration WHERE email = 'a@example.org'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let early = staff
        .submit(&list, &format!("{list}/{first}/obecny"), &[])
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "not before the day");
    app.clock.advance(12 * 24 * 3600); // 10 December: the day
    staff.sign_in("trenerka@example.org").await;
    let one = staff
        .submit(&list, &format!("{list}/{first}/obecny"), &[])
        .await;
    assert_eq!(one.status, StatusCode::SEE_OTHER, "{}", one.body);
    let after_one = app.stats("").await;
    assert_eq!(
        after_one["recipients"].as_i64(),
        Some(before["recipients"].as_i64().unwrap() + 1)
    );
    assert!(staff
        .get(&list)
        .await
        .body
        .contains("<td>obecna/obecny</td>"));

    let all = staff.submit(&list, &format!("{list}/obecni"), &[]).await;
    assert_eq!(all.status, StatusCode::SEE_OTHER);
    let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendance WHERE activity_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(present, 3, "everyone confirmed, once each");
    assert_eq!(
        app.stats("").await["recipients"].as_i64(),
        Some(before["recipients"].as_i64().unwrap() + 3)
    );

    let back = staff
        .submit(&list, &format!("{list}/{first}/nieobecny"), &[])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stats("").await["recipients"].as_i64(),
        Some(before["recipients"].as_i64().unwrap() + 2),
        "a no-show is not counted"
    );
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person WHERE email IN ('a@example.org', 'b@example.org', 'c@example.org')")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(people, 3, "a person record each, made once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmed_people_are_reminded_two_days_before_once() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await; // 10 December
    registered_and_confirmed(&app, &page, "Pamiętliwa", "pamiec@example.org").await;
    register(
        &Browser::new(&app),
        &page,
        "Niepotwierdzona",
        "nie@example.org",
    )
    .await;
    sent(&app, 3).await;
    app.clock.advance(9 * 24 * 3600); // 7 December: too early
    app.run_jobs().await;
    assert_eq!(mails_to(&app, "pamiec@example.org").await.len(), 2);
    app.clock.advance(24 * 3600); // 8 December: two days before
    let reminders = awaited_mails(&app, "pamiec@example.org", "Przypomnienie").await;
    assert_eq!(reminders.len(), 1, "reminded");
    assert!(
        reminders[0].1.contains("/zapisy/"),
        "with the cancellation link"
    );
    app.clock.advance(120);
    app.run_jobs().await;
    let again: Vec<_> = mails_to(&app, "pamiec@example.org")
        .await
        .into_iter()
        .filter(|m| m.0.starts_with("Przypomnienie"))
        .collect();
    assert_eq!(again.len(), 1, "once");
    assert!(
        mails_to(&app, "nie@example.org")
            .await
            .iter()
            .all(|m| !m.0.starts_with("Przypomnienie")),
        "only confirmed people"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_by_staff_reaches_a_registration_form_already_read() {
    let app = spawn_app().await;
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let fields = |closes: &'static str| {
        [
            ("kind", "training"),
            ("title", "Szkolenie z konsultacji"),
            ("starts_on", "2026-12-15"),
            ("duration_minutes", "360"),
            ("venue", "Płońsk"),
            ("registration_closes_on", closes),
            ("audience", "both"),
        ]
    };
    let made = staff
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &fields("2026-12-14"),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let edit = made.redirected_to();
    let page = "/szkolenia/szkolenie-z-konsultacji-20261215";
    // Registrations keep the activity in memory…
    registered_and_confirmed(&app, page, "Pierwsza", "pierwsza@example.org").await;
    let b = Browser::new(&app);
    let open = b.get(&format!("{page}/zapis")).await;
    assert!(open.body.contains("Zapisuję się"), "{}", open.body);
    // …until staff change it: closing registration yesterday shows at once.
    let changed = staff.submit(&edit, &edit, &fields("2026-11-27")).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let closed = b.get(&format!("{page}/zapis")).await;
    assert!(
        closed.body.contains("Zapisy na to szkolenie są zamknięte."),
        "{}",
        closed.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_online_link_goes_only_to_people_with_a_place() {
    let app = spawn_app().await;
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let made = staff
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &[
                ("kind", "debate"),
                ("title", "Debata online o konsultacjach"),
                ("starts_on", "2026-12-15"),
                ("start_time", "18:00"),
                ("duration_minutes", "90"),
                ("online", "1"),
                ("online_link", "https://spotkanie.example.org/debata-xyz"),
                ("registration_closes_on", "2026-12-14"),
                ("audience", "both"),
                ("capacity", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let bad = staff
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &[
                ("kind", "debate"),
                ("title", "X"),
                ("starts_on", "2026-12-15"),
                ("duration_minutes", "90"),
                ("online", "1"),
                ("online_link", "spotkanie.example.org"),
                ("registration_closes_on", "2026-12-20"),
                ("audience", "both"),
            ],
        )
        .await;
    assert!(bad.body.contains("Adres strony zaczyna się od https://"));
    assert!(bad
        .body
        .contains("Zapisy nie mogą trwać dłużej niż samo wydarzenie."));
    let page = "/wydarzenia/debata-online-o-konsultacjach-20261215";
    let public = app.get(page).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        !public.body.contains("debata-xyz"),
        "not on the public page"
    );
    registered_and_confirmed(&app, page, "Pierwsza", "pierwsza@example.org").await;
    registered_and_confirmed(&app, page, "Druga", "druga@example.org").await;
    sent(&app, 4).await;
    let placed = mails_to(&app, "pierwsza@example.org").await;
    assert!(
        placed[1]
            .1
            .contains("https://spotkanie.example.org/debata-xyz"),
        "{}",
        placed[1].1
    );
    let waiting = mails_to(&app, "druga@example.org").await;
    assert!(
        waiting.iter().all(|m| !m.1.contains("debata-xyz")),
        "not to the waitlist"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_activity_attendees_are_thanked_and_give_anonymous_feedback_once() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await; // 10 December
    let came = registered_and_confirmed(&app, &page, "Obecna", "obecna@example.org").await;
    let missed = registered_and_confirmed(&app, &page, "Nieobecna", "nieobecna@example.org").await;
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM activity")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let list = format!("/admin/dzialania/{id}/zapisy");
    sent(&app, 4).await;
    app.clock.advance(12 * 24 * 3600); // 10 December: the day
    staff.sign_in("koordynator@example.org").await;
    move_registration(&app, &staff, id, "obecna@example.org", "obecny").await;

    app.clock.advance(24 * 3600); // 11 December: the day after
    let thanks = awaited_mails(&app, "obecna@example.org", "Dziękujemy za udział").await;
    assert_eq!(thanks.len(), 1, "the attendee is thanked");
    assert!(
        thanks[0].1.contains(&format!("{came}/opinia")),
        "{}",
        thanks[0].1
    );
    assert!(
        mails_to(&app, "nieobecna@example.org")
            .await
            .iter()
            .all(|m| !m.0.starts_with("Dziękujemy")),
        "a no-show is not"
    );

    let b = Browser::new(&app);
    let form = format!("{came}/opinia");
    let bad = b
        .submit(
            &form,
            &form,
            &[("usefulness", "9"), ("trainer", "5"), ("organisation", "4")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Wybierz ocenę od 1 do 5."));
    let ok = b
        .submit(
            &form,
            &form,
            &[
                ("usefulness", "5"),
                ("trainer", "4"),
                ("organisation", "4"),
                ("comment", "Świetne przykłady z gmin."),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let token = crate::browser::csrf(&b.get(&came).await.body);
    let twice = b
        .post(
            &form,
            &[
                ("csrf", &token),
                ("usefulness", "1"),
                ("trainer", "1"),
                ("organisation", "1"),
            ],
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST, "once");
    let other = b.get(&format!("{missed}/opinia")).await;
    assert!(other
        .body
        .contains("Opinię może wysłać raz osoba, która była na wydarzeniu."));

    staff.sign_in("koordynator@example.org").await; // a day later: a new session
    let view = staff.get(&list).await;
    assert!(
        view.body.contains("<dt>Odpowiedzi</dt><dd>1</dd>"),
        "{}",
        view.body
    );
    assert!(view
        .body
        .contains("<dt>Przydatność (średnio, 1–5)</dt><dd>5</dd>"));
    assert!(view.body.contains("Świetne przykłady z gmin."));
    // Per trainer, across activities.
    let trainer = app.account("prowadzaca@example.org", "trainer", &[]).await;
    sqlx::query("UPDATE activity SET trainer_account_id = $1 WHERE id = $2")
        .bind(trainer)
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let per_trainer = staff.get("/admin/opinie").await;
    assert!(
        per_trainer
            .body
            .contains("<td>Ewa Żółkiewska</td><td>1</td><td>1</td><td>5</td><td>4</td><td>4</td>"),
        "{}",
        per_trainer.body
    );
    let own = app
        .signed_in("inna.trenerka@example.org", "trainer", &[])
        .await;
    assert!(
        own.get("/admin/opinie").await.body.contains("0 wyników"),
        "a trainer sees only their own"
    );
    let columns: Vec<String> = sqlx::query_scalar::<_, String>("SELECT comment FROM feedback")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(columns.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_flood_the_registration_form() {
    let app = spawn_app().await;
    let page = training(&app, None).await;
    let b = Browser::new(&app);
    let token = crate::browser::csrf(&b.get(&format!("{page}/zapis")).await.body);
    let mut last = None;
    for i in 0..61 {
        let email = format!("fala{i}@example.org");
        let r = b
            .post(
                &format!("{page}/zapis"),
                &[
                    ("csrf", &token),
                    ("first_name", "Fala"),
                    ("last_name", "Zapisów"),
                    ("email", &email),
                    ("role", "other"),
                    ("consent", "1"),
                ],
            )
            .await;
        last = Some(r);
    }
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers.contains_key("retry-after"));
    assert!(
        last.body
            .contains("Wysłano zbyt wiele formularzy z tego adresu."),
        "{}",
        last.body
    );
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 60);
    app.clock.advance(15 * 60 + 1);
    let later = register(&b, &page, "Fala", "pozniej@example.org").await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "the window passes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_of_one_address_at_once_are_limited_exactly() {
    let app = spawn_app().await;
    let page = training(&app, None).await;
    let replies = at_once(&app, &page, 70, |i| format!("naraz{i}@example.org")).await;
    assert_eq!(
        made_and_refused(&replies, StatusCode::TOO_MANY_REQUESTS),
        (60, 10),
        "{replies:?}"
    );
    assert_eq!(registrations(&app).await, 60);
}

/// `n` registrations sent at once, each from a browser of its own (all from
/// one address); the statuses of the replies.
async fn at_once(
    app: &TestApp,
    page: &str,
    n: usize,
    email: impl Fn(usize) -> String,
) -> Vec<StatusCode> {
    let browsers: Vec<Browser> = (0..n).map(|_| Browser::new(app)).collect();
    futures_join(browsers.iter().enumerate().map(|(i, b)| {
        let email = email(i);
        async move { register(b, page, "Fala", &email).await.status }
    }))
    .await
}

/// How many replies made a registration and how many were `refused`.
fn made_and_refused(replies: &[StatusCode], refused: StatusCode) -> (usize, usize) {
    let count = |status| replies.iter().filter(|s| **s == status).count();
    (count(StatusCode::SEE_OTHER), count(refused))
}

async fn registrations(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_day_seminar_has_a_programme_by_day_on_its_page() {
    let app = spawn_app().await;
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let made = staff
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &[
                ("kind", "seminar"),
                ("title", "Seminarium o współpracy"),
                ("starts_on", "2027-05-19"),
                ("ends_on", "2027-05-21"),
                ("duration_minutes", "1080"),
                ("venue", "Serock"),
                ("audience", "both"),
            ],
        )
        .await;
    let admin_page = made.redirected_to();
    let programme = format!("{admin_page}/program");
    let outside = staff
        .submit(
            &programme,
            &programme,
            &[
                ("day", "2027-05-22"),
                ("starts_at", "10:00"),
                ("title", "Za późno"),
            ],
        )
        .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(outside.body.contains("Ten dzień nie należy do wydarzenia."));
    for (day, time, title, speakers) in [
        ("2027-05-21", "10:00", "Podsumowanie", ""),
        (
            "2027-05-19",
            "14:00",
            "Rola rad działalności pożytku publicznego",
            "Anna Nowak — radna, autorka programu współpracy",
        ),
        ("2027-05-19", "10:00", "Otwarcie", "Zespół federacji"),
    ] {
        let r = staff
            .submit(
                &programme,
                &programme,
                &[
                    ("day", day),
                    ("starts_at", time),
                    ("title", title),
                    ("speakers", speakers),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let public = app
        .get("/wydarzenia/seminarium-o-wspolpracy-20270519")
        .await
        .body;
    let opening = public.find("Otwarcie").unwrap();
    let role = public.find("Rola rad działalności").unwrap();
    let summary = public.find("Podsumowanie").unwrap();
    assert!(
        public.contains("<h3>19 maja 2027</h3>") && public.contains("<h3>21 maja 2027</h3>"),
        "by day"
    );
    assert!(opening < role && role < summary, "in order of day and time");
    assert!(
        public.contains("Anna Nowak — radna, autorka programu współpracy"),
        "speakers with their notes"
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'agenda_item'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_registration_loses_none_of_those_committed_with_it() {
    use koalicja::domain::activity::Gender;
    use koalicja::domain::records::AffiliationRole;
    use koalicja::domain::registration::Registration;
    use koalicja::store::outbox::Message;
    use koalicja::store::registrations::{create, Created, NewRegistration};

    let app = spawn_app().await;
    training(&app, Some(20)).await;
    let activity: i64 = sqlx::query_scalar("SELECT MAX(id) FROM activity")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let step = |n: usize, activity: i64| {
        let db = app.db.clone();
        async move {
            let r = Registration {
                first_name: "Osoba".into(),
                last_name: format!("Numer {n}"),
                email: format!("osoba{n}@example.org"),
                phone: String::new(),
                affiliation: String::new(),
                role: AffiliationRole::NgoLeader,
                gender: Gender::Undisclosed,
                needs: None,
            };
            let mail = Message {
                recipient: r.email.clone(),
                subject: "Potwierdź zapis".into(),
                body_text: "…".into(),
                body_html: None,
                attachment: None,
            };
            create(
                &db,
                NewRegistration {
                    activity,
                    address: "127.0.0.1".into(),
                    allowed: 60,
                    since: "2026-11-28T09:45:00Z".parse().unwrap(),
                    registration: r,
                    organisation: None,
                    jst: None,
                    token: format!("token-{n}"),
                    consent_version: "1".into(),
                    mail,
                    now: "2026-11-28T10:00:00Z".parse().unwrap(),
                },
            )
            .await
        }
    };
    // Sent together, so that they share transactions where the engine
    // groups them; the one for an activity that does not exist fails.
    let (a, b, bad, c, d) = tokio::join!(
        step(1, activity),
        step(2, activity),
        step(3, activity + 1000),
        step(4, activity),
        step(5, activity)
    );
    assert!(bad.is_err(), "{bad:?}");
    for r in [a, b, c, d] {
        assert!(matches!(r, Ok(Created::Pending(_))), "{r:?}");
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_shows_at_once_in_the_free_places_of_the_activity_page() {
    let app = spawn_app().await;
    let page = training(&app, Some(2)).await;
    let b = Browser::new(&app);
    let free = |body: &str| {
        body.split("<dt>Wolne miejsca</dt><dd>")
            .nth(1)
            .and_then(|rest| rest.split("</dd>").next())
            .map(str::to_owned)
    };
    assert_eq!(free(&b.get(&page).await.body).as_deref(), Some("2"));
    registered_and_confirmed(&app, &page, "Ola", "ola@example.org").await;
    // The page was cached before; the confirmation's own request dropped it.
    assert_eq!(free(&b.get(&page).await.body).as_deref(), Some("1"));
    registered_and_confirmed(&app, &page, "Ela", "ela@example.org").await;
    assert_eq!(
        free(&b.get(&page).await.body).as_deref(),
        Some("brak (zapis na listę rezerwową)")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_status_in_the_database_is_an_error_not_a_cancellation() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await;
    let here = registered_and_confirmed(&app, &page, "Zofia", "zofia@example.org").await;
    sqlx::query("UPDATE registration SET status = 'zagubiony' WHERE email = 'zofia@example.org'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let shown = app.get(&here).await;
    assert_eq!(
        shown.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        shown.body
    );
    assert!(!shown.body.contains("Zofia"), "{}", shown.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_time_in_the_database_is_an_error_not_a_default() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await;
    let b = Browser::new(&app);
    let here = registered(&app, &b, &page, "Zofia", "zofia@example.org").await;
    sqlx::query(
        "UPDATE registration SET created_at = 'wczoraj-o-zmroku' WHERE email = 'zofia@example.org'",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    let shown = app.get(&here).await;
    assert_eq!(
        shown.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        shown.body
    );
    assert!(shown.body.contains("Błąd serwera"), "{}", shown.body);
    assert!(!shown.body.contains("Zofia"), "{}", shown.body);
    let request_id = shown.headers["x-request-id"].to_str().unwrap().to_owned();
    let log = crate::helpers::log_text();
    let line = log
        .lines()
        .find(|l| l.contains("wczoraj-o-zmroku") && l.contains(&request_id))
        .unwrap_or_else(|| panic!("no log line names the stored text: {log}"));
    assert!(line.contains("ERROR") && line.contains("(czas)"), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_role_of_a_registration_is_an_error_not_an_empty_cell() {
    let app = spawn_app().await;
    let page = training(&app, Some(10)).await;
    registered_and_confirmed(&app, &page, "Zofia", "zofia@example.org").await;
    sqlx::query("UPDATE registration SET role = 'wrozka' WHERE email = 'zofia@example.org'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM activity")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let list = staff.get(&format!("/admin/dzialania/{id}/zapisy")).await;
    assert_eq!(
        list.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        list.body
    );
    assert!(!list.body.contains("zofia@example.org"), "{}", list.body);
    let log = crate::helpers::log_text();
    assert!(
        log.contains("wrozka") && log.contains("w słowniku AffiliationRole"),
        "the log names the code: {log}"
    );
}
