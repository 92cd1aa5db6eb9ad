//! Snapshots and backups as quotes: the preview runs the library's own pre-checks (name rule,
//! slots, gates, that the snapshot or backup is listed) on fresh reads, the commit calls the
//! library's helper, which checks again and never resends.

use hostup::prelude::*;
use hostup::{Client, Destructive, RecoveryJob};
use serde_json::{Value, json};

use super::{VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Answer, Preview, ToolDef};
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::preview(
            "preview_snapshot_create",
            "Checks that a snapshot can be taken now (the name rule, `available`, a free slot of \
             limits.totalSnapshots, the canCreate gate, the name unused; list_snapshots shows them) and \
             returns a quote with a token. `commit` takes the snapshot and answers its job.",
            input("createVpsSnapshot"),
            snapshot_create,
        ),
        ToolDef::preview(
            "preview_snapshot_restore",
            "DESTRUCTIVE: rolling back overwrites the VPS's disk with the snapshot `snapshotId` (its name \
             from list_snapshots). Checks the canRestore gate and that the snapshot exists, and returns a \
             quote with a token; `commit` starts the restore and answers its job.",
            input("restoreVpsSnapshot")
                .describe("snapshotId", "The snapshot's name from list_snapshots `data[].name`."),
            snapshot_restore,
        ),
        ToolDef::preview(
            "preview_backup_create",
            "Checks the canCreateBackup gate (list_backups) and returns a quote with a token; `commit` \
             queues a manual offsite backup and answers its job.",
            input("createVpsBackup"),
            backup_create,
        ),
        ToolDef::preview(
            "preview_backup_restore",
            "DESTRUCTIVE: restoring replaces the VPS's disk with its backup `backupId` (from list_backups \
             `backups[].id`). Checks the canRestore gate and that the backup exists, and returns a quote \
             with a token; `commit` starts the restore and answers its job.",
            input("restoreVpsBackup").describe("backupId", "The backup id from list_backups `backups[].id`."),
            backup_restore,
        ),
    ]
}

/// A job the commit started, as the agent follows it.
fn job(job: &RecoveryJob) -> Answer {
    let operation = match &job.operation {
        Some(op) => redacted(op)?,
        None => Value::Null,
    };
    Ok(
        json!({ "vpsId": job.vps_id, "job": job.kind.to_string(), "target": job.target, "operation": operation }),
    )
}

const OVERWRITES: &str = "this overwrites the VPS's disk: everything written since is lost";

async fn snapshot_create(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let name = args.string("name")?;
    let description = args.opt_string("description")?;
    hostup::snapshot_name(&name)?;
    let list = client.list_vps_snapshots().id(&id).send().await?.into_inner();
    list.ensure_can_create()?;
    if list.find(&name).is_some() {
        return Err(Refusal::arguments(format!(
            "a snapshot named {name:?} already exists on {id}; pick another name"
        )));
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "snapshot": name, "freeSlots": list.free_slots() }),
        cost: None,
        warnings: vec!["snapshots are kept about 24 hours".into()],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { job(&client.take_snapshot(&id, &name, description.as_deref()).await?) })
        }),
    })
}

async fn snapshot_restore(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let name = args.string("snapshotId")?;
    let list = client.list_vps_snapshots().id(&id).send().await?.into_inner();
    list.ensure_can_restore(&name)?;
    let snapshot = list.find(&name).map(redacted).transpose()?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "restore": snapshot }),
        cost: None,
        warnings: vec![OVERWRITES.into()],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let confirmed = Destructive::confirm(&id);
                job(&client.restore_snapshot(&id, &name, confirmed).await?)
            })
        }),
    })
}

async fn backup_create(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let note = args.opt_string("note")?;
    client.list_vps_backups().id(&id).send().await?.into_inner().ensure_can_create()?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "backup": { "note": note } }),
        cost: None,
        warnings: Vec::new(),
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { job(&client.take_backup(&id, note.as_deref()).await?) })
        }),
    })
}

async fn backup_restore(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let backup_id = args.string("backupId")?;
    let list = client.list_vps_backups().id(&id).send().await?.into_inner();
    list.ensure_can_restore(&backup_id)?;
    let backup = list.backups.iter().find(|b| b.id == backup_id).map(redacted).transpose()?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "restore": backup }),
        cost: None,
        warnings: vec![OVERWRITES.into()],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let confirmed = Destructive::confirm(&id);
                job(&client.restore_backup(&id, &backup_id, confirmed).await?)
            })
        }),
    })
}
