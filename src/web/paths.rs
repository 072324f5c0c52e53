//! Every public path, defined once and used by routers, links and tests.

pub const HOME: &str = "/";
pub const TRAININGS: &str = "/szkolenia";
pub const EVENTS: &str = "/wydarzenia";
pub const LOCAL_WORK: &str = "/dzialania-lokalne";
pub const ADVISORY: &str = "/doradztwo-i-interwencje";
pub const RESEARCH: &str = "/badania";
pub const GUIDES: &str = "/poradniki";
pub const NETWORK: &str = "/siec-urzednikow";
pub const JST_INDEX: &str = "/jst";
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
];

/// The page of one local government.
pub fn jst(teryt: &str) -> String {
    format!("{JST_INDEX}/{teryt}")
}
