//! The public forms of advisory and interventions: an NGO asks for advice
//! or reports a problem with its JST. What the form holds, its checks, and
//! the information notice shown at it.

use serde::Deserialize;

use super::advisory::Topic;
use super::cases::{Category, Register};
use super::records::{checked, choice, optional, phone, required, required_email, FieldErrors};
use super::UnknownCode;

/// The version of the notice and consent text reporters agree to; stored
/// with every report. Change it whenever `NOTICE` or `CONSENT` changes.
pub const CONSENT_VERSION: &str = "zgloszenia-2026-11";

pub const CONSENT: &str = "Wyrażam zgodę na przetwarzanie moich danych osobowych w celu \
    rozpatrzenia zgłoszenia i kontaktu w jego sprawie.";

/// The information notice (art. 13 GDPR) shown at both forms.
pub const NOTICE: &[&str] = &[
    "Administratorem Twoich danych jest organizator projektu wskazany w stopce strony.",
    "Dane przetwarzamy, by rozpatrzyć zgłoszenie, skontaktować się z Tobą w jego sprawie i rozliczyć \
     projekt z grantodawcą (art. 6 ust. 1 lit. a i c RODO).",
    "Twoje dane widzą tylko osoby prowadzące sprawę. Urzędowi (JST) podajemy je wyłącznie wtedy, gdy \
     na to pozwolisz w formularzu; w statystykach publikujemy tylko liczby zbiorcze.",
    "Dane przechowujemy przez okres trwałości projektu wymagany umową o dotację.",
    "Masz prawo dostępu do danych, ich sprostowania, usunięcia, ograniczenia przetwarzania, \
     przeniesienia, wycofania zgody w dowolnym momencie (bez wpływu na zgodność z prawem \
     wcześniejszego przetwarzania) i wniesienia skargi do Prezesa UODO.",
    "Podanie nazwy organizacji, imienia i nazwiska, adresu e-mail i opisu sprawy jest potrzebne do \
     rozpatrzenia zgłoszenia; pozostałe dane są dobrowolne.",
];

vocabulary! {
    /// How the reporter wants to be contacted.
    Contact {
        Email => "email", "e-mail";
        Phone => "phone", "telefon";
        Meeting => "meeting", "spotkanie";
    }
}

/// Both forms as typed: the advisory request uses `topic`, the report of a
/// problem `jst`, `category`, `reveal` and `share`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportInput {
    pub organisation: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub contact: String,
    pub description: String,
    pub topic: String,
    pub jst: String,
    pub category: String,
    pub reveal: Option<String>,
    /// Letters to the JST may quote the description.
    pub share: Option<String>,
    pub consent: Option<String>,
}

/// What a report, and the case filed from it, is about: advice on a
/// topic, or a problem of a kind. Stored as the code of its topic or
/// category (the case's `category` column), read back by the register the
/// case is numbered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    Advice(Topic),
    Problem(Category),
}

impl Subject {
    pub fn code(self) -> &'static str {
        match self {
            Subject::Advice(t) => t.code(),
            Subject::Problem(c) => c.code(),
        }
    }

    /// The register a case about this is numbered in.
    pub fn register(self) -> Register {
        match self {
            Subject::Advice(_) => Register::Advisory,
            Subject::Problem(_) => Register::Intervention,
        }
    }

    /// A stored code read back as the topic (advisory) or category
    /// (interventions) of a case of `register`: an unknown code is an
    /// error naming it, never a default.
    pub fn stored(register: Register, code: String) -> Result<Subject, UnknownCode> {
        match register {
            Register::Advisory => Topic::try_from(code).map(Subject::Advice),
            Register::Intervention => Category::try_from(code).map(Subject::Problem),
        }
    }
}

/// A report that passed the checks (the JST, typed by name or code, is
/// looked up by the caller).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub subject: Subject,
    pub organisation: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub contact: Contact,
    pub description: String,
    pub reveal_identity: bool,
    /// Letters to the JST may quote the description.
    pub share_description: bool,
}

/// The longest description taken.
pub const MAX_DESCRIPTION: usize = 10_000;

impl ReportInput {
    /// Checks the form of an advisory request (`problem` false) or of a
    /// problem report (`problem` true).
    pub fn validate(&self, problem: bool, errors: &mut FieldErrors) -> Option<Report> {
        let organisation = required(errors, "organisation", &self.organisation, 300);
        let name = required(errors, "name", &self.name, 200);
        let email = required_email(errors, "email", &self.email);
        let phone = phone(errors, "phone", &self.phone);
        let contact = choice(errors, "contact", &self.contact, Contact::from_code);
        if contact == Some(Contact::Phone) && phone.is_empty() && errors.get("phone").is_empty() {
            errors.add(
                "phone",
                "Podaj numer telefonu, skoro wolisz kontakt telefoniczny.",
            );
        }
        let subject = if problem {
            if self.jst.trim().is_empty() {
                errors.add(
                    "jst",
                    "Wskaż gminę, powiat lub województwo, którego dotyczy sprawa.",
                );
            }
            choice(errors, "category", &self.category, Category::from_code).map(Subject::Problem)
        } else {
            choice(errors, "topic", &self.topic, Topic::from_code).map(Subject::Advice)
        };
        let description = required(errors, "description", &self.description, MAX_DESCRIPTION);
        let _ = optional(errors, "jst", &self.jst, 200);
        if !checked(&self.consent) {
            errors.add(
                "consent",
                "Zgłoszenie wymaga zgody na przetwarzanie danych.",
            );
        }
        Some(Report {
            subject: subject?,
            organisation,
            name,
            email,
            phone,
            contact: contact?,
            description,
            reveal_identity: problem && checked(&self.reveal),
            share_description: problem && checked(&self.share),
        })
        .filter(|_| errors.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ReportInput {
        ReportInput {
            organisation: "Stowarzyszenie Przyjaciół Płońska".into(),
            name: "Zofia Wójcik".into(),
            email: "Z.Wojcik@Example.org".into(),
            contact: "email".into(),
            description: "Gmina nie uchwaliła programu współpracy na 2027 rok.".into(),
            jst: "Płońsk".into(),
            category: "programme_not_adopted".into(),
            topic: "small_grants".into(),
            consent: Some("1".into()),
            reveal: Some("1".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_problem_report_needs_a_jst_a_category_and_consent() {
        let mut e = FieldErrors::default();
        let bad = ReportInput {
            jst: String::new(),
            category: "nonsense".into(),
            consent: None,
            ..good()
        };
        assert!(bad.validate(true, &mut e).is_none());
        for f in ["jst", "category", "consent"] {
            assert!(!e.get(f).is_empty(), "{f}");
        }
        let mut e = FieldErrors::default();
        let r = good().validate(true, &mut e).expect("valid");
        assert_eq!(r.subject, Subject::Problem(Category::ProgrammeNotAdopted));
        assert_eq!(r.email, "z.wojcik@example.org");
        assert!(r.reveal_identity);
        assert!(!r.share_description, "only when asked for");
        let mut e = FieldErrors::default();
        let shared = ReportInput {
            share: Some("1".into()),
            ..good()
        };
        assert!(shared
            .validate(true, &mut e)
            .is_some_and(|r| r.share_description));
    }

    #[test]
    fn an_advisory_request_needs_a_topic_and_never_reveals_anyone() {
        let mut e = FieldErrors::default();
        let r = ReportInput {
            jst: String::new(),
            ..good()
        }
        .validate(false, &mut e)
        .expect("valid");
        assert_eq!(r.subject, Subject::Advice(Topic::SmallGrants));
        assert!(!r.reveal_identity);
        assert!(!ReportInput {
            share: Some("1".into()),
            ..good()
        }
        .validate(false, &mut FieldErrors::default())
        .is_some_and(|r| r.share_description));
        let mut e = FieldErrors::default();
        assert!(ReportInput {
            contact: "phone".into(),
            ..good()
        }
        .validate(false, &mut e)
        .is_none());
        assert!(e.get("phone").contains("telefonu"));
    }

    #[test]
    fn a_stored_subject_is_read_by_its_register_and_an_unknown_code_is_an_error() {
        for s in Topic::ALL
            .iter()
            .map(|t| Subject::Advice(*t))
            .chain(Category::ALL.iter().map(|c| Subject::Problem(*c)))
        {
            assert_eq!(Subject::stored(s.register(), s.code().to_owned()), Ok(s));
        }
        assert_eq!(
            Subject::stored(Register::Advisory, "other".into()),
            Ok(Subject::Advice(Topic::Other))
        );
        assert_eq!(
            Subject::stored(Register::Intervention, "small_grants".into()),
            Err(UnknownCode {
                vocabulary: "Category",
                code: "small_grants".into()
            }),
            "a topic is no category"
        );
        assert_eq!(
            Subject::stored(Register::Advisory, "zgubione".into()),
            Err(UnknownCode {
                vocabulary: "Topic",
                code: "zgubione".into()
            })
        );
    }
}
