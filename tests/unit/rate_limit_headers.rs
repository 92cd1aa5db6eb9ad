//! Unit tests of `src/rate_limit/headers.rs`, which includes this file: they use its private items.

use super::*;

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
