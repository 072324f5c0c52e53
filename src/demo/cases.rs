//! Interventions of the demo: when NGOs signalled that their JST had not
//! adopted its annual cooperation programme, broke the rules of
//! cooperation or acted without transparency, the federation wrote to the
//! JST with questions and requests for explanations.

use crate::domain::cases::{Category, Outcome, Register, Status};
use crate::store::cases::{insert_loaded, Loaded};
use crate::store::StoreError;

/// Category, outcome (`None`: still open), the day filed, what happened.
const INTERVENTIONS: &[(Category, Option<Outcome>, &str, &str)] = &[
    (
        Category::ProgrammeNotAdopted,
        Some(Outcome::Resolved),
        "2021-12-07",
        "Rada gminy nie uchwaliła rocznego programu współpracy na 2022 rok do 30 listopada.",
    ),
    (
        Category::ProgrammeNotAdopted,
        Some(Outcome::Resolved),
        "2022-01-18",
        "Program współpracy na 2022 rok nie został poddany konsultacjom z organizacjami.",
    ),
    (
        Category::Transparency,
        Some(Outcome::Resolved),
        "2022-04-05",
        "Wyniki otwartego konkursu ofert nie zostały opublikowane w BIP.",
    ),
    (
        Category::CooperationRules,
        Some(Outcome::NotResolved),
        "2022-06-21",
        "Urząd zlecił zadanie publiczne z pominięciem trybu konkursowego.",
    ),
    (
        Category::Transparency,
        Some(Outcome::Unfounded),
        "2022-09-13",
        "Brak informacji o składzie komisji konkursowej.",
    ),
    (
        Category::ProgrammeNotAdopted,
        Some(Outcome::NotResolved),
        "2022-12-06",
        "Rada gminy nie uchwaliła rocznego programu współpracy na 2023 rok.",
    ),
    (
        Category::Transparency,
        Some(Outcome::Resolved),
        "2023-03-14",
        "Sprawozdanie z realizacji programu współpracy nie zostało opublikowane.",
    ),
    (
        Category::CooperationRules,
        Some(Outcome::Resolved),
        "2023-05-09",
        "Organizacje nie zostały zaproszone do prac zespołu przygotowującego program współpracy.",
    ),
    (
        Category::ProgrammeNotAdopted,
        None,
        "2023-12-05",
        "Projekt programu współpracy na 2024 rok nie został skonsultowany z radą pożytku.",
    ),
];

impl super::Loader<'_> {
    /// The demo's interventions, each in a JST of one of the home counties,
    /// reported by one of the demo organisations and led by the advisor.
    pub(super) async fn interventions(
        &mut self,
        orgs: &[(i64, String)],
        advisor: Option<i64>,
    ) -> Result<(), StoreError> {
        for (i, (category, outcome, filed, what)) in INTERVENTIONS.iter().enumerate() {
            let (org, jst) = orgs[(i * 7) % orgs.len()].clone();
            let reporter = super::people::person(&mut self.rng);
            let day = |d: &str, hour: u8| format!("{d}T{hour:02}:00:00Z");
            let filed_on: jiff::civil::Date = filed.parse().unwrap_or_default();
            let later = |days: i64| {
                filed_on
                    .checked_add(jiff::Span::new().days(days))
                    .unwrap_or(filed_on)
                    .to_string()
            };
            let mut events = vec![
                (day(filed, 9), format!("Zgłoszenie przyjęte: {what}")),
                (
                    day(&later(3), 10),
                    "Wysłano do urzędu pismo z prośbą o wyjaśnienia (e-mail).".to_owned(),
                ),
                (
                    day(&later(16), 11),
                    "Urząd odpowiedział na pismo.".to_owned(),
                ),
            ];
            if let Some(o) = outcome {
                events.push((
                    day(&later(20), 12),
                    format!("Sprawa zamknięta: {}.", o.label()),
                ));
            }
            insert_loaded(
                self.tx,
                &Loaded {
                    register: Register::Intervention,
                    year: filed_on.year(),
                    category: category.code(),
                    local_government: &jst,
                    organisation_name: &format!("Organizacja przykładowa nr {org}"),
                    organisation_id: Some(org),
                    reporter_name: &format!("{} {}", reporter.first_name, reporter.last_name),
                    reporter_email: &format!("zgloszenie{}@example.org", i + 1),
                    reveal_identity: i % 3 == 0,
                    description: what,
                    status: if outcome.is_some() {
                        Status::Closed
                    } else {
                        Status::ReplyReceived
                    },
                    outcome: *outcome,
                    assignee: advisor,
                    events: &events,
                },
            )
            .await?;
        }
        Ok(())
    }
}
