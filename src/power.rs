//! Power actions and waiting for them: the gate is checked before acting, the returned operation is
//! polled with backoff (every poll goes through the client, so it counts against the rate-limit
//! budget), and the wait ends with the VPS's live status, a failure, or a timeout that says what
//! was seen last.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::types::{
    JobStatusResponse, Operation, OperationStatus, PowerActionRequest, PowerState, VpsStatus,
};
use crate::{Action, Client, Error, Result};

/// A power action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PowerAction {
    /// Boot a stopped VPS (`canStart`).
    Start,
    /// Graceful power-off, the normal way to stop (`canShutdown`).
    Shutdown,
    /// Forced power-off, for emergencies (`canStop`).
    Stop,
    /// Graceful reboot through the guest (`canRestart`).
    Restart,
    /// Reboot, forced when the guest does not respond (`canRestart`, `force: true`).
    ForceRestart,
    /// Hard reboot (`canReset`).
    Reset,
}

impl PowerAction {
    /// The gate that must allow this action.
    pub fn gate(self) -> Action {
        match self {
            PowerAction::Start => Action::Start,
            PowerAction::Shutdown => Action::Shutdown,
            PowerAction::Stop => Action::Stop,
            PowerAction::Restart | PowerAction::ForceRestart => Action::Restart,
            PowerAction::Reset => Action::Reset,
        }
    }

    /// The power state the VPS should reach.
    pub fn target_state(self) -> PowerState {
        match self {
            PowerAction::Shutdown | PowerAction::Stop => PowerState::Stopped,
            _ => PowerState::Running,
        }
    }
}

/// An accepted power action, ready to be waited for.
#[derive(Clone, Debug, PartialEq)]
pub struct PowerOperation {
    /// The VPS.
    pub vps_id: String,
    /// The action.
    pub action: PowerAction,
    /// The operation the server returned (`None` if it returned none; the wait then watches the
    /// VPS's power state).
    pub operation: Option<Operation>,
}

/// What the waiter reports while polling.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitProgress {
    /// The latest status seen.
    pub status: String,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// Polls so far.
    pub polls: u32,
}

type ProgressFn = Arc<dyn Fn(&WaitProgress) + Send + Sync>;

/// How long and how often to poll.
#[derive(Clone)]
pub struct WaitOptions {
    max_wait: Duration,
    first_interval: Duration,
    max_interval: Duration,
    on_progress: Option<ProgressFn>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            max_wait: Duration::from_secs(300),
            first_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(5),
            on_progress: None,
        }
    }
}

impl std::fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitOptions")
            .field("max_wait", &self.max_wait)
            .field("first_interval", &self.first_interval)
            .field("max_interval", &self.max_interval)
            .finish_non_exhaustive()
    }
}

impl WaitOptions {
    /// The longest wait (default 5 minutes).
    pub fn with_max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The first poll interval (default 500 ms); it grows by half each poll up to the maximum.
    pub fn with_poll_interval(mut self, first: Duration, max: Duration) -> Self {
        self.first_interval = first;
        self.max_interval = max.max(first);
        self
    }

    /// Called after every poll, for progress displays.
    pub fn on_progress(mut self, f: impl Fn(&WaitProgress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }
}

/// Where a job stands, read from either documented shape.
#[derive(Debug, PartialEq)]
enum JobState {
    Done,
    Failed(String),
    Running(String),
    /// The body said nothing we understand.
    Unknown,
}

fn job_state(job: &JobStatusResponse) -> JobState {
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

impl Client {
    /// Sends a power action after checking its gate on the VPS's details.
    ///
    /// ```no_run
    /// use hostup::{PowerAction, WaitOptions};
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let op = client.power("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", PowerAction::Restart).await?;
    /// let status = client.wait(&op, WaitOptions::default()).await?;
    /// println!("{:?}", status.power_state);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Blocked`] without sending when the gate is closed.
    pub async fn power(&self, vps_id: &str, action: PowerAction) -> Result<PowerOperation> {
        let details = self.get_vps_details().id(vps_id).send().await?.into_inner();
        details.ensure_allowed(action.gate())?;
        let force = PowerActionRequest { force: Some(true) };
        let accepted = match action {
            PowerAction::Start => self.start_vps().id(vps_id).send().await?,
            PowerAction::Shutdown => self.shutdown_vps().id(vps_id).send().await?,
            PowerAction::Stop => self.stop_vps().id(vps_id).send().await?,
            PowerAction::Restart => self.restart_vps().id(vps_id).send().await?,
            PowerAction::ForceRestart => self.restart_vps().id(vps_id).body(force).send().await?,
            PowerAction::Reset => self.reset_vps().id(vps_id).send().await?,
        };
        Ok(PowerOperation { vps_id: vps_id.to_string(), action, operation: accepted.into_inner().operation })
    }

    /// Polls a power operation until it is terminal and returns the VPS's live status.
    ///
    /// # Errors
    /// [`Error::OperationFailed`] when the job fails, [`Error::WaitTimeout`] with the last status
    /// seen when `max_wait` passes, [`Error::InvalidRequest`] when the operation's `pollUrl` points
    /// at another host.
    pub async fn wait(&self, op: &PowerOperation, options: WaitOptions) -> Result<VpsStatus> {
        let job_id = match &op.operation {
            Some(operation) => Some(self.job_id_to_poll(operation)?),
            None => None,
        };
        let started = Instant::now();
        let deadline = started + options.max_wait;
        let mut interval = options.first_interval;
        let mut last = op.operation.as_ref().map_or("accepted".to_string(), |o| o.status.to_string());
        let mut polls = 0;
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::WaitTimeout {
                    job_id: job_id.unwrap_or_default(),
                    last_status: last,
                    waited: started.elapsed(),
                });
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = interval.mul_f64(1.5).min(options.max_interval);
            polls += 1;
            let state = match &job_id {
                Some(id) => match self.get_job().job_id(id.as_str()).send().await {
                    Ok(job) => job_state(&job.into_inner()),
                    // The job is gone: judge by the VPS itself.
                    Err(e) if e.is_not_found() => JobState::Unknown,
                    Err(e) => return Err(e),
                },
                None => JobState::Unknown,
            };
            match state {
                JobState::Done => {
                    return Ok(self.get_vps_status().id(op.vps_id.as_str()).send().await?.into_inner());
                }
                JobState::Failed(detail) => {
                    return Err(Error::OperationFailed { job_id: job_id.unwrap_or_default(), detail });
                }
                JobState::Running(status) => last = status,
                JobState::Unknown => {
                    let status = self.get_vps_status().id(op.vps_id.as_str()).send().await?.into_inner();
                    if status.power_state.as_ref() == Some(&op.action.target_state()) {
                        return Ok(status);
                    }
                    last = format!(
                        "powerState {}",
                        status.power_state.map_or("unknown".into(), |p| p.to_string())
                    );
                }
            }
            if let Some(report) = &options.on_progress {
                report(&WaitProgress { status: last.clone(), elapsed: started.elapsed(), polls });
            }
        }
    }

    /// The job id to poll: the tail of `pollUrl` (which must stay on the API's host), else `jobId`.
    fn job_id_to_poll(&self, op: &Operation) -> Result<String> {
        let poll = op.poll_url.trim();
        if poll.contains("://") || poll.starts_with("//") {
            let base = reqwest::Url::parse(&self.baseurl).ok();
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

    #[test]
    fn targets_follow_the_action() {
        assert_eq!(PowerAction::Shutdown.target_state(), PowerState::Stopped);
        assert_eq!(PowerAction::Reset.target_state(), PowerState::Running);
        assert_eq!(PowerAction::ForceRestart.gate(), Action::Restart);
    }
}
