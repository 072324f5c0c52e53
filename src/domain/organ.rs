//! Who a letter to a JST is addressed to: not "the gmina" but its organ
//! (Wójt Gminy, Burmistrz, Prezydent Miasta, Starosta, Marszałek
//! Województwa), with the name of its office. These are the defaults by
//! the kind of JST; staff may write the right ones on the office's record
//! (a town that kept the title of Prezydent, an office's own name).

use super::teryt::UnitKind;

/// A JST as the rules here need it: its kind, TERYT code and name as the
/// register stores it ("płoński", "MAZOWIECKIE", "Płońsk").
#[derive(Clone, Copy, Debug)]
pub struct Jst<'a> {
    pub kind: UnitKind,
    pub teryt: &'a str,
    pub name: &'a str,
}

impl Jst<'_> {
    /// A city with powiat rights, by either of its two codes (the powiat,
    /// 1462, or its gmina, 1462011): powiat numbers from 61 up are cities.
    pub fn is_city_with_powiat_rights(&self) -> bool {
        self.kind == UnitKind::MiastoNaPrawachPowiatu
            || (self.kind == UnitKind::GminaMiejska
                && self
                    .teryt
                    .get(2..4)
                    .and_then(|p| p.parse::<u8>().ok())
                    .is_some_and(|p| p >= 61))
    }

    /// The other code of a city with powiat rights (1462 ↔ 1462011), where
    /// its office may be recorded.
    pub fn pair(&self) -> Option<String> {
        if !self.is_city_with_powiat_rights() {
            return None;
        }
        match self.teryt.len() {
            4 => Some(format!("{}011", self.teryt)),
            7 => self.teryt.get(..4).map(str::to_owned),
            _ => None,
        }
    }

    fn is_warsaw(&self) -> bool {
        self.is_city_with_powiat_rights() && self.name == "Warszawa"
    }
}

/// The organ a letter goes to. `president` says that a town's mayor is a
/// Prezydent Miasta although its gmina is not a city with powiat rights
/// (towns over 100,000 inhabitants and those that kept the title; the
/// `presidents` setting lists them).
pub fn organ(jst: Jst<'_>, president: bool) -> String {
    let name = jst.name;
    if jst.is_warsaw() {
        return "Prezydent m.st. Warszawy".into();
    }
    if jst.is_city_with_powiat_rights() {
        return format!("Prezydent Miasta {name}");
    }
    match jst.kind {
        UnitKind::Wojewodztwo => format!("Marszałek Województwa {}", genitive(name)),
        UnitKind::Powiat => format!("Starosta {}", title_case(name)),
        UnitKind::GminaMiejska if president => format!("Prezydent Miasta {name}"),
        UnitKind::GminaMiejska => format!("Burmistrz Miasta {name}"),
        UnitKind::GminaMiejskoWiejska if president => format!("Prezydent Miasta {name}"),
        UnitKind::GminaMiejskoWiejska => format!("Burmistrz Miasta i Gminy {name}"),
        UnitKind::GminaWiejska => format!("Wójt Gminy {name}"),
        // Parts of a gmina have no organ of their own; nothing is
        // addressed to them, but a name is better than nothing.
        _ => name.to_owned(),
    }
}

/// The JST's council (its organ stanowiący) by the kind of JST, when staff
/// recorded no name of their own ("Rada Miejska w Płońsku").
pub fn council(jst: Jst<'_>) -> String {
    let name = jst.name;
    if jst.is_warsaw() {
        return "Rada m.st. Warszawy".into();
    }
    if jst.is_city_with_powiat_rights() {
        return format!("Rada Miasta {name}");
    }
    match jst.kind {
        UnitKind::Wojewodztwo => format!("Sejmik Województwa {}", genitive(name)),
        UnitKind::Powiat => format!("Rada Powiatu {}", adjective_genitive(name)),
        UnitKind::GminaMiejska => format!("Rada Miasta {name}"),
        UnitKind::GminaMiejskoWiejska => format!("Rada Miasta i Gminy {name}"),
        UnitKind::GminaWiejska => format!("Rada Gminy {name}"),
        _ => name.to_owned(),
    }
}

/// The chair of a council, to whom a letter about the council's duty
/// goes: "Rada Miejska w Płońsku" → "Przewodniczący Rady Miejskiej w
/// Płońsku", "Sejmik Województwa Mazowieckiego" → "Przewodniczący Sejmiku
/// Województwa Mazowieckiego".
pub fn council_chair(council: &str) -> String {
    let council = council.trim();
    let rest = |prefix: &str| council.strip_prefix(prefix);
    let genitive = if let Some(r) = rest("Rada Miejska") {
        format!("Rady Miejskiej{r}")
    } else if let Some(r) = rest("Rada ") {
        format!("Rady {r}")
    } else if let Some(r) = rest("Sejmik ") {
        format!("Sejmiku {r}")
    } else {
        return format!("Przewodniczący organu stanowiącego – {council}");
    };
    format!("Przewodniczący {genitive}")
}

/// A powiat's adjective ("płoński", "warszawski zachodni") in the
/// genitive after "Powiatu": "Płońskiego", "Warszawskiego Zachodniego".
fn adjective_genitive(name: &str) -> String {
    title_case(name)
        .split(' ')
        .map(|w| match (w.strip_suffix('i'), w.strip_suffix('y')) {
            (Some(stem), _) => format!("{stem}iego"),
            (None, Some(stem)) => format!("{stem}ego"),
            _ => w.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The office the organ works in, by the kind of JST. A starostwo's own
/// name carries its seat in the locative ("w Płońsku"), which the register
/// does not give: staff write it on the office's record.
pub fn office(jst: Jst<'_>) -> String {
    let name = jst.name;
    if jst.is_warsaw() {
        return "Urząd m.st. Warszawy".into();
    }
    if jst.is_city_with_powiat_rights() {
        return format!("Urząd Miasta {name}");
    }
    match jst.kind {
        UnitKind::Wojewodztwo => {
            format!("Urząd Marszałkowski Województwa {}", genitive(name))
        }
        UnitKind::Powiat => "Starostwo Powiatowe".into(),
        UnitKind::GminaMiejska => format!("Urząd Miasta {name}"),
        UnitKind::GminaMiejskoWiejska => format!("Urząd Miasta i Gminy {name}"),
        UnitKind::GminaWiejska => format!("Urząd Gminy {name}"),
        _ => String::new(),
    }
}

/// Each word and each part of a hyphenated word capitalised:
/// "warszawski zachodni" → "Warszawski Zachodni".
fn title_case(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut start = true;
    for c in lower.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c == ' ' || c == '-';
    }
    out
}

/// A voivodeship's adjective (neuter, as the register has it: "MAZOWIECKIE",
/// "kujawsko-pomorskie") in the genitive after "Województwa":
/// "Mazowieckiego", "Kujawsko-Pomorskiego".
fn genitive(name: &str) -> String {
    let t = title_case(name);
    match t.strip_suffix("ie") {
        Some(stem) => format!("{stem}iego"),
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_council_and_its_chair_are_named_in_the_genitive() {
        let powiat = jst(UnitKind::Powiat, "1420", "płoński");
        assert_eq!(council(powiat), "Rada Powiatu Płońskiego");
        let wz = jst(UnitKind::Powiat, "1432", "warszawski zachodni");
        assert_eq!(council(wz), "Rada Powiatu Warszawskiego Zachodniego");
        let region = jst(UnitKind::Wojewodztwo, "14", "MAZOWIECKIE");
        assert_eq!(
            council_chair(&council(region)),
            "Przewodniczący Sejmiku Województwa Mazowieckiego"
        );
        assert_eq!(
            council_chair("Rada Miejska w Płońsku"),
            "Przewodniczący Rady Miejskiej w Płońsku"
        );
        assert_eq!(
            council_chair(&council(jst(
                UnitKind::GminaWiejska,
                "1420022",
                "Baboszewo"
            ))),
            "Przewodniczący Rady Gminy Baboszewo"
        );
    }

    fn jst<'a>(kind: UnitKind, teryt: &'a str, name: &'a str) -> Jst<'a> {
        Jst { kind, teryt, name }
    }

    #[test]
    fn a_rural_gmina_is_addressed_to_its_wojt() {
        let j = jst(UnitKind::GminaWiejska, "1420092", "Płońsk");
        assert_eq!(organ(j, false), "Wójt Gminy Płońsk");
        assert_eq!(office(j), "Urząd Gminy Płońsk");
    }

    #[test]
    fn a_gmina_whose_seat_is_a_town_is_addressed_to_its_burmistrz() {
        let town = jst(UnitKind::GminaMiejska, "1420011", "Płońsk");
        assert_eq!(organ(town, false), "Burmistrz Miasta Płońsk");
        assert_eq!(office(town), "Urząd Miasta Płońsk");
        let mixed = jst(UnitKind::GminaMiejskoWiejska, "1401013", "Białobrzegi");
        assert_eq!(organ(mixed, false), "Burmistrz Miasta i Gminy Białobrzegi");
        assert_eq!(office(mixed), "Urząd Miasta i Gminy Białobrzegi");
    }

    #[test]
    fn a_town_that_kept_the_title_is_addressed_to_its_prezydent() {
        let otwock = jst(UnitKind::GminaMiejska, "1417021", "Otwock");
        assert_eq!(organ(otwock, true), "Prezydent Miasta Otwock");
    }

    #[test]
    fn a_city_with_powiat_rights_is_addressed_to_its_prezydent_by_either_code() {
        for j in [
            jst(UnitKind::MiastoNaPrawachPowiatu, "1462", "Płock"),
            jst(UnitKind::GminaMiejska, "1462011", "Płock"),
        ] {
            assert!(j.is_city_with_powiat_rights());
            assert!(j.pair().is_some_and(|p| p != j.teryt));
            assert_eq!(organ(j, false), "Prezydent Miasta Płock");
            assert_eq!(office(j), "Urząd Miasta Płock");
        }
        let warsaw = jst(UnitKind::MiastoNaPrawachPowiatu, "1465", "Warszawa");
        assert_eq!(organ(warsaw, false), "Prezydent m.st. Warszawy");
        assert_eq!(office(warsaw), "Urząd m.st. Warszawy");
        assert!(!jst(UnitKind::GminaMiejska, "1420011", "Płońsk").is_city_with_powiat_rights());
    }

    #[test]
    fn a_powiat_is_addressed_to_its_starosta() {
        let j = jst(UnitKind::Powiat, "1420", "płoński");
        assert_eq!(organ(j, false), "Starosta Płoński");
        assert_eq!(office(j), "Starostwo Powiatowe");
        let two = jst(UnitKind::Powiat, "1432", "warszawski zachodni");
        assert_eq!(organ(two, false), "Starosta Warszawski Zachodni");
    }

    #[test]
    fn a_voivodeship_is_addressed_to_its_marszalek() {
        let j = jst(UnitKind::Wojewodztwo, "14", "MAZOWIECKIE");
        assert_eq!(organ(j, false), "Marszałek Województwa Mazowieckiego");
        assert_eq!(office(j), "Urząd Marszałkowski Województwa Mazowieckiego");
        let k = jst(UnitKind::Wojewodztwo, "04", "KUJAWSKO-POMORSKIE");
        assert_eq!(
            organ(k, false),
            "Marszałek Województwa Kujawsko-Pomorskiego"
        );
    }
}
