//! Hostile ids stay inside their path segment, or are refused before anything is sent.

use hostup::Error;

use hostup::ResultExt;

use crate::support::*;

#[tokio::test]
async fn special_characters_are_encoded_into_one_segment() {
    let server = ScriptServer::start(vec![json(200, &fixture("getVpsDetails.200"))]).await;
    let client = client(&server.base);
    for id in ["a/b", "a?b=1", "a#frag", "a b", "a..b", "../x", "%2e%2e", "vps_ä", r"x\..\y"] {
        client.get_vps_details().id(id).send().await.unwrap();
    }
    assert!(server.seen().iter().all(|s| s.method == "GET"));
    let paths: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "/api/v2/vps/a%2Fb/details",
            "/api/v2/vps/a%3Fb%3D1/details",
            "/api/v2/vps/a%23frag/details",
            "/api/v2/vps/a%20b/details",
            "/api/v2/vps/a..b/details",
            "/api/v2/vps/..%2Fx/details",
            "/api/v2/vps/%252e%252e/details",
            "/api/v2/vps/vps_%C3%A4/details",
            "/api/v2/vps/x%5C..%5Cy/details",
        ]
    );
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_sending() {
    let server = ScriptServer::start(vec![json(200, "{}")]).await;
    let client = client(&server.base);
    for id in ["..", ".", ""] {
        let err = client.get_vps_details().id(id).send().await.value().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
        let err = client.get_vps().id(id).send().await.value().unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
    }
    assert_eq!(server.count(), 0);
}

/// Every operation with an `{id}` segment refuses a `..` id without sending anything.
#[tokio::test]
async fn every_operation_keeps_ids_in_their_segment() {
    use hostup::types::{
        BackupScheduleRequest, BackupSettingsRequest, BillingCycleChangeRequest, BillingCycleChoice,
        CancelJobRequest, CancelJobType, CrossVpsRestoreRequest, DiskResizeRequest, PaygResizeRequest,
        PaygRestoreRequest, PlanChangeRequest, RenewRequest, ResourceChangeRequest, SnapshotCreateRequest,
        SnapshotScheduleRequest,
    };
    let server = ScriptServer::start(vec![json(200, "{}")]).await;
    let c = client(&server.base);
    let id = "..";
    let resources = ResourceChangeRequest::builder().resources(serde_json::Map::new());
    let plan = PlanChangeRequest::builder().product_slug("vps-sm");
    let cycle = BillingCycleChangeRequest::builder().billing_cycle(BillingCycleChoice::Monthly);
    let resize = PaygResizeRequest::builder().cpu_cores(2u64).memory_gb(2u64);
    let disk = DiskResizeRequest::builder().disk_id("vpsdisk_1").size_gb(10u64);
    let cancel_vps = hostup::types::VpsCancelRequest::builder().reason("Moving");
    let extend = hostup::types::MaintenanceExtendRequest::builder().deadline_id("mtd_1");
    let rebuild = hostup::types::RebuildRequest::builder().template_id("os_1");
    let snapshot = SnapshotCreateRequest::builder().name(hostup::snapshot_name("s").unwrap());
    let schedule = SnapshotScheduleRequest::builder().enabled(true).interval_hours(12.0);
    let payg = PaygRestoreRequest::builder;
    let cross = CrossVpsRestoreRequest::builder().source_vps_id("vps_a").backup_id("bkp_b");
    let backup_schedule: BackupScheduleRequest = serde_json::from_value(
        serde_json::json!({"frequency": "daily", "hour": 2, "retentionCount": 1, "enabled": true}),
    )
    .unwrap();
    let settings = BackupSettingsRequest::builder().auto_delete_oldest(true);
    let cancel = CancelJobRequest::builder().job_type(CancelJobType::Backup);
    let rule = hostup::firewall_rule(hostup::types::FirewallPolicy::Accept, "tcp", "22", None);
    let options = hostup::types::FirewallOptionsRequest::builder().enabled(true);
    let fetch = hostup::IsoFetch::new("https://example.com/a.iso", "a.iso").validate().unwrap();
    use hostup::types::{DiskAddRequest, IsoMountRequest, IsoUnmountRequest};
    let results: Vec<hostup::Result<()>> = vec![
        c.get_vps().id(id).send().await.map(drop),
        c.get_vps_details().id(id).send().await.map(drop),
        c.get_vps_status().id(id).send().await.map(drop),
        c.get_vps_upgrade_options().id(id).send().await.map(drop),
        c.get_vps_billing_cycle().id(id).send().await.map(drop),
        c.change_vps_resources().id(id).body(resources).send().await.map(drop),
        c.upgrade_vps_plan().id(id).body(plan).send().await.map(drop),
        c.change_vps_billing_cycle().id(id).body(cycle).send().await.map(drop),
        c.renew_vps().id(id).body(RenewRequest::builder()).send().await.map(drop),
        c.resize_payg_vps().id(id).body(resize).send().await.map(drop),
        c.resize_vps_disk().id(id).body(disk).send().await.map(drop),
        c.restart_vps().id(id).send().await.map(drop),
        c.reset_vps().id(id).send().await.map(drop),
        c.start_vps().id(id).send().await.map(drop),
        c.stop_vps().id(id).send().await.map(drop),
        c.shutdown_vps().id(id).send().await.map(drop),
        c.get_job().job_id(id).send().await.map(drop),
        c.get_cloud_conversion_eligibility().id(id).send().await.map(drop),
        c.convert_vps_to_cloud().id(id).send().await.map(drop),
        c.cancel_vps().id(id).body(cancel_vps).send().await.map(drop),
        c.get_vps_cancellation().id(id).send().await.map(drop),
        c.revoke_vps_cancellation().id(id).send().await.map(drop),
        c.get_order().id(id).send().await.map(drop),
        c.cancel_order().id(id).send().await.map(drop),
        c.get_vps_maintenance().id(id).send().await.map(drop),
        c.extend_vps_maintenance().id(id).body(extend).send().await.map(drop),
        c.list_vps_templates().id(id).send().await.map(drop),
        c.rebuild_vps().id(id).body(rebuild).send().await.map(drop),
        c.list_vps_snapshots().id(id).send().await.map(drop),
        c.create_vps_snapshot().id(id).body(snapshot.clone()).send().await.map(drop),
        c.delete_vps_snapshot().id(id).snapshot_id("s").send().await.map(drop),
        c.delete_vps_snapshot().id("v").snapshot_id(id).send().await.map(drop),
        c.restore_vps_snapshot().id(id).snapshot_id("s").send().await.map(drop),
        c.restore_vps_snapshot().id("v").snapshot_id(id).send().await.map(drop),
        c.get_vps_snapshot_schedule().id(id).send().await.map(drop),
        c.set_vps_snapshot_schedule().id(id).body(schedule).send().await.map(drop),
        c.delete_vps_snapshot_schedule().id(id).send().await.map(drop),
        c.list_vps_backups().id(id).send().await.map(drop),
        c.create_vps_backup().id(id).send().await.map(drop),
        c.delete_vps_backup().id(id).backup_id("b").send().await.map(drop),
        c.delete_vps_backup().id("v").backup_id(id).send().await.map(drop),
        c.restore_vps_backup().id(id).backup_id("b").send().await.map(drop),
        c.restore_vps_backup().id("v").backup_id(id).send().await.map(drop),
        c.restore_vps_backup_to_payg().id(id).backup_id("b").body(payg()).send().await.map(drop),
        c.restore_vps_backup_to_payg().id("v").backup_id(id).body(payg()).send().await.map(drop),
        c.restore_vps_from_other_vps().id(id).body(cross).send().await.map(drop),
        c.list_vps_restore_sources().id(id).send().await.map(drop),
        c.list_vps_backup_schedules().id(id).send().await.map(drop),
        c.set_vps_backup_schedule().id(id).body(backup_schedule).send().await.map(drop),
        c.update_vps_backup_settings().id(id).body(settings).send().await.map(drop),
        c.delete_vps_backup_schedule().id(id).schedule_id("s").send().await.map(drop),
        c.delete_vps_backup_schedule().id("v").schedule_id(id).send().await.map(drop),
        c.list_vps_active_jobs().id(id).send().await.map(drop),
        c.cancel_vps_active_job().id(id).body(cancel).send().await.map(drop),
        // Firewall, disks and ISO media (a rule's `{pos}` is an integer: only `{id}` is tried).
        c.list_vps_firewall_rules().id(id).send().await.map(drop),
        c.add_vps_firewall_rule().id(id).body(rule.clone()).send().await.map(drop),
        c.replace_vps_firewall_rule().id(id).pos(0u64).body(rule).send().await.map(drop),
        c.delete_vps_firewall_rule().id(id).pos(0u64).send().await.map(drop),
        c.get_vps_firewall_options().id(id).send().await.map(drop),
        c.update_vps_firewall_options().id(id).body(options).send().await.map(drop),
        c.list_vps_disks().id(id).send().await.map(drop),
        c.delete_vps_disk().id(id).disk_name("d").send().await.map(drop),
        c.delete_vps_disk().id("v").disk_name(id).send().await.map(drop),
        c.get_vps_storage().id(id).send().await.map(drop),
        c.get_vps_storage_quota().id(id).send().await.map(drop),
        c.add_vps_disk().id(id).body(DiskAddRequest::builder().size_gb(10u64)).send().await.map(drop),
        c.list_vps_iso_media().id(id).send().await.map(drop),
        c.mount_vps_iso().id(id).body(IsoMountRequest::builder().iso_id("iso_1")).send().await.map(drop),
        c.unmount_vps_iso().id(id).body(IsoUnmountRequest::builder()).send().await.map(drop),
        c.attach_vps_empty_drive().id(id).send().await.map(drop),
        c.fetch_vps_iso_from_url().id(id).body(fetch).send().await.map(drop),
        c.delete_vps_iso().id(id).volid("iso_1").send().await.map(drop),
        c.delete_vps_iso().id("v").volid(id).send().await.map(drop),
    ];
    assert_eq!(
        results.len(),
        hostup::operations::OPERATIONS
            .iter()
            .filter(|o| o.path.contains("{id}") || o.path.contains("{jobId}"))
            // Every string path parameter is tried once (`{pos}` is an integer).
            .map(|o| o.path.matches('{').count() - o.path.matches("{pos}").count())
            .sum::<usize>()
    );
    for (n, result) in results.into_iter().enumerate() {
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "operation #{n}: {result:?}");
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_host() {
    let elsewhere = ScriptServer::start(vec![json(200, &fixture("getVps.200"))]).await;
    let location = format!("{}/api/v2/vps/{VPS_ID}", elsewhere.base);
    let server = ScriptServer::start(vec![http(302, &[("location", &location)], "")]).await;
    let err = client(&server.base).get_vps().id(VPS_ID).send().await.value().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert!(err.to_string().contains("redirected"), "{err}");
    assert_eq!(elsewhere.count(), 0, "the other host saw a request");
}

#[tokio::test]
async fn same_origin_redirects_are_followed() {
    let server = ScriptServer::start(vec![
        http(307, &[("location", &format!("/api/v2/vps/{VPS_ID}"))], ""),
        json(200, &fixture("getVps.200")),
    ])
    .await;
    client(&server.base).get_vps().id(VPS_ID).send().await.unwrap();
    assert_eq!(server.count(), 2);
    assert_eq!(server.seen()[1].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
}
