//! Files attached to public reports: PDF, JPEG or PNG only, told by their
//! content (the first bytes), which must agree with the name's extension,
//! and built as the format says (`file_structure`); at most `MAX_BYTES`
//! each and `MAX_FILES` per report, within a daily `Budget` of bytes per
//! client address and in total. Names are kept and shown without control
//! or format characters (`clean_name`).

use super::file_structure;

vocabulary! {
    /// The kinds of file a report may carry (code: the media type).
    FileType {
        Pdf => "application/pdf", "PDF";
        Jpeg => "image/jpeg", "JPEG";
        Png => "image/png", "PNG";
    }
}

/// The largest file taken: 10 MB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The most files one report takes.
pub const MAX_FILES: usize = 5;
/// The largest form body read (uploads have their own, larger limit).
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;
/// The largest multipart body: a report's files at their largest, and the
/// form around them.
pub const UPLOAD_LIMIT: usize = MAX_FILES * MAX_BYTES + FORM_LIMIT;

impl FileType {
    /// The type the content is, by its signature.
    pub fn of_content(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else {
            None
        }
    }

    /// The type a file name says it is.
    pub fn of_name(name: &str) -> Option<FileType> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(FileType::Pdf),
            "jpg" | "jpeg" => Some(FileType::Jpeg),
            "png" => Some(FileType::Png),
            _ => None,
        }
    }
}

/// Why a file was refused (the message names the file).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("Plik „{0}” jest pusty.")]
    Empty(String),
    #[error("Plik „{0}” jest większy niż 10 MB.")]
    TooLarge(String),
    #[error("Plik „{0}” nie jest plikiem PDF, JPEG ani PNG.")]
    NotAllowed(String),
    #[error("Zawartość pliku „{0}” nie odpowiada jego nazwie (rozszerzeniu).")]
    Mismatch(String),
    #[error(
        "Plik „{0}” nie jest poprawnym plikiem {1}: jest uszkodzony albo tylko zaczyna się \
         jak {1}. Zapisz go ponownie jako {1} i dołącz jeszcze raz."
    )]
    Malformed(String, &'static str),
    #[error("Można dołączyć najwyżej 5 plików.")]
    TooMany,
    #[error(
        "Pliki nie zostały przyjęte: przekroczyłyby dobowy limit załączników wysyłanych \
         z jednego adresu ({0} MB). Wyślij zgłoszenie bez plików albo spróbuj ponownie jutro."
    )]
    AddressBudget(u64),
    #[error(
        "Pliki nie zostały przyjęte: wyczerpało się dobowe miejsce na załączniki zgłoszeń. \
         Wyślij zgłoszenie bez plików albo spróbuj ponownie jutro."
    )]
    TotalBudget,
}

/// Checks one file: not empty, not too large, a PDF, JPEG or PNG by its
/// content, named as what it is, and built as that format is.
pub fn check(name: &str, bytes: &[u8]) -> Result<FileType, Refused> {
    if bytes.is_empty() {
        return Err(Refused::Empty(name.to_owned()));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge(name.to_owned()));
    }
    let content =
        FileType::of_content(bytes).ok_or_else(|| Refused::NotAllowed(name.to_owned()))?;
    match FileType::of_name(name) {
        Some(named) if named == content => {}
        _ => return Err(Refused::Mismatch(name.to_owned())),
    }
    let whole = match content {
        FileType::Pdf => file_structure::is_pdf(bytes),
        FileType::Jpeg => file_structure::is_jpeg(bytes),
        FileType::Png => file_structure::is_png(bytes),
    };
    if whole {
        Ok(content)
    } else {
        Err(Refused::Malformed(name.to_owned(), content.label()))
    }
}

/// Checks a report's files: at most `MAX_FILES`, each by `check`.
pub fn check_all(files: &[(&str, &[u8])]) -> Result<Vec<FileType>, Refused> {
    if files.len() > MAX_FILES {
        return Err(Refused::TooMany);
    }
    files
        .iter()
        .map(|(name, bytes)| check(name, bytes))
        .collect()
}

/// Bytes of files the public may send in a day (`BUDGET_WINDOW`): from
/// one client address, and from everyone together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub per_address: u64,
    pub total: u64,
}

/// Seconds over which a `Budget` is counted.
pub const BUDGET_WINDOW: i64 = 24 * 3600;

const MB: u64 = 1024 * 1024;

impl Budget {
    /// A budget given in megabytes, as the settings give it.
    pub fn from_mb(per_address: u64, total: u64) -> Budget {
        Budget {
            per_address: per_address.saturating_mul(MB),
            total: total.saturating_mul(MB),
        }
    }

    /// Whether `adding` more bytes fit after `by_address` bytes sent from
    /// the address and `by_all` from everyone within the window.
    pub fn check(&self, by_address: u64, by_all: u64, adding: u64) -> Result<(), Refused> {
        if adding == 0 {
            return Ok(());
        }
        if by_address.saturating_add(adding) > self.per_address {
            return Err(Refused::AddressBudget(self.per_address / MB));
        }
        if by_all.saturating_add(adding) > self.total {
            return Err(Refused::TotalBudget);
        }
        Ok(())
    }
}

/// The name a file is kept and shown under: its last path part, without
/// control characters, format characters (among them the bidirectional
/// controls that show "zdjęcie\u{202E}gpj.exe" as "zdjęcieexe.jpg") or
/// line separators, at most 200 characters; "plik" when nothing is left.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_format(*c))
        .take(200)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() || clean.chars().all(|c| c == '.') {
        "plik".to_owned()
    } else {
        clean.to_owned()
    }
}

/// Unicode's format characters (category Cf) and the line and paragraph
/// separators: invisible, and some of them reorder the text that follows.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

#[cfg(test)]
mod tests {
    use super::super::file_structure::samples;
    use super::*;

    const PNG: &[u8] = samples::PNG;

    #[test]
    fn files_are_told_by_their_content_and_must_be_named_for_it() {
        let (pdf, jpeg) = (samples::pdf(), samples::jpeg());
        assert_eq!(check("uchwała.pdf", &pdf), Ok(FileType::Pdf));
        assert_eq!(check("zdjęcie.JPG", &jpeg), Ok(FileType::Jpeg));
        assert_eq!(check("skan.jpeg", &jpeg), Ok(FileType::Jpeg));
        assert_eq!(check("ekran.png", PNG), Ok(FileType::Png));
        assert_eq!(
            check("pismo.pdf", PNG),
            Err(Refused::Mismatch("pismo.pdf".into()))
        );
        assert_eq!(check("pismo", &pdf), Err(Refused::Mismatch("pismo".into())));
        assert_eq!(
            check("program.docx", b"PK\x03\x04"),
            Err(Refused::NotAllowed("program.docx".into()))
        );
        assert_eq!(
            check("udaje.pdf", b"<html>%PDF-"),
            Err(Refused::NotAllowed("udaje.pdf".into()))
        );
        assert_eq!(
            check("pusty.pdf", b""),
            Err(Refused::Empty("pusty.pdf".into()))
        );
    }

    #[test]
    fn a_signature_followed_by_something_else_is_refused_as_malformed() {
        let html = b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>";
        let refused = check("uchwała.pdf", html);
        assert_eq!(
            refused,
            Err(Refused::Malformed("uchwała.pdf".into(), "PDF"))
        );
        assert_eq!(
            refused.map_err(|e| e.to_string()),
            Err(
                "Plik „uchwała.pdf” nie jest poprawnym plikiem PDF: jest uszkodzony albo \
                 tylko zaczyna się jak PDF. Zapisz go ponownie jako PDF i dołącz jeszcze raz."
                    .into()
            )
        );
        assert_eq!(
            check("a.png", &PNG[..20]),
            Err(Refused::Malformed("a.png".into(), "PNG"))
        );
        assert_eq!(
            check("a.jpg", b"\xFF\xD8\xFF\xE0<html>"),
            Err(Refused::Malformed("a.jpg".into(), "JPEG"))
        );
    }

    #[test]
    fn a_report_takes_five_files_and_refuses_a_sixth() {
        let pdf = samples::pdf();
        let five = [("a.pdf", pdf.as_slice()); 5];
        assert_eq!(check_all(&five).map(|t| t.len()), Ok(5));
        let six = [("a.pdf", pdf.as_slice()); 6];
        assert_eq!(check_all(&six), Err(Refused::TooMany));
        assert_eq!(
            check_all(&[("a.pdf", &pdf), ("b.pdf", PNG)]),
            Err(Refused::Mismatch("b.pdf".into()))
        );
    }

    #[test]
    fn a_file_over_ten_megabytes_is_refused_and_one_at_the_limit_taken() {
        let mut big = samples::pdf();
        big.resize(MAX_BYTES, b' ');
        assert_eq!(check("duży.pdf", &big), Ok(FileType::Pdf));
        big.push(b' ');
        assert_eq!(
            check("duży.pdf", &big),
            Err(Refused::TooLarge("duży.pdf".into()))
        );
        assert_eq!(
            Refused::TooLarge("duży.pdf".into()).to_string(),
            "Plik „duży.pdf” jest większy niż 10 MB."
        );
    }

    #[test]
    fn the_budget_counts_per_address_and_in_total() {
        let b = Budget::from_mb(10, 30);
        assert_eq!(b.check(0, 0, 10 * MB), Ok(()));
        assert_eq!(b.check(1, 0, 10 * MB), Err(Refused::AddressBudget(10)));
        assert_eq!(b.check(0, 25 * MB, 6 * MB), Err(Refused::TotalBudget));
        assert_eq!(
            b.check(u64::MAX, u64::MAX, 0),
            Ok(()),
            "no files, no budget"
        );
    }

    #[test]
    fn names_lose_controls_and_bidirectional_marks() {
        assert_eq!(clean_name("zdjęcie\u{202E}gpj.exe"), "zdjęciegpj.exe");
        assert_eq!(
            clean_name("a\u{2066}b\u{2069}c\u{200E}d\u{200F}e\u{061C}f\u{202A}.pdf"),
            "abcdef.pdf"
        );
        assert_eq!(clean_name("C:\\Users\\ala\\skan\u{0}.pdf"), "skan.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("\u{FEFF}\u{200B}"), "plik");
        assert_eq!(clean_name(".."), "plik");
        assert_eq!(clean_name("Uchwała nr 4.pdf"), "Uchwała nr 4.pdf");
    }
}
