//! Files of cases: read from multipart forms, checked by content
//! (`domain::attachments`), kept in `data_dir/attachments/` — outside
//! anything the server serves — under random names, and given back only
//! through a case's page to staff who may see the case.

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use super::{Error, Result};
use crate::config::Settings;
use crate::domain::attachments::{self, FileType, Refused};
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

pub async fn read(mut multipart: Multipart) -> Result<Parts> {
    let bad =
        |_| Error::BadRequest("Nie udało się odczytać formularza. Wróć i spróbuj ponownie.".into());
    let mut parts = Parts::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(bad)?;
                if !(file_name.is_empty() && bytes.is_empty()) {
                    parts.files.push(Upload {
                        name: clean_name(&file_name),
                        bytes,
                    });
                }
            }
            None => {
                let value = field.text().await.map_err(bad)?;
                super::extract::check_text([&name, &value])?;
                parts.fields.push((name, value));
            }
        }
    }
    Ok(parts)
}

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
