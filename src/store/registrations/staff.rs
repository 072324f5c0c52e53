//! The staff side of registrations: an activity's list, moves between
//! the lists, adding by hand, the person record made at check-in, the
//! attendance sheet's names.

use super::*;
use crate::domain::records::AffiliationRole;

/// A registration as staff see it.
#[derive(Clone, Debug)]
pub struct ListedRegistration {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub affiliation: String,
    pub role: AffiliationRole,
    pub status: Status,
    /// Accessibility needs (special-category data).
    pub needs: Option<String>,
    pub created_at: jiff::Timestamp,
    /// Checked in: the person is on the activity's attendance.
    pub present: bool,
}

/// `ListedRegistration` as read: whether checked in as 1 or 0.
#[derive(sqlx::FromRow)]
struct ListedRow {
    id: i64,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    affiliation: String,
    role: AffiliationRole,
    status: Status,
    needs: Option<String>,
    #[sqlx(try_from = "crate::store::rows::Stored")]
    created_at: jiff::Timestamp,
    present: i64,
}

impl From<ListedRow> for ListedRegistration {
    fn from(r: ListedRow) -> ListedRegistration {
        ListedRegistration {
            id: r.id,
            first_name: r.first_name,
            last_name: r.last_name,
            email: r.email,
            phone: r.phone,
            affiliation: r.affiliation,
            role: r.role,
            status: r.status,
            needs: r.needs,
            created_at: r.created_at,
            present: r.present == 1,
        }
    }
}

/// An activity's registrations, those with places first, then the
/// waitlist in its order, then the rest.
pub async fn list(
    db: &Db,
    activity: i64,
    status: Option<Status>,
    limit: i64,
    offset: i64,
) -> Result<crate::store::Paged<ListedRegistration>> {
    let filter = match status {
        Some(s) => format!("r.activity_id = $1 AND r.status = '{}'", s.code()),
        None => "r.activity_id = $1".to_owned(),
    };
    let total: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) FROM registration r WHERE {filter}"
    ))
    .bind(activity)
    .fetch_one(db.pool())
    .await?
    .try_get(0)?;
    let rows: Vec<ListedRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.first_name, r.last_name, r.email, r.phone, r.affiliation, r.role, r.status, \
         n.needs, r.created_at, \
         CASE WHEN EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = r.activity_id \
         AND t.person_id = r.person_id) THEN 1 ELSE 0 END AS present FROM registration r \
         LEFT JOIN registration_need n ON n.registration_id = r.id WHERE {filter} \
         ORDER BY CASE r.status WHEN 'confirmed' THEN 0 WHEN 'waitlisted' THEN 1 WHEN 'pending' THEN 2 ELSE 3 END, \
         r.placed_at, r.id LIMIT {limit} OFFSET {offset}"
    ))
    .bind(activity)
    .fetch_all(db.pool())
    .await?;
    let items = rows.into_iter().map(ListedRegistration::from).collect();
    Ok(crate::store::Paged { items, total })
}

/// Staff move a registration of `activity` to the participants, the
/// waitlist, or cancel it; false if there is no such registration.
pub async fn set_by_staff(
    db: &Db,
    who: i64,
    activity: i64,
    id: i64,
    status: Status,
    now: jiff::Timestamp,
) -> Result<bool> {
    let now = &crate::clock::stamp(now);
    let mut tx = db.begin_write().await?;
    lock_activity(db, &mut tx, activity).await?;
    let before = sqlx::query("SELECT status FROM registration WHERE id = $1 AND activity_id = $2")
        .bind(id)
        .bind(activity)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(before) = before else {
        tx.rollback().await?;
        return Ok(false);
    };
    let before: String = before.try_get(0)?;
    set_status(&mut tx, id, status, now).await?;
    crate::store::audit::record(
        &mut tx,
        &crate::store::audit::Entry::new(Some(who), "update", "registration", id, now)
            .before(serde_json::json!({ "activity_id": activity, "status": before }))
            .after(serde_json::json!({ "activity_id": activity, "status": status.code() })),
    )
    .await?;
    crate::store::bump_counts(&mut tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// A registration staff add by hand: to which list, its token and the
/// consent as recorded.
pub struct ByHand<'a> {
    pub registration: &'a Registration,
    pub status: Status,
    pub token: &'a str,
    pub consent: &'a str,
}

/// Staff add a person straight to a list (a phone call, a paper form):
/// no confirmation e-mail; the consent is recorded as given to staff.
pub async fn add_by_staff(
    db: &Db,
    who: i64,
    activity: i64,
    by_hand: ByHand<'_>,
    now: jiff::Timestamp,
) -> Result<Created> {
    let now = &crate::clock::stamp(now);
    let ByHand {
        registration: r,
        status,
        token,
        consent,
    } = by_hand;
    let mut tx = db.begin_write().await?;
    lock_activity(db, &mut tx, activity).await?;
    if let Some(existing) = live_status(&mut *tx, activity, &r.email).await? {
        tx.rollback().await?;
        return Ok(Created::Duplicate(existing));
    }
    // A registration sent through the form at this moment is not held off
    // by the lock: the unique index decides, as it does for the form.
    let row = sqlx::query(
        "INSERT INTO registration (activity_id, first_name, last_name, email, phone, affiliation, role, gender, \
         status, token, consent_version, consent_at, placed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12, $12) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(activity)
    .bind(&r.first_name)
    .bind(&r.last_name)
    .bind(&r.email)
    .bind(&r.phone)
    .bind(&r.affiliation)
    .bind(r.role.code())
    .bind(r.gender.code())
    .bind(status.code())
    .bind(token)
    .bind(consent)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        tx.rollback().await?;
        let existing = live_status(db.pool(), activity, &r.email).await?;
        return Ok(Created::Duplicate(existing.unwrap_or(Status::Pending)));
    };
    let id: i64 = row.try_get(0)?;
    if let Some(needs) = &r.needs {
        sqlx::query("INSERT INTO registration_need (registration_id, needs) VALUES ($1, $2)")
            .bind(id)
            .bind(needs)
            .execute(&mut *tx)
            .await?;
    }
    crate::store::audit::record(
        &mut tx,
        &crate::store::audit::Entry::new(Some(who), "create", "registration", id, now)
            .after(serde_json::json!({ "activity_id": activity, "status": status.code() })),
    )
    .await?;
    crate::store::bump_counts(&mut tx).await?;
    tx.commit().await?;
    Ok(Created::Added(id))
}

/// A confirmed registration as its person record is made from it; an
/// unknown role is an error.
#[derive(sqlx::FromRow)]
struct Attendee {
    person_id: Option<i64>,
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
    role: AffiliationRole,
    gender: String,
    organisation_id: Option<i64>,
    local_government: Option<String>,
}

/// The person record of a registration: linked before, found by e-mail, or
/// made from the registration (at check-in, when they come).
pub async fn person_of(
    db: &Db,
    activity: i64,
    id: i64,
    now: jiff::Timestamp,
) -> Result<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let row: Option<Attendee> = sqlx::query_as(
        "SELECT person_id, first_name, last_name, email, phone, role, gender, organisation_id, local_government \
         FROM registration WHERE id = $1 AND activity_id = $2 AND status = 'confirmed'",
    )
    .bind(id)
    .bind(activity)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(r) = row else {
        tx.rollback().await?;
        return Ok(None);
    };
    if let Some(person) = r.person_id {
        tx.rollback().await?;
        return Ok(Some(person));
    }
    let email = r.email;
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM person WHERE email = $1 ORDER BY id LIMIT 1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
    let person: i64 = match found {
        Some(p) => p,
        None => {
            let role = r.role;
            let (first, last) = (r.first_name, r.last_name);
            sqlx::query_scalar(
                "INSERT INTO person (first_name, last_name, email, phone, gender, person_group, organisation_id, \
                 local_government, search_key, created_at, updated_at, sort_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
            )
            .bind(&first)
            .bind(&last)
            .bind(&email)
            .bind(r.phone)
            .bind(r.gender)
            .bind(crate::domain::registration::group_of(role).code())
            .bind(r.organisation_id)
            .bind(r.local_government)
            .bind(crate::store::activities::person_key(&first, &last, Some(&email)))
            .bind(crate::clock::stamp(now))
            .bind(crate::store::activities::person_sort_key(&first, &last))
            .fetch_one(&mut *tx)
            .await?
        }
    };
    sqlx::query("UPDATE registration SET person_id = $2 WHERE id = $1")
        .bind(id)
        .bind(person)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(person))
}

/// The confirmed registrations of an activity (ids), for checking all in.
pub async fn confirmed_ids(db: &Db, activity: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM registration WHERE activity_id = $1 AND status = 'confirmed' ORDER BY id",
    )
    .bind(activity)
    .fetch_all(db.pool())
    .await?)
}

/// The names for an activity's attendance sheet: people with a place, and
/// people on the attendance who did not register (added by staff), as
/// (last name, first name, organisation or office).
pub async fn sheet_rows(db: &Db, activity: i64) -> Result<Vec<(String, String, String)>> {
    let mut out: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT r.last_name, r.first_name, r.affiliation FROM registration r \
         WHERE r.activity_id = $1 AND r.status = 'confirmed' \
         UNION ALL \
         SELECT p.last_name, p.first_name, COALESCE(o.name, '') AS affiliation FROM attendance t \
         JOIN person p ON p.id = t.person_id LEFT JOIN organisation o ON o.id = p.organisation_id \
         WHERE t.activity_id = $1 AND NOT EXISTS (SELECT 1 FROM registration r \
         WHERE r.activity_id = t.activity_id AND r.person_id = t.person_id AND r.status = 'confirmed')",
    )
    .bind(activity)
    .fetch_all(db.pool())
    .await?;
    out.sort_by_cached_key(|(last, first, _)| {
        crate::store::activities::person_sort_key(first, last)
    });
    Ok(out)
}
