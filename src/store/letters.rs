//! Letters of a case to its JST: the templates admins edit, the letters
//! made from them (each kept as the PDF sent), how they were sent, and the
//! reply deadlines they run; the dashboard and the daily list of overdue
//! replies read them.

use jiff::civil::Date;
use jiff::Timestamp;
use serde_json::json;
use sqlx::{FromRow, Row};

use super::audit::{self, Entry};
use super::cases::{self, Flag, StoredFile};
use super::outbox::{self, Message};
use super::rows::{MaybeStored, Stored};
use super::{Db, Result, Tx, Where};
use crate::clock::stamp;
use crate::domain::access::Scope;
use crate::domain::cases::{reply_due, timeline, FileSource, Status};
pub use crate::domain::letters::Refused;
use crate::domain::letters::SentVia;

/// A letter template.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Template {
    pub code: String,
    pub name: String,
    pub body_md: String,
    #[sqlx(try_from = "Flag")]
    pub public_information: bool,
}

pub async fn templates(db: &Db) -> Result<Vec<Template>> {
    Ok(sqlx::query_as(
        "SELECT code, name, body_md, public_information FROM letter_template ORDER BY name",
    )
    .fetch_all(db.pool())
    .await?)
}

pub async fn template(db: &Db, code: &str) -> Result<Option<Template>> {
    Ok(sqlx::query_as(
        "SELECT code, name, body_md, public_information FROM letter_template WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn save_template(
    db: &Db,
    who: i64,
    code: &str,
    name: &str,
    body_md: &str,
    now: Timestamp,
) -> Result<()> {
    let before = template(db, code).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE letter_template SET name = $2, body_md = $3, updated_at = $4 WHERE code = $1",
    )
    .bind(code)
    .bind(name)
    .bind(body_md)
    .bind(stamp(now))
    .execute(&mut *tx)
    .await?;
    let mut entry = Entry::new(Some(who), "update", "letter_template", code, &stamp(now))
        .after(json!({ "name": name, "body_md": body_md }));
    if let Some(b) = before {
        entry = entry.before(json!({ "name": b.name, "body_md": b.body_md }));
    }
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::CASES).await?;
    tx.commit().await
}

/// A letter of a case.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Letter {
    pub id: i64,
    pub case_id: i64,
    pub title: String,
    #[sqlx(try_from = "Stored")]
    pub dated_on: Date,
    pub attachment_id: i64,
    #[sqlx(try_from = "Flag")]
    pub public_information: bool,
    pub sent_via: Option<SentVia>,
    #[sqlx(try_from = "MaybeStored")]
    pub sent_on: Option<Date>,
    #[sqlx(try_from = "MaybeStored")]
    pub delivered_on: Option<Date>,
    #[sqlx(try_from = "MaybeStored")]
    pub notified_on: Option<Date>,
    #[sqlx(try_from = "MaybeStored")]
    pub reply_due: Option<Date>,
    #[sqlx(try_from = "MaybeStored")]
    pub replied_on: Option<Date>,
}

const COLUMNS: &str = "id, case_id, title, dated_on, attachment_id, public_information, sent_via, \
    sent_on, delivered_on, notified_on, reply_due, replied_on";

pub async fn of_case(db: &Db, case: i64) -> Result<Vec<Letter>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM letter WHERE case_id = $1 ORDER BY id"
    ))
    .bind(case)
    .fetch_all(db.pool())
    .await?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Letter>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM letter WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// A letter just written: its PDF (already saved) becomes a file of the
/// case, and the letter waits to be sent.
pub struct NewLetter<'a> {
    pub case_id: i64,
    pub template: &'a Template,
    pub title: &'a str,
    pub dated_on: Date,
    pub body_md: &'a str,
    pub pdf: &'a StoredFile,
    /// The signatory's function as printed under the name (may be empty).
    pub signatory_function: &'a str,
}

pub async fn create(db: &Db, who: i64, l: &NewLetter<'_>, now: Timestamp) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let attachment = cases::insert_attachment(
        &mut tx,
        l.case_id,
        l.pdf,
        FileSource::Letter,
        Some(who),
        now,
    )
    .await?;
    let id: i64 = sqlx::query(
        "INSERT INTO letter (case_id, template_code, title, dated_on, body_md, attachment_id, \
         public_information, account_id, created_at, signatory_function) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(l.case_id)
    .bind(&l.template.code)
    .bind(l.title)
    .bind(l.dated_on.to_string())
    .bind(l.body_md)
    .bind(attachment)
    .bind(i64::from(l.template.public_information))
    .bind(who)
    .bind(stamp(now))
    .bind(l.signatory_function)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let body = timeline::letter_made(l.title, l.dated_on);
    cases::finish(
        tx,
        l.case_id,
        who,
        "letter",
        &body,
        json!({ "letter_id": id }),
        now,
    )
    .await?;
    Ok(id)
}

/// The text of a template inside a transaction (the demo's letters).
pub async fn template_body(tx: &mut Tx, code: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT body_md FROM letter_template WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| r.try_get(0).map_err(Into::into)).transpose()
}

/// A letter loaded with its sending (the demo programme).
pub struct LoadedLetter<'a> {
    pub case_id: i64,
    pub template_code: &'a str,
    pub public_information: bool,
    pub title: &'a str,
    pub dated_on: Date,
    pub body_md: &'a str,
    pub pdf: &'a StoredFile,
    pub sent_via: SentVia,
    pub delivered_on: Date,
    pub account: Option<i64>,
}

/// Inserts a letter sent on its own date, with its reply deadline and the
/// two lines of the case's timeline.
pub async fn insert_loaded(tx: &mut Tx, l: &LoadedLetter<'_>, now: Timestamp) -> Result<i64> {
    let attachment =
        cases::insert_attachment(tx, l.case_id, l.pdf, FileSource::Letter, l.account, now).await?;
    let due = reply_due(l.delivered_on, None);
    let id: i64 = sqlx::query(
        "INSERT INTO letter (case_id, template_code, title, dated_on, body_md, attachment_id, \
         public_information, account_id, created_at, sent_via, sent_on, delivered_on, reply_due) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $4, $11, $12) RETURNING id",
    )
    .bind(l.case_id)
    .bind(l.template_code)
    .bind(l.title)
    .bind(l.dated_on.to_string())
    .bind(l.body_md)
    .bind(attachment)
    .bind(i64::from(l.public_information))
    .bind(l.account)
    .bind(stamp(now))
    .bind(l.sent_via.code())
    .bind(l.delivered_on.to_string())
    .bind(due.to_string())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    // At ten in the morning by the UTC calendar the times are stored in.
    let at = |d: Date| {
        d.at(10, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_or(now, |z| z.timestamp())
    };
    cases::event(
        tx,
        l.case_id,
        l.account,
        "letter",
        &timeline::letter_made(l.title, l.dated_on),
        at(l.dated_on),
    )
    .await?;
    cases::event(
        tx,
        l.case_id,
        l.account,
        "sent",
        &timeline::sent(
            &timeline::Sending {
                title: l.title,
                via: l.sent_via,
                sent_on: l.dated_on,
                delivered_on: l.delivered_on,
                reply_due: due,
            },
            None,
        ),
        at(l.dated_on),
    )
    .await?;
    Ok(id)
}

/// Records how and when a letter went and when it reached the office,
/// with its reply deadline `s.reply_due`; the case moves to "awaiting
/// reply" if `decide`, given the status the case stands in now (read in
/// the same transaction), allows it, and gives the timeline's line.
pub async fn record_sending(
    db: &Db,
    who: i64,
    letter: &Letter,
    s: &timeline::Sending<'_>,
    decide: impl FnOnce(Status) -> std::result::Result<String, Refused>,
    now: Timestamp,
) -> Result<std::result::Result<(), Refused>> {
    let mut tx = db.begin_write().await?;
    let from = cases::status_in(&mut tx, letter.case_id).await?;
    let body = match decide(from) {
        Ok(body) => body,
        Err(e) => {
            tx.rollback().await?;
            return Ok(Err(e));
        }
    };
    sqlx::query(
        "UPDATE letter SET sent_via = $2, sent_on = $3, delivered_on = $4, reply_due = $5 WHERE id = $1",
    )
    .bind(letter.id)
    .bind(s.via)
    .bind(s.sent_on.to_string())
    .bind(s.delivered_on.to_string())
    .bind(s.reply_due.to_string())
    .execute(&mut *tx)
    .await?;
    cases::set_status(&mut tx, letter.case_id, Status::AwaitingReply, None, now).await?;
    let before = json!({ "letter_id": letter.id, "status": from.code() });
    let after = json!({ "letter_id": letter.id, "status": Status::AwaitingReply.code(),
        "sent_via": s.via.code(), "sent_on": s.sent_on.to_string(),
        "delivered_on": s.delivered_on.to_string(), "reply_due": s.reply_due.to_string() });
    cases::finish_change(
        tx,
        letter.case_id,
        who,
        "sent",
        &body,
        Some(before),
        after,
        now,
    )
    .await?;
    Ok(Ok(()))
}

/// Records the office's notice that it needs more time, with the reply
/// deadline it gives and the timeline's line.
pub async fn record_notice(
    db: &Db,
    who: i64,
    letter: &Letter,
    notified_on: Date,
    due: Date,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE letter SET notified_on = $2, reply_due = $3 WHERE id = $1")
        .bind(letter.id)
        .bind(notified_on.to_string())
        .bind(due.to_string())
        .execute(&mut *tx)
        .await?;
    let after = json!({ "letter_id": letter.id, "reply_due": due.to_string() });
    cases::finish(tx, letter.case_id, who, "notice", body, after, now).await
}

/// Records the office's reply (with its file, if any); the case moves to
/// "reply received" if `decide`, given the status the case stands in now
/// (read in the same transaction), allows it, and gives the timeline's
/// line.
pub async fn record_reply(
    db: &Db,
    who: i64,
    letter: &Letter,
    replied_on: Date,
    file: Option<&StoredFile>,
    decide: impl FnOnce(Status) -> std::result::Result<String, Refused>,
    now: Timestamp,
) -> Result<std::result::Result<(), Refused>> {
    let mut tx = db.begin_write().await?;
    let from = cases::status_in(&mut tx, letter.case_id).await?;
    let body = match decide(from) {
        Ok(body) => body,
        Err(e) => {
            tx.rollback().await?;
            return Ok(Err(e));
        }
    };
    sqlx::query("UPDATE letter SET replied_on = $2 WHERE id = $1")
        .bind(letter.id)
        .bind(replied_on.to_string())
        .execute(&mut *tx)
        .await?;
    if let Some(f) = file {
        cases::insert_attachment(
            &mut tx,
            letter.case_id,
            f,
            FileSource::Reply,
            Some(who),
            now,
        )
        .await?;
    }
    cases::set_status(&mut tx, letter.case_id, Status::ReplyReceived, None, now).await?;
    let before = json!({ "letter_id": letter.id, "status": from.code() });
    let after = json!({ "letter_id": letter.id, "status": Status::ReplyReceived.code(),
        "replied_on": replied_on.to_string() });
    cases::finish_change(
        tx,
        letter.case_id,
        who,
        "reply",
        &body,
        Some(before),
        after,
        now,
    )
    .await?;
    Ok(Ok(()))
}

/// A letter waiting for its reply.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Due {
    pub case_id: i64,
    pub number: String,
    pub jst_name: Option<String>,
    pub title: String,
    #[sqlx(try_from = "Stored")]
    pub reply_due: Date,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub assignee_email: Option<String>,
}

/// Unanswered letters of open cases due on or before `until`, earliest
/// first, within a scope.
pub async fn due_by(db: &Db, until: Date, scope: &Scope, limit: i64) -> Result<Vec<Due>> {
    let mut w = Where::default();
    w.raw("l.replied_on IS NULL AND l.reply_due IS NOT NULL AND c.status <> 'closed'");
    w.text("l.reply_due <= ?", until.to_string());
    w.scope(scope, Some("c.local_government"), None, None);
    let sql = format!(
        "SELECT c.id AS case_id, c.number, g.display_name AS jst_name, l.title, l.reply_due, \
         c.assignee_id, a.name AS assignee_name, a.email AS assignee_email \
         FROM letter l JOIN case_file c ON c.id = l.case_id \
         LEFT JOIN local_government g ON g.teryt = c.local_government \
         LEFT JOIN account a ON a.id = c.assignee_id \
         WHERE {} ORDER BY l.reply_due, c.id LIMIT {limit}",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    Ok(rows
        .iter()
        .map(Due::from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// The `daily_run` kind of the list of overdue replies.
const OVERDUE_LETTERS: &str = "overdue_letters";

/// Marks the daily list of overdue replies of `day` as sent: the demo,
/// loaded with overdue letters, sends no e-mail on the day it is loaded.
pub async fn mark_overdue_sent(tx: &mut Tx, day: Date) -> Result<()> {
    sqlx::query(
        "INSERT INTO daily_run (kind, day) VALUES ($1, $2) ON CONFLICT (kind, day) DO NOTHING",
    )
    .bind(OVERDUE_LETTERS)
    .bind(day.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The daily list of overdue replies, once a day whichever instance asks
/// first: `mail` writes one message per assignee from their overdue
/// letters. How many messages were queued (0 when today's went already).
pub async fn send_overdue(
    db: &Db,
    today: Date,
    mail: impl Fn(&str, &[&Due]) -> Message,
    now: Timestamp,
) -> Result<usize> {
    // Asked every minute, done once a day: a read answers all but the
    // first ask without touching the write gate.
    if outbox::done_on(db, OVERDUE_LETTERS, today).await? {
        return Ok(0);
    }
    let overdue = match today.yesterday().ok() {
        Some(yesterday) => due_by(db, yesterday, &Scope::All, 10_000).await?,
        None => Vec::new(),
    };
    let mut assignees: Vec<(&str, Vec<&Due>)> = Vec::new();
    for d in &overdue {
        let Some(email) = d.assignee_email.as_deref() else {
            continue;
        };
        match assignees.iter_mut().find(|(e, _)| *e == email) {
            Some((_, list)) => list.push(d),
            None => assignees.push((email, vec![d])),
        }
    }
    let messages: Vec<Message> = assignees.iter().map(|(e, list)| mail(e, list)).collect();
    outbox::once_on(db, OVERDUE_LETTERS, today, &messages, &stamp(now)).await
}
