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
    koalicja::store::bump_version(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    let mut after = before;
    for _ in 0..40 {
        after = app.stats("").await["local_governments"].as_i64().unwrap();
        if after != before {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
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
