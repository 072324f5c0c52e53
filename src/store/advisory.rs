//! The advisory log: a session is an activity of kind `advisory` (so its
//! hours and the person advised count in the programme's figures like any
//! activity's) with its details in `advisory_session`.

use serde_json::json;
use sqlx::{FromRow, Row};

use super::activities::{insert_activity, insert_attendance, NewActivity};
use super::audit::{self, Entry};
use super::{Db, Paged, Result, StoreError, Where};
use crate::domain::access::Scope;
use crate::domain::activity::{ActivityKind, ActivityStatus, Audience};
use crate::domain::advisory::{AdvisorySession, SessionForm};

/// A session with the records it was looked up to.
pub struct NewSession<'a> {
    pub session: &'a AdvisorySession,
    pub organisation: Option<i64>,
    pub person: Option<i64>,
    pub case_id: Option<i64>,
}

/// Records a session; its id (the activity's).
pub async fn create(
    db: &Db,
    who: i64,
    project: i64,
    s: &NewSession<'_>,
    now: jiff::Timestamp,
) -> Result<i64> {
    let held_on = s.session.held_on;
    // Held once its day has come in Warsaw, where every date is a day.
    let held = held_on <= now.to_zoned(crate::clock::warsaw()).date();
    let at = now;
    let now = &crate::clock::stamp(now);
    let mut tx = db.begin_write().await?;
    let n: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) FROM activity")
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
    let jst: Option<String> = match s.organisation {
        Some(o) => sqlx::query("SELECT local_government FROM organisation WHERE id = $1")
            .bind(o)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?,
        None => None,
    };
    let topic = s.session.topic.label();
    let id = insert_activity(&mut tx, project, &activity_of(s, held, jst, n + 1), at).await?;
    sqlx::query(
        "INSERT INTO advisory_session (activity_id, advisor_id, organisation_id, form, summary, case_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(s.session.advisor)
    .bind(s.organisation)
    .bind(s.session.form.code())
    .bind(&s.session.summary)
    .bind(s.case_id)
    .execute(&mut *tx)
    .await?;
    if let Some(p) = s.person {
        insert_attendance(&mut tx, id, p, at).await?;
    }
    audit::record(
        &mut tx,
        &Entry::new(Some(who), "create", "advisory_session", id, now).after(json!({
            "held_on": held_on.to_string(), "minutes": s.session.minutes, "form": s.session.form.code(),
            "topic": topic, "advisor_id": s.session.advisor, "organisation_id": s.organisation,
            "person_id": s.person, "case_id": s.case_id,
        })),
    )
    .await?;
    super::bump_version(&mut tx, super::Topics::ACTIVITIES).await?;
    tx.commit().await?;
    Ok(id)
}

/// The activity a session is recorded as: the `number`th activity's slug,
/// held if its day has come (`held`).
fn activity_of(s: &NewSession<'_>, held: bool, jst: Option<String>, number: i64) -> NewActivity {
    let held_on = s.session.held_on;
    let topic = s.session.topic.label();
    NewActivity {
        slug: format!("doradztwo-{held_on}-{number}"),
        kind: ActivityKind::Advisory,
        // The log records advice given; a date ahead is a booking.
        status: if held {
            ActivityStatus::Held
        } else {
            ActivityStatus::Planned
        },
        title: format!("Doradztwo: {topic}"),
        topic: topic.to_owned(),
        summary_md: String::new(),
        starts_on: held_on,
        ends_on: held_on,
        start_time: String::new(),
        duration_minutes: s.session.minutes,
        online: s.session.form == SessionForm::Online,
        venue: s.session.form.label().to_owned(),
        local_government: jst,
        audience: Audience::Ngo,
        capacity: Some(1),
        co_organiser: None,
        local_work_id: None,
        organisation_id: None,
    }
}

/// What the log is narrowed to: a period, an advisor, a topic, a county.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub from: Option<jiff::civil::Date>,
    pub to: Option<jiff::civil::Date>,
    pub advisor: Option<i64>,
    pub topic: Option<String>,
    /// A county's TERYT code (four digits).
    pub county: Option<String>,
}

impl Filter {
    fn condition(&self, scope: &Scope) -> Where {
        let mut w = Where::default();
        w.raw("a.kind = 'advisory'");
        if let Some(f) = &self.from {
            w.text("a.starts_on >= ?", f.to_string());
        }
        if let Some(t) = &self.to {
            w.text("a.starts_on <= ?", t.to_string());
        }
        if let Some(id) = self.advisor {
            w.int("s.advisor_id = ?", id);
        }
        if let Some(t) = &self.topic {
            w.text("a.topic = ?", t.clone());
        }
        if let Some(c) = &self.county {
            w.within(UNIT, c);
        }
        w.scope(scope, None, None, Some("a.project_id"));
        w
    }
}

/// The unit a session is counted in: its organisation's JST, else the
/// person's.
const UNIT: &str = "COALESCE(a.local_government, p.local_government)";

const FROM: &str = "activity a LEFT JOIN advisory_session s ON s.activity_id = a.id \
    LEFT JOIN account acc ON acc.id = s.advisor_id \
    LEFT JOIN organisation o ON o.id = s.organisation_id \
    LEFT JOIN attendance t ON t.activity_id = a.id \
    LEFT JOIN person p ON p.id = t.person_id \
    LEFT JOIN local_government cty ON cty.teryt = SUBSTR(COALESCE(a.local_government, p.local_government), 1, 4)";

/// A line of the log.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Line {
    pub id: i64,
    #[sqlx(try_from = "super::rows::Stored")]
    pub held_on: jiff::civil::Date,
    pub minutes: i64,
    pub topic: String,
    pub form: Option<SessionForm>,
    pub advisor: Option<String>,
    pub organisation: Option<String>,
    pub person: Option<String>,
    pub summary: Option<String>,
}

pub async fn list(
    db: &Db,
    f: &Filter,
    scope: &Scope,
    limit: i64,
    offset: i64,
) -> Result<Paged<Line>> {
    let w = f.condition(scope);
    let total = w.count(db, FROM).await?;
    let sql = format!(
        "SELECT a.id, a.starts_on AS held_on, a.duration_minutes AS minutes, a.topic, s.form, \
         acc.name AS advisor, o.name AS organisation, \
         p.first_name || ' ' || p.last_name AS person, s.summary FROM {FROM} WHERE {} \
         ORDER BY a.starts_on DESC, a.id DESC LIMIT {limit} OFFSET {offset}",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    let items = rows
        .iter()
        .map(Line::from_row)
        .collect::<sqlx::Result<_>>()?;
    Ok(Paged { items, total })
}

/// A group's name (none when the sessions do not say), sessions and
/// minutes.
pub type Group = (Option<String>, i64, i64);

/// The log's totals under a filter: all, and by advisor, topic, county.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub sessions: i64,
    pub minutes: i64,
    pub by_advisor: Vec<Group>,
    pub by_topic: Vec<Group>,
    pub by_county: Vec<Group>,
}

pub async fn totals(db: &Db, f: &Filter, scope: &Scope) -> Result<Totals> {
    let w = f.condition(scope);
    let group = |key: &str| {
        format!(
            "SELECT {key}, COUNT(*), CAST(COALESCE(SUM(a.duration_minutes), 0) AS BIGINT) FROM {FROM} \
             WHERE {} GROUP BY {key} ORDER BY 3 DESC, 1",
            w.sql()
        )
    };
    let read = |sql: String| {
        let w = &w;
        async move {
            let rows = w.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
            Ok::<_, StoreError>(
                rows.iter()
                    .map(Group::from_row)
                    .collect::<sqlx::Result<Vec<Group>>>()?,
            )
        }
    };
    let by_advisor = read(group("acc.name")).await?;
    let by_topic = read(group("a.topic")).await?;
    let by_county = read(group("cty.display_name")).await?;
    Ok(Totals {
        sessions: by_topic.iter().map(|g| g.1).sum(),
        minutes: by_topic.iter().map(|g| g.2).sum(),
        by_advisor,
        by_topic,
        by_county,
    })
}

/// The details of a session loaded with its activity (the demo).
pub async fn insert_details(
    tx: &mut super::Tx,
    activity: i64,
    advisor: Option<i64>,
    organisation: Option<i64>,
    form: SessionForm,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO advisory_session (activity_id, advisor_id, organisation_id, form, summary) \
         VALUES ($1, $2, $3, $4, '')",
    )
    .bind(activity)
    .bind(advisor)
    .bind(organisation)
    .bind(form.code())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
