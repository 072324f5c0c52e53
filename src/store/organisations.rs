//! Organisations as staff manage them: search, filters, details, changes
//! with their audit entries.

use serde_json::json;
use sqlx::{FromRow, Row};

use super::audit::{self, Entry};
use super::cases::Flag;
use super::{Db, Paged, Result, StoreError, Tx, Where};
use crate::domain::access::Scope;
use crate::domain::records::{LegalForm, Organisation};
use crate::domain::search;

/// An organisation with everything the back office shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Record {
    pub id: i64,
    pub name: String,
    pub legal_form: LegalForm,
    pub krs: Option<String>,
    pub nip: Option<String>,
    pub regon: Option<String>,
    pub address: String,
    pub local_government: Option<String>,
    pub jst_name: Option<String>,
    #[sqlx(try_from = "Flag")]
    pub is_opp: bool,
    pub areas: String,
}

impl Record {
    pub fn legal_form_label(&self) -> &str {
        self.legal_form.label()
    }

    /// The fields as the audit log keeps them (an organisation is not a
    /// person: all of them).
    fn audit(&self) -> serde_json::Value {
        json!({
            "name": self.name, "legal_form": self.legal_form.code(), "krs": self.krs, "nip": self.nip,
            "regon": self.regon, "address": self.address, "local_government": self.local_government,
            "is_opp": self.is_opp, "areas": self.areas,
        })
    }
}

/// What the list is filtered by.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub query: String,
    /// A TERYT prefix.
    pub unit: String,
    pub opp_only: bool,
}

const COLUMNS: &str = "o.id, o.name, o.legal_form, o.krs, o.nip, o.regon, o.address, \
     o.local_government, g.display_name AS jst_name, o.is_opp, o.areas";

fn conditions(f: &Filter, scope: &Scope) -> Where {
    let mut w = Where::default();
    if let Some(p) = search::pattern(&f.query) {
        w.text("o.search_key LIKE ?", p);
    }
    if !f.unit.is_empty() {
        w.within("o.local_government", &f.unit);
    }
    if f.opp_only {
        w.raw("o.is_opp = 1");
    }
    w.scope(scope, Some("o.local_government"), None, None);
    w
}

pub async fn list(
    db: &Db,
    f: &Filter,
    scope: &Scope,
    limit: i64,
    offset: i64,
) -> Result<Paged<Record>> {
    let w = conditions(f, scope);
    let total = w.count(db, "organisation o").await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM organisation o LEFT JOIN local_government g ON g.teryt = o.local_government \
         WHERE {} ORDER BY o.sort_key, o.id LIMIT {limit} OFFSET {offset}",
        w.sql()
    );
    let rows = w.bind(sqlx::query(&sql)).fetch_all(db.pool()).await?;
    let items = rows
        .iter()
        .map(Record::from_row)
        .collect::<sqlx::Result<_>>()?;
    Ok(Paged { items, total })
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Record>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM organisation o LEFT JOIN local_government g ON g.teryt = o.local_government \
         WHERE o.id = $1"
    );
    Ok(sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

/// Another organisation with the same NIP or KRS, if there is one.
pub async fn duplicate(
    db: &Db,
    nip: Option<&str>,
    krs: Option<&str>,
    except: Option<i64>,
) -> Result<Option<(i64, String, &'static str)>> {
    for (col, value, label) in [("nip", nip, "NIP"), ("krs", krs, "KRS")] {
        let Some(value) = value else { continue };
        let row: Option<(i64, String)> = sqlx::query_as(&format!(
            "SELECT id, name FROM organisation WHERE {col} = $1 AND id <> $2"
        ))
        .bind(value)
        .bind(except.unwrap_or(-1))
        .fetch_optional(db.pool())
        .await?;
        if let Some((id, name)) = row {
            return Ok(Some((id, name, label)));
        }
    }
    Ok(None)
}

/// Up to `limit` organisations whose name matches, for resolving what
/// someone typed into a form.
pub async fn find(db: &Db, typed: &str, limit: i64) -> Result<Vec<(i64, String)>> {
    if let Ok(id) = typed.trim().trim_start_matches('#').parse::<i64>() {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM organisation WHERE id = $1")
                .bind(id)
                .fetch_optional(db.pool())
                .await?;
        return Ok(row.into_iter().collect());
    }
    let folded = search::fold(typed);
    let exact: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM organisation WHERE search_key = $1 ORDER BY id LIMIT 2",
    )
    .bind(&folded)
    .fetch_all(db.pool())
    .await?;
    let rows = if exact.len() == 1 {
        exact
    } else {
        let Some(p) = search::pattern(typed) else {
            return Ok(Vec::new());
        };
        sqlx::query_as(&format!(
            "SELECT id, name FROM organisation WHERE search_key LIKE $1 ORDER BY sort_key, id LIMIT {limit}"
        ))
        .bind(p)
        .fetch_all(db.pool())
        .await?
    };
    Ok(rows)
}

async fn insert_in(tx: &mut Tx, o: &Organisation, jst: Option<&str>, now: &str) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO organisation (name, legal_form, krs, nip, regon, address, local_government, \
         is_opp, areas, search_key, created_at, updated_at, sort_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) RETURNING id",
    )
    .bind(&o.name)
    .bind(o.legal_form.code())
    .bind(o.krs.as_deref())
    .bind(o.nip.as_deref())
    .bind(o.regon.as_deref())
    .bind(&o.address)
    .bind(jst)
    .bind(i64::from(o.is_opp))
    .bind(&o.areas)
    .bind(search::fold(&o.name))
    .bind(now)
    .bind(search::sort_key(&o.name))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Creates (`id` = None) or changes an organisation; returns its id, or
/// `None` when another organisation has its NIP or KRS (the unique
/// indexes say so, also of one saved at the same moment), and nothing
/// changed.
pub async fn save(
    db: &Db,
    who: i64,
    id: Option<i64>,
    o: &Organisation,
    jst: Option<&str>,
    now: jiff::Timestamp,
) -> Result<Option<i64>> {
    let now = &crate::clock::stamp(now);
    let before = match id {
        Some(id) => get(db, id).await?.map(|r| r.audit()),
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let written = match id {
        None => insert_in(&mut tx, o, jst, now).await,
        Some(id) => sqlx::query(
            "UPDATE organisation SET name = $1, legal_form = $2, krs = $3, nip = $4, regon = $5, \
                 address = $6, local_government = $7, is_opp = $8, areas = $9, search_key = $10, \
                 updated_at = $11, sort_key = $13 WHERE id = $12",
        )
        .bind(&o.name)
        .bind(o.legal_form.code())
        .bind(o.krs.as_deref())
        .bind(o.nip.as_deref())
        .bind(o.regon.as_deref())
        .bind(&o.address)
        .bind(jst)
        .bind(i64::from(o.is_opp))
        .bind(&o.areas)
        .bind(search::fold(&o.name))
        .bind(now)
        .bind(id)
        .bind(search::sort_key(&o.name))
        .execute(&mut *tx)
        .await
        .map(|_| id)
        .map_err(Into::into),
    };
    let saved = match written {
        Err(StoreError::Database(e)) if super::is_unique_violation(&e) => {
            tx.rollback().await?;
            return Ok(None);
        }
        other => other?,
    };
    let after = json!({
        "name": o.name, "legal_form": o.legal_form.code(), "krs": o.krs, "nip": o.nip,
        "regon": o.regon, "address": o.address, "local_government": jst,
        "is_opp": o.is_opp, "areas": o.areas,
    });
    let action = if id.is_some() { "update" } else { "create" };
    let mut entry = Entry::new(Some(who), action, "organisation", saved, now).after(after);
    if let Some(b) = before {
        entry = entry.before(b);
    }
    audit::record(&mut tx, &entry).await?;
    super::bump_version(&mut tx, super::Topics::ORGANISATIONS).await?;
    tx.commit().await?;
    Ok(Some(saved))
}

/// How many records point at an organisation (people, activities,
/// affiliations): while any do, it cannot be deleted.
pub async fn references(db: &Db, id: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM person WHERE organisation_id = $1) \
         + (SELECT COUNT(*) FROM activity WHERE organisation_id = $1) \
         + (SELECT COUNT(*) FROM affiliation WHERE organisation_id = $1)",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn delete(db: &Db, who: i64, id: i64, now: jiff::Timestamp) -> Result<bool> {
    let now = &crate::clock::stamp(now);
    let Some(before) = get(db, id).await? else {
        return Ok(false);
    };
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM organisation WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Entry::new(Some(who), "delete", "organisation", id, now).before(before.audit()),
    )
    .await?;
    super::bump_version(&mut tx, super::Topics::ORGANISATIONS).await?;
    tx.commit().await?;
    Ok(true)
}

/// A row of a CSV import, validated.
pub struct Import {
    pub organisation: Organisation,
    pub jst: Option<String>,
}

/// Inserts all rows in one transaction, or none: `None` when a NIP or
/// KRS of a row was taken since the file was checked.
pub async fn import(
    db: &Db,
    who: i64,
    rows: &[Import],
    now: jiff::Timestamp,
) -> Result<Option<usize>> {
    let now = &crate::clock::stamp(now);
    let mut tx = db.begin_write().await?;
    for r in rows {
        let o = &r.organisation;
        let id = match insert_in(&mut tx, o, r.jst.as_deref(), now).await {
            Err(StoreError::Database(e)) if super::is_unique_violation(&e) => {
                tx.rollback().await?;
                return Ok(None);
            }
            other => other?,
        };
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "import", "organisation", id, now)
                .after(json!({ "name": o.name, "nip": o.nip, "krs": o.krs })),
        )
        .await?;
    }
    super::bump_version(&mut tx, super::Topics::ORGANISATIONS).await?;
    tx.commit().await?;
    Ok(Some(rows.len()))
}
