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
    ("urzad", "nazwa JST, do której idzie pismo"),
    ("adres_urzedu", "adres urzędu z karty JST"),
    ("znak", "znak sprawy, np. INT/2026/001"),
    ("kategoria", "kategoria zgłoszenia"),
    ("opis", "opis sprawy ze zgłoszenia"),
    (
        "zglaszajacy",
        "kto zgłosił: nazwa organizacji tylko za zgodą zgłaszającego",
    ),
    ("data_zgloszenia", "data zgłoszenia"),
    ("poprzednie_pismo", "data poprzedniego pisma w sprawie"),
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

/// Who reported, as a letter may say it: the organisation only when the
/// reporter allowed it.
pub fn reporter(reveal: bool, organisation: &str) -> String {
    if reveal {
        organisation.to_owned()
    } else {
        "organizacja pozarządowa działająca na Państwa terenie (jej dane pozostają do naszej \
         wiadomości)"
            .to_owned()
    }
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
        assert!(reporter(true, "Stowarzyszenie Razem").contains("Stowarzyszenie Razem"));
        assert!(!reporter(false, "Stowarzyszenie Razem").contains("Razem"));
    }

    #[test]
    fn a_long_letter_runs_over_pages_and_keeps_polish_letters() {
        let letter = |paragraphs: usize| Letter {
            sender: vec!["Federacja Mazowia".into()],
            recipient: vec!["Gmina miejska Płońsk".into(), "ul. Płocka 39".into()],
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
