//! Ending and renewing the inside of a VPS: cancellations (at the end of the period, or
//! immediately after a short lookup), maintenance deadlines and their extension, templates and
//! rebuilds (a job; the VPS shows `provisioning` until it runs the new image).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Handler, Reply, ensure, find, ok, refused, reply};
use crate::api::Call;
use crate::lifecycle::{CancelStatus, Cancellation, Deadline, Rebuild, TEMPLATES};
use crate::lifecycle_gates::{can_cancel, can_extend_maintenance, can_rebuild};
use crate::problem::Fail;
use crate::server::Shared;
use crate::views::iso;
use hostup::ErrorCode;
use hostup::gates::Action;
use hostup::types::{CancelType, MaintenanceExtendRequest, PowerState, RebuildRequest, VpsCancelRequest};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("cancelVps", cancel),
    ("getVpsCancellation", status),
    ("revokeVpsCancellation", revoke),
    ("listCancellations", list_cancellations),
    ("getVpsMaintenance", maintenance),
    ("extendVpsMaintenance", extend),
    ("listVpsTemplates", |_, _| {
        ok(&json!({"data": TEMPLATES.iter().map(template_json).collect::<Vec<_>>()}))
    }),
    ("rebuildVps", rebuild),
];

fn cancellation_json(c: &Cancellation) -> Value {
    json!({
        "vpsId": c.vps_id, "status": c.status.name(), "cancelledAt": iso(c.cancelled_at),
        "scheduledAt": iso(c.effective_at), "reason": c.reason,
        "cancelType": if c.immediate { "immediate" } else { "end_of_period" },
        "revokable": c.status.revokable(), "cancelledPendingOrder": false,
    })
}

fn none(vps_id: &str) -> Value {
    json!({"vpsId": vps_id, "status": "none", "revokable": false})
}

/// The end of the paid period: the next due date, or the end of the hour for PAYG.
fn period_end(shared: &Shared, vps: &crate::model::Vps) -> SystemTime {
    if !vps.payg {
        return vps.next_due;
    }
    let secs = shared.faults.now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs((secs / 3600 + 1) * 3600)
}

/// Files a cancellation. An overdue invoice refuses it with 409
/// `cancellation_blocked_overdue_invoice` and switches auto-renewal off, as the docs say.
/// `immediate` answers 202 with `cancellationLookupPending`: the status route shows the record
/// after a quarter of a job duration, and the VPS goes after four job durations.
fn cancel(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: VpsCancelRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    let vps = find(&state, id)?;
    let gate = can_cancel(&state, vps);
    let overdue = ErrorCode::CancellationBlockedOverdueInvoice;
    if gate.code.as_deref() == Some(overdue.as_str()) {
        state.lifecycle.autorenew_off.push(id.to_string());
        return Err(Fail::conflict(
            overdue.as_str(),
            "Cancellation blocked by overdue invoice",
            "Cancellation is not permitted while an overdue invoice is outstanding. Auto-renewal has been disabled.",
        ));
    }
    ensure(Action::Cancel, gate, false)?;
    let immediate = request.cancel_type == Some(CancelType::Immediate);
    let wall = shared.faults.now();
    let cancellation = Cancellation {
        vps_id: id.to_string(),
        immediate,
        reason: request.reason.to_string(),
        status: if immediate { CancelStatus::Pending } else { CancelStatus::Scheduled },
        cancelled_at: wall,
        effective_at: if immediate { wall + shared.job_duration * 4 } else { period_end(shared, vps) },
        visible_at: if immediate { wall + shared.job_duration / 4 } else { wall },
    };
    let mut answer = cancellation_json(&cancellation);
    answer["cancellationLookupPending"] = json!(immediate);
    state.lifecycle.cancellations.push(cancellation);
    let status = if immediate { StatusCode::ACCEPTED } else { StatusCode::OK };
    Ok(reply(status, &answer))
}

fn status(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let state = shared.lock();
    ok(&state.lifecycle.cancellation(id, shared.faults.now()).map_or_else(|| none(id), cancellation_json))
}

fn revoke(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let wall = shared.faults.now();
    let mut state = shared.lock();
    let found =
        state.lifecycle.cancellations.iter_mut().rev().find(|c| c.vps_id == id && c.visible_at <= wall);
    match found {
        Some(c) if c.status.revokable() => {
            c.status = CancelStatus::Revoked;
            ok(&cancellation_json(c))
        }
        other => {
            let state = other.map_or("none", |c| c.status.name());
            Err(Fail::conflict(
                "not_revokable",
                "Cancellation not revokable",
                format!("The cancellation of {id} is {state}: there is nothing to withdraw."),
            ))
        }
    }
}

fn list_cancellations(shared: &Shared, _: &Call<'_>) -> Reply {
    let wall = shared.faults.now();
    let state = shared.lock();
    let entries: Vec<Value> = state
        .lifecycle
        .cancellations
        .iter()
        .filter(|c| c.visible_at <= wall && c.status != CancelStatus::Revoked)
        .map(|c| json!({"type": "vps", "vpsId": c.vps_id, "cancellation": cancellation_json(c)}))
        .collect();
    ok(&json!({"cancellations": entries}))
}

fn change_json(d: &Deadline) -> Value {
    let deadline = d.id.as_ref().map(|id| {
        json!({
            "id": id, "description": format!("Update {} before the deadline", d.key),
            "deadlineAt": iso(d.original), "extensionDays": d.extension_days, "maxExtensions": d.max_extensions,
        })
    });
    let extension =
        (d.used > 0).then(|| json!({"extensionCount": d.used, "extendedDeadline": iso(d.effective())}));
    json!({
        "key": d.key, "currentValue": d.current, "pendingValue": d.pending, "deadline": deadline,
        "extension": extension, "canExtend": d.can_extend(),
        "effectiveDeadline": d.id.as_ref().map(|_| iso(d.effective())),
    })
}

fn maintenance(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let changes: Vec<Value> =
        state.lifecycle.maintenance.get(call.param("id")).into_iter().flatten().map(change_json).collect();
    ok(&json!({"hasPendingMaintenance": !changes.is_empty(), "pendingChanges": changes}))
}

/// Moves one deadline by its policy's days, while extensions are left (409
/// `max_extensions_reached` after that).
fn extend(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: MaintenanceExtendRequest = call.body()?;
    let (id, wanted) = (call.param("id"), request.deadline_id.to_string());
    let mut state = shared.lock();
    let vps = find(&state, id)?;
    if let Some(blocked) = crate::gates::account_blocker(vps) {
        return Err(refused(Action::ExtendMaintenance, &blocked, false));
    }
    let gate = can_extend_maintenance(&state, vps);
    let changes = state.lifecycle.maintenance.get_mut(id).into_iter().flatten();
    let Some(deadline) = changes.into_iter().find(|d| d.id.as_deref() == Some(wanted.as_str())) else {
        return Err(Fail::not_found(format!("No maintenance deadline {wanted:?} on {id}.")));
    };
    if !deadline.can_extend() {
        let detail =
            format!("Deadline {wanted} was extended {} of {} times.", deadline.used, deadline.max_extensions);
        return Err(Fail::conflict("max_extensions_reached", "No extensions left", detail)
            .with("gate", Action::ExtendMaintenance.gate_name())
            .with("gateCode", gate.code.unwrap_or_else(|| "max_extensions_reached".into())));
    }
    deadline.used += 1;
    ok(&json!({
        "success": true, "originalDeadline": iso(deadline.original), "newDeadline": iso(deadline.effective()),
        "extensionCount": deadline.used, "maxExtensions": deadline.max_extensions,
        "canExtendAgain": deadline.can_extend(),
    }))
}

fn template_json(t: &crate::lifecycle::Template) -> Value {
    let (name, family, version) = t.os;
    json!({
        "id": t.id, "name": name, "family": family, "version": version,
        "licensing": t.licensing.map(|l| l.0), "licensingNotice": t.licensing.map(|l| l.1),
    })
}

/// Starts a rebuild job: the VPS shows `provisioning` until it runs the new image.
fn rebuild(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: RebuildRequest = call.body()?;
    let (id, wanted) = (call.param("id"), request.template_id.to_string());
    let mut state = shared.lock();
    ensure(Action::Rebuild, can_rebuild(find(&state, id)?), false)?;
    let Some(template) = TEMPLATES.iter().find(|t| t.id == wanted) else {
        let offered: Vec<&str> = TEMPLATES.iter().map(|t| t.id).collect();
        return Err(Fail::invalid(
            "/templateId",
            "invalid_value",
            format!("No template {wanted:?}; offered: {offered:?}."),
        ));
    };
    let wall = shared.faults.now();
    let job_id = shared.ids.public("job_");
    let job =
        Rebuild { vps_id: id.to_string(), template, created: wall, done_at: wall + shared.job_duration };
    let vps = super::find_mut(&mut state, id)?;
    (vps.power, vps.job) = (PowerState::Provisioning, Some(job_id.clone()));
    state.lifecycle.rebuilds.insert(job_id.clone(), job);
    let operation = json!({"status": "queued", "jobId": job_id, "pollUrl": format!("/api/jobs/{job_id}"), "result": null});
    Ok(reply(StatusCode::ACCEPTED, &json!({"operation": operation})))
}

/// `GET /api/jobs/{jobId}` for a rebuild, in both documented shapes; `None` for other ids.
pub(super) fn poll(shared: &Shared, job_id: &str) -> Option<Reply> {
    let state = shared.lock();
    let job = state.lifecycle.rebuilds.get(job_id)?;
    let now = shared.faults.now();
    let queued_for = job.done_at.duration_since(job.created).unwrap_or_default() / 4;
    let status = match now {
        n if n >= job.done_at => "completed",
        n if n < job.created + queued_for => "queued",
        _ => "in_progress",
    };
    let result = if status == "completed" {
        json!({"vpsId": job.vps_id, "action": "rebuild", "templateId": job.template.id})
    } else {
        Value::Null
    };
    let data = json!({
        "jobId": job_id, "type": "rebuild", "status": status, "isCompleted": status == "completed",
        "isFailed": false, "isRunning": status == "in_progress", "isWaiting": status == "queued",
        "progressMessage": format!("rebuild {status}"), "result": result, "createdAt": iso(job.created),
        "finishedAt": (status == "completed").then(|| iso(job.done_at)),
    });
    let operation = json!({"status": status, "jobId": job_id, "pollUrl": format!("/api/jobs/{job_id}"), "result": result});
    Some(ok(&json!({"success": true, "data": data, "operation": operation})))
}
