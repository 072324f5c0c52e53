//! Koalicja: a platform for a regional programme of dialogue between NGOs
//! and local governments, and the public site that shows its results.
//!
//! Layout:
//! - `config` — typed configuration (defaults, TOML, environment, flags);
//! - `app` — builds the server: state, router, background refresh;
//! - `server` — connections: caps, timeouts, graceful shutdown;
//! - `web` — HTTP: one module per area, the page cache, error pages;
//! - `domain` — rules and vocabularies, no HTTP and no SQL;
//! - `store` — all SQL, for SQLite and PostgreSQL;
//! - `mail` — the e-mail outbox worker and the SMTP sender;
//! - `staff` — staff accounts, shared by the CLI and the back office;
//! - `demo` — the demo data set of the seeded programme.

pub mod app;
pub mod config;
pub mod demo;
pub mod domain;
pub mod generate;
pub mod mail;
pub mod pdf;
pub mod server;
pub mod staff;
pub mod store;
pub mod web;
