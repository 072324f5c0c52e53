//! Integration tests: each starts the real server on 127.0.0.1 with a fresh
//! SQLite database in a temporary folder and talks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod browser;
mod cases;
mod certificates;
mod demo;
mod files;
mod fuzz;
mod generate;
mod held;
mod helpers;
mod imports;
mod input;
mod instances;
mod invalidation;
mod jobs;
mod jst;
mod layers;
mod letters;
mod links;
mod load;
mod logs;
mod mail;
mod mail_once;
mod migrations;
mod monitoring;
mod monitoring_grid;
mod monitoring_work;
mod outage;
mod polish;
mod public;
mod public_forms;
mod records;
mod registration;
mod security;
mod sign_in;
mod stats;
mod summaries;
mod template;
mod teryt;
mod transport;
