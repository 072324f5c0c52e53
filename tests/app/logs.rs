//! What a reader of the server's log learns: routes, statuses and ids,
//! never a token, an address or a name.

use reqwest::StatusCode;

use crate::browser::Browser;
use crate::helpers::{log_text, spawn_app};
use crate::mail::{link, sent};
use crate::registration::{mailed_link, register, training};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_names_routes_and_never_a_token_an_address_or_a_name() {
    let app = spawn_app().await;
    app.account("logi.trenerka@example.org", "trainer", &[])
        .await;

    // A password reset from the request to the new password.
    let b = Browser::new(&app);
    b.submit(
        "/admin/haslo/reset",
        "/admin/haslo/reset",
        &[("email", "logi.trenerka@example.org")],
    )
    .await;
    let mails = sent(&app, 1).await;
    let reset = link(
        &mails
            .iter()
            .find(|m| m.0 == "logi.trenerka@example.org")
            .expect("the reset link")
            .1,
    );
    let reset_token = reset.rsplit('/').next().unwrap().to_owned();
    assert_eq!(reset_token.len(), 43, "{reset}");
    assert_eq!(b.get(&reset).await.status, StatusCode::OK);
    let set = b
        .submit(
            &reset,
            &reset,
            &[
                ("password", "jesienne liście nad Narwią"),
                ("repeat", "jesienne liście nad Narwią"),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    let session = b.sign_in_with("logi.trenerka@example.org", "jesienne liście nad Narwią");
    assert_eq!(session.await.status, StatusCode::SEE_OTHER);
    let session_token = b.cookie("koalicja_sesja").expect("a session");

    // A registration and its confirmation through the e-mailed link.
    let page = training(&app, Some(10)).await;
    let person = Browser::new(&app);
    let r = register(&person, &page, "Urszula", "logi.urszula@example.org").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mine = mailed_link(&app, "logi.urszula@example.org").await;
    let registration_token = mine.trim_start_matches("/zapisy/").to_owned();
    assert_eq!(person.get(&mine).await.status, StatusCode::OK);
    let confirmed = person
        .submit(&mine, &format!("{mine}/potwierdz"), &[])
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);

    // A path that matches no route, with a secret of its own in it.
    let stray = "zgubiony-sekret-4f7b2a9c1e";
    assert_eq!(
        app.get(&format!("/zapisy-stare/{stray}")).await.status,
        StatusCode::NOT_FOUND
    );

    let log = log_text();
    for secret in [
        reset_token.as_str(),
        registration_token.as_str(),
        session_token.as_str(),
        stray,
        "logi.trenerka@example.org",
        "logi.urszula@example.org",
        "Urszula",
    ] {
        assert!(!log.contains(secret), "the log holds {secret}");
    }
    for route in [
        "route=/admin/haslo/reset/{token}",
        "route=/zapisy/{token}",
        "route=/zapisy/{token}/potwierdz",
        "route=/szkolenia/{slug}/zapis",
        "route=(unmatched)",
    ] {
        assert!(log.contains(route), "the log names {route}");
    }
}
