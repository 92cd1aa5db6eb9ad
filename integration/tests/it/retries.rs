//! What is sent again and what is not.

use std::time::{Duration, Instant};

use hostup::types::ResourceChangeRequest;
use hostup::{Error, RetryPolicy};

use hostup::ResultExt;

use crate::support::*;

fn commit() -> hostup::types::builder::ResourceChangeRequest {
    let resources = serde_json::json!({"bandwidthGb": 4096}).as_object().unwrap().clone();
    ResourceChangeRequest::builder().resources(resources)
}

/// Commits a resource change and returns the error it must end with.
async fn commit_error(client: &hostup::Client) -> Error {
    let result = client.change_vps_resources().id(VPS_ID).body(commit()).send().await;
    result.value().unwrap_err()
}

/// A 429 Problem Details reply with this `Retry-After`.
fn too_many(retry_after: &str, fixture_name: &str) -> Reply {
    let headers = [("retry-after", retry_after), ("content-type", "application/problem+json")];
    http(429, &headers, &fixture(fixture_name))
}

/// A client whose attempts time out after 300 ms.
fn impatient_client(base: &str) -> hostup::Client {
    let builder = hostup::Client::builder().api_key(KEY).base_url(base);
    builder.timeout(Duration::from_millis(300)).retry(fast_retries()).build().unwrap()
}

#[tokio::test]
async fn get_503_then_200_gives_one_result_after_two_requests() {
    let server = ScriptServer::start(vec![json(503, "{}"), json(200, &fixture("getVpsDetails.200"))]).await;
    let vps = client(&server.base).get_vps_details().id(VPS_ID).send().await.unwrap();
    assert_eq!(vps.id, VPS_ID);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn committed_post_503_is_sent_exactly_once() {
    let server =
        ScriptServer::start(vec![json(503, "{}"), json(200, &fixture("changeVpsResources.200"))]).await;
    let err = commit_error(&client(&server.base)).await;
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn dry_run_preview_503_is_retried() {
    let server =
        ScriptServer::start(vec![json(503, "{}"), json(200, &fixture("changeVpsResources.200"))]).await;
    client(&server.base).change_vps_resources().id(VPS_ID).body(commit().dry_run(true)).send().await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn committed_post_timeout_is_not_resent() {
    let server = ScriptServer::start(vec![Reply::Hang, json(200, &fixture("changeVpsResources.200"))]).await;
    let client = impatient_client(&server.base);
    let err = commit_error(&client).await;
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn get_timeout_is_retried() {
    let server = ScriptServer::start(vec![Reply::Hang, json(200, &fixture("getVps.200"))]).await;
    let client = impatient_client(&server.base);
    client.get_vps().id(VPS_ID).send().await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn committed_post_connection_reset_is_not_resent() {
    let server = ScriptServer::start(vec![Reply::Close, json(200, &fixture("changeVpsResources.200"))]).await;
    let err = commit_error(&client(&server.base)).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let err = commit_error(&client(&format!("http://127.0.0.1:{port}"))).await;
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn attempts_are_bounded_by_the_policy() {
    let server = ScriptServer::start(vec![json(503, "{}")]).await;
    let err = client_with(&server.base, fast_retries().with_max_attempts(4))
        .get_vps()
        .id(VPS_ID)
        .send()
        .await
        .value()
        .unwrap_err();
    assert_eq!(err.status().unwrap().as_u16(), 503);
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = ScriptServer::start(vec![
        too_many("1", "getVpsDetails.429"),
        json(200, &fixture("getVpsDetails.200")),
    ])
    .await;
    let started = Instant::now();
    client(&server.base).get_vps_details().id(VPS_ID).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited only {:?}", started.elapsed());
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn post_429_is_retried_because_nothing_was_done() {
    let server = ScriptServer::start(vec![
        too_many("0", "changeVpsResources.429"),
        json(200, &fixture("changeVpsResources.200")),
    ])
    .await;
    client(&server.base).change_vps_resources().id(VPS_ID).body(commit()).send().await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retry_after_past_the_cap_fails_at_once_with_the_wait() {
    let server = ScriptServer::start(vec![
        too_many("3600", "getVpsDetails.429"),
        json(200, &fixture("getVpsDetails.200")),
    ])
    .await;
    let policy = fast_retries().with_max_retry_after(Duration::from_secs(60));
    let err =
        client_with(&server.base, policy).get_vps_details().id(VPS_ID).send().await.value().unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(err.code(), Some(&hostup::ErrorCode::RateLimitExceeded));
    assert!(err.to_string().contains("retry after 3600s"), "{err}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn overall_deadline_bounds_a_hanging_server() {
    let server = ScriptServer::start(vec![Reply::Hang]).await;
    let policy = RetryPolicy::standard().with_deadline(Duration::from_millis(400));
    let err = client_with(&server.base, policy).get_vps().id(VPS_ID).send().await.value().unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}
