//! Credentials never reach another origin: redirects away are not followed (the legacy `X-API-Key`
//! routes included), and an operation's `pollUrl` on another host is refused. A `pollUrl` is only
//! ever used for its last segment, polled on the client's own base URL.

use std::time::Duration;

use hostup::prelude::*;
use hostup::{Error, PowerAction, WaitOptions};
use serde_json::json;

use crate::support::*;

async fn legacy_details(base: &str) -> hostup::Result<()> {
    let client = client(base);
    guard(client.get_legacy_vm_details().vmid(10415u64).send()).await.map(drop)
}

#[tokio::test]
async fn a_legacy_route_never_follows_a_redirect_to_another_origin() {
    let elsewhere = ScriptServer::start(vec![json(200, &fixture("getLegacyVmDetails.200"))]).await;
    let port = elsewhere.base.rsplit(':').next().unwrap().to_string();
    let targets = [
        format!("{}/api/vm/10415/details", elsewhere.base),
        format!("http://localhost:{port}/api/vm/10415/details"),
        format!("https://127.0.0.1:{port}/api/vm/10415/details"),
        format!("//127.0.0.1:{port}/api/vm/10415/details"),
    ];
    for location in targets {
        let server = ScriptServer::start(vec![http(302, &[("location", &location)], "")]).await;
        let err = legacy_details(&server.base).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(302), "{location}: {err:?}");
        assert!(err.to_string().contains("redirected"), "{err}");
        assert_eq!(server.seen()[0].header("x-api-key"), Some(KEY), "the key went to its own host");
    }
    assert_eq!(elsewhere.count(), 0, "another origin saw a request");
}

#[tokio::test]
async fn a_same_origin_hop_then_a_foreign_one_stops_at_the_border() {
    let elsewhere = ScriptServer::start(vec![json(200, "{}")]).await;
    let away = format!("{}/api/jobs/job_1", elsewhere.base);
    let server = ScriptServer::start(vec![
        http(307, &[("location", "/api/jobs/job_2")], ""),
        http(307, &[("location", &away)], ""),
    ])
    .await;
    let err = error(guard(client(&server.base).get_job().job_id("job_1").send()).await);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307), "{err:?}");
    assert_eq!(server.count(), 2);
    assert!(server.seen().iter().all(|s| s.header("x-api-key") == Some(KEY)));
    assert_eq!(elsewhere.count(), 0);
}

#[tokio::test]
async fn a_same_origin_redirect_on_a_legacy_route_keeps_the_key() {
    let server = ScriptServer::start(vec![
        http(308, &[("location", "/api/vm/10415/details?moved=1")], ""),
        json(200, &fixture("getLegacyVmDetails.200")),
    ])
    .await;
    legacy_details(&server.base).await.unwrap();
    assert_eq!(server.count(), 2);
    assert_eq!(server.seen()[1].header("x-api-key"), Some(KEY));
    assert_eq!(server.seen()[1].header("authorization"), None, "legacy routes take X-API-Key only");
}

fn accepted(poll_url: &str) -> Reply {
    let body = json!({"operation": {"status": "queued", "jobId": "job_fallback", "pollUrl": poll_url}});
    json(202, &body.to_string())
}

fn done() -> Reply {
    let body =
        json!({"operation": {"status": "completed", "jobId": "j", "pollUrl": "/api/jobs/j", "result": {}}});
    json(200, &body.to_string())
}

fn quick() -> WaitOptions {
    WaitOptions::default().with_poll_interval(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn a_foreign_poll_url_is_refused_in_every_spelling() {
    let foreign = [
        "//evil.example/api/jobs/job_1",
        " //evil.example/api/jobs/job_1",
        "HTTPS://EVIL.EXAMPLE/api/jobs/job_1",
        "http://127.0.0.1:1/api/jobs/job_1",
        "ftp://evil.example/job_1",
    ];
    for poll_url in foreign {
        let server =
            ScriptServer::start(vec![json(200, &fixture("getVpsDetails.200")), accepted(poll_url)]).await;
        let c = client(&server.base);
        let op = guard(c.power(VPS_ID, PowerAction::Restart)).await.unwrap();
        let err = guard(op.wait(&c, quick())).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRequest(m) if m.contains("another host")),
            "{poll_url}: {err:?}"
        );
        assert_eq!(server.count(), 2, "{poll_url}: nothing was polled");
    }
}

#[tokio::test]
async fn a_poll_url_is_only_a_job_id_on_the_clients_own_host() {
    let cases = [
        ("https:evil.example/api/jobs/job_9", "/api/jobs/job_9"),
        ("/api/jobs/../../admin", "/api/jobs/admin"),
        ("/api/jobs/job_7?x=1#frag", "/api/jobs/job_7"),
        ("/api/jobs/", "/api/jobs/job_fallback"),
        ("", "/api/jobs/job_fallback"),
        ("/api/jobs/a%2Fb", "/api/jobs/a%252Fb"),
    ];
    for (poll_url, polled) in cases {
        let server = ScriptServer::start(vec![
            json(200, &fixture("getVpsDetails.200")),
            accepted(poll_url),
            done(),
            json(200, &fixture("getVpsStatus.200")),
        ])
        .await;
        let c = client(&server.base);
        let op = guard(c.power(VPS_ID, PowerAction::Restart)).await.unwrap();
        guard(op.wait(&c, quick())).await.unwrap_or_else(|e| panic!("{poll_url:?}: {e}"));
        assert_eq!(server.seen()[2].path, polled, "{poll_url:?}");
    }
}
