//! `hostup vps backup list|sources|create|restore|delete`; restore in place, `--from-vps` (the
//! target is stopped and overwritten) or `--to-payg` (a new VM billed by the hour).

use std::num::NonZeroU64;

use hostup::gates::BackupGate;
use hostup::prelude::*;
use hostup::types::{Backup as BackupRow, PaygRestoreRequest, RestoreSource};
use hostup::{Client, Destructive};
use serde_json::json;

use super::{Session, cell, confirm, finish, gate_summary, print_job, typed};
use crate::args::recovery::{Backup, Restore};
use crate::confirm::Risk;
use crate::failure::Failure;
use crate::output::RedactedJson;

pub async fn run(client: &Client, session: &Session, command: &Backup) -> Result<(), Failure> {
    match command {
        Backup::List(vps) => list(client, session, &vps.id).await,
        Backup::Sources(vps) => sources(client, session, &vps.id).await,
        Backup::Create { vps, note, wait } => {
            let job = client.take_backup(&vps.id, note.as_deref()).await?;
            let status = finish(client, session, &job, wait).await?;
            print_job(session, &job, &status)
        }
        Backup::Restore(restore) if restore.to_payg => to_payg(client, session, restore).await,
        Backup::Restore(restore) => in_place(client, session, restore).await,
        Backup::Delete { vps, backup } => {
            let what = format!("delete backup {backup} of {}", vps.id);
            confirm(session, &what, "the backup is gone for good", Risk::Destructive)?;
            client.delete_backup(&vps.id, backup, Destructive::confirm(&vps.id)).await?;
            let answer = RedactedJson(json!({"vpsId": vps.id, "backupId": backup, "deleted": true}));
            session.printer.record(
                &answer,
                &[("vps", vps.id.clone()), ("backup", backup.clone()), ("status", "deleted".into())],
            )
        }
    }
}

async fn list(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let list = client.list_vps_backups().id(id).send().await?.into_inner();
    let headers = ["ID", "CREATED", "SIZE GB", "TYPE", "NOTE"];
    session.printer.listing(&headers, &list.backups, |b: &BackupRow| {
        vec![
            b.id.clone(),
            cell(b.created_at.as_deref()),
            cell(b.size_gb),
            cell(b.backup_type.as_ref()),
            cell(b.note.as_deref()),
        ]
    })?;
    let mut notes = Vec::new();
    if let Some(quota) = &list.quota_info {
        notes.push(format!("{} of {} backups used", cell(quota.used), cell(quota.limit)));
    }
    if let Some(actions) = &list.actions {
        notes.extend(gate_summary(BackupGate::ALL.iter().map(|g| (g.gate_name(), g.gate(actions)))));
    }
    if !notes.is_empty() {
        session.progress.note(&notes.join("; "));
    }
    Ok(())
}

async fn sources(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let sources = client.list_vps_restore_sources().id(id).send().await?.into_inner();
    let headers = ["ID", "NAME", "STATUS", "TYPE", "BACKUPS"];
    session.printer.listing(&headers, &sources.sources, |s: &RestoreSource| {
        let backups: Vec<&str> = s.backups.iter().map(|b| b.id.as_str()).collect();
        vec![
            s.id.clone(),
            cell(s.name.as_deref()),
            cell(s.service_status.as_ref()),
            cell(s.source_type.as_ref()),
            if backups.is_empty() { "-".into() } else { backups.join(" ") },
        ]
    })
}

/// In place, or from another VPS's backup onto this one.
async fn in_place(client: &Client, session: &Session, restore: &Restore) -> Result<(), Failure> {
    let (id, backup) = (&restore.id, &restore.backup);
    let confirmed = Destructive::confirm(id);
    let job = match &restore.from_vps {
        Some(source) => {
            let what = format!("restore {id} from backup {backup} of {source}");
            let consequence = "the target is stopped and its disk overwritten with the other VPS's (it keeps its own network)";
            confirm(session, &what, consequence, typed(id))?;
            client.restore_backup_from_vps(id, source, backup, confirmed).await?
        }
        None => {
            let what = format!("restore {id} from backup {backup}");
            confirm(session, &what, "its disk is overwritten: everything written since is lost", typed(id))?;
            client.restore_backup(id, backup, confirmed).await?
        }
    };
    let status = finish(client, session, &job, &restore.wait).await?;
    print_job(session, &job, &status)
}

/// Onto a new PAYG Cloud VM: nothing is overwritten, but the new VM is billed by the hour.
async fn to_payg(client: &Client, session: &Session, restore: &Restore) -> Result<(), Failure> {
    let (id, backup) = (&restore.id, &restore.backup);
    let size = |v: Option<u64>| v.and_then(NonZeroU64::new);
    let request: PaygRestoreRequest = PaygRestoreRequest::builder()
        .name(restore.name.clone())
        .region(restore.region.clone())
        .cpu_cores(size(restore.cpu_cores))
        .memory_gb(size(restore.memory_gb))
        .storage_gb(size(restore.storage_gb))
        .try_into()
        .map_err(|e| Failure::Usage(format!("the restore request is not valid: {e}")))?;
    let what = format!("restore backup {backup} of {id} onto a new PAYG Cloud VM");
    confirm(session, &what, "the new VM is billed by the hour until it is deleted", Risk::Destructive)?;
    let restored = client.restore_backup_to_payg(id, backup, request).await?;
    let status = match &restored.job {
        Some(job) => finish(client, session, job, &restore.wait).await?,
        None => "accepted".into(),
    };
    let job_id = restored.job.as_ref().and_then(|j| j.operation.as_ref()).map(|o| o.job_id.clone());
    let fields = [
        ("vps", id.clone()),
        ("backup", backup.clone()),
        ("new vps", cell(restored.result.vps_id.as_deref())),
        ("job", cell(job_id)),
        ("status", status),
    ];
    session.printer.record(&restored.result, &fields)
}
