//! The impact figures, computed from records in one statement.
//!
//! Definitions are in `domain::stats`: held activities inside the
//! project's period, recipients without the project's team.

use super::activities::TRAINING_KINDS_SQL;
use super::{Db, Result};
use crate::domain::stats::{hours_from_minutes, DateRange, Stats};

/// The figures as counted, time in minutes.
#[derive(sqlx::FromRow)]
struct Figures {
    recipients: i64,
    kilometres: i64,
    minutes: i64,
    trainings: i64,
    training_participants: i64,
    advisory_minutes: i64,
    local_governments: i64,
}

#[tracing::instrument(skip_all)]
pub async fn compute(db: &Db, project: i64, range: &DateRange) -> Result<Stats> {
    // Only held activities inside the project's period count: `b` is the
    // asked range cut to the period. All-time distinct counts come from
    // the maintained recipient table (which holds only attendance that
    // counts); a range has to look at the attendance inside it.
    let counted = |extra: &str| {
        format!(
            "(SELECT COUNT(DISTINCT person_id) FROM attendance \
              WHERE project_id = $1 AND counts = 1{extra} \
              AND attended_on BETWEEN (SELECT lo FROM b) AND (SELECT hi FROM b))"
        )
    };
    let (recipients, training_participants) = if range.is_open() {
        (
            "(SELECT COUNT(*) FROM recipient WHERE project_id = $1)".to_owned(),
            "(SELECT COUNT(first_training_on) FROM recipient WHERE project_id = $1)".to_owned(),
        )
    } else {
        (
            counted(""),
            counted(&format!(" AND activity_kind IN {TRAINING_KINDS_SQL}")),
        )
    };
    // A city with powiat rights counts once, whichever of its codes a
    // record names.
    let local_governments = if range.is_open() {
        format!(
            "(SELECT COUNT(DISTINCT {}) FROM local_work WHERE project_id = $1)",
            super::teryt::canonical_sql("local_government")
        )
    } else {
        format!(
            "(SELECT COUNT(DISTINCT {}) FROM local_work w JOIN activity a \
              ON a.local_work_id = w.id WHERE w.project_id = $1 AND a.starts_on BETWEEN $2 AND $3)",
            super::teryt::canonical_sql("w.local_government")
        )
    };
    let held = "project_id = $1 AND status = 'held' \
                AND starts_on BETWEEN (SELECT lo FROM b) AND (SELECT hi FROM b)";
    let sql = format!(
        "WITH b AS (SELECT CASE WHEN $2 > starts_on THEN $2 ELSE starts_on END AS lo, \
                           CASE WHEN $3 < ends_on THEN $3 ELSE ends_on END AS hi \
                    FROM project WHERE id = $1) \
         SELECT {recipients} AS recipients, {training_participants} AS training_participants, \
         (SELECT CAST(COALESCE(SUM(kilometres), 0) AS BIGINT) FROM trip \
            WHERE project_id = $1 AND travelled_on BETWEEN (SELECT lo FROM b) AND (SELECT hi FROM b) \
            AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.id = trip.activity_id AND a.status <> 'held')) \
            AS kilometres, \
         (SELECT CAST(COALESCE(SUM(duration_minutes), 0) AS BIGINT) FROM activity \
            WHERE {held} AND kind <> 'advisory') AS minutes, \
         (SELECT CAST(COALESCE(SUM(duration_minutes), 0) AS BIGINT) FROM activity \
            WHERE {held} AND kind = 'advisory') AS advisory_minutes, \
         (SELECT COUNT(*) FROM activity WHERE {held} AND kind IN {TRAINING_KINDS_SQL}) AS trainings, \
         {local_governments} AS local_governments"
    );
    let row: Figures = sqlx::query_as(&sql)
        .bind(project)
        .bind(range.from_key())
        .bind(range.to_key())
        .fetch_one(db.pool())
        .await?;
    Ok(Stats {
        recipients: row.recipients,
        kilometres: row.kilometres,
        hours: hours_from_minutes(row.minutes),
        trainings: row.trainings,
        training_participants: row.training_participants,
        advisory_hours: hours_from_minutes(row.advisory_minutes),
        local_governments: row.local_governments,
    })
}
