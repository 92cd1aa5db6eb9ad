//! Disk and ISO writes as quotes: add, resize and delete a disk, mount and unmount an ISO. The
//! previews run the library's checks on fresh reads (the spec's size bounds, the `canAddDisk`,
//! `canResize`, `canDetach` and `canMount` gates, the quota a disk draws on by billing model, the
//! root disk never deleted) and price what a PAYG VPS will pay per month for the storage; the
//! commits call the library's helpers, which check again and never resend.

use hostup::gates::DiskGate;
use hostup::limits::{
    DISK_ADD_REQUEST_SIZE_GB_MAX, DISK_ADD_REQUEST_SIZE_GB_MIN, DISK_RESIZE_REQUEST_SIZE_GB_MAX,
    DISK_RESIZE_REQUEST_SIZE_GB_MIN,
};
use hostup::prelude::*;
use hostup::types::{IsoDevice, VpsDisk};
use hostup::{Action, Client, Destructive, DiskBudget, DiskSize, Error};
use serde_json::json;

use super::devices::budget_json;
use super::{VPS_ID, device_change, payg_monthly, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Cost, Preview, ToolDef};
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::preview(
            "preview_disk_add",
            "Checks that a new empty disk of `sizeGb` (1 to 1000) can be attached: the canAddDisk gate \
             (get_vps_details) and the quota it draws on (get_disk_budget: a fixed-cycle VPS's \
             attachable pool, a PAYG VPS's account storage limit). Returns a quote with a token; on a \
             PAYG VPS its cost is the storage's hourly rate over a month (what the spending ceiling \
             counts). `commit` attaches it and answers the change to follow.",
            input("addVpsDisk"),
            add,
        ),
        ToolDef::preview(
            "preview_disk_resize",
            "Checks that the disk `diskId` (list_disks `disks[].id`) can grow to `sizeGb` (or by it, \
             with incremental true): its canResize gate, that it grows (disks never shrink), and for a \
             non-root disk of a fixed-cycle VPS the attachable pool. Returns a quote (a PAYG VPS's \
             monthly cost of the growth) with a token; `commit` resizes it.",
            input("resizeVpsDisk").describe("diskId", "The disk's id from list_disks `disks[].id`."),
            resize,
        ),
        ToolDef::preview(
            "preview_disk_delete",
            "DESTRUCTIVE: detaches the disk `diskName` (list_disks `disks[].id`) and deletes its data \
             unless keepVolume is true (where the platform supports it). The root disk is refused, as \
             is a disk whose canDetach gate is closed. Returns a quote with a token; `commit` deletes it.",
            input("deleteVpsDisk"),
            delete,
        ),
        ToolDef::preview(
            "preview_iso_mount",
            "Checks that the ISO `isoId` (list_iso_media `available[].id`) can be put into a CD/DVD \
             drive (`device`, ide2 when left out): the canMount gate, the ISO listed, the drive present. \
             Returns a quote with a token; `commit` mounts it and answers the change to follow.",
            input("mountVpsIso"),
            mount,
        ),
        ToolDef::preview(
            "preview_iso_unmount",
            "Previews ejecting the medium from a CD/DVD drive (`device`, ide2 when left out): the quote \
             says what is in it now. `commit` ejects it.",
            input("unmountVpsIso"),
            unmount,
        ),
    ]
}

fn size(args: &Args, min: u64, max: u64) -> Result<u64, Refusal> {
    let size = args.opt::<u64>("sizeGb")?.ok_or_else(|| Refusal::arguments("`sizeGb` is required"))?;
    if !(min..=max).contains(&size) {
        let reason = format!("{size} GB is outside {min} to {max} GB (a whole number of GB)");
        return Err(Error::InvalidOption { key: "sizeGb".into(), reason }.into());
    }
    Ok(size)
}

/// What `gb` more of PAYG storage costs a month, at the account's rate; `None` off PAYG.
async fn payg_storage_cost(client: &Client, budget: &DiskBudget, gb: f64) -> Result<Option<Cost>, Refusal> {
    if !matches!(budget, DiskBudget::PaygStorage { .. }) {
        return Ok(None);
    }
    let rates = client.get_payg_limits().send().await?.into_inner().billing;
    Ok(Some(payg_monthly(gb * rates.storage_per_gb_hour, &rates.currency_code)))
}

async fn disk(client: &Client, id: &str, name: &str) -> Result<VpsDisk, Refusal> {
    let disks = client.list_vps_disks().id(id).send().await?.into_inner();
    let listed: Vec<String> = disks.iter().filter_map(|d| d.id.clone().or(d.name.clone())).collect();
    disks.into_iter().find(|d| d.is_named(name)).ok_or_else(|| {
        Error::InvalidRequest(format!("no disk {name:?} on {id} (listed: {listed:?}); see list_disks")).into()
    })
}

async fn add(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let size = size(&args, DISK_ADD_REQUEST_SIZE_GB_MIN, DISK_ADD_REQUEST_SIZE_GB_MAX)?;
    let interface = args.opt_string("interface")?;
    client.get_vps_details().id(&id).send().await?.into_inner().ensure_allowed(Action::AddDisk)?;
    let budget = client.disk_budget(&id).await?;
    budget.ensure_fits(size)?;
    let cost = payg_storage_cost(&client, &budget, size as f64).await?;
    let mut warnings = Vec::new();
    if let Some(cost) = &cost {
        warnings.push(format!(
            "billed by the hour as PAYG storage: about {:.2} {} a month while the disk exists",
            cost.recurring_increase, cost.currency
        ));
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "sizeGb": size, "interface": interface, "budget": budget_json(&budget) }),
        cost,
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { device_change(&client.add_disk(&id, size, interface.as_deref()).await?) })
        }),
    })
}

async fn resize(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let name = args.string("diskId")?;
    let value = size(&args, DISK_RESIZE_REQUEST_SIZE_GB_MIN, DISK_RESIZE_REQUEST_SIZE_GB_MAX)?;
    let incremental = args.opt::<bool>("incremental")?.unwrap_or(false);
    let chosen = disk(&client, &id, &name).await?;
    DiskGate::Resize.check(&chosen.actions)?;
    let current = chosen.size_gb().unwrap_or(0.0);
    let growth = if incremental { value as f64 } else { value as f64 - current };
    if growth <= 0.0 {
        let reason = format!("disks only grow: {value} GB is not above the current {current} GB");
        return Err(Error::InvalidOption { key: "sizeGb".into(), reason }.into());
    }
    let budget = client.disk_budget(&id).await?;
    if !chosen.is_root() && matches!(budget, DiskBudget::Attachable { .. }) {
        budget.ensure_fits(growth.ceil() as u64)?;
    }
    let cost = payg_storage_cost(&client, &budget, growth).await?;
    let quote = json!({
        "vpsId": id, "disk": redacted(&chosen)?, "currentGb": current, "afterGb": current + growth,
        "budget": budget_json(&budget),
    });
    let target = if incremental { DiskSize::By(value) } else { DiskSize::To(value) };
    Ok(Preview {
        quote,
        cost,
        warnings: vec![
            "a disk cannot be shrunk again; grow the partition and filesystem in the guest".into(),
        ],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { device_change(&client.resize_disk(&id, &name, target).await?) })
        }),
    })
}

async fn delete(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let name = args.string("diskName")?;
    let keep = args.opt::<bool>("keepVolume")?.unwrap_or(false);
    let chosen = disk(&client, &id, &name).await?;
    if chosen.is_root() {
        return Err(Refusal::new(
            "blocked",
            "root_disk",
            format!("{name} is the root disk of {id}: it is never detachable"),
            "Pick another disk from list_disks (bootOrder 1 is the root disk).",
        )
        .with_details(json!({ "gate": DiskGate::Detach.gate_name() })));
    }
    DiskGate::Detach.check(&chosen.actions)?;
    let warning = if keep {
        "detaches the disk; its volume is kept where the platform supports it, else deleted"
    } else {
        "deletes the disk and every byte on it; it cannot be restored"
    };
    Ok(Preview {
        quote: json!({ "vpsId": id, "delete": redacted(&chosen)?, "keepVolume": keep }),
        cost: None,
        warnings: vec![warning.into()],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                client.delete_disk(&id, &name, keep, Destructive::confirm(&id)).await?;
                Ok(json!({ "vpsId": id, "deleted": name, "keepVolume": keep }))
            })
        }),
    })
}

async fn mount(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let iso = args.string("isoId")?;
    let device = args.opt::<IsoDevice>("device")?;
    let media = client.list_vps_iso_media().id(&id).send().await?.into_inner();
    media.ensure_can_mount(&iso, device)?;
    let image = media.available.iter().find(|i| i.id == iso).map(redacted).transpose()?;
    let drive = device.map_or("ide2".to_string(), |d| d.to_string());
    Ok(Preview {
        quote: json!({ "vpsId": id, "mount": image, "device": drive }),
        cost: None,
        warnings: vec![format!("replaces whatever is in drive {drive}")],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { device_change(&client.mount_iso(&id, &iso, device).await?) })
        }),
    })
}

async fn unmount(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let device = args.opt::<IsoDevice>("device")?;
    let drive = device.map_or("ide2".to_string(), |d| d.to_string());
    let media = client.list_vps_iso_media().id(&id).send().await?.into_inner();
    let inside = media.mounted.iter().find(|m| m.device.as_deref() == Some(drive.as_str()));
    let mut warnings = Vec::new();
    if inside.is_none_or(|m| m.iso_id.is_none()) {
        warnings.push(format!("drive {drive} holds no ISO as listed now; the eject may change nothing"));
    }
    let inside = inside.map(redacted).transpose()?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "device": drive, "now": inside }),
        cost: None,
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.unmount_iso(&id, device).await?) })
        }),
    })
}
