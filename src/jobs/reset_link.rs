//! The link that sets a new password.
//!
//! The reset form only queues a job (`store::accounts::request_reset`),
//! the same whether the address has an account or not; the link is made
//! here, off the request, so the form answers in the same time either way.

use super::Context;
use crate::domain::auth::{self, RESET_VALID};
use crate::store::{accounts, StoreError};

/// Sends `email` a new reset link if it is an active account's address
/// (its earlier links die); otherwise does nothing. The job is done
/// either way.
pub async fn run(
    ctx: &Context,
    job: i64,
    email: &str,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let token = auth::new_token().map_err(|_| StoreError::Random)?;
    let message = crate::mail::accounts::reset_link(&ctx.settings().base_url, email, &token);
    let expires = now + jiff::SignedDuration::from_secs(RESET_VALID);
    let account = accounts::issue_reset(
        ctx.db(),
        job,
        email,
        &auth::token_hash(&token),
        &message,
        expires,
        now,
    )
    .await?;
    if let Some(account) = account {
        ctx.queued();
        tracing::info!(account, "password reset link sent");
    }
    Ok(())
}
