//! Background work: one scheduler for every periodic task, and the
//! sending of queued jobs (the outbox, reset links).
//!
//! Each periodic task is a `Periodic` job with a `run_once(ctx, now)` that
//! does what is due at `now` and marks it done, so a second run at the same
//! time does nothing more. Its time is cut into slots of its period
//! (`Periodic::every`); an instance runs a slot only after claiming it in
//! the database (`store::jobs::claim_slot`), so servers sharing one
//! database run each slot once. Queued jobs (`store::jobs`: e-mails, reset
//! links) are claimed one by one with a lease (`outbox`). Every run is
//! logged inside a span `job{job=NAME}`.
//!
//! Every instance runs one loop (`run`, started by `app::serve`); tests run
//! none and drain the jobs due by their clock instead (`drain`).
//!
//! The jobs reach the database, the clock, the settings and the mail
//! sender through a `Context`; nothing here knows of HTTP.

pub mod expiry;
pub mod monitoring_digest;
pub mod orphan_files;
pub mod outbox;
pub mod overdue;
pub mod reminders;
pub mod reset_link;
pub mod thanks;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use crate::clock::Clock;
use crate::config::Settings;
use crate::store::{Db, StoreError};

/// Why a job run failed (logged; the next slot tries again).
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// What jobs work with: the database, the clock, the settings (the mail
/// sender is made from them), and the bell that wakes this instance's
/// loop when work was queued.
#[derive(Clone)]
pub struct Context(Arc<Inner>);

struct Inner {
    db: Db,
    clock: Clock,
    settings: Settings,
    queued: tokio::sync::Notify,
}

impl Context {
    pub fn new(db: Db, clock: Clock, settings: Settings) -> Context {
        Context(Arc::new(Inner {
            db,
            clock,
            settings,
            queued: tokio::sync::Notify::new(),
        }))
    }

    pub fn db(&self) -> &Db {
        &self.0.db
    }

    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// Tells this instance's loop that jobs were queued.
    pub fn queued(&self) {
        self.0.queued.notify_one();
    }

    /// Waits until jobs are queued here or `timeout` passes.
    async fn wait(&self, timeout: Duration) {
        let _ = tokio::time::timeout(timeout, self.0.queued.notified()).await;
    }
}

/// The periodic jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Periodic {
    /// Registrations never confirmed in time marked expired (`expiry`).
    Expiry,
    /// Participants reminded before an activity (`reminders`).
    Reminders,
    /// Thank-you e-mails after an activity (`thanks`).
    Thanks,
    /// The daily list of overdue replies to whoever leads the case
    /// (`overdue`).
    OverdueReplies,
    /// Files of cases that no row names removed (`orphan_files`).
    OrphanFiles,
    /// The coordinators' daily e-mail of the cooperation monitor
    /// (`monitoring_digest`).
    MonitoringDigest,
}

impl Periodic {
    pub const ALL: [Periodic; 6] = [
        Periodic::Expiry,
        Periodic::Reminders,
        Periodic::Thanks,
        Periodic::OverdueReplies,
        Periodic::OrphanFiles,
        Periodic::MonitoringDigest,
    ];

    /// The job's name, in the log and in `scheduled_job`.
    pub fn name(self) -> &'static str {
        match self {
            Periodic::Expiry => "expire_registrations",
            Periodic::Reminders => "reminders",
            Periodic::Thanks => "thanks",
            Periodic::OverdueReplies => "overdue_replies",
            Periodic::OrphanFiles => "orphan_files",
            Periodic::MonitoringDigest => "monitoring_digest",
        }
    }

    /// Its period, in seconds.
    pub fn every(self) -> i64 {
        match self {
            Periodic::OrphanFiles => 3600,
            _ => 60,
        }
    }

    /// The slot `now` falls in: periods counted from the Unix epoch.
    pub fn slot(self, now: jiff::Timestamp) -> i64 {
        now.as_second().div_euclid(self.every())
    }

    /// Does what is due at `now`; how much it did (0 when run again at the
    /// same time).
    pub async fn run_once(self, ctx: &Context, now: jiff::Timestamp) -> Result<usize, Error> {
        match self {
            Periodic::Expiry => expiry::run_once(ctx, now).await,
            Periodic::Reminders => reminders::run_once(ctx, now).await,
            Periodic::Thanks => thanks::run_once(ctx, now).await,
            Periodic::OverdueReplies => overdue::run_once(ctx, now).await,
            Periodic::OrphanFiles => orphan_files::run_once(ctx, now).await,
            Periodic::MonitoringDigest => monitoring_digest::run_once(ctx, now).await,
        }
    }

    /// `run_once` inside the job's span, its outcome logged.
    pub async fn run_traced(self, ctx: &Context, now: jiff::Timestamp) -> Result<usize, Error> {
        traced(self.name(), self.run_once(ctx, now)).await
    }
}

/// Runs `job` inside the span `job{job=NAME}`, logging what it did or why
/// it failed.
async fn traced<F, E>(name: &'static str, job: F) -> Result<usize, E>
where
    F: std::future::Future<Output = Result<usize, E>>,
    E: std::fmt::Display,
{
    async {
        let result = job.await;
        match &result {
            Ok(0) => tracing::debug!("job ran; nothing due"),
            Ok(n) => tracing::info!(done = n, "job ran"),
            Err(e) => tracing::warn!(cause = %e, "job failed"),
        }
        result
    }
    .instrument(tracing::info_span!("job", job = name))
    .await
}

/// Runs the periodic jobs whose slot at `now` this instance claims
/// (`store::jobs::claim_slot`): of several instances calling at once, each
/// slot goes to one. The jobs run, in the order of `Periodic::ALL`.
pub async fn run_scheduled(
    ctx: &Context,
    now: jiff::Timestamp,
    worker: &str,
) -> Result<Vec<Periodic>, StoreError> {
    let mut ran = Vec::new();
    for job in Periodic::ALL {
        if claim(ctx, job, now, worker).await? {
            let _ = job.run_traced(ctx, now).await;
            ran.push(job);
        }
    }
    Ok(ran)
}

async fn claim(
    ctx: &Context,
    job: Periodic,
    now: jiff::Timestamp,
    worker: &str,
) -> Result<bool, StoreError> {
    crate::store::jobs::claim_slot(ctx.db(), job.name(), job.slot(now), worker, now).await
}

/// Everything due by the clock, now, whatever slots were claimed: each
/// periodic job once, then every queued job due, batch after batch, until
/// none is left; how many queued jobs ran. What tests call instead of the
/// loop.
pub async fn drain(ctx: &Context) -> Result<usize, StoreError> {
    let now = ctx.clock().now();
    for job in Periodic::ALL {
        let _ = job.run_traced(ctx, now).await;
    }
    outbox::run_once(ctx, now).await
}

/// This instance's loop, until the server stops: the periodic jobs whose
/// slot came (each claimed once across instances, timed by the context's
/// clock), and the queued jobs as they come.
pub async fn run(ctx: Context) {
    let worker = worker_name();
    // The slot each periodic job was last tried in here, so the database
    // is asked once per slot.
    let mut tried: HashMap<Periodic, i64> = HashMap::new();
    loop {
        let now = ctx.clock().now();
        for job in Periodic::ALL {
            let slot = job.slot(now);
            if tried.get(&job) == Some(&slot) {
                continue;
            }
            match claim(&ctx, job, now, &worker).await {
                Ok(true) => {
                    tried.insert(job, slot);
                    let _ = job.run_traced(&ctx, now).await;
                }
                Ok(false) => {
                    tried.insert(job, slot);
                }
                Err(e) => {
                    // The database cannot answer: the next round tries
                    // again (one line a round, not one per job).
                    tracing::warn!(job = job.name(), cause = %e, "could not claim a job");
                    break;
                }
            }
        }
        send(&ctx, &worker, now).await;
    }
}

/// How this process signs its claims.
pub fn worker_name() -> String {
    format!("koalicja-{}", std::process::id())
}

/// Jobs that come while e-mails are flowing are taken together a moment
/// later: the sender's writes (claims, sent marks) then take turns with
/// the registrations' a few times a second rather than after every e-mail
/// or two.
const GATHER: Duration = Duration::from_millis(100);

/// One batch of queued jobs, then the wait that suits what it found.
async fn send(ctx: &Context, worker: &str, now: jiff::Timestamp) {
    match outbox::run_batch(ctx, worker, now).await {
        Ok(n) if n >= outbox::BATCH as usize => {}
        Ok(n) if n > 0 => tokio::time::sleep(GATHER).await,
        Ok(_) => ctx.wait(Duration::from_secs(1)).await,
        Err(e) => {
            tracing::warn!(cause = %e, "job worker could not reach the database");
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}
