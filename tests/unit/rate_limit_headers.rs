//! Unit tests of `src/rate_limit/headers.rs`, which includes this file: they use its private items.

use super::*;
use reqwest::header::HeaderValue;

#[test]
fn resets_are_strict_rfc3339_with_offsets_epoch_or_delta() {
    let at = |s: &str| parse_reset(s, 1_000_000);
    assert_eq!(at("2026-04-27T12:35:56Z"), Some(1_777_293_356_000));
    assert_eq!(at("2026-04-27T14:35:56+02:00"), Some(1_777_293_356_000));
    assert_eq!(at("2026-04-27T14:35:56.250+02:00"), Some(1_777_293_356_250));
    assert_eq!(at("1777000060"), Some(1_777_000_060_000));
    assert_eq!(at("30"), Some(1_030_000));
    for bad in ["soon", "-5", "NaN", "1e30", "2026-04-27 12:35", "2026-04-27T12:35:56"] {
        assert_eq!(at(bad), None, "{bad}");
    }
}

/// Regression (release fan-out bench, one run of about 45 at 79.8 %): a 429 counted just before
/// its window ended and answered just after carries a reset behind the server's clock as read at
/// arrival; it was judged to disagree, so `Retry-After: 1` held every request for a whole second.
#[test]
fn a_429_is_held_until_the_reset_and_not_for_its_rounded_up_retry_after() {
    let now = 1_777_000_000_000; // 2026-04-24T03:06:40Z
    let refusal = |reset: &'static str, retry_after: &'static str| {
        let mut h = HeaderMap::new();
        h.insert(RESET, HeaderValue::from_static(reset));
        h.insert(RETRY_AFTER, HeaderValue::from_static(retry_after));
        wait_after_429(&h, now)
    };
    let ms = Duration::from_millis;
    // Reset 300 ms ahead, with millisecond precision: wait for it (plus the precision), not 1 s.
    assert_eq!(refusal("2026-04-24T03:06:40.300Z", "1"), Some(ms(302)));
    // Reset 3 ms behind: the window just ended; retry after the precision.
    assert_eq!(refusal("2026-04-24T03:06:39.997Z", "1"), Some(ms(2)));
    // A reset far behind, or far from what Retry-After says, is not trusted.
    assert_eq!(refusal("2026-04-24T02:06:40.000Z", "1"), Some(ms(1_000)));
    assert_eq!(refusal("2026-04-24T03:06:40.300Z", "5"), Some(ms(5_000)));
}
