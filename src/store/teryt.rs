//! The register of local governments (TERYT/TERC) in the database.

use super::{bump_version, int, opt_text, text, Db, Result};
use crate::domain::teryt::{Teryt, Unit, UnitKind};
use sqlx::Row;
use std::collections::HashMap;

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A unit as the pages show it.
#[derive(Clone, Debug)]
pub struct UnitRow {
    pub teryt: String,
    pub kind: UnitKind,
    pub name: String,
    pub name_extra: String,
    pub parent: Option<String>,
}

impl UnitRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// Number of units of each kind.
pub type KindCounts = HashMap<UnitKind, i64>;

/// Upserts every unit in one transaction: all or nothing. Unchanged rows are
/// not written, so a re-import of the same file changes nothing.
#[tracing::instrument(skip_all, fields(units = units.len()))]
pub async fn import(db: &Db, units: &[Unit], now: &str) -> Result<ImportReport> {
    let mut tx = db.begin_write().await?;
    let existing: HashMap<String, (String, String, String, Option<String>)> =
        sqlx::query("SELECT teryt, name, name_extra, valid_on, parent_teryt FROM local_government")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    text(r, "teryt")?,
                    (
                        text(r, "name")?,
                        text(r, "name_extra")?,
                        text(r, "valid_on")?,
                        opt_text(r, "parent_teryt")?,
                    ),
                ))
            })
            .collect::<Result<_>>()?;
    let mut ordered: Vec<&Unit> = units.iter().collect();
    ordered.sort_by_key(|u| (u.kind.depth(), u.teryt.clone()));
    let mut report = ImportReport::default();
    for unit in ordered {
        let parent = unit.parent.as_ref().map(Teryt::as_str);
        match existing.get(unit.teryt.as_str()) {
            Some((name, extra, valid_on, p))
                if *name == unit.name
                    && *extra == unit.name_extra
                    && *valid_on == unit.valid_on
                    && p.as_deref() == parent =>
            {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
            None => report.inserted += 1,
        }
        sqlx::query(
            "INSERT INTO local_government \
             (teryt, kind, is_jst, parent_teryt, name, name_extra, valid_on, created_at, updated_at, search_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) \
             ON CONFLICT (teryt) DO UPDATE SET kind = excluded.kind, is_jst = excluded.is_jst, \
             parent_teryt = excluded.parent_teryt, name = excluded.name, \
             name_extra = excluded.name_extra, valid_on = excluded.valid_on, \
             updated_at = excluded.updated_at, search_key = excluded.search_key",
        )
        .bind(unit.teryt.as_str())
        .bind(unit.kind.code())
        .bind(i64::from(unit.kind.is_local_government()))
        .bind(parent)
        .bind(&unit.name)
        .bind(&unit.name_extra)
        .bind(&unit.valid_on)
        .bind(now)
        .bind(crate::domain::search::fold(&unit.name))
        .execute(&mut *tx)
        .await?;
    }
    if report.inserted + report.updated > 0 {
        bump_version(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// Counts the units of each kind in the register.
pub async fn count_by_kind(db: &Db) -> Result<KindCounts> {
    let rows = sqlx::query("SELECT kind, COUNT(*) AS n FROM local_government GROUP BY kind")
        .fetch_all(db.pool())
        .await?;
    let mut counts = KindCounts::new();
    for r in &rows {
        if let Some(kind) = UnitKind::from_code(&text(r, "kind")?) {
            counts.insert(kind, int(r, "n")?);
        }
    }
    Ok(counts)
}

pub async fn get(db: &Db, teryt: &Teryt) -> Result<Option<UnitRow>> {
    let row = sqlx::query(
        "SELECT teryt, kind, name, name_extra, parent_teryt FROM local_government WHERE teryt = $1",
    )
    .bind(teryt.as_str())
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(unit_row).transpose()
}

/// The unit and its ancestors, outermost (województwo) first.
pub async fn with_ancestors(db: &Db, teryt: &Teryt) -> Result<Vec<UnitRow>> {
    let mut chain = Vec::new();
    let mut next = Some(teryt.as_str().to_owned());
    while let Some(code) = next.take() {
        let Ok(code) = Teryt::parse(&code) else { break };
        let Some(unit) = get(db, &code).await? else {
            break;
        };
        next = unit.parent.clone();
        chain.push(unit);
        if chain.len() > 5 {
            break;
        }
    }
    chain.reverse();
    Ok(chain)
}

/// The units directly below one, ordered by name.
pub async fn children(db: &Db, teryt: &Teryt) -> Result<Vec<UnitRow>> {
    let rows = sqlx::query(
        "SELECT teryt, kind, name, name_extra, parent_teryt FROM local_government \
         WHERE parent_teryt = $1 ORDER BY name, teryt",
    )
    .bind(teryt.as_str())
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(unit_row).collect()
}

pub(super) fn unit_row(r: &sqlx::any::AnyRow) -> Result<UnitRow> {
    let kind = text(r, "kind")?;
    Ok(UnitRow {
        kind: UnitKind::from_code(&kind).unwrap_or(UnitKind::GminaWiejska),
        teryt: r.try_get("teryt")?,
        name: text(r, "name")?,
        name_extra: text(r, "name_extra")?,
        parent: opt_text(r, "parent_teryt")?,
    })
}

/// The województwa, by name.
pub async fn top_level(db: &Db) -> Result<Vec<UnitRow>> {
    let rows = sqlx::query(
        "SELECT teryt, kind, name, name_extra, parent_teryt FROM local_government \
         WHERE parent_teryt IS NULL ORDER BY name",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(unit_row).collect()
}
