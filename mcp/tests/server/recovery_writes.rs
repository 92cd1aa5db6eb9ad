//! Power actions, backups and restores as two-step writes: the quotes that destroy something say
//! so (`destructive`), and each commit answers the job or operation it started.

use std::time::Duration;

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::json;

use crate::common::{Session, start};

const NIGHTLY: &str = "bkp_01jsbxannualnightly0000001";

/// Polls `get_job` until the job leaves the queue (the sandbox finishes jobs in 300 ms; the loop
/// has no deadline of its own, only a bound on polls).
async fn finished(session: &Session, job_id: &str) {
    for _ in 0..600 {
        let job = session.call("get_job", json!({"jobId": job_id})).await;
        let text = job.ok()["job"].to_string();
        if text.contains("completed") || text.contains("failed") {
            assert!(text.contains("completed"), "{text}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {job_id} never finished");
}

#[tokio::test]
async fn forced_power_actions_are_marked_destructive_and_graceful_ones_are_not() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let graceful = session.call("preview_power_action", json!({"id": vps, "action": "restart"})).await;
    assert_eq!(graceful.ok()["destructive"], false, "{}", graceful.json);
    for action in ["reset", "force_restart"] {
        let forced = session.call("preview_power_action", json!({"id": vps, "action": action})).await;
        assert_eq!(forced.ok()["destructive"], true, "{action}: {}", forced.json);
        assert!(forced.ok()["warnings"].to_string().contains("lost"), "{}", forced.json);
    }
    let (quote, stopped) =
        session.two_step("preview_power_action", json!({"id": vps, "action": "stop"})).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert_eq!(stopped["action"], "stop", "{stopped}");
    let unknown = session.call("preview_power_action", json!({"id": vps, "action": "hibernate"})).await;
    assert_eq!(unknown.code(), "invalid_arguments", "{}", unknown.json);
}

#[tokio::test]
async fn a_backup_is_taken_and_a_backup_restore_is_destructive() {
    let session = start(Settings::default()).await;
    let vps = fleet::ANNUAL_SEK;
    let (quote, restore) =
        session.two_step("preview_backup_restore", json!({"id": vps, "backupId": NIGHTLY})).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert_eq!(quote["quote"]["restore"]["id"], NIGHTLY, "{quote}");
    assert_eq!(restore["job"], "backup restore", "{restore}");
    finished(&session, restore["operation"]["jobId"].as_str().unwrap()).await;
    let unknown = session.call("preview_backup_restore", json!({"id": vps, "backupId": "bkp_nope"})).await;
    assert!(unknown.is_error, "{}", unknown.json);

    let (quote, backup) =
        session.two_step("preview_backup_create", json!({"id": vps, "note": "before upgrade"})).await;
    assert_eq!(quote["destructive"], false, "{quote}");
    assert_eq!(backup["job"], "backup", "{backup}");
    let gated = session.call("preview_backup_create", json!({"id": fleet::BLOCKED})).await;
    assert_eq!(gated.json["error"]["kind"], "blocked", "{}", gated.json);
}

#[tokio::test]
async fn a_snapshot_restore_is_destructive_and_rolls_back() {
    let session = start(Settings::default()).await;
    let vps = fleet::PAYG_CLOUD;
    let (_, taken) =
        session.two_step("preview_snapshot_create", json!({"id": vps, "name": "before-upgrade"})).await;
    finished(&session, taken["operation"]["jobId"].as_str().unwrap()).await;
    let restore = json!({"id": vps, "snapshotId": "before-upgrade"});
    let (quote, restored) = session.two_step("preview_snapshot_restore", restore).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert!(quote["warnings"].to_string().contains("overwrites"), "{quote}");
    assert_eq!(restored["job"], "snapshot restore", "{restored}");
}
