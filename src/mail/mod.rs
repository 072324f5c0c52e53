//! E-mails: what each says (`accounts`, `cases`, `registration`) and the
//! sender that hands them over (`Sender`): through SMTP when `smtp_url` is
//! set, otherwise as `.eml` files under `data_dir/outbox/`. When and how
//! often they are sent is the jobs' business (`jobs::outbox`). The log
//! names messages by id only, never by address or content; a mail server's
//! answer, which may quote the address, is logged with addresses masked.

pub mod accounts;
pub mod cases;
pub mod monitoring;
pub mod registration;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::Settings;
use crate::store::outbox::{self, Message};

/// What follows a message's id in its Message-ID: a random part (ids
/// start again in another database) and the sender's domain.
pub fn id_suffix(settings: &Settings) -> Result<String, crate::domain::auth::AuthError> {
    let token = crate::domain::auth::new_token()?;
    let random: String = token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    let domain = settings
        .mail_from
        .parse::<Mailbox>()
        .map(|m| m.email.domain().to_owned())
        .unwrap_or_else(|_| "koalicja.invalid".to_owned());
    Ok(format!("{random}@{domain}"))
}

/// Where messages go: an SMTP server (one transport per batch, so its
/// connections are reused) or, without `smtp_url`, the outbox folder.
pub struct Sender<'a> {
    settings: &'a Settings,
    smtp: Option<Result<AsyncSmtpTransport<Tokio1Executor>, String>>,
}

impl<'a> Sender<'a> {
    pub fn new(settings: &'a Settings) -> Sender<'a> {
        Sender {
            settings,
            smtp: settings.smtp_url.as_ref().map(|url| {
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map(|t| t.timeout(Some(Duration::from_secs(30))).build())
                    .map_err(|e| format!("zły adres serwera poczty: {e}"))
            }),
        }
    }

    /// Sends outbox messages; for each, the error is the mail server's or
    /// the folder's (to retry). Files are written in one blocking task.
    /// Messages still unsent over SMTP at `until` get no result.
    pub async fn send_all(
        &self,
        batch: Vec<(i64, &Message, &outbox::Sending)>,
        until: Instant,
    ) -> HashMap<i64, Result<(), String>> {
        let mut results = HashMap::with_capacity(batch.len());
        let mut files = Vec::new();
        for (id, m, sending) in batch {
            if self.smtp.is_some() && Instant::now() > until {
                break;
            }
            let email = match build(self.settings, m, &sending.message_id) {
                Ok(email) => email,
                Err(e) => {
                    results.insert(id, Err(e));
                    continue;
                }
            };
            match &self.smtp {
                Some(transport) => {
                    if sending.interrupted {
                        // Whether the interrupted attempt reached the
                        // server is unknown: the copy carries the same
                        // Message-ID, by which it is recognised.
                        tracing::warn!(
                            message = id,
                            "sending again a message whose earlier attempt was interrupted \
                             (same Message-ID)"
                        );
                    }
                    let sent = match transport {
                        Ok(t) => t
                            .send(email)
                            .await
                            .map(|_| tracing::info!(message = id, "e-mail sent"))
                            .map_err(|e| format!("serwer poczty odrzucił wiadomość: {e}")),
                        Err(e) => Err(e.clone()),
                    };
                    results.insert(id, sent);
                }
                None => files.push(OutboxFile {
                    id,
                    bytes: email.formatted(),
                    message_id: sending.message_id.clone(),
                    interrupted: sending.interrupted,
                }),
            }
        }
        if files.is_empty() {
            return results;
        }
        let dir = self.settings.data_dir.join(crate::files::OUTBOX);
        let written = tokio::task::spawn_blocking(move || write_files(&dir, files))
            .await
            .unwrap_or_default();
        results.extend(written);
        results
    }
}

/// A message to write into the outbox folder.
struct OutboxFile {
    id: i64,
    bytes: Vec<u8>,
    message_id: String,
    interrupted: bool,
}

/// The file a message is written to.
fn file_name(id: i64) -> String {
    format!("{id:06}.eml")
}

/// Writes each message as `dir/NNNNNN.eml`, durably (`files::write_all`:
/// fsynced under a temporary name, renamed, the folder fsynced). A message
/// whose earlier attempt was interrupted and whose file is there with its
/// Message-ID was written whole then: it is not written again.
fn write_files(dir: &std::path::Path, files: Vec<OutboxFile>) -> Vec<(i64, Result<(), String>)> {
    let mut results = Vec::with_capacity(files.len());
    let mut to_write = Vec::with_capacity(files.len());
    for f in files {
        let path = dir.join(file_name(f.id));
        let header = format!("Message-ID: {}", f.message_id);
        if f.interrupted && crate::files::head_contains(&path, header.as_bytes()).unwrap_or(false) {
            tracing::warn!(
                message = f.id,
                "e-mail written before a stop interrupted its sending; not written again"
            );
            results.push((f.id, Ok(())));
        } else {
            to_write.push(f);
        }
    }
    let names: Vec<String> = to_write.iter().map(|f| file_name(f.id)).collect();
    let contents: Vec<(&str, &[u8])> = names
        .iter()
        .zip(&to_write)
        .map(|(n, f)| (n.as_str(), f.bytes.as_slice()))
        .collect();
    let written = crate::files::write_all(dir, &contents);
    for (f, result) in to_write.iter().zip(written) {
        let path = dir.join(file_name(f.id));
        let result = result.map_err(|e| format!("nie można zapisać {}: {e}", path.display()));
        if result.is_ok() {
            tracing::info!(message = f.id, file = %path.display(), "e-mail written to the outbox folder");
        }
        results.push((f.id, result));
    }
    results
}

/// The message as MIME: plain text, with an HTML alternative if given,
/// carrying `message_id` (the same on every try).
pub fn build(
    settings: &Settings,
    m: &Message,
    message_id: &str,
) -> Result<lettre::Message, String> {
    let from: Mailbox = settings
        .mail_from
        .parse()
        .map_err(|_| "zły adres nadawcy".to_owned())?;
    let to: Mailbox = m
        .recipient
        .parse()
        .map_err(|_| "zły adres odbiorcy".to_owned())?;
    let builder = lettre::Message::builder()
        .from(from)
        .to(to)
        .message_id(Some(message_id.to_owned()))
        .subject(m.subject.clone());
    let body = match &m.body_html {
        Some(html) => MultiPart::alternative_plain_html(m.body_text.clone(), html.clone()),
        None => MultiPart::mixed().singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(m.body_text.clone()),
        ),
    };
    let built = match &m.attachment {
        Some(a) => {
            let mime = ContentType::parse(&a.mime).map_err(|_| "zły typ załącznika".to_owned())?;
            builder.multipart(
                MultiPart::mixed()
                    .multipart(body)
                    .singlepart(Attachment::new(a.name.clone()).body(a.content.clone(), mime)),
            )
        }
        None => builder.multipart(body),
    };
    built.map_err(|e| format!("nie można zbudować wiadomości: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_has_polish_subject_and_both_parts() {
        let settings = Settings::local(std::path::Path::new("/tmp"));
        let m = Message {
            recipient: "zofia@example.org".into(),
            subject: "Zmiana hasła – łącze".into(),
            body_text: "Treść zażółć".into(),
            body_html: Some("<p>Treść</p>".into()),
            attachment: None,
        };
        let raw = build(&settings, &m, "<7.abc@koalicja.invalid>")
            .map(|e| String::from_utf8_lossy(&e.formatted()).into_owned());
        let raw = raw.unwrap_or_default();
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("To: zofia@example.org"), "{raw}");
        assert!(
            raw.contains("Message-ID: <7.abc@koalicja.invalid>"),
            "{raw}"
        );
    }
}
