//! Hostile ids on every operation with an id in its path: each is either refused before anything
//! is sent, or sent exactly once with the id percent-encoded as one path segment that decodes back
//! to the id. (The legacy `{vmid}` is a `NonZeroU64`, so it cannot carry anything else.)

use hostup::types::*;
use hostup::{Client, Error};

use crate::support::*;

const HOSTILE: &[&str] = &[
    "..",
    ".",
    "",
    "a/b",
    "/",
    "%2e%2e",
    "%2E%2e",
    ".%2e",
    "..%2F..",
    "%",
    "%%",
    "%zz",
    "a?b",
    "?",
    "a#b",
    "#",
    "vps_ä",
    "\u{202e}vps",
    "😀",
    "\u{ff0e}\u{ff0e}",
    " ",
    "a b",
    "\t",
    "a\nb",
    "\r\n",
    "\u{0}",
    ";",
    "a;b=c",
    "&",
    "+",
    "~",
    "@",
    ":",
    "\"",
    "<>",
    "`{}`",
    "|",
    "^",
    "[]",
    "'",
    "*",
    "$",
    "a..",
    "...",
    "..a",
];

fn long_ids() -> Vec<String> {
    vec!["x".repeat(4096), "/".repeat(300), "..".repeat(500), "é".repeat(1000)]
}

/// Calls `op` with `id` in its path segment.
async fn call(c: &Client, op: &str, id: &str) -> hostup::Result<()> {
    let map = serde_json::Map::new();
    let r: hostup::Result<()> = match op {
        "getVps" => c.get_vps().id(id).send().await.map(drop),
        "getVpsDetails" => c.get_vps_details().id(id).send().await.map(drop),
        "getVpsStatus" => c.get_vps_status().id(id).send().await.map(drop),
        "getVpsUpgradeOptions" => c.get_vps_upgrade_options().id(id).send().await.map(drop),
        "getVpsBillingCycle" => c.get_vps_billing_cycle().id(id).send().await.map(drop),
        "changeVpsResources" => {
            let body = ResourceChangeRequest::builder().resources(map);
            c.change_vps_resources().id(id).body(body).send().await.map(drop)
        }
        "upgradeVpsPlan" => {
            let body = PlanChangeRequest::builder().product_slug("vps-sm");
            c.upgrade_vps_plan().id(id).body(body).send().await.map(drop)
        }
        "changeVpsBillingCycle" => {
            let body = BillingCycleChangeRequest::builder().billing_cycle(BillingCycleChoice::Monthly);
            c.change_vps_billing_cycle().id(id).body(body).send().await.map(drop)
        }
        "renewVps" => c.renew_vps().id(id).body(RenewRequest::builder()).send().await.map(drop),
        "resizePaygVps" => {
            let body = PaygResizeRequest::builder().cpu_cores(2u64).memory_gb(2u64);
            c.resize_payg_vps().id(id).body(body).send().await.map(drop)
        }
        "resizeVpsDisk" => {
            let body = DiskResizeRequest::builder().disk_id("vpsdisk_1").size_gb(10u64);
            c.resize_vps_disk().id(id).body(body).send().await.map(drop)
        }
        "restartVps" => c.restart_vps().id(id).send().await.map(drop),
        "resetVps" => c.reset_vps().id(id).send().await.map(drop),
        "startVps" => c.start_vps().id(id).send().await.map(drop),
        "stopVps" => c.stop_vps().id(id).send().await.map(drop),
        "shutdownVps" => c.shutdown_vps().id(id).send().await.map(drop),
        "getJob" => c.get_job().job_id(id).send().await.map(drop),
        "getCloudConversionEligibility" => c.get_cloud_conversion_eligibility().id(id).send().await.map(drop),
        "convertVpsToCloud" => c.convert_vps_to_cloud().id(id).send().await.map(drop),
        "cancelVps" => {
            let body = hostup::types::VpsCancelRequest::builder().reason("Moving");
            c.cancel_vps().id(id).body(body).send().await.map(drop)
        }
        "getVpsCancellation" => c.get_vps_cancellation().id(id).send().await.map(drop),
        "revokeVpsCancellation" => c.revoke_vps_cancellation().id(id).send().await.map(drop),
        "getOrder" => c.get_order().id(id).send().await.map(drop),
        "cancelOrder" => c.cancel_order().id(id).send().await.map(drop),
        "getVpsMaintenance" => c.get_vps_maintenance().id(id).send().await.map(drop),
        "extendVpsMaintenance" => {
            let body = hostup::types::MaintenanceExtendRequest::builder().deadline_id("mtd_1");
            c.extend_vps_maintenance().id(id).body(body).send().await.map(drop)
        }
        "listVpsTemplates" => c.list_vps_templates().id(id).send().await.map(drop),
        "rebuildVps" => {
            let body = hostup::types::RebuildRequest::builder().template_id("os_1");
            c.rebuild_vps().id(id).body(body).send().await.map(drop)
        }
        _ => recovery_call(c, op, id).await,
    };
    r
}

/// The snapshot, backup and job operations (the hostile id goes into `{id}`).
async fn recovery_call(c: &Client, op: &str, id: &str) -> hostup::Result<()> {
    use hostup::types::*;
    let r: hostup::Result<()> = match op {
        "listVpsSnapshots" => c.list_vps_snapshots().id(id).send().await.map(drop),
        "createVpsSnapshot" => {
            let body = SnapshotCreateRequest::builder().name(hostup::snapshot_name("s")?);
            c.create_vps_snapshot().id(id).body(body).send().await.map(drop)
        }
        "deleteVpsSnapshot" => c.delete_vps_snapshot().id(id).snapshot_id("s").send().await.map(drop),
        "restoreVpsSnapshot" => c.restore_vps_snapshot().id(id).snapshot_id("s").send().await.map(drop),
        "getVpsSnapshotSchedule" => c.get_vps_snapshot_schedule().id(id).send().await.map(drop),
        "setVpsSnapshotSchedule" => {
            let body = SnapshotScheduleRequest::builder().enabled(true).interval_hours(12.0);
            c.set_vps_snapshot_schedule().id(id).body(body).send().await.map(drop)
        }
        "deleteVpsSnapshotSchedule" => c.delete_vps_snapshot_schedule().id(id).send().await.map(drop),
        "listVpsBackups" => c.list_vps_backups().id(id).send().await.map(drop),
        "createVpsBackup" => c.create_vps_backup().id(id).send().await.map(drop),
        "deleteVpsBackup" => c.delete_vps_backup().id(id).backup_id("b").send().await.map(drop),
        "restoreVpsBackup" => c.restore_vps_backup().id(id).backup_id("b").send().await.map(drop),
        "restoreVpsBackupToPayg" => {
            let body = PaygRestoreRequest::builder();
            c.restore_vps_backup_to_payg().id(id).backup_id("b").body(body).send().await.map(drop)
        }
        "restoreVpsFromOtherVps" => {
            let body = CrossVpsRestoreRequest::builder().source_vps_id("vps_a").backup_id("bkp_b");
            c.restore_vps_from_other_vps().id(id).body(body).send().await.map(drop)
        }
        "listVpsRestoreSources" => c.list_vps_restore_sources().id(id).send().await.map(drop),
        "listVpsBackupSchedules" => c.list_vps_backup_schedules().id(id).send().await.map(drop),
        "setVpsBackupSchedule" => {
            let json =
                serde_json::json!({"frequency": "daily", "hour": 2, "retentionCount": 1, "enabled": true});
            let body: BackupScheduleRequest = serde_json::from_value(json).unwrap();
            c.set_vps_backup_schedule().id(id).body(body).send().await.map(drop)
        }
        "updateVpsBackupSettings" => {
            let body = BackupSettingsRequest::builder().auto_delete_oldest(true);
            c.update_vps_backup_settings().id(id).body(body).send().await.map(drop)
        }
        "deleteVpsBackupSchedule" => {
            c.delete_vps_backup_schedule().id(id).schedule_id("s").send().await.map(drop)
        }
        "listVpsActiveJobs" => c.list_vps_active_jobs().id(id).send().await.map(drop),
        "cancelVpsActiveJob" => {
            let body = CancelJobRequest::builder().job_type(CancelJobType::Backup);
            c.cancel_vps_active_job().id(id).body(body).send().await.map(drop)
        }
        "renameSshKey" => c
            .rename_ssh_key()
            .id(id)
            .body(SshKeyRenameRequest { name: "k".try_into().unwrap() })
            .send()
            .await
            .map(drop),
        "deleteSshKey" => c.delete_ssh_key().id(id).send().await.map(drop),
        "listVpsSshKeys" => c.list_vps_ssh_keys().id(id).send().await.map(drop),
        "resetVpsSshKeys" => {
            let body = SshKeyResetRequest { key_ids: vec!["k".try_into().unwrap()] };
            c.reset_vps_ssh_keys().id(id).body(body).send().await.map(drop)
        }
        "getVpsSshPasswordLogin" => c.get_vps_ssh_password_login().id(id).send().await.map(drop),
        "setVpsSshPasswordLogin" => c
            .set_vps_ssh_password_login()
            .id(id)
            .body(SshPasswordLoginRequest { enabled: true })
            .send()
            .await
            .map(drop),
        "getVpsHostname" => c.get_vps_hostname().id(id).send().await.map(drop),
        "setVpsHostname" => {
            let body = HostnameChangeRequest { hostname: "h.example.com".try_into().unwrap() };
            c.set_vps_hostname().id(id).body(body).send().await.map(drop)
        }
        "getVpsNetwork" => c.get_vps_network().id(id).send().await.map(drop),
        "changeVpsNetwork" => {
            let action = DeleteInterfaceRequestAction::DeleteInterface;
            let body = DeleteInterfaceRequest { action, interface_name: "net1".try_into().unwrap() };
            c.change_vps_network().id(id).body(body).send().await.map(drop)
        }
        "getVpsMetrics" => c.get_vps_metrics().id(id).send().await.map(drop),
        _ => devices_call(c, op, id).await,
    };
    r
}

/// The firewall, disk and ISO operations (the hostile id goes into `{id}`).
async fn devices_call(c: &Client, op: &str, id: &str) -> hostup::Result<()> {
    let rule = || hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "22", None);
    let r: hostup::Result<()> = match op {
        "listVpsFirewallRules" => c.list_vps_firewall_rules().id(id).send().await.map(drop),
        "addVpsFirewallRule" => c.add_vps_firewall_rule().id(id).body(rule()).send().await.map(drop),
        "replaceVpsFirewallRule" => {
            c.replace_vps_firewall_rule().id(id).pos(0u64).body(rule()).send().await.map(drop)
        }
        "deleteVpsFirewallRule" => c.delete_vps_firewall_rule().id(id).pos(0u64).send().await.map(drop),
        "getVpsFirewallOptions" => c.get_vps_firewall_options().id(id).send().await.map(drop),
        "updateVpsFirewallOptions" => {
            let body = FirewallOptionsRequest::builder().enabled(true);
            c.update_vps_firewall_options().id(id).body(body).send().await.map(drop)
        }
        "listVpsDisks" => c.list_vps_disks().id(id).send().await.map(drop),
        "deleteVpsDisk" => c.delete_vps_disk().id(id).disk_name("d").send().await.map(drop),
        "getVpsStorage" => c.get_vps_storage().id(id).send().await.map(drop),
        "getVpsStorageQuota" => c.get_vps_storage_quota().id(id).send().await.map(drop),
        "addVpsDisk" => {
            c.add_vps_disk().id(id).body(DiskAddRequest::builder().size_gb(10u64)).send().await.map(drop)
        }
        "listVpsIsoMedia" => c.list_vps_iso_media().id(id).send().await.map(drop),
        "mountVpsIso" => {
            let body = IsoMountRequest::builder().iso_id("iso_1");
            c.mount_vps_iso().id(id).body(body).send().await.map(drop)
        }
        "unmountVpsIso" => {
            c.unmount_vps_iso().id(id).body(IsoUnmountRequest::builder()).send().await.map(drop)
        }
        "attachVpsEmptyDrive" => c.attach_vps_empty_drive().id(id).send().await.map(drop),
        "fetchVpsIsoFromUrl" => {
            let body = hostup::IsoFetch::new("https://example.com/a.iso", "a.iso").validate()?;
            c.fetch_vps_iso_from_url().id(id).body(body).send().await.map(drop)
        }
        "deleteVpsIso" => c.delete_vps_iso().id(id).volid("iso_1").send().await.map(drop),
        other => panic!("operation {other} has an id in its path but no case here: add one"),
    };
    r
}

fn percent_decode(segment: &str) -> Vec<u8> {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        let (byte, width) = match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => (byte, 3),
            (byte, _) => (byte, 1),
        };
        out.push(byte);
        i += width;
    }
    out
}

/// Every id on every operation; returns the violations.
async fn violations(stem: &str, ids: &[String]) -> Vec<String> {
    let server = ScriptServer::start(vec![not_found()]).await;
    let c = client(&format!("{}{stem}", server.base));
    let mut found = Vec::new();
    let ops = hostup::operations::OPERATIONS
        .iter()
        .filter(|o| o.path.contains("{id}") || o.path.contains("{jobId}"));
    for op in ops {
        let full = format!("{stem}{}", op.path);
        let template: Vec<&str> = full.split('/').collect();
        let slot = template.iter().position(|s| s.starts_with('{')).unwrap();
        for id in ids {
            let before = server.count();
            let result = guard(call(&c, op.id, id)).await;
            let sent = server.seen_since(before);
            let problem = match (sent.as_slice(), &result) {
                ([], Err(Error::InvalidRequest(_))) => None,
                ([], other) => Some(format!("nothing sent but {other:?}")),
                ([one], Err(e)) if e.is_not_found() => {
                    let raw = one.path.split('?').next().unwrap();
                    let segments: Vec<&str> = raw.split('/').collect();
                    let same_shape = segments.len() == template.len()
                        && segments.iter().zip(&template).all(|(s, t)| t.starts_with('{') || s == t);
                    match same_shape && percent_decode(segments[slot]) == id.as_bytes() {
                        true => None,
                        false => Some(format!("sent as {raw}")),
                    }
                }
                (many, other) => Some(format!("{} requests, {other:?}", many.len())),
            };
            if let Some(problem) = problem {
                found.push(format!("{} {id:?}: {problem}", op.id));
            }
        }
    }
    found
}

#[tokio::test]
async fn hostile_ids_never_leave_their_segment_on_any_operation() {
    let mut ids: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    ids.extend(long_ids());
    let found = violations("", &ids).await;
    assert!(found.is_empty(), "{} ids escaped:\n{}", found.len(), found.join("\n"));
}

#[tokio::test]
async fn hostile_ids_stay_in_their_segment_under_a_base_path() {
    let ids: Vec<String> = ["..", ".", "", "a/b", "%2e%2e", "a?b"].iter().map(|s| s.to_string()).collect();
    let found = violations("/stem/v1", &ids).await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Found by this suite: progenitor's path encoding leaves `\` alone and the URL parser treats it
/// as `/` in http(s) URLs, so `x\..\y` was sent as `y`. Fixed by routing path parameters through
/// `src/path_encoding.rs` (build.rs rewrites the generated calls).
#[tokio::test]
async fn backslashes_in_ids_never_leave_their_segment() {
    let ids: Vec<String> = ["a\\b", "x\\..\\y", "\\..", "..\\", "\\"].iter().map(|s| s.to_string()).collect();
    let found = violations("", &ids).await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}
