//! The trip log: add, correct and delete trips; the kilometres counter
//! follows.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::paths::TRIPS as BASE;
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, require};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::format;
use crate::domain::records::{FieldErrors, TripForm};
use crate::store::activity_records;
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list).post(create))
        .route(&format!("{BASE}/{{id}}"), get(edit_page).post(update))
        .route(
            &format!("{BASE}/{{id}}/usun"),
            get(confirm_delete).post(delete),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TripQuery {
    strona: Option<String>,
    format: String,
    komunikat: Option<String>,
}

fn fields(f: &TripForm) -> Vec<Field> {
    vec![
        Field::new("travelled_on", "Data", Kind::Date, f.travelled_on.clone()).required(),
        Field::text("route", "Trasa", f.route.clone())
            .required()
            .hint("Np. Warszawa – Płońsk – Warszawa."),
        Field::new(
            "kilometres",
            "Kilometry",
            Kind::Number,
            f.kilometres.clone(),
        )
        .required(),
    ]
}

/// The trips, a page of them or (for a file) all.
async fn listing(state: &AppState, staff: &Staff, w: &export::Window) -> Result<Table> {
    let found =
        activity_records::trips(state.db(), &staff.scope(Area::Trips), w.limit, w.offset).await?;
    let mut t = table(&found.items, found.total);
    if w.file.is_none() {
        w.decorate(&mut t, BASE);
    }
    Ok(t)
}

fn list_page(staff: &Staff, v: &Visitor, t: Table, f: &TripForm, errors: &FieldErrors) -> Page {
    Page::new("Wyjazdy", Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Heading("Nowy wyjazd".into()))
        .block(Block::Form(
            Form::post(BASE, &v.csrf, "Dodaj wyjazd", fields(f)).with_errors(errors),
        ))
        .block(Block::Table(t))
}

fn table(items: &[activity_records::TripRow], total: i64) -> Table {
    let mut t = Table::new("Wyjazdy", &["Data", "Trasa", "Kilometry"]);
    t.total = total;
    t.rows = items
        .iter()
        .map(|r| {
            vec![
                Cell::link(format::date(r.travelled_on), format!("{BASE}/{}", r.id)),
                r.route.clone().into(),
                Cell::from(r.kilometres.to_string()),
            ]
        })
        .collect();
    t
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<TripQuery>,
) -> Result<Response> {
    require(&staff, Area::Trips, Action::View)?;
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let t = listing(&state, &staff, &w).await?;
    if let Some(file) = w.file(&t, "wyjazdy") {
        return file;
    }
    list_page(&staff, &v, t, &TripForm::default(), &FieldErrors::default())
        .notice(super::notice(q.komunikat.as_deref()))
        .render()
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(f): BodyForm<TripForm>,
) -> Result<Response> {
    require(&staff, Area::Trips, Action::Change)?;
    let project = state
        .site()
        .project
        .as_ref()
        .map(|p| p.id)
        .ok_or(Error::NotFound)?;
    let mut errors = FieldErrors::default();
    match f.validate(&mut errors) {
        Some(trip) => {
            activity_records::change_trip(
                state.db(),
                staff.account_id,
                project,
                None,
                Some(&trip),
                state.clock().now(),
            )
            .await?;
            Ok(Redirect::to(&format!("{BASE}?komunikat=dodano")).into_response())
        }
        None => {
            let t = listing(&state, &staff, &export::Window::of("", None)?).await?;
            invalid(list_page(&staff, &v, t, &f, &errors))
        }
    }
}

/// The trip and its project, if the person may reach it.
async fn found(
    state: &AppState,
    staff: &Staff,
    id: i64,
    action: Action,
) -> Result<(activity_records::TripRow, i64)> {
    require(staff, Area::Trips, action)?;
    let (trip, project) = activity_records::trip(state.db(), id)
        .await?
        .ok_or(Error::NotFound)?;
    if !Staff::reaches(&staff.scope(Area::Trips), None, None, Some(project)) {
        tracing::warn!(
            account = staff.account_id,
            trip = id,
            "access refused: trip out of scope"
        );
        return Err(Error::Forbidden(
            "Nie masz uprawnień do tego wyjazdu.".into(),
        ));
    }
    Ok((trip, project))
}

fn edit_view(staff: &Staff, v: &Visitor, id: i64, f: &TripForm, errors: &FieldErrors) -> Page {
    Page::new("Edycja wyjazdu", Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Form(
            Form::post(format!("{BASE}/{id}"), &v.csrf, "Zapisz zmiany", fields(f))
                .with_errors(errors),
        ))
        .block(Block::Links(vec![
            (
                format!("{}?entity=trip&entity_id={id}", super::paths::AUDIT),
                "Historia zmian".into(),
            ),
            (format!("{BASE}/{id}/usun"), "Usuń wyjazd".into()),
        ]))
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (trip, _) = found(&state, &staff, id, Action::View).await?;
    let f = TripForm {
        travelled_on: trip.travelled_on.to_string(),
        route: trip.route,
        kilometres: trip.kilometres.to_string(),
    };
    edit_view(&staff, &v, id, &f, &FieldErrors::default()).render()
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<TripForm>,
) -> Result<Response> {
    let (_, project) = found(&state, &staff, id, Action::Change).await?;
    let mut errors = FieldErrors::default();
    let Some(trip) = f.validate(&mut errors) else {
        return invalid(edit_view(&staff, &v, id, &f, &errors));
    };
    activity_records::change_trip(
        state.db(),
        staff.account_id,
        project,
        Some(id),
        Some(&trip),
        state.clock().now(),
    )
    .await?;
    Ok(Redirect::to(&format!("{BASE}?komunikat=zapisano")).into_response())
}

async fn confirm_delete(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (trip, _) = found(&state, &staff, id, Action::Change).await?;
    super::confirm(
        &staff,
        &v,
        &format!(
            "Usunąć wyjazd z {} ({}, {} km)?",
            format::date(trip.travelled_on),
            trip.route,
            trip.kilometres
        ),
        &format!("{BASE}/{id}"),
        0,
    )
}

async fn delete(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let (_, project) = found(&state, &staff, id, Action::Change).await?;
    activity_records::change_trip(
        state.db(),
        staff.account_id,
        project,
        Some(id),
        None,
        state.clock().now(),
    )
    .await?;
    Ok(Redirect::to(&format!("{BASE}?komunikat=usunieto")).into_response())
}
