//! Cases in the back office: the list, the deadlines dashboard, and a
//! case's page where staff move it through the workflow, lead it, link it,
//! note and attach; its letters are in `letters`.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, letters, pick, require, require_unit, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::advisory::Topic;
use crate::domain::cases::{Category, MoveError, Outcome, Register, Status};
use crate::domain::format;
use crate::domain::records::{self, FieldErrors};
use crate::domain::reports::Contact;
use crate::store::cases::{self, Case, Filter};
use crate::store::letters as store_letters;
use crate::web::case_files;
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::views::date;
use crate::web::{Error, Result};

pub const BASE: &str = "/admin/sprawy";
pub const DEADLINES: &str = "/admin/sprawy/terminy";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route(DEADLINES, get(deadlines))
        .route(&format!("{BASE}/{{id}}"), get(show))
        .route(&format!("{BASE}/{{id}}/stan"), post(move_to))
        .route(&format!("{BASE}/{{id}}/notatka"), post(note))
        .route(&format!("{BASE}/{{id}}/prowadzacy"), post(assign))
        .route(&format!("{BASE}/{{id}}/powiazania"), post(link))
        .route(&format!("{BASE}/{{id}}/pliki"), post(upload))
        .route(&format!("{BASE}/{{id}}/pliki/{{file}}"), get(download))
        .merge(letters::router())
}

pub fn url(id: i64) -> String {
    format!("{BASE}/{id}")
}

/// What a case is about, in words.
pub fn subject(c: &Case) -> String {
    match Register::from_code(&c.register) {
        Some(Register::Advisory) => Topic::from_code(&c.category)
            .map(|t| format!("doradztwo: {}", t.label()))
            .unwrap_or_else(|| c.category.clone()),
        _ => Category::from_code(&c.category)
            .map(|t| t.label().to_owned())
            .unwrap_or_else(|| c.category.clone()),
    }
}

fn status_text(c: &Case) -> String {
    match c.outcome {
        Some(o) => format!("{} ({})", c.status.label(), o.label()),
        None => c.status.label().to_owned(),
    }
}

/// A stored UTC instant as Warsaw's clock showed it: "2026-11-28 13:05".
fn local_time(at: &str) -> String {
    at.parse::<jiff::Timestamp>()
        .map(|t| {
            t.to_zoned(crate::app::warsaw())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

fn day(iso: &str) -> String {
    date(iso.get(..10).unwrap_or(iso))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    rejestr: String,
    stan: String,
    numer: String,
    otwarte: String,
    strona: Option<String>,
    format: String,
    komunikat: Option<String>,
}

impl ListQuery {
    fn url(&self) -> String {
        let q = super::query(&[
            ("rejestr", &self.rejestr),
            ("stan", &self.stan),
            ("numer", &self.numer),
            ("otwarte", &self.otwarte),
        ]);
        super::with_query(BASE, &q)
    }
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    require(&staff, Area::Cases, Action::View)?;
    let bad = |what: &str| Error::BadRequest(format!("Nieznany {what} w adresie strony."));
    let filter = Filter {
        register: match q.rejestr.as_str() {
            "" => None,
            r => Some(Register::from_code(r).ok_or_else(|| bad("rejestr"))?),
        },
        status: match q.stan.as_str() {
            "" => None,
            s => Some(Status::from_code(s).ok_or_else(|| bad("stan"))?),
        },
        open: q.otwarte == "1",
        number: match crate::domain::search::query_problem(&q.numer) {
            Some(problem) => return Err(Error::BadRequest(problem)),
            None => q.numer.clone(),
        },
    };
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = cases::list(
        state.db(),
        &filter,
        &staff.scope(Area::Cases),
        w.limit,
        w.offset,
    )
    .await?;
    let mut t = Table::new(
        "Sprawy",
        &[
            "Numer",
            "Sprawa",
            "JST",
            "Stan",
            "Prowadzi",
            "Zgłoszono",
            "Termin odpowiedzi",
        ],
    );
    t.total = found.total;
    t.rows = found
        .items
        .iter()
        .map(|c| {
            vec![
                Cell::link(c.number.clone(), url(c.id)),
                subject(c).into(),
                c.jst_name.clone().unwrap_or_default().into(),
                status_text(c).into(),
                c.assignee_name.clone().unwrap_or_default().into(),
                day(&c.created_at).into(),
                c.next_due.as_deref().map(day).unwrap_or_default().into(),
            ]
        })
        .collect();
    if let Some(file) = w.file(&t, "sprawy") {
        return file;
    }
    w.decorate(&mut t, &q.url());
    let filters = Form::filter(
        BASE,
        vec![
            Field::text("numer", "Numer sprawy", q.numer.clone())
                .hint("Cały numer, np. INT/2026/012, albo jego część."),
            Field::select(
                "rejestr",
                "Rodzaj",
                q.rejestr.clone(),
                [
                    ("", "wszystkie"),
                    ("INT", "interwencje"),
                    ("DOR", "doradztwo"),
                ],
            ),
            Field::select(
                "stan",
                "Stan",
                q.stan.clone(),
                std::iter::once(("", "każdy"))
                    .chain(Status::ALL.iter().map(|s| (s.code(), s.label()))),
            ),
            Field::new(
                "otwarte",
                "Tylko otwarte",
                Kind::Checkbox,
                if q.otwarte == "1" { "1" } else { "" },
            ),
        ],
    );
    Page::new("Sprawy", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(q.komunikat.as_deref()))
        .block(Block::Links(vec![(
            DEADLINES.to_owned(),
            "Terminy odpowiedzi".into(),
        )]))
        .block(Block::Form(filters))
        .block(Block::Table(t))
        .render()
}

/// Days ahead the dashboard counts as "due soon".
pub const SOON_DAYS: i64 = 7;

/// The unanswered letters of cases the person reaches: overdue (their day
/// has passed) and due within `SOON_DAYS`, as of the app's today.
async fn due(
    state: &AppState,
    staff: &Staff,
) -> Result<(Vec<store_letters::Due>, Vec<store_letters::Due>)> {
    let today = state.today();
    let until = today
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.checked_add(jiff::Span::new().days(SOON_DAYS)).ok())
        .map(|d| d.to_string())
        .unwrap_or_else(|| today.clone());
    let due = store_letters::due_by(state.db(), &until, &staff.scope(Area::Cases), 500).await?;
    Ok(due.into_iter().partition(|d| d.reply_due < today))
}

/// What the back office's start page says of deadlines, for those who see
/// cases.
pub async fn summary(state: &AppState, staff: &Staff) -> Result<Option<Block>> {
    if !staff.can(Area::Cases, Action::View) {
        return Ok(None);
    }
    let (overdue, soon) = due(state, staff).await?;
    Ok(Some(Block::Links(vec![(
        DEADLINES.to_owned(),
        format!(
            "Odpowiedzi urzędów po terminie: {}, z terminem w ciągu {SOON_DAYS} dni: {}",
            overdue.len(),
            soon.len()
        ),
    )])))
}

/// Unanswered letters: overdue (the day has passed) and due within a week,
/// as of the app's today.
async fn deadlines(State(state): State<AppState>, Signed(staff, v): Signed) -> Result<Response> {
    require(&staff, Area::Cases, Action::View)?;
    let (overdue, soon) = due(&state, &staff).await?;
    let today = state.today();
    let table = |caption: &str, rows: Vec<store_letters::Due>| {
        let mut t = Table::new(caption, &["Termin", "Sprawa", "JST", "Pismo", "Prowadzi"]);
        t.total = rows.len() as i64;
        t.rows = rows
            .into_iter()
            .map(|d| {
                vec![
                    day(&d.reply_due).into(),
                    Cell::link(d.number.clone(), url(d.case_id)),
                    d.jst_name.unwrap_or_default().into(),
                    d.title.into(),
                    d.assignee_name.unwrap_or_default().into(),
                ]
            })
            .collect();
        t
    };
    Page::new("Terminy odpowiedzi", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Text(format!(
            "Stan na {}. Terminy liczone według KPA: termin kończący się w sobotę lub dzień wolny przechodzi na najbliższy dzień roboczy.",
            day(&today)
        )))
        .block(Block::Heading("Po terminie".into()))
        .block(Block::Table(table("Po terminie", overdue)))
        .block(Block::Heading(format!("Termin w ciągu {SOON_DAYS} dni")))
        .block(Block::Table(table(
            &format!("Termin w ciągu {SOON_DAYS} dni"),
            soon,
        )))
        .render()
}

/// The case behind `id`, if the person may do `action` with it (a
/// partner: only cases of JSTs in their areas).
pub async fn found(state: &AppState, staff: &Staff, id: i64, action: Action) -> Result<Case> {
    let c = cases::get(state.db(), id).await?.ok_or(Error::NotFound)?;
    require_unit(staff, Area::Cases, action, c.local_government.as_deref())?;
    Ok(c)
}

async fn show(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::View).await?;
    page(&state, &staff, &v, &c, &FieldErrors::default())
        .await?
        .notice(super::notice(n.komunikat.as_deref()))
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
    let db = state.db();
    let may_change = staff.can(Area::Cases, Action::Change);
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
        (
            "Prowadzi".into(),
            c.assignee_name.clone().unwrap_or_else(|| "—".into()).into(),
        ),
        ("Zgłoszono".into(), day(&c.created_at).into()),
        (
            "Najbliższy termin odpowiedzi".into(),
            c.next_due
                .as_deref()
                .map(day)
                .unwrap_or_else(|| "—".into())
                .into(),
        ),
        (
            "Organizacja (ze zgłoszenia)".into(),
            c.organisation_name.clone().into(),
        ),
        (
            "Zgoda na podanie organizacji urzędowi".into(),
            (if c.reveal_identity { "tak" } else { "nie" }).into(),
        ),
        (
            "Zgoda na przytoczenie opisu w piśmie".into(),
            (if c.share_description { "tak" } else { "nie" }).into(),
        ),
    ];
    if may_change {
        // The reporter's contact is for those who lead cases.
        facts.push(("Zgłaszający".into(), c.reporter_name.clone().into()));
        facts.push(("E-mail".into(), c.reporter_email.clone().into()));
        if !c.reporter_phone.is_empty() {
            facts.push(("Telefon".into(), c.reporter_phone.clone().into()));
        }
        facts.push((
            "Preferowany kontakt".into(),
            Contact::from_code(&c.preferred_contact)
                .map(|k| k.label())
                .unwrap_or("")
                .into(),
        ));
    }
    if let Some(o) = c.organisation_id {
        facts.push((
            "Organizacja w bazie".into(),
            Cell::link(
                format!("nr {o}"),
                format!("{}/{o}", super::paths::ORGANISATIONS),
            ),
        ));
    }
    if let Some(p) = c.person_id {
        facts.push((
            "Osoba w bazie".into(),
            Cell::link(format!("nr {p}"), format!("{}/{p}", super::paths::PEOPLE)),
        ));
    }
    let mut page = Page::new(format!("Sprawa {}", c.number), Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Facts(facts))
        .block(Block::Heading("Opis ze zgłoszenia".into()))
        .block(Block::Text(c.description.clone()));
    page = letters::blocks(state, staff, v, c, errors, page).await?;

    let files = cases::attachments(db, c.id).await?;
    let mut t = Table::new(
        "Pliki sprawy",
        &["Plik", "Rodzaj", "Rozmiar", "Skąd", "Dodano"],
    );
    t.total = files.len() as i64;
    t.rows = files
        .iter()
        .map(|f| {
            vec![
                if may_open(staff, &f.source) {
                    Cell::link(f.name.clone(), format!("{}/pliki/{}", url(c.id), f.id))
                } else {
                    f.name.clone().into()
                },
                f.file_type.label().into(),
                format!("{} kB", format::integer((f.size + 1023) / 1024)).into(),
                match f.source.as_str() {
                    "report" => "ze zgłoszenia",
                    "letter" => "pismo do urzędu",
                    "reply" => "odpowiedź urzędu",
                    _ => "dodany przez zespół",
                }
                .into(),
                day(&f.created_at).into(),
            ]
        })
        .collect();
    page = page
        .block(Block::Heading("Pliki".into()))
        .block(Block::Table(t));
    if may_change {
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

        let options: Vec<(String, String)> = c
            .status
            .next()
            .iter()
            .map(|s| (s.code().to_owned(), s.label().to_owned()))
            .collect();
        if !options.is_empty() {
            page = page
                .block(Block::Heading("Zmiana stanu".into()))
                .block(Block::Form(
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
                ));
        }
        let people = super::advisory::advisors(state).await?;
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
        let jst_shown = super::pick::jst_shown(db, c.local_government.as_deref()).await?;
        page = page.block(Block::Form(
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
            .with_errors(errors),
        ));
        page = page.block(Block::Form(
            Form::post(
                format!("{}/notatka", url(c.id)),
                &v.csrf,
                "Dodaj notatkę",
                vec![Field::new("note", "Notatka wewnętrzna", Kind::TextArea, "")
                    .hint("Widzą ją tylko osoby z dostępem do sprawy.")],
            )
            .with_errors(errors),
        ));
    }
    let events = cases::timeline(db, c.id).await?;
    let mut t = Table::new("Przebieg sprawy", &["Kiedy", "Kto", "Co"]);
    t.total = events.len() as i64;
    t.rows = events
        .into_iter()
        .map(|e| {
            vec![
                local_time(&e.at).into(),
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
                format!("{}?entity=case&entity_id={}", super::paths::AUDIT, c.id),
                "Historia zmian".into(),
            ),
            (BASE.to_owned(), "Wszystkie sprawy".into()),
        ])))
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    to: String,
    outcome: String,
    status_note: String,
}

async fn move_to(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<MoveForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let mut errors = FieldErrors::default();
    let to = Status::from_code(&f.to);
    let outcome = Outcome::from_code(&f.outcome);
    if to.is_none() {
        errors.add("to", "Wybierz nowy stan.");
    }
    if !f.outcome.is_empty() && outcome.is_none() {
        errors.add("outcome", "Wybierz jeden z wyników.");
    }
    records::optional(
        &mut errors,
        "status_note",
        &f.status_note,
        records::MAX_TEXT,
    );
    if let Some(to) = to.filter(|_| errors.is_empty()) {
        let now = state.now_text();
        let db = state.db();
        match cases::move_to(db, staff.account_id, id, to, outcome, &f.status_note, &now).await? {
            Ok(()) => return Ok(done(id, "zapisano")),
            Err(e @ MoveError::NotAllowed { .. }) => errors.add("to", e.to_string()),
            Err(e) => errors.add("outcome", e.to_string()),
        }
    }
    let kept = [
        ("to", &f.to),
        ("outcome", &f.outcome),
        ("status_note", &f.status_note),
    ];
    refused(&state, &staff, &v, &c, &errors, &kept).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    note: String,
}

async fn note(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<NoteForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let text = f.note.trim();
    if text.is_empty() || text.chars().count() > 10_000 {
        let mut errors = FieldErrors::default();
        errors.add("note", "Wpisz treść notatki (najwyżej 10 000 znaków).");
        return refused(&state, &staff, &v, &c, &errors, &[("note", &f.note)]).await;
    }
    cases::add_note(state.db(), staff.account_id, id, text, &state.now_text()).await?;
    Ok(done(id, "dodano"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AssignForm {
    assignee: String,
}

async fn assign(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<AssignForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let people = super::advisory::advisors(&state).await?;
    let chosen = match f.assignee.trim() {
        "" => None,
        typed => match people.iter().find(|a| a.id.to_string() == typed) {
            Some(a) => Some((a.id, a.name.as_str())),
            None => {
                let mut errors = FieldErrors::default();
                errors.add("assignee", "Wybierz osobę z listy.");
                return refused(&state, &staff, &v, &c, &errors, &[]).await;
            }
        },
    };
    cases::assign(state.db(), staff.account_id, id, chosen, &state.now_text()).await?;
    Ok(done(id, "zapisano"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LinkForm {
    jst: String,
    organisation: String,
    person: String,
}

async fn link(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    choices: pick::Choices,
    BodyForm(f): BodyForm<LinkForm>,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let db = state.db();
    let mut errors = FieldErrors::default();
    let jst = pick::jst(db, &f.jst, choices.get("jst"), "jst", &mut errors).await?;
    let organisation = pick::organisation(db, &f.organisation, "organisation", &mut errors).await?;
    let person = if f.person.trim().is_empty() {
        None
    } else {
        pick::person(db, &f.person, "person", &mut errors).await?
    };
    if !errors.is_empty() {
        return refused(
            &state,
            &staff,
            &v,
            &c,
            &errors,
            &[
                ("jst", &f.jst),
                ("organisation", &f.organisation),
                ("person", &f.person),
            ],
        )
        .await;
    }
    cases::link(
        db,
        staff.account_id,
        id,
        jst.as_deref(),
        organisation,
        person,
        &state.now_text(),
    )
    .await?;
    Ok(done(id, "zapisano"))
}

async fn upload(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    crate::web::extract::Multipart(multipart): crate::web::extract::Multipart,
) -> Result<Response> {
    let c = found(&state, &staff, id, Action::Change).await?;
    let parts = case_files::read(multipart).await?;
    let mut errors = FieldErrors::default();
    if parts.files.is_empty() {
        errors.add("files", "Wybierz plik.");
    } else {
        match case_files::save_all(state.settings(), &parts.files).await? {
            Ok(stored) => {
                let now = state.now_text();
                // Files of a failed write are swept later
                // (`jobs::orphan_files`): a failed commit may still
                // have happened.
                cases::add_attachments(state.db(), staff.account_id, id, &stored, &now).await?;
                return Ok(done(id, "dodano"));
            }
            Err(e) => errors.add("files", e.to_string()),
        }
    }
    refused(&state, &staff, &v, &c, &errors, &[]).await
}

async fn download(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response> {
    found(&state, &staff, id, Action::View).await?;
    let a = cases::attachment(state.db(), file)
        .await?
        .filter(|a| a.case_id == id)
        .ok_or(Error::NotFound)?;
    if !may_open(&staff, &a.source) {
        return Err(Error::Forbidden(
            "Pliki zgłoszenia otwierają tylko osoby prowadzące sprawy.".into(),
        ));
    }
    case_files::download(state.settings(), &a).await
}

/// Whether a file of a case may be opened: letters by anyone who sees the
/// case; what the reporter or the office sent (which may hold personal
/// data) only by those who lead cases.
fn may_open(staff: &Staff, source: &str) -> bool {
    source == "letter" || staff.can(Area::Cases, Action::Change)
}
