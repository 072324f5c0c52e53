//! The register of local governments (TERYT/TERC) in the database.

use super::{bump_version, Db, Result};
use crate::domain::jst_match::Candidate;
use crate::domain::teryt::{self as rules, NameInput, Teryt, Unit, UnitKind};
use sqlx::FromRow;
use std::collections::HashMap;

/// What an import changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A unit as the pages show it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UnitRow {
    pub teryt: String,
    pub kind: UnitKind,
    pub name: String,
    pub name_extra: String,
    #[sqlx(rename = "parent_teryt")]
    pub parent: Option<String>,
    /// The name as people write it (`domain::teryt::display_names`).
    pub display_name: String,
}

impl UnitRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    /// The kind to show after the name in a list, when the name does not
    /// already say it ("powiat płoński", "Płońsk (gmina miejska)").
    pub fn kind_note(&self) -> Option<&'static str> {
        let says_it = self.display_name.contains(" (")
            || matches!(self.kind, UnitKind::Powiat | UnitKind::Wojewodztwo);
        (!says_it).then(|| self.kind.label())
    }

    /// The register's description, when it says more than the kind
    /// ("miasto stołeczne, na prawach powiatu"; not "powiat" again).
    pub fn extra_note(&self) -> Option<&str> {
        let extra = self.name_extra.trim();
        (!extra.is_empty() && extra != self.kind.label()).then_some(extra)
    }
}

/// Number of units of each kind.
pub type KindCounts = HashMap<UnitKind, i64>;

/// Upserts every unit in one transaction: all or nothing. Unchanged rows are
/// not written, so a re-import of the same file changes nothing.
#[tracing::instrument(skip_all, fields(units = units.len()))]
pub async fn import(db: &Db, units: &[Unit], now: jiff::Timestamp) -> Result<ImportReport> {
    let now = &crate::clock::stamp(now);
    let mut tx = db.begin_write().await?;
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT teryt, name, name_extra, valid_on, parent_teryt FROM local_government",
    )
    .fetch_all(&mut *tx)
    .await?;
    let existing: HashMap<String, (String, String, String, Option<String>)> = rows
        .into_iter()
        .map(|(teryt, name, extra, valid_on, parent)| (teryt, (name, extra, valid_on, parent)))
        .collect();
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
        .bind(unit.kind)
        .bind(i64::from(unit.teryt.is_jst()))
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
        write_names(&mut tx).await?;
        bump_version(&mut tx, super::Topics::REGISTER).await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// SQL for the code a JST is recorded under (`Teryt::canonical`) of the
/// code in `column`: a city's gmina code (1462011) counts as the city (1462).
pub fn canonical_sql(column: &'static str) -> String {
    format!(
        "CASE WHEN LENGTH({column}) = 7 AND SUBSTR({column}, 3, 2) >= '61' \
         AND SUBSTR({column}, 7, 1) = '1' THEN SUBSTR({column}, 1, 4) ELSE {column} END"
    )
}

/// Counts the units of each kind in the register.
pub async fn count_by_kind(db: &Db) -> Result<KindCounts> {
    let rows: Vec<(UnitKind, i64)> =
        sqlx::query_as("SELECT kind, COUNT(*) AS n FROM local_government GROUP BY kind")
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().collect())
}

/// Gives every unit of the register the name people write and its sort
/// key, where they are missing (a database from before they were kept).
pub async fn name_units(db: &Db) -> Result<()> {
    let missing = sqlx::query("SELECT teryt FROM local_government WHERE display_name = '' LIMIT 1")
        .fetch_optional(db.pool())
        .await?;
    if missing.is_none() {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    write_names(&mut tx).await?;
    bump_version(&mut tx, super::Topics::REGISTER).await?;
    tx.commit().await?;
    Ok(())
}

/// Recomputes the names of the whole register (namesakes depend on all of
/// it) and writes those that changed.
async fn write_names(tx: &mut super::Tx) -> Result<()> {
    let units: Vec<(String, UnitKind, String, String, String, String)> = sqlx::query_as(
        "SELECT teryt, kind, name, name_extra, display_name, sort_key FROM local_government",
    )
    .fetch_all(&mut **tx)
    .await?;
    let input: Vec<NameInput> = units
        .iter()
        .map(|(teryt, kind, name, extra, _, _)| NameInput {
            teryt,
            kind: *kind,
            name,
            name_extra: extra,
        })
        .collect();
    let names = rules::display_names(&input);
    for ((teryt, _, _, _, old_name, old_key), new) in units.iter().zip(names) {
        if *old_name == new.name && *old_key == new.sort_key {
            continue;
        }
        sqlx::query(
            "UPDATE local_government SET display_name = $2, sort_key = $3 WHERE teryt = $1",
        )
        .bind(teryt)
        .bind(&new.name)
        .bind(&new.sort_key)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A JST with what the matcher and its choices need.
#[derive(Clone, Debug)]
pub struct MatchRow {
    pub candidate: Candidate,
    pub display_name: String,
    /// The name of its powiat as people write it (gminy only).
    pub county_name: String,
}

/// Every JST of the register (not parts, not the second code of a city
/// with powiat rights), in Polish order, for `domain::jst_match::resolve`.
pub async fn candidates(db: &Db) -> Result<Vec<MatchRow>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        teryt: String,
        kind: UnitKind,
        name: String,
        display_name: String,
        county: Option<String>,
        county_name: Option<String>,
        voivodeship: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT g.teryt, g.kind, g.name, g.display_name, c.name AS county, \
         c.display_name AS county_name, v.name AS voivodeship FROM local_government g \
         LEFT JOIN local_government c ON LENGTH(g.teryt) = 7 AND c.teryt = SUBSTR(g.teryt, 1, 4) \
         LEFT JOIN local_government v ON LENGTH(g.teryt) > 2 AND v.teryt = SUBSTR(g.teryt, 1, 2) \
         WHERE g.is_jst = 1 ORDER BY g.sort_key, g.teryt",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MatchRow {
            candidate: Candidate {
                teryt: r.teryt,
                kind: r.kind,
                name: r.name,
                county: r.county.unwrap_or_default(),
                voivodeship: r.voivodeship.unwrap_or_default(),
            },
            display_name: r.display_name,
            county_name: r.county_name.unwrap_or_default(),
        })
        .collect())
}

/// What someone typed as a JST, resolved against the register.
#[derive(Clone, Debug)]
pub enum Resolved {
    One(MatchRow),
    Several(Vec<MatchRow>),
    TooMany(usize),
    Nothing,
    /// Fewer than `jst_match::MIN_LETTERS` letters typed.
    TooShort,
}

/// Resolves a typed name or code (`domain::jst_match::resolve`).
pub async fn resolve(db: &Db, typed: &str) -> Result<Resolved> {
    use crate::domain::jst_match::{self, Found};
    let mut rows = candidates(db).await?;
    let list: Vec<Candidate> = rows.iter().map(|r| r.candidate.clone()).collect();
    Ok(match jst_match::resolve(typed, &list) {
        Found::One(i) => Resolved::One(rows.swap_remove(i)),
        Found::Several(found) => {
            Resolved::Several(found.into_iter().map(|i| rows[i].clone()).collect())
        }
        Found::TooMany(n) => Resolved::TooMany(n),
        Found::Nothing => Resolved::Nothing,
        Found::TooShort => Resolved::TooShort,
    })
}

/// Why nothing was found for `typed`, naming the voivodeship the register
/// holds (`domain::jst_match::not_found`).
pub async fn not_found(db: &Db, typed: &str) -> Result<String> {
    let regions: Vec<String> = top_level(db).await?.into_iter().map(|u| u.name).collect();
    Ok(crate::domain::jst_match::not_found(typed, &regions))
}

impl MatchRow {
    /// "Płońsk — gmina miejska, powiat płoński".
    pub fn choice_label(&self) -> String {
        crate::domain::jst_match::choice_label(
            &self.candidate,
            &self.display_name,
            &self.county_name,
        )
    }
}

pub async fn get(db: &Db, teryt: &Teryt) -> Result<Option<UnitRow>> {
    Ok(sqlx::query_as(
        "SELECT teryt, kind, name, name_extra, parent_teryt, display_name FROM local_government \
         WHERE teryt = $1",
    )
    .bind(teryt.as_str())
    .fetch_optional(db.pool())
    .await?)
}

/// The unit and its ancestors, outermost (województwo) first; the gmina
/// code of a city with powiat rights is the city, so it is left out.
pub async fn with_ancestors(db: &Db, teryt: &Teryt) -> Result<Vec<UnitRow>> {
    let mut chain = Vec::new();
    let mut next = Some(teryt.as_str().to_owned());
    while let Some(code) = next.take() {
        let Ok(code) = Teryt::parse(&code) else { break };
        let Some(unit) = get(db, &code).await? else {
            break;
        };
        next = unit.parent.clone();
        if chain.is_empty() || !rules::is_city_gmina(&unit.teryt) {
            chain.push(unit);
        }
        if chain.len() > 5 {
            break;
        }
    }
    chain.reverse();
    Ok(chain)
}

/// The units directly below one, in Polish alphabetical order. Below a
/// city with powiat rights are its districts (below its gmina code, which
/// is the city itself and not listed).
pub async fn children(db: &Db, teryt: &Teryt) -> Result<Vec<UnitRow>> {
    Ok(sqlx::query_as(
        "SELECT teryt, kind, name, name_extra, parent_teryt, display_name FROM local_government \
         WHERE (parent_teryt = $1 OR parent_teryt = $2) AND teryt <> $2 ORDER BY sort_key, teryt",
    )
    .bind(teryt.as_str())
    .bind(match teryt.kind() {
        UnitKind::MiastoNaPrawachPowiatu => format!("{teryt}011"),
        _ => "-".to_owned(),
    })
    .fetch_all(db.pool())
    .await?)
}

/// A unit of a row holding `UnitRow`'s columns.
pub(super) fn unit_row(r: &sqlx::any::AnyRow) -> Result<UnitRow> {
    Ok(UnitRow::from_row(r)?)
}

/// The województwa, in Polish alphabetical order.
pub async fn top_level(db: &Db) -> Result<Vec<UnitRow>> {
    Ok(sqlx::query_as(
        "SELECT teryt, kind, name, name_extra, parent_teryt, display_name FROM local_government \
         WHERE parent_teryt IS NULL ORDER BY sort_key",
    )
    .fetch_all(db.pool())
    .await?)
}

/// The cooperation monitor's region: the code of the register's one
/// voivodeship, or empty (the whole country) when it holds several.
pub async fn monitor_region(db: &Db) -> Result<String> {
    Ok(match top_level(db).await?.as_slice() {
        [one] => one.teryt.clone(),
        _ => String::new(),
    })
}

/// The JSTs whose code starts with `within` (the whole register when
/// empty), in Polish alphabetical order.
pub async fn jsts_within(db: &Db, within: &str) -> Result<Vec<UnitRow>> {
    Ok(sqlx::query_as(
        "SELECT teryt, kind, name, name_extra, parent_teryt, display_name FROM local_government \
         WHERE is_jst = 1 AND teryt LIKE $1 ORDER BY sort_key, teryt",
    )
    .bind(format!("{within}%"))
    .fetch_all(db.pool())
    .await?)
}
