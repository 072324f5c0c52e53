//! An activity's registrations for staff: the list (filter by status,
//! export), adding someone by hand, moving between the participants and
//! the waitlist, cancelling, and checking people in on the day (one by
//! one or all at once), which puts them on the attendance the figures count.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::activities::{found, CheckIn};
use super::export;
use super::paths::ACTIVITIES as BASE;
use super::ui::{invalid, refused, Block, Cell, Field, Form, Kind, Page, Table};
use crate::app::AppState;
use crate::domain::access::{Action, Staff};
use crate::domain::records::{AffiliationRole, FieldErrors};
use crate::domain::registration::{RegistrationForm, Status};
use crate::service::registrations::staff::{self as staff_side, Added, Checked, Move};
use crate::store::activity_records::Record;
use crate::store::registrations;
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{BASE}/{{id}}/zapisy"), get(list).post(add))
        .route(
            &format!("{BASE}/{{id}}/zapisy/{{registration}}/{{to}}"),
            post(move_to),
        )
        .route(&format!("{BASE}/{{id}}/zapisy/obecni"), post(all_present))
        .route(super::paths::FEEDBACK, get(per_trainer))
}

fn url(id: i64) -> String {
    format!("{BASE}/{id}/zapisy")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    strona: Option<String>,
    format: String,
    komunikat: Option<String>,
}

/// The moves a row offers, by where it stands now; marking someone
/// present only while check-in is open.
fn moves(id: i64, r: &registrations::ListedRegistration, check_in: bool) -> Vec<(String, String)> {
    let to = |code: &str, label: &str| (format!("{}/{}/{code}", url(id), r.id), label.to_owned());
    match r.status {
        Status::Confirmed if r.present => vec![to("nieobecny", "Cofnij obecność")],
        Status::Confirmed => check_in
            .then(|| to("obecny", "Obecna/obecny"))
            .into_iter()
            .chain([to("rezerwa", "Na listę rezerwową"), to("anuluj", "Anuluj")])
            .collect(),
        Status::Waitlisted | Status::Pending => vec![
            to("uczestnik", "Na listę uczestników"),
            to("anuluj", "Anuluj"),
        ],
        _ => vec![to("uczestnik", "Przywróć")],
    }
}

async fn table(
    state: &AppState,
    v: &Visitor,
    r: &Record,
    status: Option<Status>,
    w: &export::Window,
) -> Result<Table> {
    let id = r.activity.id;
    let check_in = staff_side::check_in_open(&r.activity, state.clock().today_date()).is_ok();
    let found = registrations::list(state.db(), id, status, w.limit, w.offset).await?;
    let mut t = Table::new(
        "Zapisy",
        &[
            "Nazwisko i imię",
            "E-mail",
            "Telefon",
            "Organizacja lub urząd",
            "Rola",
            "Stan",
            "Obecność",
            "Potrzeby",
            "Zapisano",
        ],
    );
    t.total = found.total;
    t.csrf = v.csrf.clone();
    for r in &found.items {
        t.rows.push(vec![
            Cell::from(format!("{} {}", r.last_name, r.first_name)),
            r.email.clone().into(),
            r.phone.clone().into(),
            r.affiliation.clone().into(),
            r.role.label().into(),
            r.status.label().into(),
            (if r.present {
                "obecna/obecny"
            } else if r.status == Status::Confirmed {
                "—"
            } else {
                ""
            })
            .into(),
            r.needs.clone().unwrap_or_default().into(),
            crate::web::views::instant(&crate::clock::stamp(r.created_at)).into(),
        ]);
        t.row_actions.push(moves(id, r, check_in));
    }
    Ok(t)
}

fn add_fields(f: &RegistrationForm, status: &str) -> Vec<Field> {
    vec![
        Field::text("first_name", "Imię", f.first_name.clone()).required(),
        Field::text("last_name", "Nazwisko", f.last_name.clone()).required(),
        Field::new("email", "E-mail", Kind::Email, f.email.clone()).required(),
        Field::text("phone", "Telefon", f.phone.clone()),
        Field::text(
            "affiliation",
            "Organizacja lub urząd",
            f.affiliation.clone(),
        ),
        Field::select(
            "role",
            "Rola",
            f.role.clone(),
            AffiliationRole::ALL.iter().map(|r| (r.code(), r.label())),
        ),
        Field::select(
            "list",
            "Lista",
            status,
            [
                (Status::Confirmed.code(), "uczestnicy"),
                (Status::Waitlisted.code(), "lista rezerwowa"),
            ],
        ),
        Field::new(
            "consent",
            "Osoba zgodziła się na przetwarzanie danych (np. na formularzu papierowym)",
            Kind::Checkbox,
            f.consent.clone().unwrap_or_default(),
        ),
    ]
}

/// The registrations page; the button that marks everyone confirmed
/// present only while check-in is open (`check_in`), otherwise the reason
/// and from when it opens (as text, or as an alert answering a refusal).
#[allow(clippy::too_many_arguments)]
fn page(
    staff: &Staff,
    v: &Visitor,
    r: &Record,
    status: &str,
    t: Table,
    f: &RegistrationForm,
    errors: &FieldErrors,
    check_in: CheckIn,
) -> Page {
    let id = r.activity.id;
    let all_present = check_in.block(|| {
        Block::Form(Form::post(
            format!("{}/obecni", url(id)),
            &v.csrf,
            "Zaznacz obecność wszystkich potwierdzonych",
            Vec::new(),
        ))
    });
    Page::new(
        format!("Zapisy: {}", r.activity.title),
        Some(staff),
        &v.csrf,
    )
    .section(BASE)
    .block(Block::Links(
        [
            (format!("{BASE}/{id}"), "Wróć do działania".into()),
            (format!("{BASE}/{id}/obecnosc"), "Lista obecności".into()),
        ]
        .into_iter()
        .chain(super::documents::links(id))
        .collect(),
    ))
    .block(Block::Form(Form::filter(
        url(id),
        vec![Field::select(
            "status",
            "Stan",
            status,
            std::iter::once(("", "wszystkie"))
                .chain(Status::ALL.iter().map(|s| (s.code(), s.label()))),
        )],
    )))
    .block(all_present)
    .block(Block::Table(t))
    .block(Block::Heading("Dodaj osobę".into()))
    .block(Block::Form(
        Form::post(
            url(id),
            &v.csrf,
            "Dodaj",
            add_fields(f, Status::Confirmed.code()),
        )
        .with_errors(errors),
    ))
}

async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::View).await?;
    let status = Status::from_code(&q.status);
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let mut t = table(&state, &v, &r, status, &w).await?;
    if let Some(file) = w.file(&t, "zapisy") {
        return file;
    }
    let base = if status.is_some() {
        format!("{}?status={}", url(id), q.status)
    } else {
        url(id)
    };
    w.decorate(&mut t, &base);
    page(
        &staff,
        &v,
        &r,
        &q.status,
        t,
        &RegistrationForm {
            role: "ngo_leader".into(),
            ..Default::default()
        },
        &FieldErrors::default(),
        CheckIn::of(&state, &r),
    )
    .notice(super::notice(q.komunikat.as_deref()))
    .block(Block::Heading("Opinie uczestników".into()))
    .block(feedback(
        &crate::store::feedback::for_activity(state.db(), id).await?,
    ))
    .render()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AddForm {
    #[serde(flatten)]
    form: RegistrationForm,
    list: String,
}

async fn add(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<AddForm>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    let added = staff_side::add(
        state.db(),
        staff.account_id,
        id,
        &f.form,
        &f.list,
        state.clock().now(),
    )
    .await?;
    let errors = match added {
        Added::Id(_) => {
            return Ok(Redirect::to(&format!("{}?komunikat=dodano", url(id))).into_response())
        }
        Added::Retry => return Err(Error::BadRequest("Spróbuj ponownie.".into())),
        Added::Refused(errors) => errors,
    };
    let t = table(&state, &v, &r, None, &export::Window::of("", None)?).await?;
    invalid(page(
        &staff,
        &v,
        &r,
        "",
        t,
        &f.form,
        &errors,
        CheckIn::of(&state, &r),
    ))
}

/// The registrations page answering a check-in refused by the activity's
/// dates or state: 409, the reason shown as an alert where the buttons were.
async fn check_in_refused(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    r: &Record,
    why: String,
) -> Result<Response> {
    let t = table(state, v, r, None, &export::Window::of("", None)?).await?;
    let form = RegistrationForm {
        role: "ngo_leader".into(),
        ..Default::default()
    };
    let errors = FieldErrors::default();
    refused(page(
        staff,
        v,
        r,
        "",
        t,
        &form,
        &errors,
        CheckIn::Refused(why),
    ))
}

async fn move_to(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path((id, registration, to)): Path<(i64, i64, String)>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    let checked = match Move::from_code(&to).ok_or(Error::NotFound)? {
        Move::Present(present) => {
            staff_side::check_in(
                state.db(),
                staff.account_id,
                &r.activity,
                registration,
                present,
                state.clock().now(),
            )
            .await?
        }
        Move::To(status) => {
            let done = staff_side::set_status(
                state.db(),
                staff.account_id,
                id,
                registration,
                status,
                state.clock().now(),
            )
            .await?;
            if done {
                Checked::Done
            } else {
                Checked::NotFound
            }
        }
    };
    match checked {
        Checked::Done => {
            Ok(Redirect::to(&format!("{}?komunikat=zapisano", url(id))).into_response())
        }
        Checked::NotFound => Err(Error::NotFound),
        Checked::Closed(why) => check_in_refused(&state, &staff, &v, &r, why).await,
    }
}

async fn all_present(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    let checked = staff_side::all_present(
        state.db(),
        staff.account_id,
        &r.activity,
        state.clock().now(),
    )
    .await?;
    if let Checked::Closed(why) = checked {
        return check_in_refused(&state, &staff, &v, &r, why).await;
    }
    Ok(Redirect::to(&format!("{}?komunikat=zapisano", url(id))).into_response())
}

/// The answers about an activity: how many, the averages, the comments.
fn feedback(answers: &[crate::domain::feedback::Feedback]) -> Block {
    let (n, usefulness, trainer, organisation) = crate::domain::feedback::averages(answers);
    if n == 0 {
        return Block::Text("Nikt jeszcze nie wysłał opinii.".into());
    }
    let avg = |x: f64| crate::domain::format::decimal(x);
    let mut facts = vec![
        ("Odpowiedzi".to_owned(), Cell::from(n.to_string())),
        (
            "Przydatność (średnio, 1–5)".to_owned(),
            avg(usefulness).into(),
        ),
        ("Prowadzenie (średnio, 1–5)".to_owned(), avg(trainer).into()),
        (
            "Organizacja (średnio, 1–5)".to_owned(),
            avg(organisation).into(),
        ),
    ];
    for (i, c) in answers.iter().filter(|a| !a.comment.is_empty()).enumerate() {
        facts.push((format!("Komentarz {}", i + 1), c.comment.clone().into()));
    }
    Block::Facts(facts)
}

/// Feedback per trainer, across the activities they led (each trainer sees
/// their own; coordinators their projects').
async fn per_trainer(State(state): State<AppState>, Signed(staff, v): Signed) -> Result<Response> {
    super::require(
        &staff,
        crate::domain::access::Area::Activities,
        Action::View,
    )?;
    let rows = crate::store::feedback::per_trainer(
        state.db(),
        &staff.scope(crate::domain::access::Area::Activities),
    )
    .await?;
    let mut t = Table::new(
        "Opinie według prowadzących",
        &[
            "Prowadząca / prowadzący",
            "Działania",
            "Odpowiedzi",
            "Przydatność",
            "Prowadzenie",
            "Organizacja",
        ],
    );
    t.total = rows.len() as i64;
    let avg = |sum: i64, n: i64| {
        crate::domain::format::decimal(if n == 0 {
            0.0
        } else {
            ((sum * 10) as f64 / n as f64).round() / 10.0
        })
    };
    t.rows = rows
        .iter()
        .map(|(name, activities, n, sums)| {
            vec![
                Cell::from(name.clone()),
                activities.to_string().into(),
                n.to_string().into(),
                avg(sums[0], *n).into(),
                avg(sums[1], *n).into(),
                avg(sums[2], *n).into(),
            ]
        })
        .collect();
    Page::new("Opinie uczestników", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Text("Średnie ocen od 1 do 5 z anonimowych opinii; komentarze są przy każdym działaniu (w jego zapisach).".into()))
        .block(Block::Table(t))
        .render()
}
