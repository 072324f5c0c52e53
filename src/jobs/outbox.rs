//! The queued jobs (`store::jobs`), above all the outbox's e-mails.
//!
//! The kinds are `send_email`: one outbox message, handed to the mail
//! sender (`mail::Sender`: SMTP when `smtp_url` is set, otherwise an `.eml`
//! file under `data_dir/outbox/`); and `password_reset`: the link that sets
//! a new password (`reset_link`), queued by the reset form. A failed job is
//! retried with exponential backoff (30 s, 1 min, 2 min, …) up to
//! `MAX_ATTEMPTS` times. The log names messages by id only, never by
//! address or content; a mail server's answer, which may quote the
//! address, is logged with addresses masked.
//!
//! Once, as far as it can be: the claim of a batch commits, with it, a
//! sending mark and a Message-ID for each message (`outbox::start_sending`)
//! before anything is handed over. A stop between the handing over and the
//! sent mark leaves the job leased; after the lease (`LEASE`) the message
//! is claimed again, marked as interrupted, and then: an `.eml` file of
//! that name holding its Message-ID was written whole (files are renamed
//! into place once fsynced), so it is not written again; over SMTP whether
//! it left is unknown, so it is sent again with the same Message-ID (and a
//! log line), which receiving servers and mail clients use to drop the
//! copy. See ARCHITECTURE.md, "E-mail".

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::Context;
use crate::domain::redact::masked;
use crate::mail::Sender;
use crate::store::outbox::{self, Message};
use crate::store::{jobs, StoreError};

/// Tries per message before it is given up (its error stays in the outbox).
pub const MAX_ATTEMPTS: i64 = 8;

/// How long a claimed job is held before another worker may take it: also
/// how long a message whose sending a stop interrupted waits to be tried
/// again.
pub const LEASE: i64 = 300;

/// Jobs one worker claims at a time.
pub const BATCH: i64 = 100;

/// Seconds to wait before try number `attempts + 1`.
pub fn backoff(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 20) - 1;
    (30_i64 << exponent).min(6 * 3600)
}

/// Runs every job due at `now`, batch after batch, until none is left;
/// how many ran (0 when run again at the same time).
pub async fn run_once(ctx: &Context, now: jiff::Timestamp) -> Result<usize, StoreError> {
    let worker = super::worker_name();
    super::traced("send_outbox", async {
        let mut total = 0;
        loop {
            match run_batch(ctx, &worker, now).await? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    })
    .await
}

/// Claims and runs due jobs, up to `BATCH` at a time; how many were due.
/// The claim records the messages' sending marks (`claim`), the messages
/// are handed over (`deliver`) and those sent are marked, with their jobs
/// done, in one transaction (`finish`).
pub async fn run_batch(
    ctx: &Context,
    worker: &str,
    now: jiff::Timestamp,
) -> Result<usize, StoreError> {
    let batch = claim(ctx, worker, now).await?;
    if batch.jobs.is_empty() {
        return Ok(0);
    }
    let results = deliver(ctx, &batch).await;
    finish(ctx, &batch, results, now).await
}

/// Jobs claimed together, with their messages and how each is to be sent.
pub struct Batch {
    pub jobs: Vec<jobs::Job>,
    pub messages: HashMap<i64, Message>,
    pub sending: HashMap<i64, outbox::Sending>,
}

/// Claims up to `BATCH` jobs due at `now` and, in the same transaction,
/// marks their messages as being sent (`outbox::start_sending`); then
/// reads the messages.
pub async fn claim(ctx: &Context, worker: &str, now: jiff::Timestamp) -> Result<Batch, StoreError> {
    let db = ctx.db();
    let lease = now + jiff::SignedDuration::from_secs(LEASE);
    let suffix = crate::mail::id_suffix(ctx.settings()).map_err(|_| StoreError::Random)?;
    let mut tx = db.begin_write().await?;
    let claimed = jobs::claim_many_in(&mut tx, worker, now, lease, BATCH).await?;
    let ids: Vec<i64> = claimed
        .iter()
        .filter(|j| j.kind == outbox::SEND_EMAIL)
        .filter_map(|j| j.payload.parse().ok())
        .collect();
    let sending = outbox::start_sending(&mut tx, &ids, now, &suffix).await?;
    tx.commit().await?;
    let messages = outbox::get_many(db, &ids).await?;
    Ok(Batch {
        jobs: claimed,
        messages,
        sending,
    })
}

/// Hands the batch's messages over; for each, the mail server's or the
/// folder's error (to retry). Messages still unsent when half the lease
/// has passed (a slow or silent mail server) get no result: they are tried
/// again later, before another worker could take their jobs.
pub async fn deliver(ctx: &Context, batch: &Batch) -> HashMap<i64, Result<(), String>> {
    let ready = batch
        .messages
        .iter()
        .filter_map(|(id, m)| batch.sending.get(id).map(|s| (*id, m, s)))
        .collect();
    let until = Instant::now() + Duration::from_secs(LEASE as u64 / 2);
    Sender::new(ctx.settings()).send_all(ready, until).await
}

/// Marks the messages `results` says were sent, and their jobs done;
/// records the errors of the others and releases their jobs to be tried
/// again later. How many jobs the batch had.
pub async fn finish(
    ctx: &Context,
    batch: &Batch,
    mut results: HashMap<i64, Result<(), String>>,
    now: jiff::Timestamp,
) -> Result<usize, StoreError> {
    let db = ctx.db();
    let (mut sent, mut done) = (Vec::new(), Vec::new());
    for job in &batch.jobs {
        let result = match (job.kind.as_str(), job.payload.parse::<i64>()) {
            // A message gone from the outbox, or sent already, has nothing
            // to send.
            (outbox::SEND_EMAIL, Ok(id)) if !batch.sending.contains_key(&id) => Ok(()),
            (outbox::SEND_EMAIL, Ok(id)) => {
                let result = results
                    .remove(&id)
                    .unwrap_or_else(|| Err("wiadomość nie została wysłana".into()));
                match &result {
                    Ok(()) => sent.push(id),
                    Err(e) => outbox::mark_error(db, id, e).await?,
                }
                result
            }
            (outbox::SEND_EMAIL, Err(_)) => {
                Err(format!("zły identyfikator wiadomości: {}", job.payload))
            }
            (crate::store::accounts::RESET_LINK, _) => {
                super::reset_link::run(ctx, job.id, &job.payload, now)
                    .await
                    .map_err(|e| e.to_string())
            }
            (other, _) => Err(format!("nieznany rodzaj zadania: {other}")),
        };
        match result {
            Ok(()) => done.push(job.id),
            Err(e) => give_up_or_retry(ctx, job, &e, now, &mut done).await?,
        }
    }
    outbox::mark_sent_all(db, &sent, &done, now).await?;
    Ok(batch.jobs.len())
}

/// A failed job: given up (done) after `MAX_ATTEMPTS`, else released to be
/// tried again after its backoff.
async fn give_up_or_retry(
    ctx: &Context,
    job: &jobs::Job,
    error: &str,
    now: jiff::Timestamp,
    done: &mut Vec<i64>,
) -> Result<(), StoreError> {
    let cause = masked(error);
    if job.attempts >= MAX_ATTEMPTS {
        tracing::error!(job = job.id, attempts = job.attempts, cause, "job given up");
        done.push(job.id);
        return Ok(());
    }
    let retry = now + jiff::SignedDuration::from_secs(backoff(job.attempts));
    tracing::warn!(
        job = job.id,
        attempts = job.attempts,
        cause,
        "job failed; will retry"
    );
    jobs::fail(ctx.db(), job.id, error, retry, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_six_hours() {
        assert_eq!(backoff(1), 30);
        assert_eq!(backoff(2), 60);
        assert_eq!(backoff(3), 120);
        assert_eq!(backoff(9), 30 * 256);
        assert_eq!(backoff(11), 6 * 3600);
    }
}
