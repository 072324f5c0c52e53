//! `spawn_app()` and what tests need to talk to it.

use koalicja::app::{self, AppState, Clock};
use koalicja::config::Settings;
use koalicja::store::Db;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use tempfile::TempDir;

/// The date the test clock shows.
pub const TODAY: jiff::civil::Date = jiff::civil::date(2026, 11, 28);

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub client: reqwest::Client,
    /// The server's clock; tests move it with `clock.advance(seconds)`.
    pub clock: Clock,
    /// Where the server writes e-mails when no SMTP server is set.
    pub data_dir: std::path::PathBuf,
    /// Kept so the database lives as long as the server.
    pub database: TestDatabase,
    /// The server's state: tests run its jobs (`run_jobs`) instead of a
    /// worker in the background.
    pub state: AppState,
}

/// A fresh database for one test: a SQLite file in a temporary folder, or,
/// when `KOALICJA_TEST_DATABASE_URL` names a PostgreSQL server, a new
/// database on it, dropped when the test ends. An unreachable server fails
/// the test; nothing is skipped.
pub struct TestDatabase {
    pub url: String,
    pub dir: TempDir,
    pub(crate) postgres: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn new() -> TestDatabase {
        init_logging();
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let dir = tempfile::tempdir().expect("temp dir");
        let Ok(server) = std::env::var("KOALICJA_TEST_DATABASE_URL") else {
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("koalicja.db").display()
            );
            return TestDatabase {
                url,
                dir,
                postgres: None,
            };
        };
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("koalicja_test_{}_{n}", std::process::id());
        let admin = Db::connect(&server)
            .await
            .expect("KOALICJA_TEST_DATABASE_URL is reachable");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(admin.pool())
            .await
            .expect("drop");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.pool())
            .await
            .expect("create database");
        admin.close().await;
        let base = server.split('?').next().unwrap_or(&server);
        let url = format!(
            "{}/{name}",
            &base[..base.rfind('/').expect("URL has a database")]
        );
        TestDatabase {
            url,
            dir,
            postgres: Some((server, name)),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// The same database for a second instance; only the first drops it.
    pub fn shared(other: &TestDatabase) -> TestDatabase {
        TestDatabase {
            url: other.url.clone(),
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: None,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        if std::env::var_os("KOALICJA_TEST_KEEP").is_some() {
            return;
        }
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(admin) = Db::connect(&server).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(admin.pool())
                        .await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    /// Where a redirect points, without its query (the notice).
    pub fn redirected_to(&self) -> String {
        self.headers["location"]
            .to_str()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_owned()
    }
}

/// The server with the demo programme loaded.
pub async fn spawn_app() -> TestApp {
    spawn(true).await
}

/// The server on a migrated, empty database.
pub async fn spawn_empty() -> TestApp {
    spawn(false).await
}

/// Everything the servers under test logged (at `info` and above), for
/// tests that read the log as an operator would (`log_text`).
static LOG: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

/// A writer into `LOG`: the fmt layer writes each event in one call, so
/// lines of concurrent tests never mix.
struct LogCapture;

impl std::io::Write for LogCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOG.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs, once for the whole test binary, the subscriber every server
/// under test logs to: into `LOG` always, and to the test's output with
/// `TEST_LOG=1` (filtered by `RUST_LOG`).
pub fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{fmt, EnvFilter, Layer};
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let captured = fmt::layer()
            .with_ansi(false)
            .with_writer(|| LogCapture)
            .with_filter(EnvFilter::new("info"));
        let shown = std::env::var_os("TEST_LOG").is_some().then(|| {
            fmt::layer().with_test_writer().with_filter(EnvFilter::new(
                std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
            ))
        });
        tracing_subscriber::registry()
            .with(captured)
            .with(shown)
            .try_init()
            .expect("the test binary's only subscriber");
    });
}

/// What the servers under test logged so far, every test's lines mixed.
pub fn log_text() -> String {
    String::from_utf8_lossy(&LOG.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

async fn spawn(demo: bool) -> TestApp {
    spawn_changed(demo, |s| s).await
}

async fn spawn_changed(demo: bool, change: impl FnOnce(Settings) -> Settings) -> TestApp {
    let database = crate::template::database(demo).await;
    let db = Db::connect(&database.url).await.expect("database opens");
    db.migrate().await.expect("migrations run");
    let settings = change(local_settings(database.dir.path()));
    spawn_with(database, db, settings).await
}

/// A server on an existing database; `database` is kept alive with it.
pub async fn spawn_on(database: TestDatabase, db: Db) -> TestApp {
    let settings = local_settings(database.dir.path());
    spawn_with(database, db, settings).await
}

/// The demo's server with settings of its own.
pub async fn spawn_app_with(change: impl FnOnce(Settings) -> Settings) -> TestApp {
    spawn_changed(true, change).await
}

/// The settings of a test server with its data in `dir`. The test clock
/// stands still, so a page resting for the render gap
/// (`Settings::render_gap`) would rest until a test moved the clock: the
/// gap is none but in the tests of it.
pub fn local_settings(dir: &std::path::Path) -> Settings {
    Settings {
        render_gap: std::time::Duration::ZERO,
        ..Settings::local(dir)
    }
}

/// Noon in Warsaw on the test day.
pub fn test_noon() -> jiff::Timestamp {
    TODAY
        .at(12, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::get("Europe/Warsaw").expect("tz"))
        .expect("zoned")
        .timestamp()
}

/// A server with its own settings (SMTP, HTTPS address, …).
pub async fn spawn_with(database: TestDatabase, db: Db, settings: Settings) -> TestApp {
    init_logging();
    let clock = Clock::manual(test_noon());
    let data_dir = settings.data_dir.clone();
    let state = AppState::new(db.clone(), clock.clone(), settings)
        .await
        .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(app::serve_with(state.clone(), listener, false));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        db,
        client,
        clock,
        data_dir,
        database,
        state,
    }
}

impl TestApp {
    /// What the job loop does by the app's clock, done now: every
    /// periodic job, then every queued job due (`jobs::drain`), so that
    /// what a test reads next is what the platform would have done by
    /// this time.
    pub async fn run_jobs(&self) {
        koalicja::jobs::drain(self.state.jobs())
            .await
            .expect("jobs");
    }

    /// Reads the data version now, as the watcher does every 500 ms.
    pub async fn refresh(&self) {
        self.state.refresh().await.expect("refresh");
    }

    /// How many rows `table` holds: what a refused form must leave as it was.
    pub async fn rows(&self, table: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.db.pool())
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.client.get(format!("{}{path}", self.address));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn stats(&self, query: &str) -> serde_json::Value {
        let reply = self.get(&format!("/api/v1/stats{query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).expect("JSON")
    }
}

/// The text of the first `<h1>` of a page.
pub fn h1(html: &str) -> String {
    between(html, "<h1>", "</h1>").unwrap_or_default()
}

pub fn between(html: &str, start: &str, end: &str) -> Option<String> {
    let from = html.find(start)? + start.len();
    let len = html[from..].find(end)?;
    Some(html[from..from + len].to_owned())
}

/// The counter with `data-key="key"` on the home page, as a number.
pub fn counter(html: &str, key: &str) -> f64 {
    let raw = between(html, &format!("data-key=\"{key}\">"), "<").expect("counter present");
    raw.replace('\u{a0}', "")
        .replace(',', ".")
        .parse()
        .expect("counter is a number")
}

/// Runs the `koalicja` binary with arguments; returns (success, stdout+stderr).
pub fn run_cli(args: &[&str]) -> (bool, String) {
    run_cli_with(args, &[])
}

/// Runs the binary with arguments and extra environment variables.
pub fn run_cli_with(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_koalicja"))
        .args(args)
        .envs(env.iter().copied())
        .env("KOALICJA_LOG", "info")
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The period of `insert_test_project`.
pub const TEST_PERIOD: (&str, &str) = ("2022-01-01", "2023-12-31");

/// A project over `TEST_PERIOD`, for tests that make their own records.
pub async fn insert_test_project(tx: &mut koalicja::store::Tx) -> i64 {
    koalicja::store::programme::insert_project(
        tx,
        &koalicja::store::programme::NewProject {
            slug: "p",
            name: "Projekt testowy",
            lead_name: "Federacja",
            starts_on: TEST_PERIOD.0.parse().unwrap(),
            ends_on: TEST_PERIOD.1.parse().unwrap(),
            summary_md: "Opis",
            funder_sentence: "Aktywni Obywatele – Fundusz Krajowy",
        },
        "2026-01-01T00:00:00Z".parse().unwrap(),
    )
    .await
    .unwrap()
}

/// splitmix64: small, deterministic, good enough to pick test cases; the
/// same seed gives the same cases, so a failing seed names its run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}
