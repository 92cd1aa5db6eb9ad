//! `X-RateLimit-*` in every format the client accepts, and malformed: read when well formed,
//! ignored otherwise, and a spent budget waits for the reset in each format (lower bounds only).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hostup::prelude::*;
use hostup::{Client, Error, RateLimit};

use crate::support::*;

fn budget(remaining: u64, reset: &str) -> Reply {
    let body = fixture("getVps.200");
    let headers = [
        ("content-type", "application/json"),
        ("x-ratelimit-limit", "10"),
        ("x-ratelimit-remaining", &remaining.to_string()),
        ("x-ratelimit-reset", reset),
    ];
    let mut bytes = head(200, &headers, Some(body.len()));
    bytes.extend_from_slice(body.as_bytes());
    Reply::Raw(bytes)
}

async fn get(client: &Client) -> hostup::Result<()> {
    guard(client.get_vps().id(VPS_ID).send()).await.map(drop)
}

fn epoch(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// `at` written in RFC 3339 with a UTC offset of `minutes` (`+02:00`) and milliseconds.
fn offset_form(at: SystemTime, offset: &str, minutes: i64) -> String {
    let shifted = if minutes >= 0 {
        at + Duration::from_secs(minutes as u64 * 60)
    } else {
        at - Duration::from_secs(minutes.unsigned_abs() * 60)
    };
    let utc = humantime::format_rfc3339_millis(shifted).to_string();
    format!("{}{offset}", utc.trim_end_matches('Z'))
}

/// The reset the client read after one response carrying `value`.
async fn reset_read(value: &str) -> Option<RateLimit> {
    let server = ScriptServer::start(vec![budget(5, value)]).await;
    let client = client(&server.base);
    get(&client).await.unwrap();
    client.rate_limit()
}

#[tokio::test]
async fn every_documented_and_tolerated_reset_format_is_read() {
    // Each format is written just before its call: a delta ("30") counts from the answer, and on
    // a loaded machine the earlier calls can take seconds.
    let formats = |at: SystemTime| {
        [
            humantime::format_rfc3339_millis(at).to_string(),
            humantime::format_rfc3339_seconds(at).to_string(),
            humantime::format_rfc3339_nanos(at).to_string(),
            epoch(at).to_string(),
            format!("{}.5", epoch(at)),
            "30".to_string(),
            " 30 ".to_string(),
            // Issue 12, item 4: an offset is read as an offset, with or without fractions.
            offset_form(at, "+02:00", 120),
            offset_form(at, "-05:30", -5 * 60 - 30),
        ]
    };
    for i in 0..formats(SystemTime::now()).len() {
        let at = SystemTime::now() + Duration::from_secs(30);
        let value = formats(at)[i].clone();
        let read = reset_read(&value).await.unwrap_or_else(|| panic!("{value:?}: nothing read"));
        assert_eq!((read.limit, read.remaining), (Some(10), Some(5)), "{value:?}");
        let reset = read.reset.unwrap_or_else(|| panic!("{value:?}: no reset"));
        let off = reset.duration_since(at).unwrap_or_else(|e| e.duration());
        assert!(off <= Duration::from_secs(2), "{value:?} read as {reset:?}, {off:?} off");
    }
}

#[tokio::test]
async fn malformed_resets_are_ignored_and_the_rest_is_kept() {
    let malformed = [
        "soon",
        "-5",
        "",
        "NaN",
        "inf",
        "2026-13-45T99:99:99Z",
        "2026-04-27 12:35",
        "0x10",
        // RFC 3339 needs the offset: a local time says nothing.
        "2026-04-27T14:35:56",
    ];
    for value in malformed {
        let read = reset_read(value).await.unwrap_or_else(|| panic!("{value:?}: nothing read"));
        assert_eq!((read.limit, read.remaining, read.reset), (Some(10), Some(5), None), "{value:?}");
    }
}

#[tokio::test]
async fn non_ascii_and_malformed_counts_are_ignored() {
    let mut bytes = head(
        200,
        &[
            ("content-type", "application/json"),
            ("x-ratelimit-limit", "lots"),
            ("x-ratelimit-remaining", "-1"),
        ],
        None,
    );
    // A header value with raw non-ASCII bytes (obs-text), then the body.
    bytes.truncate(bytes.len() - 2);
    let body = fixture("getVps.200");
    bytes.extend_from_slice(b"x-ratelimit-reset: \xef\xbc\x91\xef\xbc\x92\r\n");
    bytes.extend_from_slice(format!("content-length: {}\r\n\r\n{body}", body.len()).as_bytes());
    let server = ScriptServer::start(vec![Reply::Raw(bytes)]).await;
    let client = client(&server.base);
    get(&client).await.unwrap();
    assert_eq!(client.rate_limit(), None);
}

/// A spent budget makes the next call wait for the reset, whatever its format.
#[tokio::test]
async fn a_spent_budget_waits_for_the_reset_in_every_format() {
    let now = SystemTime::now();
    let formats = [
        humantime::format_rfc3339_millis(now + Duration::from_millis(1500)).to_string(),
        humantime::format_rfc3339_seconds(now + Duration::from_secs(2)).to_string(),
        (epoch(now) + 2).to_string(),
        "1".to_string(),
    ];
    let runs = formats.iter().map(|value| async move {
        let server = ScriptServer::start(vec![budget(0, value)]).await;
        let client = client(&server.base);
        get(&client).await.unwrap();
        let reset = client.rate_limit().and_then(|r| r.reset).expect("a reset was read");
        let (started, due) = (Instant::now(), reset.duration_since(SystemTime::now()).unwrap_or_default());
        get(&client).await.unwrap();
        (value, started.elapsed(), due, server.count())
    });
    let results = futures::future::join_all(runs).await;
    // The delta form is read when the answer arrives, so at least that one has a real wait.
    assert!(results.iter().any(|(_, _, due, _)| *due >= Duration::from_millis(500)), "no wait to test");
    for (value, waited, due, count) in results {
        // 50 ms of slack for the clock conversion, never an upper bound.
        assert!(waited + Duration::from_millis(50) >= due, "{value:?}: waited {waited:?} of {due:?}");
        assert_eq!(count, 2, "{value:?}");
    }
}

#[tokio::test]
async fn a_spent_budget_without_a_usable_reset_lets_one_request_find_out() {
    for value in ["soon", ""] {
        let server = ScriptServer::start(vec![budget(0, value)]).await;
        let client = client(&server.base);
        for _ in 0..3 {
            get(&client).await.unwrap();
        }
        assert_eq!(server.count(), 3, "{value:?}");
    }
}

#[tokio::test]
async fn a_reset_past_the_deadline_refuses_unsent_with_the_wait() {
    let server = ScriptServer::start(vec![budget(0, "99999999999")]).await;
    let client = client_with(&server.base, fast_retries().with_deadline(Duration::from_secs(5)));
    get(&client).await.unwrap();
    let err = get(&client).await.unwrap_err();
    // Held for the policy's cap (60 s), not until the year 5138, and refused now: the cap is past
    // the call's deadline.
    let held = Duration::from_secs(55)..=Duration::from_secs(60);
    assert!(matches!(err, Error::RateLimited(wait) if held.contains(&wait)), "{err:?}");
    assert!(err.is_safe_to_resend() && err.to_string().contains("past the call's deadline"), "{err}");
    assert_eq!(server.count(), 1);
}

/// Found by this suite: a reset like `1e30` passes the `is_finite` check and then
/// `Duration::from_secs_f64` panics inside `RateLimit::from_headers`, on every response.
#[tokio::test]
async fn an_enormous_numeric_reset_does_not_panic() {
    let read = reset_read("1e30").await.unwrap();
    assert_eq!(read.reset, None);
}
