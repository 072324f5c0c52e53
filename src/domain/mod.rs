//! Rules and vocabularies of the programme, one module per capability.
//!
//! Nothing here knows about HTTP or SQL; store/ and web/ depend on this,
//! never the other way round.

pub mod activity;
pub mod format;
pub mod stats;
pub mod teryt;
