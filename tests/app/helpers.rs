//! `spawn_app()` and what tests need to talk to it.

use koalicja::app::{self, AppState, Clock};
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
    /// Kept so the database folder lives as long as the server.
    pub _dir: TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// The server with the demo programme loaded.
pub async fn spawn_app() -> TestApp {
    spawn(true).await
}

/// The server on a migrated, empty database.
pub async fn spawn_empty() -> TestApp {
    spawn(false).await
}

async fn spawn(demo: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    let db = Db::connect(&url).await.expect("database opens");
    db.migrate().await.expect("migrations run");
    if demo {
        koalicja::demo::load(&db, "2026-11-28T00:00:00Z")
            .await
            .expect("demo loads");
    }
    let state = AppState::new(db.clone(), Clock::Fixed(TODAY))
        .await
        .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(app::serve(state, listener));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        db,
        client,
        _dir: dir,
    }
}

impl TestApp {
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
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_koalicja"))
        .args(args)
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
