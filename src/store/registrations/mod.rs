//! Registrations: created pending, placed (a seat or the waitlist) when
//! confirmed, cancelled with the first on the waitlist promoted, expired
//! when never confirmed. Every e-mail a step causes is queued in the same
//! transaction as the step.
//!
//! Places are decided one at a time per activity: on PostgreSQL the
//! activity's row is locked (`FOR UPDATE`) for the decision, on SQLite the
//! write transaction (`BEGIN IMMEDIATE`) already serialises it.
//!
//! Here the public steps; `group_commit` batches them on SQLite, `staff`
//! holds the staff side (lists, moves, adding by hand, check-in, the
//! attendance sheet), `emails` the e-mails sent once per registration.

mod emails;
pub(super) mod group_commit;
mod staff;

pub use emails::*;
pub use staff::*;

use sqlx::Row;

use super::outbox::{self, Message};
use std::collections::HashMap;

use super::rows::{read_time, Stored};
use super::script::{Script, Value};
use super::{Db, Engine, Result, Tx};
use crate::clock::stamp;
pub use crate::domain::registration::Confirmation;
use crate::domain::registration::{confirmation, frees_place, Registration, Status};
use jiff::Timestamp;

/// A registration as its links and e-mails need it: whose it is, for
/// which activity, in which state, with its token.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Registrant {
    pub id: i64,
    pub activity_id: i64,
    pub status: Status,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[sqlx(try_from = "Stored")]
    pub created_at: Timestamp,
    pub token: String,
}

/// What registering gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Created {
    Pending(i64),
    /// Added by staff straight to a list.
    Added(i64),
    /// The address already has a live registration for the activity.
    Duplicate(Status),
    /// The sender's address made as many registrations as it may in the
    /// window; the time of the oldest of them.
    Limited(Option<Timestamp>),
}

/// What a registration's write gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Made {
    Id(i64),
    /// A live registration of the address exists (nothing written).
    Duplicate,
    /// Over the sender's limit (nothing written): the oldest counted time.
    Limited(Option<Timestamp>),
}

/// Confirmed places and waitlist length of an activity.
pub async fn counts(db: &Db, activity: i64) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) \
         FROM registration WHERE activity_id = $1 AND status IN ('confirmed', 'waitlisted')",
    )
    .bind(activity)
    .fetch_one(db.pool())
    .await?)
}

async fn live_status<'e, E>(on: E, activity: i64, email: &str) -> Result<Option<Status>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_scalar(
        "SELECT status FROM registration WHERE activity_id = $1 AND email = $2 \
         AND status IN ('pending', 'confirmed', 'waitlisted')",
    )
    .bind(activity)
    .bind(email)
    .fetch_optional(on)
    .await?)
}

/// A registration to record, with everything its transaction writes: the
/// sender's address (counted against the per-address limit: at most
/// `allowed` registrations since `since`) and the confirmation request.
pub struct NewRegistration {
    pub activity: i64,
    pub address: String,
    pub allowed: i64,
    pub since: Timestamp,
    pub registration: Registration,
    /// The organisation or JST office the typed affiliation names, if known.
    pub organisation: Option<i64>,
    pub jst: Option<String>,
    pub token: String,
    pub consent_version: String,
    pub mail: Message,
    pub now: Timestamp,
}

/// Records a pending registration, counts it against the sender's
/// address (`form_hit`) and queues the confirmation request — unless the
/// address is over its limit. The limit is counted and a live
/// registration of the same e-mail found (by the unique index, not by a
/// read first) inside the write, which joins a group commit.
pub async fn create(db: &Db, n: NewRegistration) -> Result<Created> {
    let (activity, email) = (n.activity, n.registration.email.clone());
    let made = group_commit::create(db, n).await?;
    Ok(match made {
        Made::Id(id) => Created::Pending(id),
        Made::Limited(oldest) => Created::Limited(oldest),
        Made::Duplicate => Created::Duplicate(
            live_status(db.pool(), activity, &email)
                .await?
                .unwrap_or(Status::Pending),
        ),
    })
}

/// For each registration over its address's limit its refusal
/// (`Made::Limited`), `None` for one within it (which counts for the next
/// ones).
async fn over_limit(tx: &mut Tx, all: &[&NewRegistration]) -> Result<Vec<Option<Made>>> {
    let mut addresses: Vec<&str> = all.iter().map(|n| n.address.as_str()).collect();
    addresses.sort_unstable();
    addresses.dedup();
    super::limits::lock(tx, &addresses).await?;
    let since = all.iter().map(|n| n.since).min().map(stamp);
    let since = since.as_deref().unwrap_or_default();
    // Times are compared as stored: the text orders as the time does.
    let mut recent = super::limits::recent(tx, "registration", &addresses, since).await?;
    all.iter()
        .map(|n| {
            let times = recent.entry(n.address.clone()).or_default();
            let since = stamp(n.since);
            let counted = times.iter().filter(|t| **t >= since);
            if (counted.clone().count() as i64) < n.allowed {
                times.push(stamp(n.now));
                Ok(None)
            } else {
                let oldest = counted.min().map(|t| read_time(t)).transpose()?;
                Ok(Some(Made::Limited(oldest)))
            }
        })
        .collect()
}

/// Columns bound per registration by `create_all`.
const REGISTRATION_COLUMNS: usize = 16;

/// The writes of registrations made together, in order, in a handful of
/// statements whatever their number: for each its id, a duplicate when
/// the address already has a live registration for the activity (the
/// unique index says so — also for a second one of the same address
/// here), or the refusal of one over its sender's limit. Every one within
/// the limit counts against it, duplicates too.
pub(super) async fn create_all(tx: &mut Tx, all: &[&NewRegistration]) -> Result<Vec<Made>> {
    let limited = over_limit(tx, all).await?;
    let within: Vec<&NewRegistration> = all
        .iter()
        .zip(&limited)
        .filter(|(_, l)| l.is_none())
        .map(|(n, _)| *n)
        .collect();
    let now = stamp(now_of(all));
    let stamps: Vec<String> = within.iter().map(|n| stamp(n.now)).collect();
    let mut made: HashMap<String, i64> = HashMap::with_capacity(within.len());
    for (chunk, at_chunk) in within.chunks(1000).zip(stamps.chunks(1000)) {
        let rows = super::values(tx.engine(), chunk.len(), REGISTRATION_COLUMNS);
        let sql = format!(
            "INSERT INTO registration (activity_id, first_name, last_name, email, phone, affiliation, \
             organisation_id, local_government, role, gender, token, consent_version, consent_at, \
             status, created_at, updated_at) \
             VALUES {rows} ON CONFLICT DO NOTHING RETURNING id, token"
        );
        let mut q = super::batch_query(&sql);
        for (n, at) in chunk.iter().zip(at_chunk) {
            let r = &n.registration;
            q = q
                .bind(n.activity)
                .bind(&r.first_name)
                .bind(&r.last_name)
                .bind(&r.email)
                .bind(&r.phone)
                .bind(&r.affiliation)
                .bind(n.organisation)
                .bind(n.jst.as_deref())
                .bind(r.role.code())
                .bind(r.gender.code())
                .bind(&n.token)
                .bind(&n.consent_version)
                .bind(at)
                .bind(Status::Pending.code())
                .bind(at)
                .bind(at);
        }
        for row in q.fetch_all(&mut **tx).await? {
            made.insert(row.try_get(1)?, row.try_get(0)?);
        }
    }
    let mut mails = Vec::with_capacity(made.len());
    for n in &within {
        let Some(id) = made.get(&n.token) else {
            continue;
        };
        if let Some(needs) = &n.registration.needs {
            sqlx::query("INSERT INTO registration_need (registration_id, needs) VALUES ($1, $2)")
                .bind(id)
                .bind(needs)
                .execute(&mut **tx)
                .await?;
        }
        mails.push(&n.mail);
    }
    let hits: Vec<(&str, &str)> = within
        .iter()
        .zip(&stamps)
        .map(|(n, at)| (n.address.as_str(), at.as_str()))
        .collect();
    let mut script = Script::new(tx.engine());
    outbox::enqueue_into(&mut script, &mails, &now);
    super::limits::count_into(&mut script, "registration", &hits);
    script.run(tx).await?;
    Ok(all
        .iter()
        .zip(limited)
        .map(|(n, refused)| {
            refused.unwrap_or_else(|| match made.get(&n.token) {
                Some(id) => Made::Id(*id),
                None => Made::Duplicate,
            })
        })
        .collect())
}

/// The time a batch of steps is written at: the last step's (the steps of
/// one commit came within moments of each other).
fn now_of(all: &[&NewRegistration]) -> Timestamp {
    all.last().map(|n| n.now).unwrap_or_default()
}

pub(super) const LINK_COLUMNS: &str =
    "id, activity_id, status, email, first_name, last_name, created_at, token";

/// The registration of a row that has `LINK_COLUMNS` (and maybe more); an
/// unknown status is an error.
pub(super) fn link_of(r: &sqlx::any::AnyRow) -> Result<Registrant> {
    Ok(<Registrant as sqlx::FromRow<_>>::from_row(r)?)
}

pub async fn by_token(db: &Db, token: &str) -> Result<Option<Registrant>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM registration WHERE token = $1"
    ))
    .bind(token)
    .fetch_optional(db.pool())
    .await?)
}

/// Whose registration it is beyond the name: the organisation or office
/// as typed and the role's code.
pub async fn holder(db: &Db, id: i64) -> Result<Option<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT affiliation, role FROM registration WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Queues `compose`'s e-mail to the live registration of `email` for
/// `activity` (the address was registered again): it carries the
/// registration's own link, to its owner only. Once per registration
/// since `since` (an hour ago), so that repeating the form cannot flood an
/// address; true if queued.
pub async fn resend_link(
    db: &Db,
    activity: i64,
    email: &str,
    since: Timestamp,
    now: Timestamp,
    compose: &(dyn Fn(&Registrant) -> Message + Send + Sync),
) -> Result<bool> {
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "UPDATE registration SET link_resent_at = $3 WHERE activity_id = $1 AND email = $2 \
         AND status IN ('pending', 'confirmed', 'waitlisted') \
         AND (link_resent_at IS NULL OR link_resent_at < $4) RETURNING {LINK_COLUMNS}"
    ))
    .bind(activity)
    .bind(email)
    .bind(&now)
    .bind(stamp(since))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        tx.rollback().await?;
        return Ok(false);
    };
    outbox::enqueue(&mut tx, &compose(&link_of(&row)?), &now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Takes the activity's place decisions for this transaction.
async fn lock_activity(db: &Db, tx: &mut Tx, activity: i64) -> Result<Option<i64>> {
    let lock = if db.engine() == Engine::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    Ok(sqlx::query_scalar(&format!(
        "SELECT capacity FROM activity WHERE id = $1{lock}"
    ))
    .bind(activity)
    .fetch_one(&mut **tx)
    .await?)
}

/// Takes the activity's place decisions and reads the registration again
/// under the lock (a second click may have got there first); gives the
/// activity's capacity too.
async fn locked(db: &Db, tx: &mut Tx, l: &Registrant) -> Result<(Option<i64>, Registrant)> {
    let capacity = lock_activity(db, tx, l.activity_id).await?;
    let row = sqlx::query(&format!(
        "SELECT {LINK_COLUMNS} FROM registration WHERE id = $1"
    ))
    .bind(l.id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((capacity, link_of(&row)?))
}

/// Places taken in an activity, read inside the deciding transaction.
async fn confirmed_in(tx: &mut Tx, activity: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM registration WHERE activity_id = $1 AND status = 'confirmed'",
    )
    .bind(activity)
    .fetch_one(&mut **tx)
    .await?)
}

async fn set_status(tx: &mut Tx, id: i64, status: Status, now: &str) -> Result<()> {
    let mut script = Script::new(tx.engine());
    set_status_into(&mut script, &[id], status, now);
    script.run(tx).await?;
    Ok(())
}

/// Moves registrations to `status`, one statement of a script.
fn set_status_into<'q>(script: &mut Script<'q>, ids: &[i64], status: Status, now: &'q str) {
    if ids.is_empty() {
        return;
    }
    let (p1, p2) = (script.param(1), script.param(2));
    let mut values = vec![Value::from(status.code()), now.into()];
    let stamped = match status {
        Status::Confirmed | Status::Waitlisted => Some("placed_at"),
        Status::Cancelled => Some("cancelled_at"),
        _ => None,
    };
    let extra = match stamped {
        Some(column) => {
            values.push(now.into());
            format!(", {column} = {}", script.param(3))
        }
        None => String::new(),
    };
    script.push(
        format!(
            "UPDATE registration SET status = {p1}, updated_at = {p2}{extra} WHERE id IN ({})",
            super::id_list(ids)
        ),
        values,
    );
}

/// A confirmation to make, with both e-mails it may send.
pub(super) struct Confirming {
    pub link: Registrant,
    pub expired_before: Timestamp,
    pub now: Timestamp,
    pub confirmed: Message,
    pub waitlisted: Message,
}

/// Confirms a pending registration (as read by its link) made after
/// `expired_before`; `compose` writes the e-mail for where it was placed.
/// The registration is read again inside the write, which joins a group
/// commit.
pub async fn confirm(
    db: &Db,
    l: Registrant,
    expired_before: Timestamp,
    now: Timestamp,
    compose: &(dyn Fn(Status, &Registrant) -> Message + Send + Sync),
) -> Result<Confirmation> {
    if l.status != Status::Pending {
        return Ok(Confirmation::Unchanged(l.status));
    }
    let c = Confirming {
        confirmed: compose(Status::Confirmed, &l),
        waitlisted: compose(Status::Waitlisted, &l),
        link: l,
        expired_before,
        now,
    };
    group_commit::confirm(db, c).await
}

/// Places per activity (capacity and places taken) and registrations as
/// they are now, for confirmations on SQLite, in one read: the write
/// transaction already holds the only write lock, so nothing moves between
/// counting and deciding.
async fn places_and_links(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<(HashMap<i64, (Option<i64>, i64)>, HashMap<i64, Registrant>)> {
    let rows = super::batch_query(&format!(
        "SELECT {}, a.capacity AS capacity, CASE WHEN a.capacity IS NULL THEN 0 ELSE \
         (SELECT COUNT(*) FROM registration c WHERE c.activity_id = r.activity_id \
         AND c.status = 'confirmed') END AS taken \
         FROM registration r JOIN activity a ON a.id = r.activity_id WHERE r.id IN ({})",
        link_columns_of("r"),
        super::id_list(ids)
    ))
    .fetch_all(&mut **tx)
    .await?;
    let (mut places, mut links) = (HashMap::new(), HashMap::with_capacity(rows.len()));
    for row in &rows {
        let l = link_of(row)?;
        places.insert(
            l.activity_id,
            (
                row.try_get::<Option<i64>, _>("capacity")?,
                row.try_get::<i64, _>("taken")?,
            ),
        );
        links.insert(l.id, l);
    }
    Ok((places, links))
}

/// `places_and_links` on PostgreSQL: each activity's row locked first
/// (`FOR UPDATE`), its places counted under the lock, then the
/// registrations read again (a second click may have got there first).
async fn locked_places_and_links(
    db: &Db,
    tx: &mut Tx,
    all: &[&Confirming],
    ids: &[i64],
) -> Result<(HashMap<i64, (Option<i64>, i64)>, HashMap<i64, Registrant>)> {
    // In the order of their ids, so that two batches never wait for each
    // other's locks.
    let activities: std::collections::BTreeSet<i64> =
        all.iter().map(|c| c.link.activity_id).collect();
    let mut places = HashMap::with_capacity(activities.len());
    for activity in activities {
        let capacity = lock_activity(db, tx, activity).await?;
        // Without a limit every confirmation gets a place: nothing to count.
        let taken = match capacity {
            Some(_) => confirmed_in(tx, activity).await?,
            None => 0,
        };
        places.insert(activity, (capacity, taken));
    }
    let mut links = HashMap::with_capacity(ids.len());
    for row in super::batch_query(&format!(
        "SELECT {LINK_COLUMNS} FROM registration WHERE id IN ({})",
        super::id_list(ids)
    ))
    .fetch_all(&mut **tx)
    .await?
    {
        let l = link_of(&row)?;
        links.insert(l.id, l);
    }
    Ok((places, links))
}

/// The writes of confirmations made together, in order, in a handful of
/// statements whatever their number. Each activity's places are taken
/// (locked on PostgreSQL) and counted once, then given out in order.
pub(super) async fn confirm_all(
    db: &Db,
    tx: &mut Tx,
    all: &[&Confirming],
) -> Result<Vec<Confirmation>> {
    if all.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = all.iter().map(|c| c.link.id).collect();
    let (mut places, mut current) = match db.engine() {
        Engine::Sqlite => places_and_links(tx, &ids).await?,
        Engine::Postgres => locked_places_and_links(db, tx, all, &ids).await?,
    };
    let mut outcomes = Vec::with_capacity(all.len());
    let mut moved: HashMap<Status, Vec<i64>> = HashMap::new();
    let mut mails = Vec::new();
    for c in all {
        let l = current
            .get_mut(&c.link.id)
            .ok_or(super::StoreError::Database(sqlx::Error::RowNotFound))?;
        let (capacity, taken) = places
            .get_mut(&l.activity_id)
            .ok_or(super::StoreError::Database(sqlx::Error::RowNotFound))?;
        let too_old = l.created_at < c.expired_before;
        let outcome = confirmation(l.status, too_old, *capacity, *taken);
        match outcome {
            Confirmation::Unchanged(_) => {}
            Confirmation::Expired => l.status = Status::Expired,
            Confirmation::Placed(placed) => {
                l.status = placed;
                if placed == Status::Confirmed {
                    *taken += 1;
                    mails.push(&c.confirmed);
                } else {
                    mails.push(&c.waitlisted);
                }
            }
        }
        if !matches!(outcome, Confirmation::Unchanged(_)) {
            moved.entry(l.status).or_default().push(l.id);
        }
        outcomes.push(outcome);
    }
    let now = all.last().map(|c| stamp(c.now)).unwrap_or_default();
    let mut script = Script::new(tx.engine());
    for (status, ids) in &moved {
        set_status_into(&mut script, ids, *status, &now);
    }
    outbox::enqueue_into(&mut script, &mails, &now);
    script.run(tx).await?;
    Ok(outcomes)
}

/// The outcome of a cancellation link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cancellation {
    pub was: Status,
    /// Who got the freed place.
    pub promoted: Option<Registrant>,
}

/// Cancels a live registration; a freed place goes to the first on the
/// waitlist. `compose` writes the e-mails (to the one cancelling: status
/// `Cancelled`; to the one promoted: `Confirmed`).
pub async fn cancel(
    db: &Db,
    token: &str,
    now: Timestamp,
    compose: &(dyn Fn(Status, &Registrant) -> Message + Send + Sync),
) -> Result<Option<Cancellation>> {
    let now = &stamp(now);
    let Some(l) = by_token(db, token).await? else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    let (capacity, l) = locked(db, &mut tx, &l).await?;
    if !l.status.is_live() {
        tx.rollback().await?;
        return Ok(Some(Cancellation {
            was: l.status,
            promoted: None,
        }));
    }
    set_status(&mut tx, l.id, Status::Cancelled, now).await?;
    outbox::enqueue(&mut tx, &compose(Status::Cancelled, &l), now).await?;
    let mut promoted = None;
    if l.status == Status::Confirmed {
        let confirmed = confirmed_in(&mut tx, l.activity_id).await?;
        if frees_place(l.status, capacity, confirmed) {
            let next = sqlx::query(&format!(
                "SELECT {LINK_COLUMNS} FROM registration WHERE activity_id = $1 AND status = 'waitlisted' \
                 ORDER BY placed_at, id LIMIT 1"
            ))
            .bind(l.activity_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(next) = next {
                let next = link_of(&next)?;
                set_status(&mut tx, next.id, Status::Confirmed, now).await?;
                outbox::enqueue(&mut tx, &compose(Status::Confirmed, &next), now).await?;
                promoted = Some(next);
            }
        }
    }
    super::bump_counts(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(Cancellation {
        was: l.status,
        promoted,
    }))
}

/// Marks registrations never confirmed and made before `before` expired;
/// returns how many.
pub async fn expire(db: &Db, before: Timestamp, now: Timestamp) -> Result<u64> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE registration SET status = 'expired', updated_at = $2 WHERE status = 'pending' AND created_at < $1",
    )
    .bind(stamp(before))
    .bind(stamp(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done > 0 {
        super::bump_counts(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// `LINK_COLUMNS` of the table under `alias`.
pub(super) fn link_columns_of(alias: &str) -> String {
    LINK_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}
