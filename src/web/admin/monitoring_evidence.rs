//! The evidence of a JST's year in the back office: the documents kept,
//! with their SHA-256 and who checked them when, a form to add one (a
//! PDF, JPEG or PNG checked as report files are) and a button to remove
//! one.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::monitoring::{unit_year, BASE};
use super::ui::{Block, Cell, Field, Form, Kind, Table};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::attachments;
use crate::domain::format;
use crate::domain::monitoring_evidence::{sha256, EvidenceOf};
use crate::domain::records::FieldErrors;
use crate::store::monitoring_evidence::{self as store, Evidence, NewEvidence};
use crate::web::extract::Path;
use crate::web::session::{Signed, Visitor};
use crate::web::{case_files, paths, Error, Result};

fn address(teryt: &str, year: i16) -> String {
    format!("{BASE}/{teryt}/{year}/dowody")
}

/// Size in kB or MB, as lists write it.
pub fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", format::decimal(bytes as f64 / 1024.0 / 1024.0))
    } else {
        format!("{} kB", (bytes + 1023) / 1024)
    }
}

/// What was typed into the form that adds a document (kept when it is
/// refused; the file itself has to be chosen again).
#[derive(Default)]
pub struct Typed {
    pub fact: String,
    pub source_url: String,
    pub checked_on: String,
}

/// The year's documents and the form that adds one.
#[allow(clippy::too_many_arguments)]
pub fn blocks(
    staff: &Staff,
    v: &Visitor,
    teryt: &str,
    year: i16,
    all: &[Evidence],
    typed: &Typed,
    errors: &FieldErrors,
    today: &str,
) -> Vec<Block> {
    let mut t = Table::new(
        &format!("Dowody za rok {year}"),
        &[
            "Dokument",
            "Czego dowodzi",
            "Rozmiar",
            "SHA-256",
            "Źródło",
            "Sprawdzono",
        ],
    );
    let mine: Vec<&Evidence> = all.iter().filter(|e| e.year == year).collect();
    t.total = mine.len() as i64;
    t.csrf = v.csrf.clone();
    let may_change = staff.can(Area::LocalGovernments, Action::Change);
    t.rows = mine
        .iter()
        .map(|e| {
            vec![
                Cell::link(e.name.clone(), paths::evidence(e.id)),
                e.fact.label().into(),
                size(e.size).into(),
                e.sha256.clone().into(),
                if e.source_url.is_empty() {
                    "—".into()
                } else {
                    Cell::link(e.source_url.clone(), e.source_url.clone())
                },
                format!(
                    "{} ({})",
                    e.checked_on
                        .parse()
                        .map_or_else(|_| e.checked_on.clone(), format::date),
                    if e.checked_by.is_empty() {
                        "—"
                    } else {
                        &e.checked_by
                    }
                )
                .into(),
            ]
        })
        .collect();
    t.row_actions = mine
        .iter()
        .map(|e| {
            if may_change {
                vec![(
                    format!("{}/{}/usun", address(teryt, year), e.id),
                    format!("Usuń „{}”", e.name),
                )]
            } else {
                Vec::new()
            }
        })
        .collect();
    let mut blocks = vec![Block::Table(t)];
    if may_change {
        let mut form = Form::post(
            address(teryt, year),
            &v.csrf,
            "Dodaj dowód",
            vec![
                Field::select(
                    "fact",
                    "Czego dowodzi",
                    if typed.fact.is_empty() {
                        "programme"
                    } else {
                        &typed.fact
                    },
                    EvidenceOf::ALL.iter().map(|e| (e.code(), e.label())),
                ),
                Field::new("file", "Dokument (PDF, JPEG albo PNG, do 10 MB)", Kind::File, "")
                    .required()
                    .hint("Np. uchwała z BIP albo strona BIP zapisana jako PDF. Zapiszemy jego skrót SHA-256."),
                Field::text("source_url", "Adres, z którego pochodzi", typed.source_url.clone())
                    .hint("Adres zaczynający się od https://"),
                Field::new(
                    "evidence_checked_on",
                    "Data sprawdzenia dokumentu",
                    Kind::Date,
                    if typed.checked_on.is_empty() {
                        today
                    } else {
                        &typed.checked_on
                    },
                ),
            ],
        )
        .with_errors(errors);
        form.multipart = true;
        blocks.push(Block::Form(form));
    }
    blocks
}

pub async fn upload(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path((code, year)): Path<(String, String)>,
    crate::web::extract::Multipart(multipart): crate::web::extract::Multipart,
) -> Result<Response> {
    let (u, year) = unit_year(&state, &staff, &code, &year, Action::Change).await?;
    let parts = case_files::read(multipart).await?;
    let mut errors = FieldErrors::default();
    let fact = EvidenceOf::from_code(&parts.get("fact"));
    if fact.is_none() {
        errors.add("fact", "Wybierz, czego dowodzi dokument.");
    }
    let source_url =
        crate::domain::records::web_address(&mut errors, "source_url", &parts.get("source_url"));
    let checked_on = match parts.get("evidence_checked_on").trim() {
        "" => state.clock().today_date().to_string(),
        d => crate::domain::records::date(&mut errors, "evidence_checked_on", d),
    };
    let file = match parts.files.as_slice() {
        [one] => Some(one),
        [] => {
            errors.add("file", "Wybierz plik.");
            None
        }
        _ => {
            errors.add("file", "Dodaj jeden plik naraz.");
            None
        }
    };
    let file_type = file.and_then(|f| match attachments::check(&f.name, &f.bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            errors.add("file", e.to_string());
            None
        }
    });
    let (Some(fact), Some(file), Some(file_type), true) =
        (fact, file, file_type, errors.is_empty())
    else {
        // The year's page again, the form as it was sent, its reasons by
        // their fields (the file has to be chosen again).
        let typed = Typed {
            fact: parts.get("fact"),
            source_url: parts.get("source_url"),
            checked_on: parts.get("evidence_checked_on"),
        };
        let mut page =
            super::monitoring::facts_page(&state, &staff, &v, &u, year, "", &typed, &errors)
                .await?;
        // Said first: the form with its reasons is at the page's end.
        page.blocks.insert(
            0,
            Block::Alert(
                "Dowodu nie dodano: popraw formularz „Dodaj dowód” na końcu strony.".into(),
            ),
        );
        let mut response = page.render()?;
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        return Ok(response);
    };
    store::add(
        state.db(),
        &NewEvidence {
            local_government: &u.teryt,
            year,
            fact,
            name: &file.name,
            file_type,
            content: &file.bytes,
            sha256: &sha256(&file.bytes),
            source_url: &source_url,
            checked_on: &checked_on,
            who: staff.account_id,
        },
        state.clock().now(),
    )
    .await?;
    Ok(Redirect::to(&format!("{BASE}/{}/{year}?komunikat=dodano", u.teryt)).into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path((code, year, id)): Path<(String, String, i64)>,
) -> Result<Response> {
    let (u, year) = unit_year(&state, &staff, &code, &year, Action::Change).await?;
    if !store::remove(
        state.db(),
        staff.account_id,
        &u.teryt,
        id,
        state.clock().now(),
    )
    .await?
    {
        return Err(Error::NotFound);
    }
    Ok(Redirect::to(&format!("{BASE}/{}/{year}?komunikat=usunieto", u.teryt)).into_response())
}
