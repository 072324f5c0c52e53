//! Interventions: cases opened when an NGO reports a problem with its JST,
//! their numbers (`INT/2024/007`), categories, the status workflow and how
//! a case ends.

use std::fmt;

use jiff::civil::Date;

use super::deadlines;

vocabulary! {
    /// What a report is about.
    Category {
        ProgrammeNotAdopted => "programme_not_adopted", "program współpracy nieuchwalony albo niekonsultowany";
        CooperationRules => "cooperation_rules", "naruszenie zasad współpracy";
        Transparency => "transparency", "brak przejrzystości";
        OpenCompetition => "open_competition", "nieprawidłowości w otwartym konkursie ofert";
        Other => "other", "inne";
    }
}

vocabulary! {
    /// Where a case stands.
    Status {
        New => "new", "nowa";
        UnderReview => "under_review", "w analizie";
        LetterSent => "letter_sent", "pismo wysłane";
        AwaitingReply => "awaiting_reply", "oczekuje na odpowiedź";
        ReplyReceived => "reply_received", "odpowiedź otrzymana";
        Closed => "closed", "zamknięta";
    }
}

vocabulary! {
    /// How a closed case ended.
    Outcome {
        Resolved => "resolved", "rozwiązana";
        NotResolved => "not_resolved", "nierozwiązana";
        Unfounded => "unfounded", "bezzasadna";
    }
}

vocabulary! {
    /// Where a file of a case came from.
    FileSource {
        Report => "report", "ze zgłoszenia";
        Letter => "letter", "pismo do urzędu";
        Reply => "reply", "odpowiedź urzędu";
        Staff => "staff", "dodany przez zespół";
    }
}

impl Status {
    /// The statuses a case may move to from this one: forward along the
    /// path, back to review when a reply calls for another letter, and to
    /// closed from anywhere but closed (a report may prove unfounded at
    /// once).
    pub fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            New => &[UnderReview, Closed],
            UnderReview => &[LetterSent, Closed],
            LetterSent => &[AwaitingReply, ReplyReceived, Closed],
            AwaitingReply => &[ReplyReceived, LetterSent, Closed],
            ReplyReceived => &[UnderReview, LetterSent, Closed],
            Closed => &[],
        }
    }

    pub fn may_move_to(self, to: Status) -> bool {
        self.next().contains(&to)
    }
}

/// Why a change of status was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("Sprawy w stanie „{from}” nie można przenieść do stanu „{to}”.")]
    NotAllowed {
        from: &'static str,
        to: &'static str,
    },
    #[error("Zamykając sprawę, wybierz jej wynik.")]
    OutcomeMissing,
    #[error("Wynik wybiera się tylko przy zamknięciu sprawy.")]
    OutcomeTooEarly,
}

/// Checks a change of status: allowed from where the case stands, and an
/// outcome given exactly when the case is closed.
pub fn check_move(from: Status, to: Status, outcome: Option<Outcome>) -> Result<(), MoveError> {
    if !from.may_move_to(to) {
        return Err(MoveError::NotAllowed {
            from: from.label(),
            to: to.label(),
        });
    }
    match (to, outcome) {
        (Status::Closed, None) => Err(MoveError::OutcomeMissing),
        (Status::Closed, Some(_)) => Ok(()),
        (_, Some(_)) => Err(MoveError::OutcomeTooEarly),
        (_, None) => Ok(()),
    }
}

/// A case's number: its register's prefix, year and number in the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseNumber {
    pub prefix: Register,
    pub year: i16,
    pub number: u32,
}

vocabulary! {
    /// The registers cases are numbered in.
    Register {
        Intervention => "INT", "interwencja";
        Advisory => "DOR", "doradztwo";
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{:03}", self.prefix.code(), self.year, self.number)
    }
}

impl CaseNumber {
    /// Reads `INT/2024/007` (the number may have more digits).
    pub fn parse(text: &str) -> Option<CaseNumber> {
        let mut parts = text.trim().split('/');
        let prefix = Register::from_code(parts.next()?)?;
        let year = parts.next()?;
        let number = parts.next()?;
        if parts.next().is_some()
            || year.len() != 4
            || number.len() < 3
            || !year
                .bytes()
                .chain(number.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        Some(CaseNumber {
            prefix,
            year: year.parse().ok()?,
            number: number.parse().ok().filter(|n| *n > 0)?,
        })
    }
}

/// Days an office has to answer a letter: 14 (art. 13 ust. 1 of the act
/// on access to public information; the federation asks the same in its
/// requests for explanations and reminders).
pub const REPLY_DAYS: i64 = 14;
/// The longest an office may extend that by, when it says why within the
/// 14 days (art. 13 ust. 2): two months from the request.
pub const EXTENDED_MONTHS: i64 = 2;

/// The last day of an office's reply to a letter it received on
/// `delivered_on`: 14 days later, or two months later when it gave notice
/// of an extension within the 14 days (`notified_on`); moved off
/// Saturdays and days off (`deadlines`).
pub fn reply_due(delivered_on: Date, notified_on: Option<Date>) -> Date {
    let due = deadlines::in_days(delivered_on, REPLY_DAYS);
    match notified_on {
        Some(notice) if notice <= due => deadlines::in_months(delivered_on, EXTENDED_MONTHS),
        _ => due,
    }
}

/// The lines of a case's timeline, as staff read them.
pub mod timeline {
    use jiff::civil::Date;

    use super::{Outcome, Status};
    use crate::domain::format;
    use crate::domain::letters::SentVia;

    /// A report filed through the public form.
    pub fn filed(number: &str) -> String {
        format!("Zgłoszenie przyjęte z formularza; nadano numer {number}.")
    }

    /// A case staff opened from a gap of the cooperation monitor.
    pub fn from_monitor(number: &str, who: &str) -> String {
        format!("Sprawa założona z monitoringu współpracy przez: {who}; nadano numer {number}.")
    }

    /// Files staff attached.
    pub fn files_added(names: &[&str]) -> String {
        let names: Vec<String> = names.iter().map(|n| format!("„{n}”")).collect();
        if names.len() == 1 {
            format!("Dodano plik {}.", names.join(""))
        } else {
            format!("Dodano pliki {}.", names.join(", "))
        }
    }

    /// The case given to someone (or to no one).
    pub fn assigned(name: Option<&str>) -> String {
        match name {
            Some(name) => format!("Sprawę prowadzi: {name}."),
            None => "Sprawa nie ma osoby prowadzącej.".to_owned(),
        }
    }

    /// The case's JST, organisation and person changed.
    pub const LINKED: &str = "Zmieniono powiązania sprawy (JST, organizacja, osoba).";

    /// A line followed by staff's note, if any.
    fn noted(line: String, note: &str) -> String {
        if note.trim().is_empty() {
            line
        } else {
            format!("{line} {}", note.trim())
        }
    }

    /// A change of status by hand.
    pub fn moved(from: Status, to: Status, outcome: Option<Outcome>, note: &str) -> String {
        let line = match outcome {
            Some(o) => format!("Stan: {} → {} ({}).", from.label(), to.label(), o.label()),
            None => format!("Stan: {} → {}.", from.label(), to.label()),
        };
        noted(line, note)
    }

    /// A letter written.
    pub fn letter_made(title: &str, dated_on: Date) -> String {
        format!(
            "Przygotowano pismo „{title}” z dnia {}.",
            format::date(dated_on)
        )
    }

    /// How and when a letter went and reached the office.
    pub struct Sending<'a> {
        pub title: &'a str,
        pub via: SentVia,
        pub sent_on: Date,
        pub delivered_on: Date,
        pub reply_due: Date,
    }

    /// A letter sent; with the move of the case's status, when it moved.
    pub fn sent(s: &Sending<'_>, moved: Option<(Status, Status)>) -> String {
        let line = format!(
            "Wysłano pismo „{}” ({}) {}; doręczone {}. Termin odpowiedzi: {}.",
            s.title,
            s.via.label(),
            format::date(s.sent_on),
            format::date(s.delivered_on),
            format::date(s.reply_due)
        );
        match moved {
            Some((from, to)) => format!("{line} Stan: {} → {}.", from.label(), to.label()),
            None => line,
        }
    }

    /// The office's notice of a longer deadline.
    pub fn notice(notified_on: Date, reply_due: Date) -> String {
        format!(
            "Urząd powiadomił {} o przedłużeniu terminu; termin odpowiedzi: {}.",
            format::date(notified_on),
            format::date(reply_due)
        )
    }

    /// The office's reply, with the move of the case's status.
    pub fn reply(title: &str, replied_on: Date, from: Status, to: Status, note: &str) -> String {
        let line = format!(
            "Odpowiedź urzędu na pismo „{title}” z {}. Stan: {} → {}.",
            format::date(replied_on),
            from.label(),
            to.label()
        );
        noted(line, note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_case_number_reads_and_writes_as_the_federation_writes_it() {
        let n = CaseNumber {
            prefix: Register::Intervention,
            year: 2024,
            number: 7,
        };
        assert_eq!(n.to_string(), "INT/2024/007");
        assert_eq!(CaseNumber::parse("INT/2024/007"), Some(n));
        assert_eq!(
            CaseNumber::parse("DOR/2025/1234").map(|n| n.to_string()),
            Some("DOR/2025/1234".into())
        );
        for bad in [
            "INT/2024/7",
            "INT/24/007",
            "XYZ/2024/007",
            "INT/2024/000",
            "INT/2024/007/1",
            "INT-2024-007",
        ] {
            assert_eq!(CaseNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_workflow_allows_its_path_and_refuses_jumps() {
        use Status::*;
        assert_eq!(check_move(New, UnderReview, None), Ok(()));
        assert_eq!(check_move(UnderReview, LetterSent, None), Ok(()));
        assert_eq!(check_move(LetterSent, AwaitingReply, None), Ok(()));
        assert_eq!(check_move(AwaitingReply, ReplyReceived, None), Ok(()));
        assert_eq!(
            check_move(ReplyReceived, Closed, Some(Outcome::Resolved)),
            Ok(())
        );
        assert_eq!(check_move(New, Closed, Some(Outcome::Unfounded)), Ok(()));
        assert!(matches!(
            check_move(New, LetterSent, None),
            Err(MoveError::NotAllowed {
                from: "nowa",
                to: "pismo wysłane"
            })
        ));
        assert!(matches!(
            check_move(Closed, New, None),
            Err(MoveError::NotAllowed { .. })
        ));
        assert_eq!(
            check_move(UnderReview, Closed, None),
            Err(MoveError::OutcomeMissing)
        );
        assert_eq!(
            check_move(New, UnderReview, Some(Outcome::Resolved)),
            Err(MoveError::OutcomeTooEarly)
        );
    }

    #[test]
    fn a_reply_is_due_in_fourteen_days_or_two_months_after_a_notice_in_time() {
        use jiff::civil::date;
        // Delivered Wednesday 10 December 2025: the 24th is a holiday.
        assert_eq!(reply_due(date(2025, 12, 10), None), date(2025, 12, 29));
        assert_eq!(
            reply_due(date(2025, 12, 10), Some(date(2025, 12, 22))),
            date(2026, 2, 10),
            "extended by a notice within the 14 days"
        );
        assert_eq!(
            reply_due(date(2025, 12, 10), Some(date(2026, 1, 5))),
            date(2025, 12, 29),
            "a late notice extends nothing"
        );
    }

    proptest! {
        #[test]
        fn every_open_case_can_be_closed_and_a_closed_one_never_moves(
            from in prop::sample::select(Status::ALL.to_vec()),
            to in prop::sample::select(Status::ALL.to_vec()),
        ) {
            if from != Status::Closed {
                prop_assert!(from.may_move_to(Status::Closed));
            }
            prop_assert!(!Status::Closed.may_move_to(to));
            prop_assert!(!from.may_move_to(from), "no move to where it stands");
        }
    }
}
