//! The monitor's bulk editor: a county's JSTs for a year as a table of
//! inputs, saved through the import's checks — all rows or none, only the
//! cells changed, a row changed meanwhile not overwritten unseen.

use crate::browser::Browser;
use crate::helpers::spawn_app;
use reqwest::StatusCode;

const GRID: &str = "/admin/monitoring/zbiorczo";
const PLONSK: &str = "1420011";

fn unescape(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// What a browser sends for the grid's form as drawn: every input with
/// its value and every select with its chosen option.
fn grid_fields(html: &str) -> Vec<(String, String)> {
    let form = crate::helpers::between(
        html,
        &format!("method=\"post\" action=\"{GRID}\">"),
        "</form>",
    )
    .expect("the grid's form");
    let mut out = Vec::new();
    for part in form.split('<').skip(1) {
        let attr = |name: &str| crate::helpers::between(part, &format!(" {name}=\""), "\"");
        if part.starts_with("input ") {
            if let Some(name) = attr("name") {
                out.push((name, unescape(&attr("value").unwrap_or_default())));
            }
        } else if part.starts_with("select ") {
            out.push((attr("name").expect("a select's name"), String::new()));
        } else if part.starts_with("option ") && part.contains(" selected>") {
            if let Some(last) = out.last_mut() {
                last.1 = attr("value").unwrap_or_default();
            }
        }
    }
    out
}

/// The fields of `page` with some changed.
fn with(mut fields: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (name, value) in changes {
        let at = fields
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("the grid has no field {name}"));
        fields[at].1 = (*value).to_owned();
    }
    fields
}

async fn send(b: &Browser<'_>, fields: &[(String, String)]) -> crate::helpers::Reply {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post(GRID, &pairs).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_saves_the_changed_cells_of_many_jsts_at_once_or_none() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    let address = format!("{GRID}?rok=2027&powiat=1420");
    let page = b.get(&address).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Each input is named by its JST and column and labelled by both.
    assert!(
        page.body.contains(&format!(
            "name=\"{PLONSK}.data_uchwalenia\" value=\"\" aria-labelledby=\"w-{PLONSK} k-data_uchwalenia\""
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("id=\"w-{PLONSK}\"")));
    assert!(page
        .body
        .contains("id=\"k-data_uchwalenia\">Data uchwalenia</th>"));
    let fields = grid_fields(&page.body);
    let other = fields
        .iter()
        .find_map(|(n, _)| {
            n.strip_suffix(".data_sprawdzenia")
                .filter(|t| *t != PLONSK)
                .map(str::to_owned)
        })
        .expect("a second JST of the county");
    let monitoring = app.rows("monitoring").await;
    let audit = app.rows("audit_log").await;

    // One row wrong: nothing is saved, the typed values stay, the row
    // says what is wrong in the screen's words.
    let wrong = with(
        fields.clone(),
        &[
            (&format!("{PLONSK}.etap"), "adopted"),
            (&format!("{PLONSK}.data_uchwalenia"), "2026-11-25"),
            (
                &format!("{PLONSK}.adres_programu"),
                "https://bip.plonsk.pl/program-2027",
            ),
            (
                &format!("{other}.adres_sprawozdania"),
                "javascript:alert(1)",
            ),
        ],
    );
    let refused = send(&b, &wrong).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    for needle in [
        "Nic nie zostało zapisane: 1 wiersz do poprawienia",
        "Adres sprawozdania: Adres strony zaczyna się od https:// lub http://.",
        "value=\"https://bip.plonsk.pl/program-2027\"",
        &format!("aria-invalid=\"true\" aria-describedby=\"b-{other}\""),
    ] {
        assert!(refused.body.contains(needle), "{needle}: {}", refused.body);
    }
    assert_eq!(app.rows("monitoring").await, monitoring);
    assert_eq!(app.rows("audit_log").await, audit);

    // Corrected, as the re-drawn form sends it: both rows are saved, and
    // Płońsk's programme is adopted in time on the public page.
    let corrected = with(
        grid_fields(&refused.body),
        &[
            (
                &format!("{other}.adres_sprawozdania"),
                "https://bip.example.pl/sprawozdanie",
            ),
            (&format!("{other}.data_sprawdzenia"), "2026-11-28"),
        ],
    );
    let saved = send(&b, &corrected).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.headers["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{address}&komunikat=zapisano"));
    let after = b.get(&location).await;
    assert!(
        after.body.contains("Zmiany zostały zapisane."),
        "{}",
        after.body
    );
    assert!(
        after.body.contains(&format!(
            "name=\"{other}.adres_sprawozdania\" value=\"https://bip.example.pl/sprawozdanie\""
        )),
        "{}",
        after.body
    );
    app.refresh().await;
    let plonsk = crate::monitoring::plonsk(&app, 2027).await;
    assert_eq!(plonsk["programme"], "on_time", "{plonsk}");
    // Each saved row leaves an audit entry; the facts not on the screen
    // (Płońsk's council in the demo) stay.
    assert_eq!(app.rows("audit_log").await, audit + 2);

    // Unchanged: nothing to save, said so.
    let same = send(&b, &grid_fields(&after.body)).await;
    assert_eq!(same.status, StatusCode::SEE_OTHER);
    let told = b.get(same.headers["location"].to_str().unwrap()).await;
    assert!(
        told.body
            .contains("Nie zmieniono żadnej komórki; nic nie zapisano."),
        "{}",
        told.body
    );
    assert_eq!(app.rows("audit_log").await, audit + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_changed_meanwhile_is_not_overwritten_unseen() {
    let app = spawn_app().await;
    let b = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await;
    let address = format!("{GRID}?rok=2027&powiat=1420");
    let stale = grid_fields(&b.get(&address).await.body);
    // Someone else records the resolution first.
    let first = send(
        &b,
        &with(
            grid_fields(&b.get(&address).await.body),
            &[(&format!("{PLONSK}.uchwala"), "XII/100/2026")],
        ),
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    // The stale screen's change of the same row is refused with what is
    // now recorded; sent again from the re-drawn form, it replaces it.
    let late = send(
        &b,
        &with(stale, &[(&format!("{PLONSK}.uchwala"), "XII/101/2026")]),
    )
    .await;
    assert_eq!(
        late.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        late.body
    );
    assert!(
        late.body.contains(
            "W międzyczasie ktoś zmienił fakty tego samorządu; teraz zapisane: Nr uchwały – XII/100/2026."
        ),
        "{}",
        late.body
    );
    let again = send(&b, &grid_fields(&late.body)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let form = b.get(&format!("/admin/monitoring/{PLONSK}/2027")).await;
    assert!(form.body.contains("XII/101/2026"), "{}", form.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_shows_and_saves_only_the_jsts_a_person_reaches() {
    let app = spawn_app().await;
    let partner = app
        .signed_in("partner@example.org", "partner", &["1417"])
        .await;
    // A partner of powiat łosicki asking for powiat płoński sees no row.
    let page = partner.get(&format!("{GRID}?rok=2027&powiat=1420")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        !page.body.contains(&format!("name=\"{PLONSK}.")),
        "{}",
        page.body
    );
    // A row of another county sent anyway is not saved.
    let mut fields = grid_fields(
        &partner
            .get(&format!("{GRID}?rok=2027&powiat=1417"))
            .await
            .body,
    );
    assert!(fields.iter().any(|(n, _)| n.starts_with("1417")));
    fields.push((format!("{PLONSK}.uchwala"), "X/1/2026".into()));
    fields.push((format!("{PLONSK}.stan"), String::new()));
    send(&partner, &fields).await;
    let form = app
        .signed_in("monitor@example.org", "coordinator", &[])
        .await
        .get(&format!("/admin/monitoring/{PLONSK}/2027"))
        .await;
    assert!(!form.body.contains("X/1/2026"), "{}", form.body);
    // The region is paged; a page past the end shows the last one.
    let coordinator = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let first = coordinator.get(&format!("{GRID}?rok=2027")).await;
    assert!(first.body.contains("– samorządy 1–20 z "), "{}", first.body);
    assert!(first.body.contains("Następne samorządy"));
    let last = coordinator
        .get(&format!("{GRID}?rok=2027&strona=999"))
        .await;
    assert_eq!(last.status, StatusCode::OK);
    assert!(
        last.body.contains("Poprzednie samorządy") && !last.body.contains("Następne samorządy"),
        "{}",
        last.body
    );
    assert!(last.body.contains("<th scope=\"row\">"), "{}", last.body);
    let trainer = app.signed_in("trainer@example.org", "trainer", &[]).await;
    assert_eq!(
        trainer.get(&format!("{GRID}?rok=2027")).await.status,
        StatusCode::FORBIDDEN
    );
}
