//! JSTs as staff keep them: the register's unit plus its office's
//! contacts (kept apart, so a TERYT import never touches them).

use serde_json::json;

use super::audit::{self, Entry};
use super::teryt::{Resolved, UnitRow};
use super::{Db, Paged, Result, Tx, Where};
use crate::domain::access::Scope;
use crate::domain::records::OfficeForm;
use crate::domain::search;
use crate::domain::teryt::Teryt;

const UNIT_COLUMNS: &str = "g.teryt, g.kind, g.name, g.name_extra, g.parent_teryt, g.display_name";

/// JSTs (not their parts) matching a name or code, within a scope.
pub async fn search(
    db: &Db,
    query: &str,
    scope: &Scope,
    limit: i64,
    offset: i64,
) -> Result<Paged<UnitRow>> {
    let mut w = Where::default();
    w.raw("g.is_jst = 1");
    let q = query.trim();
    if !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()) {
        w.within("g.teryt", q);
    } else if let Some(p) = search::pattern(q) {
        w.text("g.search_key LIKE ?", p);
    }
    w.scope(scope, Some("g.teryt"), None, None);
    let total = w.count(db, "local_government g").await?;
    let sql = format!(
        "SELECT {UNIT_COLUMNS} FROM local_government g WHERE {} ORDER BY g.sort_key, g.teryt \
         LIMIT {limit} OFFSET {offset}",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    let items = rows
        .iter()
        .map(super::teryt::unit_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Paged { items, total })
}

/// What someone typed as a JST (a code or a name), resolved by
/// `domain::jst_match`: the units it may mean, at most `limit` (none when
/// nothing in the register matches, or too much does).
pub async fn find(db: &Db, typed: &str, limit: i64) -> Result<Vec<UnitRow>> {
    let rows = match super::teryt::resolve(db, typed).await? {
        Resolved::One(r) => vec![r],
        Resolved::Several(rows) => rows,
        Resolved::TooMany(_) | Resolved::Nothing | Resolved::TooShort => Vec::new(),
    };
    let mut out = Vec::new();
    for r in rows.iter().take(usize::try_from(limit).unwrap_or(0)) {
        if let Ok(code) = Teryt::parse(&r.candidate.teryt) {
            out.extend(super::teryt::get(db, &code).await?);
        }
    }
    Ok(out)
}

pub async fn get(db: &Db, teryt: &str) -> Result<OfficeForm> {
    type Row = (String, String, String, String, String, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT organ, office_name, address, email, website, bip, notes FROM office \
         WHERE local_government = $1",
    )
    .bind(teryt)
    .fetch_optional(db.pool())
    .await?;
    Ok(match row {
        Some((organ, office_name, address, email, website, bip, notes)) => OfficeForm {
            organ,
            office_name,
            address,
            email,
            website,
            bip,
            notes,
        },
        None => OfficeForm::default(),
    })
}

fn audit_json(o: &OfficeForm) -> serde_json::Value {
    json!({ "organ": o.organ, "office_name": o.office_name, "address": o.address, "email": o.email, "website": o.website, "bip": o.bip, "notes": o.notes })
}

/// An office's record loaded with the demo programme (no audit: no one
/// changed it).
pub async fn insert_loaded(
    tx: &mut Tx,
    teryt: &str,
    o: &OfficeForm,
    now: jiff::Timestamp,
) -> Result<()> {
    let now = &crate::clock::stamp(now);
    upsert(tx, teryt, o, now).await
}

/// JSTs of cases whose office has no record yet, with their names as the
/// register stores them (the demo gives them one).
pub async fn cases_without_office(tx: &mut Tx) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT c.local_government, g.name FROM case_file c \
         JOIN local_government g ON g.teryt = c.local_government \
         LEFT JOIN office o ON o.local_government = c.local_government \
         WHERE o.local_government IS NULL ORDER BY c.local_government",
    )
    .fetch_all(&mut **tx)
    .await?)
}

/// Writes an office's record, new or changed.
async fn upsert(tx: &mut Tx, teryt: &str, o: &OfficeForm, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO office (local_government, address, email, website, bip, notes, updated_at, \
         organ, office_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (local_government) DO UPDATE SET organ = excluded.organ, \
         office_name = excluded.office_name, address = excluded.address, email = excluded.email, website = excluded.website, \
         bip = excluded.bip, notes = excluded.notes, updated_at = excluded.updated_at",
    )
    .bind(teryt)
    .bind(&o.address)
    .bind(&o.email)
    .bind(&o.website)
    .bind(&o.bip)
    .bind(&o.notes)
    .bind(now)
    .bind(&o.organ)
    .bind(&o.office_name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn save(
    db: &Db,
    who: i64,
    teryt: &str,
    o: &OfficeForm,
    now: jiff::Timestamp,
) -> Result<()> {
    let now = &crate::clock::stamp(now);
    let before = get(db, teryt).await?;
    let mut tx = db.begin_write().await?;
    upsert(&mut tx, teryt, o, now).await?;
    audit::record(
        &mut tx,
        &Entry::new(Some(who), "update", "office", teryt, now)
            .before(audit_json(&before))
            .after(audit_json(o)),
    )
    .await?;
    super::bump_version(&mut tx, super::Topics::REGISTER).await?;
    tx.commit().await?;
    Ok(())
}
