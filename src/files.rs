//! Files on disk: the data folder and what it holds are the owner's alone
//! (folders 0700, files 0600, set explicitly so the umask does not
//! matter), files are written durably (a temporary name, fsync, rename,
//! fsync of the folder), and files no row names are swept after a grace
//! period. Blocking calls: async callers run them in `spawn_blocking`.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Folders of the data: the owner only.
pub const DIR_MODE: u32 = 0o700;
/// Files of the data: the owner only, not executable.
pub const FILE_MODE: u32 = 0o600;

/// The folders under `data_dir` that hold personal data.
pub const ATTACHMENTS: &str = "attachments";
pub const OUTBOX: &str = "outbox";

/// What a file being written is called until it is complete: hidden, so
/// nothing takes it for a finished file, and never a name a row holds.
fn part_name(name: &str) -> String {
    format!(".{name}.part")
}

/// Creates `dir` and missing parents as `DIR_MODE` (fsyncing each new
/// entry's parent, so the folder outlives a power cut); an existing one
/// is tightened like `tighten`.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        tighten(dir)?;
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            private_dir(parent)?;
        }
    }
    match fs::DirBuilder::new().mode(DIR_MODE).create(dir) {
        Ok(()) => {}
        // Made meanwhile by another writer.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
        Err(e) => return Err(e),
    }
    fs::set_permissions(dir, Permissions::from_mode(DIR_MODE))?;
    sync_dir(dir.parent().filter(|p| !p.as_os_str().is_empty()))
}

/// Takes group and others' rights off an existing file (to `FILE_MODE`)
/// or folder (to `DIR_MODE`); logs when it had to. Whether it changed.
pub fn tighten(path: &Path) -> io::Result<bool> {
    let meta = fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(false);
    }
    let mode = meta.permissions().mode() & 0o7777;
    let wanted = if meta.is_dir() { DIR_MODE } else { FILE_MODE };
    if mode & 0o077 == 0 {
        return Ok(false);
    }
    fs::set_permissions(path, Permissions::from_mode(wanted))?;
    tracing::warn!(
        path = %path.display(),
        was = format!("{mode:04o}"),
        now = format!("{wanted:04o}"),
        "access to a data file tightened to its owner"
    );
    Ok(true)
}

/// At start: the data folder (made when `create`), its `attachments/` and
/// `outbox/` and every file in them, kept to their owner.
pub fn secure_data_dir(dir: &Path, create: bool) -> io::Result<()> {
    if !dir.exists() {
        if create {
            private_dir(dir)?;
        }
        return Ok(());
    }
    tighten(dir)?;
    for sub in [ATTACHMENTS, OUTBOX] {
        let sub = dir.join(sub);
        if !sub.is_dir() {
            continue;
        }
        tighten(&sub)?;
        let mut tightened = 0;
        for entry in fs::read_dir(&sub)? {
            let path = entry?.path();
            if fs::symlink_metadata(&path)?.is_file() {
                let mode = fs::metadata(&path)?.permissions().mode();
                if mode & 0o077 != 0 {
                    fs::set_permissions(&path, Permissions::from_mode(FILE_MODE))?;
                    tightened += 1;
                }
            }
        }
        if tightened > 0 {
            tracing::warn!(
                folder = %sub.display(),
                files = tightened,
                "access to files tightened to their owner"
            );
        }
    }
    Ok(())
}

/// The SQLite file of `url` (`sqlite://path?…`, `sqlite:path`): made
/// empty as `FILE_MODE` before SQLite opens it (SQLite gives its `-wal`
/// and `-shm` files the database file's mode), or, when it exists,
/// tightened with its `-wal` and `-shm`. Nothing for an in-memory
/// database.
pub fn private_sqlite(url: &str) -> io::Result<()> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    if !path.exists() {
        if !url.contains("mode=rwc") {
            return Ok(());
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                private_dir(parent)?;
            }
        }
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(&path)
        {
            Ok(f) => f.sync_all()?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        fs::set_permissions(&path, Permissions::from_mode(FILE_MODE))?;
        return sync_dir(path.parent());
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.clone().into_os_string();
        name.push(suffix);
        let file = PathBuf::from(name);
        if file.exists() {
            tighten(&file)?;
        }
    }
    Ok(())
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        None
    } else {
        Some(PathBuf::from(path))
    }
}

/// Writes files into `dir` durably: each under a temporary name
/// (`FILE_MODE`), written and fsynced, then renamed to its name; then the
/// folder is fsynced once for all of them. A result per file, in order;
/// none is `Ok` unless the folder was synced too.
pub fn write_all(dir: &Path, files: &[(&str, &[u8])]) -> Vec<io::Result<()>> {
    if let Err(e) = private_dir(dir) {
        return files.iter().map(|_| Err(copy(&e))).collect();
    }
    let mut results = write_in_parallel(dir, files);
    if results.iter().any(Result::is_ok) {
        if let Err(e) = sync_dir(Some(dir)) {
            for r in results.iter_mut().filter(|r| r.is_ok()) {
                *r = Err(copy(&e));
            }
        }
    }
    results
}

/// Writers at once: a journalling file system commits fsyncs that come
/// together as one (on the test machine 100 files take 0.5 s one after
/// another, 35–50 ms from four threads).
const WRITERS: usize = 8;

/// `write_renamed` of every file, from up to `WRITERS` threads; results in
/// order.
fn write_in_parallel(dir: &Path, files: &[(&str, &[u8])]) -> Vec<io::Result<()>> {
    if files.len() < 2 {
        return files
            .iter()
            .map(|(name, bytes)| write_renamed(dir, name, bytes))
            .collect();
    }
    let per_thread = files.len().div_ceil(WRITERS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(per_thread)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(name, bytes)| write_renamed(dir, name, bytes))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(files.chunks(per_thread))
            .flat_map(|(h, chunk)| {
                h.join().unwrap_or_else(|_| {
                    chunk
                        .iter()
                        .map(|_| Err(io::Error::other("writer thread failed")))
                        .collect()
                })
            })
            .collect()
    })
}

/// `write_all` of one file.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    write_all(dir, &[(name, bytes)])
        .pop()
        .unwrap_or_else(|| Err(io::Error::other("nothing written")))
}

fn copy(e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), e.to_string())
}

fn write_renamed(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a plain file name",
        ));
    }
    let part = dir.join(part_name(name));
    let written = write_part(&part, bytes).and_then(|()| fs::rename(&part, dir.join(name)));
    if written.is_err() {
        let _ = fs::remove_file(&part);
    }
    written
}

fn write_part(part: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(part)?;
    f.set_permissions(Permissions::from_mode(FILE_MODE))?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes a folder's entries (new, renamed, removed) durable.
fn sync_dir(dir: Option<&Path>) -> io::Result<()> {
    match dir {
        Some(d) => File::open(d)?.sync_all(),
        None => File::open(".")?.sync_all(),
    }
}

/// What a sweep removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub files: usize,
    pub bytes: u64,
}

/// The plain files of `dir` last changed before `older_than` (the system's
/// time, as file times are): candidates for a sweep. None when the
/// folder does not exist.
pub fn old_files(dir: &Path, older_than: SystemTime) -> io::Result<Vec<(String, u64)>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut old = Vec::new();
    for entry in entries {
        let entry = entry?;
        let meta = entry.metadata()?;
        if !meta.is_file() || meta.modified()? >= older_than {
            continue;
        }
        if let Some(name) = entry.file_name().to_str() {
            old.push((name.to_owned(), meta.len()));
        }
    }
    Ok(old)
}

/// Removes the `candidates` (from `old_files`) that `referenced` does not
/// name, then fsyncs the folder.
pub fn remove_unreferenced(
    dir: &Path,
    candidates: &[(String, u64)],
    referenced: &HashSet<String>,
) -> io::Result<Swept> {
    let mut swept = Swept::default();
    for (name, size) in candidates {
        if referenced.contains(name) {
            continue;
        }
        match fs::remove_file(dir.join(name)) {
            Ok(()) => {
                swept.files += 1;
                swept.bytes += size;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    if swept.files > 0 {
        sync_dir(Some(dir))?;
    }
    Ok(swept)
}

/// The instant `grace` before now by the system's clock, which file times
/// follow (the app's clock may be a test's).
pub fn system_time_before(grace: Duration) -> SystemTime {
    SystemTime::now()
        .checked_sub(grace)
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Whether `path` exists and its head (the first 64 KiB) holds `needle`:
/// how an `.eml` file already written is recognised by its Message-ID.
pub fn head_contains(path: &Path, needle: &[u8]) -> io::Result<bool> {
    use std::io::Read;
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut head = Vec::with_capacity(8192);
    Read::by_ref(&mut f)
        .take(64 * 1024)
        .read_to_end(&mut head)?;
    Ok(!needle.is_empty() && head.windows(needle.len()).any(|w| w == needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    }

    #[test]
    fn folders_and_files_are_made_for_their_owner_only_and_written_whole() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let dir = tmp.path().join("dane/attachments");
        assert!(write(&dir, "a.pdf", b"%PDF-").is_ok());
        assert_eq!(mode(&tmp.path().join("dane")), 0o700);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("a.pdf")), 0o600);
        assert_eq!(fs::read(dir.join("a.pdf")).ok(), Some(b"%PDF-".to_vec()));
        assert!(!dir.join(".a.pdf.part").exists(), "no temporary file left");
        assert!(write(&dir, "../x", b"").is_err());
        assert!(write(&dir, ".hidden", b"").is_err());
    }

    #[test]
    fn loose_modes_are_tightened_at_start() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let data = tmp.path().join("data");
        let outbox = data.join(OUTBOX);
        assert!(fs::create_dir_all(&outbox).is_ok());
        assert!(fs::write(outbox.join("000001.eml"), b"x").is_ok());
        for (p, m) in [(&data, 0o755), (&outbox, 0o777)] {
            assert!(fs::set_permissions(p, Permissions::from_mode(m)).is_ok());
        }
        let eml = outbox.join("000001.eml");
        assert!(fs::set_permissions(&eml, Permissions::from_mode(0o644)).is_ok());
        assert!(secure_data_dir(&data, true).is_ok());
        assert_eq!(
            (mode(&data), mode(&outbox), mode(&eml)),
            (0o700, 0o700, 0o600)
        );
    }

    #[test]
    fn a_sqlite_file_is_made_private_before_sqlite_opens_it() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let db = tmp.path().join("k/koalicja.db");
        let url = format!("sqlite://{}?mode=rwc", db.display());
        assert!(private_sqlite(&url).is_ok());
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&tmp.path().join("k")), 0o700);
        assert!(private_sqlite("sqlite::memory:").is_ok());
        assert_eq!(sqlite_path("sqlite:data/k.db"), Some("data/k.db".into()));
    }

    #[test]
    fn a_sweep_removes_old_files_no_row_names() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let dir = tmp.path();
        for name in ["kept.pdf", "orphan.pdf", ".x.pdf.part"] {
            assert!(fs::write(dir.join(name), b"1234").is_ok());
        }
        let later = SystemTime::now() + Duration::from_secs(60);
        let old = old_files(dir, later).unwrap_or_default();
        assert_eq!(old.len(), 3);
        let referenced: HashSet<String> = ["kept.pdf".to_owned()].into();
        let swept = remove_unreferenced(dir, &old, &referenced).ok();
        assert_eq!(swept, Some(Swept { files: 2, bytes: 8 }));
        assert!(dir.join("kept.pdf").exists());
        let earlier = SystemTime::now() - Duration::from_secs(3600);
        assert_eq!(old_files(dir, earlier).map(|o| o.len()).ok(), Some(0));
    }
}
