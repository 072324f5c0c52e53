//! The cooperation monitor in the back office: the region's JSTs with
//! their statuses for a year, and one form per JST and year for its facts
//! and their evidence (links), saved with who checked them and when.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::ui::{invalid, Block, Cell, Field, Form, Kind, Page, Table};
use super::{require, require_unit, Notice};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::monitoring::{programme_status, report_status, Rules, Stage};
use crate::domain::monitoring_gap::{gaps, Gap};
use crate::domain::records::{FieldErrors, MonitoringForm, ELEMENT_FIELDS};
use crate::domain::teryt::Teryt;
use crate::store::{monitoring, teryt};
use crate::web::extract::{Form as BodyForm, Path, Query};
use crate::web::session::{Signed, Visitor};
use crate::web::{Error, Result};

pub const BASE: &str = "/admin/monitoring";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list))
        .route(
            super::monitoring_dashboard::DASHBOARD,
            get(super::monitoring_dashboard::dashboard),
        )
        .route(
            super::monitoring_import::IMPORT,
            get(super::monitoring_import::upload_page).post(super::monitoring_import::preview),
        )
        .route(
            super::monitoring_import::COMMIT,
            axum::routing::post(super::monitoring_import::commit),
        )
        .route(
            &format!("{BASE}/{{teryt}}/{{year}}/dowody"),
            axum::routing::post(super::monitoring_evidence::upload),
        )
        .route(
            &format!("{BASE}/{{teryt}}/{{year}}/dowody/{{id}}/usun"),
            axum::routing::post(super::monitoring_evidence::remove),
        )
        .route(
            super::monitoring_grid::GRID,
            get(super::monitoring_grid::grid_page).post(super::monitoring_grid::save),
        )
        .route(
            super::monitoring_import::FACTS_CSV,
            get(super::monitoring_import::facts_csv),
        )
        .route(
            &format!("{BASE}/{{teryt}}/{{year}}"),
            get(edit_page).post(update),
        )
        .route(
            &format!("{BASE}/{{teryt}}/{{year}}/sprawa/{{luka}}"),
            axum::routing::post(open_case),
        )
}

#[derive(Deserialize, Default)]
struct ListQuery {
    rok: Option<String>,
    powiat: Option<String>,
    #[serde(default)]
    format: String,
    strona: Option<String>,
    komunikat: Option<String>,
}

/// The region's JSTs (or one county's) with their statuses for a year,
/// each a link to its facts.
async fn list(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response> {
    require(&staff, Area::LocalGovernments, Action::View)?;
    let rules = &state.settings().monitoring;
    let today = state.clock().today_date();
    let year = crate::web::monitoring::year_asked(q.rok.as_deref().unwrap_or(""), rules, today)?;
    let county: String = q
        .powiat
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .take(4)
        .collect();
    let w = super::export::Window::of(&q.format, q.strona.as_deref())?;
    let units = monitoring::region(state.db(), &county, year).await?;
    let scope = staff.scope(Area::LocalGovernments);
    let reached: Vec<_> = units
        .iter()
        .filter(|u| Staff::reaches_unit(&scope, Some(&u.unit.teryt)))
        .collect();
    let mut t = Table::new(
        &format!(
            "Samorządy – program na {year} i sprawozdanie za {}",
            year - 1
        ),
        &["Samorząd", "Kod TERYT", "Program", "Sprawozdanie"],
    );
    t.total = reached.len() as i64;
    t.rows = reached
        .iter()
        .skip(usize::try_from(w.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(w.limit).unwrap_or(0))
        .map(|u| {
            let own = u.facts.iter().find(|f| f.year == year);
            vec![
                Cell::link(
                    u.unit.display_name.clone(),
                    format!("{BASE}/{}/{year}", u.unit.teryt),
                ),
                u.unit.teryt.clone().into(),
                programme_status(rules, year, &u.facts, today)
                    .label()
                    .into(),
                report_status(rules, own, today).label().into(),
            ]
        })
        .collect();
    if let Some(file) = w.file(&t, "monitoring") {
        return file;
    }
    w.decorate(&mut t, &format!("{BASE}?rok={year}&powiat={county}"));
    Page::new("Monitoring współpracy", Some(&staff), &v.csrf)
        .section(BASE)
        .notice(super::notice(q.komunikat.as_deref()))
        .block(Block::Links(vec![
            (
                super::monitoring_dashboard::DASHBOARD.to_owned(),
                "Pulpit: powiaty i luki do interwencji".to_owned(),
            ),
            (
                format!(
                    "{}?rok={year}&powiat={county}",
                    super::monitoring_grid::GRID
                ),
                format!("Edycja zbiorcza faktów na rok {year} (tabela)"),
            ),
            (
                super::monitoring_import::IMPORT.to_owned(),
                "Import faktów z pliku CSV".to_owned(),
            ),
            (
                format!(
                    "{}?rok={year}&powiat={county}",
                    super::monitoring_import::FACTS_CSV
                ),
                format!("Fakty na rok {year} w pliku CSV (do edycji i ponownego importu)"),
            ),
            (
                crate::web::paths::MONITORING.to_owned(),
                "Strona publiczna monitoringu".to_owned(),
            ),
        ]))
        .block(Block::Form(Form::filter(
            BASE,
            vec![
                Field::new("rok", "Rok programu", Kind::Number, year.to_string()),
                Field::text("powiat", "Powiat (kod TERYT)", county)
                    .hint("Np. 1420 – powiat płoński z jego gminami. Puste: cały region."),
            ],
        )))
        .block(Block::Table(t))
        .render()
}

/// The JST of the address, which the person may act on, and the year.
pub(super) async fn unit_year(
    state: &AppState,
    staff: &Staff,
    code: &str,
    year: &str,
    action: Action,
) -> Result<(teryt::UnitRow, i16)> {
    let t = Teryt::parse(code).map_err(|_| Error::BadRequest("Nieprawidłowy kod TERYT.".into()))?;
    let u = teryt::get(state.db(), &t).await?.ok_or(Error::NotFound)?;
    if !t.is_jst() {
        return Err(Error::NotFound);
    }
    require_unit(staff, Area::LocalGovernments, action, Some(&u.teryt))?;
    let last = state.clock().today_date().year() + 1;
    let year = year
        .parse::<i16>()
        .ok()
        .filter(|y| (state.settings().monitoring.first_year..=last).contains(y))
        .ok_or(Error::NotFound)?;
    Ok((u, year))
}

fn date(name: &'static str, label: &str, value: &str) -> Field {
    Field::new(name, label, Kind::Date, value.to_owned())
}

fn fields(rules: &Rules, f: &MonitoringForm, year: i16) -> Vec<Field> {
    let stages = Stage::ALL.map(|s| (s.code(), s.label()));
    let mut v = vec![
        Field::select("stage", "Program: etap", f.stage.clone(), stages).hint(&format!(
            "„Nie sprawdzono”: status będzie „nieznany”. Termin uchwalenia: {} ({}).",
            rules
                .programme_due(year)
                .map_or_else(String::new, crate::domain::format::date),
            rules.programme_basis
        )),
        Field::text("resolution", "Program: numer uchwały", f.resolution.clone())
            .hint("Np. XII/123/2025."),
        date("adopted_on", "Program: data uchwalenia", &f.adopted_on),
        Field::text(
            "council",
            "Program: rada, która go uchwaliła",
            f.council.clone(),
        )
        .hint("Np. Rada Miejska w Płońsku."),
        Field::new(
            "last_year",
            "Program wieloletni: ostatni rok, który obejmuje",
            Kind::Number,
            f.last_year.clone(),
        )
        .hint("Dla programu rocznego zostaw puste."),
        Field::text("funds", "Program: planowane środki (zł)", f.funds.clone()),
        Field::text(
            "programme_url",
            "Program: adres w BIP",
            f.programme_url.clone(),
        )
        .hint("Adres zaczynający się od https://"),
        Field::text(
            "journal",
            "Program: pozycja w dzienniku urzędowym województwa",
            f.journal.clone(),
        )
        .hint("Np. Dz. Urz. Woj. Maz. z 2025 r. poz. 12345."),
        date(
            "annulled_on",
            "Rozstrzygnięcie nadzorcze wojewody: data (unieważnienie)",
            &f.annulled_on,
        ),
        Field::text(
            "ruling",
            "Rozstrzygnięcie nadzorcze: znak",
            f.ruling.clone(),
        ),
    ];
    for (i, name) in ELEMENT_FIELDS.into_iter().enumerate() {
        let label = rules.elements.get(i).map_or_else(
            || format!("Element {}", i + 1),
            |e| format!("Element {}: {e}", i + 1),
        );
        v.push(
            Field::text(name, &label, f.elements()[i].to_owned()).hint(&format!(
                "Gdzie w programie (np. § 3). Puste: nie znaleziono. {}.",
                rules.elements_basis
            )),
        );
    }
    v.extend([
        Field::text("consultation_rules", "Konsultacje: uchwała o trybie konsultacji", f.consultation_rules.clone())
            .hint(&rules.consultation_basis),
        date("consultation_announced_on", "Konsultacje: data ogłoszenia", &f.consultation_announced_on),
        Field::new("consultation_days", "Konsultacje: ile dni trwały", Kind::Number, f.consultation_days.clone()),
        Field::text("consultation_form", "Konsultacje: forma", f.consultation_form.clone())
            .hint("Np. formularz uwag, spotkanie otwarte."),
        Field::text("consultation_url", "Konsultacje: ogłoszenie (adres)", f.consultation_url.clone()),
        Field::text("consultation_report_url", "Konsultacje: sprawozdanie z konsultacji (adres)", f.consultation_report_url.clone()),
        Field::text("council_opinion", "Opinia rady działalności pożytku publicznego", f.council_opinion.clone()),
        date("report_submitted_on", &format!("Sprawozdanie za {}: data przedłożenia radzie", year - 1), &f.report_submitted_on)
            .hint(&format!(
                "Termin: {} ({}).",
                rules.report_due(year).map_or_else(String::new, crate::domain::format::date),
                rules.report_basis
            )),
        date("report_published_on", "Sprawozdanie: data publikacji w BIP", &f.report_published_on),
        Field::text("report_url", "Sprawozdanie: adres w BIP", f.report_url.clone()),
        Field::select(
            "council_exists",
            "Rada działalności pożytku publicznego działa",
            f.council_exists.clone(),
            [("", "nie wiadomo"), ("tak", "tak"), ("nie", "nie")],
        )
        .hint(&rules.council_basis),
        date("council_requested_on", "Rada: wniosek o jej powołanie – data", &f.council_requested_on),
        Field::text("council_requested_by", "Rada: kto złożył wniosek", f.council_requested_by.clone()),
        Field::text("council_term", "Rada: kadencja", f.council_term.clone()).hint("Np. 2024–2027."),
        Field::new("competitions", "Otwarte konkursy ofert ogłoszone w roku: liczba", Kind::Number, f.competitions.clone()),
        Field::text("competitions_amount", "Otwarte konkursy ofert: łączna kwota (zł)", f.competitions_amount.clone()),
        Field::new("small_grants", "Małe granty (art. 19a): liczba", Kind::Number, f.small_grants.clone()),
        Field::text("small_grants_amount", "Małe granty: łączna kwota (zł)", f.small_grants_amount.clone()),
        date("checked_on", "Data sprawdzenia faktów", &f.checked_on)
            .hint("Kiedy sprawdzono BIP i dziennik urzędowy. Sprawdzenie po terminie bez sprawozdania oznacza jego brak."),
        Field::new("notes", "Notatki", Kind::TextArea, f.notes.clone()),
    ]);
    v
}

#[allow(clippy::too_many_arguments)]
fn page(
    rules: &Rules,
    staff: &Staff,
    v: &Visitor,
    u: &teryt::UnitRow,
    year: i16,
    record: Option<&monitoring::Record>,
    f: &MonitoringForm,
    errors: &FieldErrors,
    notice: &str,
    gaps: &[Gap],
) -> Page {
    let mut facts = vec![
        ("Kod TERYT".into(), u.teryt.clone().into()),
        (
            "Strona publiczna".into(),
            Cell::link("zobacz", crate::web::paths::jst(&u.teryt)),
        ),
    ];
    if let Some(r) = record {
        let who = if r.sample {
            "dane przykładowe z zestawu demonstracyjnego".to_owned()
        } else if r.checked_by.is_empty() {
            "—".to_owned()
        } else {
            r.checked_by.clone()
        };
        facts.push(("Ostatnio zapisał(a)".into(), who.into()));
    }
    let mut p = Page::new(
        format!("{} – monitoring {year}", u.display_name),
        Some(staff),
        &v.csrf,
    )
    .section(BASE)
    .notice(notice)
    .block(Block::Facts(facts))
    .block(Block::Links(vec![
        (
            format!("{BASE}/{}/{}", u.teryt, year - 1),
            format!("Rok {}", year - 1),
        ),
        (
            format!("{BASE}/{}/{}", u.teryt, year + 1),
            format!("Rok {}", year + 1),
        ),
    ]));
    if staff.can(Area::Cases, Action::Change) {
        for gap in gaps {
            p = p.block(Block::Form(Form::post(
                gap_action(&u.teryt, year, *gap),
                &v.csrf,
                gap.action(),
                Vec::new(),
            )));
        }
    }
    if staff.can(Area::LocalGovernments, Action::Change) {
        p = p.block(Block::Form(
            Form::post(
                format!("{BASE}/{}/{year}", u.teryt),
                &v.csrf,
                "Zapisz",
                fields(rules, f, year),
            )
            .with_errors(errors),
        ));
    } else {
        p = p.block(Block::Text(
            "Fakty zmienia osoba z prawem zmian w dziale JST.".into(),
        ));
    }
    p
}

async fn edit_page(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path((code, year)): Path<(String, String)>,
    Query(n): Query<Notice>,
) -> Result<Response> {
    let (u, year) = unit_year(&state, &staff, &code, &year, Action::View).await?;
    facts_page(
        &state,
        &staff,
        &v,
        &u,
        year,
        super::notice(n.komunikat.as_deref()),
        &super::monitoring_evidence::Typed::default(),
        &FieldErrors::default(),
    )
    .await?
    .render()
}

/// A JST's year: its facts and their form, the buttons that open cases of
/// its gaps, its evidence and the form that adds a document (`typed` and
/// `evidence_errors`: what was sent and why it was refused).
#[allow(clippy::too_many_arguments)]
pub(super) async fn facts_page(
    state: &AppState,
    staff: &Staff,
    v: &Visitor,
    u: &teryt::UnitRow,
    year: i16,
    notice: &str,
    typed: &super::monitoring_evidence::Typed,
    evidence_errors: &FieldErrors,
) -> Result<Page> {
    let history = monitoring::history(state.db(), &u.teryt).await?;
    let record = history.iter().find(|r| r.year == year);
    let form = record.map(|r| r.form.clone()).unwrap_or_default();
    let rules = &state.settings().monitoring;
    let facts: Vec<_> = history.iter().map(|r| r.form.facts(r.year)).collect();
    let today = state.clock().today_date();
    let gaps = gaps(rules, year, &facts, today);
    let page = page(
        rules,
        staff,
        v,
        u,
        year,
        record,
        &form,
        &FieldErrors::default(),
        notice,
        &gaps,
    );
    let evidence = crate::store::monitoring_evidence::of_unit(state.db(), &u.teryt).await?;
    Ok(super::monitoring_evidence::blocks(
        staff,
        v,
        &u.teryt,
        year,
        &evidence,
        typed,
        evidence_errors,
        &today.to_string(),
    )
    .into_iter()
    .fold(page, |p, b| p.block(b)))
}

async fn update(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
    Path((code, year)): Path<(String, String)>,
    BodyForm(f): BodyForm<MonitoringForm>,
) -> Result<Response> {
    let (u, year) = unit_year(&state, &staff, &code, &year, Action::Change).await?;
    let mut errors = FieldErrors::default();
    match f.validate(year, &mut errors) {
        Some(checked) => {
            monitoring::save(
                state.db(),
                staff.account_id,
                &u.teryt,
                year,
                &checked,
                state.clock().now(),
            )
            .await?;
            Ok(
                Redirect::to(&format!("{BASE}/{}/{year}?komunikat=zapisano", u.teryt))
                    .into_response(),
            )
        }
        None => invalid(page(
            &state.settings().monitoring,
            &staff,
            &v,
            &u,
            year,
            None,
            &f,
            &errors,
            "",
            &[],
        )),
    }
}

/// Where the button that opens a gap's case posts.
pub fn gap_action(teryt: &str, year: i16, gap: Gap) -> String {
    format!("{BASE}/{teryt}/{year}/sprawa/{}", gap.code())
}

/// Turns a gap of the JST's year into an intervention case (or finds the
/// open one) and shows the case.
async fn open_case(
    State(state): State<AppState>,
    Signed(staff, _): Signed,
    Path((code, year, gap)): Path<(String, String, String)>,
) -> Result<Response> {
    let (u, year) = unit_year(&state, &staff, &code, &year, Action::View).await?;
    require_unit(&staff, Area::Cases, Action::Change, Some(&u.teryt))?;
    let gap = Gap::parse(&gap).ok_or_else(|| {
        Error::BadRequest("Nieznany rodzaj luki: program albo sprawozdanie.".into())
    })?;
    let opened = crate::service::monitoring::open_case(
        state.db(),
        state.settings(),
        state.site().lead_name(),
        &staff,
        &u,
        year,
        gap,
        state.clock().now(),
    )
    .await?;
    let Some(o) = opened else {
        return Ok(
            Redirect::to(&format!("{BASE}/{}/{year}?komunikat=brak-luki", u.teryt)).into_response(),
        );
    };
    let notice = if o.created {
        "sprawa-zalozona"
    } else {
        "sprawa-istnieje"
    };
    Ok(Redirect::to(&format!(
        "{}/{}?komunikat={notice}",
        super::cases::BASE,
        o.id
    ))
    .into_response())
}
