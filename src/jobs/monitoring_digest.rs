//! The coordinators' daily e-mail of the cooperation monitor
//! (`mail::monitoring::digest`), once a day whichever instance runs it.

use super::{Context, Error};
use crate::domain::access::Role;
use crate::domain::monitoring_changes::{overnight, Unit};
use crate::store::{accounts, monitoring, outbox, teryt};

const KIND: &str = "monitoring_digest";

/// Queues the day's digest to each coordinator unless it was queued that
/// day (in Warsaw) already; how many.
pub async fn run_once(ctx: &Context, now: jiff::Timestamp) -> Result<usize, Error> {
    let db = ctx.db();
    let zoned = now.to_zoned(crate::clock::warsaw());
    let today = zoned.date();
    if outbox::done_on(db, KIND, today).await? {
        return Ok(0);
    }
    let rules = &ctx.settings().monitoring;
    let year = crate::domain::monitoring::default_year(rules, today);
    let region = teryt::monitor_region(db).await?;
    let units = monitoring::region_with(db, &region, year, today.year()).await?;
    let read: Vec<Unit<'_>> = units
        .iter()
        .map(|u| Unit {
            teryt: &u.unit.teryt,
            name: &u.unit.display_name,
            facts: &u.facts,
        })
        .collect();
    let moved = overnight(rules, &read, year, today);
    let midnight = zoned.start_of_day()?.timestamp();
    let day_before = midnight - jiff::SignedDuration::from_hours(24);
    let saved = monitoring::saved_between(db, day_before, midnight).await?;
    let base = &ctx.settings().base_url;
    let messages: Vec<_> = accounts::active_in_roles(db, &[Role::Coordinator])
        .await?
        .iter()
        .filter_map(|a| crate::mail::monitoring::digest(&a.email, today, &moved, &saved, base))
        .collect();
    let n = outbox::once_on(db, KIND, today, &messages, &crate::clock::stamp(now)).await?;
    if n > 0 {
        ctx.queued();
    }
    Ok(n)
}
