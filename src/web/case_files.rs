//! Files of cases: read from multipart forms, checked by content and
//! structure (`domain::attachments`), kept in `data_dir/attachments/` —
//! outside anything the server serves — under random names, written
//! durably before their row (`files`), and given back only through a
//! case's page to staff who may see the case, as downloads that nothing
//! in them can run in. Files no row names are swept (`jobs::orphan_files`).

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
use crate::files;
use crate::store::cases::{CaseFile, StoredFile};

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
                        name: attachments::clean_name(&file_name),
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

fn dir(settings: &Settings) -> PathBuf {
    settings.data_dir.join(files::ATTACHMENTS)
}

/// Checks every file (all or none are kept): their count, size, kind and
/// structure.
pub fn check_all(uploads: &[Upload]) -> std::result::Result<Vec<FileType>, Refused> {
    let named: Vec<(&str, &[u8])> = uploads
        .iter()
        .map(|u| (u.name.as_str(), u.bytes.as_ref()))
        .collect();
    attachments::check_all(&named)
}

/// The bytes of all the files sent.
pub fn total_size(uploads: &[Upload]) -> u64 {
    uploads.iter().map(|u| u.bytes.len() as u64).sum()
}

/// Checks every file (all or none are kept) and saves them.
pub async fn save_all(
    settings: &Settings,
    uploads: &[Upload],
) -> Result<std::result::Result<Vec<StoredFile>, Refused>> {
    match check_all(uploads) {
        Ok(types) => Ok(Ok(save_checked(settings, uploads, types).await?)),
        Err(refused) => Ok(Err(refused)),
    }
}

/// Saves files `check_all` passed, as `types`: durably (each written
/// under a temporary name, fsynced and renamed, the folder fsynced) before
/// the row that names them is written, so a row never names a missing
/// file; files whose row never came are swept (`jobs::orphan_files`).
pub async fn save_checked(
    settings: &Settings,
    uploads: &[Upload],
    types: Vec<FileType>,
) -> Result<Vec<StoredFile>> {
    let mut stored = Vec::with_capacity(uploads.len());
    let mut contents = Vec::with_capacity(uploads.len());
    for (u, t) in uploads.iter().zip(types) {
        stored.push(stored_file(&u.name, t, u.bytes.len())?);
        contents.push(u.bytes.clone());
    }
    let names: Vec<String> = stored.iter().map(|f| f.stored_as.clone()).collect();
    let dir = dir(settings);
    let written = tokio::task::spawn_blocking(move || {
        let files: Vec<(&str, &[u8])> = names
            .iter()
            .map(String::as_str)
            .zip(contents.iter().map(|b| b.as_ref()))
            .collect();
        files::write_all(&dir, &files)
    })
    .await
    .map_err(std::io::Error::other)?;
    if let Some(Err(e)) = written.into_iter().find(|r| r.is_err()) {
        remove_all(settings, &stored).await;
        return Err(e.into());
    }
    Ok(stored)
}

/// A file to be saved: a random name with the type's extension.
fn stored_file(name: &str, t: FileType, size: usize) -> Result<StoredFile> {
    let token = crate::domain::auth::new_token()
        .map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    let extension = match t {
        FileType::Pdf => "pdf",
        FileType::Jpeg => "jpg",
        FileType::Png => "png",
    };
    Ok(StoredFile {
        name: attachments::clean_name(name),
        file_type: t,
        size: i64::try_from(size).unwrap_or(i64::MAX),
        stored_as: format!("{token}.{extension}"),
    })
}

/// Saves bytes already known to be of type `t` (a letter made here).
pub async fn save(
    settings: &Settings,
    name: &str,
    t: FileType,
    bytes: &[u8],
) -> Result<StoredFile> {
    let stored = stored_file(name, t, bytes.len())?;
    let dir = dir(settings);
    let (as_name, bytes) = (stored.stored_as.clone(), bytes.to_vec());
    tokio::task::spawn_blocking(move || files::write(&dir, &as_name, &bytes))
        .await
        .map_err(std::io::Error::other)??;
    Ok(stored)
}

/// Removes files saved for a report or change that was then refused or
/// failed (the sweep would, later).
pub async fn remove_all(settings: &Settings, files: &[StoredFile]) {
    for f in files {
        match tokio::fs::remove_file(dir(settings).join(&f.stored_as)).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(cause = %e, "could not remove a refused file"),
        }
    }
}

/// The policy of a downloaded file: nothing in it runs or loads, even if
/// a browser were made to show it.
const DOWNLOAD_CSP: &str = "sandbox; default-src 'none'";

/// The file as a download, under the name it was sent with (cleaned).
pub async fn download(settings: &Settings, a: &CaseFile) -> Result<Response> {
    // `stored_as` is made here (a token and an extension), never typed.
    if a.stored_as.contains(['/', '\\']) || a.stored_as.starts_with('.') {
        return Err(Error::NotFound);
    }
    let bytes = tokio::fs::read(dir(settings).join(&a.stored_as)).await?;
    Ok(file_response(
        bytes,
        &a.name,
        a.file_type,
        "private, no-store",
    ))
}

/// A stored file as a download: its type, its name (cleaned), a policy
/// that runs nothing in it, and `cache_control`.
pub fn file_response(
    bytes: Vec<u8>,
    name: &str,
    file_type: attachments::FileType,
    cache_control: &'static str,
) -> Response {
    let name = attachments::clean_name(name);
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file_type.code()),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition(&name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOWNLOAD_CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

/// `Content-Disposition` of a download: an attachment, with an ASCII name
/// for old clients and the whole name as RFC 8187 `filename*` (UTF-8,
/// every byte but letters, digits and `-._~` percent-encoded).
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_named_safely() {
        assert_eq!(
            disposition("uchwała nr 4 (1).pdf"),
            "attachment; filename=\"uchwa_a_nr_4__1_.pdf\"; \
             filename*=UTF-8''uchwa%C5%82a%20nr%204%20%281%29.pdf"
        );
        assert_eq!(
            disposition("a\"b;c*.pdf"),
            "attachment; filename=\"a_b_c_.pdf\"; filename*=UTF-8''a%22b%3Bc%2A.pdf"
        );
    }
}
