//! The audit log: every change, written in the transaction that makes it.
//!
//! `before` and `after` hold the record's fields as JSON; fields that are
//! personal data are left out by the caller (people appear as ids only).

use super::rows::Stored;
use super::{Db, Paged, Result, Tx};

/// One line of the log, being written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub account_id: Option<i64>,
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub at: String,
}

impl Entry {
    pub fn new(
        account_id: Option<i64>,
        action: &'static str,
        entity: &'static str,
        entity_id: impl ToString,
        at: &str,
    ) -> Entry {
        Entry {
            account_id,
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: None,
            after: None,
            at: at.to_owned(),
        }
    }

    pub fn before(mut self, value: serde_json::Value) -> Entry {
        self.before = Some(value);
        self
    }

    pub fn after(mut self, value: serde_json::Value) -> Entry {
        self.after = Some(value);
        self
    }
}

pub async fn record(tx: &mut Tx, e: &Entry) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&e.at)
    .bind(e.account_id)
    .bind(e.action)
    .bind(e.entity)
    .bind(&e.entity_id)
    .bind(e.before.as_ref().map(|v| v.to_string()))
    .bind(e.after.as_ref().map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A line of the log as read back.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Line {
    pub id: i64,
    #[sqlx(try_from = "Stored")]
    pub at: jiff::Timestamp,
    pub account: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What the log is filtered by; empty means any.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub account_id: Option<i64>,
}

pub async fn list(db: &Db, f: &Filter, limit: i64, offset: i64) -> Result<Paged<Line>> {
    let mut cond = String::from("1 = 1");
    let mut binds: Vec<String> = Vec::new();
    for (col, value) in [
        ("l.entity", &f.entity),
        ("l.entity_id", &f.entity_id),
        ("l.action", &f.action),
    ] {
        if !value.is_empty() {
            binds.push(value.clone());
            cond.push_str(&format!(" AND {col} = ${}", binds.len()));
        }
    }
    if let Some(a) = f.account_id {
        cond.push_str(&format!(" AND l.account_id = {a}"));
    }
    let count_sql = format!("SELECT COUNT(*) FROM audit_log l WHERE {cond}");
    let mut q = sqlx::query_as(&count_sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let (total,): (i64,) = q.fetch_one(db.pool()).await?;
    let sql = format!(
        "SELECT l.id, l.at, a.name AS account, l.action, l.entity, l.entity_id, \
         l.before_json AS before, l.after_json AS after \
         FROM audit_log l LEFT JOIN account a ON a.id = l.account_id WHERE {cond} \
         ORDER BY l.id DESC LIMIT {limit} OFFSET {offset}"
    );
    let mut q = sqlx::query_as(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let items: Vec<Line> = q.fetch_all(db.pool()).await?;
    Ok(Paged { items, total })
}
