//! Activities, attendance and trips as staff change them. Every change
//! keeps the copies the figures read (attendance's date and kind, its
//! counting, the summaries of `store::summaries`) in step, and writes
//! its audit entry.

use serde_json::json;

use super::activities::{self, Activity};
use super::audit::{self, Entry};
use super::rows::{MaybeStored, Stored};
use super::summaries::{self, Days};
use super::{Db, Paged, Result, Tx, Where};
use crate::clock::stamp;
use crate::domain::access::Scope;
use crate::domain::activity::{ActivityKind, ActivityStatus, Group};
use crate::domain::records;
use crate::domain::search;
use jiff::civil::Date;
use jiff::Timestamp;

/// What the back-office list of activities is filtered by.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub query: String,
    pub kind: Option<ActivityKind>,
    pub status: Option<ActivityStatus>,
    pub unit: String,
}

/// An activity with the columns only staff see.
#[derive(Clone, Debug)]
pub struct Record {
    pub activity: Activity,
    pub project_id: i64,
    pub trainer_account_id: Option<i64>,
    pub registration_closes_on: Option<Date>,
    pub online_link: Option<String>,
}

fn conditions(f: &Filter, scope: &Scope) -> Where {
    let mut w = Where::default();
    if let Some(p) = search::pattern(&f.query) {
        w.folded_like("a.title", p);
    }
    if let Some(k) = f.kind {
        w.text("a.kind = ?", k.code());
    }
    if let Some(s) = f.status {
        w.text("a.status = ?", s.code());
    }
    if !f.unit.is_empty() {
        w.within("a.local_government", &f.unit);
    }
    w.scope(
        scope,
        Some("a.local_government"),
        Some("a.trainer_account_id"),
        Some("a.project_id"),
    );
    w
}

pub async fn list(
    db: &Db,
    f: &Filter,
    scope: &Scope,
    limit: i64,
    offset: i64,
) -> Result<Paged<Activity>> {
    let w = conditions(f, scope);
    let total = w.count(db, "activity a").await?;
    let sql = activities::activity_query(
        w.sql(),
        "a.starts_on DESC, a.id DESC",
        &format!("LIMIT {limit} OFFSET {offset}"),
    );
    let items = w.bind_as(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    Ok(Paged { items, total })
}

/// The columns of an activity only staff see.
#[derive(sqlx::FromRow)]
struct StaffColumns {
    project_id: i64,
    trainer_account_id: Option<i64>,
    #[sqlx(try_from = "MaybeStored")]
    registration_closes_on: Option<Date>,
    online_link: Option<String>,
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Record>> {
    let Some(activity) = sqlx::query_as(&activities::activity_query("a.id = $1", "a.id", ""))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let row: StaffColumns = sqlx::query_as(
        "SELECT project_id, trainer_account_id, registration_closes_on, online_link \
         FROM activity WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(Some(Record {
        activity,
        project_id: row.project_id,
        trainer_account_id: row.trainer_account_id,
        registration_closes_on: row.registration_closes_on,
        online_link: row.online_link,
    }))
}

fn audit_json(
    a: &records::ActivityRecord,
    status: ActivityStatus,
    jst: Option<&str>,
) -> serde_json::Value {
    json!({
        "kind": a.kind.code(), "status": status.code(), "title": a.title, "topic": a.topic, "starts_on": a.starts_on.to_string(),
        "ends_on": a.ends_on.to_string(), "start_time": a.start_time, "duration_minutes": a.duration_minutes,
        "online": a.online, "venue": a.venue, "local_government": jst, "audience": a.audience.code(),
        "capacity": a.capacity, "co_organiser": a.co_organiser, "trainer_account_id": a.trainer_account_id,
        "registration_closes_on": a.registration_closes_on.map(|d| d.to_string()), "online_link": a.online_link,
    })
}

fn record_json(r: &Record) -> serde_json::Value {
    let a = &r.activity;
    json!({
        "kind": a.kind.code(), "status": a.status.code(), "title": a.title, "topic": a.topic, "starts_on": a.starts_on.to_string(),
        "ends_on": a.ends_on.to_string(), "start_time": a.start_time, "duration_minutes": a.duration_minutes,
        "online": a.online, "venue": a.venue, "local_government": a.local_government,
        "audience": a.audience.code(), "capacity": a.capacity, "co_organiser": a.co_organiser,
        "trainer_account_id": r.trainer_account_id,
        "registration_closes_on": r.registration_closes_on.map(|d| d.to_string()), "online_link": r.online_link,
    })
}

/// Creates (`id` = None) or changes an activity; returns its id and slug.
pub async fn save(
    db: &Db,
    who: i64,
    project: i64,
    id: Option<i64>,
    a: &records::ActivityRecord,
    jst: Option<&str>,
    now: Timestamp,
) -> Result<i64> {
    let before = match id {
        Some(id) => get(db, id).await?,
        None => None,
    };
    let status = a
        .status
        .or(before.as_ref().map(|b| b.activity.status))
        .unwrap_or(ActivityStatus::Planned);
    let mut tx = db.begin_write().await?;
    let saved = match id {
        None => insert(&mut tx, project, a, status, jst, now).await?,
        Some(id) => {
            update(&mut tx, id, a, status, jst, now).await?;
            id
        }
    };
    let mut entry = Entry::new(
        Some(who),
        if id.is_some() { "update" } else { "create" },
        "activity",
        saved,
        &stamp(now),
    )
    .after(audit_json(a, status, jst));
    if let Some(b) = &before {
        entry = entry.before(record_json(b));
    }
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::ACTIVITIES).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Inserts a new activity under the next free slug; returns its id.
async fn insert(
    tx: &mut Tx,
    project: i64,
    a: &records::ActivityRecord,
    status: ActivityStatus,
    jst: Option<&str>,
    now: Timestamp,
) -> Result<i64> {
    // The next free suffix is found by the insert itself.
    let slug = records::slug(&a.title, &a.starts_on.strftime("%Y%m%d").to_string());
    let new = activities::NewActivity {
        slug,
        kind: a.kind,
        status,
        title: a.title.clone(),
        topic: a.topic.clone(),
        summary_md: a.summary_md.clone(),
        starts_on: a.starts_on,
        ends_on: a.ends_on,
        start_time: a.start_time.clone(),
        duration_minutes: a.duration_minutes,
        online: a.online,
        venue: a.venue.clone(),
        local_government: jst.map(str::to_owned),
        audience: a.audience,
        capacity: a.capacity,
        co_organiser: a.co_organiser.clone(),
        local_work_id: None,
        organisation_id: None,
    };
    let id = activities::insert_activity(tx, project, &new, now).await?;
    sqlx::query(
        "UPDATE activity SET trainer_account_id = $2, registration_closes_on = $3, online_link = $4 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(a.trainer_account_id)
    .bind(a.registration_closes_on.map(|d| d.to_string()))
    .bind(a.online_link.as_deref())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Changes activity `id`, and the copies of its date and kind on its
/// attendance, whose counting it recomputes.
async fn update(
    tx: &mut Tx,
    id: i64,
    a: &records::ActivityRecord,
    status: ActivityStatus,
    jst: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let before = summaries::activity_days(tx, id).await?;
    sqlx::query(
        "UPDATE activity SET kind = $2, title = $3, topic = $4, summary_md = $5, starts_on = $6, \
         ends_on = $7, start_time = $8, duration_minutes = $9, online = $10, venue = $11, \
         local_government = $12, audience = $13, capacity = $14, co_organiser = $15, \
         trainer_account_id = $16, updated_at = $17, registration_closes_on = $18, \
         online_link = $19, status = $20 WHERE id = $1",
    )
    .bind(id)
    .bind(a.kind)
    .bind(&a.title)
    .bind(&a.topic)
    .bind(&a.summary_md)
    .bind(a.starts_on.to_string())
    .bind(a.ends_on.to_string())
    .bind(&a.start_time)
    .bind(a.duration_minutes)
    .bind(i64::from(a.online))
    .bind(&a.venue)
    .bind(jst)
    .bind(a.audience)
    .bind(a.capacity)
    .bind(a.co_organiser.as_deref())
    .bind(a.trainer_account_id)
    .bind(stamp(now))
    .bind(a.registration_closes_on.map(|d| d.to_string()))
    .bind(a.online_link.as_deref())
    .bind(status)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE attendance SET attended_on = $2, activity_kind = $3 WHERE activity_id = $1",
    )
    .bind(id)
    .bind(a.starts_on.to_string())
    .bind(a.kind)
    .execute(&mut **tx)
    .await?;
    let people = activities::attendees_of(tx, id).await?;
    activities::activity_changed(tx, id, &people, before).await
}

/// Attendance, speakers and trips keep an activity: while any exist it
/// cannot be deleted.
pub async fn references(db: &Db, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM attendance WHERE activity_id = $1) \
         + (SELECT COUNT(*) FROM activity_speaker WHERE activity_id = $1) \
         + (SELECT COUNT(*) FROM trip WHERE activity_id = $1)",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?)
}

pub async fn delete(db: &Db, who: i64, id: i64, now: Timestamp) -> Result<bool> {
    let Some(before) = get(db, id).await? else {
        return Ok(false);
    };
    let mut tx = db.begin_write().await?;
    let days = summaries::activity_days(&mut tx, id).await?;
    let jsts = summaries::activity_local_governments(&mut tx, id).await?;
    sqlx::query("DELETE FROM certificate WHERE activity_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM activity WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    activities::activity_changed(&mut tx, id, &[], days).await?;
    summaries::local_governments_changed(&mut tx, &jsts).await?;
    audit::record(
        &mut tx,
        &Entry::new(Some(who), "delete", "activity", id, &stamp(now)).before(record_json(&before)),
    )
    .await?;
    super::bump_version(&mut tx, super::Topics::ACTIVITIES).await?;
    tx.commit().await?;
    Ok(true)
}

/// Someone who attended, as the attendance list shows them.
#[derive(Clone, Debug)]
pub struct Attendee {
    pub person_id: i64,
    pub name: String,
    pub group: Group,
}

pub async fn attendees(db: &Db, activity: i64, limit: i64, offset: i64) -> Result<Paged<Attendee>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attendance WHERE activity_id = $1")
        .bind(activity)
        .fetch_one(db.pool())
        .await?;
    let rows: Vec<(i64, String, String, Group)> = sqlx::query_as(&format!(
        "SELECT p.id, p.first_name, p.last_name, p.person_group FROM attendance t \
         JOIN person p ON p.id = t.person_id WHERE t.activity_id = $1 \
         ORDER BY p.sort_key, p.id LIMIT {limit} OFFSET {offset}"
    ))
    .bind(activity)
    .fetch_all(db.pool())
    .await?;
    let items = rows
        .into_iter()
        .map(|(person_id, first, last, group)| Attendee {
            person_id,
            name: format!("{last} {first}"),
            group,
        })
        .collect();
    Ok(Paged { items, total })
}

/// Records (`present`) or removes a person's attendance. `mark_held`
/// (`domain::activity::held_by_check_in`): someone was there on or after
/// the last day, so a planned activity has happened.
pub async fn set_attendance(
    db: &Db,
    who: i64,
    activity: i64,
    person: i64,
    present: bool,
    mark_held: bool,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    if present {
        let held = if mark_held {
            sqlx::query(
                "UPDATE activity SET status = 'held', updated_at = $2 WHERE id = $1 AND status = 'planned'",
            )
            .bind(activity)
            .bind(stamp(now))
            .execute(&mut *tx)
            .await?
            .rows_affected()
        } else {
            0
        };
        activities::insert_attendance_row(&mut tx, activity, person, now).await?;
        // Held now: everyone on its attendance begins to count.
        let people = match held {
            1 => activities::attendees_of(&mut tx, activity).await?,
            _ => vec![person],
        };
        activities::activity_changed(&mut tx, activity, &people, Days::new()).await?;
        if held == 1 {
            audit::record(
                &mut tx,
                &Entry::new(Some(who), "update", "activity", activity, &stamp(now))
                    .before(json!({ "status": ActivityStatus::Planned.code() }))
                    .after(json!({ "status": ActivityStatus::Held.code() })),
            )
            .await?;
        }
    } else {
        sqlx::query("DELETE FROM attendance WHERE activity_id = $1 AND person_id = $2")
            .bind(activity)
            .bind(person)
            .execute(&mut *tx)
            .await?;
        activities::activity_changed(&mut tx, activity, &[person], Days::new()).await?;
    }
    audit::record(
        &mut tx,
        &Entry::new(
            Some(who),
            if present { "create" } else { "delete" },
            "attendance",
            format!("{activity}/{person}"),
            &stamp(now),
        )
        .after(json!({ "activity_id": activity, "person_id": person, "present": present })),
    )
    .await?;
    super::bump_version(&mut tx, super::Topics::ACTIVITIES).await?;
    tx.commit().await?;
    Ok(())
}

/// A trip of the log.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TripRow {
    pub id: i64,
    #[sqlx(try_from = "Stored")]
    pub travelled_on: jiff::civil::Date,
    pub route: String,
    pub kilometres: i64,
}

pub async fn trips(db: &Db, scope: &Scope, limit: i64, offset: i64) -> Result<Paged<TripRow>> {
    let mut w = Where::default();
    w.scope(scope, None, None, Some("project_id"));
    let total = w.count(db, "trip").await?;
    let sql = format!(
        "SELECT id, travelled_on, route, kilometres FROM trip WHERE {} \
         ORDER BY travelled_on DESC, id DESC LIMIT {limit} OFFSET {offset}",
        w.sql()
    );
    let items = w.bind_as(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    Ok(Paged { items, total })
}

/// A trip and its project, if the trip exists.
pub async fn trip(db: &Db, id: i64) -> Result<Option<(TripRow, i64)>> {
    #[derive(sqlx::FromRow)]
    struct Found {
        #[sqlx(flatten)]
        trip: TripRow,
        project_id: i64,
    }
    let found: Option<Found> = sqlx::query_as(
        "SELECT id, travelled_on, route, kilometres, project_id FROM trip WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.map(|f| (f.trip, f.project_id)))
}

/// Adds (`id` = None), changes or (`trip` = None) deletes a trip.
pub async fn change_trip(
    db: &Db,
    who: i64,
    project: i64,
    id: Option<i64>,
    trip: Option<&records::Trip>,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let mut days = match id {
        Some(id) => summaries::trip_days(&mut tx, id).await?,
        None => summaries::Days::new(),
    };
    let (action, entity_id, after) = match (id, trip) {
        (None, Some(t)) => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO trip (project_id, travelled_on, route, kilometres, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .bind(project)
            .bind(&t.travelled_on)
            .bind(&t.route)
            .bind(t.kilometres)
            .bind(stamp(now))
            .fetch_one(&mut *tx)
            .await?;
            ("create", id, Some(t))
        }
        (Some(id), Some(t)) => {
            sqlx::query("UPDATE trip SET travelled_on = $2, route = $3, kilometres = $4, updated_at = $5 WHERE id = $1")
                .bind(id)
                .bind(&t.travelled_on)
                .bind(&t.route)
                .bind(t.kilometres)
                .bind(stamp(now))
                .execute(&mut *tx)
                .await?;
            ("update", id, Some(t))
        }
        (Some(id), None) => {
            sqlx::query("DELETE FROM trip WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            ("delete", id, None)
        }
        (None, None) => return Ok(()),
    };
    days.extend(summaries::trip_days(&mut tx, entity_id).await?);
    summaries::days_changed(&mut tx, &days).await?;
    let mut entry = Entry::new(Some(who), action, "trip", entity_id, &stamp(now));
    if let Some(t) = after {
        entry = entry.after(
            json!({ "travelled_on": t.travelled_on, "route": t.route, "kilometres": t.kilometres }),
        );
    }
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::ACTIVITIES).await?;
    tx.commit().await?;
    Ok(())
}
