//! The governor: keeps every clone of a client inside the server's rate-limit budget.
//!
//! - Its own count is exact for its own requests, so within a window it only ever *lowers* its
//!   count to the server's `X-RateLimit-Remaining` (someone else spends the same budget); it never
//!   takes requests still on the wire off the server's figure a second time. Without any reset to
//!   tell windows apart, the server's figure wins, so a budget reported spent recovers as soon as
//!   the server reports it open again.
//! - While it knows nothing (the first call, or a spent budget with no reset announced), one
//!   request goes out and the others wait for its answer instead of provoking a burst of 429s.
//! - A spent budget holds requests until the announced reset on the server's clock
//!   ([`ServerClock`]), plus the header's precision, then releases the next window at once; waiters
//!   are woken by answers, not by polling. While the server's clock is known only to within its
//!   `Date`'s second, one request per window probes at the middle of that uncertainty, and its
//!   answer halves it. Better: while that uncertainty lasts, a window's last few slots (up to an
//!   eighth) go out one at a time spread over where the server's `Date` may tick to its next
//!   second, before the window can end; on which side of the tick each answer lands narrows the
//!   clock to a few ms for free, so the next window's start is not waited out in full. A window
//!   that rolled over on the governor's own count keeps them until an answer tells its end.
//! - No hold outlasts the policy's longest `Retry-After` (`hold_cap`): after it, one request
//!   probes again.

use std::pin::pin;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::SeqCst;
use std::time::Duration;

use futures::future;
use reqwest::header::HeaderMap;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::headers::{self, RateLimit};
use crate::clock::{ServerClock, after, unix_ms};

/// How long requests wait for the first answer when the budget is unknown before they are let
/// through without one (a slow first call must not hold the others for its whole duration).
const PROBE_PATIENCE: Duration = Duration::from_secs(1);
/// Below this uncertainty about the server's clock, no early probe is worth a possible 429.
const PROBE_SPREAD: Duration = Duration::from_millis(25);
/// Below this uncertainty (ms), reading `Date` ticks is not worth holding a slot back.
const SAMPLE_SPREAD: i64 = 4;
/// Reserved slots all go at the latest this long before the window may end.
const SAMPLE_MARGIN: Duration = Duration::from_millis(25);

/// Client-side budget shared by all clones of a client. See the [module docs](self).
#[derive(Debug)]
pub(crate) struct Governor {
    state: Mutex<State>,
    /// Woken when an answer changed what the governor knows.
    changed: Notify,
    /// Requests waiting in [`Governor::acquire`]; answers wake nobody when there are none.
    waiting: AtomicUsize,
}

#[derive(Debug, Default)]
struct State {
    clock: ServerClock,
    /// The longest hold (the policy's longest `Retry-After`).
    cap: Duration,
    latest: Option<RateLimit>,
    limit: Option<u64>,
    /// Requests we may still send in this window; `None` until the server tells us.
    remaining: Option<u64>,
    /// When the current window ends (server Unix ms); `None` when unknown.
    reset: Option<i64>,
    /// `remaining` is our own count from the limit, in a window whose end we do not know yet.
    rolled: bool,
    /// `reset` is ours: the server's was too far ahead, so the budget is found out again then.
    capped: bool,
    /// The precision of the server's reset values in ms (a second until it sends fractions).
    precision: Option<i64>,
    /// Nobody sends before this instant (a 429's `Retry-After`, or a hold at the cap).
    blocked_until: Option<Instant>,
    in_flight: u64,
    /// When a request went out to learn an unknown budget; cleared by any answer.
    probe_sent: Option<Instant>,
    /// The reset whose early probe went out (one per window).
    probed: Option<i64>,
    /// An answer came without rate-limit headers: the server keeps no budget we can see.
    unreported: bool,
}

/// What [`State::next`] decided for one request.
enum Next {
    Go,
    /// Wait until this instant, when the budget opens.
    Until(Instant),
    /// Wait for an answer, or until this instant at the latest.
    Answer(Instant),
}

/// What an answer said that the retry loop needs.
pub(crate) struct Answer {
    /// The `X-RateLimit-*` figures, when sent.
    pub reported: Option<RateLimit>,
    /// `Retry-After` judged on the server's clock (for a 429, cut to an agreeing reset).
    pub retry_after: Option<Duration>,
}

impl State {
    /// Tolerance of the server's reset values, in ms.
    fn grace(&self) -> i64 {
        self.precision.unwrap_or(1000) + 1
    }

    /// The latest local instant at which the window ending at `reset` may still be open.
    fn opens(&self, reset: i64) -> Instant {
        self.clock.latest(reset.saturating_add(self.grace()))
    }

    fn next(&mut self, now: Instant) -> Next {
        match self.blocked_until {
            Some(until) if until > now => return Next::Until(until),
            _ => self.blocked_until = None,
        }
        if self.reset.is_some_and(|reset| self.opens(reset) <= now) {
            // A new window: the full limit, less what is still on the wire.
            self.remaining = self.limit.map(|l| l.saturating_sub(self.in_flight)).filter(|_| !self.capped);
            (self.reset, self.rolled, self.capped) = (None, !self.capped, false);
        }
        match (self.remaining, self.reset) {
            (Some(0), Some(reset)) => {
                let (opens, earliest) = (self.opens(reset), self.clock.earliest(reset));
                let mid = earliest + opens.saturating_duration_since(earliest) / 2;
                if self.probed == Some(reset) || opens - mid < PROBE_SPREAD / 2 || self.in_flight > 0 {
                    Next::Until(opens)
                } else if now < mid {
                    Next::Until(mid)
                } else {
                    self.probed = Some(reset);
                    self.go()
                }
            }
            // Spent, and no reset known: the answers on the wire will tell; if none is coming,
            // one request finds out.
            (Some(0), None) if self.in_flight == 0 => self.go(),
            (Some(0), None) => Next::Answer(now + PROBE_PATIENCE),
            // Kept back whether or not other requests are queued yet: in a burst, calls that
            // arrive after the first answer would otherwise spend them all at once.
            (Some(n), Some(reset)) if n <= self.reserve() => {
                self.sample(now, n, reset).unwrap_or_else(|| self.take(n, now))
            }
            // A window that rolled over on our own count: its end is unknown until an answer
            // tells it, and the slots kept for reading the clock must outlast that.
            (Some(n), None)
                if self.rolled && n <= self.reserve() && self.in_flight > 0 && self.spread().is_some() =>
            {
                Next::Answer(now + PROBE_PATIENCE)
            }
            (Some(n), _) => self.take(n, now),
            (None, _) if self.unreported || self.in_flight == 0 => {
                if !self.unreported {
                    self.probe_sent = Some(now);
                }
                self.go()
            }
            // Unknown budget with a request out to learn it: wait for its answer, not forever.
            (None, _) => match self.probe_sent {
                Some(sent) if sent + PROBE_PATIENCE <= now => self.go(),
                Some(sent) => Next::Answer(sent + PROBE_PATIENCE),
                None => Next::Answer(now + PROBE_PATIENCE),
            },
        }
    }

    /// Takes one of the `n` slots left in the window.
    fn take(&mut self, n: u64, now: Instant) -> Next {
        self.remaining = Some(n - 1);
        self.cap_far_reset(now);
        self.go()
    }

    /// How loosely (ms) the server's clock is known, when that is worth reading its `Date` ticks.
    fn spread(&self) -> Option<i64> {
        self.clock.uncertainty().filter(|ms| *ms > SAMPLE_SPREAD)
    }

    /// Slots of a window kept back to read the server's clock (see the [module docs](self)).
    fn reserve(&self) -> u64 {
        self.limit.map_or(0, |limit| (limit / 8).min(32))
    }

    /// For one of the last `left` slots of the window ending at `reset`: wait, so that it reads
    /// the server's `Date` where its second may tick, or `None` to send it now. One at a time
    /// (each answer places the next), spaced to cover the clock's uncertainty with the slots left,
    /// and all sent before the window may end.
    fn sample(&self, now: Instant, left: u64, reset: i64) -> Option<Next> {
        let spread = self.spread()?;
        let deadline = self.clock.earliest(reset).checked_sub(SAMPLE_MARGIN).filter(|d| *d > now)?;
        if self.in_flight > 0 {
            return Some(Next::Answer(deadline));
        }
        let step = (spread / (left as i64 + 1)).max(1);
        let at = self.clock.tick_test(now, step, step / 2);
        (at > now && at < deadline).then_some(Next::Until(at))
    }

    fn go(&mut self) -> Next {
        self.in_flight += 1;
        Next::Go
    }

    fn release(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.probe_sent = None;
    }

    /// Records one answer; the flag is true when waiting requests should look again.
    fn observe(&mut self, headers: &HeaderMap, sent: Instant, is_429: bool) -> (Answer, bool) {
        let before = (self.remaining, self.reset, self.unreported, self.blocked_until);
        let arrived = Instant::now();
        self.release();
        self.clock.observe(headers::date(headers), sent, arrived);
        let server_now = self.clock.server_ms(arrived);
        let reported = RateLimit::read(headers, server_now);
        let retry_after = if is_429 {
            headers::wait_after_429(headers, server_now)
        } else {
            headers::retry_after(headers, server_now)
        };
        match reported {
            None if self.limit.is_none() && self.remaining.is_none() => self.unreported = true,
            None => {}
            Some(rl) => {
                self.unreported = false;
                self.latest = Some(rl);
                self.limit = rl.limit.or(self.limit);
                self.precision = headers::reset_precision(headers).or(self.precision);
                self.reconcile(rl.remaining, rl.reset.map(unix_ms), sent, arrived);
            }
        }
        if let Some(wait) = retry_after.filter(|_| is_429) {
            self.hold(after(arrived, wait.min(self.cap)), wait > self.cap);
        } else {
            self.cap_far_reset(arrived);
        }
        let changed = before != (self.remaining, self.reset, self.unreported, self.blocked_until);
        (Answer { reported, retry_after }, changed || self.in_flight == 0)
    }

    /// A spent budget whose reset is too far ahead to wait for ends, for us, after the cap from
    /// `from`; then one request finds out again.
    fn cap_far_reset(&mut self, from: Instant) {
        if self.remaining == Some(0) && self.reset.is_some_and(|r| self.opens(r) > after(from, self.cap)) {
            let held = self.clock.server_ms(after(from, self.cap)).saturating_sub(self.grace());
            (self.reset, self.capped) = (Some(held), true);
        }
    }

    /// Holds every request until `until`; `relearn`: then one request finds out the budget anew.
    fn hold(&mut self, until: Instant, relearn: bool) {
        self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
        if relearn {
            (self.remaining, self.reset) = (None, None);
        }
    }

    /// Takes the server's `remaining` and reset (server ms) into account.
    fn reconcile(&mut self, remaining: Option<u64>, reset: Option<i64>, sent: Instant, arrived: Instant) {
        let tolerance = self.grace();
        if let Some(reset) = reset {
            if reset.saturating_add(tolerance) <= self.clock.server_ms(arrived) {
                // An answer from a window that has ended says nothing about this one.
                return;
            }
            // The window was still open when the request left.
            self.clock.not_reached(reset, sent);
        }
        let newer = matches!((reset, self.reset), (Some(new), Some(current)) if new > current + tolerance);
        if let (true, false, Some(ended)) = (newer, self.capped, self.reset) {
            self.clock.reached(ended, arrived);
        }
        if let Some(server) = remaining {
            self.remaining = Some(match self.remaining {
                // Our count is exact for our requests in this window; a lower figure means others
                // spend too. (Taking our requests on the wire off that figure as well left budget
                // idle at the end of windows shared with another client, in the benchmarks.)
                Some(ours) if !newer && (self.reset.is_some() || self.rolled) => ours.min(server),
                // A window we have not counted in, or no reset to tell windows apart: the
                // server's figure, less our requests it may not have seen yet.
                _ => server.saturating_sub(self.in_flight),
            });
            self.rolled &= reset.is_none();
        }
        self.capped &= reset.is_none();
        self.reset = match (reset, self.reset) {
            (Some(new), Some(current)) if !newer && new + tolerance >= current => Some(new.max(current)),
            (new, current) => new.or(current),
        };
    }
}

/// A granted slot. Dropping it without an answer (transport error, dropped call) frees it.
pub(crate) struct Permit<'a> {
    governor: &'a Governor,
    sent: Instant,
    done: bool,
}

impl Governor {
    /// A governor whose holds last at most `hold_cap`.
    pub fn new(hold_cap: Duration) -> Self {
        let state = Mutex::new(State { cap: hold_cap, ..State::default() });
        Governor { state, changed: Notify::new(), waiting: AtomicUsize::new(0) }
    }

    /// The budget from the latest response that carried rate-limit headers.
    pub fn latest(&self) -> Option<RateLimit> {
        self.lock().latest
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state inconsistent; keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn permit(&self) -> Permit<'_> {
        Permit { governor: self, sent: Instant::now(), done: false }
    }

    /// Waits until the budget allows one more request, or returns the wait that would pass
    /// `deadline`.
    pub async fn acquire(&self, deadline: Instant) -> Result<Permit<'_>, Duration> {
        if let Next::Go = self.lock().next(Instant::now()) {
            return Ok(self.permit());
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
                Next::Go => return Ok(self.permit()),
                Next::Until(until) if until > deadline => return Err(until - now),
                Next::Until(until) => until,
                Next::Answer(_) if now >= deadline => return Err(Duration::ZERO),
                Next::Answer(at_latest) => at_latest.min(deadline),
            };
            let sleep = pin!(tokio::time::sleep_until(wake_at));
            future::select(changed, sleep).await;
        }
    }

    fn wake(&self) {
        if self.waiting.load(SeqCst) > 0 {
            self.changed.notify_waiters();
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

impl Permit<'_> {
    /// Releases the slot with the response's headers.
    pub fn complete(mut self, headers: &HeaderMap, is_429: bool) -> Answer {
        self.done = true;
        let (answer, changed) = self.governor.lock().observe(headers, self.sent, is_429);
        if changed {
            self.governor.wake();
        }
        answer
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.governor.lock().release();
            self.governor.wake();
        }
    }
}

#[cfg(test)]
#[path = "../../tests/unit/governor_model.rs"]
mod tests;
