//! A case's page: its facts, the reporter's contact for those who lead
//! cases, letters, files, the forms that move it, and its timeline.

use axum::extract::State;
use axum::response::Response;

use super::{day_of, found, letters, local_time, status_text, subject, url, BASE};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::cases::Outcome;
use crate::domain::format;
use crate::domain::records::FieldErrors;
use crate::service::cases as service;
use crate::store::cases::{self, Case};
use crate::web::admin::ui::{Block, Cell, Field, Form, Kind, Page, Table};
use crate::web::admin::{paths, Notice};
use crate::web::extract::{Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::Result;

pub(super) async fn show(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::View).await?;
    page(&state, &staff, &v, &c, &FieldErrors::default())
        .await?
        .notice(crate::web::admin::notice(n.komunikat.as_deref()))
        .render()
}

/// A case's page; `errors` go next to the fields of the form that failed.
pub async fn page(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    c: &Case,
    errors: &FieldErrors,
) -> Result<Page> {
    let mut page = Page::new(format!("Sprawa {}", c.number), Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Facts(facts(staff, c)))
        .block(Block::Heading("Opis ze zgłoszenia".into()))
        .block(Block::Text(c.description.clone()));
    page = letters::blocks(state, staff, v, c, errors, page).await?;
    page = files(state, staff, c, page).await?;
    if staff.can(Area::Cases, Action::Change) {
        page = forms(state, v, c, errors, page).await?;
    }
    timeline(state, c, page).await
}

fn yes_no(yes: bool) -> Cell {
    (if yes { "tak" } else { "nie" }).into()
}

/// What the case is, where it stands, and the reporter's contact for
/// those who lead cases.
fn facts(staff: &Staff, c: &Case) -> Vec<(String, Cell)> {
    let mut facts = vec![
        ("Numer".to_owned(), Cell::from(c.number.clone())),
        ("Sprawa".into(), subject(c).into()),
        (
            "JST".into(),
            match (&c.local_government, &c.jst_name) {
                (Some(t), Some(n)) => Cell::link(n.clone(), crate::web::paths::jst(t)),
                _ => "—".into(),
            },
        ),
        (
            "Kod TERYT".into(),
            c.local_government
                .clone()
                .unwrap_or_else(|| "—".into())
                .into(),
        ),
        ("Stan".into(), status_text(c).into()),
    ];
    if let (Some(year), Some(t)) = (c.monitoring_year, &c.local_government) {
        facts.push((
            "Z monitoringu współpracy".into(),
            Cell::link(
                format!("fakty za rok {year}"),
                format!("{}/{t}/{year}", crate::web::admin::monitoring::BASE),
            ),
        ));
    }
    if !c.addressee.is_empty() {
        facts.push(("Adresat pism".into(), c.addressee.clone().into()));
    }
    facts.extend([
        (
            "Prowadzi".into(),
            c.assignee_name.clone().unwrap_or_else(|| "—".into()).into(),
        ),
        ("Zgłoszono".into(), day_of(c.created_at).into()),
        (
            "Najbliższy termin odpowiedzi".into(),
            c.next_due
                .map(format::date)
                .unwrap_or_else(|| "—".into())
                .into(),
        ),
        (
            "Organizacja (ze zgłoszenia)".into(),
            c.organisation_name.clone().into(),
        ),
        (
            "Zgoda na podanie organizacji urzędowi".into(),
            yes_no(c.reveal_identity),
        ),
        (
            "Zgoda na przytoczenie opisu w piśmie".into(),
            yes_no(c.share_description),
        ),
    ]);
    if service::may_see_reporter(staff) {
        facts.push(("Zgłaszający".into(), c.reporter_name.clone().into()));
        facts.push(("E-mail".into(), c.reporter_email.clone().into()));
        if !c.reporter_phone.is_empty() {
            facts.push(("Telefon".into(), c.reporter_phone.clone().into()));
        }
        facts.push((
            "Preferowany kontakt".into(),
            c.preferred_contact.label().into(),
        ));
    }
    if let Some(o) = c.organisation_id {
        facts.push((
            "Organizacja w bazie".into(),
            Cell::link(format!("nr {o}"), format!("{}/{o}", paths::ORGANISATIONS)),
        ));
    }
    if let Some(p) = c.person_id {
        facts.push((
            "Osoba w bazie".into(),
            Cell::link(format!("nr {p}"), format!("{}/{p}", paths::PEOPLE)),
        ));
    }
    facts
}

/// The case's files, linked where the person may open them.
async fn files(state: &AppState, staff: &Staff, c: &Case, page: Page) -> Result<Page> {
    let files = cases::attachments(state.db(), c.id).await?;
    let mut t = Table::new(
        "Pliki sprawy",
        &["Plik", "Rodzaj", "Rozmiar", "Skąd", "Dodano"],
    );
    t.total = files.len() as i64;
    t.rows = files
        .iter()
        .map(|f| {
            vec![
                if service::may_open(staff, f.source) {
                    Cell::link(f.name.clone(), format!("{}/pliki/{}", url(c.id), f.id))
                } else {
                    f.name.clone().into()
                },
                f.file_type.label().into(),
                format!("{} kB", format::integer((f.size + 1023) / 1024)).into(),
                f.source.label().into(),
                day_of(f.created_at).into(),
            ]
        })
        .collect();
    Ok(page
        .block(Block::Heading("Pliki".into()))
        .block(Block::Table(t)))
}

/// The forms of those who lead cases: a file, the status, who leads it,
/// what it is linked to, a note.
async fn forms(
    state: &AppState,
    v: &Visitor,
    c: &Case,
    errors: &FieldErrors,
    mut page: Page,
) -> Result<Page> {
    let mut upload = Form::post(
        format!("{}/pliki", url(c.id)),
        &v.csrf,
        "Dodaj plik",
        vec![Field::new(
            "files",
            "Plik (PDF, JPEG, PNG, do 10 MB)",
            Kind::Files,
            "",
        )],
    )
    .with_errors(errors);
    upload.multipart = true;
    page = page.block(Block::Form(upload));
    if let Some(form) = status_form(v, c, errors) {
        page = page
            .block(Block::Heading("Zmiana stanu".into()))
            .block(Block::Form(form));
    }
    let people = crate::web::admin::advisory::advisors(state).await?;
    page = page
        .block(Block::Heading("Prowadzenie i powiązania".into()))
        .block(Block::Form(
            Form::post(
                format!("{}/prowadzacy", url(c.id)),
                &v.csrf,
                "Zapisz osobę prowadzącą",
                vec![Field::select(
                    "assignee",
                    "Prowadzi",
                    c.assignee_id.map(|a| a.to_string()).unwrap_or_default(),
                    std::iter::once((String::new(), "— nikt —".to_owned())).chain(
                        people.iter().map(|a| {
                            (a.id.to_string(), format!("{} ({})", a.name, a.role.label()))
                        }),
                    ),
                )],
            )
            .with_errors(errors),
        ));
    let jst_shown =
        crate::web::admin::pick::jst_shown(state.db(), c.local_government.as_deref()).await?;
    Ok(page
        .block(Block::Form(link_form(v, c, errors, jst_shown)))
        .block(Block::Form(
            Form::post(
                format!("{}/notatka", url(c.id)),
                &v.csrf,
                "Dodaj notatkę",
                vec![Field::new("note", "Notatka wewnętrzna", Kind::TextArea, "")
                    .hint("Widzą ją tylko osoby z dostępem do sprawy.")],
            )
            .with_errors(errors),
        )))
}

/// The form that moves the case on, if it can move anywhere.
fn status_form(v: &Visitor, c: &Case, errors: &FieldErrors) -> Option<Form> {
    let options: Vec<(String, String)> = c
        .status
        .next()
        .iter()
        .map(|s| (s.code().to_owned(), s.label().to_owned()))
        .collect();
    if options.is_empty() {
        return None;
    }
    Some(
        Form::post(
            format!("{}/stan", url(c.id)),
            &v.csrf,
            "Zmień stan",
            vec![
                Field::select("to", "Nowy stan", "", options),
                Field::select(
                    "outcome",
                    "Wynik (tylko przy zamknięciu)",
                    "",
                    std::iter::once(("", "—"))
                        .chain(Outcome::ALL.iter().map(|o| (o.code(), o.label()))),
                ),
                Field::text("status_note", "Uzasadnienie (nieobowiązkowo)", ""),
            ],
        )
        .with_errors(errors),
    )
}

/// The form of the JST, organisation and person the case concerns.
fn link_form(v: &Visitor, c: &Case, errors: &FieldErrors, jst_shown: String) -> Form {
    Form::post(
        format!("{}/powiazania", url(c.id)),
        &v.csrf,
        "Zapisz powiązania",
        vec![
            Field::text("jst", "JST", jst_shown).hint("Nazwa albo kod TERYT."),
            Field::text(
                "organisation",
                "Organizacja w bazie",
                c.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
            )
            .hint("Nazwa albo numer; puste, jeśli jej nie ma w bazie."),
            Field::text(
                "person",
                "Osoba w bazie",
                c.person_id.map(|p| p.to_string()).unwrap_or_default(),
            )
            .hint("Numer, e-mail albo imię i nazwisko; puste, jeśli jej nie ma."),
        ],
    )
    .with_errors(errors)
}

/// The case's timeline and the links that end the page.
async fn timeline(state: &AppState, c: &Case, page: Page) -> Result<Page> {
    let events = cases::timeline(state.db(), c.id).await?;
    let mut t = Table::new("Przebieg sprawy", &["Kiedy", "Kto", "Co"]);
    t.total = events.len() as i64;
    t.rows = events
        .into_iter()
        .map(|e| {
            vec![
                local_time(e.at).into(),
                e.who.unwrap_or_else(|| "formularz".into()).into(),
                e.body.into(),
            ]
        })
        .collect();
    Ok(page
        .block(Block::Heading("Przebieg sprawy".into()))
        .block(Block::Table(t))
        .block(Block::Links(vec![
            (
                format!("{}?entity=case&entity_id={}", paths::AUDIT, c.id),
                "Historia zmian".into(),
            ),
            (BASE.to_owned(), "Wszystkie sprawy".into()),
        ])))
}
