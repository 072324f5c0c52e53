//! iCalendar files: every upcoming training and event, and each
//! activity's file beside its page.

use super::*;

pub(super) fn calendar_response(text: String) -> Response {
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
pub(super) async fn one(
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
pub(super) async fn feed(State(state): State<AppState>) -> Result<Response> {
    let project = crate::web::public::project(&state).await?;
    let today = state.clock().today_date();
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
            today,
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
