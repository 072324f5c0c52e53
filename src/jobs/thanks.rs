//! Thank-you e-mails after an activity (`service::registrations::emails`).

use super::{Context, Error};

/// Queues the thank-you e-mails due at `now`, each registration's once;
/// how many.
pub async fn run_once(ctx: &Context, now: jiff::Timestamp) -> Result<usize, Error> {
    let base = &ctx.settings().base_url;
    let n = crate::service::registrations::emails::send_thanks(ctx.db(), base, now).await?;
    if n > 0 {
        ctx.queued();
    }
    Ok(n)
}
