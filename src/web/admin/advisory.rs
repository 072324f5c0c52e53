//! The advisory log: sessions staff record (organisation, person, advisor,
//! date, duration, form, topic, a private summary), the totals by period,
//! advisor, topic and county, and the hours that feed the figures.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::ui::{invalid, Block, Field, Form, Kind, Page, Table};
use super::{export, pick, require};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Role, Staff};
use crate::domain::advisory::{SessionForm, SessionInput, Topic};
use crate::domain::cases::CaseNumber;
use crate::domain::format;
use crate::domain::records::FieldErrors;
use crate::store::advisory::{self, Filter, Group, NewSession};
use crate::store::{accounts, cases, Paged};
use crate::web::extract::{Form as BodyForm, Query};
use crate::web::public::project;
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub const BASE: &str = "/admin/doradztwo";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route(&format!("{BASE}/nowa"), get(new_page).post(create))
}

fn hours(minutes: i64) -> String {
    format::decimal(minutes as f64 / 60.0)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    od: String,
    #[serde(rename = "do")]
    to: String,
    doradca: String,
    temat: String,
    powiat: String,
    strona: Option<String>,
    format: String,
    komunikat: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> Result<Filter> {
        let day = |s: &str, what: &str| -> Result<Option<jiff::civil::Date>> {
            match s.trim() {
                "" => Ok(None),
                d => d
                    .parse()
                    .map(Some)
                    .map_err(|_| Error::BadRequest(format!("Data „{what}” ma postać RRRR-MM-DD."))),
            }
        };
        let county = self.powiat.trim();
        if !county.is_empty() && (county.len() != 4 || !county.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(Error::BadRequest(
                "Kod powiatu to 4 cyfry, np. 1420.".into(),
            ));
        }
        Ok(Filter {
            from: day(&self.od, "od")?,
            to: day(&self.to, "do")?,
            advisor: match self.doradca.trim() {
                "" => None,
                a => Some(
                    a.parse()
                        .map_err(|_| Error::BadRequest("Nieznany doradca.".into()))?,
                ),
            },
            topic: match self.temat.trim() {
                "" => None,
                t => Some(
                    Topic::from_code(t)
                        .ok_or_else(|| Error::BadRequest("Nieznany temat.".into()))?
                        .label()
                        .to_owned(),
                ),
            },
            county: (!county.is_empty()).then(|| county.to_owned()),
        })
    }

    fn url(&self) -> String {
        let q = super::query(&[
            ("od", &self.od),
            ("do", &self.to),
            ("doradca", &self.doradca),
            ("temat", &self.temat),
            ("powiat", &self.powiat),
        ]);
        super::with_query(BASE, &q)
    }
}

/// Accounts that give advice and lead cases.
pub async fn advisors(state: &AppState) -> Result<Vec<accounts::Account>> {
    let roles = [Role::Admin, Role::Coordinator, Role::Advisor];
    Ok(accounts::active_in_roles(state.db(), &roles).await?)
}

fn totals_table(caption: &str, first: &str, groups: Vec<Group>) -> Table {
    let mut t = Table::new(caption, &[first, "Konsultacje", "Godziny"]);
    t.total = groups.len() as i64;
    t.rows = groups
        .into_iter()
        .map(|(name, n, minutes)| {
            vec![
                name.unwrap_or_else(|| "(nie podano)".into()).into(),
                format::integer(n).into(),
                hours(minutes).into(),
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
    require(&staff, Area::Advisory, Action::View)?;
    let filter = q.filter()?;
    let scope = staff.scope(Area::Advisory);
    let w = export::Window::of(&q.format, q.strona.as_deref())?;
    let found = advisory::list(state.db(), &filter, &scope, w.limit, w.offset).await?;
    let mut t = sessions_table(found);
    if let Some(file) = w.file(&t, "doradztwo") {
        return file;
    }
    w.decorate(&mut t, &q.url());
    let totals = advisory::totals(state.db(), &filter, &scope).await?;
    let people = advisors(&state).await?;
    Page::new("Doradztwo", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(q.komunikat.as_deref()))
        .block(Block::Form(filters(&q, &people)))
        .block(Block::Facts(vec![
            (
                "Konsultacje".into(),
                format::integer(totals.sessions).into(),
            ),
            ("Godziny doradztwa".into(), hours(totals.minutes).into()),
        ]))
        .link_if(
            staff.can(Area::Advisory, Action::Change),
            format!("{BASE}/nowa"),
            "Dodaj konsultację",
        )
        .block(Block::Table(t))
        .block(Block::Table(totals_table(
            "Według doradcy",
            "Doradca",
            totals.by_advisor,
        )))
        .block(Block::Table(totals_table(
            "Według tematu",
            "Temat",
            totals.by_topic,
        )))
        .block(Block::Table(totals_table(
            "Według powiatu",
            "Powiat",
            totals.by_county,
        )))
        .render()
}

/// The form of the log's filters, as the address set them.
fn filters(q: &ListQuery, people: &[accounts::Account]) -> Form {
    Form::filter(
        BASE,
        vec![
            Field::new("od", "Od", Kind::Date, q.od.clone()),
            Field::new("do", "Do", Kind::Date, q.to.clone()),
            Field::select(
                "doradca",
                "Doradca",
                q.doradca.clone(),
                std::iter::once((String::new(), "wszyscy".to_owned()))
                    .chain(people.iter().map(|a| (a.id.to_string(), a.name.clone()))),
            ),
            Field::select(
                "temat",
                "Temat",
                q.temat.clone(),
                std::iter::once(("", "wszystkie"))
                    .chain(Topic::ALL.iter().map(|t| (t.code(), t.label()))),
            ),
            Field::text("powiat", "Kod TERYT powiatu", q.powiat.clone())
                .hint("4 cyfry, np. 1420 — powiat płoński."),
        ],
    )
}

/// The sessions of the log, one a row.
fn sessions_table(found: Paged<advisory::Line>) -> Table {
    let mut t = Table::new(
        "Konsultacje",
        &[
            "Data",
            "Czas",
            "Forma",
            "Temat",
            "Doradca",
            "Organizacja",
            "Osoba",
            "Notatka",
        ],
    );
    t.total = found.total;
    t.rows = found
        .items
        .into_iter()
        .map(|l| {
            vec![
                format::date(l.held_on).into(),
                format!("{} min", l.minutes).into(),
                l.form.map(|f| f.label()).unwrap_or("").into(),
                l.topic.into(),
                l.advisor.unwrap_or_default().into(),
                l.organisation.unwrap_or_default().into(),
                l.person.unwrap_or_default().into(),
                l.summary.unwrap_or_default().into(),
            ]
        })
        .collect();
    t
}

async fn fields(state: &AppState, f: &SessionInput) -> Result<Vec<Field>> {
    let people = advisors(state).await?;
    Ok(vec![
        Field::text("organisation", "Organizacja", f.organisation.clone())
            .hint("Nazwa albo numer organizacji z bazy; puste, jeśli jej tam nie ma."),
        Field::text("person", "Osoba", f.person.clone()).hint(
            "Numer, e-mail albo imię i nazwisko osoby z bazy; liczy się do odbiorców projektu.",
        ),
        Field::select(
            "advisor",
            "Doradca",
            f.advisor.clone(),
            people.iter().map(|a| (a.id.to_string(), a.name.clone())),
        ),
        Field::new("held_on", "Data", Kind::Date, f.held_on.clone()).required(),
        Field::new(
            "minutes",
            "Czas trwania (minuty)",
            Kind::Number,
            f.minutes.clone(),
        )
        .required(),
        Field::select(
            "form",
            "Forma",
            f.form.clone(),
            SessionForm::ALL.iter().map(|s| (s.code(), s.label())),
        ),
        Field::select(
            "topic",
            "Temat",
            f.topic.clone(),
            std::iter::once(("", "— wybierz —"))
                .chain(Topic::ALL.iter().map(|t| (t.code(), t.label()))),
        ),
        Field::text(
            "case_number",
            "Numer sprawy (nieobowiązkowo)",
            f.case_number.clone(),
        )
        .hint("Np. DOR/2026/004, gdy konsultacja odpowiada na prośbę z formularza."),
        Field::new(
            "summary",
            "Notatka (poufna)",
            Kind::TextArea,
            f.summary.clone(),
        )
        .hint("Widzą ją tylko osoby z dostępem do doradztwa; nie trafia na stronę publiczną."),
    ])
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    f: &SessionInput,
    errors: &FieldErrors,
) -> Result<Page> {
    Ok(Page::new("Nowa konsultacja", Some(staff), &v.csrf)
        .section(BASE)
        .block(Block::Form(
            Form::post(
                format!("{BASE}/nowa"),
                &v.csrf,
                "Zapisz konsultację",
                fields(state, f).await?,
            )
            .with_errors(errors),
        )))
}

async fn new_page(State(state): State<AppState>, Signed(staff, v): Signed) -> Result<Response> {
    require(&staff, Area::Advisory, Action::Change)?;
    let f = SessionInput {
        advisor: staff.account_id.to_string(),
        held_on: state.today().to_string(),
        minutes: "60".into(),
        form: SessionForm::InPerson.code().into(),
        ..Default::default()
    };
    form_page(&state, &staff, &v, &f, &FieldErrors::default())
        .await?
        .render()
}

async fn create(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    BodyForm(f): BodyForm<SessionInput>,
) -> Result<Response> {
    require(&staff, Area::Advisory, Action::Change)?;
    let db = state.db();
    let mut errors = FieldErrors::default();
    let session = f.validate(&mut errors);
    if let Some(s) = &session {
        if !advisors(&state).await?.iter().any(|a| a.id == s.advisor) {
            errors.add("advisor", "Wybierz doradczynię lub doradcę z listy.");
        }
    }
    let organisation = pick::organisation(db, &f.organisation, "organisation", &mut errors).await?;
    let person = if f.person.trim().is_empty() {
        None
    } else {
        pick::person(db, &f.person, "person", &mut errors).await?
    };
    let case_id = match f.case_number.trim() {
        "" => None,
        typed => match CaseNumber::parse(typed) {
            Some(n) => {
                let found = cases::id_by_number(db, &n.to_string()).await?;
                if found.is_none() {
                    errors.add("case_number", format!("Nie ma sprawy {n}."));
                }
                found
            }
            None => {
                errors.add("case_number", "Numer sprawy ma postać DOR/2026/004.");
                None
            }
        },
    };
    let Some(s) = session.filter(|_| errors.is_empty()) else {
        return invalid(form_page(&state, &staff, &v, &f, &errors).await?);
    };
    let project = project(&state).await?;
    advisory::create(
        db,
        staff.account_id,
        project.id,
        &NewSession {
            session: &s,
            organisation,
            person,
            case_id,
        },
        state.clock().now(),
    )
    .await?;
    Ok(Redirect::to(&format!("{BASE}?komunikat=dodano")).into_response())
}
