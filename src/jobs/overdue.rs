//! The daily list of overdue replies, one e-mail to each person who leads
//! cases whose reply is overdue (`mail::cases::overdue`), once a day.

use super::{Context, Error};
use crate::store::letters;

/// Queues the day's lists of overdue replies unless they were queued that
/// day (in Warsaw) already; how many.
pub async fn run_once(ctx: &Context, now: jiff::Timestamp) -> Result<usize, Error> {
    let base = &ctx.settings().base_url;
    let today = now.to_zoned(crate::clock::warsaw()).date();
    let n = letters::send_overdue(
        ctx.db(),
        today,
        |to, list| crate::mail::cases::overdue(to, list, base),
        now,
    )
    .await?;
    if n > 0 {
        ctx.queued();
    }
    Ok(n)
}
