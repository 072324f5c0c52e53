//! Koalicja: a platform for a regional programme of dialogue between NGOs
//! and local governments, and the public site that shows its results.
//!
//! Layout:
//! - `clock` — "now": the system clock, or a manual one in tests;
//! - `config` — typed configuration (defaults, TOML, environment, flags);
//! - `app` — builds the server: state, router, background refresh;
//! - `web` — HTTP: one module per area, the page cache, error pages, and
//!   `web::server`, the connections: caps, timeouts, graceful shutdown;
//! - `domain` — rules and vocabularies, no HTTP and no SQL;
//! - `store` — all SQL, for SQLite and PostgreSQL;
//! - `mail` — the e-mail outbox worker and the SMTP sender;
//! - `files` — the data folder's files: private modes, durable writes, sweeps;
//! - `staff` — staff accounts, shared by the CLI and the back office;
//! - `secret_key` — the key of secrets encrypted at rest;
//! - `demo` — the demo data set of the seeded programme.

pub mod app;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod files;
pub mod generate;
pub mod jobs;
pub mod mail;
pub mod paths;
pub mod pdf;
pub mod secret_key;
pub mod service;
pub mod staff;
pub mod store;
pub mod web;

/// The accept loop, now `web::server`; the old path kept.
pub use web::server;
