//! Open data and records as CSV files a Polish spreadsheet opens in
//! columns: semicolons between values, UTF-8 with a byte order mark, sent
//! as a download with its name.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{Error, Result};

/// The file of `header` and `rows`, as a download named `name`.
pub fn download<R, S>(
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> Result<Response>
where
    R: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let fail = |_| Error::BadRequest("Nie udało się utworzyć pliku CSV.".into());
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(header).map_err(fail)?;
    for row in rows {
        w.write_record(row).map_err(fail)?;
    }
    let body = w
        .into_inner()
        .map_err(|_| Error::BadRequest("Nie udało się utworzyć pliku CSV.".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
