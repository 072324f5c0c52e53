//! The page of one registration at `/zapisy/{token}`, reached only through
//! the e-mailed link, where it is confirmed or cancelled.

use super::*;
use crate::service::registrations::steps;

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
pub(super) struct StatusQuery {
    komunikat: Option<String>,
}

pub(super) fn notice(code: Option<&str>) -> String {
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

pub(super) async fn status_page(
    State(state): State<AppState>,
    Anyone(v): Anyone,
    Path(token): Path<String>,
    Query(q): Query<StatusQuery>,
) -> Result<Response> {
    let (l, a) = registered(&state, &token).await?;
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
        when: format::date_span(a.starts_on, a.ends_on),
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
pub(super) async fn to_page(Path(token): Path<String>) -> Result<Response> {
    if !crate::domain::auth::token_shaped(&token) {
        return Err(Error::NotFound);
    }
    Ok(Redirect::to(&format!("/zapisy/{token}")).into_response())
}

pub(super) async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response> {
    let (l, a) = registered(&state, &token).await?;
    let base = &state.settings().base_url;
    let outcome = steps::confirm(state.db(), base, &a, l, state.clock().now()).await?;
    let code = match outcome {
        Confirmation::Placed(Status::Confirmed) => "potwierdzono",
        Confirmation::Placed(_) => "rezerwowa",
        Confirmation::Expired | Confirmation::Unchanged(Status::Expired) => "wygaslo",
        _ => "",
    };
    state.jobs_queued();
    Ok(Redirect::to(&format!("/zapisy/{token}?komunikat={code}")).into_response())
}

pub(super) async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response> {
    let (_, a) = registered(&state, &token).await?;
    let base = &state.settings().base_url;
    steps::cancel(state.db(), base, &a, &token, state.clock().now()).await?;
    state.jobs_queued();
    Ok(Redirect::to(&format!("/zapisy/{token}?komunikat=zrezygnowano")).into_response())
}
