//! The programme of an event, kept by staff: items by day and time, with
//! speakers and short notes about them; shown on the event's public page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::activities::found;
use super::paths::ACTIVITIES as BASE;
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use crate::app::AppState;
use crate::domain::access::{Action, Staff};
use crate::domain::records::{AgendaItem, FieldErrors};
use crate::store::activity_records::Record;
use crate::store::agenda;
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{views, Result};

pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{BASE}/{{id}}/program"), get(page).post(change))
}

fn url(id: i64) -> String {
    format!("{BASE}/{id}/program")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Remove {
    usun: Option<i64>,
    komunikat: Option<String>,
}

async fn view(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    r: &Record,
    f: &AgendaItem,
    errors: &FieldErrors,
) -> Result<Page> {
    let id = r.activity.id;
    let items = agenda::list(state.db(), id).await?;
    let mut t = Table::new(
        "Program",
        &["Dzień", "Godzina", "Punkt programu", "Występują"],
    );
    t.total = items.len() as i64;
    t.csrf = v.csrf.clone();
    for i in &items {
        t.rows.push(vec![
            Cell::from(views::date(&i.item.day)),
            i.item.starts_at.clone().into(),
            i.item.title.clone().into(),
            i.item.speakers.clone().into(),
        ]);
        t.row_actions
            .push(vec![(format!("{}?usun={}", url(id), i.id), "Usuń".into())]);
    }
    let day = if f.day.is_empty() {
        r.activity.starts_on.to_string()
    } else {
        f.day.clone()
    };
    Ok(Page::new(format!("Program: {}", r.activity.title), Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Links(vec![(format!("{BASE}/{id}"), "Wróć do działania".into())]))
        .block(Block::Table(t))
        .block(Block::Heading("Dodaj punkt programu".into()))
        .block(Block::Form(
            Form::post(
                url(id),
                &v.csrf,
                "Dodaj",
                vec![
                    Field::new("day", "Dzień", Kind::Date, day).required(),
                    Field::new("starts_at", "Godzina", Kind::Time, f.starts_at.clone()).required(),
                    Field::text("title", "Punkt programu", f.title.clone()).required(),
                    Field::new("speakers", "Występują (z krótką notą)", Kind::TextArea, f.speakers.clone())
                        .hint("Np. Anna Nowak — radna Płońska, autorka programu współpracy; Jan Kowal — prezes stowarzyszenia."),
                ],
            )
            .with_errors(errors),
        )))
}

async fn page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(q): Query<Remove>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::View).await?;
    view(
        &state,
        &staff,
        &v,
        &r,
        &AgendaItem::default(),
        &FieldErrors::default(),
    )
    .await?
    .notice(super::notice(q.komunikat.as_deref()))
    .render()
}

async fn change(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(q): Query<Remove>,
    BodyForm(f): BodyForm<AgendaItem>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    let now = state.clock().now();
    if let Some(remove) = q.usun {
        agenda::change(state.db(), staff.account_id, id, None, Some(remove), now).await?;
        return Ok(Redirect::to(&format!("{}?komunikat=usunieto", url(id))).into_response());
    }
    let mut errors = FieldErrors::default();
    match f.validate(
        &r.activity.starts_on.to_string(),
        &r.activity.ends_on.to_string(),
        &mut errors,
    ) {
        Some(item) => {
            agenda::change(state.db(), staff.account_id, id, Some(&item), None, now).await?;
            Ok(Redirect::to(&format!("{}?komunikat=dodano", url(id))).into_response())
        }
        None => invalid(view(&state, &staff, &v, &r, &f, &errors).await?),
    }
}
