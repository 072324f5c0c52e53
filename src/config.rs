//! Typed configuration: defaults, then an optional TOML file, then
//! `KOALICJA_*` environment variables, then command-line flags.
//!
//! Validated once at start; a bad value stops the program with a message
//! that names the setting.

use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::store::PoolSettings;

/// The example file printed by `koalicja config-example`.
pub const EXAMPLE: &str = include_str!("../koalicja.example.toml");

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port the server listens on.
    pub listen: SocketAddr,
    /// Folder for the SQLite database and, later, uploaded files.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Load the demo programme into an empty database at `serve`.
    pub demo: bool,
    /// tracing filter, e.g. `info` or `koalicja=debug`.
    pub log: String,
    /// The address people reach the site at; used in links sent by e-mail.
    /// With `https://`, cookies are `Secure` and HSTS is sent. Unset: where
    /// the server listens (`local_base_url`).
    pub base_url: Option<String>,
    /// `smtp://host:port`, `smtps://user:password@host` or
    /// `smtp://…?tls=required`; unset: e-mails are written as `.eml` files
    /// under `data_dir/outbox/`.
    pub smtp_url: Option<String>,
    /// The sender of every e-mail.
    pub mail_from: String,
    /// Behind a reverse proxy: count sign-in attempts by the client address
    /// the proxy puts last in `X-Forwarded-For`, not by the proxy's own.
    pub trust_forwarded_for: bool,
    /// Registrations one client address may send in 15 minutes.
    pub registrations_per_address: i64,
    /// Lines under the federation's name on its letters (address,
    /// phone, KRS), in order.
    pub letterhead: Vec<String>,
    /// The town letters are dated in.
    pub letter_place: String,
    /// The sender printed at the head of letters; empty: the project's
    /// lead organisation.
    pub sender_name: String,
    /// The sender's postal address, one line each.
    pub sender_address: Vec<String>,
    /// The address offices answer letters at ("na adres poczty
    /// elektronicznej nadawcy").
    pub sender_email: String,
    /// Who signs letters; empty: the staff member who makes the letter.
    pub signatory: String,
    /// The signatory's function the letter form offers (staff may change
    /// it per letter); empty: none printed unless typed.
    pub signatory_function: String,
    /// TERYT codes of gminy whose mayor is a Prezydent Miasta although
    /// they are not cities with powiat rights (towns that kept the title).
    pub presidents: Vec<String>,
    /// Connections of the server's database pool; unset: 4 on SQLite,
    /// 16 on PostgreSQL.
    pub database_connections: Option<u32>,
    /// How long a request waits for a database connection (a free one, or
    /// the server coming back) before it is answered 503.
    pub database_wait_ms: u64,
    /// The longest one statement of the web server may run on PostgreSQL,
    /// and a public computation's request waits for its answer on both
    /// engines; 0: no limit. Migrations and the commands other than
    /// `serve` have none.
    pub statement_timeout_ms: u64,
    /// Public pages and figures not yet cached that may be computed at
    /// once; beyond, a request waits a moment for its turn, then is
    /// answered 503. Fewer than the pool's connections, so that the rest
    /// of the site keeps some.
    pub public_computations: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database_url: None,
            demo: true,
            log: "info".into(),
            base_url: None,
            smtp_url: None,
            mail_from: "Koalicja <powiadomienia@koalicja.invalid>".into(),
            trust_forwarded_for: false,
            registrations_per_address: 60,
            letterhead: Vec::new(),
            letter_place: "Warszawa".into(),
            sender_name: String::new(),
            sender_address: vec!["ul. Przykładowa 1".into(), "00-950 Warszawa".into()],
            sender_email: "biuro@koalicja.invalid".into(),
            signatory: String::new(),
            signatory_function: String::new(),
            presidents: ["1402011", "1408011", "1417021", "1421021", "1438011"]
                .map(String::from)
                .to_vec(),
            database_connections: None,
            database_wait_ms: 1000,
            statement_timeout_ms: 5000,
            public_computations: 2,
        }
    }
}

/// Values given on the command line or in the environment (clap merges
/// the two); each overrides the file and the defaults when present.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub demo: Option<bool>,
    pub log: Option<String>,
    pub base_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
}

/// What the server reads from the configuration while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Without a trailing slash.
    pub base_url: String,
    pub https: bool,
    pub data_dir: PathBuf,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub trust_forwarded_for: bool,
    pub registrations_per_address: i64,
    pub letterhead: Vec<String>,
    pub letter_place: String,
    pub sender_name: String,
    pub sender_address: Vec<String>,
    pub sender_email: String,
    pub signatory: String,
    pub signatory_function: String,
    pub presidents: Vec<String>,
    /// Public computations at once (`Config::public_computations`).
    pub public_computations: usize,
    /// How long a public computation's request waits for its answer
    /// (`Config::statement_timeout_ms`); `None`: as long as it takes.
    pub statement_timeout: Option<Duration>,
}

impl Settings {
    /// Settings for a server whose data live in `data_dir` (tests, tools).
    pub fn local(data_dir: &Path) -> Settings {
        Config {
            data_dir: data_dir.to_owned(),
            ..Config::default()
        }
        .settings()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("nie można odczytać pliku konfiguracji {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("błąd w pliku konfiguracji {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("database_url musi zaczynać się od sqlite: albo postgres: (jest: {0})")]
    DatabaseUrl(String),
    #[error("base_url musi zaczynać się od http:// albo https:// (jest: {0})")]
    BaseUrl(String),
    #[error("smtp_url musi zaczynać się od smtp:// albo smtps://")]
    SmtpUrl,
    #[error("mail_from nie jest adresem e-mail: {0}")]
    MailFrom(String),
    #[error("registrations_per_address musi być liczbą dodatnią")]
    RegistrationLimit,
    #[error("sender_email nie jest adresem e-mail: {0}")]
    SenderEmail(String),
    #[error("presidents: {0} nie jest kodem TERYT gminy (7 cyfr)")]
    President(String),
    #[error("database_connections musi wynosić co najmniej 2")]
    Connections,
    #[error("database_wait_ms musi być liczbą dodatnią")]
    DatabaseWait,
    #[error(
        "public_computations musi być liczbą dodatnią mniejszą niż liczba połączeń z bazą ({0})"
    )]
    PublicComputations(u32),
}

impl Config {
    pub fn load(file: Option<&Path>, overrides: Overrides) -> Result<Config, ConfigError> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                Config::from_toml(&text).map_err(|message| ConfigError::Parse {
                    path: path.to_owned(),
                    message,
                })?
            }
            None => Config::default(),
        };
        if let Some(v) = overrides.listen {
            config.listen = v;
        }
        if let Some(v) = overrides.data_dir {
            config.data_dir = v;
        }
        if let Some(v) = overrides.database_url.filter(|v| !v.is_empty()) {
            config.database_url = Some(v);
        }
        if let Some(v) = overrides.demo {
            config.demo = v;
        }
        if let Some(v) = overrides.log {
            config.log = v;
        }
        if let Some(v) = overrides.base_url.filter(|v| !v.is_empty()) {
            config.base_url = Some(v);
        }
        if let Some(v) = overrides.smtp_url.filter(|v| !v.is_empty()) {
            config.smtp_url = Some(v);
        }
        if let Some(v) = overrides.mail_from {
            config.mail_from = v;
        }
        config.validate()?;
        Ok(config)
    }

    pub fn from_toml(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError::BaseUrl(url.clone()));
            }
        }
        if let Some(url) = &self.smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError::SmtpUrl);
            }
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::MailFrom(self.mail_from.clone()));
        }
        if self.registrations_per_address < 1 {
            return Err(ConfigError::RegistrationLimit);
        }
        if self.sender_email.parse::<lettre::Address>().is_err() {
            return Err(ConfigError::SenderEmail(self.sender_email.clone()));
        }
        if self.database_connections.is_some_and(|n| n < 2) {
            return Err(ConfigError::Connections);
        }
        if self.database_wait_ms == 0 {
            return Err(ConfigError::DatabaseWait);
        }
        let connections =
            self.pool()
                .connections
                .unwrap_or(if self.database_url().starts_with("sqlite:") {
                    4
                } else {
                    16
                });
        if self.public_computations == 0 || self.public_computations >= connections {
            return Err(ConfigError::PublicComputations(connections));
        }
        if let Some(bad) = self
            .presidents
            .iter()
            .find(|c| c.len() != 7 || !c.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ConfigError::President(bad.clone()));
        }
        match &self.database_url {
            Some(url)
                if !(url.starts_with("sqlite:")
                    || url.starts_with("postgres:")
                    || url.starts_with("postgresql:")) =>
            {
                Err(ConfigError::DatabaseUrl(
                    url.split(':').next().unwrap_or_default().to_owned(),
                ))
            }
            _ => Ok(()),
        }
    }

    /// The settings the running server needs, as if it listened at
    /// `listen`.
    pub fn settings(&self) -> Settings {
        self.settings_at(self.listen)
    }

    /// The settings of a server listening at `listening` (the bound
    /// address: with port 0 in `listen` the system chose the port).
    pub fn settings_at(&self, listening: SocketAddr) -> Settings {
        let base_url = match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => local_base_url(listening),
        };
        Settings {
            https: base_url.starts_with("https://"),
            base_url,
            data_dir: self.data_dir.clone(),
            smtp_url: self.smtp_url.clone(),
            mail_from: self.mail_from.clone(),
            trust_forwarded_for: self.trust_forwarded_for,
            registrations_per_address: self.registrations_per_address,
            letterhead: self.letterhead.clone(),
            letter_place: self.letter_place.clone(),
            sender_name: self.sender_name.clone(),
            sender_address: self.sender_address.clone(),
            sender_email: self.sender_email.clone(),
            signatory: self.signatory.clone(),
            signatory_function: self.signatory_function.clone(),
            presidents: self.presidents.clone(),
            public_computations: self.public_computations as usize,
            statement_timeout: self.pool().statement_timeout,
        }
    }

    /// The web server's database pool.
    pub fn pool(&self) -> PoolSettings {
        PoolSettings {
            connections: self.database_connections,
            wait: Duration::from_millis(self.database_wait_ms),
            statement_timeout: (self.statement_timeout_ms > 0)
                .then(|| Duration::from_millis(self.statement_timeout_ms)),
        }
    }

    /// The database URL to use: the configured one, or SQLite in `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("koalicja.db").display()
            ),
        }
    }
}

/// The address of a server listening at `listen`, for links when
/// `base_url` is not set: a run on one machine is reached where it
/// listens; a wildcard address (`0.0.0.0`, `::`) is reached on loopback.
pub fn local_base_url(listen: SocketAddr) -> String {
    let ip = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, listen.port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_base_url_links_point_where_the_server_listens() {
        let at = |listen: &str| Config {
            listen: listen.parse().unwrap_or(Config::default().listen),
            ..Config::default()
        };
        assert_eq!(
            at("127.0.0.1:8093").settings().base_url,
            "http://127.0.0.1:8093"
        );
        assert_eq!(
            at("0.0.0.0:9000").settings().base_url,
            "http://127.0.0.1:9000"
        );
        assert_eq!(at("[::]:9000").settings().base_url, "http://[::1]:9000");
        assert_eq!(
            at("192.0.2.7:80").settings().base_url,
            "http://192.0.2.7:80"
        );
        let bound = SocketAddr::from(([127, 0, 0, 1], 41234));
        assert_eq!(
            at("127.0.0.1:0").settings_at(bound).base_url,
            "http://127.0.0.1:41234"
        );
        let set = Config {
            base_url: Some("https://koalicja.example.org/".into()),
            ..at("0.0.0.0:9000")
        };
        let s = set.settings_at(bound);
        assert_eq!(s.base_url, "https://koalicja.example.org");
        assert!(s.https);
    }

    #[test]
    fn the_example_file_parses_to_the_defaults() {
        assert_eq!(Config::from_toml(EXAMPLE), Ok(Config::default()));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let e = Config::from_toml("listn = \"127.0.0.1:1\"")
            .err()
            .unwrap_or_default();
        assert!(e.contains("listn"), "{e}");
    }

    #[test]
    fn overrides_win_over_the_file() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { return };
        let path = dir.path().join("k.toml");
        let written = std::fs::write(
            &path,
            "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/k\"\n",
        );
        assert!(written.is_ok());
        let o = Overrides {
            data_dir: Some("/tmp/x".into()),
            ..Overrides::default()
        };
        let c = Config::load(Some(&path), o).map_err(|e| e.to_string());
        assert_eq!(c.as_ref().map(|c| c.listen.port()), Ok(9000));
        assert_eq!(c.map(|c| c.data_dir), Ok(PathBuf::from("/tmp/x")));
    }

    #[test]
    fn a_foreign_database_url_is_refused() {
        let o = Overrides {
            database_url: Some("mysql://x".into()),
            ..Overrides::default()
        };
        assert!(matches!(Config::load(None, o), Err(ConfigError::DatabaseUrl(s)) if s == "mysql"));
    }

    #[test]
    fn public_computations_leave_connections_to_the_rest() {
        let with = |text: &str| Config::from_toml(text).map(|c| c.validate().map(|_| c.pool()));
        assert!(matches!(
            with("public_computations = 4"),
            Ok(Err(ConfigError::PublicComputations(4)))
        ));
        assert!(matches!(
            with("public_computations = 0"),
            Ok(Err(ConfigError::PublicComputations(4)))
        ));
        assert!(matches!(
            with("database_url = \"postgres://h/k\"\npublic_computations = 4"),
            Ok(Ok(_))
        ));
        assert!(matches!(
            with("database_connections = 1"),
            Ok(Err(ConfigError::Connections))
        ));
        let pool =
            with("database_connections = 8\nstatement_timeout_ms = 0\ndatabase_wait_ms = 250");
        assert_eq!(
            pool.ok().and_then(Result::ok),
            Some(PoolSettings {
                connections: Some(8),
                wait: Duration::from_millis(250),
                statement_timeout: None,
            })
        );
        assert_eq!(Config::default().pool(), PoolSettings::default());
    }
}
