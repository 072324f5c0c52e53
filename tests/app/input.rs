//! Odd input gets a Polish 4xx and stores nothing, never a 500: control
//! characters in addresses, values longer than their fields, searches
//! longer than a search, addresses that are no e-mail, ids of nothing,
//! and unique values written by several requests at once.

use reqwest::StatusCode;

use crate::browser::Browser;
use crate::helpers::spawn_app;
use crate::registration::{futures_join, register, training};

const CONTROL: &str = "niedozwolone znaki sterujące";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_character_in_a_path_or_query_is_a_polish_400_everywhere() {
    let app = spawn_app().await;
    let page = training(&app, Some(5)).await;
    // A page read once is served from the cache; the same address with a
    // NUL in a parameter the page does not read is refused all the same.
    assert_eq!(app.get("/szkolenia?strona=1").await.status, StatusCode::OK);
    for address in [
        "/szkolenia?strona=1&utm=%00",
        "/szkolenia/ab%00c",
        "/szkolenia/ab%00c/kalendarz.ics",
        "/dzialania-lokalne/a%00",
        "/dzialania-lokalne/wydarzenie/a%00",
        "/zapisy/ab%00",
        "/zapisy/ab%00/potwierdz",
        "/zapisy/a%0Ab/rezygnacja",
        "/zaswiadczenia/AB%00",
        "/zaswiadczenia?kod=%1B",
        "/zgloszenia/przyjete/a%00",
        "/jst?q=P%C5%82o%00",
        "/szkolenia?temat=%C2%85",
        "/admin/logowanie?dalej=%00",
        "/admin/haslo/reset/a%00",
        "/nie-ma-takiej%00",
        "/static/style.css?v=%7F",
    ] {
        let r = app.get(address).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{address}");
        assert!(r.body.contains(CONTROL), "{address}: {}", r.body);
        assert!(
            r.body.contains("<html lang=\"pl\""),
            "{address}: the Polish page"
        );
        assert!(!r.body.contains('\0'), "{address}: nothing echoed");
    }
    let api = app.get("/api/v1/stats?from=2024-01-01%00").await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("JSON");
    assert!(json["error"].as_str().unwrap_or("").contains(CONTROL));

    // A form sent to an address with a NUL stores nothing.
    let b = Browser::new(&app);
    let form = b.get(&format!("{page}/zapis")).await;
    let token = crate::browser::csrf(&form.body);
    let before = app.rows("registration").await;
    let r = b
        .post(
            &format!("{page}%00/zapis"),
            &[
                ("csrf", token.as_str()),
                ("first_name", "Anna"),
                ("last_name", "Nowak"),
                ("email", "anna@example.org"),
                ("role", "ngo_leader"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains(CONTROL));
    assert_eq!(app.rows("registration").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_longer_than_their_fields_are_refused_with_the_field_and_its_limit() {
    let app = spawn_app().await;
    let page = training(&app, Some(5)).await;
    let b = Browser::new(&app);

    // A 100 kB e-mail in the public forms: a message at the field.
    let long_email = format!("{}@example.org", "a".repeat(100_000));
    let registrations = app.rows("registration").await;
    let r = register(&b, &page, "Anna", &long_email).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("E-mail: Adres e-mail może mieć najwyżej 254 znaki."),
        "{}",
        &r.body[..2000.min(r.body.len())]
    );
    assert_eq!(app.rows("registration").await, registrations);
    let r = register(&b, &page, &"Ż".repeat(101), "anna@example.org").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Imię: Najwyżej 100 znaków."));
    assert_eq!(app.rows("registration").await, registrations);

    let cases = app.rows("case_file").await;
    let mut fields = vec![
        ("organisation", "Fundacja Łąki"),
        ("name", "Jan Łąkowski"),
        ("email", long_email.as_str()),
        ("contact", "email"),
        ("topic", "small_grants"),
        ("description", "Jak rozliczyć mały grant?"),
        ("consent", "1"),
    ];
    let r = b
        .submit("/doradztwo/zgloszenie", "/doradztwo/zgloszenie", &fields)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .body
        .contains("E-mail: Adres e-mail może mieć najwyżej 254 znaki."));
    let long_text = "ż".repeat(10_001);
    fields[2].1 = "jan@example.org";
    fields[5].1 = &long_text;
    let r = b
        .submit("/doradztwo/zgloszenie", "/doradztwo/zgloszenie", &fields)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Najwyżej 10000 znaków."), "{}", r.body);
    assert_eq!(app.rows("case_file").await, cases);

    // Signing in and asking for a password link with one: the same
    // message, and no attempt stored.
    let attempts = app.rows("sign_in_attempt").await;
    let mails = app.rows("outbox").await;
    for (page, fields) in [
        (
            "/admin/logowanie",
            vec![("email", long_email.as_str()), ("password", "x")],
        ),
        ("/admin/haslo/reset", vec![("email", long_email.as_str())]),
    ] {
        let r = b.submit(page, page, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
        assert!(
            r.body
                .contains("Adres e-mail może mieć najwyżej 254 znaki."),
            "{page}: {}",
            r.body
        );
    }
    assert_eq!(app.rows("sign_in_attempt").await, attempts);
    assert_eq!(app.rows("outbox").await, mails);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_name_of_two_megabytes_is_refused_and_the_accounts_still_list_and_export() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    let accounts = app.rows("account").await;
    let huge = "a".repeat(1_900_000);
    let r = admin
        .submit(
            "/admin/konta",
            "/admin/konta",
            &[
                ("email", "nowa@example.org"),
                ("name", huge.as_str()),
                ("role", "coordinator"),
                ("areas", ""),
                ("password", crate::browser::PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Imię i nazwisko: Najwyżej 200 znaków."),
        "{}",
        &r.body[..3000.min(r.body.len())]
    );
    assert_eq!(app.rows("account").await, accounts, "nothing stored");
    // The same code twice is one area; an e-mail that is markup is no
    // address.
    let made = admin
        .submit(
            "/admin/konta",
            "/admin/konta",
            &[
                ("email", "partnerka@example.org"),
                ("name", "Ewa Partnerska"),
                ("role", "partner"),
                ("areas", "1420, 1420; 1465011 1465"),
                ("password", crate::browser::PASSWORD),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let areas: Vec<String> = sqlx::query_scalar(
        "SELECT local_government FROM account_area a JOIN account c ON c.id = a.account_id \
         WHERE c.email = 'partnerka@example.org' ORDER BY 1",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(areas, ["1420", "1465"]);
    let markup = admin
        .submit(
            "/admin/konta",
            "/admin/konta",
            &[
                ("email", "<img/src=x/onerror=alert(1)>@x.pl"),
                ("name", "Ewa Żółkiewska"),
                ("role", "coordinator"),
                ("password", crate::browser::PASSWORD),
            ],
        )
        .await;
    assert_eq!(markup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(markup
        .body
        .contains("E-mail: Podaj adres e-mail w postaci nazwa@domena.pl."));
    for address in [
        "/admin/konta",
        "/admin/konta?format=csv",
        "/admin/konta?format=xlsx",
    ] {
        let (status, _) = admin.get_bytes(address).await;
        assert_eq!(status, StatusCode::OK, "{address}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_longer_than_a_search_is_refused_in_polish() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    let long = "x".repeat(60_000);
    for list in [
        "/admin/organizacje",
        "/admin/osoby",
        "/admin/dzialania",
        "/admin/jst",
    ] {
        let r = admin.get(&format!("{list}?q={long}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{list}");
        assert!(
            r.body
                .contains("Szukany tekst może mieć najwyżej 200 znaków."),
            "{list}: {}",
            r.body
        );
    }
    let r = admin.get(&format!("/admin/sprawy?numer={long}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // At the limit it is a search like any other.
    let fine = admin
        .get(&format!("/admin/organizacje?q={}", "x".repeat(200)))
        .await;
    assert_eq!(fine.status, StatusCode::OK);
    // The public finder takes the first 100 characters.
    assert_eq!(
        app.get(&format!("/jst?q={long}")).await.status,
        StatusCode::OK
    );

    // A typed reference longer than any name is not looked up.
    let case: i64 = sqlx::query_scalar("SELECT MIN(id) FROM case_file")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let here = format!("/admin/sprawy/{case}");
    let r = admin
        .submit(
            &here,
            &format!("{here}/powiazania"),
            &[("organisation", &long), ("jst", ""), ("person", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Najwyżej 300 znaków."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_is_no_email_address_anywhere() {
    let app = spawn_app().await;
    let page = training(&app, Some(5)).await;
    let b = Browser::new(&app);
    let before = app.rows("registration").await;
    for address in [
        "<img/src=x/onerror=alert(1)>@x.pl",
        "<img/src=x/onerror=…>@x.pl",
        "a(b)@x.pl",
        "a[b]@x.pl",
        "a\\b@x.pl",
        "a,b@x.pl",
        "a;b@x.pl",
        "a:b@x.pl",
        "\"a\"@x.pl",
        "a b@x.pl",
        "a@x_y.pl",
        "a@<x>.pl",
    ] {
        let r = register(&b, &page, "Anna", address).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        assert!(
            r.body
                .contains("Podaj adres e-mail w postaci nazwa@domena.pl."),
            "{address}"
        );
        assert!(!r.body.contains("<img/src"), "{address}: escaped when kept");
    }
    assert_eq!(app.rows("registration").await, before);
    let fine = register(&b, &page, "Anna", "o'brien+kurs@sub.example.org").await;
    assert_eq!(fine.status, StatusCode::SEE_OTHER);
}

async fn activity_form(b: &Browser<'_>) -> String {
    let form = b.get("/admin/dzialania/nowe").await;
    assert_eq!(form.status, StatusCode::OK);
    crate::browser::csrf(&form.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_of_nothing_are_404_or_a_form_message() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    let activities = app.rows("activity").await;
    // A trainer's account that does not exist.
    let r = admin
        .submit(
            "/admin/dzialania/nowe",
            "/admin/dzialania/nowe",
            &[
                ("kind", "training"),
                ("title", "Szkolenie bez trenera"),
                ("starts_on", "2027-01-15"),
                ("duration_minutes", "300"),
                ("venue", "Płońsk"),
                ("audience", "ngo"),
                ("trainer_account_id", "999999"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r
        .body
        .contains("Trener (konto): Nie ma takiego konta. Wybierz trenera z listy."));
    assert_eq!(app.rows("activity").await, activities, "nothing stored");

    // Records that do not exist, in the address.
    for address in [
        "/admin/dzialania/999999",
        "/admin/dzialania/999999/zapisy",
        "/admin/organizacje/999999",
        "/admin/osoby/999999",
        "/admin/sprawy/999999",
        "/admin/konta/999999",
        "/admin/strony/999999",
        "/admin/wyjazdy/999999",
        "/admin/jst/1499",
        "/jst/1499",
        "/szkolenia/nie-ma-takiego",
        "/dzialania-lokalne/wydarzenie/nie-ma-takiego",
        "/zapisy/nieznany-token",
        "/zapisy/nieznany%20token/potwierdz",
        "/zaswiadczenia/ABCDE-FGHJK",
    ] {
        let r = admin.get(address).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{address}");
    }
    let token = activity_form(&admin).await;
    for (address, fields) in [
        (
            "/admin/osoby/999999/afiliacje",
            vec![("role", "ngo_leader")],
        ),
        ("/admin/organizacje/999999", vec![("name", "Fundacja")]),
        ("/admin/sprawy/999999/notatka", vec![("note", "Notatka")]),
        ("/admin/dzialania/999999/obecnosc", vec![("person", "1")]),
    ] {
        let mut all = vec![("csrf", token.as_str())];
        all.extend(fields);
        let r = admin.post(address, &all).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{address}");
    }
    // A person who does not exist, typed where a person is asked for.
    let held: i64 = sqlx::query_scalar(
        "SELECT MIN(id) FROM activity WHERE status = 'held' AND kind = 'training'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let sheet = format!("/admin/dzialania/{held}/obecnosc");
    let attendance = app.rows("attendance").await;
    let r = admin.submit(&sheet, &sheet, &[("person", "999999")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Nie znaleziono osoby „999999”"),
        "{}",
        r.body
    );
    assert_eq!(app.rows("attendance").await, attendance);
}

/// Sends the same form `n` times at once from one signed-in browser.
async fn at_once(
    b: &Browser<'_>,
    action: &str,
    fields: &[(&str, &str)],
    n: usize,
) -> Vec<StatusCode> {
    let token = activity_form(b).await;
    let mut all = vec![("csrf", token.as_str())];
    all.extend_from_slice(fields);
    futures_join((0..n).map(|_| b.post(action, &all)))
        .await
        .into_iter()
        .map(|r| r.status)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_activities_of_one_title_created_at_once_get_ten_slugs() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    let title = "Warsztaty z konsultacji społecznych";
    let statuses = at_once(
        &admin,
        "/admin/dzialania/nowe",
        &[
            ("kind", "training"),
            ("title", title),
            ("starts_on", "2027-01-15"),
            ("duration_minutes", "300"),
            ("venue", "Płońsk"),
            ("local_government", "1420011"),
            ("audience", "ngo"),
        ],
        10,
    )
    .await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::SEE_OTHER),
        "{statuses:?}"
    );
    let slugs: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM activity WHERE title = $1 ORDER BY slug")
            .bind(title)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(slugs.len(), 10);
    let distinct: std::collections::BTreeSet<&String> = slugs.iter().collect();
    assert_eq!(distinct.len(), 10, "{slugs:?}");
    assert!(slugs.contains(&"warsztaty-z-konsultacji-spolecznych-20270115".to_owned()));
    // Each has its page.
    app.clock.advance(1);
    for slug in &slugs {
        let page = app.get(&format!("/szkolenia/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK, "{slug}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_nip_or_page_address_saved_ten_times_at_once_is_saved_once_and_refused_nine_times() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;
    let organisations = app.rows("organisation").await;
    let statuses = at_once(
        &admin,
        "/admin/organizacje/nowa",
        &[
            ("name", "Fundacja Jednego Numeru"),
            ("legal_form", "fundacja"),
            ("nip", "123-456-32-18"),
        ],
        10,
    )
    .await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
            .count(),
        9,
        "{statuses:?}"
    );
    assert_eq!(app.rows("organisation").await, organisations + 1);
    let again = admin
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", "Fundacja Jednego Numeru"),
                ("legal_form", "fundacja"),
                ("nip", "1234563218"),
            ],
        )
        .await;
    assert!(again
        .body
        .contains("Organizacja z tym numerem NIP już jest w bazie: Fundacja Jednego Numeru."));

    let pages = app.rows("page").await;
    let statuses = at_once(
        &admin,
        "/admin/strony/nowa",
        &[
            ("slug", "o-nas-jeszcze-raz"),
            ("title", "O nas"),
            ("body_md", "Tekst."),
        ],
        10,
    )
    .await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::SEE_OTHER)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| !s.is_server_error()),
        "{statuses:?}"
    );
    assert_eq!(app.rows("page").await, pages + 1);
}
