//! The project and what describes it: partners, pages, local cooperation
//! work, research areas, documents and the officials' network.

use super::rows::Stored;
use super::{code_range, count_within, Db, Paged, Result};
use crate::domain::activity::DocumentKind;
use crate::domain::teryt::UnitKind;

use super::Tx;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub lead_name: String,
    #[sqlx(try_from = "Stored")]
    pub starts_on: jiff::civil::Date,
    #[sqlx(try_from = "Stored")]
    pub ends_on: jiff::civil::Date,
    pub summary_md: String,
    pub funder_sentence: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Partner {
    pub name: String,
    pub role: String,
    pub place: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub body_md: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LocalWork {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub local_government: String,
    pub jst_name: String,
    pub jst_kind: UnitKind,
    pub office: String,
    pub period: String,
    pub summary_md: String,
    pub deliverables_md: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResearchArea {
    pub local_government: String,
    pub jst_name: String,
    pub method: String,
    pub summary: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Document {
    pub slug: String,
    pub kind: DocumentKind,
    pub title: String,
    pub audience: String,
    pub description_md: String,
    #[sqlx(try_from = "Stored")]
    pub published_on: jiff::civil::Date,
}

/// Where the officials' network members come from, without naming them.
#[derive(Clone, Debug)]
pub struct NetworkSummary {
    pub members: i64,
    /// The JSTs with most members: TERYT, name, members.
    pub local_governments: Vec<(String, String, i64)>,
    /// How many JSTs the members come from.
    pub places_total: i64,
}

/// The first project: a deployment shows one project on its public site.
pub async fn main_project(db: &Db) -> Result<Option<Project>> {
    project_where(db, "ORDER BY id LIMIT 1", None).await
}

/// The project an activity belongs to (its organiser and funder).
pub async fn project(db: &Db, id: i64) -> Result<Option<Project>> {
    project_where(db, "WHERE id = $1", Some(id)).await
}

async fn project_where(db: &Db, clause: &str, id: Option<i64>) -> Result<Option<Project>> {
    let sql = format!(
        "SELECT id, slug, name, lead_name, starts_on, ends_on, summary_md, funder_sentence \
         FROM project {clause}"
    );
    let mut q = sqlx::query_as(&sql);
    if let Some(id) = id {
        q = q.bind(id);
    }
    Ok(q.fetch_optional(db.pool()).await?)
}

pub async fn partners(db: &Db, project: i64) -> Result<Vec<Partner>> {
    Ok(sqlx::query_as(
        "SELECT name, role, place FROM partner WHERE project_id = $1 ORDER BY position",
    )
    .bind(project)
    .fetch_all(db.pool())
    .await?)
}

pub async fn page(db: &Db, project: i64, slug: &str) -> Result<Option<Page>> {
    Ok(
        sqlx::query_as("SELECT slug, title, body_md FROM page WHERE project_id = $1 AND slug = $2")
            .bind(project)
            .bind(slug)
            .fetch_optional(db.pool())
            .await?,
    )
}

const LOCAL_WORK_SELECT: &str =
    "SELECT w.id, w.slug, w.title, w.local_government, g.display_name AS jst_name, \
     g.kind AS jst_kind, w.office, w.period, w.summary_md, w.deliverables_md \
     FROM local_work w JOIN local_government g ON g.teryt = w.local_government";

/// A page of a project's local cooperation programmes, in the order they
/// were recorded.
pub async fn local_works(
    db: &Db,
    project: i64,
    limit: i64,
    offset: i64,
) -> Result<Paged<LocalWork>> {
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM local_work WHERE project_id = $1")
        .bind(project)
        .fetch_one(db.pool())
        .await?;
    let items = sqlx::query_as(&format!(
        "{LOCAL_WORK_SELECT} WHERE w.project_id = $1 ORDER BY w.id LIMIT $2 OFFSET $3"
    ))
    .bind(project)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    Ok(Paged { items, total })
}

pub async fn local_work_by_id(db: &Db, id: i64) -> Result<Option<LocalWork>> {
    Ok(
        sqlx::query_as(&format!("{LOCAL_WORK_SELECT} WHERE w.id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn local_work_by_slug(db: &Db, slug: &str) -> Result<Option<LocalWork>> {
    Ok(
        sqlx::query_as(&format!("{LOCAL_WORK_SELECT} WHERE w.slug = $1"))
            .bind(slug)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Local work in a unit or any unit inside it: the first `limit` and the
/// number of all.
pub async fn local_works_within(db: &Db, prefix: &str, limit: i64) -> Result<Paged<LocalWork>> {
    let (low, high) = code_range(prefix);
    let total = count_within(db, "local_work", prefix).await?;
    let items = sqlx::query_as(&format!(
        "{LOCAL_WORK_SELECT} WHERE w.local_government >= $1 AND w.local_government < $2 ORDER BY w.id LIMIT $3"
    ))
    .bind(&low)
    .bind(&high)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(Paged { items, total })
}

/// Research areas of a project, or (with a prefix) those inside one unit.
pub async fn research_areas(db: &Db, project: i64, prefix: &str) -> Result<Vec<ResearchArea>> {
    Ok(sqlx::query_as(
        "SELECT r.local_government, g.display_name AS jst_name, r.method, r.summary FROM research_area r \
         JOIN local_government g ON g.teryt = r.local_government \
         WHERE r.project_id = $1 AND r.local_government >= $2 AND r.local_government < $3 ORDER BY g.sort_key",
    )
    .bind(project)
    .bind(code_range(prefix).0)
    .bind(code_range(prefix).1)
    .fetch_all(db.pool())
    .await?)
}

pub async fn documents(db: &Db, project: i64, kind: Option<DocumentKind>) -> Result<Vec<Document>> {
    Ok(sqlx::query_as(
        "SELECT slug, kind, title, audience, description_md, published_on FROM document \
         WHERE project_id = $1 AND ($2 = '' OR kind = $2) ORDER BY published_on, id",
    )
    .bind(project)
    .bind(kind.map_or("", DocumentKind::code))
    .fetch_all(db.pool())
    .await?)
}

/// Members of the officials' network, and the `limit` JSTs with most of
/// them.
pub async fn network_summary(db: &Db, project: i64, limit: i64) -> Result<NetworkSummary> {
    let local_governments: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT g.teryt, g.display_name AS name, COUNT(*) AS n FROM network_member m \
         JOIN person p ON p.id = m.person_id \
         JOIN local_government g ON g.teryt = p.local_government \
         WHERE m.project_id = $1 GROUP BY g.teryt, g.display_name, g.sort_key ORDER BY n DESC, g.sort_key LIMIT $2",
    )
    .bind(project)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let places_total = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT p.local_government) FROM network_member m \
         JOIN person p ON p.id = m.person_id WHERE m.project_id = $1",
    )
    .bind(project)
    .fetch_one(db.pool())
    .await?;
    let members = sqlx::query_scalar("SELECT COUNT(*) FROM network_member WHERE project_id = $1")
        .bind(project)
        .fetch_one(db.pool())
        .await?;
    Ok(NetworkSummary {
        members,
        local_governments,
        places_total,
    })
}

/// Organisations registered in a unit or inside it: total and the first few.
pub async fn organisations_within(db: &Db, prefix: &str, limit: i64) -> Result<(i64, Vec<String>)> {
    let (low, high) = code_range(prefix);
    let total = count_within(db, "organisation", prefix).await?;
    let names = sqlx::query_scalar(
        "SELECT name FROM organisation WHERE local_government >= $1 AND local_government < $2 \
         ORDER BY sort_key, id LIMIT $3",
    )
    .bind(&low)
    .bind(&high)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok((total, names))
}

// Writes, used by the demo loader and later by the back office.

pub struct NewProject<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub lead_name: &'a str,
    pub starts_on: jiff::civil::Date,
    pub ends_on: jiff::civil::Date,
    pub summary_md: &'a str,
    pub funder_sentence: &'a str,
}

pub async fn insert_project(tx: &mut Tx, p: &NewProject<'_>, now: jiff::Timestamp) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO project (slug, name, lead_name, starts_on, ends_on, summary_md, funder_sentence, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(p.slug)
    .bind(p.name)
    .bind(p.lead_name)
    .bind(p.starts_on.to_string())
    .bind(p.ends_on.to_string())
    .bind(p.summary_md)
    .bind(p.funder_sentence)
    .bind(crate::clock::stamp(now))
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn insert_partner(
    tx: &mut Tx,
    project: i64,
    p: &Partner,
    position: i64,
    now: jiff::Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO partner (project_id, name, role, place, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(project)
    .bind(&p.name)
    .bind(&p.role)
    .bind(&p.place)
    .bind(position)
    .bind(crate::clock::stamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_page(tx: &mut Tx, project: i64, p: &Page, now: jiff::Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO page (project_id, slug, title, body_md, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(project)
    .bind(&p.slug)
    .bind(&p.title)
    .bind(&p.body_md)
    .bind(crate::clock::stamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_local_work(
    tx: &mut Tx,
    project: i64,
    w: &LocalWork,
    now: jiff::Timestamp,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO local_work (project_id, slug, title, local_government, office, period, summary_md, \
         deliverables_md, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         RETURNING id",
    )
    .bind(project)
    .bind(&w.slug)
    .bind(&w.title)
    .bind(&w.local_government)
    .bind(&w.office)
    .bind(&w.period)
    .bind(&w.summary_md)
    .bind(&w.deliverables_md)
    .bind(crate::clock::stamp(now))
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn insert_research_area(
    tx: &mut Tx,
    project: i64,
    r: &ResearchArea,
    now: jiff::Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO research_area (project_id, local_government, method, summary, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(project)
    .bind(&r.local_government)
    .bind(&r.method)
    .bind(&r.summary)
    .bind(crate::clock::stamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_document(
    tx: &mut Tx,
    project: i64,
    d: &Document,
    now: jiff::Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO document (project_id, slug, kind, title, audience, description_md, published_on, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(project)
    .bind(&d.slug)
    .bind(d.kind.code())
    .bind(&d.title)
    .bind(&d.audience)
    .bind(&d.description_md)
    .bind(d.published_on.to_string())
    .bind(crate::clock::stamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_network_member(
    tx: &mut Tx,
    project: i64,
    person: i64,
    joined_on: jiff::civil::Date,
    now: jiff::Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO network_member (person_id, project_id, joined_on, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(person)
    .bind(project)
    .bind(joined_on.to_string())
    .bind(crate::clock::stamp(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert_organisation(
    tx: &mut Tx,
    name: &str,
    legal_form: &str,
    krs: Option<&str>,
    jst: Option<&str>,
    now: jiff::Timestamp,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO organisation (name, legal_form, krs, local_government, created_at, updated_at, search_key, sort_key) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING id",
    )
    .bind(name)
    .bind(legal_form)
    .bind(krs)
    .bind(jst)
    .bind(crate::clock::stamp(now))
    .bind(crate::domain::search::fold(name))
    .bind(crate::domain::search::sort_key(name))
    .fetch_one(&mut **tx)
    .await?)
}
