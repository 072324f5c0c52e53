//! Staff accounts, their sessions, sign-in attempts and password resets.
//!
//! Everything a stateless instance needs to recognise a browser lives
//! here, in the database. Tokens are stored as SHA-256 hashes only.

use sqlx::Row;

use super::{int, opt_text, text, Db, Result};
use crate::domain::access::{Role, Staff};
use crate::domain::throttle::{Failures, Tally};

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

/// What sign-in checks.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub active: bool,
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
pub async fn create(db: &Db, a: &NewAccount<'_>, now: &str) -> Result<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO account (email, name, role, password_hash, created_at, updated_at, sort_key) \
         VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(a.email.to_lowercase())
    .bind(a.name)
    .bind(a.role.code())
    .bind(a.password_hash)
    .bind(now)
    .bind(crate::domain::search::sort_key(a.name))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        tx.rollback().await?;
        return Ok(None);
    };
    let id: i64 = row.try_get(0)?;
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
        &super::audit::Entry::new(None, "create", "account", id, now)
            .after(serde_json::json!({ "role": a.role.code() })),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

async fn set_areas_in(tx: &mut super::Tx, id: i64, areas: &[String]) -> Result<()> {
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

/// Changes an account's role, areas and whether it may sign in.
pub async fn update(
    db: &Db,
    who: i64,
    id: i64,
    role: Role,
    areas: &[String],
    active: bool,
    now: &str,
) -> Result<bool> {
    let Some(before) = get(db, id).await? else {
        return Ok(false);
    };
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE account SET role = $2, active = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(role.code())
        .bind(i64::from(active))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    set_areas_in(&mut tx, id, areas).await?;
    if role == Role::Coordinator {
        sqlx::query(
            "INSERT INTO account_project (account_id, project_id) SELECT $1, id FROM project \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    if !active {
        sqlx::query("DELETE FROM staff_session WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    super::audit::record(
        &mut tx,
        &super::audit::Entry::new(Some(who), "update", "account", id, now)
            .before(serde_json::json!({ "role": before.role.code(), "active": before.active, "areas": before.areas }))
            .after(serde_json::json!({ "role": role.code(), "active": active, "areas": areas })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

fn account(row: &sqlx::any::AnyRow, areas: Vec<String>) -> Result<Account> {
    Ok(Account {
        id: int(row, "id")?,
        email: text(row, "email")?,
        name: text(row, "name")?,
        role: Role::from_code(&text(row, "role")?).unwrap_or(Role::Trainer),
        active: int(row, "active")? == 1,
        has_totp: opt_text(row, "totp_secret")?.is_some(),
        areas,
    })
}

const ACCOUNT_COLUMNS: &str = "id, email, name, role, active, totp_secret";

pub async fn get(db: &Db, id: i64) -> Result<Option<Account>> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let areas = column(
        db,
        "SELECT local_government FROM account_area WHERE account_id = $1 ORDER BY 1",
        id,
    )
    .await?;
    Ok(Some(account(&row, areas)?))
}

async fn column(db: &Db, sql: &str, id: i64) -> Result<Vec<String>> {
    let rows = sqlx::query(sql).bind(id).fetch_all(db.pool()).await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

pub async fn list(db: &Db) -> Result<Vec<Account>> {
    let rows = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account ORDER BY sort_key, id"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let id = int(row, "id")?;
        let areas = column(
            db,
            "SELECT local_government FROM account_area WHERE account_id = $1 ORDER BY 1",
            id,
        )
        .await?;
        out.push(account(row, areas)?);
    }
    Ok(out)
}

/// Active accounts of these roles, by name, in one query; their areas are
/// not read (left empty): for lists of whom to pick.
pub async fn active_in_roles(db: &Db, roles: &[Role]) -> Result<Vec<Account>> {
    let codes: Vec<String> = roles.iter().map(|r| format!("'{}'", r.code())).collect();
    let rows = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE active = 1 AND role IN ({}) ORDER BY sort_key, id",
        codes.join(", ")
    ))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| account(r, Vec::new())).collect()
}

/// The staff member behind an account, with projects and areas.
pub async fn staff(db: &Db, id: i64) -> Result<Option<Staff>> {
    let Some(a) = get(db, id).await? else {
        return Ok(None);
    };
    let projects = sqlx::query("SELECT project_id FROM account_project WHERE account_id = $1")
        .bind(id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(a.active.then_some(Staff {
        account_id: a.id,
        name: a.name,
        role: a.role,
        projects,
        areas: a.areas,
    }))
}

const CREDENTIALS: &str =
    "SELECT id, password_hash, totp_secret, totp_last_step, active FROM account";

pub async fn credentials(db: &Db, email: &str) -> Result<Option<Credentials>> {
    let row = sqlx::query(&format!("{CREDENTIALS} WHERE email = $1"))
        .bind(email.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| credentials_row(&r)).transpose()
}

pub async fn credentials_by_id(db: &Db, id: i64) -> Result<Option<Credentials>> {
    let row = sqlx::query(&format!("{CREDENTIALS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| credentials_row(&r)).transpose()
}

fn credentials_row(r: &sqlx::any::AnyRow) -> Result<Credentials> {
    Ok(Credentials {
        id: int(r, "id")?,
        password_hash: text(r, "password_hash")?,
        totp_secret: opt_text(r, "totp_secret")?,
        totp_last_step: r.try_get::<Option<i64>, _>("totp_last_step")?,
        active: int(r, "active")? == 1,
    })
}

/// Sets a new password, ends every session of the account and voids its
/// reset links (a link sent before the change no longer sets a password).
pub async fn set_password(db: &Db, id: i64, hash: &str, now: &str) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE account SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(now)
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
        &super::audit::Entry::new(Some(id), "password", "account", id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Turns the second factor on (`Some`) or off (`None`).
pub async fn set_totp(db: &Db, id: i64, secret: Option<&str>, now: &str) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE account SET totp_secret = $2, totp_last_step = NULL, updated_at = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(secret)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let action = if secret.is_some() {
        "totp_on"
    } else {
        "totp_off"
    };
    super::audit::record(
        &mut tx,
        &super::audit::Entry::new(Some(id), action, "account", id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every TOTP secret as stored, by account (accounts are few).
pub async fn totp_secrets(db: &Db) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query("SELECT id, totp_secret FROM account WHERE totp_secret IS NOT NULL")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| Ok((int(r, "id")?, text(r, "totp_secret")?)))
        .collect()
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

/// A session as read back for a request.
#[derive(Clone, Debug)]
pub struct Session {
    pub account_id: i64,
    pub csrf_token: String,
    pub second_factor_due: bool,
    pub created_at: String,
    pub last_seen_at: String,
}

pub async fn create_session(
    db: &Db,
    token_hash: &str,
    account: i64,
    csrf: &str,
    second_factor_due: bool,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff_session (token_hash, account_id, csrf_token, second_factor_due, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(token_hash)
    .bind(account)
    .bind(csrf)
    .bind(i64::from(second_factor_due))
    .bind(now)
    .execute(&mut *db.writer().await?)
    .await?;
    Ok(())
}

pub async fn session(db: &Db, token_hash: &str) -> Result<Option<Session>> {
    let row = sqlx::query(
        "SELECT account_id, csrf_token, second_factor_due, created_at, last_seen_at \
         FROM staff_session WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Session {
            account_id: int(&r, "account_id")?,
            csrf_token: text(&r, "csrf_token")?,
            second_factor_due: int(&r, "second_factor_due")? == 1,
            created_at: text(&r, "created_at")?,
            last_seen_at: text(&r, "last_seen_at")?,
        })
    })
    .transpose()
}

pub async fn touch_session(db: &Db, token_hash: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE staff_session SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
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

/// Records a sign-in attempt.
pub async fn record_attempt(
    db: &Db,
    email: &str,
    address: &str,
    succeeded: bool,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_attempt (email, address, succeeded, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(email.trim().to_lowercase())
    .bind(address)
    .bind(i64::from(succeeded))
    .bind(now)
    .execute(&mut *db.writer().await?)
    .await?;
    Ok(())
}

/// Failed attempts since `since` for the key and the address together,
/// for the address, and for the key, each with the oldest time among them
/// (to say when a limit lifts); one query.
pub async fn failures(db: &Db, key: &str, address: &str, since: &str) -> Result<Failures> {
    let r = sqlx::query(
        "SELECT \
         COUNT(CASE WHEN email = $1 AND address = $2 THEN 1 END), \
         MIN(CASE WHEN email = $1 AND address = $2 THEN at END), \
         COUNT(CASE WHEN address = $2 THEN 1 END), MIN(CASE WHEN address = $2 THEN at END), \
         COUNT(CASE WHEN email = $1 THEN 1 END), MIN(CASE WHEN email = $1 THEN at END) \
         FROM sign_in_attempt WHERE (email = $1 OR address = $2) AND succeeded = 0 AND at >= $3",
    )
    .bind(key.trim().to_lowercase())
    .bind(address)
    .bind(since)
    .fetch_one(db.pool())
    .await?;
    let tally = |i: usize| -> Result<Tally> {
        Ok(Tally {
            count: r.try_get::<i64, _>(i)?,
            oldest: r.try_get::<Option<String>, _>(i + 1)?,
        })
    };
    Ok(Failures {
        pair: tally(0)?,
        address: tally(2)?,
        key: tally(4)?,
    })
}

/// Whether the key (an account) signed in successfully from `address`
/// since `since`.
pub async fn signed_in_from(db: &Db, key: &str, address: &str, since: &str) -> Result<bool> {
    let row = sqlx::query(
        "SELECT 1 FROM sign_in_attempt WHERE email = $1 AND address = $2 AND succeeded = 1 \
         AND at >= $3 LIMIT 1",
    )
    .bind(key.trim().to_lowercase())
    .bind(address)
    .bind(since)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// The job kind that sends a reset link to an address, if it has an
/// account (`issue_reset`).
pub const RESET_LINK: &str = "password_reset";

/// A request for a reset link: the attempt counted under `key` and a
/// `RESET_LINK` job for `email`, in one transaction, whether or not the
/// address has an account (the request must not tell, nor take longer
/// for one).
pub async fn request_reset(
    db: &Db,
    key: &str,
    email: &str,
    address: &str,
    now: &str,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO sign_in_attempt (email, address, succeeded, at) VALUES ($1, $2, 0, $3)",
    )
    .bind(key.trim().to_lowercase())
    .bind(address)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    super::jobs::enqueue_in(&mut tx, RESET_LINK, email, now, now).await?;
    tx.commit().await
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
    expires_at: &str,
    now: &str,
) -> Result<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let account = sqlx::query("SELECT id FROM account WHERE email = $1 AND active = 1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get::<i64, _>(0))
        .transpose()?;
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
        .bind(expires_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        super::outbox::enqueue(&mut tx, message, now).await?;
    }
    sqlx::query("DELETE FROM job WHERE id = $1")
        .bind(job)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(account)
}

/// The account of an unused, unexpired reset token.
pub async fn reset_account(db: &Db, token_hash: &str, now: &str) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT account_id FROM password_reset WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *db.writer().await?)
    .await?;
    Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
}

/// Uses a reset token; false if it was used or expired meanwhile.
pub async fn use_reset(db: &Db, token_hash: &str, now: &str) -> Result<Option<i64>> {
    let row = sqlx::query(
        "UPDATE password_reset SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING account_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *db.writer().await?)
    .await?;
    Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
}

/// An account with no password yet (the demo's): it is set through the
/// reset link, like a forgotten one.
pub async fn insert_without_password(
    tx: &mut super::Tx,
    email: &str,
    name: &str,
    role: Role,
    project: i64,
    areas: &[&str],
    now: &str,
) -> Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO account (email, name, role, password_hash, created_at, updated_at, sort_key) \
         VALUES ($1, $2, $3, '!', $4, $4, $5) RETURNING id",
    )
    .bind(email)
    .bind(name)
    .bind(role.code())
    .bind(now)
    .bind(crate::domain::search::sort_key(name))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    sqlx::query("INSERT INTO account_project (account_id, project_id) VALUES ($1, $2)")
        .bind(id)
        .bind(project)
        .execute(&mut **tx)
        .await?;
    let areas: Vec<String> = areas.iter().map(|a| (*a).to_owned()).collect();
    set_areas_in(tx, id, &areas).await?;
    Ok(id)
}
