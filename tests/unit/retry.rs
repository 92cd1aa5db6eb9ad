//! Unit tests of `src/retry.rs`, which includes this file: they use its private items.

use super::*;

fn status(code: u16, retry_after: Option<u64>) -> Outcome {
    Outcome::Status {
        status: StatusCode::from_u16(code).unwrap(),
        retry_after: retry_after.map(Duration::from_secs),
    }
}

#[test]
fn server_errors_are_retried_only_when_replay_is_safe() {
    let p = RetryPolicy::standard();
    for code in [502, 503, 504] {
        assert!(matches!(p.decide(1, &status(code, None), true), Decision::Retry(_)));
        assert_eq!(p.decide(1, &status(code, None), false), Decision::GiveUp);
    }
    assert_eq!(p.decide(1, &status(500, None), true), Decision::GiveUp);
    assert_eq!(p.decide(1, &status(404, None), true), Decision::GiveUp);
}

#[test]
fn rate_limits_are_retried_for_every_method_and_clamped() {
    let p = RetryPolicy::standard().with_max_retry_after(Duration::from_secs(60));
    assert_eq!(p.decide(1, &status(429, Some(2)), false), Decision::Retry(Duration::from_secs(2)));
    assert_eq!(p.decide(1, &status(429, Some(3600)), true), Decision::WaitTooLong(Duration::from_secs(3600)));
}

#[test]
fn transport_failures_follow_replay_safety() {
    let p = RetryPolicy::standard();
    assert!(matches!(p.decide(1, &Outcome::NotSent, false), Decision::Retry(_)));
    assert!(matches!(p.decide(1, &Outcome::Failed, true), Decision::Retry(_)));
    assert_eq!(p.decide(1, &Outcome::Failed, false), Decision::GiveUp);
}

#[test]
fn attempts_are_bounded() {
    let p = RetryPolicy::standard().with_max_attempts(2);
    assert!(matches!(p.decide(1, &status(503, None), true), Decision::Retry(_)));
    assert_eq!(p.decide(2, &status(503, None), true), Decision::GiveUp);
    assert_eq!(RetryPolicy::disabled().decide(1, &Outcome::NotSent, true), Decision::GiveUp);
}

/// Issue 12, item 5: jitter near `Duration::MAX` and setters given it never panic.
#[test]
fn huge_durations_are_clamped_and_jitter_never_overflows() {
    let p = RetryPolicy::standard().with_initial_backoff(Duration::MAX).with_max_backoff(Duration::MAX);
    for retry in [0, 1, 30, u32::MAX] {
        assert!(p.backoff(retry) <= LONGEST);
    }
    assert_eq!(RetryPolicy::standard().with_deadline(Duration::MAX).deadline(), LONGEST);
}

#[test]
fn backoff_stays_under_the_capped_exponential() {
    let p = RetryPolicy::standard()
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_secs(1));
    for retry in 0..10 {
        let ceiling = Duration::from_millis(100 * 2u64.pow(retry)).min(Duration::from_secs(1));
        for _ in 0..50 {
            assert!(p.backoff(retry) <= ceiling);
        }
    }
}
