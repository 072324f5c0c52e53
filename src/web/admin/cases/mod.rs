//! Cases in the back office: the list, the deadlines dashboard, and a
//! case's page where staff move it through the workflow, lead it, link it,
//! note and attach; its letters are in `letters`.

mod deadlines;
mod list;
mod moves;
mod page;

use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use super::ui::invalid;
use super::{letters, require_unit};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::format;
use crate::domain::records::FieldErrors;
use crate::domain::reports::Subject;
use crate::store::cases::{self, Case};
use crate::web::session::Visitor;
use crate::web::{Error, Result};
pub use deadlines::{summary, SOON_DAYS};
pub use page::page;

pub const BASE: &str = "/admin/sprawy";
pub const DEADLINES: &str = "/admin/sprawy/terminy";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list::list))
        .route(DEADLINES, get(deadlines::deadlines))
        .route(&format!("{BASE}/{{id}}"), get(page::show))
        .route(&format!("{BASE}/{{id}}/stan"), post(moves::move_to))
        .route(&format!("{BASE}/{{id}}/notatka"), post(moves::note))
        .route(&format!("{BASE}/{{id}}/prowadzacy"), post(moves::assign))
        .route(&format!("{BASE}/{{id}}/powiazania"), post(moves::link))
        .route(&format!("{BASE}/{{id}}/pliki"), post(moves::upload))
        .route(
            &format!("{BASE}/{{id}}/pliki/{{file}}"),
            get(moves::download),
        )
        .merge(letters::router())
}

pub fn url(id: i64) -> String {
    format!("{BASE}/{id}")
}

/// What a case is about, in words.
pub fn subject(c: &Case) -> String {
    match c.subject {
        Subject::Advice(topic) => format!("doradztwo: {}", topic.label()),
        Subject::Problem(category) => category.label().to_owned(),
    }
}

fn status_text(c: &Case) -> String {
    match c.outcome {
        Some(o) => format!("{} ({})", c.status.label(), o.label()),
        None => c.status.label().to_owned(),
    }
}

/// An instant as Warsaw's clock showed it: "2026-11-28 13:05".
fn local_time(at: jiff::Timestamp) -> String {
    at.to_zoned(crate::app::warsaw())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The day of an instant, by the UTC calendar it is stored in.
fn day_of(at: jiff::Timestamp) -> String {
    format::date(at.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// The case behind `id`, if the person may do `action` with it (a
/// partner: only cases of JSTs in their areas).
pub async fn found(state: &AppState, staff: &Staff, id: i64, action: Action) -> Result<Case> {
    let c = cases::get(state.db(), id).await?.ok_or(Error::NotFound)?;
    require_unit(staff, Area::Cases, action, c.local_government.as_deref())?;
    Ok(c)
}

/// The case page again with the messages of the form that failed (422)
/// and what was typed into it (`kept`: field names and values).
pub async fn refused(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    c: &Case,
    errors: &FieldErrors,
    kept: &[(&str, &String)],
) -> Result<Response> {
    invalid(page(state, staff, v, c, errors).await?.keep(kept))
}

pub fn done(id: i64, code: &str) -> Response {
    Redirect::to(&format!("{}?komunikat={code}", url(id))).into_response()
}
