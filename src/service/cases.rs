//! Cases and letters: the workflow a case moves through, who may see a
//! reporter's data, the lines of its timeline, and what a letter carries.

use jiff::civil::Date;

use crate::config::Settings;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::cases::{check_move, reply_due, timeline, MoveError, Outcome, Status};
use crate::domain::letters::{self as letter_texts, check_sending, Refused, SentVia};
use crate::domain::records::{self, FieldErrors};
use crate::store::cases::{self, StoredFile};
use crate::store::letters::{self, Letter};
use crate::store::{Db, Result};

/// The letterhead from the configuration; the sender is the project's lead
/// organisation unless `sender_name` says otherwise.
pub fn sender(settings: &Settings, lead_name: &str) -> Vec<String> {
    let name = if settings.sender_name.is_empty() {
        lead_name
    } else {
        &settings.sender_name
    };
    letter_texts::sender(
        name,
        &settings.sender_address,
        &settings.sender_email,
        &settings.letterhead,
    )
}

/// Who signs: the configured signatory, or else the staff member who makes
/// the letter, with the function typed for the letter (none when empty).
pub fn signature(settings: &Settings, staff_name: &str, function: &str) -> Vec<String> {
    let name = if settings.signatory.is_empty() {
        staff_name
    } else {
        &settings.signatory
    };
    letter_texts::signature(name, function)
}

/// Records how and when a letter went and when it reached the office; the
/// reply deadline runs from delivery, which it gives. The case moves to
/// "letter sent" and then "awaiting reply", as the workflow allows from
/// where it stands (a new case is first taken under review by staff).
pub async fn record_sending(
    db: &Db,
    who: i64,
    letter: &Letter,
    sending: (SentVia, Date, Date),
    today: Date,
    now: &str,
) -> Result<std::result::Result<Date, Refused>> {
    let (via, sent_on, delivered_on) = sending;
    if letter.sent_on.is_some() {
        return Ok(Err(Refused::AlreadySent));
    }
    if let Err(e) = check_sending(letter.dated_on, sent_on, delivered_on, today) {
        return Ok(Err(e.into()));
    }
    let s = timeline::Sending {
        title: &letter.title,
        via,
        sent_on,
        delivered_on,
        reply_due: reply_due(delivered_on, None),
    };
    let decide = |from: Status| {
        if from == Status::New {
            return Err(Refused::NotUnderReview);
        }
        check_move(from, Status::LetterSent, None)
            .and_then(|()| check_move(Status::LetterSent, Status::AwaitingReply, None))?;
        Ok(timeline::sent(&s, Some((from, Status::AwaitingReply))))
    };
    let done = letters::record_sending(db, who, letter, &s, decide, now).await?;
    Ok(done.map(|()| s.reply_due))
}

/// Records the office's notice that it needs more time: a notice within
/// the 14 days extends the deadline to two months from delivery; a later
/// one changes nothing (the deadline it gives says which).
pub async fn record_notice(
    db: &Db,
    who: i64,
    letter: &Letter,
    notified_on: Date,
    now: &str,
) -> Result<std::result::Result<Date, Refused>> {
    let Some(delivered) = letter.delivered_on else {
        return Ok(Err(Refused::NotSent));
    };
    if !letter.public_information {
        return Ok(Err(Refused::NotPublicInformation));
    }
    if letter.replied_on.is_some() {
        return Ok(Err(Refused::AlreadyReplied));
    }
    if notified_on < delivered {
        return Ok(Err(Refused::BeforeSending));
    }
    let due = reply_due(delivered, Some(notified_on));
    let body = timeline::notice(notified_on, due);
    letters::record_notice(db, who, letter, notified_on, due, &body, now).await?;
    Ok(Ok(due))
}

/// Records the office's reply (with its file, if any); the case moves to
/// "reply received".
pub async fn record_reply(
    db: &Db,
    who: i64,
    letter: &Letter,
    reply: (Date, &str),
    file: Option<&StoredFile>,
    now: &str,
) -> Result<std::result::Result<(), Refused>> {
    let (replied_on, note) = reply;
    let Some(sent) = letter.sent_on else {
        return Ok(Err(Refused::NotSent));
    };
    if letter.replied_on.is_some() {
        return Ok(Err(Refused::AlreadyReplied));
    }
    if replied_on < sent {
        return Ok(Err(Refused::BeforeSending));
    }
    let decide = |from: Status| {
        check_move(from, Status::ReplyReceived, None)?;
        Ok(timeline::reply(
            &letter.title,
            replied_on,
            from,
            Status::ReplyReceived,
            note,
        ))
    };
    letters::record_reply(db, who, letter, replied_on, file, decide, now).await
}

/// A change of status typed by staff.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MoveForm {
    pub to: String,
    pub outcome: String,
    pub status_note: String,
}

/// Moves a case as staff asked: the new status and outcome checked
/// against the workflow from where the case stands when the change is
/// written; the messages by field otherwise.
pub async fn move_case(
    db: &Db,
    who: i64,
    case: i64,
    f: &MoveForm,
    now: &str,
) -> Result<std::result::Result<(), FieldErrors>> {
    let mut errors = FieldErrors::default();
    let to = Status::from_code(&f.to);
    let outcome = Outcome::from_code(&f.outcome);
    if to.is_none() {
        errors.add("to", "Wybierz nowy stan.");
    }
    if !f.outcome.is_empty() && outcome.is_none() {
        errors.add("outcome", "Wybierz jeden z wyników.");
    }
    records::optional(
        &mut errors,
        "status_note",
        &f.status_note,
        records::MAX_TEXT,
    );
    let Some(to) = to.filter(|_| errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let decide = |from: Status| {
        check_move(from, to, outcome)?;
        Ok(timeline::moved(from, to, outcome, &f.status_note))
    };
    match cases::move_to(db, who, case, to, outcome, decide, now).await? {
        Ok(()) => return Ok(Ok(())),
        Err(e @ MoveError::NotAllowed { .. }) => errors.add("to", e.to_string()),
        Err(e) => errors.add("outcome", e.to_string()),
    }
    Ok(Err(errors))
}

/// The longest internal note.
const MAX_NOTE: usize = 10_000;

/// Adds an internal note to a case; the message if it is empty or too
/// long.
pub async fn add_note(
    db: &Db,
    who: i64,
    case: i64,
    note: &str,
    now: &str,
) -> Result<std::result::Result<(), FieldErrors>> {
    let text = note.trim();
    if text.is_empty() || text.chars().count() > MAX_NOTE {
        let mut errors = FieldErrors::default();
        errors.add("note", "Wpisz treść notatki (najwyżej 10 000 znaków).");
        return Ok(Err(errors));
    }
    cases::add_note(db, who, case, text, now).await?;
    Ok(Ok(()))
}

/// Whether a file of a case may be opened: letters by anyone who sees the
/// case; what the reporter or the office sent (which may hold personal
/// data) only by those who lead cases.
pub fn may_open(staff: &Staff, source: &str) -> bool {
    source == "letter" || may_see_reporter(staff)
}

/// Whether the reporter's contact (name, e-mail, phone) is shown: to those
/// who lead cases.
pub fn may_see_reporter(staff: &Staff) -> bool {
    staff.can(Area::Cases, Action::Change)
}
