//! The e-mail of staff accounts: the link that sets a new password (made
//! and recorded by `jobs::reset_link`).

use crate::paths::admin as paths;
use crate::store::outbox::Message;

/// The e-mail carrying the link that sets a new password with `token`.
pub fn reset_link(base_url: &str, to: &str, token: &str) -> Message {
    let link = format!("{base_url}{}/{token}", paths::RESET);
    Message {
        recipient: to.to_owned(),
        subject: "Ustawienie nowego hasła w panelu Koalicji".into(),
        body_text: format!(
            "Dzień dobry,\n\nktoś (mamy nadzieję, że Ty) poprosił o ustawienie nowego hasła do panelu Koalicji.\n\
             Aby je ustawić, otwórz łącze (ważne przez godzinę, działa jeden raz; wcześniej wysłane łącza\n\
             przestały działać):\n\n{link}\n\n\
             Jeśli to nie Ty, zignoruj tę wiadomość — hasło pozostanie bez zmian.\n"
        ),
        body_html: None,
        attachment: None,
    }
}
