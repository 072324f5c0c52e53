//! The programme as the public description tells it: texts, dates, places
//! and names. Facts here come from that description; what it does not say
//! (exact dates of trainings, venues, people) is plausible invention.

use crate::domain::activity::{ActivityKind, Audience, Gender};
use jiff::civil::{date, Date};

pub const PROJECT_NAME: &str = "Mazowiecka Koalicja na rzecz dialogu NGO-JST";
pub const LEAD: &str = "Federacja Mazowia";
pub const STARTS_ON: Date = date(2021, 3, 1);
pub const ENDS_ON: Date = date(2024, 2, 29);
pub const FUNDER_SENTENCE: &str = "Projekt „Mazowiecka Koalicja na rzecz dialogu NGO-JST” realizowany z dotacji \
programu Aktywni Obywatele – Fundusz Krajowy, finansowanego przez Islandię, Liechtenstein i Norwegię \
w ramach Funduszy EOG.";

pub const SUMMARY_MD: &str = "Projekt „Mazowiecka Koalicja na rzecz dialogu NGO-JST” jest realizowany przez \
Federację Mazowia. Jego partnerami są Starostwo Powiatowe w Płońsku oraz Federacja ROSA z Przasnysza.\n\n\
Celem projektu było zwiększenie potencjału i stabilności organizacji pozarządowych z województwa \
mazowieckiego, w tym ich zdolności do prowadzenia działań we współpracy z samorządami lokalnymi, ich \
umiejętności kształtowania otoczenia prawnego i politycznego na poziomie lokalnym i regionalnym, a także \
działań rzeczniczych, poprzez wsparcie NGO oraz urzędników i urzędniczek współpracujących z NGO i lokalnych \
władz samorządowych.\n\n\
W okresie marzec 2021 – luty 2024 przeprowadziłyśmy badania dotyczące jakości współpracy NGO i JST, \
szkolenia, warsztaty, konsultacje i działania wspierające lokalną współpracę w 6 samorządach. We wrześniu \
2023 odbyła się też konferencja podsumowująca, w której brały udział urzędniczki i urzędnicy oraz \
działaczki i działacze pozarządowi.\n\n\
Ważnym elementem projektu były działania wspierające urzędników i urzędniczki oraz władze samorządowe \
w podejmowaniu i rozwijaniu współpracy z NGO. To z myślą o tej grupie powstały poradniki – zbierające \
najważniejsze wnioski z projektu.";

/// Section pages: slug, title, Markdown body.
pub const PAGES: &[(&str, &str, &str)] = &[
    ("szkolenia", "Szkolenia", "W ramach projektu zostało przeprowadzonych 17 jednodniowych szkoleń i warsztatów \
dla liderów i liderek organizacji pozarządowych oraz urzędniczek i urzędników współpracujących \
z organizacjami pozarządowymi. Szkolenia dotyczyły działalności organizacji pozarządowych, ustawy \
o działalności pożytku publicznego i o wolontariacie, współpracy finansowej i pozafinansowej oraz \
rzecznictwa. Zimą 2024 roku wspólnie ze Stowarzyszeniem 61 wspierałyśmy organizacje w przygotowaniu się \
do kampanii wyborczej przed wyborami samorządowymi."),
    ("dzialania-lokalne", "Działania lokalne", "W 6 samorządach wspólnie z NGO, urzędnikami i urzędniczkami \
oraz władzą lokalną przygotowałyśmy lokalne programy rozwoju współpracy. Wspólnie szukaliśmy „szytych \
na miarę” rozwiązań, które w danym środowisku poprawiały jakość współpracy na linii NGO-JST. Mamy nadzieję, \
że wypracowane lokalnie rozwiązania będą miały charakter obowiązujących w danym JST standardów niezależnie \
od wyników wyborów samorządowych w 2024 r."),
    ("doradztwo-i-interwencje", "Doradztwo i interwencje", "Aby odpowiadać na potrzeby organizacji \
pozarządowych, prowadziłyśmy działania doradcze i konsultacje dotyczące form współpracy z jednostkami \
samorządu terytorialnego z terenu województwa mazowieckiego, ale także podejmowałyśmy działania \
interwencyjne. Gdy organizacje sygnalizowały nam nieuchwalenie rocznych programów współpracy, naruszenia \
zasad współpracy czy brak transparentności w prowadzonych działaniach, jako organizacja federacyjna \
i parasolowa zwracałyśmy się z pytaniami i prośbami o wyjaśnienia."),
    ("badania", "Badania", "W ramach projektu prowadziłyśmy badania jakościowe i ilościowe dotyczące współpracy \
NGO i JST na terenie województwa mazowieckiego. Badania obejmowały m.in. diagnozę lokalnych uwarunkowań – \
barier, wyzwań i problemów, ale też czynników sprzyjających współpracy i dobrych praktyk.\n\n\
Badania jakościowe były prowadzone w 6 powiatach: otwockim, przasnyskim, płońskim, sochaczewskim, \
łosickim oraz szydłowieckim."),
    ("poradniki", "Poradniki", "W ramach projektu powstały dwa poradniki dotyczące współpracy NGO i JST. \
Pierwszy poradnik jest dedykowany urzędniczkom i urzędnikom współpracującym z organizacjami w jednostkach \
samorządu terytorialnego, drugi natomiast jest skierowany do władz lokalnych – wójtów, burmistrzów, \
prezydentów miast, starostów, a także ich zastępców i zastępczyń. Celem poradników jest pokazanie roli \
organizacji pozarządowych w środowiskach lokalnych, a także możliwych rozwiązań, które JST mogą wprowadzić."),
    ("siec-urzednikow", "Mazowiecka sieć urzędników i urzędniczek współpracujących z NGO", "W ramach projektu \
powstała grupa „Mazowiecka sieć urzędników i urzędniczek współpracujących z NGO”: miejsce wymiany \
doświadczeń osób, które w urzędach gmin, starostwach i urzędzie marszałkowskim odpowiadają za współpracę \
z organizacjami pozarządowymi."),
    ("wydarzenia", "Wydarzenia", "Seminarium wprowadzające, debata wprowadzająca i konferencja podsumowująca \
projektu."),
];

/// A place where activities happen: name, TERYT of its gmina, road
/// distance from the federation's office in Warsaw (km, one way).
pub struct Place {
    pub name: &'static str,
    pub teryt: &'static str,
    pub km: i64,
}

pub const WARSZAWA: Place = Place {
    name: "Warszawa",
    teryt: "1465",
    km: 0,
};
pub const PLONSK: Place = Place {
    name: "Płońsk",
    teryt: "1420011",
    km: 65,
};
pub const PRZASNYSZ: Place = Place {
    name: "Przasnysz",
    teryt: "1422011",
    km: 105,
};
pub const OTWOCK: Place = Place {
    name: "Otwock",
    teryt: "1417021",
    km: 30,
};
pub const SOCHACZEW: Place = Place {
    name: "Sochaczew",
    teryt: "1428011",
    km: 60,
};
pub const LOSICE: Place = Place {
    name: "Łosice",
    teryt: "1410023",
    km: 130,
};
pub const SZYDLOWIEC: Place = Place {
    name: "Szydłowiec",
    teryt: "1430053",
    km: 125,
};
pub const JEDNOROZEC: Place = Place {
    name: "Jednorożec",
    teryt: "1422042",
    km: 115,
};
pub const MINSK: Place = Place {
    name: "Mińsk Mazowiecki",
    teryt: "1412011",
    km: 45,
};
pub const LEONCIN: Place = Place {
    name: "Leoncin",
    teryt: "1414032",
    km: 45,
};
pub const NOWY_DWOR: Place = Place {
    name: "Nowy Dwór Mazowiecki",
    teryt: "1414011",
    km: 35,
};

/// The counties of the qualitative research, with the town researchers
/// travelled to.
pub const RESEARCH_COUNTIES: &[(&str, &str, &Place)] = &[
    ("1417", "otwocki", &OTWOCK),
    ("1422", "przasnyski", &PRZASNYSZ),
    ("1420", "płoński", &PLONSK),
    ("1428", "sochaczewski", &SOCHACZEW),
    ("1410", "łosicki", &LOSICE),
    ("1430", "szydłowiecki", &SZYDLOWIEC),
];

/// Counties where the demo's organisations and offices are.
pub const HOME_COUNTIES: &[&str] = &[
    "1410", "1412", "1414", "1417", "1420", "1422", "1428", "1430",
];

pub struct Training {
    pub date: Date,
    pub kind: ActivityKind,
    pub title: &'static str,
    pub topic: &'static str,
    pub audience: Audience,
    pub place: Option<&'static Place>,
    pub co_organiser: Option<&'static str>,
}

const fn t(
    date: Date,
    kind: ActivityKind,
    title: &'static str,
    topic: &'static str,
    audience: Audience,
    place: Option<&'static Place>,
) -> Training {
    Training {
        date,
        kind,
        title,
        topic,
        audience,
        place,
        co_organiser: None,
    }
}

pub const TOPIC_NGO: &str = "działalność organizacji pozarządowych";
pub const TOPIC_ACT: &str = "ustawa o działalności pożytku publicznego i o wolontariacie";
pub const TOPIC_FIN: &str = "współpraca finansowa";
pub const TOPIC_NONFIN: &str = "współpraca pozafinansowa";
pub const TOPIC_ADVOCACY: &str = "rzecznictwo";
pub const TOPIC_ELECTIONS: &str = "kampania wyborcza";

use ActivityKind::{Training as Tr, Workshop as Ws};
use Audience::{Both, Ngo, Officials};

pub const TRAININGS: &[Training] = &[
    t(
        date(2021, 10, 14),
        Tr,
        "Organizacja pozarządowa od podstaw",
        TOPIC_NGO,
        Ngo,
        Some(&PLONSK),
    ),
    t(
        date(2021, 11, 18),
        Tr,
        "Ustawa o działalności pożytku publicznego w praktyce",
        TOPIC_ACT,
        Both,
        Some(&PRZASNYSZ),
    ),
    t(
        date(2021, 12, 9),
        Tr,
        "Konkursy ofert: współpraca finansowa NGO i JST",
        TOPIC_FIN,
        Both,
        None,
    ),
    t(
        date(2022, 2, 17),
        Tr,
        "Konsultacje i zespoły: współpraca pozafinansowa",
        TOPIC_NONFIN,
        Both,
        Some(&OTWOCK),
    ),
    t(
        date(2022, 3, 24),
        Ws,
        "Rzecznictwo lokalne: jak wpływać na decyzje samorządu",
        TOPIC_ADVOCACY,
        Ngo,
        Some(&SOCHACZEW),
    ),
    t(
        date(2022, 4, 21),
        Ws,
        "Roczny program współpracy krok po kroku",
        TOPIC_ACT,
        Officials,
        Some(&LOSICE),
    ),
    t(
        date(2022, 5, 19),
        Tr,
        "Zarząd, statut, sprawozdania: codzienność organizacji",
        TOPIC_NGO,
        Ngo,
        Some(&SZYDLOWIEC),
    ),
    t(
        date(2022, 6, 9),
        Ws,
        "Partycypacyjne tworzenie programu współpracy",
        TOPIC_NONFIN,
        Both,
        Some(&JEDNOROZEC),
    ),
    t(
        date(2022, 9, 22),
        Tr,
        "Ustawa o pożytku dla urzędniczek i urzędników",
        TOPIC_ACT,
        Officials,
        Some(&WARSZAWA),
    ),
    t(
        date(2022, 10, 20),
        Tr,
        "Małe granty i inicjatywa lokalna",
        TOPIC_FIN,
        Both,
        Some(&PLONSK),
    ),
    t(
        date(2022, 11, 17),
        Ws,
        "Jak rozmawiać z radą gminy",
        TOPIC_ADVOCACY,
        Ngo,
        None,
    ),
    t(
        date(2023, 3, 16),
        Tr,
        "Rozliczanie dotacji bez tajemnic",
        TOPIC_FIN,
        Both,
        Some(&MINSK),
    ),
    t(
        date(2023, 4, 20),
        Ws,
        "Rady działalności pożytku publicznego",
        TOPIC_NONFIN,
        Both,
        Some(&OTWOCK),
    ),
    t(
        date(2023, 5, 25),
        Tr,
        "Organizacja pozarządowa a RODO i sprawozdawczość",
        TOPIC_NGO,
        Ngo,
        Some(&PRZASNYSZ),
    ),
    t(
        date(2023, 10, 19),
        Ws,
        "Przygotowanie oferty w otwartym konkursie",
        TOPIC_FIN,
        Ngo,
        Some(&LEONCIN),
    ),
    t(
        date(2023, 11, 23),
        Tr,
        "Rzecznictwo i konsultacje społeczne",
        TOPIC_ADVOCACY,
        Both,
        Some(&SOCHACZEW),
    ),
    Training {
        date: date(2024, 1, 25),
        kind: Tr,
        title: "Organizacje przed wyborami samorządowymi 2024",
        topic: TOPIC_ELECTIONS,
        audience: Ngo,
        place: Some(&WARSZAWA),
        co_organiser: Some("Stowarzyszenie 61"),
    },
];

pub struct LocalWorkText {
    pub slug: &'static str,
    pub place: &'static Place,
    /// The JST the work was done with (a gmina, or a powiat via its office).
    pub teryt: &'static str,
    pub office: &'static str,
    pub period: &'static str,
    pub meeting_dates: &'static [Date],
    pub summary: &'static str,
    pub deliverables: &'static str,
}

pub const LOCAL_WORKS: &[LocalWorkText] = &[
    LocalWorkText {
        slug: "minsk-mazowiecki",
        place: &MINSK,
        teryt: "1412011",
        office: "Urząd Miasta Mińsk Mazowiecki",
        period: "2023",
        meeting_dates: &[date(2023, 3, 2), date(2023, 4, 13), date(2023, 6, 15), date(2023, 9, 28)],
        summary: "W 2023 roku realizowałyśmy cykl wspólnych działań, które pozwoliły zbudować platformę \
współpracy organizacji pozarządowych i Urzędu Miasta Mińsk Mazowiecki. Odbył się cykl spotkań i warsztatów \
łączących pracowniczki urzędu z organizacjami pozarządowymi.",
        deliverables: "- rekomendacje dla Burmistrza dotyczące dalszej współpracy z NGO",
    },
    LocalWorkText {
        slug: "plonsk",
        place: &PLONSK,
        teryt: "1420",
        office: "Starostwo Powiatowe w Płońsku",
        period: "2021–2024",
        meeting_dates: &[date(2021, 9, 9), date(2022, 3, 10), date(2022, 11, 24), date(2023, 6, 1), date(2024, 1, 18)],
        summary: "W latach 2021–2024 wspólnie ze Starostwem Powiatowym prowadziłyśmy działania, które \
zacieśniały współpracę i dialog na linii urząd – organizacje pozarządowe, co realnie przełożyło się na \
wzmocnienie kilku organizacji pozarządowych.",
        deliverables: "- wytyczne na przyszłość dla Zarządu Powiatu i Rady Powiatu",
    },
    LocalWorkText {
        slug: "jednorozec",
        place: &JEDNOROZEC,
        teryt: "1422042",
        office: "Urząd Gminy Jednorożec",
        period: "2022",
        meeting_dates: &[date(2022, 4, 7), date(2022, 5, 12), date(2022, 9, 15), date(2022, 10, 13)],
        summary: "W 2022 roku Urząd Gminy Jednorożec wraz z zespołem Federacji ROSA i działającymi lokalnie \
organizacjami wypracowali nowe zapisy do rocznego programu współpracy z organizacjami pozarządowymi. \
Obecnie program odpowiada na realne potrzeby organizacji, a co ważne – powstał z wykorzystaniem narzędzi \
partycypacyjnych.",
        deliverables: "- nowe zapisy rocznego programu współpracy z organizacjami pozarządowymi",
    },
    LocalWorkText {
        slug: "leoncin",
        place: &LEONCIN,
        teryt: "1414032",
        office: "Urząd Gminy Leoncin",
        period: "2023–2024",
        meeting_dates: &[date(2023, 5, 11), date(2023, 9, 14), date(2023, 11, 9), date(2024, 2, 8)],
        summary: "W latach 2023–2024 wspólnie z organizacjami pozarządowymi i pracownikami urzędu gminy \
przygotowaliśmy organizacje do samodzielnego ubiegania się o środki finansowe.",
        deliverables: "- rozwiązania dla rocznego programu współpracy z organizacjami pozarządowymi\n\
- założenia do regulaminów konkursów",
    },
    LocalWorkText {
        slug: "nowy-dwor-mazowiecki",
        place: &NOWY_DWOR,
        teryt: "1414011",
        office: "Urząd Miasta Nowy Dwór Mazowiecki",
        period: "2024",
        meeting_dates: &[date(2024, 1, 11), date(2024, 2, 1), date(2024, 2, 22)],
        summary: "W 2024 roku realizowaliśmy cykl wspólnych spotkań dla organizacji pozarządowych z miasta \
Nowy Dwór Mazowiecki oraz terenu powiatu nowodworskiego, a także urzędników i władz lokalnych, by zbudować \
platformę współpracy organizacji pozarządowych i lokalnych samorządów. To pierwsze tego typu działania \
prowadzone na terenie powiatu.",
        deliverables: "- platforma współpracy organizacji i samorządów powiatu nowodworskiego",
    },
    LocalWorkText {
        slug: "otwock",
        place: &OTWOCK,
        teryt: "1417",
        office: "Starostwo Powiatowe w Otwocku",
        period: "2023",
        meeting_dates: &[date(2023, 2, 23), date(2023, 5, 18), date(2023, 10, 5), date(2023, 12, 7)],
        summary: "W 2023 roku realizowaliśmy cykl wspólnych działań, które pozwoliły zbudować platformę \
współpracy organizacji pozarządowych i Starostwa Powiatowego w Otwocku. Odbyły się cykle spotkań \
i warsztatów łączących pracowników urzędu z organizacjami pozarządowymi.",
        deliverables: "- rozwiązania dla rekomendacji z badania prowadzonego w powiecie",
    },
];

/// The introductory seminar's guests: name, affiliation.
pub const SEMINAR_GUESTS: &[(&str, &str, Gender)] = &[
    (
        "Monika Chrzczonowicz",
        "Stowarzyszenie Klon/Jawor",
        Gender::Female,
    ),
    ("Andrzej Rybus-Tołoczko", "MRDPP", Gender::Male),
    ("Łukasz Waszak", "Centrum OPUS", Gender::Male),
    (
        "Mira Widurek",
        "Stowarzyszenie Dla Równości",
        Gender::Female,
    ),
    (
        "Piotr Drygała",
        "Pełnomocnik Prezydenta Miasta Dąbrowa Górnicza ds. Społeczeństwa Obywatelskiego",
        Gender::Male,
    ),
];

/// The introductory debate's participants: name, affiliation, gender.
pub const DEBATE_PANEL: &[(&str, &str, Gender)] = &[
    (
        "Marzena Kuchta",
        "Biuro Dialogu i Inicjatyw Społecznych, Urząd Marszałkowski Województwa Mazowieckiego",
        Gender::Female,
    ),
    (
        "Katarzyna Ornarowicz",
        "Starostwo Powiatowe w Płońsku",
        Gender::Female,
    ),
    ("Grzegorz Herubiński", "prezes Federacji ROSA", Gender::Male),
    ("Hubert Pasiak", "wójt gminy Zbuczyn", Gender::Male),
];

pub const DEBATE_MODERATOR: (&str, &str, Gender) = (
    "Anna Czyżewska",
    "prezeska zarządu Federacji Mazowia",
    Gender::Female,
);

pub const ADVISORY_TOPICS: &[&str] = &[
    "roczny program współpracy",
    "otwarty konkurs ofert i rozliczenie dotacji",
    "małe granty (art. 19a)",
    "konsultacje społeczne",
    "dostęp do informacji publicznej",
    "rada działalności pożytku publicznego",
    "statut i organy organizacji",
];

/// One item of an event's programme: day, time, title, who speaks.
pub type AgendaLine = (&'static str, &'static str, &'static str, &'static str);

pub const SEMINAR_AGENDA: &[AgendaLine] = &[
    ("2021-05-19", "10:00", "Powitanie i cele projektu „Mazowiecka Koalicja”", "zespół Federacji Mazowia"),
    ("2021-05-19", "10:30", "Organizacje pozarządowe w Polsce i na Mazowszu: co mówią badania", "Monika Chrzczonowicz — Stowarzyszenie Klon/Jawor"),
    ("2021-05-19", "12:30", "Przerwa", ""),
    ("2021-05-19", "13:00", "Rada działalności pożytku publicznego jako ciało dialogu", "Andrzej Rybus-Tołoczko — MRDPP"),
    ("2021-05-19", "15:00", "Podsumowanie dnia", "zespół projektu"),
    ("2021-05-20", "10:00", "Roczny program współpracy: od obowiązku do narzędzia", "Łukasz Waszak — Centrum OPUS"),
    ("2021-05-20", "12:30", "Przerwa", ""),
    ("2021-05-20", "13:00", "Równość i włączanie we współpracy lokalnej", "Mira Widurek — Stowarzyszenie Dla Równości"),
    ("2021-05-20", "15:00", "Praca w grupach: mapa współpracy w powiatach partnerskich", "zespół projektu i partnerzy"),
    ("2021-05-21", "10:00", "Jak samorząd wspiera społeczeństwo obywatelskie: doświadczenia Dąbrowy Górniczej", "Piotr Drygała — Pełnomocnik Prezydenta Miasta Dąbrowa Górnicza ds. Społeczeństwa Obywatelskiego"),
    ("2021-05-21", "12:30", "Przerwa", ""),
    ("2021-05-21", "13:00", "Plan działań projektu na lata 2021–2024", "zespół projektu i partnerzy"),
    ("2021-05-21", "15:30", "Zakończenie seminarium", ""),
];

pub const DEBATE_AGENDA: &[AgendaLine] = &[
    ("2021-09-23", "10:00", "Otwarcie i przedstawienie rozmówczyń i rozmówców", "Anna Czyżewska — prezeska zarządu Federacji Mazowia (prowadząca)"),
    ("2021-09-23", "10:10", "Rozmowa: jak dziś wygląda współpraca samorządów i organizacji na Mazowszu i co ją ułatwia", "Marzena Kuchta — Urząd Marszałkowski Województwa Mazowieckiego; Katarzyna Ornarowicz — Starostwo Powiatowe w Płońsku; Grzegorz Herubiński — prezes Federacji ROSA; Hubert Pasiak — wójt gminy Zbuczyn"),
    ("2021-09-23", "11:00", "Pytania uczestniczek i uczestników", ""),
    ("2021-09-23", "11:25", "Podsumowanie debaty", "Anna Czyżewska"),
];

pub const CONFERENCE_AGENDA: &[AgendaLine] = &[
    ("2023-09-08", "10:00", "Rejestracja i powitanie", "Federacja Mazowia"),
    ("2023-09-08", "10:30", "Mazowiecka Koalicja: trzy lata dialogu NGO i JST", "zespół projektu"),
    ("2023-09-08", "11:15", "Jakość współpracy NGO i JST w województwie mazowieckim: wyniki badań", "zespół badawczy projektu"),
    ("2023-09-08", "12:15", "Przerwa", ""),
    ("2023-09-08", "12:45", "Ciała dialogu obywatelskiego: rady pożytku i ich rola", "przedstawicielki i przedstawiciele rad działalności pożytku publicznego"),
    ("2023-09-08", "14:00", "Dobre praktyki z sześciu samorządów: Mińsk Mazowiecki, Płońsk, Jednorożec, Leoncin, Nowy Dwór Mazowiecki, Otwock", "partnerzy i uczestnicy działań lokalnych"),
    ("2023-09-08", "15:15", "Potrzeby organizacji pozarządowych: rekomendacje na kolejne lata", "dyskusja uczestniczek i uczestników"),
    ("2023-09-08", "15:45", "Podsumowanie i zakończenie", "Federacja Mazowia"),
];
