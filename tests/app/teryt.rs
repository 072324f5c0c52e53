//! The TERYT import through the real command line, on the files GUS ships.

use crate::helpers::run_cli;
use koalicja::domain::teryt::UnitKind;
use koalicja::store::{teryt, Db};

const NATIONAL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/teryt-terc-pl.csv"
);
const MAZOWIECKIE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/teryt-terc-14.csv");

async fn counts(dir: &std::path::Path) -> (i64, i64, i64, i64) {
    let db = Db::connect(&format!(
        "sqlite://{}?mode=rw",
        dir.join("koalicja.db").display()
    ))
    .await
    .unwrap();
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

#[tokio::test]
async fn the_national_file_gives_16_voivodeships_380_counties_2479_gminy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (ok, out) = run_cli(&["import-teryt", NATIONAL, "--data-dir", data]);
    assert!(ok, "{out}");
    let (woj, pow, gmi, all) = counts(dir.path()).await;
    assert_eq!((woj, pow, gmi), (16, 380, 2479));
    let (ok, out) = run_cli(&["import-teryt", NATIONAL, "--data-dir", data]);
    assert!(ok, "{out}");
    assert!(
        out.contains("inserted=0") && out.contains("updated=0"),
        "re-import changes nothing: {out}"
    );
    assert_eq!(counts(dir.path()).await.3, all);
}

#[tokio::test]
async fn the_mazowieckie_file_gives_42_counties_and_314_gminy() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = run_cli(&[
        "import-teryt",
        MAZOWIECKIE,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(ok, "{out}");
    assert_eq!(counts(dir.path()).await, (1, 42, 314, 527));
}

#[tokio::test]
async fn a_renamed_unit_is_updated_by_a_re_import() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    assert!(run_cli(&["import-teryt", MAZOWIECKIE, "--data-dir", data]).0);
    let renamed = std::fs::read_to_string(MAZOWIECKIE)
        .unwrap()
        .replace(";Leoncin;", ";Leoncin Nowy;");
    let file = dir.path().join("renamed.csv");
    std::fs::write(&file, renamed).unwrap();
    let (ok, out) = run_cli(&["import-teryt", file.to_str().unwrap(), "--data-dir", data]);
    assert!(ok, "{out}");
    assert!(out.contains("updated=1"), "{out}");
    let db = Db::connect(&format!("sqlite://{}/koalicja.db", data))
        .await
        .unwrap();
    let unit = teryt::get(
        &db,
        &koalicja::domain::teryt::Teryt::parse("1414032").unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(unit.map(|u| u.name), Some("Leoncin Nowy".to_owned()));
}

#[tokio::test]
async fn a_corrupted_file_is_rejected_with_its_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    assert!(run_cli(&["import-teryt", MAZOWIECKIE, "--data-dir", data]).0);
    let before = counts(dir.path()).await;
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
            w if w.contains("RODZ") => format!(
                "{};{};{};7;{};{};{}",
                fields[0], fields[1], "01", fields[4], fields[5], fields[6]
            ),
            w if w.contains("6 fields") => fields[..6].join(";"),
            _ => format!("13;{}", fields[1..].join(";")),
        };
        let file = dir.path().join("bad.csv");
        std::fs::write(&file, lines.join("\r\n")).unwrap();
        let (ok, out) = run_cli(&["import-teryt", file.to_str().unwrap(), "--data-dir", data]);
        assert!(!ok, "{what}: must fail");
        assert!(out.contains(&format!("wiersz {line}:")), "{what}: {out}");
        assert!(out.contains(problem), "{what}: {out}");
        assert_eq!(counts(dir.path()).await, before, "{what}: nothing imported");
    }
}
