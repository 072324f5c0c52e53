//! The demo data reproduces every figure the programme's description states.

use crate::helpers::{between, counter, spawn_app};
use koalicja::domain::format::{count, nouns};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_17_one_day_trainings_for_225_people() {
    let app = spawn_app().await;
    let stats = app.stats("").await;
    assert_eq!(stats["trainings"], 17);
    assert_eq!(stats["training_participants"], 225);
    let list = app.get("/szkolenia").await.body;
    assert!(list.contains("Lista szkoleń"));
    assert!(list.contains("Zrealizowane (17)"));
    assert!(
        list.contains("17 szkoleń i warsztatów; 225 różnych osób; łącznie 255 udziałów"),
        "the list says what its participants add up to"
    );
    // Filtered by audience, the participations of the trainings it keeps,
    // and no count of distinct people, which the sentence explains.
    let for_ngos = app.get("/szkolenia?dla=ngo").await.body;
    let (trainings, participations): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(DISTINCT a.id), COUNT(t.person_id) FROM activity a \
         LEFT JOIN attendance t ON t.activity_id = a.id AND t.counts = 1 \
         WHERE a.kind IN ('training', 'workshop') AND a.status = 'held' AND a.audience IN ('ngo', 'both')",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let said = format!(
        "{}; łącznie {} (bez zespołu projektu i partnerów; różne osoby liczymy dla całego \
         katalogu i dla miesięcy)",
        count(trainings, nouns::TRAINING_OR_WORKSHOP),
        count(participations, nouns::PARTICIPATION)
    );
    assert!(participations > 0 && trainings > 0);
    assert!(for_ngos.contains(&said), "{said}");
    assert!(!for_ngos.contains("różnych osób"));
    let past = list.split("Zrealizowane (17)").nth(1).unwrap_or_default();
    let rows = past.matches("<td><time datetime=").count();
    assert_eq!(rows, 17, "one row per training, none spanning days");
    let topics = training_topics(&app, &list).await;
    for topic in [
        "działalność organizacji pozarządowych",
        "ustawa o działalności pożytku publicznego i o wolontariacie",
        "współpraca finansowa",
        "współpraca pozafinansowa",
        "rzecznictwo",
        "kampania wyborcza",
    ] {
        assert!(topics.iter().any(|t| t == topic), "{topic} in {topics:?}");
    }
    let election = app
        .get("/szkolenia/2024-01-25-organizacje-przed-wyborami-samorzadowymi-2024")
        .await
        .body;
    assert!(election.contains("Stowarzyszenie 61"));
    assert!(election.contains("25 stycznia 2024"));
}

/// The topic of every training linked from the list.
async fn training_topics(app: &crate::helpers::TestApp, list: &str) -> Vec<String> {
    let mut topics = Vec::new();
    for part in list.split("href=\"/szkolenia/").skip(1) {
        let slug = part.split('"').next().unwrap_or_default();
        let page = app.get(&format!("/szkolenia/{slug}")).await.body;
        topics.push(between(&page, "<dt>Temat</dt><dd>", "</dd>").unwrap());
    }
    topics
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_the_six_local_programmes_linked_to_their_jst() {
    let app = spawn_app().await;
    assert_eq!(app.stats("").await["local_governments"], 6);
    let list = app.get("/dzialania-lokalne").await.body;
    for (slug, name, teryt) in [
        ("minsk-mazowiecki", "Mińsk Mazowiecki", "1412011"),
        ("plonsk", "Płońsk", "1420"),
        ("jednorozec", "Jednorożec", "1422042"),
        ("leoncin", "Leoncin", "1414032"),
        ("nowy-dwor-mazowiecki", "Nowy Dwór Mazowiecki", "1414011"),
        ("otwock", "Otwock", "1417"),
    ] {
        assert!(
            list.contains(&format!("href=\"/dzialania-lokalne/{slug}\">{name}</a>")),
            "{name}"
        );
        let page = app.get(&format!("/dzialania-lokalne/{slug}")).await.body;
        assert!(
            page.contains(&format!("href=\"/jst/{teryt}\"")),
            "{name} links to its JST"
        );
    }
    let minsk = app.get("/dzialania-lokalne/minsk-mazowiecki").await.body;
    assert!(minsk.contains("rekomendacje dla Burmistrza"));
    let plonsk = app.get("/dzialania-lokalne/plonsk").await.body;
    assert!(plonsk.contains("Zarządu Powiatu i Rady Powiatu"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_the_seminar_the_debate_and_the_conference() {
    let app = spawn_app().await;
    let seminar = app
        .get("/wydarzenia/2021-05-19-seminarium-wprowadzajace")
        .await
        .body;
    assert!(seminar.contains("19–21 maja 2021"));
    for guest in [
        "Monika Chrzczonowicz",
        "Andrzej Rybus-Tołoczko",
        "Łukasz Waszak",
        "Mira Widurek",
        "Piotr Drygała",
    ] {
        assert!(seminar.contains(guest), "{guest}");
    }
    assert_eq!(seminar.matches("(gość)").count(), 5);
    let debate = app
        .get("/wydarzenia/2021-09-23-debata-wprowadzajaca")
        .await
        .body;
    assert!(debate.contains("23 września 2021"));
    assert!(debate.contains("online"));
    assert!(debate.contains("Mazowieckie JST i NGO – lepsza współpraca. Jak to robić?"));
    for person in [
        "Marzena Kuchta",
        "Katarzyna Ornarowicz",
        "Grzegorz Herubiński",
        "Hubert Pasiak",
    ] {
        assert!(debate.contains(person), "{person}");
    }
    assert!(debate.contains("Anna Czyżewska – prezeska zarządu Federacji Mazowia <span class=\"role\">(prowadząca rozmowę)</span>"));
    // Roles agree with the speaker's gender; the demo says "debata online".
    for (person, role) in [
        ("Marzena Kuchta", "uczestniczka rozmowy"),
        ("Katarzyna Ornarowicz", "uczestniczka rozmowy"),
        ("Hubert Pasiak", "uczestnik rozmowy"),
    ] {
        let line = between(&debate, &format!("<li>{person}"), "</li>").unwrap_or_default();
        assert!(line.contains(&format!("({role})")), "{person}: {line}");
    }
    assert!(debate.contains("Debata online"), "{debate}");
    assert!(!debate.contains("Onlinowa"));
    let conference = app
        .get("/wydarzenia/2023-09-08-konferencja-podsumowujaca")
        .await
        .body;
    assert!(conference.contains("8 września 2023"));
    assert!(conference.contains("href=\"/jst/1465\">Warszawa</a>"));
    let number = |label: &str| -> i64 {
        between(&conference, label, " ")
            .unwrap()
            .replace('\u{a0}', "")
            .parse()
            .unwrap()
    };
    let ngo = number("liderki i liderzy organizacji: ");
    let officials = number("urzędniczki i urzędnicy: ");
    assert!(ngo > 100, "ponad 100 liderów i liderek: {ngo}");
    assert_eq!(officials, 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_research_guides_advisory_and_partners() {
    let app = spawn_app().await;
    let research = app.get("/badania").await.body;
    for county in [
        "otwocki",
        "przasnyski",
        "płoński",
        "sochaczewski",
        "łosicki",
        "szydłowiecki",
    ] {
        assert!(
            research.contains(&format!(">powiat {county}</a></td><td>jakościowe")),
            "{county}"
        );
    }
    let guides = app.get("/poradniki").await.body;
    assert_eq!(guides.matches("<li><h3>").count(), 2);
    assert!(guides.contains("Poradnik dla urzędniczek i urzędników"));
    assert!(guides.contains("Poradnik dla władz lokalnych"));
    let advisory = app.stats("").await["advisory_hours"].as_f64().unwrap();
    assert!(advisory > 100.0, "ponad 100 godzin doradztwa: {advisory}");
    let home = app.get("/").await.body;
    for partner in [
        "Federacja Mazowia",
        "Starostwo Powiatowe w Płońsku",
        "Federacja ROSA",
    ] {
        assert!(home.contains(partner), "{partner}");
    }
    assert!(home.contains("1 marca 2021 – 29 lutego 2024"));
    assert!(counter(&home, "kilometres") > 1000.0);
    assert!(counter(&home, "recipients") >= 225.0);
    let network = app.get("/siec-urzednikow").await;
    assert_eq!(network.status, StatusCode::OK);
    assert!(
        !network.body.contains("@example.org"),
        "no personal data on public pages"
    );
}
