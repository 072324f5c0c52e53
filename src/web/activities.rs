//! Trainings and events: the lists (upcoming and past, each paged) and the
//! page of one activity, shared with the meetings of local work.

use super::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::admin::ui::{Field, Form, Kind};
use super::layout::{markdown, Layout};
use super::public::{intro, project};
use super::views::{self, page_number, ActivityCard, Pager};
use super::{paths, render, Error, Result};
use crate::app::AppState;
use crate::domain::activity::{ActivityStatus, Audience, Catalogue, Group};
use crate::domain::format::{self, nouns};
use crate::domain::stats::{large_groups, shown, MIN_GROUP, WITHOUT_TEAM};
use crate::store::activities::{self, CatalogueOptions, Selection, When};

#[derive(Deserialize)]
pub struct PageQuery {
    /// Page of the past activities.
    pub strona: Option<String>,
    /// Page of the upcoming activities.
    pub nadchodzace: Option<String>,
    /// The catalogue's filters (see `domain::activity::Catalogue`).
    #[serde(default)]
    pub dla: String,
    #[serde(default)]
    pub temat: String,
    #[serde(default)]
    pub obszar: String,
    #[serde(default)]
    pub forma: String,
    #[serde(default)]
    pub miesiac: String,
}

#[derive(Template)]
#[template(path = "public/activities.html")]
struct ActivitiesPage {
    layout: Layout,
    heading: &'static str,
    intro: String,
    list_heading: &'static str,
    upcoming: Listing,
    past: Listing,
    /// What the held activities of the list add up to, in words.
    held: String,
    filters: Form,
    filtered: bool,
    section: &'static str,
}

/// One paged part of a list: its rows, how many in all, its pager.
pub struct Listing {
    pub rows: Vec<ActivityCard>,
    pub total: i64,
    pub pager: Pager,
}

async fn listing(
    state: &AppState,
    project: i64,
    selection: Selection,
    when: When,
    filter: &Catalogue,
    (section, param, raw): (&'static str, &'static str, Option<&str>),
) -> Result<Listing> {
    let current = page_number(raw)?;
    let today = state.clock().today_date();
    let page = activities::list(
        state.db(),
        project,
        selection,
        when,
        filter,
        today,
        Pager::PER_PAGE,
        Pager::offset(current),
    )
    .await?;
    let base = if filter.is_empty() {
        section.to_owned()
    } else {
        format!("{section}?{}", filter.query())
    };
    let pager = Pager::new(&base, param, current, page.total);
    if current > pager.pages {
        return Err(Error::NotFound);
    }
    Ok(Listing {
        rows: page.items.iter().map(ActivityCard::from).collect(),
        total: page.total,
        pager,
    })
}

async fn activity_list(
    state: &AppState,
    selection: Selection,
    section: &'static str,
    heading: &'static str,
    list_heading: &'static str,
    query: PageQuery,
) -> Result<Response> {
    let project = project(state).await?;
    let filter = Catalogue::parse(
        &query.dla,
        &query.temat,
        &query.obszar,
        &query.forma,
        &query.miesiac,
    )
    .map_err(Error::BadRequest)?;
    let options = state
        .activities()
        .options(state.db(), project.id, selection)
        .await?;
    let CatalogueOptions {
        topics,
        counties,
        months,
    } = options.as_ref().clone();
    if filter.topic.as_ref().is_some_and(|t| !topics.contains(t)) {
        return Err(Error::BadRequest(
            "Nie ma takiego tematu w katalogu.".into(),
        ));
    }
    let filters = filter_form(section, &filter, topics, counties, months);
    let upcoming = (section, "nadchodzace", query.nadchodzace.as_deref());
    let past = (section, "strona", query.strona.as_deref());
    // Independent reads, at once: the first render waits for the longest.
    let (intro, upcoming, past, held) = tokio::try_join!(
        intro(state, project.id, section.trim_start_matches('/')),
        listing(
            state,
            project.id,
            selection,
            When::Upcoming,
            &filter,
            upcoming
        ),
        listing(state, project.id, selection, When::Past, &filter, past),
        async {
            Ok::<_, Error>(activities::held(state.db(), project.id, selection, &filter).await?)
        },
    )?;
    let page = ActivitiesPage {
        layout: Layout::new(state.site(), section, heading),
        heading,
        intro,
        list_heading,
        upcoming,
        past,
        held: held_summary(
            held,
            match selection {
                Selection::Events => nouns::EVENT,
                _ => nouns::TRAINING_OR_WORKSHOP,
            },
        ),
        filters,
        filtered: !filter.is_empty(),
        section,
    };
    render(&page)
}

/// "17 szkoleń i warsztatów; 225 różnych osób; łącznie 255 udziałów":
/// what was held, distinct people and participations (a person at two
/// counts once in the first and twice in the second), both without the
/// project's team, small groups not shown. Under a filter other than the
/// month distinct people are not counted, and the sentence says so.
fn held_summary(h: activities::Held, noun: format::Noun) -> String {
    let held = format::count(h.activities, noun);
    let participations = format::count(h.participations, nouns::PARTICIPATION);
    let Some(people) = h.people else {
        return match shown(h.participations) {
            Some(0) => held,
            Some(_) => format!(
                "{held}; łącznie {participations} ({WITHOUT_TEAM}; różne osoby liczymy \
                 dla całego katalogu i dla miesięcy)"
            ),
            None => format!("{held}; mniej niż {MIN_GROUP} udziały"),
        };
    };
    match shown(people) {
        Some(0) => held,
        Some(people) => format!(
            "{held}; {}; łącznie {participations} ({WITHOUT_TEAM})",
            format::count(people, nouns::DISTINCT_PERSON),
        ),
        None => format!("{held}; mniej niż {MIN_GROUP} osoby"),
    }
}

/// The catalogue's filter form (GET, works without JavaScript).
fn filter_form(
    section: &'static str,
    f: &Catalogue,
    topics: Vec<String>,
    counties: Vec<(String, String)>,
    months: Vec<String>,
) -> Form {
    let any = || std::iter::once((String::new(), "wszystkie".to_owned()));
    let mut form = Form::filter(
        section,
        vec![
            Field::select(
                "dla",
                "Dla kogo",
                f.audience.map(|a| a.code()).unwrap_or(""),
                any().chain(
                    Audience::ALL
                        .iter()
                        .map(|a| (a.code().to_owned(), a.label().to_owned())),
                ),
            ),
            Field::select(
                "temat",
                "Temat",
                f.topic.clone().unwrap_or_default(),
                any().chain(topics.into_iter().map(|t| (t.clone(), t))),
            ),
            Field::select(
                "obszar",
                "Powiat",
                f.area.clone().unwrap_or_default(),
                any().chain(counties),
            ),
            Field::select(
                "forma",
                "Forma",
                match f.online {
                    Some(true) => "online",
                    Some(false) => "stacjonarnie",
                    None => "",
                },
                any().chain([
                    ("online".to_owned(), "online".to_owned()),
                    ("stacjonarnie".to_owned(), "na miejscu".to_owned()),
                ]),
            ),
            Field::select(
                "miesiac",
                "Miesiąc",
                f.month.clone().unwrap_or_default(),
                any().chain(months.into_iter().map(|m| {
                    let label = format!("{m}-01")
                        .parse::<jiff::civil::Date>()
                        .map(format::month_year)
                        .unwrap_or_else(|_| m.clone());
                    (m, label)
                })),
            ),
        ],
    );
    form.submit = "Pokaż".into();
    form
}

pub(super) async fn trainings(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    activity_list(
        &state,
        Selection::Trainings,
        paths::TRAININGS,
        "Szkolenia",
        "Lista szkoleń",
        q,
    )
    .await
}

pub(super) async fn events(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Response> {
    activity_list(
        &state,
        Selection::Events,
        paths::EVENTS,
        "Wydarzenia",
        "Lista wydarzeń",
        q,
    )
    .await
}

/// One speaker line: role, name, affiliation.
pub struct SpeakerLine {
    pub role: &'static str,
    pub name: String,
    pub affiliation: String,
}

#[derive(Template)]
#[template(path = "public/activity.html")]
struct ActivityPage {
    layout: Layout,
    back_url: String,
    back_label: String,
    card: ActivityCard,
    summary: String,
    start_time: String,
    capacity: Option<String>,
    co_organiser: Option<String>,
    speakers: Vec<SpeakerLine>,
    status: &'static str,
    /// What the page counts of people, with its label: the attendance of a
    /// held activity, the registrations of a planned one.
    people: Option<(String, String)>,
    groups: Vec<(&'static str, String)>,
    /// Some groups were too small to show.
    groups_held_back: bool,
    /// For trainings and events open for registration: the form's address
    /// and the free places.
    registration: Option<(String, String)>,
    calendar_url: String,
    /// The programme by day: (day, [(time, title, speakers)]).
    agenda: Vec<AgendaDay>,
}

pub(super) async fn activity_page(
    state: &AppState,
    slug: &str,
    section: &'static str,
    back: (String, String),
    fits: impl Fn(&activities::Activity) -> bool,
) -> Result<Response> {
    let a = activities::by_slug(state.db(), slug)
        .await?
        .filter(|a| fits(a))
        .ok_or(Error::NotFound)?;
    let speakers = activities::speakers(state.db(), a.id).await?;
    // Only a held activity has an attendance to show; a planned one shows
    // its registrations instead.
    let held = a.status == ActivityStatus::Held;
    let by_group = if held {
        activities::attendance_by_group(state.db(), a.id).await?
    } else {
        Vec::new()
    };
    let (groups, groups_held_back) = large_groups(by_group);
    let people = match a.status {
        ActivityStatus::Held => Some((
            format!("Obecnych osób ({WITHOUT_TEAM})"),
            views::people(a.participants),
        )),
        ActivityStatus::Planned => Some(("Zapisane osoby".to_owned(), views::people(a.confirmed))),
        ActivityStatus::Cancelled => None,
    };
    let page = ActivityPage {
        people,
        status: a.status.label(),
        groups_held_back,
        layout: Layout::new(state.site(), section, a.title.clone()),
        back_url: back.0,
        back_label: back.1,
        summary: markdown(&a.summary_md),
        start_time: a.start_time.clone(),
        capacity: a.capacity.map(format::integer),
        co_organiser: a.co_organiser.clone(),
        speakers: speakers
            .into_iter()
            .map(|s| SpeakerLine {
                role: s.role.label_for(s.gender),
                name: s.name,
                affiliation: s.affiliation,
            })
            .collect(),
        groups: groups
            .into_iter()
            .map(|(g, n): (Group, i64)| (g.label(), format::count(n, nouns::PERSON)))
            .collect(),
        registration: registration(state, &a),
        agenda: agenda(state, a.id).await?,
        calendar_url: views::calendar_url(&a),
        card: ActivityCard::from(&a),
    };
    render(&page)
}

/// One day of a programme: its date and its items (time, title, speakers).
type AgendaDay = (String, Vec<(String, String, String)>);

/// The programme of an activity, grouped by day.
async fn agenda(state: &AppState, activity: i64) -> Result<Vec<AgendaDay>> {
    let mut days: Vec<AgendaDay> = Vec::new();
    for i in crate::store::agenda::list(state.db(), activity).await? {
        let day = views::date(&i.item.day);
        let entry = (i.item.starts_at, i.item.title, i.item.speakers);
        match days.last_mut() {
            Some((d, items)) if *d == day => items.push(entry),
            _ => days.push((day, vec![entry])),
        }
    }
    Ok(days)
}

/// Where to register and how many places are free, while registration is
/// open (until the closing day, by default the first day).
fn registration(state: &AppState, a: &activities::Activity) -> Option<(String, String)> {
    use super::registration::{free_places, open, registrable};
    if !registrable(a) || !open(state, a) {
        return None;
    }
    Some((
        format!("{}/zapis", views::activity_url(a)),
        free_places(a, a.confirmed),
    ))
}

pub(super) async fn training(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let back = (paths::TRAININGS.to_owned(), "Lista szkoleń".to_owned());
    activity_page(&state, &slug, paths::TRAININGS, back, |a| {
        a.kind.is_training() && a.local_work_id.is_none()
    })
    .await
}

pub(super) async fn event(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let back = (paths::EVENTS.to_owned(), "Wydarzenia".to_owned());
    activity_page(&state, &slug, paths::EVENTS, back, |a| a.kind.is_event()).await
}
