//! The impact figures, read from the summaries (`store::summaries`).
//!
//! Definitions are in `domain::stats`: held activities inside the
//! project's period, recipients without the project's team. What a range
//! reads is bounded by its length in months and days: distinct people
//! through `domain::reach::Plan`, sums from one row per day and measure.

use jiff::civil::Date;

use super::programme::Project;
use super::summaries::Measure;
use super::{Db, Result};
use crate::domain::reach::{Facet, Plan};
use crate::domain::stats::{hours_from_minutes, DateRange, Stats};

#[tracing::instrument(skip_all)]
pub async fn compute(db: &Db, project: &Project, range: &DateRange) -> Result<Stats> {
    let lo = range
        .from
        .map_or(project.starts_on, |f| f.max(project.starts_on));
    let hi = range.to.map_or(project.ends_on, |t| t.min(project.ends_on));
    let Some(plan) = Plan::new(lo, hi) else {
        // Nothing of the range is inside the project's period.
        return Ok(Stats {
            local_governments: local_governments(db, project.id, range, None).await?,
            ..Stats::default()
        });
    };
    // Four reads of their own, on connections of their own at once: a
    // new range waits for the longest, not for their sum.
    let (sums, recipients, training_participants, local_governments) = tokio::try_join!(
        sums(db, project.id, lo, hi),
        reach(db, project.id, Facet::People, &plan),
        reach(db, project.id, Facet::Training, &plan),
        local_governments(db, project.id, range, Some(&plan)),
    )?;
    Ok(Stats {
        recipients,
        kilometres: sums.of(Measure::Kilometres),
        hours: hours_from_minutes(sums.of(Measure::Minutes)),
        trainings: sums.of(Measure::Trainings),
        training_participants,
        advisory_hours: hours_from_minutes(sums.of(Measure::AdvisoryMinutes)),
        local_governments,
    })
}

/// The measures of `daily_figure` summed over a range of days.
pub(super) struct Sums(Vec<(String, i64)>);

impl Sums {
    pub(super) fn of(&self, measure: Measure) -> i64 {
        self.0
            .iter()
            .find(|(code, _)| code == measure.code())
            .map_or(0, |(_, n)| *n)
    }
}

/// Every measure of `daily_figure` summed over the days `[lo, hi]`.
pub(super) async fn sums(db: &Db, project: i64, lo: Date, hi: Date) -> Result<Sums> {
    Ok(Sums(
        sqlx::query_as(
            "SELECT measure, CAST(SUM(n) AS BIGINT) FROM daily_figure \
             WHERE project_id = $1 AND day BETWEEN $2 AND $3 GROUP BY measure",
        )
        .bind(project)
        .bind(lo.to_string())
        .bind(hi.to_string())
        .fetch_all(db.pool())
        .await?,
    ))
}

/// The distinct subjects of a facet over the plan's range: the reads of
/// `domain::reach::Plan` (its `selects` and `selects_point`) in SQL, each
/// through the primary key or `reach_point_prev` narrowed on its first
/// column to the months or days the plan names.
pub(super) async fn reach(db: &Db, project: i64, facet: Facet, plan: &Plan) -> Result<i64> {
    let cells = |level: &str, cond: &str| {
        format!(
            "(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM reach_cell \
             WHERE project_id = $1 AND facet = $2 AND level = '{level}' AND {cond})"
        )
    };
    // Edges are bound as $5-$6 and $7-$8; the second is the first again
    // for a range inside one month, whose points are counted once.
    let mut parts = vec![
        cells("mm", "d > $3 AND d < $4 AND p < $3"),
        cells("pm", "d >= $9 AND d < $10 AND p > $3 AND p < $4"),
        cells(
            "dm",
            "(d BETWEEN $5 AND $6 OR d BETWEEN $7 AND $8) AND p < $3",
        ),
    ];
    // Days are the program's own (`Plan::prev_days`), written as text.
    let prev: Vec<String> = plan.prev_days().iter().map(|d| format!("'{d}'")).collect();
    if !prev.is_empty() {
        for (from, to) in [("$5", "$6"), ("$7", "$8")].iter().take(plan.edges.len()) {
            parts.push(format!(
                "(SELECT COUNT(*) FROM reach_point WHERE project_id = $1 AND facet = $2 \
                 AND prev IN ({}) AND day BETWEEN {from} AND {to})",
                prev.join(", ")
            ));
        }
    }
    let last = plan.edges.last().unwrap_or(&plan.edges[0]);
    Ok(sqlx::query_scalar(&format!("SELECT {}", parts.join(" + ")))
        .bind(project)
        .bind(facet.code())
        .bind(&plan.first_month)
        .bind(&plan.last_month)
        .bind(&plan.edges[0].from)
        .bind(&plan.edges[0].to)
        .bind(&last.from)
        .bind(&last.to)
        .bind(&plan.month_start)
        .bind(&plan.lo)
        .fetch_one(db.pool())
        .await?)
}

/// Distinct local governments with local cooperation work: all of them
/// for the open range; for a range, those where an activity of the work
/// was held in it (`plan`, cut to the period; `None`: nothing is), from
/// the summaries (`Facet::LocalGovernment`). A city with powiat rights
/// counts once, whichever of its codes a record names.
async fn local_governments(
    db: &Db,
    project: i64,
    range: &DateRange,
    plan: Option<&Plan>,
) -> Result<i64> {
    if range.is_open() {
        let jst = super::teryt::canonical_sql("w.local_government");
        return Ok(sqlx::query_scalar(&format!(
            "SELECT COUNT(DISTINCT {jst}) FROM local_work w WHERE w.project_id = $1"
        ))
        .bind(project)
        .fetch_one(db.pool())
        .await?);
    }
    match plan {
        Some(plan) => reach(db, project, Facet::LocalGovernment, plan).await,
        None => Ok(0),
    }
}
