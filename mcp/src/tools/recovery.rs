//! Reads of the recovery area: snapshots, backups, their schedules, restore sources, and jobs.

use serde_json::json;

use super::{VPS_ID, redacted};
use crate::registry::ToolDef;
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let by_id = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::read(
            "list_snapshots",
            "The VPS's snapshots (short-lived local rollback points, about 24 hours: see expiresAt), \
             with `available`, `limits.totalSnapshots` (slots) and the gates `actions.canCreate` and \
             `canRestore`. A snapshot's id is its `data[].name`. Read it before preview_snapshot_create \
             or preview_snapshot_restore.",
            by_id("listVpsSnapshots"),
            |client, args| async move {
                redacted(&client.list_vps_snapshots().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_snapshot_schedule",
            "The VPS's automatic snapshot schedule (interval in hours, enabled), if any.",
            by_id("getVpsSnapshotSchedule"),
            |client, args| async move {
                redacted(
                    &client.get_vps_snapshot_schedule().id(args.string("id")?).send().await?.into_inner(),
                )
            },
        ),
        ToolDef::read(
            "list_backups",
            "The VPS's offsite backups (`backups[].id` is what preview_backup_restore takes) and the gates \
             `actions.canCreateBackup` and `canRestore`.",
            by_id("listVpsBackups"),
            |client, args| async move {
                redacted(&client.list_vps_backups().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_backup_schedules",
            "The VPS's backup schedules (daily, weekly, monthly) and retention settings.",
            by_id("listVpsBackupSchedules"),
            |client, args| async move {
                redacted(
                    &client.list_vps_backup_schedules().id(args.string("id")?).send().await?.into_inner(),
                )
            },
        ),
        ToolDef::read(
            "list_restore_sources",
            "Other VPSes of the account whose backups could be restored onto this one, with their backups.",
            by_id("listVpsRestoreSources"),
            |client, args| async move {
                redacted(&client.list_vps_restore_sources().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_active_jobs",
            "The VPS's running snapshot, backup and restore jobs. Check it after a commit that returned an \
             operation, and before starting another job.",
            by_id("listVpsActiveJobs"),
            |client, args| async move {
                redacted(&client.list_vps_active_jobs().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_job",
            "The progress of one job by `jobId`, from a committed change's `operation.jobId`. Poll it until \
             the status is completed or failed.",
            InputSchema::of("getJob"),
            |client, args| async move {
                let job = client.get_job().job_id(args.string("jobId")?).send().await?.into_inner();
                Ok(json!({ "job": redacted(&job)? }))
            },
        ),
    ]
}
