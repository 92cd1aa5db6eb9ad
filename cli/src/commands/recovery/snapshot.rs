//! `hostup vps snapshot list|create|restore|delete`.

use hostup::gates::SnapshotGate;
use hostup::prelude::*;
use hostup::types::Snapshot as SnapshotRow;
use hostup::{Client, Destructive};

use super::{Session, cell, confirm, finish, gate_summary, print_job, typed};
use crate::args::recovery::Snapshot;
use crate::confirm::Risk;
use crate::failure::Failure;

pub async fn run(client: &Client, session: &Session, command: &Snapshot) -> Result<(), Failure> {
    match command {
        Snapshot::List(vps) => list(client, session, &vps.id).await,
        Snapshot::Create { vps, name, description, wait } => {
            let job = client.take_snapshot(&vps.id, name, description.as_deref()).await?;
            let status = finish(client, session, &job, wait).await?;
            print_job(session, &job, &status)
        }
        Snapshot::Restore { vps, name, wait } => {
            let what = format!("restore {} to snapshot {name}", vps.id);
            let consequence = "its disk goes back to the snapshot: everything written since is lost";
            confirm(session, &what, consequence, typed(&vps.id))?;
            let job = client.restore_snapshot(&vps.id, name, Destructive::confirm(&vps.id)).await?;
            let status = finish(client, session, &job, wait).await?;
            print_job(session, &job, &status)
        }
        Snapshot::Delete { vps, name, wait } => {
            let what = format!("delete snapshot {name} of {}", vps.id);
            confirm(session, &what, "the rollback point is gone for good", Risk::Destructive)?;
            let job = client.delete_snapshot(&vps.id, name, Destructive::confirm(&vps.id)).await?;
            let status = finish(client, session, &job, wait).await?;
            print_job(session, &job, &status)
        }
    }
}

async fn list(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let list = client.list_vps_snapshots().id(id).send().await?.into_inner();
    let headers = ["NAME", "CREATED", "EXPIRES", "MEMORY", "DESCRIPTION"];
    session.printer.listing(&headers, &list.data, |s: &SnapshotRow| {
        vec![
            s.name.clone(),
            cell(s.created_at.as_deref()),
            cell(s.expires_at.as_deref()),
            cell(s.includes_memory_state.map(|m| if m { "yes" } else { "no" })),
            cell(s.description.as_deref()),
        ]
    })?;
    let mut notes = Vec::new();
    if list.available == Some(false) {
        notes.push(format!(
            "snapshots not available: {}",
            list.reason.as_deref().unwrap_or("no reason given")
        ));
    }
    if let Some(total) = list.limits.as_ref().and_then(|l| l.total_snapshots) {
        notes.push(format!("{} of {total} snapshot slots used", list.data.len()));
    }
    if let Some(actions) = &list.actions {
        notes.extend(gate_summary(SnapshotGate::ALL.iter().map(|g| (g.gate_name(), g.gate(actions)))));
    }
    if !notes.is_empty() {
        session.progress.note(&notes.join("; "));
    }
    Ok(())
}
