//! The public forms as a person, a lawyer and an attacker use them: one
//! mailbox is one registration whatever its spelling, a report's
//! confirmation shows only the case recorded, the registration pages and
//! e-mails name a training a training and say whose registration it is,
//! the public figures of interventions count what staff took up inside
//! the project's period, and a refused form keeps what was typed.

use reqwest::StatusCode;

use crate::browser::Browser;
use crate::cases::{case_id, filed, move_case, problem, report};
use crate::helpers::{between, spawn_app};
use crate::registration::{mailed_link, mails_to, register, training};

async fn registrations(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_mailbox_is_one_registration_whatever_its_spelling() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let b = Browser::new(&app);
    let first = register(&b, &page, "Anna", "own@example.org").await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    for spelling in [
        "<own@example.org>",
        "\"own\"@example.org",
        "\"own\\-x\"@example.org",
        "Anna <own@example.org>",
    ] {
        let r = register(&b, &page, "Anna", spelling).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{spelling}");
        assert!(
            r.body
                .contains("Podaj adres e-mail w postaci nazwa@domena.pl."),
            "{spelling}: {}",
            r.body
        );
    }
    // The same mailbox in other letters is the registration there is.
    let again = register(&b, &page, "Anna", " OWN@Example.ORG ").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(registrations(&app).await, 1);
    let stored: String = sqlx::query_scalar("SELECT email FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, "own@example.org");
    let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    // The confirmation request and the link sent again to its owner.
    assert_eq!(mails, 2);

    // The report forms follow the same rule.
    let mut fields = problem("1420011", "other", false);
    for f in &mut fields {
        if f.0 == "email" {
            f.1 = "<own@example.org>";
        }
    }
    let r = report(&b, &fields, vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .body
        .contains("Podaj adres e-mail w postaci nazwa@domena.pl."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reports_confirmation_shows_the_case_recorded_and_only_through_its_receipt() {
    let app = spawn_app().await;
    // An address made up by hand shows nothing.
    for made_up in [
        "/zgloszenia/przyjete?numer=INT/2026/999&jst=1465",
        "/zgloszenia/przyjete?numer=INT/2026/001",
        "/zgloszenia/przyjete/INT-2026-001",
    ] {
        let r = app.get(made_up).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{made_up}");
        assert!(!r.body.contains("Dziękujemy"), "{made_up}");
    }
    let b = Browser::new(&app);
    let r = report(&b, &problem("1420011", "other", false), vec![]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.redirected_to();
    assert!(to.starts_with("/zgloszenia/przyjete/"), "{to}");
    assert!(!to.contains("INT") && !to.contains("1420"), "{to}");
    let page = app.get(&to).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Numer sprawy: <strong>INT/2026/"));
    assert!(
        page.body.contains(
            "Samorząd, którego dotyczy zgłoszenie: <strong>Płońsk (gmina miejska)</strong>"
        ),
        "{}",
        page.body
    );
    // Query parameters change nothing of what it shows.
    let tampered = app.get(&format!("{to}?numer=INT/2026/999&jst=1465")).await;
    assert!(!tampered.body.contains("999") && !tampered.body.contains("otwock"));

    // The e-mail reads as Polish: "Twoje zgłoszenie", the kind in words.
    let mail = &mails_to(&app, "zofia@example.org").await[0].1;
    assert!(
        mail.contains(
            "przyjęliśmy Twoje zgłoszenie problemu ze współpracą z samorządem i nadaliśmy"
        ),
        "{mail}"
    );
    assert!(mail.contains("Rodzaj problemu: inne."), "{mail}");
    assert!(!mail.contains("(inne)") && !mail.contains("Twoją zgłoszenie"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_registration_pages_and_mails_say_training_and_whose_registration_it_is() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let b = Browser::new(&app);
    let form = format!("{page}/zapis");
    let r = b
        .submit(
            &form,
            &form,
            &[
                ("first_name", "Maria"),
                ("last_name", "Żurawska"),
                ("email", "maria@example.org"),
                ("affiliation", "Fundacja Zielony Płońsk"),
                ("role", "councillor"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sent = b.get(&r.redirected_to()).await;
    assert!(
        sent.body.contains(
            "Jeśli ten adres jest zapisany na szkolenie „Współpraca finansowa gmin z organizacjami”"
        ),
        "{}",
        sent.body
    );
    let mail = &mails_to(&app, "maria@example.org").await[0].1;
    assert!(mail.contains("zapisany na szkolenie:"), "{mail}");
    assert!(mail.contains("Strona szkolenia: "), "{mail}");
    assert!(!mail.contains("wydarzeni"), "{mail}");

    let here = mailed_link(&app, "maria@example.org").await;
    let own = b.get(&here).await;
    assert_eq!(own.status, StatusCode::OK);
    let facts = between(&own.body, "<dl class=\"facts\">", "</dl>").unwrap();
    for shown in [
        "<dt>Szkolenie</dt>",
        "<dt>Osoba zapisana</dt><dd>Maria Żurawska</dd>",
        "<dd>Fundacja Zielony Płońsk</dd>",
        "<dd>radna lub radny</dd>",
    ] {
        assert!(facts.contains(shown), "{shown}: {facts}");
    }
    assert!(!own.body.contains("Wydarzenie"), "{}", own.body);

    // A link followed to where the page posts leads to the page.
    for action in ["potwierdz", "rezygnacja"] {
        let r = b.get(&format!("{here}/{action}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}");
        assert_eq!(r.redirected_to(), here);
    }
    let still: String = sqlx::query_scalar("SELECT status FROM registration")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(still, "pending", "a GET changes nothing");

    // "Check your inbox" only while registration is open.
    app.clock.advance(14 * 24 * 60 * 60); // the training is over
    let closed = b.get(&format!("{page}/zapis/wyslano")).await;
    assert_eq!(closed.status, StatusCode::NOT_FOUND);
    let past = app
        .get("/wydarzenia/2021-05-19-seminarium-wprowadzajace/zapis/wyslano")
        .await;
    assert_eq!(past.status, StatusCode::NOT_FOUND);
}

async fn advisory(app: &crate::helpers::TestApp) -> serde_json::Value {
    serde_json::from_str(&app.get("/api/v1/advisory").await.body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_intervention_figures_count_cases_taken_up_inside_the_projects_period() {
    let app = spawn_app().await;
    let figure = |body: &str| {
        between(
            body,
            "Sprawy zgłoszone przez organizacje i podjęte przez nas: <strong>",
            "</strong>",
        )
        .unwrap_or_default()
    };
    let before = app.get("/doradztwo-i-interwencje").await.body;
    assert!(
        before.contains(
            "zgłoszone w okresie realizacji projektu (od 1 marca 2021 do 29 lutego 2024)"
        ),
        "{before}"
    );
    let counted = advisory(&app).await;
    assert_eq!(counted["interventions_from"], "2021-03-01");
    assert_eq!(counted["interventions_to"], "2024-02-29");
    // Reports sent today (after the project) change no public figure,
    // neither while new nor once taken up; inside the period a report
    // counts once staff take it up.
    let b = Browser::new(&app);
    let mut today = Vec::new();
    let mut inside = Vec::new();
    for i in 0..6 {
        let r = report(&b, &problem("1420011", "cooperation_rules", false), vec![]).await;
        let number = filed(&b, &r).await;
        let id = case_id(&app, &number).await;
        if i < 3 { &mut today } else { &mut inside }.push(format!("/admin/sprawy/{id}"));
    }
    app.clock.advance(1);
    assert_eq!(
        figure(&app.get("/doradztwo-i-interwencje").await.body),
        figure(&before)
    );
    assert_eq!(advisory(&app).await, counted);
    for case in &inside {
        let id = case.rsplit('/').next().unwrap().parse::<i64>().unwrap();
        sqlx::query("UPDATE case_file SET created_at = '2023-05-10T10:00:00Z' WHERE id = $1")
            .bind(id)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    for case in &today {
        let moved = move_case(&staff, case, "under_review", "").await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    }
    app.clock.advance(1);
    assert_eq!(advisory(&app).await, counted, "new or outside the period");
    for case in &inside {
        let moved = move_case(&staff, case, "under_review", "").await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    }
    app.clock.advance(1);
    let now = advisory(&app).await;
    assert_eq!(
        now["interventions"].as_i64().unwrap(),
        counted["interventions"].as_i64().unwrap() + 3,
        "{now}"
    );
    let page = app.get("/doradztwo-i-interwencje").await.body;
    assert_eq!(
        figure(&page),
        (counted["interventions"].as_i64().unwrap() + 3).to_string()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_form_marks_what_is_required_and_keeps_what_was_typed_when_limited() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let form = b.get("/interwencje/zgloszenie").await.body;
    assert!(
        form.contains("Rodzaj problemu <span class=\"req\">(wymagane)</span>"),
        "{form}"
    );
    let mut fields = problem("1420011", "", false);
    fields.retain(|f| f.0 != "consent");
    let bad = report(&b, &fields, vec![]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = between(&bad.body, "<div class=\"error-summary\"", "</div>").unwrap();
    assert!(
        summary.contains("w jego sprawie: Zgłoszenie wymaga zgody"),
        "{summary}"
    );
    assert!(!summary.contains(".:"), "{summary}");
    assert!(summary.contains("Rodzaj problemu: "), "{summary}");

    for _ in 0..10 {
        let r = report(&b, &problem("1420011", "transparency", false), vec![]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let mut eleventh = problem("1420011", "transparency", true);
    eleventh.push(("share", "1"));
    let limited = report(&b, &eleventh, vec![]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
    for kept in [
        "Wysłano zbyt wiele formularzy z tego adresu. Spróbuj ponownie za",
        "value=\"Stowarzyszenie Przyjaciół Ziemi Płońskiej\"",
        "value=\"zofia@example.org\"",
        "Rada gminy nie uchwaliła programu współpracy na 2027 rok do 30 listopada.",
        "<option value=\"transparency\" selected>",
    ] {
        assert!(limited.body.contains(kept), "{kept}: {}", limited.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_over_the_limit_keeps_what_was_typed() {
    let app = spawn_app().await;
    let page = training(&app, None).await;
    let b = Browser::new(&app);
    let mut last = None;
    for i in 0..61 {
        last = Some(register(&b, &page, "Fala", &format!("fala{i}@example.org")).await);
    }
    let last = last.unwrap();
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(last.headers.contains_key("retry-after"));
    for kept in [
        "Wysłano zbyt wiele formularzy z tego adresu.",
        "value=\"Fala\"",
        "value=\"Wiśniewska\"",
        "value=\"fala60@example.org\"",
    ] {
        assert!(last.body.contains(kept), "{kept}: {}", last.body);
    }
}
