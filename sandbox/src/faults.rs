//! Faults the sandbox injects, switchable while it runs: latency, 503s, dropped connections,
//! HTML error pages and a skewed clock. The dice come from a seeded generator, so a sequential test sees the same
//! faults on every run.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

#[derive(Clone, Copy, Debug, Default)]
struct Settings {
    latency: Duration,
    error_rate: f64,
    drop_rate: f64,
    html_errors: bool,
    clock_offset_secs: i64,
    failing_jobs: bool,
}

/// The fault knobs of a running [`Sandbox`](super::Sandbox), from
/// [`Sandbox::faults`](super::Sandbox::faults). All start off.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::{Duration, SystemTime};
/// let sandbox = hostup_sandbox::Sandbox::start().await;
/// sandbox.faults().set_latency(Duration::from_millis(20));
/// sandbox.faults().set_error_rate(0.25); // a quarter of the requests answer 503
/// sandbox.faults().clear();
/// # }
/// ```
#[derive(Debug)]
pub struct Faults {
    settings: Mutex<Settings>,
    rng: Mutex<fastrand::Rng>,
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Roll {
    pub latency: Duration,
    pub drop: bool,
    pub error: bool,
    pub html: bool,
}

fn rate(value: f64) -> f64 {
    if value.is_nan() { 0.0 } else { value.clamp(0.0, 1.0) }
}

impl Faults {
    pub(crate) fn new(seed: u64) -> Self {
        Faults { settings: Mutex::new(Settings::default()), rng: Mutex::new(fastrand::Rng::with_seed(seed)) }
    }

    fn settings(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.settings.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Delays every response by `latency` (default none).
    pub fn set_latency(&self, latency: Duration) {
        self.settings().latency = latency;
    }

    /// Answers this share of requests (0.0 to 1.0) with 503 `upstream_unavailable` instead of
    /// handling them.
    pub fn set_error_rate(&self, share: f64) {
        self.settings().error_rate = rate(share);
    }

    /// Closes the connection without any response for this share of requests (0.0 to 1.0), after
    /// the request was read: the client sees the connection break, not a status.
    pub fn set_drop_rate(&self, share: f64) {
        self.settings().drop_rate = rate(share);
    }

    /// Answers every error (4xx and 5xx) with an HTML page (`text/html`) instead of JSON, as a proxy
    /// in front of the API might. Status and headers are kept.
    pub fn set_html_errors(&self, on: bool) {
        self.settings().html_errors = on;
    }

    /// Skews the server's clock by `seconds` (negative: behind). The `Date` header, the
    /// `X-RateLimit-Reset` time and error timestamps are sent in the skewed time, as from a server
    /// whose clock is off; the budget itself still runs on real time. Default 0.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let sandbox = hostup_sandbox::Sandbox::start().await;
    /// sandbox.faults().set_clock_offset(-120); // the server's clock is two minutes behind
    /// assert_eq!(sandbox.faults().clock_offset(), -120);
    /// # }
    /// ```
    pub fn set_clock_offset(&self, seconds: i64) {
        self.settings().clock_offset_secs = seconds;
    }

    /// Makes every snapshot, backup and restore job started from now on end `failed` when it
    /// would have finished (default off); what it would have changed stays unchanged.
    pub fn set_failing_jobs(&self, on: bool) {
        self.settings().failing_jobs = on;
    }

    /// Whether new recovery jobs fail.
    pub fn failing_jobs(&self) -> bool {
        self.settings().failing_jobs
    }

    /// Switches every fault off (the clock offset back to 0 as well).
    pub fn clear(&self) {
        *self.settings() = Settings::default();
    }

    /// The current clock offset in seconds.
    pub fn clock_offset(&self) -> i64 {
        self.settings().clock_offset_secs
    }

    /// The server's time now: the real time moved by the clock offset.
    pub(crate) fn now(&self) -> SystemTime {
        skew(SystemTime::now(), self.clock_offset())
    }

    /// The current latency.
    pub fn latency(&self) -> Duration {
        self.settings().latency
    }

    /// The current 503 rate.
    pub fn error_rate(&self) -> f64 {
        self.settings().error_rate
    }

    /// The current drop rate.
    pub fn drop_rate(&self) -> f64 {
        self.settings().drop_rate
    }

    /// Whether errors are HTML pages.
    pub fn html_errors(&self) -> bool {
        self.settings().html_errors
    }

    /// Decides one request's faults. Both dice are thrown for every request, so the sequence of
    /// outcomes depends only on the seed and the request count.
    pub(crate) fn roll(&self) -> Roll {
        let s = *self.settings();
        let (drop_die, error_die) = {
            let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
            (rng.f64(), rng.f64())
        };
        Roll {
            latency: s.latency,
            drop: drop_die < s.drop_rate,
            error: error_die < s.error_rate,
            html: s.html_errors,
        }
    }
}

/// `time` moved by `seconds` (negative: earlier).
pub(crate) fn skew(time: SystemTime, seconds: i64) -> SystemTime {
    let by = Duration::from_secs(seconds.unsigned_abs());
    if seconds >= 0 { time + by } else { time.checked_sub(by).unwrap_or(SystemTime::UNIX_EPOCH) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_clamped_and_rolls_follow_the_seed() {
        let faults = Faults::new(1);
        faults.set_error_rate(7.0);
        faults.set_drop_rate(f64::NAN);
        assert_eq!((faults.error_rate(), faults.drop_rate()), (1.0, 0.0));
        assert!((0..20).all(|_| faults.roll().error));
        faults.set_error_rate(0.5);
        let (a, b) = (Faults::new(9), Faults::new(9));
        a.set_error_rate(0.5);
        b.set_error_rate(0.5);
        let run = |f: &Faults| (0..32).map(|_| f.roll().error).collect::<Vec<_>>();
        let first = run(&a);
        assert_eq!(first, run(&b));
        assert!(first.contains(&true) && first.contains(&false));
    }
}
