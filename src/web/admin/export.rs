//! Lists as files: any back-office table as CSV (UTF-8 with BOM, so
//! spreadsheet programs read Polish letters right) or XLSX.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};

use super::ui::Table;
use crate::web::{Error, Result};

/// The most rows one export holds.
pub const MAX_ROWS: i64 = 100_000;

/// Which file a list was asked as, if any (`?format=csv|xlsx`).
pub fn wanted(format: &str) -> Result<Option<&'static str>> {
    match format {
        "" => Ok(None),
        "csv" => Ok(Some("csv")),
        "xlsx" => Ok(Some("xlsx")),
        _ => Err(Error::BadRequest("Dostępne formaty: csv, xlsx.".into())),
    }
}

pub fn csv(table: &Table) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    let fail = |_| Error::BadRequest("Nie udało się utworzyć pliku CSV.".into());
    w.write_record(&table.headers).map_err(fail)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| neutralise(&c.text)))
            .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|_| Error::BadRequest("Nie udało się utworzyć pliku CSV.".into()))
}

use crate::domain::format::spreadsheet_cell as neutralise;

pub fn xlsx(table: &Table) -> Result<Vec<u8>> {
    let fail = |_| Error::BadRequest("Nie udało się utworzyć pliku XLSX.".into());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Lista").map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, h) in table.headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, h, &bold)
            .map_err(fail)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, &cell.text)
                .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

/// The file as a download named `name.csv` or `name.xlsx`.
pub fn respond(table: &Table, format: &str, name: &str) -> Result<Response> {
    let (bytes, mime) = match format {
        "xlsx" => (
            xlsx(table)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => (csv(table)?, "text/csv; charset=utf-8"),
    };
    let disposition = format!("attachment; filename=\"{name}.{format}\"");
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// What a list request asks for: one page of the list, or every row of it
/// as a file (`?format=csv|xlsx`).
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub file: Option<&'static str>,
    pub page: i64,
    pub limit: i64,
    pub offset: i64,
}

impl Window {
    pub fn of(format: &str, page: Option<&str>) -> Result<Window> {
        let file = wanted(format)?;
        let page = crate::web::views::page_number(page)?;
        Ok(match file {
            Some(_) => Window {
                file,
                page,
                limit: MAX_ROWS,
                offset: 0,
            },
            None => Window {
                file,
                page,
                limit: crate::web::views::Pager::PER_PAGE,
                offset: crate::web::views::Pager::offset(page),
            },
        })
    }

    /// The file of the table, when one was asked for.
    pub fn file(&self, table: &Table, name: &str) -> Option<Result<Response>> {
        self.file.map(|format| respond(table, format, name))
    }

    /// Adds the pager and the export links to a page of the list (`base`
    /// is the list's address with its filters).
    pub fn decorate(&self, table: &mut Table, base: &str) {
        table.pager = Some(crate::web::views::Pager::new(
            base,
            "strona",
            self.page,
            table.total,
        ));
        links(table, base);
    }
}

/// Adds the export links of a list (`base` is its address with filters).
pub fn links(table: &mut Table, base: &str) {
    let join = if base.contains('?') { '&' } else { '?' };
    table.exports = vec![
        (format!("{base}{join}format=csv"), "CSV"),
        (format!("{base}{join}format=xlsx"), "XLSX"),
    ];
}
