//! Files people send and the data folder: files written whole before their
//! row and swept when no row came, a daily budget per address and in
//! total, names without bidirectional controls, downloads nothing in them
//! can run in, files that are what they say, and folders and files kept
//! to their owner.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use sqlx::Row;

use crate::browser::Browser;
use crate::cases::{case_id, filed, problem, report};
use crate::helpers::{run_cli, spawn_app, spawn_with, TestApp, TestDatabase};
use koalicja::config::Settings;
use koalicja::store::Db;

/// A one-object PDF with its cross-reference table.
pub(crate) const PDF: &[u8] =
    b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\
xref\n0 2\n0000000000 65535 f \n0000000015 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\n\
startxref\n51\n%%EOF\n";

/// A 1×1 grey PNG.
pub(crate) const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B,
    0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x68, 0x00, 0x00, 0x00,
    0x82, 0x00, 0x81, 0x77, 0xCD, 0x72, 0xB6, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// An 8×8 grey baseline JPEG: one block, every coefficient zero.
pub(crate) fn jpeg() -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00];
    out.extend_from_slice(&[1; 64]);
    out.extend_from_slice(&[
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,
    ]);
    for class in [0x00, 0x10] {
        out.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, class, 1]);
        out.extend_from_slice(&[0; 16]);
    }
    out.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x3F, 0xFF, 0xD9,
    ]);
    out
}

/// `PDF` grown to `kib` KiB with white space after its end, as scanners'
/// files often are.
fn pdf_of(kib: usize) -> Vec<u8> {
    let mut big = PDF.to_vec();
    big.resize(kib * 1024, b' ');
    big
}

/// The names in a folder, sorted; none when it does not exist.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
        .permissions()
        .mode()
        & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Makes a file look last written `ago` before now.
fn age(path: &Path, ago: Duration) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - ago)
        .unwrap();
}

/// The server with the demo loaded and its settings changed by `change`.
async fn spawn_demo_with(change: impl FnOnce(Settings) -> Settings) -> TestApp {
    let database = TestDatabase::new().await;
    let db = Db::connect(&database.url).await.expect("db");
    db.migrate().await.expect("migrate");
    let settings = crate::helpers::local_settings(database.dir.path());
    koalicja::demo::load(&db, "2026-11-28T00:00:00Z".parse().unwrap(), &settings)
        .await
        .expect("demo");
    spawn_with(database, db, change(settings)).await
}

fn attachments(app: &TestApp) -> std::path::PathBuf {
    app.data_dir.join("attachments")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_no_row_names_are_swept_after_the_grace_period_and_files_with_rows_kept() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let sent = report(
        &b,
        &problem("1420011", "transparency", false),
        vec![("uchwała.pdf", PDF.to_vec())],
    )
    .await;
    let number = filed(&b, &sent).await;
    let dir = attachments(&app);
    let no_part_left = names_in(&dir).iter().all(|n| !n.ends_with(".part"));
    assert!(no_part_left, "{:?}", names_in(&dir));

    // What a stop between writing a report's files and committing its row
    // leaves: whole files and half-written ones that no row names.
    std::fs::write(dir.join("Xq3zZerwany.pdf"), PDF).unwrap();
    std::fs::write(dir.join(".Yq3zPolowa.pdf.part"), &PDF[..40]).unwrap();
    // And one being filed right now, on this instance or another.
    std::fs::write(dir.join("Zq3zTeraz.pdf"), PDF).unwrap();
    let before: Vec<String> = names_in(&dir);
    for name in &before {
        if name != "Zq3zTeraz.pdf" {
            age(&dir.join(name), Duration::from_secs(2 * 3600));
        }
    }
    let bytes_before: u64 = before
        .iter()
        .map(|n| std::fs::metadata(dir.join(n)).unwrap().len())
        .sum();

    app.run_jobs().await;

    let after = names_in(&dir);
    assert!(!after.contains(&"Xq3zZerwany.pdf".to_owned()), "{after:?}");
    assert!(
        !after.contains(&".Yq3zPolowa.pdf.part".to_owned()),
        "{after:?}"
    );
    assert!(
        after.contains(&"Zq3zTeraz.pdf".to_owned()),
        "within the grace period"
    );
    assert_eq!(after.len(), before.len() - 2);
    let bytes_after: u64 = after
        .iter()
        .map(|n| std::fs::metadata(dir.join(n)).unwrap().len())
        .sum();
    assert_eq!(bytes_before - bytes_after, (PDF.len() + 40) as u64);
    // Every file a row names is still there (the report's, the demo's
    // letters), however old.
    let named: Vec<String> = sqlx::query("SELECT stored_as FROM case_attachment")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(named.len() > 1);
    for name in &named {
        assert!(after.contains(name), "{name} kept");
    }
    // The report's file still downloads.
    let staff = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    let id = case_id(&app, &number).await;
    let file: i64 = sqlx::query("SELECT id FROM case_attachment WHERE name = 'uchwała.pdf'")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0);
    let (status, body) = staff
        .get_bytes(&format!("/admin/sprawy/{id}/pliki/{file}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PDF);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_the_daily_budget_of_an_address_or_of_everyone_files_are_refused_and_nothing_kept() {
    let app = spawn_demo_with(|s| Settings {
        upload_budget_per_address_mb: 1,
        upload_budget_total_mb: 3,
        trust_forwarded_for: true,
        ..s
    })
    .await;
    let from = |address: &str| {
        let b = Browser::new(&app);
        b.always_send("x-forwarded-for", address);
        b
    };
    let (a, b, c) = (
        from("198.51.100.1"),
        from("198.51.100.2"),
        from("198.51.100.3"),
    );
    let fields = problem("1420011", "transparency", false);
    let dir = attachments(&app);

    filed(
        &a,
        &report(&a, &fields, vec![("skan.pdf", pdf_of(900))]).await,
    )
    .await;
    let kept = (
        app.rows("case_file").await,
        app.rows("case_attachment").await,
        app.rows("form_hit").await,
        names_in(&dir),
    );
    let over = report(&a, &fields, vec![("skan2.pdf", pdf_of(900))]).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        over.body.contains(
            "Pliki nie zostały przyjęte: przekroczyłyby dobowy limit załączników wysyłanych \
             z jednego adresu (1 MB). Wyślij zgłoszenie bez plików albo spróbuj ponownie jutro."
        ),
        "{}",
        over.body
    );
    assert!(over.body.contains("Rada gminy nie uchwaliła"), "input kept");
    assert_eq!(
        (
            app.rows("case_file").await,
            app.rows("case_attachment").await,
            app.rows("form_hit").await,
            names_in(&dir),
        ),
        kept,
        "nothing stored"
    );
    // The same address may still report without files.
    filed(&a, &report(&a, &fields, vec![]).await).await;

    let files_before = names_in(&dir);
    // Two reports of one address at once: the count is taken under its
    // lock, so one is filed and the other refused, and only one file is
    // kept, whichever check stopped it.
    let d = from("198.51.100.4");
    // Its CSRF cookie first, so that both forms carry the same.
    d.get("/interwencje/zgloszenie").await;
    let both = crate::registration::futures_join(
        ["a.pdf", "b.pdf"]
            .into_iter()
            .map(|name| report(&d, &fields, vec![(name, pdf_of(900))])),
    )
    .await;
    let mut statuses: Vec<u16> = both.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, vec![303, 422]);
    let refused = both.iter().find(|r| r.status == 422).unwrap();
    assert!(refused.body.contains("dobowy limit"), "{}", refused.body);
    assert_eq!(names_in(&dir).len(), files_before.len() + 1);

    // Another address has its own budget, within everyone's.
    filed(
        &b,
        &report(&b, &fields, vec![("skan.pdf", pdf_of(900))]).await,
    )
    .await;
    let files_now = names_in(&dir);
    let full = report(&c, &fields, vec![("skan.pdf", pdf_of(900))]).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        full.body.contains(
            "Pliki nie zostały przyjęte: wyczerpało się dobowe miejsce na załączniki zgłoszeń."
        ),
        "{}",
        full.body
    );
    assert_eq!(names_in(&dir), files_now, "nothing stored");

    // A day later the budget is whole again.
    app.clock.advance(24 * 3600 + 1);
    filed(
        &a,
        &report(&a, &fields, vec![("skan2.pdf", pdf_of(900))]).await,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_with_bidirectional_controls_is_kept_shown_and_downloaded_cleaned() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let sent_as = "Uchwała\u{202E} nr 4\u{2066}\u{200F}\u{061C}\u{200B}.pdf";
    let number = filed(
        &b,
        &report(
            &b,
            &problem("1420011", "transparency", false),
            vec![(sent_as, PDF.to_vec()), ("zdjęcie.jpg", jpeg())],
        )
        .await,
    )
    .await;
    let id = case_id(&app, &number).await;
    let rows = sqlx::query("SELECT id, name FROM case_attachment WHERE case_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    let (file, stored): (i64, String) = (rows[0].get(0), rows[0].get(1));
    assert_eq!(stored, "Uchwała nr 4.pdf", "kept cleaned");

    let staff = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    let page = staff.get(&format!("/admin/sprawy/{id}")).await;
    assert!(page.body.contains("Uchwała nr 4.pdf"), "{}", page.body);
    for c in ['\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}', '\u{200B}'] {
        assert!(!page.body.contains(c), "{c:?} shown");
    }
    let download = staff.get(&format!("/admin/sprawy/{id}/pliki/{file}")).await;
    assert_eq!(download.status, StatusCode::OK);
    let h = &download.headers;
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"Uchwa_a_nr_4.pdf\"; filename*=UTF-8''Uchwa%C5%82a%20nr%204.pdf"
    );
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("sandbox"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    // Pages keep the site's policy.
    let csp_page = page.headers["content-security-policy"].to_str().unwrap();
    assert!(!csp_page.contains("sandbox"), "{csp_page}");

    // A name kept before names were cleaned is shown and sent cleaned.
    sqlx::query("UPDATE case_attachment SET name = $1 WHERE id = $2")
        .bind("skan\u{202E}fdp.exe\u{2069}.pdf")
        .bind(file)
        .execute(app.db.pool())
        .await
        .unwrap();
    let page = staff.get(&format!("/admin/sprawy/{id}")).await;
    assert!(page.body.contains("skanfdp.exe.pdf"), "{}", page.body);
    assert!(!page.body.contains('\u{202E}'));
    let download = staff.get(&format!("/admin/sprawy/{id}/pliki/{file}")).await;
    assert_eq!(
        download.headers["content-disposition"],
        "attachment; filename=\"skanfdp.exe.pdf\"; filename*=UTF-8''skanfdp.exe.pdf"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_only_begins_like_a_pdf_png_or_jpeg_is_refused_with_a_polish_message() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    let fields = problem("1420011", "transparency", false);
    let dir = attachments(&app);
    let (cases_before, files_before) = (app.rows("case_file").await, names_in(&dir));
    let html = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n";
    let fake = report(&b, &fields, vec![("uchwała.pdf", html.to_vec())]).await;
    assert_eq!(fake.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fake.body.contains(
            "Plik „uchwała.pdf” nie jest poprawnym plikiem PDF: jest uszkodzony albo tylko \
             zaczyna się jak PDF. Zapisz go ponownie jako PDF i dołącz jeszcze raz."
        ),
        "{}",
        fake.body
    );
    assert!(fake.body.contains("Rada gminy nie uchwaliła"), "input kept");
    let mut png = PNG[..33].to_vec();
    png.extend_from_slice(b"<html></html>");
    let fake_png = report(&b, &fields, vec![("ekran.png", png)]).await;
    assert!(
        fake_png
            .body
            .contains("Plik „ekran.png” nie jest poprawnym plikiem PNG"),
        "{}",
        fake_png.body
    );
    let fake_jpeg = report(
        &b,
        &fields,
        vec![("zdjęcie.jpg", b"\xFF\xD8\xFF\xE0<html></html>".to_vec())],
    )
    .await;
    assert!(
        fake_jpeg
            .body
            .contains("Plik „zdjęcie.jpg” nie jest poprawnym plikiem JPEG"),
        "{}",
        fake_jpeg.body
    );
    assert_eq!(app.rows("case_file").await, cases_before, "no case");
    assert_eq!(names_in(&dir), files_before, "no file");

    // Staff uploads are checked the same way.
    let number = filed(&b, &report(&b, &fields, vec![]).await).await;
    let id = case_id(&app, &number).await;
    let staff = app
        .signed_in("doradczyni@example.org", "advisor", &[])
        .await;
    let case = format!("/admin/sprawy/{id}");
    let refused = staff
        .upload_files(
            &case,
            &format!("{case}/pliki"),
            &[],
            vec![("files", "odpowiedź.pdf", html.to_vec())],
        )
        .await;
    assert!(
        refused
            .body
            .contains("Plik „odpowiedź.pdf” nie jest poprawnym plikiem PDF"),
        "{}",
        refused.body
    );
    let added = staff
        .upload_files(
            &case,
            &format!("{case}/pliki"),
            &[],
            vec![
                ("files", "odpowiedź.pdf", PDF.to_vec()),
                ("files", "zdjęcie.png", PNG.to_vec()),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = staff.get(&case).await;
    assert!(
        page.body
            .contains("Dodano pliki „odpowiedź.pdf”, „zdjęcie.png”."),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folders_and_files_the_server_makes_are_its_owners_alone() {
    let app = spawn_app().await;
    let b = Browser::new(&app);
    filed(
        &b,
        &report(
            &b,
            &problem("1420011", "transparency", false),
            vec![("uchwała.pdf", PDF.to_vec())],
        )
        .await,
    )
    .await;
    app.run_jobs().await;
    let dir = attachments(&app);
    assert_eq!(mode(&dir), 0o700);
    let files = names_in(&dir);
    assert!(files.len() > 1, "the report's file and the demo's letters");
    for name in &files {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    let outbox = app.data_dir.join("outbox");
    assert_eq!(mode(&outbox), 0o700);
    let mails = names_in(&outbox);
    assert!(!mails.is_empty());
    for name in &mails {
        assert!(name.ends_with(".eml"), "{name}: no temporary file left");
        assert_eq!(mode(&outbox.join(name)), 0o600, "{name}");
    }
    if !app.database.is_postgres() {
        for name in ["koalicja.db", "koalicja.db-wal", "koalicja.db-shm"] {
            assert_eq!(mode(&app.database.dir.path().join(name)), 0o600, "{name}");
        }
    }
}

#[test]
fn the_data_folder_is_made_private_and_loose_modes_found_at_start_are_tightened() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("dane");
    let data_arg = data.to_str().unwrap();
    let (ok, out) = run_cli(&["migrate", "--data-dir", data_arg]);
    assert!(ok, "{out}");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("koalicja.db")), 0o600);

    // Made by hand, or by an older version, with the usual umask.
    let outbox = data.join("outbox");
    std::fs::create_dir(&outbox).unwrap();
    std::fs::write(outbox.join("000001.eml"), "To: ktos@example.org\n").unwrap();
    set_mode(&data, 0o755);
    set_mode(&outbox, 0o755);
    set_mode(&outbox.join("000001.eml"), 0o644);
    set_mode(&data.join("koalicja.db"), 0o644);
    let (ok, out) = run_cli(&["migrate", "--data-dir", data_arg]);
    assert!(ok, "{out}");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&outbox), 0o700);
    assert_eq!(mode(&outbox.join("000001.eml")), 0o600);
    assert_eq!(mode(&data.join("koalicja.db")), 0o600);
    assert!(
        out.contains("access to a data file tightened to its owner"),
        "{out}"
    );
    assert!(
        out.contains("access to files tightened to their owner"),
        "{out}"
    );
    assert!(!out.contains("ktos@example.org"), "no personal data logged");
}
