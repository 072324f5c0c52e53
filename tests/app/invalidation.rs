//! The page cache drops only what a change touches: each write moves the
//! topics it changes, each page is made from the topics of its route; a
//! page whose topics moved is re-rendered by one request while the others
//! get its previous version, for a bounded time.

use crate::helpers::{counter, spawn_app, spawn_app_with, TestApp};
use crate::registration::{registered_and_confirmed, training};
use koalicja::config::Settings;
use reqwest::StatusCode;
use std::time::Duration;

/// Whether asking for `path` rendered it (rather than the cache answering),
/// and the page.
pub(crate) async fn rendered(app: &TestApp, path: &str) -> (bool, String) {
    let before = app.state.cache().renders();
    let reply = app.get(path).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    (app.state.cache().renders() > before, reply.body)
}

/// Asks for every page once, so that each is in the cache.
pub(crate) async fn cached(app: &TestApp, paths: &[&str]) {
    for path in paths {
        rendered(app, path).await;
        assert!(!rendered(app, path).await.0, "{path} is kept");
    }
}

/// Adds an organisation in Płońsk through the back office.
pub(crate) async fn add_organisation(b: &crate::browser::Browser<'_>, name: &str) {
    let added = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", name),
                ("legal_form", "fundacja"),
                ("local_government", "1420011"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
}

/// The page of the powiat of Płońsk, which lists the organisations in it.
pub(crate) const PLONSK: &str = "/jst/1420";

const FREE_20: &str = "<dt>Wolne miejsca</dt><dd>20</dd>";
const FREE_19: &str = "<dt>Wolne miejsca</dt><dd>19</dd>";
const FREE_18: &str = "<dt>Wolne miejsca</dt><dd>18</dd>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_organisation_re_renders_the_pages_listing_organisations_alone() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    app.refresh().await;
    let untouched = [
        "/",
        "/api/v1/stats",
        "/szkolenia",
        page.as_str(),
        "/wydarzenia",
        "/szkolenia.ics",
        "/badania",
        "/poradniki",
    ];
    cached(&app, &untouched).await;
    cached(&app, &[PLONSK]).await;

    add_organisation(&staff, "Abecadło – Fundacja Nowa").await;
    app.refresh().await;
    for path in untouched {
        assert!(!rendered(&app, path).await.0, "{path} left in the cache");
    }
    let (again, unit) = rendered(&app, PLONSK).await;
    assert!(again && unit.contains("Abecadło – Fundacja Nowa"), "{unit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_re_renders_the_free_places_and_leaves_the_home_page_and_calendars() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let other = training(&app, Some(20)).await;
    app.refresh().await;
    // Calendars show no free places.
    let calendar = format!("{page}/kalendarz.ics");
    let untouched = [
        "/",
        "/api/v1/stats",
        "/badania",
        "/siec-urzednikow",
        other.as_str(),
        "/szkolenia.ics",
        calendar.as_str(),
    ];
    cached(&app, &untouched).await;
    cached(&app, &[page.as_str(), "/szkolenia"]).await;
    assert!(app.get(&page).await.body.contains(FREE_20));

    registered_and_confirmed(&app, &page, "Anna", "anna@example.org").await;
    app.refresh().await;
    let (again, body) = rendered(&app, &page).await;
    assert!(again && body.contains(FREE_19), "{body}");
    let (again, list) = rendered(&app, "/szkolenia").await;
    assert!(again && list.contains("wolne miejsca: 19"), "{list}");
    for path in untouched {
        assert!(!rendered(&app, path).await.0, "{path} left in the cache");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trip_re_renders_the_figures_and_leaves_the_documents() {
    let app = spawn_app().await;
    let staff = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    app.refresh().await;
    cached(&app, &["/", "/badania", "/poradniki"]).await;
    let before = counter(&app.get("/").await.body, "kilometres");

    let added = staff
        .submit(
            "/admin/wyjazdy",
            "/admin/wyjazdy",
            &[
                ("travelled_on", "2023-06-01"),
                ("route", "Warszawa – Radom"),
                ("kilometres", "100"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    app.refresh().await;
    let (again, home) = rendered(&app, "/").await;
    assert!(again, "the home page re-rendered");
    assert_eq!(counter(&home, "kilometres"), before + 100.0);
    for path in ["/badania", "/poradniki"] {
        assert!(!rendered(&app, path).await.0, "{path} left in the cache");
    }
}

/// Takes every turn of the public computations, so that a render waits
/// in the gate until they are dropped (at most `gate::TURN_WAIT`).
fn hold_the_gate(app: &TestApp) -> Vec<koalicja::web::gate::Turn> {
    let mut turns = Vec::new();
    while let Some(turn) = app.state.gate().try_enter() {
        turns.push(turn);
    }
    turns
}

/// A request for `path`, sent now and answered later.
fn asked(app: &TestApp, path: &str) -> tokio::task::JoinHandle<String> {
    let http = app.client.clone();
    let url = format!("{}{path}", app.address);
    tokio::spawn(async move { http.get(url).send().await.unwrap().text().await.unwrap() })
}

/// Waits for a condition the server reaches on its own (the bound only
/// keeps a broken build from hanging the suite).
async fn until(what: &str, reached: impl Fn() -> bool) {
    let waiting = async {
        while !reached() {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .unwrap_or_else(|_| panic!("{what}"));
}

/// The activity's page, kept with 20 free places, then a place taken: the
/// page is stale.
async fn a_stale_page(app: &TestApp) -> String {
    let page = training(app, Some(20)).await;
    app.refresh().await;
    cached(app, &[page.as_str()]).await;
    registered_and_confirmed(app, &page, "Anna", "anna@example.org").await;
    app.refresh().await;
    page
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_during_a_re_render_get_the_previous_page_and_cause_no_other_render() {
    let app = spawn_app().await;
    let page = a_stale_page(&app).await;
    let cache = app.state.cache();
    let (renders, stale) = (cache.renders(), cache.stale_answers());

    let turns = hold_the_gate(&app);
    let leader = asked(&app, &page);
    until("the first request renders", || cache.rendering() == 1).await;
    let others: Vec<_> = (0..8).map(|_| asked(&app, &page)).collect();
    for other in others {
        let body = other.await.unwrap();
        assert!(body.contains(FREE_20), "the previous page: {body}");
    }
    drop(turns);
    let body = leader.await.unwrap();
    assert!(body.contains(FREE_19), "the new page: {body}");
    assert_eq!(cache.renders() - renders, 1, "one render");
    assert_eq!(cache.stale_answers() - stale, 8);
    let (again, body) = rendered(&app, &page).await;
    assert!(!again && body.contains(FREE_19), "the new page is kept");
}

/// Four requests waiting for one render of a page.
struct Waiting {
    page: String,
    /// The requests, the one rendering last.
    requests: Vec<tokio::task::JoinHandle<String>>,
    /// The gate's turns, held: the render goes on once they are dropped.
    turns: Vec<koalicja::web::gate::Turn>,
    /// The cache's renders and stale answers before the four came.
    renders: usize,
    stale: usize,
}

/// A stale page older than the bound, whose render is held at the gate
/// while three more requests wait for it.
async fn four_waiting_for_a_render(app: &TestApp) -> Waiting {
    let page = a_stale_page(app).await;
    let cache = app.state.cache();
    let bound = app.state.settings().stale_pages.as_secs() as i64;
    app.clock.advance(bound + 1);
    let (renders, stale) = (cache.renders(), cache.stale_answers());
    let turns = hold_the_gate(app);
    let leader = asked(app, &page);
    until("the first request renders", || cache.rendering() == 1).await;
    let mut requests: Vec<_> = (0..3).map(|_| asked(app, &page)).collect();
    until("the others wait for its render", || cache.following() == 3).await;
    requests.push(leader);
    Waiting {
        page,
        requests,
        turns,
        renders,
        stale,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_previous_page_older_than_the_bound_is_not_served() {
    let app = spawn_app().await;
    let cache = app.state.cache();
    let Waiting {
        requests,
        turns,
        renders,
        stale,
        ..
    } = four_waiting_for_a_render(&app).await;
    drop(turns);
    for request in requests {
        let body = request.await.unwrap();
        assert!(body.contains(FREE_19), "the new page: {body}");
    }
    assert_eq!(cache.renders() - renders, 1, "one render");
    assert_eq!(cache.stale_answers(), stale, "no previous page served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_changes_during_its_render_is_kept_and_answers_those_waiting() {
    let app = spawn_app_with(|s| Settings {
        render_gap: Duration::from_secs(1),
        ..s
    })
    .await;
    let cache = app.state.cache();
    let Waiting {
        page,
        requests,
        turns,
        renders,
        ..
    } = four_waiting_for_a_render(&app).await;
    // Another place is taken while the page renders: what it renders is
    // already behind the data when it is done.
    registered_and_confirmed(&app, &page, "Beata", "beata@example.org").await;
    app.refresh().await;
    drop(turns);
    for request in requests {
        let body = request.await.unwrap();
        assert!(body.contains(FREE_18), "the page rendered: {body}");
    }
    assert_eq!(cache.renders() - renders, 1, "one render for all four");
    // Kept as stale since its render began: within the gap after that,
    // requests get it without a render; after the gap, the next one
    // re-renders.
    let (again, body) = rendered(&app, &page).await;
    assert!(!again && body.contains(FREE_18), "{body}");
    let gap = app.state.settings().render_gap.as_secs() as i64;
    app.clock.advance(gap + 1);
    let (again, body) = rendered(&app, &page).await;
    assert!(again && body.contains(FREE_18), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_re_render_refused_for_load_answers_with_the_previous_page() {
    let app = spawn_app().await;
    let page = a_stale_page(&app).await;
    let stale = app.state.cache().stale_answers();
    let turns = hold_the_gate(&app);
    // No turn comes free: the render is refused after its wait.
    let reply = app.get(&page).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains(FREE_20), "the previous page");
    assert_eq!(app.state.cache().stale_answers() - stale, 1);
    drop(turns);
    let (again, body) = rendered(&app, &page).await;
    assert!(again && body.contains(FREE_19), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_changed_activities_are_no_longer_known_every_activity_is_re_rendered() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let other = training(&app, Some(20)).await;
    app.refresh().await;
    cached(&app, &[page.as_str(), other.as_str(), "/"]).await;
    // As if the rows naming the activities had been pruned meanwhile.
    sqlx::query("UPDATE meta SET value = 1000000 WHERE key = 'places_pruned'")
        .execute(app.db.pool())
        .await
        .unwrap();
    registered_and_confirmed(&app, &page, "Anna", "anna@example.org").await;
    app.refresh().await;
    assert!(rendered(&app, &page).await.0);
    assert!(rendered(&app, &other).await.0, "not known: re-rendered");
    assert!(
        !rendered(&app, "/").await.0,
        "the home page shows no places"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_changes_of_places_are_pruned_and_newer_ones_still_name_their_activity() {
    let app = spawn_app().await;
    let page = training(&app, Some(20)).await;
    let other = training(&app, Some(20)).await;
    registered_and_confirmed(&app, &page, "Anna", "anna@example.org").await;
    // Ten thousand versions of the places later, the next one prunes
    // every change up to a thousand: Anna's confirmation among them.
    sqlx::query("UPDATE meta SET value = 10999 WHERE key = 'places_version'")
        .execute(app.db.pool())
        .await
        .unwrap();
    app.refresh().await;
    cached(&app, &[page.as_str(), other.as_str()]).await;
    registered_and_confirmed(&app, &page, "Ewa", "ewa@example.org").await;
    let pruned: i64 = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'places_pruned'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(pruned, 1000);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM place_change")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, 1, "Ewa's confirmation alone is kept");
    app.refresh().await;
    let (again, body) = rendered(&app, &page).await;
    assert!(again && body.contains(FREE_18), "{body}");
    assert!(
        !rendered(&app, &other).await.0,
        "the other one is known unchanged"
    );
}
