//! Staff accounts: moved to `service::accounts`; the old path kept.

pub use crate::service::accounts::*;
