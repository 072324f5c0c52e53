//! Slowing down whoever guesses passwords, without locking out the owner.
//!
//! Failed attempts (at a password, a second-factor code, or asking for a
//! reset link) are counted over `WINDOW` three ways: for the account and
//! the client address together (`pair`), for the address over all
//! accounts (`address`), and for the account over all addresses (`key`).
//! Reaching a limit answers 429 until the oldest counted failure leaves
//! the window. The first two hold back only the guessing address, so
//! failures elsewhere never lock the owner out of their own. The third
//! stops guesses spread over many addresses; an address the account
//! signed in from within `KNOWN_DAYS` is the owner's and is not held back
//! by it.

/// The window failures are counted over, in seconds.
pub const WINDOW: i64 = 15 * 60;

/// How long an address stays known after a successful sign-in, in days.
pub const KNOWN_DAYS: i64 = 30;

/// Failures allowed in the window, by what they are counted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// One account from one address.
    pub pair: i64,
    /// One address, whatever the accounts.
    pub address: i64,
    /// One account, whatever the addresses (known addresses excepted).
    pub key: i64,
}

/// Signing in and second-factor codes.
pub const SIGN_IN: Limits = Limits {
    pair: 5,
    address: 20,
    key: 50,
};

/// Reset links: at most five to one mailbox in the window, so the form
/// cannot flood it.
pub const RESET: Limits = Limits {
    pair: 5,
    address: 20,
    key: 5,
};

/// Failures of one kind in the window, with the time of the oldest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: i64,
    pub oldest: Option<jiff::Timestamp>,
}

/// Failures in the window for a key (an account) and an address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    pub pair: Tally,
    pub address: Tally,
    pub key: Tally,
}

/// Which limit holds an attempt back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Pair,
    Address,
    /// The account's, which a known address does not heed.
    Key,
}

/// The limit `failures` reach, if any, the narrowest first.
pub fn reached(limits: Limits, failures: &Failures) -> Option<Limit> {
    if failures.pair.count >= limits.pair {
        Some(Limit::Pair)
    } else if failures.address.count >= limits.address {
        Some(Limit::Address)
    } else if failures.key.count >= limits.key {
        Some(Limit::Key)
    } else {
        None
    }
}

impl Failures {
    pub fn tally(&self, limit: Limit) -> &Tally {
        match limit {
            Limit::Pair => &self.pair,
            Limit::Address => &self.address,
            Limit::Key => &self.key,
        }
    }
}

/// Seconds until the oldest failure of `tally` leaves the window (at
/// least 1).
pub fn retry_after(tally: &Tally, now: jiff::Timestamp) -> i64 {
    tally
        .oldest
        .map(|t| WINDOW - (now - t).get_seconds())
        .unwrap_or(WINDOW)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(count: i64) -> Tally {
        Tally {
            count,
            oldest: "2026-11-28T11:00:00Z".parse().ok(),
        }
    }

    #[test]
    fn the_narrowest_limit_reached_holds_an_attempt_back() {
        let mut f = Failures::default();
        assert_eq!(reached(SIGN_IN, &f), None);
        f.key = tally(49);
        f.address = tally(19);
        f.pair = tally(4);
        assert_eq!(reached(SIGN_IN, &f), None);
        f.key = tally(50);
        assert_eq!(reached(SIGN_IN, &f), Some(Limit::Key));
        f.address = tally(20);
        assert_eq!(reached(SIGN_IN, &f), Some(Limit::Address));
        f.pair = tally(5);
        assert_eq!(reached(SIGN_IN, &f), Some(Limit::Pair));
        assert_eq!(
            reached(
                RESET,
                &Failures {
                    key: tally(5),
                    ..Failures::default()
                }
            ),
            Some(Limit::Key)
        );
    }

    #[test]
    fn the_wait_ends_when_the_oldest_failure_leaves_the_window() {
        let now: jiff::Timestamp = "2026-11-28T11:01:00Z".parse().unwrap_or_default();
        assert_eq!(retry_after(&tally(5), now), 840);
        assert_eq!(retry_after(&Tally::default(), now), WINDOW);
        let later: jiff::Timestamp = "2026-11-28T12:00:00Z".parse().unwrap_or_default();
        assert_eq!(retry_after(&tally(5), later), 1);
    }
}
