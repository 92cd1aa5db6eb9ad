//! How a user of the crate tests their own code with `hostup-testing`: the two functions below
//! stand for "my app", and the tests mock HostUp around them. Only the public API is used.

use hostup::prelude::*;
use hostup::types::PowerState;
use hostup::{Action, Client, PowerAction, Result, WaitOptions};
use hostup_testing::{self as testing, Method, MockServer, MockServerExt};

const ID: &str = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

/// My app: a warning when a VPS has used more than 80% of its traffic.
async fn bandwidth_warning(client: &Client, id: &str) -> Result<Option<String>> {
    let vps = client.get_vps_details().id(id).send().await?;
    let (used, limit) = (vps.bandwidth.used_gb, vps.bandwidth.limit_gb);
    Ok((used > 0.8 * limit).then(|| format!("{id} has used {used} of {limit} GB")))
}

/// My app: restart a VPS when its gate allows it, and say what happened.
async fn restart_if_allowed(client: &Client, id: &str, wait: WaitOptions) -> Result<String> {
    let vps = client.get_vps_details().id(id).send().await?;
    if let Err(blocked) = vps.ensure_allowed(Action::Restart) {
        return Ok(format!("left {id} alone: {blocked}"));
    }
    let op = client.power(id, PowerAction::Restart).await?;
    let status = op.wait(client, wait).await?;
    Ok(format!("{id} is {}", status.power_state.map_or("unknown".into(), |s| s.to_string())))
}

#[tokio::test]
async fn warns_only_above_80_percent() {
    let server = MockServer::start_async().await;
    let details = testing::vps_details().id(ID).bandwidth(900.0, 1000.0).build();
    server.get_vps_details(|when, then| {
        when.id(ID);
        then.ok(&details);
    });
    let client = testing::client_for(&server);
    let warning = bandwidth_warning(&client, ID).await.unwrap();
    assert_eq!(warning.as_deref(), Some("vps_01hxa3b4c5d6e7f8g9h0j1k2m3 has used 900 of 1000 GB"));
}

#[tokio::test]
async fn a_closed_gate_sends_no_restart() {
    let server = MockServer::start_async().await;
    let details =
        testing::vps_details().id(ID).deny(Action::Restart, "Pending order.", "pending_order").build();
    server.get_vps_details(|when, then| {
        when.id(ID);
        then.ok(&details);
    });
    let restart = testing::power_action_completes(&server, ID, PowerAction::Restart, 1);
    let client = testing::client_for(&server);
    let said = restart_if_allowed(&client, ID, testing::fast_wait()).await.unwrap();
    assert!(said.contains("canRestart is not allowed (pending_order): Pending order."), "{said}");
    assert_eq!(restart.action.calls_async().await, 0);
}

#[tokio::test]
async fn restart_waits_for_the_job() {
    let server = MockServer::start_async().await;
    let details = testing::vps_details().id(ID).power_state(PowerState::Running).build();
    server.get_vps_details(|when, then| {
        when.id(ID);
        then.ok(&details);
    });
    let restart = testing::power_action_completes(&server, ID, PowerAction::Restart, 3);
    let client = testing::client_for(&server);
    let said = restart_if_allowed(&client, ID, testing::fast_wait()).await.unwrap();
    assert_eq!(said, format!("{ID} is running"));
    assert_eq!(restart.action.calls_async().await, 1);
    assert_eq!(restart.job.hits().await, 3);
}

#[tokio::test]
async fn rate_limits_are_ridden_out() {
    let server = MockServer::start_async().await;
    let details = testing::vps_details().id(ID).build();
    let path = format!("/api/v2/vps/{ID}/details");
    let answers = testing::rate_limited_then_ok(&server, Method::GET, &path, 2, &details);
    let client = testing::client_for(&server);
    assert_eq!(bandwidth_warning(&client, ID).await.unwrap(), None);
    assert_eq!((answers.first.calls_async().await, answers.after.calls_async().await), (2, 1));
}

#[tokio::test]
async fn an_unknown_vps_is_an_error_with_a_request_id() {
    let server = MockServer::start_async().await;
    server.get_vps_details(|when, then| {
        when.id("vps_gone");
        then.not_found(&testing::problem(404, "vps_not_found", "No VPS vps_gone."));
    });
    let client = testing::client_for(&server);
    let error = bandwidth_warning(&client, "vps_gone").await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.request_id(), Some("req_test_vps_not_found"));
    assert_eq!(
        error.to_string(),
        "HostUp API error 404 (vps_not_found): No VPS vps_gone. [request req_test_vps_not_found]"
    );
}
