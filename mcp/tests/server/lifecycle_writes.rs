//! PAYG deployment, rebuild and cancellation as two-step writes: priced, checked against the
//! quota and gates, destructive ones marked, the ceiling counting a deployment's monthly cost.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::json;

use crate::common::start;

#[tokio::test]
async fn a_payg_deployment_is_priced_checked_against_the_quota_and_created_once() {
    let session = start(Settings::default()).await;
    let deploy = json!({"name": "web-01", "cpuCores": 2, "memoryGb": 4, "storageGb": 80});
    let (quote, created) = session.two_step("preview_payg_deploy", deploy).await;
    let cost = &quote["cost"];
    assert_eq!(cost["currency"], "SEK", "{quote}");
    let monthly = cost["recurringIncrease"].as_f64().unwrap();
    let hourly = quote["quote"]["hourly"].as_f64().unwrap();
    assert!(hourly > 0.0 && (monthly - hourly * 730.0).abs() < 0.05, "{quote}");
    assert_eq!(quote["quote"]["deploy"]["region"], "stockholm", "the default region: {quote}");
    assert_eq!(created["status"], "provisioning", "{created}");
    let id = created["vpsId"].as_str().unwrap();
    let listed = session.call("list_vps", json!({"name": "web-01"})).await;
    assert_eq!(listed.ok()["data"][0]["id"], id);
    let again = session
        .call("preview_payg_deploy", json!({"name": "web-01", "cpuCores": 1, "memoryGb": 1, "storageGb": 50}))
        .await;
    assert!(again.ok()["warnings"].to_string().contains("exist already"), "{}", again.json);

    let big = json!({"name": "big-01", "cpuCores": 15, "memoryGb": 4, "storageGb": 80});
    let refused = session.call("preview_payg_deploy", big).await;
    assert_eq!(refused.code(), "quota_exceeded", "{}", refused.json);
    let details = &refused.json["error"]["details"];
    assert_eq!((details["limit"].clone(), details["requested"].clone()), (json!("cpuCores"), json!(15)));
    assert_eq!(details["remaining"], 12, "14, minus web-01's 2: {details}");
    let bad = session
        .call("preview_payg_deploy", json!({"name": "x", "cpuCores": 1, "memoryGb": 1, "storageGb": 50}))
        .await;
    assert_eq!(
        (bad.code(), bad.json["error"]["details"]["field"].clone()),
        ("invalid_option", json!("name"))
    );
    let region = session
        .call(
            "preview_payg_deploy",
            json!({"name": "web-03", "cpuCores": 1, "memoryGb": 1, "storageGb": 50, "region": "mars"}),
        )
        .await;
    assert_eq!(region.json["error"]["details"]["field"], "region", "{}", region.json);
}

#[tokio::test]
async fn the_ceiling_counts_a_deployments_monthly_cost() {
    let session = start(Settings::default().max_spend(100.0, Some("SEK".into()))).await;
    let deploy = json!({"name": "web-01", "cpuCores": 2, "memoryGb": 4, "storageGb": 80});
    let quote = session.call("preview_payg_deploy", deploy).await;
    assert!(quote.ok()["cost"]["recurringIncrease"].as_f64().unwrap() > 100.0, "{}", quote.json);
    let refused = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "spending_ceiling_exceeded", "{}", refused.json);
    let listed = session.call("list_vps", json!({"name": "web-01"})).await;
    assert!(listed.ok()["data"].as_array().unwrap().is_empty(), "nothing was created");
}

#[tokio::test]
async fn a_rebuild_is_destructive_and_waits_for_the_vps() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let unknown = session.call("preview_rebuild", json!({"id": vps, "templateId": "BeOS"})).await;
    assert_eq!(unknown.json["error"]["details"]["field"], "templateId", "{}", unknown.json);
    assert!(unknown.json["error"]["reason"].as_str().unwrap().contains("Debian 12"), "lists what is offered");
    let gated =
        session.call("preview_rebuild", json!({"id": fleet::BLOCKED, "templateId": "Debian 12"})).await;
    assert_eq!(gated.code(), "pending_order", "{}", gated.json);
    assert_eq!(gated.json["error"]["details"]["gate"], "canRebuild");

    let (quote, rebuilt) =
        session.two_step("preview_rebuild", json!({"id": vps, "templateId": "Debian 12"})).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert!(quote["warnings"].to_string().contains("every file"), "{quote}");
    assert_eq!(rebuilt["finished"], true, "{rebuilt}");
    assert_eq!(rebuilt["status"]["powerState"], "running", "{rebuilt}");
}

#[tokio::test]
async fn a_cancellation_is_filed_and_revoked() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let nothing = session.call("preview_cancellation_revoke", json!({"id": vps})).await;
    assert_eq!(nothing.code(), "not_revokable", "{}", nothing.json);
    let empty = session.call("preview_cancellation", json!({"id": vps, "reason": ""})).await;
    assert_eq!(empty.json["error"]["details"]["field"], "reason", "{}", empty.json);

    let (quote, cancelled) =
        session.two_step("preview_cancellation", json!({"id": vps, "reason": "No longer needed"})).await;
    assert_eq!(
        (quote["destructive"].clone(), quote["quote"]["cancelType"].clone()),
        (json!(true), json!("end_of_period"))
    );
    assert_eq!(
        (cancelled["status"].clone(), cancelled["revokable"].clone()),
        (json!("scheduled"), json!(true))
    );
    let (_, revoked) = session.two_step("preview_cancellation_revoke", json!({"id": vps})).await;
    assert_eq!(revoked["status"], "revoked", "{revoked}");

    // An overdue invoice closes the canCancel gate: refused before anything is sent.
    let overdue =
        session.call("preview_cancellation", json!({"id": fleet::OVERDUE, "reason": "Too expensive"})).await;
    assert_eq!(overdue.code(), "cancellation_blocked_overdue_invoice", "{}", overdue.json);
    assert_eq!(overdue.json["error"]["details"]["gate"], "canCancel");
    assert_eq!(overdue.json["error"]["mayHaveReachedServer"], false);
}
