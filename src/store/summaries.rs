//! The figures' summaries, kept in step with the records in the
//! transaction that changes them, and rebuilt whole after a bulk load.
//!
//! - `reach_point`, `reach_cell`: distinct people over any range
//!   (`domain::reach`), per facet; changed by `people_changed` for the
//!   people whose counted attendance may have changed, and by
//!   `local_governments_changed` for the JSTs whose local work's held
//!   activities may have.
//! - `daily_figure`: per day, the sums of `Measure`; changed by
//!   `days_changed` for the days whose activities, trips or attendance
//!   changed.
//!
//! Both are recomputed from the records for what changed, never adjusted
//! by hand, so a change cannot make them drift: what they hold is what a
//! recomputation gives (`tests/app/summaries.rs` compares the two).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use super::activities::{EVENT_KINDS_SQL, TRAINING_KINDS_SQL};
use super::{batch_query, id_list, values, Db, Engine, Result, Tx};
use crate::domain::activity::ActivityKind;
use crate::domain::reach::{self, Facet, Level, Point};

/// What `daily_figure` sums per day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Minutes of held activities other than advisory.
    Minutes,
    /// Minutes of held advisory sessions.
    AdvisoryMinutes,
    /// Held trainings and workshops.
    Trainings,
    /// Held seminars, debates and conferences.
    Events,
    /// Kilometres travelled, without trips to activities not held.
    Kilometres,
    /// Attendance that counts at trainings, at events.
    TrainingParticipations,
    EventParticipations,
}

impl Measure {
    pub fn code(self) -> &'static str {
        match self {
            Measure::Minutes => "minutes",
            Measure::AdvisoryMinutes => "advisory_minutes",
            Measure::Trainings => "trainings",
            Measure::Events => "events",
            Measure::Kilometres => "kilometres",
            Measure::TrainingParticipations => "training_participations",
            Measure::EventParticipations => "event_participations",
        }
    }
}

/// The kinds of activity a facet counts, as an SQL condition over
/// `attendance` (empty: every kind).
fn facet_kinds(facet: Facet) -> String {
    match facet {
        Facet::People | Facet::LocalGovernment => String::new(),
        Facet::Training => format!(" AND activity_kind IN {TRAINING_KINDS_SQL}"),
        Facet::Event => format!(" AND activity_kind IN {EVENT_KINDS_SQL}"),
    }
}

/// Every measure of the days a condition over a column `day` selects, as
/// `SELECT project_id, measure, day, n` rows.
fn measures_sql(days: &str) -> String {
    let on = |column: &str| days.replace("{day}", column);
    let (training, events) = (TRAINING_KINDS_SQL, EVENT_KINDS_SQL);
    let held = |kinds: &str, value: &str, measure: Measure| {
        format!(
            "SELECT project_id, '{}', starts_on, CAST(COALESCE({value}, 0) AS BIGINT) FROM activity \
             WHERE status = 'held' AND {kinds} AND {} GROUP BY project_id, starts_on",
            measure.code(),
            on("starts_on")
        )
    };
    let attended = |kinds: &str, measure: Measure| {
        format!(
            "SELECT project_id, '{}', attended_on, COUNT(*) FROM attendance \
             WHERE counts = 1 AND activity_kind IN {kinds} AND {} GROUP BY project_id, attended_on",
            measure.code(),
            on("attended_on")
        )
    };
    [
        held("kind <> 'advisory'", "SUM(duration_minutes)", Measure::Minutes),
        held("kind = 'advisory'", "SUM(duration_minutes)", Measure::AdvisoryMinutes),
        held(&format!("kind IN {training}"), "COUNT(*)", Measure::Trainings),
        held(&format!("kind IN {events}"), "COUNT(*)", Measure::Events),
        format!(
            "SELECT project_id, '{}', travelled_on, CAST(COALESCE(SUM(kilometres), 0) AS BIGINT) FROM trip \
             WHERE {} AND NOT EXISTS (SELECT 1 FROM activity a WHERE a.id = trip.activity_id \
             AND a.status <> 'held') GROUP BY project_id, travelled_on",
            Measure::Kilometres.code(),
            on("travelled_on")
        ),
        attended(training, Measure::TrainingParticipations),
        attended(events, Measure::EventParticipations),
    ]
    .join(" UNION ALL ")
}

/// Days of projects whose measures a change touched: `(project, day)`.
pub(super) type Days = BTreeSet<(i64, Date)>;

/// The days an activity's measures live on: its first day, and the days
/// of the trips to it.
pub(super) async fn activity_days(tx: &mut Tx, activity: i64) -> Result<Days> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT project_id, starts_on FROM activity WHERE id = $1 \
         UNION SELECT project_id, travelled_on FROM trip WHERE activity_id = $1",
    )
    .bind(activity)
    .fetch_all(&mut **tx)
    .await?;
    read_days(rows)
}

/// The day of a trip, if it exists.
pub(super) async fn trip_days(tx: &mut Tx, trip: i64) -> Result<Days> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT project_id, travelled_on FROM trip WHERE id = $1")
            .bind(trip)
            .fetch_all(&mut **tx)
            .await?;
    read_days(rows)
}

/// The days `people` attended anything on: where their participations
/// are counted.
pub(super) async fn people_days(tx: &mut Tx, people: &[i64]) -> Result<Days> {
    let mut days = Days::new();
    for chunk in people.chunks(500) {
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT DISTINCT project_id, attended_on FROM attendance WHERE person_id IN ({})",
            id_list(chunk)
        ))
        .fetch_all(&mut **tx)
        .await?;
        days.extend(read_days(rows)?);
    }
    Ok(days)
}

fn read_days(rows: Vec<(i64, String)>) -> Result<Days> {
    rows.into_iter()
        .map(|(project, day)| Ok((project, super::rows::read_date(&day)?)))
        .collect()
}

/// Recomputes every measure of `days` from the records.
pub(super) async fn days_changed(tx: &mut Tx, days: &Days) -> Result<()> {
    let mut by_project: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (project, day) in days {
        by_project
            .entry(*project)
            .or_default()
            .push(day.to_string());
    }
    for (project, days) in by_project {
        for chunk in days.chunks(200) {
            // Dates are the program's own (`Date` written back as text).
            let list = chunk
                .iter()
                .map(|d| format!("'{d}'"))
                .collect::<Vec<_>>()
                .join(", ");
            sqlx::query(&format!(
                "DELETE FROM daily_figure WHERE project_id = $1 AND day IN ({list})"
            ))
            .bind(project)
            .execute(&mut **tx)
            .await?;
            let rows = measures_sql(&format!("project_id = $1 AND {{day}} IN ({list})"));
            sqlx::query(&format!(
                "INSERT INTO daily_figure (project_id, measure, day, n) {rows}"
            ))
            .bind(project)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Reach points per (project, subject), as stored or as computed.
type Points = BTreeMap<(i64, i64), Vec<Point>>;

/// Brings the reach of `people` (in every project) in step with their
/// attendance that counts. The days' measures are the caller's
/// (`days_changed`): a change of participations need not change a point.
pub(super) async fn people_changed(tx: &mut Tx, people: &[i64]) -> Result<()> {
    for chunk in people.chunks(500) {
        let ids = id_list(chunk);
        let mut stored = stored_points(tx, &Facet::ATTENDED, &ids).await?;
        let attended = attended_days(tx, &ids).await?;
        for facet in Facet::ATTENDED {
            let old = stored.remove(&facet).unwrap_or_default();
            points_changed(tx, facet, old, counted_points(&attended, facet)).await?;
        }
    }
    Ok(())
}

/// Writes what changed between the stored points of some subjects (`old`)
/// and their points now (`new`), in one facet: the points of each subject
/// that changed, and the cells they are counted in.
async fn points_changed(tx: &mut Tx, facet: Facet, old: Points, new: Points) -> Result<()> {
    let mut cells: HashMap<(i64, Level, String, String), i64> = HashMap::new();
    let mut changed = Vec::new();
    let subjects: BTreeSet<&(i64, i64)> = old.keys().chain(new.keys()).collect();
    for key in subjects {
        let (before, after) = (old.get(key), new.get(key));
        if before == after {
            continue;
        }
        changed.push(*key);
        for (points, sign) in [(before, -1), (after, 1)] {
            for p in points.into_iter().flatten() {
                for (level, d, pk) in p.cells() {
                    *cells.entry((key.0, level, d, pk)).or_default() += sign;
                }
            }
        }
    }
    let engine = tx.engine();
    write_points(tx, engine, facet, &changed, &new).await?;
    write_cells(tx, engine, facet, cells).await
}

/// The subject a JST is in `Facet::LocalGovernment`, as SQL over
/// `local_work w`: its code as recorded (`teryt::canonical_sql`) under a
/// leading 1, as a number (codes may begin with 0).
fn jst_subject_sql() -> String {
    format!(
        "CAST('1' || {} AS BIGINT)",
        super::teryt::canonical_sql("w.local_government")
    )
}

/// The local governments whose reach an activity counts in: the JST of
/// its local work, if it has one. An activity's local work is set when
/// it is made and does not change.
pub(super) async fn activity_local_governments(tx: &mut Tx, activity: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT {} FROM activity a JOIN local_work w ON w.id = a.local_work_id WHERE a.id = $1",
        jst_subject_sql()
    ))
    .bind(activity)
    .fetch_all(&mut **tx)
    .await?)
}

/// Brings the reach of local governments (`jst_subject_sql`) in step with
/// the held activities of their local work, in every project.
pub(super) async fn local_governments_changed(tx: &mut Tx, subjects: &[i64]) -> Result<()> {
    if subjects.is_empty() {
        return Ok(());
    }
    let ids = id_list(subjects);
    let old = stored_points(tx, &[Facet::LocalGovernment], &ids)
        .await?
        .remove(&Facet::LocalGovernment)
        .unwrap_or_default();
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT DISTINCT a.project_id, {subject}, a.starts_on FROM local_work w \
         JOIN activity a ON a.local_work_id = w.id WHERE a.status = 'held' AND {subject} IN ({ids})",
        subject = jst_subject_sql()
    ))
    .fetch_all(&mut **tx)
    .await?;
    let mut days: BTreeMap<(i64, i64), Vec<Date>> = BTreeMap::new();
    for (project, subject, day) in rows {
        days.entry((project, subject))
            .or_default()
            .push(super::rows::read_date(&day)?);
    }
    let new = days
        .into_iter()
        .map(|(k, d)| (k, reach::points(&d)))
        .collect();
    points_changed(tx, Facet::LocalGovernment, old, new).await
}

/// The stored points of the subjects `ids` (an id list) in `facets`.
async fn stored_points(tx: &mut Tx, facets: &[Facet], ids: &str) -> Result<HashMap<Facet, Points>> {
    let rows: Vec<(String, i64, i64, String, String)> = sqlx::query_as(&format!(
        "SELECT facet, project_id, subject, day, prev FROM reach_point \
         WHERE facet IN ({}) AND subject IN ({ids}) ORDER BY project_id, subject, day",
        facets
            .iter()
            .map(|f| format!("'{}'", f.code()))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .fetch_all(&mut **tx)
    .await?;
    let mut points: HashMap<Facet, Points> = HashMap::new();
    for (facet, project, subject, day, prev) in rows {
        let Some(facet) = facets.iter().copied().find(|f| f.code() == facet) else {
            continue;
        };
        let point = Point {
            day: super::rows::read_date(&day)?,
            prev: if prev.is_empty() {
                None
            } else {
                Some(super::rows::read_date(&prev)?)
            },
        };
        points
            .entry(facet)
            .or_default()
            .entry((project, subject))
            .or_default()
            .push(point);
    }
    Ok(points)
}

/// The days on which the people `ids` attended something that counts,
/// with its kind: `(project, person, day, kind)`.
async fn attended_days(tx: &mut Tx, ids: &str) -> Result<Vec<(i64, i64, Date, ActivityKind)>> {
    let rows: Vec<(i64, i64, String, ActivityKind)> = sqlx::query_as(&format!(
        "SELECT DISTINCT project_id, person_id, attended_on, activity_kind FROM attendance \
         WHERE counts = 1 AND person_id IN ({ids})"
    ))
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter()
        .map(|(project, person, day, kind)| {
            Ok((project, person, super::rows::read_date(&day)?, kind))
        })
        .collect()
}

/// The points a facet has from the days attended (`domain::reach::points`).
fn counted_points(attended: &[(i64, i64, Date, ActivityKind)], facet: Facet) -> Points {
    let mut days: BTreeMap<(i64, i64), Vec<Date>> = BTreeMap::new();
    for (project, person, day, kind) in attended {
        if facet.includes(*kind) {
            days.entry((*project, *person)).or_default().push(*day);
        }
    }
    days.into_iter()
        .map(|(k, d)| (k, reach::points(&d)))
        .collect()
}

async fn write_points(
    tx: &mut Tx,
    engine: Engine,
    facet: Facet,
    changed: &[(i64, i64)],
    new: &Points,
) -> Result<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let subjects: BTreeSet<i64> = changed.iter().map(|k| k.1).collect();
    let subjects: Vec<i64> = subjects.into_iter().collect();
    sqlx::query(&format!(
        "DELETE FROM reach_point WHERE facet = $1 AND subject IN ({})",
        id_list(&subjects)
    ))
    .bind(facet.code())
    .execute(&mut **tx)
    .await?;
    // Every point of a subject that changed, in every project.
    let rows: Vec<(i64, i64, &Point)> = new
        .iter()
        .filter(|((_, s), _)| subjects.binary_search(s).is_ok())
        .flat_map(|((pr, s), ps)| ps.iter().map(move |p| (*pr, *s, p)))
        .collect();
    for chunk in rows.chunks(1_000) {
        let sql = format!(
            "INSERT INTO reach_point (facet, subject, project_id, day, prev) VALUES {}",
            values(engine, chunk.len(), 5)
        );
        let mut q = batch_query(&sql);
        for (project, subject, p) in chunk {
            q = q
                .bind(facet.code())
                .bind(*subject)
                .bind(*project)
                .bind(p.day_key())
                .bind(p.prev_key());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn write_cells(
    tx: &mut Tx,
    engine: Engine,
    facet: Facet,
    cells: HashMap<(i64, Level, String, String), i64>,
) -> Result<()> {
    let cells: Vec<_> = cells.into_iter().filter(|(_, n)| *n != 0).collect();
    for chunk in cells.chunks(1_000) {
        let sql = format!(
            "INSERT INTO reach_cell (project_id, facet, level, d, p, n) VALUES {} \
             ON CONFLICT (project_id, facet, level, d, p) DO UPDATE SET n = reach_cell.n + excluded.n",
            values(engine, chunk.len(), 6)
        );
        let mut q = batch_query(&sql);
        for ((project, level, d, p), n) in chunk {
            q = q
                .bind(*project)
                .bind(facet.code())
                .bind(level.code())
                .bind(d.as_str())
                .bind(p.as_str())
                .bind(*n);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Rebuilds the summaries of `project` from its records: after a bulk
/// load, and once for databases from before them (`fill`). The same
/// definitions as `domain::reach::points` and `Point::cells`, in SQL.
pub(super) async fn rebuild(tx: &mut Tx, project: i64) -> Result<()> {
    if tx.engine() == Engine::Postgres {
        // A whole project's records may take longer than a request's
        // statements are allowed to (`PoolSettings::statement_timeout`).
        sqlx::query("SET LOCAL statement_timeout = 0")
            .execute(&mut **tx)
            .await?;
    }
    for table in ["reach_point", "reach_cell", "daily_figure"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
            .bind(project)
            .execute(&mut **tx)
            .await?;
    }
    for facet in Facet::ATTENDED {
        sqlx::query(&format!(
            "INSERT INTO reach_point (facet, subject, project_id, day, prev) \
             SELECT $2, person_id, project_id, attended_on, \
             COALESCE(LAG(attended_on) OVER (PARTITION BY person_id ORDER BY attended_on), '') \
             FROM (SELECT DISTINCT project_id, person_id, attended_on FROM attendance \
                   WHERE project_id = $1 AND counts = 1{}) t",
            facet_kinds(facet)
        ))
        .bind(project)
        .bind(facet.code())
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(&format!(
        "INSERT INTO reach_point (facet, subject, project_id, day, prev) \
         SELECT $2, subject, project_id, starts_on, \
         COALESCE(LAG(starts_on) OVER (PARTITION BY subject ORDER BY starts_on), '') \
         FROM (SELECT DISTINCT a.project_id, {} AS subject, a.starts_on FROM local_work w \
               JOIN activity a ON a.local_work_id = w.id \
               WHERE a.project_id = $1 AND a.status = 'held') t",
        jst_subject_sql()
    ))
    .bind(project)
    .bind(Facet::LocalGovernment.code())
    .execute(&mut **tx)
    .await?;
    let grain = |level: Level, d: &str, p: &str| {
        format!(
            "SELECT project_id, facet, '{}', {d}, {p}, COUNT(*) FROM reach_point \
             WHERE project_id = $1 GROUP BY project_id, facet, {d}, {p}",
            level.code()
        )
    };
    let (month, prev_month) = ("SUBSTR(day, 1, 7)", "SUBSTR(prev, 1, 7)");
    sqlx::query(&format!(
        "INSERT INTO reach_cell (project_id, facet, level, d, p, n) {} UNION ALL {} UNION ALL {}",
        grain(Level::MonthMonth, month, prev_month),
        grain(Level::PrevMonth, "prev", month),
        grain(Level::DayMonth, "day", prev_month),
    ))
    .bind(project)
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO daily_figure (project_id, measure, day, n) {}",
        measures_sql("project_id = $1")
    ))
    .bind(project)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Fills the summaries of every project once, for a database whose
/// records predate them; one instance does it, the others find it done.
pub(super) async fn fill(db: &Db) -> Result<()> {
    let built: i64 = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'summaries_built'")
        .fetch_one(db.pool())
        .await?;
    if built == 1 {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    let claimed =
        sqlx::query("UPDATE meta SET value = 1 WHERE key = 'summaries_built' AND value = 0")
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if claimed == 1 {
        let projects: Vec<i64> = sqlx::query_scalar("SELECT id FROM project ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
        for project in projects {
            rebuild(&mut tx, project).await?;
        }
    }
    tx.commit().await
}
