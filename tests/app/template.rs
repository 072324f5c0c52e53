//! The databases tests start from, made once per run of the test binary:
//! migrated, with the demo loaded or not. A test gets its own copy — the
//! SQLite file and the data folder copied, or on PostgreSQL a database
//! made with `CREATE DATABASE … TEMPLATE …` — so the demo is loaded once
//! per run rather than once per test, and every test still starts from a
//! database of its own.

use crate::helpers::TestDatabase;
use koalicja::store::Db;
use std::path::{Path, PathBuf};
use tokio::sync::OnceCell;

/// The instant the demo is loaded at (the test clock's day).
pub const DEMO_LOADED_AT: &str = "2026-11-28T00:00:00Z";

struct Template {
    /// The data folder: the SQLite file (none on PostgreSQL) and the files
    /// the demo wrote (its letters' PDFs).
    dir: PathBuf,
    /// The template database on PostgreSQL.
    postgres: Option<String>,
}

static EMPTY: OnceCell<Template> = OnceCell::const_new();
static DEMO: OnceCell<Template> = OnceCell::const_new();

const SQLITE_FILE: &str = "koalicja.db";

/// A fresh database of one test: a copy of the migrated template, with the
/// demo loaded when `demo`.
pub async fn database(demo: bool) -> TestDatabase {
    let cell = if demo { &DEMO } else { &EMPTY };
    let template = cell.get_or_init(|| make(demo)).await;
    let mut database = TestDatabase::new().await;
    copy_dir(&template.dir, database.dir.path());
    if let Some(template) = &template.postgres {
        let (server, name) = database
            .postgres
            .clone()
            .expect("a PostgreSQL test database");
        let admin = Db::connect(&server).await.expect("the server answers");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(admin.pool())
            .await
            .expect("drop");
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(admin.pool())
            .await
            .expect("database copied from the template");
        admin.close().await;
    } else {
        database.url = format!(
            "sqlite://{}?mode=rwc",
            database.dir.path().join(SQLITE_FILE).display()
        );
    }
    database
}

async fn make(demo: bool) -> Template {
    let kind = if demo { "demo" } else { "empty" };
    let pid = std::process::id();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
    remove_stale(root);
    let dir = root.join(format!("template-{pid}-{kind}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("template folder");
    let (url, postgres) = match std::env::var("KOALICJA_TEST_DATABASE_URL") {
        Ok(server) => {
            let name = format!("koalicja_template_{pid}_{kind}");
            let admin = Db::connect(&server).await.expect("the server answers");
            drop_stale_databases(&admin).await;
            for sql in [
                format!("DROP DATABASE IF EXISTS {name}"),
                format!("CREATE DATABASE {name}"),
            ] {
                sqlx::query(&sql).execute(admin.pool()).await.expect(&sql);
            }
            admin.close().await;
            let base = server.split('?').next().unwrap_or(&server);
            let url = format!("{}/{name}", &base[..base.rfind('/').expect("a database")]);
            (url, Some(name))
        }
        Err(_) => (
            format!("sqlite://{}?mode=rwc", dir.join(SQLITE_FILE).display()),
            None,
        ),
    };
    let db = Db::connect(&url).await.expect("template database opens");
    db.migrate().await.expect("migrations run");
    if demo {
        koalicja::demo::load(
            &db,
            DEMO_LOADED_AT.parse().unwrap(),
            &crate::helpers::local_settings(&dir),
        )
        .await
        .expect("demo loads");
    }
    if postgres.is_none() {
        // The file alone then holds everything: copies need no -wal.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(db.pool())
            .await
            .expect("checkpoint");
    }
    db.close().await;
    for leftover in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{SQLITE_FILE}{leftover}")));
    }
    Template { dir, postgres }
}

/// Copies a folder with the modes of its files and folders.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("template folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("file copied");
        }
    }
    let mode = std::fs::metadata(from).expect("metadata").permissions();
    std::fs::set_permissions(to, mode).expect("mode");
}

fn alive(pid: &str) -> bool {
    Path::new("/proc").join(pid).exists()
}

/// Template folders of earlier runs whose process is gone.
fn remove_stale(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name
            .strip_prefix("template-")
            .and_then(|r| r.split('-').next())
        {
            if !alive(pid) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Template databases of earlier runs whose process is gone.
async fn drop_stale_databases(admin: &Db) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'koalicja_template_%'",
    )
    .fetch_all(admin.pool())
    .await
    .unwrap_or_default();
    for name in names {
        let pid = name.trim_start_matches("koalicja_template_");
        if !alive(pid.split('_').next().unwrap_or("")) {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(admin.pool())
                .await;
        }
    }
}
