//! `koalicja`: the command line. Each subcommand calls the library.

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use koalicja::app::{self, AppState, Clock};
use koalicja::config::{Config, Overrides, EXAMPLE};
use koalicja::domain::teryt;
use koalicja::store::{self, Db};

/// glibc's allocator slows down when memory is freed on a thread other
/// than the one that allocated it — what every SQLite statement does here
/// (its arguments are built on a request's thread and dropped on the
/// connection's); mimalloc frees across threads without that cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "koalicja", version, about = "Platforma dialogu NGO–JST")]
struct Cli {
    /// Optional TOML configuration file.
    #[arg(long, global = true, env = "KOALICJA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default). Loads the demo into an empty database.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Load the demo programme into an empty database.
    Demo(DbArgs),
    /// Import a TERYT (TERC) file as GUS ships it.
    ImportTeryt {
        /// Path to the TERC CSV file.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Import boundaries of units (GeoJSON, features keyed by TERYT code)
    /// for the monitor's map; each replaces the unit's former one.
    ImportBoundaries {
        /// Path to the GeoJSON file (a FeatureCollection in WGS84).
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Fill an empty database with a synthetic data set (national: every JST,
    /// 100,000 organisations, 1,000,000 people, 2,000,000 attendances).
    Generate {
        /// national, or small (a thousandth of it)
        #[arg(long, default_value = "national")]
        scale: String,
        /// Seed of the generator; the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print a commented example configuration file.
    ConfigExample,
    /// Create a staff account (role admin unless told otherwise). The
    /// password is read from KOALICJA_ADMIN_PASSWORD or the first line of
    /// standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, coordinator, partner, trainer or advisor
        #[arg(long, default_value = "admin")]
        role: String,
        /// TERYT codes of a partner's areas, comma-separated
        #[arg(long, default_value = "")]
        areas: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Args, Default)]
struct DbArgs {
    /// Folder for the SQLite database.
    #[arg(long, env = "KOALICJA_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL (sqlite:… or postgres:…); default: SQLite in the data folder.
    #[arg(long, env = "KOALICJA_DATABASE_URL")]
    database_url: Option<String>,
    /// Log filter, e.g. info or koalicja=debug.
    #[arg(long, env = "KOALICJA_LOG")]
    log: Option<String>,
}

#[derive(Args, Default)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "KOALICJA_LISTEN")]
    listen: Option<SocketAddr>,
    /// Load the demo into an empty database (true/false).
    #[arg(long, env = "KOALICJA_DEMO")]
    demo: Option<bool>,
    /// The address people reach the site at (for links in e-mails).
    #[arg(long, env = "KOALICJA_BASE_URL")]
    base_url: Option<String>,
    /// smtp:// or smtps:// URL of the mail server; unset: .eml files.
    #[arg(long, env = "KOALICJA_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of e-mails, e.g. "Koalicja <biuro@example.org>".
    #[arg(long, env = "KOALICJA_MAIL_FROM")]
    mail_from: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    if let Command::ConfigExample = command {
        std::io::stdout().write_all(EXAMPLE.as_bytes())?;
        return Ok(());
    }
    let no_db_args = DbArgs::default();
    let (db_args, serve) = match &command {
        Command::Serve(s) => (&s.db, Some(s)),
        Command::Migrate(d)
        | Command::Demo(d)
        | Command::ImportTeryt { db: d, .. }
        | Command::ImportBoundaries { db: d, .. }
        | Command::CreateAdmin { db: d, .. }
        | Command::Generate { db: d, .. } => (d, None),
        Command::ConfigExample => (&no_db_args, None),
    };
    let overrides = Overrides {
        listen: serve.and_then(|s| s.listen),
        data_dir: db_args.data_dir.clone(),
        database_url: db_args.database_url.clone(),
        demo: serve.and_then(|s| s.demo),
        log: db_args.log.clone(),
        base_url: serve.and_then(|s| s.base_url.clone()),
        smtp_url: serve.and_then(|s| s.smtp_url.clone()),
        mail_from: serve.and_then(|s| s.mail_from.clone()),
        secret_key: std::env::var("KOALICJA_SECRET_KEY").ok(),
    };
    let config = Config::load(cli.config.as_deref(), overrides)?;
    init_logging(&config.log);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(command, config))
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    // The data folder (made here for SQLite) and what it holds are the
    // owner's alone; looser modes found are tightened, with a log line.
    koalicja::files::secure_data_dir(&config.data_dir, config.database_url.is_none())
        .with_context(|| {
            format!(
                "nie można przygotować katalogu danych {}",
                config.data_dir.display()
            )
        })?;
    // Migrations, the demo and the commands other than `serve` may run
    // long statements: they get a pool without the statement timeout.
    let db = Db::connect_with(&config.database_url(), config.pool().maintenance())
        .await
        .context("nie można połączyć się z bazą danych")?;
    let applied = db.migrate().await.context("migracje nie powiodły się")?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    let now = Clock::System.now();
    match command {
        Command::Serve(_) => serve(&config, &db, now).await?,
        Command::Migrate(_) => {
            tracing::info!(applied, "database is up to date");
        }
        Command::Demo(_) => {
            let s = koalicja::demo::load(&db, now, &config.settings()).await?;
            tracing::info!(
                people = s.people,
                activities = s.activities,
                attendances = s.attendances,
                trips = s.trips,
                "demo data loaded"
            );
        }
        Command::ImportTeryt { file, .. } => import_teryt(&db, &file, now).await?,
        Command::ImportBoundaries { file, .. } => import_boundaries(&db, &file).await?,
        Command::Generate { scale, seed, .. } => {
            let scale = koalicja::generate::Scale::parse(&scale)
                .with_context(|| format!("nieznana skala „{scale}” (dostępne: national, small)"))?;
            let start = std::time::Instant::now();
            koalicja::generate::generate(&db, scale, seed, now).await?;
            tracing::info!(
                seconds = start.elapsed().as_secs_f64(),
                "synthetic data set generated"
            );
        }
        Command::CreateAdmin {
            email,
            name,
            role,
            areas,
            ..
        } => create_admin(&db, &email, &name, &role, &areas).await?,
        Command::ConfigExample => {}
    }
    db.close().await;
    Ok(())
}

/// `serve`: the demo loaded into an empty database (unless turned off),
/// then the web server on its own pool until a signal stops it.
async fn serve(config: &Config, db: &Db, now: jiff::Timestamp) -> anyhow::Result<()> {
    if config.demo && db.is_empty().await? {
        let s = koalicja::demo::load(db, now, &config.settings()).await?;
        tracing::info!(
            people = s.people,
            activities = s.activities,
            "demo data loaded"
        );
    }
    let listener = app::bind(config.listen)
        .await
        .with_context(|| format!("nie można nasłuchiwać na {}", config.listen))?;
    // Links in e-mails point where the server listens unless
    // base_url says otherwise.
    let settings = config.settings_at(listener.local_addr()?);
    let web = Db::connect_with(&config.database_url(), config.pool())
        .await
        .context("nie można połączyć się z bazą danych")?;
    db.close().await;
    let state = AppState::new(web.clone(), Clock::System, settings).await?;
    app::serve(state, listener).await?;
    web.close().await;
    Ok(())
}

/// `import-teryt FILE`: the GUS file read whole, then imported.
async fn import_teryt(db: &Db, file: &std::path::Path, now: jiff::Timestamp) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("nie można odczytać pliku {}", file.display()))?;
    let units = teryt::parse_file(&text).with_context(|| format!("plik {}", file.display()))?;
    let report = store::teryt::import(db, &units, now).await?;
    tracing::info!(
        units = units.len(),
        inserted = report.inserted,
        updated = report.updated,
        unchanged = report.unchanged,
        "TERYT imported"
    );
    Ok(())
}

/// `import-boundaries FILE`: the GeoJSON read whole, simplified, imported.
async fn import_boundaries(db: &Db, file: &std::path::Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("nie można odczytać pliku {}", file.display()))?;
    let all = koalicja::domain::boundaries::read(&text)
        .with_context(|| format!("plik {}", file.display()))?;
    let imported = store::boundaries::import(db, &all).await?;
    tracing::info!(units = imported, "boundaries imported");
    Ok(())
}

/// `create-admin`: the password from `KOALICJA_ADMIN_PASSWORD` or the
/// first line of standard input; areas as comma-separated TERYT codes.
async fn create_admin(
    db: &Db,
    email: &str,
    name: &str,
    role: &str,
    areas: &str,
) -> anyhow::Result<()> {
    let password = match std::env::var("KOALICJA_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let areas: Vec<String> = areas
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    let now = Clock::System.now();
    let id =
        koalicja::service::accounts::create_account(db, email, name, role, &password, &areas, now)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
    tracing::info!(account = id, "staff account created");
    Ok(())
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: a log file or the journal gets plain text.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
}
