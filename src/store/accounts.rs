//! Staff accounts, their sessions, sign-in attempts and password resets.
//!
//! Everything a stateless instance needs to recognise a browser lives
//! here, in the database. Tokens are stored as SHA-256 hashes only. Every
//! write transaction that changes an account calls `bump_version`; a
//! sign-in attempt's transaction (`begin_attempt`) changes no record a page
//! shows and bumps nothing, so failed sign-ins cannot empty the page cache;
//! sessions and the outcome of an attempt are single statements
//! (`Db::writer`).

use crate::clock::stamp;
use crate::domain::access::{Role, Staff};
use crate::domain::throttle::{Failures, Tally};

use super::rows::{MaybeStored, Stored};
use super::{bump_version, Db, Engine, Result, Tx};

/// An account as the back office shows it (no secrets).
#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub has_totp: bool,
    pub areas: Vec<String>,
}

/// An account's row; an unknown role code is an error naming it.
#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    name: String,
    role: Role,
    active: i64,
    totp_secret: Option<String>,
}

impl AccountRow {
    fn with_areas(self, areas: Vec<String>) -> Account {
        Account {
            id: self.id,
            email: self.email,
            name: self.name,
            role: self.role,
            active: self.active == 1,
            has_totp: self.totp_secret.is_some(),
            areas,
        }
    }
}

/// What sign-in checks.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    id: i64,
    password_hash: String,
    totp_secret: Option<String>,
    totp_last_step: Option<i64>,
    active: i64,
}

impl From<CredentialsRow> for Credentials {
    fn from(r: CredentialsRow) -> Credentials {
        Credentials {
            id: r.id,
            password_hash: r.password_hash,
            totp_secret: r.totp_secret,
            totp_last_step: r.totp_last_step,
            active: r.active == 1,
        }
    }
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub projects: &'a [i64],
    pub areas: &'a [String],
}

/// Creates an account; `None` if the e-mail is taken.
pub async fn create(db: &Db, a: &NewAccount<'_>, now: jiff::Timestamp) -> Result<Option<i64>> {
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO account (email, name, role, password_hash, created_at, updated_at, sort_key) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(a.email.to_lowercase())
    .bind(a.name)
    .bind(a.role)
    .bind(a.password_hash)
    .bind(&now)
    .bind(crate::domain::search::sort_key(a.name))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id,)) = id else {
        tx.rollback().await?;
        return Ok(None);
    };
    for p in a.projects {
        sqlx::query("INSERT INTO account_project (account_id, project_id) VALUES ($1, $2)")
            .bind(id)
            .bind(p)
            .execute(&mut *tx)
            .await?;
    }
    set_areas_in(&mut tx, id, a.areas).await?;
    super::audit::record(
        &mut tx,
        &super::audit::Entry::new(None, "create", "account", id, &now)
            .after(serde_json::json!({ "role": a.role.code() })),
    )
    .await?;
    bump_version(&mut tx, super::Topics::ACCOUNTS).await?;
    tx.commit().await?;
    Ok(Some(id))
}

async fn set_areas_in(tx: &mut Tx, id: i64, areas: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM account_area WHERE account_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for a in areas {
        sqlx::query(
            "INSERT INTO account_area (account_id, local_government) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(a)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// What the accounts page changes of an account.
pub struct AccountChange<'a> {
    pub role: Role,
    pub areas: &'a [String],
    pub active: bool,
}

/// Changes an account's role, areas and whether it may sign in.
pub async fn update(
    db: &Db,
    who: i64,
    id: i64,
    change: &AccountChange<'_>,
    now: jiff::Timestamp,
) -> Result<bool> {
    let Some(before) = get(db, id).await? else {
        return Ok(false);
    };
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE account SET role = $2, active = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(change.role)
        .bind(i64::from(change.active))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    set_areas_in(&mut tx, id, change.areas).await?;
    if change.role == Role::Coordinator {
        sqlx::query(
            "INSERT INTO account_project (account_id, project_id) SELECT $1, id FROM project \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    if !change.active {
        sqlx::query("DELETE FROM staff_session WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    super::audit::record(
        &mut tx,
        &super::audit::Entry::new(Some(who), "update", "account", id, &now)
            .before(serde_json::json!({ "role": before.role.code(), "active": before.active, "areas": before.areas }))
            .after(serde_json::json!({ "role": change.role.code(), "active": change.active, "areas": change.areas })),
    )
    .await?;
    bump_version(&mut tx, super::Topics::ACCOUNTS).await?;
    tx.commit().await?;
    Ok(true)
}

const ACCOUNT_COLUMNS: &str = "id, email, name, role, active, totp_secret";

pub async fn get(db: &Db, id: i64) -> Result<Option<Account>> {
    let row: Option<AccountRow> = sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let areas = areas(db, id).await?;
    Ok(Some(row.with_areas(areas)))
}

async fn areas(db: &Db, id: i64) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT local_government FROM account_area WHERE account_id = $1 ORDER BY 1",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

pub async fn list(db: &Db) -> Result<Vec<Account>> {
    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY sort_key, id"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let areas = areas(db, row.id).await?;
        out.push(row.with_areas(areas));
    }
    Ok(out)
}

/// Active accounts of these roles, by name, in one query; their areas are
/// not read (left empty): for lists of whom to pick.
pub async fn active_in_roles(db: &Db, roles: &[Role]) -> Result<Vec<Account>> {
    let codes: Vec<String> = roles.iter().map(|r| format!("'{}'", r.code())).collect();
    let rows: Vec<AccountRow> = sqlx::query_as(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE active = 1 AND role IN ({}) ORDER BY sort_key, id",
        codes.join(", ")
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| r.with_areas(Vec::new())).collect())
}

/// The staff member behind an account, with projects and areas.
pub async fn staff(db: &Db, id: i64) -> Result<Option<Staff>> {
    let Some(a) = get(db, id).await? else {
        return Ok(None);
    };
    let projects: Vec<(i64,)> =
        sqlx::query_as("SELECT project_id FROM account_project WHERE account_id = $1")
            .bind(id)
            .fetch_all(db.pool())
            .await?;
    Ok(a.active.then_some(Staff {
        account_id: a.id,
        name: a.name,
        role: a.role,
        projects: projects.into_iter().map(|(p,)| p).collect(),
        areas: a.areas,
    }))
}

const CREDENTIALS: &str =
    "SELECT id, password_hash, totp_secret, totp_last_step, active FROM account";

pub async fn credentials(db: &Db, email: &str) -> Result<Option<Credentials>> {
    let row: Option<CredentialsRow> = sqlx::query_as(&format!("{CREDENTIALS} WHERE email = $1"))
        .bind(email.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(Credentials::from))
}

pub async fn credentials_by_id(db: &Db, id: i64) -> Result<Option<Credentials>> {
    let row: Option<CredentialsRow> = sqlx::query_as(&format!("{CREDENTIALS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(Credentials::from))
}

/// Sets a new password, ends every session of the account and voids its
/// reset links (a link sent before the change no longer sets a password).
pub async fn set_password(db: &Db, id: i64, hash: &str, now: jiff::Timestamp) -> Result<()> {
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE account SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    for sql in [
        "DELETE FROM staff_session WHERE account_id = $1",
        "DELETE FROM password_reset WHERE account_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    super::audit::record(
        &mut tx,
        &super::audit::Entry::new(Some(id), "password", "account", id, &now),
    )
    .await?;
    bump_version(&mut tx, super::Topics::ACCOUNTS).await?;
    tx.commit().await?;
    Ok(())
}

/// Turns the second factor on (`Some`, and `step` used) or off (`None`).
pub async fn set_totp(
    db: &Db,
    id: i64,
    secret: Option<&str>,
    step: Option<i64>,
    now: jiff::Timestamp,
) -> Result<()> {
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE account SET totp_secret = $2, totp_last_step = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(secret)
    .bind(step)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let action = if secret.is_some() {
        "totp_on"
    } else {
        "totp_off"
    };
    super::audit::record(
        &mut tx,
        &super::audit::Entry::new(Some(id), action, "account", id, &now),
    )
    .await?;
    bump_version(&mut tx, super::Topics::ACCOUNTS).await?;
    tx.commit().await?;
    Ok(())
}

/// Every TOTP secret as stored, by account (accounts are few).
pub async fn totp_secrets(db: &Db) -> Result<Vec<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, totp_secret FROM account WHERE totp_secret IS NOT NULL")
            .fetch_all(db.pool())
            .await?,
    )
}

/// Replaces an account's stored TOTP secret with the same secret in
/// another form (sealed), unless it changed meanwhile.
pub async fn rewrite_totp_secret(db: &Db, id: i64, before: &str, after: &str) -> Result<bool> {
    let done =
        sqlx::query("UPDATE account SET totp_secret = $3 WHERE id = $1 AND totp_secret = $2")
            .bind(id)
            .bind(before)
            .bind(after)
            .execute(&mut *db.writer().await?)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Remembers the last accepted TOTP step so a code works once.
pub async fn use_totp_step(db: &Db, id: i64, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE account SET totp_last_step = $2 WHERE id = $1 \
         AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .bind(id)
    .bind(step)
    .execute(&mut *db.writer().await?)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A staff member's session as read back for a request.
#[derive(Clone, Debug)]
pub struct StaffSession {
    pub account_id: i64,
    pub csrf_token: String,
    pub second_factor_due: bool,
    pub created_at: jiff::Timestamp,
    pub last_seen_at: jiff::Timestamp,
}

#[derive(sqlx::FromRow)]
struct StaffSessionRow {
    account_id: i64,
    csrf_token: String,
    second_factor_due: i64,
    #[sqlx(try_from = "Stored")]
    created_at: jiff::Timestamp,
    #[sqlx(try_from = "Stored")]
    last_seen_at: jiff::Timestamp,
}

pub async fn create_session(
    db: &Db,
    token_hash: &str,
    account: i64,
    csrf: &str,
    second_factor_due: bool,
    now: jiff::Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff_session (token_hash, account_id, csrf_token, second_factor_due, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(token_hash)
    .bind(account)
    .bind(csrf)
    .bind(i64::from(second_factor_due))
    .bind(stamp(now))
    .execute(&mut *db.writer().await?)
    .await?;
    Ok(())
}

pub async fn session(db: &Db, token_hash: &str) -> Result<Option<StaffSession>> {
    let row: Option<StaffSessionRow> = sqlx::query_as(
        "SELECT account_id, csrf_token, second_factor_due, created_at, last_seen_at \
         FROM staff_session WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| StaffSession {
        account_id: r.account_id,
        csrf_token: r.csrf_token,
        second_factor_due: r.second_factor_due == 1,
        created_at: r.created_at,
        last_seen_at: r.last_seen_at,
    }))
}

pub async fn touch_session(db: &Db, token_hash: &str, now: jiff::Timestamp) -> Result<()> {
    sqlx::query("UPDATE staff_session SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(stamp(now))
        .execute(&mut *db.writer().await?)
        .await?;
    Ok(())
}

pub async fn second_factor_done(db: &Db, token_hash: &str) -> Result<()> {
    sqlx::query("UPDATE staff_session SET second_factor_due = 0 WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *db.writer().await?)
        .await?;
    Ok(())
}

pub async fn end_session(db: &Db, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM staff_session WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *db.writer().await?)
        .await?;
    Ok(())
}

/// A write transaction in which attempts under `key` and from `address`
/// are counted and recorded one after another, by every instance: on
/// PostgreSQL advisory locks of the key, then of the address (always in
/// this order, so two attempts cannot wait on each other); SQLite's
/// writers already take turns. Within an instance attempts on PostgreSQL
/// first take turns here, as SQLite's writers do at their gate, so that
/// a burst of them waits without holding the pool's connections.
pub async fn begin_attempt(db: &Db, key: &str, address: &str) -> Result<Attempt> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let turn = match db.engine() {
        Engine::Postgres => Some(TURN.lock().await),
        Engine::Sqlite => None,
    };
    let mut tx = db.begin_write().await?;
    if tx.engine() == Engine::Postgres {
        for name in [
            format!("sign_in key {}", key.trim().to_lowercase()),
            format!("sign_in address {address}"),
        ] {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))::text")
                .bind(name)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(Attempt { tx, _turn: turn })
}

/// The transaction of an attempt (`begin_attempt`), holding this
/// instance's turn until it ends.
pub struct Attempt {
    pub tx: Tx,
    _turn: Option<tokio::sync::MutexGuard<'static, ()>>,
}

impl Attempt {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await
    }
}

/// Records an attempt as failed (an attempt about to be checked counts
/// as failed until `attempt_succeeded`); its id.
pub async fn record_attempt(
    tx: &mut Tx,
    key: &str,
    address: &str,
    now: jiff::Timestamp,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO sign_in_attempt (email, address, succeeded, at) VALUES ($1, $2, 0, $3) \
         RETURNING id",
    )
    .bind(key.trim().to_lowercase())
    .bind(address)
    .bind(stamp(now))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Marks a recorded attempt as succeeded.
pub async fn attempt_succeeded(db: &Db, id: i64) -> Result<()> {
    sqlx::query("UPDATE sign_in_attempt SET succeeded = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *db.writer().await?)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct FailuresRow {
    pair: i64,
    #[sqlx(try_from = "MaybeStored")]
    pair_oldest: Option<jiff::Timestamp>,
    address: i64,
    #[sqlx(try_from = "MaybeStored")]
    address_oldest: Option<jiff::Timestamp>,
    key: i64,
    #[sqlx(try_from = "MaybeStored")]
    key_oldest: Option<jiff::Timestamp>,
}

/// Failed attempts since `since` for the key and the address together,
/// for the address, and for the key, each with the oldest time among them
/// (to say when a limit lifts); one query, inside the attempt's
/// transaction (`begin_attempt`).
pub async fn failures(
    tx: &mut Tx,
    key: &str,
    address: &str,
    since: jiff::Timestamp,
) -> Result<Failures> {
    let r: FailuresRow = sqlx::query_as(
        "SELECT \
         COUNT(CASE WHEN email = $1 AND address = $2 THEN 1 END) AS pair, \
         MIN(CASE WHEN email = $1 AND address = $2 THEN at END) AS pair_oldest, \
         COUNT(CASE WHEN address = $2 THEN 1 END) AS address, \
         MIN(CASE WHEN address = $2 THEN at END) AS address_oldest, \
         COUNT(CASE WHEN email = $1 THEN 1 END) AS key, \
         MIN(CASE WHEN email = $1 THEN at END) AS key_oldest \
         FROM sign_in_attempt WHERE (email = $1 OR address = $2) AND succeeded = 0 AND at >= $3",
    )
    .bind(key.trim().to_lowercase())
    .bind(address)
    .bind(stamp(since))
    .fetch_one(&mut **tx)
    .await?;
    Ok(Failures {
        pair: Tally {
            count: r.pair,
            oldest: r.pair_oldest,
        },
        address: Tally {
            count: r.address,
            oldest: r.address_oldest,
        },
        key: Tally {
            count: r.key,
            oldest: r.key_oldest,
        },
    })
}

/// Whether the key (an account) signed in successfully from `address`
/// since `since`.
pub async fn signed_in_from(
    tx: &mut Tx,
    key: &str,
    address: &str,
    since: jiff::Timestamp,
) -> Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM sign_in_attempt WHERE email = $1 AND address = $2 AND succeeded = 1 \
         AND at >= $3 LIMIT 1",
    )
    .bind(key.trim().to_lowercase())
    .bind(address)
    .bind(stamp(since))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// The job kind that sends a reset link to an address, if it has an
/// account (`issue_reset`).
pub const RESET_LINK: &str = "password_reset";

/// Queues a `RESET_LINK` job for `email` in the transaction that recorded
/// the request as an attempt, whether or not the address has an account
/// (the request must not tell, nor take longer for one).
pub async fn queue_reset_link(tx: &mut Tx, email: &str, now: jiff::Timestamp) -> Result<()> {
    super::jobs::enqueue_in(tx, RESET_LINK, email, now, now).await?;
    Ok(())
}

/// Runs a `RESET_LINK` job: when `email` has an active account, its
/// unused links die, the new one (its token's hash, valid until
/// `expires_at`) is stored and `message` queued, all in one transaction
/// that also deletes the job (it holds the address typed). The account,
/// if there was one.
pub async fn issue_reset(
    db: &Db,
    job: i64,
    email: &str,
    token_hash: &str,
    message: &super::outbox::Message,
    expires_at: jiff::Timestamp,
    now: jiff::Timestamp,
) -> Result<Option<i64>> {
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    let account: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM account WHERE email = $1 AND active = 1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&mut *tx)
            .await?;
    let account = account.map(|(id,)| id);
    if let Some(id) = account {
        sqlx::query("DELETE FROM password_reset WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO password_reset (token_hash, account_id, expires_at, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(id)
        .bind(stamp(expires_at))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        super::outbox::enqueue(&mut tx, message, &now).await?;
    }
    sqlx::query("DELETE FROM job WHERE id = $1")
        .bind(job)
        .execute(&mut *tx)
        .await?;
    bump_version(&mut tx, super::Topics::ACCOUNTS).await?;
    tx.commit().await?;
    Ok(account)
}

/// The account of an unused, unexpired reset token.
pub async fn reset_account(db: &Db, token_hash: &str, now: jiff::Timestamp) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT account_id FROM password_reset WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(stamp(now))
    .fetch_optional(&mut *db.writer().await?)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Uses a reset token; `None` if it was used or expired meanwhile.
pub async fn use_reset(db: &Db, token_hash: &str, now: jiff::Timestamp) -> Result<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE password_reset SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING account_id",
    )
    .bind(token_hash)
    .bind(stamp(now))
    .fetch_optional(&mut *db.writer().await?)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// An account with no password yet (the demo's): it is set through the
/// reset link, like a forgotten one.
pub async fn insert_without_password(
    tx: &mut Tx,
    email: &str,
    name: &str,
    role: Role,
    project: i64,
    areas: &[&str],
    now: jiff::Timestamp,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO account (email, name, role, password_hash, created_at, updated_at, sort_key) \
         VALUES ($1, $2, $3, '!', $4, $4, $5) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(role)
    .bind(stamp(now))
    .bind(crate::domain::search::sort_key(name))
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO account_project (account_id, project_id) VALUES ($1, $2)")
        .bind(id)
        .bind(project)
        .execute(&mut **tx)
        .await?;
    let areas: Vec<String> = areas.iter().map(|a| (*a).to_owned()).collect();
    set_areas_in(tx, id, &areas).await?;
    Ok(id)
}
