//! Koalicja: a platform for a regional programme of dialogue between NGOs
//! and local governments, and the public site that shows its results.
//!
//! The layers, top to bottom (ARCHITECTURE.md, "Layers"):
//! - `app` — builds the server: state, router, the data-version watcher,
//!   the job loop; `web` — HTTP: one module per area, the page cache, error
//!   pages, `web::server` (connections: caps, timeouts, graceful shutdown);
//!   `jobs` — scheduled background work, each job with `run_once`;
//! - `service` — workflows: the rules handlers, jobs and commands share;
//! - `mail` — e-mails: what each says, and the sender;
//! - `store` — all SQL, for SQLite and PostgreSQL; `files` — the data
//!   folder's files; `secret_key` — the key of secrets encrypted at rest;
//!   `config` — typed configuration (defaults, TOML, environment, flags);
//! - `domain` — rules and vocabularies, no HTTP and no SQL; `clock` —
//!   "now"; `paths` — every path of the site; `pdf` — the PDF writer.
//!
//! Beside them: `demo` (the demo data set of the seeded programme) and
//! `generate` (the synthetic national data set).

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
pub mod store;
pub mod web;
