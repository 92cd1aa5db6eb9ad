//! Reading HostUp's rate-limit headers, and the governor that keeps a client inside the budget.
//!
//! HostUp sends `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (an ISO 8601
//! time; epoch or delta seconds are accepted too), and `Retry-After` (seconds or an HTTP date) on
//! a 429. The governor is shared by every clone of a client: once the server says the budget is
//! spent, new requests wait for the reset instead of provoking 429s.

use std::pin::pin;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::time::{Duration, SystemTime};

use futures::future;
use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};
use tokio::sync::Notify;
use tokio::time::Instant;

/// The rate-limit budget the server reported on its latest response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
        let number = |name: &HeaderName| header_str(headers, name).and_then(|v| v.parse::<u64>().ok());
        let limit = RateLimit {
            limit: number(&LIMIT),
            remaining: number(&REMAINING),
            reset: header_str(headers, &RESET).and_then(|v| parse_reset(v, SystemTime::now())),
        };
        (limit != RateLimit { limit: None, remaining: None, reset: None }).then_some(limit)
    }
}

// Named once: looking a header up by `&str` parses the name on every call.
const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

fn header_str<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
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
        now.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
    } else {
        SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
    }
}

/// Parses `Retry-After`: delta seconds or an HTTP date. Malformed or negative values give `None`.
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = header_str(headers, &RETRY_AFTER)?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (0.0..1e9).contains(&seconds).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// How long a 429 holds requests back: `Retry-After`, cut short to the announced reset (plus the
/// header's precision) when the answer states one that agrees with it. HostUp's docs say to retry
/// once the limit resets, and `Retry-After` is whole seconds rounded up: waiting it out in full
/// sends the retry up to a second into the next window, where it meets the other requests of that
/// window. A reset that disagrees with `Retry-After` by more than its rounding (a skewed clock) is
/// not trusted.
pub(crate) fn wait_after_429(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let retry_after = parse_retry_after(headers, now);
    let until_reset = header_str(headers, &RESET).and_then(|value| {
        let ahead = parse_reset(value, now)?.duration_since(now).ok()?;
        Some(ahead + reset_precision(value) + Duration::from_millis(1))
    });
    match (retry_after, until_reset) {
        (Some(stated), Some(reset)) if reset < stated && reset + Duration::from_secs(1) >= stated => {
            Some(reset)
        }
        (stated, _) => stated,
    }
}

/// Converts a wall-clock time into a tokio instant (so paused test clocks work). Times past a
/// century from now are held at a century, so adding to them cannot overflow.
fn instant_at(time: SystemTime) -> Instant {
    let now = Instant::now();
    match time.duration_since(SystemTime::now()) {
        Ok(ahead) => now + ahead.min(Duration::from_secs(100 * 365 * 86_400)),
        Err(behind) => now.checked_sub(behind.duration()).unwrap_or(now),
    }
}

/// How precisely a `X-RateLimit-Reset` value states the reset: to its last fractional digit
/// (`…56.000Z` is to the millisecond), or to the second.
fn reset_precision(value: &str) -> Duration {
    let digits = value
        .split_once('.')
        .map_or(0, |(_, fraction)| fraction.bytes().take_while(u8::is_ascii_digit).count().min(9) as u32);
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
    /// Requests waiting in [`Governor::acquire`]; answers wake nobody when there are none.
    waiting: AtomicUsize,
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
    fn observe(
        &mut self,
        reported: Option<RateLimit>,
        precision: Option<Duration>,
        retry_after_429: Option<Duration>,
    ) -> bool {
        let before = (self.remaining, self.reset_at, self.unreported);
        self.in_flight = self.in_flight.saturating_sub(1);
        self.probe_sent = None;
        let now = Instant::now();
        if let Some(wait) = retry_after_429 {
            // An absurd Retry-After must not overflow the clock.
            let until = now.checked_add(wait).unwrap_or(now + Duration::from_secs(86_400 * 365));
            self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
        }
        match reported {
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
                if precision.is_some() {
                    self.precision = precision;
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
        // Resets of one window agree to within the header's precision.
        let tolerance = self.grace();
        if reset.is_some_and(|r| r + tolerance <= now) {
            // An answer from a window that has ended says nothing about this one.
            return;
        }
        let newer = matches!((reset, self.reset_at), (Some(new), Some(current)) if new > current + tolerance);
        if let Some(server_remaining) = rl.remaining {
            self.remaining = Some(match self.remaining {
                // The server moved to a window we have not counted in: some of our requests on
                // the wire may count in it.
                Some(_) if newer => server_remaining.saturating_sub(self.in_flight),
                // Our count is exact for our requests; a lower figure means others spend too. (Taking
                // our requests on the wire off that figure as well left budget idle at the end of
                // windows shared with another client, in the benchmarks.)
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
        if let Next::Go = self.lock().next(Instant::now()) {
            return Ok(Permit { governor: self, done: false });
        }
        // Counted, and registered for wake-ups, before the state is read again, so an answer in
        // between is not missed.
        self.waiting.fetch_add(1, SeqCst);
        let _counted = Waiting(&self.waiting);
        loop {
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

/// Takes a request off the waiting count however `acquire` ends (dropped futures included).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, SeqCst);
    }
}

impl Governor {
    fn wake(&self) {
        if self.waiting.load(SeqCst) > 0 {
            self.changed.notify_waiters();
        }
    }
}

impl Permit<'_> {
    /// Releases the slot with the response's headers; returns the budget they reported.
    pub fn complete(mut self, headers: &HeaderMap, retry_after_429: Option<Duration>) -> Option<RateLimit> {
        self.done = true;
        let reported = RateLimit::from_headers(headers);
        let precision = header_str(headers, &RESET).map(reset_precision);
        let changed = self.governor.lock().observe(reported, precision, retry_after_429);
        if changed {
            self.governor.wake();
        }
        reported
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
            self.governor.wake();
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

    /// Headers as the sandbox and HostUp send them: the reset as an ISO time to the millisecond.
    fn budget(limit: u64, remaining: u64, reset_in: Duration) -> HeaderMap {
        let reset = humantime::format_rfc3339_millis(SystemTime::now() + reset_in).to_string();
        headers(&[
            ("x-ratelimit-limit", &limit.to_string()),
            ("x-ratelimit-remaining", &remaining.to_string()),
            ("x-ratelimit-reset", &reset),
        ])
    }

    /// A permit granted without waiting, or `None`.
    fn now(g: &Governor) -> Option<Permit<'_>> {
        use futures::FutureExt;
        g.acquire(Instant::now() + Duration::from_secs(600)).now_or_never().map(Result::unwrap)
    }

    /// Regression (benchmarks, fan-out): with the budget unknown, every request of a burst went
    /// out at once and most of them came back 429.
    #[tokio::test(start_paused = true)]
    async fn an_unknown_budget_sends_one_request_and_the_rest_wait_for_its_answer() {
        let g = Governor::default();
        let probe = now(&g).expect("the first request goes");
        assert!(now(&g).is_none(), "the others wait for the first answer");
        probe.complete(&budget(3, 2, Duration::from_secs(10)), None);
        let (a, b) = (now(&g).unwrap(), now(&g).unwrap());
        assert!(now(&g).is_none(), "the window's budget is spent");
        drop((a, b));

        // A server that reports no budget is not held to one request at a time.
        let g = Governor::default();
        now(&g).unwrap().complete(&HeaderMap::new(), None);
        let _many: Vec<_> = (0..10).map(|_| now(&g).unwrap()).collect();
    }

    /// Regression (benchmarks, fan-out): requests on the wire were taken off the server's
    /// `remaining` although the server had already counted them, leaving ~15 % of every window
    /// idle at 32 requests in flight.
    #[tokio::test(start_paused = true)]
    async fn requests_the_server_already_counted_are_not_taken_off_twice() {
        let g = Governor::default();
        now(&g).unwrap().complete(&budget(10, 9, Duration::from_secs(10)), None);
        let mut wire: Vec<_> = (0..5).map(|_| now(&g).unwrap()).collect();
        // The server has counted all five: 4 left, and 4 still on the wire from our side.
        wire.pop().unwrap().complete(&budget(10, 4, Duration::from_secs(10)), None);
        let more: Vec<_> = (0..4).map(|_| now(&g).unwrap()).collect();
        assert_eq!(more.len(), 4);
        assert!(now(&g).is_none());
        // Someone else spends the same budget: a lower figure from the server wins.
        let g = Governor::default();
        now(&g).unwrap().complete(&budget(10, 9, Duration::from_secs(10)), None);
        now(&g).unwrap().complete(&budget(10, 2, Duration::from_secs(10)), None);
        let _two = (now(&g).unwrap(), now(&g).unwrap());
        assert!(now(&g).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_window_opens_whole_just_after_the_reset_and_stale_answers_are_ignored() {
        let g = Governor::default();
        now(&g).unwrap().complete(&budget(3, 2, Duration::from_secs(1)), None);
        for p in [now(&g).unwrap(), now(&g).unwrap()] {
            p.complete(&budget(3, 0, Duration::from_secs(1)), None);
        }
        let started = Instant::now();
        let first = g.acquire(started + Duration::from_secs(60)).await.unwrap();
        let waited = Instant::now() - started;
        assert!(waited >= Duration::from_millis(999) && waited < Duration::from_millis(1010), "{waited:?}");
        // A late answer from the ended window does not shrink the new one.
        let ended = humantime::format_rfc3339_millis(SystemTime::now() - Duration::from_secs(1)).to_string();
        let stale = headers(&[
            ("x-ratelimit-limit", "3"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &ended),
        ]);
        first.complete(&stale, None);
        let _rest = (now(&g).unwrap(), now(&g).unwrap());
        assert!(now(&g).is_none(), "three per window");
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_requests_are_woken_by_the_answer_not_by_a_timer() {
        let g = Governor::default();
        let probe = now(&g).unwrap();
        let started = Instant::now();
        let waiters = futures::future::join_all((0..5).map(|_| g.acquire(started + Duration::from_secs(60))));
        let answer = async {
            tokio::task::yield_now().await;
            probe.complete(&budget(10, 9, Duration::from_secs(10)), None);
        };
        let (permits, ()) = futures::join!(waiters, answer);
        assert!(permits.iter().all(Result::is_ok));
        assert!(Instant::now() - started < Duration::from_millis(10), "woken by the patience timer");
        assert_eq!(g.waiting.load(SeqCst), 0);
    }

    /// Regression (benchmarks, two clients sharing a budget): a 429 near the end of a window held
    /// the retry, and the whole client, for the rounded-up second of `Retry-After`, into the tail
    /// of the next window; some calls met a 429 three times and failed.
    #[test]
    fn a_429_waits_until_the_announced_reset_when_it_agrees_with_retry_after() {
        let now = SystemTime::now();
        let at = |ahead: Duration| humantime::format_rfc3339_millis(now + ahead).to_string();
        let wait = |retry_after: &str, reset: Option<String>| {
            let mut pairs = vec![("retry-after", retry_after.to_string())];
            pairs.extend(reset.map(|r| ("x-ratelimit-reset", r)));
            let pairs: Vec<_> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            wait_after_429(&headers(&pairs), now)
        };
        let soon = wait("1", Some(at(Duration::from_millis(50)))).unwrap();
        assert!(soon >= Duration::from_millis(50) && soon <= Duration::from_millis(53), "{soon:?}");
        assert_eq!(wait("1", None), Some(Duration::from_secs(1)));
        // A reset far from what `Retry-After` says (a skewed clock) is not trusted.
        assert_eq!(wait("30", Some(at(Duration::from_secs(2)))), Some(Duration::from_secs(30)));
        let past = humantime::format_rfc3339_millis(now - Duration::from_secs(5)).to_string();
        assert_eq!(wait("1", Some(past)), Some(Duration::from_secs(1)));
    }

    #[test]
    fn a_reset_ages_away_never_overflows_the_clock() {
        let far = SystemTime::now().checked_add(Duration::from_secs(1 << 62)).unwrap();
        let at = instant_at(far);
        assert!(at > Instant::now() + Duration::from_secs(50 * 365 * 86_400));
        let _later = at + Duration::from_secs(3600);
    }
}
