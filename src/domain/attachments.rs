//! Files attached to public reports: PDF, JPEG or PNG only, told by their
//! content (the first bytes), which must agree with the name's extension;
//! at most `MAX_BYTES` each and `MAX_FILES` per report.

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
    #[error("Można dołączyć najwyżej 5 plików.")]
    TooMany,
}

/// Checks one file: not empty, not too large, a PDF, JPEG or PNG by its
/// content, and named as what it is.
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
        Some(named) if named == content => Ok(content),
        _ => Err(Refused::Mismatch(name.to_owned())),
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

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];

    #[test]
    fn files_are_told_by_their_content_and_must_be_named_for_it() {
        assert_eq!(check("uchwała.pdf", PDF), Ok(FileType::Pdf));
        assert_eq!(check("zdjęcie.JPG", JPEG), Ok(FileType::Jpeg));
        assert_eq!(check("skan.jpeg", JPEG), Ok(FileType::Jpeg));
        assert_eq!(check("ekran.png", PNG), Ok(FileType::Png));
        assert_eq!(
            check("pismo.pdf", PNG),
            Err(Refused::Mismatch("pismo.pdf".into()))
        );
        assert_eq!(check("pismo", PDF), Err(Refused::Mismatch("pismo".into())));
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
    fn a_report_takes_five_files_and_refuses_a_sixth() {
        let five = [("a.pdf", PDF); 5];
        assert_eq!(check_all(&five).map(|t| t.len()), Ok(5));
        let six = [("a.pdf", PDF); 6];
        assert_eq!(check_all(&six), Err(Refused::TooMany));
        assert_eq!(
            check_all(&[("a.pdf", PDF), ("b.pdf", PNG)]),
            Err(Refused::Mismatch("b.pdf".into()))
        );
    }

    #[test]
    fn a_file_over_ten_megabytes_is_refused_and_one_at_the_limit_taken() {
        let mut big = PDF.to_vec();
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
}
