//! Snapshots and the snapshot schedule. Slots come from the VPS's `snapshotSlots` option, names
//! are unique per VPS, snapshots expire 24 hours after they were taken on the sandbox's clock, and
//! a restore puts the VPS's disk back. Every refusal is the gate the list shows.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::recovery_jobs::{accepted, begin};
use super::{Handler, Reply, ensure, find, ok};
use crate::api::Call;
use crate::gates::{self, gate_object};
use crate::model::State;
use crate::problem::Fail;
use crate::recovery::{Disk, SNAPSHOT_LIFETIME, Snapshot, Work};
use crate::server::Shared;
use crate::views::iso;
use hostup::gates::{SnapshotGate, SnapshotScheduleGate};
use hostup::types::{ActionGate, SnapshotCreateRequest, SnapshotScheduleRequest};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listVpsSnapshots", list),
    ("createVpsSnapshot", create),
    ("deleteVpsSnapshot", delete),
    ("restoreVpsSnapshot", restore),
    ("getVpsSnapshotSchedule", schedule),
    ("setVpsSnapshotSchedule", set_schedule),
    ("deleteVpsSnapshotSchedule", delete_schedule),
];

fn allow() -> ActionGate {
    ActionGate { allowed: true, reason: None, code: None }
}

fn deny(reason: impl Into<String>, code: &str) -> ActionGate {
    ActionGate { allowed: false, reason: Some(reason.into()), code: Some(code.to_string()) }
}

/// What the list and the schedule show: quota, availability and gates.
struct View {
    total: i64,
    used: i64,
    reason: Option<String>,
    can_create: ActionGate,
    can_restore: ActionGate,
    can_enable: ActionGate,
}

fn view(shared: &Shared, state: &State, vps_id: &str) -> Result<View, Fail> {
    let vps = super::find(state, vps_id)?;
    let total = vps.option("snapshotSlots") as i64;
    let used = state.recovery.live_snapshots(vps_id, shared.faults.now()).len() as i64;
    let reason = (total < 1).then(|| "Snapshots are not included in the current plan.".to_string());
    let busy = state
        .recovery
        .running(vps_id, Instant::now())
        .map(|j| deny(format!("A {} job is running.", j.work.job_type()), "operation_in_progress"));
    let blocker = gates::account_blocker(vps).or(busy);
    let no_slots = || deny("No snapshot slots; add snapshotSlots with actions/config.", "no_snapshot_slots");
    let can_create = match (&blocker, total, used >= total) {
        (Some(b), _, _) => b.clone(),
        (None, t, _) if t < 1 => no_slots(),
        (None, _, true) => deny(
            format!("All {total} snapshot slots are in use; delete a snapshot first."),
            "snapshot_limit_reached",
        ),
        _ => allow(),
    };
    let can_restore = match (&blocker, used) {
        (Some(b), _) => b.clone(),
        (None, 0) => deny("There is no snapshot to restore.", "no_snapshots"),
        _ => allow(),
    };
    let can_enable = match (gates::account_blocker(vps), total) {
        (Some(b), _) => b,
        (None, t) if t < 1 => no_slots(),
        _ => allow(),
    };
    Ok(View { total, used, reason, can_create, can_restore, can_enable })
}

fn snapshot_json(s: &Snapshot) -> Value {
    json!({
        "displayId": s.name, "name": s.name, "description": s.description,
        "createdAt": iso(s.created), "expiresAt": iso(s.created + SNAPSHOT_LIFETIME),
        "includesMemoryState": false, "parentName": null,
    })
}

fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let state = shared.lock();
    let v = view(shared, &state, id)?;
    let data: Vec<Value> =
        state.recovery.live_snapshots(id, shared.faults.now()).into_iter().map(snapshot_json).collect();
    ok(&json!({
        "data": data, "available": v.total > 0, "limits": {"totalSnapshots": v.total}, "reason": v.reason,
        "actions": gate_object([(SnapshotGate::Create, v.can_create), (SnapshotGate::Restore, v.can_restore)]),
    }))
}

fn create(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: SnapshotCreateRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    let v = view(shared, &state, id)?;
    ensure(SnapshotGate::Create, v.can_create, false)?;
    let name = request.name.to_string();
    if state.recovery.live_snapshots(id, shared.faults.now()).iter().any(|s| s.name == name) {
        return Err(Fail::conflict(
            "snapshot_name_taken",
            "Snapshot name taken",
            format!("A snapshot named {name:?} exists."),
        ));
    }
    let disk = Disk::of(find(&state, id)?);
    let snapshot = Snapshot {
        name: name.clone(),
        description: request.description,
        created: shared.faults.now(),
        disk,
        ready: false,
    };
    let list = state.recovery.snapshots.entry(id.to_string()).or_default();
    list.retain(|s| s.name != name); // an expired one of the same name
    list.push(snapshot);
    let job = begin(shared, &mut state, id, Work::TakeSnapshot(name), 1);
    accepted(&job)
}

/// The snapshot a path names, live on this VPS.
fn named(shared: &Shared, state: &State, call: &Call<'_>) -> Result<String, Fail> {
    let (id, name) = (call.param("id"), call.param("snapshotId"));
    match state.recovery.live_snapshots(id, shared.faults.now()).iter().any(|s| s.name == name && s.ready) {
        true => Ok(name.to_string()),
        false => Err(Fail::not_found(format!("No snapshot {name:?} on {id}."))),
    }
}

fn delete(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let mut state = shared.lock();
    let name = named(shared, &state, call)?;
    if let Some(blocked) = gates::account_blocker(find(&state, id)?) {
        ensure(SnapshotGate::Create, blocked, false)?;
    }
    let job = begin(shared, &mut state, id, Work::DeleteSnapshot(name), 1);
    accepted(&job)
}

fn restore(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let mut state = shared.lock();
    let v = view(shared, &state, id)?;
    ensure(SnapshotGate::Restore, v.can_restore, false)?;
    let name = named(shared, &state, call)?;
    let job = begin(shared, &mut state, id, Work::RestoreSnapshot(name), 1);
    accepted(&job)
}

fn schedule_json(shared: &Shared, state: &State, id: &str) -> Result<Value, Fail> {
    let v = view(shared, state, id)?;
    let schedule = state.recovery.snapshot_schedules.get(id).map(|(enabled, hours)| {
        json!({"enabled": enabled, "intervalHours": hours, "retentionHours": 24, "slotsInUse": v.used})
    });
    Ok(json!({
        "schedule": schedule, "limits": {"totalSnapshots": v.total}, "available": v.total > 0,
        "reason": v.reason, "actions": gate_object([(SnapshotScheduleGate::Enable, v.can_enable)]),
    }))
}

fn schedule(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    ok(&schedule_json(shared, &state, call.param("id"))?)
}

fn set_schedule(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: SnapshotScheduleRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    ensure(SnapshotScheduleGate::Enable, view(shared, &state, id)?.can_enable, false)?;
    // The docs: the server floors the interval and clamps it into the spec's bounds.
    let hours = hostup::snapshot_interval_stored(request.interval_hours)
        .ok_or_else(|| Fail::invalid("/intervalHours", "invalid_value", "Not a number of hours."))?;
    state.recovery.snapshot_schedules.insert(id.to_string(), (request.enabled, hours));
    ok(&schedule_json(shared, &state, id)?)
}

fn delete_schedule(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    match shared.lock().recovery.snapshot_schedules.remove(id) {
        Some(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        None => Err(Fail::not_found(format!("{id} has no snapshot schedule."))),
    }
}
