//! Feedback after an activity, and the thank-you e-mails that ask for it.
//! An answer is stored without any link to who gave it; the registration
//! only records that it answered, so each answers once.

use sqlx::Row;

use super::registrations::{link_columns_of, Registrant};
use super::{Db, Result};
use crate::domain::feedback::Feedback;

/// Registrations of people who were present at an activity that ended
/// before `today` and have not been thanked yet.
pub async fn due_thanks(db: &Db, today: jiff::civil::Date) -> Result<Vec<Registrant>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM registration r JOIN activity a ON a.id = r.activity_id \
         WHERE a.ends_on < $1 AND r.status = 'confirmed' AND r.thanked_at IS NULL \
         AND EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = r.activity_id AND t.person_id = r.person_id) \
         ORDER BY r.id LIMIT 500",
        link_columns_of("r")
    ))
    .bind(today.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// Whether the registration's person was present and has not answered.
pub async fn may_answer(db: &Db, registration: i64) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM registration r WHERE r.id = $1 AND r.feedback_at IS NULL \
         AND EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = r.activity_id AND t.person_id = r.person_id)",
    )
    .bind(registration)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get::<i64, _>(0)? == 1)
}

/// Stores an answer; false if this registration may not (or did) answer.
pub async fn give(
    db: &Db,
    registration: &Registrant,
    f: &Feedback,
    today: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE registration SET feedback_at = $2 WHERE id = $1 AND feedback_at IS NULL \
         AND EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = registration.activity_id \
         AND t.person_id = registration.person_id)",
    )
    .bind(registration.id)
    .bind(crate::clock::stamp(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if marked != 1 {
        tx.rollback().await?;
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO feedback (activity_id, usefulness, trainer, organisation, comment, given_on) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(registration.activity_id)
    .bind(f.usefulness)
    .bind(f.trainer)
    .bind(f.organisation)
    .bind(&f.comment)
    .bind(today.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The answers about an activity.
pub async fn for_activity(db: &Db, activity: i64) -> Result<Vec<Feedback>> {
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT usefulness, trainer, organisation, comment FROM feedback WHERE activity_id = $1 ORDER BY id",
    )
    .bind(activity)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(usefulness, trainer, organisation, comment)| Feedback {
            usefulness,
            trainer,
            organisation,
            comment,
        })
        .collect())
}

/// Feedback summed per trainer account: (name, activities with answers,
/// answers, sums of usefulness, trainer and organisation ratings), within
/// a scope of activities.
pub async fn per_trainer(
    db: &Db,
    scope: &crate::domain::access::Scope,
) -> Result<Vec<(String, i64, i64, [i64; 3])>> {
    let mut w = super::Where::default();
    w.raw("a.trainer_account_id IS NOT NULL");
    w.scope(
        scope,
        Some("a.local_government"),
        Some("a.trainer_account_id"),
        Some("a.project_id"),
    );
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = w
        .bind_as(sqlx::query_as(&format!(
            "SELECT c.name, COUNT(DISTINCT a.id) AS activities, COUNT(*) AS answers, \
             CAST(SUM(f.usefulness) AS BIGINT) AS u, CAST(SUM(f.trainer) AS BIGINT) AS t, \
             CAST(SUM(f.organisation) AS BIGINT) AS o \
             FROM feedback f JOIN activity a ON a.id = f.activity_id JOIN account c ON c.id = a.trainer_account_id \
             WHERE {} GROUP BY c.id, c.name, c.sort_key ORDER BY c.sort_key, c.id",
            w.sql()
        )))
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(name, activities, answers, u, t, o)| (name, activities, answers, [u, t, o]))
        .collect())
}
