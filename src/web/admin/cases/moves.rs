//! What staff do with a case: move it through the workflow, note, lead,
//! link, attach files, open them.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{done, found, refused};
use crate::app::AppState;
use crate::domain::access::Action;
use crate::domain::records::FieldErrors;
use crate::service::cases as service;
use crate::store::cases;
use crate::web::admin::pick;
use crate::web::case_files;
use crate::web::extract::{Form as BodyForm, Path};
use crate::web::session::Signed;
use crate::web::{Error, Result};

pub(super) async fn move_to(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<service::MoveForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let now = state.clock().now();
    let errors = match service::move_case(state.db(), staff.account_id, id, &f, now).await? {
        Ok(()) => return Ok(done(id, "zapisano")),
        Err(errors) => errors,
    };
    let kept = [
        ("to", &f.to),
        ("outcome", &f.outcome),
        ("status_note", &f.status_note),
    ];
    refused(&state, &staff, &v, &c, &errors, &kept).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NoteForm {
    note: String,
}

pub(super) async fn note(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<NoteForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let now = state.clock().now();
    match service::add_note(state.db(), staff.account_id, id, &f.note, now).await? {
        Ok(()) => Ok(done(id, "dodano")),
        Err(errors) => refused(&state, &staff, &v, &c, &errors, &[("note", &f.note)]).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AssignForm {
    assignee: String,
}

pub(super) async fn assign(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<AssignForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let people = crate::web::admin::advisory::advisors(&state).await?;
    let chosen = match f.assignee.trim() {
        "" => None,
        typed => match people.iter().find(|a| a.id.to_string() == typed) {
            Some(a) => Some((a.id, a.name.as_str())),
            None => {
                let mut errors = FieldErrors::default();
                errors.add("assignee", "Wybierz osobę z listy.");
                return refused(&state, &staff, &v, &c, &errors, &[]).await;
            }
        },
    };
    cases::assign(
        state.db(),
        staff.account_id,
        id,
        chosen,
        state.clock().now(),
    )
    .await?;
    Ok(done(id, "zapisano"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LinkForm {
    jst: String,
    organisation: String,
    person: String,
}

pub(super) async fn link(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    choices: pick::Choices,
    BodyForm(f): BodyForm<LinkForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let db = state.db();
    let mut errors = FieldErrors::default();
    let jst = pick::jst(db, &f.jst, choices.get("jst"), "jst", &mut errors).await?;
    let organisation = pick::organisation(db, &f.organisation, "organisation", &mut errors).await?;
    let person = if f.person.trim().is_empty() {
        None
    } else {
        pick::person(db, &f.person, "person", &mut errors).await?
    };
    if !errors.is_empty() {
        return refused(
            &state,
            &staff,
            &v,
            &c,
            &errors,
            &[
                ("jst", &f.jst),
                ("organisation", &f.organisation),
                ("person", &f.person),
            ],
        )
        .await;
    }
    cases::link(
        db,
        staff.account_id,
        id,
        jst.as_deref(),
        organisation,
        person,
        state.clock().now(),
    )
    .await?;
    Ok(done(id, "zapisano"))
}

pub(super) async fn upload(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    crate::web::extract::Multipart(multipart): crate::web::extract::Multipart,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let parts = case_files::read(multipart).await?;
    let mut errors = FieldErrors::default();
    if parts.files.is_empty() {
        errors.add("files", "Wybierz plik.");
    } else {
        match case_files::save_all(state.settings(), &parts.files).await? {
            Ok(stored) => {
                let now = state.clock().now();
                // Files of a failed write are swept later
                // (`jobs::orphan_files`): a failed commit may still
                // have happened.
                cases::add_attachments(state.db(), staff.account_id, id, &stored, now).await?;
                return Ok(done(id, "dodano"));
            }
            Err(e) => errors.add("files", e.to_string()),
        }
    }
    refused(&state, &staff, &v, &c, &errors, &[]).await
}

pub(super) async fn download(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response> {
    found(&state, &staff, id, Action::View).await?;
    let a = cases::attachment(state.db(), file)
        .await?
        .filter(|a| a.case_id == id)
        .ok_or(Error::NotFound)?;
    if !service::may_open(&staff, a.source) {
        return Err(Error::Forbidden(
            "Pliki zgłoszenia otwierają tylko osoby prowadzące sprawy.".into(),
        ));
    }
    case_files::download(state.settings(), &a).await
}
