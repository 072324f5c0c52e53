//! People in the back office: list with search and filters, create, edit,
//! delete, affiliations and consents, export.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::paths::PEOPLE as BASE;
use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, pick, require, require_unit, ListQuery, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Scope, Staff};
use crate::domain::activity::{Gender, Group};
use crate::domain::records::{AffiliationRole, FieldErrors, PersonForm};
use crate::store::people::{self, Filter, Record};
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
        .route(&format!("{BASE}/{{id}}/afiliacje"), post(affiliation))
        .route(&format!("{BASE}/{{id}}/zgody"), post(consent))
}

fn url(id: i64) -> String {
    format!("{BASE}/{id}")
}

pub fn table(items: &[Record], total: i64) -> Table {
    let mut t = Table::new(
        "Osoby",
        &[
            "Nazwisko i imię",
            "E-mail",
            "Telefon",
            "Grupa",
            "Organizacja",
            "JST",
        ],
    );
    t.total = total;
    t.rows = items
        .iter()
        .map(|p| {
            vec![
                Cell::link(format!("{} {}", p.last_name, p.first_name), url(p.id)),
                p.email.clone().unwrap_or_default().into(),
                p.phone.clone().into(),
                p.group_label().into(),
                p.organisation.clone().unwrap_or_default().into(),
                p.jst_name.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    t
}

fn group_options(empty: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    std::iter::once(("", empty)).chain(Group::ALL.iter().map(|g| (g.code(), g.label())))
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    require(&staff, Area::People, Action::View)?;
    let filter = Filter {
        query: q.search()?,
        group: q.grupa.clone(),
        unit: q.unit()?,
    };
    let scope = staff.scope(Area::People);
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = people::list(state.db(), &filter, &scope, w.limit, w.offset).await?;
    let mut t = table(&found.items, found.total);
    if let Some(file) = w.file(&t, "osoby") {
        return file;
    }
    w.decorate(&mut t, &q.url(BASE));
    let filters = Form::filter(
        BASE,
        vec![
            Field::new("q", "Imię, nazwisko lub e-mail", Kind::Search, q.q.clone())
                .hint("Wielkość liter i polskie znaki nie mają znaczenia."),
            Field::select(
                "grupa",
                "Grupa",
                q.grupa.clone(),
                group_options("wszystkie"),
            ),
            Field::text("jst", "Kod TERYT obszaru", q.jst.clone()),
        ],
    );
    Page::new("Osoby", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(q.komunikat.as_deref()))
        .block(Block::Form(filters))
        .link_if(
            staff.can(Area::People, Action::Change),
            format!("{BASE}/nowa"),
            "Dodaj osobę",
        )
        .block(Block::Table(t))
        .render()
}

fn fields(f: &PersonForm) -> Vec<Field> {
    vec![
        Field::text("first_name", "Imię", f.first_name.clone()).required(),
        Field::text("last_name", "Nazwisko", f.last_name.clone()).required(),
        Field::new("email", "E-mail", Kind::Email, f.email.clone()),
        Field::text("phone", "Telefon", f.phone.clone()),
        Field::select(
            "gender",
            "Płeć (jak deklaruje osoba)",
            f.gender.clone(),
            Gender::ALL.iter().map(|g| (g.code(), g.label())),
        ),
        Field::select(
            "group",
            "Grupa",
            f.group.clone(),
            group_options("— wybierz —"),
        )
        .required(),
        Field::text("organisation", "Organizacja", f.organisation.clone())
            .hint("Nazwa organizacji albo jej numer w bazie."),
        Field::text(
            "local_government",
            "JST (urząd)",
            f.local_government.clone(),
        )
        .hint("Gmina, w której osoba działa, albo urząd, w którym pracuje: nazwa lub kod TERYT."),
    ]
}

fn form_page(
    staff: &Staff,
    v: &Visitor,
    title: &str,
    action: String,
    f: &PersonForm,
    errors: &FieldErrors,
) -> Page {
    Page::new(title, Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Text(
            "Dane osobowe: wpisuj tylko to, czego potrzebuje projekt. Płeć podaje sama osoba; można wybrać „nie podano”.".into(),
        ))
        .block(Block::Form(Form::post(action, &v.csrf, "Zapisz", fields(f)).with_errors(errors)))
}

async fn new_page(Signed(staff, v): Signed) -> Result<Response> {
    require(&staff, Area::People, Action::Change)?;
    let f = PersonForm {
        gender: Gender::Undisclosed.code().into(),
        ..PersonForm::default()
    };
    form_page(
        &staff,
        &v,
        "Nowa osoba",
        format!("{BASE}/nowa"),
        &f,
        &FieldErrors::default(),
    )
    .render()
}

async fn save(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    id: Option<i64>,
    f: PersonForm,
    choices: &pick::Choices,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    let valid = f.validate(&mut errors);
    let organisation =
        pick::organisation(state.db(), &f.organisation, "organisation", &mut errors).await?;
    let jst = pick::jst(
        state.db(),
        &f.local_government,
        choices.get("local_government"),
        "local_government",
        &mut errors,
    )
    .await?;
    let scope = staff.scope(Area::People);
    if scope != Scope::All
        && errors.get("local_government").is_empty()
        && !Staff::reaches_unit(&scope, jst.as_deref())
    {
        errors.add("local_government", "Wybierz JST ze swojego obszaru.");
    }
    match valid.filter(|_| errors.is_empty()) {
        Some(p) => {
            let saved = people::save(
                state.db(),
                staff.account_id,
                id,
                &p,
                organisation,
                jst.as_deref(),
                state.clock().now(),
            )
            .await?;
            let code = if id.is_some() { "zapisano" } else { "dodano" };
            Ok(Redirect::to(&format!("{}?komunikat={code}", url(saved))).into_response())
        }
        None => {
            let title = if id.is_some() {
                "Edycja osoby"
            } else {
                "Nowa osoba"
            };
            let action = id.map(url).unwrap_or_else(|| format!("{BASE}/nowa"));
            invalid(form_page(staff, v, title, action, &f, &errors))
        }
    }
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    choices: pick::Choices,
    BodyForm(f): BodyForm<PersonForm>,
) -> Result<Response> {
    require(&staff, Area::People, Action::Change)?;
    save(&state, &staff, &v, None, f, &choices).await
}

async fn found(state: &AppState, staff: &Staff, id: i64, action: Action) -> Result<Record> {
    let p = people::get(state.db(), id).await?.ok_or(Error::NotFound)?;
    let unit = people::unit(state.db(), id).await?;
    require_unit(staff, Area::People, action, unit.as_deref())?;
    Ok(p)
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let p = found(&state, &staff, id, Action::View).await?;
    let form = PersonForm {
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        email: p.email.clone().unwrap_or_default(),
        phone: p.phone.clone(),
        gender: p.gender.code().into(),
        group: p.group.code().into(),
        organisation: p.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
        local_government: super::pick::jst_shown(state.db(), p.local_government.as_deref()).await?,
    };
    let affiliations = people::affiliations(state.db(), id).await?;
    let consents = people::consents(state.db(), id).await?;
    let can_change = staff.can(Area::People, Action::Change);
    let aff = affiliations_table(id, &affiliations, &v.csrf, can_change);
    let cons = consents_table(id, &consents, &v.csrf, can_change);
    let mut page = Page::new(
        format!("{} {}", p.first_name, p.last_name),
        Some(&staff),
        &v.csrf,
    )
    .section(BASE)
    .notice(super::notice(n.komunikat.as_deref()))
    .block(Block::Facts(vec![
        ("Numer w bazie".into(), p.id.to_string().into()),
        ("Grupa".into(), p.group_label().into()),
        ("Płeć".into(), p.gender_label().into()),
        (
            "Organizacja".into(),
            match (&p.organisation, p.organisation_id) {
                (Some(n), Some(o)) => {
                    Cell::link(n.clone(), format!("{}/{o}", super::paths::ORGANISATIONS))
                }
                _ => "—".into(),
            },
        ),
        (
            "JST".into(),
            p.jst_name.clone().unwrap_or_else(|| "—".into()).into(),
        ),
    ]))
    .block(Block::Links(vec![(
        format!("{}?entity=person&entity_id={id}", super::paths::AUDIT),
        "Historia zmian".into(),
    )]));
    if can_change {
        page = page
            .block(Block::Heading("Edycja".into()))
            .block(Block::Form(Form::post(
                url(id),
                &v.csrf,
                "Zapisz zmiany",
                fields(&form),
            )));
    }
    page = page
        .block(Block::Heading("Afiliacje".into()))
        .block(Block::Table(aff));
    if can_change {
        page = page.block(Block::Form(affiliation_form(id, &v.csrf)));
    }
    page = page
        .block(Block::Heading("Zgody".into()))
        .block(Block::Table(cons));
    if can_change {
        page = page
            .block(Block::Form(consent_form(id, &v.csrf)))
            .block(Block::Links(vec![(
                format!("{}/usun", url(id)),
                "Usuń osobę".into(),
            )]));
    }
    page.render()
}

/// A person's affiliations, each with its removal for those who may.
fn affiliations_table(
    id: i64,
    affiliations: &[people::Affiliation],
    csrf: &str,
    can_change: bool,
) -> Table {
    let mut aff = Table::new("Afiliacje", &["Gdzie", "Rola"]);
    aff.total = affiliations.len() as i64;
    aff.csrf = csrf.to_owned();
    for a in affiliations {
        let place = a
            .organisation
            .clone()
            .or_else(|| a.jst_name.clone().map(|n| format!("urząd: {n}")))
            .unwrap_or_default();
        aff.rows.push(vec![place.into(), a.role_label().into()]);
        if can_change {
            aff.row_actions.push(vec![(
                format!("{}/afiliacje?usun={}", url(id), a.id),
                "Usuń".into(),
            )]);
        }
    }
    aff
}

/// A person's consents, each given one with its withdrawal for those who
/// may.
fn consents_table(id: i64, consents: &[people::Consent], csrf: &str, can_change: bool) -> Table {
    let mut cons = Table::new("Zgody", &["Cel", "Wersja treści", "Udzielona", "Wycofana"]);
    cons.total = consents.len() as i64;
    cons.csrf = csrf.to_owned();
    for c in consents {
        cons.rows.push(vec![
            c.purpose.clone().into(),
            c.text_version.clone().into(),
            crate::clock::stamp(c.given_at).into(),
            c.withdrawn_at
                .map(crate::clock::stamp)
                .unwrap_or_else(|| "—".into())
                .into(),
        ]);
        if can_change {
            cons.row_actions.push(if c.withdrawn_at.is_none() {
                vec![(
                    format!("{}/zgody?wycofaj={}", url(id), c.id),
                    "Wycofaj".into(),
                )]
            } else {
                Vec::new()
            });
        }
    }
    cons
}

fn affiliation_form(id: i64, csrf: &str) -> Form {
    Form::post(
        format!("{}/afiliacje", url(id)),
        csrf,
        "Dodaj afiliację",
        vec![
            Field::text("affiliation_organisation", "Organizacja", "")
                .hint("Nazwa albo numer; albo wypełnij pole urzędu."),
            Field::text("affiliation_office", "Urząd JST", "").hint("Nazwa gminy lub kod TERYT."),
            Field::select(
                "role",
                "Rola",
                "",
                AffiliationRole::ALL.iter().map(|r| (r.code(), r.label())),
            ),
        ],
    )
}

fn consent_form(id: i64, csrf: &str) -> Form {
    Form::post(
        format!("{}/zgody", url(id)),
        csrf,
        "Zapisz zgodę",
        vec![
            Field::text("purpose", "Cel zgody", "")
                .hint("Np. informacje o szkoleniach, publikacja wizerunku."),
            Field::text("text_version", "Wersja treści zgody", "").hint("Np. klauzula-2024-01."),
        ],
    )
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    choices: pick::Choices,
    BodyForm(f): BodyForm<PersonForm>,
) -> Result<Response> {
    found(&state, &staff, id, Action::Change).await?;
    save(&state, &staff, &v, Some(id), f, &choices).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AffiliationForm {
    affiliation_organisation: String,
    affiliation_office: String,
    role: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RowAction {
    usun: Option<i64>,
    wycofaj: Option<i64>,
}

async fn affiliation(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path(id): Path<i64>,
    Query(action): Query<RowAction>,
    choices: pick::Choices,
    BodyForm(f): BodyForm<AffiliationForm>,
) -> Result<Response> {
    found(&state, &staff, id, Action::Change).await?;
    let now = state.clock().now();
    if let Some(remove) = action.usun {
        people::change_affiliation(state.db(), staff.account_id, id, None, Some(remove), now)
            .await?;
    } else {
        let mut errors = FieldErrors::default();
        let org = pick::organisation(
            state.db(),
            &f.affiliation_organisation,
            "affiliation_organisation",
            &mut errors,
        )
        .await?;
        let jst = pick::jst(
            state.db(),
            &f.affiliation_office,
            choices.get("affiliation_office"),
            "affiliation_office",
            &mut errors,
        )
        .await?;
        let role = AffiliationRole::from_code(&f.role);
        if org.is_none() && jst.is_none() && errors.is_empty() {
            errors.add("affiliation_organisation", "Podaj organizację albo urząd.");
        }
        if let (true, Some(role)) = (errors.is_empty(), role) {
            people::change_affiliation(
                state.db(),
                staff.account_id,
                id,
                Some((org, jst.as_deref(), role)),
                None,
                now,
            )
            .await?;
        } else {
            let message = errors
                .all()
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            return Err(Error::BadRequest(if message.is_empty() {
                "Wybierz rolę.".into()
            } else {
                message
            }));
        }
    }
    Ok(Redirect::to(&format!("{}?komunikat=zapisano", url(id))).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConsentForm {
    purpose: String,
    text_version: String,
}

async fn consent(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path(id): Path<i64>,
    Query(action): Query<RowAction>,
    BodyForm(f): BodyForm<ConsentForm>,
) -> Result<Response> {
    found(&state, &staff, id, Action::Change).await?;
    let now = state.clock().now();
    if let Some(c) = action.wycofaj {
        people::change_consent(state.db(), staff.account_id, id, None, Some(c), now).await?;
    } else {
        let (purpose, version) = (f.purpose.trim(), f.text_version.trim());
        if purpose.is_empty() || version.is_empty() || purpose.len() > 300 || version.len() > 100 {
            return Err(Error::BadRequest(
                "Podaj cel zgody i wersję jej treści.".into(),
            ));
        }
        people::change_consent(
            state.db(),
            staff.account_id,
            id,
            Some((purpose, version)),
            None,
            now,
        )
        .await?;
    }
    Ok(Redirect::to(&format!("{}?komunikat=zapisano", url(id))).into_response())
}

async fn confirm_delete(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let p = found(&state, &staff, id, Action::Change).await?;
    let refs = people::references(state.db(), id).await?;
    super::confirm(
        &staff,
        &v,
        &format!("Usunąć osobę {} {}?", p.first_name, p.last_name),
        &url(id),
        refs,
    )
}

async fn delete(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    found(&state, &staff, id, Action::Change).await?;
    if people::references(state.db(), id).await? > 0 {
        // Still referenced: the confirmation page says why not.
        return confirm_delete(State(state), Signed(staff, v), Path(id)).await;
    }
    people::delete(state.db(), staff.account_id, id, state.clock().now()).await?;
    Ok(Redirect::to(&format!("{BASE}?komunikat=usunieto")).into_response())
}
