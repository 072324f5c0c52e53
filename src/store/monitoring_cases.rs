//! Cases staff open from a gap of the cooperation monitor: an
//! intervention of the gap's category, about the JST and year, addressed
//! to the organ whose duty it was, with the facts as its description. One
//! open case per JST, year and category: opening it again finds the one
//! that exists.

use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;

use super::audit::{self, Entry};
use super::cases::{event, next_number};
use super::{Db, Result};
use crate::clock::stamp;
use crate::domain::cases::{timeline, Category, Register, Status};

/// What the case is opened with.
pub struct GapCase<'a> {
    pub local_government: &'a str,
    pub year: i16,
    pub category: Category,
    /// Who its letters go to ("Przewodniczący Rady Miejskiej w Płońsku").
    pub addressee: &'a str,
    pub description: &'a str,
    /// The staff member opening it: the reporter and its first assignee.
    pub account_id: i64,
    pub account_name: &'a str,
    pub account_email: &'a str,
    /// The organisation that intervenes (the programme's operator).
    pub organisation: &'a str,
}

/// The case's id and number, and whether it was opened now (false: an
/// open one existed).
pub async fn open(db: &Db, c: &GapCase<'_>, now: Timestamp) -> Result<(i64, String, bool)> {
    let mut tx = db.begin_write().await?;
    let key = format!(
        "monitoring:{}:{}:{}",
        c.local_government,
        c.year,
        c.category.code()
    );
    super::limits::lock(&mut tx, &[&key]).await?;
    let existing = sqlx::query(
        "SELECT id, number FROM case_file WHERE local_government = $1 AND monitoring_year = $2 \
         AND register = $3 AND category = $4 AND status <> $5 ORDER BY id LIMIT 1",
    )
    .bind(c.local_government)
    .bind(i64::from(c.year))
    .bind(Register::Intervention.code())
    .bind(c.category.code())
    .bind(Status::Closed.code())
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = existing {
        tx.rollback().await?;
        return Ok((row.try_get(0)?, row.try_get(1)?, false));
    }
    // Numbered in the year it is opened, whatever year it is about.
    let opened_in = now.to_zoned(crate::clock::warsaw()).year();
    let number = next_number(&mut tx, Register::Intervention, opened_in).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO case_file (register, number, category, local_government, organisation_name, \
         reporter_name, reporter_email, reporter_phone, preferred_contact, reveal_identity, \
         description, status, assignee_id, consent_version, consent_at, created_at, updated_at, \
         share_description, monitoring_year, addressee) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, '', 'email', 1, $8, $9, $10, 'staff', $11, $11, $11, \
         1, $12, $13) RETURNING id",
    )
    .bind(Register::Intervention.code())
    .bind(&number)
    .bind(c.category.code())
    .bind(c.local_government)
    .bind(c.organisation)
    .bind(c.account_name)
    .bind(c.account_email)
    .bind(c.description)
    .bind(Status::New.code())
    .bind(c.account_id)
    .bind(stamp(now))
    .bind(i64::from(c.year))
    .bind(c.addressee)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    event(
        &mut tx,
        id,
        Some(c.account_id),
        "created",
        &timeline::from_monitor(&number, c.account_name),
        now,
    )
    .await?;
    let entry = Entry::new(Some(c.account_id), "create", "case", id, &stamp(now)).after(json!({
        "local_government": c.local_government,
        "monitoring_year": c.year,
        "category": c.category.code(),
    }));
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::CASES).await?;
    tx.commit().await?;
    Ok((id, number, true))
}

/// An open case opened from the monitor.
pub struct OpenCase {
    pub local_government: String,
    pub year: i16,
    pub category: String,
    pub id: i64,
    pub number: String,
}

/// The open cases opened from the monitor about `years`.
pub async fn open_about(db: &Db, years: &[i16]) -> Result<Vec<OpenCase>> {
    let list: Vec<String> = years.iter().map(i16::to_string).collect();
    let rows = sqlx::query(&format!(
        "SELECT local_government, monitoring_year, category, id, number FROM case_file \
         WHERE monitoring_year IN ({}) AND status <> $1 ORDER BY id",
        list.join(", ")
    ))
    .bind(Status::Closed.code())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OpenCase {
                local_government: r.try_get(0)?,
                year: i16::try_from(r.try_get::<i64, _>(1)?).unwrap_or_default(),
                category: r.try_get(2)?,
                id: r.try_get(3)?,
                number: r.try_get(4)?,
            })
        })
        .collect()
}
