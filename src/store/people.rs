//! People as staff manage them: search, details, affiliations, consents.
//!
//! The audit log gets only ids and the names of changed fields, never a
//! person's name, e-mail, phone or gender.

use serde_json::json;
use sqlx::{FromRow, Row};

use super::audit::{self, Entry};
use super::{Db, Paged, Result, Tx, Where};
use crate::domain::access::Scope;
use crate::domain::activity::{Gender, Group};
use crate::domain::records::{AffiliationRole, Person};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Record {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: String,
    pub gender: Gender,
    #[sqlx(rename = "person_group")]
    pub group: Group,
    pub organisation_id: Option<i64>,
    pub organisation: Option<String>,
    pub local_government: Option<String>,
    pub jst_name: Option<String>,
}

impl Record {
    pub fn group_label(&self) -> &str {
        self.group.label()
    }

    pub fn gender_label(&self) -> &str {
        self.gender.label()
    }

    /// The record's unit for scoping: the person's JST, else their
    /// organisation's.
    fn personal_fields(&self) -> [(&'static str, String); 5] {
        [
            ("first_name", self.first_name.clone()),
            ("last_name", self.last_name.clone()),
            ("email", self.email.clone().unwrap_or_default()),
            ("phone", self.phone.clone()),
            ("gender", self.gender.code().to_owned()),
        ]
    }
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub query: String,
    pub group: String,
    pub unit: String,
}

/// The unit a person belongs to for scoping and filters.
const UNIT: &str = "COALESCE(p.local_government, o.local_government)";

const FROM: &str = "person p LEFT JOIN organisation o ON o.id = p.organisation_id \
     LEFT JOIN local_government g ON g.teryt = p.local_government";

const COLUMNS: &str =
    "p.id, p.first_name, p.last_name, p.email, p.phone, p.gender, p.person_group, \
     p.organisation_id, o.name AS organisation, p.local_government, g.display_name AS jst_name";

pub async fn list(
    db: &Db,
    f: &Filter,
    scope: &Scope,
    limit: i64,
    offset: i64,
) -> Result<Paged<Record>> {
    let mut w = Where::default();
    if let Some(p) = crate::domain::search::pattern(&f.query) {
        w.text("p.search_key LIKE ?", p);
    }
    if Group::from_code(&f.group).is_some() {
        w.text("p.person_group = ?", f.group.clone());
    }
    if !f.unit.is_empty() {
        w.within(UNIT, &f.unit);
    }
    w.scope(scope, Some(UNIT), None, None);
    let total = w.count(db, FROM).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE {} ORDER BY p.sort_key, p.id \
         LIMIT {limit} OFFSET {offset}",
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
    let sql = format!("SELECT {COLUMNS}, {UNIT} AS unit FROM {FROM} WHERE p.id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(db.pool())
        .await?)
}

/// The unit a person counts in for scoping.
pub async fn unit(db: &Db, id: i64) -> Result<Option<String>> {
    let sql = format!("SELECT {UNIT} FROM {FROM} WHERE p.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?;
    Ok(row
        .map(|r| r.try_get::<Option<String>, _>(0))
        .transpose()?
        .flatten())
}

/// The person with this e-mail, if any.
pub async fn by_email(db: &Db, email: &str) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT id FROM person WHERE email = $1 ORDER BY id LIMIT 1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|r| r.try_get::<i64, _>(0)).transpose()?)
}

fn ids(p_org: Option<i64>, jst: Option<&str>, group: &str) -> serde_json::Value {
    json!({ "organisation_id": p_org, "local_government": jst, "group": group })
}

async fn insert_in(
    tx: &mut Tx,
    p: &Person,
    organisation: Option<i64>,
    jst: Option<&str>,
    now: &str,
) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO person (first_name, last_name, email, phone, gender, person_group, organisation_id, \
         local_government, search_key, created_at, updated_at, sort_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) RETURNING id",
    )
    .bind(&p.first_name)
    .bind(&p.last_name)
    .bind(p.email.as_deref())
    .bind(&p.phone)
    .bind(p.gender.code())
    .bind(p.group.code())
    .bind(organisation)
    .bind(jst)
    .bind(super::activities::person_key(&p.first_name, &p.last_name, p.email.as_deref()))
    .bind(now)
    .bind(super::activities::person_sort_key(&p.first_name, &p.last_name))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Creates (`id` = None) or changes a person; returns the id.
pub async fn save(
    db: &Db,
    who: i64,
    id: Option<i64>,
    p: &Person,
    organisation: Option<i64>,
    jst: Option<&str>,
    now: jiff::Timestamp,
) -> Result<i64> {
    let now = &crate::clock::stamp(now);
    let before = match id {
        Some(id) => get(db, id).await?,
        None => None,
    };
    let mut tx = db.begin_write().await?;
    let saved = match id {
        None => insert_in(&mut tx, p, organisation, jst, now).await?,
        Some(id) => {
            sqlx::query(
                "UPDATE person SET first_name = $2, last_name = $3, email = $4, phone = $5, gender = $6, \
                 person_group = $7, organisation_id = $8, local_government = $9, search_key = $10, \
                 updated_at = $11, sort_key = $12 WHERE id = $1",
            )
            .bind(id)
            .bind(&p.first_name)
            .bind(&p.last_name)
            .bind(p.email.as_deref())
            .bind(&p.phone)
            .bind(p.gender.code())
            .bind(p.group.code())
            .bind(organisation)
            .bind(jst)
            .bind(super::activities::person_key(&p.first_name, &p.last_name, p.email.as_deref()))
            .bind(now)
            .bind(super::activities::person_sort_key(&p.first_name, &p.last_name))
            .execute(&mut *tx)
            .await?;
            // The project's team is not among the recipients: a change of
            // group may add or remove the person there.
            if before.as_ref().is_some_and(|b| b.group != p.group) {
                super::activities::group_changed(&mut tx, id).await?;
            }
            id
        }
    };
    let mut after = ids(organisation, jst, p.group.code());
    let mut entry = Entry::new(
        Some(who),
        if id.is_some() { "update" } else { "create" },
        "person",
        saved,
        now,
    );
    if let Some(b) = &before {
        let new = [
            ("first_name", p.first_name.clone()),
            ("last_name", p.last_name.clone()),
            ("email", p.email.clone().unwrap_or_default()),
            ("phone", p.phone.clone()),
            ("gender", p.gender.code().to_owned()),
        ];
        let changed: Vec<&str> = b
            .personal_fields()
            .iter()
            .zip(new.iter())
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, _)| a.0)
            .collect();
        after["changed_personal_fields"] = json!(changed);
        entry = entry.before(ids(
            b.organisation_id,
            b.local_government.as_deref(),
            b.group.code(),
        ));
    }
    audit::record(&mut tx, &entry.after(after)).await?;
    super::bump_version(&mut tx, super::Topics::PEOPLE).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Attendance and network membership keep a person in the figures: while
/// any exist, the person cannot be deleted.
pub async fn references(db: &Db, id: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM attendance WHERE person_id = $1) \
         + (SELECT COUNT(*) FROM network_member WHERE person_id = $1)",
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
    // Certificates of activities the person is no longer on are void.
    sqlx::query("DELETE FROM certificate WHERE person_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM person WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Entry::new(Some(who), "delete", "person", id, now).before(ids(
            before.organisation_id,
            before.local_government.as_deref(),
            before.group.code(),
        )),
    )
    .await?;
    super::bump_version(&mut tx, super::Topics::PEOPLE).await?;
    tx.commit().await?;
    Ok(true)
}

/// A validated row of a CSV import.
pub struct Import {
    pub person: Person,
    pub organisation: Option<i64>,
    pub jst: Option<String>,
}

pub async fn import(db: &Db, who: i64, rows: &[Import], now: jiff::Timestamp) -> Result<usize> {
    let now = &crate::clock::stamp(now);
    let mut tx = db.begin_write().await?;
    for r in rows {
        let id = insert_in(&mut tx, &r.person, r.organisation, r.jst.as_deref(), now).await?;
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "import", "person", id, now).after(ids(
                r.organisation,
                r.jst.as_deref(),
                r.person.group.code(),
            )),
        )
        .await?;
    }
    super::bump_version(&mut tx, super::Topics::PEOPLE).await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Where a person works, besides their main organisation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Affiliation {
    pub id: i64,
    pub organisation: Option<String>,
    pub jst_name: Option<String>,
    pub role: String,
}

impl Affiliation {
    pub fn role_label(&self) -> &str {
        AffiliationRole::from_code(&self.role)
            .map(AffiliationRole::label)
            .unwrap_or("")
    }
}

pub async fn affiliations(db: &Db, person: i64) -> Result<Vec<Affiliation>> {
    Ok(sqlx::query_as(
        "SELECT a.id, o.name AS organisation, g.display_name AS jst_name, a.role FROM affiliation a \
         LEFT JOIN organisation o ON o.id = a.organisation_id \
         LEFT JOIN local_government g ON g.teryt = a.local_government \
         WHERE a.person_id = $1 ORDER BY a.id",
    )
    .bind(person)
    .fetch_all(db.pool())
    .await?)
}

/// Adds an affiliation (`organisation` or `jst`, with a role), or removes
/// one (`remove`), with its audit entry.
pub async fn change_affiliation(
    db: &Db,
    who: i64,
    person: i64,
    add: Option<(Option<i64>, Option<&str>, AffiliationRole)>,
    remove: Option<i64>,
    now: jiff::Timestamp,
) -> Result<()> {
    let now = &crate::clock::stamp(now);
    let mut tx = db.begin_write().await?;
    if let Some((org, jst, role)) = add {
        let id: i64 = sqlx::query(
            "INSERT INTO affiliation (person_id, organisation_id, local_government, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(person)
        .bind(org)
        .bind(jst)
        .bind(role.code())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "create", "affiliation", id, now).after(json!({
                "person_id": person, "organisation_id": org, "local_government": jst, "role": role.code()
            })),
        )
        .await?;
    }
    if let Some(id) = remove {
        sqlx::query("DELETE FROM affiliation WHERE id = $1 AND person_id = $2")
            .bind(id)
            .bind(person)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "delete", "affiliation", id, now)
                .before(json!({ "person_id": person })),
        )
        .await?;
    }
    super::bump_version(&mut tx, super::Topics::PEOPLE).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Consent {
    pub id: i64,
    pub purpose: String,
    pub text_version: String,
    #[sqlx(try_from = "super::rows::Stored")]
    pub given_at: jiff::Timestamp,
    #[sqlx(try_from = "super::rows::MaybeStored")]
    pub withdrawn_at: Option<jiff::Timestamp>,
}

pub async fn consents(db: &Db, person: i64) -> Result<Vec<Consent>> {
    Ok(sqlx::query_as(
        "SELECT id, purpose, text_version, given_at, withdrawn_at FROM consent WHERE person_id = $1 ORDER BY id",
    )
    .bind(person)
    .fetch_all(db.pool())
    .await?)
}

/// Records a consent given, or (with `withdraw`) withdraws one.
pub async fn change_consent(
    db: &Db,
    who: i64,
    person: i64,
    give: Option<(&str, &str)>,
    withdraw: Option<i64>,
    now: jiff::Timestamp,
) -> Result<()> {
    let now = &crate::clock::stamp(now);
    let mut tx = db.begin_write().await?;
    if let Some((purpose, version)) = give {
        let id: i64 = sqlx::query(
            "INSERT INTO consent (person_id, purpose, text_version, given_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(person)
        .bind(purpose)
        .bind(version)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "create", "consent", id, now)
                .after(json!({ "person_id": person, "purpose": purpose, "text_version": version })),
        )
        .await?;
    }
    if let Some(id) = withdraw {
        sqlx::query("UPDATE consent SET withdrawn_at = $3 WHERE id = $1 AND person_id = $2 AND withdrawn_at IS NULL")
            .bind(id)
            .bind(person)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "withdraw", "consent", id, now)
                .after(json!({ "person_id": person })),
        )
        .await?;
    }
    super::bump_version(&mut tx, super::Topics::PEOPLE).await?;
    tx.commit().await?;
    Ok(())
}
