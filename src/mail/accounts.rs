//! The e-mail of staff accounts: the link that sets a new password.
//!
//! The reset form only queues a job (`store::accounts::request_reset`),
//! the same whether the address has an account or not; the worker makes
//! the link here, off the request, so the form answers in the same time
//! either way.

use crate::app::{stamp, AppState};
use crate::domain::auth;
use crate::store::outbox::Message;
use crate::store::{accounts, StoreError};
use crate::web::admin::auth::RESET_VALID;
use crate::web::admin::paths;

/// Sends `email` a new reset link if it is an active account's address
/// (its earlier links die); otherwise does nothing. The job is deleted
/// either way.
pub async fn send_reset_link(state: &AppState, job: i64, email: &str) -> Result<(), StoreError> {
    let now = state.clock().now();
    let token = auth::new_token().map_err(|_| StoreError::Random)?;
    let link = format!("{}{}/{token}", state.settings().base_url, paths::RESET);
    let message = Message {
        recipient: email.to_owned(),
        subject: "Ustawienie nowego hasła w panelu Koalicji".into(),
        body_text: format!(
            "Dzień dobry,\n\nktoś (mamy nadzieję, że Ty) poprosił o ustawienie nowego hasła do panelu Koalicji.\n\
             Aby je ustawić, otwórz łącze (ważne przez godzinę, działa jeden raz; wcześniej wysłane łącza\n\
             przestały działać):\n\n{link}\n\n\
             Jeśli to nie Ty, zignoruj tę wiadomość — hasło pozostanie bez zmian.\n"
        ),
        body_html: None,
        attachment: None,
    };
    let expires = stamp(now + jiff::SignedDuration::from_secs(RESET_VALID));
    let account = accounts::issue_reset(
        state.db(),
        job,
        email,
        &auth::token_hash(&token),
        &message,
        &expires,
        &stamp(now),
    )
    .await?;
    if let Some(account) = account {
        state.jobs_queued();
        tracing::info!(account, "password reset link sent");
    }
    Ok(())
}
