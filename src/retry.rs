//! When a request is sent again, and how long the client waits first.
//!
//! | What happened | GET, and `dryRun: true` previews | Other POSTs |
//! |---|---|---|
//! | connection refused (nothing was sent) | retried | retried |
//! | timeout, reset connection | retried | never |
//! | 502, 503, 504 | retried | never |
//! | 429 | retried after `Retry-After` | retried after `Retry-After` |
//! | anything else | never | never |
//!
//! Waits use exponential backoff with full jitter; a 429's `Retry-After` replaces the backoff and
//! is clamped to [`RetryPolicy::with_max_retry_after`]: a longer wait fails the call at once (and
//! holds the client back no longer than that cap).
//!
//! Retries of failures (everything but a 429, which the rate-limit budget paces) draw on a retry
//! budget shared by all clones of a client: every call adds a tenth of a retry to it, up to a
//! reserve of ten. Isolated failures are retried as always; under a storm of failures the client
//! sends at most about 1.1 requests per call instead of `max_attempts`.

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::time::Duration;

use reqwest::StatusCode;

/// The longest any duration setting is taken to be: longer ones are clamped to it.
const LONGEST: Duration = Duration::from_secs(100 * 365 * 86_400);

/// How often and how long the client retries. GETs and `dryRun: true` previews are retried after
/// timeouts and 502/503/504; other POSTs only when nothing was sent (connection refused) or on a 429.
/// Retries of failures draw on a budget shared by the client's clones (see
/// [`with_retry_budget`](Self::with_retry_budget)).
///
/// ```
/// use std::time::Duration;
/// let policy = hostup::RetryPolicy::standard()
///     .with_max_attempts(5)
///     .with_max_retry_after(Duration::from_secs(30));
/// assert_eq!(policy.max_attempts(), 5);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    deadline: Duration,
    budgeted: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryPolicy {
    /// Three attempts, backoff from 250 ms doubling to 8 s, `Retry-After` honoured up to 60 s, and
    /// at most two minutes per call, waits included.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            deadline: Duration::from_secs(120),
            budgeted: true,
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::standard() }
    }

    /// Attempts per call, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff; each retry doubles it up to [`with_max_backoff`](Self::with_max_backoff).
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff.min(LONGEST);
        self
    }

    /// The longest backoff between two attempts.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff.min(LONGEST);
        self
    }

    /// The longest `Retry-After` the client waits out; a longer one fails the call at once.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait.min(LONGEST);
        self
    }

    /// The most time one call may take, all attempts and waits included.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline.min(LONGEST);
        self
    }

    /// Whether retries of failures draw on the client's shared retry budget (default: yes): every
    /// call adds a tenth of a retry to it, up to a reserve of ten, and each retry of a failure (a
    /// 429 excepted) takes one. Isolated failures are retried; under a storm of failures the client
    /// sends about 1.1 requests per call instead of `max_attempts`.
    pub fn with_retry_budget(mut self, budgeted: bool) -> Self {
        self.budgeted = budgeted;
        self
    }

    /// Attempts per call, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` the client waits out.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The most time one call may take.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// Full jitter: a uniform wait between zero and the capped exponential backoff.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling =
            self.initial_backoff.saturating_mul(2u32.saturating_pow(retry.min(20))).min(self.max_backoff);
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fastrand::f64()).unwrap_or(ceiling).min(ceiling)
    }

    /// Whether this retry may go ahead: a 429 always, a failure when the shared budget allows.
    pub(crate) fn may_retry(&self, budget: &RetryBudget, outcome: &Outcome) -> bool {
        let paced = matches!(outcome, Outcome::Status { status: StatusCode::TOO_MANY_REQUESTS, .. });
        paced || !self.budgeted || budget.withdraw()
    }

    /// Decides whether attempt number `attempt` (1-based) is followed by another, and after what wait.
    pub(crate) fn decide(&self, attempt: u32, outcome: &Outcome, replay_safe: bool) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let backoff = self.backoff(attempt - 1);
        match *outcome {
            Outcome::NotSent => Decision::Retry(backoff),
            Outcome::Failed if replay_safe => Decision::Retry(backoff),
            Outcome::Failed => Decision::GiveUp,
            Outcome::Status { status, retry_after } => match status {
                StatusCode::TOO_MANY_REQUESTS => match retry_after {
                    Some(wait) if wait > self.max_retry_after => Decision::WaitTooLong(wait),
                    Some(wait) => Decision::Retry(wait),
                    None => Decision::Retry(backoff),
                },
                StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
                    if replay_safe =>
                {
                    let wait = retry_after.filter(|w| *w <= self.max_retry_after).unwrap_or(backoff);
                    Decision::Retry(wait.max(backoff))
                }
                _ => Decision::GiveUp,
            },
        }
    }
}

/// Retries a client may spend on failures, in tenths of a retry; shared by its clones.
#[derive(Debug)]
pub(crate) struct RetryBudget(AtomicU32);

/// Ten retries, in tenths.
const RESERVE: u32 = 100;

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget(AtomicU32::new(RESERVE))
    }
}

impl RetryBudget {
    /// A call started: a tenth of a retry more, up to the reserve.
    pub(crate) fn deposit(&self) {
        let _ = self.0.fetch_update(Relaxed, Relaxed, |t| (t < RESERVE).then_some(t + 1));
    }

    fn withdraw(&self) -> bool {
        self.0.fetch_update(Relaxed, Relaxed, |t| t.checked_sub(10)).is_ok()
    }
}

/// What an attempt ended with, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// The connection could not be made: the server never saw the request.
    NotSent,
    /// The request may have reached the server (timeout, reset, broken body).
    Failed,
    /// The server answered.
    Status { status: StatusCode, retry_after: Option<Duration> },
}

/// The policy's verdict on an attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Decision {
    Retry(Duration),
    GiveUp,
    /// A 429 asked for a wait longer than the policy allows.
    WaitTooLong(Duration),
}

#[cfg(test)]
#[path = "../tests/unit/retry.rs"]
mod tests;
