//! Every path of the site, defined once and used by routers, links, e-mails
//! and tests (`web::paths` and `web::admin::paths` re-export them).

use crate::domain::activity::ActivityKind;

pub const HOME: &str = "/";
pub const TRAININGS: &str = "/szkolenia";
pub const EVENTS: &str = "/wydarzenia";
pub const LOCAL_WORK: &str = "/dzialania-lokalne";
pub const ADVISORY: &str = "/doradztwo-i-interwencje";
pub const RESEARCH: &str = "/badania";
pub const GUIDES: &str = "/poradniki";
pub const NETWORK: &str = "/siec-urzednikow";
pub const JST_INDEX: &str = "/jst";
pub const MONITORING: &str = "/monitoring";
pub const MONITORING_MAP: &str = "/monitoring/mapa";
pub const MONITORING_METHOD: &str = "/monitoring/metoda";
/// The map alone, as an image.
pub const MONITORING_MAP_IMAGE: &str = "/monitoring/mapa.svg";
pub const MONITORING_API: &str = "/api/v1/monitoring";
pub const MONITORING_CSV: &str = "/api/v1/monitoring.csv";
pub const STATS_API: &str = "/api/v1/stats";
pub const ADVISORY_API: &str = "/api/v1/advisory";
pub const HEALTH: &str = "/healthz";
pub const STYLESHEET: &str = "/static/style.css";

/// Every query parameter a public handler reads. The page cache keys on
/// these alone, so other parameters can neither vary a page nor fill the
/// cache.
pub const QUERY_PARAMS: &[&str] = &[
    "strona",
    "nadchodzace",
    "from",
    "to",
    "dla",
    "temat",
    "obszar",
    "forma",
    "miesiac",
    "q",
    "rok",
    "year",
    "powiat",
    "rodzaj",
    "status",
    "kolor",
];

/// A document of the cooperation monitor's evidence.
pub fn evidence(id: i64) -> String {
    format!("{MONITORING}/dowody/{id}")
}

/// The page of one local government.
pub fn jst(teryt: &str) -> String {
    format!("{JST_INDEX}/{teryt}")
}

/// An activity's page: in its section by kind; a meeting of local work
/// under the local work it belongs to; advisory sessions have no page of
/// their own.
pub fn activity(kind: ActivityKind, of_local_work: bool, slug: &str) -> String {
    let section = match kind {
        k if k.is_training() => TRAININGS,
        k if k.is_event() => EVENTS,
        ActivityKind::Advisory => ADVISORY,
        _ => LOCAL_WORK,
    };
    match kind {
        ActivityKind::Advisory => section.to_owned(),
        _ if of_local_work => format!("{LOCAL_WORK}/wydarzenie/{slug}"),
        _ => format!("{section}/{slug}"),
    }
}

/// The back office's paths.
pub mod admin {
    pub const HOME: &str = "/admin";
    pub const SIGN_IN: &str = "/admin/logowanie";
    pub const SECOND_FACTOR: &str = "/admin/logowanie/kod";
    pub const SIGN_OUT: &str = "/admin/wyloguj";
    pub const PASSWORD: &str = "/admin/haslo";
    pub const RESET: &str = "/admin/haslo/reset";
    pub const TOTP: &str = "/admin/konto/dwuetapowe";
    pub const ORGANISATIONS: &str = "/admin/organizacje";
    pub const PEOPLE: &str = "/admin/osoby";
    pub const JST: &str = "/admin/jst";
    pub const ACTIVITIES: &str = "/admin/dzialania";
    pub const TRIPS: &str = "/admin/wyjazdy";
    pub const PAGES: &str = "/admin/strony";
    pub const ACCOUNTS: &str = "/admin/konta";
    pub const AUDIT: &str = "/admin/dziennik";
    pub const IMPORT: &str = "/admin/import";
    pub const FEEDBACK: &str = "/admin/opinie";
}
