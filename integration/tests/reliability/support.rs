//! Helpers: fixtures, clients with fast retries, a hang guard, and a scripted raw-TCP HTTP server
//! whose replies can stop, stall or trickle at any byte.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hostup::{Client, Error, RetryPolicy};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

#[path = "../common/wire.rs"]
mod wire;
pub use wire::{Seen, read_request};
#[path = "../common/script_server.rs"]
mod script_server;
pub use script_server::{Reply, ScriptServer, Step, head, http, json, not_found};

pub const KEY: &str = "hu_reliability_key_Qz81Wx";
pub const VPS_ID: &str = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
/// Longest any single call in this suite may take before it counts as hung.
pub const HANG_GUARD: Duration = Duration::from_secs(30);

/// Awaits `call`, failing the test if it has not ended within [`HANG_GUARD`].
pub async fn guard<F: Future>(call: F) -> F::Output {
    tokio::time::timeout(HANG_GUARD, call).await.expect("the call hung past the guard")
}

/// A fixture from `openapi/examples/`, as text.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/../openapi/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

pub fn client(base: &str) -> Client {
    client_with(base, fast_retries())
}

pub fn client_with(base: &str, retry: RetryPolicy) -> Client {
    Client::builder().api_key(KEY).base_url(base).retry(retry).build().unwrap()
}

/// A client whose attempts time out after `timeout`.
pub fn impatient(base: &str, timeout: Duration) -> Client {
    let builder = Client::builder().api_key(KEY).base_url(base).retry(fast_retries());
    builder.timeout(timeout).build().unwrap()
}

/// The typed error of a generated call that must fail.
pub fn error<T: std::fmt::Debug>(result: hostup::Result<T>) -> Error {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(e) => e,
    }
}

/// A writer that keeps everything a tracing subscriber prints.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Keeps a capture going; dropping it restores the previous subscriber.
pub struct LogGuard {
    _default: tracing::subscriber::DefaultGuard,
    _second: tracing::Dispatch,
}

/// Captures every TRACE-level line of this thread (tests here run on a current-thread runtime, so
/// the client's spans and events are on this thread) until the guard is dropped.
///
/// A second, silent dispatcher stays registered meanwhile: with exactly one registered dispatcher,
/// tracing-core computes a new callsite's interest from the default of whichever thread hits it
/// first, and another test's thread (with no subscriber) would switch the callsite off for all.
pub fn capture_logs() -> (Captured, LogGuard) {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let silent = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(std::io::sink);
    let second = tracing::Dispatch::new(silent.finish());
    let guard = LogGuard { _default: tracing::subscriber::set_default(subscriber), _second: second };
    (logs, guard)
}

/// A keep-alive server that answers every request with whatever response is in its slot: for
/// running many decode cases through the real client path quickly.
pub struct SlotServer {
    pub base: String,
    slot: Arc<Mutex<Vec<u8>>>,
    count: Arc<Mutex<usize>>,
}

impl SlotServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let slot = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(Mutex::new(0));
        let (answer, counter) = (slot.clone(), count.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (answer, counter) = (answer.clone(), counter.clone());
                tokio::spawn(async move {
                    while read_request(&mut socket).await.is_some() {
                        *counter.lock().unwrap() += 1;
                        let bytes = answer.lock().unwrap().clone();
                        if socket.write_all(&bytes).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        SlotServer { base, slot, count }
    }

    /// The response every request gets from now on.
    pub fn set(&self, status: u16, content_type: &str, body: &[u8]) {
        let mut text = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
        text.push_str(&format!("content-type: {content_type}\r\n\r\n"));
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(body);
        *self.slot.lock().unwrap() = bytes;
    }

    pub fn count(&self) -> usize {
        *self.count.lock().unwrap()
    }
}
