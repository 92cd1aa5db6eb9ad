//! The lifecycle helpers over scripted servers: each one's happy path, and each refusal made
//! before anything is sent (the server counts what reached it).

use hostup::prelude::*;
use hostup::types::{CancelType, PaygBlockerReason, PaygLimitType, RequestedBillingCycle};
use hostup::{CancelRequest, Confirmation, Error, OrderDraft, PaygDeploy};
use serde_json::{Value, json};

use crate::support::*;

const NEW_VPS: &str = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

/// Polls every 5 to 20 ms, for at most 10 s.
fn fast_wait() -> hostup::WaitOptions {
    use std::time::Duration;
    hostup::WaitOptions::default()
        .with_poll_interval(Duration::from_millis(5), Duration::from_millis(20))
        .with_max_wait(Duration::from_secs(10))
}

fn with(fixture_name: &str, pointer: &str, value: Value) -> String {
    let mut doc = fixture_json(fixture_name);
    *doc.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = value;
    doc.to_string()
}

fn status(state: &str) -> Reply {
    json(200, &json!({"id": NEW_VPS, "powerState": state}).to_string())
}

fn body(seen: &Seen) -> Value {
    serde_json::from_str(&seen.body).unwrap()
}

#[tokio::test]
async fn deploy_checks_creates_once_and_follows_the_vps_until_it_runs() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getPaygDeploymentOptions.200")),
        json(200, &fixture("getPaygLimits.200")),
        json(200, &fixture("createPaygDeployment.200")),
        json(404, &fixture("getVpsStatus.404")), // not visible yet
        status("provisioning"),
        status("running"),
        json(200, &fixture("getVpsDetails.200")),
    ])
    .await;
    let request = PaygDeploy::new("web-01", 2, 4, 80);
    let vps = client(&server.base).deploy_payg(&request, fast_wait()).await.unwrap();
    assert_eq!(vps.id, NEW_VPS);
    let seen = server.seen();
    let paths: Vec<_> = seen.iter().map(|s| format!("{} {}", s.method, s.path)).collect();
    assert_eq!(paths.iter().filter(|p| p.starts_with("POST")).count(), 1, "{paths:?}");
    assert_eq!(
        body(&seen[2]),
        json!({"name": "web-01", "cpuCores": 2, "memoryGb": 4, "storageGb": 80, "region": "stockholm"})
    );
    assert!(paths[6].ends_with("/details"), "{paths:?}");
}

#[tokio::test]
async fn a_deployment_that_never_leaves_provisioning_times_out_with_the_last_state() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getPaygDeploymentOptions.200")),
        json(200, &fixture("getPaygLimits.200")),
        json(200, &fixture("createPaygDeployment.200")),
        status("provisioning"),
    ])
    .await;
    let wait = fast_wait().with_max_wait(std::time::Duration::from_millis(200));
    let err = client(&server.base).deploy_payg(&PaygDeploy::new("web-01", 2, 4, 80), wait).await.unwrap_err();
    let Error::WaitTimeout { job_id, last_status, .. } = &err else { panic!("{err:?}") };
    assert_eq!((job_id.as_str(), last_status.as_str()), (NEW_VPS, "powerState provisioning"));
}

#[tokio::test]
async fn a_create_without_an_answer_may_have_been_created_and_is_not_resent() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getPaygDeploymentOptions.200")),
        json(200, &fixture("getPaygLimits.200")),
        Reply::Close,
    ])
    .await;
    let err = client(&server.base)
        .deploy_payg(&PaygDeploy::new("web-01", 2, 4, 80), fast_wait())
        .await
        .unwrap_err();
    let Error::Unconfirmed(unconfirmed) = &err else { panic!("{err:?}") };
    assert_eq!(unconfirmed.look_for.as_deref(), Some("web-01"));
    assert!(err.may_have_reached_server() && !err.is_safe_to_resend(), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("may have been created") && text.contains("\"web-01\""), "{text}");
    assert_eq!(server.seen().iter().filter(|s| s.method == "POST").count(), 1, "never resent");
}

#[tokio::test]
async fn deploy_refusals_name_the_field_the_bound_the_quota_or_the_blocker_and_send_nothing() {
    let options: hostup::types::PaygDeploymentOptions =
        serde_json::from_str(&fixture("getPaygDeploymentOptions.200")).unwrap();
    let limits: hostup::types::PaygLimits = serde_json::from_str(&fixture("getPaygLimits.200")).unwrap();
    let key_of = |e: Error| match e {
        Error::InvalidOption { key, reason } => format!("{key}: {reason}"),
        other => panic!("{other:?}"),
    };
    let check = |r: PaygDeploy| r.check(&options, &limits);
    assert!(key_of(check(PaygDeploy::new("ab", 2, 4, 80)).unwrap_err()).starts_with("name"));
    assert!(key_of(check(PaygDeploy::new("web_01", 2, 4, 80)).unwrap_err()).starts_with("name"));
    assert!(key_of(check(PaygDeploy::new("a".repeat(64), 2, 4, 80)).unwrap_err()).starts_with("name"));
    let cores = key_of(check(PaygDeploy::new("web-01", 33, 4, 80)).unwrap_err());
    assert!(cores.starts_with("cpuCores") && cores.contains("1 to 32"), "{cores}");
    assert!(key_of(check(PaygDeploy::new("web-01", 2, 257, 80)).unwrap_err()).starts_with("memoryGb"));
    assert!(key_of(check(PaygDeploy::new("web-01", 2, 4, 49)).unwrap_err()).starts_with("storageGb"));
    let region = key_of(check(PaygDeploy::new("web-01", 2, 4, 80).region("tokyo")).unwrap_err());
    assert!(region.contains("stockholm"), "{region}");

    let Err(Error::QuotaExceeded(quota)) = check(PaygDeploy::new("web-01", 13, 4, 80)) else { panic!() };
    assert_eq!(
        (quota.limit_type.clone(), quota.requested, quota.remaining, quota.max),
        (PaygLimitType::CpuCores, 13, 12, 16)
    );
    assert!(quota.to_string().contains("limit request"), "{quota}");
    let mut full = limits.clone();
    full.remaining.instance_count = 0;
    let Err(Error::QuotaExceeded(quota)) = PaygDeploy::new("web-01", 2, 4, 80).check(&options, &full) else {
        panic!()
    };
    assert_eq!(quota.limit_type, PaygLimitType::VmCount);

    let blocked: hostup::types::PaygDeploymentOptions = serde_json::from_str(&with(
        "getPaygDeploymentOptions.200",
        "/access/blockerReasons",
        json!(["not_verified", "no_card_on_file"]),
    ))
    .unwrap();
    let err = PaygDeploy::new("web-01", 2, 4, 80).check(&blocked, &limits).unwrap_err();
    assert_eq!(err.blocker_reasons(), [PaygBlockerReason::NotVerified, PaygBlockerReason::NoCardOnFile]);
    let text = err.to_string();
    assert!(text.contains("canDeploy") && text.contains("add a payment card"), "{text}");

    // Through the client: the refusal comes before the create.
    let server = ScriptServer::start(vec![
        json(200, &fixture("getPaygDeploymentOptions.200")),
        json(200, &fixture("getPaygLimits.200")),
        json(200, &fixture("createPaygDeployment.200")),
    ])
    .await;
    let err = client(&server.base)
        .deploy_payg(&PaygDeploy::new("web-01", 13, 4, 80), fast_wait())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::QuotaExceeded(_)), "{err:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_limit_request_carries_the_current_ceiling_and_a_long_enough_reason() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("getPaygLimits.200")),
        json(202, &fixture("requestPaygLimitIncrease.202")),
    ])
    .await;
    let client = client(&server.base);
    let short = client.request_payg_limit(PaygLimitType::CpuCores, 32, "more").await.unwrap_err();
    assert!(matches!(&short, Error::InvalidOption { key, .. } if key == "reason"), "{short:?}");
    assert_eq!(server.count(), 0);
    let filed =
        client.request_payg_limit(PaygLimitType::CpuCores, 32, "Need capacity for production").await.unwrap();
    assert_eq!(filed.id, "payglim_01hxa3b4c5d6e7f8g9h0j1k2m3");
    assert_eq!(
        body(&server.seen()[1]),
        json!({"limitType": "cpuCores", "currentLimit": 16, "requestedLimit": 32, "reason": "Need capacity for production"})
    );
}

#[tokio::test]
async fn an_order_is_checked_against_the_catalogue_and_carries_its_attempt_key() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("listVpsProducts.200")),
        json(200, &fixture("createOrder.200")),
    ])
    .await;
    let client = client(&server.base);
    let draft = OrderDraft::vps("vps-xs", RequestedBillingCycle::Annually);
    let order = client.place_order(&draft).await.unwrap();
    assert_eq!(order.id.as_deref(), Some("ord_01hxa3b4c5d6e7f8g9h0j1k2m3"));
    let sent = body(&server.seen()[1]);
    assert_eq!(sent["attemptKey"], draft.attempt_key());
    assert_eq!(sent["items"], json!([{"productSlug": "vps-xs", "billingCycle": "annually"}]));

    let server = ScriptServer::start(vec![json(200, &fixture("listVpsProducts.200"))]).await;
    let unknown = hostup_client(&server)
        .place_order(&OrderDraft::vps("vps-xxl", RequestedBillingCycle::Monthly))
        .await
        .unwrap_err();
    assert!(
        matches!(&unknown, Error::InvalidOption { key, reason } if key == "items[0].productSlug" && reason.contains("vps-xs")),
        "{unknown:?}"
    );
    let cycle = hostup_client(&server)
        .place_order(&OrderDraft::vps("vps-xs", RequestedBillingCycle::Triennially))
        .await
        .unwrap_err();
    assert!(
        matches!(&cycle, Error::InvalidOption { key, .. } if key == "items[0].billingCycle"),
        "{cycle:?}"
    );
    assert!(server.seen().iter().all(|s| s.method == "GET"), "no order was sent");
}

fn hostup_client(server: &ScriptServer) -> hostup::Client {
    client(&server.base)
}

#[tokio::test]
async fn rebuild_needs_a_confirmation_for_this_vps_an_offered_template_and_the_gate() {
    let server = ScriptServer::start(vec![json(200, &fixture("listVpsTemplates.200"))]).await;
    let client = client(&server.base);
    let other = client
        .rebuild(VPS_ID, "Debian 12", &Confirmation::destroys("vps_other"), fast_wait())
        .await
        .unwrap_err();
    assert!(matches!(other, Error::InvalidRequest(_)), "{other:?}");
    assert_eq!(server.count(), 0, "a confirmation for another VPS sends nothing");
    let yes = Confirmation::destroys(VPS_ID);
    let missing = client.rebuild(VPS_ID, "Windows 11", &yes, fast_wait()).await.unwrap_err();
    assert!(
        matches!(&missing, Error::InvalidOption { key, reason } if key == "templateId" && reason.contains("Debian 12")),
        "{missing:?}"
    );

    let denied = with(
        "getVpsDetails.200",
        "/actions/canRebuild",
        json!({"allowed": false, "reason": "A job is running.", "code": "job_running"}),
    );
    let server =
        ScriptServer::start(vec![json(200, &fixture("listVpsTemplates.200")), json(200, &denied)]).await;
    let err = hostup_client(&server).rebuild(VPS_ID, "Debian 12", &yes, fast_wait()).await.unwrap_err();
    assert!(matches!(err, Error::Blocked(_)), "{err:?}");
    assert!(server.seen().iter().all(|s| s.method == "GET"));

    let job_done = json!({"operation": {"status": "completed", "jobId": "job_01hxa3b4c5d6e7f8g9h0j1k2m3", "pollUrl": "/api/jobs/job_01hxa3b4c5d6e7f8g9h0j1k2m3"}});
    let server = ScriptServer::start(vec![
        json(200, &fixture("listVpsTemplates.200")),
        json(200, &fixture("getVpsDetails.200")),
        json(202, &fixture("rebuildVps.202")),
        json(
            200,
            &json!({"operation": {"status": "in_progress", "jobId": "j", "pollUrl": "/api/jobs/j"}})
                .to_string(),
        ),
        json(200, &job_done.to_string()),
        status("running"),
    ])
    .await;
    let done = hostup_client(&server).rebuild(VPS_ID, "debian 12", &yes, fast_wait()).await.unwrap();
    assert_eq!(done.power_state, Some(hostup::types::PowerState::Running));
    assert_eq!(body(&server.seen()[2]), json!({"templateId": "os_01hxa3b4c5d6e7f8g9h0j1k2m4"}));
}

#[tokio::test]
async fn conversion_checks_eligibility_first_and_keeps_the_servers_blockers() {
    let server = ScriptServer::start(vec![json(200, &fixture("getCloudConversionEligibility.200"))]).await;
    let err = hostup_client(&server).convert_to_cloud(VPS_ID).await.unwrap_err();
    assert_eq!(err.blocker_reasons(), [PaygBlockerReason::NotVerified, PaygBlockerReason::NoCloudAccess]);
    assert_eq!(server.count(), 1, "no conversion was sent");

    let payg = with("getCloudConversionEligibility.200", "/currentBillingModel", json!("payg"));
    let server = ScriptServer::start(vec![json(200, &payg)]).await;
    assert!(matches!(
        hostup_client(&server).convert_to_cloud(VPS_ID).await,
        Err(Error::WrongBillingModel(_))
    ));

    let mut eligible = fixture_json("getCloudConversionEligibility.200");
    eligible["available"] = json!(true);
    eligible["actions"]["canConvertToCloud"] = json!({"allowed": true, "reason": null});
    eligible["blockerReasons"] = json!([]);
    let server = ScriptServer::start(vec![
        json(200, &eligible.to_string()),
        json(200, &fixture("convertVpsToCloud.200")),
    ])
    .await;
    assert!(hostup_client(&server).convert_to_cloud(VPS_ID).await.unwrap().converted);

    for (status, name, expected) in [
        (409, "convertVpsToCloud.409", PaygBlockerReason::HasUnpaidInvoice),
        (403, "convertVpsToCloud.403", PaygBlockerReason::NotVerified),
    ] {
        let top_level_only = {
            let mut doc = fixture_json(name);
            if status == 403 {
                doc.as_object_mut().unwrap().remove("extensions");
            }
            doc.to_string()
        };
        let server =
            ScriptServer::start(vec![json(200, &eligible.to_string()), json(status, &top_level_only)]).await;
        let err = hostup_client(&server).convert_to_cloud(VPS_ID).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.blocker_reasons().contains(&expected), "{name}: {:?}", err.blocker_reasons());
    }
}

#[tokio::test]
async fn cancellation_follows_a_pending_lookup_and_surfaces_the_auto_renew_side_effect() {
    let request = CancelRequest::new(CancelType::EndOfPeriod, "Moving to different provider");
    let yes = Confirmation::destroys(VPS_ID);
    let empty = CancelRequest::new(CancelType::Immediate, "").to_body().unwrap_err();
    assert!(matches!(&empty, Error::InvalidOption { key, .. } if key == "reason"));
    assert!(CancelRequest::new(CancelType::Immediate, "x".repeat(501)).to_body().is_err());

    let pending = json!({"cancellationLookupPending": true}).to_string();
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(200, &pending),
        json(200, &json!({"status": "none"}).to_string()),
        json(200, &fixture("getVpsCancellation.200")),
    ])
    .await;
    let status =
        hostup_client(&server).cancel_vps_service(VPS_ID, &request, &yes, fast_wait()).await.unwrap();
    assert!(status.exists() && status.is_revokable());
    assert_eq!(
        body(&server.seen()[1]),
        json!({"reason": "Moving to different provider", "cancelType": "end_of_period"})
    );

    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(409, &fixture("cancelVps.409")),
    ])
    .await;
    let err =
        hostup_client(&server).cancel_vps_service(VPS_ID, &request, &yes, fast_wait()).await.unwrap_err();
    assert!(err.auto_renew_was_disabled(), "{err:?}");

    let server =
        ScriptServer::start(vec![json(200, &json!({"status": "completed", "revokable": false}).to_string())])
            .await;
    assert!(matches!(hostup_client(&server).withdraw_cancellation(VPS_ID).await, Err(Error::Blocked(_))));
    assert_eq!(server.count(), 1, "no DELETE for a cancellation that cannot be withdrawn");
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsCancellation.200")),
        json(200, &fixture("revokeVpsCancellation.200")),
    ])
    .await;
    let revoked = hostup_client(&server).withdraw_cancellation(VPS_ID).await.unwrap();
    assert_eq!(revoked.status, Some(hostup::types::CancellationStatus::Revoked));
    assert_eq!(server.seen()[1].method, "DELETE");
}

#[tokio::test]
async fn maintenance_extends_only_a_known_deadline_with_extensions_left() {
    let deadline = "mtd_01hxa3b4c5d6e7f8g9h0j1k2m3";
    let open =
        with("getVpsDetails.200", "/actions/canExtendMaintenance", json!({"allowed": true, "reason": null}));
    let used_up = with("getVpsMaintenance.200", "/pendingChanges/0/extension", json!({"extensionCount": 2}));
    let server = ScriptServer::start(vec![json(200, &fixture("getVpsDetails.200"))]).await;
    let closed = hostup_client(&server).extend_maintenance(VPS_ID, deadline).await.unwrap_err();
    assert!(matches!(closed, Error::Blocked(_)), "{closed:?}");
    let server = ScriptServer::start(vec![json(200, &open), json(200, &used_up)]).await;
    let err = hostup_client(&server).extend_maintenance(VPS_ID, deadline).await.unwrap_err();
    assert!(err.to_string().contains("extended 2 of at most 2 times"), "{err}");
    let server =
        ScriptServer::start(vec![json(200, &open), json(200, &fixture("getVpsMaintenance.200"))]).await;
    let err = hostup_client(&server).extend_maintenance(VPS_ID, "mtd_nope").await.unwrap_err();
    assert!(matches!(&err, Error::InvalidOption { key, .. } if key == "deadlineId"), "{err:?}");
    let server = ScriptServer::start(vec![
        json(200, &open),
        json(200, &fixture("getVpsMaintenance.200")),
        json(200, &fixture("extendVpsMaintenance.200")),
    ])
    .await;
    let extended = hostup_client(&server).extend_maintenance(VPS_ID, deadline).await.unwrap();
    assert_eq!(extended.new_deadline.as_deref(), Some("2026-05-22T00:00:00.000Z"));
    assert_eq!(body(&server.seen()[2]), json!({"deadlineId": deadline}));
}

#[tokio::test]
async fn a_reset_connection_on_order_creation_is_retried_with_the_same_attempt_key() {
    let server = ScriptServer::start(vec![
        json(200, &fixture("listVpsProducts.200")),
        Reply::Close, // the order request was read, the answer lost
        json(200, &fixture("createOrder.200")),
    ])
    .await;
    let draft = OrderDraft::vps("vps-xs", RequestedBillingCycle::Monthly);
    let order = hostup_client(&server).place_order(&draft).await.unwrap();
    assert_eq!(order.id.as_deref(), Some("ord_01hxa3b4c5d6e7f8g9h0j1k2m3"));
    let posts: Vec<Value> = server.seen().iter().filter(|s| s.method == "POST").map(body).collect();
    assert_eq!(posts.len(), 2, "resent once after the reset");
    assert_eq!(posts[0], posts[1], "the same body, so the same attemptKey");
    assert_eq!(posts[0]["attemptKey"], draft.attempt_key());

    // Without an attempt key the same fault is not retried: the order may exist.
    let server = ScriptServer::start(vec![Reply::Close, json(200, &fixture("createOrder.200"))]).await;
    let body = hostup::types::OrderRequest {
        attempt_key: None,
        items: vec![serde_json::from_value(json!({"productSlug": "vps-xs"})).unwrap()],
        client_data: Default::default(),
    };
    let err = hostup_client(&server).create_order().body(body).send().await.unwrap_err();
    assert!(err.may_have_reached_server(), "{err:?}");
    assert_eq!(server.count(), 1, "never resent without a key");
}
