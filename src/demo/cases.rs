//! Interventions of the demo: when NGOs signalled that their JST had not
//! adopted its annual cooperation programme, broke the rules of
//! cooperation or acted without transparency, the federation wrote to the
//! JST with questions and requests for explanations.

use crate::domain::attachments::FileType;
use crate::domain::cases::{Category, Outcome, Status};
use crate::domain::letters::{self, SentVia};
use crate::domain::organ::{self, Jst};
use crate::domain::records::OfficeForm;
use crate::domain::reports::Subject;
use crate::domain::teryt::Unit;
use crate::store::cases::{case_number, insert_loaded, Loaded, StoredFile};
use crate::store::letters::{
    insert_loaded as insert_letter, mark_overdue_sent, template_body, LoadedLetter,
};
use crate::store::{offices, StoreError};

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

/// An open case as filed, for its letter.
struct Reported<'a> {
    case_id: i64,
    organisation_name: &'a str,
    reveal: bool,
    share: bool,
}

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
            let day = |d: &str, hour: u8| -> jiff::Timestamp {
                format!("{d}T{hour:02}:00:00Z")
                    .parse()
                    .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            };
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
                    subject: Subject::Problem(*category),
                    year: filed_on.year(),
                    local_government: &jst,
                    organisation_name: &format!("Organizacja przykładowa nr {org}"),
                    organisation_id: Some(org),
                    reporter_name: &format!("{} {}", reporter.first_name, reporter.last_name),
                    reporter_email: &format!("zgloszenie{}@example.org", i + 1),
                    reveal_identity: i % 3 == 0,
                    share_description: i % 3 == 0,
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

/// Cases still open on the day the demo is loaded, each with a letter sent
/// a few days or weeks before: JST (TERYT), category, template, how the
/// letter went, days before today it was filed, dated and delivered, and
/// what was reported. Their reply deadlines fall before and after today,
/// so the deadlines dashboard has something in each part.
/// Who signs the demo's letters unless the configuration names someone.
const SIGNATORY: &str = "Małgorzata Wiśniewska";

/// Offices of the demo's open cases as staff would have kept them: their
/// own name where the register cannot give it, and postal address. The
/// data is invented; each record says so in its notes (`ILLUSTRATIVE`).
const OFFICES: &[(&str, &str, &str)] = &[
    ("1462", "", "Stary Rynek 1\n09-400 Płock"),
    ("1420092", "", "ul. Płocka 39\n09-100 Płońsk"),
    (
        "1420",
        "Starostwo Powiatowe w Płońsku",
        "ul. Płocka 39\n09-100 Płońsk",
    ),
];

/// The notes of every office record the demo writes: its facts about real
/// JSTs are invented.
pub const ILLUSTRATIVE: &str = "Dane przykładowe z wersji demonstracyjnej: nazwa i adres urzędu \
    są zmyślone i służą tylko do pokazania pism. Przed wysłaniem prawdziwego pisma sprawdź je \
    w BIP urzędu.";

/// The postal code of a home county's seat, for the invented addresses of
/// offices the demo's cases write to.
fn postal_code(teryt: &str) -> &'static str {
    match teryt.get(..4) {
        Some("1420") => "09-100",
        Some("1417") => "05-400",
        _ => "00-950",
    }
}

/// An open case of the demo (see `OPEN`).
struct OpenCase {
    teryt: &'static str,
    category: Category,
    template: &'static str,
    via: SentVia,
    /// Days before today it was filed, its letter dated, delivered.
    days: [i64; 3],
    what: &'static str,
}

const OPEN: &[OpenCase] = &[
    OpenCase {
        teryt: "1420092",
        category: Category::ProgrammeNotAdopted,
        template: "explanations",
        via: SentVia::Email,
        days: [30, 27, 27],
        what: "Projekt programu współpracy na przyszły rok nie został poddany konsultacjom z organizacjami.",
    },
    OpenCase {
        teryt: "1462",
        category: Category::ProgrammeNotAdopted,
        template: "public_information",
        via: SentVia::Epuap,
        days: [16, 11, 11],
        what: "Rada miasta uchwaliła program współpracy bez opinii rady działalności pożytku publicznego.",
    },
    OpenCase {
        teryt: "1420",
        category: Category::ProgrammeNotAdopted,
        template: "explanations",
        via: SentVia::Post,
        days: [9, 6, 2],
        what: "Rada powiatu nie uchwaliła programu współpracy na przyszły rok, a termin minął.",
    },
];

impl super::Loader<'_> {
    /// The open cases of `OPEN`, relative to the day the demo is loaded
    /// (by the app's clock), each with its letter as a PDF.
    pub(super) async fn open_interventions(
        &mut self,
        orgs: &[(i64, String)],
        units: &[Unit],
    ) -> Result<(), super::DemoError> {
        let now = self.now;
        let today = now.to_zoned(crate::app::warsaw()).date();
        for (teryt, name, address) in OFFICES {
            let office = OfficeForm {
                office_name: (*name).to_owned(),
                address: (*address).to_owned(),
                notes: ILLUSTRATIVE.to_owned(),
                ..OfficeForm::default()
            };
            offices::insert_loaded(self.tx, teryt, &office, self.now).await?;
        }
        for (i, c) in OPEN.iter().enumerate() {
            let Some(unit) = units.iter().find(|u| u.teryt.as_str() == c.teryt) else {
                continue;
            };
            let (org, _) = orgs[(i * 11 + 3) % orgs.len()].clone();
            self.open_case(i, c, org, unit, today).await?;
        }
        // Every JST the demo's cases may write to has an (invented) postal
        // address.
        for (teryt, name) in offices::cases_without_office(self.tx).await? {
            let office = OfficeForm {
                address: format!("ul. Przykładowa 1\n{} {name}", postal_code(&teryt)),
                notes: ILLUSTRATIVE.to_owned(),
                ..OfficeForm::default()
            };
            offices::insert_loaded(self.tx, &teryt, &office, self.now).await?;
        }
        // Loading the demo sends nobody a list of its overdue replies.
        mark_overdue_sent(self.tx, today).await?;
        Ok(())
    }

    /// One open case of `OPEN`, filed `days[0]` days before `today`, with
    /// its letter.
    async fn open_case(
        &mut self,
        i: usize,
        c: &OpenCase,
        org: i64,
        unit: &Unit,
        today: jiff::civil::Date,
    ) -> Result<(), super::DemoError> {
        let before = |days: i64| {
            today
                .checked_sub(jiff::Span::new().days(days))
                .unwrap_or(today)
        };
        let OpenCase {
            teryt,
            category,
            days: [filed, ..],
            what,
            ..
        } = c;
        let reporter = super::people::person(&mut self.rng);
        let filed_on = before(*filed);
        let organisation_name = format!("Organizacja przykładowa nr {org}");
        let reveal = i != 1;
        let share = i != 2;
        let events = [(
            format!("{filed_on}T09:00:00Z")
                .parse()
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            format!("Zgłoszenie przyjęte: {what}"),
        )];
        let case_id = insert_loaded(
            self.tx,
            &Loaded {
                subject: Subject::Problem(*category),
                year: filed_on.year(),
                local_government: teryt,
                organisation_name: &organisation_name,
                organisation_id: Some(org),
                reporter_name: &format!("{} {}", reporter.first_name, reporter.last_name),
                reporter_email: &format!("zgloszenie-otwarte{}@example.org", i + 1),
                reveal_identity: reveal,
                share_description: share,
                description: what,
                status: Status::AwaitingReply,
                outcome: None,
                assignee: self.advisor,
                events: &events,
            },
        )
        .await?;
        let reported = Reported {
            case_id,
            organisation_name: &organisation_name,
            reveal,
            share,
        };
        self.open_letter(c, &reported, unit, today).await
    }

    /// The letter of an open case: filled from its template, printed and
    /// kept, sent on its date and delivered `days[2]` days before `today`.
    async fn open_letter(
        &mut self,
        c: &OpenCase,
        r: &Reported<'_>,
        unit: &Unit,
        today: jiff::civil::Date,
    ) -> Result<(), super::DemoError> {
        let OpenCase {
            teryt,
            category,
            template,
            via,
            days: [_, dated, delivered],
            what,
        } = c;
        let (case_id, reveal, share) = (r.case_id, r.reveal, r.share);
        let (organisation_name, subject) = (r.organisation_name, Subject::Problem(*category));
        let before = |days: i64| {
            today
                .checked_sub(jiff::Span::new().days(days))
                .unwrap_or(today)
        };
        let number = case_number(self.tx, case_id).await?;
        let body = template_body(self.tx, template).await?.unwrap_or_default();
        let (organ_name, recipient) = self.addressee(teryt, unit);
        let values = [
            ("urzad", organ_name.clone()),
            ("znak", number.clone()),
            ("kategoria", letters::matter(subject).to_owned()),
            ("podstawa_prawna", letters::legal_basis(subject)),
            ("opis", letters::description(share, what)),
            ("zglaszajacy", letters::reporter(reveal, organisation_name)),
            ("email_nadawcy", self.settings.sender_email.clone()),
        ];
        let body = letters::fill(&body, &values);
        let dated_on = before(*dated);
        let title = if *template == "public_information" {
            "Wniosek o udostępnienie informacji publicznej"
        } else {
            "Prośba o wyjaśnienia"
        };
        let pdf = crate::service::cases::letter_pdf::pdf(&letters::PrintedLetter {
            sender: crate::service::cases::sender(self.settings, super::LEAD),
            recipient,
            place: self.settings.letter_place.clone(),
            dated_on,
            reference: number.clone(),
            title: title.to_owned(),
            body_md: body.clone(),
            signature: self.signature(),
        })?;
        let stored = self
            .save_pdf(
                &format!("{title} {} {dated_on}.pdf", number.replace('/', "-")),
                &pdf,
            )
            .await?;
        insert_letter(
            self.tx,
            &LoadedLetter {
                case_id,
                template_code: template,
                public_information: *template == "public_information",
                title,
                dated_on,
                body_md: &body,
                pdf: &stored,
                sent_via: *via,
                delivered_on: before(*delivered),
                account: self.advisor,
            },
            self.now,
        )
        .await?;
        Ok(())
    }

    /// The organ a letter to the JST `teryt` goes to, and the lines it is
    /// addressed to (the organ, its office, the office's address).
    fn addressee(&self, teryt: &str, unit: &Unit) -> (String, Vec<String>) {
        let jst = Jst {
            kind: unit.kind,
            teryt,
            name: &unit.name,
        };
        let president = self.settings.presidents.iter().any(|p| p == teryt);
        let organ_name = organ::organ(jst, president);
        let (office_name, address) = OFFICES
            .iter()
            .find(|o| o.0 == teryt)
            .map(|o| (o.1, o.2))
            .unwrap_or_default();
        let office_name = if office_name.is_empty() {
            organ::office(jst)
        } else {
            office_name.to_owned()
        };
        let recipient = letters::recipient(&organ_name, &office_name, address);
        (organ_name, recipient)
    }

    /// Who signs the demo's letters.
    fn signature(&self) -> Vec<String> {
        crate::service::cases::signature(
            self.settings,
            SIGNATORY,
            if self.settings.signatory_function.is_empty() {
                "Koordynatorka projektu"
            } else {
                &self.settings.signatory_function
            },
        )
    }

    /// Writes a letter's PDF where the files of cases are kept.
    async fn save_pdf(&self, name: &str, bytes: &[u8]) -> Result<StoredFile, super::DemoError> {
        let token =
            crate::domain::auth::new_token().map_err(|e| std::io::Error::other(e.to_string()))?;
        let stored_as = format!("{token}.pdf");
        let dir = self.settings.data_dir.join(crate::files::ATTACHMENTS);
        let (file, content) = (stored_as.clone(), bytes.to_vec());
        tokio::task::spawn_blocking(move || crate::files::write(&dir, &file, &content))
            .await
            .map_err(std::io::Error::other)??;
        Ok(StoredFile {
            name: name.to_owned(),
            file_type: FileType::Pdf,
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            stored_as,
        })
    }
}
