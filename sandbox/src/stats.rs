//! Counters of what the sandbox did, for benchmarks and tests, and the optional log of exchanges
//! used to check response bodies against the spec.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

/// What a [`Sandbox`](super::Sandbox) has done so far, from [`Sandbox::stats`](super::Sandbox::stats).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxStats {
    /// Requests received, every outcome included.
    pub requests: u64,
    /// 429 answers sent because the budget was spent.
    pub rate_limited: u64,
    /// 503 answers injected by [`Faults::set_error_rate`](super::Faults::set_error_rate).
    pub injected_errors: u64,
    /// Connections closed without an answer by [`Faults::set_drop_rate`](super::Faults::set_drop_rate).
    pub dropped: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub rate_limited: AtomicU64,
    pub injected_errors: AtomicU64,
    pub dropped: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> SandboxStats {
        SandboxStats {
            requests: self.requests.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            injected_errors: self.injected_errors.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }
}

/// One request the sandbox answered, kept when
/// [`SandboxConfig::record_exchanges`](super::SandboxConfig::record_exchanges) is on.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Exchange {
    /// The operationId the request matched (`getVpsDetails`), if any.
    pub operation: Option<String>,
    /// The request method.
    pub method: String,
    /// The request path.
    pub path: String,
    /// The response status.
    pub status: u16,
    /// The response's `Content-Type`.
    pub content_type: Option<String>,
    /// The response body as sent.
    pub body: Bytes,
}

impl Exchange {
    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The newest exchanges, at most [`Recorder::CAPACITY`].
#[derive(Debug, Default)]
pub(crate) struct Recorder(Mutex<VecDeque<Exchange>>);

impl Recorder {
    pub const CAPACITY: usize = 4096;

    pub fn push(&self, exchange: Exchange) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() == Self::CAPACITY {
            log.pop_front();
        }
        log.push_back(exchange);
    }

    pub fn all(&self) -> Vec<Exchange> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }
}
