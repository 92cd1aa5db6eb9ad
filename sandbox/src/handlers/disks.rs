//! Disks and storage: the root disk (the VPS's `storageGb`) and extra disks. A fixed-cycle VPS's
//! extra disks draw on its attachable pool (the `additionalStorageGb` option, bought through
//! `actions/config`); a PAYG VPS's on the account's PAYG storage limit, whose exhaustion answers
//! 403 `cloud_storage_limit_exceeded` with the top-level `actions.canAddDisk`. The root disk is
//! never detachable; disks only grow.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::{Handler, Reply, ensure, find, ok};
use crate::api::Call;
use crate::devices::ExtraDisk;
use crate::fleet::root_disk;
use crate::gates::{self, account_blocker, gate_object};
use crate::model::{State, Vps};
use crate::problem::Fail;
use crate::server::Shared;
use hostup::ErrorCode;
use hostup::gates::{Action, DiskGate};
use hostup::limits::{DISK_RESIZE_REQUEST_SIZE_GB_MAX, PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MAX};
use hostup::types::{ActionGate, DiskAddRequest, DiskResizeRequest};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listVpsDisks", list),
    ("getVpsStorage", storage),
    ("getVpsStorageQuota", quota),
    ("addVpsDisk", add),
    ("resizeVpsDisk", resize),
    ("deleteVpsDisk", delete),
];

/// The largest root disk the sandbox grows to: the largest a PAYG deployment may ask for.
const MAX_ROOT_GB: u64 = PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MAX;

fn allow() -> ActionGate {
    ActionGate { allowed: true, reason: None, code: None }
}

fn deny(reason: &str, code: &str) -> ActionGate {
    ActionGate { allowed: false, reason: Some(reason.into()), code: Some(code.into()) }
}

fn no_agent() -> ActionGate {
    deny(
        "Guest agent is not installed. Install qemu-guest-agent on the VM to enable disk expansion.",
        "guest_agent_missing",
    )
}

fn disk_json(
    id: &str,
    slot: &str,
    boot: Option<u8>,
    size_gb: u64,
    used_share: f64,
    gates: [ActionGate; 2],
) -> Value {
    let used = (size_gb as f64 * used_share * 100.0).round() / 100.0;
    let [detach, resize] = gates;
    json!({
        "id": id, "name": slot, "type": "SCSI", "device": format!("/dev/{slot}"), "isCdrom": false,
        "bootOrder": boot,
        "capacity": {"totalGb": size_gb, "usedGb": used, "freeGb": size_gb as f64 - used,
                     "usagePercent": (used_share * 10_000.0).round() / 100.0},
        "io": {"readGb": used * 2.0, "writeGb": used, "readOperations": size_gb * 1024, "writeOperations": size_gb * 512},
        "actions": gate_object([(DiskGate::Detach, detach), (DiskGate::Resize, resize), (DiskGate::Expand, no_agent())]),
    })
}

fn disks_json(state: &State, vps: &Vps) -> Vec<Value> {
    let plain = account_blocker(vps).unwrap_or_else(allow);
    let root_gates = [deny("Cannot detach root disk.", "root_disk"), gates::can_resize_disk(vps)];
    let mut out =
        vec![disk_json(&root_disk(&vps.id), "scsi0", Some(1), u64::from(vps.storage_gb), 0.3, root_gates)];
    for disk in state.devices.extra_disks(&vps.id) {
        out.push(disk_json(&disk.id, &disk.slot, None, disk.size_gb, 0.0, [plain.clone(), plain.clone()]));
    }
    out
}

fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    ok(&disks_json(&state, find(&state, call.param("id"))?))
}

fn storage(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let vps = find(&state, call.param("id"))?;
    ok(&json!({"disks": disks_json(&state, vps), "guestAgent": {"available": false}}))
}

/// GB of the attachable pool: bought, and still free.
fn pool(state: &State, vps: &Vps) -> (u64, u64) {
    let purchased = if vps.payg { 0 } else { vps.option("additionalStorageGb").max(0.0) as u64 };
    (purchased, purchased.saturating_sub(state.devices.attached_gb(&vps.id)))
}

fn quota(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let vps = find(&state, call.param("id"))?;
    let (purchased, available) = pool(&state, vps);
    ok(&json!({
        "attachable": {"purchasedGb": purchased, "usedGb": state.devices.attached_gb(&vps.id),
                       "availableGb": available, "upgradeAvailable": !vps.payg},
        "mainDisk": {"purchasedGb": vps.storage_gb},
    }))
}

/// `Ok` when `growth_gb` more fits the quota the VPS draws on.
fn ensure_room(state: &State, vps: &Vps, growth_gb: u64) -> Result<(), Fail> {
    if vps.payg {
        // The same figures `payg/limits` shows.
        let remaining = u64::try_from(state.payg_remaining().storage_gb).unwrap_or(0);
        if growth_gb > remaining {
            let max = state.lifecycle.quota_max.storage_gb;
            let reason = format!(
                "The account's Cloud VPS storage limit is reached: {remaining} GB of {max} GB remain."
            );
            let code = ErrorCode::CloudStorageLimitExceeded;
            let gate = deny(&reason, code.as_str());
            return Err(Fail::new(
                StatusCode::FORBIDDEN,
                code.as_str(),
                "Cloud storage limit exceeded",
                reason,
            )
            .with_gate(Action::AddDisk, &gate));
        }
        return Ok(());
    }
    let (purchased, available) = pool(state, vps);
    if growth_gb > available {
        return Err(Fail::conflict(
            "attachable_storage_exhausted",
            "Not enough attachable storage",
            format!(
                "{growth_gb} GB needed but {available} GB of the {purchased} GB attachable pool is free. \
                 Buy additionalStorageGb through actions/config first."
            ),
        ));
    }
    Ok(())
}

fn add(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: DiskAddRequest = call.body()?;
    let size = request.size_gb.get();
    let mut state = shared.lock();
    let vps = find(&state, call.param("id"))?.clone();
    ensure(Action::AddDisk, gates::actions(&vps).can_add_disk, false)?;
    ensure_room(&state, &vps, size)?;
    let taken: Vec<String> = state.devices.extra_disks(&vps.id).iter().map(|d| d.slot.clone()).collect();
    let slot = (1..).map(|n| format!("scsi{n}")).find(|s| !taken.contains(s)).unwrap_or_default();
    let disk = ExtraDisk { id: shared.ids.public("vpsdisk_"), slot: slot.clone(), size_gb: size };
    state.devices.disks.entry(vps.id.clone()).or_default().push(disk.clone());
    let plain = account_blocker(&vps).unwrap_or_else(allow);
    ok(&json!({"added": true, "disk": disk_json(&disk.id, &slot, None, size, 0.0, [plain.clone(), plain])}))
}

fn resize(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: DiskResizeRequest = call.body()?;
    let size = request.size_gb.get();
    let mut state = shared.lock();
    let vps = find(&state, call.param("id"))?.clone();
    let extra = state
        .devices
        .extra_disks(&vps.id)
        .iter()
        .position(|d| d.id == request.disk_id || d.slot == request.disk_id);
    let is_root = request.disk_id == root_disk(&vps.id) || request.disk_id == "scsi0";
    if extra.is_none() && !is_root {
        return Err(Fail::not_found(format!("No disk {:?} on {}.", request.disk_id, vps.id)));
    }
    let gate =
        if is_root { gates::can_resize_disk(&vps) } else { account_blocker(&vps).unwrap_or_else(allow) };
    ensure(DiskGate::Resize, gate, false)?;
    let current = match extra {
        Some(i) => state.devices.extra_disks(&vps.id)[i].size_gb,
        None => u64::from(vps.storage_gb),
    };
    let target = if request.incremental == Some(true) { current + size } else { size };
    if target <= current {
        let detail = format!("Disks only grow: {target} GB is not larger than the current {current} GB.");
        return Err(Fail::invalid("/sizeGb", "cannot_shrink", detail));
    }
    let max = if is_root { MAX_ROOT_GB } else { DISK_RESIZE_REQUEST_SIZE_GB_MAX };
    if target > max {
        let detail = format!("A disk holds at most {max} GB; {target} GB was asked for.");
        return Err(Fail::invalid("/sizeGb", "out_of_range", detail));
    }
    match extra {
        Some(i) => {
            ensure_room(&state, &vps, target - current)?;
            if let Some(disk) = state.devices.disks.get_mut(&vps.id).and_then(|d| d.get_mut(i)) {
                disk.size_gb = target;
            }
        }
        None => {
            if let Some(vps) = state.vps_mut(&vps.id) {
                vps.storage_gb = target as u32;
            }
        }
    }
    ok(&json!({
        "diskId": request.disk_id, "resized": true, "sizeGb": target, "previousSizeGb": current,
        "filesystemGrown": false,
    }))
}

fn delete(shared: &Shared, call: &Call<'_>) -> Reply {
    let (id, name) = (call.param("id"), call.param("diskName"));
    let mut state = shared.lock();
    let vps = find(&state, id)?.clone();
    if name == root_disk(id) || name == "scsi0" {
        ensure(DiskGate::Detach, deny("Cannot detach root disk.", "root_disk"), false)?;
    }
    if let Some(blocked) = account_blocker(&vps) {
        ensure(DiskGate::Detach, blocked, false)?;
    }
    // `keepVolume` is accepted: the sandbox keeps no volumes apart from their disks.
    let disks = state.devices.disks.entry(id.to_string()).or_default();
    let before = disks.len();
    disks.retain(|d| d.id != name && d.slot != name);
    if disks.len() == before {
        return Err(Fail::not_found(format!("No disk {name:?} on {id}.")));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
