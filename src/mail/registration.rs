//! The e-mails of registration, in Polish, as plain text with an HTML
//! alternative: the confirmation request, a place (with the `.ics`), the
//! waitlist, a promotion from the waitlist, a cancellation. Every one
//! carries the link where the registration can be cancelled.

use crate::domain::format;
use crate::domain::registration::{Status, CONFIRM_WITHIN_HOURS};
use crate::store::outbox::{Attachment, Message};

/// A training or an event as a sentence names it, in the cases the
/// e-mails and pages need ("na szkolenie", "o szkoleniu", "strona
/// szkolenia").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Named {
    /// Nominative: "szkolenie", "wydarzenie".
    pub nominative: &'static str,
    /// Accusative: "(zapis na) szkolenie".
    pub accusative: &'static str,
    /// Genitive: "(strona) szkolenia".
    pub genitive: &'static str,
    /// Locative: "(o, w) szkoleniu".
    pub locative: &'static str,
}

pub const TRAINING: Named = Named {
    nominative: "szkolenie",
    accusative: "szkolenie",
    genitive: "szkolenia",
    locative: "szkoleniu",
};

pub const EVENT: Named = Named {
    nominative: "wydarzenie",
    accusative: "wydarzenie",
    genitive: "wydarzenia",
    locative: "wydarzeniu",
};

/// How an activity of `kind` is named: trainings and workshops are
/// "szkolenie", the rest "wydarzenie".
pub fn named(kind: crate::domain::activity::ActivityKind) -> Named {
    if kind.is_training() {
        TRAINING
    } else {
        EVENT
    }
}

/// What the e-mails say about the activity.
#[derive(Clone, Debug)]
pub struct About {
    /// A training or an event.
    pub named: Named,
    pub title: String,
    /// "19–21 maja 2021, od 10:00".
    pub when: String,
    pub place: String,
    /// The activity's public page.
    pub url: String,
    /// Sent only to people with a place.
    pub online_link: Option<String>,
    /// The activity as an iCalendar file (in e-mails to people with a
    /// place).
    pub ics: String,
}

/// The page of one registration (confirm, cancel).
pub fn registration_url(base_url: &str, token: &str) -> String {
    format!("{base_url}/zapisy/{token}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The HTML form of a plain-text e-mail: paragraphs, links made clickable.
fn html(text: &str) -> String {
    let mut out = String::from("<!DOCTYPE html><html lang=\"pl\"><body>");
    for para in text.split("\n\n") {
        let words: Vec<String> = para
            .split(' ')
            .map(|w| {
                if w.starts_with("http://") || w.starts_with("https://") {
                    // A full stop or comma after an address is not part of it.
                    let url = w.trim_end_matches(['.', ',', ';', ':', ')']);
                    format!(
                        "<a href=\"{0}\">{0}</a>{1}",
                        escape(url),
                        escape(&w[url.len()..])
                    )
                } else {
                    escape(w)
                }
            })
            .collect();
        out.push_str(&format!("<p>{}</p>", words.join(" ").replace('\n', "<br>")));
    }
    out.push_str("</body></html>");
    out
}

/// A message of plain text with its HTML form.
pub(super) fn message(
    to: &str,
    subject: String,
    text: String,
    attachment: Option<Attachment>,
) -> Message {
    Message {
        recipient: to.to_owned(),
        subject,
        body_html: Some(html(&text)),
        body_text: text,
        attachment,
    }
}

fn details(a: &About) -> String {
    format!(
        "{}\nTermin: {}\nMiejsce: {}\nStrona {}: {}",
        a.title, a.when, a.place, a.named.genitive, a.url
    )
}

/// "48 godzin" as the mails and pages say how long a registration waits
/// for its confirmation ("w ciągu 48 godzin").
pub fn confirm_within() -> String {
    format::count(CONFIRM_WITHIN_HOURS, format::nouns::HOUR_GENITIVE)
}

/// Asks to confirm a new registration.
pub fn confirmation_request(base_url: &str, a: &About, to: &str, token: &str) -> Message {
    let link = registration_url(base_url, token);
    message(
        to,
        format!("Potwierdź zapis: {}", a.title),
        format!(
            "Dzień dobry,\n\nten adres e-mail został zapisany na {}:\n{}\n\n\
             Aby potwierdzić zapis, otwórz stronę {link} i wybierz „Potwierdzam zapis”. \
             Jeśli zapis nie zostanie potwierdzony w ciągu {}, wygaśnie.\n\n\
             Jeśli to nie Ty, zignoruj tę wiadomość: bez potwierdzenia nikt nie zajmie miejsca \
             w Twoim imieniu.",
            a.named.accusative,
            details(a),
            confirm_within()
        ),
        None,
    )
}

/// To the owner of an address registered again for the same activity:
/// the existing registration's link and where it stands (only its owner
/// learns that).
pub fn already_registered(
    base_url: &str,
    a: &About,
    status: Status,
    to: &str,
    token: &str,
) -> Message {
    let link = registration_url(base_url, token);
    let next = match status {
        Status::Pending => format!(
            "Zapis czeka na potwierdzenie. Aby go potwierdzić, otwórz stronę {link} i wybierz \
             „Potwierdzam zapis”. Jeśli nie zostanie potwierdzony w ciągu {} od wysłania \
             pierwszego formularza, wygaśnie.",
            confirm_within()
        ),
        Status::Confirmed => format!(
            "Zapis jest potwierdzony: masz miejsce. Jeśli nie możesz przyjść, zrezygnuj na stronie \
             {link} — zwolnisz miejsce dla innej osoby."
        ),
        _ => format!(
            "Jesteś na liście rezerwowej; napiszemy, gdy zwolni się miejsce. Jeśli już nie chcesz \
             czekać, zrezygnuj na stronie {link}."
        ),
    };
    message(
        to,
        format!("Twój zapis: {}", a.title),
        format!(
            "Dzień dobry,\n\nten adres e-mail jest już zapisany na {}:\n{}\n\n\
             Formularz zapisu z tym adresem wysłano jeszcze raz, ale drugi zapis nie jest \
             potrzebny.\n\n{next}\n\nJeśli to nie Ty, zignoruj tę wiadomość: zapis zostaje \
             bez zmian.",
            a.named.accusative,
            details(a)
        ),
        None,
    )
}

/// Tells where a registration now stands: `Confirmed` (a place, also after
/// a promotion when `promoted`), `Waitlisted` or `Cancelled`.
pub fn status_change(
    base_url: &str,
    a: &About,
    status: Status,
    promoted: bool,
    to: &str,
    token: &str,
) -> Message {
    let link = registration_url(base_url, token);
    let cancel = format!(
        "Jeśli nie możesz przyjść, zrezygnuj na stronie {link} — zwolnisz miejsce dla innej osoby."
    );
    match status {
        Status::Confirmed => {
            let online = a
                .online_link
                .as_ref()
                .map(|l| format!("\n\nŁącze do spotkania online: {l}"))
                .unwrap_or_default();
            let opening = if promoted {
                "zwolniło się miejsce, więc przenieśliśmy Cię z listy rezerwowej na listę uczestników"
            } else {
                "Twój zapis jest potwierdzony, masz miejsce na liście uczestników"
            };
            message(
                to,
                format!("{}: {}", if promoted { "Masz miejsce" } else { "Zapis potwierdzony" }, a.title),
                format!(
                    "Dzień dobry,\n\n{opening}:\n{}{online}\n\n\
                     W załączniku jest plik do kalendarza (.ics).\n\n{cancel}",
                    details(a)
                ),
                Some(Attachment {
                    name: format!("{}.ics", a.named.nominative),
                    mime: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                    content: a.ics.clone(),
                }),
            )
        }
        Status::Waitlisted => message(
            to,
            format!("Lista rezerwowa: {}", a.title),
            format!(
                "Dzień dobry,\n\nwszystkie miejsca są zajęte, więc wpisaliśmy Cię na listę rezerwową:\n{}\n\n\
                 Gdy ktoś zrezygnuje, jego miejsce dostanie pierwsza osoba z listy, a my napiszemy do niej \
                 o tym.\n\nJeśli już nie chcesz czekać, zrezygnuj na stronie {link}.",
                details(a)
            ),
            None,
        ),
        _ => message(
            to,
            format!("Rezygnacja przyjęta: {}", a.title),
            format!(
                "Dzień dobry,\n\nprzyjęliśmy Twoją rezygnację z udziału w {}:\n{}\n\n\
                 Zapraszamy na inne szkolenia i wydarzenia.",
                a.named.locative,
                details(a)
            ),
            None,
        ),
    }
}

/// Reminds a confirmed participant two days before.
pub fn reminder(base_url: &str, a: &About, to: &str, token: &str) -> Message {
    let link = registration_url(base_url, token);
    let online = a
        .online_link
        .as_ref()
        .map(|l| format!("\n\nŁącze do spotkania online: {l}"))
        .unwrap_or_default();
    message(
        to,
        format!("Przypomnienie: {}", a.title),
        format!(
            "Dzień dobry,\n\nprzypominamy o {}, na które masz miejsce:\n{}{online}\n\n\
             Jeśli nie możesz przyjść, zrezygnuj na stronie {link} — zwolnisz miejsce dla innej osoby.",
            a.named.locative,
            details(a)
        ),
        None,
    )
}

/// Thanks a participant after the activity and asks for feedback.
pub fn thank_you(base_url: &str, a: &About, to: &str, token: &str) -> Message {
    let form = format!("{}/opinia", registration_url(base_url, token));
    let certificate = format!("{}/zaswiadczenie.pdf", registration_url(base_url, token));
    message(
        to,
        format!("Dziękujemy za udział: {}", a.title),
        format!(
            "Dzień dobry,\n\ndziękujemy za udział w {}:\n{}\n\n\
             Twoje zaświadczenie o udziale (PDF, z numerem do sprawdzenia online):\n{certificate}\n\n\
             Powiedz nam, jak było: trzy oceny i komentarz, anonimowo, zajmie to minutę:\n{form}",
            a.named.locative,
            details(a)
        ),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about() -> About {
        About {
            named: TRAINING,
            title: "Szkolenie <z> ustawy".into(),
            when: "28 marca 2026, od 10:00".into(),
            place: "Płońsk".into(),
            url: "https://example.org/szkolenia/x".into(),
            online_link: None,
            ics: "BEGIN:VCALENDAR".into(),
        }
    }

    #[test]
    fn every_message_links_to_the_registration_and_escapes_html() {
        for (status, promoted) in [
            (Status::Confirmed, false),
            (Status::Confirmed, true),
            (Status::Waitlisted, false),
        ] {
            let m = status_change(
                "https://k.example",
                &about(),
                status,
                promoted,
                "a@example.org",
                "T0K",
            );
            assert!(
                m.body_text.contains("https://k.example/zapisy/T0K"),
                "{status:?}"
            );
            let html = m.body_html.unwrap_or_default();
            assert!(html.contains("Szkolenie &lt;z&gt; ustawy"), "{html}");
            assert!(
                html.contains("<a href=\"https://k.example/zapisy/T0K\">"),
                "{html}"
            );
        }
        let placed = status_change(
            "https://k.example",
            &about(),
            Status::Confirmed,
            false,
            "a@example.org",
            "T0K",
        );
        assert!(placed.attachment.is_some_and(|a| a.name.ends_with(".ics")));
    }

    #[test]
    fn every_message_greets_without_a_name_and_counts_hours_in_polish() {
        let a = about();
        let base = "https://k.example";
        let to = "anna@example.org";
        let mut all = vec![
            confirmation_request(base, &a, to, "T0K"),
            reminder(base, &a, to, "T0K"),
            thank_you(base, &a, to, "T0K"),
        ];
        for status in [Status::Pending, Status::Confirmed, Status::Waitlisted] {
            all.push(already_registered(base, &a, status, to, "T0K"));
        }
        for (status, promoted) in [
            (Status::Confirmed, false),
            (Status::Confirmed, true),
            (Status::Waitlisted, false),
            (Status::Cancelled, false),
        ] {
            all.push(status_change(base, &a, status, promoted, to, "T0K"));
        }
        for m in &all {
            assert!(
                m.body_text.starts_with("Dzień dobry,\n\n"),
                "{}",
                m.body_text
            );
            // A cancelled registration has nothing left to do on its page.
            let cancelled = m.subject.starts_with("Rezygnacja przyjęta");
            assert_eq!(
                m.body_text.contains("/zapisy/T0K"),
                !cancelled,
                "{}",
                m.body_text
            );
        }
        assert!(all[0].body_text.contains("w ciągu 48 godzin, wygaśnie"));
        // A training is named a training in every message, never an event.
        for m in &all {
            let named = m.body_text.replace("inne szkolenia i wydarzenia", "");
            assert!(!named.contains("wydarzeni"), "{}", m.body_text);
        }
        assert!(all[0].body_text.contains("zapisany na szkolenie:"));
        assert!(all[0].body_text.contains("Strona szkolenia: "));
        assert!(all[1]
            .body_text
            .contains("przypominamy o szkoleniu, na które"));
        assert!(all[2].body_text.contains("za udział w szkoleniu:"));
        assert!(all[3].body_text.contains("już zapisany na szkolenie:"));
        assert!(all[all.len() - 1]
            .body_text
            .contains("z udziału w szkoleniu:"));
        let event = About {
            named: EVENT,
            ..about()
        };
        let m = confirmation_request(base, &event, to, "T0K");
        assert!(
            m.body_text.contains("zapisany na wydarzenie:"),
            "{}",
            m.body_text
        );
        assert!(m.body_text.contains("Strona wydarzenia: "));
        assert!(all[3].body_text.contains("Potwierdzam zapis"));
        assert!(!all[4].body_text.contains("Potwierdzam zapis"));
    }
}
