//! The back office under `/admin`: staff sign in and keep the programme's
//! records. Every handler takes `Signed` (anyone else is sent to sign in)
//! and asks `require`/`require_unit` before it reads or changes anything;
//! the rules themselves live in `domain::access`.

pub mod accounts;
pub mod activities;
pub mod advisory;
pub mod agenda;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod documents;
pub mod export;
pub mod import;
pub mod letters;
pub mod monitoring;
pub mod monitoring_dashboard;
pub mod monitoring_evidence;
pub mod monitoring_grid;
pub mod monitoring_import;
pub mod offices;
pub mod organisations;
pub mod pages;
pub mod people;
pub mod pick;
mod registrations;
pub mod trips;
pub mod ui;

use axum::extract::State;
use axum::middleware;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::format::{count, nouns};
use crate::web::session::{self, Signed};
use crate::web::{Error, Result};
use ui::{Block, Page};

/// Every back-office path, defined once.
pub use crate::paths::admin as paths;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(paths::HOME, get(dashboard))
        .merge(auth::router())
        .merge(organisations::router())
        .merge(people::router())
        .merge(offices::router())
        .merge(monitoring::router())
        .merge(activities::router())
        .merge(registrations::router())
        .merge(documents::router())
        .merge(agenda::router())
        .merge(trips::router())
        .merge(pages::router())
        .merge(accounts::router())
        .merge(audit::router())
        .merge(import::router())
        .merge(cases::router())
        .merge(advisory::router())
        .layer(axum::extract::DefaultBodyLimit::max(session::UPLOAD_LIMIT))
        .layer(middleware::from_fn_with_state(state, session::layer))
}

/// The sections a person may open, in menu order.
pub fn nav(staff: &Staff) -> Vec<(&'static str, &'static str)> {
    [
        (paths::HOME, "Pulpit", None),
        (
            paths::ORGANISATIONS,
            "Organizacje",
            Some(Area::Organisations),
        ),
        (paths::PEOPLE, "Osoby", Some(Area::People)),
        (paths::JST, "JST", Some(Area::LocalGovernments)),
        (monitoring::BASE, "Monitoring", Some(Area::LocalGovernments)),
        (paths::ACTIVITIES, "Działania", Some(Area::Activities)),
        (paths::FEEDBACK, "Opinie", Some(Area::Activities)),
        (cases::BASE, "Sprawy", Some(Area::Cases)),
        (advisory::BASE, "Doradztwo", Some(Area::Advisory)),
        (paths::TRIPS, "Wyjazdy", Some(Area::Trips)),
        (paths::PAGES, "Strony", Some(Area::Pages)),
        (paths::IMPORT, "Import", Some(Area::Import)),
        (paths::ACCOUNTS, "Konta", Some(Area::Accounts)),
        (paths::AUDIT, "Dziennik zmian", Some(Area::Audit)),
        (paths::PASSWORD, "Moje konto", None),
    ]
    .into_iter()
    .filter(|(_, _, area)| area.is_none_or(|a| staff.can(a, Action::View)))
    .map(|(href, label, _)| (href, label))
    .collect()
}

/// Refuses (403, logged) unless the role allows the action on the area.
pub fn require(staff: &Staff, area: Area, action: Action) -> Result<()> {
    if staff.can(area, action) {
        return Ok(());
    }
    refuse(staff, area, "role")
}

/// Refuses (403, logged) unless a record in unit `teryt` is within the
/// person's reach for the area.
pub fn require_unit(staff: &Staff, area: Area, action: Action, teryt: Option<&str>) -> Result<()> {
    require(staff, area, action)?;
    if Staff::reaches_unit(&staff.scope(area), teryt) {
        return Ok(());
    }
    refuse(staff, area, "scope")
}

fn refuse(staff: &Staff, area: Area, why: &'static str) -> Result<()> {
    tracing::warn!(
        account = staff.account_id,
        role = staff.role.code(),
        ?area,
        why,
        "access refused"
    );
    Err(Error::Forbidden(
        "Nie masz uprawnień do tej strony lub tego rekordu.".into(),
    ))
}

/// Confirmations shown after an action, chosen by a code in the address
/// (`?komunikat=zapisano`), so the text cannot be injected.
pub fn notice(code: Option<&str>) -> &'static str {
    match code.unwrap_or("") {
        "zapisano" => "Zmiany zostały zapisane.",
        "dodano" => "Rekord został dodany.",
        "usunieto" => "Rekord został usunięty.",
        "zaimportowano" => "Import zakończony.",
        "bez-zmian" => "Nie zmieniono żadnej komórki; nic nie zapisano.",
        "haslo" => "Hasło zostało zmienione.",
        "wylogowano" => "Wylogowano.",
        "reset" => "Hasło zostało ustawione. Zaloguj się nowym hasłem.",
        "totp" => "Weryfikacja dwuetapowa jest włączona.",
        "totp-off" => "Weryfikacja dwuetapowa jest wyłączona.",
        "pismo" => "Pismo zostało utworzone; jego PDF jest w plikach sprawy.",
        "sprawa-zalozona" => {
            "Sprawa interwencyjna została założona z monitoringu; przygotuj pismo (część „Pisma”)."
        }
        "sprawa-istnieje" => "Ta luka ma już otwartą sprawę – oto ona; nie założono drugiej.",
        "brak-luki" => {
            "Według zapisanych faktów ten samorząd nie ma dziś takiej luki; sprawy nie założono."
        }
        "wyslano" => {
            "Wysyłka pisma została zapisana; termin odpowiedzi jest liczony od doręczenia."
        }
        _ => "",
    }
}

/// The query of a record's page: a confirmation code, a page of a sublist.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Notice {
    pub komunikat: Option<String>,
    pub strona: Option<String>,
    /// `csv` or `xlsx` for lists that export.
    pub format: String,
}

/// A query string of the pairs whose value is not empty.
pub fn query(pairs: &[(&str, &String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// `base` with a query string, if there is one.
pub fn with_query(base: &str, query: &str) -> String {
    if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{query}")
    }
}

/// The query parameters every list reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub jst: String,
    pub grupa: String,
    pub rodzaj: String,
    /// An activity's state (`ActivityStatus` code).
    pub stan: String,
    pub opp: String,
    pub strona: Option<String>,
    pub format: String,
    pub komunikat: Option<String>,
}

impl ListQuery {
    /// The query string of the filters (not the page or format), for pager
    /// and export links.
    pub fn filters(&self) -> String {
        query(&[
            ("q", &self.q),
            ("jst", &self.jst),
            ("grupa", &self.grupa),
            ("rodzaj", &self.rodzaj),
            ("stan", &self.stan),
            ("opp", &self.opp),
        ])
    }

    /// `base` with the filters.
    pub fn url(&self, base: &str) -> String {
        with_query(base, &self.filters())
    }

    /// What is searched for, or 400 when longer than a search can be
    /// (`domain::search::query_problem`).
    pub fn search(&self) -> Result<String> {
        match crate::domain::search::query_problem(&self.q) {
            Some(problem) => Err(Error::BadRequest(problem)),
            None => Ok(self.q.clone()),
        }
    }

    /// A TERYT prefix filter: digits only, else nothing.
    pub fn unit(&self) -> Result<String> {
        let j = self.jst.trim();
        if j.is_empty() || (j.len() <= 7 && j.chars().all(|c| c.is_ascii_digit())) {
            Ok(j.to_owned())
        } else {
            Err(Error::BadRequest("Kod TERYT to od 2 do 7 cyfr.".into()))
        }
    }
}

async fn dashboard(
    State(state): State<AppState>,
    Signed(staff, visitor): Signed,
) -> Result<Response> {
    let links: Vec<(String, String)> = nav(&staff)
        .into_iter()
        .skip(1)
        .map(|(h, l)| (h.to_owned(), l.to_owned()))
        .collect();
    let project = state
        .site()
        .project
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let mut page = Page::new("Pulpit", Some(&staff), &visitor.csrf)
        .section(paths::HOME)
        .block(Block::Text(format!(
            "Zalogowano jako {} ({}). Projekt: {project}.",
            staff.name,
            staff.role.label()
        )))
        .block(Block::Links(links));
    if let Some(deadlines) = cases::summary(&state, &staff).await? {
        page = page.block(deadlines);
    }
    page.render()
}

/// The page that asks before deleting the record at `record` (the form
/// posts to `{record}/usun`); with `references` > 0 it explains why the
/// record cannot be deleted instead (409).
pub fn confirm(
    staff: &Staff,
    v: &session::Visitor,
    question: &str,
    record: &str,
    references: i64,
) -> Result<Response> {
    use axum::response::IntoResponse;
    let (action, back) = (format!("{record}/usun"), record);
    let page = Page::new("Potwierdź usunięcie", Some(staff), &v.csrf);
    if references > 0 {
        let page = page
            .block(Block::Text(format!(
                "Tego rekordu nie można usunąć: {} na niego {} (osoby, działania, obecności). Najpierw zmień lub usuń tamte.",
                // "wskazują 2 inne rekordy", but "wskazuje 1 inny rekord"
                // and "wskazuje 5 innych rekordów".
                if nouns::OTHER_RECORD.form(references) == nouns::OTHER_RECORD.few {
                    "wskazują"
                } else {
                    "wskazuje"
                },
                count(references, nouns::OTHER_RECORD)
            )))
            .block(Block::Links(vec![(back.to_owned(), "Wróć".into())]))
            .render()?;
        return Ok((axum::http::StatusCode::CONFLICT, page).into_response());
    }
    page.block(Block::Text(question.to_owned()))
        .block(Block::Text(
            "Tej operacji nie można cofnąć; zostanie zapisana w dzienniku zmian.".into(),
        ))
        .block(Block::Form(ui::Form::post(
            action,
            &v.csrf,
            "Tak, usuń",
            Vec::new(),
        )))
        .block(Block::Links(vec![(back.to_owned(), "Nie, wróć".into())]))
        .render()
}
