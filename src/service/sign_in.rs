//! Signing in and out, the second factor, sessions, and passwords (change,
//! reset by an e-mailed one-time link).
//!
//! Brute force: failed attempts are counted in the database for the
//! account from this address, for the address, and for the account from
//! addresses it has not signed in from (`domain::throttle`); reaching a
//! limit refuses the attempt (`TooMany`, the seconds until the oldest
//! counted failure is 15 minutes old). Failures from elsewhere never hold
//! back the owner's own address.
//!
//! The count and the attempt's record are one step: one write transaction
//! in which every instance takes its turn (`store::accounts::begin_attempt`)
//! checks the limits and records the attempt as failed before its password
//! or code is checked, so parallel guesses cannot pass a limit. The
//! password is verified after that transaction (argon2 never runs while
//! the write lock is held); a correct one then marks its attempt as
//! succeeded.

use crate::clock::Clock;
use crate::domain::access::Staff;
use crate::domain::auth;
use crate::domain::sealed::SecretKey;
use crate::domain::throttle::{self, Limit, Limits};
use crate::store::{accounts, Db, StoreError};

pub use crate::domain::auth::RESET_VALID;
/// A session ends after this many seconds without a request…
pub const IDLE_TIMEOUT: i64 = 30 * 60;
/// …or this many after sign-in, whichever comes first.
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 3600;
/// A session's last-seen time is written at most this often.
const TOUCH_EVERY: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// A limit of failed attempts is reached; try again after this many
    /// seconds.
    #[error("too many failed attempts")]
    TooMany(i64),
    /// The system gave no random numbers for a token.
    #[error("no random numbers")]
    Random,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = SignInError> = std::result::Result<T, E>;

/// Counts an attempt under `key` from `address`: refused if a limit is
/// reached, otherwise recorded as failed (until `attempt_succeeded`), in
/// one transaction. The attempt's id.
async fn count_attempt(
    db: &Db,
    limits: Limits,
    key: &str,
    address: &str,
    now: jiff::Timestamp,
) -> Result<i64> {
    let mut attempt = accounts::begin_attempt(db, key, address).await?;
    let tx = &mut attempt.tx;
    let since = now - jiff::SignedDuration::from_secs(throttle::WINDOW);
    let failures = accounts::failures(tx, key, address, since).await?;
    let refused = match throttle::reached(limits, &failures) {
        None => None,
        Some(Limit::Key) => {
            let known_since = now - jiff::SignedDuration::from_hours(24 * throttle::KNOWN_DAYS);
            (!accounts::signed_in_from(tx, key, address, known_since).await?).then_some(Limit::Key)
        }
        Some(limit) => Some(limit),
    };
    if let Some(limit) = refused {
        attempt.rollback().await?;
        tracing::warn!(?limit, "sign-in refused: too many failed attempts");
        return Err(SignInError::TooMany(throttle::retry_after(
            failures.tally(limit),
            now,
        )));
    }
    let id = accounts::record_attempt(tx, key, address, now).await?;
    attempt.commit().await?;
    Ok(id)
}

/// An account whose password was right.
#[derive(Clone, Copy, Debug)]
pub struct Verified {
    pub account: i64,
    /// A TOTP code is still due.
    pub second_factor: bool,
}

/// Checks a password for the address typed (`auth::typed_address`):
/// `None` if either is wrong or the account may not sign in.
pub async fn password(
    db: &Db,
    clock: &Clock,
    email: &str,
    password: &str,
    address: &str,
) -> Result<Option<Verified>> {
    let attempt = count_attempt(db, throttle::SIGN_IN, email, address, clock.now()).await?;
    let creds = accounts::credentials(db, email).await?;
    // Unknown addresses take the same time, checked against a decoy.
    let stored = creds
        .as_ref()
        .map_or(auth::decoy_hash().to_owned(), |c| c.password_hash.clone());
    let right = verify(password, stored).await;
    let ok = right && creds.as_ref().is_some_and(|c| c.active);
    let Some(creds) = creds.filter(|_| ok) else {
        return Ok(None);
    };
    accounts::attempt_succeeded(db, attempt).await?;
    tracing::info!(account = creds.id, "signed in");
    Ok(Some(Verified {
        account: creds.id,
        second_factor: creds.totp_secret.is_some(),
    }))
}

/// Whether `password` is the one `stored` is the hash of, checked on a
/// blocking thread (argon2 takes its time, the server's workers do not
/// wait for it).
async fn verify(password: &str, stored: String) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || auth::verify_password(&password, &stored))
        .await
        .unwrap_or(false)
}

/// A new session of `account` (the browser's old one, if any, ended): a
/// new token and a new CSRF token at every sign-in. The token for the
/// cookie.
pub async fn start_session(
    db: &Db,
    clock: &Clock,
    old: Option<&str>,
    account: i64,
    second_factor_due: bool,
) -> Result<String> {
    if let Some(old) = old {
        accounts::end_session(db, old).await?;
    }
    let token = auth::new_token().map_err(|_| SignInError::Random)?;
    let csrf = auth::new_token().map_err(|_| SignInError::Random)?;
    let hash = auth::token_hash(&token);
    accounts::create_session(db, &hash, account, &csrf, second_factor_due, clock.now()).await?;
    Ok(token)
}

/// Checks the TOTP code of the account whose password was right (its
/// session's `second_factor_due`); a code works once. Counted like a
/// password.
#[allow(clippy::too_many_arguments)]
pub async fn second_factor(
    db: &Db,
    clock: &Clock,
    key: &SecretKey,
    account: i64,
    token_hash: &str,
    code: &str,
    address: &str,
) -> Result<bool> {
    let now = clock.now();
    let counted = format!("konto:{account}");
    let attempt = count_attempt(db, throttle::SIGN_IN, &counted, address, now).await?;
    let creds = accounts::credentials_by_id(db, account).await?;
    let step = auth::totp_step(now.as_second());
    let accepted = creds.as_ref().and_then(|c| {
        c.totp_secret
            .as_deref()
            .and_then(|stored| super::accounts::open_totp(key, account, stored))
            .and_then(|s| auth::totp_accept(&s, code, step, c.totp_last_step))
    });
    let ok = match accepted {
        Some(s) => accounts::use_totp_step(db, account, s).await?,
        None => false,
    };
    if ok {
        accounts::attempt_succeeded(db, attempt).await?;
        accounts::second_factor_done(db, token_hash).await?;
    }
    Ok(ok)
}

/// Ends a session.
pub async fn sign_out(db: &Db, token_hash: &str) -> Result<(), StoreError> {
    accounts::end_session(db, token_hash).await
}

/// Who a session cookie's token belongs to.
#[derive(Clone, Debug)]
pub enum SessionStatus {
    /// No such session (or it ended: expired, or the account blocked).
    Ended,
    /// The password was right; a TOTP code is due.
    SecondFactorDue {
        account: i64,
        csrf: String,
    },
    Signed {
        staff: Staff,
        csrf: String,
    },
}

/// The session of a token's hash: an idle or too old one is ended here,
/// a live one's last-seen time moved (at most once a minute).
pub async fn session(
    db: &Db,
    clock: &Clock,
    token_hash: &str,
) -> Result<SessionStatus, StoreError> {
    let Some(session) = accounts::session(db, token_hash).await? else {
        return Ok(SessionStatus::Ended);
    };
    let now = clock.now();
    let age = |t: jiff::Timestamp| (now - t).get_seconds();
    if age(session.last_seen_at) > IDLE_TIMEOUT || age(session.created_at) > ABSOLUTE_TIMEOUT {
        accounts::end_session(db, token_hash).await?;
        return Ok(SessionStatus::Ended);
    }
    if age(session.last_seen_at) >= TOUCH_EVERY {
        accounts::touch_session(db, token_hash, now).await?;
    }
    if session.second_factor_due {
        return Ok(SessionStatus::SecondFactorDue {
            account: session.account_id,
            csrf: session.csrf_token,
        });
    }
    Ok(match accounts::staff(db, session.account_id).await? {
        Some(staff) => SessionStatus::Signed {
            staff,
            csrf: session.csrf_token,
        },
        None => SessionStatus::Ended,
    })
}

/// What is wrong with a new password and its repetition, by field.
pub fn new_password_problems(password: &str, repeat: &str) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if let Some(p) = auth::password_problem(password) {
        errors.push(("password", p));
    } else if password != repeat {
        errors.push(("repeat", "Hasła nie są takie same.".to_owned()));
    }
    errors
}

/// Changes the password of a signed-in account, which must give its
/// current one; every session of the account ends. The problems by field,
/// if any (nothing changed then).
pub async fn change_password(
    db: &Db,
    clock: &Clock,
    account: i64,
    current: &str,
    password: &str,
    repeat: &str,
) -> Result<Vec<(&'static str, String)>> {
    let creds = accounts::credentials_by_id(db, account).await?;
    let mut errors = Vec::new();
    if !creds.is_some_and(|c| auth::verify_password(current, &c.password_hash)) {
        errors.push(("current", "Obecne hasło jest nieprawidłowe.".to_owned()));
    }
    errors.extend(new_password_problems(password, repeat));
    if !errors.is_empty() {
        return Ok(errors);
    }
    let hash = auth::hash_password(password).map_err(|_| SignInError::Random)?;
    accounts::set_password(db, account, &hash, clock.now()).await?;
    Ok(errors)
}

/// A request for a reset link for the address typed: counted like a
/// failed sign-in (so the form cannot flood a mailbox), and a job queued
/// in the same transaction, whether or not the address has an account.
/// The same work either way: the link is made by the job (`mail::accounts`),
/// so the answer neither says nor takes longer.
pub async fn request_reset(db: &Db, clock: &Clock, email: &str, address: &str) -> Result<()> {
    let now = clock.now();
    let key = format!("reset:{email}");
    let mut attempt = accounts::begin_attempt(db, &key, address).await?;
    let tx = &mut attempt.tx;
    let since = now - jiff::SignedDuration::from_secs(throttle::WINDOW);
    let failures = accounts::failures(tx, &key, address, since).await?;
    if let Some(limit) = throttle::reached(throttle::RESET, &failures) {
        attempt.rollback().await?;
        tracing::warn!(?limit, "reset refused: too many requests");
        return Err(SignInError::TooMany(throttle::retry_after(
            failures.tally(limit),
            now,
        )));
    }
    accounts::record_attempt(tx, &key, address, now).await?;
    accounts::queue_reset_link(tx, email, now).await?;
    attempt.commit().await?;
    Ok(())
}

/// Whether a reset link's token still works.
pub async fn reset_valid(db: &Db, clock: &Clock, token: &str) -> Result<bool, StoreError> {
    Ok(
        accounts::reset_account(db, &auth::token_hash(token), clock.now())
            .await?
            .is_some(),
    )
}

/// What setting a password by a reset link came to.
#[derive(Debug)]
pub enum Reset {
    /// The link expired or was used.
    Gone,
    /// The new password's problems by field; the link still works.
    Refused(Vec<(&'static str, String)>),
    Done,
}

/// Sets a new password through a reset link, which then works no more.
pub async fn reset(
    db: &Db,
    clock: &Clock,
    token: &str,
    password: &str,
    repeat: &str,
) -> Result<Reset> {
    let hash = auth::token_hash(token);
    let now = clock.now();
    if accounts::reset_account(db, &hash, now).await?.is_none() {
        return Ok(Reset::Gone);
    }
    let errors = new_password_problems(password, repeat);
    if !errors.is_empty() {
        return Ok(Reset::Refused(errors));
    }
    let Some(account) = accounts::use_reset(db, &hash, now).await? else {
        return Ok(Reset::Gone);
    };
    let password = auth::hash_password(password).map_err(|_| SignInError::Random)?;
    accounts::set_password(db, account, &password, now).await?;
    tracing::info!(account, "password set by reset link");
    Ok(Reset::Done)
}

/// Turns the second factor on with a secret the account's app shows the
/// `code` of; false if the code does not match or it was on already.
pub async fn totp_on(
    db: &Db,
    clock: &Clock,
    key: &SecretKey,
    account: i64,
    secret: &str,
    code: &str,
) -> Result<bool> {
    let Some(current) = accounts::get(db, account).await? else {
        return Ok(false);
    };
    let now = clock.now();
    let step = auth::totp_step(now.as_second());
    if current.has_totp || auth::totp_accept(secret, code, step, None).is_none() {
        return Ok(false);
    }
    let sealed = super::accounts::seal_totp(key, account, secret)?;
    accounts::set_totp(db, account, Some(&sealed), Some(step), now).await?;
    Ok(true)
}

/// Turns the second factor off, the account's password given; false if
/// the password is wrong.
pub async fn totp_off(db: &Db, clock: &Clock, account: i64, password: &str) -> Result<bool> {
    let Some(creds) = accounts::credentials_by_id(db, account).await? else {
        return Ok(false);
    };
    if !auth::verify_password(password, &creds.password_hash) {
        return Ok(false);
    }
    accounts::set_totp(db, account, None, None, clock.now()).await?;
    Ok(true)
}
