//! Background work: the job worker, and the e-mail sender it drives.
//!
//! Every instance runs one worker. It claims due jobs from the database
//! (`store::jobs`), so a job runs once whichever instance queued it. The
//! kinds are `send_email`: one outbox message, sent through SMTP when
//! `smtp_url` is set, otherwise written as an `.eml` file under
//! `data_dir/outbox/`; and `password_reset`: the link that sets a new
//! password (`accounts`), queued by the reset form. A failed job is
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

pub mod accounts;
pub mod cases;
pub mod registration;

use std::collections::HashMap;
use std::time::Duration;

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::app::{stamp, AppState};
use crate::config::Settings;
use crate::domain::redact::masked;
use crate::store::outbox::{self, Message};
use crate::store::{jobs, StoreError};

/// Tries per message before it is given up (its error stays in the outbox).
pub const MAX_ATTEMPTS: i64 = 8;

/// How long a claimed job is held before another worker may take it: also
/// how long a message whose sending a stop interrupted waits to be tried
/// again.
pub const LEASE: i64 = 300;

/// Seconds to wait before try number `attempts + 1`.
pub fn backoff(attempts: i64) -> i64 {
    let exponent = attempts.clamp(1, 20) - 1;
    (30_i64 << exponent).min(6 * 3600)
}

/// Runs due jobs until the server stops.
pub async fn work(state: AppState) {
    let worker = format!("koalicja-{}", std::process::id());
    let mut last_sweep: Option<jiff::Timestamp> = None;
    let mut last_files: Option<jiff::Timestamp> = None;
    loop {
        // Timed by the app's clock, so that tests can move it.
        let now = state.clock().now();
        if last_sweep.is_none_or(|t| (now - t).get_seconds() >= SWEEP_EVERY_SECONDS) {
            last_sweep = Some(now);
            run_periodic(&state).await;
        }
        if last_files.is_none_or(|t| (now - t).get_seconds() >= FILES_EVERY_SECONDS) {
            last_files = Some(now);
            remove_orphan_files(&state).await;
        }
        match run_batch(&state, &worker).await {
            Ok(n) if n >= BATCH as usize => {}
            // Jobs that come while e-mails are flowing are taken together a
            // moment later: the worker's writes (claims, sent marks) then
            // take turns with the registrations' a few times a second
            // rather than after every e-mail or two.
            Ok(n) if n > 0 => tokio::time::sleep(GATHER).await,
            Ok(_) => state.wait_for_jobs(Duration::from_secs(1)).await,
            Err(e) => {
                tracing::warn!(cause = %e, "job worker could not reach the database");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// The periodic work, once, by the app's clock: expiry of unconfirmed
/// registrations, reminders, thank-you e-mails and the daily list of
/// overdue replies (each marks what it did, so a second run that day does
/// nothing more). Failures are logged; the next run tries again.
pub async fn run_periodic(state: &AppState) {
    if let Err(e) = sweep(state).await {
        tracing::warn!(cause = %e, "could not expire unconfirmed registrations");
    }
    match crate::web::registration::send_reminders(state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(reminders = n, "reminders queued"),
        Err(e) => tracing::warn!(cause = %e, "could not queue reminders"),
    }
    match crate::web::registration::send_thanks(state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(thanks = n, "thank-you e-mails queued"),
        Err(e) => tracing::warn!(cause = %e, "could not queue thank-you e-mails"),
    }
    match cases::send_overdue(state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(messages = n, "overdue replies listed"),
        Err(e) => tracing::warn!(cause = %e, "could not list overdue replies"),
    }
}

/// How often (in seconds) files no row names are looked for, after the
/// first time, at start.
const FILES_EVERY_SECONDS: i64 = 3600;

/// Removes files of cases that no row names, older than the grace period
/// (`web::case_files::remove_orphans`); failures are logged.
pub async fn remove_orphan_files(state: &AppState) {
    if let Err(e) = crate::web::case_files::remove_orphans(state).await {
        tracing::warn!(cause = %e, "could not sweep the attachments folder");
    }
}

/// Runs every job due by the app's clock, batch after batch, until none
/// is left; how many ran. What `work` does between its waits.
pub async fn run_due(state: &AppState, worker: &str) -> Result<usize, StoreError> {
    let mut total = 0;
    loop {
        match run_batch(state, worker).await? {
            0 => return Ok(total),
            n => total += n,
        }
    }
}

/// How often (in seconds) unconfirmed registrations are expired and
/// reminders queued.
const SWEEP_EVERY_SECONDS: i64 = 60;

/// Expires registrations not confirmed in time (they are also refused at
/// confirmation, so this only keeps the lists true).
pub async fn sweep(state: &AppState) -> Result<u64, StoreError> {
    let now = state.clock().now();
    let hours = crate::domain::registration::CONFIRM_WITHIN_HOURS;
    let before = stamp(now - jiff::SignedDuration::from_hours(hours));
    crate::store::registrations::expire(state.db(), &before, &stamp(now)).await
}

/// Jobs one worker claims at a time.
const BATCH: i64 = 100;

/// How long the worker lets jobs gather after a batch that was not full.
const GATHER: Duration = Duration::from_millis(100);

/// Claims and runs due jobs, up to `BATCH` at a time; how many were due.
/// The claim records the messages' sending marks (`claim`), the messages
/// are handed over (`deliver`) and those sent are marked, with their jobs
/// done, in one transaction (`finish`).
pub async fn run_batch(state: &AppState, worker: &str) -> Result<usize, StoreError> {
    let batch = claim(state, worker).await?;
    if batch.jobs.is_empty() {
        return Ok(0);
    }
    let results = deliver(state, &batch).await;
    finish(state, &batch, results).await
}

/// Jobs claimed together, with their messages and how each is to be sent.
pub struct Batch {
    pub jobs: Vec<jobs::Job>,
    pub messages: HashMap<i64, Message>,
    pub sending: HashMap<i64, outbox::Sending>,
}

/// Claims up to `BATCH` due jobs and, in the same transaction, marks
/// their messages as being sent (`outbox::start_sending`); then reads the
/// messages.
pub async fn claim(state: &AppState, worker: &str) -> Result<Batch, StoreError> {
    let db = state.db();
    let now = state.clock().now();
    let lease = stamp(now + jiff::SignedDuration::from_secs(LEASE));
    let mut tx = db.begin_write().await?;
    let claimed = jobs::claim_many_in(&mut tx, worker, &stamp(now), &lease, BATCH).await?;
    let ids: Vec<i64> = claimed
        .iter()
        .filter(|j| j.kind == outbox::SEND_EMAIL)
        .filter_map(|j| j.payload.parse().ok())
        .collect();
    let sending =
        outbox::start_sending(&mut tx, &ids, &stamp(now), &id_suffix(state.settings())?).await?;
    tx.commit().await?;
    let messages = outbox::get_many(db, &ids).await?;
    Ok(Batch {
        jobs: claimed,
        messages,
        sending,
    })
}

/// What follows a message's id in its Message-ID: a random part (ids
/// start again in another database) and the sender's domain.
fn id_suffix(settings: &Settings) -> Result<String, StoreError> {
    let token = crate::domain::auth::new_token().map_err(|_| StoreError::Random)?;
    let random: String = token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    let domain = settings
        .mail_from
        .parse::<Mailbox>()
        .map(|m| m.email.domain().to_owned())
        .unwrap_or_else(|_| "koalicja.invalid".to_owned());
    Ok(format!("{random}@{domain}"))
}

/// Hands the batch's messages over; for each, the mail server's or the
/// folder's error (to retry).
pub async fn deliver(state: &AppState, batch: &Batch) -> HashMap<i64, Result<(), String>> {
    let ready = batch
        .messages
        .iter()
        .filter_map(|(id, m)| batch.sending.get(id).map(|s| (*id, m, s)))
        .collect();
    Sender::new(state.settings()).send_all(ready).await
}

/// Marks the messages `results` says were sent, and their jobs done;
/// records the errors of the others and releases their jobs to be tried
/// again later. How many jobs the batch had.
pub async fn finish(
    state: &AppState,
    batch: &Batch,
    mut results: HashMap<i64, Result<(), String>>,
) -> Result<usize, StoreError> {
    let db = state.db();
    let now = state.clock().now();
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
                accounts::send_reset_link(state, job.id, &job.payload)
                    .await
                    .map_err(|e| e.to_string())
            }
            (other, _) => Err(format!("nieznany rodzaj zadania: {other}")),
        };
        match result {
            Ok(()) => done.push(job.id),
            Err(e) if job.attempts >= MAX_ATTEMPTS => {
                let cause = masked(&e);
                tracing::error!(job = job.id, attempts = job.attempts, cause, "job given up");
                done.push(job.id);
            }
            Err(e) => {
                let retry = stamp(now + jiff::SignedDuration::from_secs(backoff(job.attempts)));
                let cause = masked(&e);
                tracing::warn!(
                    job = job.id,
                    attempts = job.attempts,
                    cause,
                    "job failed; will retry"
                );
                jobs::fail(db, job.id, &e, &retry, &state.now_text()).await?;
            }
        }
    }
    outbox::mark_sent_all(db, &sent, &done, &state.now_text()).await?;
    Ok(batch.jobs.len())
}

/// Where messages go: an SMTP server (one transport per batch, so its
/// connections are reused) or, without `smtp_url`, the outbox folder.
struct Sender<'a> {
    settings: &'a Settings,
    smtp: Option<Result<AsyncSmtpTransport<Tokio1Executor>, String>>,
}

impl<'a> Sender<'a> {
    fn new(settings: &'a Settings) -> Sender<'a> {
        Sender {
            settings,
            smtp: settings.smtp_url.as_ref().map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map(|t| t.timeout(Some(Duration::from_secs(30))).build())
                    .map_err(|e| format!("zły adres serwera poczty: {e}"))
            }),
        }
    }

    /// Sends outbox messages; for each, the error is the mail server's or
    /// the folder's (to retry). Files are written in one blocking task.
    /// Messages still unsent when half the lease has passed (a slow or
    /// silent mail server) get no result: they are tried again later,
    /// before another worker could take their jobs.
    async fn send_all(
        &self,
        batch: Vec<(i64, &Message, &outbox::Sending)>,
    ) -> HashMap<i64, Result<(), String>> {
        let until = std::time::Instant::now() + Duration::from_secs(LEASE as u64 / 2);
        let mut results = HashMap::with_capacity(batch.len());
        let mut files = Vec::new();
        for (id, m, sending) in batch {
            if self.smtp.is_some() && std::time::Instant::now() > until {
                break;
            }
            let email = match build(self.settings, m, &sending.message_id) {
                Ok(email) => email,
                Err(e) => {
                    results.insert(id, Err(e));
                    continue;
                }
            };
            match &self.smtp {
                Some(transport) => {
                    if sending.interrupted {
                        // Whether the interrupted attempt reached the
                        // server is unknown: the copy carries the same
                        // Message-ID, by which it is recognised.
                        tracing::warn!(
                            message = id,
                            "sending again a message whose earlier attempt was interrupted \
                             (same Message-ID)"
                        );
                    }
                    let sent = match transport {
                        Ok(t) => t
                            .send(email)
                            .await
                            .map(|_| tracing::info!(message = id, "e-mail sent"))
                            .map_err(|e| format!("serwer poczty odrzucił wiadomość: {e}")),
                        Err(e) => Err(e.clone()),
                    };
                    results.insert(id, sent);
                }
                None => files.push(OutboxFile {
                    id,
                    bytes: email.formatted(),
                    message_id: sending.message_id.clone(),
                    interrupted: sending.interrupted,
                }),
            }
        }
        if files.is_empty() {
            return results;
        }
        let dir = self.settings.data_dir.join(crate::files::OUTBOX);
        let written = tokio::task::spawn_blocking(move || write_files(&dir, files))
            .await
            .unwrap_or_default();
        results.extend(written);
        results
    }
}

/// A message to write into the outbox folder.
struct OutboxFile {
    id: i64,
    bytes: Vec<u8>,
    message_id: String,
    interrupted: bool,
}

/// The file a message is written to.
fn file_name(id: i64) -> String {
    format!("{id:06}.eml")
}

/// Writes each message as `dir/NNNNNN.eml`, durably (`files::write_all`:
/// fsynced under a temporary name, renamed, the folder fsynced). A message
/// whose earlier attempt was interrupted and whose file is there with its
/// Message-ID was written whole then: it is not written again.
fn write_files(dir: &std::path::Path, files: Vec<OutboxFile>) -> Vec<(i64, Result<(), String>)> {
    let mut results = Vec::with_capacity(files.len());
    let mut to_write = Vec::with_capacity(files.len());
    for f in files {
        let path = dir.join(file_name(f.id));
        let header = format!("Message-ID: {}", f.message_id);
        if f.interrupted && crate::files::head_contains(&path, header.as_bytes()).unwrap_or(false) {
            tracing::warn!(
                message = f.id,
                "e-mail written before a stop interrupted its sending; not written again"
            );
            results.push((f.id, Ok(())));
        } else {
            to_write.push(f);
        }
    }
    let names: Vec<String> = to_write.iter().map(|f| file_name(f.id)).collect();
    let contents: Vec<(&str, &[u8])> = names
        .iter()
        .zip(&to_write)
        .map(|(n, f)| (n.as_str(), f.bytes.as_slice()))
        .collect();
    let written = crate::files::write_all(dir, &contents);
    for (f, result) in to_write.iter().zip(written) {
        let path = dir.join(file_name(f.id));
        let result = result.map_err(|e| format!("nie można zapisać {}: {e}", path.display()));
        if result.is_ok() {
            tracing::info!(message = f.id, file = %path.display(), "e-mail written to the outbox folder");
        }
        results.push((f.id, result));
    }
    results
}

/// The message as MIME: plain text, with an HTML alternative if given,
/// carrying `message_id` (the same on every try).
pub fn build(
    settings: &Settings,
    m: &Message,
    message_id: &str,
) -> Result<lettre::Message, String> {
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|_| "zły adres nadawcy".to_owned())?;
    let to: Mailbox = m
        .recipient
        .parse()
        .map_err(|_| "zły adres odbiorcy".to_owned())?;
    let builder = lettre::Message::builder()
        .from(from)
        .to(to)
        .message_id(Some(message_id.to_owned()))
        .subject(m.subject.clone());
    let body = match &m.body_html {
        Some(html) => MultiPart::alternative_plain_html(m.body_text.clone(), html.clone()),
        None => MultiPart::mixed().singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(m.body_text.clone()),
        ),
    };
    let built = match &m.attachment {
        Some(a) => {
            let mime = ContentType::parse(&a.mime).map_err(|_| "zły typ załącznika".to_owned())?;
            builder.multipart(
                MultiPart::mixed()
                    .multipart(body)
                    .singlepart(Attachment::new(a.name.clone()).body(a.content.clone(), mime)),
            )
        }
        None => builder.multipart(body),
    };
    built.map_err(|e| format!("nie można zbudować wiadomości: {e}"))
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

    #[test]
    fn a_message_has_polish_subject_and_both_parts() {
        let settings = Settings::local(std::path::Path::new("/tmp"));
        let m = Message {
            recipient: "zofia@example.org".into(),
            subject: "Zmiana hasła – łącze".into(),
            body_text: "Treść zażółć".into(),
            body_html: Some("<p>Treść</p>".into()),
            attachment: None,
        };
        let raw = build(&settings, &m, "<7.abc@koalicja.invalid>")
            .map(|e| String::from_utf8_lossy(&e.formatted()).into_owned());
        let raw = raw.unwrap_or_default();
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("To: zofia@example.org"), "{raw}");
        assert!(
            raw.contains("Message-ID: <7.abc@koalicja.invalid>"),
            "{raw}"
        );
    }
}
