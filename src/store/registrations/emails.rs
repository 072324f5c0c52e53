//! The e-mails a registration gets once each (reminder, thank-you),
//! whichever instance queues them.

use super::*;

/// Confirmed registrations of activities starting on `day` that have had no
/// reminder yet.
pub async fn due_reminders(db: &Db, day: jiff::civil::Date) -> Result<Vec<Registrant>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {} FROM registration r JOIN activity a ON a.id = r.activity_id \
         WHERE a.starts_on = $1 AND r.status = 'confirmed' AND r.reminded_at IS NULL ORDER BY r.id",
        link_columns_of("r")
    ))
    .bind(day.to_string())
    .fetch_all(db.pool())
    .await?)
}

/// The e-mails a registration gets once each, whichever instance sends
/// them; the column marks that it was queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Once {
    /// Two days before the activity.
    Reminder,
    /// After it, with the certificate and the feedback form.
    Thanks,
}

impl Once {
    fn column(self) -> &'static str {
        match self {
            Once::Reminder => "reminded_at",
            Once::Thanks => "thanked_at",
        }
    }
}

/// Queues `mail` unless this e-mail was queued before; true if queued.
pub async fn queue_once(
    db: &Db,
    id: i64,
    once: Once,
    mail: &Message,
    now: Timestamp,
) -> Result<bool> {
    let column = once.column();
    let now = stamp(now);
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(&format!(
        "UPDATE registration SET {column} = $2 WHERE id = $1 AND {column} IS NULL"
    ))
    .bind(id)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if marked == 1 {
        outbox::enqueue(&mut tx, mail, &now).await?;
    }
    tx.commit().await?;
    Ok(marked == 1)
}
