//! Malformed input to every public form and search page of the demo: NUL
//! bytes, 100 kB values, duplicate and missing fields, invalid UTF-8,
//! control characters, odd values and wrong content types, in the body,
//! the path and the query. Whatever is sent, the answer is never a 5xx.
//! Deterministic: the same seed sends the same requests.

use reqwest::StatusCode;

use crate::browser::{csrf, Browser};
use crate::helpers::{spawn_with, Rng, TestApp, TestDatabase};
use crate::registration::{mailed_link, register, training};
use koalicja::store::Db;

/// Malformed submissions per form and per search page.
const PER_TARGET: usize = 200;
const SEED: u64 = 0x6b6f_616c_6963_6a61;

/// Values people and programs send that forms do not expect.
const ODD: &[&str] = &[
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999999999",
    "9223372036854775808",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{\"a\":1}",
    "<img/src=x/onerror=alert(1)>@x.pl",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\\",
    "%",
    "_%_",
    "%00",
    "../../../../etc/passwd",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "24:61",
    "\u{202e}kcilc",
    "\u{feff}",
    "ℌ𝔢𝔩𝔩𝔬 💩",
    "Zażółć gęślą jaźń",
    "a\u{301}\u{301}\u{301}",
    "a@b",
    "@",
    "x@x",
    "１２３",
    "\t\r\n",
    "on",
    "1465",
    "1465011",
    "0000000000",
    "#1",
    "#999999999",
    "999999",
];

/// A field as sent: raw bytes, so that invalid UTF-8 can be sent.
type Field = (Vec<u8>, Vec<u8>);

/// How a form is sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Urlencoded,
    Multipart,
    /// A GET with the fields in the query string.
    Query,
}

struct Target {
    /// Where the form or page is; `{}` in it is where a mutated path part
    /// (slug, token) goes.
    path: String,
    part: String,
    encoding: Encoding,
    /// The fields as a valid submission has them.
    fields: Vec<(String, String)>,
}

impl Target {
    fn new(path: &str, part: &str, encoding: Encoding, fields: &[(&str, &str)]) -> Self {
        Target {
            path: path.to_owned(),
            part: part.to_owned(),
            encoding,
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }
}

/// 100 kB of text that does not compress (so that it reaches the
/// database as long as it was sent); in an address, where 64 kB is the
/// most a URI holds, 50,000 characters that need no escaping.
fn long(rng: &mut Rng, in_address: bool) -> Vec<u8> {
    const PLAIN: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
    const POLISH: &[char] = &[
        'ą', 'ć', 'ę', 'ł', 'ń', 'ó', 'ś', 'ź', 'ż', ' ', '<', '"', '@', '.',
    ];
    let size = if in_address { 50_000 } else { 100_000 };
    let mut text = String::with_capacity(size + 16);
    while text.len() < size {
        if in_address || rng.chance(70) {
            text.push(char::from(rng.pick(PLAIN)));
        } else {
            text.push(rng.pick(POLISH));
        }
    }
    if rng.chance(30) {
        text.push_str("@example.org");
    }
    text.into_bytes()
}

const BAD_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xc3\x28",
    b"\xe2\x82",
    b"\xf0\x28\x8c\x28",
    b"\x80",
    b"\xed\xa0\x80",
];

const CONTROLS: &[&str] = &["\u{0}", "\u{1}", "\u{1b}[31m", "\u{7f}", "\u{85}", "\u{8}"];

fn insert(value: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    let at = at.min(value.len());
    value.splice(at..at, bytes.iter().copied());
}

/// One mutation of the fields; says what it did.
fn mutate(rng: &mut Rng, fields: &mut Vec<Field>, in_address: bool) -> String {
    if fields.is_empty() {
        fields.push((b"x".to_vec(), b"y".to_vec()));
    }
    let i = rng.below(fields.len());
    let name = String::from_utf8_lossy(&fields[i].0).into_owned();
    match rng.below(8) {
        0 => {
            let at = rng.below(fields[i].1.len() + 1);
            insert(&mut fields[i].1, at, b"\0");
            format!("NUL in {name}")
        }
        1 => {
            fields[i].1 = long(rng, in_address);
            format!("{} bytes of {name}", fields[i].1.len())
        }
        2 => {
            let value = if rng.chance(50) {
                rng.pick(ODD).as_bytes().to_vec()
            } else {
                fields[i].1.clone()
            };
            fields.push((fields[i].0.clone(), value));
            format!("{name} twice")
        }
        3 => {
            fields.remove(i);
            format!("{name} missing")
        }
        4 => {
            let bad = rng.pick(BAD_UTF8);
            let at = rng.below(fields[i].1.len() + 1);
            if rng.chance(80) {
                insert(&mut fields[i].1, at, bad);
                format!("invalid UTF-8 in {name}")
            } else {
                insert(&mut fields[i].0, 0, bad);
                format!("invalid UTF-8 in the name {name}")
            }
        }
        5 => {
            let c = rng.pick(CONTROLS);
            let at = rng.below(fields[i].1.len() + 1);
            insert(&mut fields[i].1, at, c.as_bytes());
            format!("control character in {name}")
        }
        6 => {
            let odd = rng.pick(ODD);
            fields[i].1 = odd.as_bytes().to_vec();
            format!("{name} = {odd:?}")
        }
        _ => {
            let odd = rng.pick(ODD);
            fields.push((odd.as_bytes().to_vec(), rng.pick(ODD).as_bytes().to_vec()));
            format!("unknown field {odd:?}")
        }
    }
}

fn urlencoded(fields: &[Field]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                form_urlencoded::byte_serialize(k).collect::<String>(),
                form_urlencoded::byte_serialize(v).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

const BOUNDARY: &str = "----koalicja-fuzz-7MA4YWxkTrZu0gW";

fn multipart(fields: &[Field], file: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"").as_bytes(),
        );
        body.extend_from_slice(k);
        body.extend_from_slice(b"\"\r\n\r\n");
        body.extend_from_slice(v);
        body.extend_from_slice(b"\r\n");
    }
    if let Some(bytes) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"skan\u{0}.pdf\"\r\n\
                 Content-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A path part (slug, token) made odd.
fn odd_part(rng: &mut Rng, part: &str) -> String {
    let encoded = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    match rng.below(9) {
        7 => "999999".to_owned(),
        8 => "99999999999999999999".to_owned(),
        0 => format!("{part}%00"),
        1 => format!("%00{part}"),
        2 => format!("{part}%FF"),
        3 => "a".repeat(10_000),
        4 => encoded(rng.pick(ODD)),
        5 => format!("{part}%1B%5B31m"),
        _ => format!("{part}%C3%28"),
    }
}

/// An odd query string added to the address.
fn odd_query(rng: &mut Rng) -> String {
    rng.pick(&[
        "a=%00",
        "q=%00",
        "strona=%00",
        "q=%FF%FE",
        "komunikat=%00",
        "dalej=%00",
        "csrf=%00",
        "%00=1",
        "q=%E2%82",
        "kod=%1B",
        "strona=1&strona=2",
        "from=%00&to=%FF",
    ])
    .to_string()
}

struct Sent {
    what: String,
    status: StatusCode,
    body: String,
}

/// Sends `count` malformed submissions of `target`, each from an address
/// of its own (so that the forms' limits per address do not hide their
/// checks), with the browser's cookies and its CSRF token.
async fn fuzz(
    app: &TestApp,
    rng: &mut Rng,
    target: &Target,
    token: &str,
    cookie: &str,
    count: usize,
) -> Vec<Sent> {
    // Each submission on a connection of its own: a malformed one may
    // leave its body unread, and then its connection is closed after the
    // answer; a next request racing that close on a reused connection is
    // the client's to retry (as browsers do), not an answer of the server.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let mut sent = Vec::with_capacity(count);
    for n in 0..count {
        let mut fields: Vec<Field> = target
            .fields
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect();
        if target.encoding == Encoding::Urlencoded {
            fields.insert(0, (b"csrf".to_vec(), token.as_bytes().to_vec()));
        }
        let mut what = Vec::new();
        for _ in 0..=rng.below(3) {
            what.push(mutate(rng, &mut fields, target.encoding == Encoding::Query));
        }
        // A URI holds 64 kB at most: of two long values, the longer is cut
        // (the path may take 10 kB more).
        while target.encoding == Encoding::Query && urlencoded(&fields).len() > 50_000 {
            let excess = urlencoded(&fields).len() - 50_000;
            if let Some(longest) = fields.iter_mut().max_by_key(|f| f.1.len()) {
                let keep = longest.1.len().saturating_sub(excess);
                longest.1.truncate(keep);
            }
        }
        let part = if !target.part.is_empty() && rng.chance(15) {
            let p = odd_part(rng, &target.part);
            what.push(format!(
                "path part {:?}",
                p.replace(&target.part, "…")
                    .chars()
                    .take(40)
                    .collect::<String>()
            ));
            p
        } else {
            target.part.clone()
        };
        let mut url = format!("{}{}", app.address, target.path.replace("{}", &part));
        let mut query = Vec::new();
        if target.encoding == Encoding::Multipart {
            query.push(format!("csrf={token}"));
        }
        if target.encoding == Encoding::Query {
            query.push(String::from_utf8_lossy(&urlencoded(&fields)).into_owned());
        }
        if rng.chance(10) {
            let q = odd_query(rng);
            what.push(format!("query {q}"));
            query.push(q);
        }
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        let mut request = if target.encoding == Encoding::Query {
            client.get(&url)
        } else {
            client.post(&url)
        };
        request = request.header("cookie", cookie).header(
            "x-forwarded-for",
            format!("10.{}.{}.{}", n / 250, n % 250, rng.below(250)),
        );
        if rng.chance(50) {
            request = request.header("x-csrf-token", token);
        }
        if target.encoding != Encoding::Query {
            let file = (target.encoding == Encoding::Multipart && rng.chance(30)).then(|| {
                rng.pick(&[&b"%PDF-1.4\n%%EOF\n"[..], b"\x89PNG\r\n", b"MZ\x90\0", b""])
                    .to_vec()
            });
            let (mut content_type, body) = match target.encoding {
                Encoding::Multipart => (
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                    multipart(&fields, file.as_deref()),
                ),
                _ => (
                    "application/x-www-form-urlencoded".to_owned(),
                    urlencoded(&fields),
                ),
            };
            if rng.chance(15) {
                content_type = rng
                    .pick(&[
                        "text/plain",
                        "application/json",
                        "multipart/form-data",
                        "multipart/form-data; boundary=inna",
                        "application/x-www-form-urlencoded",
                        "application/x-www-form-urlencoded; charset=iso-8859-2",
                        "",
                    ])
                    .to_string();
                what.push(format!("content type {content_type:?}"));
            }
            if !content_type.is_empty() {
                request = request.header("content-type", content_type);
            }
            request = request.body(body);
        }
        let what = format!(
            "{} {}: {}",
            target.encoding_name(),
            target.path,
            what.join(", ")
        );
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => panic!("{what}: not sent ({})", error_chain(&e.without_url())),
        };
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        sent.push(Sent { what, status, body });
    }
    sent
}

impl Target {
    fn encoding_name(&self) -> &'static str {
        match self.encoding {
            Encoding::Query => "GET",
            _ => "POST",
        }
    }
}

/// The demo with an upcoming training and event open for registration,
/// one registration, and the server trusting `X-Forwarded-For`.
async fn demo() -> TestApp {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.expect("database opens");
    db.migrate().await.expect("migrations run");
    let mut settings = crate::helpers::local_settings(database.dir.path());
    koalicja::demo::load(&db, "2026-11-28T00:00:00Z".parse().unwrap(), &settings)
        .await
        .expect("demo loads");
    settings.trust_forwarded_for = true;
    spawn_with(database, db, settings).await
}

/// A seminar open for registration, online; its slug.
async fn upcoming_event(app: &TestApp) -> String {
    use koalicja::domain::activity::{ActivityKind, Audience};
    let project: i64 = sqlx::query_scalar("SELECT id FROM project")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let a = koalicja::domain::records::ActivityRecord {
        kind: ActivityKind::Seminar,
        status: None,
        title: "Seminarium o konsultacjach".into(),
        topic: "konsultacje".into(),
        summary_md: String::new(),
        starts_on: "2026-12-12".parse().unwrap(),
        ends_on: "2026-12-12".parse().unwrap(),
        start_time: "10:00".into(),
        duration_minutes: 180,
        online: true,
        venue: String::new(),
        audience: Audience::Both,
        capacity: Some(3),
        co_organiser: None,
        trainer_account_id: None,
        registration_closes_on: None,
        online_link: Some("https://spotkanie.example.org/seminarium".into()),
    };
    let id = koalicja::store::activity_records::save(
        &app.db,
        1,
        project,
        None,
        &a,
        None,
        "2026-11-28T10:00:00Z".parse().unwrap(),
    )
    .await
    .unwrap();
    app.clock.advance(1);
    sqlx::query_scalar("SELECT slug FROM activity WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_submissions_to_public_forms_and_searches_never_get_a_server_error() {
    let app = demo().await;
    let page = training(&app, Some(5)).await;
    let slug = page.trim_start_matches("/szkolenia/").to_owned();
    let b = Browser::new(&app);
    let registered = register(&b, &page, "Anna", "fuzz@example.org").await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.body
    );
    let link = mailed_link(&app, "fuzz@example.org").await;
    let token = link.trim_start_matches("/zapisy/").to_owned();
    let event = upcoming_event(&app).await;
    let form = b.get("/doradztwo/zgloszenie").await;
    let token_csrf = csrf(&form.body);
    let cookie = format!(
        "koalicja_csrf={}",
        b.cookie("koalicja_csrf").expect("CSRF cookie")
    );

    use Encoding::*;
    let registration = [
        ("first_name", "Anna"),
        ("last_name", "Wiśniewska"),
        ("email", "anna@example.org"),
        ("phone", "+48 600 100 200"),
        ("affiliation", "Fundacja Łąka"),
        ("role", "ngo_leader"),
        ("gender", "female"),
        ("needs", "pętla indukcyjna"),
        ("consent", "1"),
    ];
    let report = [
        ("organisation", "Stowarzyszenie Przyjaciół Płońska"),
        ("name", "Zofia Wójcik"),
        ("email", "zofia@example.org"),
        ("phone", ""),
        ("contact", "email"),
        ("topic", "small_grants"),
        ("description", "Gmina nie uchwaliła programu współpracy."),
        ("consent", "1"),
    ];
    let problem = [
        ("organisation", "Stowarzyszenie Przyjaciół Płońska"),
        ("name", "Zofia Wójcik"),
        ("email", "zofia@example.org"),
        ("phone", "600100200"),
        ("contact", "phone"),
        ("jst", "Płońsk"),
        ("category", "programme_not_adopted"),
        ("description", "Gmina nie uchwaliła programu współpracy."),
        ("reveal", "1"),
        ("share", "1"),
        ("consent", "1"),
    ];
    let catalogue = [
        ("strona", "1"),
        ("nadchodzace", "1"),
        ("dla", "ngo"),
        ("temat", "ustawa o pożytku"),
        ("obszar", "1420"),
        ("forma", "online"),
        ("miesiac", "2026-12"),
    ];
    let targets = [
        Target::new("/szkolenia/{}/zapis", &slug, Urlencoded, &registration),
        Target::new("/wydarzenia/{}/zapis", &event, Urlencoded, &registration),
        Target::new("/zapisy/{}/potwierdz", &token, Urlencoded, &[]),
        Target::new(
            "/zapisy/{}/opinia",
            &token,
            Urlencoded,
            &[
                ("usefulness", "5"),
                ("trainer", "4"),
                ("organisation", "3"),
                ("comment", "Dobre szkolenie."),
            ],
        ),
        Target::new("/zapisy/{}/rezygnacja", &token, Urlencoded, &[]),
        Target::new("/doradztwo/zgloszenie", "", Urlencoded, &report),
        Target::new("/interwencje/zgloszenie", "", Multipart, &problem),
        Target::new(
            "/admin/logowanie",
            "",
            Urlencoded,
            &[
                ("email", "ktos@example.org"),
                ("password", "bardzo tajne hasło"),
                ("dalej", "/admin/organizacje"),
            ],
        ),
        Target::new(
            "/admin/logowanie/kod",
            "",
            Urlencoded,
            &[("code", "123456"), ("dalej", "/admin")],
        ),
        Target::new(
            "/admin/haslo/reset",
            "",
            Urlencoded,
            &[("email", "ktos@example.org")],
        ),
        Target::new(
            "/admin/haslo/reset/{}",
            "nieznany-token",
            Urlencoded,
            &[
                ("password", "nowe bardzo tajne hasło"),
                ("repeat", "nowe bardzo tajne hasło"),
            ],
        ),
        Target::new("/szkolenia", "", Query, &catalogue),
        Target::new("/wydarzenia", "", Query, &catalogue),
        Target::new("/dzialania-lokalne", "", Query, &[("strona", "1")]),
        Target::new("/jst", "", Query, &[("q", "Płońsk")]),
        Target::new("/jst/{}", "1420", Query, &[]),
        Target::new("/zaswiadczenia", "", Query, &[("kod", "7K3QD-M9XA2")]),
        Target::new(
            "/api/v1/stats",
            "",
            Query,
            &[("from", "2024-01-01"), ("to", "2024-12-31")],
        ),
        Target::new(
            "/zapisy/{}",
            &token,
            Query,
            &[("komunikat", "potwierdzono")],
        ),
        Target::new(
            "/admin/logowanie",
            "",
            Query,
            &[("dalej", "/admin"), ("komunikat", "reset")],
        ),
    ];
    let mut rng = Rng::new(SEED);
    let mut failed = Vec::new();
    let mut total = 0;
    for target in &targets {
        let token = if target.encoding == Urlencoded || target.encoding == Multipart {
            token_csrf.as_str()
        } else {
            ""
        };
        let started = std::time::Instant::now();
        let mut statuses = std::collections::BTreeMap::new();
        for s in fuzz(&app, &mut rng, target, token, &cookie, PER_TARGET).await {
            total += 1;
            *statuses.entry(s.status.as_u16()).or_insert(0) += 1;
            if s.status.is_server_error() {
                failed.push(s);
            }
        }
        eprintln!(
            "{} {}: {statuses:?} in {} ms",
            target.encoding_name(),
            target.path,
            started.elapsed().as_millis()
        );
    }
    eprintln!(
        "fuzz: {total} malformed submissions, {} answered with a server error",
        failed.len()
    );
    let listed: Vec<String> = failed
        .iter()
        .take(40)
        .map(|s| {
            format!(
                "{} → {} {}",
                s.what,
                s.status,
                crate::helpers::between(&s.body, "<main", "</main>")
                    .map(|m| text_of(&m))
                    .unwrap_or_else(|| s.body.chars().take(200).collect())
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {total} malformed submissions got a server error:\n{}",
        failed.len(),
        listed.join("\n")
    );
}

/// An error with each of its causes.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = format!("{e:?}");
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(" ← {c}"));
        cause = c.source();
    }
    text
}

/// The text of some HTML, tags dropped, spaces squeezed.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(200)
        .collect()
}

/// A form of a page: where it posts, how, and its fields as the page
/// fills them.
struct PageForm {
    action: String,
    get: bool,
    multipart: bool,
    fields: Vec<(String, String)>,
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(
        tag[start..start + len]
            .replace("&amp;", "&")
            .replace("&#x2F;", "/")
            .replace("&quot;", "\"")
            .replace("&#39;", "'"),
    )
}

/// The POST forms of a page, read well enough for the back office's own
/// markup (`_form.html`).
fn page_forms(html: &str) -> Vec<PageForm> {
    let mut forms = Vec::new();
    for chunk in html.split("<form").skip(1) {
        let Some(end) = chunk.find("</form>") else {
            continue;
        };
        let body = &chunk[..end];
        let head = &body[..body.find('>').unwrap_or(0)];
        let get = attribute(head, "method").as_deref() == Some("get");
        let Some(action) = attribute(head, "action") else {
            continue;
        };
        let mut fields = Vec::new();
        for tag in body.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            let Some(name) = attribute(tag, "name") else {
                continue;
            };
            if tag.starts_with("input") {
                let kind = attribute(tag, "type").unwrap_or_default();
                if kind == "radio" && fields.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                let value = attribute(tag, "value").unwrap_or_default();
                let value = match kind.as_str() {
                    "file" => continue,
                    "checkbox" => "1".to_owned(),
                    "password" => "bardzo tajne hasło 2024".to_owned(),
                    _ => value,
                };
                fields.push((name, value));
            } else if tag.starts_with("textarea") {
                let text = body
                    .split(tag)
                    .nth(1)
                    .and_then(|t| t.strip_prefix('>'))
                    .and_then(|t| t.split("</textarea>").next())
                    .unwrap_or("")
                    .to_owned();
                fields.push((name, text));
            } else if tag.starts_with("select") {
                let options = body.split(tag).nth(1).unwrap_or("");
                let options = options.split("</select>").next().unwrap_or("");
                let chosen = options
                    .split("<option")
                    .skip(1)
                    .find(|o| o.contains(" selected"))
                    .or_else(|| options.split("<option").nth(1))
                    .and_then(|o| attribute(o, "value"))
                    .unwrap_or_default();
                fields.push((name, chosen));
            }
        }
        forms.push(PageForm {
            action,
            get,
            multipart: head.contains("multipart/form-data"),
            fields,
        });
    }
    forms
}

/// Back-office forms that end the session or change its password: sent,
/// they would end the crawl, not test the form.
const LEAVE_ALONE: &[&str] = &["/admin/wyloguj", "/admin/haslo", "/admin/konto/dwuetapowe"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_submissions_to_back_office_forms_never_get_a_server_error() {
    let app = demo().await;
    training(&app, Some(5)).await;
    let b = app.signed_in("fuzz-admin@example.org", "admin", &[]).await;
    let session = format!(
        "koalicja_sesja={}",
        b.cookie("koalicja_sesja").expect("session cookie")
    );
    // Every back-office page one link from the menu and its lists, and
    // one link further: each form once.
    let mut queue = std::collections::VecDeque::from(["/admin".to_owned()]);
    let mut seen = std::collections::BTreeSet::from(["/admin".to_owned()]);
    let mut forms: std::collections::BTreeMap<String, PageForm> = Default::default();
    let mut per_path: std::collections::BTreeMap<String, usize> = Default::default();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if pages == 400 {
            break;
        }
        pages += 1;
        let page = b.get(&path).await;
        assert!(!page.status.is_server_error(), "{path}: {}", page.status);
        for form in page_forms(&page.body) {
            let key: String = form
                .action
                .split('?')
                .next()
                .unwrap_or("")
                .chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            if !LEAVE_ALONE.iter().any(|l| form.action.starts_with(l)) {
                forms.entry(format!("{} {key}", form.get)).or_insert(form);
            }
        }
        for link in crate::links::links(&page.body) {
            if !link.starts_with("/admin") || link.contains("format=") {
                continue;
            }
            let bare: String = link
                .split('?')
                .next()
                .unwrap_or("")
                .chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            let n = per_path.entry(bare).or_insert(0);
            if *n < 3 && seen.insert(link.clone()) {
                *n += 1;
                queue.push_back(link);
            }
        }
    }
    let mut rng = Rng::new(SEED);
    let mut failed = Vec::new();
    let mut total = 0;
    for form in forms.values() {
        let token = form
            .fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let fields: Vec<(String, String)> = form
            .fields
            .iter()
            .filter(|(k, _)| k != "csrf")
            .cloned()
            .collect();
        let (path, query) = match form.action.split_once('?') {
            Some((p, q)) if !q.starts_with("csrf=") => (p.to_owned(), Some(q.to_owned())),
            Some((p, _)) => (p.to_owned(), None),
            None => (form.action.clone(), None),
        };
        // The last number in the path is the id the fuzz makes odd.
        let (path, part) = match path.rsplit_once('/') {
            Some((head, last)) if !last.is_empty() && last.chars().all(|c| c.is_ascii_digit()) => {
                (format!("{head}/{{}}"), last.to_owned())
            }
            _ => match path
                .split('/')
                .rev()
                .position(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
            {
                Some(from_end) => {
                    let mut segments: Vec<String> = path.split('/').map(str::to_owned).collect();
                    let i = segments.len() - 1 - from_end;
                    let id = std::mem::replace(&mut segments[i], "{}".to_owned());
                    (segments.join("/"), id)
                }
                None => (path, String::new()),
            },
        };
        let target = Target {
            path: match &query {
                Some(q) => format!("{path}?{q}"),
                None => path,
            },
            part,
            encoding: if form.get {
                Encoding::Query
            } else if form.multipart {
                Encoding::Multipart
            } else {
                Encoding::Urlencoded
            },
            fields,
        };
        let started = std::time::Instant::now();
        let mut statuses = std::collections::BTreeMap::new();
        for s in fuzz(&app, &mut rng, &target, &token, &session, 20).await {
            total += 1;
            *statuses.entry(s.status.as_u16()).or_insert(0) += 1;
            if s.status.is_server_error() {
                failed.push(s);
            }
        }
        eprintln!(
            "{} {}: {statuses:?} in {} ms",
            target.encoding_name(),
            target.path,
            started.elapsed().as_millis()
        );
    }
    eprintln!(
        "back office: {pages} pages, {} forms, {total} malformed submissions, {} answered with a server error",
        forms.len(),
        failed.len()
    );
    let listed: Vec<String> = failed
        .iter()
        .take(60)
        .map(|s| {
            format!(
                "{} → {} {}",
                s.what,
                s.status,
                crate::helpers::between(&s.body, "<main", "</main>")
                    .map(|m| text_of(&m))
                    .unwrap_or_else(|| s.body.chars().take(200).collect())
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {total} malformed submissions got a server error:\n{}",
        failed.len(),
        listed.join("\n")
    );
}
