//! Group commit of the registration steps. SQLite writes one transaction
//! at a time and, with `synchronous = FULL`, fsyncs each commit;
//! PostgreSQL's confirmations of one activity queue for its row lock and
//! for the one version of the places, each behind the commit before it.
//! A registration and its confirmation as transactions of their own would
//! bound the rate at a few hundred per second on either engine. Here one task
//! takes every step waiting, runs them in one transaction in the order
//! they came, commits once and only then answers each. A step sees the
//! ones before it (a second registration of one address in the same batch
//! is a duplicate, places are counted as they go). If the batch fails,
//! each step is run again in a transaction of its own, so one bad step
//! gets its own error and the others are not lost. Each instance has its
//! writer; on PostgreSQL the batches of several instances take the
//! activities' locks in one order.

use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};

use super::{confirm_all, create_all, Confirmation, Confirming, Made, NewRegistration};
use crate::store::{bump_counts, Db, Result, StoreError};

/// The most steps one transaction takes.
const BATCH: usize = 256;

enum Step {
    Create(NewRegistration, oneshot::Sender<Result<Made>>),
    Confirm(Confirming, oneshot::Sender<Result<Confirmation>>),
}

/// The queue of a database's writer task, started with its first step.
#[derive(Clone, Default)]
pub(in crate::store) struct Queue(Arc<OnceLock<mpsc::UnboundedSender<Step>>>);

impl Queue {
    /// The writer runs on a thread of its own, so that between its
    /// statements it does not wait behind the requests in the server's
    /// run queue, and with a connection of its own, so that it does not
    /// queue for one behind the readers (and its page cache is its own).
    /// Its handle to the database has no queue: when the last other handle
    /// goes, the channel closes and the thread ends.
    fn sender(&self, db: &Db) -> &mpsc::UnboundedSender<Step> {
        self.0.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            let writer = db.with_own_connection().unwrap_or_else(|e| {
                tracing::warn!(cause = %e, "group commits share the pool");
                Db {
                    group: Queue::default(),
                    ..db.clone()
                }
            });
            let started = std::thread::Builder::new()
                .name("koalicja-group-commit".into())
                .spawn(move || {
                    match tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        Ok(rt) => rt.block_on(run(writer, rx)),
                        Err(e) => tracing::error!(cause = %e, "no runtime for group commits"),
                    }
                });
            if let Err(e) = started {
                tracing::error!(cause = %e, "no thread for group commits");
            }
            tx
        })
    }
}

fn gone() -> StoreError {
    StoreError::Database(sqlx::Error::PoolClosed)
}

/// Registers within the next group commit. If the writer is gone (its
/// thread could not start), the step runs alone.
pub(super) async fn create(db: &Db, n: NewRegistration) -> Result<Made> {
    let (reply, answer) = oneshot::channel();
    match db.group.sender(db).send(Step::Create(n, reply)) {
        Ok(()) => answer.await.map_err(|_| gone())?,
        Err(mpsc::error::SendError(Step::Create(n, _))) => create_alone(db, &n).await,
        Err(_) => Err(gone()),
    }
}

/// Confirms within the next group commit (alone if the writer is gone).
pub(super) async fn confirm(db: &Db, c: Confirming) -> Result<Confirmation> {
    let (reply, answer) = oneshot::channel();
    match db.group.sender(db).send(Step::Confirm(c, reply)) {
        Ok(()) => answer.await.map_err(|_| gone())?,
        Err(mpsc::error::SendError(Step::Confirm(c, _))) => confirm_alone(db, &c).await,
        Err(_) => Err(gone()),
    }
}

async fn run(db: Db, mut queue: mpsc::UnboundedReceiver<Step>) {
    while let Some(first) = queue.recv().await {
        let mut steps = vec![first];
        while steps.len() < BATCH {
            match queue.try_recv() {
                Ok(step) => steps.push(step),
                Err(_) => break,
            }
        }
        commit(&db, steps).await;
    }
}

enum Outcome {
    Created(Made),
    Confirmed(Confirmation),
}

/// Runs the steps in one transaction: the registrations in order, then
/// the confirmations in order (none of them can be of a registration made
/// in the same batch: its link is sent only after the commit).
async fn together(db: &Db, steps: &[Step]) -> Result<Vec<Outcome>> {
    let (mut creates, mut confirms) = (Vec::new(), Vec::new());
    for step in steps {
        match step {
            Step::Create(n, _) => creates.push(n),
            Step::Confirm(c, _) => confirms.push(c),
        }
    }
    let mut tx = db.begin_write().await?;
    let mut created = create_all(&mut tx, &creates).await?.into_iter();
    let mut confirmed = confirm_all(db, &mut tx, &confirms).await?.into_iter();
    if confirmed_placed(confirmed.as_slice()) {
        bump_counts(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(steps
        .iter()
        .filter_map(|s| match s {
            Step::Create(..) => created.next().map(Outcome::Created),
            Step::Confirm(..) => confirmed.next().map(Outcome::Confirmed),
        })
        .collect())
}

/// Whether any confirmation gave a place (which the public pages show).
fn confirmed_placed(done: &[Confirmation]) -> bool {
    done.iter().any(|c| matches!(c, Confirmation::Placed(_)))
}

async fn commit(db: &Db, steps: Vec<Step>) {
    let started = std::time::Instant::now();
    let result = together(db, &steps).await;
    tracing::debug!(
        steps = steps.len(),
        micros = started.elapsed().as_micros() as u64,
        "group commit"
    );
    match result {
        Ok(outcomes) => {
            for (step, outcome) in steps.into_iter().zip(outcomes) {
                // A caller that went away needs no answer.
                match (step, outcome) {
                    (Step::Create(_, reply), Outcome::Created(id)) => {
                        let _ = reply.send(Ok(id));
                    }
                    (Step::Confirm(_, reply), Outcome::Confirmed(c)) => {
                        let _ = reply.send(Ok(c));
                    }
                    _ => {}
                }
            }
        }
        Err(e) => {
            tracing::warn!(cause = %e, steps = steps.len(), "group commit failed; one step at a time");
            for step in steps {
                match step {
                    Step::Create(n, reply) => {
                        let _ = reply.send(create_alone(db, &n).await);
                    }
                    Step::Confirm(c, reply) => {
                        let _ = reply.send(confirm_alone(db, &c).await);
                    }
                }
            }
        }
    }
}

/// A registration in a transaction of its own.
pub(super) async fn create_alone(db: &Db, n: &NewRegistration) -> Result<Made> {
    let mut tx = db.begin_write().await?;
    let made = create_all(&mut tx, &[n])
        .await?
        .pop()
        .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
    tx.commit().await?;
    Ok(made)
}

/// A confirmation in a transaction of its own.
pub(super) async fn confirm_alone(db: &Db, c: &Confirming) -> Result<Confirmation> {
    let mut tx = db.begin_write().await?;
    let done = confirm_all(db, &mut tx, &[c]).await?;
    if confirmed_placed(&done) {
        bump_counts(&mut tx).await?;
    }
    tx.commit().await?;
    done.into_iter()
        .next()
        .ok_or(StoreError::Database(sqlx::Error::RowNotFound))
}
