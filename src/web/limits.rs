//! What request bodies may cost: the memory they take at once (in all and
//! per client address) and the time a client has to send one.
//!
//! Before a byte of a body is read, `session::layer` reserves what the body
//! may take (its `Content-Length`, or its limit when it gives none) from
//! the `BodyBudget`; a body that does not fit is not read: 503 when the
//! server's budget is spent, 429 when the sender's share is. The
//! reservation is held until the answer is made. `TimedBody` ends a body
//! that is still arriving `body_timeout` after its headers.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::{Instant, Sleep};

use super::Error;
use crate::config::Transport;

/// Seconds a refused sender is asked to wait (`Retry-After`).
pub const RETRY_AFTER: i64 = 10;

/// The bytes of request bodies held at once, in all and per address.
#[derive(Clone, Debug)]
pub struct BodyBudget {
    total: usize,
    per_address: usize,
    held: Arc<Mutex<Held>>,
}

#[derive(Debug, Default)]
struct Held {
    total: usize,
    by_address: HashMap<String, usize>,
}

/// Bytes reserved for one body; given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    held: Arc<Mutex<Held>>,
    address: String,
    bytes: usize,
}

impl BodyBudget {
    pub fn new(t: &Transport) -> BodyBudget {
        BodyBudget {
            total: t.body_memory_limit,
            per_address: t.body_memory_per_address,
            held: Arc::default(),
        }
    }

    /// Reserves `bytes` for a body `address` sends, or says why not.
    pub fn reserve(&self, address: &str, bytes: usize) -> Result<Reservation, Error> {
        let mut held = self.held.lock().map_err(|_| Error::Busy(RETRY_AFTER))?;
        let of_address = held.by_address.get(address).copied().unwrap_or(0);
        if of_address.saturating_add(bytes) > self.per_address {
            return Err(Error::BusyAddress(RETRY_AFTER));
        }
        if held.total.saturating_add(bytes) > self.total {
            return Err(Error::Busy(RETRY_AFTER));
        }
        held.total += bytes;
        held.by_address
            .insert(address.to_owned(), of_address + bytes);
        Ok(Reservation {
            held: self.held.clone(),
            address: address.to_owned(),
            bytes,
        })
    }

    /// Bytes reserved now.
    pub fn in_use(&self) -> usize {
        self.held.lock().map(|h| h.total).unwrap_or(0)
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let Ok(mut held) = self.held.lock() else {
            return;
        };
        held.total = held.total.saturating_sub(self.bytes);
        if let Some(n) = held.by_address.get_mut(&self.address) {
            *n = n.saturating_sub(self.bytes);
            if *n == 0 {
                held.by_address.remove(&self.address);
            }
        }
    }
}

/// The body of a request ended because the client took too long.
#[derive(Debug, thiserror::Error)]
#[error("the request body took too long")]
pub struct BodyTimedOut;

/// A request body that fails with `BodyTimedOut` once its time is up.
pub struct TimedBody<B> {
    inner: B,
    deadline: Instant,
    /// Made at the first read: a request whose body is never read costs
    /// no timer.
    sleep: Option<Pin<Box<Sleep>>>,
}

impl<B> TimedBody<B> {
    /// `inner`, to be read within `limit` from now.
    pub fn new(inner: B, limit: Duration) -> TimedBody<B> {
        TimedBody {
            inner,
            deadline: Instant::now() + limit,
            sleep: None,
        }
    }
}

impl<B> Body for TimedBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<Box<dyn StdError + Send + Sync>>,
{
    type Data = Bytes;
    type Error = Box<dyn StdError + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let deadline = this.deadline;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if sleep.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimedOut))));
        }
        Pin::new(&mut this.inner)
            .poll_frame(cx)
            .map(|f| f.map(|r| r.map_err(Into::into)))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Whether a body failed because the client took too long, or because
/// it passed its size limit, anywhere in the error's chain.
fn cause(e: &(dyn StdError + 'static)) -> (bool, bool) {
    let (mut late, mut large) = (false, false);
    let mut next = Some(e);
    while let Some(e) = next {
        late |= e.is::<BodyTimedOut>();
        large |= e.is::<http_body_util::LengthLimitError>();
        next = e.source();
    }
    (late, large)
}

/// What a failed read of a body becomes: 408 when the client took too
/// long, 413 past the limit, otherwise 400 with `unreadable`.
pub fn read_error(e: &(dyn StdError + 'static), unreadable: &str) -> Error {
    match cause(e) {
        (true, _) => Error::TimedOut,
        (_, true) => Error::TooLarge,
        _ => Error::BadRequest(unreadable.to_owned()),
    }
}

/// `read_error` for a multipart form, whose reader says itself when the
/// body passed its limit.
pub fn multipart_error(e: &axum::extract::multipart::MultipartError, unreadable: &str) -> Error {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return Error::TooLarge;
    }
    read_error(e, unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(total: usize, per_address: usize) -> BodyBudget {
        BodyBudget::new(&Transport {
            body_memory_limit: total,
            body_memory_per_address: per_address,
            ..Transport::default()
        })
    }

    #[test]
    fn reservations_hold_their_bytes_until_dropped() {
        let b = budget(100, 60);
        let first = b.reserve("192.0.2.1", 50);
        assert!(first.is_ok());
        assert!(matches!(
            b.reserve("192.0.2.1", 20),
            Err(Error::BusyAddress(_))
        ));
        let second = b.reserve("192.0.2.2", 50);
        assert!(second.is_ok());
        assert!(matches!(b.reserve("192.0.2.3", 1), Err(Error::Busy(_))));
        assert_eq!(b.in_use(), 100);
        drop(first);
        assert_eq!(b.in_use(), 50);
        assert!(b.reserve("192.0.2.1", 50).is_ok());
        drop(second);
        assert_eq!(b.in_use(), 0);
    }

    #[test]
    fn causes_are_found_in_the_chain() {
        let late = axum::Error::new(BodyTimedOut);
        assert!(matches!(read_error(&late, "x"), Error::TimedOut));
        let other = axum::Error::new(std::io::Error::other("reset"));
        assert!(matches!(read_error(&other, "x"), Error::BadRequest(_)));
    }
}
