//! Passwords too common to be set: a list of 51,897 shipped in the binary
//! (`assets/passwords/`, with its sources and licences), the most common
//! passwords anywhere and Polish ones of Koalicja's length.
//!
//! A password is compared without regard to case, Polish letters or
//! spaces: "Kocham Cię 123" is "kochamcie123".

use std::collections::HashSet;
use std::io::Read;
use std::sync::OnceLock;

const LIST: &[u8] = include_bytes!("../../assets/passwords/common-passwords.txt.gz");

/// Whether `password` is on the list.
pub fn is_common(password: &str) -> bool {
    list().contains(&key(password))
}

/// How many passwords the list holds (after folding).
pub fn count() -> usize {
    list().len()
}

/// The list, unpacked once, each entry folded as typed passwords are.
fn list() -> &'static HashSet<String> {
    static LIST_SET: OnceLock<HashSet<String>> = OnceLock::new();
    LIST_SET.get_or_init(|| {
        let mut text = String::new();
        // The file is part of the binary: it cannot be missing or damaged
        // without the tests below failing.
        if flate2::read::GzDecoder::new(LIST)
            .read_to_string(&mut text)
            .is_err()
        {
            text.clear();
        }
        text.lines().filter(|l| !l.is_empty()).map(key).collect()
    })
}

/// Lower case, Polish letters as their base letters, no white space.
fn key(password: &str) -> String {
    password
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_long_and_holds_polish_passwords() {
        assert!(count() > 50_000, "{}", count());
        for p in [
            "123456",
            "qwertyuiop12",
            "polska123456",
            "kochamciebie",
            "zaq12wsxcde3",
            "warszawa1234",
        ] {
            assert!(is_common(p), "{p}");
        }
    }

    #[test]
    fn case_polish_letters_and_spaces_do_not_matter() {
        assert!(is_common("Polska123456"));
        assert!(is_common("KOCHAM CIĘ 123"));
        assert!(is_common("Misiaczek 123"));
        assert!(!is_common("bardzo tajne hasło 2024"));
        assert!(!is_common("zielony rower nad Wisłą"));
    }
}
