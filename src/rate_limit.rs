//! Reading HostUp's rate-limit headers, and the governor that keeps a client inside the budget.
//!
//! HostUp sends `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (an ISO 8601
//! time; epoch or delta seconds are accepted too), and `Retry-After` (seconds or an HTTP date) on
//! a 429. The governor is shared by every clone of a client: once the server says the budget is
//! spent, new requests wait for the reset instead of provoking 429s.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
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
        Err(_) => now,
    }
}

/// Client-side budget shared by all clones of a client.
#[derive(Debug, Default)]
pub(crate) struct Governor {
    state: Mutex<GovernorState>,
}

#[derive(Debug, Default)]
struct GovernorState {
    latest: Option<RateLimit>,
    limit: Option<u64>,
    /// Requests we may still send in this window; `None` until the server tells us.
    remaining: Option<u64>,
    reset_at: Option<Instant>,
    /// Nobody sends before this instant (set by a 429's `Retry-After`).
    blocked_until: Option<Instant>,
    in_flight: u64,
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
            let wait_until = {
                let mut s = self.lock();
                let now = Instant::now();
                if s.blocked_until.is_some_and(|t| t <= now) {
                    s.blocked_until = None;
                }
                if let (Some(reset), Some(_)) = (s.reset_at, s.remaining)
                    && reset <= now
                {
                    // A new window: the full limit, less what is already on the wire.
                    s.remaining = s.limit.map(|l| l.saturating_sub(s.in_flight));
                    s.reset_at = None;
                }
                match (s.blocked_until, s.remaining) {
                    (Some(until), _) => until,
                    (None, Some(0)) => match s.reset_at {
                        Some(reset) => reset,
                        // Spent, but no reset announced: let one request find out.
                        None if s.in_flight == 0 => {
                            s.in_flight += 1;
                            return Ok(Permit { governor: self, done: false });
                        }
                        None => now + Duration::from_millis(50),
                    },
                    (None, remaining) => {
                        s.remaining = remaining.map(|r| r - 1);
                        s.in_flight += 1;
                        return Ok(Permit { governor: self, done: false });
                    }
                }
            };
            if wait_until > deadline {
                return Err(wait_until - Instant::now());
            }
            tracing::debug!(
                wait_ms = (wait_until - Instant::now()).as_millis() as u64,
                "rate-limit budget spent; waiting for the reset"
            );
            tokio::time::sleep_until(wait_until).await;
        }
    }

    /// Records what a response said about the budget.
    fn observe(&self, headers: &HeaderMap, retry_after_429: Option<Duration>) {
        let mut s = self.lock();
        s.in_flight = s.in_flight.saturating_sub(1);
        if let Some(wait) = retry_after_429 {
            let until = Instant::now() + wait;
            s.blocked_until = Some(s.blocked_until.map_or(until, |b| b.max(until)));
        }
        let Some(rl) = RateLimit::from_headers(headers) else { return };
        s.latest = Some(rl);
        if rl.limit.is_some() {
            s.limit = rl.limit;
        }
        let reset_at = rl.reset.map(instant_at);
        if let Some(server_remaining) = rl.remaining {
            // Requests still on the wire may not be counted by the server yet.
            let believed = server_remaining.saturating_sub(s.in_flight);
            let new_window = match (reset_at, s.reset_at) {
                (Some(new), Some(old)) => new > old + Duration::from_millis(500),
                _ => true,
            };
            s.remaining = Some(match (new_window, s.remaining) {
                (false, Some(current)) => current.min(believed),
                _ => believed,
            });
        }
        if reset_at.is_some() {
            s.reset_at = reset_at;
        }
    }
}

impl Permit<'_> {
    /// Releases the slot with the response's headers.
    pub fn complete(mut self, headers: &HeaderMap, retry_after_429: Option<Duration>) {
        self.done = true;
        self.governor.observe(headers, retry_after_429);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut s = self.governor.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
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
