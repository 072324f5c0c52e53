//! Letters to a JST: templates in Markdown with placeholders, filled from
//! the case, and the letter as a PDF on the federation's letterhead.

use jiff::civil::Date;

use crate::pdf::{Align, Document, PdfError, Weight, A4};

vocabulary! {
    /// How a letter went to the office.
    SentVia {
        Email => "email", "e-mail";
        Epuap => "epuap", "ePUAP";
        Post => "post", "poczta";
    }
}

/// The placeholders a template may use, with what each stands for.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "urzad",
        "organ JST, do którego idzie pismo, np. Wójt Gminy Płońsk",
    ),
    ("adres_urzedu", "nazwa i adres urzędu z karty JST"),
    ("znak", "znak sprawy, np. INT/2026/001"),
    (
        "kategoria",
        "czego dotyczy sprawa, w dopełniaczu: „w sprawie {{kategoria}}”",
    ),
    (
        "opis",
        "opis ze zgłoszenia (akapit „W zgłoszeniu czytamy: …”) tylko za zgodą zgłaszającego, \
         inaczej zdanie, że treść zgłoszenia pozostaje do naszej wiadomości",
    ),
    (
        "zglaszajacy",
        "kto zgłosił, w mianowniku: „Sprawę zgłosiła nam {{zglaszajacy}}.”; nazwa organizacji \
         tylko za zgodą zgłaszającego",
    ),
    ("data_zgloszenia", "data zgłoszenia"),
    ("poprzednie_pismo", "data poprzedniego pisma w sprawie"),
    (
        "email_nadawcy",
        "adres e-mail, na który urząd ma odpowiedzieć",
    ),
    (
        "bezczynnosc",
        "pouczenie o skardze na bezczynność, gdy poprzednie pismo było wnioskiem o informację \
         publiczną (inaczej nic)",
    ),
];

/// Replaces `{{name}}` by its value; unknown placeholders stay as written,
/// so whoever reads the draft sees them.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Who reported, as the subject of a sentence ("Sprawę zgłosiła nam …"):
/// a feminine noun phrase in the nominative, so that it agrees whichever
/// form it takes; the organisation's own name, which cannot be inflected,
/// stands in quotes after "organizacja pozarządowa". Named only when the
/// reporter allowed it.
pub fn reporter(reveal: bool, organisation: &str) -> String {
    let name = organisation.trim();
    if reveal && !name.is_empty() {
        format!("organizacja pozarządowa „{name}”")
    } else {
        "organizacja pozarządowa działająca na Państwa terenie, która prosiła, by jej nazwa \
         pozostała do naszej wiadomości"
            .to_owned()
    }
}

/// The reporter's description as a paragraph of a letter: quoted only when
/// they allowed it, otherwise a sentence that says so without giving it.
pub fn description(share: bool, text: &str) -> String {
    let text = text.trim();
    if share && !text.is_empty() {
        // One paragraph: the letter's Markdown would split it at blank lines.
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        format!("W zgłoszeniu czytamy: „{joined}”")
    } else {
        "Treść zgłoszenia pozostaje do naszej wiadomości; na prośbę zgłaszającej organizacji \
         nie przytaczamy jej w tym piśmie."
            .to_owned()
    }
}

/// What a case is about as a letter says it after "w sprawie" (the
/// genitive), from the code of its category (interventions) or topic
/// (advisory).
pub fn matter(code: &str) -> &'static str {
    match code {
        "programme_not_adopted" => {
            "nieuchwalenia lub braku konsultacji rocznego programu współpracy z organizacjami \
             pozarządowymi"
        }
        "cooperation_rules" => "naruszenia zasad współpracy z organizacjami pozarządowymi",
        "transparency" => "braku przejrzystości współpracy z organizacjami pozarządowymi",
        "open_competition" => "nieprawidłowości w otwartym konkursie ofert",
        "programme" => "rocznego programu współpracy z organizacjami pozarządowymi",
        "competition" => "otwartego konkursu ofert i rozliczenia dotacji",
        "small_grants" => "zlecania realizacji zadań publicznych w trybie art. 19a (małe granty)",
        "consultation" => "konsultacji z organizacjami pozarządowymi",
        "public_information" => "dostępu do informacji publicznej",
        "council" => "rady działalności pożytku publicznego",
        "statute" => "statutu i organów organizacji",
        _ => "współpracy z organizacjami pozarządowymi",
    }
}

/// The notice a reminder ends with when the letter it follows was a
/// request for public information; nothing otherwise.
pub fn inaction_notice(public_information: bool) -> String {
    if public_information {
        "Przypominamy, że nieudostępnienie informacji publicznej w terminie określonym w art. 13 \
         ustawy o dostępie do informacji publicznej stanowi bezczynność, na którą przysługuje \
         skarga do wojewódzkiego sądu administracyjnego."
            .to_owned()
    } else {
        String::new()
    }
}

/// Why the dates of a letter's sending were refused, and which field is
/// wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendingError {
    #[error("Pismo nie mogło zostać wysłane przed datą, którą nosi ({0}). Popraw datę wysłania.")]
    SentBeforeDated(DayText),
    #[error("Data doręczenia nie może być wcześniejsza niż data wysłania ({0}).")]
    DeliveredBeforeSent(DayText),
}

impl SendingError {
    /// The form field the message belongs to.
    pub fn field(self) -> &'static str {
        match self {
            SendingError::SentBeforeDated(_) => "sent_on",
            SendingError::DeliveredBeforeSent(_) => "delivered_on",
        }
    }
}

/// A date as a message prints it ("28 listopada 2026 r.").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayText(pub Date);

impl std::fmt::Display for DayText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} r.", crate::domain::format::date(self.0))
    }
}

/// A letter is sent on or after its own date and delivered on or after
/// it was sent.
pub fn check_sending(
    dated_on: Date,
    sent_on: Date,
    delivered_on: Date,
) -> Result<(), SendingError> {
    if sent_on < dated_on {
        return Err(SendingError::SentBeforeDated(DayText(dated_on)));
    }
    if delivered_on < sent_on {
        return Err(SendingError::DeliveredBeforeSent(DayText(sent_on)));
    }
    Ok(())
}

/// The letterhead: the sender's name, its postal address, the e-mail
/// address replies go to, then any further lines (KRS, phone).
pub fn sender(name: &str, address: &[String], email: &str, more: &[String]) -> Vec<String> {
    let mut lines = vec![name.to_owned()];
    lines.extend(address.iter().filter(|l| !l.trim().is_empty()).cloned());
    if !email.is_empty() {
        lines.push(format!("e-mail: {email}"));
    }
    lines.extend(more.iter().cloned());
    lines
}

/// The addressee block: the organ, its office and the office's postal
/// address (typed with one line each, or with semicolons between them).
pub fn recipient(organ: &str, office: &str, address: &str) -> Vec<String> {
    let mut lines = vec![organ.to_owned()];
    if !office.trim().is_empty() {
        lines.push(office.trim().to_owned());
    }
    lines.extend(
        address
            .split(['\n', ';'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
    );
    lines
}

/// The signature block: the closing, who signs, their function.
pub fn signature(name: &str, function: &str) -> Vec<String> {
    let mut lines = vec!["Z poważaniem".to_owned(), name.to_owned()];
    if !function.trim().is_empty() {
        lines.push(function.trim().to_owned());
    }
    lines
}

/// Everything printed on a letter.
#[derive(Clone, Debug)]
pub struct Letter {
    /// The federation: name first, then address and contact lines.
    pub sender: Vec<String>,
    /// The JST and its office's address lines.
    pub recipient: Vec<String>,
    pub place: String,
    pub dated_on: Date,
    pub reference: String,
    pub title: String,
    pub body_md: String,
    /// Who signs, then their function.
    pub signature: Vec<String>,
}

/// One block of a letter's body.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Block {
    Heading(String),
    Paragraph(String),
    Item(String),
}

/// The Markdown staff write in letters, as blocks: paragraphs, `#`
/// headings and `-` items; emphasis marks are dropped.
fn blocks(md: &str) -> Vec<Block> {
    let plain = |s: &str| s.replace("**", "").replace("__", "").trim().to_owned();
    let mut out = Vec::new();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, out: &mut Vec<Block>| {
        if !paragraph.trim().is_empty() {
            out.push(Block::Paragraph(plain(paragraph)));
        }
        paragraph.clear();
    };
    for line in md.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut paragraph, &mut out);
        } else if let Some(h) = t.strip_prefix('#') {
            flush(&mut paragraph, &mut out);
            out.push(Block::Heading(plain(h.trim_start_matches('#'))));
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush(&mut paragraph, &mut out);
            out.push(Block::Item(plain(item)));
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(t);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

const LEFT: f32 = 70.0;
const RIGHT: f32 = A4.0 - 70.0;
const BOTTOM: f32 = A4.1 - 70.0;
const SIZE: f32 = 11.0;

/// The letter as a PDF: letterhead, place and date, reference, addressee,
/// title, body over as many pages as it needs, signature block.
pub fn pdf(l: &Letter) -> Result<Vec<u8>, PdfError> {
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
    for block in blocks(&l.body_md) {
        let (weight, indent, text) = match &block {
            Block::Heading(t) => (Weight::Bold, 0.0, t.clone()),
            Block::Paragraph(t) => (Weight::Regular, 0.0, t.clone()),
            Block::Item(t) => (Weight::Regular, 14.0, format!("– {t}")),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_stay() {
        let text = fill(
            "Do {{urzad}} w sprawie {{ znak }}: {{nieznany}} i {{ niedomkniety",
            &[
                ("urzad", "Gmina Płońsk".into()),
                ("znak", "INT/2026/001".into()),
            ],
        );
        assert_eq!(
            text,
            "Do Gmina Płońsk w sprawie INT/2026/001: {{nieznany}} i {{ niedomkniety"
        );
    }

    #[test]
    fn the_reporter_is_named_only_when_they_allowed_it() {
        assert_eq!(
            reporter(true, "Stowarzyszenie Razem"),
            "organizacja pozarządowa „Stowarzyszenie Razem”"
        );
        assert!(!reporter(false, "Stowarzyszenie Razem").contains("Razem"));
        // Either form completes "Sprawę zgłosiła nam …" in the nominative.
        for r in [reporter(true, "Fundacja X"), reporter(false, "Fundacja X")] {
            assert!(r.starts_with("organizacja pozarządowa "), "{r}");
        }
    }

    #[test]
    fn the_description_is_quoted_only_when_the_reporter_allowed_it() {
        let text = "Rada nie uchwaliła programu.\n\nNikt nie odpowiada.";
        assert_eq!(
            description(true, text),
            "W zgłoszeniu czytamy: „Rada nie uchwaliła programu. Nikt nie odpowiada.”"
        );
        let withheld = description(false, text);
        assert!(!withheld.contains("Rada"), "{withheld}");
        assert!(withheld.contains("pozostaje do naszej wiadomości"));
    }

    #[test]
    fn every_category_and_topic_reads_after_w_sprawie() {
        use crate::domain::advisory::Topic;
        use crate::domain::cases::Category;
        let codes = Category::ALL
            .iter()
            .map(|c| c.code())
            .chain(Topic::ALL.iter().map(|t| t.code()));
        for code in codes {
            let m = matter(code);
            assert!(
                !m.is_empty() && m.chars().next().is_some_and(char::is_lowercase),
                "{code}"
            );
        }
        assert_eq!(
            matter("open_competition"),
            "nieprawidłowości w otwartym konkursie ofert"
        );
    }

    #[test]
    fn sending_before_the_letters_date_or_delivery_before_sending_is_refused() {
        let d = |day| jiff::civil::date(2026, 12, day);
        assert_eq!(check_sending(d(2), d(2), d(2)), Ok(()));
        assert_eq!(check_sending(d(2), d(3), d(7)), Ok(()));
        let early = check_sending(d(2), d(1), d(3)).unwrap_err();
        assert_eq!(early.field(), "sent_on");
        assert_eq!(
            early.to_string(),
            "Pismo nie mogło zostać wysłane przed datą, którą nosi (2 grudnia 2026 r.). Popraw datę wysłania."
        );
        let late = check_sending(d(2), d(4), d(3)).unwrap_err();
        assert_eq!(late.field(), "delivered_on");
        assert!(late.to_string().contains("4 grudnia 2026 r."));
    }

    #[test]
    fn a_long_letter_runs_over_pages_and_keeps_polish_letters() {
        let letter = |paragraphs: usize| Letter {
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

    #[test]
    fn markdown_becomes_paragraphs_headings_and_items() {
        assert_eq!(
            blocks("# Wniosek\n\nPierwszy\nwiersz **ważny**.\n\n- jeden\n- dwa\n"),
            vec![
                Block::Heading("Wniosek".into()),
                Block::Paragraph("Pierwszy wiersz ważny.".into()),
                Block::Item("jeden".into()),
                Block::Item("dwa".into()),
            ]
        );
    }
}
