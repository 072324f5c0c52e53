//! Secrets kept encrypted at rest (TOTP secrets): ChaCha20-Poly1305 (ring,
//! already in the tree through rustls) under a 32-byte key from the
//! configuration (`secret_key`) or made once in `data_dir/secret.key`.
//!
//! A sealed value is `v1:` and URL-safe base64 of a random 12-byte nonce
//! followed by the ciphertext and its tag. What it belongs to (e.g.
//! `totp:7` for account 7) is bound in as associated data, so a value
//! copied to another account's row does not open there. Values written
//! before encryption (a TOTP secret is base32, never with a `:`) read as
//! they are until sealed.

use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};

/// How a sealed value starts.
const MARK: &str = "v1:";

/// The key secrets are sealed with. Its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("brak źródła losowości")]
    Random,
    #[error("nie udało się zaszyfrować")]
    Seal,
}

impl SecretKey {
    /// A new random key.
    pub fn generate() -> Result<SecretKey, SealError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| SealError::Random)?;
        Ok(SecretKey(bytes))
    }

    /// A key written as 64 hexadecimal digits or as base64 (standard or
    /// URL-safe, padded or not) of 32 bytes.
    pub fn parse(text: &str) -> Option<SecretKey> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            (0..32)
                .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok())
                .collect::<Option<Vec<u8>>>()?
        } else {
            use base64::engine::general_purpose::{
                STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
            };
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .find_map(|e| e.decode(text).ok())?
        };
        Some(SecretKey(bytes.try_into().ok()?))
    }

    /// The key as written to a file: standard base64.
    pub fn to_text(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    fn aead(&self) -> Option<LessSafeKey> {
        UnboundKey::new(&CHACHA20_POLY1305, &self.0)
            .ok()
            .map(LessSafeKey::new)
    }
}

impl<'de> serde::Deserialize<'de> for SecretKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SecretKey, D::Error> {
        let text = String::deserialize(d)?;
        SecretKey::parse(&text).ok_or_else(|| serde::de::Error::custom(KEY_FORMAT))
    }
}

/// What a key must look like, in Polish.
pub const KEY_FORMAT: &str =
    "secret_key to 32 bajty zapisane w base64 albo jako 64 cyfry szesnastkowe";

/// Whether a stored value is sealed (otherwise it predates encryption).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(MARK)
}

/// `secret` sealed under `key`, bound to `context`.
pub fn seal(key: &SecretKey, context: &str, secret: &str) -> Result<String, SealError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|_| SealError::Random)?;
    let mut data = secret.as_bytes().to_vec();
    key.aead()
        .ok_or(SealError::Seal)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(context.as_bytes()),
            &mut data,
        )
        .map_err(|_| SealError::Seal)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&data);
    Ok(format!(
        "{MARK}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)
    ))
}

/// The secret in a stored value: opened if sealed (`None` if it does not
/// open under this key and context), as it is if written before sealing.
pub fn open(key: &SecretKey, context: &str, stored: &str) -> Option<String> {
    let Some(body) = stored.strip_prefix(MARK) else {
        return Some(stored.to_owned());
    };
    let mut data = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .ok()?;
    if data.len() < NONCE_LEN {
        return None;
    }
    let mut rest = data.split_off(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(&data).ok()?;
    let plain = key
        .aead()?
        .open_in_place(nonce, Aad::from(context.as_bytes()), &mut rest)
        .ok()?;
    String::from_utf8(plain.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretKey {
        SecretKey([byte; 32])
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let sealed = seal(&key(1), "totp:7", "JBSWY3DPEHPK3PXP").unwrap_or_default();
        assert!(is_sealed(&sealed), "{sealed}");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            open(&key(1), "totp:7", &sealed).as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        assert_eq!(open(&key(2), "totp:7", &sealed), None, "another key");
        assert_eq!(open(&key(1), "totp:8", &sealed), None, "another account");
        let again = seal(&key(1), "totp:7", "JBSWY3DPEHPK3PXP").unwrap_or_default();
        assert_ne!(sealed, again, "a fresh nonce each time");
        assert_eq!(open(&key(1), "totp:7", "v1:AAAA"), None);
    }

    #[test]
    fn a_value_written_before_sealing_reads_as_it_is() {
        assert!(!is_sealed("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            open(&key(1), "totp:7", "JBSWY3DPEHPK3PXP").as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
    }

    #[test]
    fn keys_are_read_in_hex_or_base64_of_32_bytes() {
        let hex = "00".repeat(31) + "ff";
        assert!(SecretKey::parse(&hex).is_some());
        let k = key(9);
        assert_eq!(SecretKey::parse(&k.to_text()), Some(k.clone()));
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xfbu8; 32]);
        assert!(SecretKey::parse(&url).is_some());
        assert_eq!(SecretKey::parse("krótki"), None);
        assert_eq!(SecretKey::parse(&"00".repeat(31)), None, "31 bytes");
        assert_eq!(format!("{k:?}"), "SecretKey(…)");
    }
}
