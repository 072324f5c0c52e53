//! What one client can hold of the server: connections, their time, and
//! the memory of request bodies. Spoken to over raw sockets, from several
//! loopback addresses (127.0.0.x), as a misbehaving client would.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use koalicja::config::{Settings, Transport};
use koalicja::store::Db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::browser::Browser;
use crate::helpers::{spawn_app, spawn_with, TestApp, TestDatabase};

/// A generous bound for what should come at once.
const SOON: Duration = Duration::from_secs(5);
const FORGED: &str = "Formularz wygasł albo nie pochodzi z tej strony.";

/// The demo server with these transport settings.
async fn spawn_transport(transport: Transport) -> TestApp {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.unwrap();
    db.migrate().await.unwrap();
    koalicja::demo::load(
        &db,
        "2026-11-28T00:00:00Z".parse().unwrap(),
        &crate::helpers::local_settings(database.dir.path()),
    )
    .await
    .unwrap();
    let settings = Settings {
        transport,
        ..crate::helpers::local_settings(database.dir.path())
    };
    spawn_with(database, db, settings).await
}

/// A connection to the app from the loopback address `from`.
async fn connect(app: &TestApp, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    let to = app.address.trim_start_matches("http://").parse().unwrap();
    socket.connect(to).await.unwrap()
}

fn host(app: &TestApp) -> &str {
    app.address.trim_start_matches("http://")
}

/// One answer as read off the socket.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

/// Reads one answer (an interim `100 Continue` too) within `SOON`.
async fn answer(stream: &mut TcpStream) -> Answer {
    tokio::time::timeout(SOON, read_answer(stream))
        .await
        .expect("an answer within the bound")
}

async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let end = loop {
        if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buffer).await.expect("read");
        assert!(
            n > 0,
            "closed before an answer: {:?}",
            String::from_utf8_lossy(&bytes)
        );
        bytes.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status = head[9..12].parse().expect("a status");
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body = bytes[end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buffer).await.expect("read");
        assert!(n > 0, "closed inside the body");
        body.extend_from_slice(&buffer[..n]);
    }
    Answer {
        status,
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// Waits for the server to close the connection: a read returns the end
/// (or a reset). Returns how long it took.
async fn closed_within(stream: &mut TcpStream, bound: Duration) -> Duration {
    let start = Instant::now();
    let mut buffer = [0u8; 1024];
    tokio::time::timeout(bound, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await
    .expect("the server closed the connection within the bound");
    start.elapsed()
}

/// A plain GET, the connection kept open after it.
async fn get(stream: &mut TcpStream, host: &str, path: &str) -> Answer {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    answer(stream).await
}

/// The anonymous visitor's CSRF cookie and token, as the report form
/// gives them.
async fn anonymous_token(app: &TestApp) -> (String, String) {
    let b = Browser::new(app);
    let page = b.get("/interwencje/zgloszenie").await;
    let token = crate::browser::csrf(&page.body);
    (b.cookie("koalicja_csrf").expect("the CSRF cookie"), token)
}

/// The head of a multipart report of `length` bytes, its token `token`.
fn upload_head(host: &str, token: &str, cookie: &str, length: usize, extra: &str) -> String {
    format!(
        "POST /interwencje/zgloszenie?csrf={token} HTTP/1.1\r\nHost: {host}\r\n\
         Cookie: koalicja_csrf={cookie}\r\n\
         Content-Type: multipart/form-data; boundary=XYZ\r\n\
         Content-Length: {length}\r\n{extra}\r\n"
    )
}

/// A multipart body of exactly `length` bytes: one long text field.
fn upload_body(length: usize) -> Vec<u8> {
    let start = b"--XYZ\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n";
    let end = b"\r\n--XYZ--\r\n";
    let mut body = start.to_vec();
    body.resize(length - end.len(), b'a');
    body.extend_from_slice(end);
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_upload_is_refused_before_its_body_is_read() {
    let app = spawn_app().await;
    let cases = app.rows("case_file").await;
    let (cookie, token) = anonymous_token(&app).await;
    let fifty_mb = 50 * 1024 * 1024;
    let first_part = &upload_body(fifty_mb)[..64 * 1024];

    // A wrong token: 403 while the client has sent 64 KB of 50 MB.
    for head in [
        upload_head(host(&app), "podrobiony", &cookie, fifty_mb, ""),
        upload_head(host(&app), "", "", fifty_mb, ""),
    ] {
        let mut s = connect(&app, "127.0.0.1").await;
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(first_part).await.unwrap();
        let a = answer(&mut s).await;
        assert_eq!(a.status, 403, "{}", a.head);
        assert!(a.body.contains(FORGED), "{}", a.body);
        assert!(a.body.contains("lang=\"pl\""), "the Polish page");
    }

    // The right token sent from another site: refused the same way.
    for extra in [
        "Origin: https://zlosliwa.example\r\n",
        "Sec-Fetch-Site: cross-site\r\n",
    ] {
        let mut s = connect(&app, "127.0.0.1").await;
        let head = upload_head(host(&app), &token, &cookie, fifty_mb, extra);
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(first_part).await.unwrap();
        let a = answer(&mut s).await;
        assert_eq!(a.status, 403, "{extra}: {}", a.head);
        assert!(a.body.contains(FORGED), "{}", a.body);
    }

    // The right token and a declared size over the limit: 413 at once.
    let mut s = connect(&app, "127.0.0.1").await;
    let head = upload_head(host(&app), &token, &cookie, 60 * 1024 * 1024, "");
    s.write_all(head.as_bytes()).await.unwrap();
    let a = answer(&mut s).await;
    assert_eq!(a.status, 413, "{}", a.head);
    assert!(
        a.body.contains("Przesłane dane są zbyt duże."),
        "{}",
        a.body
    );
    assert_eq!(app.state.body_budget().in_use(), 0, "nothing reserved");
    assert_eq!(app.rows("case_file").await, cases, "nothing filed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_without_a_size_is_refused_as_soon_as_it_passes_the_limit() {
    let app = spawn_app().await;
    let (cookie, token) = anonymous_token(&app).await;
    let mut s = connect(&app, "127.0.0.1").await;
    let head = format!(
        "POST /interwencje/zgloszenie?csrf={token} HTTP/1.1\r\nHost: {}\r\n\
         Cookie: koalicja_csrf={cookie}\r\n\
         Content-Type: multipart/form-data; boundary=XYZ\r\n\
         Transfer-Encoding: chunked\r\n\r\n",
        host(&app)
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let (mut reading, mut writing) = s.into_split();
    let answered = Arc::new(AtomicBool::new(false));
    // A file of 1 GB, sent in chunks until the server has answered.
    let writer = tokio::spawn({
        let answered = answered.clone();
        async move {
            let opening = b"--XYZ\r\nContent-Disposition: form-data; name=\"files\"; \
            filename=\"skan.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n";
            let mut chunk = opening.to_vec();
            chunk.resize(64 * 1024, b' ');
            let mut sent = 0usize;
            while sent < 1024 * 1024 * 1024 && !answered.load(Ordering::SeqCst) {
                let framed =
                    [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                if writing.write_all(&framed).await.is_err() {
                    break;
                }
                sent += chunk.len();
                chunk.fill(b' ');
            }
            sent
        }
    });
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        while !String::from_utf8_lossy(&bytes).contains("</html>") {
            let n = reading.read(&mut buffer).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buffer[..n]);
        }
    })
    .await;
    answered.store(true, Ordering::SeqCst);
    assert!(read.is_ok(), "an answer within the bound");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("Przesłane dane są zbyt duże."), "{text}");
    let sent = writer.await.unwrap();
    assert!(
        sent < 200 * 1024 * 1024,
        "answered soon after the limit, not at the end: {sent}"
    );
    assert_eq!(app.state.body_budget().in_use(), 0, "given back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_beyond_the_memory_budget_are_refused_at_once() {
    let app = spawn_transport(Transport {
        body_memory_limit: 1_000_000,
        body_memory_per_address: 600_000,
        ..Transport::default()
    })
    .await;
    let (cookie, token) = anonymous_token(&app).await;
    let h = host(&app).to_owned();
    let expect = "Expect: 100-continue\r\n";
    // The server asks for a body (100 Continue) once it has room for it.
    let open = |from: &'static str, length: usize| {
        let (app, h, token, cookie) = (&app, h.clone(), token.clone(), cookie.clone());
        async move {
            let mut s = connect(app, from).await;
            let head = upload_head(&h, &token, &cookie, length, expect);
            s.write_all(head.as_bytes()).await.unwrap();
            let a = answer(&mut s).await;
            (s, a)
        }
    };

    let (mut first, a) = open("127.0.0.1", 500_000).await;
    assert_eq!(a.status, 100, "{}", a.head);
    // The same address again, over its share: 429 without reading.
    let (_, a) = open("127.0.0.1", 200_000).await;
    assert_eq!(a.status, 429, "{}", a.head);
    assert!(
        a.head.to_ascii_lowercase().contains("retry-after: 10"),
        "{}",
        a.head
    );
    assert!(
        a.body
            .contains("Z tego adresu przesyłanych jest teraz zbyt wiele danych naraz."),
        "{}",
        a.body
    );
    let (_second, a) = open("127.0.0.2", 400_000).await;
    assert_eq!(a.status, 100, "{}", a.head);
    // Another address, over the server's budget: 503.
    let (_, a) = open("127.0.0.3", 200_000).await;
    assert_eq!(a.status, 503, "{}", a.head);
    assert!(
        a.head.to_ascii_lowercase().contains("retry-after: 10"),
        "{}",
        a.head
    );
    assert!(
        a.body
            .contains("Serwer przyjmuje teraz zbyt wiele danych naraz."),
        "{}",
        a.body
    );
    assert_eq!(app.state.body_budget().in_use(), 900_000);
    // Pages are served all the while.
    let mut reader = connect(&app, "127.0.0.3").await;
    let page = get(&mut reader, &h, "/szkolenia").await;
    assert_eq!(page.status, 200);
    assert_eq!(app.get("/").await.status, reqwest::StatusCode::OK);

    // The first body arrives and is answered: its bytes are free again.
    first.write_all(&upload_body(500_000)).await.unwrap();
    let a = answer(&mut first).await;
    assert_eq!(a.status, 422, "the form back with its errors: {}", a.head);
    let (_, a) = open("127.0.0.3", 200_000).await;
    assert_eq!(a.status, 100, "{}", a.head);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_caps_are_answered_503_and_others_still_served() {
    let app = spawn_transport(Transport {
        max_connections: 6,
        connections_per_address: 3,
        ..Transport::default()
    })
    .await;
    let h = host(&app).to_owned();
    let partial = format!("GET / HTTP/1.1\r\nHost: {h}\r\nUser-Agent: pow");
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut s = connect(&app, "127.0.0.1").await;
        s.write_all(partial.as_bytes()).await.unwrap();
        held.push(s);
    }
    // A fourth from the same address: 503 at once.
    let start = Instant::now();
    let mut s = connect(&app, "127.0.0.1").await;
    let a = get(&mut s, &h, "/").await;
    assert_eq!(a.status, 503, "{}", a.head);
    assert!(
        a.head.to_ascii_lowercase().contains("connection: close"),
        "{}",
        a.head
    );
    assert!(
        a.body
            .contains("Z tego adresu otwarto zbyt wiele połączeń naraz."),
        "{}",
        a.body
    );
    assert!(start.elapsed() < Duration::from_secs(2), "fast");
    // An HTTP client reads that answer too.
    let r = app.get("/").await;
    assert_eq!(r.status, reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body.contains("Serwer jest zajęty"), "{}", r.body);
    assert!(
        r.body.contains("name=\"viewport\""),
        "readable on a phone: {}",
        r.body
    );
    // Another address is served meanwhile, and keeps its connection.
    let mut other = connect(&app, "127.0.0.2").await;
    assert_eq!(get(&mut other, &h, "/healthz").await.status, 200);
    // The server fills up: 3 + 1 + 2 connections.
    for _ in 0..2 {
        let mut s = connect(&app, "127.0.0.3").await;
        s.write_all(partial.as_bytes()).await.unwrap();
        held.push(s);
    }
    let start = Instant::now();
    let mut s = connect(&app, "127.0.0.4").await;
    let a = get(&mut s, &h, "/").await;
    assert_eq!(a.status, 503, "{}", a.head);
    assert!(
        a.body
            .contains("Serwer obsługuje teraz zbyt wiele połączeń naraz."),
        "{}",
        a.body
    );
    assert!(start.elapsed() < Duration::from_secs(2), "fast");
    // A client it holds is still served.
    let start = Instant::now();
    assert_eq!(get(&mut other, &h, "/szkolenia").await.status, 200);
    assert!(start.elapsed() < Duration::from_secs(2), "fast");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_with_unfinished_headers_is_closed_after_the_header_timeout() {
    let app = spawn_transport(Transport {
        header_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(60),
        ..Transport::default()
    })
    .await;
    let mut s = connect(&app, "127.0.0.1").await;
    let partial = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Wolno: ", host(&app));
    let start = Instant::now();
    s.write_all(partial.as_bytes()).await.unwrap();
    closed_within(&mut s, Duration::from_secs(20)).await;
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "not before its time"
    );
    // Complete requests on the same server are not cut.
    let mut fine = connect(&app, "127.0.0.1").await;
    assert_eq!(get(&mut fine, host(&app), "/healthz").await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let app = spawn_transport(Transport {
        header_timeout: Duration::from_secs(60),
        idle_timeout: Duration::from_secs(1),
        ..Transport::default()
    })
    .await;
    // Kept alive after an answer.
    let mut s = connect(&app, "127.0.0.1").await;
    assert_eq!(get(&mut s, host(&app), "/healthz").await.status, 200);
    let waited = closed_within(&mut s, Duration::from_secs(20)).await;
    assert!(waited >= Duration::from_millis(500), "not before its time");
    // Opened and never used.
    let mut unused = connect(&app, "127.0.0.1").await;
    let waited = closed_within(&mut unused, Duration::from_secs(20)).await;
    assert!(waited >= Duration::from_millis(500), "not before its time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_does_not_arrive_in_time_is_refused_with_408() {
    let app = spawn_transport(Transport {
        body_timeout: Duration::from_secs(1),
        ..Transport::default()
    })
    .await;
    let (cookie, token) = anonymous_token(&app).await;
    let mut s = connect(&app, "127.0.0.1").await;
    let head = format!(
        "POST /doradztwo/zgloszenie HTTP/1.1\r\nHost: {}\r\n\
         Cookie: koalicja_csrf={cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 1000\r\n\r\ncsrf={token}&organisation=Fun",
        host(&app)
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let a = tokio::time::timeout(Duration::from_secs(20), read_answer(&mut s))
        .await
        .expect("an answer within the bound");
    assert_eq!(a.status, 408, "{}", a.head);
    assert!(
        a.body.contains("Przesyłanie danych trwało zbyt długo."),
        "{}",
        a.body
    );
    assert_eq!(app.state.body_budget().in_use(), 0, "given back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_sent_in_parts_is_answered_and_the_connection_serves_the_next_request() {
    let app = spawn_app().await;
    let (cookie, _) = anonymous_token(&app).await;
    let body = upload_body(8 * 1024);
    let mut s = connect(&app, "127.0.0.1").await;
    let head = upload_head(host(&app), "podrobiony", &cookie, body.len(), "");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&body[..100]).await.unwrap();
    s.flush().await.unwrap();
    tokio::task::yield_now().await;
    s.write_all(&body[100..]).await.unwrap();
    let a = answer(&mut s).await;
    assert_eq!(a.status, 403, "{}", a.head);
    assert!(a.body.contains(FORGED), "{}", a.body);
    assert!(
        !a.head.to_ascii_lowercase().contains("connection: close"),
        "the connection is kept: {}",
        a.head
    );
    let next = get(&mut s, host(&app), "/szkolenia").await;
    assert_eq!(next.status, 200, "{}", next.head);
    assert!(
        next.body.contains("<h1"),
        "the next page on the same connection"
    );
}
