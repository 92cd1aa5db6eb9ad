//! Resizes: CPU and memory of a PAYG Cloud VPS, and growing a disk.

use serde_json::json;

use super::{Handler, Reply, ensure, find_mut, ok};
use crate::api::Call;
use crate::fleet::root_disk;
use crate::gates;
use crate::problem::Fail;
use crate::server::Shared;
use hostup::types::{
    DiskResizeRequest, PaygPreviousResources, PaygResizeRequest, PaygResizeResult, PaygResources,
};

pub(super) const HANDLERS: &[(&str, Handler)] = &[("resizePaygVps", payg), ("resizeVpsDisk", disk)];

/// The largest disk the sandbox grows to.
const MAX_DISK_GB: u64 = 2000;

/// `POST actions/resize`: PAYG only (a fixed-cycle VPS answers 409 `not_payg`).
fn payg(shared: &Shared, call: &Call<'_>) -> Reply {
    // Bounds (1 to 32 cores, 1 to 256 GB) were checked against the spec.
    let request: PaygResizeRequest = call.body()?;
    let (cpu, memory) = (request.cpu_cores.get(), request.memory_gb.get());
    let mut state = shared.lock();
    let vps = find_mut(&mut state, call.param("id"))?;
    ensure("canResize", gates::can_resize(vps), false)?;
    let previous = PaygPreviousResources {
        cpu_cores: Some(i64::from(vps.cpu)),
        memory_gb: Some(i64::from(vps.memory_gb)),
    };
    // The request's bounds were checked above, so these fit.
    (vps.cpu, vps.memory_gb) = (cpu as u32, memory as u32);
    let result = PaygResizeResult {
        resized: true,
        resources: PaygResources { cpu_cores: cpu as i64, memory_gb: memory as i64 },
        previous_resources: previous,
    };
    let mut body = json!(result);
    body["billing"] = json!({"amount": vps.amount(), "currencyCode": vps.currency, "isPayg": true});
    ok(&body)
}

/// `POST actions/resize-disk`: grows the root disk; disks never shrink.
fn disk(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: DiskResizeRequest = call.body()?;
    let size = request.size_gb.get();
    let mut state = shared.lock();
    let vps = find_mut(&mut state, call.param("id"))?;
    if request.disk_id != root_disk(&vps.id) {
        return Err(Fail::not_found(format!("No disk {:?} on {}.", request.disk_id, vps.id)));
    }
    ensure("canResizeDisk", gates::can_resize_disk(vps), false)?;
    let current = u64::from(vps.storage_gb);
    let target = if request.incremental == Some(true) { current + size } else { size };
    if target <= current {
        let detail = format!("Disks only grow: {target} GB is not larger than the current {current} GB.");
        return Err(Fail::invalid("/sizeGb", "cannot_shrink", detail));
    }
    if target > MAX_DISK_GB {
        let detail = format!("A disk holds at most {MAX_DISK_GB} GB; {target} GB was asked for.");
        return Err(Fail::invalid("/sizeGb", "out_of_range", detail));
    }
    vps.storage_gb = target as u32;
    ok(&json!({
        "diskId": request.disk_id,
        "resized": true,
        "sizeGb": target,
        "previousSizeGb": current,
        "filesystemGrown": false,
    }))
}
