//! Local cooperation programmes: the list, one programme with its
//! meetings, and the page of one meeting.

use super::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::activities::{activity_page, PageQuery};
use super::layout::{markdown, Layout};
use super::public::{intro, project};
use super::views::{page_number, ActivityCard, Pager};
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::store::activities::{self, Selection, When};
use crate::store::programme::{self, LocalWork};

pub(super) async fn local_meeting(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let a = activities::by_slug(state.db(), &slug)
        .await?
        .ok_or(Error::NotFound)?;
    let id = a.local_work_id.ok_or(Error::NotFound)?;
    let work = programme::local_work_by_id(state.db(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let back = (
        format!("{}/{}", paths::LOCAL_WORK, work.slug),
        format!("Działania lokalne: {}", work.title),
    );
    activity_page(&state, &slug, paths::LOCAL_WORK, back, |a| {
        a.local_work_id.is_some()
    })
    .await
}

#[derive(Template)]
#[template(path = "public/local_works.html")]
struct LocalWorksPage {
    layout: Layout,
    intro: String,
    works: Vec<LocalWork>,
    total: i64,
    pager: Pager,
    pager_label: &'static str,
}

pub(super) async fn local_works(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    let current = page_number(q.strona.as_deref())?;
    let project = project(&state).await?;
    let works = programme::local_works(
        state.db(),
        project.id,
        Pager::PER_PAGE,
        Pager::offset(current),
    )
    .await?;
    let pager = Pager::new(paths::LOCAL_WORK, "strona", current, works.total);
    if current > pager.pages {
        return Err(Error::NotFound);
    }
    let page = LocalWorksPage {
        layout: Layout::new(state.site(), paths::LOCAL_WORK, "Działania lokalne"),
        intro: intro(&state, project.id, "dzialania-lokalne").await?,
        works: works.items,
        total: works.total,
        pager,
        pager_label: "Strony listy działań lokalnych",
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "public/local_work.html")]
struct LocalWorkPage {
    layout: Layout,
    work: LocalWork,
    jst_url: String,
    summary: String,
    deliverables: String,
    meetings: Vec<ActivityCard>,
    participants: String,
}

pub(super) async fn local_work(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let work = programme::local_work_by_slug(state.db(), &slug)
        .await?
        .ok_or(Error::NotFound)?;
    let project = project(&state).await?;
    let meetings = activities::list(
        state.db(),
        project.id,
        Selection::LocalWork(work.id),
        When::Any,
        &Default::default(),
        state.clock().today_date(),
        200,
        0,
    )
    .await?;
    let attendances: i64 = meetings.items.iter().map(|m| m.participants).sum();
    let page = LocalWorkPage {
        layout: Layout::new(
            state.site(),
            paths::LOCAL_WORK,
            format!("Działania lokalne: {}", work.title),
        ),
        jst_url: paths::jst(&work.local_government),
        summary: markdown(&work.summary_md),
        deliverables: markdown(&work.deliverables_md),
        meetings: meetings.items.iter().map(ActivityCard::from).collect(),
        participants: super::views::people(attendances),
        work,
    };
    render(&page)
}
