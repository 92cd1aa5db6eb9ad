//! Backups, their schedules and retention, and the restores: in place, from another VPS of the
//! account (the target is stopped and overwritten) and onto a new, billed PAYG Cloud VM. Backup
//! slots come from the VPS's `backupSlots` option; backup jobs take twice as long as snapshots.

use std::time::SystemTime;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::recovery_jobs::{accepted, begin};
use super::{Handler, Reply, ensure, find, ok, reply};
use crate::api::Call;
use crate::gates::{self, gate_object};
use crate::lifecycle::Quota;
use crate::model::State;
use crate::problem::Fail;
use crate::recovery::{Backup, BackupSchedule, Disk, Settings, Work};
use crate::server::Shared;
use crate::views::iso;
use hostup::gates::{BackupGate, BackupScheduleGate};
use hostup::types::{
    ActionGate, BackupCreateRequest, BackupFrequency, BackupScheduleRequest, BackupSettingsRequest,
    BackupType, CrossVpsRestoreRequest, PaygRestoreRequest, RestoreSourceType, ServiceStatus,
};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listVpsBackups", list),
    ("createVpsBackup", create),
    ("deleteVpsBackup", delete),
    ("restoreVpsBackup", restore),
    ("restoreVpsFromOtherVps", restore_from),
    ("restoreVpsBackupToPayg", restore_to_payg),
    ("listVpsRestoreSources", sources),
    ("listVpsBackupSchedules", schedules),
    ("setVpsBackupSchedule", set_schedule),
    ("updateVpsBackupSettings", settings),
    ("deleteVpsBackupSchedule", delete_schedule),
];

/// Backup jobs take this many snapshot-job durations.
const SLOWER: u32 = 2;

fn allow() -> ActionGate {
    ActionGate { allowed: true, reason: None, code: None }
}

fn deny(reason: impl Into<String>, code: &str) -> ActionGate {
    ActionGate { allowed: false, reason: Some(reason.into()), code: Some(code.to_string()) }
}

struct Gates {
    limit: i64,
    used: i64,
    create: ActionGate,
    restore: ActionGate,
    from_another: ActionGate,
}

fn gates(state: &State, vps_id: &str) -> Result<Gates, Fail> {
    let vps = find(state, vps_id)?;
    let limit = vps.option("backupSlots") as i64;
    let used = state.recovery.backups.get(vps_id).map_or(0, |b| b.len()) as i64;
    let auto_delete = state.recovery.settings.get(vps_id).is_some_and(|s| s.auto_delete_oldest);
    let busy = state
        .recovery
        .running(vps_id, Instant::now())
        .map(|j| deny(format!("A {} job is running.", j.work.job_type()), "operation_in_progress"));
    let blocker = gates::account_blocker(vps).or(busy);
    let create = match &blocker {
        Some(b) => b.clone(),
        None if limit < 1 => deny("No backup slots; add backupSlots with actions/config.", "no_backup_slots"),
        None if used >= limit && !auto_delete => deny(
            format!("All {limit} backup slots are in use; delete a backup first."),
            "backup_limit_reached",
        ),
        None => allow(),
    };
    let restore = match &blocker {
        Some(b) => b.clone(),
        None if used == 0 => deny("There is no backup to restore.", "no_backups"),
        None => allow(),
    };
    Ok(Gates { limit, used, create, restore, from_another: blocker.unwrap_or_else(allow) })
}

fn backup_json(b: &Backup) -> Value {
    let created = iso(b.created);
    json!({
        "id": b.id, "displayId": format!("{created} (vzdump-qemu.vma.zst)"), "storageKey": "vzdump-qemu.vma.zst",
        "createdAt": created, "sizeGb": b.size_gb, "backupType": if b.scheduled { BackupType::Scheduled } else { BackupType::Manual },
        "note": b.note,
    })
}

fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let state = shared.lock();
    let g = gates(&state, id)?;
    let backups: Vec<Value> =
        state.recovery.backups.get(id).into_iter().flatten().filter(|b| b.ready).map(backup_json).collect();
    ok(&json!({
        "backups": backups,
        "quotaInfo": {"used": g.used, "limit": g.limit, "remaining": (g.limit - g.used).max(0)},
        "actions": gate_object([
            (BackupGate::CreateBackup, g.create),
            (BackupGate::Restore, g.restore),
            (BackupGate::RestoreFromAnotherVps, g.from_another),
        ]),
    }))
}

fn create(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: BackupCreateRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    let g = gates(&state, id)?;
    ensure(BackupGate::CreateBackup, g.create, false)?;
    let disk = Disk::of(find(&state, id)?);
    let backup_id = shared.ids.public("bkp_");
    let size_gb = f64::from(disk.storage_gb) * 0.3;
    let backup = Backup {
        id: backup_id.clone(),
        created: shared.faults.now(),
        size_gb,
        scheduled: false,
        note: request.note,
        disk,
        ready: false,
    };
    let list = state.recovery.backups.entry(id.to_string()).or_default();
    if g.used >= g.limit {
        list.remove(0); // autoDeleteOldest made room
    }
    list.push(backup);
    let job = begin(shared, &mut state, id, Work::TakeBackup(backup_id), SLOWER);
    accepted(&job)
}

/// The backup a path names, ready on this VPS.
fn named(state: &State, call: &Call<'_>) -> Result<String, Fail> {
    let (id, backup_id) = (call.param("id"), call.param("backupId"));
    match state.recovery.backup(id, backup_id) {
        Some(_) => Ok(backup_id.to_string()),
        None => Err(Fail::not_found(format!("No backup {backup_id:?} on {id}."))),
    }
}

fn delete(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let mut state = shared.lock();
    let backup_id = named(&state, call)?;
    if let Some(blocked) = gates::account_blocker(find(&state, id)?) {
        ensure(BackupGate::CreateBackup, blocked, false)?;
    }
    state.recovery.backups.entry(id.to_string()).or_default().retain(|b| b.id != backup_id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn restore(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let mut state = shared.lock();
    ensure(BackupGate::Restore, gates(&state, id)?.restore, false)?;
    let backup = named(&state, call)?;
    let work = Work::RestoreBackup { source: id.to_string(), backup, boot: true };
    let job = begin(shared, &mut state, id, work, SLOWER);
    accepted(&job)
}

/// The other VPSes of the account with backups, and retained backups of terminated ones.
fn source_list(state: &State, target: &str) -> Vec<Value> {
    let backups = |list: Vec<&Backup>| -> Vec<Value> {
        list.into_iter()
            .map(|b| json!({"id": b.id, "displayId": iso(b.created), "storageKey": "vzdump-qemu.vma.zst", "createdAt": iso(b.created), "sizeGb": b.size_gb}))
            .collect()
    };
    let mut out: Vec<Value> = state
        .fleet
        .iter()
        .filter(|v| v.id != target)
        .filter_map(|v| {
            let ready: Vec<&Backup> = state.recovery.backups.get(&v.id)?.iter().filter(|b| b.ready).collect();
            (!ready.is_empty()).then(|| {
                json!({"id": v.id, "name": v.name, "serviceStatus": v.service.to_string(), "sourceType": RestoreSourceType::Server, "backups": backups(ready)})
            })
        })
        .collect();
    for (vps, name, backup) in &state.recovery.retained {
        out.push(json!({"id": vps, "name": name, "serviceStatus": ServiceStatus::Terminated, "sourceType": RestoreSourceType::Retained, "backups": backups(vec![backup])}));
    }
    out
}

fn sources(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    ok(&json!({"sources": source_list(&state, call.param("id"))}))
}

fn restore_from(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: CrossVpsRestoreRequest = call.body()?;
    let target = call.param("id");
    let mut state = shared.lock();
    ensure(BackupGate::RestoreFromAnotherVps, gates(&state, target)?.from_another, false)?;
    if request.source_vps_id == target {
        let detail = "The source and the target must be different VPSes.";
        return Err(Fail::invalid("/sourceVpsId", "invalid_value", detail));
    }
    let Some(backup) = state.recovery.backup(&request.source_vps_id, &request.backup_id) else {
        return Err(Fail::not_found(format!(
            "No backup {:?} of {:?}.",
            request.backup_id, request.source_vps_id
        )));
    };
    let needed = backup.size_gb;
    let vps = find(&state, target)?;
    if needed > f64::from(vps.storage_gb) {
        let detail = format!("The backup needs {needed} GB; {target} has {} GB.", vps.storage_gb);
        return Err(Fail::conflict("insufficient_storage", "Not enough storage", detail));
    }
    if let Some(vps) = state.vps_mut(target) {
        vps.power = hostup::types::PowerState::Stopped; // stopped before its disk is replaced
    }
    let work = Work::RestoreBackup { source: request.source_vps_id, backup: request.backup_id, boot: false };
    let job = begin(shared, &mut state, target, work, SLOWER);
    accepted(&job)
}

fn restore_to_payg(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: PaygRestoreRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    ensure(BackupGate::Restore, gates(&state, id)?.restore, false)?;
    let backup_id = named(&state, call)?;
    let source = find(&state, id)?.clone();
    let new_id = shared.ids.public("vps_");
    let mut vm = source;
    vm.id = new_id.clone();
    vm.vmid = None;
    vm.name = request.name.clone().unwrap_or_else(|| format!("restore-{}", &new_id[4..10]));
    vm.hostname = format!("{}.example.com", vm.name);
    vm.payg = true;
    vm.cycle = hostup::types::BillingCycle::Monthly;
    vm.invoices.clear();
    (vm.blocked, vm.job, vm.maintenance, vm.pinned) = (None, None, None, false);
    vm.power = hostup::types::PowerState::Provisioning;
    vm.created_at = SystemTime::now();
    vm.cpu = request.cpu_cores.map_or(vm.cpu, |c| c.get() as u32);
    vm.memory_gb = request.memory_gb.map_or(vm.memory_gb, |m| m.get() as u32);
    vm.storage_gb = request.storage_gb.map_or(vm.storage_gb, |s| s.get() as u32);
    // A new, billed PAYG VM like a deployment: the account's access and PAYG quota decide.
    super::payg::admit(&state, &Quota::of(&vm))?;
    state.fleet.push(vm);
    let work = Work::RestoreBackup { source: id.to_string(), backup: backup_id, boot: true };
    let job = begin(shared, &mut state, &new_id, work, SLOWER);
    let op = json!({"status": "queued", "jobId": job.id, "pollUrl": format!("/api/jobs/{}", job.id), "result": null});
    Ok(reply(StatusCode::ACCEPTED, &json!({"vpsId": new_id, "operation": op})))
}

fn schedule_json(s: &BackupSchedule) -> Value {
    json!({
        "id": s.id, "name": s.name, "frequency": s.frequency, "time": format!("{:02}:00", s.hour),
        "daySpecifier": s.day.map(|d| d.to_string()), "retentionCount": s.retention, "enabled": s.enabled, "lastRun": null,
    })
}

fn settings_json(state: &State, id: &str) -> Result<Value, Fail> {
    let g = gates(state, id)?;
    let s = state
        .recovery
        .settings
        .get(id)
        .copied()
        .unwrap_or(Settings { max_total: None, auto_delete_oldest: false });
    let scheduled =
        state.recovery.backups.get(id).into_iter().flatten().filter(|b| b.scheduled).count() as i64;
    let total = s.max_total.map_or(g.limit, |m| (m as i64).min(g.limit));
    Ok(json!({
        "totalBackupLimit": total, "manualBackupsActive": g.used - scheduled, "scheduledBackupsActive": scheduled,
        "availableScheduledSlots": (total - g.used).max(0), "autoDeleteOldest": s.auto_delete_oldest,
    }))
}

fn schedules(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let state = shared.lock();
    let limit = gates(&state, id)?.limit;
    let list: Vec<Value> =
        state.recovery.backup_schedules.get(id).into_iter().flatten().map(schedule_json).collect();
    let can_create = match limit {
        0 => deny("No backup slots; add backupSlots with actions/config.", "no_backup_slots"),
        _ => gates::account_blocker(find(&state, id)?).unwrap_or_else(allow),
    };
    ok(&json!({
        "schedules": list, "settings": settings_json(&state, id)?, "history": [],
        "limits": {"backupSlots": limit}, "actions": gate_object([(BackupScheduleGate::Create, can_create)]),
    }))
}

fn set_schedule(shared: &Shared, call: &Call<'_>) -> Reply {
    let r: BackupScheduleRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    let limit = gates(&state, id)?.limit;
    if limit < 1 {
        ensure(
            BackupScheduleGate::Create,
            deny("No backup slots; add backupSlots with actions/config.", "no_backup_slots"),
            false,
        )?;
    }
    let day = match r.frequency {
        BackupFrequency::Weekly => Some(r.day_of_week.ok_or_else(|| {
            Fail::invalid("/dayOfWeek", "missing_required", "Weekly schedules need dayOfWeek.")
        })? as u64),
        BackupFrequency::Monthly => Some(
            r.day_of_month
                .ok_or_else(|| {
                    Fail::invalid("/dayOfMonth", "missing_required", "Monthly schedules need dayOfMonth.")
                })?
                .get(),
        ),
        _ => None,
    };
    let list = state.recovery.backup_schedules.entry(id.to_string()).or_default();
    // One schedule per frequency: a POST with an existing frequency replaces it.
    let frequency = r.frequency.to_string();
    let existing = list.iter().position(|s| s.frequency == frequency);
    let schedule_id = existing.map_or_else(|| shared.ids.public("bks_"), |i| list[i].id.clone());
    let schedule = BackupSchedule {
        id: schedule_id,
        name: r.name,
        frequency,
        hour: r.hour,
        day,
        retention: r.retention_count.get(),
        enabled: r.enabled,
    };
    let body = json!({"schedule": schedule_json(&schedule)});
    match existing {
        Some(i) => list[i] = schedule,
        None => list.push(schedule),
    }
    Ok(reply(if existing.is_some() { StatusCode::OK } else { StatusCode::CREATED }, &body))
}

fn settings(shared: &Shared, call: &Call<'_>) -> Reply {
    let r: BackupSettingsRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    find(&state, id)?;
    let entry = state
        .recovery
        .settings
        .entry(id.to_string())
        .or_insert(Settings { max_total: None, auto_delete_oldest: false });
    if let Some(max) = r.max_total_backups {
        entry.max_total = Some(max.get());
    }
    if let Some(auto) = r.auto_delete_oldest {
        entry.auto_delete_oldest = auto;
    }
    ok(&json!({"settings": settings_json(&state, id)?}))
}

fn delete_schedule(shared: &Shared, call: &Call<'_>) -> Reply {
    let (id, schedule_id) = (call.param("id"), call.param("scheduleId"));
    let mut state = shared.lock();
    let list = state.recovery.backup_schedules.entry(id.to_string()).or_default();
    let before = list.len();
    list.retain(|s| s.id != schedule_id);
    if list.len() == before {
        return Err(Fail::not_found(format!("No backup schedule {schedule_id:?} on {id}.")));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
