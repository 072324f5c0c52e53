//! Editable pages: the introductions of the public sections, in Markdown
//! with a preview. What is shown is sanitised (`layout::markdown`).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::paths::PAGES as BASE;
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, require, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Scope, Staff};
use crate::domain::records::{FieldErrors, PageForm};
use crate::store::pages::{self, Record};
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::layout::markdown;
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route(&format!("{BASE}/nowa"), get(new_page).post(create))
        .route(&format!("{BASE}/{{id}}"), get(edit_page).post(update))
        .route(
            &format!("{BASE}/{{id}}/usun"),
            get(confirm_delete).post(delete),
        )
}

/// What the page form sends: the page, and whether only a preview is asked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageSubmit {
    slug: String,
    title: String,
    body_md: String,
    preview: Option<String>,
}

impl PageSubmit {
    fn form(&self) -> PageForm {
        PageForm {
            slug: self.slug.clone(),
            title: self.title.clone(),
            body_md: self.body_md.clone(),
        }
    }
}

fn projects(staff: &Staff) -> Option<Vec<i64>> {
    match staff.scope(Area::Pages) {
        Scope::Projects(ids) => Some(ids),
        _ => None,
    }
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(n): Query<Notice>,
) -> Result<Response> {
    require(&staff, Area::Pages, Action::View)?;
    let all = pages::list(state.db(), projects(&staff).as_deref()).await?;
    let mut t = Table::new("Strony", &["Tytuł", "Adres", "Zmieniona (UTC)"]);
    t.total = all.len() as i64;
    t.rows = all
        .iter()
        .map(|p| {
            vec![
                Cell::link(p.title.clone(), format!("{BASE}/{}", p.id)),
                format!("/{}", p.slug).into(),
                crate::clock::stamp(p.updated_at).into(),
            ]
        })
        .collect();
    if let Some(file) = export::Window::of(&n.format, None)?.file(&t, "strony") {
        return file;
    }
    export::links(&mut t, BASE);
    Page::new("Strony", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(n.komunikat.as_deref()))
        .block(Block::Text("Strona o adresie działu (np. szkolenia, dzialania-lokalne) jest wstępem do tego działu na stronie publicznej.".into()))
        .block(Block::Links(vec![(format!("{BASE}/nowa"), "Dodaj stronę".into())]))
        .block(Block::Table(t))
        .render()
}

fn fields(f: &PageForm) -> Vec<Field> {
    vec![
        Field::text("slug", "Adres", f.slug.clone()).required().hint("Małe litery bez polskich znaków, cyfry i myślniki, np. szkolenia."),
        Field::text("title", "Tytuł", f.title.clone()).required(),
        Field::new("body_md", "Treść (Markdown)", Kind::TextArea, f.body_md.clone())
            .hint("**pogrubienie**, *kursywa*, [łącze](https://…), listy od „- ”. Kod HTML jest wyświetlany jako tekst."),
    ]
}

fn form_page(
    staff: &Staff,
    v: &Visitor,
    title: &str,
    action: String,
    f: &PageForm,
    errors: &FieldErrors,
    preview: bool,
) -> Page {
    let mut form = Form::post(action, &v.csrf, "Zapisz", fields(f)).with_errors(errors);
    form.alternative = Some(("preview", "Podgląd".into()));
    let mut page = Page::new(title, Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Form(form));
    if preview {
        page = page
            .block(Block::Heading("Podgląd".into()))
            .block(Block::Preview(markdown(&f.body_md)));
    }
    page
}

async fn new_page(Signed(staff, v): Signed) -> Result<Response> {
    require(&staff, Area::Pages, Action::Change)?;
    form_page(
        &staff,
        &v,
        "Nowa strona",
        format!("{BASE}/nowa"),
        &PageForm::default(),
        &FieldErrors::default(),
        false,
    )
    .render()
}

/// What a page's address already taken is told.
const SLUG_TAKEN: &str = "Strona o tym adresie już istnieje.";

async fn save(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    existing: Option<&Record>,
    s: PageSubmit,
) -> Result<Response> {
    let f = s.form();
    let (title, action) = match existing {
        Some(r) => ("Edycja strony", format!("{BASE}/{}", r.id)),
        None => ("Nowa strona", format!("{BASE}/nowa")),
    };
    let mut errors = FieldErrors::default();
    let valid = f.validate(&mut errors);
    if s.preview.is_some() {
        return form_page(staff, v, title, action, &f, &errors, true).render();
    }
    let project = match existing {
        Some(r) => r.project_id,
        None => state
            .site()
            .project
            .as_ref()
            .map(|p| p.id)
            .ok_or(Error::NotFound)?,
    };
    if let Some(p) = &valid {
        if pages::slug_taken(state.db(), project, &p.slug, existing.map(|r| r.id)).await? {
            errors.add("slug", SLUG_TAKEN);
        }
    }
    let saved = match valid.filter(|_| errors.is_empty()) {
        Some(p) => {
            pages::change(
                state.db(),
                staff.account_id,
                project,
                existing.map(|r| r.id),
                Some(&p),
                state.clock().now(),
            )
            .await?
        }
        None => None,
    };
    if saved.is_none() && errors.is_empty() {
        // Another page took the address since it was checked.
        errors.add("slug", SLUG_TAKEN);
    }
    match saved {
        Some(id) => {
            let code = if existing.is_some() {
                "zapisano"
            } else {
                "dodano"
            };
            Ok(Redirect::to(&format!("{BASE}/{id}?komunikat={code}")).into_response())
        }
        None => invalid(form_page(staff, v, title, action, &f, &errors, false)),
    }
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(s): BodyForm<PageSubmit>,
) -> Result<Response> {
    require(&staff, Area::Pages, Action::Change)?;
    save(&state, &staff, &v, None, s).await
}

async fn found(state: &AppState, staff: &Staff, id: i64, action: Action) -> Result<Record> {
    require(staff, Area::Pages, action)?;
    let r = pages::get(state.db(), id).await?.ok_or(Error::NotFound)?;
    if !Staff::reaches(&staff.scope(Area::Pages), None, None, Some(r.project_id)) {
        tracing::warn!(
            account = staff.account_id,
            page = id,
            "access refused: page out of scope"
        );
        return Err(Error::Forbidden("Nie masz uprawnień do tej strony.".into()));
    }
    Ok(r)
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::View).await?;
    let f = PageForm {
        slug: r.slug.clone(),
        title: r.title.clone(),
        body_md: r.body_md.clone(),
    };
    form_page(
        &staff,
        &v,
        "Edycja strony",
        format!("{BASE}/{id}"),
        &f,
        &FieldErrors::default(),
        true,
    )
    .notice(super::notice(n.komunikat.as_deref()))
    .block(Block::Links(vec![
        (
            format!("{}?entity=page&entity_id={id}", super::paths::AUDIT),
            "Historia zmian".into(),
        ),
        (format!("{BASE}/{id}/usun"), "Usuń stronę".into()),
    ]))
    .render()
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(s): BodyForm<PageSubmit>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    save(&state, &staff, &v, Some(&r), s).await
}

async fn confirm_delete(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    super::confirm(
        &staff,
        &v,
        &format!("Usunąć stronę „{}”?", r.title),
        &format!("{BASE}/{id}"),
        0,
    )
}

async fn delete(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    pages::change(
        state.db(),
        staff.account_id,
        r.project_id,
        Some(id),
        None,
        state.clock().now(),
    )
    .await?;
    Ok(Redirect::to(&format!("{BASE}?komunikat=usunieto")).into_response())
}
