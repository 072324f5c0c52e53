//! Staff accounts, for admins: list, create, change role, areas and access.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::paths::ACCOUNTS as BASE;
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, require, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Role, Staff};
use crate::domain::records::FieldErrors;
use crate::service::accounts::{NotChanged, NotCreated};
use crate::store::accounts;
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list).post(create))
        .route(&format!("{BASE}/{{id}}"), get(edit_page).post(update))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AccountForm {
    email: String,
    name: String,
    role: String,
    areas: String,
    password: String,
    active: Option<String>,
}

fn roles() -> impl Iterator<Item = (&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label()))
}

fn areas_field(value: String) -> Field {
    Field::text("areas", "Obszary (dla partnera)", value)
        .hint("Kody TERYT gmin lub powiatów, po przecinku, np. 1420 (powiat płoński).")
}

/// The codes typed, each once (a city with powiat rights is one area
/// whichever of its codes is typed).
fn parse_areas(text: &str) -> Vec<String> {
    let mut areas: Vec<String> = Vec::new();
    for a in text.split([',', ' ', ';']).map(str::trim) {
        let a = crate::domain::teryt::canonical(a).to_owned();
        if !a.is_empty() && !areas.contains(&a) {
            areas.push(a);
        }
    }
    areas
}

fn table(all: &[accounts::Account]) -> Table {
    let mut t = Table::new(
        "Konta",
        &[
            "Imię i nazwisko",
            "E-mail",
            "Rola",
            "Obszary",
            "Dostęp",
            "Kod z aplikacji",
        ],
    );
    t.total = all.len() as i64;
    t.rows = all
        .iter()
        .map(|a| {
            vec![
                Cell::link(a.name.clone(), format!("{BASE}/{}", a.id)),
                a.email.clone().into(),
                a.role.label().into(),
                a.areas.join(", ").into(),
                (if a.active { "aktywne" } else { "zablokowane" }).into(),
                (if a.has_totp { "tak" } else { "nie" }).into(),
            ]
        })
        .collect();
    t
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    f: &AccountForm,
    errors: &FieldErrors,
    notice: &str,
) -> Result<Page> {
    let mut t = table(&accounts::list(state.db()).await?);
    export::links(&mut t, BASE);
    let email = Field::new("email", "E-mail", Kind::Email, f.email.clone()).required();
    Ok(Page::new("Konta", Some(staff), &v.csrf)
        .section(BASE)
        .notice(notice)
        .block(Block::Table(t))
        .block(Block::Heading("Nowe konto".into()))
        .block(Block::Form(Form::post(
            BASE,
            &v.csrf,
            "Utwórz konto",
            vec![
                email,
                Field::text("name", "Imię i nazwisko", f.name.clone()).required(),
                Field::select("role", "Rola", f.role.clone(), roles()),
                areas_field(f.areas.clone()),
                Field::new("password", "Hasło początkowe", Kind::Password, "")
                    .required()
                    .autocomplete("new-password")
                    .hint("Co najmniej 12 znaków; przekaż je osobie bezpiecznie, albo niech użyje „Nie pamiętasz hasła?”."),
            ],
        )
        .with_errors(errors))))
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(n): Query<Notice>,
) -> Result<Response> {
    require(&staff, Area::Accounts, Action::View)?;
    let w = export::Window::of(&n.format, None)?;
    if w.file.is_some() {
        if let Some(file) = w.file(&table(&accounts::list(state.db()).await?), "konta") {
            return file;
        }
    }
    list_page(
        &state,
        &staff,
        &v,
        &AccountForm::default(),
        &FieldErrors::default(),
        super::notice(n.komunikat.as_deref()),
    )
    .await?
    .render()
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(f): BodyForm<AccountForm>,
) -> Result<Response> {
    require(&staff, Area::Accounts, Action::Change)?;
    let areas = parse_areas(&f.areas);
    match crate::service::accounts::create_account(
        state.db(),
        &f.email,
        &f.name,
        &f.role,
        &f.password,
        &areas,
        state.clock().now(),
    )
    .await
    {
        Ok(id) => Ok(Redirect::to(&format!("{BASE}/{id}?komunikat=dodano")).into_response()),
        Err(NotCreated::Refused { field, message }) => {
            let mut errors = FieldErrors::default();
            errors.add(field, message);
            invalid(list_page(&state, &staff, &v, &f, &errors, "").await?)
        }
        Err(NotCreated::Store(e)) => Err(e.into()),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    require(&staff, Area::Accounts, Action::View)?;
    let a = accounts::get(state.db(), id)
        .await?
        .ok_or(Error::NotFound)?;
    Page::new(a.name.clone(), Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(n.komunikat.as_deref()))
        .block(Block::Facts(vec![(
            "E-mail".into(),
            a.email.clone().into(),
        )]))
        .block(Block::Form(Form::post(
            format!("{BASE}/{id}"),
            &v.csrf,
            "Zapisz",
            vec![
                Field::select("role", "Rola", a.role.code(), roles()),
                areas_field(a.areas.join(", ")),
                Field::new(
                    "active",
                    "Konto aktywne (może się logować)",
                    Kind::Checkbox,
                    if a.active { "1" } else { "" },
                ),
            ],
        )))
        .render()
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<AccountForm>,
) -> Result<Response> {
    require(&staff, Area::Accounts, Action::Change)?;
    let areas = parse_areas(&f.areas);
    let active = f.active.is_some_and(|v| !v.is_empty());
    let changed = crate::service::accounts::update_account(
        state.db(),
        staff.account_id,
        id,
        &f.role,
        &areas,
        active,
        state.clock().now(),
    )
    .await;
    match changed {
        Ok(()) => {}
        Err(NotChanged::Refused(message)) => return Err(Error::BadRequest(message)),
        Err(NotChanged::NotFound) => return Err(Error::NotFound),
        Err(NotChanged::Store(e)) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("{BASE}/{id}?komunikat=zapisano")).into_response())
}
