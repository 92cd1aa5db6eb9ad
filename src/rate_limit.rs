//! Reading HostUp's rate-limit headers, and the governor that keeps a client inside the budget.
//!
//! HostUp sends `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (an ISO 8601
//! time; epoch or delta seconds are accepted too), and `Retry-After` (seconds or an HTTP date) on
//! a 429. The governor is shared by every clone of a client: once the server says the budget is
//! spent, new requests wait for the reset instead of provoking 429s.

use std::pin::pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use futures::future;
use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The rate-limit budget the server reported on its latest response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in the window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// When the window resets (`X-RateLimit-Reset`).
    pub reset: Option<SystemTime>,
}

impl RateLimit {
    /// Reads the `X-RateLimit-*` headers; `None` when none of them is present and well formed.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number = |name: &str| header_str(headers, name).and_then(|v| v.parse::<u64>().ok());
        let limit = RateLimit {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: header_str(headers, "x-ratelimit-reset").and_then(|v| parse_reset(v, SystemTime::now())),
        };
        (limit != RateLimit { limit: None, remaining: None, reset: None }).then_some(limit)
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// Parses `X-RateLimit-Reset`: an ISO 8601 time (what HostUp documents), epoch seconds, or seconds
/// from now (small numbers).
pub fn parse_reset(value: &str, now: SystemTime) -> Option<SystemTime> {
    if let Ok(time) = humantime::parse_rfc3339_weak(value) {
        return Some(time);
    }
    let seconds: f64 = value.parse().ok().filter(|s: &f64| s.is_finite() && *s >= 0.0)?;
    // Anything below ~1 year of seconds is a delta; larger numbers are a Unix time.
    if seconds < 31_536_000.0 {
        now.checked_add(Duration::from_secs_f64(seconds))
    } else {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs_f64(seconds))
    }
}

/// Parses `Retry-After`: delta seconds or an HTTP date. Malformed or negative values give `None`.
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = header_str(headers, "retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (0.0..1e9).contains(&seconds).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Converts a wall-clock time into a tokio instant (so paused test clocks work).
fn instant_at(time: SystemTime) -> Instant {
    let now = Instant::now();
    match time.duration_since(SystemTime::now()) {
        Ok(ahead) => now + ahead,
        Err(behind) => now.checked_sub(behind.duration()).unwrap_or(now),
    }
}

/// How precisely a `X-RateLimit-Reset` value states the reset: to its last fractional digit
/// (`…56.000Z` is to the millisecond), or to the second.
fn reset_precision(value: &str) -> Duration {
    let digits = value.split_once('.').map_or(0, |(_, fraction)| {
        fraction.bytes().take_while(u8::is_ascii_digit).count().min(9) as u32
    });
    Duration::from_nanos(10u64.pow(9 - digits))
}

/// How long requests wait for the first answer when the budget is unknown before they are let
/// through without one (a slow first call must not hold the others for its whole duration).
const PROBE_PATIENCE: Duration = Duration::from_secs(1);

/// Client-side budget shared by all clones of a client.
///
/// - Its own count is exact for its own requests, so within a window it only ever *lowers* its
///   count to the server's `X-RateLimit-Remaining` (someone else spends the same budget); it never
///   takes requests still on the wire off the server's figure a second time.
/// - While it knows nothing (the first call, or a spent budget with no reset announced), one
///   request goes out and the others wait for its answer instead of provoking a burst of 429s.
/// - A spent budget holds requests until the announced reset, plus the header's precision (a reset
///   stated to the millisecond may be up to a millisecond early), and then releases the whole next
///   window at once; waiters are woken by answers, not by polling.
#[derive(Debug, Default)]
pub(crate) struct Governor {
    state: Mutex<GovernorState>,
    /// Woken when an answer changed what the governor knows.
    changed: Notify,
}

#[derive(Debug, Default)]
struct GovernorState {
    latest: Option<RateLimit>,
    limit: Option<u64>,
    /// Requests we may still send in this window; `None` until the server tells us.
    remaining: Option<u64>,
    /// When the current window ends; `None` after we rolled into a window whose end we do not know.
    reset_at: Option<Instant>,
    /// The precision of the server's reset values (1 s until it sends fractions).
    precision: Option<Duration>,
    /// Nobody sends before this instant (set by a 429's `Retry-After`).
    blocked_until: Option<Instant>,
    in_flight: u64,
    /// When a request went out to learn an unknown budget; cleared by any answer.
    probe_sent: Option<Instant>,
    /// An answer came without rate-limit headers: the server keeps no budget we can see.
    unreported: bool,
}

/// What [`GovernorState::next`] decided for one request.
enum Next {
    Go,
    /// Wait until this instant, when the budget opens.
    Until(Instant),
    /// Wait for an answer, or until this instant at the latest.
    Answer(Instant),
}

impl GovernorState {
    /// Margin past an announced reset, so the first request of a window never arrives early.
    fn grace(&self) -> Duration {
        self.precision.unwrap_or(Duration::from_secs(1)) + Duration::from_millis(1)
    }

    fn next(&mut self, now: Instant) -> Next {
        if self.blocked_until.is_some_and(|t| t <= now) {
            self.blocked_until = None;
        }
        if let Some(until) = self.blocked_until {
            return Next::Until(until);
        }
        if let Some(reset) = self.reset_at
            && reset + self.grace() <= now
        {
            // A new window: the full limit, less what is still on the wire.
            self.remaining = self.limit.map(|l| l.saturating_sub(self.in_flight));
            self.reset_at = None;
        }
        match self.remaining {
            Some(0) => match self.reset_at {
                Some(reset) => Next::Until(reset + self.grace()),
                // Spent, and no reset known: the answers on the wire will tell; if none is
                // coming, one request finds out.
                None if self.in_flight == 0 => self.go(),
                None => Next::Answer(now + PROBE_PATIENCE),
            },
            Some(n) => {
                self.remaining = Some(n - 1);
                self.go()
            }
            None if self.unreported || self.in_flight == 0 => {
                if !self.unreported {
                    self.probe_sent = Some(now);
                }
                self.go()
            }
            // Unknown budget with a request out to learn it: wait for its answer, not forever.
            None => match self.probe_sent {
                Some(sent) if sent + PROBE_PATIENCE <= now => self.go(),
                Some(sent) => Next::Answer(sent + PROBE_PATIENCE),
                None => Next::Answer(now + PROBE_PATIENCE),
            },
        }
    }

    fn go(&mut self) -> Next {
        self.in_flight += 1;
        Next::Go
    }

    /// Records one answer; true when it changed what waiting requests should look at.
    fn observe(&mut self, headers: &HeaderMap, retry_after_429: Option<Duration>) -> bool {
        let before = (self.remaining, self.reset_at, self.unreported);
        self.in_flight = self.in_flight.saturating_sub(1);
        self.probe_sent = None;
        let now = Instant::now();
        if let Some(wait) = retry_after_429 {
            let until = now + wait;
            self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
        }
        match RateLimit::from_headers(headers) {
            None => {
                if self.limit.is_none() && self.remaining.is_none() {
                    self.unreported = true;
                }
            }
            Some(rl) => {
                self.unreported = false;
                self.latest = Some(rl);
                if rl.limit.is_some() {
                    self.limit = rl.limit;
                }
                if let Some(value) = header_str(headers, "x-ratelimit-reset") {
                    self.precision = Some(reset_precision(value));
                }
                self.reconcile(rl, now);
            }
        }
        let after = (self.remaining, self.reset_at, self.unreported);
        before != after || self.in_flight == 0
    }

    /// Takes the server's `remaining` and reset into account.
    fn reconcile(&mut self, rl: RateLimit, now: Instant) {
        let reset = rl.reset.map(instant_at);
        let (grace, tolerance) = (self.grace(), self.grace());
        if reset.is_some_and(|r| r + grace <= now) {
            // An answer from a window that has ended says nothing about this one.
            return;
        }
        let newer = matches!((reset, self.reset_at), (Some(new), Some(current)) if new > current + tolerance);
        if let Some(server_remaining) = rl.remaining {
            self.remaining = Some(match self.remaining {
                // The server moved to a window we have not counted in: some of our requests on
                // the wire may count in it.
                Some(_) if newer => server_remaining.saturating_sub(self.in_flight),
                // Our count is exact for our requests; a lower figure means others spend too.
                Some(current) => current.min(server_remaining),
                None => server_remaining.saturating_sub(self.in_flight),
            });
        }
        self.reset_at = match (reset, self.reset_at) {
            (Some(new), Some(current)) if newer || new + tolerance < current => Some(new),
            (Some(new), Some(current)) => Some(new.max(current)),
            (new, current) => new.or(current),
        };
    }
}

/// A granted slot. Dropping it without a response (transport error) frees it.
pub(crate) struct Permit<'a> {
    governor: &'a Governor,
    done: bool,
}

impl Governor {
    /// The budget from the latest response that carried rate-limit headers.
    pub fn latest(&self) -> Option<RateLimit> {
        self.lock().latest
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, GovernorState> {
        // A panic while holding this lock cannot leave the state inconsistent; keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the budget allows one more request, or returns the wait that would pass
    /// `deadline`.
    pub async fn acquire(&self, deadline: Instant) -> Result<Permit<'_>, Duration> {
        loop {
            // Registered before the state is read, so an answer in between is not missed.
            let mut changed = pin!(self.changed.notified());
            changed.as_mut().enable();
            let now = Instant::now();
            let next = self.lock().next(now);
            let wake_at = match next {
                Next::Go => return Ok(Permit { governor: self, done: false }),
                Next::Until(until) if until > deadline => return Err(until - now),
                Next::Until(until) => {
                    tracing::debug!(
                        wait_ms = (until - now).as_millis() as u64,
                        "rate-limit budget spent; waiting for the reset"
                    );
                    until
                }
                Next::Answer(_) if now >= deadline => return Err(Duration::ZERO),
                Next::Answer(at_latest) => at_latest.min(deadline),
            };
            let sleep = pin!(tokio::time::sleep_until(wake_at));
            future::select(changed, sleep).await;
        }
    }
}

impl Permit<'_> {
    /// Releases the slot with the response's headers.
    pub fn complete(mut self, headers: &HeaderMap, retry_after_429: Option<Duration>) {
        self.done = true;
        let changed = self.governor.lock().observe(headers, retry_after_429);
        if changed {
            self.governor.changed.notify_waiters();
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            {
                let mut s = self.governor.lock();
                s.in_flight = s.in_flight.saturating_sub(1);
                s.probe_sent = None;
            }
            self.governor.changed.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn reset_accepts_iso_epoch_and_delta() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_777_000_000);
        let iso = parse_reset("2026-04-27T12:35:56.000Z", now).unwrap();
        assert_eq!(iso, humantime::parse_rfc3339("2026-04-27T12:35:56Z").unwrap());
        assert_eq!(
            parse_reset("1777000060", now).unwrap(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_777_000_060)
        );
        assert_eq!(parse_reset("30", now).unwrap(), now + Duration::from_secs(30));
        assert_eq!(parse_reset("soon", now), None);
        assert_eq!(parse_reset("-5", now), None);
    }

    #[test]
    fn retry_after_seconds_date_and_garbage() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "7")]), now), Some(Duration::from_secs(7)));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&headers(&[("retry-after", &date)]), now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "-3")]), now), None);
        assert_eq!(parse_retry_after(&headers(&[("retry-after", "tomorrow")]), now), None);
        assert_eq!(parse_retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn rate_limit_from_headers() {
        let rl = RateLimit::from_headers(&headers(&[
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", "7"),
            ("x-ratelimit-reset", "2026-04-27T12:35:56.000Z"),
        ]))
        .unwrap();
        assert_eq!((rl.limit, rl.remaining), (Some(100), Some(7)));
        assert!(rl.reset.is_some());
        assert_eq!(RateLimit::from_headers(&headers(&[("x-ratelimit-limit", "lots")])), None);
    }

    #[tokio::test(start_paused = true)]
    async fn spent_budget_waits_for_reset() {
        let g = Governor::default();
        let far = Instant::now() + Duration::from_secs(60);
        let p = g.acquire(far).await.unwrap();
        let reset = httpdate::fmt_http_date(SystemTime::now()); // unused format check
        let _ = reset;
        let in_two = SystemTime::now() + Duration::from_secs(2);
        let iso = humantime::format_rfc3339_millis(in_two).to_string();
        p.complete(
            &headers(&[
                ("x-ratelimit-limit", "5"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", &iso),
            ]),
            None,
        );
        let before = Instant::now();
        let _p = g.acquire(far).await.unwrap();
        assert!(Instant::now() - before >= Duration::from_millis(1900));
    }

    #[tokio::test(start_paused = true)]
    async fn wait_past_deadline_is_refused() {
        let g = Governor::default();
        let p = g.acquire(Instant::now() + Duration::from_secs(1)).await.unwrap();
        p.complete(&HeaderMap::new(), Some(Duration::from_secs(30)));
        let err = g.acquire(Instant::now() + Duration::from_secs(5)).await.err().unwrap();
        assert!(err > Duration::from_secs(20));
    }
}
