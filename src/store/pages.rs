//! Editable pages of the site (the introductions of its sections), as
//! staff change them.

use serde_json::json;

use super::audit::{self, Entry};
use super::{Db, Result};
use crate::domain::records::PageForm;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Record {
    pub id: i64,
    pub project_id: i64,
    pub slug: String,
    pub title: String,
    pub body_md: String,
    #[sqlx(try_from = "super::rows::Stored")]
    pub updated_at: jiff::Timestamp,
}

const COLUMNS: &str = "id, project_id, slug, title, body_md, updated_at";

pub async fn list(db: &Db, projects: Option<&[i64]>) -> Result<Vec<Record>> {
    let filter = match projects {
        None => "1 = 1".to_owned(),
        Some([]) => "1 = 0".to_owned(),
        Some(ids) => format!("project_id IN ({})", super::id_list(ids)),
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM page WHERE {filter} ORDER BY slug"
    ))
    .fetch_all(db.pool())
    .await?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Record>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM page WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// Whether another page of the project has this slug.
pub async fn slug_taken(db: &Db, project: i64, slug: &str, except: Option<i64>) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM page WHERE project_id = $1 AND slug = $2 AND id <> $3",
    )
    .bind(project)
    .bind(slug)
    .bind(except.unwrap_or(-1))
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

fn audit_json(p: &PageForm) -> serde_json::Value {
    json!({ "slug": p.slug, "title": p.title, "body_md": p.body_md })
}

/// Creates (`id` = None), changes or (`page` = None) deletes a page;
/// `None` when another page of the project has its slug (the unique index
/// says so, also of one saved at the same moment), and nothing changed.
pub async fn change(
    db: &Db,
    who: i64,
    project: i64,
    id: Option<i64>,
    page: Option<&PageForm>,
    now: jiff::Timestamp,
) -> Result<Option<i64>> {
    let now = &crate::clock::stamp(now);
    let before = match id {
        Some(id) => get(db, id).await?.map(|r| PageForm {
            slug: r.slug,
            title: r.title,
            body_md: r.body_md,
        }),
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let (action, saved) = match (id, page) {
        (None, Some(p)) => {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO page (project_id, slug, title, body_md, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (project_id, slug) DO NOTHING RETURNING id",
            )
            .bind(project)
            .bind(&p.slug)
            .bind(&p.title)
            .bind(&p.body_md)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else {
                tx.rollback().await?;
                return Ok(None);
            };
            ("create", id)
        }
        (Some(id), Some(p)) => {
            let changed = sqlx::query(
                "UPDATE page SET slug = $2, title = $3, body_md = $4, updated_at = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(&p.slug)
            .bind(&p.title)
            .bind(&p.body_md)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match changed {
                Err(e) if super::is_unique_violation(&e) => {
                    tx.rollback().await?;
                    return Ok(None);
                }
                other => other?,
            };
            ("update", id)
        }
        (Some(id), None) => {
            sqlx::query("DELETE FROM page WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            ("delete", id)
        }
        (None, None) => return Ok(Some(0)),
    };
    let mut entry = Entry::new(Some(who), action, "page", saved, now);
    if let Some(b) = &before {
        entry = entry.before(audit_json(b));
    }
    if let Some(p) = page {
        entry = entry.after(audit_json(p));
    }
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::PROGRAMME).await?;
    tx.commit().await?;
    Ok(Some(saved))
}
