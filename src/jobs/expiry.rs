//! Expiry of registrations never confirmed in time
//! (`service::registrations::expire`).

use super::{Context, Error};

/// Marks expired the registrations whose time to confirm ended by `now`;
/// how many.
pub async fn run_once(ctx: &Context, now: jiff::Timestamp) -> Result<usize, Error> {
    let n = crate::service::registrations::expire(ctx.db(), now).await?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}
