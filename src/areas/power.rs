//! Power actions and waiting for them: the gate is checked before acting, the returned operation is
//! polled with backoff (every poll goes through the client, so it counts against the rate-limit
//! budget), and the wait ends with the VPS's live status, a failure, or a timeout that says what
//! was seen last.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::areas::jobs::{JobState, job_id_to_poll, job_state};
use crate::types::{Operation, PowerActionRequest, PowerState, VpsStatus};
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

    /// True for the actions that reboot a running VPS (restart, forced restart, reset): their
    /// target state is the one the VPS is already in, so reaching it proves nothing.
    pub fn reboots(self) -> bool {
        matches!(self, PowerAction::Restart | PowerAction::ForceRestart | PowerAction::Reset)
    }

    /// The power state the VPS should reach.
    pub fn target_state(self) -> PowerState {
        match self {
            PowerAction::Shutdown | PowerAction::Stop => PowerState::Stopped,
            _ => PowerState::Running,
        }
    }
}

/// An accepted power action, ready to be waited for with [`PowerOperation::wait`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct PowerOperation {
    vps_id: String,
    action: PowerAction,
    operation: Option<Operation>,
    accepted: Instant,
}

impl PowerOperation {
    /// The VPS.
    pub fn vps_id(&self) -> &str {
        &self.vps_id
    }

    /// The action.
    pub fn action(&self) -> PowerAction {
        self.action
    }

    /// The operation the server returned (`None` if it returned none; the wait then watches the
    /// VPS's power state).
    pub fn operation(&self) -> Option<&Operation> {
        self.operation.as_ref()
    }
}

/// What the waiter reports while polling.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WaitProgress {
    /// The latest status seen.
    pub status: String,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// Polls so far.
    pub polls: u32,
}

pub(crate) type ProgressFn = Arc<dyn Fn(&WaitProgress) + Send + Sync>;

/// How long and how often to poll.
#[derive(Clone)]
pub struct WaitOptions {
    pub(crate) max_wait: Duration,
    pub(crate) first_interval: Duration,
    pub(crate) max_interval: Duration,
    pub(crate) on_progress: Option<ProgressFn>,
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

/// The longest wait the options accept; longer values are cut to it (a reboot that takes a day
/// is not one worth waiting for, and far-future deadlines would overflow the clock).
const MAX_WAIT: Duration = Duration::from_secs(24 * 3600);

impl WaitOptions {
    /// The longest wait (default 5 minutes, at most a day).
    #[must_use]
    pub fn with_max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait.min(MAX_WAIT);
        self
    }

    /// The first poll interval (default 500 ms); it grows by half each poll up to the maximum.
    /// Both are cut to a day.
    #[must_use]
    pub fn with_poll_interval(mut self, first: Duration, max: Duration) -> Self {
        self.first_interval = first.min(MAX_WAIT);
        self.max_interval = max.min(MAX_WAIT).max(self.first_interval);
        self
    }

    /// Called after every poll, for progress displays.
    #[must_use]
    pub fn on_progress(mut self, f: impl Fn(&WaitProgress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }
}

/// The body of [`ClientExt::power`](crate::ClientExt::power).
pub(crate) async fn send(client: &Client, vps_id: &str, action: PowerAction) -> Result<PowerOperation> {
    let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
    details.ensure_allowed(action.gate())?;
    let force = PowerActionRequest { force: Some(true) };
    let accepted = match action {
        PowerAction::Start => client.start_vps().id(vps_id).send().await?,
        PowerAction::Shutdown => client.shutdown_vps().id(vps_id).send().await?,
        PowerAction::Stop => client.stop_vps().id(vps_id).send().await?,
        PowerAction::Restart => client.restart_vps().id(vps_id).send().await?,
        PowerAction::ForceRestart => client.restart_vps().id(vps_id).body(force).send().await?,
        PowerAction::Reset => client.reset_vps().id(vps_id).send().await?,
    };
    Ok(PowerOperation {
        vps_id: vps_id.to_string(),
        action,
        operation: accepted.into_inner().operation,
        accepted: Instant::now(),
    })
}

impl PowerOperation {
    /// Polls until the action is done and returns the VPS's live status.
    ///
    /// Done means the job reported `completed`, or, where there is no job to read (none returned,
    /// gone, or a body the client does not understand), that the VPS's status shows it: the
    /// target state for start, stop and shutdown; for restart and reset, `running` *after* the
    /// reboot was seen (another power state in between, or an uptime that restarted). A reboot
    /// that was never seen is not reported done: the wait ends in [`Error::WaitTimeout`].
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// use hostup::{PowerAction, WaitOptions};
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let op = client.power("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", PowerAction::Restart).await?;
    /// let status = op.wait(&client, WaitOptions::default()).await?;
    /// println!("{:?}", status.power_state);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::OperationFailed`] when the job fails, [`Error::WaitTimeout`] with the last status
    /// seen when `max_wait` passes, [`Error::InvalidRequest`] when the operation's `pollUrl` points
    /// at another host.
    #[must_use = "futures do nothing unless awaited"]
    pub async fn wait(&self, client: &Client, options: WaitOptions) -> Result<VpsStatus> {
        let job_id = self.operation.as_ref().map(|o| job_id_to_poll(client, o)).transpose()?;
        let mut job_readable = job_id.is_some();
        let mut watch =
            Watch { action: self.action, accepted: self.accepted, seen_down: false, uptime: None };
        let started = Instant::now();
        let deadline = started + options.max_wait;
        let mut interval = options.first_interval;
        let mut last = self.operation.as_ref().map_or("accepted".to_string(), |o| o.status.to_string());
        let mut polls = 0;
        loop {
            let now = Instant::now();
            if now >= deadline {
                let (job_id, waited) = (job_id.unwrap_or_default(), started.elapsed());
                return Err(Error::WaitTimeout { job_id, last_status: last, waited });
            }
            tokio::time::sleep(interval.min(deadline - now)).await;
            interval = interval.mul_f64(1.5).min(options.max_interval);
            polls += 1;
            let state = match &job_id {
                Some(id) if job_readable => match client.get_job().job_id(id.as_str()).send().await {
                    Ok(job) => job_state(&job.into_inner()),
                    Err(e) => match e {
                        // The job is gone, or its (undocumented) shape is not one we read:
                        // judge by the VPS itself from now on.
                        e if e.is_not_found() || matches!(e, Error::Decode(_)) => JobState::Unknown,
                        e => return Err(e),
                    },
                },
                _ => JobState::Unknown,
            };
            match state {
                JobState::Done => {
                    return Ok(client.get_vps_status().id(self.vps_id.as_str()).send().await?.into_inner());
                }
                JobState::Failed(detail) => {
                    return Err(Error::OperationFailed { job_id: job_id.unwrap_or_default(), detail });
                }
                JobState::Running(status) => last = status,
                JobState::Unknown => {
                    job_readable = false;
                    let status = client.get_vps_status().id(self.vps_id.as_str()).send().await?.into_inner();
                    if watch.confirms(&status) {
                        return Ok(status);
                    }
                    last = watch.describe(&status);
                }
            }
            if let Some(report) = &options.on_progress {
                report(&WaitProgress { status: last.clone(), elapsed: started.elapsed(), polls });
            }
        }
    }
}

/// What the status polls have shown so far, judged against the action.
struct Watch {
    action: PowerAction,
    accepted: Instant,
    seen_down: bool,
    uptime: Option<f64>,
}

impl Watch {
    /// True when `status` shows the action done: its target state, and for a reboot, only after
    /// the reboot itself was seen.
    fn confirms(&mut self, status: &VpsStatus) -> bool {
        let state = status.power_state.as_ref();
        let reached = state == Some(&self.action.target_state());
        if !self.action.reboots() {
            return reached;
        }
        let down = state.is_some_and(|s| {
            !matches!(s, PowerState::Running | PowerState::Unknown | PowerState::NotReported)
        });
        self.seen_down |= down;
        // Uptime shorter than the time since the action was accepted (a second's slack for
        // rounding), or shorter than the last poll's: the VPS booted since.
        let since = self.accepted.elapsed().as_secs_f64();
        let rebooted = status
            .uptime_seconds
            .is_some_and(|up| up + 1.0 < since || self.uptime.is_some_and(|previous| up < previous));
        self.uptime = status.uptime_seconds.or(self.uptime);
        reached && (self.seen_down || rebooted)
    }

    fn describe(&self, status: &VpsStatus) -> String {
        let state = status.power_state.as_ref().map_or("unknown".into(), |p| p.to_string());
        if self.action.reboots() && !self.seen_down {
            format!("powerState {state}, no reboot seen yet")
        } else {
            format!("powerState {state}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: &str, uptime: Option<f64>) -> VpsStatus {
        serde_json::from_value(serde_json::json!({"powerState": state, "uptimeSeconds": uptime})).unwrap()
    }

    fn watch(action: PowerAction, accepted_ago: Duration) -> Watch {
        Watch { action, accepted: Instant::now() - accepted_ago, seen_down: false, uptime: None }
    }

    #[test]
    fn a_reboot_is_done_only_once_seen() {
        let mut w = watch(PowerAction::Restart, Duration::from_secs(10));
        assert!(!w.confirms(&status("running", None)), "running as before proves nothing");
        assert!(!w.confirms(&status("running", Some(5000.0))), "an uptime from before the action");
        assert!(!w.confirms(&status("stopping", None)));
        assert!(w.confirms(&status("running", None)), "down, then running again");

        let mut w = watch(PowerAction::Reset, Duration::from_secs(60));
        assert!(w.confirms(&status("running", Some(20.0))), "booted after the action was accepted");

        let mut w = watch(PowerAction::ForceRestart, Duration::ZERO);
        assert!(!w.confirms(&status("running", Some(100.0))));
        assert!(w.confirms(&status("running", Some(3.0))), "the uptime restarted");

        let mut w = watch(PowerAction::Restart, Duration::from_secs(10));
        assert!(!w.confirms(&status("unknown", None)) && !w.confirms(&status("running", None)));
    }

    #[test]
    fn start_and_stop_keep_their_target_states() {
        assert!(watch(PowerAction::Start, Duration::ZERO).confirms(&status("running", Some(9999.0))));
        assert!(watch(PowerAction::Shutdown, Duration::ZERO).confirms(&status("stopped", None)));
        assert!(!watch(PowerAction::Stop, Duration::ZERO).confirms(&status("running", None)));
    }

    #[test]
    fn targets_follow_the_action() {
        assert_eq!(PowerAction::Shutdown.target_state(), PowerState::Stopped);
        assert_eq!(PowerAction::Reset.target_state(), PowerState::Running);
        assert_eq!(PowerAction::ForceRestart.gate(), Action::Restart);
    }
}
