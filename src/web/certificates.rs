//! Certificates of attendance on the web: the public page that confirms a
//! code (`/zaswiadczenia/{code}`, with a form to type one in), the
//! participant's own PDF through their registration link, and the
//! building of a certificate from its records, shared with the staff ZIP.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::admin::ui::{Field, Form, Kind};
use super::extract::{Path, Query};
use super::layout::Layout;
use super::views;
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::activity::SpeakerRole;
use crate::domain::certificate::{self, hours, normalise, Certificate};
use crate::domain::format;
use crate::store::activities::{self, Activity};
use crate::store::certificates::{self, Issued};
use crate::store::programme;

pub const VERIFY: &str = "/zaswiadczenia";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(VERIFY, get(lookup))
        .route(&format!("{VERIFY}/{{code}}"), get(verify))
        .route("/zapisy/{token}/zaswiadczenie.pdf", get(own))
}

/// What every certificate of one activity shares.
pub struct Context {
    pub activity: Activity,
    trainers: Vec<String>,
    organiser: String,
    funder: String,
    base_url: String,
}

impl Context {
    pub async fn load(state: &AppState, activity: Activity, project: i64) -> Result<Context> {
        let trainers = activities::speakers(state.db(), activity.id)
            .await?
            .into_iter()
            .filter(|s| s.role == SpeakerRole::Trainer)
            .map(|s| s.name)
            .collect();
        let project = programme::project(state.db(), project).await?;
        Ok(Context {
            activity,
            trainers,
            organiser: project
                .as_ref()
                .map_or(String::new(), |p| p.lead_name.clone()),
            funder: project.map_or(String::new(), |p| p.funder_sentence),
            base_url: state.settings().base_url.clone(),
        })
    }

    pub fn trainers(&self) -> &[String] {
        &self.trainers
    }

    pub fn organiser(&self) -> &str {
        &self.organiser
    }

    pub fn funder(&self) -> &str {
        &self.funder
    }

    /// "Płońsk, Urząd Miejski" or "online".
    pub fn place(&self) -> String {
        let a = &self.activity;
        if a.online {
            "online".into()
        } else if a.venue.is_empty() {
            a.jst_name.clone().unwrap_or_default()
        } else {
            a.venue.clone()
        }
    }

    pub fn certificate(&self, c: &Issued) -> Certificate {
        let a = &self.activity;
        Certificate {
            code: c.code.clone(),
            name: format!("{} {}", c.first_name, c.last_name),
            gender: c.gender,
            kind: a.kind,
            title: a.title.clone(),
            when: format::date_span(a.starts_on, a.ends_on),
            place: self.place(),
            duration_minutes: a.duration_minutes,
            trainers: self.trainers.clone(),
            organiser: self.organiser.clone(),
            funder: self.funder.clone(),
            verify_url: format!("{}{VERIFY}/{}", self.base_url, c.code),
            // The day of issue as stored, in UTC.
            issued_on: format::date(c.issued_at.to_zoned(jiff::tz::TimeZone::UTC).date()),
        }
    }
}

/// A PDF download.
pub fn pdf_response(bytes: Vec<u8>, file_name: &str) -> Response {
    let disposition = format!("inline; filename=\"{file_name}\"");
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("inline")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn context_of(state: &AppState, activity: i64) -> Result<Context> {
    let r = crate::store::activity_records::get(state.db(), activity)
        .await?
        .ok_or(Error::NotFound)?;
    Context::load(state, r.activity, r.project_id).await
}

/// The participant's certificate, through the link of their registration;
/// only once they are on the attendance.
async fn own(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let (activity, person) = certificates::attendee_of(state.db(), &token)
        .await?
        .ok_or(Error::NotFound)?;
    let issued = certificates::issue(state.db(), activity, person, state.clock().now())
        .await?
        .ok_or(Error::NotFound)?;
    let c = context_of(&state, activity).await?.certificate(&issued);
    Ok(pdf_response(certificate::pdf(&c)?, &c.file_name()))
}

#[derive(Template)]
#[template(path = "public/certificate.html")]
struct VerifyPage {
    layout: Layout,
    form: Form,
    code: String,
    found: Option<Found>,
}

struct Found {
    /// Why the certificate is not valid (`None`: it is).
    void: Option<String>,
    name: String,
    took_part: String,
    title: String,
    activity_url: String,
    when: String,
    hours: String,
    organiser: String,
    issued_on: String,
}

fn verify_page(state: &AppState, typed: &str, message: &str, found: Option<Found>) -> VerifyPage {
    let mut field = Field::text("kod", "Numer zaświadczenia", typed);
    field.hint = "Dziesięć znaków, np. 7K3QD-M9XA2 — jest na dole zaświadczenia.".into();
    field.error = message.to_owned();
    let mut form = Form::filter(VERIFY, vec![field]);
    form.submit = "Sprawdź".into();
    VerifyPage {
        layout: Layout::new(state.site(), paths::TRAININGS, "Weryfikacja zaświadczenia"),
        form,
        code: found.as_ref().map_or(String::new(), |_| typed.to_owned()),
        found,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Lookup {
    kod: Option<String>,
}

/// The page with a status other than 200.
fn answer(page: &VerifyPage, status: StatusCode) -> Result<Response> {
    let mut response = render(page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// The form, and where a typed code leads.
async fn lookup(State(state): State<AppState>, Query(q): Query<Lookup>) -> Result<Response> {
    let Some(typed) = q.kod else {
        return render(&verify_page(&state, "", "", None));
    };
    match normalise(&typed) {
        Some(code) => Ok(Redirect::to(&format!("{VERIFY}/{code}")).into_response()),
        None => {
            let page = verify_page(
                &state,
                &typed,
                "Numer zaświadczenia ma dziesięć liter i cyfr, np. 7K3QD-M9XA2.",
                None,
            );
            answer(&page, StatusCode::BAD_REQUEST)
        }
    }
}

async fn verify(State(state): State<AppState>, Path(typed): Path<String>) -> Result<Response> {
    let Some(code) = normalise(&typed) else {
        return Err(Error::NotFound);
    };
    if code != typed {
        return Ok(Redirect::permanent(&format!("{VERIFY}/{code}")).into_response());
    }
    let Some(issued) = certificates::by_code(state.db(), &code).await? else {
        let page = verify_page(
            &state,
            &code,
            "Nie ma zaświadczenia o tym numerze. Sprawdź, czy numer jest przepisany dokładnie.",
            None,
        );
        return answer(&page, StatusCode::NOT_FOUND);
    };
    let ctx = context_of(&state, issued.activity_id).await?;
    let c = ctx.certificate(&issued);
    let standing = certificate::Standing::of(
        ctx.activity.status,
        ctx.activity.ends_on,
        state.clock().today_date(),
        issued.present,
    );
    let found = Found {
        void: standing.reason(&code),
        took_part: certificate::took_part(c.gender, c.kind),
        name: c.name,
        title: c.title,
        activity_url: views::activity_url(&ctx.activity),
        when: c.when,
        hours: hours(c.duration_minutes),
        organiser: c.organiser,
        issued_on: c.issued_on,
    };
    render(&verify_page(&state, &code, "", Some(found)))
}
