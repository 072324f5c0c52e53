//! When the database cannot answer: pages say so in Polish within
//! seconds (503 with `Retry-After`), `/healthz` within one, and the
//! server recovers by itself; a failure's page names the request id that
//! its log line carries.

use crate::helpers::*;
use reqwest::StatusCode;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// A page that needs the database whenever it is asked (a search is
/// answered from the cache only once made).
const SEARCH: &str = "/jst?q=P%C5%82o%C5%84sk";

/// Asks `path`, returning the reply and how long it took.
async fn timed(app: &TestApp, path: &str) -> (Reply, Duration) {
    let start = Instant::now();
    let reply = app.get(path).await;
    (reply, start.elapsed())
}

/// The page of a database that cannot answer now.
fn assert_unavailable_in_polish(reply: &Reply, took: Duration) {
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert!(took < Duration::from_secs(2), "answered after {took:?}");
    assert_eq!(h1(&reply.body), "Serwis chwilowo niedostępny");
    assert!(
        reply
            .body
            .contains("Serwis jest chwilowo niedostępny. Spróbuj ponownie za kilka sekund."),
        "{}",
        reply.body
    );
    assert_eq!(reply.headers["retry-after"], "10");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_connection_busy_pages_answer_503_at_once_and_healthz_200() {
    let app = spawn_app().await;
    let pool = app.db.pool();
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        held.push(pool.acquire().await.unwrap());
    }
    let (page, took) = timed(&app, SEARCH).await;
    assert_unavailable_in_polish(&page, took);
    let (health, took) = timed(&app, "/healthz").await;
    assert_eq!(health.status, StatusCode::OK, "the database answers");
    assert!(took < Duration::from_secs(1), "/healthz took {took:?}");

    drop(held);
    let page = app.get(SEARCH).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Płońsk"));
}

/// A TCP proxy in front of the database that can be cut (every
/// connection through it reset, new ones refused) and restored.
struct Proxy {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    cuts: tokio::sync::watch::Sender<u64>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let (cuts, _) = tokio::sync::watch::channel(0);
        let (accepting, watching) = (up.clone(), cuts.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    let _ = client.set_zero_linger();
                    continue;
                }
                let mut cut = watching.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else {
                        return;
                    };
                    let was_cut = tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => false,
                        _ = cut.changed() => true,
                    };
                    if was_cut {
                        let _ = client.set_zero_linger();
                    }
                });
            }
        });
        Proxy { address, up, cuts }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_postgresql_is_down_pages_answer_503_and_recover_without_restart() {
    let database = TestDatabase::new().await;
    if !database.is_postgres() {
        // SQLite is a file this process holds open: it cannot go away
        // while the server runs. Its pool running out is tested above.
        return;
    }
    // postgres://user:password@host:port/name, through the proxy.
    let (before, after) = database.url.split_once('@').unwrap();
    let (server, name) = after.split_once('/').unwrap();
    let proxy = Proxy::start(server.parse().unwrap()).await;
    let url = format!("{before}@{}/{name}", proxy.address);
    let db = koalicja::store::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    koalicja::demo::load(
        &db,
        "2026-11-28T00:00:00Z".parse().unwrap(),
        &crate::helpers::local_settings(database.dir.path()),
    )
    .await
    .unwrap();
    let app = spawn_on(database, db).await;
    assert_eq!(app.get(SEARCH).await.status, StatusCode::OK);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);

    proxy.cut();
    let (page, took) = timed(&app, "/jst?q=Ciechan%C3%B3w").await;
    assert_unavailable_in_polish(&page, took);
    let (health, took) = timed(&app, "/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(took < Duration::from_secs(1), "/healthz took {took:?}");
    // A page made before is still served from the cache.
    assert_eq!(app.get(SEARCH).await.status, StatusCode::OK);

    proxy.restore();
    let (health, took) = timed(&app, "/healthz").await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.body);
    assert!(took < Duration::from_secs(1), "/healthz took {took:?}");
    let page = app.get("/jst?q=Ciechan%C3%B3w").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Ciechanów"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_page_names_the_request_id_of_its_log_line() {
    let app = spawn_app().await;
    sqlx::query("ALTER TABLE network_member RENAME TO network_member_gone")
        .execute(app.db.pool())
        .await
        .unwrap();
    let page = app.get("/siec-urzednikow").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(h1(&page.body), "Błąd serwera");
    let request_id = between(&page.body, "Numer zgłoszenia: <strong>", "</strong>")
        .expect("the page names its request id");
    assert_eq!(request_id.len(), 8);
    assert!(
        request_id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{request_id}"
    );
    assert_eq!(page.headers["x-request-id"], request_id.as_str());
    let logged = crate::helpers::log_text();
    let line = logged
        .lines()
        .find(|l| l.contains(&format!("request_id={request_id}")) && l.contains("ERROR"))
        .unwrap_or_else(|| panic!("no log line names {request_id}: {logged}"));
    assert!(line.contains("request failed"), "{line}");
    assert!(line.contains("ERROR"), "{line}");
    assert!(line.contains("route=/siec-urzednikow"), "{line}");
    // A second failure is a second request id.
    let again = app.get("/siec-urzednikow").await;
    assert!(!again.body.contains(&request_id));
}
