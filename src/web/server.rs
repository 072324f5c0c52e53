//! The HTTP/1.1 server under the router: which connections are taken,
//! how long each may take, and how it is closed.
//!
//! - At most `max_connections` connections are held, and at most
//!   `connections_per_address` from one client address (unless behind a
//!   proxy). A connection beyond either is answered, once its request's
//!   headers arrived (read and dropped), with a fixed 503 page in Polish
//!   (`Connection: close`, `Retry-After`) and closed.
//! - A connection waits `idle_timeout` for the first byte of a request;
//!   from that byte its headers must arrive within `header_timeout`; the
//!   body within `body_timeout` of the headers (`web::limits::TimedBody`,
//!   408); an answer waits at most `body_timeout` for the client to take
//!   more of it. A connection past its time is closed.
//! - Headers are read into a buffer of at most `MAX_BUFFER` bytes (431
//!   beyond), so a connection holds little memory until its body is
//!   read, and a body only what `web::limits::BodyBudget` lets it.
//! - A connection is closed by sending FIN, then reading and throwing
//!   away what the client still sends for up to `LINGER`, so a client
//!   still sending a body refused early reads the answer instead of a
//!   reset.
//! - On shutdown no connection is taken; those without a request in
//!   flight (idle, or still sending headers) close, requests in flight are
//!   answered, and `run` returns when every connection closed.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::config::Transport;
use crate::web::limits::TimedBody;

/// The largest buffer a connection reads into: the request's headers
/// must fit in it.
pub const MAX_BUFFER: usize = 64 * 1024;
/// How long a closed connection still reads what its client sends.
pub const LINGER: Duration = Duration::from_secs(2);
/// Connections over a cap being answered at once; more are closed
/// without an answer.
const REFUSING: usize = 256;

/// Serves `router` on `listener` until `shutdown` completes, then lets
/// the connections finish. `per_address`: cap connections per client
/// address (off behind a proxy, where they all come from the proxy).
pub async fn run(
    listener: TcpListener,
    router: Router,
    transport: &Transport,
    per_address: bool,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let max = u32::try_from(transport.max_connections)
        .unwrap_or(u32::MAX)
        .min(Semaphore::MAX_PERMITS as u32);
    let slots = Arc::new(Semaphore::new(max as usize));
    let addresses = Addresses {
        held: Arc::default(),
        limit: per_address.then_some(transport.connections_per_address),
    };
    let refusing = Arc::new(Semaphore::new(REFUSING));
    let (stop, stopped) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            refuse(stream, Refusal::Full, &refusing);
            continue;
        };
        let Some(address) = addresses.take(peer.ip()) else {
            refuse(stream, Refusal::Address, &refusing);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let held = Held {
            _slot: slot,
            _address: address,
        };
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            transport.clone(),
            held,
            stopped.clone(),
        ));
    }
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a slot until it is closed.
    let _all = slots.acquire_many(max).await;
    Ok(())
}

/// An error of `accept`: one connection's (it went away) is skipped;
/// another (out of file descriptors) waits a moment before the next try.
async fn accept_failed(e: io::Error) {
    use io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset | Interrupted | WouldBlock
    ) {
        return;
    }
    tracing::error!(cause = %e, "could not accept a connection");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// What a connection holds while it is open: its place under the caps.
struct Held {
    _slot: OwnedSemaphorePermit,
    _address: Option<AddressSlot>,
}

/// Connections per client address.
struct Addresses {
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
    limit: Option<usize>,
}

/// One connection counted for its address until dropped.
struct AddressSlot {
    held: Arc<Mutex<HashMap<IpAddr, usize>>>,
    ip: IpAddr,
}

impl Addresses {
    /// A place for one more connection of `ip`: `None` when it holds its
    /// share; `Some(None)` when addresses are not counted.
    fn take(&self, ip: IpAddr) -> Option<Option<AddressSlot>> {
        let Some(limit) = self.limit else {
            return Some(None);
        };
        let mut held = self.held.lock().ok()?;
        let n = held.entry(ip).or_insert(0);
        if *n >= limit {
            return None;
        }
        *n += 1;
        Some(Some(AddressSlot {
            held: self.held.clone(),
            ip,
        }))
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        if let Ok(mut held) = self.held.lock() {
            if let Some(n) = held.get_mut(&self.ip) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    held.remove(&self.ip);
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Refusal {
    Full,
    Address,
}

impl Refusal {
    fn response(self) -> String {
        let message = match self {
            Refusal::Full => "Serwer obsługuje teraz zbyt wiele połączeń naraz.",
            Refusal::Address => "Z tego adresu otwarto zbyt wiele połączeń naraz.",
        };
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"pl\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Serwer jest zajęty</title></head><body><h1>Serwer jest zajęty</h1>\
             <p>{message} Spróbuj ponownie za chwilę.</p></body></html>\n"
        );
        format!(
            "HTTP/1.1 503 Service Unavailable\r\n\
             content-type: text/html; charset=utf-8\r\n\
             content-length: {}\r\n\
             retry-after: 10\r\n\
             cache-control: no-store\r\n\
             connection: close\r\n\r\n{page}",
            page.len()
        )
    }
}

/// Answers a connection over a cap with the 503 page and closes it, or,
/// when many are being answered already, closes it at once. The page
/// follows the request's headers (read and dropped, within `LINGER` and
/// `MAX_BUFFER`): a client reads an answer only to a request it sent.
fn refuse(mut stream: TcpStream, why: Refusal, refusing: &Arc<Semaphore>) {
    let Ok(permit) = refusing.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(async move {
        let asked = tokio::time::timeout(LINGER, head_read(&mut stream)).await;
        if matches!(asked, Ok(true)) {
            let page = why.response();
            let sent = tokio::time::timeout(LINGER, stream.write_all(page.as_bytes())).await;
            if matches!(sent, Ok(Ok(()))) {
                linger(stream).await;
            }
        }
        drop(permit);
    });
}

/// Reads up to the end of a request's headers; false if the client
/// closed first or sent more than `MAX_BUFFER` without one.
async fn head_read(stream: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 4096];
    let (mut read, mut tail) = (0, Vec::with_capacity(4096 + 3));
    while read <= MAX_BUFFER {
        let n = match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        read += n;
        // The end may straddle two reads: keep the last three bytes.
        let keep = tail.len().saturating_sub(3);
        tail.drain(..keep);
        tail.extend_from_slice(&buffer[..n]);
        if tail.windows(4).any(|w| w == b"\r\n\r\n") {
            return true;
        }
    }
    false
}

/// Closes a connection politely: FIN, then what the client still sends
/// is read and thrown away until it closes too or `LINGER` passes.
async fn linger(mut stream: TcpStream) {
    let _ = stream.shutdown().await;
    let mut buffer = [0u8; 4096];
    let _ = tokio::time::timeout(LINGER, async {
        while let Ok(1..) = stream.read(&mut buffer).await {}
    })
    .await;
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    transport: Transport,
    held: Held,
    mut stopped: watch::Receiver<bool>,
) {
    let deadlines = Arc::new(Deadlines::new(&transport));
    let io = Watched {
        stream: Some(stream),
        deadlines: deadlines.clone(),
        held: Some(held),
    };
    let body_timeout = transport.body_timeout;
    let on_request = deadlines.clone();
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let guard = on_request.request_started();
        let mut router = router.clone();
        async move {
            let mut request = request.map(|b| Body::new(TimedBody::new(b, body_timeout)));
            request.extensions_mut().insert(ConnectInfo(peer));
            let response = match tower_service::Service::call(&mut router, request).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            Ok::<_, Infallible>(response.map(|body| Answer { body, guard }))
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.max_buf_size(MAX_BUFFER);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let mut stopping = false;
    if *stopped.borrow() {
        return;
    }
    loop {
        tokio::select! {
            done = connection.as_mut() => {
                if let Err(e) = done {
                    tracing::debug!(cause = %e, "connection ended with an error");
                }
                break;
            }
            _ = stopped.changed(), if !stopping => {
                // No request yet (idle, or headers still coming): closed.
                if !deadlines.busy() {
                    break;
                }
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
            () = deadlines.expired() => {
                tracing::debug!("connection timed out");
                break;
            }
        }
    }
}

/// Where a connection is in its life, for its timeouts.
struct Deadlines {
    header_timeout: Duration,
    idle_timeout: Duration,
    send_timeout: Duration,
    state: Mutex<Phase>,
    changed: Notify,
}

#[derive(Clone, Copy)]
struct Phase {
    /// Requests whose answer is not yet sent.
    busy: usize,
    /// The first byte of the next request's headers, once read.
    head_since: Option<Instant>,
    /// When the last answer was sent (or the connection opened).
    idle_since: Instant,
    /// When an answer last made progress (began, or the client took
    /// bytes of it), while one is being sent.
    sending_since: Option<Instant>,
}

impl Deadlines {
    fn new(t: &Transport) -> Deadlines {
        Deadlines {
            header_timeout: t.header_timeout,
            idle_timeout: t.idle_timeout,
            send_timeout: t.body_timeout,
            state: Mutex::new(Phase {
                busy: 0,
                head_since: None,
                idle_since: Instant::now(),
                sending_since: None,
            }),
            changed: Notify::new(),
        }
    }

    /// Changes the phase. `sooner`: the change may bring the deadline
    /// nearer (or set one), so the waiting `expired` must look again; a
    /// deadline moved later is found when the earlier one passes.
    fn update(&self, sooner: bool, change: impl FnOnce(&mut Phase)) {
        if let Ok(mut p) = self.state.lock() {
            change(&mut p);
        }
        if sooner {
            self.changed.notify_waiters();
        }
    }

    /// When the connection is to be closed unless something happens;
    /// `None` while a request is handled.
    fn deadline(&self) -> Option<Instant> {
        let p = *self.state.lock().ok()?;
        if p.busy > 0 {
            return p.sending_since.map(|s| s + self.send_timeout);
        }
        Some(match p.head_since {
            Some(h) => h + self.header_timeout,
            None => p.idle_since + self.idle_timeout,
        })
    }

    /// Whether a request is being handled or answered.
    fn busy(&self) -> bool {
        self.state.lock().is_ok_and(|p| p.busy > 0)
    }

    /// Bytes arrived: between requests, a request's headers began.
    fn read(&self) {
        let starts = self
            .state
            .lock()
            .is_ok_and(|p| p.busy == 0 && p.head_since.is_none());
        if starts {
            self.update(true, |p| p.head_since = Some(Instant::now()));
        }
    }

    /// The client took bytes of an answer.
    fn wrote(&self) {
        self.update(false, |p| {
            if p.sending_since.is_some() {
                p.sending_since = Some(Instant::now());
            }
        });
    }

    fn request_started(self: &Arc<Self>) -> RequestGuard {
        self.update(false, |p| {
            p.busy += 1;
            p.head_since = None;
        });
        RequestGuard {
            deadlines: self.clone(),
            sending: false,
        }
    }

    /// Completes when the connection's time is up.
    async fn expired(&self) {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            match self.deadline() {
                None => changed.await,
                Some(at) => {
                    tokio::select! {
                        () = changed => {}
                        () = tokio::time::sleep_until(at) => {
                            if self.deadline().is_some_and(|d| d <= Instant::now()) {
                                return;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One request being handled; its answer sent when dropped.
struct RequestGuard {
    deadlines: Arc<Deadlines>,
    sending: bool,
}

impl RequestGuard {
    fn sending(&mut self) {
        if !self.sending {
            self.sending = true;
            self.deadlines
                .update(true, |p| p.sending_since = Some(Instant::now()));
        }
    }
}

impl Drop for RequestGuard {
    fn drop(&mut self) {
        self.deadlines.update(true, |p| {
            p.busy = p.busy.saturating_sub(1);
            p.idle_since = Instant::now();
            if p.busy == 0 {
                p.sending_since = None;
            }
        });
    }
}

/// An answer's body, which tells the connection's deadlines when it is being
/// sent and when it is done.
struct Answer {
    body: Body,
    guard: RequestGuard,
}

impl hyper::body::Body for Answer {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        this.guard.sending();
        Pin::new(&mut this.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The connection's socket, which tells its deadlines of bytes read and
/// written, and closes it with `linger` when dropped.
struct Watched {
    stream: Option<TcpStream>,
    deadlines: Arc<Deadlines>,
    held: Option<Held>,
}

impl Drop for Watched {
    fn drop(&mut self) {
        let (Some(stream), held) = (self.stream.take(), self.held.take()) else {
            return;
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                linger(stream).await;
                drop(held);
            });
        }
    }
}

fn gone() -> io::Error {
    io::Error::from(io::ErrorKind::NotConnected)
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let Some(stream) = this.stream.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        let before = buf.filled().len();
        let read = Pin::new(stream).poll_read(cx, buf);
        if matches!(read, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.deadlines.read();
        }
        read
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(stream) = this.stream.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        let written = Pin::new(stream).poll_write(cx, buf);
        if matches!(written, Poll::Ready(Ok(1..))) {
            this.deadlines.wrote();
        }
        written
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(stream) = this.stream.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        let written = Pin::new(stream).poll_write_vectored(cx, bufs);
        if matches!(written, Poll::Ready(Ok(1..))) {
            this.deadlines.wrote();
        }
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.is_write_vectored())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().stream.as_mut() {
            Some(s) => Pin::new(s).poll_flush(cx),
            None => Poll::Ready(Err(gone())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut().stream.as_mut() {
            Some(s) => Pin::new(s).poll_shutdown(cx),
            None => Poll::Ready(Err(gone())),
        }
    }
}
