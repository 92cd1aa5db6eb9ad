//! Each fault knob, and stopping the sandbox.

use std::time::{Duration, Instant, SystemTime};

use hostup::{Client, Error, ErrorCode, RetryPolicy};
use hostup_sandbox::{Sandbox, fleet};

use crate::support::{error, http, quick_client};

#[tokio::test]
async fn latency_delays_every_answer() {
    let sandbox = Sandbox::start().await;
    sandbox.faults().set_latency(Duration::from_millis(150));
    let client = sandbox.client();
    let started = Instant::now();
    client.get_vps().id(fleet::MONTHLY_SEK).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));

    let hasty = Client::builder()
        .api_key(sandbox.api_key())
        .base_url(sandbox.url())
        .timeout(Duration::from_millis(50))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = error(hasty.get_vps().id(fleet::MONTHLY_SEK).send().await);
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    sandbox.faults().clear();
    assert_eq!(sandbox.faults().latency(), Duration::ZERO);
}

#[tokio::test]
async fn error_rate_answers_503_and_the_client_retries_only_what_is_safe() {
    let sandbox = Sandbox::start().await;
    sandbox.faults().set_error_rate(1.0);
    let client = quick_client(&sandbox, RetryPolicy::standard());
    let err = error(client.get_vps().id(fleet::MONTHLY_SEK).send().await);
    assert_eq!((err.status().unwrap().as_u16(), err.code()), (503, Some(&ErrorCode::UpstreamUnavailable)));
    assert_eq!(sandbox.stats().injected_errors, 3, "a GET is tried three times");
    let err = error(client.restart_vps().id(fleet::MONTHLY_SEK).send().await);
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert_eq!(sandbox.stats().injected_errors, 4, "a POST is never resent after a 503");
}

async fn statuses(seed: u64) -> Vec<u16> {
    let sandbox = Sandbox::builder().seed(seed).start().await;
    sandbox.faults().set_error_rate(0.5);
    let url = format!("{}/api/v2/vps", sandbox.url());
    let http = http();
    let mut seen = Vec::new();
    for _ in 0..24 {
        let response = http.get(&url).bearer_auth(sandbox.api_key()).send().await.unwrap();
        seen.push(response.status().as_u16());
    }
    seen
}

#[tokio::test]
async fn faults_follow_the_seed() {
    let first = statuses(7).await;
    assert_eq!(first, statuses(7).await);
    assert!(first.contains(&200) && first.contains(&503), "{first:?}");
    assert_ne!(first, statuses(8).await);
}

#[tokio::test]
async fn drop_rate_closes_connections_without_an_answer() {
    let sandbox = Sandbox::start().await;
    sandbox.faults().set_drop_rate(1.0);
    let raw = http().get(format!("{}/api/v2/vps", sandbox.url())).send().await;
    let raw = raw.unwrap_err();
    assert!(raw.status().is_none() && !raw.is_connect(), "{raw:?}");

    let client = quick_client(&sandbox, RetryPolicy::standard());
    let err = error(client.get_vps().id(fleet::MONTHLY_SEK).send().await);
    assert!(matches!(err, Error::Transport(_)) && err.status().is_none(), "{err:?}");
    assert_eq!(sandbox.stats().dropped, 4, "one raw request and three attempts");
    sandbox.faults().set_drop_rate(0.0);
    client.get_vps().id(fleet::MONTHLY_SEK).send().await.unwrap();
}

#[tokio::test]
async fn html_errors_keep_the_status_but_not_the_json() {
    let sandbox = Sandbox::start().await;
    sandbox.faults().set_html_errors(true);
    let response = http().get(format!("{}/api/v2/vps", sandbox.url())).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    assert!(response.text().await.unwrap().starts_with("<!DOCTYPE html>"));

    let client = quick_client(&sandbox, RetryPolicy::disabled());
    client.get_vps().id(fleet::MONTHLY_SEK).send().await.unwrap();
    sandbox.faults().set_error_rate(1.0);
    let err = error(client.get_vps().id(fleet::MONTHLY_SEK).send().await);
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_eq!(err.status().unwrap().as_u16(), 503);
}

#[tokio::test]
async fn shutting_down_closes_the_port() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    client.get_vps().id(fleet::MONTHLY_SEK).send().await.unwrap();
    let url = sandbox.url().to_string();
    sandbox.shutdown().await;
    let refused = http().get(format!("{url}/api/v2/vps")).send().await.unwrap_err();
    assert!(refused.is_connect(), "{refused:?}");

    let sandbox = Sandbox::start().await;
    let url = sandbox.url().to_string();
    drop(sandbox);
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(http().get(format!("{url}/api/v2/vps")).send().await.unwrap_err().is_connect());
}

/// Seconds from now to the time in a response header (negative: in the past).
fn seconds_ahead(headers: &reqwest::header::HeaderMap, name: &str) -> i64 {
    let value = headers[name].to_str().unwrap();
    let at = httpdate::parse_http_date(value)
        .or_else(|_| humantime::parse_rfc3339_weak(value))
        .unwrap_or_else(|e| panic!("{name}: {value:?}: {e}"));
    match at.duration_since(SystemTime::now()) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    }
}

#[tokio::test]
async fn clock_offset_skews_date_and_the_rate_limit_reset() {
    let sandbox =
        Sandbox::builder().rate_limit(100, Duration::from_secs(60)).clock_offset(3_600).start().await;
    let url = format!("{}/api/v2/vps", sandbox.url());
    let response = http().get(&url).bearer_auth(sandbox.api_key()).send().await.unwrap();
    let (date, reset) =
        (seconds_ahead(response.headers(), "date"), seconds_ahead(response.headers(), "x-ratelimit-reset"));
    assert!((3_595..=3_600).contains(&date), "Date is {date} s ahead");
    assert!((3_650..=3_660).contains(&reset), "the reset is {reset} s ahead");

    sandbox.faults().set_clock_offset(-600);
    let response = http().get(&url).bearer_auth(sandbox.api_key()).send().await.unwrap();
    assert!((-602..=-599).contains(&seconds_ahead(response.headers(), "date")));
    sandbox.faults().clear();
    let response = http().get(&url).bearer_auth(sandbox.api_key()).send().await.unwrap();
    assert!((-2..=0).contains(&seconds_ahead(response.headers(), "date")));
}
