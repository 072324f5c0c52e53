//! Cases: advisory requests (`DOR/…`) and interventions (`INT/…`) from the
//! public forms, followed by staff through statuses, notes, files and a
//! timeline. Letters and their deadlines are in `store::letters`.

use jiff::Timestamp;
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::audit::{self, Entry};
use super::outbox::{self, Message};
use super::rows::{MaybeStored, Stored};
use super::{Db, Paged, Result, Tx, Where};
use crate::clock::stamp;
use crate::domain::access::Scope;
use crate::domain::attachments::{clean_name, FileType, Refused};
use crate::domain::cases::{
    timeline, CaseNumber, Category, FileSource, MoveError, Outcome, Register, Status,
};
use crate::domain::reports::{Contact, Report, Subject, CONSENT_VERSION};

/// A yes/no column, stored as 0 or 1.
#[derive(sqlx::Type, Debug, Clone, Copy)]
#[sqlx(transparent)]
pub(super) struct Flag(i64);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0 != 0
    }
}

/// A file saved under `data_dir/attachments/`, as the database knows it.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub name: String,
    pub file_type: FileType,
    pub size: i64,
    pub stored_as: String,
}

/// A report being filed.
pub struct NewCase<'a> {
    /// The year it is numbered in (its register is its subject's).
    pub year: i16,
    pub report: &'a Report,
    pub local_government: Option<&'a str>,
    pub files: &'a [StoredFile],
    /// The sender's address, counted for the limit of reports.
    pub address: &'a str,
    /// Reports of the address are counted since this instant.
    pub since: Timestamp,
    /// The hash of the receipt its confirmation page is reached by.
    pub receipt_hash: &'a str,
    /// Bytes of files sent are counted since this instant.
    pub budget_since: Timestamp,
}

/// What filing a report counts, under its locks, for the caller to admit
/// or refuse it.
pub enum Count<'a> {
    /// When the address's reports since `NewCase::since` were filed.
    Reports(&'a [Timestamp]),
    /// Bytes of files sent since `NewCase::budget_since`: from the address,
    /// from everyone, and by this report.
    Files {
        by_address: u64,
        by_all: u64,
        adding: u64,
    },
}

/// What filing a report gave.
#[derive(Debug)]
pub enum Filed {
    /// The case's id and number.
    Made(i64, String),
    /// The address sent too many reports; the oldest counted is this.
    Limited(Timestamp),
    /// The files would go over the day's budget (`Refused::AddressBudget`
    /// or `Refused::TotalBudget`); nothing was recorded.
    OverBudget(Refused),
}

/// The form-hit kind of public reports.
pub const REPORT_HITS: &str = "report";

/// Files a report: gives it the next number of its register and year,
/// keeps its files and queues the confirmation `mail(number)` makes, all
/// in one transaction, unless `refuse` refuses what it counts. The
/// address's reports and the bytes of files sent are counted under the
/// address's lock (and, with files, one lock of all uploads), so
/// concurrent reports are counted one after another.
pub async fn create(
    db: &Db,
    c: &NewCase<'_>,
    refuse: impl Fn(Count<'_>) -> Option<Filed>,
    mail: impl FnOnce(&str) -> Message,
    now: Timestamp,
) -> Result<Filed> {
    let mut tx = db.begin_write().await?;
    super::limits::lock(&mut tx, &[c.address]).await?;
    let recent = super::limits::recent(&mut tx, REPORT_HITS, &[c.address], &stamp(c.since)).await?;
    let times = recent
        .get(c.address)
        .into_iter()
        .flatten()
        .map(|t| stored_time(t.clone()))
        .collect::<Result<Vec<_>>>()?;
    if let Some(refused) = refuse(Count::Reports(&times)) {
        tx.rollback().await?;
        return Ok(refused);
    }
    let bytes: i64 = c.files.iter().map(|f| f.size).sum();
    if bytes > 0 {
        super::limits::lock(&mut tx, &[ALL_UPLOADS]).await?;
        let (by_address, by_all) = uploads_in(&mut *tx, c.address, c.budget_since).await?;
        let adding = bytes.unsigned_abs();
        if let Some(refused) = refuse(Count::Files {
            by_address,
            by_all,
            adding,
        }) {
            tx.rollback().await?;
            return Ok(refused);
        }
    }
    let r = c.report;
    let number = next_number(&mut tx, r.subject.register(), c.year).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO case_file (register, number, category, local_government, organisation_name, \
         reporter_name, reporter_email, reporter_phone, preferred_contact, reveal_identity, \
         description, status, consent_version, consent_at, created_at, updated_at, \
         share_description, receipt_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $14, $15, $16) \
         RETURNING id",
    )
    .bind(r.subject.register().code())
    .bind(&number)
    .bind(r.subject.code())
    .bind(c.local_government)
    .bind(&r.organisation)
    .bind(&r.name)
    .bind(&r.email)
    .bind(&r.phone)
    .bind(r.contact.code())
    .bind(i64::from(r.reveal_identity))
    .bind(&r.description)
    .bind(Status::New.code())
    .bind(CONSENT_VERSION)
    .bind(stamp(now))
    .bind(i64::from(r.share_description))
    .bind(c.receipt_hash)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    for f in c.files {
        insert_attachment(&mut tx, id, f, FileSource::Report, None, now).await?;
    }
    event(&mut tx, id, None, "created", &timeline::filed(&number), now).await?;
    let message = mail(&number);
    outbox::enqueue(&mut tx, &message, &stamp(now)).await?;
    sqlx::query("INSERT INTO form_hit (kind, address, at, bytes) VALUES ($1, $2, $3, $4)")
        .bind(REPORT_HITS)
        .bind(c.address)
        .bind(stamp(now))
        .bind(bytes)
        .execute(&mut *tx)
        .await?;
    super::bump_version(&mut tx, super::Topics::CASES).await?;
    tx.commit().await?;
    Ok(Filed::Made(id, number))
}

/// The lock key of the budget of all uploads (no client address looks
/// like it).
const ALL_UPLOADS: &str = "*";

/// Bytes of report files sent since `since`: from `address`, and from
/// everyone.
async fn uploads_in<'c>(
    executor: impl sqlx::Executor<'c, Database = sqlx::Any>,
    address: &str,
    since: Timestamp,
) -> Result<(u64, u64)> {
    let (by_address, by_all): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN address = $1 THEN bytes ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM form_hit WHERE kind = $2 AND at >= $3",
    )
    .bind(address)
    .bind(REPORT_HITS)
    .bind(stamp(since))
    .fetch_one(executor)
    .await?;
    Ok((by_address.unsigned_abs(), by_all.unsigned_abs()))
}

/// `uploads_in` outside a transaction: a first look before files are
/// written (`create` counts again under its locks).
pub async fn uploads_since(db: &Db, address: &str, since: Timestamp) -> Result<(u64, u64)> {
    uploads_in(db.pool(), address, since).await
}

/// Every file name a row holds: what the sweep of the attachments folder
/// keeps.
pub async fn stored_names(db: &Db) -> Result<std::collections::HashSet<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT stored_as FROM case_attachment")
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

/// A filed report as its confirmation page shows it: its number and the
/// name of the JST recorded, found by the hash of its receipt.
pub async fn by_receipt(db: &Db, receipt_hash: &str) -> Result<Option<(String, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT c.number, g.display_name FROM case_file c \
         LEFT JOIN local_government g ON g.teryt = c.local_government WHERE c.receipt_hash = $1",
    )
    .bind(receipt_hash)
    .fetch_optional(db.pool())
    .await?)
}

/// The next number of a register in a year (`INT/2026/007`): the
/// counter's row is locked by the update until the transaction ends, so
/// numbers neither repeat nor skip.
pub(super) async fn next_number(tx: &mut Tx, register: Register, year: i16) -> Result<String> {
    let seq: i64 = sqlx::query(
        "INSERT INTO case_counter (register, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (register, year) DO UPDATE SET last = case_counter.last + 1 RETURNING last",
    )
    .bind(register.code())
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(CaseNumber {
        prefix: register,
        year,
        number: u32::try_from(seq).unwrap_or(u32::MAX),
    }
    .to_string())
}

pub(super) async fn insert_attachment(
    tx: &mut Tx,
    case: i64,
    f: &StoredFile,
    source: FileSource,
    who: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO case_attachment (case_id, name, file_type, size, stored_as, source, account_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(case)
    .bind(&f.name)
    .bind(f.file_type.code())
    .bind(f.size)
    .bind(&f.stored_as)
    .bind(source)
    .bind(who)
    .bind(stamp(now))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Adds a line to a case's timeline.
pub(super) async fn event(
    tx: &mut Tx,
    case: i64,
    who: Option<i64>,
    kind: &str,
    body: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO case_event (case_id, at, account_id, kind, body) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(case)
    .bind(stamp(now))
    .bind(who)
    .bind(kind)
    .bind(body)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE case_file SET updated_at = $2 WHERE id = $1")
        .bind(case)
        .bind(stamp(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A change by staff: its timeline line, its audit row (ids and codes
/// only: no reporter's data), the version bump, the commit.
pub(super) async fn finish(
    tx: Tx,
    case: i64,
    who: i64,
    kind: &'static str,
    body: &str,
    after: serde_json::Value,
    now: Timestamp,
) -> Result<()> {
    finish_change(tx, case, who, kind, body, None, after, now).await
}

/// `finish` for a change whose earlier values the audit row keeps too
/// (a status "było → jest").
#[allow(clippy::too_many_arguments)]
pub(super) async fn finish_change(
    mut tx: Tx,
    case: i64,
    who: i64,
    kind: &'static str,
    body: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
    now: Timestamp,
) -> Result<()> {
    event(&mut tx, case, Some(who), kind, body, now).await?;
    let mut entry = Entry::new(Some(who), "update", "case", case, &stamp(now)).after(after);
    if let Some(b) = before {
        entry = entry.before(b);
    }
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::CASES).await?;
    tx.commit().await
}

/// A case as its page shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Case {
    pub id: i64,
    pub register: Register,
    pub number: String,
    /// What it is about: a `Category` of an intervention, a `Topic` of an
    /// advisory request (the columns `register` and `category`).
    #[sqlx(flatten)]
    pub subject: Subject,
    pub local_government: Option<String>,
    pub jst_name: Option<String>,
    pub organisation_name: String,
    pub organisation_id: Option<i64>,
    pub person_id: Option<i64>,
    pub reporter_name: String,
    pub reporter_email: String,
    pub reporter_phone: String,
    pub preferred_contact: Contact,
    #[sqlx(try_from = "Flag")]
    pub reveal_identity: bool,
    /// Whether the reporter allowed letters to quote their description.
    #[sqlx(try_from = "Flag")]
    pub share_description: bool,
    pub description: String,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    #[sqlx(try_from = "Stored")]
    pub created_at: jiff::Timestamp,
    /// Who its letters go to when not the JST's executive (a case opened
    /// from the monitor about a programme: the council's chair); empty:
    /// the executive.
    pub addressee: String,
    /// The year of the monitor's facts it was opened from.
    pub monitoring_year: Option<i64>,
    /// The earliest reply deadline of its letters still unanswered.
    #[sqlx(try_from = "MaybeStored")]
    pub next_due: Option<jiff::civil::Date>,
}

/// A case's subject, read from its `register` and `category` columns: an
/// unknown code is an error naming it.
impl<'r> FromRow<'r, AnyRow> for Subject {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Subject> {
        let register: Register = row.try_get("register")?;
        let code: String = row.try_get("category")?;
        Subject::stored(register, code).map_err(|e| sqlx::Error::ColumnDecode {
            index: "category".into(),
            source: Box::new(e),
        })
    }
}

const COLUMNS: &str = "c.id, c.register, c.number, c.category, c.local_government, g.display_name AS jst_name, \
    c.organisation_name, c.organisation_id, c.person_id, c.reporter_name, c.reporter_email, \
    c.reporter_phone, c.preferred_contact, c.reveal_identity, c.share_description, c.description, c.status, c.outcome, \
    c.assignee_id, a.name AS assignee_name, c.created_at, c.addressee, c.monitoring_year, \
    (SELECT MIN(l.reply_due) FROM letter l WHERE l.case_id = c.id AND l.replied_on IS NULL) AS next_due";

const FROM: &str = "case_file c LEFT JOIN local_government g ON g.teryt = c.local_government \
    LEFT JOIN account a ON a.id = c.assignee_id";

/// What the list of cases is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub register: Option<Register>,
    pub status: Option<Status>,
    /// Open cases only (any status but closed).
    pub open: bool,
    /// A number, or part of one.
    pub number: String,
}

/// Cases, newest first, within a scope (a partner's: by the case's JST).
pub async fn list(
    db: &Db,
    f: &Filter,
    scope: &Scope,
    limit: i64,
    offset: i64,
) -> Result<Paged<Case>> {
    let mut w = Where::default();
    if let Some(r) = f.register {
        w.text("c.register = ?", r.code());
    }
    if let Some(s) = f.status {
        w.text("c.status = ?", s.code());
    }
    if f.open {
        w.raw("c.status <> 'closed'");
    }
    if !f.number.trim().is_empty() {
        w.text(
            "c.number LIKE ?",
            format!("%{}%", f.number.trim().to_uppercase()),
        );
    }
    w.scope(scope, Some("c.local_government"), None, None);
    let total = w.count(db, "case_file c").await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY c.id DESC LIMIT {limit} OFFSET {offset}",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    let items = rows
        .iter()
        .map(Case::from_row)
        .collect::<sqlx::Result<_>>()?;
    Ok(Paged { items, total })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Case>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// The case with this number, if any.
pub async fn id_by_number(db: &Db, number: &str) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM case_file WHERE number = $1")
        .bind(number)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(id,)| id))
}

/// One line of a case's timeline.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Event {
    #[sqlx(try_from = "Stored")]
    pub at: jiff::Timestamp,
    pub who: Option<String>,
    pub kind: String,
    pub body: String,
}

pub async fn timeline(db: &Db, case: i64) -> Result<Vec<Event>> {
    Ok(sqlx::query_as(
        "SELECT e.at, a.name AS who, e.kind, e.body FROM case_event e \
         LEFT JOIN account a ON a.id = e.account_id WHERE e.case_id = $1 ORDER BY e.id",
    )
    .bind(case)
    .fetch_all(db.pool())
    .await?)
}

/// A file of a case.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CaseFile {
    pub id: i64,
    pub case_id: i64,
    pub name: String,
    pub file_type: FileType,
    pub size: i64,
    pub stored_as: String,
    pub source: FileSource,
    #[sqlx(try_from = "Stored")]
    pub created_at: jiff::Timestamp,
}

impl CaseFile {
    /// Cleaned again for names kept before control and format characters
    /// were taken out on upload.
    fn cleaned(mut self) -> CaseFile {
        self.name = clean_name(&self.name);
        self
    }
}

const FILE_COLUMNS: &str = "id, case_id, name, file_type, size, stored_as, source, created_at";

pub async fn attachments(db: &Db, case: i64) -> Result<Vec<CaseFile>> {
    let files: Vec<CaseFile> = sqlx::query_as(&format!(
        "SELECT {FILE_COLUMNS} FROM case_attachment WHERE case_id = $1 ORDER BY id"
    ))
    .bind(case)
    .fetch_all(db.pool())
    .await?;
    Ok(files.into_iter().map(CaseFile::cleaned).collect())
}

pub async fn attachment(db: &Db, id: i64) -> Result<Option<CaseFile>> {
    let file: Option<CaseFile> = sqlx::query_as(&format!(
        "SELECT {FILE_COLUMNS} FROM case_attachment WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(file.map(CaseFile::cleaned))
}

/// Adds files staff attached, in one transaction.
pub async fn add_attachments(
    db: &Db,
    who: i64,
    case: i64,
    files: &[StoredFile],
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let mut ids = Vec::with_capacity(files.len());
    for f in files {
        ids.push(insert_attachment(&mut tx, case, f, FileSource::Staff, Some(who), now).await?);
    }
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let body = timeline::files_added(&names);
    let after = match ids.as_slice() {
        [one] => json!({ "attachment_id": one }),
        many => json!({ "attachment_id": many }),
    };
    finish(tx, case, who, "attachment", &body, after, now).await
}

/// Adds an internal note.
pub async fn add_note(db: &Db, who: i64, case: i64, note: &str, now: Timestamp) -> Result<()> {
    let tx = db.begin_write().await?;
    finish(tx, case, who, "note", note, json!({ "note": true }), now).await
}

/// Gives the case to an account (or to no one).
pub async fn assign(
    db: &Db,
    who: i64,
    case: i64,
    assignee: Option<(i64, &str)>,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE case_file SET assignee_id = $2 WHERE id = $1")
        .bind(case)
        .bind(assignee.map(|a| a.0))
        .execute(&mut *tx)
        .await?;
    let body = timeline::assigned(assignee.map(|a| a.1));
    let after = json!({ "assignee_id": assignee.map(|a| a.0) });
    finish(tx, case, who, "assigned", &body, after, now).await
}

/// Links the case to the JST, organisation and person it concerns.
pub async fn link(
    db: &Db,
    who: i64,
    case: i64,
    jst: Option<&str>,
    organisation: Option<i64>,
    person: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let (was_jst, was_organisation, was_person): (Option<String>, Option<i64>, Option<i64>) =
        sqlx::query_as(
            "SELECT local_government, organisation_id, person_id FROM case_file WHERE id = $1",
        )
        .bind(case)
        .fetch_one(&mut *tx)
        .await?;
    let before = json!({
        "local_government": was_jst,
        "organisation_id": was_organisation,
        "person_id": was_person,
    });
    sqlx::query(
        "UPDATE case_file SET local_government = $2, organisation_id = $3, person_id = $4 WHERE id = $1",
    )
    .bind(case)
    .bind(jst)
    .bind(organisation)
    .bind(person)
    .execute(&mut *tx)
    .await?;
    let after =
        json!({ "local_government": jst, "organisation_id": organisation, "person_id": person });
    finish_change(
        tx,
        case,
        who,
        "link",
        timeline::LINKED,
        Some(before),
        after,
        now,
    )
    .await
}

/// Moves a case to `to` if `decide`, given the status it stands in now
/// (read in the same transaction), allows it; `decide` gives the line of
/// the timeline, or the refusal.
pub async fn move_to(
    db: &Db,
    who: i64,
    case: i64,
    to: Status,
    outcome: Option<Outcome>,
    decide: impl FnOnce(Status) -> std::result::Result<String, MoveError>,
    now: Timestamp,
) -> Result<std::result::Result<(), MoveError>> {
    let mut tx = db.begin_write().await?;
    let from = status_in(&mut tx, case).await?;
    let body = match decide(from) {
        Ok(body) => body,
        Err(e) => {
            tx.rollback().await?;
            return Ok(Err(e));
        }
    };
    set_status(&mut tx, case, to, outcome, now).await?;
    let before = json!({ "status": from.code(), "outcome": null });
    let after = json!({ "status": to.code(), "outcome": outcome.map(|o| o.code()) });
    finish_change(tx, case, who, "status", &body, Some(before), after, now).await?;
    Ok(Ok(()))
}

pub(super) async fn status_in(tx: &mut Tx, case: i64) -> Result<Status> {
    let (status,): (Status,) = sqlx::query_as("SELECT status FROM case_file WHERE id = $1")
        .bind(case)
        .fetch_one(&mut **tx)
        .await?;
    Ok(status)
}

pub(super) async fn set_status(
    tx: &mut Tx,
    case: i64,
    to: Status,
    outcome: Option<Outcome>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE case_file SET status = $2, outcome = $3, closed_at = $4 WHERE id = $1")
        .bind(case)
        .bind(to.code())
        .bind(outcome.map(|o| o.code()))
        .bind((to == Status::Closed).then(|| stamp(now)))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The interventions the public figures count: filed from `from` (a UTC
/// instant) to before `until`, and taken up by staff (no longer new).
const COUNTED: &str = "c.register = 'INT' AND c.status <> 'new' \
     AND c.created_at >= $1 AND c.created_at < $2";

/// Interventions counted by a column of theirs (read as `T`), largest
/// group first.
async fn counted_by<T>(
    db: &Db,
    column: &'static str,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<(T, i64)>>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    Ok(sqlx::query_as(&format!(
        "SELECT c.{column}, COUNT(*) FROM case_file c WHERE {COUNTED} \
         GROUP BY c.{column} ORDER BY 2 DESC, 1"
    ))
    .bind(stamp(from))
    .bind(stamp(until))
    .fetch_all(db.pool())
    .await?)
}

/// A time another table's helper gave as stored text, read back.
fn stored_time(text: String) -> Result<Timestamp> {
    Timestamp::try_from(Stored(text)).map_err(|e| {
        sqlx::Error::ColumnDecode {
            index: "at".into(),
            source: Box::new(e),
        }
        .into()
    })
}

/// An intervention's category as stored: an unknown code is an error
/// naming it.
fn stored_category(code: String) -> Result<Category> {
    Category::try_from(code).map_err(|e| {
        sqlx::Error::ColumnDecode {
            index: "category".into(),
            source: Box::new(e),
        }
        .into()
    })
}

/// Counts of interventions for the public page: by category, by outcome
/// (open ones as `None`), by county (its TERYT code and name).
#[derive(Clone, Debug, Default)]
pub struct Figures {
    pub by_category: Vec<(Category, i64)>,
    pub by_outcome: Vec<(Option<Outcome>, i64)>,
    /// (TERYT, name, kind) of each county or city with county rights.
    pub by_county: Vec<((String, String, String), i64)>,
}

/// The figures of the interventions filed from `from` to before `until`
/// (UTC instants: the project's period) that staff have taken up.
pub async fn figures(db: &Db, from: Timestamp, until: Timestamp) -> Result<Figures> {
    let pool = db.pool();
    let by_category = counted_by::<String>(db, "category", from, until)
        .await?
        .into_iter()
        .map(|(code, n)| Ok((stored_category(code)?, n)))
        .collect::<Result<_>>()?;
    let by_outcome = counted_by(db, "outcome", from, until).await?;
    let by_county: Vec<(String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT p.teryt, p.display_name, p.kind, COUNT(*) FROM case_file c \
         JOIN local_government p ON p.teryt = SUBSTR(c.local_government, 1, 4) \
         WHERE {COUNTED} GROUP BY p.teryt, p.display_name, p.kind, p.sort_key ORDER BY 4 DESC, p.sort_key",
    ))
    .bind(stamp(from))
    .bind(stamp(until))
    .fetch_all(pool)
    .await?;
    let by_county = by_county
        .into_iter()
        .map(|(teryt, name, kind, n)| ((teryt, name, kind), n))
        .collect();
    Ok(Figures {
        by_category,
        by_outcome,
        by_county,
    })
}

/// A case loaded whole, history included (the demo programme).
pub struct Loaded<'a> {
    pub subject: Subject,
    pub year: i16,
    pub local_government: &'a str,
    pub organisation_name: &'a str,
    pub organisation_id: Option<i64>,
    pub reporter_name: &'a str,
    pub reporter_email: &'a str,
    pub reveal_identity: bool,
    pub share_description: bool,
    pub description: &'a str,
    pub status: Status,
    pub outcome: Option<Outcome>,
    pub assignee: Option<i64>,
    /// What happened, in order: when and what.
    pub events: &'a [(Timestamp, String)],
}

/// A case's number, inside a transaction.
pub async fn case_number(tx: &mut Tx, id: i64) -> Result<String> {
    Ok(sqlx::query("SELECT number FROM case_file WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?)
}

pub async fn insert_loaded(tx: &mut Tx, c: &Loaded<'_>) -> Result<i64> {
    let number = next_number(tx, c.subject.register(), c.year).await?;
    let filed = c.events.first().map(|e| stamp(e.0)).unwrap_or_default();
    let last = c
        .events
        .last()
        .map(|e| stamp(e.0))
        .unwrap_or_else(|| filed.clone());
    let id: i64 = sqlx::query(
        "INSERT INTO case_file (register, number, category, local_government, organisation_name, \
         organisation_id, reporter_name, reporter_email, reporter_phone, preferred_contact, \
         reveal_identity, description, status, outcome, assignee_id, consent_version, consent_at, \
         created_at, updated_at, closed_at, share_description) VALUES ($1, $2, $3, $4, $5, $6, \
         $7, $8, '', 'email', $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18) RETURNING id",
    )
    .bind(c.subject.register().code())
    .bind(&number)
    .bind(c.subject.code())
    .bind(c.local_government)
    .bind(c.organisation_name)
    .bind(c.organisation_id)
    .bind(c.reporter_name)
    .bind(c.reporter_email)
    .bind(i64::from(c.reveal_identity))
    .bind(c.description)
    .bind(c.status.code())
    .bind(c.outcome.map(|o| o.code()))
    .bind(c.assignee)
    .bind(CONSENT_VERSION)
    .bind(&filed)
    .bind(&last)
    .bind((c.status == Status::Closed).then_some(&last))
    .bind(i64::from(c.share_description))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    for (i, (at, body)) in c.events.iter().enumerate() {
        let who = if i == 0 { None } else { c.assignee };
        event(
            tx,
            id,
            who,
            if i == 0 { "created" } else { "note" },
            body,
            *at,
        )
        .await?;
    }
    Ok(id)
}
