//! An activity's paper for staff: the attendance sheet to sign on the day
//! (PDF) and every attendee's certificate in one ZIP.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::io::Write;

use super::activities::found;
use super::paths::ACTIVITIES as BASE;
use crate::app::AppState;
use crate::domain::access::{Action, Staff};
use crate::domain::activity::ActivityStatus;
use crate::domain::attendance_sheet::{self, Row, Sheet};
use crate::domain::certificate;
use crate::domain::format::date;
use crate::pdf::PdfError;
use crate::store::{certificates, registrations};
use crate::web::certificates::{pdf_response, Context};
use crate::web::extract::Path;
use crate::web::session::Signed;
use crate::web::{Error, Result};
use jiff::civil::Date;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{BASE}/{{id}}/lista-obecnosci.pdf"), get(sheet))
        .route(
            &format!("{BASE}/{{id}}/zaswiadczenia.zip"),
            get(all_certificates),
        )
}

/// Links to both, for the activity's pages.
pub fn links(id: i64) -> Vec<(String, String)> {
    vec![
        (
            format!("{BASE}/{id}/lista-obecnosci.pdf"),
            "Lista obecności do podpisu (PDF)".into(),
        ),
        (
            format!("{BASE}/{id}/zaswiadczenia.zip"),
            "Zaświadczenia obecnych (ZIP)".into(),
        ),
    ]
}

async fn context(state: &AppState, staff: &Staff, id: i64) -> Result<Context> {
    let r = found(state, staff, id, Action::View).await?;
    Context::load(state, r.activity, r.project_id).await
}

/// Every day from the first to the last, as printed.
fn days(starts_on: Date, ends_on: Date) -> Vec<String> {
    let (mut day, end) = (starts_on, ends_on);
    let mut out = Vec::new();
    while day <= end && out.len() < 31 {
        out.push(date(day));
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

async fn sheet(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let ctx = context(&state, &staff, id).await?;
    let a = &ctx.activity;
    let rows = registrations::sheet_rows(state.db(), id)
        .await?
        .into_iter()
        .map(|(last, first, affiliation)| Row {
            name: format!("{first} {last}"),
            affiliation,
        })
        .collect();
    let s = Sheet {
        title: a.title.clone(),
        days: days(a.starts_on, a.ends_on),
        time: a.start_time.clone(),
        place: ctx.place(),
        trainers: ctx.trainers().to_vec(),
        organiser: ctx.organiser().to_owned(),
        funder: ctx.funder().to_owned(),
        rows,
    };
    Ok(pdf_response(
        attendance_sheet::pdf(&s)?,
        &format!("lista-obecnosci-{}.pdf", a.slug),
    ))
}

async fn all_certificates(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let ctx = context(&state, &staff, id).await?;
    if ctx.activity.status != ActivityStatus::Held {
        return Err(Error::BadRequest(
            "Zaświadczenia wydajemy tylko za działania, które się odbyły: najpierw oznacz działanie jako takie (stan „odbyło się”).".into(),
        ));
    }
    let issued = certificates::issue_all(state.db(), id, state.clock().now()).await?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // PDFs are compressed already.
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    if issued.is_empty() {
        return Err(Error::BadRequest(
            "Na liście obecności nikogo jeszcze nie ma, więc nie ma komu wydać zaświadczeń.".into(),
        ));
    }
    let failed = |e: &dyn std::fmt::Display| Error::Document(PdfError(e.to_string()));
    for c in &issued {
        let c = ctx.certificate(c);
        let bytes = certificate::pdf(&c)?;
        zip.start_file(c.file_name(), options)
            .map_err(|e| failed(&e))?;
        zip.write_all(&bytes).map_err(|e| failed(&e))?;
    }
    let bytes = zip.finish().map_err(|e| failed(&e))?.into_inner();
    let name = format!(
        "attachment; filename=\"zaswiadczenia-{}.zip\"",
        ctx.activity.slug
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response())
}
