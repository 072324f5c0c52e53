//! What a person types as a JST, matched against the register: a TERYT
//! code, or a name with the words people add ("Urząd Gminy Jednorożec",
//! "powiat płoński", "m.st. Warszawa", "Starostwo Powiatowe w Płońsku").
//!
//! A name matches by whole words of the unit's name: a typed word is the
//! word itself, one of its inflected forms (a case ending after the stem),
//! or at most its beginning — never a piece inside a word, so "łódź" does
//! not find Młodzieszyn and "Mińsk" not the wołomiński powiat. The words
//! people add (gmina, miasto, urząd, powiat, starostwo, m.st., województwo,
//! wójt, burmistrz, prezydent, starosta, marszałek, in their inflections)
//! narrow the kind; "powiat X" or "województwo Y" after a gmina's name
//! tells namesakes apart. Units that match whole words beat those matched
//! by a word's beginning, a unit whose every word was typed beats one
//! matched by some ("Płońsk" is the two gminy of that name, not the powiat
//! płoński), and a word typed as it is beats an inflected form ("powiat
//! płocki" is that powiat, not Płock). "Urząd Gminy X" is the office of a
//! gmina wiejska or miejsko-wiejska, so it prefers those among namesakes.
//! A Polish letter the person typed must be that letter in the name ("Pł"
//! is not Platerów); letters typed without diacritics match either. Only
//! JSTs are candidates; a name no JST has, an added word alone ("gmina",
//! "miasto") or fewer than `MIN_LETTERS` letters gives none.

use super::search::{fold, normalise};
use super::teryt::{canonical, UnitKind};

/// A JST the matcher may pick, with the names of the units it lies in.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub teryt: String,
    pub kind: UnitKind,
    /// The name as the register has it ("Płońsk", "płoński", "MAZOWIECKIE").
    pub name: String,
    /// The register name of its powiat (gminy only; empty otherwise).
    pub county: String,
    /// The register name of its voivodeship (empty for the voivodeship).
    pub voivodeship: String,
}

/// What the typed text means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// Exactly one JST (its index among the candidates).
    One(usize),
    /// Several, as choices (indexes), at most `MAX_CHOICES`.
    Several(Vec<usize>),
    /// More than `MAX_CHOICES` match: the person should type more.
    TooMany(usize),
    /// Nothing in the register: refused, never approximated.
    Nothing,
    /// Fewer than `MIN_LETTERS` letters or digits typed.
    TooShort,
}

/// The fewest letters (or digits) a name must have to be looked up.
pub const MIN_LETTERS: usize = 2;

/// How many candidates are offered as choices.
pub const MAX_CHOICES: usize = 12;

const GMINA: &[UnitKind] = &[
    UnitKind::GminaMiejska,
    UnitKind::GminaWiejska,
    UnitKind::GminaMiejskoWiejska,
    UnitKind::MiastoNaPrawachPowiatu,
];
const TOWN: &[UnitKind] = &[
    UnitKind::GminaMiejska,
    UnitKind::GminaMiejskoWiejska,
    UnitKind::MiastoNaPrawachPowiatu,
];
const URBAN: &[UnitKind] = &[UnitKind::GminaMiejska, UnitKind::MiastoNaPrawachPowiatu];
const RURAL: &[UnitKind] = &[UnitKind::GminaWiejska];
const URBAN_RURAL: &[UnitKind] = &[UnitKind::GminaMiejskoWiejska];
const MAYOR: &[UnitKind] = &[UnitKind::GminaMiejska, UnitKind::GminaMiejskoWiejska];
const CAPITAL: &[UnitKind] = &[UnitKind::MiastoNaPrawachPowiatu];
const COUNTY: &[UnitKind] = &[UnitKind::Powiat, UnitKind::MiastoNaPrawachPowiatu];
const REGION: &[UnitKind] = &[UnitKind::Wojewodztwo];

/// A word people add to a name, and what it tells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Added {
    /// Narrows the kind to these.
    Kind(&'static [UnitKind]),
    /// "powiat", "starostwo": a county — or, after a gmina's name, the
    /// county it lies in.
    County,
    /// "województwo", "marszałek": the voivodeship — or the one a unit lies in.
    Region,
    /// Says nothing of the kind (urząd, rada, w, na …).
    Filler,
}

fn added(word: &str) -> Option<Added> {
    Some(match word {
        "gmina" | "gminy" | "gminie" | "gmine" | "gmin" | "gminna" | "gminny" | "gminnego"
        | "gm" => Added::Kind(GMINA),
        "wiejska" | "wiejskiej" | "wiejskiego" | "wiejsk" => Added::Kind(RURAL),
        "miejska" | "miejskiej" | "miejskiego" => Added::Kind(URBAN),
        "miasto" | "miasta" | "miescie" | "miastem" | "m" | "miejski" => Added::Kind(TOWN),
        "st" | "stoleczne" | "stolecznego" | "stolecznym" | "stoleczny" | "stolica" => {
            Added::Kind(CAPITAL)
        }
        "wojt" | "wojta" | "wojtowi" => Added::Kind(RURAL),
        "burmistrz" | "burmistrza" | "burmistrzowi" => Added::Kind(MAYOR),
        "prezydent" | "prezydenta" | "prezydentowi" => Added::Kind(URBAN),
        "powiat" | "powiatu" | "powiecie" | "powiatem" | "powiatowe" | "powiatowy"
        | "powiatowego" | "powiatowym" | "pow" | "starostwo" | "starostwa" | "starostwie"
        | "starosta" | "starosty" | "staroscie" => Added::County,
        "wojewodztwo" | "wojewodztwa" | "wojewodztwie" | "woj" | "marszalek" | "marszalka"
        | "marszalkowski" | "marszalkowskie" | "marszalkowskiego" | "samorzad" | "samorzadu"
        | "sejmik" | "sejmiku" => Added::Region,
        "urzad" | "urzedu" | "urzedzie" | "urzedem" | "rada" | "rady" | "radzie" | "zarzad"
        | "zarzadu" | "w" | "we" | "i" | "na" | "prawach" | "jst" | "jednostka" | "kod"
        | "teryt" | "z" | "siedziba" => Added::Filler,
        _ => return None,
    })
}

/// How well a typed word stands for a word of a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    /// The word itself.
    Exact,
    /// An inflected form of it ("Płońsku", "płońskiego", "Jednorożca").
    Inflected,
    /// The beginning of the word ("Płoń").
    Start,
}

/// A word: folded, and its lower-case letters as written, one for each
/// letter of the folded form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Word {
    folded: String,
    written: Vec<char>,
}

/// The words of `text` (normalised, lower case), a letter's diacritics
/// kept beside its folded form; "." separates words ("m.st.").
fn split(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut word = Word::default();
    for c in normalise(text).chars().flat_map(char::to_lowercase) {
        let f = fold(&c.to_string());
        match f.chars().next() {
            Some(base) if f.len() == 1 && base != '.' => {
                word.folded.push(base);
                word.written.push(c);
            }
            _ if !word.folded.is_empty() => out.push(std::mem::take(&mut word)),
            _ => {}
        }
    }
    if !word.folded.is_empty() {
        out.push(word);
    }
    out
}

/// Case endings after a stem (folded): enough for the names and adjectives
/// people write in letters ("w Płońsku", "powiatu płońskiego",
/// "w Warszawie", "Siedlcach").
const ENDINGS: &[&str] = &[
    "a", "u", "e", "y", "i", "o", "ie", "ia", "iu", "em", "iem", "om", "owi", "ach", "ami", "ow",
    "ego", "iego", "emu", "iemu", "im", "ym", "ej", "iej", "ich", "ych", "imi", "ymi",
];

/// How `typed` stands for `word`, on their folded forms; a Polish letter
/// typed with its diacritic must be the same letter in the word.
fn fit(typed: &Word, word: &Word) -> Option<Fit> {
    let (t, w) = (typed.folded.as_str(), word.folded.as_str());
    let (found, compared) = fit_folded(t, w)?;
    let same_letters = typed
        .written
        .iter()
        .zip(&word.written)
        .take(compared)
        .all(|(a, b)| a.is_ascii() || a == b);
    same_letters.then_some(found)
}

/// The fit of two folded words and how many leading letters it rests on.
fn fit_folded(typed: &str, word: &str) -> Option<(Fit, usize)> {
    if typed == word {
        return Some((Fit::Exact, word.len()));
    }
    let stem = word
        .strip_suffix(|c: char| "aeiouy".contains(c))
        .unwrap_or(word);
    // A vowel that drops when the word is inflected: Jednorożec →
    // Jednorożca, Wyszków → Wyszkowa is already the stem.
    let mobile = ["ec", "ek"].iter().find_map(|e| {
        word.strip_suffix(e)
            .map(|head| format!("{head}{}", &e[1..]))
    });
    let stems = std::iter::once(stem.to_owned()).chain(mobile);
    for stem in stems {
        if stem.len() >= 3 {
            if let Some(rest) = typed.strip_prefix(stem.as_str()) {
                if ENDINGS.contains(&rest) {
                    let kept = if word.starts_with(stem.as_str()) {
                        stem.len()
                    } else {
                        stem.len() - 1
                    };
                    return Some((Fit::Inflected, kept));
                }
            }
        }
    }
    (typed.len() >= 2 && word.starts_with(typed)).then_some((Fit::Start, typed.len()))
}

/// The typed text as words; "miejsko-wiejska" reads as one.
fn words(typed: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for w in split(typed) {
        if w.folded.starts_with("wiejsk") && out.last().is_some_and(|l| l.folded == "miejsko") {
            out.pop();
            out.push(Word {
                folded: "miejsko-wiejska".into(),
                written: Vec::new(),
            });
        } else {
            out.push(w);
        }
    }
    out
}

/// What a typed word adds, if it is a word people add to names.
fn meaning(word: &Word) -> Option<Added> {
    if word.folded == "miejsko-wiejska" {
        Some(Added::Kind(URBAN_RURAL))
    } else {
        added(&word.folded)
    }
}

/// "Urząd Gminy X" (not "Urząd Miasta i Gminy"): the office of a gmina
/// wiejska or miejsko-wiejska.
fn office_of_a_gmina(typed: &[Word]) -> bool {
    let is = |w: &Word, set: &[&str]| set.contains(&w.folded.as_str());
    let office = typed.windows(2).any(|p| {
        is(&p[0], &["urzad", "urzedu", "urzedzie", "urzedem"])
            && is(&p[1], &["gminy", "gmina", "gminie"])
    });
    office
        && !typed.iter().any(|w| {
            is(
                w,
                &["miasta", "miasto", "miejski", "miejskiego", "miejskim"],
            )
        })
}

/// A typed word that is a whole word of `name`: the best fit of it.
fn best_fit(typed: &Word, name: &[Word]) -> Option<(usize, Fit)> {
    name.iter()
        .enumerate()
        .filter_map(|(i, w)| fit(typed, w).map(|f| (i, f)))
        .min_by_key(|&(_, f)| f)
}

/// How one candidate answers the typed words, lower being better: `None`
/// when it does not; otherwise (a word matched only by its beginning, some
/// word of the name not typed, the kind not the office's typed, a word
/// matched only in an inflected form).
fn score(typed: &[Word], office: bool, c: &Candidate) -> Option<(bool, bool, bool, bool)> {
    let own = split(&c.name);
    let county = split(&c.county);
    let region = split(&c.voivodeship);
    let whole = |f: Option<(usize, Fit)>| f.is_some_and(|(_, f)| f != Fit::Start);
    let mut covered = vec![false; own.len()];
    let mut inflected = false;
    let mut partial = false;
    let mut any_own = false;
    let mut said_county = false;
    let mut said_region = false;
    let mut kinds: Vec<&'static [UnitKind]> = Vec::new();
    let mut county_word = false;
    let mut region_word = false;
    for t in typed {
        match (best_fit(t, &own), meaning(t)) {
            // An added word that is also a word of this name ("Nowe Miasto").
            (Some((i, f @ (Fit::Exact | Fit::Inflected))), _) => {
                covered[i] = true;
                inflected |= f == Fit::Inflected;
                any_own = true;
            }
            (_, Some(Added::Kind(k))) => kinds.push(k),
            (_, Some(Added::County)) => county_word = true,
            (_, Some(Added::Region)) => region_word = true,
            (_, Some(Added::Filler)) => {}
            (Some((_, Fit::Start)), None) => {
                partial = true;
                any_own = true;
            }
            (None, None) => {
                if whole(best_fit(t, &county)) {
                    said_county = true;
                } else if whole(best_fit(t, &region)) {
                    said_region = true;
                } else {
                    return None;
                }
            }
        }
    }
    if !any_own {
        return None;
    }
    if county_word && !said_county {
        kinds.push(COUNTY);
    }
    if region_word && !said_region && !said_county {
        kinds.push(REGION);
    }
    if kinds.iter().any(|k| !k.contains(&c.kind)) {
        return None;
    }
    let not_the_office = office
        && !matches!(
            c.kind,
            UnitKind::GminaWiejska | UnitKind::GminaMiejskoWiejska
        );
    Some((partial, covered.contains(&false), not_the_office, inflected))
}

/// Resolves what was typed among `candidates` (JSTs only). A TERYT code
/// finds its unit (the gmina code of a city with powiat rights finds the
/// city); a name finds the units described in the module's comment.
pub fn resolve(typed: &str, candidates: &[Candidate]) -> Found {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit()) {
        let code = canonical(&compact);
        return match candidates.iter().position(|c| c.teryt == code) {
            Some(i) => Found::One(i),
            None => Found::Nothing,
        };
    }
    let typed = words(typed);
    if typed.iter().map(|w| w.folded.len()).sum::<usize>() < MIN_LETTERS {
        return Found::TooShort;
    }
    if typed.iter().all(|w| meaning(w).is_some()) {
        return Found::Nothing;
    }
    let office = office_of_a_gmina(&typed);
    let scored: Vec<(usize, (bool, bool, bool, bool))> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| score(&typed, office, c).map(|s| (i, s)))
        .collect();
    let Some(best) = scored.iter().map(|&(_, s)| s).min() else {
        return Found::Nothing;
    };
    let found: Vec<usize> = scored
        .into_iter()
        .filter(|&(_, s)| s == best)
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [one] => Found::One(*one),
        many if many.len() > MAX_CHOICES => Found::TooMany(many.len()),
        many => Found::Several(many.to_vec()),
    }
}

/// How a choice reads: "Płońsk — gmina miejska, powiat płoński" for a
/// gmina; a county, a city with powiat rights or the voivodeship by the
/// name people write, with what it is.
pub fn choice_label(c: &Candidate, display_name: &str, county_name: &str) -> String {
    match c.kind {
        UnitKind::GminaMiejska | UnitKind::GminaWiejska | UnitKind::GminaMiejskoWiejska => {
            format!("{} — {}, {county_name}", c.name, c.kind.label())
        }
        UnitKind::MiastoNaPrawachPowiatu => {
            let plain = display_name.split(" (").next().unwrap_or(display_name);
            format!("{plain} — {}", c.kind.label())
        }
        _ => display_name.to_owned(),
    }
}

/// Why nothing was found for `typed`, in words that are true of the
/// register: `regions` are the names of the voivodeships it holds
/// ("MAZOWIECKIE"). With one, "„Kraków” nie jest samorządem województwa
/// mazowieckiego (rejestr tej strony obejmuje województwo mazowieckie)".
pub fn not_found(typed: &str, regions: &[String]) -> String {
    match regions {
        [one] => {
            let name = one.to_lowercase();
            let genitive = match name.strip_suffix('e') {
                Some(stem) => format!("{stem}ego"),
                None => name.clone(),
            };
            format!(
                "„{typed}” nie jest samorządem województwa {genitive} (rejestr tej strony obejmuje województwo {name})."
            )
        }
        _ => format!("W rejestrze tej strony nie ma samorządu „{typed}”."),
    }
}

/// Why a query of fewer than `MIN_LETTERS` letters is not looked up.
pub fn too_short() -> String {
    format!(
        "Wpisz co najmniej {} nazwy samorządu albo jego kod TERYT.",
        super::format::count(MIN_LETTERS as i64, super::format::nouns::LETTER_ACCUSATIVE)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::teryt::{parse_file, Teryt};

    /// The JSTs of the Mazowieckie register shipped with the program.
    fn mazowieckie() -> Vec<Candidate> {
        let text = include_str!("../../assets/teryt-terc-14.csv");
        let units = parse_file(text).unwrap_or_default();
        let name_of = |code: &str| {
            units
                .iter()
                .find(|u| u.teryt.as_str() == code)
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        units
            .iter()
            .filter(|u| u.teryt.is_jst())
            .map(|u| Candidate {
                teryt: u.teryt.to_string(),
                kind: u.kind,
                name: u.name.clone(),
                county: if u.kind.depth() == 2 {
                    name_of(&u.teryt.as_str()[..4])
                } else {
                    String::new()
                },
                voivodeship: if u.kind == UnitKind::Wojewodztwo {
                    String::new()
                } else {
                    name_of(&u.teryt.as_str()[..2])
                },
            })
            .collect()
    }

    fn codes(typed: &str) -> Vec<String> {
        let all = mazowieckie();
        let pick = |i: usize| all[i].teryt.clone();
        match resolve(typed, &all) {
            Found::One(i) => vec![pick(i)],
            Found::Several(v) => {
                let mut v: Vec<String> = v.into_iter().map(pick).collect();
                v.sort();
                v
            }
            Found::TooMany(n) => vec![format!("{n} too many")],
            Found::Nothing => vec![],
            Found::TooShort => vec!["too short".into()],
        }
    }

    #[test]
    fn a_name_not_found_is_said_of_the_region_the_register_holds() {
        assert_eq!(
            not_found("Kraków", &["MAZOWIECKIE".into()]),
            "„Kraków” nie jest samorządem województwa mazowieckiego (rejestr tej strony obejmuje województwo mazowieckie)."
        );
        assert_eq!(
            not_found("Xyz", &["MAZOWIECKIE".into(), "ŁÓDZKIE".into()]),
            "W rejestrze tej strony nie ma samorządu „Xyz”."
        );
        assert_eq!(
            too_short(),
            "Wpisz co najmniej 2 litery nazwy samorządu albo jego kod TERYT."
        );
    }

    #[test]
    fn a_word_typed_as_it_is_beats_an_inflected_name() {
        assert_eq!(codes("powiat płocki"), ["1419"]);
        assert_eq!(codes("powiat ostrołęcki"), ["1415"]);
        assert_eq!(codes("powiat radomski"), ["1425"]);
        assert_eq!(codes("powiat siedlecki"), ["1426"]);
        assert_eq!(codes("powiat warszawski zachodni"), ["1432"]);
        assert_eq!(codes("Ostrołęka"), ["1461"]);
    }

    #[test]
    fn the_office_named_tells_the_gmina_from_the_town() {
        assert_eq!(codes("Urząd Gminy Płońsk"), ["1420092"]);
        assert_eq!(codes("Urzędu Gminy w Przasnyszu"), ["1422072"]);
        assert_eq!(codes("Urząd Miasta Płońsk"), ["1420011"]);
        assert_eq!(codes("Urząd Miejski w Płońsku"), ["1420011"]);
        assert_eq!(codes("Urząd Gminy Jednorożec"), ["1422042"]);
    }

    #[test]
    fn an_added_word_alone_or_one_letter_is_refused() {
        assert_eq!(codes("miasto"), Vec::<String>::new());
        assert_eq!(codes("gmina"), Vec::<String>::new());
        assert_eq!(codes("Urząd Miasta"), Vec::<String>::new());
        assert_eq!(codes("P"), ["too short"]);
    }

    #[test]
    fn a_polish_letter_typed_must_be_in_the_name() {
        let pl = codes("Pł");
        assert!(!pl.is_empty());
        assert!(!pl.iter().any(|c| c == "1410042"));
        let all = mazowieckie();
        for code in &pl {
            let c = all
                .iter()
                .find(|c| &c.teryt == code)
                .map(|c| c.name.clone());
            assert!(
                c.is_some_and(|n| n.to_lowercase().starts_with("pł")),
                "{code}"
            );
        }
        assert_eq!(codes("Plonsk"), ["1420011", "1420092"]);
    }

    #[test]
    fn inflected_names_are_found() {
        assert_eq!(codes("Wójt Gminy Jednorożca"), ["1422042"]);
        assert_eq!(codes("Burmistrz Płońska"), ["1420011"]);
        assert_eq!(codes("Prezydent Miasta Płocka"), ["1462"]);
    }

    #[test]
    fn decomposed_and_full_width_input_is_matched() {
        assert_eq!(codes("Płon\u{301}sk"), ["1420011", "1420092"]);
        assert_eq!(codes("ＰŁＯŃＳＫ"), ["1420011", "1420092"]);
    }

    #[test]
    fn a_name_outside_the_register_is_refused_not_approximated() {
        assert_eq!(codes("łódź"), Vec::<String>::new());
        assert_eq!(codes("Łódź"), Vec::<String>::new());
        assert_eq!(codes("lodz"), Vec::<String>::new());
        assert_eq!(codes("Gmina Łódź"), Vec::<String>::new());
        assert_eq!(codes("Kraków"), Vec::<String>::new());
    }

    #[test]
    fn a_word_is_never_found_inside_another() {
        let minsk = codes("Mińsk");
        assert_eq!(minsk, ["1412011", "1412112"]);
        assert!(!minsk.iter().any(|c| c == "1434" || c == "1437"));
        assert_eq!(codes("Mińsk Mazowiecki"), ["1412011", "1412112"]);
    }

    #[test]
    fn a_name_two_gminy_share_offers_both() {
        assert_eq!(codes("Płońsk"), ["1420011", "1420092"]);
        assert_eq!(codes("plonsk"), ["1420011", "1420092"]);
        assert_eq!(codes("Przasnysz"), ["1422011", "1422072"]);
    }

    #[test]
    fn the_words_people_add_tell_the_kind() {
        assert_eq!(codes("Gmina Jednorożec"), ["1422042"]);
        assert_eq!(codes("Urząd Gminy Jednorożec"), ["1422042"]);
        assert_eq!(codes("Wójt Gminy Jednorożec"), ["1422042"]);
        assert_eq!(codes("powiat płoński"), ["1420"]);
        assert_eq!(codes("Powiatu Płońskiego"), ["1420"]);
        assert_eq!(codes("Starostwo Powiatowe w Płońsku"), ["1420"]);
        assert_eq!(codes("m.st. Warszawa"), ["1465"]);
        assert_eq!(codes("m. st. Warszawa"), ["1465"]);
        assert_eq!(codes("Miasto Stołeczne Warszawa"), ["1465"]);
        assert_eq!(codes("Urząd Miasta Płońsk"), ["1420011"]);
        assert_eq!(codes("Burmistrz Miasta Płońsk"), ["1420011"]);
        assert_eq!(codes("gmina wiejska Płońsk"), ["1420092"]);
        assert_eq!(codes("Płońsk (gmina miejska)"), ["1420011"]);
        assert_eq!(codes("Prezydent Miasta Płocka"), ["1462"]);
        assert_eq!(codes("województwo mazowieckie"), ["14"]);
        assert_eq!(
            codes("Urząd Marszałkowski Województwa Mazowieckiego"),
            ["14"]
        );
        assert_eq!(codes("Nowe Miasto"), ["1420083"]);
    }

    #[test]
    fn the_county_after_a_name_tells_namesakes_apart() {
        assert_eq!(codes("Radzanów"), ["1401032", "1413042"]);
        assert_eq!(codes("Radzanów (powiat mławski)"), ["1413042"]);
        assert_eq!(codes("Radzanów, powiat białobrzeski"), ["1401032"]);
    }

    #[test]
    fn a_city_with_powiat_rights_is_one_jst() {
        assert_eq!(codes("Płock"), ["1462"]);
        assert_eq!(codes("Warszawa"), ["1465"]);
        assert_eq!(codes("1462011"), ["1462"]);
        assert_eq!(codes("1462"), ["1462"]);
        assert_eq!(codes("1420011"), ["1420011"]);
        // A part of a gmina is not a JST.
        assert_eq!(codes("1401014"), Vec::<String>::new());
        assert_eq!(codes("Nowe Miasto nad Pilicą"), ["1406083"]);
    }

    #[test]
    fn the_beginning_of_a_name_is_enough_when_nothing_is_whole() {
        assert_eq!(codes("Jednoroż"), ["1422042"]);
        assert_eq!(codes("Płoń"), ["1420", "1420011", "1420092"]);
        assert_eq!(codes("Plon"), ["1411062", "1420", "1420011", "1420092"]);
    }

    #[test]
    fn city_codes_are_canonical() {
        let t = |c: &str| Teryt::parse(c).map(|t| t.canonical().to_string());
        assert_eq!(t("1462011").as_deref(), Ok("1462"));
        assert_eq!(t("1465011").as_deref(), Ok("1465"));
        assert_eq!(t("1420011").as_deref(), Ok("1420011"));
        assert_eq!(t("1462").as_deref(), Ok("1462"));
        assert!(Teryt::parse("1462").is_ok_and(|t| t.is_jst()));
        assert!(Teryt::parse("1462011").is_ok_and(|t| !t.is_jst()));
        assert!(Teryt::parse("1401014").is_ok_and(|t| !t.is_jst()));
    }
}
