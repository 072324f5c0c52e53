//! Activities of every kind in the back office, with their attendance.
//! Attendance drives the public figures, so each change here bumps the
//! data version and the public pages follow.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use super::paths::ACTIVITIES as BASE;
use super::ui::{invalid, refused, Block, Cell, Field, Form, Kind, Page, Table};
use super::{export, pick, require, ListQuery, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Role, Scope, Staff};
use crate::domain::activity::{ActivityKind, ActivityStatus, Audience};
use crate::domain::format;
use crate::domain::records::{ActivityForm, FieldErrors};
use crate::service::registrations::staff::{self as staff_side, Checked};
use crate::store::accounts;
use crate::store::activities::Activity;
use crate::store::activity_records::{self, Filter, Record};
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::views;
use crate::web::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route(&format!("{BASE}/nowe"), get(new_page).post(create))
        .route(&format!("{BASE}/{{id}}"), get(edit_page).post(update))
        .route(
            &format!("{BASE}/{{id}}/usun"),
            get(confirm_delete).post(delete),
        )
        .route(
            &format!("{BASE}/{{id}}/obecnosc"),
            get(attendance_page).post(attendance),
        )
        .route(
            &format!("{BASE}/{{id}}/obecnosc/{{person}}/usun"),
            post(remove_attendance),
        )
}

fn url(id: i64) -> String {
    format!("{BASE}/{id}")
}

/// Activities are "Activities" to the rules, advisory sessions "Advisory".
fn area(kind: ActivityKind) -> Area {
    if kind == ActivityKind::Advisory {
        Area::Advisory
    } else {
        Area::Activities
    }
}

fn table(items: &[Activity], total: i64) -> Table {
    let mut t = Table::new(
        "Działania",
        &["Tytuł", "Rodzaj", "Stan", "Kiedy", "Miejsce", "Uczestnicy"],
    );
    t.total = total;
    t.rows = items
        .iter()
        .map(|a| {
            vec![
                Cell::link(a.title.clone(), url(a.id)),
                a.kind.label().into(),
                a.status.label().into(),
                format::date_span(a.starts_on, a.ends_on).into(),
                (if a.online {
                    "online".to_owned()
                } else {
                    a.venue.clone()
                })
                .into(),
                a.attendees.to_string().into(),
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
    require(&staff, Area::Activities, Action::View)?;
    let kind = ActivityKind::from_code(&q.rodzaj);
    let filter = Filter {
        query: q.search()?,
        kind,
        status: ActivityStatus::from_code(&q.stan),
        unit: q.unit()?,
    };
    let scope = staff.scope(Area::Activities);
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = activity_records::list(state.db(), &filter, &scope, w.limit, w.offset).await?;
    let mut t = table(&found.items, found.total);
    if let Some(file) = w.file(&t, "dzialania") {
        return file;
    }
    w.decorate(&mut t, &q.url(BASE));
    Page::new("Działania", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(q.komunikat.as_deref()))
        .block(Block::Form(Form::filter(
            BASE,
            vec![
                Field::new("q", "Tytuł", Kind::Search, q.q.clone()),
                Field::select(
                    "rodzaj",
                    "Rodzaj",
                    q.rodzaj.clone(),
                    std::iter::once(("", "wszystkie"))
                        .chain(ActivityKind::ALL.iter().map(|k| (k.code(), k.label()))),
                ),
                Field::select(
                    "stan",
                    "Stan",
                    q.stan.clone(),
                    std::iter::once(("", "wszystkie"))
                        .chain(ActivityStatus::ALL.iter().map(|s| (s.code(), s.label()))),
                ),
                Field::text("jst", "Kod TERYT obszaru", q.jst.clone()),
            ],
        )))
        .block(Block::Links(vec![(
            format!("{BASE}/nowe"),
            "Dodaj działanie".into(),
        )]))
        .block(Block::Table(t))
        .render()
}

async fn fields(state: &AppState, staff: &Staff, f: &ActivityForm) -> Result<Vec<Field>> {
    let mut fields = what_fields(f);
    fields.extend(when_and_where_fields(f));
    if staff.role != Role::Trainer {
        fields.push(trainer_field(state, f).await?);
    }
    Ok(fields)
}

/// What the activity is: kind, title, state, topic, description.
fn what_fields(f: &ActivityForm) -> Vec<Field> {
    vec![
        Field::select(
            "kind",
            "Rodzaj",
            f.kind.clone(),
            ActivityKind::ALL.iter().map(|k| (k.code(), k.label())),
        )
        .required(),
        Field::text("title", "Tytuł", f.title.clone()).required(),
        Field::select(
            "status",
            "Stan",
            if f.status.is_empty() {
                ActivityStatus::Planned.code().to_owned()
            } else {
                f.status.clone()
            },
            ActivityStatus::ALL.iter().map(|s| (s.code(), s.label())),
        )
        .hint("Tylko działania, które się odbyły, liczą się w statystykach i mają zaświadczenia; stan „odbyło się” można ustawić od ostatniego dnia działania."),
        Field::text("topic", "Temat", f.topic.clone()),
        Field::new(
            "summary_md",
            "Opis (Markdown)",
            Kind::TextArea,
            f.summary_md.clone(),
        ),
    ]
}

/// When and where it is, for whom and how many.
fn when_and_where_fields(f: &ActivityForm) -> Vec<Field> {
    vec![
        Field::new(
            "starts_on",
            "Data rozpoczęcia",
            Kind::Date,
            f.starts_on.clone(),
        )
        .required(),
        Field::new("ends_on", "Data zakończenia", Kind::Date, f.ends_on.clone())
            .hint("Puste: ten sam dzień."),
        Field::new(
            "start_time",
            "Godzina rozpoczęcia",
            Kind::Time,
            f.start_time.clone(),
        ),
        Field::new(
            "duration_minutes",
            "Czas trwania w minutach",
            Kind::Number,
            f.duration_minutes.clone(),
        )
        .required(),
        Field::new(
            "online",
            "Online",
            Kind::Checkbox,
            f.online.clone().unwrap_or_default(),
        ),
        Field::text("venue", "Miejsce", f.venue.clone()),
        Field::text(
            "online_link",
            "Łącze do spotkania online",
            f.online_link.clone(),
        )
        .hint("Wysyłane tylko osobom z potwierdzonym miejscem."),
        Field::new(
            "registration_closes_on",
            "Zapisy do dnia",
            Kind::Date,
            f.registration_closes_on.clone(),
        )
        .hint("Puste: do dnia rozpoczęcia."),
        Field::text("local_government", "JST", f.local_government.clone())
            .hint("Nazwa gminy lub kod TERYT."),
        Field::select(
            "audience",
            "Dla kogo",
            f.audience.clone(),
            Audience::ALL.iter().map(|a| (a.code(), a.label())),
        )
        .required(),
        Field::new(
            "capacity",
            "Liczba miejsc",
            Kind::Number,
            f.capacity.clone(),
        ),
        Field::text("co_organiser", "Współorganizator", f.co_organiser.clone()),
    ]
}

/// The trainer, chosen among the active trainers' accounts.
async fn trainer_field(state: &AppState, f: &ActivityForm) -> Result<Field> {
    let trainers: Vec<(String, String)> = std::iter::once((String::new(), "— brak —".to_owned()))
        .chain(
            accounts::list(state.db())
                .await?
                .into_iter()
                .filter(|a| a.role == Role::Trainer && a.active)
                .map(|a| (a.id.to_string(), a.name)),
        )
        .collect();
    Ok(Field::select(
        "trainer_account_id",
        "Trener (konto)",
        f.trainer_account_id.clone(),
        trainers,
    ))
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    title: &str,
    action: String,
    f: &ActivityForm,
    errors: &FieldErrors,
) -> Result<Page> {
    Ok(Page::new(title, Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Form(
            Form::post(action, &v.csrf, "Zapisz", fields(state, staff, f).await?)
                .with_errors(errors),
        )))
}

async fn new_page(State(state): State<AppState>, Signed(staff, v): Signed) -> Result<Response> {
    require(&staff, Area::Activities, Action::Change)?;
    let f = ActivityForm {
        kind: ActivityKind::Training.code().into(),
        audience: Audience::Ngo.code().into(),
        duration_minutes: "360".into(),
        start_time: "10:00".into(),
        ..ActivityForm::default()
    };
    form_page(
        &state,
        &staff,
        &v,
        "Nowe działanie",
        format!("{BASE}/nowe"),
        &f,
        &FieldErrors::default(),
    )
    .await?
    .render()
}

async fn save(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    existing: Option<&Record>,
    f: ActivityForm,
    choices: &pick::Choices,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    let mut valid = f.validate(&mut errors);
    let jst = pick::jst(
        state.db(),
        &f.local_government,
        choices.get("local_government"),
        "local_government",
        &mut errors,
    )
    .await?;
    let project = match existing {
        Some(r) => r.project_id,
        None => state
            .site()
            .project
            .as_ref()
            .map(|p| p.id)
            .ok_or(Error::NotFound)?,
    };
    if let Some(a) = valid.as_mut() {
        check(
            state,
            staff,
            existing,
            a,
            jst.as_deref(),
            project,
            &mut errors,
        )
        .await?;
    }
    match valid.filter(|_| errors.is_empty()) {
        Some(a) => {
            let id = existing.map(|r| r.activity.id);
            let saved = activity_records::save(
                state.db(),
                staff.account_id,
                project,
                id,
                &a,
                jst.as_deref(),
                state.clock().now(),
            )
            .await?;
            let code = if id.is_some() { "zapisano" } else { "dodano" };
            Ok(Redirect::to(&format!("{}?komunikat={code}", url(saved))).into_response())
        }
        None => {
            let (title, action) = match existing {
                Some(r) => ("Edycja działania", url(r.activity.id)),
                None => ("Nowe działanie", format!("{BASE}/nowe")),
            };
            invalid(form_page(state, staff, v, title, action, &f, &errors).await?)
        }
    }
}

/// What refuses a valid form: a state the dates do not allow, a kind or
/// place outside the person's scope, a trainer's account that does not
/// exist. A trainer leads what they record.
async fn check(
    state: &AppState,
    staff: &Staff,
    existing: Option<&Record>,
    a: &mut crate::domain::records::ActivityRecord,
    jst: Option<&str>,
    project: i64,
    errors: &mut FieldErrors,
) -> Result<()> {
    let status = a
        .status
        .or(existing.map(|r| r.activity.status))
        .unwrap_or(ActivityStatus::Planned);
    if let Err(why) = status.check(a.ends_on, state.clock().today_date()) {
        errors.add("status", why);
    }
    if !staff.can(area(a.kind), Action::Change) {
        errors.add("kind", "Nie możesz prowadzić działań tego rodzaju.");
    }
    if staff.role == Role::Trainer {
        a.trainer_account_id = Some(staff.account_id);
    }
    if let Some(trainer) = a.trainer_account_id {
        if accounts::get(state.db(), trainer).await?.is_none() {
            errors.add(
                "trainer_account_id",
                "Nie ma takiego konta. Wybierz trenera z listy.",
            );
        }
    }
    let scope = staff.scope(area(a.kind));
    if !Staff::reaches(&scope, jst, a.trainer_account_id, Some(project)) {
        let field = if matches!(scope, Scope::Within(_)) {
            "local_government"
        } else {
            "kind"
        };
        errors.add(
            field,
            "To działanie byłoby poza Twoim zakresem (obszar, projekt lub prowadzący).",
        );
    }
    Ok(())
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    choices: pick::Choices,
    BodyForm(f): BodyForm<ActivityForm>,
) -> Result<Response> {
    require(&staff, Area::Activities, Action::Change)?;
    save(&state, &staff, &v, None, f, &choices).await
}

/// The activity, if the person may see (or change) it; 403 otherwise.
pub(super) async fn found(
    state: &AppState,
    staff: &Staff,
    id: i64,
    action: Action,
) -> Result<Record> {
    let r = activity_records::get(state.db(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let area = area(r.activity.kind);
    require(staff, area, action)?;
    if !Staff::reaches(
        &staff.scope(area),
        r.activity.local_government.as_deref(),
        r.trainer_account_id,
        Some(r.project_id),
    ) {
        tracing::warn!(
            account = staff.account_id,
            activity = id,
            "access refused: activity out of scope"
        );
        return Err(Error::Forbidden(
            "Nie masz uprawnień do tego działania.".into(),
        ));
    }
    Ok(r)
}

/// Whether a page offers check-in: open, closed (the reason as text), or
/// a check-in just refused (the reason as an alert).
pub(super) enum CheckIn {
    Open,
    Closed(String),
    Refused(String),
}

impl CheckIn {
    pub(super) fn of(state: &AppState, r: &Record) -> CheckIn {
        match staff_side::check_in_open(&r.activity, state.clock().today_date()) {
            Ok(()) => CheckIn::Open,
            Err(why) => CheckIn::Closed(why),
        }
    }

    /// `offer` while check-in is open, the reason otherwise.
    pub(super) fn block(self, offer: impl FnOnce() -> Block) -> Block {
        match self {
            CheckIn::Open => offer(),
            CheckIn::Closed(why) => Block::Text(why),
            CheckIn::Refused(why) => Block::Alert(why),
        }
    }
}

fn form_of(r: &Record) -> ActivityForm {
    let a = &r.activity;
    ActivityForm {
        kind: a.kind.code().into(),
        title: a.title.clone(),
        topic: a.topic.clone(),
        summary_md: a.summary_md.clone(),
        starts_on: a.starts_on.to_string(),
        ends_on: a.ends_on.to_string(),
        start_time: a.start_time.clone(),
        duration_minutes: a.duration_minutes.to_string(),
        online: a.online.then(|| "1".to_owned()),
        venue: a.venue.clone(),
        local_government: a.local_government.clone().unwrap_or_default(),
        audience: a.audience.code().into(),
        capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
        co_organiser: a.co_organiser.clone().unwrap_or_default(),
        trainer_account_id: r
            .trainer_account_id
            .map(|t| t.to_string())
            .unwrap_or_default(),
        registration_closes_on: r
            .registration_closes_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        online_link: r.online_link.clone().unwrap_or_default(),
        status: a.status.code().into(),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::View).await?;
    let a = &r.activity;
    Page::new(a.title.clone(), Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(n.komunikat.as_deref()))
        .block(Block::Facts(vec![
            ("Rodzaj".into(), a.kind.label().into()),
            ("Stan".into(), a.status.label().into()),
            (
                "Kiedy".into(),
                format::date_span(a.starts_on, a.ends_on).into(),
            ),
            (
                "Uczestnicy".into(),
                Cell::link(a.attendees.to_string(), format!("{}/obecnosc", url(id))),
            ),
            (
                "Strona publiczna".into(),
                Cell::link("zobacz", views::activity_url(a)),
            ),
        ]))
        .block(Block::Links(
            [
                (format!("{}/obecnosc", url(id)), "Lista obecności".into()),
                (format!("{}/zapisy", url(id)), "Zapisy".into()),
                (format!("{}/program", url(id)), "Program".into()),
            ]
            .into_iter()
            .chain(super::documents::links(id))
            .chain([
                (
                    format!("{}?entity=activity&entity_id={id}", super::paths::AUDIT),
                    "Historia zmian".into(),
                ),
                (format!("{}/usun", url(id)), "Usuń działanie".into()),
            ])
            .collect(),
        ))
        .block(Block::Heading("Edycja".into()))
        .block(Block::Form(Form::post(
            url(id),
            &v.csrf,
            "Zapisz zmiany",
            fields(&state, &staff, &{
                let mut form = form_of(&r);
                form.local_government =
                    super::pick::jst_shown(state.db(), r.activity.local_government.as_deref())
                        .await?;
                form
            })
            .await?,
        )))
        .render()
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    choices: pick::Choices,
    BodyForm(f): BodyForm<ActivityForm>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    save(&state, &staff, &v, Some(&r), f, &choices).await
}

async fn confirm_delete(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    let refs = activity_records::references(state.db(), id).await?;
    super::confirm(
        &staff,
        &v,
        &format!("Usunąć działanie „{}”?", r.activity.title),
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
    if activity_records::references(state.db(), id).await? > 0 {
        // Still referenced: the confirmation page says why not.
        return confirm_delete(State(state), Signed(staff, v), Path(id)).await;
    }
    activity_records::delete(state.db(), staff.account_id, id, state.clock().now()).await?;
    Ok(Redirect::to(&format!("{BASE}?komunikat=usunieto")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AttendanceForm {
    person: String,
}

/// The people on an activity's list: a page of them, or all for a file.
async fn attendance_table(
    state: &AppState,
    v: &Visitor,
    r: &Record,
    w: &export::Window,
) -> Result<Table> {
    let id = r.activity.id;
    let found = activity_records::attendees(state.db(), id, w.limit, w.offset).await?;
    let mut t = Table::new("Obecni", &["Nazwisko i imię", "Grupa"]);
    t.total = found.total;
    t.csrf = v.csrf.clone();
    for p in &found.items {
        t.rows.push(vec![
            Cell::link(
                p.name.clone(),
                format!("{}/{}", super::paths::PEOPLE, p.person_id),
            ),
            p.group.label().into(),
        ]);
        t.row_actions.push(vec![(
            format!("{}/obecnosc/{}/usun", url(id), p.person_id),
            "Usuń z listy".into(),
        )]);
    }
    if w.file.is_none() {
        w.decorate(&mut t, &format!("{}/obecnosc", url(id)));
    }
    Ok(t)
}

/// The attendance page; the form that adds a person only while check-in
/// is open (`open`), otherwise the reason and from when it opens (as text,
/// or as an alert answering a refused check-in).
fn attendance_view(
    staff: &Staff,
    v: &Visitor,
    r: &Record,
    t: Table,
    typed: &str,
    errors: &FieldErrors,
    open: CheckIn,
) -> Page {
    let id = r.activity.id;
    let page = Page::new(
        format!("Lista obecności: {}", r.activity.title),
        Some(staff),
        &v.csrf,
    )
    .section(BASE)
    .block(Block::Links(vec![(url(id), "Wróć do działania".into())]));
    page.block(open.block(|| {
        Block::Form(
            Form::post(
                format!("{}/obecnosc", url(id)),
                &v.csrf,
                "Dodaj do listy",
                vec![Field::text("person", "Osoba", typed)
                    .required()
                    .hint("Numer osoby, jej e-mail albo imię i nazwisko.")],
            )
            .with_errors(errors),
        )
    }))
    .block(Block::Table(t))
}

async fn attendance_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::View).await?;
    let w = export::Window::of(&n.format, n.strona.as_deref())?;
    let t = attendance_table(&state, &v, &r, &w).await?;
    if let Some(file) = w.file(&t, "lista-obecnosci") {
        return file;
    }
    let open = CheckIn::of(&state, &r);
    attendance_view(&staff, &v, &r, t, "", &FieldErrors::default(), open)
        .notice(super::notice(n.komunikat.as_deref()))
        .render()
}

async fn attendance(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path(id): Path<i64>,
    BodyForm(f): BodyForm<AttendanceForm>,
) -> Result<Response> {
    let r = found(&state, &staff, id, Action::Change).await?;
    let closed = |why| async {
        let t = attendance_table(&state, &v, &r, &export::Window::of("", None)?).await?;
        let view = attendance_view(&staff, &v, &r, t, "", &FieldErrors::default(), why);
        refused(view)
    };
    if let Err(why) = staff_side::check_in_open(&r.activity, state.clock().today_date()) {
        return closed(CheckIn::Refused(why)).await;
    }
    let mut errors = FieldErrors::default();
    let Some(person) = pick::person(state.db(), &f.person, "person", &mut errors).await? else {
        let t = attendance_table(&state, &v, &r, &export::Window::of("", None)?).await?;
        return invalid(attendance_view(
            &staff,
            &v,
            &r,
            t,
            &f.person,
            &errors,
            CheckIn::Open,
        ));
    };
    let checked = staff_side::attend(
        state.db(),
        staff.account_id,
        &r.activity,
        person,
        state.clock().now(),
    )
    .await?;
    if let Checked::Closed(why) = checked {
        return closed(CheckIn::Refused(why)).await;
    }
    Ok(Redirect::to(&format!("{}/obecnosc?komunikat=zapisano", url(id))).into_response())
}

async fn remove_attendance(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path((id, person)): Path<(i64, i64)>,
) -> Result<Response> {
    found(&state, &staff, id, Action::Change).await?;
    activity_records::set_attendance(
        state.db(),
        staff.account_id,
        id,
        person,
        false,
        false,
        state.clock().now(),
    )
    .await?;
    Ok(Redirect::to(&format!("{}/obecnosc?komunikat=zapisano", url(id))).into_response())
}
