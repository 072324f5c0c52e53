//! Cases and letters: the workflow a case moves through, who may see a
//! reporter's data, the lines of its timeline, and what a letter carries.

use jiff::civil::Date;
use jiff::Timestamp;

use crate::config::Settings;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::cases::{
    check_move, reply_due, timeline, FileSource, MoveError, Outcome, Status,
};
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
    now: Timestamp,
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
    now: Timestamp,
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
    now: Timestamp,
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
    now: Timestamp,
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
    now: Timestamp,
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
pub fn may_open(staff: &Staff, source: FileSource) -> bool {
    source == FileSource::Letter || may_see_reporter(staff)
}

/// Whether the reporter's contact (name, e-mail, phone) is shown: to those
/// who lead cases.
pub fn may_see_reporter(staff: &Staff) -> bool {
    staff.can(Area::Cases, Action::Change)
}

/// A letter printed on the letterhead.
pub mod letter_pdf {
    use crate::domain::letters;
    use crate::pdf::{Align, Document, PdfError, Weight, A4};

    const LEFT: f32 = 70.0;
    const RIGHT: f32 = A4.0 - 70.0;
    const BOTTOM: f32 = A4.1 - 70.0;
    const SIZE: f32 = 11.0;

    /// The letter as a PDF: letterhead, place and date, reference, addressee,
    /// title, body over as many pages as it needs, signature block.
    pub fn pdf(l: &letters::PrintedLetter) -> Result<Vec<u8>, PdfError> {
        let mut d = Document::new(&format!("{} — {}", l.title, l.reference))?;
        let mut y = 60.0;
        for (i, line) in l.sender.iter().enumerate() {
            let (weight, size) = if i == 0 {
                (Weight::Bold, 13.0)
            } else {
                (Weight::Regular, 9.0)
            };
            d.text(weight, size, LEFT, y, Align::Left, line);
            y += size * 1.35;
        }
        d.line((LEFT, y), (RIGHT, y), 0.8);
        y += 28.0;
        d.text(
            Weight::Regular,
            SIZE,
            RIGHT,
            y,
            Align::Right,
            &format!(
                "{}, {} r.",
                l.place,
                crate::domain::format::date(l.dated_on)
            ),
        );
        d.text(
            Weight::Regular,
            SIZE,
            LEFT,
            y,
            Align::Left,
            &format!("Znak: {}", l.reference),
        );
        y += 40.0;
        let column = A4.0 / 2.0 + 20.0;
        for (i, line) in l.recipient.iter().enumerate() {
            let weight = if i == 0 {
                Weight::Bold
            } else {
                Weight::Regular
            };
            y = d.paragraph(weight, SIZE, column, y, RIGHT - column, Align::Left, line);
        }
        y += 30.0;
        y = d.paragraph(
            Weight::Bold,
            12.0,
            LEFT,
            y,
            RIGHT - LEFT,
            Align::Left,
            &l.title,
        );
        y += 10.0;
        y = body(&mut d, y, &l.body_md);
        if y + 30.0 + 16.0 * l.signature.len() as f32 > BOTTOM {
            d.new_page();
            y = 70.0;
        }
        y += 30.0;
        for line in &l.signature {
            d.text(Weight::Regular, SIZE, column, y, Align::Left, line);
            y += 16.0;
        }
        d.finish()
    }

    /// The letter's body from `y` on, pages added as it runs over; where it
    /// ends.
    fn body(d: &mut Document, mut y: f32, body_md: &str) -> f32 {
        for block in letters::blocks(body_md) {
            let (weight, indent, text) = match &block {
                letters::Block::Heading(t) => (Weight::Bold, 0.0, t.clone()),
                letters::Block::Paragraph(t) => (Weight::Regular, 0.0, t.clone()),
                letters::Block::Item(t) => (Weight::Regular, 14.0, format!("– {t}")),
            };
            let lines = d.metrics.wrap(weight, SIZE, &text, RIGHT - LEFT - indent);
            for line in lines {
                if y > BOTTOM {
                    d.new_page();
                    y = 70.0;
                }
                d.text(weight, SIZE, LEFT + indent, y, Align::Left, &line);
                y += SIZE * 1.4;
            }
            y += SIZE * 0.6;
        }
        y
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::letters::PrintedLetter;

        #[test]
        fn a_long_letter_runs_over_pages_and_keeps_polish_letters() {
            let letter = |paragraphs: usize| PrintedLetter {
                sender: vec!["Federacja Mazowia".into()],
                recipient: vec!["Burmistrz Miasta Płońsk".into(), "ul. Płocka 39".into()],
                place: "Warszawa".into(),
                dated_on: jiff::civil::date(2026, 11, 30),
                reference: "INT/2026/001".into(),
                title: "Prośba o wyjaśnienia".into(),
                body_md: vec![
                    "Zażółć gęślą jaźń — akapit o współpracy z samorządem. ".repeat(8);
                    paragraphs
                ]
                .join("\n\n"),
                signature: vec!["Anna Czyżewska".into()],
            };
            let short = pdf(&letter(1)).expect("a PDF");
            let long = pdf(&letter(40)).expect("a PDF");
            assert!(short.starts_with(b"%PDF-"));
            let count = |bytes: &[u8]| {
                let text = String::from_utf8_lossy(bytes);
                text.matches("/Page").count() - text.matches("/Pages").count()
            };
            assert_eq!(count(&short), 1);
            assert!(count(&long) >= 3, "{}", count(&long));
            let text = pdf_extract::extract_text_from_mem(&long).expect("text");
            assert!(text.contains("Zażółć gęślą jaźń"), "{text}");
            assert!(
                text.contains("Anna Czyżewska"),
                "the signature, after the body"
            );
        }
    }
}
