//! The monitor's evidence documents, stored in the database (every
//! instance serves them) with their SHA-256 and who checked them when.
//! Adding or removing one is audited and moves the monitor's topic.

use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;

use super::audit::{self, Entry};
use super::{Db, Result};
use crate::clock::stamp;
use crate::domain::attachments::FileType;
use crate::domain::monitoring_evidence::EvidenceOf;

/// A document as lists show it (without its content).
#[derive(Clone, Debug)]
pub struct Evidence {
    pub id: i64,
    pub local_government: String,
    pub year: i16,
    pub fact: EvidenceOf,
    pub name: String,
    pub file_type: FileType,
    pub size: i64,
    pub sha256: String,
    pub source_url: String,
    pub checked_on: String,
    /// The staff member who checked it.
    pub checked_by: String,
}

/// A document to keep.
pub struct NewEvidence<'a> {
    pub local_government: &'a str,
    pub year: i16,
    pub fact: EvidenceOf,
    pub name: &'a str,
    pub file_type: FileType,
    pub content: &'a [u8],
    pub sha256: &'a str,
    pub source_url: &'a str,
    pub checked_on: &'a str,
    pub who: i64,
}

pub async fn add(db: &Db, e: &NewEvidence<'_>, now: Timestamp) -> Result<i64> {
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query(
        "INSERT INTO monitoring_evidence (local_government, year, fact, name, file_type, size, \
         sha256, content, source_url, checked_by, checked_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(e.local_government)
    .bind(i64::from(e.year))
    .bind(e.fact.code())
    .bind(e.name)
    .bind(e.file_type.code())
    .bind(i64::try_from(e.content.len()).unwrap_or(i64::MAX))
    .bind(e.sha256)
    .bind(e.content)
    .bind(e.source_url)
    .bind(e.who)
    .bind(e.checked_on)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let entry = Entry::new(Some(e.who), "create", "monitoring_evidence", id, &now).after(json!({
        "local_government": e.local_government,
        "year": e.year,
        "fact": e.fact.code(),
        "name": e.name,
        "sha256": e.sha256,
    }));
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::MONITOR).await?;
    tx.commit().await?;
    Ok(id)
}

const COLUMNS: &str = "e.id, e.local_government, e.year, e.fact, e.name, e.file_type, e.size, \
    e.sha256, e.source_url, e.checked_on, COALESCE(a.name, '') AS checker";

fn evidence_of(r: &sqlx::any::AnyRow) -> Result<Evidence> {
    let fact: String = r.try_get("fact")?;
    let file_type: String = r.try_get("file_type")?;
    let unknown = |what: &str, code: &str| {
        super::StoreError::from(sqlx::Error::Decode(
            format!("unknown {what} code in monitoring_evidence: {code}").into(),
        ))
    };
    Ok(Evidence {
        id: r.try_get("id")?,
        local_government: r.try_get("local_government")?,
        year: i16::try_from(r.try_get::<i64, _>("year")?).unwrap_or_default(),
        fact: EvidenceOf::from_code(&fact).ok_or_else(|| unknown("fact", &fact))?,
        name: r.try_get("name")?,
        file_type: FileType::from_code(&file_type)
            .ok_or_else(|| unknown("file type", &file_type))?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        source_url: r.try_get("source_url")?,
        checked_on: r.try_get("checked_on")?,
        checked_by: r.try_get("checker")?,
    })
}

/// A JST's documents, newest year first, then as added.
pub async fn of_unit(db: &Db, teryt: &str) -> Result<Vec<Evidence>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM monitoring_evidence e LEFT JOIN account a ON a.id = e.checked_by \
         WHERE e.local_government = $1 ORDER BY e.year DESC, e.id"
    ))
    .bind(teryt)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(evidence_of).collect()
}

/// One document with its content.
pub async fn content(db: &Db, id: i64) -> Result<Option<(Evidence, Vec<u8>)>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, e.content FROM monitoring_evidence e \
         LEFT JOIN account a ON a.id = e.checked_by WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => Ok(Some((evidence_of(&r)?, r.try_get("content")?))),
        None => Ok(None),
    }
}

/// Removes a document of the JST; whether there was one.
pub async fn remove(db: &Db, who: i64, teryt: &str, id: i64, now: Timestamp) -> Result<bool> {
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    let gone =
        sqlx::query("DELETE FROM monitoring_evidence WHERE id = $1 AND local_government = $2")
            .bind(id)
            .bind(teryt)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if gone == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    audit::record(
        &mut tx,
        &Entry::new(Some(who), "delete", "monitoring_evidence", id, &now),
    )
    .await?;
    super::bump_version(&mut tx, super::Topics::MONITOR).await?;
    tx.commit().await?;
    Ok(true)
}
