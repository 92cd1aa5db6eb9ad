//! The quote-then-commit flow: only a fresh token, for exactly the previewed request, commits, and
//! only once; every refusal is a result with a code and a recovery.

use std::time::Duration;

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::{Value, json};

use crate::common::start;

#[tokio::test]
async fn a_token_commits_its_own_request_once_and_nothing_else() {
    let session = start(Settings::default()).await;
    let start_it = json!({"id": fleet::QUARTERLY_EUR, "action": "start"});
    let no_token =
        session.call("commit", json!({"preview": "preview_power_action", "arguments": start_it})).await;
    assert_eq!(no_token.code(), "token_missing");

    let quote = session.call("preview_power_action", start_it.clone()).await;
    let commit_with = quote.ok()["commitWith"].clone();
    assert_eq!(commit_with["arguments"], start_it);
    assert!(quote.ok()["expiresInSeconds"].as_u64().unwrap() > 0);

    let mut other = commit_with.clone();
    other["arguments"]["id"] = fleet::MONTHLY_SEK.into();
    assert_eq!(session.call("commit", other).await.code(), "token_mismatch");
    let mut other_tool = commit_with.clone();
    other_tool["preview"] = "preview_snapshot_restore".into();
    assert_eq!(session.call("commit", other_tool).await.code(), "token_mismatch");
    let mut forged = commit_with.clone();
    forged["token"] = "hq_00000000000000000000000000000000".into();
    assert_eq!(session.call("commit", forged).await.code(), "token_unknown");

    let committed = session.call("commit", commit_with.clone()).await;
    assert_eq!(committed.ok()["committed"], true);
    assert_eq!(committed.ok()["result"]["action"], "start");
    assert_eq!(session.call("commit", commit_with).await.code(), "token_used");

    let log = session.log();
    assert_eq!(log.lines().filter(|l| l.contains("\"event\":\"commit\"")).count(), 1, "{log}");
    assert_eq!(log.lines().filter(|l| l.contains("\"event\":\"refused\"")).count(), 5, "{log}");
    assert!(log.lines().all(|l| serde_json::from_str::<Value>(l).is_ok()), "{log}");
}

#[tokio::test]
async fn a_stale_token_is_refused_on_the_servers_clock() {
    let session = start(Settings::default().quote_lifetime(Duration::from_millis(300))).await;
    let quote =
        session.call("preview_power_action", json!({"id": fleet::MONTHLY_SEK, "action": "restart"})).await;
    let commit_with = quote.ok()["commitWith"].clone();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(session.call("commit", commit_with.clone()).await.code(), "token_expired");
    assert_eq!(session.call("commit", commit_with).await.code(), "token_expired");
}

#[tokio::test]
async fn gates_billing_models_and_unpaid_invoices_refuse_with_their_code_and_recovery() {
    let session = start(Settings::default()).await;
    let running =
        session.call("preview_power_action", json!({"id": fleet::MONTHLY_SEK, "action": "start"})).await;
    assert_eq!(running.json["error"]["kind"], "blocked", "{}", running.json);
    let suspended =
        session.call("preview_power_action", json!({"id": fleet::SUSPENDED, "action": "start"})).await;
    assert_eq!(suspended.code(), "service_suspended", "{}", suspended.json);
    assert!(suspended.json["error"]["recovery"].as_str().unwrap().contains("get_vps_details"));

    let payg =
        session.call("preview_plan_change", json!({"id": fleet::PAYG_CLOUD, "productSlug": "vps-md"})).await;
    assert_eq!(payg.code(), "wrong_billing_model");

    let change = json!({"id": fleet::OVERDUE, "resources": {"bandwidthGb": 4096}});
    let quote = session.call("preview_resource_change", change).await;
    let warnings = quote.ok()["warnings"].to_string();
    assert!(warnings.contains("existing_invoice_blocking"), "{}", quote.json);
    let refused = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "existing_invoice_blocking", "{}", refused.json);
    assert_eq!(refused.json["error"]["mayHaveReachedServer"], true);
    assert!(refused.json["error"]["recovery"].as_str().unwrap().contains("cancelExistingInvoice"));
    // The server refused it, so nothing was spent.
    let next =
        session.call("preview_power_action", json!({"id": fleet::MONTHLY_SEK, "action": "restart"})).await;
    assert_eq!(next.ok()["spending"]["committedRecurringIncrease"], 0.0, "{}", next.json);

    let bad = session
        .call("preview_resource_change", json!({"id": fleet::MONTHLY_SEK, "resources": {"bandwidthGb": 7}}))
        .await;
    assert_eq!(bad.code(), "invalid_option", "{}", bad.json);
}

#[tokio::test]
async fn billed_changes_commit_what_was_priced() {
    let session = start(Settings::default()).await;
    let quote = session
        .call(
            "preview_resource_change",
            json!({"id": fleet::MONTHLY_SEK, "resources": {"bandwidthGb": 4096}}),
        )
        .await;
    let cost = &quote.ok()["cost"];
    assert_eq!(cost["currency"], "SEK", "{}", quote.json);
    assert!(cost["recurringIncrease"].as_f64().unwrap() > 0.0, "{}", quote.json);
    let committed = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(committed.ok()["spending"]["committedRecurringIncrease"], cost["recurringIncrease"]);
    assert_eq!(committed.ok()["result"]["dryRun"], false, "{}", committed.json);

    let plan =
        session.call("preview_plan_change", json!({"id": fleet::MONTHLY_SEK, "productSlug": "vps-md"})).await;
    assert!(plan.ok()["cost"]["recurring"].as_f64().unwrap() > 0.0, "{}", plan.json);
    let moved = session.call("commit", plan.ok()["commitWith"].clone()).await;
    assert_eq!(moved.ok()["result"]["dryRun"], false, "{}", moved.json);
}

#[tokio::test]
async fn the_spending_ceiling_refuses_a_commit_that_would_pass_it() {
    let probe = start(Settings::default()).await;
    let change = json!({"id": fleet::MONTHLY_SEK, "resources": {"bandwidthGb": 4096}});
    let increase =
        probe.call("preview_resource_change", change.clone()).await.ok()["cost"]["recurringIncrease"]
            .as_f64()
            .unwrap();

    let session = start(Settings::default().max_spend(increase, Some("SEK".into()))).await;
    let first = session.call("preview_resource_change", change).await;
    session.call("commit", first.ok()["commitWith"].clone()).await.ok();
    let more = json!({"id": fleet::MONTHLY_SEK, "resources": {"bandwidthGb": 8192}});
    let second = session.call("preview_resource_change", more).await;
    assert!(second.ok()["cost"]["recurringIncrease"].as_f64().unwrap() > 0.0);
    assert_eq!(second.ok()["spending"]["remaining"], 0.0);
    let refused = session.call("commit", second.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "spending_ceiling_exceeded", "{}", refused.json);
    assert_eq!(refused.json["error"]["mayHaveReachedServer"], false);
    // Free actions still commit under a spent ceiling.
    let power =
        session.call("preview_power_action", json!({"id": fleet::MONTHLY_SEK, "action": "restart"})).await;
    session.call("commit", power.ok()["commitWith"].clone()).await.ok();
}

#[tokio::test]
async fn snapshots_are_checked_before_the_token_and_taken_on_commit() {
    let session = start(Settings::default()).await;
    let bad_name =
        session.call("preview_snapshot_create", json!({"id": fleet::PAYG_CLOUD, "name": "no spaces!"})).await;
    assert_eq!(bad_name.code(), "invalid_option");
    let unknown = session
        .call("preview_snapshot_restore", json!({"id": fleet::PAYG_CLOUD, "snapshotId": "nope"}))
        .await;
    assert_eq!(unknown.code(), "no_snapshots", "{}", unknown.json);
    let quote = session
        .call("preview_snapshot_create", json!({"id": fleet::PAYG_CLOUD, "name": "before-upgrade"}))
        .await;
    let taken = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(taken.ok()["result"]["job"], "snapshot", "{}", taken.json);
    // get_job follows the job the commit started.
    let job_id = taken.ok()["result"]["operation"]["jobId"].as_str().expect("a job to follow").to_string();
    let job = session.call("get_job", json!({"jobId": job_id})).await;
    assert!(job.ok()["job"].to_string().contains(&job_id), "{}", job.json);
    let full =
        session.call("preview_snapshot_create", json!({"id": fleet::PAYG_CLOUD, "name": "second"})).await;
    assert_eq!(full.json["error"]["kind"], "blocked", "one slot, in use: {}", full.json);
    let closed =
        session.call("preview_snapshot_create", json!({"id": fleet::MONTHLY_SEK, "name": "x"})).await;
    assert!(closed.json["error"]["reason"].as_str().unwrap().contains("snapshotSlots"), "{}", closed.json);
    let backups = session.call("list_backups", json!({"id": fleet::ANNUAL_SEK})).await;
    let backup = backups.ok()["backups"][0]["id"].as_str().expect("the sandbox's nightly backup");
    let quote =
        session.call("preview_backup_restore", json!({"id": fleet::ANNUAL_SEK, "backupId": backup})).await;
    assert!(quote.ok()["warnings"].to_string().contains("overwrites"), "{}", quote.json);
}
