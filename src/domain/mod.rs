//! Rules and vocabularies of the programme, one module per capability.
//!
//! Nothing here knows about HTTP or SQL; store/ and web/ depend on this,
//! never the other way round.

#[macro_use]
mod vocabulary;

/// A code read from storage that its vocabulary does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("nieznany kod {code:?} w słowniku {vocabulary}")]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub code: String,
}

pub mod access;
pub mod activity;
pub mod advisory;
pub mod attachments;
pub mod attendance_sheet;
pub mod audit;
pub mod auth;
pub mod boundaries;
pub mod cases;
pub mod certificate;
pub mod common_passwords;
pub mod cooperation_index;
pub mod deadlines;
pub mod feedback;
pub mod file_structure;
pub mod format;
pub mod ical;
pub mod identifiers;
pub mod jst_match;
pub mod letters;
pub mod monitoring;
pub mod monitoring_changes;
pub mod monitoring_evidence;
pub mod monitoring_gap;
pub mod organ;
pub mod reach;
pub mod records;
pub mod redact;
pub mod registration;
pub mod reports;
pub mod sealed;
pub mod search;
pub mod stats;
pub mod teryt;
pub mod throttle;
