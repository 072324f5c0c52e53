//! Staff credentials: password hashing (argon2id with OWASP's parameters),
//! random tokens stored only as hashes, and TOTP second-factor codes
//! (RFC 6238: SHA-1, 30-second steps, six digits).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// How long a reset link works, in seconds.
pub const RESET_VALID: i64 = 3600;

/// Shortest and longest password accepted (the upper bound keeps hashing
/// cheap enough not to be a way to overload the server).
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("nie udało się obliczyć skrótu hasła")]
    Hash,
    #[error("brak źródła losowości")]
    Random,
}

/// OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a password on the list of common ones is refused.
pub const COMMON: &str = "To hasło jest zbyt popularne: jest na liście haseł, które próbuje się najpierw. Wybierz inne, najlepiej kilka słów.";

/// What is wrong with a new password, in Polish, if anything: its length,
/// or that it is on the list of common passwords.
pub fn password_problem(password: &str) -> Option<String> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Some(format!(
            "Hasło musi mieć co najmniej {PASSWORD_MIN} znaków."
        ))
    } else if n > PASSWORD_MAX {
        Some(format!("Hasło może mieć najwyżej {PASSWORD_MAX} znaków."))
    } else if super::common_passwords::is_common(password) {
        Some(COMMON.to_owned())
    } else {
        None
    }
}

/// The PHC string of `password` (algorithm, parameters, salt, hash).
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| AuthError::Random)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| AuthError::Hash)?;
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| AuthError::Hash)?
        .to_string())
}

/// The hash of a new password, or a Polish message.
pub fn password_hash_or_message(password: &str) -> Result<String, String> {
    if let Some(p) = password_problem(password) {
        return Err(p);
    }
    hash_password(password).map_err(|e| e.to_string())
}

/// Whether `password` matches the stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    if password.chars().count() > PASSWORD_MAX {
        return false;
    }
    PasswordHash::new(stored)
        .map(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// What a typed sign-in address is looked up and counted by: trimmed and
/// lower-cased like every stored address (`records::normal_email`); one
/// longer than an address can be (RFC 5321), which no account has, is
/// refused with the message of e-mail fields.
pub fn typed_address(typed: &str) -> Result<String, &'static str> {
    let email = super::records::normal_email(typed);
    if email.chars().count() > super::records::MAX_EMAIL {
        return Err(super::records::EMAIL_TOO_LONG);
    }
    Ok(email)
}

/// A hash to verify against when no account matches, so that an unknown
/// address takes as long to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("konto, którego nie ma").unwrap_or_default())
}

/// A random token for a cookie or a link: 32 bytes, URL-safe base64.
pub fn new_token() -> Result<String, AuthError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| AuthError::Random)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Whether `text` could be a token of `new_token` (URL-safe base64), so
/// that it can go into an address as it is.
pub fn token_shaped(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// How a token is stored: its SHA-256 in hex. A stolen table holds no
/// usable tokens.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two strings in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new TOTP secret: 20 random bytes in base32, as authenticator apps
/// expect it typed in.
pub fn new_totp_secret() -> Result<String, AuthError> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|_| AuthError::Random)?;
    Ok(base32(&bytes))
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| *c != b' ' && *c != b'=') {
        let v = BASE32.iter().position(|x| *x == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The TOTP time step of a Unix time.
pub fn totp_step(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(30)
}

/// The six-digit code for a secret at a time step.
pub fn totp_code(secret: &str, step: i64) -> Option<String> {
    let key = base32_decode(secret)?;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let value = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    Some(format!("{:06}", value % 1_000_000))
}

/// The step a typed code belongs to, allowing one step of clock drift
/// either way; `None` if it matches none or only steps up to `last_used`
/// (a code is accepted once).
pub fn totp_accept(secret: &str, code: &str, now_step: i64, last_used: Option<i64>) -> Option<i64> {
    let code = code.trim();
    (now_step - 1..=now_step + 1).find(|step| {
        last_used.is_none_or(|l| *step > l)
            && totp_code(secret, *step).is_some_and(|c| same(&c, code))
    })
}

/// The `otpauth://` address an authenticator app reads.
pub fn totp_uri(issuer: &str, account: &str, secret: &str) -> String {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_address_is_kept_to_the_length_of_an_address() {
        assert_eq!(
            typed_address("  Ewa@Example.ORG "),
            Ok("ewa@example.org".to_owned())
        );
        let long = typed_address(&format!("{}@example.org", "ż".repeat(100_000)));
        assert_eq!(long, Err("Adres e-mail może mieć najwyżej 254 znaki."));
    }

    #[test]
    fn only_what_new_token_makes_is_shaped_like_a_token() {
        assert!(token_shaped(&new_token().unwrap_or_default()));
        for not in ["", "a b", "ż", "a/b", "a%00", &"a".repeat(65)] {
            assert!(!token_shaped(not), "{not}");
        }
    }

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let stored = hash_password("długie hasło zażółć").unwrap_or_default();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify_password("długie hasło zażółć", &stored));
        assert!(!verify_password("długie hasło zażółc", &stored));
        assert!(!verify_password("x", decoy_hash()));
    }

    #[test]
    fn rfc_6238_test_vectors_hold() {
        // Secret "12345678901234567890" (ASCII), SHA-1, from RFC 6238 app. B.
        let secret = base32(b"12345678901234567890");
        assert_eq!(totp_code(&secret, totp_step(59)).as_deref(), Some("287082"));
        assert_eq!(
            totp_code(&secret, totp_step(1111111109)).as_deref(),
            Some("081804")
        );
        assert_eq!(
            totp_code(&secret, totp_step(2000000000)).as_deref(),
            Some("279037")
        );
        assert_eq!(
            base32_decode(&secret).as_deref(),
            Some(&b"12345678901234567890"[..])
        );
    }

    #[test]
    fn a_code_is_accepted_once_and_only_near_its_time() {
        let secret = base32(b"12345678901234567890");
        let step = totp_step(1111111109);
        let code = totp_code(&secret, step).unwrap_or_default();
        assert_eq!(totp_accept(&secret, &code, step + 1, None), Some(step));
        assert_eq!(totp_accept(&secret, &code, step + 1, Some(step)), None);
        assert_eq!(totp_accept(&secret, &code, step + 5, None), None);
    }

    #[test]
    fn tokens_are_random_and_stored_as_hashes() {
        let a = new_token().unwrap_or_default();
        let b = new_token().unwrap_or_default();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn password_rules_speak_polish() {
        assert!(password_problem("krótkie").is_some());
        assert!(password_problem("wystarczająco długie").is_none());
        assert_eq!(password_problem("Polska123456").as_deref(), Some(COMMON));
    }
}
