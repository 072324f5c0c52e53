//! The cooperation monitor's evidence: which fact a document proves, and
//! the fingerprint it is known by (SHA-256, hexadecimal), so that anyone
//! who downloads it can tell it is the document staff checked.

use sha2::{Digest, Sha256};

vocabulary! {
    /// The fact a document is evidence of.
    EvidenceOf {
        Programme => "programme", "program współpracy (uchwała)";
        Consultation => "consultation", "konsultacje projektu";
        Report => "report", "sprawozdanie z realizacji programu";
        Ruling => "ruling", "rozstrzygnięcie nadzorcze wojewody";
        Council => "council", "rada działalności pożytku publicznego";
        Grants => "grants", "otwarte konkursy ofert i małe granty";
    }
}

/// The SHA-256 of the content, as 64 hexadecimal digits.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fingerprint_of_nothing_is_the_known_one() {
        assert_eq!(
            super::sha256(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
