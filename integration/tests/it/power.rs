//! Power actions honour their gates; waits end on completed, failed, or a timeout.

use std::time::Duration;

use hostup::prelude::*;
use hostup::{Error, PowerAction, WaitOptions};
use serde_json::json;

use crate::support::*;

fn job(status: &str) -> Reply {
    json(200, &json!({"operation": {"status": status, "jobId": "job_1", "pollUrl": "/api/jobs/job_1", "result": null}}).to_string())
}

fn quick() -> WaitOptions {
    WaitOptions::default().with_poll_interval(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn restart_then_wait_returns_on_completed() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(202, &fixture("restartVps.202")),
        job("queued"),
        job("in_progress"),
        job("completed"),
        json(200, &fixture("getVpsStatus.200")),
    ])
    .await;
    let client = client(&server.base);
    let op = client.power(VPS_ID, PowerAction::Restart).await.unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let status = op
        .wait(&client, quick().on_progress(move |p| log.lock().unwrap().push(p.status.clone())))
        .await
        .unwrap();
    assert_eq!(status.power_state, Some(hostup::types::PowerState::Running));
    let paths: Vec<String> = server.seen().into_iter().map(|s| format!("{} {}", s.method, s.path)).collect();
    assert_eq!(paths[1], format!("POST /api/v2/vps/{VPS_ID}/actions/restart"));
    // The poll follows the pollUrl the action returned.
    let poll = "GET /api/jobs/job_01hxa3b4c5d6e7f8g9h0j1k2m3";
    assert_eq!(paths[2..5], [poll, poll, poll]);
    assert_eq!(server.seen()[2].header("x-api-key"), Some(KEY));
    assert_eq!(*seen.lock().unwrap(), ["queued", "in_progress"]);
}

#[tokio::test]
async fn wait_fails_on_failed() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(202, &fixture("resetVps.202")),
        json(200, &json!({"operation": {"status": "failed", "jobId": "job_1", "pollUrl": "/api/jobs/job_1", "result": {"message": "hypervisor refused"}}}).to_string()),
    ])
    .await;
    let client = client(&server.base);
    let op = client.power(VPS_ID, PowerAction::Reset).await.unwrap();
    let err = op.wait(&client, quick()).await.unwrap_err();
    assert!(
        matches!(&err, Error::OperationFailed { detail, .. } if detail == "hypervisor refused"),
        "{err:?}"
    );
}

#[tokio::test]
async fn wait_times_out_with_the_last_status() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(202, &fixture("stopVps.202")),
        job("in_progress"),
    ])
    .await;
    let client = client(&server.base);
    let op = client.power(VPS_ID, PowerAction::Stop).await.unwrap();
    let err = op.wait(&client, quick().with_max_wait(Duration::from_millis(200))).await.unwrap_err();
    let Error::WaitTimeout { job_id, last_status, .. } = &err else { panic!("{err:?}") };
    assert_eq!((job_id.as_str(), last_status.as_str()), ("job_01hxa3b4c5d6e7f8g9h0j1k2m3", "in_progress"));
    assert!(err.to_string().contains("still in_progress"));
}

#[tokio::test]
async fn a_closed_gate_sends_no_action() {
    // The fixture's VPS is running: canStart is false.
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(202, &fixture("startVps.202")),
    ])
    .await;
    let err = client(&server.base).power(VPS_ID, PowerAction::Start).await.unwrap_err();
    let Error::Blocked(blocked) = &err else { panic!("{err:?}") };
    assert_eq!(blocked.action, "canStart");
    assert_eq!(blocked.reason.as_deref(), Some("VPS is already running."));
    assert_eq!(server.count(), 1, "only the details were read");
}

#[tokio::test]
async fn a_poll_url_on_another_host_is_refused() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(202, &json!({"operation": {"status": "queued", "jobId": "job_1", "pollUrl": "https://evil.example/api/jobs/job_1"}}).to_string()),
    ])
    .await;
    let client = client(&server.base);
    let op = client.power(VPS_ID, PowerAction::Restart).await.unwrap();
    let err = op.wait(&client, quick()).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("another host")), "{err:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn legacy_job_shape_and_status_fallback_are_understood() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(202, &fixture("shutdownVps.202")),
        json(
            200,
            &json!({"success": true, "data": {"isCompleted": false, "isFailed": false, "isRunning": true}})
                .to_string(),
        ),
        json(200, &json!({"success": true, "data": {"isCompleted": true, "isFailed": false}}).to_string()),
        json(200, &json!({"id": VPS_ID, "powerState": "stopped"}).to_string()),
    ])
    .await;
    let client = client(&server.base);
    let op = client.power(VPS_ID, PowerAction::Shutdown).await.unwrap();
    let status = op.wait(&client, quick()).await.unwrap();
    assert_eq!(status.power_state, Some(hostup::types::PowerState::Stopped));
}

/// Status replies for a reboot wait: `states` in order (the last repeats), no uptime.
fn statuses(states: &[&str]) -> Vec<Reply> {
    states.iter().map(|s| json(200, &json!({"id": VPS_ID, "powerState": s}).to_string())).collect()
}

/// Runs a restart whose 202 is `accepted`, then `job` replies (if any), then `states`.
async fn restart_wait(accepted: &str, job: Option<Reply>, states: &[&str]) -> (hostup::Result<()>, usize) {
    let mut script = vec![json(200, &fixture("getVpsDetails.200")), json(202, accepted)];
    script.extend(job);
    script.extend(statuses(states));
    let server = ScriptServer::start(script).await;
    let client = client(&server.base);
    let op = client.power(VPS_ID, PowerAction::Restart).await.unwrap();
    let waited = op.wait(&client, quick().with_max_wait(Duration::from_millis(300))).await;
    let status_polls = server.seen().iter().filter(|s| s.path.ends_with("/status")).count();
    (
        waited.map(|status| assert_eq!(status.power_state, Some(hostup::types::PowerState::Running))),
        status_polls,
    )
}

/// The ways a reboot wait has nothing but the VPS's status to go by.
fn blind_cases() -> Vec<(&'static str, String, Option<Reply>)> {
    let accepted = fixture("restartVps.202");
    vec![
        ("no operation in the 202", "{}".to_string(), None),
        ("a 404 job", accepted.clone(), Some(json(404, r#"{"title": "Not Found", "status": 404}"#))),
        ("a job body saying nothing known", accepted.clone(), Some(json(200, r#"{"something": "else"}"#))),
        ("a job body that does not decode", accepted, Some(json(200, r#"{"operation": 42}"#))),
    ]
}

#[tokio::test]
async fn a_reboot_never_seen_is_not_reported_done() {
    for (case, accepted, job) in blind_cases() {
        let (waited, polls) = restart_wait(&accepted, job, &["running"]).await;
        let Err(Error::WaitTimeout { last_status, .. }) = &waited else { panic!("{case}: {waited:?}") };
        assert_eq!(last_status, "powerState running, no reboot seen yet", "{case}");
        let text = waited.as_ref().unwrap_err().to_string();
        assert!(text.contains("still powerState running, no reboot seen yet after"), "{case}: {text}");
        assert!(polls > 1, "{case}: the wait kept watching ({polls} polls)");
    }
}

#[tokio::test]
async fn a_reboot_seen_going_down_and_up_is_done() {
    for (case, accepted, job) in blind_cases() {
        let (waited, polls) =
            restart_wait(&accepted, job, &["running", "running", "stopping", "running"]).await;
        waited.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(polls, 4, "{case}: done at the first running after the transition, not before");
    }
}

#[tokio::test]
async fn a_restarted_uptime_confirms_a_reboot() {
    let up =
        |seconds: u32| json(200, &json!({"powerState": "running", "uptimeSeconds": seconds}).to_string());
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(202, "{}"),
        up(86_400),
        up(86_401),
        up(2),
    ])
    .await;
    let client = client(&server.base);
    let op = client.power(VPS_ID, PowerAction::Reset).await.unwrap();
    let status = op.wait(&client, quick()).await.unwrap();
    assert_eq!(status.uptime_seconds, Some(2.0));
    assert_eq!(server.count(), 5);
}
