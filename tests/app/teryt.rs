//! The TERYT import through the real command line, on the files GUS ships.

use crate::helpers::{run_cli, TestDatabase};
use koalicja::domain::teryt::{Teryt, UnitKind};
use koalicja::store::{teryt, Db};

const NATIONAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/teryt-terc-pl.csv");
const MAZOWIECKIE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/teryt-terc-14.csv");

/// Województwa, powiat-level units, gminy, and all units.
async fn counts(url: &str) -> (i64, i64, i64, i64) {
    let db = Db::connect(url).await.unwrap();
    let c = teryt::count_by_kind(&db).await.unwrap();
    let n = |k: UnitKind| c.get(&k).copied().unwrap_or(0);
    let result = (
        n(UnitKind::Wojewodztwo),
        n(UnitKind::Powiat) + n(UnitKind::MiastoNaPrawachPowiatu),
        n(UnitKind::GminaMiejska) + n(UnitKind::GminaWiejska) + n(UnitKind::GminaMiejskoWiejska),
        c.values().sum(),
    );
    db.close().await;
    result
}

/// `koalicja import-teryt FILE` against the test database.
fn import(db: &TestDatabase, file: &str) -> (bool, String) {
    run_cli(&["import-teryt", file, "--database-url", &db.url])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_file_gives_16_voivodeships_380_counties_2479_gminy() {
    let db = TestDatabase::new().await;
    let (ok, out) = import(&db, NATIONAL);
    assert!(ok, "{out}");
    let (woj, pow, gmi, all) = counts(&db.url).await;
    assert_eq!((woj, pow, gmi), (16, 380, 2479));
    let (ok, out) = import(&db, NATIONAL);
    assert!(ok, "{out}");
    assert!(
        out.contains("inserted=0") && out.contains("updated=0"),
        "re-import changes nothing: {out}"
    );
    assert_eq!(counts(&db.url).await.3, all);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mazowieckie_file_gives_42_counties_and_314_gminy() {
    let db = TestDatabase::new().await;
    let (ok, out) = import(&db, MAZOWIECKIE);
    assert!(ok, "{out}");
    assert_eq!(counts(&db.url).await, (1, 42, 314, 527));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_unit_is_updated_by_a_re_import() {
    let test_db = TestDatabase::new().await;
    assert!(import(&test_db, MAZOWIECKIE).0);
    let renamed = std::fs::read_to_string(MAZOWIECKIE)
        .unwrap()
        .replace(";Leoncin;", ";Leoncin Nowy;");
    let file = test_db.dir.path().join("renamed.csv");
    std::fs::write(&file, renamed).unwrap();
    let (ok, out) = import(&test_db, file.to_str().unwrap());
    assert!(ok, "{out}");
    assert!(out.contains("updated=1"), "{out}");
    let db = Db::connect(&test_db.url).await.unwrap();
    let unit = teryt::get(&db, &Teryt::parse("1414032").unwrap())
        .await
        .unwrap();
    assert_eq!(unit.map(|u| u.name), Some("Leoncin Nowy".to_owned()));
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupted_file_is_rejected_with_its_line_and_changes_nothing() {
    let db = TestDatabase::new().await;
    assert!(import(&db, MAZOWIECKIE).0);
    let before = counts(&db.url).await;
    let original = std::fs::read_to_string(NATIONAL).unwrap();
    let cases = [
        ("line 101 has an invalid RODZ", 101, "RODZ"),
        ("line 7 has 6 fields", 7, "7 pól"),
        ("line 2000 has an odd voivodeship", 2000, "województwa"),
    ];
    for (what, line, problem) in cases {
        let mut lines: Vec<String> = original.split("\r\n").map(str::to_owned).collect();
        let fields: Vec<&str> = lines[line - 1].split(';').collect();
        lines[line - 1] = match what {
            w if w.contains("RODZ") => {
                format!(
                    "{};{};01;7;{};{};{}",
                    fields[0], fields[1], fields[4], fields[5], fields[6]
                )
            }
            w if w.contains("6 fields") => fields[..6].join(";"),
            _ => format!("13;{}", fields[1..].join(";")),
        };
        let file = db.dir.path().join("bad.csv");
        std::fs::write(&file, lines.join("\r\n")).unwrap();
        let (ok, out) = import(&db, file.to_str().unwrap());
        assert!(!ok, "{what}: must fail");
        assert!(out.contains(&format!("wiersz {line}:")), "{what}: {out}");
        assert!(out.contains(problem), "{what}: {out}");
        assert_eq!(counts(&db.url).await, before, "{what}: nothing imported");
    }
}
