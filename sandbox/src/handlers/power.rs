//! Power actions (202 with an operation to poll) and the job they poll: `GET /api/jobs/{jobId}`
//! answers both documented shapes at once, the v2 `operation` and the legacy `data`.

use std::time::SystemTime;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::{Handler, Reply, ensure, find, ok, reply};
use crate::api::Call;
use crate::gates;
use crate::model::{Job, Phase, PowerVerb};
use crate::problem::Fail;
use crate::server::Shared;
use crate::views::iso;
use hostup::gates::Action;
use hostup::types::{
    JobStatusResponse, LegacyJob, LegacyJobProgressDetails, LegacyNumber, Operation, OperationStatus,
    PowerActionRequest,
};

/// The gate each action must pass.
pub(super) fn gate_name(verb: PowerVerb) -> Action {
    match verb {
        PowerVerb::Start => Action::Start,
        PowerVerb::Stop => Action::Stop,
        PowerVerb::Shutdown => Action::Shutdown,
        PowerVerb::Restart => Action::Restart,
        PowerVerb::Reset => Action::Reset,
    }
}

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("startVps", |s, c| act(s, c, PowerVerb::Start)),
    ("stopVps", |s, c| act(s, c, PowerVerb::Stop)),
    ("shutdownVps", |s, c| act(s, c, PowerVerb::Shutdown)),
    ("restartVps", |s, c| act(s, c, PowerVerb::Restart)),
    ("resetVps", |s, c| act(s, c, PowerVerb::Reset)),
    ("getJob", job),
];

fn act(shared: &Shared, call: &Call<'_>, verb: PowerVerb) -> Reply {
    // `force` is accepted (and, in the sandbox, changes nothing).
    let _request: PowerActionRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    let vps = find(&state, id)?;
    ensure(gate_name(verb), gates::power_gate(vps, gate_name(verb)), true)?;
    let job_id = shared.ids.public("job_");
    let job = state.begin_power(id, verb, job_id, shared.job_duration);
    let accepted = json!({"operation": operation_json(&operation(&job, Phase::Queued))});
    Ok(reply(StatusCode::ACCEPTED, &accepted))
}

fn status(phase: Phase) -> OperationStatus {
    match phase {
        Phase::Queued => OperationStatus::Queued,
        Phase::Running => OperationStatus::InProgress,
        Phase::Completed => OperationStatus::Completed,
    }
}

/// The v2 operation of a job.
fn operation(job: &Job, phase: Phase) -> Operation {
    let result = (phase == Phase::Completed).then(|| {
        let mut result = Map::new();
        result.insert("vpsId".into(), json!(job.vps_id));
        result.insert("action".into(), json!(job.verb.name()));
        result.insert("powerState".into(), json!(job.verb.target()));
        result
    });
    Operation {
        status: status(phase),
        job_id: job.id.clone(),
        poll_url: format!("/api/jobs/{}", job.id),
        result,
    }
}

/// The operation as JSON with `result: null` until there is one, as the docs show it (the
/// generated type leaves a missing result out).
fn operation_json(operation: &Operation) -> Value {
    let mut value = json!(operation);
    if value.get("result").is_none() {
        value["result"] = Value::Null;
    }
    value
}

/// `GET /api/jobs/{jobId}`.
fn job(shared: &Shared, call: &Call<'_>) -> Reply {
    let job_id = call.param("jobId");
    if let Some(reply) = super::recovery_jobs::poll(shared, job_id) {
        return reply;
    }
    if let Some(reply) = super::lifecycle::poll(shared, job_id) {
        return reply;
    }
    if let Some(reply) = super::iso::poll(shared, job_id) {
        return reply;
    }
    let job = shared
        .lock()
        .jobs
        .get(job_id)
        .cloned()
        .ok_or_else(|| Fail::not_found(format!("No job {job_id:?}.")))?;
    let now = Instant::now();
    let phase = job.phase(now);
    let operation = operation(&job, phase);
    let status = operation.status.to_string();
    let percent = job.progress(now);
    let verb = job.verb.name();
    let message = match phase {
        Phase::Queued => format!("{verb} queued"),
        Phase::Running => format!("{verb} in progress"),
        Phase::Completed => format!("{verb} completed"),
    };
    let data = LegacyJob {
        job_id: Some(job.id.clone()),
        queue_type: Some("vm-power".into()),
        type_: Some(verb.into()),
        state: Some(match phase {
            Phase::Queued => "waiting".into(),
            Phase::Running => "active".into(),
            Phase::Completed => "completed".into(),
        }),
        status: Some(status.clone()),
        progress: Some(LegacyNumber::Number(percent)),
        progress_text_key: Some(format!("jobs.power.{status}")),
        progress_details: Some(LegacyJobProgressDetails {
            percentage: Some(LegacyNumber::Number(percent)),
            message: Some(message.clone()),
            current: Some(LegacyNumber::Number(percent)),
            total: Some(LegacyNumber::Number(100.0)),
        }),
        progress_message: Some(message),
        result: operation.result.clone(),
        is_completed: Some(phase == Phase::Completed),
        is_failed: Some(false),
        is_running: Some(phase == Phase::Running),
        is_waiting: Some(phase == Phase::Queued),
        created_at: Some(iso(job.created_wall)),
        finished_at: (phase == Phase::Completed).then(|| iso(job.finished_wall())),
        job_name: Some(format!("vm-{verb}")),
        vm_id: Some(job.vmid.map_or_else(|| job.vps_id.clone(), |n| n.to_string())),
        hostbill_account_id: Some("4711".into()),
        is_scheduled: Some(false),
        delay: Some("0".into()),
        status_key: Some(format!("jobs.status.{status}")),
    };
    let mut body = json!(JobStatusResponse {
        success: Some(true),
        timestamp: Some(iso(SystemTime::now())),
        request_id: Some(shared.ids.uuid()),
        data: Some(data),
        operation: None,
    });
    body["operation"] = operation_json(&operation);
    ok(&body)
}
