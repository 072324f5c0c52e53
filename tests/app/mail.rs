//! E-mail: the outbox, the `.eml` folder, a real SMTP conversation, and the
//! password reset link they carry.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::browser::Browser;
use crate::helpers::{spawn_app, spawn_with, TestApp, TestDatabase};
use koalicja::config::Settings;
use koalicja::store::Db;

/// Runs the jobs due, then the sent messages' recipients and text
/// bodies; there must be at least `n`.
pub async fn sent(app: &TestApp, n: usize) -> Vec<(String, String)> {
    use sqlx::Row;
    app.run_jobs().await;
    let rows = sqlx::query(
        "SELECT recipient, body_text FROM outbox WHERE sent_at IS NOT NULL ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("outbox");
    assert!(rows.len() >= n, "{n} messages sent, not {}", rows.len());
    rows.iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect()
}

pub fn link(body: &str) -> String {
    let start = body.find("http://").expect("a link");
    let end = body[start..]
        .find(char::is_whitespace)
        .map(|e| start + e)
        .unwrap_or(body.len());
    let url = &body[start..end];
    url[url.find("/admin").expect("path")..].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_arrives_as_an_eml_file_works_once_and_expires_in_an_hour() {
    let app = spawn_app().await;
    app.account("trenerka@example.org", "trainer", &[]).await;
    let b = Browser::new(&app);
    let asked = b
        .submit(
            "/admin/haslo/reset",
            "/admin/haslo/reset",
            &[("email", "trenerka@example.org")],
        )
        .await;
    assert!(
        asked.body.contains("Jeśli konto o tym adresie istnieje"),
        "{}",
        asked.body
    );
    let unknown = b
        .submit(
            "/admin/haslo/reset",
            "/admin/haslo/reset",
            &[("email", "nikt@example.org")],
        )
        .await;
    assert_eq!(
        (unknown.status, &unknown.body),
        (asked.status, &asked.body),
        "the same page whether the address has an account or not"
    );

    let mails = sent(&app, 1).await;
    assert_eq!(mails.len(), 1, "only the existing account gets a message");
    assert_eq!(mails[0].0, "trenerka@example.org");
    let eml =
        std::fs::read_to_string(app.data_dir.join("outbox/000001.eml")).expect("the .eml file");
    assert!(eml.contains("To: trenerka@example.org"), "{eml}");
    let path = link(&mails[0].1);

    let form = b.get(&path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let set = b
        .submit(
            &path,
            &path,
            &[
                ("password", "zupełnie nowe hasło"),
                ("repeat", "zupełnie nowe hasło"),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(
        b.sign_in_with("trenerka@example.org", "zupełnie nowe hasło")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let again = b.get(&path).await;
    assert_eq!(again.status, StatusCode::GONE, "single use");
    assert!(again.body.contains("wygasło albo zostało już użyte"));

    b.submit(
        "/admin/haslo/reset",
        "/admin/haslo/reset",
        &[("email", "trenerka@example.org")],
    )
    .await;
    let mails = sent(&app, 2).await;
    let second = link(&mails[1].1);
    app.clock.advance(61 * 60);
    assert_eq!(
        b.get(&second).await.status,
        StatusCode::GONE,
        "expired after an hour"
    );
}

/// Rows of `table` matching `condition`.
async fn count(app: &TestApp, table: &str, condition: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table} WHERE {condition}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_for_a_reset_does_the_same_work_whether_the_account_exists() {
    let app = spawn_app().await;
    app.account("trenerka@example.org", "trainer", &[]).await;
    let b = Browser::new(&app);
    let (outbox, resets) = (app.rows("outbox").await, app.rows("password_reset").await);
    let mut pages = Vec::new();
    for (i, email) in ["trenerka@example.org", "nikt@example.org"]
        .iter()
        .enumerate()
    {
        let r = b
            .submit(
                "/admin/haslo/reset",
                "/admin/haslo/reset",
                &[("email", email)],
            )
            .await;
        pages.push((r.status, r.body));
        // Each answer left exactly one job and one counted attempt, and
        // nothing else: the link is made by the worker, off the request.
        let jobs = count(&app, "job", "kind = 'password_reset'").await;
        assert_eq!(jobs, i as i64 + 1, "{email}");
        assert_eq!(app.rows("outbox").await, outbox, "{email}");
        assert_eq!(app.rows("password_reset").await, resets, "{email}");
    }
    assert_eq!(pages[0], pages[1], "the same answer");
    assert_eq!(
        count(&app, "sign_in_attempt", "email LIKE 'reset:%'").await,
        2
    );

    let mails = sent(&app, 1).await;
    let links: Vec<_> = mails
        .iter()
        .filter(|m| m.1.contains("/admin/haslo/reset/"))
        .collect();
    assert_eq!(links.len(), 1, "the account's address only");
    assert_eq!(links[0].0, "trenerka@example.org");
    assert_eq!(
        count(&app, "job", "kind = 'password_reset'").await,
        0,
        "no job keeps an address typed"
    );
}

/// Asks for a reset link for `email` and returns the path of the one it
/// was sent.
async fn reset_link(app: &TestApp, b: &Browser<'_>, email: &str) -> String {
    b.submit(
        "/admin/haslo/reset",
        "/admin/haslo/reset",
        &[("email", email)],
    )
    .await;
    let mails = sent(app, 1).await;
    let to_email = mails.iter().rev().find(|m| m.0 == email);
    link(&to_email.expect("a link").1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_reset_link_or_a_new_password_voids_the_earlier_links() {
    let app = spawn_app().await;
    app.account("trenerka@example.org", "trainer", &[]).await;
    let b = Browser::new(&app);
    let first = reset_link(&app, &b, "trenerka@example.org").await;
    assert_eq!(b.get(&first).await.status, StatusCode::OK);
    let second = reset_link(&app, &b, "trenerka@example.org").await;
    assert_ne!(first, second);
    let gone = b.get(&first).await;
    assert_eq!(gone.status, StatusCode::GONE, "a newer link voids it");
    assert!(gone.body.contains("wygasło albo zostało już użyte"));
    let token = crate::browser::csrf(&b.get("/admin/haslo/reset").await.body);
    let set = b
        .post(
            &first,
            &[
                ("csrf", &token),
                ("password", "zupełnie nowe hasło"),
                ("repeat", "zupełnie nowe hasło"),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::GONE, "nor sets a password");
    assert_eq!(b.get(&second).await.status, StatusCode::OK);

    // The owner changes the password while signed in: the link sent
    // before no longer works.
    let staff = Browser::new(&app);
    staff.sign_in("trenerka@example.org").await;
    let changed = staff
        .submit(
            "/admin/haslo",
            "/admin/haslo",
            &[
                ("current", crate::browser::PASSWORD),
                ("password", "zupełnie nowe hasło"),
                ("repeat", "zupełnie nowe hasło"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(
        b.get(&second).await.status,
        StatusCode::GONE,
        "a new password voids it"
    );
}

/// A minimal SMTP server on loopback that keeps what it is sent.
pub(crate) async fn smtp_sink() -> (u16, tokio::sync::mpsc::Receiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok();
                let mut data = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            tx.send(std::mem::take(&mut data)).await.ok();
                            write.write_all(b"250 2.0.0 queued\r\n").await.ok();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, rx)
}

/// The server on a fresh database (with the demo data if `demo`), sending
/// through the SMTP server on `port`.
pub(crate) async fn with_smtp(port: u16, demo: bool) -> TestApp {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.expect("db");
    db.migrate().await.expect("migrate");
    if demo {
        koalicja::demo::load(
            &db,
            "2026-11-28T00:00:00Z".parse().unwrap(),
            &crate::helpers::local_settings(database.dir.path()),
        )
        .await
        .expect("demo");
    }
    let settings = Settings {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        ..crate::helpers::local_settings(database.dir.path())
    };
    spawn_with(database, db, settings).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_smtp_configured_the_message_goes_to_the_mail_server() {
    let (port, mut received) = smtp_sink().await;
    let app = with_smtp(port, true).await;
    app.account("admin@example.org", "admin", &[]).await;
    Browser::new(&app)
        .submit(
            "/admin/haslo/reset",
            "/admin/haslo/reset",
            &[("email", "admin@example.org")],
        )
        .await;
    app.run_jobs().await;
    let message = tokio::time::timeout(Duration::from_secs(10), received.recv())
        .await
        .expect("the sink got a message in time")
        .expect("a message");
    assert!(message.contains("To: admin@example.org"), "{message}");
    assert!(
        message.contains("Subject: Ustawienie nowego =?utf-8?b?"),
        "the Polish word is encoded: {message}"
    );
    assert!(message.contains("/admin/haslo/reset/"), "{message}");
    sent(&app, 1).await;
    assert!(
        !app.data_dir.join("outbox").exists(),
        "nothing written to the folder"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_the_server_refuses_is_retried_later() {
    // Nothing listens on this port: every try fails.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let app = with_smtp(port, false).await;
    app.account("admin@example.org", "admin", &[]).await;
    Browser::new(&app)
        .submit(
            "/admin/haslo/reset",
            "/admin/haslo/reset",
            &[("email", "admin@example.org")],
        )
        .await;
    use sqlx::Row;
    app.run_jobs().await;
    // Not due again until its time: a second run tries nothing.
    app.run_jobs().await;
    let row = sqlx::query("SELECT attempts, run_at, last_error FROM job WHERE kind = 'send_email'")
        .fetch_one(app.db.pool())
        .await
        .expect("job");
    let attempts = row.get::<i64, _>(0);
    assert!(row.get::<Option<String>, _>(2).is_some(), "the error kept");
    assert_eq!(
        row.get::<String, _>(1),
        "2026-11-28T11:00:30Z",
        "retried 30 s later"
    );
    assert_eq!(attempts, 1, "one try so far; the next waits for its time");
    let error: Option<String> = sqlx::query("SELECT last_error FROM outbox")
        .fetch_one(app.db.pool())
        .await
        .expect("outbox")
        .get(0);
    assert!(error.is_some_and(|e| e.contains("serwer poczty")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_staff_set_their_password_through_the_reset_link() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let refused = b.sign_in_with("plonsk@example.org", "!").await;
    assert!(
        refused
            .body
            .contains("Nieprawidłowy adres e-mail lub hasło."),
        "no password yet"
    );
    b.submit(
        "/admin/haslo/reset",
        "/admin/haslo/reset",
        &[("email", "plonsk@example.org")],
    )
    .await;
    let mails = sent(&app, 1).await;
    let path = link(&mails[0].1);
    b.submit(
        &path,
        &path,
        &[
            ("password", "hasło partnera z Płońska"),
            ("repeat", "hasło partnera z Płońska"),
        ],
    )
    .await;
    assert_eq!(
        b.sign_in_with("plonsk@example.org", "hasło partnera z Płońska")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let list = b.get("/admin/organizacje").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body
            .contains("Partner w powiecie płońskim (partner lokalny)"),
        "{}",
        list.body
    );
    assert_eq!(b.get("/admin/konta").await.status, StatusCode::FORBIDDEN);
}

/// Queues `n` messages straight into the outbox, as many steps would (the
/// worker looks every second).
async fn queue(app: &TestApp, n: usize) {
    use koalicja::store::outbox::{send, Message};
    for i in 0..n {
        let m = Message {
            recipient: format!("osoba-{i}@example.org"),
            subject: format!("Wiadomość {i}"),
            body_text: format!("Treść wiadomości {i}: zażółć gęślą jaźń."),
            body_html: None,
            attachment: None,
        };
        send(&app.db, &m, "2026-11-28T10:00:00Z".parse().unwrap())
            .await
            .expect("queued");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_messages_than_one_batch_are_each_written_once() {
    let app = spawn_app().await;
    queue(&app, 230).await;
    let all = sent(&app, 230).await;
    assert_eq!(all.len(), 230);
    let dir = app.data_dir.join("outbox");
    let mut recipients = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the outbox folder") {
        let eml = std::fs::read_to_string(entry.expect("entry").path()).expect("an .eml file");
        let to = eml
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .expect("a To: line")
            .to_owned();
        recipients.push(to);
    }
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 230, "one file per message, none twice");
    use sqlx::Row;
    let open: i64 = sqlx::query("SELECT COUNT(*) FROM job WHERE done_at IS NULL")
        .fetch_one(app.db.pool())
        .await
        .expect("jobs")
        .get(0);
    assert_eq!(open, 0, "every job done");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_messages_than_one_batch_reach_the_mail_server_once_each() {
    let (port, mut received) = smtp_sink().await;
    let app = with_smtp(port, false).await;
    queue(&app, 120).await;
    app.run_jobs().await;
    let mut recipients = Vec::new();
    while recipients.len() < 120 {
        let message = tokio::time::timeout(Duration::from_secs(20), received.recv())
            .await
            .expect("the sink got every message in time")
            .expect("a message");
        let to = message
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .expect("a To: line")
            .trim()
            .to_owned();
        recipients.push(to);
    }
    sent(&app, 120).await;
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 120, "each message once");
    assert!(
        tokio::time::timeout(Duration::from_millis(500), received.recv())
            .await
            .is_err(),
        "nothing sent twice"
    );
}

/// The server binary, stopped when dropped (also when a test fails).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_base_url_e_mailed_links_point_where_the_server_listens() {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.expect("database");
    db.migrate().await.expect("migrations");
    koalicja::service::accounts::create_account(
        &db,
        "admin@example.org",
        "Administratorka",
        "admin",
        crate::browser::PASSWORD,
        &[],
        "2026-11-28T00:00:00Z".parse().unwrap(),
    )
    .await
    .expect("account");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    assert_ne!(port, 8080);
    let data_dir = database.dir.path().join("serve");
    let listen = format!("127.0.0.1:{port}");
    let mut _server = Server(
        std::process::Command::new(env!("CARGO_BIN_EXE_koalicja"))
            .args(["serve", "--listen", &listen, "--demo", "false"])
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--database-url", &database.url])
            .env_remove("KOALICJA_BASE_URL")
            .env_remove("KOALICJA_CONFIG")
            .env("KOALICJA_LOG", "info")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the server starts"),
    );
    // The server says when it listens, and when its worker wrote an
    // e-mail: its log, line by line.
    let out = _server.0.stdout.take();
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(out.expect("its log"))
            .lines()
            .map_while(Result::ok)
        {
            let _ = lines_tx.send(line);
        }
    });
    let lines = std::sync::Arc::new(std::sync::Mutex::new(lines));
    let until = |text: &'static str| {
        let lines = lines.clone();
        tokio::task::spawn_blocking(move || {
            let lines = lines.lock().expect("lines");
            // Ends when the server does (its log closes).
            lines.iter().any(|l| l.contains(text))
        })
    };
    assert!(
        until("listening").await.expect("the log"),
        "the server answers on {listen}"
    );
    // The test runs the jobs the server queued, by the clock it queued
    // them with, into the same folder.
    let settings = koalicja::config::Settings {
        data_dir: data_dir.clone(),
        ..koalicja::config::Config::default().settings_at(listen.parse().expect("address"))
    };
    let clock = koalicja::app::Clock::System;
    let state = koalicja::app::AppState::new(db.clone(), clock.clone(), settings)
        .await
        .expect("state");
    let app = TestApp {
        address: format!("http://{listen}"),
        db,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        clock,
        data_dir,
        database,
        state,
    };
    let b = Browser::new(&app);
    b.submit(
        "/admin/haslo/reset",
        "/admin/haslo/reset",
        &[("email", "admin@example.org")],
    )
    .await;
    // The server's own worker makes the link and writes the message.
    assert!(
        until("e-mail written to the outbox folder")
            .await
            .expect("the log"),
        "the worker sent the link"
    );
    let mails: Vec<(String, String)> = sqlx::query_as("SELECT recipient, body_text FROM outbox")
        .fetch_all(app.db.pool())
        .await
        .expect("outbox");
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0]
            .1
            .contains(&format!("http://127.0.0.1:{port}/admin/haslo/reset/")),
        "{}",
        mails[0].1
    );
}
