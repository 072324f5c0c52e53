//! NGO identifiers: NIP, REGON (9 or 14 digits) and KRS, with their
//! check digits (DOMAIN.md §5). Input may carry spaces or dashes; the
//! normalised form is digits only.

/// Digits of `input` with spaces and dashes removed, if nothing else is there.
fn digits(input: &str) -> Option<Vec<u32>> {
    input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_digit(10))
        .collect()
}

fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

fn text(digits: &[u32]) -> String {
    digits
        .iter()
        .filter_map(|d| char::from_digit(*d, 10))
        .collect()
}

/// A valid NIP, normalised: weights 6,5,7,2,3,4,5,6,7; the sum mod 11 is
/// the tenth digit; a remainder of 10 never is.
pub fn nip(input: &str) -> Option<String> {
    let d = digits(input)?;
    if d.len() != 10 {
        return None;
    }
    let check = weighted(&d[..9], &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
    (check != 10 && check == d[9]).then(|| text(&d))
}

/// A valid REGON (9 or 14 digits), normalised. The check digit is the
/// weighted sum mod 11 with 10 read as 0; a 14-digit REGON also starts
/// with a valid 9-digit one.
pub fn regon(input: &str) -> Option<String> {
    let d = digits(input)?;
    let valid9 = |d: &[u32]| weighted(&d[..8], &[8, 9, 2, 3, 4, 5, 6, 7]) % 11 % 10 == d[8];
    let ok = match d.len() {
        9 => valid9(&d),
        14 => {
            valid9(&d[..9])
                && weighted(&d[..13], &[2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8]) % 11 % 10 == d[13]
        }
        _ => false,
    };
    ok.then(|| text(&d))
}

/// A KRS number: ten digits (leading zeros added to shorter input). The
/// register publishes no check digit, so only the form is checked.
pub fn krs(input: &str) -> Option<String> {
    let d = digits(input)?;
    if d.is_empty() || d.len() > 10 || d.iter().all(|x| *x == 0) {
        return None;
    }
    Some(format!("{:0>10}", text(&d)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nip_accepts_the_documented_example_and_refuses_its_neighbours() {
        assert_eq!(nip("1234563218").as_deref(), Some("1234563218"));
        assert_eq!(nip("123-456-32-18").as_deref(), Some("1234563218"));
        assert_eq!(nip("1234563217"), None);
        assert_eq!(nip("123456321"), None);
        assert_eq!(nip("12345632a8"), None);
    }

    #[test]
    fn nip_with_remainder_ten_is_invalid() {
        // 9 and eight zeros: 6 × 9 = 54, and 54 mod 11 = 10.
        for last in 0..10 {
            assert_eq!(nip(&format!("900000000{last}")), None);
        }
    }

    #[test]
    fn regon_matches_the_test_vectors() {
        for valid in ["192598184", "123456785", "12345678512347"] {
            assert_eq!(regon(valid).as_deref(), Some(valid), "{valid}");
        }
        for invalid in ["192598183", "12345678612342", "12345678512348", "1234567"] {
            assert_eq!(regon(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn krs_is_ten_digits_with_leading_zeros() {
        assert_eq!(krs("359730").as_deref(), Some("0000359730"));
        assert_eq!(krs("0000359730").as_deref(), Some("0000359730"));
        assert_eq!(krs("12345678901"), None);
        assert_eq!(krs("0000000000"), None);
        assert_eq!(krs("KRS123"), None);
    }

    /// The check digit a valid NIP must end with, if any.
    fn nip_check(prefix: &[u32]) -> u32 {
        weighted(prefix, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11
    }

    proptest! {
        #[test]
        fn a_nip_with_its_check_digit_is_valid_and_any_other_last_digit_is_not(
            prefix in proptest::collection::vec(0u32..10, 9),
            other in 0u32..10,
        ) {
            let check = nip_check(&prefix);
            let body = text(&prefix);
            if check == 10 {
                prop_assert_eq!(nip(&format!("{body}{other}")), None);
            } else {
                let good = format!("{body}{check}");
                prop_assert_eq!(nip(&good), Some(good.clone()));
                if other != check {
                    prop_assert_eq!(nip(&format!("{body}{other}")), None);
                }
            }
        }

        #[test]
        fn a_regon_changed_in_one_digit_is_refused(
            prefix in proptest::collection::vec(0u32..10, 8),
            position in 0usize..9,
            delta in 1u32..10,
        ) {
            let check = weighted(&prefix, &[8, 9, 2, 3, 4, 5, 6, 7]) % 11 % 10;
            let mut d = prefix.clone();
            d.push(check);
            prop_assert!(regon(&text(&d)).is_some());
            // Weights 8,9,2,…,7 and 1 for the check digit are all non-zero
            // mod 11, so changing one digit changes the sum mod 11; only a
            // change between a remainder of 10 and 0 goes unseen.
            let before = weighted(&d[..8], &[8, 9, 2, 3, 4, 5, 6, 7]) % 11;
            d[position] = (d[position] + delta) % 10;
            let after = weighted(&d[..8], &[8, 9, 2, 3, 4, 5, 6, 7]) % 11;
            let masked = position < 8 && (before % 10 == after % 10);
            if !masked {
                prop_assert_eq!(regon(&text(&d)), None);
            }
        }

        #[test]
        fn nothing_but_digits_spaces_and_dashes_is_ever_accepted(s in "\\PC{0,16}") {
            if s.chars().any(|c| !(c.is_ascii_digit() || c == ' ' || c == '-')) {
                prop_assert_eq!(nip(&s), None);
                prop_assert_eq!(regon(&s), None);
                prop_assert_eq!(krs(&s), None);
            }
        }
    }
}
