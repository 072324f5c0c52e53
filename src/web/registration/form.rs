//! The registration form, and the page it leads to (check your inbox: the
//! same whatever the address).

use super::*;

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

pub(super) fn fields(f: &RegistrationForm) -> Vec<Field> {
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
        when: format::date_span(a.starts_on, a.ends_on),
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

pub(super) async fn form_page(
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
pub(crate) fn free_places(a: &Activity, confirmed: i64) -> String {
    match registration::free_places(a.capacity, confirmed) {
        Some(0) => "brak (zapis na listę rezerwową)".to_owned(),
        Some(n) => crate::domain::format::integer(n),
        None => "bez limitu".to_owned(),
    }
}

use crate::service::registrations::register::{self, Registered};
pub use crate::service::registrations::register::{LIMIT_WINDOW, RESEND_EVERY};

/// 429 when the address sent too many registrations lately (counted in
/// the write, `registrations::create`): the double opt-in stops fake
/// places, this stops a flood of confirmation e-mails.
/// 429 for an address over a form's limit: it may send again when the
/// oldest of its counted requests (sent at `oldest`) leaves the `window`.
pub(crate) fn limited(state: &AppState, oldest: Option<jiff::Timestamp>, window: i64) -> Error {
    let now = state.clock().now();
    let retry = oldest
        .map(|t| window - (now - t).get_seconds())
        .unwrap_or(window);
    tracing::warn!("form refused: too many from one address");
    Error::TooManyForms(retry.max(1))
}

/// A form refused for its address's limit, shown again as `page` with
/// what was typed: 429 with `Retry-After` as `limited` says.
pub(crate) fn refused(limited: Error, page: Response) -> Result<Response> {
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

pub(super) async fn register(
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
    let registered = register::register(
        state.db(),
        &state.settings().base_url,
        &a,
        &f,
        register::Sender {
            address: &v.address,
            allowed: state.settings().registrations_per_address,
        },
        state.clock().now(),
    )
    .await?;
    match registered {
        Registered::Sent { queued } => {
            if queued {
                state.jobs_queued();
            }
        }
        Registered::Invalid(errors) => {
            let page = form_view(&state, &a, &v, &f, &errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
        Registered::Retry => return Err(Error::BadRequest("Spróbuj ponownie.".into())),
        Registered::Limited(oldest) => {
            let limited = limited(&state, oldest, LIMIT_WINDOW);
            let mut page = form_view(&state, &a, &v, &f, &FieldErrors::default()).await?;
            page.refused = Some(format!(
                "{limited} Formularz nie został wysłany; to, co wpisano, czeka poniżej."
            ));
            return refused(limited, render(&page)?);
        }
    }
    Ok(Redirect::to(&format!("{}/zapis/wyslano", views::activity_url(&a))).into_response())
}

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
pub(super) async fn sent_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
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
