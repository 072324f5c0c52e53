//! Polish as a person writes it: numbers with the noun in the form they
//! ask for, names in Polish alphabetical order, the audit log and import
//! reports in the words of the forms.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

/// Where each of `names` first appears in `body`, in the order given.
fn positions(body: &str, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .map(|n| {
            body.find(n)
                .unwrap_or_else(|| panic!("{n} missing: {body}"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_follow_polish_order_and_their_totals_agree_with_the_number() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let none = b.get("/admin/organizacje?q=razem").await;
    assert!(none.body.contains("0 wyników"), "{}", none.body);
    // Added out of order; "Zabrodzie" < "Żabia" and "Lwów" < "Łosice"
    // only in Polish order (byte order puts Ł and Ż after z).
    for name in [
        "Maków Razem",
        "Łosice Razem",
        "Żabia Wola Razem",
        "Legionowo Razem",
        "Zabrodzie Razem",
    ] {
        b.submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[("name", name), ("legal_form", "stowarzyszenie")],
        )
        .await;
    }
    let one = b.get("/admin/organizacje?q=legionowo").await;
    assert!(
        one.body.contains("class=\"count\">1 wynik "),
        "{}",
        one.body
    );
    let list = b.get("/admin/organizacje?q=razem").await;
    assert!(list.body.contains("5 wyników"), "{}", list.body);
    let at = positions(
        &list.body,
        &[
            "Legionowo Razem",
            "Łosice Razem",
            "Maków Razem",
            "Zabrodzie Razem",
            "Żabia Wola Razem",
        ],
    );
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");

    for last in ["Mazur", "Łoś", "Lis"] {
        b.submit(
            "/admin/osoby/nowa",
            "/admin/osoby/nowa",
            &[
                ("first_name", "Teodozja"),
                ("last_name", last),
                ("group", "ngo"),
            ],
        )
        .await;
    }
    let people = b.get("/admin/osoby?q=teodozja").await;
    assert!(people.body.contains("3 wyniki"), "{}", people.body);
    let at = positions(
        &people.body,
        &["Lis Teodozja", "Łoś Teodozja", "Mazur Teodozja"],
    );
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_names_actions_records_and_fields_in_polish() {
    let app = spawn_app().await;
    let b = app.signed_in("admin@example.org", "admin", &[]).await;
    let created = b
        .submit(
            "/admin/organizacje/nowa",
            "/admin/organizacje/nowa",
            &[("name", "Fundacja Przed"), ("legal_form", "fundacja")],
        )
        .await;
    let location = created.headers["location"].to_str().unwrap().to_owned();
    let page = location.split('?').next().unwrap().to_owned();
    let id = page.rsplit('/').next().unwrap().to_owned();
    b.submit(
        &page,
        &page,
        &[
            ("name", "Stowarzyszenie Po"),
            ("legal_form", "stowarzyszenie"),
            ("is_opp", "1"),
        ],
    )
    .await;
    let log = b
        .get(&format!(
            "/admin/dziennik?entity=organisation&entity_id={id}"
        ))
        .await;
    assert_eq!(log.status, StatusCode::OK);
    for want in [
        "2 wyniki",
        "<td>zmiana</td>",
        "<td>dodanie</td>",
        "<td>organizacja</td>",
        "nazwa: Fundacja Przed → Stowarzyszenie Po",
        "forma prawna: fundacja → stowarzyszenie",
        "organizacja pożytku publicznego: nie → tak",
    ] {
        assert!(log.body.contains(want), "{want}: {}", log.body);
    }
    for code in [
        "<td>update</td>",
        "<td>organisation</td>",
        "legal_form",
        "{&quot;",
        "{\"",
    ] {
        assert!(!log.body.contains(code), "{code}: {}", log.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_report_lists_every_error_of_a_row_with_its_field() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let csv = "nazwa;forma_prawna;krs;nip;regon;adres;jst;opp;obszary\n\
               Fundacja Dobra;fundacja;;1234563218;;;;;\n\
               ;nie-ma-takiej;;1234563218;;;;;\n";
    let report = b
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "organizacje")],
            ("file", csv.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
    let row = report.body.split("<td>3</td>").nth(1).unwrap();
    let row = row.split("</tr>").next().unwrap();
    for want in [
        "Nazwa (kolumna nazwa): To pole jest wymagane.",
        "Forma prawna (kolumna forma_prawna):",
        "NIP (kolumna nip): NIP 1234563218 powtarza się w pliku.",
    ] {
        assert!(row.contains(want), "{want}: {row}");
    }
    assert!(
        !row.contains("name:") && !row.contains("legal_form"),
        "{row}"
    );

    let people = "imie;nazwisko;email;telefon;plec;grupa;organizacja;jst\n\
                  Jan;;jan@;;;ngo;;\n";
    let report = b
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "osoby")],
            ("file", people.as_bytes().to_vec()),
        )
        .await;
    for want in [
        "Nazwisko (kolumna nazwisko): To pole jest wymagane.",
        "E-mail (kolumna email): Podaj adres e-mail",
    ] {
        assert!(report.body.contains(want), "{want}: {}", report.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_speaks_of_a_woman_and_of_a_man_in_their_forms() {
    let app = spawn_app().await;
    // A training of the demo held long ago, and who attended it.
    let activity: i64 = sqlx::query_scalar(
        "SELECT t.id FROM activity t JOIN attendance a ON a.activity_id = t.id \
         JOIN person p ON p.id = a.person_id \
         WHERE t.kind = 'training' AND t.ends_on < '2026-01-01' \
         GROUP BY t.id HAVING COUNT(DISTINCT p.gender) > 1 ORDER BY t.id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let staff = app.signed_in("admin@example.org", "admin", &[]).await;
    let (status, zipped) = staff
        .get_bytes(&format!("/admin/dzialania/{activity}/zaswiadczenia.zip"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let people: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT p.first_name || ' ' || p.last_name, p.gender, c.code FROM certificate c \
         JOIN person p ON p.id = c.person_id WHERE c.activity_id = $1 ORDER BY p.id",
    )
    .bind(activity)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
    let mut texts = Vec::new();
    for i in 0..archive.len() {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_index(i).unwrap(), &mut bytes).unwrap();
        texts.push(crate::certificates::flat(&crate::certificates::pdf_text(
            &bytes,
        )));
    }
    let mut seen = std::collections::HashSet::new();
    for (name, gender, code) in &people {
        let want = match gender.as_str() {
            "female" => "wzięła udział w szkoleniu",
            "male" => "wziął udział w szkoleniu",
            _ => "jest osobą, która wzięła udział w szkoleniu",
        };
        let text = texts
            .iter()
            .find(|t| t.contains(name.as_str()))
            .unwrap_or_else(|| panic!("{name} has no certificate"));
        assert!(text.contains(&format!("{name} {want}")), "{text}");
        assert!(!text.contains("(-ęła)"), "{text}");
        let page = app.get(&format!("/zaswiadczenia/{code}")).await;
        assert!(
            page.body.contains(&format!("{name} {want}")),
            "{}",
            page.body
        );
        seen.insert(gender.clone());
    }
    assert!(seen.contains("female") && seen.contains("male"), "{seen:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn research_areas_name_their_county_in_the_locative() {
    let app = spawn_app().await;
    let page = app.get("/badania").await;
    assert_eq!(page.status, StatusCode::OK);
    for county in ["otwockim", "płońskim", "łosickim", "szydłowieckim"] {
        assert!(
            page.body.contains(&format!("w powiecie {county}:")),
            "{county}: {}",
            page.body
        );
    }
    assert!(!page.body.contains("w powiecie otwocki:"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn advisory_hours_take_the_form_their_number_asks_for() {
    use koalicja::domain::format::nouns::HOUR;
    let app = spawn_app().await;
    let page = app.get("/doradztwo-i-interwencje").await;
    let shown = page
        .body
        .split("łącznie <strong>")
        .nth(1)
        .and_then(|s| s.split("</strong> doradztwa").next())
        .unwrap_or_else(|| panic!("{}", page.body));
    let (number, noun) = shown.rsplit_once(' ').unwrap();
    let x: f64 = number
        .replace(['\u{a0}', ' '], "")
        .replace(',', ".")
        .parse()
        .unwrap();
    assert_eq!(noun, HOUR.form_of(x), "{shown}");
}
