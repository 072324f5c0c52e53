//! What people type as a JST finds the JST they meant (or offers the
//! candidates to pick), a city with powiat rights is one JST everywhere,
//! and names read as people write them, in Polish order.

use reqwest::StatusCode;
use sqlx::Row;

use crate::browser::Browser;
use crate::helpers::{between, spawn_app, Reply, TestApp};
use crate::mail::sent;

/// The fields of a valid report of a problem in `jst`.
fn problem(jst: &str) -> Vec<(&str, &str)> {
    vec![
        ("organisation", "Stowarzyszenie Przyjaciół Ziemi Płońskiej"),
        ("name", "Zofia Wójcik-Żmijewska"),
        ("email", "zofia@example.org"),
        ("phone", ""),
        ("contact", "email"),
        ("jst", jst),
        ("category", "transparency"),
        (
            "description",
            "Urząd nie opublikował wyników konkursu ofert.",
        ),
        ("consent", "1"),
    ]
}

async fn report(b: &Browser<'_>, fields: &[(&str, &str)]) -> Reply {
    b.upload_files(
        "/interwencje/zgloszenie",
        "/interwencje/zgloszenie",
        fields,
        vec![],
    )
    .await
}

/// The radio buttons offered for `field`: (value, label).
fn choices(html: &str, field: &str) -> Vec<(String, String)> {
    let marker = format!("name=\"{field}_wybor\" value=\"");
    html.split(&marker)
        .skip(1)
        .map(|part| {
            let value = part.split('"').next().unwrap_or_default().to_owned();
            let label = part
                .split("</label>")
                .next()
                .and_then(|l| l.rsplit('>').next())
                .unwrap_or_default()
                .to_owned();
            (value, label)
        })
        .collect()
}

/// Files a report for what was typed (and picked) and returns the JST the
/// case was recorded for, the confirmation page and the e-mail's text.
async fn filed(app: &TestApp, b: &Browser<'_>, fields: &[(&str, &str)]) -> (String, String) {
    let reply = report(b, fields).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = b.get(reply.headers["location"].to_str().unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    let number = between(&page.body, "Numer sprawy: <strong>", "</strong>").unwrap();
    let jst: String = sqlx::query("SELECT local_government FROM case_file WHERE number = $1")
        .bind(&number)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0);
    (jst, page.body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_form_finds_the_jst_meant_and_offers_the_candidates_to_pick() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let cases = || async {
        sqlx::query("SELECT COUNT(*) FROM case_file")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    let before = cases().await;
    let mailed = sent(&app, 0).await.len();

    // "łódź" is no JST of Mazowieckie: refused, no candidate (and never
    // Młodzieszyn, whose folded name contains "lodz").
    let lodz = report(&b, &problem("łódź")).await;
    assert_eq!(lodz.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        lodz.body.contains("„łódź” nie jest samorządem województwa mazowieckiego (rejestr tej strony obejmuje województwo mazowieckie)"),
        "{}",
        lodz.body
    );
    assert!(choices(&lodz.body, "jst").is_empty());
    assert!(!lodz.body.contains("Młodzieszyn"));

    // "Mińsk" is Mińsk Mazowiecki, town and rural gmina; not a powiat whose
    // name merely contains the letters.
    let minsk = report(&b, &problem("Mińsk")).await;
    assert_eq!(minsk.status, StatusCode::UNPROCESSABLE_ENTITY);
    let offered: Vec<String> = choices(&minsk.body, "jst")
        .into_iter()
        .map(|c| c.0)
        .collect();
    assert_eq!(offered, ["1412011", "1412112"]);
    assert!(!minsk.body.contains("wołomiński") && !minsk.body.contains("żuromiński"));

    // The form's own example: two gminy, offered as choices with their
    // kind and county; everything typed is kept.
    let plonsk = report(&b, &problem("Płońsk")).await;
    assert_eq!(plonsk.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        choices(&plonsk.body, "jst"),
        [
            (
                "1420011".to_owned(),
                "Płońsk — gmina miejska, powiat płoński".to_owned()
            ),
            (
                "1420092".to_owned(),
                "Płońsk — gmina wiejska, powiat płoński".to_owned()
            ),
        ]
    );
    assert!(plonsk.body.contains("type=\"radio\""));
    assert!(plonsk.body.contains("value=\"Płońsk\""), "typed kept");
    assert!(plonsk.body.contains("Urząd nie opublikował wyników"));
    assert_eq!(
        cases().await,
        before,
        "nothing filed while the JST is not known"
    );

    // Picking one files the report; the page and the e-mail name the JST.
    let mut picked = problem("Płońsk");
    picked.push(("jst_wybor", "1420092"));
    let (jst, page) = filed(&app, &b, &picked).await;
    assert_eq!(jst, "1420092");
    assert!(page.contains("Płońsk (gmina wiejska)"), "{page}");
    let mail = sent(&app, mailed + 1).await;
    let confirmation = &mail[mailed].1;
    assert!(
        confirmation.contains("Płońsk (gmina wiejska)"),
        "the e-mail names the JST: {confirmation}"
    );

    // The words people add tell the kind.
    for (typed, code, name) in [
        ("Gmina Jednorożec", "1422042", "Jednorożec"),
        ("Urząd Gminy Jednorożec", "1422042", "Jednorożec"),
        ("powiat płoński", "1420", "powiat płoński"),
        ("m.st. Warszawa", "1465", "m.st. Warszawa"),
        ("Prezydent Miasta Płocka", "1462", "Płock"),
    ] {
        let (jst, page) = filed(&app, &b, &problem(typed)).await;
        assert_eq!(jst, code, "{typed}");
        assert!(
            page.contains(&format!("<strong>{name}</strong>")),
            "{typed}: {page}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plock_is_one_jst_in_the_finder_its_county_list_and_the_figures() {
    let app = spawn_app().await;

    let index = app.get("/jst").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(index.body.matches("href=\"/jst/1462\"").count(), 1);
    assert!(!index.body.contains("/jst/1462011"));
    assert_eq!(index.body.matches(">Płock<").count(), 1);
    assert!(index.body.contains(">m.st. Warszawa<"));
    // The region's counties in Polish alphabetical order.
    let at = |name: &str| {
        index
            .body
            .find(&format!(">{name}<"))
            .unwrap_or_else(|| panic!("{name} listed"))
    };
    assert!(at("powiat legionowski") < at("powiat łosicki"));
    assert!(at("powiat łosicki") < at("powiat makowski"));

    // Its county list holds it once; its second code leads to it.
    let region = app.get("/jst/14").await.body;
    assert_eq!(region.matches("href=\"/jst/1462\"").count(), 1);
    assert!(!region.contains("/jst/1462011"));
    let second = app.get("/jst/1462011").await;
    assert_eq!(second.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(second.redirected_to(), "/jst/1462");
    assert_eq!(
        crate::helpers::h1(&app.get("/jst/1462").await.body),
        "Płock"
    );

    // A county lists its gminy in Polish order, namesakes told apart.
    let county = app.get("/jst/1420").await.body;
    assert_eq!(crate::helpers::h1(&county), "powiat płoński");
    let miejska = county.find(">Płońsk (gmina miejska)<").expect("town");
    let wiejska = county.find(">Płońsk (gmina wiejska)<").expect("rural");
    let nowe = county.find(">Nowe Miasto<").expect("Nowe Miasto");
    assert!(nowe < miejska && miejska < wiejska);
    let przasnysz = app.get("/jst/1422").await.body;
    assert!(przasnysz.find(">Jednorożec<") < przasnysz.find(">Krasne<"));

    // The officials' network names each JST so that namesakes differ.
    let network = app.get("/siec-urzednikow").await.body;
    let names: Vec<String> = network
        .split("<tr><td><a href=\"/jst/")
        .skip(1)
        .filter_map(|row| between(row, "\">", "</a>"))
        .collect();
    assert!(!names.is_empty());
    let mut distinct = names.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), names.len(), "{names:?}");

    // The training catalogue's county filter names counties as people do.
    let catalogue = app.get("/szkolenia").await.body;
    let options = between(&catalogue, "name=\"obszar\"", "</select>").expect("county filter");
    assert!(options.contains(">powiat płoński<"), "{options}");
    assert!(!options.contains("powiat Warszawa") && !options.contains("powiat powiat"));

    // The finder's search: the same matcher as the forms.
    let found = app.get("/jst?q=P%C5%82ock").await.body;
    assert_eq!(
        between(&found, "<h2 id=\"wyniki\">", "</section>")
            .unwrap()
            .matches("href=\"/jst/")
            .count(),
        1
    );
    let two = app.get("/jst?q=P%C5%82o%C5%84sk").await.body;
    let results = between(&two, "<h2 id=\"wyniki\">", "</section>").unwrap();
    assert!(results.contains("Płońsk — gmina miejska, powiat płoński"));
    assert!(results.contains("Płońsk — gmina wiejska, powiat płoński"));
    assert_eq!(results.matches("href=\"/jst/").count(), 2);
    let none = app.get("/jst?q=%C5%82%C3%B3d%C5%BA").await.body;
    let results = between(&none, "<h2 id=\"wyniki\">", "</section>").unwrap();
    assert!(results.contains("„łódź” nie jest samorządem województwa mazowieckiego"));
    assert!(!results.contains("href=\"/jst/"));

    // Whichever code a record names, the city counts once.
    let before = app.stats("").await["local_governments"].as_i64().unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    for (slug, code) in [("plock-a", "1462011"), ("plock-b", "1462")] {
        sqlx::query(
            "INSERT INTO local_work (project_id, slug, title, local_government, office, period, \
             summary_md, deliverables_md, created_at, updated_at) \
             SELECT id, $1, 'Program współpracy Płocka', $2, 'Urząd Miasta Płocka', '2023', '', '', \
             '2026-11-28T10:00:00Z', '2026-11-28T10:00:00Z' FROM project",
        )
        .bind(slug)
        .bind(code)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    koalicja::store::bump_version(&mut tx, koalicja::store::Topics::ALL)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.refresh().await;
    let after = app.stats("").await["local_governments"].as_i64().unwrap();
    assert_eq!(after, before + 1);

    // The back office lists it once and a picker writes its one code.
    let b = app.signed_in("admin-jst@example.org", "admin", &[]).await;
    let list = b.get("/admin/jst?q=p%C5%82ock").await.body;
    assert_eq!(list.matches("href=\"/admin/jst/1462\"").count(), 1);
    assert!(!list.contains("/admin/jst/1462011"));
    let saved = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", "Płockie Forum Organizacji"),
                ("legal_form", "stowarzyszenie"),
                ("local_government", "1462011"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let code: String = sqlx::query(
        "SELECT local_government FROM organisation WHERE name = 'Płockie Forum Organizacji'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get(0);
    assert_eq!(code, "1462");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_back_office_picker_offers_the_candidates_and_takes_the_one_picked() {
    let app = spawn_app().await;
    let b = app.signed_in("admin-pick@example.org", "admin", &[]).await;
    let fields = [
        ("name", "Fundacja Nad Płonką"),
        ("legal_form", "fundacja"),
        ("local_government", "Płońsk"),
    ];
    let ambiguous = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &fields,
        )
        .await;
    assert_eq!(ambiguous.status, StatusCode::UNPROCESSABLE_ENTITY);
    let offered: Vec<String> = choices(&ambiguous.body, "local_government")
        .into_iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(
        offered,
        [
            "Płońsk — gmina miejska, powiat płoński",
            "Płońsk — gmina wiejska, powiat płoński"
        ]
    );
    assert!(ambiguous.body.contains("value=\"Fundacja Nad Płonką\""));
    // Picked on the page that offered the choices.
    let token = crate::browser::csrf(&ambiguous.body);
    let mut picked = vec![("csrf", token.as_str())];
    picked.extend_from_slice(&fields);
    picked.push(("local_government_wybor", "1420011"));
    let saved = b.post("/admin/organizacje/nowa", &picked).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = b.get(&saved.redirected_to()).await.body;
    assert!(page.contains("Płońsk (gmina miejska)"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_form_reads_a_jst_as_people_type_it_and_says_what_is_true() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let offered =
        |body: &str| -> Vec<String> { choices(body, "jst").into_iter().map(|c| c.0).collect() };

    // A word typed as it is beats an inflected name; the office named
    // tells the gmina wiejska from the town.
    for (typed, code) in [
        ("powiat płocki", "1419"),
        ("powiat ostrołęcki", "1415"),
        ("powiat radomski", "1425"),
        ("powiat siedlecki", "1426"),
        ("powiat warszawski zachodni", "1432"),
        ("Urząd Gminy Płońsk", "1420092"),
        ("Wójt Gminy Jednorożca", "1422042"),
    ] {
        let (jst, _) = filed(&app, &b, &problem(typed)).await;
        assert_eq!(jst, code, "{typed}");
    }

    // Decomposed and full-width letters read as the letters they show.
    for typed in ["Pl\u{335}on\u{301}sk", "ＰŁＯŃＳＫ"] {
        let reply = report(&b, &problem(typed)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert_eq!(offered(&reply.body), ["1420011", "1420092"], "{typed}");
    }

    // The choices are named, not numbered, and the public words say
    // "samorząd".
    let plonsk = report(&b, &problem("Płońsk")).await;
    assert!(plonsk.body.contains("Pasuje kilka samorządów: Płońsk — gmina miejska, powiat płoński; Płońsk — gmina wiejska, powiat płoński."), "{}", plonsk.body);
    assert!(!plonsk.body.contains("(kod 14"));
    assert!(!plonsk.body.contains("Pasuje kilka JST"));

    // A Polish letter typed is that letter: "Pł" is never Platerów.
    let pl = report(&b, &problem("Pł")).await;
    assert!(!offered(&pl.body).is_empty(), "{}", pl.body);
    assert!(!pl.body.contains("Platerów"));

    // An added word alone names nothing; one letter is too short.
    let miasto = report(&b, &problem("miasto")).await;
    assert_eq!(miasto.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(offered(&miasto.body).is_empty());
    assert!(!miasto.body.contains("Nowe Miasto"));
    let p = report(&b, &problem("P")).await;
    assert!(
        p.body
            .contains("Wpisz co najmniej 2 litery nazwy samorządu"),
        "{}",
        p.body
    );

    // A name outside the region is said to be outside it.
    let krakow = report(&b, &problem("Kraków")).await;
    assert!(krakow.body.contains("„Kraków” nie jest samorządem województwa mazowieckiego (rejestr tej strony obejmuje województwo mazowieckie)"), "{}", krakow.body);
    assert!(!krakow.body.contains("Nie znaleziono JST"));
    let finder = app.get("/jst?q=Krak%C3%B3w").await.body;
    assert!(finder.contains("„Kraków” nie jest samorządem województwa mazowieckiego"));
    let short = app.get("/jst?q=P").await.body;
    assert!(short.contains("Wpisz co najmniej 2 litery"), "{short}");
    assert!(!short.contains("nie ma samorządu"));

    // Two JSTs in one report are refused, not one taken silently.
    let mut two = problem("Płońsk");
    two.push(("jst", "Jednorożec"));
    assert_eq!(report(&b, &two).await.status, StatusCode::BAD_REQUEST);
    let mut picked_twice = problem("Płońsk");
    picked_twice.push(("jst_wybor", "1420011"));
    picked_twice.push(("jst_wybor", "1420092"));
    assert_eq!(
        report(&b, &picked_twice).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jst_page_says_its_kind_once_counts_held_activities_and_knows_its_codes() {
    let app = spawn_app().await;

    // The kind is said once: not after a name that says it, not twice.
    let region = app.get("/jst/14").await.body;
    assert!(region.contains(">powiat białobrzeski<"));
    assert!(!region.contains("(powiat)</span>"), "{region}");
    let county = app.get("/jst/1401").await.body;
    assert_eq!(county.matches(">powiat<").count(), 1, "{county}");
    assert!(!county.contains("Opis w rejestrze"));

    // Only held activities count as done; planned ones are listed apart.
    let db = &app.db;
    let count = |status: &'static str| async move {
        sqlx::query(
            "SELECT COUNT(*) FROM activity WHERE local_government LIKE '14%' AND status = $1",
        )
        .bind(status)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
    };
    let held = count("held").await;
    assert!(count("planned").await > 0, "the demo plans a training");
    assert!(region.contains(&format!(
        "<dt>Działania na tym terenie, które się odbyły</dt><dd>{}</dd>",
        koalicja::domain::format::integer(held)
    )));
    let planned: String = sqlx::query(
        "SELECT title FROM activity WHERE status = 'planned' AND local_government LIKE '14%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get(0);
    let upcoming = between(&region, "<h2>Zaplanowane", "</table>").expect("upcoming listed");
    assert!(upcoming.contains(&planned), "{upcoming}");
    let done = region
        .split("<h2>Szkolenia, spotkania i wydarzenia, które się odbyły</h2>")
        .nth(1)
        .unwrap_or_default();
    assert!(!done.contains(&planned));

    // A city's second code leads only to a unit the register holds; a
    // well-formed code it does not hold is not found; a malformed one is
    // a bad request.
    assert_eq!(
        app.get("/jst/1462011").await.status,
        StatusCode::PERMANENT_REDIRECT
    );
    assert_eq!(app.get("/jst/1261011").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/jst/9999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/jst/1499").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/jst/14x").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counties_sort_by_their_names_and_the_back_office_shows_a_jst_by_name() {
    let app = spawn_app().await;

    // The training list's county filter: m.st. Warszawa under W, as /jst.
    let catalogue = app.get("/szkolenia").await.body;
    let options = between(&catalogue, "name=\"obszar\"", "</select>").expect("county filter");
    let names: Vec<String> = options
        .split("<option")
        .skip(2)
        .filter_map(|o| between(o, ">", "<"))
        .collect();
    assert!(names.iter().any(|n| n == "m.st. Warszawa"), "{names:?}");
    let keys: Vec<String> = names
        .iter()
        .map(|n| {
            let core = n
                .strip_prefix("powiat ")
                .or_else(|| n.strip_prefix("m.st. "))
                .unwrap_or(n);
            koalicja::domain::search::sort_key(core)
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "{names:?}");

    // A JST field of the back office shows the name people write; saved
    // as it is, it keeps the same JST.
    let b = app
        .signed_in("admin-jst-name@example.org", "admin", &[])
        .await;
    let saved = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[
                ("name", "Fundacja Wiejska Płońsk"),
                ("legal_form", "fundacja"),
                ("local_government", "1420092"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let at = saved.headers["location"].to_str().unwrap().to_owned();
    let page = b.get(&at).await.body;
    assert!(
        page.contains("name=\"local_government\" value=\"Płońsk (gmina wiejska)\"")
            || page.contains("value=\"Płońsk (gmina wiejska)\""),
        "{page}"
    );
    assert!(!page.contains("value=\"1420092\""));
}
