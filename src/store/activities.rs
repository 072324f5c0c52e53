//! Activities, the people who attend them, speakers, and the trip log.

use super::rows::{Flag, MaybeStored, Stored};
use super::summaries::{self, Days};
pub use super::Paged;
use super::{code_range, Db, Result, Tx, Where};
use crate::clock::stamp;
use crate::domain::activity::{
    ActivityKind, ActivityStatus, Audience, Catalogue, Gender, Group, SpeakerRole,
};
use jiff::civil::Date;
use jiff::Timestamp;

/// The kinds that count as trainings (`ActivityKind::is_training`), for
/// `IN (…)` clauses.
pub(crate) const TRAINING_KINDS_SQL: &str = "('training','workshop')";

/// The kinds that count as events (`ActivityKind::is_event`), likewise.
pub(crate) const EVENT_KINDS_SQL: &str = "('seminar','debate','conference')";

/// The people public figures count, as an SQL condition on a `person`
/// row named `p`: everyone but the project's team
/// (`Group::is_recipient`). The one definition used by every such count.
pub(crate) const COUNTED_PERSON_SQL: &str = "p.person_group <> 'team'";

/// Which activities a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selection {
    Trainings,
    Events,
    LocalWork(i64),
}

/// Before or after a given date (both relative to `today`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Upcoming,
    Past,
    Any,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub slug: String,
    pub kind: ActivityKind,
    pub status: ActivityStatus,
    pub title: String,
    pub topic: String,
    pub summary_md: String,
    #[sqlx(try_from = "Stored")]
    pub starts_on: Date,
    #[sqlx(try_from = "Stored")]
    pub ends_on: Date,
    pub start_time: String,
    pub duration_minutes: i64,
    #[sqlx(try_from = "Flag")]
    pub online: bool,
    pub venue: String,
    pub local_government: Option<String>,
    pub jst_name: Option<String>,
    pub audience: Audience,
    pub capacity: Option<i64>,
    pub co_organiser: Option<String>,
    pub local_work_id: Option<i64>,
    /// Everyone on the attendance, the team included (for staff).
    pub attendees: i64,
    /// The people on the attendance the public figures count, without the
    /// team (`COUNTED_PERSON_SQL`).
    pub participants: i64,
    /// Registrations holding a place.
    pub confirmed: i64,
    /// The last day to register (`None`: the first day of the activity).
    #[sqlx(try_from = "MaybeStored")]
    pub registration_closes_on: Option<Date>,
    /// The link of an online event: only for e-mails to people with a place.
    pub online_link: Option<String>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Speaker {
    pub name: String,
    pub role: SpeakerRole,
    pub affiliation: String,
    /// The speaker's gender, for the form of their role's name.
    pub gender: Gender,
}

/// An activity to insert. Dates are civil dates in Warsaw.
#[derive(Clone, Debug)]
pub struct NewActivity {
    pub slug: String,
    pub kind: ActivityKind,
    pub status: ActivityStatus,
    pub title: String,
    pub topic: String,
    pub summary_md: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub start_time: String,
    pub duration_minutes: i64,
    pub online: bool,
    pub venue: String,
    pub local_government: Option<String>,
    pub audience: Audience,
    pub capacity: Option<i64>,
    pub co_organiser: Option<String>,
    pub local_work_id: Option<i64>,
    pub organisation_id: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct NewPerson {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub gender: Gender,
    pub group: Group,
    pub organisation_id: Option<i64>,
    pub local_government: Option<String>,
}

/// Activities matching `filter` (over `activity a`), in `order`, one page.
/// The page is cut before the participants are counted, so a large list
/// costs one count per row shown, not per row matched.
pub(super) fn activity_query(filter: &str, order: &str, paging: &str) -> String {
    activity_query_counting(filter, order, paging, true)
}

/// The activity query; without `counted`, `participants` and `confirmed`
/// are 0 and no attendance or registration is read.
fn activity_query_counting(filter: &str, order: &str, paging: &str, counted: bool) -> String {
    let counts = if counted {
        "(SELECT COUNT(*) FROM attendance t WHERE t.activity_id = a.id) AS attendees, \
         a.participants, \
         (SELECT COUNT(*) FROM registration r WHERE r.activity_id = a.id AND r.status = 'confirmed') AS confirmed"
    } else {
        "0 AS attendees, 0 AS participants, 0 AS confirmed"
    };
    format!(
        "SELECT a.id, a.slug, a.kind, a.status, a.title, a.topic, a.summary_md, a.starts_on, \
         a.ends_on, a.start_time, a.duration_minutes, a.online, a.venue, a.local_government, \
         g.display_name AS jst_name, a.audience, a.capacity, a.co_organiser, a.local_work_id, \
         a.registration_closes_on, a.online_link, {counts} \
         FROM (SELECT * FROM activity a WHERE {filter} ORDER BY {order} {paging}) a \
         LEFT JOIN local_government g ON g.teryt = a.local_government ORDER BY {order}"
    )
}

/// The codes of the kinds `which` picks.
fn kinds(which: fn(ActivityKind) -> bool) -> impl Iterator<Item = &'static str> {
    ActivityKind::ALL
        .iter()
        .copied()
        .filter(move |k| which(*k))
        .map(ActivityKind::code)
}

/// The activities of a project in `selection` (over `activity a`).
fn selected(project: i64, selection: Selection) -> Where {
    let mut w = Where::default();
    w.int("a.project_id = ?", project);
    match selection {
        Selection::Trainings => w.any_of("a.kind", kinds(ActivityKind::is_training)),
        Selection::Events => w.any_of("a.kind", kinds(ActivityKind::is_event)),
        Selection::LocalWork(id) => w.int("a.local_work_id = ?", id),
    };
    w
}

/// The activities of a project in `selection` narrowed by the
/// catalogue's filters (over `activity a`).
fn catalogue(project: i64, selection: Selection, filter: &Catalogue) -> Where {
    let mut w = selected(project, selection);
    if let Some(audiences) = filter.audiences() {
        w.any_of("a.audience", audiences.iter().copied());
    }
    if let Some(topic) = &filter.topic {
        w.text("a.topic = ?", topic.clone());
    }
    if let Some(area) = &filter.area {
        w.within("a.local_government", area);
    }
    if let Some(online) = filter.online {
        w.int("a.online = ?", i64::from(online));
    }
    if let Some(month) = &filter.month {
        w.text("a.starts_on >= ?", format!("{month}-01"));
        w.text("a.starts_on <= ?", format!("{month}-31"));
    }
    w
}

/// A page of activities of a project, newest first for the past and
/// soonest first for what is to come, narrowed by the catalogue's filters.
/// What is to come has not ended and was not held (planned, or cancelled
/// and shown as such); the past is what was held.
#[allow(clippy::too_many_arguments)]
pub async fn list(
    db: &Db,
    project: i64,
    selection: Selection,
    when: When,
    filter: &Catalogue,
    today: Date,
    limit: i64,
    offset: i64,
) -> Result<Paged<Activity>> {
    let mut w = catalogue(project, selection, filter);
    let order = match when {
        When::Upcoming => {
            w.text("a.ends_on >= ?", today.to_string());
            w.raw("a.status <> 'held'");
            "a.starts_on, a.id"
        }
        When::Past => {
            w.raw("a.status = 'held'");
            "a.starts_on DESC, a.id DESC"
        }
        When::Any => "a.starts_on, a.id",
    };
    let total = w.count(db, "activity a").await?;
    let sql = activity_query(w.sql(), order, &format!("LIMIT {limit} OFFSET {offset}"));
    let items = w.bind_as(sqlx::query_as(&sql)).fetch_all(db.pool()).await?;
    Ok(Paged { items, total })
}

/// What the held activities of a selection add up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Held {
    pub activities: i64,
    /// Distinct people on their attendance, without the project's team;
    /// `None` where it is not counted (a filter other than the month).
    pub people: Option<i64>,
    /// Places on the attendance, without the team: a person at two
    /// activities counts twice.
    pub participations: i64,
}

/// The held activities of a selection under the catalogue's filters, with
/// their participations that count in the figures (`attendance.counts`:
/// inside the project's period, without the team). Trainings and events
/// with no filter but the month are read from the summaries, distinct
/// people among them; under other filters the activities and their
/// participations are added up from the activities' rows, and distinct
/// people are not counted (that would read every attendance they select).
pub async fn held(db: &Db, project: i64, selection: Selection, filter: &Catalogue) -> Result<Held> {
    use super::summaries::Measure;
    use crate::domain::reach::{Facet, Plan};
    let (facet, activities, participations) = match selection {
        Selection::Trainings => (
            Facet::Training,
            Measure::Trainings,
            Measure::TrainingParticipations,
        ),
        Selection::Events => (Facet::Event, Measure::Events, Measure::EventParticipations),
        Selection::LocalWork(_) => return held_added(db, project, selection, filter).await,
    };
    if !filter.by_month_only() {
        return held_added(db, project, selection, filter).await;
    }
    // Without a month: every day there is, and people over any period
    // (their points lie inside the project's).
    let (lo, hi) = filter
        .month_days()
        .unwrap_or((jiff::civil::date(1, 1, 1), Date::MAX));
    let sums = super::stats::sums(db, project, lo, hi).await?;
    let people = match Plan::new(lo, hi) {
        Some(plan) => super::stats::reach(db, project, facet, &plan).await?,
        None => 0,
    };
    Ok(Held {
        activities: sums.of(activities),
        people: Some(people),
        participations: sums.of(participations),
    })
}

/// `held` added up from the selected activities' rows: each keeps its
/// participants without the team (`activity.participants`), which count
/// when it is dated inside the project's period (its attendance carries
/// its date).
async fn held_added(
    db: &Db,
    project: i64,
    selection: Selection,
    filter: &Catalogue,
) -> Result<Held> {
    let mut w = catalogue(project, selection, filter);
    w.raw("a.status = 'held'");
    let sql = format!(
        "SELECT COUNT(*) AS activities, CAST(NULL AS BIGINT) AS people, \
         CAST(COALESCE(SUM(CASE WHEN a.starts_on BETWEEN pr.starts_on AND pr.ends_on \
         THEN a.participants ELSE 0 END), 0) AS BIGINT) AS participations \
         FROM activity a JOIN project pr ON pr.id = a.project_id WHERE {w}",
        w = w.sql()
    );
    Ok(w.bind_as(sqlx::query_as(&sql)).fetch_one(db.pool()).await?)
}

/// What the catalogue's filters can choose from: topics, counties (code,
/// name) and months.
#[derive(Clone, Debug, Default)]
pub struct CatalogueOptions {
    pub topics: Vec<String>,
    pub counties: Vec<(String, String)>,
    pub months: Vec<String>,
}

/// The catalogue's options, read from the activities of the selection.
pub async fn catalogue_options(
    db: &Db,
    project: i64,
    selection: Selection,
) -> Result<CatalogueOptions> {
    let w = selected(project, selection);
    let base = w.sql();
    let (topics_sql, counties_sql, months_sql) = (
        format!("SELECT DISTINCT a.topic FROM activity a WHERE {base} AND a.topic <> '' ORDER BY 1"),
        format!(
            "SELECT g.sort_key, g.teryt, g.display_name FROM local_government g WHERE g.teryt IN \
             (SELECT DISTINCT SUBSTR(a.local_government, 1, 4) FROM activity a \
              WHERE {base} AND a.local_government IS NOT NULL)"
        ),
        format!("SELECT DISTINCT SUBSTR(a.starts_on, 1, 7) FROM activity a WHERE {base} ORDER BY 1 DESC"),
    );
    // Three reads at once, each on a connection of its own.
    let topics = w.bind_scalar(sqlx::query_scalar::<_, String>(&topics_sql));
    let counties = w.bind_as(sqlx::query_as::<_, (String, String, String)>(&counties_sql));
    let months = w.bind_scalar(sqlx::query_scalar::<_, String>(&months_sql));
    let (topics, counties, months) = tokio::try_join!(
        topics.fetch_all(db.pool()),
        counties.fetch_all(db.pool()),
        months.fetch_all(db.pool()),
    )?;
    // Polish order, which SQL's order is not ("Ł" after "z"); counties by
    // their sort key, the name without "powiat" or "m.st.", as /jst lists
    // them.
    let (mut topics, mut counties) = (topics, counties);
    crate::domain::search::sort_polish(&mut topics, |t| t);
    counties.sort();
    let counties = counties.into_iter().map(|(_, t, n)| (t, n)).collect();
    Ok(CatalogueOptions {
        topics,
        counties,
        months,
    })
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Activity>> {
    one(db, Key::Id(id), true).await
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<Activity>> {
    one(db, Key::Slug(slug), true).await
}

/// The activity without its counts (`participants` and `confirmed` are
/// 0): for the registration steps, which read it at every request and
/// show neither — counting reads every registration of the activity.
pub async fn by_id_uncounted(db: &Db, id: i64) -> Result<Option<Activity>> {
    one(db, Key::Id(id), false).await
}

/// `by_slug` without the counts, as `by_id_uncounted`.
pub async fn by_slug_uncounted(db: &Db, slug: &str) -> Result<Option<Activity>> {
    one(db, Key::Slug(slug), false).await
}

enum Key<'a> {
    Id(i64),
    Slug(&'a str),
}

async fn one(db: &Db, key: Key<'_>, counted: bool) -> Result<Option<Activity>> {
    let filter = match key {
        Key::Id(_) => "a.id = $1",
        Key::Slug(_) => "a.slug = $1",
    };
    let sql = activity_query_counting(filter, "a.id", "", counted);
    let q = sqlx::query_as(&sql);
    let q = match key {
        Key::Id(id) => q.bind(id),
        Key::Slug(slug) => q.bind(slug),
    };
    Ok(q.fetch_optional(db.pool()).await?)
}

/// Activities of one status in a unit or inside it: held ones the most
/// recent first, planned ones the soonest first.
pub async fn within(
    db: &Db,
    prefix: &str,
    status: ActivityStatus,
    limit: i64,
) -> Result<Paged<Activity>> {
    let (low, high) = code_range(prefix);
    let place = "a.local_government >= $1 AND a.local_government < $2 AND a.status = $3";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM activity a WHERE {place}"))
        .bind(&low)
        .bind(&high)
        .bind(status)
        .fetch_one(db.pool())
        .await?;
    // Held ones the newest first; planned ones the soonest first.
    let order = match status {
        ActivityStatus::Planned => "a.starts_on, a.id",
        _ => "a.starts_on DESC, a.id DESC",
    };
    let items = sqlx::query_as(&activity_query(place, order, "LIMIT $4"))
        .bind(&low)
        .bind(&high)
        .bind(status)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    Ok(Paged { items, total })
}

pub async fn speakers(db: &Db, activity: i64) -> Result<Vec<Speaker>> {
    Ok(sqlx::query_as(
        "SELECT name, role, affiliation, gender FROM activity_speaker \
         WHERE activity_id = $1 ORDER BY position, id",
    )
    .bind(activity)
    .fetch_all(db.pool())
    .await?)
}

/// Attendance of one activity by group, in the order of `Group::ALL`,
/// without the project's team (`COUNTED_PERSON_SQL`).
pub async fn attendance_by_group(db: &Db, activity: i64) -> Result<Vec<(Group, i64)>> {
    let rows: Vec<(Group, i64)> = sqlx::query_as(&format!(
        "SELECT p.person_group, COUNT(*) AS n FROM attendance t JOIN person p ON p.id = t.person_id \
         WHERE t.activity_id = $1 AND {COUNTED_PERSON_SQL} GROUP BY p.person_group"
    ))
    .bind(activity)
    .fetch_all(db.pool())
    .await?;
    Ok(Group::ALL
        .iter()
        .filter_map(|group| {
            rows.iter()
                .find(|(g, n)| g == group && *n > 0)
                .map(|(_, n)| (*group, *n))
        })
        .collect())
}

/// Advisory hours of held sessions by topic, largest first.
pub async fn advisory_by_topic(db: &Db, project: i64) -> Result<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT topic, COUNT(*) AS sessions, CAST(SUM(duration_minutes) AS BIGINT) AS minutes \
         FROM activity WHERE project_id = $1 AND kind = 'advisory' AND status = 'held' GROUP BY topic ORDER BY minutes DESC, topic",
    )
    .bind(project)
    .fetch_all(db.pool())
    .await?)
}

// Writes, used by the demo loader and later by the back office.

/// Inserts an activity under its slug or, when another activity holds it
/// (one committed, or one being written at this moment by another
/// transaction), under the next free `{slug}-{n}`. The unique index
/// decides, so two activities never get one slug and a clash is never an
/// error.
pub async fn insert_activity(
    tx: &mut Tx,
    project: i64,
    a: &NewActivity,
    now: Timestamp,
) -> Result<i64> {
    let mut slug = a.slug.clone();
    let mut next = None;
    loop {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO activity (project_id, slug, kind, title, topic, summary_md, starts_on, ends_on, \
             start_time, duration_minutes, online, venue, local_government, audience, capacity, co_organiser, \
             local_work_id, organisation_id, created_at, updated_at, status) VALUES ($1, $2, $3, $4, $5, $6, \
             $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20) \
             ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(project)
        .bind(&slug)
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
        .bind(a.local_government.as_deref())
        .bind(a.audience)
        .bind(a.capacity)
        .bind(a.co_organiser.as_deref())
        .bind(a.local_work_id)
        .bind(a.organisation_id)
        .bind(stamp(now))
        .bind(a.status)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = id {
            activity_changed(tx, id, &[], Days::new()).await?;
            return Ok(id);
        }
        // Taken: the first guess is one past those with this slug; each
        // further clash (a writer at the same moment) moves one on.
        let n = match next {
            Some(n) => n + 1,
            None => {
                let taken: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM activity WHERE slug = $1 OR slug LIKE $2",
                )
                .bind(&a.slug)
                .bind(format!("{}-%", a.slug))
                .fetch_one(&mut **tx)
                .await?;
                taken + 1
            }
        };
        next = Some(n);
        slug = format!("{}-{n}", a.slug);
    }
}

pub async fn insert_speaker(tx: &mut Tx, activity: i64, s: &Speaker, position: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO activity_speaker (activity_id, name, role, affiliation, position, gender) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(activity)
    .bind(&s.name)
    .bind(s.role)
    .bind(&s.affiliation)
    .bind(position)
    .bind(s.gender)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_person(tx: &mut Tx, p: &NewPerson, now: Timestamp) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO person (first_name, last_name, email, gender, person_group, organisation_id, \
         local_government, created_at, updated_at, search_key, sort_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING id",
    )
    .bind(&p.first_name)
    .bind(&p.last_name)
    .bind(p.email.as_deref())
    .bind(p.gender)
    .bind(p.group)
    .bind(p.organisation_id)
    .bind(p.local_government.as_deref())
    .bind(stamp(now))
    .bind(person_key(&p.first_name, &p.last_name, p.email.as_deref()))
    .bind(person_sort_key(&p.first_name, &p.last_name))
    .fetch_one(&mut **tx)
    .await?)
}

/// What a person is found by: name and e-mail, folded.
pub fn person_key(first: &str, last: &str, email: Option<&str>) -> String {
    crate::domain::search::fold(&format!("{first} {last} {}", email.unwrap_or("")))
}

/// What people are listed by: last name, then first name, in Polish
/// alphabetical order.
pub fn person_sort_key(first: &str, last: &str) -> String {
    crate::domain::search::sort_key(&format!("{last} {first}"))
}

/// Records that a person attended, and what the figures read of it
/// (`activity_changed`).
pub async fn insert_attendance(
    tx: &mut Tx,
    activity: i64,
    person: i64,
    now: Timestamp,
) -> Result<()> {
    insert_attendance_row(tx, activity, person, now).await?;
    activity_changed(tx, activity, &[person], Days::new()).await
}

/// The attendance row alone; the activity's date and kind are copied from
/// the activity so range counts need not join it.
pub(super) async fn insert_attendance_row(
    tx: &mut Tx,
    activity: i64,
    person: i64,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO attendance (activity_id, person_id, project_id, attended_on, activity_kind, created_at) \
         SELECT id, $2, project_id, starts_on, kind, $3 FROM activity WHERE id = $1 \
         ON CONFLICT (activity_id, person_id) DO NOTHING",
    )
    .bind(activity)
    .bind(person)
    .bind(stamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Brings what the figures read in step after `activity` or its
/// attendance changed (inserted, edited, marked held, deleted; attendance
/// added or removed): whether the attendance of `people` counts and their
/// reach, the activity's participants, the reach of its local work's JST,
/// and the measures of its days and of `before`, the days it had before
/// the change. (A deleted activity's JST is the caller's.)
pub(super) async fn activity_changed(
    tx: &mut Tx,
    activity: i64,
    people: &[i64],
    before: Days,
) -> Result<()> {
    recount(tx, people).await?;
    participants_changed(tx, &[activity]).await?;
    let jsts = summaries::activity_local_governments(tx, activity).await?;
    summaries::local_governments_changed(tx, &jsts).await?;
    let mut days = before;
    days.extend(summaries::activity_days(tx, activity).await?);
    summaries::days_changed(tx, &days).await
}

/// The same after a person's group changed: the counting of all their
/// attendance, their activities' participants and the days they attended.
pub(super) async fn group_changed(tx: &mut Tx, person: i64) -> Result<()> {
    recount(tx, &[person]).await?;
    let attended: Vec<i64> =
        sqlx::query_scalar("SELECT activity_id FROM attendance WHERE person_id = $1")
            .bind(person)
            .fetch_all(&mut **tx)
            .await?;
    participants_changed(tx, &attended).await?;
    let days = summaries::people_days(tx, &[person]).await?;
    summaries::days_changed(tx, &days).await
}

/// Whether an attendance row counts in the figures (`domain::stats`): at
/// a held activity dated inside its project's period, by someone who is
/// not of the project's team (`COUNTED_PERSON_SQL`). An expression over
/// the row `attendance`.
fn counts_sql() -> String {
    format!(
        "CASE WHEN EXISTS (SELECT 1 FROM activity a \
         WHERE a.id = attendance.activity_id AND a.status = 'held') \
         AND EXISTS (SELECT 1 FROM project pr WHERE pr.id = attendance.project_id \
         AND attendance.attended_on BETWEEN pr.starts_on AND pr.ends_on) \
         AND EXISTS (SELECT 1 FROM person p WHERE p.id = attendance.person_id \
         AND {COUNTED_PERSON_SQL}) THEN 1 ELSE 0 END"
    )
}

/// Sets `attendance.counts` of the rows `attendance` (a condition over
/// attendance) selects.
pub(super) async fn set_counts(tx: &mut Tx, attendance: &str) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE attendance SET counts = {} WHERE {attendance}",
        counts_sql()
    ))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Recomputes whether the attendance of `people` counts, and their reach
/// in the summaries, in every project.
async fn recount(tx: &mut Tx, people: &[i64]) -> Result<()> {
    for chunk in people.chunks(500) {
        set_counts(tx, &format!("person_id IN ({})", super::id_list(chunk))).await?;
    }
    super::summaries::people_changed(tx, people).await
}

/// Recounts the people the figures count on the attendance of
/// `activities` (`activity.participants`).
async fn participants_changed(tx: &mut Tx, activities: &[i64]) -> Result<()> {
    for chunk in activities.chunks(500) {
        set_participants(tx, &format!("id IN ({})", super::id_list(chunk))).await?;
    }
    Ok(())
}

/// Sets `activity.participants` of the activities `which` (a condition
/// over activity) selects.
pub(super) async fn set_participants(tx: &mut Tx, which: &str) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE activity SET participants = (SELECT COUNT(*) FROM attendance t \
         JOIN person p ON p.id = t.person_id \
         WHERE t.activity_id = activity.id AND {COUNTED_PERSON_SQL}) WHERE {which}"
    ))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The people on an activity's attendance.
pub(super) async fn attendees_of(tx: &mut Tx, activity: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT person_id FROM attendance WHERE activity_id = $1")
            .bind(activity)
            .fetch_all(&mut **tx)
            .await?,
    )
}

pub async fn insert_trip(
    tx: &mut Tx,
    project: i64,
    travelled_on: Date,
    route: &str,
    kilometres: i64,
    activity: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO trip (project_id, travelled_on, route, kilometres, activity_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(project)
    .bind(travelled_on.to_string())
    .bind(route)
    .bind(kilometres)
    .bind(activity)
    .bind(stamp(now))
    .execute(&mut **tx)
    .await?;
    summaries::days_changed(tx, &[(project, travelled_on)].into()).await
}

#[cfg(test)]
mod tests {
    use super::{COUNTED_PERSON_SQL, EVENT_KINDS_SQL, TRAINING_KINDS_SQL};
    use crate::domain::activity::{ActivityKind, Group};

    #[test]
    fn the_sql_lists_match_the_rules() {
        for k in ActivityKind::ALL {
            let quoted = format!("'{}'", k.code());
            assert_eq!(TRAINING_KINDS_SQL.contains(&quoted), k.is_training());
            assert_eq!(EVENT_KINDS_SQL.contains(&quoted), k.is_event());
        }
    }

    #[test]
    fn the_counted_people_are_the_recipients() {
        for g in Group::ALL {
            let excluded = COUNTED_PERSON_SQL.contains(&format!("<> '{}'", g.code()));
            assert_eq!(excluded, !g.is_recipient(), "{g:?}");
        }
    }
}
