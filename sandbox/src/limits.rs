//! The request budget: a fixed window of N requests, announced on every response with the
//! `X-RateLimit-*` headers (the reset as an ISO 8601 time) and enforced with 429 and `Retry-After`
//! in whole seconds, rounded up.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use tokio::time::Instant;

use super::faults::skew;
use super::views::iso;

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

#[derive(Debug)]
struct Window {
    limit: u64,
    length: Duration,
    started: Instant,
    used: u64,
}

/// The budget shared by every key and connection of one sandbox.
#[derive(Debug)]
pub(crate) struct Budget(Mutex<Window>);

/// What the budget said about one request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Verdict {
    pub limit: u64,
    pub remaining: u64,
    pub reset: SystemTime,
    /// Set when the request is refused: seconds until the window resets, rounded up.
    pub retry_after: Option<u64>,
}

impl Budget {
    pub fn new(limit: u64, length: Duration) -> Self {
        Budget(Mutex::new(Window { limit, length, started: Instant::now(), used: 0 }))
    }

    fn window(&self) -> std::sync::MutexGuard<'_, Window> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the budget; a new window starts now.
    pub fn set(&self, limit: u64, length: Duration) {
        *self.window() = Window { limit, length, started: Instant::now(), used: 0 };
    }

    /// Counts one request, or refuses it when the window's budget is spent.
    pub fn take(&self) -> Verdict {
        let mut w = self.window();
        let now = Instant::now();
        if now >= w.started + w.length {
            w.started = now;
            w.used = 0;
        }
        let left = (w.started + w.length).saturating_duration_since(now);
        let reset = SystemTime::now() + left;
        if w.used >= w.limit {
            let seconds = left.as_secs_f64().ceil().max(1.0) as u64;
            return Verdict { limit: w.limit, remaining: 0, reset, retry_after: Some(seconds) };
        }
        w.used += 1;
        Verdict { limit: w.limit, remaining: w.limit - w.used, reset, retry_after: None }
    }
}

impl Verdict {
    /// Adds the rate-limit headers (and `Retry-After` on a refusal); the reset is told on the
    /// server's clock, `clock_offset` seconds off the real one.
    pub fn apply(&self, headers: &mut HeaderMap, clock_offset: i64) {
        headers.insert(LIMIT, HeaderValue::from(self.limit));
        headers.insert(REMAINING, HeaderValue::from(self.remaining));
        if let Ok(value) = HeaderValue::from_str(&iso(skew(self.reset, clock_offset))) {
            headers.insert(RESET, value);
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_counts_down_then_refuses_until_the_window_resets() {
        let budget = Budget::new(2, Duration::from_millis(1500));
        assert_eq!(budget.take().remaining, 1);
        assert_eq!(budget.take().remaining, 0);
        let refused = budget.take();
        assert_eq!(refused.retry_after, Some(2)); // 1.5 s rounds up
        let mut headers = HeaderMap::new();
        refused.apply(&mut headers, 0);
        assert_eq!(headers["retry-after"], "2");
        assert!(headers["x-ratelimit-reset"].to_str().unwrap().ends_with('Z'));
        budget.set(2, Duration::ZERO);
        assert_eq!(budget.take().retry_after, None);
    }
}
