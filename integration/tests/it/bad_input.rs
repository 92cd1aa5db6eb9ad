//! Bodies that are not what the docs promise: each becomes a typed error that still tells the status
//! and the headers, never a panic.

use hostup::{Error, RetryPolicy};

use hostup::ResultExt;

use crate::support::*;

async fn details_error(reply: Reply) -> Error {
    let server = ScriptServer::start(vec![reply]).await;
    client_with(&server.base, RetryPolicy::disabled())
        .get_vps_details()
        .id(VPS_ID)
        .send()
        .await
        .value()
        .unwrap_err()
}

fn decode(err: &Error) -> &hostup::DecodeError {
    match err {
        Error::Decode(d) => d,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn html_error_page_keeps_status_and_headers() {
    let err = details_error(http(
        429,
        &[("content-type", "text/html"), ("retry-after", "9"), ("x-ratelimit-remaining", "0")],
        "<html><body><h1>429 Too Many Requests</h1></body></html>",
    ))
    .await;
    let d = decode(&err);
    assert_eq!(err.status().unwrap().as_u16(), 429);
    assert_eq!(d.headers.get("x-ratelimit-remaining").unwrap(), "0");
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(9)));
    assert!(d.reason.contains("not JSON"), "{}", d.reason);
    assert!(d.excerpt.contains("429 Too Many Requests"));
    assert!(err.to_string().contains("429"));
}

#[tokio::test]
async fn empty_error_body_keeps_the_status() {
    let err = details_error(http(404, &[], "")).await;
    assert_eq!(err.status().unwrap().as_u16(), 404);
    assert_eq!(decode(&err).reason, "the body is empty");
}

#[tokio::test]
async fn undeclared_status_with_html_is_a_decode_error_with_status() {
    let err = details_error(http(502, &[("content-type", "text/html")], "<html>Bad Gateway</html>")).await;
    assert_eq!(err.status().unwrap().as_u16(), 502);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn undeclared_status_with_problem_json_is_an_api_error() {
    let body = r#"{"type": "https://developer.hostup.se/errors/upstream_unavailable", "status": 503,
        "code": "upstream_unavailable", "detail": "Billing is down.", "requestId": "req_9"}"#;
    let err = details_error(json(503, body)).await;
    assert_eq!(err.code(), Some(&hostup::ErrorCode::UpstreamUnavailable));
    assert_eq!(err.request_id(), Some("req_9"));
}

#[tokio::test]
async fn truncated_success_body_keeps_the_status() {
    let full = fixture("getVpsDetails.200");
    let err = details_error(json(200, &full[..full.len() / 2])).await;
    assert_eq!(err.status().unwrap().as_u16(), 200);
    assert!(decode(&err).reason.contains("truncated"), "{}", decode(&err).reason);
}

#[tokio::test]
async fn non_json_success_body_keeps_the_status() {
    let err = details_error(http(200, &[("content-type", "text/plain")], "OK")).await;
    assert_eq!(err.status().unwrap().as_u16(), 200);
    assert!(decode(&err).reason.contains("not JSON"));
}

#[tokio::test]
async fn wrong_type_names_the_json_path_and_hides_secrets() {
    let mut body = fixture_json("getVpsDetails.200");
    body["billing"]["amount"] = serde_json::json!("ninety-nine");
    let err = details_error(json(200, &serde_json::to_string_pretty(&body).unwrap())).await;
    let d = decode(&err);
    assert_eq!(d.path.as_deref(), Some("/billing/amount"));
    assert!(d.reason.contains("invalid type"), "{}", d.reason);
    let everything = format!("{err} {err:?}");
    assert!(!everything.contains("initial-password-from-panel"));
}

#[tokio::test]
async fn problem_body_of_the_wrong_shape_keeps_the_status() {
    let err = details_error(json(400, r#"{"status": "four hundred", "code": 7}"#)).await;
    assert_eq!(err.status().unwrap().as_u16(), 400);
    assert_eq!(decode(&err).path.as_deref(), Some("/status"));
}

#[tokio::test]
async fn body_over_the_cap_is_refused() {
    let server =
        ScriptServer::start(vec![json(200, &format!("{{\"pad\": \"{}\"}}", "x".repeat(20_000)))]).await;
    let client =
        hostup::Client::builder().api_key(KEY).base_url(&server.base).max_body_bytes(10_000).build().unwrap();
    let err = client.get_vps().id(VPS_ID).send().await.value().unwrap_err();
    assert!(decode(&err).reason.contains("10000-byte limit"), "{err}");
}
