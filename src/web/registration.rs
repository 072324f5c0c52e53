//! Registration on the public site: the form at `/szkolenia/{slug}/zapis`
//! (and `/wydarzenia/{slug}/zapis`), the page it leads to (check your
//! inbox: the same whatever the address), the page of one registration at
//! `/zapisy/{token}` — reached only through the e-mailed link — where it
//! is confirmed or cancelled, and iCalendar files. Not cached: these pages
//! carry forms with CSRF tokens.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::admin::ui::{Field, Form, Kind};
use super::extract::{Form as BodyForm, Path, Query};
use super::layout::Layout;
use super::session::{self, Anyone};
use super::views::{self, span};
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::activity::Gender;
use crate::domain::ical;
use crate::domain::records::{AffiliationRole, FieldErrors};
use crate::domain::registration::{self, RegistrationForm, Status, CONFIRM_WITHIN_HOURS};
use crate::mail::registration::{self as mails, About};
use crate::store::activities::{self, Activity};
use crate::store::registrations::{self, Confirmation, Created, Once};
use crate::store::{offices, organisations};

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/szkolenia/{slug}/zapis", get(form_page).post(register))
        .route("/wydarzenia/{slug}/zapis", get(form_page).post(register))
        .route("/szkolenia/{slug}/zapis/wyslano", get(sent_page))
        .route("/wydarzenia/{slug}/zapis/wyslano", get(sent_page))
        .route("/zapisy/{token}", get(status_page))
        .route("/zapisy/{token}/potwierdz", get(to_page).post(confirm))
        .route("/zapisy/{token}/rezygnacja", get(to_page).post(cancel))
        .route("/zapisy/{token}/opinia", get(feedback_page).post(feedback))
        .layer(middleware::from_fn_with_state(state, session::layer))
}

/// The iCalendar routes: public and cacheable like the pages. Each
/// activity's file sits beside its page, wherever that is.
pub fn calendar_router() -> Router<AppState> {
    Router::new()
        .route("/szkolenia.ics", get(feed))
        .route("/szkolenia/{slug}/kalendarz.ics", get(one))
        .route("/wydarzenia/{slug}/kalendarz.ics", get(one))
        .route(
            "/dzialania-lokalne/wydarzenie/{slug}/kalendarz.ics",
            get(one),
        )
}

/// Trainings and events are open for registration; other kinds are not.
pub(super) fn registrable(a: &Activity) -> bool {
    (a.kind.is_training() || a.kind.is_event()) && a.local_work_id.is_none()
}

/// The activity behind `slug`, if people can register for it at all.
async fn activity(state: &AppState, slug: &str) -> Result<Arc<Activity>> {
    state
        .activities()
        .by_slug(state.db(), slug)
        .await?
        .filter(|a| registrable(a))
        .ok_or(Error::NotFound)
}

/// Whether registration is open today: until the closing day (by default
/// the first day of the activity), and only while it is planned.
pub(super) fn open(state: &AppState, a: &Activity) -> bool {
    let last = a.registration_closes_on.as_deref().unwrap_or(&a.starts_on);
    a.status == crate::domain::activity::ActivityStatus::Planned && state.today().as_str() <= last
}

fn host(base_url: &str) -> &str {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .unwrap_or("koalicja")
}

/// An activity as a calendar event.
pub fn event(base_url: &str, a: &Activity) -> ical::Event {
    ical::Event {
        uid: format!("aktywnosc-{}@{}", a.id, host(base_url)),
        summary: a.title.clone(),
        description: a.topic.clone(),
        location: if a.online {
            "online".into()
        } else {
            a.venue.clone()
        },
        url: format!("{base_url}{}", views::activity_url(a)),
        starts_on: a.starts_on.parse().unwrap_or_default(),
        ends_on: a.ends_on.parse().unwrap_or_default(),
        start_time: a.start_time.parse().ok(),
        duration_minutes: a.duration_minutes,
    }
}

/// The activity as e-mails describe it; `with_link` for e-mails to people
/// with a place, the only ones that carry an online event's link and the
/// calendar file (not written for the others).
fn about(state: &AppState, a: &Activity, with_link: bool) -> About {
    let base = &state.settings().base_url;
    let when = if a.start_time.is_empty() {
        span(&a.starts_on, &a.ends_on)
    } else {
        format!("{}, od {}", span(&a.starts_on, &a.ends_on), a.start_time)
    };
    About {
        named: mails::named(a.kind),
        title: a.title.clone(),
        when,
        place: if a.online {
            "online".into()
        } else {
            a.venue.clone()
        },
        url: format!("{base}{}", views::activity_url(a)),
        online_link: a.online_link.clone().filter(|_| with_link),
        ics: if with_link {
            ical::calendar(&a.title, &[event(base, a)], state.clock().now())
        } else {
            String::new()
        },
    }
}

fn calendar_response(text: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/calendar; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// One activity's file, at the address its page links
/// (`views::calendar_url`) and no other.
async fn one(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    Path(slug): Path<String>,
) -> Result<Response> {
    let a = state
        .activities()
        .by_slug(state.db(), &slug)
        .await?
        .filter(|a| views::calendar_url(a) == uri.path())
        .ok_or(Error::NotFound)?;
    let base = &state.settings().base_url;
    Ok(calendar_response(ical::calendar(
        &a.title,
        &[event(base, &a)],
        state.clock().now(),
    )))
}

/// Every upcoming training and event (not those cancelled).
async fn feed(State(state): State<AppState>) -> Result<Response> {
    let project = super::public::project(&state).await?;
    let today = state.today();
    let mut events = Vec::new();
    for selection in [
        activities::Selection::Trainings,
        activities::Selection::Events,
    ] {
        let upcoming = activities::list(
            state.db(),
            project.id,
            selection,
            activities::When::Upcoming,
            &Default::default(),
            &today,
            1000,
            0,
        )
        .await?;
        events.extend(
            upcoming
                .items
                .iter()
                .filter(|a| a.status != crate::domain::activity::ActivityStatus::Cancelled)
                .map(|a| event(&state.settings().base_url, a)),
        );
    }
    Ok(calendar_response(ical::calendar(
        "Szkolenia i wydarzenia",
        &events,
        state.clock().now(),
    )))
}

#[derive(Template)]
#[template(path = "public/registration.html")]
struct FormPage {
    layout: Layout,
    title: String,
    when: String,
    place: String,
    back: String,
    free: String,
    open: bool,
    /// "szkolenie" or "wydarzenie".
    named: &'static str,
    notice: &'static [&'static str],
    /// Why the form was refused as a whole (too many registrations),
    /// shown above it with everything typed kept.
    refused: Option<String>,
    form: Form,
}

fn fields(f: &RegistrationForm) -> Vec<Field> {
    let mut consent = Field::new(
        "consent",
        registration::CONSENT,
        Kind::Checkbox,
        f.consent.clone().unwrap_or_default(),
    );
    consent.required = true;
    vec![
        Field::text("first_name", "Imię", f.first_name.clone())
            .required()
            .autocomplete("given-name"),
        Field::text("last_name", "Nazwisko", f.last_name.clone())
            .required()
            .autocomplete("family-name"),
        Field::new("email", "E-mail", Kind::Email, f.email.clone())
            .required()
            .autocomplete("email")
            .hint("Wyślemy na niego łącze do potwierdzenia zapisu."),
        Field::text("phone", "Telefon (nieobowiązkowo)", f.phone.clone()).autocomplete("tel"),
        Field::text(
            "affiliation",
            "Organizacja albo urząd (nieobowiązkowo)",
            f.affiliation.clone(),
        )
        .autocomplete("organization")
        .hint("Nazwa organizacji pozarządowej albo urzędu gminy, powiatu lub województwa."),
        Field::select(
            "role",
            "Rola",
            f.role.clone(),
            AffiliationRole::ALL.iter().map(|r| (r.code(), r.label())),
        ),
        Field::select(
            "gender",
            "Płeć (nieobowiązkowo)",
            f.gender.clone(),
            [
                ("", "wolę nie podawać"),
                (Gender::Female.code(), "kobieta"),
                (Gender::Male.code(), "mężczyzna"),
                (Gender::Other.code(), "inna"),
            ],
        )
        .hint("Grantodawca prosi o dane w podziale na płeć; podajesz je dobrowolnie."),
        Field::new(
            "needs",
            "Potrzeby związane z dostępnością (nieobowiązkowo)",
            Kind::TextArea,
            f.needs.clone(),
        )
        .hint(
            "Np. tłumacz PJM, pętla indukcyjna, dostęp bez schodów. Widzą to tylko organizatorzy.",
        ),
        consent,
    ]
}

async fn form_view(
    state: &AppState,
    a: &Activity,
    v: &session::Visitor,
    f: &RegistrationForm,
    errors: &FieldErrors,
) -> Result<FormPage> {
    let (confirmed, _) = registrations::counts(state.db(), a.id).await?;
    let free = free_places(a, confirmed);
    let section = if a.kind.is_event() {
        paths::EVENTS
    } else {
        paths::TRAININGS
    };
    Ok(FormPage {
        layout: Layout::new(state.site(), section, format!("Zapis: {}", a.title)),
        title: a.title.clone(),
        when: span(&a.starts_on, &a.ends_on),
        place: if a.online {
            "online".into()
        } else {
            a.venue.clone()
        },
        back: views::activity_url(a),
        free,
        open: open(state, a),
        named: mails::named(a.kind).accusative,
        notice: registration::NOTICE,
        refused: None,
        form: Form::post(
            format!("{}/zapis", views::activity_url(a)),
            &v.csrf,
            "Zapisuję się",
            fields(f),
        )
        .with_errors(errors),
    })
}

async fn form_page(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(slug): Path<String>,
) -> Result<Response> {
    let a = activity(&state, &slug).await?;
    render(
        &form_view(
            &state,
            &a,
            &v,
            &RegistrationForm {
                role: "ngo_leader".into(),
                ..Default::default()
            },
            &FieldErrors::default(),
        )
        .await?,
    )
}

/// Free places as the pages say it.
pub(super) fn free_places(a: &Activity, confirmed: i64) -> String {
    match registration::free_places(a.capacity, confirmed) {
        Some(0) => "brak (zapis na listę rezerwową)".to_owned(),
        Some(n) => crate::domain::format::integer(n),
        None => "bez limitu".to_owned(),
    }
}

/// The window of the limit on registrations per address
/// (`registrations_per_address` in the configuration).
pub const LIMIT_WINDOW: i64 = 15 * 60;

/// 429 when the address sent too many registrations lately (counted in
/// the write, `registrations::create`): the double opt-in stops fake
/// places, this stops a flood of confirmation e-mails.
/// 429 for an address over a form's limit: it may send again when the
/// oldest of its counted requests (sent at `oldest`) leaves the `window`.
pub(super) fn limited(state: &AppState, oldest: Option<&str>, window: i64) -> Error {
    let now = state.clock().now();
    let retry = oldest
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| window - (now - t).get_seconds())
        .unwrap_or(window);
    tracing::warn!("form refused: too many from one address");
    Error::TooManyForms(retry.max(1))
}

/// A form refused for its address's limit, shown again as `page` with
/// what was typed: 429 with `Retry-After` as `limited` says.
pub(super) fn refused(limited: Error, page: Response) -> Result<Response> {
    let retry = match limited {
        Error::TooManyForms(seconds) => seconds.max(1),
        _ => 1,
    };
    let mut answer = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
    answer
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry));
    Ok(answer)
}

/// The organisation or JST office a typed affiliation names, if exactly one.
async fn affiliation(state: &AppState, typed: &str) -> Result<(Option<i64>, Option<String>)> {
    if typed.trim().is_empty() {
        return Ok((None, None));
    }
    if let [(id, _)] = organisations::find(state.db(), typed, 2).await?.as_slice() {
        return Ok((Some(*id), None));
    }
    if let [unit] = offices::find(state.db(), typed, 2).await?.as_slice() {
        return Ok((None, Some(unit.teryt.clone())));
    }
    Ok((None, None))
}

async fn register(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(slug): Path<String>,
    BodyForm(f): BodyForm<RegistrationForm>,
) -> Result<Response> {
    let a = activity(&state, &slug).await?;
    if !open(&state, &a) {
        return Err(Error::BadRequest(format!(
            "Zapisy na to {} są już zamknięte.",
            mails::named(a.kind).accusative
        )));
    }
    let mut errors = FieldErrors::default();
    let Some(r) = f.validate(&mut errors) else {
        let page = form_view(&state, &a, &v, &f, &errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    let (organisation, jst) = affiliation(&state, &r.affiliation).await?;
    let token = crate::domain::auth::new_token()
        .map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    let base = &state.settings().base_url;
    let email = r.email.clone();
    let mail = mails::confirmation_request(base, &about(&state, &a, false), &r.email, &token);
    let created = registrations::create(
        state.db(),
        registrations::NewRegistration {
            activity: a.id,
            address: v.address.clone(),
            allowed: state.settings().registrations_per_address,
            since: crate::app::stamp(
                state.clock().now() - jiff::SignedDuration::from_secs(LIMIT_WINDOW),
            ),
            registration: r,
            organisation,
            jst,
            token: token.clone(),
            consent_version: registration::CONSENT_VERSION.to_owned(),
            mail,
            now: state.now_text(),
        },
    )
    .await?;
    match created {
        Created::Pending(_) | Created::Added(_) => state.jobs_queued(),
        Created::Limited(oldest) => {
            let limited = limited(&state, oldest.as_deref(), LIMIT_WINDOW);
            let mut page = form_view(&state, &a, &v, &f, &FieldErrors::default()).await?;
            page.refused = Some(format!(
                "{limited} Formularz nie został wysłany; to, co wpisano, czeka poniżej."
            ));
            return refused(limited, render(&page)?);
        }
        // The address's owner gets their registration's link; whoever sent
        // the form learns nothing of it: the answer is the same.
        Created::Duplicate(_) => {
            let now = state.clock().now();
            let about = about(&state, &a, false);
            let base = base.clone();
            let resent = registrations::resend_link(
                state.db(),
                a.id,
                &email,
                &crate::app::stamp(now - jiff::SignedDuration::from_secs(RESEND_EVERY)),
                &crate::app::stamp(now),
                &move |l| mails::already_registered(&base, &about, l.status, &l.email, &l.token),
            )
            .await?;
            if resent {
                state.jobs_queued();
            }
        }
    }
    Ok(Redirect::to(&format!("{}/zapis/wyslano", views::activity_url(&a))).into_response())
}

/// How often (in seconds) one registration's link is sent again when its
/// address is registered once more: an address typed by someone else
/// gets at most one such e-mail an hour per registration.
pub const RESEND_EVERY: i64 = 60 * 60;

#[derive(Template)]
#[template(path = "public/registration_sent.html")]
struct SentPage {
    layout: Layout,
    /// "szkolenie" or "wydarzenie".
    named: &'static str,
    title: String,
    back: String,
    within: String,
}

/// Where the form leads, whatever the address: to look for the e-mail.
/// It confirms nothing and names no registration; only while
/// registration is open, as no form could have been sent otherwise.
async fn sent_page(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response> {
    let a = activity(&state, &slug).await?;
    if !open(&state, &a) {
        return Err(Error::NotFound);
    }
    let section = if a.kind.is_event() {
        paths::EVENTS
    } else {
        paths::TRAININGS
    };
    render(&SentPage {
        layout: Layout::new(state.site(), section, "Sprawdź skrzynkę"),
        named: mails::named(a.kind).accusative,
        title: a.title.clone(),
        back: views::activity_url(&a),
        within: mails::confirm_within(),
    })
}

#[derive(Template)]
#[template(path = "public/registration_status.html")]
struct StatusPage {
    layout: Layout,
    /// "Szkolenie" or "Wydarzenie".
    named: String,
    title: String,
    /// Whose registration it is, as the form gave it: the name, and the
    /// organisation and role when given.
    name: String,
    affiliation: String,
    role: &'static str,
    activity_url: String,
    calendar_url: String,
    when: String,
    status: &'static str,
    notice: String,
    confirm: Option<Form>,
    cancel: Option<Form>,
    /// Once checked in: the certificate and the feedback form.
    certificate_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusQuery {
    komunikat: Option<String>,
}

fn notice(code: Option<&str>) -> String {
    match code.unwrap_or("") {
        "potwierdzono" => "Zapis potwierdzony. Wysłaliśmy e-mail z plikiem do kalendarza.".into(),
        "rezerwowa" => "Wszystkie miejsca są zajęte: jesteś na liście rezerwowej. Napiszemy, gdy zwolni się miejsce.".into(),
        "zrezygnowano" => "Rezygnacja przyjęta.".into(),
        "wygaslo" => format!(
            "Ten zapis nie został potwierdzony w ciągu {} i wygasł. Zapisz się ponownie.",
            mails::confirm_within()
        ),
        "opinia" => "Dziękujemy za opinię!".into(),
        _ => String::new(),
    }
}

async fn status_page(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
    Query(q): Query<StatusQuery>,
) -> Result<Response> {
    let l = registrations::by_token(state.db(), &token)
        .await?
        .ok_or(Error::NotFound)?;
    let a = state
        .activities()
        .by_id(state.db(), l.activity_id)
        .await?
        .ok_or(Error::NotFound)?;
    let here = format!("/zapisy/{token}");
    let attended = crate::store::certificates::attendee_of(state.db(), &token)
        .await?
        .is_some();
    let (affiliation, role) = registrations::holder(state.db(), l.id)
        .await?
        .unwrap_or_default();
    let named = mails::named(a.kind).nominative;
    let section = if a.kind.is_event() {
        paths::EVENTS
    } else {
        paths::TRAININGS
    };
    let page = StatusPage {
        layout: Layout::new(state.site(), section, "Twój zapis"),
        named: named
            .chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .chain(named.chars().skip(1))
            .collect(),
        title: a.title.clone(),
        name: format!("{} {}", l.first_name, l.last_name),
        affiliation,
        role: AffiliationRole::from_code(&role).map_or("", |r| r.label()),
        activity_url: views::activity_url(&a),
        calendar_url: views::calendar_url(&a),
        when: span(&a.starts_on, &a.ends_on),
        status: l.status.label(),
        notice: notice(q.komunikat.as_deref()),
        confirm: (l.status == Status::Pending).then(|| {
            Form::post(
                format!("{here}/potwierdz"),
                &v.csrf,
                "Potwierdzam zapis",
                Vec::new(),
            )
        }),
        cancel: l.status.is_live().then(|| {
            Form::post(
                format!("{here}/rezygnacja"),
                &v.csrf,
                "Rezygnuję z udziału",
                Vec::new(),
            )
        }),
        certificate_url: attended.then(|| format!("{here}/zaswiadczenie.pdf")),
    };
    render(&page)
}

/// A link followed to where a registration's page posts: its page, where
/// the buttons are (only a POST confirms or cancels). Nothing that is not
/// a token has a page.
async fn to_page(Path(token): Path<String>) -> Result<Response> {
    if !crate::domain::auth::token_shaped(&token) {
        return Err(Error::NotFound);
    }
    Ok(Redirect::to(&format!("/zapisy/{token}")).into_response())
}

/// Writes the e-mail for a registration's new status.
fn composer(
    state: &AppState,
    a: &Activity,
    promoted_on_confirm: bool,
) -> impl Fn(Status, &registrations::Link) -> crate::store::outbox::Message + Send + Sync {
    let about = about(state, a, true);
    let base = state.settings().base_url.clone();
    move |status, l| {
        mails::status_change(
            &base,
            &about,
            status,
            promoted_on_confirm,
            &l.email,
            &l.token,
        )
    }
}

async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let l = registrations::by_token(state.db(), &token)
        .await?
        .ok_or(Error::NotFound)?;
    let a = state
        .activities()
        .by_id(state.db(), l.activity_id)
        .await?
        .ok_or(Error::NotFound)?;
    let now = state.clock().now();
    let expired_before =
        crate::app::stamp(now - jiff::SignedDuration::from_hours(CONFIRM_WITHIN_HOURS));
    let compose = composer(&state, &a, false);
    let outcome = registrations::confirm(
        state.db(),
        l,
        &expired_before,
        &crate::app::stamp(now),
        &compose,
    )
    .await?;
    let code = match outcome {
        Confirmation::Placed(Status::Confirmed) => "potwierdzono",
        Confirmation::Placed(_) => "rezerwowa",
        Confirmation::Expired | Confirmation::Unchanged(Status::Expired) => "wygaslo",
        _ => "",
    };
    state.jobs_queued();
    Ok(Redirect::to(&format!("/zapisy/{token}?komunikat={code}")).into_response())
}

async fn cancel(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let l = registrations::by_token(state.db(), &token)
        .await?
        .ok_or(Error::NotFound)?;
    let a = state
        .activities()
        .by_id(state.db(), l.activity_id)
        .await?
        .ok_or(Error::NotFound)?;
    let compose = composer(&state, &a, true);
    registrations::cancel(state.db(), &token, &state.now_text(), &compose).await?;
    state.jobs_queued();
    Ok(Redirect::to(&format!("/zapisy/{token}?komunikat=zrezygnowano")).into_response())
}

/// Queues the reminders of activities starting in two days (run by the
/// worker; each registration gets one, whichever instance runs it).
pub async fn send_reminders(state: &AppState) -> Result<usize, crate::store::StoreError> {
    let day = state
        .clock()
        .now()
        .to_zoned(crate::app::warsaw())
        .date()
        .checked_add(jiff::Span::new().days(REMIND_DAYS_BEFORE))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let due = registrations::due_reminders(state.db(), &day).await?;
    queue_once(state, due, Once::Reminder, mails::reminder).await
}

/// How many days before an activity its participants are reminded.
pub const REMIND_DAYS_BEFORE: i64 = 2;

/// Queues the thank-you e-mails (with the certificate and the feedback
/// form) of activities that have ended, to the people who were present;
/// once each.
pub async fn send_thanks(state: &AppState) -> Result<usize, crate::store::StoreError> {
    let due = crate::store::feedback::due_thanks(state.db(), &state.today()).await?;
    queue_once(state, due, Once::Thanks, mails::thank_you).await
}

/// Writes and queues `once` for each registration due, reading each
/// activity once however many of its people are due.
async fn queue_once(
    state: &AppState,
    due: Vec<registrations::Link>,
    once: Once,
    write: fn(&str, &About, &str, &str) -> crate::store::outbox::Message,
) -> Result<usize, crate::store::StoreError> {
    let base = state.settings().base_url.clone();
    let mut abouts: std::collections::HashMap<i64, About> = std::collections::HashMap::new();
    let mut sent = 0;
    for l in due {
        if !abouts.contains_key(&l.activity_id) {
            let Some(a) = state.activities().by_id(state.db(), l.activity_id).await? else {
                continue;
            };
            // Only a reminder goes before the activity, to people with a
            // place: it carries the online link.
            abouts.insert(a.id, about(state, &a, once == Once::Reminder));
        }
        let Some(a) = abouts.get(&l.activity_id) else {
            continue;
        };
        let mail = write(&base, a, &l.email, &l.token);
        if registrations::queue_once(state.db(), l.id, once, &mail, &state.now_text()).await? {
            sent += 1;
        }
    }
    if sent > 0 {
        state.jobs_queued();
    }
    Ok(sent)
}

#[derive(Template)]
#[template(path = "public/feedback.html")]
struct FeedbackPage {
    layout: Layout,
    title: String,
    activity_url: String,
    open: bool,
    form: Form,
}

fn feedback_fields(f: &crate::domain::feedback::FeedbackForm) -> Vec<Field> {
    let scale = || {
        [
            ("", "— wybierz —"),
            ("5", "5 — bardzo dobrze"),
            ("4", "4"),
            ("3", "3"),
            ("2", "2"),
            ("1", "1 — bardzo źle"),
        ]
    };
    vec![
        Field::select("usefulness", "Przydatność", f.usefulness.clone(), scale()),
        Field::select("trainer", "Prowadzenie", f.trainer.clone(), scale()),
        Field::select(
            "organisation",
            "Organizacja",
            f.organisation.clone(),
            scale(),
        ),
        Field::new(
            "comment",
            "Komentarz (nieobowiązkowo)",
            Kind::TextArea,
            f.comment.clone(),
        ),
    ]
}

async fn feedback_view(
    state: &AppState,
    v: &session::Visitor,
    token: &str,
    f: &crate::domain::feedback::FeedbackForm,
    errors: &FieldErrors,
) -> Result<FeedbackPage> {
    let l = registrations::by_token(state.db(), token)
        .await?
        .ok_or(Error::NotFound)?;
    let a = state
        .activities()
        .by_id(state.db(), l.activity_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(FeedbackPage {
        layout: Layout::new(state.site(), paths::TRAININGS, "Twoja opinia"),
        activity_url: views::activity_url(&a),
        title: a.title.clone(),
        open: crate::store::feedback::may_answer(state.db(), l.id).await?,
        form: Form::post(
            format!("/zapisy/{token}/opinia"),
            &v.csrf,
            "Wyślij opinię",
            feedback_fields(f),
        )
        .with_errors(errors),
    })
}

async fn feedback_page(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
) -> Result<Response> {
    render(
        &feedback_view(
            &state,
            &v,
            &token,
            &Default::default(),
            &FieldErrors::default(),
        )
        .await?,
    )
}

async fn feedback(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
    BodyForm(f): BodyForm<crate::domain::feedback::FeedbackForm>,
) -> Result<Response> {
    let l = registrations::by_token(state.db(), &token)
        .await?
        .ok_or(Error::NotFound)?;
    let mut errors = FieldErrors::default();
    let Some(answer) = f.validate(&mut errors) else {
        let page = feedback_view(&state, &v, &token, &f, &errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    if !crate::store::feedback::give(state.db(), &l, &answer, &state.today(), &state.now_text())
        .await?
    {
        return Err(Error::BadRequest(
            "Opinię może wysłać raz osoba, która była na wydarzeniu.".into(),
        ));
    }
    Ok(Redirect::to(&format!("/zapisy/{token}?komunikat=opinia")).into_response())
}
