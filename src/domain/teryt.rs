//! TERYT (TERC) codes and the GUS register file.
//!
//! Owns the rules of the register: what a code may look like, which kind of
//! unit it names, which unit is its parent, and how the file GUS ships
//! (UTF-8 with BOM, CRLF, `;`) is read. No SQL and no HTTP here.

use std::collections::HashSet;
use std::fmt;

/// A validated TERC code: 2 digits (województwo), 4 (powiat level) or
/// 7 (gmina or a part of one, the last digit being RODZ).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Teryt(String);

/// The kinds of unit in the register. The first six are JSTs; the rest are
/// parts of a gmina that the register lists but that have no government.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnitKind {
    Wojewodztwo,
    Powiat,
    MiastoNaPrawachPowiatu,
    GminaMiejska,
    GminaWiejska,
    GminaMiejskoWiejska,
    Miasto,
    ObszarWiejski,
    Dzielnica,
    Delegatura,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TerytError {
    #[error("kod TERYT musi mieć 2, 4 albo 7 cyfr")]
    Length,
    #[error("kod TERYT może zawierać tylko cyfry")]
    NotDigits,
    #[error("kod województwa musi być liczbą parzystą od 02 do 32")]
    Voivodeship,
    #[error("kod powiatu musi być liczbą od 01 do 99")]
    County,
    #[error("kod gminy musi być liczbą od 01 do 99")]
    Municipality,
    #[error("rodzaj jednostki (RODZ) musi być jedną z wartości 1, 2, 3, 4, 5, 8, 9")]
    Kind,
}

impl Teryt {
    pub fn parse(code: &str) -> Result<Teryt, TerytError> {
        if !matches!(code.len(), 2 | 4 | 7) {
            return Err(TerytError::Length);
        }
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TerytError::NotDigits);
        }
        let num = |range: std::ops::Range<usize>| -> u32 {
            code[range]
                .bytes()
                .fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))
        };
        let woj = num(0..2);
        if woj == 0 || woj > 32 || woj % 2 != 0 {
            return Err(TerytError::Voivodeship);
        }
        if code.len() >= 4 && num(2..4) == 0 {
            return Err(TerytError::County);
        }
        if code.len() == 7 {
            if num(4..6) == 0 {
                return Err(TerytError::Municipality);
            }
            if !matches!(num(6..7), 1 | 2 | 3 | 4 | 5 | 8 | 9) {
                return Err(TerytError::Kind);
            }
        }
        Ok(Teryt(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The kind follows from the code alone, except at powiat level where
    /// numbers 61–99 are cities with powiat rights.
    pub fn kind(&self) -> UnitKind {
        match self.0.len() {
            2 => UnitKind::Wojewodztwo,
            4 if self.0[2..4] >= *"61" => UnitKind::MiastoNaPrawachPowiatu,
            4 => UnitKind::Powiat,
            _ => match self.0.as_bytes()[6] {
                b'1' => UnitKind::GminaMiejska,
                b'2' => UnitKind::GminaWiejska,
                b'3' => UnitKind::GminaMiejskoWiejska,
                b'4' => UnitKind::Miasto,
                b'5' => UnitKind::ObszarWiejski,
                b'8' => UnitKind::Dzielnica,
                _ => UnitKind::Delegatura,
            },
        }
    }

    /// The unit this one belongs to. For a town or rural area that is its
    /// urban-rural gmina; for a district or delegatura the city's gmina,
    /// which the caller must look up (`None` here); for a gmina its powiat.
    pub fn parent(&self) -> Option<Teryt> {
        match self.kind() {
            UnitKind::Wojewodztwo => None,
            UnitKind::Powiat | UnitKind::MiastoNaPrawachPowiatu => {
                Some(Teryt(self.0[..2].to_owned()))
            }
            UnitKind::GminaMiejska | UnitKind::GminaWiejska | UnitKind::GminaMiejskoWiejska => {
                Some(Teryt(self.0[..4].to_owned()))
            }
            UnitKind::Miasto | UnitKind::ObszarWiejski => Some(Teryt(format!("{}3", &self.0[..6]))),
            UnitKind::Dzielnica | UnitKind::Delegatura => None,
        }
    }

    /// Whether this is the gmina code of a city with powiat rights (RODZ 1
    /// under a powiat number 61–99, e.g. 1462011): the same local government
    /// as its powiat-level code (1462), which is the one recorded.
    pub fn is_city_gmina(&self) -> bool {
        is_city_gmina(&self.0)
    }

    /// The code a JST is recorded under: a city with powiat rights is one
    /// local government (act on powiat self-government, art. 91–92) with
    /// two register codes, and its powiat-level code (1462) stands for
    /// both; every other code is itself.
    pub fn canonical(&self) -> Teryt {
        Teryt(canonical(&self.0).to_owned())
    }

    /// A local government (not a part of a gmina, nor the second code of a
    /// city with powiat rights): what may be chosen, listed and counted.
    pub fn is_jst(&self) -> bool {
        self.kind().is_local_government() && !self.is_city_gmina()
    }

    /// The prefix every unit inside this one starts with.
    pub fn descendant_prefix(&self) -> &str {
        match self.0.len() {
            7 => &self.0[..6],
            _ => &self.0,
        }
    }
}

/// See `Teryt::is_city_gmina`; for codes read back from storage.
pub fn is_city_gmina(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 7 && b.iter().all(u8::is_ascii_digit) && code[2..4] >= *"61" && b[6] == b'1'
}

/// See `Teryt::canonical`; for codes read back from storage.
pub fn canonical(code: &str) -> &str {
    if is_city_gmina(code) {
        &code[..4]
    } else {
        code
    }
}

impl fmt::Display for Teryt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl UnitKind {
    pub const ALL: [UnitKind; 10] = [
        UnitKind::Wojewodztwo,
        UnitKind::Powiat,
        UnitKind::MiastoNaPrawachPowiatu,
        UnitKind::GminaMiejska,
        UnitKind::GminaWiejska,
        UnitKind::GminaMiejskoWiejska,
        UnitKind::Miasto,
        UnitKind::ObszarWiejski,
        UnitKind::Dzielnica,
        UnitKind::Delegatura,
    ];

    /// The name stored in the database and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Wojewodztwo => "wojewodztwo",
            UnitKind::Powiat => "powiat",
            UnitKind::MiastoNaPrawachPowiatu => "miasto_na_prawach_powiatu",
            UnitKind::GminaMiejska => "gmina_miejska",
            UnitKind::GminaWiejska => "gmina_wiejska",
            UnitKind::GminaMiejskoWiejska => "gmina_miejsko_wiejska",
            UnitKind::Miasto => "miasto",
            UnitKind::ObszarWiejski => "obszar_wiejski",
            UnitKind::Dzielnica => "dzielnica",
            UnitKind::Delegatura => "delegatura",
        }
    }

    pub fn from_code(code: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A stored kind read back: an unknown code is an error naming it, never
/// a default.
impl TryFrom<String> for UnitKind {
    type Error = crate::domain::UnknownCode;

    fn try_from(code: String) -> Result<UnitKind, Self::Error> {
        UnitKind::from_code(&code).ok_or(crate::domain::UnknownCode {
            vocabulary: "UnitKind",
            code,
        })
    }
}

impl UnitKind {
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Wojewodztwo => "województwo",
            UnitKind::Powiat => "powiat",
            UnitKind::MiastoNaPrawachPowiatu => "miasto na prawach powiatu",
            UnitKind::GminaMiejska => "gmina miejska",
            UnitKind::GminaWiejska => "gmina wiejska",
            UnitKind::GminaMiejskoWiejska => "gmina miejsko-wiejska",
            UnitKind::Miasto => "miasto (część gminy miejsko-wiejskiej)",
            UnitKind::ObszarWiejski => "obszar wiejski (część gminy miejsko-wiejskiej)",
            UnitKind::Dzielnica => "dzielnica",
            UnitKind::Delegatura => "delegatura",
        }
    }

    /// Parts of a gmina are listed by GUS but are not local governments.
    pub fn is_local_government(self) -> bool {
        !matches!(
            self,
            UnitKind::Miasto | UnitKind::ObszarWiejski | UnitKind::Dzielnica | UnitKind::Delegatura
        )
    }

    /// Order for inserting: parents before children.
    pub fn depth(self) -> u8 {
        match self {
            UnitKind::Wojewodztwo => 0,
            UnitKind::Powiat | UnitKind::MiastoNaPrawachPowiatu => 1,
            UnitKind::GminaMiejska | UnitKind::GminaWiejska | UnitKind::GminaMiejskoWiejska => 2,
            _ => 3,
        }
    }
}

/// What naming a unit needs of it.
#[derive(Clone, Copy, Debug)]
pub struct NameInput<'a> {
    pub teryt: &'a str,
    pub kind: UnitKind,
    pub name: &'a str,
    pub name_extra: &'a str,
}

/// A unit's name as people write it, and the key it sorts by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName {
    pub name: String,
    pub sort_key: String,
}

/// The name people write for a unit, before telling it from namesakes:
/// "województwo mazowieckie", "powiat płoński", "m.st. Warszawa",
/// "Płock", "Jednorożec"; a part of a gmina says what it is
/// ("Białobrzegi (miasto)").
pub fn plain_name(kind: UnitKind, name: &str, name_extra: &str) -> String {
    match kind {
        UnitKind::Wojewodztwo => format!("województwo {}", name.to_lowercase()),
        UnitKind::Powiat => format!("powiat {name}"),
        UnitKind::MiastoNaPrawachPowiatu | UnitKind::GminaMiejska
            if name_extra.contains("stołeczn") =>
        {
            format!("m.st. {name}")
        }
        UnitKind::Miasto => format!("{name} (miasto)"),
        UnitKind::ObszarWiejski => format!("{name} (obszar wiejski)"),
        UnitKind::Dzielnica => format!("{name} (dzielnica)"),
        UnitKind::Delegatura => format!("{name} (delegatura)"),
        _ => name.to_owned(),
    }
}

/// The names of the units of a register (in the order given), as pages,
/// lists, filters and letters show them: `plain_name`, and where two JSTs
/// would read the same, what tells them apart — the kind ("Płońsk (gmina
/// miejska)", "Płońsk (gmina wiejska)"), else the county ("Radzanów
/// (powiat mławski)"), else also the voivodeship. The gmina code of a city
/// with powiat rights reads as the city. The sort key orders by the name
/// itself (not by "powiat" or "województwo") in Polish alphabetical order.
pub fn display_names(units: &[NameInput]) -> Vec<DisplayName> {
    use std::collections::HashMap;
    let plain: Vec<String> = units
        .iter()
        .map(|u| plain_name(u.kind, u.name, u.name_extra))
        .collect();
    let by_code: HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.teryt, i))
        .collect();
    let plain_of = |code: &str| by_code.get(code).map(|&i| plain[i].as_str()).unwrap_or("");
    let mut namesakes: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        if u.kind.is_local_government() && !is_city_gmina(u.teryt) {
            namesakes
                .entry(crate::domain::search::fold(&plain[i]))
                .or_default()
                .push(i);
        }
    }
    let county = |i: usize| -> &str {
        match units[i].kind.depth() {
            2 => plain_of(&units[i].teryt[..4]),
            _ => "",
        }
    };
    let voivodeship = |i: usize| plain_of(&units[i].teryt[..2.min(units[i].teryt.len())]);
    let mut names: Vec<String> = plain.clone();
    for group in namesakes.values().filter(|g| g.len() > 1) {
        for &i in group {
            let kind = units[i].kind;
            let same_kind: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&j| units[j].kind == kind)
                .collect();
            let mut parts: Vec<&str> = Vec::new();
            if same_kind.len() < group.len() {
                parts.push(kind.label());
            }
            if same_kind.len() > 1 {
                let c = county(i);
                let county_tells =
                    !c.is_empty() && same_kind.iter().filter(|&&j| county(j) == c).count() == 1;
                if !c.is_empty() {
                    parts.push(c);
                }
                if !county_tells {
                    parts.push(voivodeship(i));
                }
            }
            parts.retain(|p| !p.is_empty());
            if !parts.is_empty() {
                names[i] = format!("{} ({})", plain[i], parts.join(", "));
            }
        }
    }
    for (i, u) in units.iter().enumerate() {
        if is_city_gmina(u.teryt) {
            if let Some(&city) = by_code.get(&u.teryt[..4]) {
                names[i] = names[city].clone();
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let core = ["województwo ", "powiat ", "m.st. "]
                .iter()
                .find_map(|p| name.strip_prefix(p))
                .unwrap_or(&name);
            DisplayName {
                sort_key: crate::domain::search::sort_key(core),
                name,
            }
        })
        .collect()
}

/// One unit as read from the register file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub teryt: Teryt,
    pub kind: UnitKind,
    pub parent: Option<Teryt>,
    pub name: String,
    pub name_extra: String,
    pub valid_on: String,
}

/// A problem in the register file, with the 1-based line it was found on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("wiersz {line}: {problem}")]
pub struct FileError {
    pub line: usize,
    pub problem: String,
}

const HEADER: [&str; 7] = ["WOJ", "POW", "GMI", "RODZ", "NAZWA", "NAZWA_DOD", "STAN_NA"];

/// Reads a whole TERC file as GUS ships it. Either every row is valid and
/// every parent is present, or the first problem is returned.
pub fn parse_file(text: &str) -> Result<Vec<Unit>, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut units = Vec::new();
    let mut seen = HashSet::new();
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')));
    let err = |line: usize, problem: String| FileError { line, problem };
    match lines.next() {
        Some((_, header)) if header.split(';').eq(HEADER) => {}
        _ => {
            return Err(err(
                1,
                format!("brak nagłówka pliku TERC ({})", HEADER.join(";")),
            ))
        }
    }
    for (line, row) in lines {
        if row.trim().is_empty() {
            continue;
        }
        let unit = parse_row(row).map_err(|p| err(line, p))?;
        if !seen.insert(unit.teryt.clone()) {
            return Err(err(line, format!("kod {} występuje drugi raz", unit.teryt)));
        }
        units.push((line, unit));
    }
    if units.is_empty() {
        return Err(err(2, "plik nie zawiera żadnej jednostki".into()));
    }
    resolve_city_parents(&mut units);
    for (line, unit) in &units {
        match &unit.parent {
            Some(parent) if !seen.contains(parent) => {
                return Err(err(
                    *line,
                    format!("jednostka nadrzędna {parent} nie występuje w pliku"),
                ))
            }
            None if unit.kind != UnitKind::Wojewodztwo => {
                return Err(err(
                    *line,
                    "brak gminy miejskiej, do której należy ta jednostka".into(),
                ))
            }
            _ => {}
        }
    }
    Ok(units.into_iter().map(|(_, u)| u).collect())
}

fn parse_row(row: &str) -> Result<Unit, String> {
    let fields: Vec<&str> = row.split(';').collect();
    let [woj, pow, gmi, rodz, name, name_extra, valid_on] = fields[..] else {
        return Err(format!(
            "oczekiwano 7 pól rozdzielonych średnikiem, jest {}",
            fields.len()
        ));
    };
    let code = match (pow, gmi, rodz) {
        ("", "", "") => woj.to_owned(),
        (p, "", "") if !p.is_empty() => format!("{woj}{p}"),
        (p, g, r) if !p.is_empty() && !g.is_empty() && !r.is_empty() => format!("{woj}{p}{g}{r}"),
        _ => return Err("niespójne kolumny POW, GMI i RODZ".into()),
    };
    if [woj, pow, gmi]
        .iter()
        .any(|f| !f.is_empty() && f.len() != 2)
        || rodz.len() > 1
    {
        return Err(format!(
            "niepoprawny kod „{code}”: kolumny WOJ, POW i GMI mają po 2 cyfry"
        ));
    }
    let teryt = Teryt::parse(&code).map_err(|e| format!("niepoprawny kod „{code}”: {e}"))?;
    if name.trim().is_empty() {
        return Err("pusta nazwa jednostki".into());
    }
    if !is_iso_date(valid_on) {
        return Err(format!(
            "data STAN_NA „{valid_on}” nie ma postaci RRRR-MM-DD"
        ));
    }
    let kind = teryt.kind();
    Ok(Unit {
        parent: teryt.parent(),
        kind,
        teryt,
        name: name.trim().to_owned(),
        name_extra: name_extra.trim().to_owned(),
        valid_on: valid_on.to_owned(),
    })
}

/// Districts and delegaturas belong to the one urban gmina of their powiat.
fn resolve_city_parents(units: &mut [(usize, Unit)]) {
    let cities: Vec<Teryt> = units
        .iter()
        .filter(|(_, u)| u.kind == UnitKind::GminaMiejska)
        .map(|(_, u)| u.teryt.clone())
        .collect();
    for (_, unit) in units.iter_mut() {
        if matches!(unit.kind, UnitKind::Dzielnica | UnitKind::Delegatura) {
            let county = &unit.teryt.as_str()[..4];
            let mut in_county = cities.iter().filter(|c| c.as_str().starts_with(county));
            if let (Some(city), None) = (in_county.next(), in_county.next()) {
                unit.parent = Some(city.clone());
            }
        }
    }
}

fn is_iso_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && jiff::civil::Date::strptime("%Y-%m-%d", s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_of_each_level_parse_with_their_kind() {
        let check = |code: &str, kind: UnitKind| {
            assert_eq!(Teryt::parse(code).map(|t| t.kind()), Ok(kind), "{code}");
        };
        check("14", UnitKind::Wojewodztwo);
        check("1420", UnitKind::Powiat);
        check("1465", UnitKind::MiastoNaPrawachPowiatu);
        check("1465011", UnitKind::GminaMiejska);
        check("1421042", UnitKind::GminaWiejska);
        check("3201033", UnitKind::GminaMiejskoWiejska);
        check("3201034", UnitKind::Miasto);
        check("3201035", UnitKind::ObszarWiejski);
        check("1465028", UnitKind::Dzielnica);
        check("1261029", UnitKind::Delegatura);
    }

    #[test]
    fn malformed_codes_are_rejected_with_the_reason() {
        let check = |code: &str, e: TerytError| assert_eq!(Teryt::parse(code), Err(e), "{code}");
        check("", TerytError::Length);
        check("146", TerytError::Length);
        check("14650111", TerytError::Length);
        check("14a5", TerytError::NotDigits);
        check("１４", TerytError::Length);
        check("13", TerytError::Voivodeship);
        check("34", TerytError::Voivodeship);
        check("00", TerytError::Voivodeship);
        check("1400", TerytError::County);
        check("1465001", TerytError::Municipality);
        check("1465016", TerytError::Kind);
        check("1465017", TerytError::Kind);
    }

    #[test]
    fn parents_follow_the_hierarchy() {
        let parent = |c: &str| Teryt::parse(c).ok().and_then(|t| t.parent()).map(|t| t.0);
        assert_eq!(parent("14"), None);
        assert_eq!(parent("1420").as_deref(), Some("14"));
        assert_eq!(parent("1420042").as_deref(), Some("1420"));
        assert_eq!(parent("3201034").as_deref(), Some("3201033"));
    }

    #[test]
    fn a_file_names_the_line_of_its_first_problem() {
        let file = "\u{feff}WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n\
                    14;;;;MAZOWIECKIE;województwo;2025-01-01\r\n\
                    14;20;;;płoński;powiat;2025-01-01\r\n\
                    14;20;04;7;Płońsk;gmina;2025-01-01\r\n";
        let e = parse_file(file).err();
        assert_eq!(e.as_ref().map(|e| e.line), Some(4));
        assert!(e.map(|e| e.problem.contains("RODZ")).unwrap_or(false));
    }

    #[test]
    fn a_unit_without_its_parent_in_the_file_is_rejected() {
        let file = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n14;20;01;1;Płońsk;gmina miejska;2025-01-01\n";
        let e = parse_file(file).err();
        assert_eq!(
            e.map(|e| (e.line, e.problem.contains("1420"))),
            Some((2, true))
        );
    }

    #[test]
    fn names_read_as_people_write_them() {
        let text = include_str!("../../assets/teryt-terc-14.csv");
        let units = parse_file(text).unwrap_or_default();
        let input: Vec<NameInput> = units
            .iter()
            .map(|u| NameInput {
                teryt: u.teryt.as_str(),
                kind: u.kind,
                name: &u.name,
                name_extra: &u.name_extra,
            })
            .collect();
        let names = display_names(&input);
        let name = |code: &str| {
            units
                .iter()
                .position(|u| u.teryt.as_str() == code)
                .map(|i| names[i].name.clone())
                .unwrap_or_default()
        };
        assert_eq!(name("14"), "województwo mazowieckie");
        assert_eq!(name("1420"), "powiat płoński");
        assert_eq!(name("1432"), "powiat warszawski zachodni");
        assert_eq!(name("1465"), "m.st. Warszawa");
        assert_eq!(name("1465011"), "m.st. Warszawa");
        assert_eq!(name("1462"), "Płock");
        assert_eq!(name("1462011"), "Płock");
        assert_eq!(name("1422042"), "Jednorożec");
        assert_eq!(name("1420011"), "Płońsk (gmina miejska)");
        assert_eq!(name("1420092"), "Płońsk (gmina wiejska)");
        assert_eq!(name("1422011"), "Przasnysz (gmina miejska)");
        assert_eq!(name("1464"), "Siedlce (miasto na prawach powiatu)");
        assert_eq!(name("1426082"), "Siedlce (gmina wiejska)");
        assert_eq!(name("1401032"), "Radzanów (powiat białobrzeski)");
        assert_eq!(name("1413042"), "Radzanów (powiat mławski)");
        assert_eq!(name("1401014"), "Białobrzegi (miasto)");
        let key = |code: &str| {
            units
                .iter()
                .position(|u| u.teryt.as_str() == code)
                .map(|i| names[i].sort_key.clone())
                .unwrap_or_default()
        };
        // powiat legionowski < łosicki < makowski, by the name itself.
        assert!(key("1408") < key("1410") && key("1410") < key("1411"));
    }

    proptest! {
        #[test]
        fn every_valid_code_round_trips_and_its_parent_is_valid(
            woj in (1u32..=16).prop_map(|w| w * 2),
            pow in 1u32..=99,
            gmi in 1u32..=99,
            rodz in prop::sample::select(vec![1u32, 2, 3, 4, 5, 8, 9]),
            len in prop::sample::select(vec![2usize, 4, 7]),
        ) {
            let full = format!("{woj:02}{pow:02}{gmi:02}{rodz}");
            let code = &full[..len];
            let t = Teryt::parse(code);
            prop_assert!(t.is_ok());
            let t = t.unwrap_or_else(|_| unreachable!());
            prop_assert_eq!(t.as_str(), code);
            prop_assert!(t.as_str().starts_with(t.descendant_prefix()));
            if let Some(p) = t.parent() {
                prop_assert!(Teryt::parse(p.as_str()).is_ok());
                prop_assert!(t.as_str().starts_with(&p.as_str()[..p.as_str().len().min(6)]));
            }
        }

        #[test]
        fn any_string_either_parses_to_itself_or_errors(s in "\\PC{0,9}") {
            if let Ok(t) = Teryt::parse(&s) {
                prop_assert_eq!(t.as_str(), s.as_str());
            }
        }
    }
}
