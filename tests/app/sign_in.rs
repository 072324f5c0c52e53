//! Signing in and out, lockout, sessions, the second factor.

use reqwest::StatusCode;

use crate::browser::{Browser, PASSWORD};
use crate::helpers::{between, spawn_app, TestApp, TestDatabase};
use koalicja::config::Settings;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_with_the_right_password_and_are_refused_with_a_wrong_one() {
    let app = spawn_app().await;
    app.account("koordynator@example.org", "coordinator", &[])
        .await;
    let b = Browser::new(&app);

    let wrong = b
        .sign_in_with("koordynator@example.org", "nie to hasło wcale")
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(
        wrong.body.contains("Nieprawidłowy adres e-mail lub hasło."),
        "{}",
        wrong.body
    );
    assert!(
        wrong.body.contains("value=\"koordynator@example.org\""),
        "the e-mail is kept"
    );
    assert_eq!(b.get("/admin").await.status, StatusCode::SEE_OTHER);

    let right = b.sign_in("KOORDYNATOR@example.org").await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    assert_eq!(right.headers["location"], "/admin");
    let dashboard = b.get("/admin").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard
            .body
            .contains("Ewa Żółkiewska (koordynator projektu)"),
        "{}",
        dashboard.body
    );

    let out = b.submit("/admin", "/admin/wyloguj", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = b.get("/admin").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.headers["location"], "/admin/logowanie?dalej=%2Fadmin");
}

/// A server behind a trusted proxy on an empty database, so that a
/// browser's address is the `X-Forwarded-For` it sends.
async fn behind_proxy() -> TestApp {
    let database = TestDatabase::new().await;
    let db = koalicja::store::Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    let settings = Settings {
        trust_forwarded_for: true,
        ..crate::helpers::local_settings(database.dir.path())
    };
    crate::helpers::spawn_with(database, db, settings).await
}

/// A browser whose requests come from `address`.
fn from<'a>(app: &'a TestApp, address: &str) -> Browser<'a> {
    let b = Browser::new(app);
    b.always_send("x-forwarded-for", address);
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_hold_back_the_guessing_address_for_fifteen_minutes_not_the_owner() {
    let app = behind_proxy().await;
    app.account("partner@example.org", "partner", &[]).await;
    let guesser = from(&app, "203.0.113.7");
    for _ in 0..5 {
        let r = guesser
            .sign_in_with("partner@example.org", "zgadywane hasło 123")
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    app.clock.advance(60);
    let locked = guesser.sign_in("partner@example.org").await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "from that address even the right password waits"
    );
    assert_eq!(locked.headers["retry-after"], "840");
    assert!(
        locked.body.contains("Zbyt wiele nieudanych prób logowania"),
        "{}",
        locked.body
    );

    // The owner, from their own address, is not held back by them.
    let owner = from(&app, "198.51.100.20");
    assert_eq!(
        owner.sign_in("partner@example.org").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(owner.get("/admin").await.status, StatusCode::OK);

    // Another account from the guessing address is not locked by these five.
    app.account("inna@example.org", "trainer", &[]).await;
    assert_eq!(
        guesser.sign_in("inna@example.org").await.status,
        StatusCode::SEE_OTHER
    );

    app.clock.advance(14 * 60 + 1);
    assert_eq!(
        guesser.sign_in("partner@example.org").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_spread_over_many_addresses_hold_back_new_addresses_not_the_owners() {
    let app = behind_proxy().await;
    app.account("admin@example.org", "admin", &[]).await;
    let owner = from(&app, "198.51.100.20");
    assert_eq!(
        owner.sign_in("admin@example.org").await.status,
        StatusCode::SEE_OTHER,
        "the owner's usual address"
    );
    app.clock.advance(3 * 24 * 3600);

    // Fifty guesses, five from each of ten addresses.
    for host in 1..=10 {
        let guesser = from(&app, &format!("203.0.113.{host}"));
        for _ in 0..5 {
            let r = guesser
                .sign_in_with("admin@example.org", "zgadywane hasło 123")
                .await;
            assert_eq!(r.status, StatusCode::OK, "{host}");
        }
    }
    let newcomer = from(&app, "192.0.2.99");
    let held = newcomer.sign_in("admin@example.org").await;
    assert_eq!(
        held.status,
        StatusCode::TOO_MANY_REQUESTS,
        "an address the account never signed in from waits"
    );
    assert!(held.headers.contains_key("retry-after"));
    assert_eq!(
        owner.sign_in("admin@example.org").await.status,
        StatusCode::SEE_OTHER,
        "the owner's address signs in"
    );
    app.clock.advance(15 * 60 + 1);
    assert_eq!(
        newcomer.sign_in("admin@example.org").await.status,
        StatusCode::SEE_OTHER,
        "until the guesses leave the window"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_failures_from_one_address_lock_every_account_from_it() {
    let app = spawn_app().await;
    app.account("admin@example.org", "admin", &[]).await;
    let b = Browser::new(&app);
    for i in 0..20 {
        let r = b
            .sign_in_with(&format!("ktos{i}@example.org"), "zgadywane hasło 123")
            .await;
        assert_eq!(r.status, StatusCode::OK, "attempt {i}");
    }
    let locked = b.sign_in("admin@example.org").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.headers.contains_key("retry-after"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_starts_a_new_session_and_the_old_token_stops_working() {
    let app = spawn_app().await;
    app.account("admin@example.org", "admin", &[]).await;
    let b = Browser::new(&app);
    b.sign_in("admin@example.org").await;
    let first = b.cookie("koalicja_sesja").expect("session cookie");
    b.sign_in("admin@example.org").await;
    let second = b.cookie("koalicja_sesja").expect("session cookie");
    assert_ne!(first, second, "the session is rotated at sign-in");

    let stale = Browser::new(&app);
    stale.set_cookie("koalicja_sesja", &first);
    assert_eq!(stale.get("/admin").await.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/admin").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ends_after_thirty_idle_minutes_or_twelve_hours() {
    let app = spawn_app().await;
    app.account("admin@example.org", "admin", &[]).await;
    let b = Browser::new(&app);
    b.sign_in("admin@example.org").await;
    app.clock.advance(29 * 60);
    assert_eq!(
        b.get("/admin").await.status,
        StatusCode::OK,
        "29 minutes idle is fine"
    );
    app.clock.advance(31 * 60);
    assert_eq!(
        b.get("/admin").await.status,
        StatusCode::SEE_OTHER,
        "31 minutes idle ends it"
    );

    b.sign_in("admin@example.org").await;
    let mut alive = 0;
    for _ in 0..40 {
        app.clock.advance(25 * 60);
        if b.get("/admin").await.status != StatusCode::OK {
            break;
        }
        alive += 25;
    }
    assert_eq!(
        alive, 700,
        "kept busy every 25 minutes, it lives 11 h 40 min and is gone at 12 h 05 min"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_second_factor_the_code_is_asked_and_works_once() {
    let app = spawn_app().await;
    app.account("admin@example.org", "admin", &[]).await;
    let b = Browser::new(&app);
    b.sign_in("admin@example.org").await;
    let setup = b.get("/admin/konto/dwuetapowe").await;
    let secret = between(&setup.body, "name=\"secret\" value=\"", "\"").expect("secret");
    let step = koalicja::domain::auth::totp_step(app.clock.now().as_second());
    let code = koalicja::domain::auth::totp_code(&secret, step).expect("code");
    let on = b
        .post(
            "/admin/konto/dwuetapowe",
            &[
                ("csrf", &crate::browser::csrf(&setup.body)),
                ("secret", &secret),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);

    app.clock.advance(60);
    let other = Browser::new(&app);
    let r = other.sign_in("admin@example.org").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/admin/logowanie/kod"));
    assert_eq!(
        other.get("/admin").await.status,
        StatusCode::SEE_OTHER,
        "no access before the code"
    );
    let wrong = other
        .submit(
            "/admin/logowanie/kod",
            "/admin/logowanie/kod",
            &[("code", "000000")],
        )
        .await;
    assert!(
        wrong.body.contains("Kod jest nieprawidłowy"),
        "{}",
        wrong.body
    );
    let step = koalicja::domain::auth::totp_step(app.clock.now().as_second());
    let code = koalicja::domain::auth::totp_code(&secret, step).expect("code");
    let ok = other
        .submit(
            "/admin/logowanie/kod",
            "/admin/logowanie/kod",
            &[("code", &code)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(other.get("/admin").await.status, StatusCode::OK);

    let third = Browser::new(&app);
    third.sign_in("admin@example.org").await;
    let replay = third
        .submit(
            "/admin/logowanie/kod",
            "/admin/logowanie/kod",
            &[("code", &code)],
        )
        .await;
    assert!(
        replay.body.contains("został już użyty"),
        "a code works once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    app.account("admin@example.org", "admin", &[]).await;
    let here = Browser::new(&app);
    here.sign_in("admin@example.org").await;
    let elsewhere = Browser::new(&app);
    elsewhere.sign_in("admin@example.org").await;

    let refused = here
        .submit(
            "/admin/haslo",
            "/admin/haslo",
            &[
                ("current", "zle haslo zle"),
                ("password", "nowe hasło do panelu"),
                ("repeat", "nowe hasło do panelu"),
            ],
        )
        .await;
    assert!(
        refused.body.contains("Obecne hasło jest nieprawidłowe."),
        "{}",
        refused.body
    );
    let short = here
        .submit(
            "/admin/haslo",
            "/admin/haslo",
            &[
                ("current", PASSWORD),
                ("password", "krótkie"),
                ("repeat", "krótkie"),
            ],
        )
        .await;
    assert!(
        short.body.contains("co najmniej 12 znaków"),
        "{}",
        short.body
    );
    let changed = here
        .submit(
            "/admin/haslo",
            "/admin/haslo",
            &[
                ("current", PASSWORD),
                ("password", "nowe hasło do panelu"),
                ("repeat", "nowe hasło do panelu"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        here.get("/admin").await.status,
        StatusCode::OK,
        "this browser stays in"
    );
    assert_eq!(
        elsewhere.get("/admin").await.status,
        StatusCode::SEE_OTHER,
        "others are out"
    );
    let again = Browser::new(&app);
    assert_eq!(
        again
            .sign_in_with("admin@example.org", "nowe hasło do panelu")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_admin_on_the_command_line_makes_an_account_that_signs_in() {
    let database = crate::helpers::TestDatabase::new().await;
    let args = [
        "create-admin",
        "--email",
        "Szefowa@Example.org",
        "--name",
        "Szefowa Federacji",
        "--database-url",
        &database.url,
    ];
    let (ok, out) = crate::helpers::run_cli_with(&args, &[("KOALICJA_ADMIN_PASSWORD", "krótkie")]);
    assert!(!ok, "a short password is refused");
    assert!(
        out.contains("Hasło musi mieć co najmniej 12 znaków."),
        "{out}"
    );
    let (ok, out) = crate::helpers::run_cli_with(&args, &[("KOALICJA_ADMIN_PASSWORD", PASSWORD)]);
    assert!(ok, "{out}");
    assert!(!out.contains(PASSWORD), "the password is not logged");
    let (ok, out) = crate::helpers::run_cli_with(&args, &[("KOALICJA_ADMIN_PASSWORD", PASSWORD)]);
    assert!(
        !ok && out.contains("Konto szefowa@example.org już istnieje."),
        "{out}"
    );

    let db = koalicja::store::Db::connect(&database.url).await.unwrap();
    let app = crate::helpers::spawn_on(database, db).await;
    let b = Browser::new(&app);
    assert_eq!(
        b.sign_in("szefowa@example.org").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        b.get("/admin/konta").await.status,
        StatusCode::OK,
        "an admin"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_attempts_count_by_the_forwarded_address() {
    for trusted in [true, false] {
        let database = crate::helpers::TestDatabase::new().await;
        let db = koalicja::store::Db::connect(&database.url).await.unwrap();
        db.migrate().await.unwrap();
        let settings = Settings {
            trust_forwarded_for: trusted,
            ..crate::helpers::local_settings(database.dir.path())
        };
        let app = crate::helpers::spawn_with(database, db, settings).await;
        app.account("admin@example.org", "admin", &[]).await;
        let guesser = Browser::new(&app);
        guesser.always_send("x-forwarded-for", "203.0.113.7, 10.0.0.1");
        for i in 0..20 {
            guesser
                .sign_in_with(&format!("ktos{i}@example.org"), "zgadywane hasło 123")
                .await;
        }
        let colleague = Browser::new(&app);
        colleague.always_send("x-forwarded-for", "10.0.0.2");
        let status = colleague.sign_in("admin@example.org").await.status;
        if trusted {
            assert_eq!(
                status,
                StatusCode::SEE_OTHER,
                "another client behind the proxy is not locked"
            );
            assert_eq!(
                guesser.sign_in("admin@example.org").await.status,
                StatusCode::TOO_MANY_REQUESTS
            );
        } else {
            assert_eq!(
                status,
                StatusCode::TOO_MANY_REQUESTS,
                "an untrusted header changes nothing"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_common_password_is_refused_wherever_a_password_is_set() {
    const COMMON: &str = "To hasło jest zbyt popularne";
    let app = spawn_app().await;
    let admin = app.signed_in("admin@example.org", "admin", &[]).await;

    // A new account: nothing made, what was typed kept.
    let before = app.rows("account").await;
    let refused = admin
        .submit(
            "/admin/konta",
            "/admin/konta",
            &[
                ("email", "nowa@example.org"),
                ("name", "Nowa Trenerka"),
                ("role", "trainer"),
                ("password", "Qwertyuiop12"),
            ],
        )
        .await;
    assert!(refused.body.contains(COMMON), "{}", refused.body);
    assert!(refused.body.contains("value=\"nowa@example.org\""));
    assert_eq!(app.rows("account").await, before);

    // A change of one's own password: Polish letters and spaces do not
    // make a common password another.
    let changed = admin
        .submit(
            "/admin/haslo",
            "/admin/haslo",
            &[
                ("current", PASSWORD),
                ("password", "Kocham Cię 123"),
                ("repeat", "Kocham Cię 123"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert!(changed.body.contains(COMMON), "{}", changed.body);
    assert_eq!(
        Browser::new(&app)
            .sign_in_with("admin@example.org", "Kocham Cię 123")
            .await
            .status,
        StatusCode::OK,
        "the password did not change"
    );

    // A reset: refused, and the link still works for a better one.
    let b = Browser::new(&app);
    b.submit(
        "/admin/haslo/reset",
        "/admin/haslo/reset",
        &[("email", "admin@example.org")],
    )
    .await;
    let mails = crate::mail::sent(&app, 1).await;
    let mail = mails.iter().rev().find(|m| m.0 == "admin@example.org");
    let path = crate::mail::link(&mail.expect("the reset link").1);
    let common = b
        .submit(
            &path,
            &path,
            &[("password", "polska123456"), ("repeat", "polska123456")],
        )
        .await;
    assert!(common.body.contains(COMMON), "{}", common.body);
    let set = b
        .submit(
            &path,
            &path,
            &[
                ("password", "mazowieckie łąki o świcie"),
                ("repeat", "mazowieckie łąki o świcie"),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_admin_refuses_a_common_password() {
    let database = crate::helpers::TestDatabase::new().await;
    let (ok, out) = crate::helpers::run_cli_with(
        &[
            "create-admin",
            "--email",
            "szefowa@example.org",
            "--name",
            "Szefowa Federacji",
            "--database-url",
            &database.url,
        ],
        &[("KOALICJA_ADMIN_PASSWORD", "qwerty123456")],
    );
    assert!(!ok, "{out}");
    assert!(out.contains("To hasło jest zbyt popularne"), "{out}");
}

/// The TOTP secret of `account` as the database holds it.
async fn stored_totp(app: &TestApp, account: i64) -> String {
    sqlx::query_scalar::<_, String>("SELECT totp_secret FROM account WHERE id = $1")
        .bind(account)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// Signs in with the password and the code of `secret` now.
async fn sign_in_with_code<'a>(app: &'a TestApp, email: &str, secret: &str) -> Browser<'a> {
    let b = Browser::new(app);
    let r = b.sign_in(email).await;
    assert!(r.headers["location"]
        .to_str()
        .unwrap()
        .starts_with("/admin/logowanie/kod"));
    let step = koalicja::domain::auth::totp_step(app.clock.now().as_second());
    let code = koalicja::domain::auth::totp_code(secret, step).expect("code");
    let ok = b
        .submit(
            "/admin/logowanie/kod",
            "/admin/logowanie/kod",
            &[("code", &code)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_totp_secret_is_stored_sealed_and_signing_in_with_a_code_works() {
    let app = spawn_app().await;
    let id = app.account("admin@example.org", "admin", &[]).await;
    let b = Browser::new(&app);
    b.sign_in("admin@example.org").await;
    let setup = b.get("/admin/konto/dwuetapowe").await;
    let secret = between(&setup.body, "name=\"secret\" value=\"", "\"").expect("secret");
    let step = koalicja::domain::auth::totp_step(app.clock.now().as_second());
    let code = koalicja::domain::auth::totp_code(&secret, step).expect("code");
    let on = b
        .submit(
            "/admin/konto/dwuetapowe",
            "/admin/konto/dwuetapowe",
            &[("secret", &secret), ("code", &code)],
        )
        .await;
    assert_eq!(on.status, StatusCode::SEE_OTHER, "{}", on.body);

    let stored = stored_totp(&app, id).await;
    assert!(!stored.contains(&secret), "{stored}");
    assert!(stored.starts_with("v1:"), "{stored}");
    assert!(app.data_dir.join("secret.key").exists(), "the key made");

    app.clock.advance(60);
    let other = sign_in_with_code(&app, "admin@example.org", &secret).await;
    assert_eq!(other.get("/admin").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_totp_secret_stored_in_clear_is_sealed_at_start_and_still_works() {
    let database = TestDatabase::new().await;
    let db = koalicja::store::Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    let id = koalicja::service::accounts::create_account(
        &db,
        "admin@example.org",
        "Administratorka",
        "admin",
        PASSWORD,
        &[],
        "2026-11-28T00:00:00Z".parse().unwrap(),
    )
    .await
    .unwrap();
    // As a version before encryption wrote it.
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    sqlx::query("UPDATE account SET totp_secret = $1 WHERE id = $2")
        .bind(secret)
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
    let key = "ab".repeat(32);
    let settings = Settings {
        secret_key: koalicja::domain::sealed::SecretKey::parse(&key),
        ..crate::helpers::local_settings(database.dir.path())
    };
    let app = crate::helpers::spawn_with(database, db, settings).await;
    let stored = stored_totp(&app, id).await;
    assert!(
        stored.starts_with("v1:") && !stored.contains(secret),
        "{stored}"
    );
    assert!(
        !app.data_dir.join("secret.key").exists(),
        "the configured key is used, no file made"
    );
    let b = sign_in_with_code(&app, "admin@example.org", secret).await;
    assert_eq!(b.get("/admin").await.status, StatusCode::OK);
}

/// Sends `n` wrong passwords for `email` at once, each from a browser of
/// its own, through `apps` in turn; their statuses.
async fn guesses_at_once(
    apps: &[std::sync::Arc<TestApp>],
    email: &str,
    n: usize,
) -> Vec<StatusCode> {
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..n {
        let app = apps[i % apps.len()].clone();
        let email = email.to_owned();
        guesses.spawn(async move {
            let b = Browser::new(&app);
            let r = b.sign_in_with(&email, "zgadywane hasło 123").await;
            if r.status == StatusCode::TOO_MANY_REQUESTS {
                assert!(
                    r.body.contains("Zbyt wiele nieudanych prób logowania"),
                    "{}",
                    r.body
                );
            } else {
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                assert!(r.body.contains("Nieprawidłowy adres e-mail lub hasło."));
            }
            r.status
        });
    }
    guesses.join_all().await
}

/// How many sign-in attempts for `email` were checked (each checked one
/// is recorded; a refused one is not).
async fn attempts_checked(app: &TestApp, email: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_attempt WHERE email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_are_checked_no_more_than_the_limit_allows() {
    let app = std::sync::Arc::new(crate::helpers::spawn_empty().await);
    app.account("rownolegle@example.org", "partner", &[]).await;
    let statuses = guesses_at_once(std::slice::from_ref(&app), "rownolegle@example.org", 40).await;
    let checked = attempts_checked(&app, "rownolegle@example.org").await;
    assert_eq!(checked, 5, "{statuses:?}");
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(refused, 40 - 5, "{statuses:?}");
    // The right password is refused too while the limit holds.
    let owner = Browser::new(&app);
    let r = owner.sign_in("rownolegle@example.org").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_through_two_instances_are_checked_no_more_than_the_limit_allows() {
    let first = crate::helpers::spawn_empty().await;
    let second_db = koalicja::store::Db::connect(&first.database.url)
        .await
        .unwrap();
    let second = crate::helpers::spawn_on(TestDatabase::shared(&first.database), second_db).await;
    first.account("dwie@example.org", "partner", &[]).await;
    let apps = [std::sync::Arc::new(first), std::sync::Arc::new(second)];
    let statuses = guesses_at_once(&apps, "dwie@example.org", 40).await;
    let checked = attempts_checked(&apps[0], "dwie@example.org").await;
    assert_eq!(checked, 5, "{statuses:?}");
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(refused, 40 - 5, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_role_in_the_database_is_an_error_page_and_a_log_line_not_a_trainer() {
    let app = spawn_app().await;
    let id = app
        .account("nieznana.rola@example.org", "coordinator", &[])
        .await;
    let b = Browser::new(&app);
    assert_eq!(
        b.sign_in("nieznana.rola@example.org").await.status,
        StatusCode::SEE_OTHER
    );
    let dashboard = b.get("/admin").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    // Its request's log lines name the request and the account.
    let request_id = dashboard.headers["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let log = crate::helpers::log_text();
    let line = log
        .lines()
        .find(|l| l.contains(&format!("request_id={request_id}")) && l.contains("status=200"))
        .unwrap_or_else(|| panic!("no log line names {request_id}: {log}"));
    assert!(line.contains(&format!("account={id}")), "{line}");
    sqlx::query("UPDATE account SET role = 'szefowa' WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let page = b.get("/admin").await;
    assert_eq!(
        page.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        page.body
    );
    assert!(page.body.contains("Błąd serwera"), "{}", page.body);
    assert!(!page.body.contains("trener"), "{}", page.body);
    let request_id = page.headers["x-request-id"].to_str().unwrap().to_owned();
    assert!(page.body.contains(&request_id), "{}", page.body);
    let log = crate::helpers::log_text();
    let line = log
        .lines()
        .find(|l| l.contains("szefowa"))
        .unwrap_or_else(|| panic!("no log line names the code: {log}"));
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains(&request_id), "{line}");

    // Signing in again meets the same error, not a trainer's view.
    let again = Browser::new(&app);
    let r = again.sign_in("nieznana.rola@example.org").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = again.get("/admin").await;
    assert_eq!(
        page.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        page.body
    );
}

/// A failed sign-in changes no record a page shows: it leaves the data
/// version, and with it every cached page, as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_leave_the_cached_pages_as_they_were() {
    let app = behind_proxy().await;
    app.account("partner@example.org", "partner", &[]).await;
    let version = || async {
        sqlx::query_scalar::<_, i64>("SELECT value FROM meta WHERE key = 'data_version'")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
    };
    let before = version().await;
    let guesser = from(&app, "203.0.113.9");
    for _ in 0..3 {
        let r = guesser
            .sign_in_with("partner@example.org", "zgadywane hasło 123")
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    assert_eq!(version().await, before);
}
