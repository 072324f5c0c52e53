//! The clock every layer reads "now" from: the system clock in production,
//! a manual one in tests, which the test moves.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Where "now" comes from: the system clock in production, a manual one in
/// tests, which stays put until the test moves it (lists of upcoming
/// activities, session expiry and reset links are tested with it).
#[derive(Clone, Debug)]
pub enum Clock {
    System,
    /// Unix seconds, moved by `advance`.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock showing `at`.
    pub fn manual(at: jiff::Timestamp) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(at.as_second())))
    }

    /// Moves a manual clock forward (no effect on the system clock).
    pub fn advance(&self, seconds: i64) {
        if let Clock::Manual(t) = self {
            t.fetch_add(seconds, Ordering::SeqCst);
        }
    }

    #[allow(clippy::disallowed_methods)]
    pub fn now(&self) -> jiff::Timestamp {
        match self {
            Clock::System => jiff::Timestamp::now(),
            Clock::Manual(t) => {
                jiff::Timestamp::from_second(t.load(Ordering::SeqCst)).unwrap_or_default()
            }
        }
    }

    /// Today's date in Warsaw.
    pub fn today_date(&self) -> jiff::civil::Date {
        self.now().to_zoned(warsaw()).date()
    }
}

/// A time as stored: UTC ISO-8601 to the second.
pub fn stamp(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The time zone every date is shown in.
pub fn warsaw() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Warsaw").unwrap_or(jiff::tz::TimeZone::UTC)
}
