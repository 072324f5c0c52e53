//! The impact figures, computed from records in one statement.
//!
//! Definitions are in `domain::stats`. Attendance carries its activity's
//! date and kind, so the distinct counts read one covering index.

use super::{int, Db, Result};
use crate::domain::activity::TRAINING_KINDS_SQL;
use crate::domain::stats::{hours_from_minutes, DateRange, Stats};

#[tracing::instrument(skip_all)]
pub async fn compute(db: &Db, project: i64, range: &DateRange) -> Result<Stats> {
    // All-time distinct counts come from the maintained recipient table;
    // a range has to look at the attendance inside it.
    let (recipients, training_participants) = if range.is_open() {
        (
            "(SELECT COUNT(*) FROM recipient WHERE project_id = $1)".to_owned(),
            "(SELECT COUNT(first_training_on) FROM recipient WHERE project_id = $1)".to_owned(),
        )
    } else {
        (
            "(SELECT COUNT(DISTINCT person_id) FROM attendance \
              WHERE project_id = $1 AND attended_on BETWEEN $2 AND $3)"
                .to_owned(),
            format!(
                "(SELECT COUNT(DISTINCT person_id) FROM attendance \
                  WHERE project_id = $1 AND activity_kind IN {TRAINING_KINDS_SQL} \
                  AND attended_on BETWEEN $2 AND $3)"
            ),
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
    let sql = format!(
        "SELECT {recipients} AS recipients, {training_participants} AS training_participants, \
         (SELECT CAST(COALESCE(SUM(kilometres), 0) AS BIGINT) FROM trip \
            WHERE project_id = $1 AND travelled_on BETWEEN $2 AND $3) AS kilometres, \
         (SELECT CAST(COALESCE(SUM(duration_minutes), 0) AS BIGINT) FROM activity \
            WHERE project_id = $1 AND kind <> 'advisory' AND starts_on BETWEEN $2 AND $3) AS minutes, \
         (SELECT CAST(COALESCE(SUM(duration_minutes), 0) AS BIGINT) FROM activity \
            WHERE project_id = $1 AND kind = 'advisory' AND starts_on BETWEEN $2 AND $3) AS advisory_minutes, \
         (SELECT COUNT(*) FROM activity WHERE project_id = $1 AND kind IN {TRAINING_KINDS_SQL} \
            AND starts_on BETWEEN $2 AND $3) AS trainings, \
         {local_governments} AS local_governments"
    );
    let row = sqlx::query(&sql)
        .bind(project)
        .bind(range.from_key())
        .bind(range.to_key())
        .fetch_one(db.pool())
        .await?;
    Ok(Stats {
        recipients: int(&row, "recipients")?,
        kilometres: int(&row, "kilometres")?,
        hours: hours_from_minutes(int(&row, "minutes")?),
        trainings: int(&row, "trainings")?,
        training_participants: int(&row, "training_participants")?,
        advisory_hours: hours_from_minutes(int(&row, "advisory_minutes")?),
        local_governments: int(&row, "local_governments")?,
    })
}
