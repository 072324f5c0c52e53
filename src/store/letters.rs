//! Letters of a case to its JST: the templates admins edit, the letters
//! made from them (each kept as the PDF sent), how they were sent, and the
//! reply deadlines they run; the dashboard and the daily list of overdue
//! replies read them.

use jiff::civil::Date;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::audit::{self, Entry};
use super::cases::{self, StoredFile};
use super::outbox::{self, Message};
use super::{int, opt_text, text, Db, Result, Tx, Where};
use crate::domain::access::Scope;
use crate::domain::cases::{check_move, reply_due, MoveError, Status};
use crate::domain::format;
use crate::domain::letters::{check_sending, SendingError, SentVia};

/// A letter template.
#[derive(Clone, Debug)]
pub struct Template {
    pub code: String,
    pub name: String,
    pub body_md: String,
    pub public_information: bool,
}

fn template_row(r: &AnyRow) -> Result<Template> {
    Ok(Template {
        code: text(r, "code")?,
        name: text(r, "name")?,
        body_md: text(r, "body_md")?,
        public_information: int(r, "public_information")? != 0,
    })
}

pub async fn templates(db: &Db) -> Result<Vec<Template>> {
    let rows = sqlx::query(
        "SELECT code, name, body_md, public_information FROM letter_template ORDER BY name",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(template_row).collect()
}

pub async fn template(db: &Db, code: &str) -> Result<Option<Template>> {
    let row = sqlx::query(
        "SELECT code, name, body_md, public_information FROM letter_template WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(template_row).transpose()
}

pub async fn save_template(
    db: &Db,
    who: i64,
    code: &str,
    name: &str,
    body_md: &str,
    now: &str,
) -> Result<()> {
    let before = template(db, code).await?;
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE letter_template SET name = $2, body_md = $3, updated_at = $4 WHERE code = $1",
    )
    .bind(code)
    .bind(name)
    .bind(body_md)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut entry = Entry::new(Some(who), "update", "letter_template", code, now)
        .after(json!({ "name": name, "body_md": body_md }));
    if let Some(b) = before {
        entry = entry.before(json!({ "name": b.name, "body_md": b.body_md }));
    }
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx).await?;
    tx.commit().await
}

/// A letter of a case.
#[derive(Clone, Debug)]
pub struct Letter {
    pub id: i64,
    pub case_id: i64,
    pub title: String,
    pub dated_on: String,
    pub attachment_id: i64,
    pub public_information: bool,
    pub sent_via: Option<SentVia>,
    pub sent_on: Option<String>,
    pub delivered_on: Option<String>,
    pub notified_on: Option<String>,
    pub reply_due: Option<String>,
    pub replied_on: Option<String>,
}

const COLUMNS: &str = "id, case_id, title, dated_on, attachment_id, public_information, sent_via, \
    sent_on, delivered_on, notified_on, reply_due, replied_on";

fn letter_row(r: &AnyRow) -> Result<Letter> {
    Ok(Letter {
        id: int(r, "id")?,
        case_id: int(r, "case_id")?,
        title: text(r, "title")?,
        dated_on: text(r, "dated_on")?,
        attachment_id: int(r, "attachment_id")?,
        public_information: int(r, "public_information")? != 0,
        sent_via: opt_text(r, "sent_via")?.and_then(|v| SentVia::from_code(&v)),
        sent_on: opt_text(r, "sent_on")?,
        delivered_on: opt_text(r, "delivered_on")?,
        notified_on: opt_text(r, "notified_on")?,
        reply_due: opt_text(r, "reply_due")?,
        replied_on: opt_text(r, "replied_on")?,
    })
}

pub async fn of_case(db: &Db, case: i64) -> Result<Vec<Letter>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM letter WHERE case_id = $1 ORDER BY id"
    ))
    .bind(case)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(letter_row).collect()
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Letter>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM letter WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(letter_row).transpose()
}

/// A letter just written: its PDF (already saved) becomes a file of the
/// case, and the letter waits to be sent.
pub struct NewLetter<'a> {
    pub case_id: i64,
    pub template: &'a Template,
    pub title: &'a str,
    pub dated_on: &'a str,
    pub body_md: &'a str,
    pub pdf: &'a StoredFile,
    /// The signatory's function as printed under the name (may be empty).
    pub signatory_function: &'a str,
}

pub async fn create(db: &Db, who: i64, l: &NewLetter<'_>, now: &str) -> Result<i64> {
    let mut tx = db.begin_write().await?;
    let attachment =
        cases::insert_attachment(&mut tx, l.case_id, l.pdf, "letter", Some(who), now).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO letter (case_id, template_code, title, dated_on, body_md, attachment_id, \
         public_information, account_id, created_at, signatory_function) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(l.case_id)
    .bind(&l.template.code)
    .bind(l.title)
    .bind(l.dated_on)
    .bind(l.body_md)
    .bind(attachment)
    .bind(i64::from(l.template.public_information))
    .bind(who)
    .bind(now)
    .bind(l.signatory_function)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let body = format!(
        "Przygotowano pismo „{}” z dnia {}.",
        l.title,
        day(l.dated_on)
    );
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
pub async fn insert_loaded(tx: &mut Tx, l: &LoadedLetter<'_>, now: &str) -> Result<i64> {
    let attachment =
        cases::insert_attachment(tx, l.case_id, l.pdf, "letter", l.account, now).await?;
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
    .bind(now)
    .bind(l.sent_via.code())
    .bind(l.delivered_on.to_string())
    .bind(due.to_string())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let at = |d: Date| format!("{d}T10:00:00Z");
    cases::event(
        tx,
        l.case_id,
        l.account,
        "letter",
        &format!(
            "Przygotowano pismo „{}” z dnia {}.",
            l.title,
            format::date(l.dated_on)
        ),
        &at(l.dated_on),
    )
    .await?;
    cases::event(
        tx,
        l.case_id,
        l.account,
        "sent",
        &format!(
            "Wysłano pismo „{}” ({}) {}; doręczone {}. Termin odpowiedzi: {}.",
            l.title,
            l.sent_via.label(),
            format::date(l.dated_on),
            format::date(l.delivered_on),
            format::date(due)
        ),
        &at(l.dated_on),
    )
    .await?;
    Ok(id)
}

fn day(iso: &str) -> String {
    iso.parse::<Date>()
        .map(format::date)
        .unwrap_or_else(|_| iso.to_owned())
}

/// Why a step of a letter was refused.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error(transparent)]
    Move(#[from] MoveError),
    #[error("To pismo zostało już wysłane.")]
    AlreadySent,
    #[error("Sprawa jest w stanie „nowa”. Najpierw zmień stan sprawy na „w analizie”.")]
    NotUnderReview,
    #[error("Najpierw zapisz wysyłkę pisma.")]
    NotSent,
    #[error("Odpowiedź na to pismo jest już zapisana.")]
    AlreadyReplied,
    #[error("Termin można przedłużyć tylko przy wniosku o udostępnienie informacji publicznej.")]
    NotPublicInformation,
    #[error("Data nie może być wcześniejsza niż data wysłania pisma.")]
    BeforeSending,
    #[error(transparent)]
    Dates(#[from] SendingError),
}

/// Records how and when a letter went and when it reached the office; the
/// reply deadline runs from delivery. The case moves to "letter sent" and
/// then "awaiting reply", as the workflow allows from where it stands
/// (a new case is first taken under review by staff).
#[allow(clippy::too_many_arguments)]
pub async fn record_sending(
    db: &Db,
    who: i64,
    letter: &Letter,
    via: SentVia,
    sent_on: Date,
    delivered_on: Date,
    today: Date,
    now: &str,
) -> Result<std::result::Result<Date, Refused>> {
    if letter.sent_on.is_some() {
        return Ok(Err(Refused::AlreadySent));
    }
    let dated_on = letter.dated_on.parse::<Date>().unwrap_or(sent_on);
    if let Err(e) = check_sending(dated_on, sent_on, delivered_on, today) {
        return Ok(Err(e.into()));
    }
    let mut tx = db.begin_write().await?;
    let from = cases::status_in(&mut tx, letter.case_id).await?;
    if from == Status::New {
        tx.rollback().await?;
        return Ok(Err(Refused::NotUnderReview));
    }
    let steps = check_move(from, Status::LetterSent, None)
        .and_then(|()| check_move(Status::LetterSent, Status::AwaitingReply, None));
    if let Err(e) = steps {
        tx.rollback().await?;
        return Ok(Err(e.into()));
    }
    let due = reply_due(delivered_on, None);
    sqlx::query(
        "UPDATE letter SET sent_via = $2, sent_on = $3, delivered_on = $4, reply_due = $5 WHERE id = $1",
    )
    .bind(letter.id)
    .bind(via.code())
    .bind(sent_on.to_string())
    .bind(delivered_on.to_string())
    .bind(due.to_string())
    .execute(&mut *tx)
    .await?;
    cases::set_status(&mut tx, letter.case_id, Status::AwaitingReply, None, now).await?;
    let body = format!(
        "Wysłano pismo „{}” ({}) {}; doręczone {}. Termin odpowiedzi: {}. Stan: {} → {}.",
        letter.title,
        via.label(),
        format::date(sent_on),
        format::date(delivered_on),
        format::date(due),
        from.label(),
        Status::AwaitingReply.label()
    );
    let before = json!({ "letter_id": letter.id, "status": from.code() });
    let after = json!({ "letter_id": letter.id, "status": Status::AwaitingReply.code(),
        "sent_via": via.code(), "sent_on": sent_on.to_string(),
        "delivered_on": delivered_on.to_string(), "reply_due": due.to_string() });
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
    Ok(Ok(due))
}

/// Records the office's notice that it needs more time: a notice within
/// the 14 days extends the deadline to two months from delivery; a later
/// one changes nothing (`reply_due` says which).
pub async fn record_notice(
    db: &Db,
    who: i64,
    letter: &Letter,
    notified_on: Date,
    now: &str,
) -> Result<std::result::Result<Date, Refused>> {
    let delivered = match letter.delivered_on.as_deref().map(str::parse::<Date>) {
        Some(Ok(d)) => d,
        _ => return Ok(Err(Refused::NotSent)),
    };
    if !letter.public_information {
        return Ok(Err(Refused::NotPublicInformation));
    }
    if letter.replied_on.is_some() {
        return Ok(Err(Refused::AlreadyReplied));
    }
    if notified_on < delivered {
        return Ok(Err(Refused::BeforeSending));
    }
    let due = reply_due(delivered, Some(notified_on));
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE letter SET notified_on = $2, reply_due = $3 WHERE id = $1")
        .bind(letter.id)
        .bind(notified_on.to_string())
        .bind(due.to_string())
        .execute(&mut *tx)
        .await?;
    let body = format!(
        "Urząd powiadomił {} o przedłużeniu terminu; termin odpowiedzi: {}.",
        format::date(notified_on),
        format::date(due)
    );
    let after = json!({ "letter_id": letter.id, "reply_due": due.to_string() });
    cases::finish(tx, letter.case_id, who, "notice", &body, after, now).await?;
    Ok(Ok(due))
}

/// Records the office's reply (with its file, if any); the case moves to
/// "reply received".
pub async fn record_reply(
    db: &Db,
    who: i64,
    letter: &Letter,
    replied_on: Date,
    note: &str,
    file: Option<&StoredFile>,
    now: &str,
) -> Result<std::result::Result<(), Refused>> {
    let sent = match letter.sent_on.as_deref().map(str::parse::<Date>) {
        Some(Ok(d)) => d,
        _ => return Ok(Err(Refused::NotSent)),
    };
    if letter.replied_on.is_some() {
        return Ok(Err(Refused::AlreadyReplied));
    }
    if replied_on < sent {
        return Ok(Err(Refused::BeforeSending));
    }
    let mut tx = db.begin_write().await?;
    let from = cases::status_in(&mut tx, letter.case_id).await?;
    if let Err(e) = check_move(from, Status::ReplyReceived, None) {
        tx.rollback().await?;
        return Ok(Err(e.into()));
    }
    sqlx::query("UPDATE letter SET replied_on = $2 WHERE id = $1")
        .bind(letter.id)
        .bind(replied_on.to_string())
        .execute(&mut *tx)
        .await?;
    if let Some(f) = file {
        cases::insert_attachment(&mut tx, letter.case_id, f, "reply", Some(who), now).await?;
    }
    cases::set_status(&mut tx, letter.case_id, Status::ReplyReceived, None, now).await?;
    let mut body = format!(
        "Odpowiedź urzędu na pismo „{}” z {}. Stan: {} → {}.",
        letter.title,
        format::date(replied_on),
        from.label(),
        Status::ReplyReceived.label()
    );
    if !note.trim().is_empty() {
        body = format!("{body} {}", note.trim());
    }
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
#[derive(Clone, Debug)]
pub struct Due {
    pub case_id: i64,
    pub number: String,
    pub jst_name: Option<String>,
    pub title: String,
    pub reply_due: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub assignee_email: Option<String>,
}

/// Unanswered letters of open cases due on or before `until`, earliest
/// first, within a scope.
pub async fn due_by(db: &Db, until: &str, scope: &Scope, limit: i64) -> Result<Vec<Due>> {
    let mut w = Where::default();
    w.raw("l.replied_on IS NULL AND l.reply_due IS NOT NULL AND c.status <> 'closed'");
    w.text("l.reply_due <= ?", until);
    w.scope(scope, Some("c.local_government"), None, None);
    let sql = format!(
        "SELECT c.id, c.number, g.display_name, l.title, l.reply_due, c.assignee_id, a.name, a.email \
         FROM letter l JOIN case_file c ON c.id = l.case_id \
         LEFT JOIN local_government g ON g.teryt = c.local_government \
         LEFT JOIN account a ON a.id = c.assignee_id \
         WHERE {} ORDER BY l.reply_due, c.id LIMIT {limit}",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| {
            Ok(Due {
                case_id: r.try_get(0)?,
                number: r.try_get(1)?,
                jst_name: r.try_get(2)?,
                title: r.try_get(3)?,
                reply_due: r.try_get(4)?,
                assignee_id: r.try_get(5)?,
                assignee_name: r.try_get(6)?,
                assignee_email: r.try_get(7)?,
            })
        })
        .collect()
}

/// The `daily_run` kind of the list of overdue replies.
const OVERDUE_LETTERS: &str = "overdue_letters";

/// Marks the daily list of overdue replies of `day` as sent: the demo,
/// loaded with overdue letters, sends no e-mail on the day it is loaded.
pub async fn mark_overdue_sent(tx: &mut Tx, day: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO daily_run (kind, day) VALUES ($1, $2) ON CONFLICT (kind, day) DO NOTHING",
    )
    .bind(OVERDUE_LETTERS)
    .bind(day)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The daily list of overdue replies, once a day whichever instance asks
/// first: `mail` writes one message per assignee from their overdue
/// letters. How many messages were queued (0 when today's went already).
pub async fn send_overdue(
    db: &Db,
    today: &str,
    mail: impl Fn(&str, &[&Due]) -> Message,
    now: &str,
) -> Result<usize> {
    // Asked every minute, done once a day: a read answers all but the
    // first ask without touching the write gate.
    let done = sqlx::query("SELECT 1 FROM daily_run WHERE kind = $1 AND day = $2")
        .bind(OVERDUE_LETTERS)
        .bind(today)
        .fetch_optional(db.pool())
        .await?;
    if done.is_some() {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "INSERT INTO daily_run (kind, day) VALUES ($1, $2) ON CONFLICT (kind, day) DO NOTHING",
    )
    .bind(OVERDUE_LETTERS)
    .bind(today)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed == 0 {
        tx.rollback().await?;
        return Ok(0);
    }
    let yesterday = today
        .parse::<Date>()
        .ok()
        .and_then(|d| d.yesterday().ok())
        .map(|d| d.to_string())
        .unwrap_or_default();
    let overdue = due_by(db, &yesterday, &Scope::All, 10_000).await?;
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
    if !messages.is_empty() {
        outbox::enqueue_all(&mut tx, &messages.iter().collect::<Vec<_>>(), now).await?;
    }
    tx.commit().await?;
    Ok(messages.len())
}
