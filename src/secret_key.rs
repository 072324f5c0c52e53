//! The key secrets are encrypted with at rest (`domain::sealed`): the
//! configured `secret_key` (or `KOALICJA_SECRET_KEY`), else the one in
//! `data_dir/secret.key`, made on first start (mode 0600), so a single
//! instance needs no setup. Instances sharing a database must be given
//! the same key (the setting, or a copy of the file).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::domain::sealed::{SecretKey, KEY_FORMAT};

/// The file a key is kept in when none is configured.
pub const FILE: &str = "secret.key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("nie można odczytać ani utworzyć klucza {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("plik {path} nie zawiera klucza ({KEY_FORMAT})")]
    Malformed { path: PathBuf },
    #[error("brak źródła losowości")]
    Random,
}

/// The key of a server with these settings.
pub fn resolve(settings: &Settings) -> Result<SecretKey, KeyError> {
    match &settings.secret_key {
        Some(key) => Ok(key.clone()),
        None => load_or_create(&settings.data_dir),
    }
}

/// The key in `dir/secret.key`, made there if missing. Two processes
/// starting at once end with the same key: the file appears whole or not
/// at all (written aside, then linked into place).
pub fn load_or_create(dir: &Path) -> Result<SecretKey, KeyError> {
    let path = dir.join(FILE);
    let io = |source| KeyError::Io {
        path: path.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            return SecretKey::parse(&text).ok_or(KeyError::Malformed { path: path.clone() })
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(e)),
        Err(_) => {}
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let key = SecretKey::generate().map_err(|_| KeyError::Random)?;
    let aside = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let written = write_private(&aside, &key.to_text());
    let linked = written.and_then(|()| std::fs::hard_link(&aside, &path));
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => {
            tracing::info!(file = %path.display(), "secret key made");
            Ok(key)
        }
        // Another process made it meanwhile: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(&path).map_err(io)?;
            SecretKey::parse(&text).ok_or(KeyError::Malformed { path: path.clone() })
        }
        Err(e) => Err(io(e)),
    }
}

/// Writes a new file readable by its owner only.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(format!("{text}\n").as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_and_read_back() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let made = load_or_create(&dir.path().join("dane")).map_err(|e| e.to_string());
        let again = load_or_create(&dir.path().join("dane")).map_err(|e| e.to_string());
        assert!(made.is_ok(), "{made:?}");
        assert_eq!(made, again);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("dane").join(FILE))
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or_default();
            assert_eq!(mode, 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path().join("dane"))
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names.len(), 1, "no file left aside: {names:?}");
    }

    #[test]
    fn a_damaged_file_stops_the_start_rather_than_making_a_new_key() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let _ = std::fs::write(dir.path().join(FILE), "to nie klucz\n");
        assert!(matches!(
            load_or_create(dir.path()),
            Err(KeyError::Malformed { .. })
        ));
    }
}
