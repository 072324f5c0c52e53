//! Storage: every SQL statement of the program lives below this module.
//!
//! One code path serves SQLite (embedded default) and PostgreSQL through
//! sqlx's `Any` driver; the engine is picked once from the URL scheme.
//! SQL is written in the dialect both accept (`$n` parameters, `RETURNING`,
//! `ON CONFLICT`); what differs lives in small functions named after it.
//! Values cross this boundary as domain types or plain rows, never as SQL.
//!
//! Conventions: times are UTC ISO-8601 text, civil dates `YYYY-MM-DD`
//! text, ids and counts `BIGINT`. Every write transaction bumps
//! `meta.data_version` and the counters of the topics it changes
//! (`Topics`), which caches compare against.
//!
//! The handle and its parts: `pool` (the pool, its settings, the health
//! check's own connection), `tx` (write transactions and the write gate),
//! `migrate`, `versions` (data versions and the change listener), `query`
//! (`Where`, multi-row `VALUES`, `IN` lists, folded text), `error`, `rows`
//! (what columns are read into).

pub mod accounts;
pub mod activities;
pub mod activity_records;
pub mod advisory;
pub mod agenda;
pub mod audit;
pub mod boundaries;
pub mod bulk;
pub mod cases;
pub mod certificates;
mod error;
pub mod feedback;
pub mod jobs;
pub mod letters;
pub mod limits;
mod migrate;
pub mod monitoring;
pub mod monitoring_cases;
pub mod monitoring_evidence;
pub mod offices;
pub mod organisations;
pub mod outbox;
pub mod pages;
pub mod people;
mod pool;
pub mod programme;
mod query;
pub mod registrations;
pub mod rows;
mod script;
pub mod sort_keys;
pub mod stats;
mod summaries;
pub mod teryt;
mod tx;
mod versions;

pub use error::{is_foreign_key_violation, is_unique_violation, StoreError};
pub use migrate::migration_count;
pub use pool::{Db, Engine, PoolSettings};
use query::{batch_query, code_range, count_within, id_list, values};
pub use query::{fold_sql, Where};
pub use tx::{Tx, Writer};
use versions::Written;
pub use versions::{bump_counts, bump_version, ChangeListener, Topics, Versions};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One page of a list, with the number of items in the whole list.
#[derive(Clone, Debug)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
}
