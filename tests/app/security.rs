//! What every page owes to security: CSRF, headers, cookie flags, limits.

use reqwest::StatusCode;

use crate::browser::Browser;
use crate::helpers::{spawn_app, spawn_with, TestDatabase};
use koalicja::config::Settings;
use koalicja::store::Db;

async fn organisations(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organisation")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let b = app.signed_in("admin@example.org", "admin", &[]).await;
    let before = organisations(&app).await;
    let fields = [("name", "Fundacja Podrobiona"), ("legal_form", "fundacja")];
    let missing = b.post("/admin/organizacje/nowa", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(
        missing
            .body
            .contains("Formularz wygasł albo nie pochodzi z tej strony."),
        "{}",
        missing.body
    );
    let mut wrong = vec![("csrf", "podrobiony-token")];
    wrong.extend_from_slice(&fields);
    assert_eq!(
        b.post("/admin/organizacje/nowa", &wrong).await.status,
        StatusCode::FORBIDDEN
    );
    // Another browser's token does not work either.
    let other = app.signed_in("drugi@example.org", "admin", &[]).await;
    let theirs = crate::browser::csrf(&other.get("/admin").await.body);
    let mut foreign = vec![("csrf", theirs.as_str())];
    foreign.extend_from_slice(&fields);
    assert_eq!(
        b.post("/admin/organizacje/nowa", &foreign).await.status,
        StatusCode::FORBIDDEN
    );
    // Signing out and the anonymous forms need it too.
    assert_eq!(
        b.post("/admin/wyloguj", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let anonymous = Browser::new(&app);
    assert_eq!(
        anonymous
            .post(
                "/admin/logowanie",
                &[
                    ("email", "admin@example.org"),
                    ("password", crate::browser::PASSWORD)
                ]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(organisations(&app).await, before);
    assert_eq!(
        b.get("/admin").await.status,
        StatusCode::OK,
        "still signed in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_carries_the_security_headers() {
    let app = spawn_app().await;
    let b = app.signed_in("admin@example.org", "admin", &[]).await;
    for path in [
        "/",
        "/szkolenia",
        "/api/v1/stats",
        "/nie-ma-takiej",
        "/admin",
        "/admin/logowanie",
        "/admin/organizacje",
    ] {
        let r = b.get(path).await;
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(r.headers["referrer-policy"], "same-origin", "{path}");
        assert!(
            !r.headers.contains_key("strict-transport-security"),
            "no HSTS over plain HTTP"
        );
        if path.starts_with("/admin") {
            assert_eq!(r.headers["cache-control"], "no-store", "{path}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cookie_is_http_only_and_same_site_and_secure_and_host_only_behind_https() {
    for https in [false, true] {
        let database = TestDatabase::new().await;
        let db = Db::connect(&database.url).await.unwrap();
        db.migrate().await.unwrap();
        let settings = Settings {
            base_url: if https {
                "https://koalicja.example.org".into()
            } else {
                "http://127.0.0.1:8080".into()
            },
            https,
            ..crate::helpers::local_settings(database.dir.path())
        };
        let app = spawn_with(database, db, settings).await;
        app.account("admin@example.org", "admin", &[]).await;
        let b = Browser::new(&app);
        b.sign_in_with("admin@example.org", "złe hasło złe hasło")
            .await;
        b.sign_in("admin@example.org").await;
        assert_eq!(b.get("/admin").await.status, StatusCode::OK, "signed in");
        b.submit("/admin", "/admin/wyloguj", &[]).await;
        assert_eq!(b.get("/admin").await.status, StatusCode::SEE_OTHER);
        let cookies = b.set_cookies.lock().unwrap().clone();
        assert!(cookies.len() >= 3, "{cookies:?}");
        // Over https the names carry `__Host-`: only this host, over
        // https, may set them (Secure, Path=/, no Domain).
        let prefix = if https { "__Host-" } else { "" };
        for name in ["koalicja_sesja", "koalicja_csrf"] {
            assert!(
                cookies
                    .iter()
                    .any(|c| c.starts_with(&format!("{prefix}{name}="))),
                "{name}: {cookies:?}"
            );
        }
        for c in &cookies {
            assert!(c.contains("; HttpOnly"), "{c}");
            assert!(c.contains("; SameSite=Lax"), "{c}");
            assert!(c.contains("; Path=/"), "{c}");
            assert!(!c.contains("Domain="), "{c}");
            assert_eq!(c.contains("; Secure"), https, "{c}");
            assert_eq!(c.starts_with("__Host-"), https, "{c}");
        }
        // A cookie without the prefix is not read over https: another
        // host could have set it.
        let session = b.cookie(&format!("{prefix}koalicja_sesja"));
        assert!(session.is_none(), "signed out");
        b.sign_in("admin@example.org").await;
        let token = b
            .cookie(&format!("{prefix}koalicja_sesja"))
            .expect("a session");
        let planted = Browser::new(&app);
        planted.set_cookie("koalicja_sesja", &token);
        let status = planted.get("/admin").await.status;
        assert_eq!(status == StatusCode::OK, !https, "{status}");
        let r = b.get("/").await;
        assert_eq!(r.headers.contains_key("strict-transport-security"), https);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_form_is_refused() {
    let app = spawn_app().await;
    let b = app.signed_in("admin@example.org", "admin", &[]).await;
    let token = crate::browser::csrf(&b.get("/admin").await.body);
    let huge = "x".repeat(3 * 1024 * 1024);
    let r = b
        .post(
            "/admin/organizacje/nowa",
            &[("csrf", &token), ("name", &huge)],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("Przesłane dane są zbyt duże."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_are_refused_in_every_form_and_nothing_is_stored() {
    let app = spawn_app().await;
    const REFUSED: &str = "niedozwolone znaki sterujące";

    // A public form (urlencoded): the advisory request.
    let public = Browser::new(&app);
    let cases = app.rows("case_file").await;
    for (field, value) in [
        ("email", "x@example.org\u{0}x"),
        ("name", "Jan\u{1b}[31m Łąkowski"),
        ("description", "Jak rozliczyć\u{7f} mały grant?"),
    ] {
        let mut fields = vec![
            ("organisation", "Fundacja Łąki"),
            ("name", "Jan Łąkowski"),
            ("email", "jan@example.org"),
            ("contact", "email"),
            ("topic", "small_grants"),
            ("description", "Jak rozliczyć mały grant?"),
            ("consent", "1"),
        ];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        let r = public
            .submit("/doradztwo/zgloszenie", "/doradztwo/zgloszenie", &fields)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}");
        assert!(r.body.contains(REFUSED), "{field}: {}", r.body);
    }
    // The same form with tabs and line ends is text and is filed.
    let fine = public
        .submit(
            "/doradztwo/zgloszenie",
            "/doradztwo/zgloszenie",
            &[
                ("organisation", "Fundacja Łąki"),
                ("name", "Jan Łąkowski"),
                ("email", "jan@example.org"),
                ("contact", "email"),
                ("topic", "small_grants"),
                ("description", "Pytanie 1:\r\n\tJak rozliczyć mały grant?"),
                ("consent", "1"),
            ],
        )
        .await;
    assert_eq!(fine.status, StatusCode::SEE_OTHER, "{}", fine.body);
    assert_eq!(app.rows("case_file").await, cases + 1);

    // A public multipart form: the report of a problem.
    let mut fields = crate::cases::problem("1420011", "programme_not_adopted", false);
    fields.retain(|(k, _)| *k != "organisation");
    fields.push(("organisation", "Stowarzyszenie\u{0} Przyjaciół"));
    let r = crate::cases::report(&public, &fields, vec![]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains(REFUSED), "{}", r.body);
    assert_eq!(app.rows("case_file").await, cases + 1);

    // A back-office form.
    let staff = app.signed_in("admin@example.org", "admin", &[]).await;
    let before = app.rows("organisation").await;
    let r = staff
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[("name", "Fundacja\u{0} Źródło"), ("legal_form", "fundacja")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains(REFUSED), "{}", r.body);
    assert_eq!(app.rows("organisation").await, before, "nothing stored");

    // A file to import names the row and the column.
    let csv = "nazwa;forma_prawna;krs;nip;regon;adres;jst;opp;obszary\n\
               Fundacja\u{1}Pierwsza;fundacja;;;;ul. Długa 1;1420011;tak;ekologia\n";
    let report = staff
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "organizacje")],
            ("file", csv.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        report
            .body
            .contains("Kolumna nazwa: niedozwolone znaki sterujące"),
        "{}",
        report.body
    );
    assert_eq!(app.rows("organisation").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_a_browser_says_came_from_another_site_is_refused_even_with_its_token() {
    let app = spawn_app().await;
    let fields = [("name", "Fundacja Z Zewnątrz"), ("legal_form", "fundacja")];
    let form = "/admin/organizacje/nowa";
    let before = organisations(&app).await;
    for (header, value) in [
        ("origin", "https://zlosliwa.example"),
        ("origin", "null"),
        ("origin", "http://127.0.0.1:1"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let b = app
            .signed_in(
                &format!("{value}@example.org").replace([':', '/'], ""),
                "admin",
                &[],
            )
            .await;
        b.always_send(header, value);
        let r = b.submit(form, form, &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{header}: {value}");
        assert!(
            r.body
                .contains("Formularz wygasł albo nie pochodzi z tej strony."),
            "{}",
            r.body
        );
        assert_eq!(organisations(&app).await, before, "{header}: {value}");
    }
    // The site's own origin (the address it was reached at, base_url being
    // unset), a same-origin fetch, and a client that says nothing: taken.
    let own = app.address.clone();
    for (i, headers) in [
        vec![("origin", own.as_str()), ("sec-fetch-site", "same-origin")],
        vec![("sec-fetch-site", "same-site")],
        vec![],
    ]
    .into_iter()
    .enumerate()
    {
        let b = app
            .signed_in(&format!("wlasna{i}@example.org"), "admin", &[])
            .await;
        for (k, v) in &headers {
            b.always_send(k, v);
        }
        let name = format!("Fundacja Własna {i}");
        let r = b
            .submit(form, form, &[("name", &name), ("legal_form", "fundacja")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{headers:?}: {}", r.body);
    }
    assert_eq!(organisations(&app).await, before + 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_base_url_set_only_its_origin_may_send_forms() {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    let settings = Settings {
        base_url: "https://koalicja.example.org".into(),
        base_url_set: true,
        ..crate::helpers::local_settings(database.dir.path())
    };
    let app = spawn_with(database, db, settings).await;
    app.account("admin@example.org", "admin", &[]).await;
    let own = app.address.clone();
    for (origin, taken) in [
        ("https://koalicja.example.org", true),
        (own.as_str(), false),
        ("http://koalicja.example.org", false),
    ] {
        let b = Browser::new(&app);
        b.always_send("origin", origin);
        let r = b.sign_in("admin@example.org").await;
        let expected = if taken {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(r.status, expected, "{origin}: {}", r.body);
    }
}
