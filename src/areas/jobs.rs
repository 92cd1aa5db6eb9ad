//! Reading a job: where it stands, from either documented body shape, and which id to poll (the
//! tail of `pollUrl`, kept on the API's origin so credentials never follow it elsewhere).

use crate::types::{JobStatusResponse, Operation, OperationStatus};
use crate::{Client, Error, Result};

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
