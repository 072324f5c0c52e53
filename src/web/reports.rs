//! The public forms of advisory and interventions: `/doradztwo/zgloszenie`
//! (an NGO asks for advice) and `/interwencje/zgloszenie` (an NGO reports
//! a problem with its JST, with files). Each report becomes a case with a
//! number, confirmed on a page and by e-mail. Not cached: the forms carry
//! CSRF tokens.

use askama::Template;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::admin::pick;
use super::admin::ui::{Field, Form, Kind};
use super::case_files::{self, Parts};
use super::extract::{Form as BodyForm, Multipart, Path};
use super::layout::Layout;
use super::session::{self, Anyone, Visitor};
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::advisory::Topic;
use crate::domain::attachments::{MAX_BYTES, MAX_FILES};
use crate::domain::cases::Category;
use crate::domain::records::FieldErrors;
use crate::domain::reports::{self, Contact, Report, ReportInput};
use crate::service::reports as service;
use crate::store::cases::{self, Filed, StoredFile};

pub const ADVICE: &str = "/doradztwo/zgloszenie";
pub const PROBLEM: &str = "/interwencje/zgloszenie";
pub const SENT: &str = "/zgloszenia/przyjete";

use crate::service::reports::WINDOW;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(ADVICE, get(advice_page).post(advice))
        .route(PROBLEM, get(problem_page).post(problem))
        .route(&format!("{SENT}/{{receipt}}"), get(sent))
        .layer(DefaultBodyLimit::max(session::UPLOAD_LIMIT))
        .layer(middleware::from_fn_with_state(state, session::layer))
}

#[derive(Template)]
#[template(path = "public/report.html")]
struct ReportPage {
    layout: Layout,
    heading: &'static str,
    intro: &'static [&'static str],
    back: &'static str,
    notice: &'static [&'static str],
    /// Why the form was refused as a whole (too many reports), shown
    /// above it with everything typed kept.
    refused: Option<String>,
    form: Form,
}

fn common_fields(f: &ReportInput) -> (Vec<Field>, Vec<Field>) {
    let head = vec![
        Field::text("organisation", "Organizacja", f.organisation.clone())
            .required()
            .autocomplete("organization")
            .hint("Pełna nazwa organizacji pozarządowej."),
        Field::text("name", "Imię i nazwisko", f.name.clone())
            .required()
            .autocomplete("name"),
        Field::new("email", "E-mail", Kind::Email, f.email.clone())
            .required()
            .autocomplete("email")
            .hint("Wyślemy na niego potwierdzenie z numerem sprawy."),
        Field::text("phone", "Telefon (nieobowiązkowo)", f.phone.clone()).autocomplete("tel"),
        Field::select(
            "contact",
            "Preferowany sposób kontaktu",
            f.contact.clone(),
            Contact::ALL.iter().map(|c| (c.code(), c.label())),
        ),
    ];
    let mut consent = Field::new(
        "consent",
        reports::CONSENT,
        Kind::Checkbox,
        f.consent.clone().unwrap_or_default(),
    );
    consent.required = true;
    (head, vec![consent])
}

fn advice_form(v: &Visitor, f: &ReportInput, errors: &FieldErrors) -> Form {
    let (mut fields, tail) = common_fields(f);
    fields.push(
        Field::select(
            "topic",
            "Temat",
            f.topic.clone(),
            std::iter::once(("", "— wybierz —"))
                .chain(Topic::ALL.iter().map(|t| (t.code(), t.label()))),
        )
        .required(),
    );
    fields.push(
        Field::new(
            "description",
            "Czego dotyczy pytanie",
            Kind::TextArea,
            f.description.clone(),
        )
        .required()
        .hint("Opisz sytuację i pytanie; im więcej szczegółów, tym lepiej się przygotujemy."),
    );
    fields.extend(tail);
    Form::post(ADVICE, &v.csrf, "Wyślij prośbę o doradztwo", fields).with_errors(errors)
}

fn problem_form(v: &Visitor, f: &ReportInput, errors: &FieldErrors) -> Form {
    let (mut fields, tail) = common_fields(f);
    fields.push(
        Field::text("jst", "Gmina, powiat lub województwo", f.jst.clone())
            .required()
            .hint("Nazwa tak, jak ją piszesz, np. „gmina Jednorożec”, „Płońsk”, „powiat płoński”, albo kod TERYT. Szukamy w rejestrze TERYT; gdy pasuje kilka, poprosimy o wybór."),
    );
    fields.push(
        Field::select(
            "category",
            "Rodzaj problemu",
            f.category.clone(),
            std::iter::once(("", "— wybierz —"))
                .chain(Category::ALL.iter().map(|c| (c.code(), c.label()))),
        )
        .required(),
    );
    fields.push(
        Field::new(
            "description",
            "Opis problemu",
            Kind::TextArea,
            f.description.clone(),
        )
        .required()
        .hint("Co się stało, kiedy, czego dotyczy (uchwała, konkurs, ogłoszenie)."),
    );
    fields.push(
        Field::new("files", "Załączniki (nieobowiązkowo)", Kind::Files, "").hint(&format!(
            "Pliki PDF, JPEG lub PNG, najwyżej {MAX_FILES}, każdy do {} MB. Po błędzie w formularzu wybierz pliki ponownie.",
            MAX_BYTES / (1024 * 1024)
        )),
    );
    fields.push(
        Field::new(
            "reveal",
            "Zgadzam się, by w piśmie do urzędu podać nazwę mojej organizacji",
            Kind::Checkbox,
            f.reveal.clone().unwrap_or_default(),
        )
        .hint(
            "Bez tej zgody piszemy do urzędu we własnym imieniu, nie podając, kto zgłosił sprawę.",
        ),
    );
    fields.push(
        Field::new(
            "share",
            "Zgadzam się, by pismo do urzędu przytaczało opis problemu z tego zgłoszenia",
            Kind::Checkbox,
            f.share.clone().unwrap_or_default(),
        )
        .hint("Bez tej zgody opis zostaje do naszej wiadomości; w piśmie nazywamy tylko rodzaj problemu."),
    );
    fields.extend(tail);
    let mut form = Form::post(PROBLEM, &v.csrf, "Wyślij zgłoszenie", fields).with_errors(errors);
    form.multipart = true;
    form
}

const ADVICE_INTRO: &[&str] = &[
    "Doradzamy organizacjom pozarządowym w sprawach współpracy z samorządem: programy współpracy, konkursy i małe granty, konsultacje, dostęp do informacji publicznej.",
    "Doradztwo jest bezpłatne. Po wysłaniu formularza skontaktujemy się, by ustalić termin konsultacji.",
];

const PROBLEM_INTRO: &[&str] = &[
    "Zgłoś, jeśli samorząd nie uchwalił lub nie skonsultował programu współpracy, naruszył zasady współpracy, działał nieprzejrzyście albo nieprawidłowo przeprowadził konkurs ofert.",
    "Przeanalizujemy sprawę i w razie potrzeby zwrócimy się do urzędu z pytaniami i prośbą o wyjaśnienia.",
];

fn page(
    state: &AppState,
    problem: bool,
    v: &Visitor,
    f: &ReportInput,
    errors: &FieldErrors,
) -> ReportPage {
    let (heading, intro, form) = if problem {
        (
            "Zgłoś problem ze współpracą z samorządem",
            PROBLEM_INTRO,
            problem_form(v, f, errors),
        )
    } else {
        (
            "Poproś o doradztwo",
            ADVICE_INTRO,
            advice_form(v, f, errors),
        )
    };
    ReportPage {
        layout: Layout::new(state.site(), paths::ADVISORY, heading),
        heading,
        intro,
        back: paths::ADVISORY,
        notice: reports::NOTICE,
        refused: None,
        form,
    }
}

fn starting() -> ReportInput {
    ReportInput {
        contact: Contact::Email.code().into(),
        ..Default::default()
    }
}

async fn advice_page(State(state): State<AppState>, Anyone(v): Anyone) -> Result<Response> {
    render(&page(
        &state,
        false,
        &v,
        &starting(),
        &FieldErrors::default(),
    ))
}

async fn problem_page(State(state): State<AppState>, Anyone(v): Anyone) -> Result<Response> {
    render(&page(
        &state,
        true,
        &v,
        &starting(),
        &FieldErrors::default(),
    ))
}

fn invalid(
    state: &AppState,
    problem: bool,
    v: &Visitor,
    f: &ReportInput,
    e: &FieldErrors,
) -> Result<Response> {
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&page(state, problem, v, f, e))?,
    )
        .into_response())
}

async fn advice(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    BodyForm(f): BodyForm<ReportInput>,
) -> Result<Response> {
    let mut errors = FieldErrors::default();
    match f.validate(false, &mut errors) {
        Some(r) => file(&state, &v, (false, &f), &r, None, &[]).await,
        None => invalid(&state, false, &v, &f, &errors),
    }
}

fn input(p: &Parts) -> ReportInput {
    ReportInput {
        organisation: p.get("organisation"),
        name: p.get("name"),
        email: p.get("email"),
        phone: p.get("phone"),
        contact: p.get("contact"),
        description: p.get("description"),
        topic: String::new(),
        jst: p.get("jst"),
        category: p.get("category"),
        reveal: p.checked("reveal"),
        share: p.checked("share"),
        consent: p.checked("consent"),
    }
}

async fn problem(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Multipart(multipart): Multipart,
) -> Result<Response> {
    let parts = case_files::read(multipart).await?;
    // One JST per report: a second one typed or picked is no choice to
    // make silently.
    for name in ["jst", "jst_wybor"] {
        if parts.fields.iter().filter(|(k, _)| k == name).count() > 1 {
            return Err(crate::web::Error::BadRequest(format!(
                "Pole „{name}” podano więcej niż raz."
            )));
        }
    }
    let f = input(&parts);
    let mut errors = FieldErrors::default();
    let report = f.validate(true, &mut errors);
    // The JST picked among the choices a previous answer was shown.
    let chosen = parts.get("jst_wybor");
    let jst = if errors.get("jst").is_empty() {
        pick::jst(
            state.db(),
            &f.jst,
            Some(chosen.as_str()).filter(|c| !c.is_empty()),
            "jst",
            &mut errors,
        )
        .await?
    } else {
        None
    };
    let (Some(r), true) = (report, errors.is_empty()) else {
        return invalid(&state, true, &v, &f, &errors);
    };
    // Files are checked (and saved) only once the rest is right, and only
    // within the day's budget of this address and of everyone.
    let types = match case_files::check_all(&parts.files) {
        Ok(t) => t,
        Err(refused) => {
            errors.add("files", refused.to_string());
            return invalid(&state, true, &v, &f, &errors);
        }
    };
    let adding = case_files::total_size(&parts.files);
    let now = state.clock().now();
    let fit = service::files_fit(state.db(), state.settings(), &v.address, adding, now).await?;
    if let Err(refused) = fit {
        errors.add("files", refused.to_string());
        return invalid(&state, true, &v, &f, &errors);
    }
    let stored = case_files::save_checked(state.settings(), &parts.files, types).await?;
    file(&state, &v, (true, &f), &r, jst.as_deref(), &stored).await
}

/// Files the report as a case and sends the reporter to its confirmation,
/// reached by a receipt only this redirect carries. `form` is the form
/// (a problem report or not) and its input, shown again when the address
/// sent too many reports lately.
async fn file(
    state: &AppState,
    v: &Visitor,
    form: (bool, &ReportInput),
    r: &Report,
    jst: Option<&str>,
    files: &[StoredFile],
) -> Result<Response> {
    let receipt = crate::domain::auth::new_token()
        .map_err(|_| Error::BadRequest("Spróbuj ponownie.".into()))?;
    let filing = service::Filing {
        report: r,
        local_government: jst,
        files,
        address: &v.address,
        receipt_hash: &crate::domain::auth::token_hash(&receipt),
    };
    let filed = service::file(state.db(), state.settings(), &filing, state.clock().now()).await?;
    match filed {
        Filed::Made(..) => {
            state.jobs_queued();
            Ok(Redirect::to(&format!("{SENT}/{receipt}")).into_response())
        }
        Filed::Limited(oldest) => {
            case_files::remove_all(state.settings(), files).await;
            let limited = super::registration::limited(state, Some(oldest), WINDOW);
            let mut page = page(state, form.0, v, form.1, &FieldErrors::default());
            page.refused = Some(format!(
                "{limited} Formularz nie został wysłany; to, co wpisano, czeka poniżej{}.",
                if form.0 {
                    " (pliki trzeba wybrać ponownie)"
                } else {
                    ""
                }
            ));
            super::registration::refused(limited, render(&page)?)
        }
        Filed::OverBudget(refused) => {
            case_files::remove_all(state.settings(), files).await;
            let mut errors = FieldErrors::default();
            errors.add("files", refused.to_string());
            invalid(state, form.0, v, form.1, &errors)
        }
    }
}

#[derive(Template)]
#[template(path = "public/report_sent.html")]
struct SentPage {
    layout: Layout,
    number: String,
    jst_name: Option<String>,
    back: &'static str,
}

/// The confirmation of a filed report, shown from the case as recorded;
/// an unknown receipt is not found.
async fn sent(State(state): State<AppState>, Path(receipt): Path<String>) -> Result<Response> {
    let (number, jst_name) =
        cases::by_receipt(state.db(), &crate::domain::auth::token_hash(&receipt))
            .await?
            .ok_or(Error::NotFound)?;
    render(&SentPage {
        layout: Layout::new(state.site(), paths::ADVISORY, "Zgłoszenie przyjęte"),
        number,
        jst_name,
        back: paths::ADVISORY,
    })
}
