//! JSTs in the back office: find a JST, keep its office's contacts.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::paths::JST as BASE;
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, require, require_unit, ListQuery, Notice};
use crate::app::AppState;
use crate::config::Settings;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::organ::{self, Jst};
use crate::domain::records::{FieldErrors, OfficeForm};
use crate::domain::teryt::Teryt;
use crate::store::{offices, teryt};
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route(&format!("{BASE}/{{teryt}}"), get(edit_page).post(update))
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::View)?;
    let scope = staff.scope(Area::LocalGovernments);
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = offices::search(state.db(), &q.search()?, &scope, w.limit, w.offset).await?;
    let mut t = Table::new(
        "Jednostki samorządu terytorialnego",
        &["Nazwa", "Rodzaj", "Kod TERYT"],
    );
    t.total = found.total;
    t.rows = found
        .items
        .iter()
        .map(|u| {
            vec![
                Cell::link(u.display_name.clone(), format!("{BASE}/{}", u.teryt)),
                u.kind_label().into(),
                u.teryt.clone().into(),
            ]
        })
        .collect();
    if let Some(file) = w.file(&t, "jst") {
        return file;
    }
    w.decorate(&mut t, &q.url(BASE));
    Page::new("JST", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Form(Form::filter(
            BASE,
            vec![
                Field::new("q", "Nazwa lub kod TERYT", Kind::Search, q.q.clone())
                    .hint("Np. plonsk, Płońsk albo 1420."),
            ],
        )))
        .block(Block::Table(t))
        .render()
}

/// The organ and office name a letter uses when the record leaves them
/// empty.
fn defaults(settings: &Settings, u: &teryt::UnitRow) -> (String, String) {
    let jst = Jst {
        kind: u.kind,
        teryt: &u.teryt,
        name: &u.name,
    };
    let president = settings.presidents.contains(&u.teryt);
    (organ::organ(jst, president), organ::office(jst))
}

fn fields(f: &OfficeForm, (organ, office): &(String, String)) -> Vec<Field> {
    vec![
        Field::text("organ", "Organ, do którego kierujemy pisma", f.organ.clone()).hint(
            &format!("Puste: {organ}. Wpisz inny, jeśli urząd używa innego tytułu (np. „Prezydent Miasta Otwocka”)."),
        ),
        Field::text("office_name", "Nazwa urzędu", f.office_name.clone()).hint(&format!(
            "Puste: {office}. Wpisz pełną nazwę, np. „Starostwo Powiatowe w Płońsku”."
        )),
        Field::new("address", "Adres pocztowy urzędu", Kind::TextArea, f.address.clone())
            .hint("Ulica z numerem w pierwszym wierszu, kod pocztowy i miejscowość w drugim."),
        Field::new("email", "E-mail urzędu", Kind::Email, f.email.clone()),
        Field::text("website", "Strona internetowa", f.website.clone())
            .hint("Adres zaczynający się od https://"),
        Field::text("bip", "Biuletyn Informacji Publicznej (BIP)", f.bip.clone()),
        Field::new("notes", "Notatki", Kind::TextArea, f.notes.clone()),
    ]
}

async fn unit(
    state: &AppState,
    staff: &Staff,
    code: &str,
    action: Action,
) -> Result<teryt::UnitRow> {
    let t = Teryt::parse(code).map_err(|_| Error::BadRequest("Nieprawidłowy kod TERYT.".into()))?;
    let u = teryt::get(state.db(), &t).await?.ok_or(Error::NotFound)?;
    require_unit(staff, Area::LocalGovernments, action, Some(&u.teryt))?;
    Ok(u)
}

fn page(
    settings: &Settings,
    staff: &Staff,
    v: &Visitor,
    u: &teryt::UnitRow,
    f: &OfficeForm,
    errors: &FieldErrors,
    notice: &str,
) -> Page {
    let mut p = Page::new(u.display_name.clone(), Some(staff), &v.csrf)
        .section(BASE)
        .notice(notice)
        .block(Block::Facts(vec![
            ("Kod TERYT".into(), u.teryt.clone().into()),
            (
                "Strona publiczna".into(),
                Cell::link("zobacz", crate::web::paths::jst(&u.teryt)),
            ),
        ]));
    if !f.notes.trim().is_empty() {
        p = p.block(Block::Text(format!("Notatki: {}", f.notes.trim())));
    }
    let defaults = defaults(settings, u);
    if staff.can(Area::LocalGovernments, Action::Change) {
        p = p.block(Block::Form(
            Form::post(
                format!("{BASE}/{}", u.teryt),
                &v.csrf,
                "Zapisz",
                fields(f, &defaults),
            )
            .with_errors(errors),
        ));
    } else {
        let or = |typed: &str, default: &str| {
            if typed.is_empty() {
                default.to_owned()
            } else {
                typed.to_owned()
            }
        };
        p = p.block(Block::Facts(vec![
            ("Organ".into(), or(&f.organ, &defaults.0).into()),
            (
                "Nazwa urzędu".into(),
                or(&f.office_name, &defaults.1).into(),
            ),
            ("Adres urzędu".into(), f.address.clone().into()),
            ("E-mail".into(), f.email.clone().into()),
            ("BIP".into(), f.bip.clone().into()),
        ]));
    }
    p
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(code): Path<String>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let u = unit(&state, &staff, &code, Action::View).await?;
    let office = offices::get(state.db(), &u.teryt).await?;
    page(
        state.settings(),
        &staff,
        &v,
        &u,
        &office,
        &FieldErrors::default(),
        super::notice(n.komunikat.as_deref()),
    )
    .render()
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(code): Path<String>,
    BodyForm(f): BodyForm<OfficeForm>,
) -> Result<Response> {
    let u = unit(&state, &staff, &code, Action::Change).await?;
    let mut errors = FieldErrors::default();
    match f.validate(&mut errors) {
        Some(office) => {
            offices::save(
                state.db(),
                staff.account_id,
                &u.teryt,
                &office,
                state.clock().now(),
            )
            .await?;
            Ok(Redirect::to(&format!("{BASE}/{}?komunikat=zapisano", u.teryt)).into_response())
        }
        None => invalid(page(state.settings(), &staff, &v, &u, &f, &errors, "")),
    }
}
