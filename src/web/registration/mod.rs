//! Registration on the public site: the form at `/szkolenia/{slug}/zapis`
//! (and `/wydarzenia/{slug}/zapis`), the page it leads to (check your
//! inbox: the same whatever the address), the page of one registration at
//! `/zapisy/{token}` — reached only through the e-mailed link — where it
//! is confirmed or cancelled, and iCalendar files. Not cached: these pages
//! carry forms with CSRF tokens.

mod calendar;
mod feedback;
mod form;
mod status;

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::admin::ui::{Field, Form, Kind};
use super::extract::{Form as BodyForm, Path, Query};
use super::layout::Layout;
use super::session::{self, Anyone};
use super::views;
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::activity::Gender;
use crate::domain::format;
use crate::domain::ical;
use crate::domain::records::{AffiliationRole, FieldErrors};
use crate::domain::registration::{self, RegistrationForm, Status};
use crate::mail::registration as mails;
use crate::store::activities::{self, Activity};
use crate::store::registrations::{self, Confirmation};

use calendar::*;
use feedback::*;
pub use form::*;
use status::*;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/szkolenia/{slug}/zapis", get(form_page).post(register))
        .route("/wydarzenia/{slug}/zapis", get(form_page).post(register))
        .route("/szkolenia/{slug}/zapis/wyslano", get(sent_page))
        .route("/wydarzenia/{slug}/zapis/wyslano", get(sent_page))
        .route("/zapisy/{token}", get(status_page))
        .route("/zapisy/{token}/potwierdz", get(to_page).post(confirm))
        .route("/zapisy/{token}/rezygnacja", get(to_page).post(cancel))
        .route("/zapisy/{token}/opinia", get(feedback_page).post(feedback))
        .layer(middleware::from_fn_with_state(state, session::layer))
}

/// The iCalendar routes: public and cacheable like the pages. Each
/// activity's file sits beside its page, wherever that is.
pub fn calendar_router() -> Router<AppState> {
    Router::new()
        .route("/szkolenia.ics", get(feed))
        .route("/szkolenia/{slug}/kalendarz.ics", get(one))
        .route("/wydarzenia/{slug}/kalendarz.ics", get(one))
        .route(
            "/dzialania-lokalne/wydarzenie/{slug}/kalendarz.ics",
            get(one),
        )
}

/// Trainings and events are open for registration; other kinds are not.
pub(crate) fn registrable(a: &Activity) -> bool {
    (a.kind.is_training() || a.kind.is_event()) && a.local_work_id.is_none()
}

/// The activity behind `slug`, if people can register for it at all.
/// The registration a link's token names, with its activity; 404 when
/// either is gone.
async fn registered(
    state: &AppState,
    token: &str,
) -> Result<(registrations::Registrant, Arc<Activity>)> {
    let l = registrations::by_token(state.db(), token)
        .await?
        .ok_or(Error::NotFound)?;
    let a = state
        .activities()
        .by_id(state.db(), l.activity_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((l, a))
}

async fn activity(state: &AppState, slug: &str) -> Result<Arc<Activity>> {
    state
        .activities()
        .by_slug(state.db(), slug)
        .await?
        .filter(|a| registrable(a))
        .ok_or(Error::NotFound)
}

/// Whether registration is open today (`service::registrations::open`).
pub(crate) fn open(state: &AppState, a: &Activity) -> bool {
    crate::service::registrations::open(a, state.clock().today_date())
}

pub use crate::service::registrations::event;
