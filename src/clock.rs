//! Time as the server tells it, and instant arithmetic that cannot overflow.
//!
//! HostUp states its resets on its own clock. [`ServerClock`] keeps what the `Date` headers say
//! about that clock as bounds on its offset from the local monotonic clock (the approach of the AWS
//! SDK's clock-skew interceptor, with both bounds kept): an answer stamped `Date: D` (whole
//! seconds) between sending at `s` and arriving at `a` proves the offset lies in
//! `(D - a, D + 1 s - s)`. The local wall clock is believed while it lies within those bounds (a
//! synchronised clock is more precise than `Date`'s second; a 429 stamped before a reset it
//! passed narrows the bounds past it); otherwise waits use the lower bound, the latest moment the
//! server's words allow. So a skewed local clock never wedges the client or holds it longer than
//! the server said. Without any `Date`, the local wall clock stands in.

use std::time::{Duration, SystemTime};

use tokio::time::Instant;

/// The longest wait ever added to an instant: far beyond any real wait, far below overflow.
const LONGEST: Duration = Duration::from_secs(100 * 365 * 86_400);

/// `at + wait`, saturating (waits past a century are held at a century).
pub(crate) fn after(at: Instant, wait: Duration) -> Instant {
    at.checked_add(wait.min(LONGEST)).or_else(|| at.checked_add(Duration::from_secs(86_400))).unwrap_or(at)
}

/// Milliseconds since the Unix epoch of a wall-clock time (saturating; before 1970 is negative).
pub(crate) fn unix_ms(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// The wall-clock time of a Unix millisecond count (`None` before 1970 or beyond `SystemTime`).
pub(crate) fn system_time(ms: i64) -> Option<SystemTime> {
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_millis(u64::try_from(ms).ok()?))
}

/// Bounds on (server time − local time), in milliseconds, local time counted from `anchor`.
#[derive(Debug)]
pub(crate) struct ServerClock {
    anchor: Instant,
    /// The local wall clock's offset.
    wall: i64,
    lower: i64,
    upper: i64,
    /// True once an answer carried a `Date`; before that the local wall clock stands in.
    dated: bool,
}

impl Default for ServerClock {
    fn default() -> Self {
        let anchor = Instant::now();
        let offset = unix_ms(SystemTime::now());
        ServerClock { anchor, wall: offset, lower: offset, upper: offset, dated: false }
    }
}

impl ServerClock {
    fn local(&self, at: Instant) -> i64 {
        i64::try_from(at.saturating_duration_since(self.anchor).as_millis()).unwrap_or(i64::MAX)
    }

    /// Takes in one answer, sent at `sent` and arrived at `arrived`, with its `Date` if any.
    pub(crate) fn observe(&mut self, date: Option<SystemTime>, sent: Instant, arrived: Instant) {
        let Some(date) = date.map(unix_ms) else { return };
        let lower = date.saturating_sub(self.local(arrived));
        let upper = date.saturating_add(1000).saturating_sub(self.local(sent));
        if !self.dated || lower >= self.upper || upper <= self.lower {
            // The first `Date`, or one that contradicts the others: the server's clock was set.
            (self.lower, self.upper, self.dated) = (lower, upper, true);
        } else {
            (self.lower, self.upper) = (self.lower.max(lower), self.upper.min(upper));
        }
    }

    /// The server's clock had reached `server_ms` by `arrived` (a window it announced was over).
    pub(crate) fn reached(&mut self, server_ms: i64, arrived: Instant) {
        let lower = server_ms.saturating_sub(self.local(arrived));
        if self.dated && lower > self.lower && lower < self.upper {
            self.lower = lower;
        }
    }

    /// The server's clock had not reached `server_ms` when the request left at `sent`.
    pub(crate) fn not_reached(&mut self, server_ms: i64, sent: Instant) {
        let upper = server_ms.saturating_sub(self.local(sent));
        if self.dated && upper < self.upper && upper > self.lower {
            self.upper = upper;
        }
    }

    /// How far apart the bounds are, in ms, when waits rest on them (`None` while the local wall
    /// clock agrees with them, or before any `Date`).
    pub(crate) fn uncertainty(&self) -> Option<i64> {
        (self.dated && !self.wall_agrees()).then(|| self.upper.saturating_sub(self.lower))
    }

    /// The first instant, from `now` on (or up to `slack` ms before it), at which the server's
    /// clock ticks into a new second if the offset is `below` ms under its upper bound: a request
    /// sent then learns from its `Date` on which side of that the offset lies.
    pub(crate) fn tick_test(&self, now: Instant, below: i64, slack: i64) -> Instant {
        let threshold = self.upper.saturating_sub(below);
        let tick = self.local(now).saturating_add(threshold).saturating_sub(slack);
        let tick = tick.div_euclid(1000).saturating_add(1).saturating_mul(1000);
        self.instant(tick.saturating_sub(threshold))
    }

    fn wall_agrees(&self) -> bool {
        (self.lower..=self.upper).contains(&self.wall)
    }

    fn offset(&self) -> i64 {
        if self.wall_agrees() { self.wall } else { self.lower }
    }

    /// The server's time at `at`, in Unix milliseconds.
    pub(crate) fn server_ms(&self, at: Instant) -> i64 {
        self.offset().saturating_add(self.local(at))
    }

    /// The local instant at which the server's clock reaches `server_ms`: the latest the bounds
    /// allow, or the local wall clock's when it agrees with them.
    pub(crate) fn latest(&self, server_ms: i64) -> Instant {
        self.instant(server_ms.saturating_sub(self.offset()))
    }

    /// The earliest local instant at which the server's clock may reach `server_ms` (the same as
    /// [`latest`](Self::latest) while the local wall clock agrees with the bounds).
    pub(crate) fn earliest(&self, server_ms: i64) -> Instant {
        let offset = if self.wall_agrees() { self.wall } else { self.upper };
        self.instant(server_ms.saturating_sub(offset))
    }

    fn instant(&self, local_ms: i64) -> Instant {
        after(self.anchor, Duration::from_millis(u64::try_from(local_ms).unwrap_or(0)))
    }
}
