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
//! by a word's beginning, and a unit whose every word was typed beats one
//! matched by some: "Płońsk" is the two gminy of that name, not the powiat
//! płoński. Only JSTs are candidates; a name no JST has gives none.

use super::search::fold;
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
}

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
    /// The word, or an inflected form of it ("Płońsku", "płońskiego").
    Whole,
    /// The beginning of the word ("Płoń").
    Start,
}

/// Case endings after a stem (folded): enough for the names and adjectives
/// people write in letters ("w Płońsku", "powiatu płońskiego",
/// "w Warszawie", "Siedlcach").
const ENDINGS: &[&str] = &[
    "a", "u", "e", "y", "i", "o", "ie", "ia", "iu", "em", "iem", "om", "owi", "ach", "ami", "ow",
    "ego", "iego", "emu", "iemu", "im", "ym", "ej", "iej", "ich", "ych", "imi", "ymi",
];

fn fit(typed: &str, word: &str) -> Option<Fit> {
    if typed == word {
        return Some(Fit::Whole);
    }
    let stem = word
        .strip_suffix(|c: char| "aeiouy".contains(c))
        .unwrap_or(word);
    if stem.len() >= 3 {
        if let Some(rest) = typed.strip_prefix(stem) {
            if ENDINGS.contains(&rest) {
                return Some(Fit::Whole);
            }
        }
    }
    (typed.len() >= 2 && word.starts_with(typed)).then_some(Fit::Start)
}

/// The typed text as folded words; "m.st." and "miejsko-wiejska" read as
/// people mean them.
fn words(typed: &str) -> Vec<String> {
    let folded = fold(typed).replace('.', " ");
    let mut out: Vec<String> = Vec::new();
    for w in folded.split_whitespace() {
        if w.starts_with("wiejsk") && out.last().is_some_and(|l| l == "miejsko") {
            out.pop();
            out.push("miejsko-wiejska".into());
        } else {
            out.push(w.to_owned());
        }
    }
    out
}

/// A typed word that is a whole word of `name`: the best fit of it.
fn best_fit(typed: &str, name: &[String]) -> Option<(usize, Fit)> {
    name.iter()
        .enumerate()
        .filter_map(|(i, w)| fit(typed, w).map(|f| (i, f)))
        .min_by_key(|&(_, f)| f)
}

/// How one candidate answers the typed words: `None` when it does not;
/// otherwise (a word matched only by its beginning, some word of the name
/// not typed) — lower is better.
fn score(typed: &[String], c: &Candidate) -> Option<(bool, bool)> {
    let own: Vec<String> = fold(&c.name)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let county: Vec<String> = fold(&c.county)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let region: Vec<String> = fold(&c.voivodeship)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut covered = vec![false; own.len()];
    let mut partial = false;
    let mut any_own = false;
    let mut said_county = false;
    let mut said_region = false;
    let mut kinds: Vec<&'static [UnitKind]> = Vec::new();
    let mut county_word = false;
    let mut region_word = false;
    for t in typed {
        let meaning = if t == "miejsko-wiejska" {
            Some(Added::Kind(URBAN_RURAL))
        } else {
            added(t)
        };
        match (best_fit(t, &own), meaning) {
            // An added word that is also a word of this name ("Nowe Miasto").
            (Some((i, Fit::Whole)), _) => {
                covered[i] = true;
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
                if best_fit(t, &county).is_some_and(|(_, f)| f == Fit::Whole) {
                    said_county = true;
                } else if best_fit(t, &region).is_some_and(|(_, f)| f == Fit::Whole) {
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
    Some((partial, covered.contains(&false)))
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
    let scored: Vec<(usize, (bool, bool))> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| score(&typed, c).map(|s| (i, s)))
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
        }
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
        assert_eq!(codes("Płoń"), ["1411062", "1420", "1420011", "1420092"]);
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
