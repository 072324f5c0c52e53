//! Search that ignores case and diacritics: both the stored key of a
//! record and the query are folded to lower-case ASCII, so "lodz" finds
//! "Łódź" and "plonsk" finds "Płońsk" on either engine.

/// `text` with Polish letters written as one character each, whatever the
/// keyboard sent: a letter followed by a combining acute (U+0301), ogonek
/// (U+0328), dot above (U+0307) or stroke (U+0335, U+0336, U+0338) is
/// composed ("n\u{301}" → "ń", "l\u{335}" → "ł"), and full-width ASCII
/// (U+FF01–U+FF5E, "ＰŁＯŃＳＫ") becomes ASCII. Every query and search key
/// goes through it.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match u32::from(c) {
            code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        let composed = out.chars().last().and_then(|prev| compose(prev, c));
        match composed {
            Some(letter) => {
                out.pop();
                out.push(letter);
            }
            None => out.push(c),
        }
    }
    out
}

/// The Polish letter `base` followed by the combining `mark` writes.
fn compose(base: char, mark: char) -> Option<char> {
    Some(match (mark, base) {
        ('\u{301}', 'c') => 'ć',
        ('\u{301}', 'C') => 'Ć',
        ('\u{301}', 'n') => 'ń',
        ('\u{301}', 'N') => 'Ń',
        ('\u{301}', 'o') => 'ó',
        ('\u{301}', 'O') => 'Ó',
        ('\u{301}', 's') => 'ś',
        ('\u{301}', 'S') => 'Ś',
        ('\u{301}', 'z') => 'ź',
        ('\u{301}', 'Z') => 'Ź',
        ('\u{328}', 'a') => 'ą',
        ('\u{328}', 'A') => 'Ą',
        ('\u{328}', 'e') => 'ę',
        ('\u{328}', 'E') => 'Ę',
        ('\u{307}', 'z') => 'ż',
        ('\u{307}', 'Z') => 'Ż',
        ('\u{335}' | '\u{336}' | '\u{338}', 'l') => 'ł',
        ('\u{335}' | '\u{336}' | '\u{338}', 'L') => 'Ł',
        _ => return None,
    })
}

/// Lower-case ASCII letters and digits of `text` (after `normalise`), with
/// Polish and other common Latin diacritics removed and runs of anything
/// else turned into one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in normalise(text).chars().flat_map(char::to_lowercase) {
        let base = match c {
            'ą' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ć' | 'ç' | 'č' => 'c',
            'ę' | 'è' | 'é' | 'ê' | 'ë' | 'ě' => 'e',
            'ł' => 'l',
            'ń' | 'ñ' | 'ň' => 'n',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ś' | 'š' => 's',
            'ź' | 'ż' | 'ž' => 'z',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ù' | 'ú' | 'û' | 'ü' | 'ů' => 'u',
            'ý' | 'ÿ' => 'y',
            'ř' => 'r',
            'ď' => 'd',
            'ť' => 't',
            c if c.is_ascii_alphanumeric() || c == '@' || c == '.' => c,
            _ => ' ',
        };
        if base == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(base);
    }
    out
}

/// The key that sorts names in Polish alphabetical order when compared
/// byte by byte (on either engine, whatever its collation of text):
/// lower case, each Polish letter with a diacritic written as its base
/// letter followed by `~`, which sorts after every letter, so that
/// "Legionowo" < "Lwów" < "Łosice" < "Maków" and "Zabrodzie" < "Żabia Wola".
/// Case is ignored; other characters are kept as they are. A run of
/// digits is a number: its leading zeros dropped, it is written after its
/// length (one digit up to 9 digits, `:` and four digits beyond), so that
/// "nr 4" < "nr 23" < "nr 100".
pub fn sort_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut digits = String::new();
    for c in normalise(text).chars().flat_map(char::to_lowercase) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        push_number(&mut out, &mut digits);
        let base = match c {
            'ą' => Some('a'),
            'ć' => Some('c'),
            'ę' => Some('e'),
            'ł' => Some('l'),
            'ń' => Some('n'),
            'ó' => Some('o'),
            'ś' => Some('s'),
            'ź' => Some('z'),
            _ => None,
        };
        match (c, base) {
            // ż comes after ź: z, ź, ż.
            ('ż', _) => out.push_str("z~~"),
            (_, Some(b)) => {
                out.push(b);
                out.push('~');
            }
            _ => out.push(c),
        }
    }
    push_number(&mut out, &mut digits);
    out
}

/// Writes a run of digits as its length and its value, and empties it.
fn push_number(out: &mut String, digits: &mut String) {
    if digits.is_empty() {
        return;
    }
    let value = match digits.trim_start_matches('0') {
        "" => "0",
        v => v,
    };
    match value.len() {
        n @ 1..=9 => out.push(char::from(b'0' + n as u8)),
        n => out.push_str(&format!(":{:04}", n.min(9999))),
    }
    out.push_str(value);
    digits.clear();
}

/// Sorts `items` in Polish alphabetical order of `name`.
pub fn sort_polish<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| sort_key(name(item)));
}

/// What a search longer than `records::MAX_SEARCH` characters is told.
pub fn query_problem(query: &str) -> Option<String> {
    let max = super::records::MAX_SEARCH;
    (query.trim().chars().count() > max)
        .then(|| format!("Szukany tekst może mieć najwyżej {max} znaków."))
}

/// The `LIKE` pattern for a folded query, with `%` and `_` impossible
/// (folding removed them), of its first `records::MAX_TITLE` characters
/// (the longest name a record has; lists refuse a longer search with
/// `query_problem`), so no query is too long for the engine.
pub fn pattern(query: &str) -> Option<String> {
    let folded: String = fold(query)
        .chars()
        .take(super::records::MAX_TITLE)
        .collect();
    (!folded.is_empty()).then(|| format!("%{folded}%"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn polish_names_fold_to_what_people_type() {
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Płońsk"), "plonsk");
        assert_eq!(fold("ŻÓŁW  gęś–Ćma"), "zolw ges cma");
        assert_eq!(fold("Stowarzyszenie „61”"), "stowarzyszenie 61");
    }

    #[test]
    fn names_sort_in_polish_alphabetical_order() {
        let mut names = vec![
            "Żabia Wola",
            "Maków Mazowiecki",
            "Łosice",
            "Zabrodzie",
            "Legionowo",
            "Lwówek",
            "Źródła",
            "Ciechanów",
            "Ćmielów",
            "Czosnów",
        ];
        sort_polish(&mut names, |n| n);
        assert_eq!(
            names,
            [
                "Ciechanów",
                "Czosnów",
                "Ćmielów",
                "Legionowo",
                "Lwówek",
                "Łosice",
                "Maków Mazowiecki",
                "Zabrodzie",
                "Źródła",
                "Żabia Wola",
            ]
        );
    }

    #[test]
    fn decomposed_and_full_width_letters_read_as_typed() {
        assert_eq!(normalise("Pl\u{335}on\u{301}sk"), "Płońsk");
        assert_eq!(normalise("Jednoroz\u{307}ec"), "Jednorożec");
        assert_eq!(normalise("Wie\u{328}zo\u{301}w"), "Więzów");
        assert_eq!(normalise("ＰŁＯŃＳＫ"), "PŁOŃSK");
        assert_eq!(normalise("ＰＬＯＮ\u{301}ＳＫ"), "PLOŃSK");
        assert_eq!(fold("Płon\u{301}sk"), "plonsk");
        assert_eq!(fold("ＰŁＯŃＳＫ"), "plonsk");
        assert_eq!(normalise("\u{301}a"), "\u{301}a");
    }

    #[test]
    fn numbers_in_names_sort_by_their_value() {
        let mut names = vec![
            "Szkoła Podstawowa nr 75",
            "Szkoła Podstawowa nr 4",
            "Szkoła Podstawowa nr 29",
            "Szkoła Podstawowa nr 100",
            "Szkoła Podstawowa nr 23",
            "Szkoła Podstawowa nr 004a",
            "Szkoła Podstawowa nr 12345678901",
            "Szkoła Podstawowa w Płońsku",
        ];
        sort_polish(&mut names, |n| n);
        assert_eq!(
            names,
            [
                "Szkoła Podstawowa nr 4",
                "Szkoła Podstawowa nr 004a",
                "Szkoła Podstawowa nr 23",
                "Szkoła Podstawowa nr 29",
                "Szkoła Podstawowa nr 75",
                "Szkoła Podstawowa nr 100",
                "Szkoła Podstawowa nr 12345678901",
                "Szkoła Podstawowa w Płońsku",
            ]
        );
        assert!(sort_key("Koło 2") < sort_key("Koło 10"));
        assert!(sort_key("2 Pułk") < sort_key("Anin"));
        assert_eq!(sort_key("nr 007"), sort_key("nr 7"));
        assert_eq!(sort_key("Łosice 05-100"), "l~osice 15-3100");
    }

    #[test]
    fn a_query_of_only_punctuation_matches_nothing() {
        assert_eq!(pattern("%_ "), None);
        assert_eq!(pattern("Łódź").as_deref(), Some("%lodz%"));
    }

    proptest! {
        #[test]
        fn folding_gives_only_lower_ascii_and_is_idempotent(s in "\\PC{0,40}") {
            let f = fold(&s);
            prop_assert!(f.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || " @.".contains(c)));
            prop_assert_eq!(fold(&f), f.clone());
        }
    }
}
