//! The programme (agenda) of an event: items by day and time, with their
//! speakers and short notes about them.

use serde_json::json;
use sqlx::Row;

use super::audit::{self, Entry};
use super::{Db, Result};
use crate::clock::stamp;
use crate::domain::records::AgendaItem;
use jiff::Timestamp;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub item: AgendaItem,
}

pub async fn list(db: &Db, activity: i64) -> Result<Vec<Item>> {
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT id, day, starts_at, title, speakers FROM agenda_item WHERE activity_id = $1 \
         ORDER BY day, starts_at, id",
    )
    .bind(activity)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Item {
            id: r.id,
            item: AgendaItem {
                day: r.day,
                starts_at: r.starts_at,
                title: r.title,
                speakers: r.speakers,
            },
        })
        .collect())
}

/// An item as read.
#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    day: String,
    starts_at: String,
    title: String,
    speakers: String,
}

/// Adds an item inside a transaction, without an audit entry: for the
/// demo loader, which writes the programme's records in one go.
pub async fn insert(
    tx: &mut super::Tx,
    activity: i64,
    a: &AgendaItem,
    now: Timestamp,
) -> Result<()> {
    insert_item(tx, activity, a, now).await.map(|_| ())
}

/// Writes an item and answers its id.
async fn insert_item(
    tx: &mut super::Tx,
    activity: i64,
    a: &AgendaItem,
    now: Timestamp,
) -> Result<i64> {
    Ok(sqlx::query(
        "INSERT INTO agenda_item (activity_id, day, starts_at, title, speakers, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(activity)
    .bind(&a.day)
    .bind(&a.starts_at)
    .bind(&a.title)
    .bind(&a.speakers)
    .bind(stamp(now))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Adds an item (`Some`) or removes one (`remove`), with its audit entry.
pub async fn change(
    db: &Db,
    who: i64,
    activity: i64,
    add: Option<&AgendaItem>,
    remove: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    if let Some(a) = add {
        let id = insert_item(&mut tx, activity, a, now).await?;
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "create", "agenda_item", id, &stamp(now)).after(json!({
                "activity_id": activity, "day": a.day, "starts_at": a.starts_at, "title": a.title, "speakers": a.speakers
            })),
        )
        .await?;
    }
    if let Some(id) = remove {
        sqlx::query("DELETE FROM agenda_item WHERE id = $1 AND activity_id = $2")
            .bind(id)
            .bind(activity)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            &Entry::new(Some(who), "delete", "agenda_item", id, &stamp(now))
                .before(json!({ "activity_id": activity })),
        )
        .await?;
    }
    super::bump_version(&mut tx, super::Topics::ACTIVITIES).await?;
    tx.commit().await?;
    Ok(())
}
