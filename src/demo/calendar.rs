//! The programme's calendar in the demo: 17 one-day trainings, one upcoming
//! (demonstration) edition open for registration, and the three events
//! (seminar, debate, conference) with their guests and programmes.

use super::content::*;
use super::{slug, Loader, Who};
use crate::domain::activity::{ActivityKind, ActivityStatus, Audience, Gender, Group, SpeakerRole};
use crate::domain::records::AgendaItem;
use crate::store::activities::{NewActivity, Speaker};
use crate::store::StoreError;
use jiff::civil::{date, Date, Weekday};

const TRAINING_SIZE: usize = 15;

impl Loader<'_> {
    /// 17 one-day trainings; every person of both pools attends at least one,
    /// the remaining seats go to people who come again.
    pub(super) async fn trainings(
        &mut self,
        ngo: &[Who],
        officials: &[Who],
    ) -> Result<(), StoreError> {
        let mut seats = first_seats(ngo, officials);
        for (i, t) in TRAININGS.iter().enumerate() {
            let pool: Vec<Who> = match t.audience {
                Audience::Ngo => ngo.to_vec(),
                Audience::Officials => officials.to_vec(),
                Audience::Both => ngo.iter().chain(officials).copied().collect(),
            };
            while seats[i].len() < TRAINING_SIZE {
                let who = *self.rng.pick(&pool);
                if !seats[i].contains(&who) {
                    seats[i].push(who);
                }
            }
            let id = self.activity(training(t), &training_speakers(t)).await?;
            let people = seats[i].clone();
            self.attend(id, &people).await?;
        }
        Ok(())
    }

    pub(super) async fn events(
        &mut self,
        ngo: &[Who],
        officials: &[Who],
        orgs: &[(i64, String)],
        offices: &[String],
    ) -> Result<(), StoreError> {
        self.seminar().await?;
        self.debate(ngo, officials, orgs).await?;
        self.conference(ngo, officials, orgs, offices).await
    }

    /// The introductory seminar: the project team and partners (not
    /// recipients of the project), five guests.
    async fn seminar(&mut self) -> Result<(), StoreError> {
        let mut team = Vec::new();
        for _ in 0..12 {
            team.push(self.person(Group::Team, None, None).await?);
        }
        let guests: Vec<Speaker> = SEMINAR_GUESTS
            .iter()
            .map(|(n, a, g)| Speaker {
                name: (*n).into(),
                role: SpeakerRole::Guest,
                affiliation: (*a).into(),
                gender: *g,
            })
            .collect();
        let id = self
            .activity(
                event(
                    "2021-05-19-seminarium-wprowadzajace",
                    ActivityKind::Seminar,
                    "Seminarium wprowadzające",
                    "Trzydniowe seminarium, którego celem było usystematyzowanie wiedzy zespołu projektowego \
                     oraz partnerów o zakresach współpracy NGO i JST.",
                    (date(2021, 5, 19), date(2021, 5, 21), 3 * 360),
                    Some(&WARSZAWA),
                ),
                &guests,
            )
            .await?;
        self.agenda(id, SEMINAR_AGENDA).await?;
        self.attend(id, &team).await?;
        Ok(())
    }

    /// The online debate: four participants and a moderator.
    async fn debate(
        &mut self,
        ngo: &[Who],
        officials: &[Who],
        orgs: &[(i64, String)],
    ) -> Result<(), StoreError> {
        let mut panel: Vec<Speaker> = DEBATE_PANEL
            .iter()
            .map(|(n, a, g)| Speaker {
                name: (*n).into(),
                role: SpeakerRole::Panelist,
                affiliation: (*a).into(),
                gender: *g,
            })
            .collect();
        panel.push(Speaker {
            name: DEBATE_MODERATOR.0.into(),
            role: SpeakerRole::Moderator,
            affiliation: DEBATE_MODERATOR.1.into(),
            gender: DEBATE_MODERATOR.2,
        });
        let id = self
            .activity(
                event(
                    "2021-09-23-debata-wprowadzajaca",
                    ActivityKind::Debate,
                    "Mazowieckie JST i NGO – lepsza współpraca. Jak to robić?",
                    "Debata online wprowadzająca w temat współpracy mazowieckich samorządów i organizacji \
                     pozarządowych.",
                    (date(2021, 9, 23), date(2021, 9, 23), 90),
                    None,
                ),
                &panel,
            )
            .await?;
        self.agenda(id, DEBATE_AGENDA).await?;
        let mut audience: Vec<Who> = ngo.iter().step_by(7).take(20).copied().collect();
        audience.extend(officials.iter().step_by(7).take(10).copied());
        for _ in 0..12 {
            let (org, jst) = self.rng.pick(orgs).clone();
            audience.push(self.person(Group::Ngo, Some(org), Some(&jst)).await?);
        }
        self.attend(id, &audience).await?;
        Ok(())
    }

    /// The closing conference: over 100 NGO leaders and 50 officials.
    async fn conference(
        &mut self,
        ngo: &[Who],
        officials: &[Who],
        orgs: &[(i64, String)],
        offices: &[String],
    ) -> Result<(), StoreError> {
        let id = self
            .activity(
                event(
                    "2023-09-08-konferencja-podsumowujaca",
                    ActivityKind::Conference,
                    "Konferencja podsumowująca projekt „Mazowiecka Koalicja na rzecz dialogu NGO i JST”",
                    "Spotkanie było przestrzenią do dyskusji o wyzwaniach we współpracy międzysektorowej, \
                     potrzebach organizacji pozarządowych w woj. mazowieckim, dobrych praktykach i ciałach \
                     dialogu obywatelskiego.",
                    (date(2023, 9, 8), date(2023, 9, 8), 360),
                    Some(&WARSZAWA),
                ),
                &[],
            )
            .await?;
        self.agenda(id, CONFERENCE_AGENDA).await?;
        let mut guests: Vec<Who> = ngo.iter().skip(3).step_by(2).take(60).copied().collect();
        guests.extend(officials.iter().skip(1).step_by(3).take(20).copied());
        for _ in 0..52 {
            let (org, jst) = self.rng.pick(orgs).clone();
            guests.push(self.person(Group::Ngo, Some(org), Some(&jst)).await?);
        }
        for _ in 0..30 {
            let jst = self.rng.pick(offices).clone();
            guests.push(self.person(Group::Official, None, Some(&jst)).await?);
        }
        self.attend(id, &guests).await
    }
}

impl Loader<'_> {
    async fn agenda(&mut self, activity: i64, lines: &[AgendaLine]) -> Result<(), StoreError> {
        for (day, starts_at, title, speakers) in lines {
            let item = AgendaItem {
                day: (*day).into(),
                starts_at: (*starts_at).into(),
                title: (*title).into(),
                speakers: (*speakers).into(),
            };
            crate::store::agenda::insert(self.tx, activity, &item, self.now).await?;
        }
        Ok(())
    }

    /// An upcoming edition of a training, three weeks (on a weekday) after
    /// the day the demo is loaded, planned and open for registration, so
    /// that a visitor can try registering. Its page says it is a
    /// demonstration; being planned, it adds nothing to the figures.
    pub(super) async fn upcoming(&mut self) -> Result<(), StoreError> {
        // The day of loading as stored, in UTC.
        let today: Date = self.now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let mut day = today.saturating_add(jiff::Span::new().days(21));
        while matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            day = day.saturating_add(jiff::Span::new().days(1));
        }
        let on = day;
        let title = "Współpraca finansowa NGO i JST w praktyce (termin demonstracyjny)";
        self.activity(
            NewActivity {
                slug: slug(on, title),
                kind: ActivityKind::Training,
                status: ActivityStatus::Planned,
                title: title.into(),
                topic: TOPIC_FIN.into(),
                summary_md: "**To termin demonstracyjny.** Szkolenie i jego data są przykładem: data \
                             wypada zawsze trzy tygodnie po dniu, w którym wczytano dane demonstracyjne, \
                             aby można było wypróbować zapis (potwierdzenie e-mailem, lista rezerwowa). \
                             Jednodniowe szkolenie dla organizacji pozarządowych oraz urzędniczek i \
                             urzędników: dotacje, otwarte konkursy ofert, małe granty i ich rozliczanie."
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
                starts_on: on,
                ends_on: on,
                start_time: "10:00".into(),
                duration_minutes: 360,
                online: false,
                venue: "Płońsk, Starostwo Powiatowe, ul. Płocka 39".into(),
                local_government: Some(PLONSK.teryt.into()),
                audience: Audience::Both,
                capacity: Some(20),
                co_organiser: None,
                local_work_id: None,
                organisation_id: None,
            },
            &[Speaker {
                name: "Zespół trenerski Federacji Mazowia".into(),
                role: SpeakerRole::Trainer,
                affiliation: String::new(),
                gender: Gender::Undisclosed,
            }],
        )
        .await?;
        Ok(())
    }
}

fn event(
    slug: &str,
    kind: ActivityKind,
    title: &str,
    summary: &str,
    (starts_on, ends_on, minutes): (Date, Date, i64),
    place: Option<&Place>,
) -> NewActivity {
    NewActivity {
        slug: slug.into(),
        kind,
        status: ActivityStatus::Held,
        title: title.into(),
        topic: "współpraca NGO i JST".into(),
        summary_md: summary.split_whitespace().collect::<Vec<_>>().join(" "),
        starts_on,
        ends_on,
        start_time: "10:00".into(),
        duration_minutes: minutes,
        online: place.is_none(),
        venue: place.map_or("online".into(), |p| p.name.to_owned()),
        local_government: place.map(|p| p.teryt.to_owned()),
        audience: Audience::Both,
        capacity: None,
        co_organiser: None,
        local_work_id: None,
        organisation_id: None,
    }
}

/// The first seat of everyone in both pools, spread over the trainings
/// their audience allows, none over `TRAINING_SIZE` while others have room.
fn first_seats(ngo: &[Who], officials: &[Who]) -> Vec<Vec<Who>> {
    let mut seats: Vec<Vec<Who>> = vec![Vec::new(); TRAININGS.len()];
    let allows = |t: &Training, g: Group| match t.audience {
        Audience::Ngo => g == Group::Ngo,
        Audience::Officials => g == Group::Official,
        Audience::Both => true,
    };
    for (pool, group) in [(officials, Group::Official), (ngo, Group::Ngo)] {
        let eligible: Vec<usize> = (0..TRAININGS.len())
            .filter(|i| allows(&TRAININGS[*i], group))
            .collect();
        let mut cursor = 0;
        for who in pool {
            let mut tries = 0;
            while seats[eligible[cursor % eligible.len()]].len() >= TRAINING_SIZE
                && tries < eligible.len()
            {
                cursor += 1;
                tries += 1;
            }
            seats[eligible[cursor % eligible.len()]].push(*who);
            cursor += 1;
        }
    }
    seats
}

/// The trainers of a training: the team of the partner of its place, and
/// the co-organiser.
fn training_speakers(t: &Training) -> Vec<Speaker> {
    let trainer = match t.place {
        Some(p) if p.teryt.starts_with("1422") => "Zespół trenerski Federacji ROSA",
        _ => "Zespół trenerski Federacji Mazowia",
    };
    let mut speakers = vec![Speaker {
        name: trainer.into(),
        role: SpeakerRole::Trainer,
        affiliation: String::new(),
        gender: Gender::Undisclosed,
    }];
    if let Some(co) = t.co_organiser {
        speakers.push(Speaker {
            name: co.into(),
            role: SpeakerRole::Trainer,
            affiliation: "współorganizator".into(),
            gender: Gender::Undisclosed,
        });
    }
    speakers
}

/// A held one-day training of the calendar.
fn training(t: &Training) -> NewActivity {
    NewActivity {
        slug: slug(t.date, t.title),
        kind: t.kind,
        status: ActivityStatus::Held,
        title: t.title.into(),
        topic: t.topic.into(),
        summary_md: format!(
            "Jednodniowe {} dla {}. Temat: {}.",
            if t.kind == ActivityKind::Workshop {
                "warsztaty"
            } else {
                "szkolenie"
            },
            match t.audience {
                Audience::Ngo => "liderek i liderów organizacji pozarządowych",
                Audience::Officials => "urzędniczek i urzędników współpracujących z NGO",
                Audience::Both => "organizacji pozarządowych oraz urzędniczek i urzędników",
            },
            t.topic
        ),
        starts_on: t.date,
        ends_on: t.date,
        start_time: "10:00".into(),
        duration_minutes: 360,
        online: t.place.is_none(),
        venue: t.place.map_or("online".into(), |p| p.name.to_owned()),
        local_government: t.place.map(|p| p.teryt.to_owned()),
        audience: t.audience,
        capacity: Some(20),
        co_organiser: t.co_organiser.map(str::to_owned),
        local_work_id: None,
        organisation_id: None,
    }
}
