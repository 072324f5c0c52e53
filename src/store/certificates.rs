//! Certificates of attendance: issued once per person and activity, only
//! for held activities, found by their code. Valid while the activity is
//! held and the holder is on its attendance.

use sqlx::Row;

use super::rows::Stored;
use super::{Db, Result, StoreError};
use crate::clock::stamp;
use crate::domain::activity::Gender;
use crate::domain::certificate::new_code;
use jiff::Timestamp;

/// A certificate and whom it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub code: String,
    pub activity_id: i64,
    pub person_id: i64,
    pub first_name: String,
    pub last_name: String,
    /// The self-reported gender.
    pub gender: Gender,
    pub issued_at: Timestamp,
    /// The holder is still on the attendance and the activity was held.
    pub valid: bool,
    /// The activity is recorded as held (a certificate of anything else
    /// is not valid, whoever is on the attendance).
    pub held: bool,
    /// The holder is on the activity's attendance.
    pub present: bool,
}

const SELECT: &str = "SELECT c.code, c.activity_id, c.person_id, p.first_name, p.last_name, \
     p.gender, c.issued_at, CASE WHEN EXISTS (SELECT 1 FROM attendance t \
     WHERE t.activity_id = c.activity_id AND t.person_id = c.person_id) THEN 1 ELSE 0 END AS present, \
     CASE WHEN a.status = 'held' THEN 1 ELSE 0 END AS held \
     FROM certificate c JOIN person p ON p.id = c.person_id JOIN activity a ON a.id = c.activity_id";

/// `Issued` as `SELECT` reads it: whether held and present as 1 or 0.
#[derive(sqlx::FromRow)]
struct IssuedRow {
    code: String,
    activity_id: i64,
    person_id: i64,
    first_name: String,
    last_name: String,
    gender: Gender,
    #[sqlx(try_from = "Stored")]
    issued_at: Timestamp,
    present: i64,
    held: i64,
}

impl From<IssuedRow> for Issued {
    fn from(r: IssuedRow) -> Issued {
        let (held, present) = (r.held == 1, r.present == 1);
        Issued {
            code: r.code,
            activity_id: r.activity_id,
            person_id: r.person_id,
            first_name: r.first_name,
            last_name: r.last_name,
            gender: r.gender,
            issued_at: r.issued_at,
            valid: held && present,
            held,
            present,
        }
    }
}

fn issued(r: &sqlx::any::AnyRow) -> Result<Issued> {
    Ok(<IssuedRow as sqlx::FromRow<_>>::from_row(r)?.into())
}

/// Issues certificates to the attendees of `activity` who have none yet,
/// if the activity was held (nothing otherwise).
async fn issue_missing(db: &Db, activity: i64, person: Option<i64>, now: Timestamp) -> Result<()> {
    let mut sql = "SELECT t.person_id FROM attendance t JOIN activity a \
         ON a.id = t.activity_id AND a.status = 'held' LEFT JOIN certificate c \
         ON c.activity_id = t.activity_id AND c.person_id = t.person_id \
         WHERE t.activity_id = $1 AND c.id IS NULL"
        .to_owned();
    if person.is_some() {
        sql.push_str(" AND t.person_id = $2");
    }
    let mut q = sqlx::query_scalar(&sql).bind(activity);
    if let Some(p) = person {
        q = q.bind(p);
    }
    let missing: Vec<i64> = q.fetch_all(db.pool()).await?;
    if missing.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    for p in missing {
        // Another instance may issue the same certificate at once; a clash
        // of random codes (50 bits) only costs another draw.
        for _ in 0..3 {
            let code = new_code().map_err(|_| StoreError::Random)?;
            let done = sqlx::query(
                "INSERT INTO certificate (code, activity_id, person_id, issued_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(&code)
            .bind(activity)
            .bind(p)
            .bind(stamp(now))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let exists: i64 = sqlx::query(
                "SELECT COUNT(*) FROM certificate WHERE activity_id = $1 AND person_id = $2",
            )
            .bind(activity)
            .bind(p)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            if done == 1 || exists == 1 {
                break;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Every attendee's certificate, issuing those missing, by name.
pub async fn issue_all(db: &Db, activity: i64, now: Timestamp) -> Result<Vec<Issued>> {
    issue_missing(db, activity, None, now).await?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE c.activity_id = $1 ORDER BY p.sort_key, p.id"
    ))
    .bind(activity)
    .fetch_all(db.pool())
    .await?;
    let all = rows.iter().map(issued).collect::<Result<Vec<_>>>()?;
    Ok(all.into_iter().filter(|c| c.valid).collect())
}

/// One attendee's certificate, issued if missing; `None` when the person
/// is not on the attendance.
pub async fn issue(db: &Db, activity: i64, person: i64, now: Timestamp) -> Result<Option<Issued>> {
    issue_missing(db, activity, Some(person), now).await?;
    let row = sqlx::query(&format!(
        "{SELECT} WHERE c.activity_id = $1 AND c.person_id = $2"
    ))
    .bind(activity)
    .bind(person)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| issued(&r)).transpose()?.filter(|c| c.valid))
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Issued>> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.code = $1"))
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| issued(&r)).transpose()
}

/// The activity and person of a registration's link, when the person
/// is on the attendance of the activity and it was held.
pub async fn attendee_of(db: &Db, token: &str) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT r.activity_id, r.person_id FROM registration r JOIN attendance t \
         ON t.activity_id = r.activity_id AND t.person_id = r.person_id \
         JOIN activity a ON a.id = r.activity_id AND a.status = 'held' WHERE r.token = $1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await?)
}
