//! The e-mails of advisory and interventions: the confirmation of a report
//! with its case number, and the daily list of overdue replies sent to
//! each person who leads cases.

use super::registration::message;
use crate::domain::format;
use crate::domain::reports::Subject;
use crate::store::letters::Due;
use crate::store::outbox::Message;

/// What was received, as the object of "przyjęliśmy": "Twoją prośbę o
/// doradztwo" or "Twoje zgłoszenie problemu", and what it is about as a
/// sentence of its own ("Temat: …", "Rodzaj problemu: …"), which reads
/// right whatever the label.
pub fn received(subject: Subject) -> (&'static str, String) {
    match subject {
        Subject::Advice(topic) => (
            "Twoją prośbę o doradztwo",
            format!("Temat: {}.", topic.label()),
        ),
        Subject::Problem(category) => (
            "Twoje zgłoszenie problemu ze współpracą z samorządem",
            format!("Rodzaj problemu: {}.", category.label()),
        ),
    }
}

/// Confirms a report to the person who sent it.
pub fn confirmation(
    to: &str,
    number: &str,
    subject: Subject,
    jst_name: Option<&str>,
    base_url: &str,
) -> Message {
    let (what, about_what) = received(subject);
    let about = jst_name
        .map(|name| format!(" Samorząd, którego dotyczy zgłoszenie: {name}."))
        .unwrap_or_default();
    let text = format!(
        "Dzień dobry,\n\nprzyjęliśmy {what} i nadaliśmy sprawie numer {number}. Podawaj go \
         w korespondencji z nami.\n\n{about_what}{about}\n\nOdezwiemy się w ciągu kilku dni \
         roboczych, w wybrany przez Ciebie sposób. Twoich danych nie przekazujemy urzędowi bez \
         Twojej zgody.\n\nInformacje o doradztwie i interwencjach: \
         {base_url}/doradztwo-i-interwencje\n\nZespół doradczy"
    );
    message(to, format!("Przyjęliśmy zgłoszenie {number}"), text, None)
}

/// The overdue replies of one person's cases.
pub fn overdue(to: &str, letters: &[&Due], base_url: &str) -> Message {
    let lines: Vec<String> = letters
        .iter()
        .map(|d| {
            let due = format::date(d.reply_due);
            format!(
                "- {} ({}): „{}”, termin minął {} — {base_url}/admin/sprawy/{}",
                d.number,
                d.jst_name.as_deref().unwrap_or("bez JST"),
                d.title,
                due,
                d.case_id
            )
        })
        .collect();
    let text = format!(
        "Dzień dobry,\n\nw prowadzonych przez Ciebie sprawach minął termin odpowiedzi urzędu na {}:\
         \n\n{}\n\nRozważ przypomnienie albo skargę na bezczynność. Pełna lista terminów: \
         {base_url}/admin/sprawy/terminy",
        format::count(letters.len() as i64, format::nouns::LETTER),
        lines.join("\n")
    );
    message(
        to,
        format!("Minione terminy odpowiedzi: {}", letters.len()),
        text,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::advisory::Topic;
    use crate::domain::cases::Category;

    #[test]
    fn a_confirmation_names_what_was_received_in_words_that_agree() {
        let advice = confirmation(
            "a@example.org",
            "DOR/2026/001",
            Subject::Advice(Topic::Other),
            None,
            "https://k.example",
        );
        assert!(
            advice
                .body_text
                .contains("przyjęliśmy Twoją prośbę o doradztwo i nadaliśmy"),
            "{}",
            advice.body_text
        );
        assert!(advice.body_text.contains("Temat: inny temat."));
        for category in Category::ALL {
            let m = confirmation(
                "a@example.org",
                "INT/2026/001",
                Subject::Problem(*category),
                Some("gmina Jednorożec"),
                "https://k.example",
            );
            let text = &m.body_text;
            assert!(
                text.contains("przyjęliśmy Twoje zgłoszenie problemu ze współpracą z samorządem i"),
                "{text}"
            );
            assert!(
                text.contains(&format!("Rodzaj problemu: {}.", category.label())),
                "{text}"
            );
            assert!(
                !text.contains("Twoją zgłoszenie") && !text.contains('('),
                "{text}"
            );
            assert!(text.contains("Samorząd, którego dotyczy zgłoszenie: gmina Jednorożec."));
        }
    }
}
