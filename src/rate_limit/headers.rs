//! Reading HostUp's rate-limit headers: `X-RateLimit-Limit`, `-Remaining`, `-Reset` (an RFC 3339
//! time as documented; epoch or delta seconds are accepted too), `Retry-After` (seconds or an HTTP
//! date) and `Date`. Times are on the server's clock: the caller says what time it is there.

use std::time::{Duration, SystemTime};

use reqwest::header::{DATE, HeaderMap, HeaderName, RETRY_AFTER};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::clock::{system_time, unix_ms};

/// The rate-limit budget the server reported on its latest response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed in the window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in the window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// When the window resets (`X-RateLimit-Reset`), on the server's clock.
    pub reset: Option<SystemTime>,
}

impl RateLimit {
    /// Reads the `X-RateLimit-*` headers (a delta reset counts from `server_now`, Unix ms); `None`
    /// when none of them is present and well formed.
    pub(crate) fn read(headers: &HeaderMap, server_now: i64) -> Option<Self> {
        let number = |name: &HeaderName| header_str(headers, name).and_then(|v| v.parse::<u64>().ok());
        let limit = RateLimit {
            limit: number(&LIMIT),
            remaining: number(&REMAINING),
            reset: reset_ms(headers, server_now).and_then(system_time),
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

/// The response's `Date`: the server's clock when it answered (to the second).
pub(crate) fn date(headers: &HeaderMap) -> Option<SystemTime> {
    httpdate::parse_http_date(header_str(headers, &DATE)?).ok()
}

/// The server's time for an answer read on its own: its `Date`, else the local clock.
pub(crate) fn server_now(headers: &HeaderMap) -> i64 {
    unix_ms(date(headers).unwrap_or_else(SystemTime::now))
}

/// `X-RateLimit-Reset` in Unix ms on the server's clock.
pub(crate) fn reset_ms(headers: &HeaderMap, server_now: i64) -> Option<i64> {
    parse_reset(header_str(headers, &RESET)?, server_now)
}

/// Parses a reset: strict RFC 3339 (offsets included), epoch seconds, or seconds from `server_now`
/// (numbers below a year).
pub(crate) fn parse_reset(value: &str, server_now: i64) -> Option<i64> {
    if let Ok(time) = OffsetDateTime::parse(value, &Rfc3339) {
        return i64::try_from(time.unix_timestamp_nanos() / 1_000_000).ok();
    }
    let seconds: f64 = value.parse().ok().filter(|s: &f64| s.is_finite() && (0.0..1e13).contains(s))?;
    let ms = (seconds * 1000.0) as i64;
    Some(if seconds < 31_536_000.0 { server_now.saturating_add(ms) } else { ms })
}

/// How precisely a reset value states the reset, in ms: to its last fractional digit (at least a
/// millisecond), or to the second.
pub(crate) fn reset_precision(headers: &HeaderMap) -> Option<i64> {
    let value = header_str(headers, &RESET)?;
    let digits = value.split_once('.').map_or(0, |(_, f)| f.bytes().take_while(u8::is_ascii_digit).count());
    Some(10i64.pow(3u32.saturating_sub(digits as u32)))
}

/// `Retry-After`: delta seconds, or an HTTP date judged at `server_now`. Malformed or negative
/// values give `None`.
pub(crate) fn retry_after(headers: &HeaderMap, server_now: i64) -> Option<Duration> {
    let value = header_str(headers, &RETRY_AFTER)?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        return (0.0..1e9).contains(&seconds).then(|| Duration::from_secs_f64(seconds));
    }
    let date = unix_ms(httpdate::parse_http_date(value).ok()?);
    Some(Duration::from_millis(u64::try_from(date.saturating_sub(server_now)).unwrap_or(0)))
}

/// How long a 429 holds requests back: `Retry-After`, cut short to the announced reset (plus its
/// precision) when that agrees with it. HostUp's docs say to retry once the limit resets, and
/// `Retry-After` is whole seconds rounded up: waiting it out in full sends the retry up to a
/// second into the next window, where it meets the other requests of that window. A reset that
/// disagrees with `Retry-After` by more than its rounding is not trusted.
pub(crate) fn wait_after_429(headers: &HeaderMap, server_now: i64) -> Option<Duration> {
    let stated = retry_after(headers, server_now);
    let until_reset = reset_ms(headers, server_now).and_then(|reset| {
        // A reset up to a second behind `server_now` is a refusal counted just before its window
        // ended and answered after: the window is over (waiting out `Retry-After`'s rounded-up
        // second would hold every request for it). Further behind, the reset is not trusted.
        let ahead = reset.checked_sub(server_now).filter(|ms| *ms >= -1000)?.max(0);
        Some(Duration::from_millis((ahead + reset_precision(headers)? + 1) as u64))
    });
    match (stated, until_reset) {
        (Some(stated), Some(reset)) if reset < stated && reset + Duration::from_secs(1) >= stated => {
            Some(reset)
        }
        (stated, _) => stated,
    }
}

#[cfg(test)]
#[path = "../../tests/unit/rate_limit_headers.rs"]
mod tests;
