//! Workflows: the rules shared by the web handlers, the scheduled jobs and
//! the command line, one module per workflow. A service function takes the
//! database and the time (`Clock` or a `jiff::Timestamp`), checks what the
//! workflow requires and calls `store/` for the SQL. Nothing here knows
//! about HTTP.

pub mod accounts;
pub mod cases;
pub mod imports;
pub mod monitoring;
pub mod monitoring_import;
pub mod references;
pub mod registrations;
pub mod reports;
pub mod sign_in;
