//! Whether a file's bytes are built as a PDF, PNG or JPEG is built, not
//! only begin as one: a light structural reading, enough to refuse an
//! HTML page (or anything else) behind a borrowed signature.
//!
//! - PDF: a `%PDF-1.x` (or `2.0`) header, `%%EOF` at the end (trailing
//!   white space allowed), a `startxref` whose offset points at an `xref`
//!   table or a cross-reference stream object (`N G obj`), and at least
//!   one `obj` … `endobj`.
//! - PNG: the signature, an `IHDR` chunk first (13 bytes, a width and a
//!   height), every chunk whole with its CRC right, up to `IEND`.
//! - JPEG: `SOI`, marker segments of the lengths they say, a frame header
//!   (`SOFn`) before the scan (`SOS`), and `EOI` after the scan's data.

/// How far from the end `%%EOF` and `startxref` may be.
const PDF_TAIL: usize = 2048;

/// Whether `bytes` read as a PDF.
pub fn is_pdf(bytes: &[u8]) -> bool {
    pdf_header(bytes) && pdf_xref(bytes).is_some() && has_object(bytes)
}

fn pdf_header(bytes: &[u8]) -> bool {
    match bytes {
        [b'%', b'P', b'D', b'F', b'-', b'1', b'.', d, ..] => d.is_ascii_digit(),
        [b'%', b'P', b'D', b'F', b'-', b'2', b'.', b'0', ..] => true,
        _ => false,
    }
}

/// The offset `startxref` gives, when `%%EOF` ends the file and the
/// offset points at a cross-reference table or stream.
fn pdf_xref(bytes: &[u8]) -> Option<usize> {
    let end = bytes.len() - trailing_space(bytes);
    let body = &bytes[..end];
    if !body.ends_with(b"%%EOF") {
        return None;
    }
    let tail_start = body.len().saturating_sub(PDF_TAIL);
    let tail = &body[tail_start..];
    let at = rfind(tail, b"startxref")? + tail_start + b"startxref".len();
    let rest = &body[at..];
    let rest = &rest[leading_space(rest)..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let offset: usize = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
    let target = bytes.get(offset..at)?;
    let target = &target[leading_space(target)..];
    (target.starts_with(b"xref") || object_header(target)).then_some(offset)
}

/// `N G obj` at the start of `bytes`: an indirect object (here, a
/// cross-reference stream).
fn object_header(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    for _ in 0..2 {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let space = leading_space(rest);
        if space == 0 {
            return false;
        }
        rest = &rest[space..];
    }
    rest.starts_with(b"obj")
}

/// At least one `obj` followed later by `endobj`.
fn has_object(bytes: &[u8]) -> bool {
    let Some(start) = find(bytes, b" obj").or_else(|| find(bytes, b"\nobj")) else {
        return false;
    };
    find(&bytes[start..], b"endobj").is_some()
}

fn is_pdf_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0C' | b'\0')
}

fn leading_space(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| is_pdf_space(**b)).count()
}

fn trailing_space(bytes: &[u8]) -> usize {
    bytes.iter().rev().take_while(|b| is_pdf_space(**b)).count()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Whether `bytes` read as a PNG: chunk after chunk, each whole and with
/// its CRC, `IHDR` first and `IEND` last (bytes after `IEND` are left
/// alone, as readers do).
pub fn is_png(bytes: &[u8]) -> bool {
    let Some(mut rest) = bytes.strip_prefix(PNG_SIGNATURE) else {
        return false;
    };
    let mut first = true;
    loop {
        let Some((kind, data, next)) = png_chunk(rest) else {
            return false;
        };
        if first {
            if kind != b"IHDR" || data.len() != 13 || be32(&data[0..4]) == 0 {
                return false;
            }
            if be32(&data[4..8]) == 0 {
                return false;
            }
            first = false;
        } else if kind == b"IHDR" {
            return false;
        }
        if kind == b"IEND" {
            return true;
        }
        rest = next;
    }
}

/// One chunk: its type, its data and what follows, when it is whole, its
/// type four letters and its CRC right.
fn png_chunk(bytes: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let length = usize::try_from(be32(bytes.get(0..4)?)).ok()?;
    let kind = bytes.get(4..8)?;
    if !kind.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let data = bytes.get(8..8usize.checked_add(length)?)?;
    let crc_at = 8 + length;
    let crc = be32(bytes.get(crc_at..crc_at + 4)?);
    let mut computed = flate2::Crc::new();
    computed.update(kind);
    computed.update(data);
    (computed.sum() == crc).then(|| (kind, data, &bytes[crc_at + 4..]))
}

fn be32(b: &[u8]) -> u32 {
    b.iter().fold(0, |n, byte| (n << 8) | u32::from(*byte))
}

/// Whether `bytes` read as a JPEG: `SOI`, whole marker segments up to the
/// first scan, a frame header before it, and `EOI` after its data (what
/// follows `EOI`, as some cameras append, is left alone).
pub fn is_jpeg(bytes: &[u8]) -> bool {
    let Some(mut rest) = bytes.strip_prefix(&[0xFF, 0xD8]) else {
        return false;
    };
    let mut frame = false;
    loop {
        // Markers may be preceded by fill bytes 0xFF.
        let fill = rest.iter().take_while(|b| **b == 0xFF).count();
        if fill == 0 {
            return false;
        }
        let Some(&marker) = rest.get(fill) else {
            return false;
        };
        rest = &rest[fill + 1..];
        match marker {
            // Standalone markers: TEM, RSTn.
            0x01 | 0xD0..=0xD7 => continue,
            // EOI before any scan, or SOI again: no image.
            0xD8 | 0xD9 | 0x00 => return false,
            _ => {}
        }
        let Some(length) = rest
            .get(0..2)
            .map(|b| usize::from(b[0]) << 8 | usize::from(b[1]))
        else {
            return false;
        };
        if length < 2 || rest.len() < length {
            return false;
        }
        // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC).
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            frame = true;
        }
        rest = &rest[length..];
        if marker == 0xDA {
            return frame && find(rest, &[0xFF, 0xD9]).is_some();
        }
    }
}

#[cfg(test)]
pub(crate) mod samples {
    //! Small files built as their formats say, for tests.

    /// A one-object PDF with its cross-reference table.
    pub fn pdf() -> Vec<u8> {
        let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let first = out.len();
        out.extend_from_slice(b"1 0 obj\n<< /Type /Catalog >>\nendobj\n");
        let xref = out.len();
        out.extend_from_slice(
            format!(
                "xref\n0 2\n0000000000 65535 f \n{first:010} 00000 n \n\
                 trailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            )
            .as_bytes(),
        );
        out
    }

    /// A 1×1 grey PNG.
    pub const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A,
        0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x68,
        0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xCD, 0x72, 0xB6, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    /// An 8×8 grey baseline JPEG: one block, every coefficient zero.
    pub fn jpeg() -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        // DQT: table 0, all ones.
        out.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
        out.extend_from_slice(&[1; 64]);
        // SOF0: 8 bits, 8×8, one component, table 0.
        out.extend_from_slice(&[
            0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,
        ]);
        // DHT: DC table 0 and AC table 0, one code each (category 0, EOB).
        for class in [0x00, 0x10] {
            out.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, class, 1]);
            out.extend_from_slice(&[0; 15]);
            out.push(0x00);
        }
        // SOS, then the block: DC 0 and EOB, two zero bits padded with ones.
        out.extend_from_slice(&[
            0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x3F,
        ]);
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::samples::{jpeg, pdf, PNG};
    use super::*;

    #[test]
    fn a_pdf_is_read_through_its_cross_reference() {
        assert!(is_pdf(&pdf()));
        // What pdf-writer makes (the letters and certificates) too.
        let mut made = pdf();
        made.extend_from_slice(b"\r\n\0\0");
        assert!(is_pdf(&made), "trailing white space is allowed");
        assert!(!is_pdf(b"%PDF-1.7\n<html><script>alert(1)</script></html>"));
        assert!(!is_pdf(
            b"%PDF-1.7\n<html>\n1 0 obj endobj\nstartxref\n0\n%%EOF"
        ));
        let wrong_offset = String::from_utf8_lossy(&pdf()).replace("startxref\n", "startxref\n1");
        assert!(!is_pdf(wrong_offset.as_bytes()));
        assert!(!is_pdf(b"%PDF-3.0\n"));
        let no_eof = &pdf()[..pdf().len() - 6];
        assert!(!is_pdf(no_eof));
    }

    #[test]
    fn the_pdfs_made_here_read_as_pdfs() {
        let mut doc = crate::pdf::Document::new("Próba");
        if let Ok(d) = doc.as_mut() {
            d.text(
                crate::pdf::Weight::Regular,
                12.0,
                50.0,
                700.0,
                crate::pdf::Align::Left,
                "Zażółć",
            );
        }
        let made = doc.and_then(crate::pdf::Document::finish);
        assert!(made.as_ref().is_ok_and(|b| is_pdf(b)));
    }

    #[test]
    fn a_cross_reference_stream_counts_as_a_table() {
        let mut out = b"%PDF-1.5\n".to_vec();
        let xref = out.len();
        out.extend_from_slice(b"2 0 obj\n<< /Type /XRef /Size 3 >>\nstream\n\nendstream\nendobj\n");
        out.extend_from_slice(format!("startxref\n{xref}\n%%EOF").as_bytes());
        assert!(is_pdf(&out));
    }

    #[test]
    fn a_png_is_read_chunk_by_chunk() {
        assert!(is_png(PNG));
        let mut bad_crc = PNG.to_vec();
        bad_crc[30] ^= 1;
        assert!(!is_png(&bad_crc));
        assert!(!is_png(&PNG[..PNG.len() - 12]), "no IEND");
        let mut html = PNG[..8].to_vec();
        html.extend_from_slice(b"<html></html>");
        assert!(!is_png(&html));
        let mut appended = PNG.to_vec();
        appended.extend_from_slice(b"trailing");
        assert!(is_png(&appended));
    }

    #[test]
    fn a_jpeg_is_read_segment_by_segment() {
        assert!(is_jpeg(&jpeg()));
        let truncated = &jpeg()[..jpeg().len() - 2];
        assert!(!is_jpeg(truncated), "no EOI");
        assert!(!is_jpeg(b"\xFF\xD8\xFF\xE0<html></html>\xFF\xD9"));
        let mut no_frame = jpeg();
        // The SOF0 segment made an APP0 one: a scan without a frame.
        let sof = no_frame
            .windows(2)
            .position(|w| w == [0xFF, 0xC0])
            .unwrap_or(0);
        no_frame[sof + 1] = 0xE0;
        assert!(!is_jpeg(&no_frame));
    }
}
