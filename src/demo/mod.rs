//! The demo data set: the programme of the public description, loaded
//! into an empty database, the same on every run.
//!
//! Facts the description states (17 one-day trainings for 225 people, six
//! local programmes, the seminar, the debate, the conference, research in
//! six counties, two guides, 100+ hours of advisory) hold of the records
//! loaded here; `tests/app/demo.rs` checks each against the running site.

mod calendar;
mod cases;
mod content;
pub(crate) mod monitoring;
pub(crate) mod people;

pub use content::PROJECT_NAME;

use crate::config::Settings;
use crate::domain::access::Role;
use crate::domain::activity::{
    ActivityKind, ActivityStatus, Audience, DocumentKind, Gender, Group, SpeakerRole,
};
use crate::domain::teryt::{self, FileError, Unit, UnitKind};
use crate::store::activities::{self as acts, NewActivity, NewPerson, Speaker};
use crate::store::programme::{
    self as prog, Document, LocalWork, NewProject, Page, Partner, ResearchArea,
};
use crate::store::{self, bump_version, Db, StoreError};
use content::*;
use jiff::civil::Date;
use people::Rng;

/// The Mazowieckie part of the TERYT register, as GUS ships it.
pub const TERYT_14: &str = include_str!("../../assets/teryt-terc-14.csv");
/// Boundaries of Mazowieckie's gminy and powiaty (GUGiK PRG; README.md,
/// "Data sources and licences").
const GMINY_14: &str = include_str!("../../assets/mazowieckie-gminy.geojson");
const POWIATY_14: &str = include_str!("../../assets/mazowieckie-powiaty.geojson");

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "baza danych zawiera już projekt; dane demonstracyjne ładuje się tylko do pustej bazy"
    )]
    NotEmpty,
    #[error("wbudowany plik TERYT jest uszkodzony: {0}")]
    Teryt(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("wbudowany plik granic jest uszkodzony: {0}")]
    Boundaries(#[from] crate::domain::boundaries::BoundaryError),
    #[error("nie udało się złożyć pisma w PDF: {0}")]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("nie udało się zapisać pliku pisma: {0}")]
    File(#[from] std::io::Error),
}

/// How much the demo loaded.
#[derive(Clone, Copy, Debug, Default)]
pub struct Summary {
    pub people: usize,
    pub activities: usize,
    pub attendances: usize,
    pub trips: usize,
}

/// Loads the register of Mazowieckie and the demo programme; the PDFs of
/// its letters go to `settings.data_dir` and carry its sender.
pub async fn load(
    db: &Db,
    now: jiff::Timestamp,
    settings: &Settings,
) -> Result<Summary, DemoError> {
    if !db.is_empty().await? {
        return Err(DemoError::NotEmpty);
    }
    let units = teryt::parse_file(TERYT_14)?;
    store::teryt::import(db, &units, now).await?;
    for file in [GMINY_14, POWIATY_14] {
        store::boundaries::import(db, &crate::domain::boundaries::read(file)?).await?;
    }
    let mut tx = db.begin_write().await?;
    let mut loader = Loader {
        tx: &mut tx,
        now,
        rng: Rng::new(2021),
        summary: Summary::default(),
        project: 0,
        advisor: None,
        settings,
    };
    loader.run(&units).await?;
    let summary = loader.summary;
    bump_version(&mut tx, store::Topics::ALL).await?;
    tx.commit().await?;
    Ok(summary)
}

struct Loader<'a> {
    tx: &'a mut crate::store::Tx,
    now: jiff::Timestamp,
    rng: Rng,
    summary: Summary,
    project: i64,
    /// The demo's advisor account, who gave the advice and leads the cases.
    advisor: Option<i64>,
    /// Where the letters' PDFs are kept, and their sender.
    settings: &'a Settings,
}

/// Staff accounts of the demo, one per role. They have no password: it is
/// set through "Nie pamiętasz hasła?", whose link lands in
/// `data/outbox/*.eml` when no mail server is configured.
const STAFF: &[(&str, &str, Role, &[&str])] = &[
    (
        "koordynacja@example.org",
        "Koordynacja projektu",
        Role::Coordinator,
        &[],
    ),
    (
        "plonsk@example.org",
        "Partner w powiecie płońskim",
        Role::Partner,
        &["1420"],
    ),
    (
        "otwock@example.org",
        "Partner w powiecie otwockim",
        Role::Partner,
        &["1417"],
    ),
    ("trener@example.org", "Trener szkoleń", Role::Trainer, &[]),
    (
        "doradztwo@example.org",
        "Doradztwo i interwencje",
        Role::Advisor,
        &[],
    ),
];

/// A person loaded by the demo (their id).
type Who = i64;

const NGO_POOL: usize = 150;
const OFFICIAL_POOL: usize = 75;

impl Loader<'_> {
    async fn run(&mut self, units: &[Unit]) -> Result<(), DemoError> {
        self.project_and_staff().await?;
        let home: Vec<&Unit> = units
            .iter()
            .filter(|u| {
                u.kind.depth() == 2
                    && HOME_COUNTIES
                        .iter()
                        .any(|c| u.teryt.as_str().starts_with(c))
            })
            .collect();
        let mut orgs = Vec::new();
        for n in 1..=140 {
            let jst = self.rng.pick(&home).teryt.as_str().to_owned();
            orgs.push(self.organisation(n, &jst).await?);
        }
        let offices: Vec<String> = home
            .iter()
            .map(|u| u.teryt.as_str().to_owned())
            .chain(HOME_COUNTIES.iter().map(|c| (*c).to_owned()))
            .collect();

        let mut ngo_pool = Vec::new();
        for _ in 0..NGO_POOL {
            let (org, jst) = self.rng.pick(&orgs).clone();
            ngo_pool.push(self.person(Group::Ngo, Some(org), Some(&jst)).await?);
        }
        let mut official_pool = Vec::new();
        for _ in 0..OFFICIAL_POOL {
            let jst = self.rng.pick(&offices).clone();
            official_pool.push(self.person(Group::Official, None, Some(&jst)).await?);
        }

        self.trainings(&ngo_pool, &official_pool).await?;
        self.upcoming().await?;
        self.events(&ngo_pool, &official_pool, &orgs, &offices)
            .await?;
        self.local_works(units).await?;
        monitoring::load(self.tx, units, &self.settings.monitoring, self.now).await?;
        self.advisory(&ngo_pool, &orgs).await?;
        self.interventions(&orgs, self.advisor).await?;
        self.open_interventions(&orgs, units).await?;
        self.research().await?;
        self.documents().await?;
        for (i, who) in official_pool.iter().take(38).enumerate() {
            let joined = jiff::civil::date(2022 + (i % 2) as i16, 1 + (i % 12) as i8, 15);
            prog::insert_network_member(self.tx, self.project, *who, joined, self.now).await?;
        }
        Ok(())
    }

    /// The project, its partners, the staff's accounts and the site's pages.
    async fn project_and_staff(&mut self) -> Result<(), StoreError> {
        self.project = prog::insert_project(
            self.tx,
            &NewProject {
                slug: "mazowiecka-koalicja",
                name: PROJECT_NAME,
                lead_name: LEAD,
                starts_on: STARTS_ON,
                ends_on: ENDS_ON,
                summary_md: SUMMARY_MD,
                funder_sentence: FUNDER_SENTENCE,
            },
            self.now,
        )
        .await?;
        for (i, (name, role, place)) in [
            ("Federacja Mazowia", "lider projektu", "Warszawa"),
            ("Starostwo Powiatowe w Płońsku", "partner", "Płońsk"),
            ("Federacja ROSA", "partner", "Przasnysz"),
        ]
        .into_iter()
        .enumerate()
        {
            let p = Partner {
                name: name.into(),
                role: role.into(),
                place: place.into(),
            };
            prog::insert_partner(self.tx, self.project, &p, i as i64, self.now).await?;
        }
        for (email, name, role, areas) in STAFF {
            let id = store::accounts::insert_without_password(
                self.tx,
                email,
                name,
                *role,
                self.project,
                areas,
                self.now,
            )
            .await?;
            if *role == Role::Advisor {
                self.advisor = Some(id);
            }
        }
        for (slug, title, body) in PAGES {
            let page = Page {
                slug: (*slug).into(),
                title: (*title).into(),
                body_md: (*body).into(),
            };
            prog::insert_page(self.tx, self.project, &page, self.now).await?;
        }
        Ok(())
    }

    async fn organisation(&mut self, n: usize, jst: &str) -> Result<(i64, String), StoreError> {
        let (name, legal_form) = people::organisation_name(&mut self.rng);
        let name = format!("{name} – organizacja przykładowa nr {n}");
        let id = prog::insert_organisation(self.tx, &name, legal_form, None, Some(jst), self.now)
            .await?;
        Ok((id, jst.to_owned()))
    }

    async fn person(
        &mut self,
        group: Group,
        org: Option<i64>,
        jst: Option<&str>,
    ) -> Result<Who, StoreError> {
        let fake = people::person(&mut self.rng);
        self.summary.people += 1;
        let email = format!(
            "{}.{}.{}@example.org",
            people::ascii(&fake.first_name),
            people::ascii(&fake.last_name),
            self.summary.people
        );
        let id = acts::insert_person(
            self.tx,
            &NewPerson {
                first_name: fake.first_name,
                last_name: fake.last_name,
                email: Some(email),
                gender: if fake.female {
                    Gender::Female
                } else {
                    Gender::Male
                },
                group,
                organisation_id: org,
                local_government: jst.map(str::to_owned),
            },
            self.now,
        )
        .await?;
        Ok(id)
    }

    async fn activity(&mut self, a: NewActivity, speakers: &[Speaker]) -> Result<i64, StoreError> {
        let id = acts::insert_activity(self.tx, self.project, &a, self.now).await?;
        for (i, s) in speakers.iter().enumerate() {
            acts::insert_speaker(self.tx, id, s, i as i64).await?;
        }
        self.summary.activities += 1;
        // A trip is logged once travelled: for held activities only.
        if a.status == ActivityStatus::Held
            && !a.online
            && a.local_government.as_deref() != Some(WARSZAWA.teryt)
        {
            if let Some(place) = place_by_teryt(a.local_government.as_deref()) {
                let route = format!("Warszawa – {} – Warszawa", place.name);
                self.trip(a.starts_on, &route, 2 * place.km, Some(id))
                    .await?;
            }
        }
        Ok(id)
    }

    async fn attend(&mut self, activity: i64, people: &[Who]) -> Result<(), StoreError> {
        for who in people {
            acts::insert_attendance(self.tx, activity, *who, self.now).await?;
            self.summary.attendances += 1;
        }
        Ok(())
    }

    async fn trip(
        &mut self,
        on: Date,
        route: &str,
        km: i64,
        activity: Option<i64>,
    ) -> Result<(), StoreError> {
        acts::insert_trip(self.tx, self.project, on, route, km, activity, self.now).await?;
        self.summary.trips += 1;
        Ok(())
    }

    async fn local_works(&mut self, units: &[Unit]) -> Result<(), StoreError> {
        for (n, w) in LOCAL_WORKS.iter().enumerate() {
            let unit = units.iter().find(|u| u.teryt.as_str() == w.teryt);
            let jst_name = unit.map_or("", |u| u.name.as_str());
            let work = LocalWork {
                id: 0,
                slug: w.slug.into(),
                title: w.place.name.into(),
                local_government: w.teryt.into(),
                jst_name: jst_name.into(),
                // Not written: the kind is the unit's, read with it.
                jst_kind: unit.map_or(UnitKind::GminaWiejska, |u| u.kind),
                office: w.office.into(),
                period: w.period.into(),
                summary_md: w.summary.into(),
                deliverables_md: w.deliverables.into(),
            };
            let work_id = prog::insert_local_work(self.tx, self.project, &work, self.now).await?;
            let mut locals = Vec::new();
            for i in 0..4 {
                let org_name_n = 200 + n * 10 + i;
                let (org, jst) = self.organisation(org_name_n, w.place.teryt).await?;
                for _ in 0..3 {
                    locals.push(self.person(Group::Ngo, Some(org), Some(&jst)).await?);
                }
            }
            for _ in 0..4 {
                locals.push(self.person(Group::Official, None, Some(w.teryt)).await?);
            }
            locals.push(self.person(Group::Authority, None, Some(w.teryt)).await?);
            for (i, date) in w.meeting_dates.iter().enumerate() {
                let title = format!("Spotkanie {} – {}", i + 1, w.place.name);
                let id = self
                    .activity(
                        NewActivity {
                            slug: slug(*date, &format!("{} spotkanie", w.slug)),
                            kind: ActivityKind::Meeting,
                            status: ActivityStatus::Held,
                            title,
                            topic: "lokalny program rozwoju współpracy".into(),
                            summary_md: format!(
                                "Spotkanie organizacji pozarządowych i urzędu ({}).",
                                w.office
                            ),
                            starts_on: *date,
                            ends_on: *date,
                            start_time: "16:00".into(),
                            duration_minutes: 180,
                            online: false,
                            venue: w.office.into(),
                            local_government: Some(w.place.teryt.into()),
                            audience: Audience::Both,
                            capacity: None,
                            co_organiser: None,
                            local_work_id: Some(work_id),
                            organisation_id: None,
                        },
                        &[],
                    )
                    .await?;
                let present: Vec<Who> = locals
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| (j + i) % 4 != 0)
                    .map(|(_, w)| *w)
                    .collect();
                self.attend(id, &present).await?;
            }
        }
        Ok(())
    }

    /// 56 individual advisory sessions adding up to more than 100 hours.
    async fn advisory(&mut self, ngo: &[Who], orgs: &[(i64, String)]) -> Result<(), StoreError> {
        const MINUTES: [i64; 4] = [90, 120, 60, 180];
        let mut date = jiff::civil::date(2021, 6, 7);
        for i in 0..56 {
            let (who, organisation) = if i % 2 == 0 {
                (ngo[(i * 5) % ngo.len()], None)
            } else {
                let (org, jst) = self.rng.pick(orgs).clone();
                (
                    self.person(Group::Ngo, Some(org), Some(&jst)).await?,
                    Some(org),
                )
            };
            let topic = ADVISORY_TOPICS[i % ADVISORY_TOPICS.len()];
            let on = date.to_string();
            let id = self
                .activity(
                    NewActivity {
                        slug: format!("doradztwo-{}-{}", on, i + 1),
                        kind: ActivityKind::Advisory,
                        status: ActivityStatus::Held,
                        title: format!("Doradztwo: {topic}"),
                        topic: topic.into(),
                        summary_md: String::new(),
                        starts_on: date,
                        ends_on: date,
                        start_time: "12:00".into(),
                        duration_minutes: MINUTES[i % MINUTES.len()],
                        online: true,
                        venue: "online".into(),
                        local_government: None,
                        audience: Audience::Ngo,
                        capacity: Some(1),
                        co_organiser: None,
                        local_work_id: None,
                        organisation_id: None,
                    },
                    &[Speaker {
                        name: "Zespół doradczy Federacji Mazowia".into(),
                        role: SpeakerRole::Advisor,
                        affiliation: String::new(),
                        gender: Gender::Undisclosed,
                    }],
                )
                .await?;
            self.attend(id, &[who]).await?;
            store::advisory::insert_details(
                self.tx,
                id,
                self.advisor,
                organisation,
                crate::domain::advisory::SessionForm::Online,
            )
            .await?;
            date = date.saturating_add(jiff::Span::new().days(17));
        }
        Ok(())
    }

    async fn research(&mut self) -> Result<(), StoreError> {
        for (i, (teryt, name, town)) in RESEARCH_COUNTIES.iter().enumerate() {
            let area = ResearchArea {
                local_government: (*teryt).into(),
                jst_name: String::new(),
                method: "jakościowe".into(),
                summary: format!(
                    "Wywiady i warsztat diagnostyczny {}: bariery, wyzwania, czynniki sprzyjające \
                     współpracy i dobre praktyki.",
                    crate::domain::format::in_county(name)
                ),
            };
            prog::insert_research_area(self.tx, self.project, &area, self.now).await?;
            for visit in 0..2 {
                let on = jiff::civil::date(2021, 6 + visit as i8 * 3, 8 + i as i8 * 3);
                let route = format!("Warszawa – {} – Warszawa (badanie)", town.name);
                self.trip(on, &route, 2 * town.km, None).await?;
            }
        }
        let survey = ResearchArea {
            local_government: "14".into(),
            jst_name: String::new(),
            method: "ilościowe".into(),
            summary: "Ankieta dla organizacji pozarządowych i urzędów z całego województwa mazowieckiego.".into(),
        };
        prog::insert_research_area(self.tx, self.project, &survey, self.now).await
    }

    async fn documents(&mut self) -> Result<(), StoreError> {
        let docs = [
            Document {
                slug: "poradnik-dla-urzednikow".into(),
                kind: DocumentKind::Guide,
                title: "Współpraca z organizacjami pozarządowymi. Poradnik dla urzędniczek i urzędników".into(),
                audience: "urzędniczki i urzędnicy współpracujący z organizacjami w JST".into(),
                description_md: "Wskazówki, jak budować dobre zasady współpracy i zachęcać do dialogu \
                                 z organizacjami pozarządowymi."
                    .into(),
                published_on: jiff::civil::date(2023, 12, 15),
            },
            Document {
                slug: "poradnik-dla-wladz-lokalnych".into(),
                kind: DocumentKind::Guide,
                title: "Samorząd i organizacje pozarządowe. Poradnik dla władz lokalnych".into(),
                audience: "wójtowie, burmistrzowie, prezydenci miast, starostowie i ich zastępcy".into(),
                description_md: "Rola organizacji pozarządowych w środowiskach lokalnych i rozwiązania, które \
                                 JST mogą wprowadzić."
                    .into(),
                published_on: jiff::civil::date(2024, 1, 31),
            },
            Document {
                slug: "raport-jakosc-wspolpracy-ngo-jst-mazowsze".into(),
                kind: DocumentKind::ResearchReport,
                title: "Jakość współpracy NGO i JST w województwie mazowieckim. Raport z badań".into(),
                audience: "organizacje, urzędy, badacze".into(),
                description_md: "Wyniki badań jakościowych w sześciu powiatach i badania ilościowego w województwie."
                    .into(),
                published_on: jiff::civil::date(2022, 6, 30),
            },
        ];
        for d in &docs {
            prog::insert_document(self.tx, self.project, d, self.now).await?;
        }
        Ok(())
    }
}

fn place_by_teryt(teryt: Option<&str>) -> Option<&'static Place> {
    [
        &PLONSK,
        &PRZASNYSZ,
        &OTWOCK,
        &SOCHACZEW,
        &LOSICE,
        &SZYDLOWIEC,
        &JEDNOROZEC,
        &MINSK,
        &LEONCIN,
        &NOWY_DWOR,
    ]
    .into_iter()
    .find(|p| Some(p.teryt) == teryt)
}

/// "2021-10-14" + "Organizacja od podstaw" → "2021-10-14-organizacja-od-podstaw".
pub fn slug(date: Date, title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .map(people::ascii)
        .filter(|w| !w.is_empty())
        .collect();
    format!("{date}-{}", words.join("-"))
}
