//! Typed configuration: defaults, then an optional TOML file, then
//! `KOALICJA_*` environment variables, then command-line flags.
//!
//! Validated once at start; a bad value stops the program with a message
//! that names the setting.

use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::domain::sealed::SecretKey;
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
    /// Megabytes of files one client address may send with public reports
    /// in 24 hours.
    pub upload_budget_per_address_mb: u64,
    /// Megabytes of files all public reports together may bring in 24
    /// hours.
    pub upload_budget_total_mb: u64,
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
    /// The key TOTP secrets are encrypted with at rest (32 bytes, base64
    /// or 64 hex digits). Unset: one made once in `data_dir/secret.key`.
    /// Instances sharing a database must share the key.
    pub secret_key: Option<SecretKey>,
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
    /// How long, in milliseconds, a public page whose data changed may
    /// still be served to the requests that come while it is re-rendered.
    pub stale_pages_ms: u64,
    /// The least time, in milliseconds, between the starts of two renders
    /// of a public page whose data changed again while it rendered (its
    /// previous version answers meanwhile, within `stale_pages_ms`).
    pub render_gap_ms: u64,
    /// Seconds a client has to send a request's headers, from their first
    /// byte.
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body, from the end of its
    /// headers; also how long an answer waits for the client to take more
    /// of it.
    pub body_timeout: u64,
    /// Seconds a connection may wait for its next request.
    pub idle_timeout: u64,
    /// Connections held at once; beyond, a new one is answered 503.
    pub max_connections: usize,
    /// Connections one client address may hold at once (not applied with
    /// `trust_forwarded_for`: every connection then comes from the proxy).
    pub connections_per_address: usize,
    /// MB of request bodies the server takes in at once; beyond, 503.
    pub body_memory_limit: usize,
    /// MB of request bodies one client address may send at once; beyond,
    /// 429. At least the largest report with its files (52 MB).
    pub body_memory_per_address: usize,
    /// The legal rules of the cooperation monitor.
    pub monitoring: MonitoringConfig,
}

/// The `[monitoring]` section: the dates the act on public benefit
/// activity and volunteering sets for the programme of cooperation and the
/// report, with the provisions cited beside each status.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MonitoringConfig {
    /// The first year whose programme the act required (art. 5a came in
    /// with the amendment of 22 January 2010: programmes from 2011).
    pub first_year: i16,
    /// `MM-DD` of the year before the programme's year.
    pub programme_deadline: String,
    pub programme_basis: String,
    /// `MM-DD` of the year after the one reported on.
    pub report_deadline: String,
    pub report_basis: String,
    pub consultation_basis: String,
    pub council_basis: String,
    pub elements: Vec<String>,
    pub elements_basis: String,
    pub grants_basis: String,
    /// The cooperation index's weights.
    pub index: IndexConfig,
}

/// The `[monitoring.index]` section: the weight of each indicator of the
/// cooperation index (any whole numbers; the page shows each as a share
/// of their sum) and the share of the weights, in percent, that must be
/// known for a JST to have an index.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexConfig {
    pub min_coverage: u8,
    pub programme: u32,
    pub consultation: u32,
    pub elements: u32,
    pub report: u32,
    pub council: u32,
    pub grants: u32,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            min_coverage: 50,
            programme: 30,
            consultation: 15,
            elements: 15,
            report: 20,
            council: 10,
            grants: 10,
        }
    }
}

impl IndexConfig {
    fn weights(&self) -> crate::domain::cooperation_index::Weights {
        crate::domain::cooperation_index::Weights {
            weights: [
                self.programme,
                self.consultation,
                self.elements,
                self.report,
                self.council,
                self.grants,
            ],
            min_coverage: self.min_coverage,
        }
    }

    fn valid(&self) -> bool {
        let w = self.weights();
        w.total() > 0 && w.total() <= 10_000 && self.min_coverage <= 100
    }
}

const ACT: &str =
    "ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie";

impl Default for MonitoringConfig {
    fn default() -> Self {
        MonitoringConfig {
            first_year: 2011,
            programme_deadline: "11-30".into(),
            programme_basis: format!("art. 5a ust. 1 {ACT}"),
            report_deadline: "05-31".into(),
            report_basis: format!("art. 5a ust. 3 {ACT}"),
            consultation_basis: format!("art. 5 ust. 5 {ACT}"),
            council_basis: format!("art. 41e {ACT}"),
            elements: [
                "cel główny i cele szczegółowe programu",
                "zasady współpracy",
                "zakres przedmiotowy",
                "formy współpracy",
                "priorytetowe zadania publiczne",
                "okres realizacji programu",
                "sposób realizacji programu",
                "wysokość środków planowanych na realizację programu",
                "sposób oceny realizacji programu",
                "informacja o sposobie tworzenia programu i przebiegu konsultacji",
                "tryb powoływania i zasady działania komisji konkursowych",
            ]
            .map(String::from)
            .to_vec(),
            elements_basis: format!("art. 5a ust. 4 {ACT}"),
            grants_basis: format!("art. 13 i art. 19a {ACT}"),
            index: IndexConfig::default(),
        }
    }
}

impl MonitoringConfig {
    /// Whether both dates are days of every year.
    fn dates_valid(&self) -> bool {
        use crate::domain::monitoring::parse_month_day;
        parse_month_day(&self.programme_deadline).is_some()
            && parse_month_day(&self.report_deadline).is_some()
    }

    /// The rules (dates checked at start by `Config::validate`).
    pub(crate) fn rules(&self) -> crate::domain::monitoring::Rules {
        use crate::domain::monitoring::parse_month_day;
        crate::domain::monitoring::Rules {
            first_year: self.first_year,
            programme_deadline: parse_month_day(&self.programme_deadline).unwrap_or((11, 30)),
            programme_basis: self.programme_basis.clone(),
            report_deadline: parse_month_day(&self.report_deadline).unwrap_or((5, 31)),
            report_basis: self.report_basis.clone(),
            consultation_basis: self.consultation_basis.clone(),
            council_basis: self.council_basis.clone(),
            elements: self.elements.clone(),
            elements_basis: self.elements_basis.clone(),
            grants_basis: self.grants_basis.clone(),
            index: self.index.weights(),
        }
    }
}

/// How the server treats connections and request bodies (`server`,
/// `web::limits`): timeouts, caps and the memory bodies may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transport {
    pub header_timeout: Duration,
    pub body_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub connections_per_address: usize,
    /// Bytes.
    pub body_memory_limit: usize,
    /// Bytes.
    pub body_memory_per_address: usize,
}

impl Default for Transport {
    fn default() -> Self {
        Config::default().transport()
    }
}

/// One MB, as the settings count it.
const MB: usize = 1024 * 1024;

/// The largest request body taken (a report with its files), in MB: no
/// address may be given less.
const LARGEST_BODY_MB: usize = crate::domain::attachments::UPLOAD_LIMIT.div_ceil(MB);

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
            upload_budget_per_address_mb: 100,
            upload_budget_total_mb: 2000,
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
            secret_key: None,
            database_connections: None,
            database_wait_ms: 1000,
            statement_timeout_ms: 5000,
            public_computations: 2,
            stale_pages_ms: 5000,
            render_gap_ms: 1000,
            header_timeout: 10,
            body_timeout: 60,
            idle_timeout: 30,
            max_connections: 1024,
            connections_per_address: 128,
            body_memory_limit: 256,
            body_memory_per_address: 64,
            monitoring: MonitoringConfig::default(),
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
    /// `KOALICJA_SECRET_KEY` (environment only: a flag would show it in
    /// the list of processes).
    pub secret_key: Option<String>,
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
    pub upload_budget_per_address_mb: u64,
    pub upload_budget_total_mb: u64,
    pub letterhead: Vec<String>,
    pub letter_place: String,
    pub sender_name: String,
    pub sender_address: Vec<String>,
    pub sender_email: String,
    pub signatory: String,
    pub signatory_function: String,
    pub presidents: Vec<String>,
    /// The configured key for secrets at rest; unset: `data_dir/secret.key`
    /// (`crate::secret_key`).
    pub secret_key: Option<SecretKey>,
    /// Public computations at once (`Config::public_computations`).
    pub public_computations: usize,
    /// `base_url` was configured: unsafe requests are taken only from its
    /// origin. Unset, also from the `Host` they came to.
    pub base_url_set: bool,
    pub transport: Transport,
    /// How long a public computation's request waits for its answer
    /// (`Config::statement_timeout_ms`); `None`: as long as it takes.
    pub statement_timeout: Option<Duration>,
    /// How long a page whose data changed may answer while it is
    /// re-rendered (`Config::stale_pages_ms`).
    pub stale_pages: Duration,
    /// `Config::render_gap_ms`.
    pub render_gap: Duration,
    /// `Config::monitoring`, read.
    pub monitoring: crate::domain::monitoring::Rules,
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
    #[error("{0} musi być liczbą dodatnią (megabajty na dobę)")]
    UploadBudget(&'static str),
    #[error("sender_email nie jest adresem e-mail: {0}")]
    SenderEmail(String),
    #[error("presidents: {0} nie jest kodem TERYT gminy (7 cyfr)")]
    President(String),
    #[error("KOALICJA_SECRET_KEY: {}", crate::domain::sealed::KEY_FORMAT)]
    SecretKey,
    #[error("database_connections musi wynosić co najmniej 2")]
    DatabaseConnections,
    #[error("database_wait_ms musi być liczbą dodatnią")]
    DatabaseWait,
    #[error(
        "public_computations musi być liczbą dodatnią mniejszą niż liczba połączeń z bazą ({0})"
    )]
    PublicComputations(u32),
    #[error("{0} musi być liczbą sekund od 1 do 86400")]
    Timeout(&'static str),
    #[error(
        "max_connections musi być liczbą od 1 do 1000000, a connections_per_address od 1 do max_connections"
    )]
    Connections,
    #[error(
        "body_memory_per_address musi wynosić co najmniej {LARGEST_BODY_MB} (MB, największe zgłoszenie z plikami), a body_memory_limit co najmniej tyle co body_memory_per_address i najwyżej 1048576"
    )]
    BodyMemory,
    #[error("monitoring: programme_deadline i report_deadline muszą być dniem roku zapisanym MM-DD (np. 11-30), innym niż 29 lutego")]
    MonitoringDates,
    #[error("monitoring.index: wagi wskaźników muszą być liczbami całkowitymi nieujemnymi o sumie od 1 do 10000, a min_coverage procentem od 0 do 100")]
    IndexWeights,
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
        if let Some(v) = overrides.secret_key.filter(|v| !v.is_empty()) {
            config.secret_key = Some(SecretKey::parse(&v).ok_or(ConfigError::SecretKey)?);
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
        if self.upload_budget_per_address_mb < 1 {
            return Err(ConfigError::UploadBudget("upload_budget_per_address_mb"));
        }
        if self.upload_budget_total_mb < 1 {
            return Err(ConfigError::UploadBudget("upload_budget_total_mb"));
        }
        if self.sender_email.parse::<lettre::Address>().is_err() {
            return Err(ConfigError::SenderEmail(self.sender_email.clone()));
        }
        if !self.monitoring.dates_valid() {
            return Err(ConfigError::MonitoringDates);
        }
        if !self.monitoring.index.valid() {
            return Err(ConfigError::IndexWeights);
        }
        if self.database_connections.is_some_and(|n| n < 2) {
            return Err(ConfigError::DatabaseConnections);
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
        for (name, seconds) in [
            ("header_timeout", self.header_timeout),
            ("body_timeout", self.body_timeout),
            ("idle_timeout", self.idle_timeout),
        ] {
            if !(1..=86_400).contains(&seconds) {
                return Err(ConfigError::Timeout(name));
            }
        }
        if !(1..=1_000_000).contains(&self.max_connections)
            || !(1..=self.max_connections).contains(&self.connections_per_address)
        {
            return Err(ConfigError::Connections);
        }
        if self.body_memory_per_address < LARGEST_BODY_MB
            || !(self.body_memory_per_address..=1_048_576).contains(&self.body_memory_limit)
        {
            return Err(ConfigError::BodyMemory);
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
            upload_budget_per_address_mb: self.upload_budget_per_address_mb,
            upload_budget_total_mb: self.upload_budget_total_mb,
            letterhead: self.letterhead.clone(),
            letter_place: self.letter_place.clone(),
            sender_name: self.sender_name.clone(),
            sender_address: self.sender_address.clone(),
            sender_email: self.sender_email.clone(),
            signatory: self.signatory.clone(),
            signatory_function: self.signatory_function.clone(),
            presidents: self.presidents.clone(),
            secret_key: self.secret_key.clone(),
            public_computations: self.public_computations as usize,
            base_url_set: self.base_url.is_some(),
            transport: self.transport(),
            statement_timeout: self.pool().statement_timeout,
            stale_pages: Duration::from_millis(self.stale_pages_ms),
            render_gap: Duration::from_millis(self.render_gap_ms),
            monitoring: self.monitoring.rules(),
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

    fn transport(&self) -> Transport {
        Transport {
            header_timeout: Duration::from_secs(self.header_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            max_connections: self.max_connections,
            connections_per_address: self.connections_per_address,
            body_memory_limit: self.body_memory_limit.saturating_mul(MB),
            body_memory_per_address: self.body_memory_per_address.saturating_mul(MB),
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
    fn the_secret_key_is_read_from_the_file_or_the_environment_and_checked() {
        let hex = "ab".repeat(32);
        let c = Config::from_toml(&format!("secret_key = \"{hex}\""));
        assert_eq!(
            c.map(|c| c.secret_key),
            Ok(SecretKey::parse(&hex)),
            "from the file"
        );
        let short = Config::from_toml("secret_key = \"abc\"")
            .err()
            .unwrap_or_default();
        assert!(short.contains("32 bajty"), "{short}");
        let o = |v: &str| Overrides {
            secret_key: Some(v.into()),
            ..Overrides::default()
        };
        let from_env = Config::load(None, o(&hex)).map(|c| c.settings().secret_key);
        assert!(matches!(from_env, Ok(Some(_))));
        assert!(matches!(
            Config::load(None, o("abc")),
            Err(ConfigError::SecretKey)
        ));
    }

    #[test]
    fn transport_limits_are_checked() {
        let load = |toml: &str| {
            Config::from_toml(toml)
                .map_err(|e| e.to_string())
                .and_then(|c| c.validate().map_err(|e| e.to_string()))
        };
        assert_eq!(load(""), Ok(()));
        assert!(load("header_timeout = 0").is_err_and(|e| e.contains("header_timeout")));
        assert!(load("max_connections = 10\nconnections_per_address = 11").is_err());
        assert!(load("body_memory_per_address = 8").is_err_and(|e| e.contains("52")));
        assert!(load("body_memory_limit = 60").is_err());
        let t = Config::default().settings().transport;
        assert_eq!(t.body_memory_limit, 256 * 1024 * 1024);
        assert_eq!(t.header_timeout, Duration::from_secs(10));
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
            Ok(Err(ConfigError::DatabaseConnections))
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
