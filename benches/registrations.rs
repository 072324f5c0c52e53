//! Load generator for registration (run by `bench/registrations.sh`, which
//! starts the server and makes the activity): CLIENTS concurrent clients
//! each register a new address and confirm it, over and over, for
//! SECONDS. The confirmation link is e-mailed, so each client reads its
//! registration's token from the server's database (DATABASE_URL) between
//! the two POSTs, as a person reads the e-mail; that read is not timed.
//! Prints confirmed registrations per second and the latency of both
//! POSTs. A figure, not a test: nothing here passes or fails on time.
//!
//! With RATE, the clients together start at most RATE registrations per
//! second (a steady load beside other measurements); without, as many as
//! they can.
//!
//! Usage: registrations BASE ACTIVITY_PATH SECONDS CLIENTS DATABASE_URL [RATE]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;

struct Outcome {
    confirmed: u64,
    errors: u64,
    register: Vec<Duration>,
    confirm: Vec<Duration>,
}

/// The address of a client's `i`-th registration, as a proxy would pass
/// it: every registration from an address of its own, as when many people
/// register at once.
fn address(n: usize, i: u64) -> String {
    format!("10.{}.{}.{}", n % 256, (i / 256) % 256, i % 256)
}

/// This run's mark in every address, so that a run on an activity another
/// run registered for (the paced load before the full rate, in
/// `bench/figures.sh`) makes new registrations, not duplicates of those.
fn run() -> u64 {
    static RUN: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *RUN.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    })
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

/// The token of the registration of `email` for the activity `slug`, as
/// its e-mail carries it: read through the index of live registrations,
/// so that the reader does not scan every registration (its cost would
/// grow with each run and take the server's cores).
async fn mailed_token(db: &koalicja::store::Db, slug: &str, email: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT token FROM registration \
         WHERE activity_id = (SELECT id FROM activity WHERE slug = $1) AND email = $2 \
         AND status IN ('pending', 'confirmed', 'waitlisted')",
    )
    .bind(slug)
    .bind(email)
    .fetch_optional(db.pool())
    .await
    .ok()
    .flatten()
}

async fn client(
    base: String,
    path: String,
    db: koalicja::store::Db,
    n: usize,
    until: Instant,
    every: Option<Duration>,
) -> Outcome {
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let form = format!("{base}{path}/zapis");
    let slug = path.rsplit('/').next().unwrap_or_default();
    let page = http.get(&form).send().await.unwrap();
    let cookie = page
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let csrf = csrf_of(&page.text().await.unwrap());
    let mut out = Outcome {
        confirmed: 0,
        errors: 0,
        register: Vec::new(),
        confirm: Vec::new(),
    };
    let mut i = 0u64;
    let paced_from = Instant::now();
    while Instant::now() < until {
        if let Some(every) = every {
            tokio::time::sleep_until((paced_from + every * i as u32).into()).await;
        }
        i += 1;
        let email = format!("osoba-{}-{n}-{i}@example.org", run());
        let started = Instant::now();
        let reply = http
            .post(&form)
            .header(COOKIE, &cookie)
            .header("x-forwarded-for", address(n, i))
            .form(&[
                ("csrf", csrf.as_str()),
                ("first_name", "Żaneta"),
                ("last_name", "Wiśniewska"),
                ("email", email.as_str()),
                ("role", "ngo_leader"),
                ("consent", "1"),
            ])
            .send()
            .await;
        out.register.push(started.elapsed());
        let Ok(reply) = reply else {
            out.errors += 1;
            continue;
        };
        if reply.status() != StatusCode::SEE_OTHER {
            out.errors += 1;
            continue;
        }
        let Some(token) = mailed_token(&db, slug, &email).await else {
            out.errors += 1;
            continue;
        };
        let started = Instant::now();
        let reply = http
            .post(format!("{base}/zapisy/{token}/potwierdz"))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await;
        out.confirm.push(started.elapsed());
        match reply {
            Ok(r) if r.status() == StatusCode::SEE_OTHER => out.confirmed += 1,
            _ => out.errors += 1,
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 6 {
        eprintln!("usage: registrations BASE ACTIVITY_PATH SECONDS CLIENTS DATABASE_URL [RATE]");
        std::process::exit(2);
    }
    let db = koalicja::store::Db::connect(&args[5]).await.unwrap();
    let (base, path) = (args[1].clone(), args[2].clone());
    let seconds: u64 = args[3].parse().unwrap();
    let clients: usize = args[4].parse().unwrap();
    // Each client's interval between registrations, for RATE in total.
    let every = args
        .get(6)
        .map(|r| Duration::from_secs_f64(clients as f64 / r.parse::<f64>().unwrap()));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|n| {
            tokio::spawn(client(
                base.clone(),
                path.clone(),
                db.clone(),
                n,
                until,
                every,
            ))
        })
        .collect();
    let mut all = Outcome {
        confirmed: 0,
        errors: 0,
        register: Vec::new(),
        confirm: Vec::new(),
    };
    for t in tasks {
        let o = t.await.unwrap();
        all.confirmed += o.confirmed;
        all.errors += o.errors;
        all.register.extend(o.register);
        all.confirm.extend(o.confirm);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.register.sort_unstable();
    all.confirm.sort_unstable();
    println!(
        "{clients} clients, {elapsed:.1} s: {} confirmed registrations, {} errors",
        all.confirmed, all.errors
    );
    println!(
        "confirmed registrations/s: {:.0}",
        all.confirmed as f64 / elapsed
    );
    println!(
        "registration POST: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&all.register, 0.5),
        percentile(&all.register, 0.99),
        percentile(&all.register, 1.0)
    );
    println!(
        "confirmation POST: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&all.confirm, 0.5),
        percentile(&all.confirm, 0.99),
        percentile(&all.confirm, 1.0)
    );
}
