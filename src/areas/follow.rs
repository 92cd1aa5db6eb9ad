//! Following a VPS that is being created or reinstalled until it runs: its job when the server
//! returned one, else its live status. Shared by PAYG deployments and rebuilds.

use tokio::time::Instant;

use crate::areas::jobs::{JobState, job_id_to_poll, job_state};
use crate::types::{Operation, PowerState, VpsStatus};
use crate::{Client, Error, Result, WaitOptions, WaitProgress};

/// What counts as done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Until {
    /// `running` (a new VPS: `provisioning` first, or not visible at all for a moment).
    Running,
    /// `running` after the VPS was seen doing something else (a rebuild of a running VPS, where
    /// `running` before the work starts proves nothing); a completed job also counts.
    RunningAgain,
}

/// Polls until the VPS runs. A 404 from the status route means "not visible yet" (a VPS that
/// was just created), not an error.
///
/// # Errors
/// [`Error::OperationFailed`] when the job fails or the VPS reports `error`;
/// [`Error::WaitTimeout`] with the last state seen when the wait ends.
pub(crate) async fn until_running(
    client: &Client,
    vps_id: &str,
    operation: Option<&Operation>,
    until: Until,
    options: &WaitOptions,
) -> Result<VpsStatus> {
    let job_id = operation.map(|o| job_id_to_poll(client, o)).transpose()?;
    let mut job_readable = job_id.is_some();
    let mut job_done = false;
    let mut seen_other = false;
    let started = Instant::now();
    let deadline = started + options.max_wait;
    let mut interval = options.first_interval;
    let mut last = operation.map_or("accepted".to_string(), |o| format!("job {}", o.status));
    let mut polls = 0;
    loop {
        let now = Instant::now();
        if now >= deadline {
            let id = job_id.clone().unwrap_or_else(|| vps_id.to_string());
            return Err(Error::WaitTimeout { job_id: id, last_status: last, waited: started.elapsed() });
        }
        tokio::time::sleep(interval.min(deadline - now)).await;
        interval = interval.mul_f64(1.5).min(options.max_interval);
        polls += 1;
        if let (Some(id), true) = (&job_id, job_readable && !job_done) {
            match client.get_job().job_id(id.as_str()).send().await {
                Ok(job) => match job_state(&job.into_inner()) {
                    JobState::Done => job_done = true,
                    JobState::Failed(detail) => {
                        return Err(Error::OperationFailed { job_id: id.clone(), detail });
                    }
                    JobState::Running(status) => last = format!("job {status}"),
                    JobState::Unknown => job_readable = false,
                },
                Err(e) if e.is_not_found() => job_readable = false,
                Err(e) => return Err(e),
            }
        }
        if !job_readable || job_done {
            match client.get_vps_status().id(vps_id).send().await {
                Ok(status) => {
                    let status = status.into_inner();
                    let state = status.power_state.clone();
                    last =
                        format!("powerState {}", state.as_ref().map_or("unknown".into(), |s| s.to_string()));
                    match state {
                        Some(PowerState::Running) if until == Until::Running || seen_other || job_done => {
                            return Ok(status);
                        }
                        Some(PowerState::Error) => {
                            let job_id = job_id.unwrap_or_else(|| vps_id.to_string());
                            return Err(Error::OperationFailed {
                                job_id,
                                detail: "the VPS reports powerState error".into(),
                            });
                        }
                        Some(PowerState::Running | PowerState::Unknown | PowerState::NotReported) | None => {}
                        Some(_) => seen_other = true,
                    }
                }
                Err(e) if e.is_not_found() => last = "not visible yet".into(),
                Err(e) => return Err(e),
            }
        }
        if let Some(report) = &options.on_progress {
            report(&WaitProgress { status: last.clone(), elapsed: started.elapsed(), polls });
        }
    }
}
