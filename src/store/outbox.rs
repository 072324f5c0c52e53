//! The e-mail outbox: a message is a row here plus a `send_email` job that
//! carries its id (made by the database with the row), both written in the
//! caller's transaction, so a message is queued exactly when the change
//! that causes it commits.
//!
//! Each attempt to send is recorded before the message is handed over
//! (`start_sending`, with the claim of its job): the attempt's time, and
//! the Message-ID the message carries on this and every later try. A
//! message found marked at its next claim, not sent and with no error
//! recorded, was interrupted by a stop: whether it left is unknown.

use std::collections::HashMap;

use super::script::{Script, Value};
use super::{Db, Result, Tx};

/// The job kind that sends one outbox message.
pub const SEND_EMAIL: &str = "send_email";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attachment: Option<Attachment>,
}

/// A file sent with a message (text: an `.ics` invitation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub mime: String,
    pub content: String,
}

/// Queues a message; the worker sends it after the transaction commits.
pub async fn enqueue(tx: &mut Tx, m: &Message, now: &str) -> Result<()> {
    enqueue_all(tx, &[m], now).await
}

/// Queues messages in one statement whatever their number (the job of each
/// is made with its row: `migrations/*/0006_outbox_jobs.sql`).
pub async fn enqueue_all(tx: &mut Tx, all: &[&Message], now: &str) -> Result<()> {
    let mut script = Script::new(tx.engine());
    enqueue_into(&mut script, all, now);
    script.run(tx).await?;
    Ok(())
}

/// Columns bound per message by `enqueue_into`.
const MESSAGE_COLUMNS: usize = 8;

/// `enqueue_all` as statements of a script.
pub(super) fn enqueue_into<'q>(script: &mut Script<'q>, all: &[&'q Message], now: &'q str) {
    // Within the bound parameters every engine takes in one statement.
    for chunk in all.chunks(1000) {
        let rows = super::values(script.engine(), chunk.len(), MESSAGE_COLUMNS);
        let mut values = Vec::with_capacity(chunk.len() * MESSAGE_COLUMNS);
        for m in chunk {
            let a = m.attachment.as_ref();
            values.extend([
                Value::from(m.recipient.as_str()),
                m.subject.as_str().into(),
                m.body_text.as_str().into(),
                m.body_html.as_deref().into(),
                now.into(),
                a.map(|a| a.name.as_str()).into(),
                a.map(|a| a.mime.as_str()).into(),
                a.map(|a| a.content.as_str()).into(),
            ]);
        }
        script.push(
            format!(
                "INSERT INTO outbox (recipient, subject, body_text, body_html, created_at, \
                 attachment_name, attachment_type, attachment) VALUES {rows}"
            ),
            values,
        );
    }
}

/// Queues a message in a transaction of its own.
pub async fn send(db: &Db, m: &Message, now: jiff::Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    enqueue(&mut tx, m, &crate::clock::stamp(now)).await?;
    tx.commit().await?;
    Ok(())
}

/// Messages by id, in one query; ids not found are left out.
pub async fn get_many(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Message>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = super::batch_query(&format!(
        "SELECT id, recipient, subject, body_text, body_html, attachment_name, attachment_type, \
         attachment FROM outbox WHERE id IN ({})",
        super::id_list(ids)
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let m = <MessageRow as sqlx::FromRow<_>>::from_row(r)?;
            Ok((m.id, m.into()))
        })
        .collect()
}

/// A message as stored, its attachment in three columns.
#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: Option<String>,
    attachment_name: Option<String>,
    attachment_type: Option<String>,
    attachment: Option<String>,
}

impl From<MessageRow> for Message {
    fn from(r: MessageRow) -> Message {
        Message {
            recipient: r.recipient,
            subject: r.subject,
            body_text: r.body_text,
            body_html: r.body_html,
            attachment: match (r.attachment_name, r.attachment_type, r.attachment) {
                (Some(name), Some(mime), Some(content)) => Some(Attachment {
                    name,
                    mime,
                    content,
                }),
                _ => None,
            },
        }
    }
}

/// A message about to be sent: its Message-ID (the same on every try) and
/// whether an earlier attempt was interrupted, its outcome unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sending {
    pub message_id: String,
    pub interrupted: bool,
}

/// Marks the messages `ids` (those not sent yet) as being sent at `now`,
/// in the transaction that claims their jobs, and gives each its
/// Message-ID: the one it got at its first attempt, or
/// `<{id}.{suffix}>` (`suffix` being random and the sender's domain).
pub async fn start_sending(
    tx: &mut Tx,
    ids: &[i64],
    now: jiff::Timestamp,
    suffix: &str,
) -> Result<HashMap<i64, Sending>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = super::id_list(ids);
    let earlier = super::batch_query(&format!(
        "SELECT id, sending_at FROM outbox WHERE id IN ({list}) AND sent_at IS NULL"
    ))
    .fetch_all(&mut **tx)
    .await?;
    let mut interrupted = HashMap::with_capacity(earlier.len());
    for r in &earlier {
        let (id, sending_at) = <(i64, Option<String>) as sqlx::FromRow<_>>::from_row(r)?;
        interrupted.insert(id, sending_at.is_some());
    }
    let marked = super::batch_query(&format!(
        "UPDATE outbox SET sending_at = $1, \
         message_id = COALESCE(message_id, '<' || CAST(id AS TEXT) || '.' || $2 || '>') \
         WHERE id IN ({list}) AND sent_at IS NULL RETURNING id, message_id"
    ))
    .bind(crate::clock::stamp(now))
    .bind(suffix)
    .fetch_all(&mut **tx)
    .await?;
    marked
        .iter()
        .map(|r| {
            let (id, message_id) = <(i64, String) as sqlx::FromRow<_>>::from_row(r)?;
            let interrupted = interrupted.get(&id).copied().unwrap_or(false);
            Ok((
                id,
                Sending {
                    message_id,
                    interrupted,
                },
            ))
        })
        .collect()
}

/// Marks messages sent and their jobs done, in one transaction.
pub async fn mark_sent_all(
    db: &Db,
    messages: &[i64],
    jobs: &[i64],
    now: jiff::Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    if !messages.is_empty() {
        super::batch_query(&format!(
            "UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id IN ({})",
            super::id_list(messages)
        ))
        .bind(crate::clock::stamp(now))
        .execute(&mut *tx)
        .await?;
    }
    super::jobs::complete_all(&mut tx, jobs, now).await?;
    tx.commit().await
}

/// Records why a message was not sent; its attempt is over (not
/// interrupted), so the sending mark goes.
pub async fn mark_error(db: &Db, id: i64, error: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET last_error = $2, sending_at = NULL WHERE id = $1")
        .bind(id)
        .bind(error)
        .execute(&mut *db.writer().await?)
        .await?;
    Ok(())
}

/// Whether the daily work `kind` was done on `day` (a read: asked every
/// minute, it answers all but the first ask without the write gate).
pub async fn done_on(db: &Db, kind: &str, day: jiff::civil::Date) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM daily_run WHERE kind = $1 AND day = $2")
            .bind(kind)
            .bind(day.to_string())
            .fetch_optional(db.pool())
            .await?
            .is_some(),
    )
}

/// Claims the daily work `kind` for `day` and queues its messages, in one
/// transaction: of instances doing it at once, one claims the day and
/// queues; the others queue nothing. How many were queued.
pub async fn once_on(
    db: &Db,
    kind: &str,
    day: jiff::civil::Date,
    messages: &[Message],
    now: &str,
) -> Result<usize> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "INSERT INTO daily_run (kind, day) VALUES ($1, $2) ON CONFLICT (kind, day) DO NOTHING",
    )
    .bind(kind)
    .bind(day.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        tx.rollback().await?;
        return Ok(0);
    }
    if !messages.is_empty() {
        enqueue_all(&mut tx, &messages.iter().collect::<Vec<_>>(), now).await?;
    }
    tx.commit().await?;
    Ok(messages.len())
}
