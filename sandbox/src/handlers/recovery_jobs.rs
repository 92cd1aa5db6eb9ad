//! Snapshot, backup and restore jobs: starting one (202 with an operation), polling it through
//! `GET /api/jobs/{jobId}` (the power module asks here first), listing the active ones and
//! cancelling them by type.

use std::time::SystemTime;

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::{Handler, Reply, ok, reply};
use crate::api::Call;
use crate::model::State;
use crate::recovery::{Job, Work};
use crate::server::Shared;
use crate::views::iso;
use hostup::types::CancelJobRequest;

pub(super) const HANDLERS: &[(&str, Handler)] =
    &[("listVpsActiveJobs", active), ("cancelVpsActiveJob", cancel)];

/// Starts a job on `vps_id` taking `slowness` times the sandbox's job duration (backups are
/// slower than snapshots). With the failing-jobs fault on, it ends failed.
pub(super) fn begin(shared: &Shared, state: &mut State, vps_id: &str, work: Work, slowness: u32) -> Job {
    let now = Instant::now();
    let fails_with =
        shared.faults.failing_jobs().then(|| format!("The {} job failed (sandbox fault).", work.job_type()));
    let job = Job {
        id: shared.ids.public("job_"),
        vps_id: vps_id.to_string(),
        work,
        created: now,
        created_wall: SystemTime::now(),
        done_at: now + shared.job_duration * slowness,
        failure: None,
        fails_with,
        applied: false,
    };
    state.recovery.jobs.insert(job.id.clone(), job.clone());
    job
}

/// The 202 for a started job.
pub(super) fn accepted(job: &Job) -> Reply {
    Ok(reply(StatusCode::ACCEPTED, &json!({"operation": operation(job, "queued", Value::Null)})))
}

fn operation(job: &Job, status: &str, result: Value) -> Value {
    json!({"status": status, "jobId": job.id, "pollUrl": format!("/api/jobs/{}", job.id), "result": result})
}

/// Where a job stands now: its status and its result or failure.
fn standing(job: &Job, now: Instant) -> (&'static str, Value) {
    if let Some(failure) = job.failed(now) {
        return ("failed", json!({"message": failure}));
    }
    if now < job.done_at {
        let queued = now < job.created + (job.done_at - job.created) / 4;
        return (if queued { "queued" } else { "in_progress" }, Value::Null);
    }
    ("completed", json!({"vpsId": job.vps_id, "action": job.work.job_type()}))
}

/// `GET /api/jobs/{jobId}` for a recovery job, in both documented shapes; `None` for other ids.
pub(super) fn poll(shared: &Shared, job_id: &str) -> Option<Reply> {
    let state = shared.lock();
    let job = state.recovery.jobs.get(job_id)?;
    let (status, result) = standing(job, Instant::now());
    let data = json!({
        "jobId": job.id, "type": job.work.job_type(), "status": status, "isCompleted": status == "completed",
        "isFailed": status == "failed", "isRunning": status == "in_progress", "isWaiting": status == "queued",
        "progressMessage": result.get("message").cloned().unwrap_or(json!(format!("{} {status}", job.work.job_type()))),
        "result": if result.is_null() { Value::Null } else { result.clone() },
        "createdAt": iso(job.created_wall),
        "finishedAt": (status == "completed" || status == "failed").then(|| iso(SystemTime::now())),
    });
    Some(ok(&json!({"success": true, "data": data, "operation": operation(job, status, result)})))
}

fn active(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let state = shared.lock();
    let now = Instant::now();
    let jobs: Vec<Value> = state
        .recovery
        .jobs
        .values()
        .filter(|j| j.vps_id == id && !j.done(now))
        .map(|j| json!({"jobId": j.id, "jobType": j.work.job_type(), "status": standing(j, now).0}))
        .collect();
    ok(&json!({"jobs": jobs}))
}

fn cancel(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: CancelJobRequest = call.body()?;
    let (id, wanted) = (call.param("id"), request.job_type.to_string());
    let mut state = shared.lock();
    let now = Instant::now();
    let found = state
        .recovery
        .jobs
        .values_mut()
        .find(|j| j.vps_id == id && !j.done(now) && j.work.job_type() == wanted);
    match found {
        Some(job) => {
            job.failure = Some("Cancelled by the client.".into());
            ok(&json!({"cancelled": true, "reason": null}))
        }
        None => {
            ok(&json!({"cancelled": false, "reason": format!("No active {wanted} job was found to cancel.")}))
        }
    }
}
