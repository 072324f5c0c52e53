//! The attendance sheet ("Lista obecności") that participants sign on the
//! day: the activity, the funder's attribution, a row per participant with
//! a signature column, and spare rows for people added at the door. An
//! activity of several days gets one sheet per day, since funders ask for
//! a signature for each day.

use crate::pdf::{Align, Document, PdfError, Weight, A4};

/// Empty rows after the names, for people who come without registering.
pub const SPARE_ROWS: usize = 5;

#[derive(Clone, Debug)]
pub struct Row {
    /// "Kowalska Anna".
    pub name: String,
    pub affiliation: String,
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub title: String,
    /// One entry per day: "19 maja 2021".
    pub days: Vec<String>,
    pub time: String,
    pub place: String,
    pub trainers: Vec<String>,
    pub organiser: String,
    pub funder: String,
    pub rows: Vec<Row>,
}

const MARGIN: f32 = 40.0;
const ROW: f32 = 26.0;
const COLUMNS: [(&str, f32); 4] = [
    ("Lp.", 30.0),
    ("Imię i nazwisko", 165.0),
    ("Organizacja / instytucja", 170.0),
    ("Podpis", 150.28),
];
const TABLE_BOTTOM: f32 = 760.0;

/// How many rows fit on a page whose table starts at `top`.
fn fits(top: f32) -> usize {
    ((TABLE_BOTTOM - top - ROW) / ROW).floor().max(1.0) as usize
}

/// The sheet as PDF: for each day, as many pages as the rows need.
pub fn pdf(s: &Sheet) -> Result<Vec<u8>, PdfError> {
    let mut d = Document::new(&format!("Lista obecności: {}", s.title))?;
    let lines: Vec<Option<&Row>> = s
        .rows
        .iter()
        .map(Some)
        .chain(std::iter::repeat_n(None, SPARE_ROWS))
        .collect();
    let days: Vec<&str> = if s.days.is_empty() {
        vec![""]
    } else {
        s.days.iter().map(String::as_str).collect()
    };
    let mut first = true;
    for (n, day) in days.iter().enumerate() {
        let mut at = 0;
        let mut page = 1;
        while at < lines.len() || at == 0 {
            if !first {
                d.new_page();
            }
            first = false;
            let top = header(&mut d, s, day, n, days.len(), page);
            let take = fits(top).min(lines.len() - at);
            table(&mut d, top, at, &lines[at..at + take]);
            footer(&mut d, s);
            at += take;
            page += 1;
            if take == 0 {
                break;
            }
        }
    }
    d.finish()
}

/// Draws the heading; returns where the table starts.
fn header(d: &mut Document, s: &Sheet, day: &str, n: usize, days: usize, page: usize) -> f32 {
    let (w, _) = A4;
    d.text(
        Weight::Regular,
        8.5,
        MARGIN,
        40.0,
        Align::Left,
        &s.organiser,
    );
    d.text(
        Weight::Bold,
        18.0,
        w / 2.0,
        72.0,
        Align::Center,
        "LISTA OBECNOŚCI",
    );
    let mut y = d.paragraph(
        Weight::Bold,
        12.0,
        MARGIN,
        96.0,
        w - 2.0 * MARGIN,
        Align::Center,
        &s.title,
    );
    y += 6.0;
    let mut when = day.to_owned();
    if days > 1 {
        when = format!("{when} (dzień {} z {days})", n + 1);
    }
    if !s.time.is_empty() {
        when = format!("{when}, od {}", s.time);
    }
    let mut facts = vec![("Data", when), ("Miejsce", s.place.clone())];
    if !s.trainers.is_empty() {
        facts.push(("Prowadzenie", s.trainers.join(", ")));
    }
    if page > 1 {
        facts.push(("Strona", format!("{page} (ciąg dalszy)")));
    }
    for (label, value) in facts {
        d.text(
            Weight::Bold,
            10.0,
            MARGIN,
            y,
            Align::Left,
            &format!("{label}:"),
        );
        y = d.paragraph(
            Weight::Regular,
            10.0,
            MARGIN + 80.0,
            y,
            w - 2.0 * MARGIN - 80.0,
            Align::Left,
            &value,
        );
    }
    y + 8.0
}

fn table(d: &mut Document, top: f32, first: usize, lines: &[Option<&Row>]) {
    let width: f32 = COLUMNS.iter().map(|(_, w)| w).sum();
    d.rect(MARGIN, top, width, ROW, 0.9);
    let mut x = MARGIN;
    for (label, w) in COLUMNS {
        d.text(Weight::Bold, 9.5, x + 5.0, top + 16.0, Align::Left, label);
        x += w;
    }
    let bottom = top + ROW * (lines.len() as f32 + 1.0);
    for i in 0..=lines.len() + 1 {
        let y = top + ROW * i as f32;
        d.line((MARGIN, y), (MARGIN + width, y), 0.6);
    }
    let mut x = MARGIN;
    d.line((x, top), (x, bottom), 0.6);
    for (_, w) in COLUMNS {
        x += w;
        d.line((x, top), (x, bottom), 0.6);
    }
    for (i, line) in lines.iter().enumerate() {
        let y = top + ROW * (i as f32 + 1.0) + 16.0;
        d.text(
            Weight::Regular,
            9.5,
            MARGIN + 5.0,
            y,
            Align::Left,
            &format!("{}.", first + i + 1),
        );
        if let Some(r) = line {
            let name = fit(d, 9.5, &r.name, COLUMNS[1].1 - 8.0);
            d.text(
                Weight::Regular,
                9.5,
                MARGIN + COLUMNS[0].1 + 5.0,
                y,
                Align::Left,
                &name,
            );
            let aff = fit(d, 8.5, &r.affiliation, COLUMNS[2].1 - 8.0);
            d.text(
                Weight::Regular,
                8.5,
                MARGIN + COLUMNS[0].1 + COLUMNS[1].1 + 5.0,
                y,
                Align::Left,
                &aff,
            );
        }
    }
}

/// Shortens text to the width with an ellipsis.
fn fit(d: &Document, size: f32, text: &str, max: f32) -> String {
    if d.metrics.width(Weight::Regular, size, text) <= max {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && d.metrics.width(Weight::Regular, size, &format!("{out}…")) > max {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

fn footer(d: &mut Document, s: &Sheet) {
    let (w, _) = A4;
    d.paragraph(
        Weight::Regular,
        7.5,
        MARGIN,
        TABLE_BOTTOM + 22.0,
        w - 2.0 * MARGIN,
        Align::Center,
        &s.funder,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: usize, days: usize) -> Sheet {
        Sheet {
            title: "Ustawa o działalności pożytku publicznego w praktyce".into(),
            days: (0..days).map(|d| format!("{} maja 2021", 19 + d)).collect(),
            time: "10:00".into(),
            place: "Płońsk".into(),
            trainers: vec!["Zofia Źdźbło".into()],
            organiser: "Federacja".into(),
            funder: "Projekt finansowany ze środków…".into(),
            rows: (0..rows)
                .map(|i| Row {
                    name: format!("Osoba {i}"),
                    affiliation: "Stowarzyszenie".into(),
                })
                .collect(),
        }
    }

    fn pages(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        let at = text.find("/Count ").unwrap() + 7;
        text[at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn long_lists_continue_on_more_pages_and_every_day_has_its_sheet() {
        let one = pdf(&sheet(10, 1)).unwrap();
        let many = pdf(&sheet(60, 1)).unwrap();
        let three_days = pdf(&sheet(10, 3)).unwrap();
        assert_eq!(pages(&one), 1);
        // 60 names and the spare rows do not fit on one page.
        let per_page = pages(&many);
        assert!((3..=4).contains(&per_page), "{per_page}");
        assert_eq!(pages(&three_days), 3);
    }
}
