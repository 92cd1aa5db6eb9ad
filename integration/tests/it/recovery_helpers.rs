//! The snapshot, backup, schedule and job helpers against scripted servers: the requests each
//! one makes, in order, its happy path, and every refusal (with nothing sent where it can tell).
//! The guarded change is in `recovery_guarded`, the restore onto a new PAYG VM in `recovery_payg`;
//! both use the scripted replies defined here.

use std::time::Duration;

use hostup::prelude::*;
use hostup::types::CancelJobType;
use hostup::{BackupCadence, BackupPlan, Destructive, Error, WaitOptions};
use serde_json::{Value, json};

use crate::support::*;

const V: &str = VPS_ID;

pub(crate) fn fast() -> WaitOptions {
    WaitOptions::default().with_poll_interval(Duration::from_millis(1), Duration::from_millis(5))
}

pub(crate) fn ok(body: Value) -> Reply {
    json(200, &body.to_string())
}

pub(crate) fn accepted(job: &str) -> Reply {
    let op = json!({"operation": {"status": "queued", "jobId": job, "pollUrl": format!("/api/jobs/{job}"), "result": null}});
    json(202, &op.to_string())
}

pub(crate) fn job(status: &str, message: &str) -> Reply {
    ok(
        json!({"operation": {"status": status, "jobId": "j", "pollUrl": "/api/jobs/j", "result": {"message": message}}}),
    )
}

pub(crate) fn snapshots(names: &[&str], total: i64, gates: Value) -> Reply {
    let data: Vec<Value> = names.iter().map(|n| json!({"name": n, "displayId": n})).collect();
    ok(json!({"data": data, "available": true, "limits": {"totalSnapshots": total}, "actions": gates}))
}

pub(crate) fn open() -> Value {
    json!({"canCreate": {"allowed": true, "reason": null}, "canRestore": {"allowed": true, "reason": null}})
}

pub(crate) fn closed(gate: &str) -> Value {
    json!({gate: {"allowed": false, "reason": "Pending order.", "code": "pending_order"}})
}

pub(crate) fn calls(server: &ScriptServer) -> Vec<String> {
    server.seen().iter().map(|s| format!("{} {}", s.method, s.path)).collect()
}

pub(crate) fn blocked_on(err: &Error) -> &str {
    match err {
        Error::Blocked(b) => &b.action,
        other => panic!("not blocked: {other:?}"),
    }
}

#[tokio::test]
async fn take_snapshot_checks_then_sends_then_waits() {
    let s = ScriptServer::start(vec![
        snapshots(&["old"], 3, open()),
        accepted("job_1"),
        job("in_progress", ""),
        job("completed", ""),
    ])
    .await;
    let c = client(&s.base);
    let snapshot = c.take_snapshot(V, "before-upgrade", Some("Before package upgrade")).await.unwrap();
    snapshot.wait(&c, fast()).await.unwrap();
    let path = format!("/api/v2/vps/{V}/snapshots");
    assert_eq!(
        calls(&s),
        [
            format!("GET {path}"),
            format!("POST {path}"),
            "GET /api/jobs/job_1".into(),
            "GET /api/jobs/job_1".into()
        ]
    );
    let body: Value = serde_json::from_str(&s.seen()[1].body).unwrap();
    assert_eq!(body, json!({"name": "before-upgrade", "description": "Before package upgrade"}));
}

#[tokio::test]
async fn take_snapshot_refusals_name_their_reason() {
    let s = ScriptServer::start(vec![snapshots(&[], 3, open())]).await;
    for bad in ["with space", "", &"x".repeat(41), "snap/../x"] {
        let err = client(&s.base).take_snapshot(V, bad, None).await.unwrap_err();
        assert!(matches!(&err, Error::InvalidOption { key, .. } if key == "name"), "{bad:?}: {err:?}");
    }
    assert_eq!(s.count(), 0, "an invalid name is refused before anything is sent");

    let cases = [
        // The quota and availability refuse the same action as the gate; the reason says which.
        (snapshots(&["a", "b"], 2, open()), "canCreate", "slots (limits.totalSnapshots) are in use"),
        (
            snapshots(&[], 0, open()),
            "canCreate",
            "0 snapshot slots (limits.totalSnapshots); buy slots through the `snapshotSlots`",
        ),
        (
            ok(json!({"data": [], "available": false, "reason": "Not in plan."})),
            "canCreate",
            "Not in plan. (available: false)",
        ),
        (snapshots(&[], 3, closed("canCreate")), "canCreate", "pending_order"),
    ];
    for (list, action, text) in cases {
        let s = ScriptServer::start(vec![list]).await;
        let err = client(&s.base).take_snapshot(V, "fine", None).await.unwrap_err();
        assert_eq!(blocked_on(&err), action);
        assert!(err.to_string().contains(text), "{err}");
        assert_eq!(s.count(), 1, "only the list was read");
    }

    let s = ScriptServer::start(vec![snapshots(&["taken"], 3, open())]).await;
    let err = client(&s.base).take_snapshot(V, "taken", None).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("already exists")), "{err:?}");
}

#[tokio::test]
async fn restores_need_a_confirmation_for_this_vps() {
    let s = ScriptServer::start(vec![snapshots(&["s1"], 3, open())]).await;
    let err = client(&s.base).restore_snapshot(V, "s1", Destructive::confirm("vps_other")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("vps_other")), "{err:?}");
    let err =
        client(&s.base).restore_backup(V, "bkp_1", Destructive::confirm("vps_other")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert_eq!(s.count(), 0);
}

#[tokio::test]
async fn restore_snapshot_happy_path_unknown_name_and_closed_gate() {
    let s = ScriptServer::start(vec![snapshots(&["s1"], 3, open()), accepted("job_r"), job("completed", "")])
        .await;
    let c = client(&s.base);
    c.restore_snapshot(V, "s1", Destructive::confirm(V)).await.unwrap().wait(&c, fast()).await.unwrap();
    assert_eq!(calls(&s)[1], format!("POST /api/v2/vps/{V}/snapshots/s1/actions/restore"));

    let s = ScriptServer::start(vec![snapshots(&["s1"], 3, open())]).await;
    let err = client(&s.base).restore_snapshot(V, "nope", Destructive::confirm(V)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("nope")), "{err:?}");

    let s = ScriptServer::start(vec![snapshots(&["s1"], 3, closed("canRestore"))]).await;
    let err = client(&s.base).restore_snapshot(V, "s1", Destructive::confirm(V)).await.unwrap_err();
    assert_eq!(blocked_on(&err), "canRestore");
    assert_eq!(s.count(), 1);
}

#[tokio::test]
async fn a_failed_restore_job_is_operation_failed_with_its_detail() {
    let s = ScriptServer::start(vec![
        snapshots(&["s1"], 3, open()),
        accepted("job_r"),
        job("failed", "disk locked"),
    ])
    .await;
    let c = client(&s.base);
    let err = c
        .restore_snapshot(V, "s1", Destructive::confirm(V))
        .await
        .unwrap()
        .wait(&c, fast())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OperationFailed { job_id, detail } if job_id == "job_r" && detail == "disk locked"),
        "{err:?}"
    );
    assert!(calls(&s).iter().all(|c| !c.starts_with("DELETE")), "the snapshot is not deleted");
}

#[tokio::test]
async fn a_restore_that_may_have_reached_the_server_is_never_sent_again() {
    let s =
        ScriptServer::start(vec![snapshots(&["s1"], 3, open()), json(503, "{}"), accepted("job_r")]).await;
    let err = client(&s.base).restore_snapshot(V, "s1", Destructive::confirm(V)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(calls(&s).iter().filter(|c| c.starts_with("POST")).count(), 1);

    let s =
        ScriptServer::start(vec![ok(json!({"backups": [{"id": "bkp_1"}]})), Reply::Close, accepted("job_r")])
            .await;
    client(&s.base).restore_backup(V, "bkp_1", Destructive::confirm(V)).await.unwrap_err();
    assert_eq!(calls(&s).iter().filter(|c| c.starts_with("POST")).count(), 1);
}

#[tokio::test]
async fn delete_snapshot_sends_the_delete() {
    let s = ScriptServer::start(vec![snapshots(&["s1"], 3, open()), accepted("job_d")]).await;
    let job = client(&s.base).delete_snapshot(V, "s1", Destructive::confirm(V)).await.unwrap();
    assert_eq!(job.kind, hostup::JobKind::SnapshotDelete);
    assert_eq!(calls(&s)[1], format!("DELETE /api/v2/vps/{V}/snapshots/s1"));
}

#[tokio::test]
async fn the_snapshot_schedule_is_clamped_as_the_server_does_and_says_so() {
    let state = ok(
        json!({"schedule": null, "available": true, "limits": {"totalSnapshots": 3}, "actions": {"canEnable": {"allowed": true, "reason": null}}}),
    );
    let s = ScriptServer::start(vec![state.clone(), ok(json!({"schedule": {"intervalHours": 24}}))]).await;
    let change = client(&s.base).set_snapshot_schedule(V, 30.5, true).await.unwrap();
    assert_eq!(change.sent_hours, 24.0);
    assert!(change.note().unwrap().contains("clamps"), "{:?}", change.note());
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[1].body).unwrap(),
        json!({"enabled": true, "intervalHours": 24.0})
    );

    let s = ScriptServer::start(vec![state, ok(json!({}))]).await;
    assert_eq!(client(&s.base).set_snapshot_schedule(V, 12.0, true).await.unwrap().note(), None);

    let err = client(&s.base).set_snapshot_schedule(V, f64::NAN, true).await.unwrap_err();
    assert!(matches!(err, Error::InvalidOption { ref key, .. } if key == "intervalHours"));

    let s = ScriptServer::start(vec![ok(json!({"available": true, "limits": {"totalSnapshots": 0}}))]).await;
    let err = client(&s.base).set_snapshot_schedule(V, 12.0, true).await.unwrap_err();
    assert_eq!(blocked_on(&err), "canEnable");
    assert!(err.to_string().contains("0 snapshot slots (limits.totalSnapshots)"), "{err}");
    let s = ScriptServer::start(vec![ok(json!({"actions": closed("canEnable")}))]).await;
    let err = client(&s.base).set_snapshot_schedule(V, 12.0, true).await.unwrap_err();
    assert_eq!(blocked_on(&err), "canEnable");
    assert_eq!(s.count(), 1);
}

pub(crate) fn backups(gates: Value) -> Reply {
    ok(json!({"backups": [{"id": "bkp_1"}], "actions": gates}))
}

pub(crate) fn backup_gates() -> Value {
    json!({"canCreateBackup": {"allowed": true, "reason": null}, "canRestore": {"allowed": true, "reason": null},
        "canRestoreFromAnotherVps": {"allowed": true, "reason": null}})
}

#[tokio::test]
async fn backups_create_restore_delete() {
    let s = ScriptServer::start(vec![backups(backup_gates()), accepted("job_b")]).await;
    client(&s.base).take_backup(V, None).await.unwrap();
    assert_eq!((s.seen()[1].method.as_str(), s.seen()[1].body.as_str()), ("POST", "{}"));
    let s = ScriptServer::start(vec![backups(backup_gates()), accepted("job_b")]).await;
    client(&s.base).take_backup(V, Some("before")).await.unwrap();
    assert_eq!(serde_json::from_str::<Value>(&s.seen()[1].body).unwrap(), json!({"note": "before"}));

    let mut gates = backup_gates();
    gates["canCreateBackup"] =
        json!({"allowed": false, "reason": "A backup is running.", "code": "job_in_progress"});
    let s = ScriptServer::start(vec![backups(gates)]).await;
    let err = client(&s.base).take_backup(V, None).await.unwrap_err();
    assert_eq!(blocked_on(&err), "canCreateBackup");
    assert!(err.to_string().contains("job_in_progress"));

    let s = ScriptServer::start(vec![backups(backup_gates()), accepted("job_r")]).await;
    client(&s.base).restore_backup(V, "bkp_1", Destructive::confirm(V)).await.unwrap();
    assert_eq!(calls(&s)[1], format!("POST /api/v2/vps/{V}/backups/bkp_1/actions/restore"));
    let s = ScriptServer::start(vec![backups(backup_gates())]).await;
    let err = client(&s.base).restore_backup(V, "bkp_9", Destructive::confirm(V)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("bkp_9")), "{err:?}");
    let mut gates = backup_gates();
    gates["canRestore"] = closed("canRestore")["canRestore"].clone();
    let s = ScriptServer::start(vec![backups(gates)]).await;
    let err = client(&s.base).restore_backup(V, "bkp_1", Destructive::confirm(V)).await.unwrap_err();
    assert_eq!(blocked_on(&err), hostup::gates::BackupGate::Restore.gate_name());
    assert!(err.to_string().contains("Pending order.") && err.to_string().contains("pending_order"), "{err}");
    assert_eq!(s.count(), 1, "only the list was read");

    let s = ScriptServer::start(vec![backups(backup_gates()), http(204, &[], "")]).await;
    client(&s.base).delete_backup(V, "bkp_1", Destructive::confirm(V)).await.unwrap();
    assert_eq!(calls(&s)[1], format!("DELETE /api/v2/vps/{V}/backups/bkp_1"));
}

#[tokio::test]
async fn cross_vps_restore_checks_source_target_and_gate() {
    let source = "vps_source";
    let err = client("http://127.0.0.1:9")
        .restore_backup_from_vps(V, V, "bkp_1", Destructive::confirm(V))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("both")), "{err:?}");
    let err = client("http://127.0.0.1:9")
        .restore_backup_from_vps(V, source, "bkp_1", Destructive::confirm(source))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("stopped and overwritten")), "{err:?}");

    let sources = ok(json!({"sources": [{"id": source, "backups": [{"id": "bkp_s"}]}]}));
    let s = ScriptServer::start(vec![backups(backup_gates()), sources.clone(), accepted("job_x")]).await;
    client(&s.base).restore_backup_from_vps(V, source, "bkp_s", Destructive::confirm(V)).await.unwrap();
    assert_eq!(calls(&s)[1], format!("GET /api/v2/vps/{V}/backups/restore-sources"));
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[2].body).unwrap(),
        json!({"sourceVpsId": source, "backupId": "bkp_s"})
    );

    let s = ScriptServer::start(vec![backups(backup_gates()), sources]).await;
    let err = client(&s.base)
        .restore_backup_from_vps(V, source, "bkp_other", Destructive::confirm(V))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert_eq!(s.count(), 2);

    let mut gates = backup_gates();
    gates["canRestoreFromAnotherVps"] =
        json!({"allowed": false, "reason": "Not enough storage.", "code": "insufficient_storage"});
    let s = ScriptServer::start(vec![backups(gates)]).await;
    let err = client(&s.base)
        .restore_backup_from_vps(V, source, "bkp_s", Destructive::confirm(V))
        .await
        .unwrap_err();
    assert_eq!(blocked_on(&err), "canRestoreFromAnotherVps");
}

#[tokio::test]
async fn backup_schedules_send_only_the_day_field_of_their_frequency() {
    let schedules = ok(json!({"schedules": [], "actions": {"canCreate": {"allowed": true, "reason": null}}}));
    let cases = [
        (
            BackupCadence::Daily,
            json!({"frequency": "daily", "hour": 2, "retentionCount": 3, "enabled": true}),
        ),
        (
            BackupCadence::Weekly { day_of_week: 0 },
            json!({"frequency": "weekly", "hour": 2, "dayOfWeek": 0, "retentionCount": 3, "enabled": true}),
        ),
        (
            BackupCadence::Monthly { day_of_month: 15 },
            json!({"frequency": "monthly", "hour": 2, "dayOfMonth": 15, "retentionCount": 3, "enabled": true}),
        ),
    ];
    for (cadence, expected) in cases {
        let s = ScriptServer::start(vec![schedules.clone(), ok(json!({}))]).await;
        client(&s.base).set_backup_schedule(V, &BackupPlan::new(cadence, 2, 3)).await.unwrap();
        assert_eq!(serde_json::from_str::<Value>(&s.seen()[1].body).unwrap(), expected);
    }
    let s = ScriptServer::start(vec![schedules]).await;
    for plan in [
        BackupPlan::new(BackupCadence::Daily, 24, 3),
        BackupPlan::new(BackupCadence::Daily, 2, 0),
        BackupPlan::new(BackupCadence::Weekly { day_of_week: 7 }, 2, 3),
        BackupPlan::new(BackupCadence::Monthly { day_of_month: 0 }, 2, 3),
    ] {
        let err = client(&s.base).set_backup_schedule(V, &plan).await.unwrap_err();
        assert!(matches!(err, Error::InvalidOption { .. }), "{plan:?}: {err:?}");
    }
    assert_eq!(s.count(), 0);
    let s = ScriptServer::start(vec![ok(json!({"schedules": [], "actions": closed("canCreate")}))]).await;
    let err = client(&s.base)
        .set_backup_schedule(V, &BackupPlan::new(BackupCadence::Daily, 2, 3))
        .await
        .unwrap_err();
    assert_eq!(blocked_on(&err), "canCreate");
}

#[tokio::test]
async fn retention_goes_through_the_settings_patch() {
    let s = ScriptServer::start(vec![ok(json!({"settings": {"totalBackupLimit": 5}}))]).await;
    let err = client(&s.base).set_backup_retention(V, None, None).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert!(matches!(
        client(&s.base).set_backup_retention(V, Some(0), None).await,
        Err(Error::InvalidOption { .. })
    ));
    assert_eq!(s.count(), 0);
    let result = client(&s.base).set_backup_retention(V, Some(5), Some(true)).await.unwrap();
    assert_eq!(result.settings.total_backup_limit, Some(5));
    assert_eq!(s.seen()[0].method, "PATCH");
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[0].body).unwrap(),
        json!({"maxTotalBackups": 5, "autoDeleteOldest": true})
    );
}

#[tokio::test]
async fn nothing_to_cancel_is_an_answer() {
    let s = ScriptServer::start(vec![ok(
        json!({"cancelled": false, "reason": "No active restore job was found to cancel."}),
    )])
    .await;
    let answer = client(&s.base).cancel_job(V, CancelJobType::Restore).await.unwrap();
    assert!(!answer.cancelled);
    assert_eq!(s.seen()[0].method, "DELETE");
    assert_eq!(serde_json::from_str::<Value>(&s.seen()[0].body).unwrap(), json!({"jobType": "restore"}));
}
