//! Credentials, scopes and the request budget.

use std::time::{Duration, SystemTime};

use hostup::prelude::*;
use hostup::types::{DiskResizeRequest, RenewRequest};
use hostup::{Error, ErrorCode, RetryPolicy};
use hostup_sandbox::{Sandbox, fleet};

use crate::support::{error, http, quick_client};

async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = http().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn v2_routes_need_a_bearer_key_and_legacy_routes_an_api_key() {
    let sandbox = Sandbox::start().await;
    let (v2, legacy) = (
        format!("{}/api/v2/vps/{}", sandbox.url(), fleet::MONTHLY_SEK),
        format!("{}/api/vm/{}/details", sandbox.url(), fleet::LEGACY_VMID),
    );
    let bearer = format!("Bearer {}", sandbox.api_key());
    assert_eq!(get(&v2, &[("authorization", &bearer)]).await.status(), 200);
    for headers in [vec![], vec![("x-api-key", sandbox.api_key())], vec![("authorization", "Bearer nope")]] {
        let response = get(&v2, &headers).await;
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "unauthorized");
        assert!(body["requestId"].as_str().unwrap().starts_with("req_"));
    }
    assert_eq!(get(&legacy, &[("x-api-key", sandbox.api_key())]).await.status(), 200);
    let response = get(&legacy, &[("authorization", &bearer)]).await;
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!((body["code"].as_str(), body["error"].as_str()), (Some("UNAUTHORIZED"), Some("Unauthorized")));

    let err = error(sandbox.client_with_key("wrong").get_vps_details().id(fleet::MONTHLY_SEK).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::Unauthorized));
}

#[tokio::test]
async fn keys_limited_to_scopes_get_403_for_the_rest() {
    let sandbox = Sandbox::start().await;
    let reader = sandbox.client_with_key(&sandbox.key_with_scopes(&["read:vm"]));
    reader.get_vps_details().id(fleet::MONTHLY_SEK).send().await.unwrap();
    let err = error(reader.restart_vps().id(fleet::MONTHLY_SEK).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::Forbidden));
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.problem.extensions["missingScopes"], serde_json::json!(["power:vm"]));
    let err = error(reader.renew_vps().id(fleet::MONTHLY_SEK).body(RenewRequest::default()).send().await);
    assert_eq!(err.status().unwrap().as_u16(), 403);

    let disk = || DiskResizeRequest::builder().disk_id(fleet::root_disk(fleet::MONTHLY_SEK)).size_gb(90u64);
    let vm_only = sandbox.client_with_key(&sandbox.key_with_scopes(&["write:vm"]));
    let err = error(vm_only.resize_vps_disk().id(fleet::MONTHLY_SEK).body(disk()).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::Forbidden), "resize-disk needs write:storage too");
    let both = sandbox.client_with_key(&sandbox.key_with_scopes(&["write:vm", "write:storage"]));
    both.resize_vps_disk().id(fleet::MONTHLY_SEK).body(disk()).send().await.unwrap();
}

#[tokio::test]
async fn every_response_reports_the_budget_and_a_spent_budget_answers_429() {
    let sandbox = Sandbox::builder().rate_limit(3, Duration::from_secs(2)).start().await;
    let url = format!("{}/api/v2/vps", sandbox.url());
    let bearer = format!("Bearer {}", sandbox.api_key());
    for remaining in ["2", "1", "0"] {
        let response = get(&url, &[("authorization", &bearer)]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-ratelimit-limit"], "3");
        assert_eq!(response.headers()["x-ratelimit-remaining"], remaining);
        let reset = response.headers()["x-ratelimit-reset"].to_str().unwrap();
        let reset = humantime::parse_rfc3339(reset).unwrap();
        assert!(reset > SystemTime::now() && reset < SystemTime::now() + Duration::from_secs(3));
    }
    let response = get(&url, &[("authorization", &bearer)]).await;
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!((body["code"].as_str(), body["status"].as_u64()), (Some("rate_limit_exceeded"), Some(429)));

    // A typed client that may not retry reports the 429 with its wait.
    let impatient = quick_client(&sandbox, RetryPolicy::disabled());
    let err = error(impatient.get_vps().id(fleet::MONTHLY_SEK).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::RateLimitExceeded));
    assert!(err.retry_after().is_some_and(|w| w <= Duration::from_secs(2)));
    assert_eq!(sandbox.stats().rate_limited, 2);

    // One that may retry waits out `Retry-After` and gets through.
    let patient = quick_client(&sandbox, RetryPolicy::standard());
    patient.get_vps().id(fleet::MONTHLY_SEK).send().await.unwrap();
    assert!(sandbox.stats().rate_limited >= 3);
}

#[tokio::test]
async fn the_budget_can_change_while_running() {
    let sandbox = Sandbox::start().await;
    let client = quick_client(&sandbox, RetryPolicy::disabled());
    client.get_vps().id(fleet::MONTHLY_SEK).send().await.unwrap();
    assert_eq!(client.rate_limit().unwrap().limit, Some(1000));
    sandbox.set_rate_limit(1, Duration::from_secs(30));
    client.get_vps().id(fleet::MONTHLY_SEK).send().await.unwrap();
    let other = quick_client(&sandbox, RetryPolicy::disabled());
    let err = error(other.get_vps().id(fleet::MONTHLY_SEK).send().await);
    assert!(err.retry_after().is_some_and(|w| w > Duration::from_secs(25)), "{err:?}");
    assert_eq!(sandbox.stats().requests, 3);
}
