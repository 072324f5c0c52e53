//! Deadlines of replies: the dashboard of overdue and soon-due letters,
//! and its line on the back office's start page.

use axum::extract::State;
use axum::response::Response;
use jiff::civil::Date;

use super::{url, BASE, DEADLINES};
use crate::app::AppState;
use crate::domain::access::{Action, Area, Staff};
use crate::domain::format;
use crate::store::letters as store_letters;
use crate::web::admin::require;
use crate::web::admin::ui::{Block, Cell, Page, Table};
use crate::web::session::Signed;
use crate::web::Result;

/// The app's today in Warsaw.
fn today(state: &AppState) -> Date {
    state.clock().now().to_zoned(crate::app::warsaw()).date()
}

/// Days ahead the dashboard counts as "due soon".
pub const SOON_DAYS: i64 = 7;

/// The unanswered letters of cases the person reaches: overdue (their day
/// has passed) and due within `SOON_DAYS`, as of the app's today.
async fn due(
    state: &AppState,
    staff: &Staff,
) -> Result<(Vec<store_letters::Due>, Vec<store_letters::Due>)> {
    let today = today(state);
    let until = today
        .checked_add(jiff::Span::new().days(SOON_DAYS))
        .unwrap_or(today);
    let due = store_letters::due_by(state.db(), until, &staff.scope(Area::Cases), 500).await?;
    Ok(due.into_iter().partition(|d| d.reply_due < today))
}

/// What the back office's start page says of deadlines, for those who see
/// cases.
pub async fn summary(state: &AppState, staff: &Staff) -> Result<Option<Block>> {
    if !staff.can(Area::Cases, Action::View) {
        return Ok(None);
    }
    let (overdue, soon) = due(state, staff).await?;
    Ok(Some(Block::Links(vec![(
        DEADLINES.to_owned(),
        format!(
            "Odpowiedzi urzędów po terminie: {}, z terminem w ciągu {SOON_DAYS} dni: {}",
            overdue.len(),
            soon.len()
        ),
    )])))
}

/// Unanswered letters: overdue (the day has passed) and due within a week,
/// as of the app's today.
pub(super) async fn deadlines(
    State(state): State<AppState>,
    Signed(staff, v): Signed,
) -> Result<Response> {
    require(&staff, Area::Cases, Action::View)?;
    let (overdue, soon) = due(&state, &staff).await?;
    let today = today(&state);
    let table = |caption: &str, rows: Vec<store_letters::Due>| {
        let mut t = Table::new(caption, &["Termin", "Sprawa", "JST", "Pismo", "Prowadzi"]);
        t.total = rows.len() as i64;
        t.rows = rows
            .into_iter()
            .map(|d| {
                vec![
                    format::date(d.reply_due).into(),
                    Cell::link(d.number.clone(), url(d.case_id)),
                    d.jst_name.unwrap_or_default().into(),
                    d.title.into(),
                    d.assignee_name.unwrap_or_default().into(),
                ]
            })
            .collect();
        t
    };
    Page::new("Terminy odpowiedzi", Some(&staff), &v.csrf)
        .section(BASE)
        .block(Block::Text(format!(
            "Stan na {}. Terminy liczone według KPA: termin kończący się w sobotę lub dzień wolny przechodzi na najbliższy dzień roboczy.",
            format::date(today)
        )))
        .block(Block::Heading("Po terminie".into()))
        .block(Block::Table(table("Po terminie", overdue)))
        .block(Block::Heading(format!("Termin w ciągu {SOON_DAYS} dni")))
        .block(Block::Table(table(
            &format!("Termin w ciągu {SOON_DAYS} dni"),
            soon,
        )))
        .render()
}
