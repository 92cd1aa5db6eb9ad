//! ISO media: the account's library (a public image and the customer's own), each VPS's CD/DVD
//! drives (`ide2` to begin with, up to four), mounts and ejects, and downloads from a URL: 200
//! "already there" when the library holds the file, else 202 with a job that
//! `GET /api/jobs/{jobId}` follows and that adds the file when it completes.

use std::time::SystemTime;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::{Handler, Reply, ensure, find, ok, reply};
use crate::api::Call;
use crate::devices::{Download, Iso, SLOTS};
use crate::gates::{account_blocker, gate_object};
use crate::model::{State, Vps};
use crate::problem::Fail;
use crate::server::Shared;
use crate::views::iso as timestamp;
use hostup::gates::IsoGate;
use hostup::types::{ActionGate, IsoFetchRequest, IsoMountRequest, IsoUnmountRequest};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listVpsIsoMedia", list),
    ("mountVpsIso", mount),
    ("unmountVpsIso", unmount),
    ("attachVpsEmptyDrive", attach_empty),
    ("fetchVpsIsoFromUrl", fetch),
    ("deleteVpsIso", delete),
];

fn allow() -> ActionGate {
    ActionGate { allowed: true, reason: None, code: None }
}

fn gates(vps: &Vps, library_empty: bool) -> (ActionGate, ActionGate) {
    let blocked = account_blocker(vps);
    let mount = match (&blocked, library_empty) {
        (Some(b), _) => b.clone(),
        (None, true) => ActionGate {
            allowed: false,
            reason: Some("The ISO library is empty; download an ISO first.".into()),
            code: Some("no_isos".into()),
        },
        _ => allow(),
    };
    (mount, blocked.unwrap_or_else(allow))
}

fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.lock();
    let vps = find(&state, call.param("id"))?.clone();
    let library: Vec<Iso> =
        state.devices.library(Instant::now()).iter().filter(|i| i.download.is_none()).cloned().collect();
    let drives = state.devices.drives(&vps.id).clone();
    let (can_mount, can_upload) = gates(&vps, library.is_empty());
    let available: Vec<Value> = library
        .iter()
        .map(|i| json!({"id": i.id, "name": i.filename, "displayName": i.display_name, "sizeGb": i.size_gb, "format": "iso"}))
        .collect();
    let mounted: Vec<Value> = drives
        .iter()
        .map(|d| json!({"device": d.slot, "isoId": d.iso, "mounted": d.iso.is_some(), "isCloudInit": false}))
        .collect();
    let devices: Vec<Value> = drives
        .iter()
        .map(|d| {
            let n = SLOTS.iter().position(|s| *s == d.slot).unwrap_or(0) + 1;
            json!({"device": d.slot, "type": "existing_cdrom", "description": format!("CD/DVD {n}"), "inUse": d.iso.is_some()})
        })
        .collect();
    ok(&json!({
        "available": available, "mounted": mounted, "bootOrder": null, "availableDevices": devices,
        "actions": gate_object([(IsoGate::Mount, can_mount), (IsoGate::Upload, can_upload)]),
    }))
}

/// The VPS, with the account's blockers refused under `gate`.
fn changeable(state: &State, id: &str, gate: IsoGate) -> Result<Vps, Fail> {
    let vps = find(state, id)?.clone();
    if let Some(blocked) = account_blocker(&vps) {
        ensure(gate, blocked, false)?;
    }
    Ok(vps)
}

fn no_drive(slot: &str) -> Fail {
    Fail::conflict(
        "device_not_attached",
        "No such drive",
        format!("The VPS has no CD/DVD drive {slot}; attach an empty drive first."),
    )
}

fn mount(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: IsoMountRequest = call.body()?;
    let mut state = shared.lock();
    let vps = changeable(&state, call.param("id"), IsoGate::Mount)?;
    let iso_id = request.iso_id.to_string();
    let ready = state.devices.library(Instant::now()).iter().any(|i| i.id == iso_id && i.download.is_none());
    if !ready {
        return Err(Fail::not_found(format!("No ISO {iso_id:?} in the library.")));
    }
    let slot = request.device.map_or("ide2".to_string(), |d| d.to_string());
    let drive =
        state.devices.drives(&vps.id).iter_mut().find(|d| d.slot == slot).ok_or_else(|| no_drive(&slot))?;
    drive.iso = Some(iso_id);
    ok(&json!({"device": slot}))
}

fn unmount(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: IsoUnmountRequest = call.body()?;
    let mut state = shared.lock();
    let vps = changeable(&state, call.param("id"), IsoGate::Mount)?;
    let slot = request.device.map_or("ide2".to_string(), |d| d.to_string());
    let drive =
        state.devices.drives(&vps.id).iter_mut().find(|d| d.slot == slot).ok_or_else(|| no_drive(&slot))?;
    drive.iso = None;
    ok(&json!({"device": slot}))
}

fn attach_empty(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.lock();
    let vps = changeable(&state, call.param("id"), IsoGate::Mount)?;
    let drives = state.devices.drives(&vps.id);
    let Some(slot) = SLOTS.iter().find(|s| !drives.iter().any(|d| d.slot == **s)) else {
        return Err(Fail::conflict(
            "no_free_cdrom_slot",
            "No free slot",
            "All four CD/DVD slots already have a drive.",
        ));
    };
    drives.push(crate::devices::Drive { slot: slot.to_string(), iso: None });
    ok(&json!({"device": slot}))
}

fn delete(shared: &Shared, call: &Call<'_>) -> Reply {
    let (id, volid) = (call.param("id"), call.param("volid"));
    let mut state = shared.lock();
    let vps = changeable(&state, id, IsoGate::Upload)?;
    let Some(iso) = state.devices.library(Instant::now()).iter().find(|i| i.id == volid).cloned() else {
        return Err(Fail::not_found(format!("No ISO {volid:?} in the library.")));
    };
    if !iso.owned {
        return Err(Fail::conflict(
            "iso_not_owned",
            "Not your ISO",
            "Only ISOs you uploaded can be deleted.",
        ));
    }
    if state.devices.drives(&vps.id).iter().any(|d| d.iso.as_deref() == Some(volid)) {
        return Err(Fail::conflict("iso_in_use", "ISO in use", "The ISO is mounted; unmount it first."));
    }
    state.devices.library(Instant::now()).retain(|i| i.id != volid);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn operation(job_id: &str, status: &str, poll: bool) -> Value {
    let poll_url = poll.then(|| format!("/api/jobs/{job_id}"));
    json!({"status": status, "jobId": job_id, "pollUrl": poll_url, "result": null})
}

fn fetch(shared: &Shared, call: &Call<'_>) -> Reply {
    // The URL's scheme was checked against the spec's pattern before this runs.
    let request: IsoFetchRequest = call.body()?;
    let mut state = shared.lock();
    let vps = changeable(&state, call.param("id"), IsoGate::Upload)?;
    let filename = request.filename.to_string();
    let now = Instant::now();
    let present = state.devices.library(now).iter().find(|i| i.filename == filename).cloned();
    match present.as_ref().map(|i| i.download.clone()) {
        Some(None) => {
            let body = json!({"operation": operation(&shared.ids.public("job_"), "completed", false)});
            return ok(&body);
        }
        Some(Some(job)) => {
            return Ok(reply(
                StatusCode::ACCEPTED,
                &json!({"operation": operation(&job, "in_progress", true)}),
            ));
        }
        None => {}
    }
    let job_id = shared.ids.public("job_");
    let iso_id = shared.ids.public("iso_");
    let fails_with = shared.faults.failing_jobs().then(|| "The download failed (sandbox fault).".to_string());
    let download = Download {
        vps_id: vps.id.clone(),
        iso_id: iso_id.clone(),
        created: now,
        done_at: now + shared.job_duration * 2,
        fails_with,
    };
    state.devices.downloads.insert(job_id.clone(), download);
    state.devices.library(now).push(Iso {
        id: iso_id,
        display_name: filename.clone(),
        filename,
        size_gb: 4.2,
        owned: true,
        download: Some(job_id.clone()),
    });
    Ok(reply(StatusCode::ACCEPTED, &json!({"operation": operation(&job_id, "queued", true)})))
}

/// `GET /api/jobs/{jobId}` for a download, in both documented shapes; `None` for other ids.
pub(super) fn poll(shared: &Shared, job_id: &str) -> Option<Reply> {
    let state = shared.lock();
    let job = state.devices.downloads.get(job_id)?;
    let now = Instant::now();
    let (status, result) = match (job.done(now), &job.fails_with) {
        (true, Some(failure)) => ("failed", json!({"message": failure})),
        (true, None) => ("completed", json!({"vpsId": job.vps_id, "isoId": job.iso_id})),
        (false, _) if now < job.created + (job.done_at - job.created) / 4 => ("queued", Value::Null),
        (false, _) => ("in_progress", Value::Null),
    };
    let data = json!({
        "jobId": job_id, "type": "iso_download", "status": status, "isCompleted": status == "completed",
        "isFailed": status == "failed", "isRunning": status == "in_progress", "isWaiting": status == "queued",
        "progressMessage": result.get("message").cloned().unwrap_or(json!(format!("ISO download {status}"))),
        "result": result, "createdAt": timestamp(SystemTime::now()),
    });
    let mut operation = operation(job_id, status, true);
    operation["result"] = data["result"].clone();
    Some(ok(&json!({"success": true, "data": data, "operation": operation})))
}
