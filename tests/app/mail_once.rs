//! E-mail once: a message whose sending a stop interrupted is not sent
//! blindly again. The attempt is committed before the message is handed
//! over, with a Message-ID that stays the same on every try; an `.eml`
//! file written whole is not written again, and over SMTP the copy carries
//! the same Message-ID.

use std::time::{Duration, SystemTime};

use sqlx::Row;

use crate::helpers::{spawn_empty, TestApp};
use crate::mail::{smtp_sink, with_smtp};
use koalicja::jobs::outbox::{claim, deliver, LEASE};
use koalicja::store::outbox::{send, Message};

async fn queue(app: &TestApp, i: usize) {
    let m = Message {
        recipient: format!("osoba-{i}@example.org"),
        subject: format!("Wiadomość {i}"),
        body_text: format!("Treść wiadomości {i}: zażółć gęślą jaźń."),
        body_html: None,
        attachment: None,
    };
    send(&app.db, &m, app.state.clock().now())
        .await
        .expect("queued");
}

/// The outbox row of message `id`: its Message-ID, sending mark and sent
/// time.
async fn row(app: &TestApp, id: i64) -> (Option<String>, Option<String>, Option<String>) {
    let r = sqlx::query("SELECT message_id, sending_at, sent_at FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    (r.get(0), r.get(1), r.get(2))
}

fn message_id_of(eml: &str) -> String {
    eml.lines()
        .find_map(|l| l.strip_prefix("Message-ID: "))
        .expect("a Message-ID header")
        .trim()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_interrupted_by_a_stop_is_written_once_with_its_stable_message_id() {
    let app = spawn_empty().await;
    let outbox = app.data_dir.join("outbox");

    // The first message is handed over (its file written), then the
    // server stops before marking it sent.
    queue(&app, 1).await;
    let batch = claim(app.state.jobs(), "przerwany-1", app.clock.now())
        .await
        .unwrap();
    assert_eq!(batch.jobs.len(), 1);
    let results = deliver(app.state.jobs(), &batch).await;
    assert!(results[&1].is_ok(), "{results:?}");
    let (first_id, sending_at, sent_at) = row(&app, 1).await;
    let first_id = first_id.expect("a Message-ID recorded before sending");
    assert_eq!(
        sending_at.as_deref(),
        Some(koalicja::clock::stamp(app.state.clock().now()).as_str())
    );
    assert_eq!(sent_at, None);
    assert!(first_id.starts_with("<1."), "{first_id}");
    assert!(first_id.ends_with("@koalicja.invalid>"), "{first_id}");
    let file = outbox.join("000001.eml");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(message_id_of(&written), first_id);
    // Its time, to tell whether it is written again.
    let marked = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(marked)
        .unwrap();

    // The second message is claimed (marked as being sent), then the
    // server stops before its file is written.
    queue(&app, 2).await;
    let batch = claim(app.state.jobs(), "przerwany-2", app.clock.now())
        .await
        .unwrap();
    assert_eq!(batch.jobs.len(), 1);
    let (second_id, ..) = row(&app, 2).await;
    let second_id = second_id.expect("a Message-ID recorded before sending");

    // Started again: nothing is taken while the stopped worker's lease
    // lasts, then both are taken again.
    app.run_jobs().await;
    assert_eq!(row(&app, 1).await.2, None, "still leased");
    app.clock.advance(LEASE + 1);
    app.run_jobs().await;

    let mut names: Vec<String> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["000001.eml", "000002.eml"], "one file per message");
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        marked,
        "the file written whole before the stop is not written again"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    let second = std::fs::read_to_string(outbox.join("000002.eml")).unwrap();
    assert_eq!(
        message_id_of(&second),
        second_id,
        "the Message-ID of its claim"
    );
    for id in [1, 2] {
        let (message_id, _, sent_at) = row(&app, id).await;
        assert!(sent_at.is_some(), "message {id} marked sent");
        assert_eq!(
            message_id,
            Some(if id == 1 {
                first_id.clone()
            } else {
                second_id.clone()
            })
        );
    }
    let open: i64 = sqlx::query("SELECT COUNT(*) FROM job WHERE done_at IS NULL")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get(0);
    assert_eq!(open, 0, "every job done");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_smtp_an_interrupted_message_is_sent_again_with_the_same_message_id() {
    let (port, mut received) = smtp_sink().await;
    let app = with_smtp(port, false).await;
    queue(&app, 1).await;
    let batch = claim(app.state.jobs(), "przerwany", app.clock.now())
        .await
        .unwrap();
    let results = deliver(app.state.jobs(), &batch).await;
    assert!(results[&1].is_ok(), "{results:?}");
    let first = tokio::time::timeout(Duration::from_secs(20), received.recv())
        .await
        .expect("in time")
        .expect("a message");
    let (recorded, ..) = row(&app, 1).await;
    let recorded = recorded.expect("a Message-ID");
    assert_eq!(message_id_of(&first), recorded);

    // Whether it left before the stop is unknown to the server: after the
    // lease it is sent again, recognisable by the same Message-ID.
    app.clock.advance(LEASE + 1);
    app.run_jobs().await;
    let again = tokio::time::timeout(Duration::from_secs(20), received.recv())
        .await
        .expect("in time")
        .expect("a message");
    assert_eq!(message_id_of(&again), recorded);
    assert!(row(&app, 1).await.2.is_some(), "marked sent");
    app.run_jobs().await;
    assert!(
        tokio::time::timeout(Duration::from_millis(500), received.recv())
            .await
            .is_err(),
        "no third copy"
    );
}
