//! Organisations in the back office: list with search and filters, create,
//! edit, delete with confirmation, export.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::paths::ORGANISATIONS as BASE;
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, pick, require, require_unit, ListQuery, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Scope, Staff};
use crate::domain::records::{FieldErrors, LegalForm, Organisation, OrganisationForm};
use crate::store::organisations::{self, Filter, Record};
use crate::web::extract::{Form as BodyForm, Path, Query};
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

fn url(id: i64) -> String {
    format!("{BASE}/{id}")
}

/// The table of organisations (also the export).
pub fn table(items: &[Record], total: i64) -> Table {
    let mut t = Table::new(
        "Organizacje",
        &["Nazwa", "Forma prawna", "NIP", "KRS", "REGON", "JST", "OPP"],
    );
    t.total = total;
    t.rows = items
        .iter()
        .map(|o| {
            vec![
                Cell::link(o.name.clone(), url(o.id)),
                o.legal_form_label().into(),
                o.nip.clone().unwrap_or_default().into(),
                o.krs.clone().unwrap_or_default().into(),
                o.regon.clone().unwrap_or_default().into(),
                o.jst_name.clone().unwrap_or_default().into(),
                (if o.is_opp { "tak" } else { "nie" }).into(),
            ]
        })
        .collect();
    t
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    require(&staff, Area::Organisations, Action::View)?;
    let filter = Filter {
        query: q.search()?,
        unit: q.unit()?,
        opp_only: q.opp == "1",
    };
    let scope = staff.scope(Area::Organisations);
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = organisations::list(state.db(), &filter, &scope, w.limit, w.offset).await?;
    let mut t = table(&found.items, found.total);
    if let Some(file) = w.file(&t, "organizacje") {
        return file;
    }
    w.decorate(&mut t, &q.url(BASE));
    let mut opp = Field::new(
        "opp",
        "Tylko organizacje pożytku publicznego",
        Kind::Checkbox,
        q.opp.clone(),
    );
    opp.value = if q.opp == "1" {
        "1".into()
    } else {
        String::new()
    };
    let filters = Form::filter(
        BASE,
        vec![
            Field::new("q", "Nazwa", Kind::Search, q.q.clone())
                .hint("Wielkość liter i polskie znaki nie mają znaczenia."),
            Field::text("jst", "Kod TERYT obszaru", q.jst.clone())
                .hint("Np. 1420 — powiat płoński."),
            opp,
        ],
    );
    Page::new("Organizacje", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(q.komunikat.as_deref()))
        .block(Block::Form(filters))
        .link_if(
            staff.can(Area::Organisations, Action::Change),
            format!("{BASE}/nowa"),
            "Dodaj organizację",
        )
        .block(Block::Table(t))
        .render()
}

fn fields(f: &OrganisationForm) -> Vec<Field> {
    vec![
        Field::text("name", "Nazwa", f.name.clone()).required(),
        Field::select(
            "legal_form",
            "Forma prawna",
            f.legal_form.clone(),
            std::iter::once(("", "— wybierz —"))
                .chain(LegalForm::ALL.iter().map(|l| (l.code(), l.label()))),
        )
        .required(),
        Field::text("krs", "Numer KRS", f.krs.clone())
            .hint("10 cyfr; nie każda organizacja jest w KRS."),
        Field::text("nip", "NIP", f.nip.clone()).hint("10 cyfr, z kreskami lub bez."),
        Field::text("regon", "REGON", f.regon.clone()).hint("9 lub 14 cyfr."),
        Field::text("address", "Adres", f.address.clone()),
        Field::text(
            "local_government",
            "JST (gmina)",
            f.local_government.clone(),
        )
        .hint("Nazwa gminy albo jej kod TERYT, np. Płońsk lub 1420011."),
        Field::new(
            "is_opp",
            "Organizacja pożytku publicznego (OPP)",
            Kind::Checkbox,
            f.is_opp.clone().unwrap_or_default(),
        ),
        Field::new(
            "areas",
            "Obszary działalności",
            Kind::TextArea,
            f.areas.clone(),
        )
        .hint("Np. ekologia, seniorzy, sport."),
    ]
}

fn form_page(
    staff: &Staff,
    v: &Visitor,
    title: &str,
    action: String,
    f: &OrganisationForm,
    errors: &FieldErrors,
) -> Page {
    Page::new(title, Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Form(
            Form::post(action, &v.csrf, "Zapisz", fields(f)).with_errors(errors),
        ))
}

async fn new_page(Signed(staff, v): Signed) -> Result<Response> {
    require(&staff, Area::Organisations, Action::Change)?;
    form_page(
        &staff,
        &v,
        "Nowa organizacja",
        format!("{BASE}/nowa"),
        &OrganisationForm::default(),
        &FieldErrors::default(),
    )
    .render()
}

/// Validates the form and saves it; the page with messages otherwise.
async fn save(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    id: Option<i64>,
    f: OrganisationForm,
    choices: &pick::Choices,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    let valid = f.validate(&mut errors);
    let jst = pick::jst(
        state.db(),
        &f.local_government,
        choices.get("local_government"),
        "local_government",
        &mut errors,
    )
    .await?;
    let scope = staff.scope(Area::Organisations);
    if scope != Scope::All
        && errors.get("local_government").is_empty()
        && !Staff::reaches_unit(&scope, jst.as_deref())
    {
        errors.add("local_government", "Wybierz JST ze swojego obszaru.");
    }
    let mut duplicate = None;
    if let Some(o) = &valid {
        duplicate = duplicate_of(state, o, id, &mut errors).await?;
    }
    let title = if id.is_some() {
        "Edycja organizacji"
    } else {
        "Nowa organizacja"
    };
    let action = id.map(url).unwrap_or_else(|| format!("{BASE}/nowa"));
    let saved = match valid.as_ref().filter(|_| errors.is_empty()) {
        Some(o) => {
            let saved = organisations::save(
                state.db(),
                staff.account_id,
                id,
                o,
                jst.as_deref(),
                state.clock().now(),
            )
            .await?;
            if saved.is_none() {
                // Another organisation took the number since it was checked.
                duplicate = duplicate_of(state, o, id, &mut errors).await?;
                if errors.is_empty() {
                    errors.add(
                        "nip",
                        "Inna organizacja ma ten NIP lub KRS. Sprawdź numery i zapisz ponownie.",
                    );
                }
            }
            saved
        }
        None => None,
    };
    match saved {
        Some(saved) => {
            let code = if id.is_some() { "zapisano" } else { "dodano" };
            Ok(Redirect::to(&format!("{}?komunikat={code}", url(saved))).into_response())
        }
        None => {
            let mut page = form_page(staff, v, title, action, &f, &errors);
            if let Some(link) = duplicate {
                page.blocks.insert(0, Block::Links(vec![link]));
            }
            invalid(page)
        }
    }
}

/// Another organisation with the NIP or KRS of `o`: a message at the
/// field, and the link to it.
async fn duplicate_of(
    state: &AppState,
    o: &Organisation,
    id: Option<i64>,
    errors: &mut FieldErrors,
) -> Result<Option<(String, String)>> {
    let Some((other, name, label)) =
        organisations::duplicate(state.db(), o.nip.as_deref(), o.krs.as_deref(), id).await?
    else {
        return Ok(None);
    };
    errors.add(
        if label == "NIP" { "nip" } else { "krs" },
        format!("Organizacja z tym numerem {label} już jest w bazie: {name}."),
    );
    Ok(Some((
        url(other),
        format!("Przejdź do istniejącej organizacji: {name}"),
    )))
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    choices: pick::Choices,
    BodyForm(f): BodyForm<OrganisationForm>,
) -> Result<Response> {
    require(&staff, Area::Organisations, Action::Change)?;
    save(&state, &staff, &v, None, f, &choices).await
}

async fn found(state: &AppState, staff: &Staff, id: i64, action: Action) -> Result<Record> {
    let o = organisations::get(state.db(), id)
        .await?
        .ok_or(Error::NotFound)?;
    require_unit(
        staff,
        Area::Organisations,
        action,
        o.local_government.as_deref(),
    )?;
    Ok(o)
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let o = found(&state, &staff, id, Action::View).await?;
    let form = OrganisationForm {
        name: o.name.clone(),
        legal_form: o.legal_form.code().into(),
        krs: o.krs.clone().unwrap_or_default(),
        nip: o.nip.clone().unwrap_or_default(),
        regon: o.regon.clone().unwrap_or_default(),
        address: o.address.clone(),
        local_government: super::pick::jst_shown(state.db(), o.local_government.as_deref()).await?,
        is_opp: o.is_opp.then(|| "1".to_owned()),
        areas: o.areas.clone(),
    };
    let mut page = Page::new(o.name.clone(), Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(n.komunikat.as_deref()))
        .block(Block::Facts(vec![
            ("Numer w bazie".into(), o.id.to_string().into()),
            (
                "JST".into(),
                o.jst_name.clone().unwrap_or_else(|| "—".into()).into(),
            ),
        ]))
        .block(Block::Links(vec![(
            format!("{}?entity=organisation&entity_id={id}", super::paths::AUDIT),
            "Historia zmian".into(),
        )]));
    if staff.can(Area::Organisations, Action::Change) {
        page = page
            .block(Block::Heading("Edycja".into()))
            .block(Block::Form(Form::post(
                url(id),
                &v.csrf,
                "Zapisz zmiany",
                fields(&form),
            )))
            .block(Block::Links(vec![(
                format!("{}/usun", url(id)),
                "Usuń organizację".into(),
            )]));
    }
    page.render()
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    choices: pick::Choices,
    BodyForm(f): BodyForm<OrganisationForm>,
) -> Result<Response> {
    found(&state, &staff, id, Action::Change).await?;
    save(&state, &staff, &v, Some(id), f, &choices).await
}

async fn confirm_delete(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let o = found(&state, &staff, id, Action::Change).await?;
    super::confirm(
        &staff,
        &v,
        &format!("Usunąć organizację „{}”?", o.name),
        &url(id),
        organisations::references(state.db(), id).await?,
    )
}

async fn delete(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    found(&state, &staff, id, Action::Change).await?;
    if organisations::references(state.db(), id).await? > 0 {
        // Still referenced: the confirmation page says why not.
        return confirm_delete(State(state), Signed(staff, v), Path(id)).await;
    }
    organisations::delete(state.db(), staff.account_id, id, state.clock().now()).await?;
    Ok(Redirect::to(&format!("{BASE}?komunikat=usunieto")).into_response())
}
