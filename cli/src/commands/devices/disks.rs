//! `hostup vps disk ID list|add|resize|delete`.

use hostup::prelude::*;
use hostup::types::VpsDisk;
use hostup::{Client, DiskBudget, DiskSize};

use super::{Session, confirmed, finish, gate_cell, text};
use crate::args::devices::DiskCommand;
use crate::failure::Failure;

pub async fn run(client: &Client, session: &Session, id: &str, command: &DiskCommand) -> Result<(), Failure> {
    match command {
        DiskCommand::List => list(client, session, id).await,
        DiskCommand::Add { size, interface, wait } => {
            let change = client.add_disk(id, *size, interface.as_deref()).await?;
            finish(client, session, change, wait).await
        }
        DiskCommand::Resize { disk, to, by, wait } => {
            let size = match (to, by) {
                (Some(gb), _) => DiskSize::To(*gb),
                (None, Some(gb)) => DiskSize::By(*gb),
                (None, None) => return Err(Failure::Usage("give --to GB or --by GB".into())),
            };
            let change = client.resize_disk(id, disk, size).await?;
            finish(client, session, change, wait).await
        }
        DiskCommand::Delete { disk, keep_volume } => {
            let consequence = match keep_volume {
                true => "the disk is detached; its volume is kept where the platform can",
                false => "the disk and everything on it are gone for good",
            };
            let yes = confirmed(session, id, &format!("delete disk {disk}"), consequence)?;
            client.delete_disk(id, disk, *keep_volume, yes).await?;
            let fields = [("vps", id.to_string()), ("deleted", disk.clone())];
            session.printer.record(
                &crate::output::RedactedJson(serde_json::json!({"vpsId": id, "deletedDisk": disk})),
                &fields,
            )
        }
    }
}

fn cells(disk: &VpsDisk) -> Vec<String> {
    let size = disk.capacity.as_ref().map_or("-".into(), |c| format!("{} GB", c.total_gb));
    let used =
        disk.capacity.as_ref().and_then(|c| c.usage_percent).map_or("-".into(), |p| format!("{p:.1}%"));
    vec![
        text(disk.id.as_deref()),
        text(disk.name.as_deref()),
        size,
        used,
        if disk.is_root() { "yes".into() } else { "no".into() },
        gate_cell(Some(&disk.actions.can_detach)),
        gate_cell(disk.actions.can_resize.as_ref()),
    ]
}

async fn list(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let disks = client.list_vps_disks().id(id).send().await?.into_inner();
    let headers = ["ID", "NAME", "SIZE", "USED", "ROOT", "DETACH", "RESIZE"];
    session.printer.listing(&headers, &disks, cells)?;
    // The budget new disks draw on, for people (the JSON is the API's disk list as it came).
    match client.disk_budget(id).await {
        Ok(DiskBudget::Attachable { available_gb, purchased_gb, .. }) => session.progress.note(&format!(
            "attachable storage: {available_gb} GB free of {purchased_gb} GB (buy more with the additionalStorageGb option)"
        )),
        Ok(budget) => session.progress.note(&format!(
            "PAYG storage limit of the account: {} GB left ({})",
            budget.available_gb(),
            budget.quota()
        )),
        Err(e) => session.progress.note(&format!("storage budget unknown: {e}")),
    }
    Ok(())
}
