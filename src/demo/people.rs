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

/// Parts of organisation names: legal form, then what it works for.
pub const ORG_FORMS: &[(&str, &str)] = &[
    ("Stowarzyszenie", "stowarzyszenie"),
    ("Fundacja", "fundacja"),
    ("Koło Gospodyń Wiejskich", "kgw"),
    ("Uczniowski Klub Sportowy", "uks"),
    ("Stowarzyszenie", "stowarzyszenie"),
    ("Fundacja", "fundacja"),
];

pub const ORG_AIMS: &[&str] = &[
    "Przyjaciół Ziemi",
    "Rozwoju Lokalnego",
    "Inicjatyw Obywatelskich",
    "na rzecz Seniorów",
    "Aktywnej Młodzieży",
    "Kultury i Tradycji",
    "Pomocy Rodzinie",
    "Ekologiczne",
    "Historyczne",
    "Sportowe",
    "na rzecz Osób z Niepełnosprawnościami",
    "Edukacji Pozaformalnej",
    "Sąsiedzkie",
];

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
    fn ascii_drops_diacritics() {
        assert_eq!(ascii("Łukasz Wiśniewski"), "lukaszwisniewski");
    }
}
