//! A small PDF writer for the platform's documents (attendance sheets,
//! certificates): A4 pages of positioned text, lines and boxes, in DejaVu
//! Sans embedded as subsets, so Polish letters print and extract correctly
//! in every viewer. Text is written as CID fonts (Identity-H) with a
//! `ToUnicode` map; coordinates are points from the top-left corner.

use std::collections::BTreeMap;

use flate2::{write::ZlibEncoder, Compression};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::io::Write;

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// The width and height of an A4 page in points.
pub const A4: (f32, f32) = (595.28, 841.89);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    fn data(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR,
            Weight::Bold => BOLD,
        }
    }

    fn face(self) -> Result<ttf_parser::Face<'static>, PdfError> {
        ttf_parser::Face::parse(self.data(), 0).map_err(|e| PdfError(e.to_string()))
    }

    fn resource(self) -> Name<'static> {
        match self {
            Weight::Regular => Name(b"F1"),
            Weight::Bold => Name(b"F2"),
        }
    }

    fn base_name(self) -> Name<'static> {
        // A six-letter tag marks an embedded subset.
        match self {
            Weight::Regular => Name(b"KOALAA+DejaVuSans"),
            Weight::Bold => Name(b"KOALAB+DejaVuSans-Bold"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("nie udało się utworzyć pliku PDF: {0}")]
pub struct PdfError(pub String);

/// Where a line of text is anchored horizontally.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Clone, Debug)]
enum Item {
    Text {
        weight: Weight,
        size: f32,
        x: f32,
        y: f32,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    Box {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
}

/// Measures text; cheap to make, holds the parsed fonts.
pub struct Metrics {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

impl Metrics {
    pub fn new() -> Result<Metrics, PdfError> {
        Ok(Metrics {
            regular: Weight::Regular.face()?,
            bold: Weight::Bold.face()?,
        })
    }

    fn face(&self, w: Weight) -> &ttf_parser::Face<'static> {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The width of `text` in points.
    pub fn width(&self, weight: Weight, size: f32, text: &str) -> f32 {
        let face = self.face(weight);
        let units: u32 = text
            .chars()
            .map(|c| glyph(face, c))
            .map(|g| u32::from(face.glyph_hor_advance(g).unwrap_or(0)))
            .sum();
        units as f32 * size / f32::from(face.units_per_em())
    }

    /// Splits `text` into lines no wider than `max` (a word longer than a
    /// line stays whole on its own line).
    pub fn wrap(&self, weight: Weight, size: f32, text: &str, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && self.width(weight, size, &candidate) > max {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

fn glyph(face: &ttf_parser::Face<'_>, c: char) -> ttf_parser::GlyphId {
    face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0))
}

/// A document being drawn, page by page.
pub struct Document {
    title: String,
    pages: Vec<Vec<Item>>,
    pub metrics: Metrics,
}

impl Document {
    pub fn new(title: &str) -> Result<Document, PdfError> {
        Ok(Document {
            title: title.to_owned(),
            pages: vec![Vec::new()],
            metrics: Metrics::new()?,
        })
    }

    /// Starts a new page; drawing goes there from now on.
    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// One line of text whose baseline is `y` points from the top.
    pub fn text(&mut self, weight: Weight, size: f32, x: f32, y: f32, align: Align, text: &str) {
        let width = self.metrics.width(weight, size, text);
        let x = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        self.push(Item::Text {
            weight,
            size,
            x,
            y,
            text: text.to_owned(),
        });
    }

    /// Wrapped text from baseline `y`; returns the baseline after the last
    /// line.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        weight: Weight,
        size: f32,
        x: f32,
        y: f32,
        max: f32,
        align: Align,
        text: &str,
    ) -> f32 {
        let mut y = y;
        for line in self.metrics.wrap(weight, size, text, max) {
            let at = match align {
                Align::Left => x,
                Align::Center => x + max / 2.0,
                Align::Right => x + max,
            };
            self.text(weight, size, at, y, align, &line);
            y += size * 1.3;
        }
        y
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.push(Item::Line { from, to, width });
    }

    /// A box outline (`gray` < 0) or a filled box of that gray (0 black, 1
    /// white).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, gray: f32) {
        self.push(Item::Box { x, y, w, h, gray });
    }

    /// The finished file.
    pub fn finish(self) -> Result<Vec<u8>, PdfError> {
        let fonts = self.subset_fonts()?;
        let mut pdf = Pdf::new();
        let mut next = Ref::new(1);
        let mut alloc = || next.bump();
        let catalog = alloc();
        let tree = alloc();
        let info = alloc();
        let font_refs: BTreeMap<Weight, Ref> = fonts.keys().map(|w| (*w, alloc())).collect();
        let page_refs: Vec<(Ref, Ref)> = self.pages.iter().map(|_| (alloc(), alloc())).collect();

        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_refs.iter().map(|(p, _)| *p))
            .count(page_refs.len() as i32);
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .producer(TextStr("Koalicja"));

        for ((page_ref, content_ref), items) in page_refs.iter().zip(&self.pages) {
            let mut page = pdf.page(*page_ref);
            page.media_box(Rect::new(0.0, 0.0, A4.0, A4.1))
                .parent(tree)
                .contents(*content_ref);
            let mut resources = page.resources();
            let mut names = resources.fonts();
            for (w, r) in &font_refs {
                names.pair(w.resource(), *r);
            }
            names.finish();
            resources.finish();
            page.finish();
            let content = draw(items, &fonts, &self.metrics);
            pdf.stream(*content_ref, &deflate(&content)?)
                .filter(Filter::FlateDecode);
        }

        for (weight, font) in &fonts {
            let Some(font_ref) = font_refs.get(weight).copied() else {
                continue;
            };
            self.write_font(&mut pdf, &mut next, *weight, font, font_ref)?;
        }
        Ok(pdf.finish())
    }

    /// A font subset of one weight: its Type 0 font at `font_ref`, the CID
    /// font, descriptor, embedded file and `ToUnicode` map after `next`.
    fn write_font(
        &self,
        pdf: &mut Pdf,
        next: &mut Ref,
        weight: Weight,
        font: &Subset,
        font_ref: Ref,
    ) -> Result<(), PdfError> {
        let (cid, descriptor, file, cmap) = (next.bump(), next.bump(), next.bump(), next.bump());
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(font_ref)
            .base_font(weight.base_name())
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(weight.base_name())
            .system_info(system)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid_font
            .widths()
            .consecutive(0, font.widths.iter().copied());
        cid_font.finish();
        let face = self.metrics.face(weight);
        let scale = 1000.0 / f32::from(face.units_per_em());
        let b = face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(weight.base_name())
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                f32::from(b.x_min) * scale,
                f32::from(b.y_min) * scale,
                f32::from(b.x_max) * scale,
                f32::from(b.y_max) * scale,
            ))
            .italic_angle(0.0)
            .ascent(f32::from(face.ascender()) * scale)
            .descent(f32::from(face.descender()) * scale)
            .cap_height(f32::from(face.capital_height().unwrap_or(face.ascender())) * scale)
            .stem_v(if weight == Weight::Bold { 140.0 } else { 80.0 })
            .font_file2(file);
        pdf.stream(file, &deflate(&font.data)?)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), font.data.len() as i32);
        let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Koalicja-UTF16"), system);
        for (new, c) in font.chars.iter().enumerate() {
            if let Some(c) = c {
                unicode.pair(new as u16, *c);
            }
        }
        pdf.cmap(cmap, &unicode.finish());
        Ok(())
    }

    /// One subset per weight used: the glyphs drawn, renumbered from 1.
    fn subset_fonts(&self) -> Result<BTreeMap<Weight, Subset>, PdfError> {
        let mut used: BTreeMap<Weight, BTreeMap<u16, char>> = BTreeMap::new();
        for item in self.pages.iter().flatten() {
            if let Item::Text { weight, text, .. } = item {
                let face = self.metrics.face(*weight);
                let glyphs = used.entry(*weight).or_default();
                for c in text.chars() {
                    glyphs.entry(glyph(face, c).0).or_insert(c);
                }
            }
        }
        let mut fonts = BTreeMap::new();
        for (weight, glyphs) in used {
            let face = self.metrics.face(weight);
            let mut remapper = subsetter::GlyphRemapper::new();
            let mut chars = vec![None];
            for (old, c) in &glyphs {
                let new = remapper.remap(*old);
                if usize::from(new) == chars.len() {
                    chars.push(Some(*c));
                }
            }
            let data = subsetter::subset(weight.data(), 0, &remapper)
                .map_err(|e| PdfError(format!("{e:?}")))?;
            let scale = 1000.0 / f32::from(face.units_per_em());
            let widths = remapper
                .remapped_gids()
                .map(|old| {
                    f32::from(
                        face.glyph_hor_advance(ttf_parser::GlyphId(old))
                            .unwrap_or(0),
                    ) * scale
                })
                .collect();
            let codes = glyphs
                .keys()
                .filter_map(|old| remapper.get(*old).map(|new| (*old, new)))
                .collect();
            fonts.insert(
                weight,
                Subset {
                    data,
                    widths,
                    chars,
                    codes,
                },
            );
        }
        Ok(fonts)
    }
}

struct Subset {
    data: Vec<u8>,
    /// Advance widths by new glyph id, in thousandths of the size.
    widths: Vec<f32>,
    /// The character each new glyph id stands for (none for `.notdef`).
    chars: Vec<Option<char>>,
    /// Old glyph id → new glyph id.
    codes: BTreeMap<u16, u16>,
}

fn draw(items: &[Item], fonts: &BTreeMap<Weight, Subset>, metrics: &Metrics) -> Vec<u8> {
    let mut c = Content::new();
    let height = A4.1;
    for item in items {
        match item {
            Item::Text {
                weight,
                size,
                x,
                y,
                text,
            } => {
                let Some(font) = fonts.get(weight) else {
                    continue;
                };
                let face = metrics.face(*weight);
                let mut encoded = Vec::with_capacity(text.len() * 2);
                for ch in text.chars() {
                    let new = font.codes.get(&glyph(face, ch).0).copied().unwrap_or(0);
                    encoded.extend_from_slice(&new.to_be_bytes());
                }
                c.begin_text();
                c.set_font(weight.resource(), *size);
                c.next_line(*x, height - *y);
                c.show(Str(&encoded));
                c.end_text();
            }
            Item::Line { from, to, width } => {
                c.set_line_width(*width);
                c.move_to(from.0, height - from.1);
                c.line_to(to.0, height - to.1);
                c.stroke();
            }
            Item::Box { x, y, w, h, gray } => {
                if *gray < 0.0 {
                    c.set_line_width(0.8);
                    c.rect(*x, height - *y - *h, *w, *h);
                    c.stroke();
                } else {
                    c.set_fill_gray(*gray);
                    c.rect(*x, height - *y - *h, *w, *h);
                    c.fill_nonzero();
                    c.set_fill_gray(0.0);
                }
            }
        }
    }
    c.finish().to_vec()
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).map_err(|e| PdfError(e.to_string()))?;
    e.finish().map_err(|e| PdfError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_polish_letters_is_a_small_pdf_with_both_fonts_embedded() {
        let mut d = Document::new("Próba").unwrap();
        d.text(
            Weight::Bold,
            20.0,
            100.0,
            100.0,
            Align::Left,
            "Zażółć gęślą jaźń",
        );
        d.text(Weight::Regular, 10.0, 100.0, 130.0, Align::Center, "ŁÓDŹ");
        d.new_page();
        d.rect(50.0, 50.0, 100.0, 20.0, -1.0);
        let pdf = d.finish().unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"));
        assert!(text.contains("DejaVuSans-Bold"));
        assert!(text.contains("/ToUnicode"));
        assert!(text.contains("/Count 2"));
        // Subsets, not the 700 KB fonts.
        assert!(pdf.len() < 40_000, "{} bytes", pdf.len());
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let m = Metrics::new().unwrap();
        let lines = m.wrap(
            Weight::Regular,
            12.0,
            "Współpraca organizacji pozarządowych z jednostkami samorządu terytorialnego",
            200.0,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(m.width(Weight::Regular, 12.0, l) <= 200.0, "{l}");
        }
        assert_eq!(
            lines.join(" "),
            "Współpraca organizacji pozarządowych z jednostkami samorządu terytorialnego"
        );
    }
}
