//! Fictional people and organisations for the demo data set.
//!
//! Generated from a fixed seed, so every run gives the same names. Names
//! are common Polish first names and surnames combined at random; the
//! e-mail addresses use the reserved domain example.org.

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub const FEMALE: &[&str] = &[
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Magdalena",
    "Joanna",
    "Zofia",
    "Aleksandra",
    "Monika",
    "Teresa",
    "Danuta",
    "Natalia",
    "Karolina",
    "Marta",
    "Beata",
    "Dorota",
    "Halina",
    "Jadwiga",
    "Iwona",
    "Justyna",
    "Grażyna",
    "Urszula",
    "Paulina",
];

pub const MALE: &[&str] = &[
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Jan",
    "Michał",
    "Marcin",
    "Stanisław",
    "Jakub",
    "Adam",
    "Marek",
    "Łukasz",
    "Grzegorz",
    "Mateusz",
    "Wojciech",
    "Mariusz",
    "Dariusz",
    "Zbigniew",
    "Jerzy",
    "Maciej",
    "Rafał",
    "Kamil",
    "Robert",
    "Henryk",
    "Józef",
    "Ryszard",
    "Sławomir",
];

/// Surnames with their feminine form where Polish inflects them.
pub const SURNAMES: &[(&str, &str)] = &[
    ("Nowak", "Nowak"),
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"),
    ("Nowakowski", "Nowakowska"),
    ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"),
    ("Adamczyk", "Adamczyk"),
    ("Dudek", "Dudek"),
    ("Zając", "Zając"),
    ("Wieczorek", "Wieczorek"),
    ("Jabłoński", "Jabłońska"),
    ("Król", "Król"),
    ("Majewski", "Majewska"),
    ("Olszewski", "Olszewska"),
    ("Jaworski", "Jaworska"),
    ("Wróbel", "Wróbel"),
    ("Malinowski", "Malinowska"),
    ("Pawlak", "Pawlak"),
    ("Witkowski", "Witkowska"),
    ("Walczak", "Walczak"),
    ("Stępień", "Stępień"),
    ("Górski", "Górska"),
    ("Rutkowski", "Rutkowska"),
    ("Michalak", "Michalak"),
    ("Sikora", "Sikora"),
    ("Ostrowski", "Ostrowska"),
    ("Baran", "Baran"),
    ("Duda", "Duda"),
    ("Szewczyk", "Szewczyk"),
    ("Tomaszewski", "Tomaszewska"),
    ("Pietrzak", "Pietrzak"),
    ("Marciniak", "Marciniak"),
    ("Wróblewski", "Wróblewska"),
    ("Zalewski", "Zalewska"),
    ("Jakubowski", "Jakubowska"),
    ("Jasiński", "Jasińska"),
    ("Zawadzki", "Zawadzka"),
    ("Sadowski", "Sadowska"),
    ("Bąk", "Bąk"),
    ("Chmielewski", "Chmielewska"),
    ("Włodarczyk", "Włodarczyk"),
];

/// The grammatical gender of an organisation's head noun, which its
/// adjectives agree with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Genus {
    /// "Stowarzyszenie Ekologiczne", "Koło …".
    Neuter,
    /// "Fundacja Ekologiczna".
    Feminine,
    /// "Uczniowski Klub Sportowy".
    Masculine,
}

/// Parts of organisation names: the head noun, its legal form, its gender
/// and whether a purpose follows it (a school sports club or a rural
/// women's circle is named by its kind alone).
pub const ORG_FORMS: &[(&str, &str, Genus, bool)] = &[
    ("Stowarzyszenie", "stowarzyszenie", Genus::Neuter, true),
    ("Fundacja", "fundacja", Genus::Feminine, true),
    ("Koło Gospodyń Wiejskich", "kgw", Genus::Neuter, false),
    ("Uczniowski Klub Sportowy", "uks", Genus::Masculine, false),
    ("Stowarzyszenie", "stowarzyszenie", Genus::Neuter, true),
    ("Fundacja", "fundacja", Genus::Feminine, true),
];

/// What an organisation works for: a phrase in the genitive, which fits
/// any head noun, or an adjective in its neuter, feminine and masculine
/// forms.
#[derive(Clone, Copy, Debug)]
pub enum Aim {
    Phrase(&'static str),
    Adjective(&'static str, &'static str, &'static str),
}

pub const ORG_AIMS: &[Aim] = &[
    Aim::Phrase("Przyjaciół Ziemi"),
    Aim::Phrase("Rozwoju Lokalnego"),
    Aim::Phrase("Inicjatyw Obywatelskich"),
    Aim::Phrase("na rzecz Seniorów"),
    Aim::Phrase("Aktywnej Młodzieży"),
    Aim::Phrase("Kultury i Tradycji"),
    Aim::Phrase("Pomocy Rodzinie"),
    Aim::Adjective("Ekologiczne", "Ekologiczna", "Ekologiczny"),
    Aim::Adjective("Historyczne", "Historyczna", "Historyczny"),
    Aim::Adjective("Sportowe", "Sportowa", "Sportowy"),
    Aim::Phrase("na rzecz Osób z Niepełnosprawnościami"),
    Aim::Phrase("Edukacji Pozaformalnej"),
    Aim::Adjective("Sąsiedzkie", "Sąsiedzka", "Sąsiedzki"),
];

/// An organisation's name whose words agree ("Fundacja Ekologiczna",
/// "Stowarzyszenie Sąsiedzkie") and its legal form. Takes two numbers of
/// `rng` whatever the name, so the rest of a data set does not depend on it.
pub fn organisation_name(rng: &mut Rng) -> (String, &'static str) {
    let (head, legal_form, genus, with_aim) = *rng.pick(ORG_FORMS);
    let aim = *rng.pick(ORG_AIMS);
    let name = match (with_aim, aim) {
        (false, _) => head.to_owned(),
        (true, Aim::Phrase(p)) => format!("{head} {p}"),
        (true, Aim::Adjective(n, f, m)) => {
            let adjective = match genus {
                Genus::Neuter => n,
                Genus::Feminine => f,
                Genus::Masculine => m,
            };
            format!("{head} {adjective}")
        }
    };
    (name, legal_form)
}

#[derive(Clone, Debug)]
pub struct FakePerson {
    pub first_name: String,
    pub last_name: String,
    pub female: bool,
}

/// A person with a gender-matched surname.
pub fn person(rng: &mut Rng) -> FakePerson {
    let female = rng.below(100) < 64;
    let (male_surname, female_surname) = *rng.pick(SURNAMES);
    FakePerson {
        first_name: (*rng.pick(if female { FEMALE } else { MALE })).to_owned(),
        last_name: if female { female_surname } else { male_surname }.to_owned(),
        female,
    }
}

/// ASCII form of a Polish word for e-mail addresses.
pub fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            'Ą' => 'a',
            'Ć' => 'c',
            'Ę' => 'e',
            'Ł' => 'l',
            'Ń' => 'n',
            'Ó' => 'o',
            'Ś' => 's',
            'Ź' | 'Ż' => 'z',
            c => c.to_ascii_lowercase(),
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(
            (0..5).map(|_| a.next()).collect::<Vec<_>>(),
            (0..5).map(|_| b.next()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn organisation_names_agree_with_their_head_noun() {
        let mut rng = Rng::new(3);
        let names: Vec<String> = (0..500).map(|_| organisation_name(&mut rng).0).collect();
        for wrong in [
            "Fundacja Ekologiczne",
            "Fundacja Sportowe",
            "Fundacja Historyczne",
            "Fundacja Sąsiedzkie",
            "Stowarzyszenie Ekologiczna",
            "Sportowy Sportowe",
            "Wiejskich Ekologiczne",
        ] {
            assert!(!names.iter().any(|n| n.contains(wrong)), "{wrong}");
        }
        assert!(names.iter().any(|n| n == "Fundacja Ekologiczna"));
        assert!(names.iter().any(|n| n == "Stowarzyszenie Sąsiedzkie"));
        assert!(names.iter().any(|n| n == "Koło Gospodyń Wiejskich"));
    }

    #[test]
    fn ascii_drops_diacritics() {
        assert_eq!(ascii("Łukasz Wiśniewski"), "lukaszwisniewski");
    }
}
