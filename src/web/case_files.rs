//! Files of cases: read from multipart forms, checked by content
//! (`domain::attachments`), kept in `data_dir/attachments/` — outside
//! anything the server serves — under random names, and given back only
//! through a case's page to staff who may see the case.

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::Multipart;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::BytesMut;

use super::session::FORM_LIMIT;
use super::{limits, Error, Result};
use crate::config::Settings;
use crate::domain::attachments::{self, FileType, Refused, MAX_BYTES, MAX_FILES};
use crate::store::cases::{Attachment, StoredFile};

/// A file as sent, not yet checked.
pub struct Upload {
    pub name: String,
    pub bytes: Bytes,
}

/// A multipart form: its text fields and its files (file inputs left
/// empty are not files).
#[derive(Default)]
pub struct Parts {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl Parts {
    /// The text of a field, empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A checkbox: `Some` when ticked.
    pub fn checked(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }
}

/// Reads a multipart form as it arrives. Of each file at most
/// `MAX_BYTES` + 1 bytes are kept (enough to tell it is too large; the
/// rest is read and dropped) and of the files at most `MAX_FILES` + 1
/// (enough to tell there are too many), so the form comes back with its
/// reason; text fields together may take `FORM_LIMIT`, the whole body
/// `UPLOAD_LIMIT` (413 past either, 408 when it arrives too slowly).
pub async fn read(mut multipart: Multipart) -> Result<Parts> {
    let failed = |e: MultipartError| limits::multipart_error(&e, UNREADABLE);
    let mut parts = Parts::default();
    let mut text = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(failed)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let keep = parts.files.len() <= MAX_FILES;
                let (mut bytes, mut sent) = (BytesMut::new(), 0);
                while let Some(chunk) = field.chunk().await.map_err(failed)? {
                    sent += chunk.len();
                    let room = (MAX_BYTES + 1).saturating_sub(bytes.len());
                    if keep && room > 0 {
                        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    }
                }
                if keep && !(file_name.is_empty() && sent == 0) {
                    parts.files.push(Upload {
                        name: clean_name(&file_name),
                        bytes: bytes.freeze(),
                    });
                }
            }
            None => {
                let mut value = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(failed)? {
                    text += chunk.len();
                    if text > FORM_LIMIT {
                        return Err(Error::TooLarge);
                    }
                    value.extend_from_slice(&chunk);
                }
                let value = String::from_utf8_lossy(&value).into_owned();
                super::extract::check_text([&name, &value])?;
                parts.fields.push((name, value));
            }
        }
    }
    Ok(parts)
}

const UNREADABLE: &str = "Nie udało się odczytać formularza. Wróć i spróbuj ponownie.";

/// The name a file is shown under: its last path part, no control
/// characters, at most 200 characters.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if clean.trim().is_empty() {
        "plik".to_owned()
    } else {
        clean
    }
}

fn dir(settings: &Settings) -> PathBuf {
    settings.data_dir.join("attachments")
}

/// Checks every file (all or none are kept) and saves them.
pub async fn save_all(
    settings: &Settings,
    uploads: &[Upload],
) -> Result<std::result::Result<Vec<StoredFile>, Refused>> {
    let named: Vec<(&str, &[u8])> = uploads
        .iter()
        .map(|u| (u.name.as_str(), u.bytes.as_ref()))
        .collect();
    let types = match attachments::check_all(&named) {
        Ok(t) => t,
        Err(refused) => return Ok(Err(refused)),
    };
    let mut stored = Vec::with_capacity(uploads.len());
    for (u, t) in uploads.iter().zip(types) {
        stored.push(save(settings, &u.name, t, &u.bytes).await?);
    }
    Ok(Ok(stored))
}

/// Saves bytes already known to be of type `t` (a letter made here).
pub async fn save(
    settings: &Settings,
    name: &str,
    t: FileType,
    bytes: &[u8],
) -> Result<StoredFile> {
    let token = crate::domain::auth::new_token()
        .map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    let extension = match t {
        FileType::Pdf => "pdf",
        FileType::Jpeg => "jpg",
        FileType::Png => "png",
    };
    let stored_as = format!("{token}.{extension}");
    let dir = dir(settings);
    tokio::fs::create_dir_all(&dir).await?;
    tokio::fs::write(dir.join(&stored_as), bytes).await?;
    Ok(StoredFile {
        name: name.to_owned(),
        file_type: t,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        stored_as,
    })
}

/// Removes files saved for a report that was then refused.
pub async fn remove_all(settings: &Settings, files: &[StoredFile]) {
    for f in files {
        if let Err(e) = tokio::fs::remove_file(dir(settings).join(&f.stored_as)).await {
            tracing::warn!(cause = %e, "could not remove a refused report's file");
        }
    }
}

/// The file as a download, under the name it was sent with.
pub async fn download(settings: &Settings, a: &Attachment) -> Result<Response> {
    // `stored_as` is made here (a token and an extension), never typed.
    if a.stored_as.contains(['/', '\\']) || a.stored_as.starts_with('.') {
        return Err(Error::NotFound);
    }
    let bytes = tokio::fs::read(dir(settings).join(&a.stored_as)).await?;
    let ascii: String = a
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = form_urlencoded::byte_serialize(a.name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(a.file_type.code()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
