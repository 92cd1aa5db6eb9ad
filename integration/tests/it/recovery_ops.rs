//! Every snapshot, backup, schedule and job operation: the request that goes out (method, path,
//! body, auth), the scopes the table declares, and the typed answer, unknown fields included.

use hostup::operations;
use hostup::types::*;
use serde_json::{Value, json};

use crate::support::*;

const V: &str = VPS_ID;

#[tokio::test]
async fn snapshot_operations() {
    let s = server(200, &with_extra("listVpsSnapshots.200")).await;
    let list = client(&s.base).list_vps_snapshots().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/snapshots"), None);
    assert_eq!(list.data[0].name, "before-upgrade");
    assert_eq!(list.data[0].expires_at.as_deref(), Some("2026-04-28T10:00:00.000Z"));
    assert_eq!(list.data[0].includes_memory_state, Some(false));
    assert_eq!((list.available, list.limits.as_ref().unwrap().total_snapshots), (Some(true), Some(3)));
    assert!(list.actions.as_ref().unwrap().can_restore.as_ref().unwrap().allowed);
    assert_eq!(list.extra["futureField"], json!({"nested": true}));

    let s = server(202, &fixture("createVpsSnapshot.202")).await;
    let name = hostup::snapshot_name("before-upgrade").unwrap();
    let body = SnapshotCreateRequest { name, description: Some("Before package upgrade".into()) };
    let op = client(&s.base).create_vps_snapshot().id(V).body(body).send().await.unwrap().into_inner();
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/snapshots"),
        Some(fixture_json("createVpsSnapshot.request")),
    );
    assert_eq!(op.operation.unwrap().job_id, "job_01hxa3b4c5d6e7f8g9h0j1k2m3");

    let s = server(202, &fixture("restoreVpsSnapshot.202")).await;
    client(&s.base).restore_vps_snapshot().id(V).snapshot_id("before-upgrade").send().await.unwrap();
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/snapshots/before-upgrade/actions/restore"), None);

    let s = server(202, &fixture("deleteVpsSnapshot.202")).await;
    client(&s.base).delete_vps_snapshot().id(V).snapshot_id("before-upgrade").send().await.unwrap();
    assert_request(&s, "DELETE", &format!("/api/v2/vps/{V}/snapshots/before-upgrade"), None);
}

#[tokio::test]
async fn snapshot_schedule_operations() {
    let s = server(200, &with_extra("getVpsSnapshotSchedule.200")).await;
    let state = client(&s.base).get_vps_snapshot_schedule().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/snapshot-schedules"), None);
    assert_eq!((state.schedule, state.available), (None, Some(false)));
    assert!(!state.actions.unwrap().can_enable.unwrap().allowed);
    assert!(state.extra.contains_key("futureField"));

    // The answer's page ends at `actions.canEnable`: unknown fields are kept here too.
    let s = server(200, &with_extra("setVpsSnapshotSchedule.200")).await;
    let body = SnapshotScheduleRequest { enabled: true, interval_hours: 12.0 };
    let state =
        client(&s.base).set_vps_snapshot_schedule().id(V).body(body).send().await.unwrap().into_inner();
    // `intervalHours` is a number in the spec, so it goes out as 12.0.
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/snapshot-schedules"),
        Some(json!({"enabled": true, "intervalHours": 12.0})),
    );
    assert_eq!(state.schedule.unwrap()["intervalHours"], json!(12));
    assert_eq!(state.extra["futureField"], json!({"nested": true}));

    let s = ScriptServer::start(vec![http(204, &[], "")]).await;
    client(&s.base).delete_vps_snapshot_schedule().id(V).send().await.unwrap();
    assert_request(&s, "DELETE", &format!("/api/v2/vps/{V}/snapshot-schedules"), None);
}

#[tokio::test]
async fn backup_operations() {
    let s = server(200, &with_extra("listVpsBackups.200")).await;
    let list = client(&s.base).list_vps_backups().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/backups"), None);
    let backup = &list.backups[0];
    assert_eq!(
        (backup.id.as_str(), backup.size_gb, backup.backup_type.clone()),
        ("bkp_01hxa3b4c5d6e7f8g9h0j1k2m3", Some(12.4), Some(BackupType::Manual))
    );
    let quota = list.quota_info.as_ref().unwrap();
    assert_eq!((quota.used, quota.limit, quota.remaining), (Some(1), Some(3), Some(2)));
    assert!(list.actions.as_ref().unwrap().can_restore_from_another_vps.as_ref().unwrap().allowed);
    assert!(list.extra.contains_key("futureField"));

    let s = server(202, &fixture("createVpsBackup.202")).await;
    client(&s.base)
        .create_vps_backup()
        .id(V)
        .body(BackupCreateRequest { note: Some("Before upgrade".into()) })
        .send()
        .await
        .unwrap();
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/backups"),
        Some(fixture_json("createVpsBackup.request")),
    );
    let s = server(202, &fixture("createVpsBackup.202")).await;
    client(&s.base).create_vps_backup().id(V).send().await.unwrap();
    // Without a note the generated client sends an empty object, which the schema allows.
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/backups"), Some(json!({})));

    let s = ScriptServer::start(vec![http(204, &[], "")]).await;
    client(&s.base).delete_vps_backup().id(V).backup_id("bkp_1").send().await.unwrap();
    assert_request(&s, "DELETE", &format!("/api/v2/vps/{V}/backups/bkp_1"), None);

    let s = server(202, &fixture("restoreVpsBackup.202")).await;
    client(&s.base).restore_vps_backup().id(V).backup_id("bkp_1").send().await.unwrap();
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/backups/bkp_1/actions/restore"), None);

    let s = server(202, &fixture("restoreVpsFromOtherVps.202")).await;
    let request = fixture_json("restoreVpsFromOtherVps.request");
    let body: CrossVpsRestoreRequest = serde_json::from_value(request.clone()).unwrap();
    client(&s.base).restore_vps_from_other_vps().id(V).body(body).send().await.unwrap();
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/backups/actions/restore-from-vps"), Some(request));

    let s = server(200, &with_extra("listVpsRestoreSources.200")).await;
    let sources = client(&s.base).list_vps_restore_sources().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/backups/restore-sources"), None);
    let source = &sources.sources[0];
    assert_eq!(
        (source.source_type.clone(), source.service_status.clone()),
        (Some(RestoreSourceType::Retained), Some(ServiceStatus::Terminated))
    );
    assert_eq!(source.backups[0].size_gb, Some(12.0));
}

#[tokio::test]
async fn restore_to_payg_accepts_any_documented_success_and_keeps_unknown_fields() {
    let request = fixture_json("restoreVpsBackupToPayg.request");
    for status in [200, 201, 202] {
        let s = server(status, &with_extra("restoreVpsBackupToPayg.202")).await;
        let body: PaygRestoreRequest = serde_json::from_value(request.clone()).unwrap();
        let result = client(&s.base)
            .restore_vps_backup_to_payg()
            .id(V)
            .backup_id("bkp_1")
            .body(body)
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_request(
            &s,
            "POST",
            &format!("/api/v2/vps/{V}/backups/bkp_1/actions/restore-to-payg"),
            Some(request.clone()),
        );
        assert_eq!(result.vps_id.as_deref(), Some("vps_01j0c4d5e6f7g8h9j0k1m2n3p4"));
        assert!(result.operation.is_some() && result.extra.contains_key("futureField"));
    }
    let s = server(201, r#"{"blocker": "payg_not_enabled"}"#).await;
    let body = PaygRestoreRequest::builder();
    let result = client(&s.base)
        .restore_vps_backup_to_payg()
        .id(V)
        .backup_id("bkp_1")
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((result.operation, result.extra["blocker"].as_str()), (None, Some("payg_not_enabled")));
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[0].body).unwrap(),
        json!({}),
        "nothing left out is sent"
    );
}

#[tokio::test]
async fn backup_schedule_operations() {
    let s = server(200, &with_extra("listVpsBackupSchedules.200")).await;
    let schedules = client(&s.base).list_vps_backup_schedules().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/backup-schedules"), None);
    let first = &schedules.schedules[0];
    assert_eq!(
        (first.frequency.clone(), first.time.as_deref()),
        (Some(BackupFrequency::Daily), Some("02:00"))
    );
    assert_eq!(schedules.settings.unwrap().total_backup_limit, Some(5));
    assert!(schedules.extra.contains_key("futureField"));

    // Not captured at all: the schedule is read, everything else kept as sent.
    let s = server(201, &with_extra("setVpsBackupSchedule.200")).await;
    let request = fixture_json("setVpsBackupSchedule.request");
    let body: BackupScheduleRequest = serde_json::from_value(request.clone()).unwrap();
    let result =
        client(&s.base).set_vps_backup_schedule().id(V).body(body).send().await.unwrap().into_inner();
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/backup-schedules"), Some(request));
    assert_eq!(result.extra["futureField"], json!({"nested": true}));
    assert_eq!(result.schedule.unwrap().id, "bks_01hxa3b4c5d6e7f8g9h0j1k2m3");

    let s = server(200, &fixture("updateVpsBackupSettings.200")).await;
    let request = fixture_json("updateVpsBackupSettings.request");
    let body: BackupSettingsRequest = serde_json::from_value(request.clone()).unwrap();
    let result =
        client(&s.base).update_vps_backup_settings().id(V).body(body).send().await.unwrap().into_inner();
    assert_request(&s, "PATCH", &format!("/api/v2/vps/{V}/backup-schedules"), Some(request));
    assert_eq!(result.settings.available_scheduled_slots, Some(2));

    let s = ScriptServer::start(vec![http(204, &[], "")]).await;
    client(&s.base).delete_vps_backup_schedule().id(V).schedule_id("bks_1").send().await.unwrap();
    assert_request(&s, "DELETE", &format!("/api/v2/vps/{V}/backup-schedules/bks_1"), None);

    let s = server(502, &fixture("listVpsBackupSchedules.502")).await;
    let err = client_with(&s.base, hostup::RetryPolicy::disabled())
        .list_vps_backup_schedules()
        .id(V)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.to_string().contains("missing a schedule row"), "{err}");
}

#[tokio::test]
async fn active_job_operations_and_a_delete_with_a_body() {
    let s = server(200, &with_extra("listVpsActiveJobs.200")).await;
    let jobs = client(&s.base).list_vps_active_jobs().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/active-jobs"), None);
    assert_eq!(jobs.jobs[0].job_type, Some(JobType::Backup));
    assert!(jobs.extra.contains_key("futureField"));

    for (name, job_type) in [("backup", CancelJobType::Backup), ("restore", CancelJobType::Restore)] {
        let s = server(200, &fixture("cancelVpsActiveJob.200")).await;
        let answer = client(&s.base)
            .cancel_vps_active_job()
            .id(V)
            .body(CancelJobRequest { job_type })
            .send()
            .await
            .unwrap()
            .into_inner();
        assert_request(
            &s,
            "DELETE",
            &format!("/api/v2/vps/{V}/active-jobs"),
            Some(fixture_json(&format!("cancelVpsActiveJob.request.{name}"))),
        );
        assert!(!answer.cancelled);
        assert_eq!(answer.reason.as_deref(), Some("No active backup job was found to cancel."));
    }
}

#[test]
fn the_table_carries_each_documented_scope() {
    let op = |id: &str| operations::OPERATIONS.iter().find(|o| o.id == id).unwrap_or_else(|| panic!("{id}"));
    let scopes = |id: &str| op(id).scopes.to_vec();
    // Every mutation here is never sent twice once it may have reached the server.
    for id in [
        "createVpsSnapshot",
        "restoreVpsSnapshot",
        "restoreVpsBackup",
        "restoreVpsFromOtherVps",
        "restoreVpsBackupToPayg",
        "cancelVpsActiveJob",
    ] {
        assert_eq!(op(id).replay_safe, operations::ReplaySafe::Never, "{id}");
    }
    for id in [
        "listVpsSnapshots",
        "getVpsSnapshotSchedule",
        "listVpsBackups",
        "listVpsBackupSchedules",
        "listVpsActiveJobs",
    ] {
        assert_eq!(scopes(id), ["read:vm"], "{id}");
    }
    for id in [
        "createVpsSnapshot",
        "restoreVpsSnapshot",
        "deleteVpsSnapshot",
        "createVpsBackup",
        "deleteVpsBackup",
        "restoreVpsBackup",
        "restoreVpsFromOtherVps",
        "listVpsRestoreSources",
        "cancelVpsActiveJob",
    ] {
        assert_eq!(scopes(id), ["backup:vm"], "{id}");
    }
    for id in [
        "setVpsSnapshotSchedule",
        "deleteVpsSnapshotSchedule",
        "setVpsBackupSchedule",
        "updateVpsBackupSettings",
        "deleteVpsBackupSchedule",
    ] {
        assert_eq!(scopes(id), ["write:vm"], "{id}");
    }
    assert_eq!(scopes("restoreVpsBackupToPayg"), ["backup:vm", "write:billing"]);
}
