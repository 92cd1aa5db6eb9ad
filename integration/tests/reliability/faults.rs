//! Transport and status faults: each ends in `Ok` or one exact error variant, after the number of
//! requests the retry policy allows (a GET up to three, a committed POST exactly once), within
//! the hang guard.

use std::time::Duration;

use hostup::types::ResourceChangeRequest;
use hostup::{Client, Error, RetryPolicy};

use crate::support::*;

fn change(dry_run: bool) -> hostup::types::builder::ResourceChangeRequest {
    let resources = serde_json::json!({"bandwidthGb": 4096}).as_object().unwrap().clone();
    ResourceChangeRequest::builder().resources(resources).dry_run(dry_run)
}

async fn get(client: &Client) -> hostup::Result<()> {
    guard(client.get_vps_details().id(VPS_ID).send()).await.map(drop)
}

async fn commit(client: &Client) -> hostup::Result<()> {
    let call = client.change_vps_resources().id(VPS_ID).body(change(false)).send();
    guard(call).await.map(drop)
}

async fn preview(client: &Client) -> hostup::Result<()> {
    let call = client.change_vps_resources().id(VPS_ID).body(change(true)).send();
    guard(call).await.map(drop)
}

/// Runs a GET, a dry-run preview and a commit against fresh servers that all answer `reply`, and
/// returns each error with the number of requests its server saw.
async fn three_ways(reply: Reply, make: fn(&str) -> Client) -> [(Error, usize); 3] {
    let (a, b, c) = (
        ScriptServer::start(vec![reply.clone()]).await,
        ScriptServer::start(vec![reply.clone()]).await,
        ScriptServer::start(vec![reply]).await,
    );
    let get = get(&make(&a.base)).await.unwrap_err();
    let preview = preview(&make(&b.base)).await.unwrap_err();
    let commit = commit(&make(&c.base)).await.unwrap_err();
    [(get, a.count()), (preview, b.count()), (commit, c.count())]
}

fn quick_timeout(base: &str) -> Client {
    impatient(base, Duration::from_millis(250))
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_after_every_attempt() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let (logs, _guard) = capture_logs();
    for result in [get(&client).await, commit(&client).await] {
        let err = result.unwrap_err();
        let Error::Transport(inner) = &err else { panic!("{err:?}") };
        assert!(inner.is_connect() && err.status().is_none(), "{err:?}");
        // Nothing reached the server: even the commit is safe to send again.
        assert!(err.is_safe_to_resend() && !err.may_have_reached_server(), "{err:?}");
        assert!(err.to_string().starts_with("could not reach HostUp"), "{err}");
        // Issue 12, item 11: each cause is printed once, by the chain, not by `Display` as well.
        let mut chain = vec![err.to_string()];
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            chain.push(s.to_string());
            source = s.source();
        }
        assert!(chain.len() >= 2, "{chain:?}");
        for cause in &chain[1..] {
            assert!(!chain[0].contains(cause.as_str()), "{cause:?} is printed twice: {chain:?}");
        }
    }
    // Nothing reached a server, so even the commit is retried: two retries per call.
    assert_eq!(logs.text().matches("request failed; retrying").count(), 4, "{}", logs.text());
}

#[tokio::test]
async fn reset_mid_body_is_retried_only_when_replay_is_safe() {
    let body = fixture("getVpsDetails.200");
    let mut bytes = head(200, &[("content-type", "application/json")], Some(body.len()));
    bytes.extend_from_slice(&body.as_bytes()[..body.len() / 2]);
    let [(get, g), (preview, p), (commit, c)] = three_ways(Reply::Raw(bytes), client).await;
    for err in [&get, &preview, &commit] {
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
    }
    assert_eq!((g, p, c), (3, 3, 1), "a committed change is sent once");
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_resent_only_when_safe() {
    let [(get, g), (preview, p), (commit, c)] = three_ways(Reply::Close, client).await;
    for err in [&get, &preview, &commit] {
        assert!(matches!(err, Error::Transport(_)) && err.status().is_none(), "{err:?}");
    }
    assert_eq!((g, p, c), (3, 3, 1));
}

#[tokio::test]
async fn the_one_commit_sent_is_the_commit_asked_for() {
    let server = ScriptServer::start(vec![Reply::Close]).await;
    commit(&client(&server.base)).await.unwrap_err();
    let seen = server.seen();
    assert_eq!((seen.len(), seen[0].method.as_str()), (1, "POST"));
    let body: serde_json::Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["dryRun"], false);
    assert_eq!(body["resources"]["bandwidthGb"], 4096);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let [(get, g), (preview, p), (commit, c)] = three_ways(Reply::Hang, quick_timeout).await;
    for err in [&get, &preview, &commit] {
        assert!(
            matches!(err, Error::Timeout(_)) && err.is_transient() && err.may_have_reached_server(),
            "{err:?}"
        );
    }
    // Issue 12, item 7: a committed change that may have been applied is never safe to resend.
    assert!(get.is_safe_to_resend() && preview.is_safe_to_resend(), "{get:?} {preview:?}");
    assert!(
        !commit.is_safe_to_resend() && !commit.is_retryable() && commit.replay_safe() == Some(false),
        "{commit:?}"
    );
    assert_eq!((g, p, c), (3, 3, 1));
}

#[tokio::test]
async fn a_listener_that_never_accepts_times_out() {
    // The kernel completes the handshake from the backlog; nobody ever reads.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let err = get(&quick_timeout(&base)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    drop(listener);
}

#[tokio::test]
async fn the_call_deadline_bounds_a_silent_server_without_a_request_timeout() {
    let server = ScriptServer::start(vec![Reply::Hang]).await;
    let policy = fast_retries().with_deadline(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let err = commit(&client_with(&server.base, policy)).await.unwrap_err();
    let Error::Timeout(message) = &err else { panic!("{err:?}") };
    assert!(message.to_string().contains("deadline") && message.is_timeout(), "{message}");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.count(), 1);
}

fn trickle(total: usize, every: Duration) -> Reply {
    let mut steps = vec![Step::Write(head(200, &[("content-type", "application/json")], Some(total)))];
    for _ in 0..total {
        steps.push(Step::Write(b" ".to_vec()));
        steps.push(Step::Pause(every));
    }
    Reply::Steps(steps)
}

#[tokio::test]
async fn a_body_trickling_past_the_timeout_times_out() {
    let reply = trickle(400, Duration::from_millis(10));
    let [(get, g), (preview, p), (commit, c)] = three_ways(reply, quick_timeout).await;
    for err in [&get, &preview, &commit] {
        assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    }
    assert_eq!((g, p, c), (3, 3, 1));
}

#[tokio::test]
async fn a_body_trickling_past_the_call_deadline_times_out() {
    let server = ScriptServer::start(vec![trickle(400, Duration::from_millis(10))]).await;
    let policy = fast_retries().with_deadline(Duration::from_millis(300));
    let err = get(&client_with(&server.base, policy)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(server.count(), 1);
}

fn decode(err: &Error) -> &hostup::DecodeError {
    match err {
        Error::Decode(d) => d,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_and_empty_success_bodies_are_decode_errors_sent_once() {
    let full = fixture("getVpsDetails.200");
    let cases = [(json(200, &full[..full.len() / 2]), "truncated"), (http(200, &[], ""), "empty")];
    for (reply, word) in cases {
        let [(get, g), (preview, p), (commit, c)] = three_ways(reply, client).await;
        for err in [&get, &preview, &commit] {
            let d = decode(err);
            assert_eq!(d.status.map(|s| s.as_u16()), Some(200));
            assert!(d.reason.contains(word) && d.path.is_none(), "{}", d.reason);
            assert!(!err.is_retryable());
        }
        assert_eq!((g, p, c), (1, 1, 1), "a 200 is never resent");
    }
}

#[tokio::test]
async fn an_html_502_keeps_its_status_and_is_retried_only_when_safe() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let reply = http(502, &[("content-type", "text/html")], page);
    let [(get, g), (preview, p), (commit, c)] = three_ways(reply, client).await;
    for err in [&get, &preview, &commit] {
        let d = decode(err);
        assert_eq!(d.status.map(|s| s.as_u16()), Some(502));
        assert!(d.reason.contains("not JSON") && d.excerpt.contains("502 Bad Gateway"), "{d:?}");
        assert!(err.is_transient() && err.to_string().contains("502"), "{err}");
    }
    assert!(get.is_safe_to_resend() && preview.is_safe_to_resend() && !commit.is_safe_to_resend());
    assert_eq!((g, p, c), (3, 3, 1));
}

fn too_many(retry_after: Option<&str>) -> Reply {
    let mut headers = vec![("content-type", "application/problem+json")];
    headers.extend(retry_after.map(|v| ("retry-after", v)));
    http(429, &headers, &fixture("getVpsDetails.429"))
}

#[tokio::test]
async fn a_429_without_retry_after_is_retried_with_backoff_even_for_a_commit() {
    for value in [None, Some("soon"), Some("-1"), Some(""), Some("NaN"), Some("Tue, 99 Foo 2026")] {
        let [(get, g), (preview, p), (commit, c)] = three_ways(too_many(value), client).await;
        for err in [&get, &preview, &commit] {
            assert_eq!(err.status().map(|s| s.as_u16()), Some(429), "{value:?}: {err:?}");
            assert_eq!(err.code(), Some(&hostup::ErrorCode::RateLimitExceeded));
            assert_eq!(err.retry_after(), None, "{value:?}");
        }
        assert_eq!((g, p, c), (3, 3, 3), "{value:?}: a 429 means nothing was done");
    }
}

/// A `Retry-After` above the policy's cap fails the call at once, with the wait in the error.
async fn refused_wait(value: &str) -> (Error, ScriptServer, Client) {
    let server =
        ScriptServer::start(vec![too_many(Some(value)), json(200, &fixture("getVpsDetails.200"))]).await;
    let client = client_with(&server.base, fast_retries().with_max_retry_after(Duration::from_secs(60)));
    let err = get(&client).await.unwrap_err();
    assert_eq!(server.count(), 1, "{value}");
    (err, server, client)
}

/// Issue 12, item 3: an absurd `Retry-After` fails that call with the server's value, holds every
/// clone back for the policy's cap at most, and then one request probes again.
#[tokio::test]
async fn an_absurd_retry_after_fails_at_once_and_holds_the_client_back_only_for_the_cap() {
    let server =
        ScriptServer::start(vec![too_many(Some("99999999999")), json(200, &fixture("getVpsDetails.200"))])
            .await;
    let cap = Duration::from_millis(300);
    let client = client_with(&server.base, fast_retries().with_max_retry_after(cap));
    let err = get(&client).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(99_999_999_999)));
    assert!(err.to_string().contains("retry after 99999999999s"), "{err}");
    assert!(err.is_transient() && err.is_safe_to_resend(), "a 429 means nothing was done");
    // A clone waits out the cap, not the server's 3,000 years, then its request goes.
    let held = std::time::Instant::now();
    get(&client.clone()).await.unwrap();
    assert!(held.elapsed() >= cap - Duration::from_millis(20), "not held: {:?}", held.elapsed());
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_float_retry_after_is_read_as_seconds() {
    let (err, ..) = refused_wait("1.5e3").await;
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1500)));
}

#[tokio::test]
async fn retry_after_is_waited_out_before_the_retry() {
    let server =
        ScriptServer::start(vec![too_many(Some("1")), json(200, &fixture("getVpsDetails.200"))]).await;
    let started = std::time::Instant::now();
    get(&client(&server.base)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited only {:?}", started.elapsed());
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retry_after_date_in_the_past_retries_at_once() {
    let past = httpdate::fmt_http_date(std::time::SystemTime::now() - Duration::from_secs(3600));
    let server =
        ScriptServer::start(vec![too_many(Some(&past)), json(200, &fixture("getVpsDetails.200"))]).await;
    get(&client(&server.base)).await.unwrap();
    assert_eq!(server.count(), 2);
}

/// Found by this suite: `Retry-After: 18446744073709551615` (u64::MAX seconds) overflows
/// `Instant + Duration` in the rate-limit governor and panics inside the call.
#[tokio::test]
async fn a_retry_after_beyond_any_instant_does_not_panic() {
    let (err, ..) = refused_wait("18446744073709551615").await;
    assert!(err.retry_after().is_some());
}

#[tokio::test]
async fn disabled_retries_send_everything_once() {
    let server = ScriptServer::start(vec![json(503, "{}")]).await;
    let err = get(&client_with(&server.base, RetryPolicy::disabled())).await.unwrap_err();
    assert_eq!((err.status().map(|s| s.as_u16()), server.count()), (Some(503), 1));
}
