//! Reading a job: where it stands, from either documented body shape, and which id to poll (the
//! tail of `pollUrl`, kept on the API's origin so credentials never follow it elsewhere).

use tokio::time::Instant;

use crate::types::{JobStatusResponse, Operation, OperationStatus};
use crate::{Client, Error, Result, WaitOptions, WaitProgress};

/// Where a job stands, read from either documented shape.
#[derive(Debug, PartialEq)]
pub(crate) enum JobState {
    Done,
    Failed(String),
    Running(String),
    /// The body said nothing we understand.
    Unknown,
}

pub(crate) fn job_state(job: &JobStatusResponse) -> JobState {
    if let Some(op) = &job.operation {
        return match &op.status {
            OperationStatus::Completed => JobState::Done,
            OperationStatus::Failed => JobState::Failed(result_text(op)),
            other => JobState::Running(other.to_string()),
        };
    }
    let Some(data) = &job.data else { return JobState::Unknown };
    let text = || data.progress_message.clone().or(data.status.clone()).unwrap_or_else(|| "failed".into());
    if data.is_failed == Some(true) {
        return JobState::Failed(text());
    }
    if data.is_completed == Some(true) {
        return JobState::Done;
    }
    match data.status.as_deref().or(data.state.as_deref()) {
        Some("completed") => JobState::Done,
        Some("failed") => JobState::Failed(text()),
        Some(other) => JobState::Running(other.to_string()),
        None if data.is_running == Some(true) || data.is_waiting == Some(true) => {
            JobState::Running("running".into())
        }
        None => JobState::Unknown,
    }
}

fn result_text(op: &Operation) -> String {
    op.result
        .as_ref()
        .and_then(|r| r.get("message").or(r.get("error")).and_then(|m| m.as_str()).map(str::to_string))
        .unwrap_or_else(|| "the operation reported failed".into())
}

/// The job id to poll: the tail of `pollUrl` (which must stay on the API's host), else `jobId`.
pub(crate) fn job_id_to_poll(client: &Client, op: &Operation) -> Result<String> {
    let poll = op.poll_url.trim();
    if poll.contains("://") || poll.starts_with("//") {
        let base = reqwest::Url::parse(&client.baseurl).ok();
        let target = reqwest::Url::parse(poll).ok();
        let same = matches!((&base, &target), (Some(b), Some(t)) if b.origin() == t.origin());
        if !same {
            return Err(Error::InvalidRequest(format!(
                "the operation's pollUrl {poll:?} points at another host; refusing to send credentials there"
            )));
        }
    }
    let tail = poll.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("");
    Ok(if tail.is_empty() { op.job_id.clone() } else { tail.to_string() })
}

/// Polls an accepted job (`GET /api/jobs/{jobId}`, with backoff) until it is `completed`; `what`
/// names it in a failure on acceptance (`snapshot`, `disk add`). Polls are GETs, so a failed poll
/// may be retried; the job itself is never sent again.
pub(crate) async fn follow(
    client: &Client,
    operation: &Operation,
    what: &str,
    options: &WaitOptions,
) -> Result<()> {
    match &operation.status {
        OperationStatus::Completed => return Ok(()),
        OperationStatus::Failed => {
            let detail = format!("the {what} job was reported failed on acceptance");
            return Err(Error::OperationFailed { job_id: operation.job_id.clone(), detail });
        }
        _ => {}
    }
    let job_id = job_id_to_poll(client, operation)?;
    let started = Instant::now();
    let deadline = started + options.max_wait;
    let mut interval = options.first_interval;
    let mut last = operation.status.to_string();
    let mut polls = 0;
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::WaitTimeout { job_id, last_status: last, waited: started.elapsed() });
        }
        tokio::time::sleep(interval.min(deadline - now)).await;
        interval = interval.mul_f64(1.5).min(options.max_interval);
        polls += 1;
        let job = client.get_job().job_id(job_id.as_str()).send().await?.into_inner();
        match job_state(&job) {
            JobState::Done => return Ok(()),
            JobState::Failed(detail) => return Err(Error::OperationFailed { job_id, detail }),
            JobState::Running(status) => last = status,
            JobState::Unknown => last = "unknown (the job's answer says nothing we understand)".into(),
        }
        if let Some(report) = &options.on_progress {
            report(&WaitProgress { status: last.clone(), elapsed: started.elapsed(), polls });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(value: serde_json::Value) -> JobState {
        job_state(&serde_json::from_value(value).unwrap())
    }

    #[test]
    fn reads_both_job_shapes() {
        assert_eq!(
            job(
                serde_json::json!({"operation": {"status": "completed", "jobId": "j", "pollUrl": "/api/jobs/j"}})
            ),
            JobState::Done
        );
        assert_eq!(
            job(serde_json::json!({"operation": {"status": "in_progress", "jobId": "j", "pollUrl": "/p"}})),
            JobState::Running("in_progress".into())
        );
        assert!(
            matches!(job(serde_json::json!({"operation": {"status": "failed", "jobId": "j", "pollUrl": "/p", "result": {"message": "disk full"}}})), JobState::Failed(m) if m == "disk full")
        );
        assert_eq!(
            job(serde_json::json!({"success": true, "data": {"isCompleted": true, "isFailed": false}})),
            JobState::Done
        );
        assert!(matches!(
            job(serde_json::json!({"data": {"isCompleted": true, "isFailed": true}})),
            JobState::Failed(_)
        ));
        assert_eq!(
            job(serde_json::json!({"data": {"status": "waiting"}})),
            JobState::Running("waiting".into())
        );
        assert_eq!(job(serde_json::json!({"something": "else"})), JobState::Unknown);
    }
}
