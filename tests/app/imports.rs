//! CSV import: a report by row, and all or nothing.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_row_stops_the_whole_import_and_the_report_names_it() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let before = app.rows("organisation").await;
    let csv = "nazwa;forma_prawna;krs;nip;regon;adres;jst;opp;obszary\n\
               Fundacja Pierwsza;fundacja;;1234563218;;ul. Długa 1;1420011;tak;ekologia\n\
               Stowarzyszenie Druga;stowarzyszenie;;1234563217;;;1417021;nie;\n\
               Koło Trzecie;koło gospodyń wiejskich;;;192598184;;Nieistniejąca Gmina;;\n";
    let report = b
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "organizacje")],
            ("file", csv.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(
        report.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        report.body
    );
    assert!(
        report
            .body
            .contains("Błędne wiersze: 2. Nic nie zostało zaimportowane."),
        "{}",
        report.body
    );
    let rows: Vec<&str> = report.body.split("<tr>").skip(2).collect();
    assert!(
        rows[0].contains("<td>2</td><td>poprawny</td>"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains("<td>3</td>") && rows[1].contains("Ten NIP jest nieprawidłowy"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains("<td>4</td>")
            && rows[2]
                .contains("„Nieistniejąca Gmina” nie jest samorządem województwa mazowieckiego"),
        "{}",
        rows[2]
    );
    assert!(
        !report.body.contains("zatwierdz"),
        "no way to import a file with errors"
    );
    assert_eq!(app.rows("organisation").await, before);

    // A forged commit of the bad file is checked again and refused.
    let token = crate::browser::csrf(&b.get("/admin/import").await.body);
    let forged = b
        .post(
            "/admin/import/zatwierdz",
            &[("csrf", &token), ("what", "organizacje"), ("csv", csv)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.rows("organisation").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_file_is_previewed_then_imported_in_one_go() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let people = app.rows("person").await;
    let csv = "\u{feff}imie,nazwisko,email,telefon,plec,grupa,organizacja,jst\n\
               Anna,Żak,anna.zak@example.org,+48 600 100 200,kobieta,ngo,,1420011\n\
               Piotr,Łęcki,piotr.lecki@example.org,,mężczyzna,urzędniczki i urzędnicy,,Otwock\n";
    let report = b
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "osoby")],
            ("file", csv.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert!(report.body.contains("Wszystkie wiersze są poprawne."));
    assert_eq!(
        app.rows("person").await,
        people,
        "the preview writes nothing"
    );
    let token = crate::browser::csrf(&report.body);
    let done = b
        .post(
            "/admin/import/zatwierdz",
            &[("csrf", &token), ("what", "osoby"), ("csv", csv)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.rows("person").await, people + 2);
    let list = b.get("/admin/osoby?q=lecki").await;
    assert!(list.body.contains("Łęcki Piotr"), "{}", list.body);
    let imported: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'person'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(imported, 2);
    // The same file again: every e-mail is now taken.
    let again = b
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "osoby")],
            ("file", csv.as_bytes().to_vec()),
        )
        .await;
    assert!(again
        .body
        .contains("Osoba z tym e-mailem już jest w bazie."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_is_told_which_values_a_column_accepts() {
    let app = spawn_app().await;
    let b = app
        .signed_in("koordynator@example.org", "coordinator", &[])
        .await;
    let before = app.rows("organisation").await;
    let csv = "nazwa;forma_prawna;krs;nip;regon;adres;jst;opp;obszary\n\
               Fundacja Pierwsza;fundacja;;;;;1420011;może;\n\
               Fundacja Druga;fundacjja;;;;;1420011;NIE;\n\
               Fundacja Trzecia;fundacja;;;;;Płońsk;x;\n";
    let report = b
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "organizacje")],
            ("file", csv.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(
        report.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        report.body
    );
    let rows: Vec<&str> = report.body.split("<tr>").skip(2).collect();
    assert!(
        rows[0].contains("Status OPP (kolumna opp): „może” nie jest ani „tak”, ani „nie”."),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains(
            "Forma prawna (kolumna forma_prawna): Wpisz jedną z wartości: „stowarzyszenie”"
        ) && rows[1].contains("„fundacja”")
            && rows[1].contains("„koło gospodyń wiejskich” (albo „kgw”)")
            && !rows[1].contains("Wybierz"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains("Pasuje kilka samorządów")
            && rows[2].contains("Płońsk — gmina wiejska, powiat płoński (kod 1420092)")
            && rows[2].contains("Wpisz kod TERYT jednego z nich albo jego pełną nazwę")
            && !rows[2].contains("Wybierz"),
        "{}",
        rows[2]
    );

    let csv = "imie;nazwisko;email;telefon;plec;grupa;organizacja;jst\n\
               Anna;Żak;anna.zak@example.org;;kobita;;;\n";
    let report = b
        .upload(
            "/admin/import",
            "/admin/import",
            &[("what", "osoby")],
            ("file", csv.as_bytes().to_vec()),
        )
        .await;
    assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        report
            .body
            .contains("Płeć (kolumna plec): Wpisz jedną z wartości: „kobieta”")
            && report
                .body
                .contains("Grupa (kolumna grupa): Wpisz jedną z wartości:")
            && !report.body.contains("Wybierz jedną z możliwości"),
        "{}",
        report.body
    );
    assert_eq!(app.rows("organisation").await, before);
}
