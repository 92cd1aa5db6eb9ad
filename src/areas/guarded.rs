//! A guarded change: take a snapshot, run the caller's change, and when the change fails either
//! roll back to the snapshot (only with an explicit [`Destructive`] confirmation) or hand back an
//! offer to do so. Every step is recorded; nothing is retried silently, and when the rollback
//! fails too both failures are kept.

use std::future::Future;

use crate::areas::snapshots;
use crate::{Client, Destructive, Error, Result, WaitOptions};

/// One thing a guarded change did, in order.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum GuardStep {
    /// The safety snapshot was taken (its job completed).
    SnapshotTaken(String),
    /// The caller's change succeeded.
    ChangeSucceeded,
    /// The caller's change failed (the error's text).
    ChangeFailed(String),
    /// The VPS was rolled back to the snapshot.
    RolledBack(String),
    /// The rollback failed (the error's text).
    RollbackFailed(String),
    /// No rollback was asked for; the snapshot is kept and a rollback is offered.
    RollbackOffered(String),
}

impl std::fmt::Display for GuardStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuardStep::SnapshotTaken(name) => write!(f, "snapshot {name} taken"),
            GuardStep::ChangeSucceeded => write!(f, "change succeeded"),
            GuardStep::ChangeFailed(e) => write!(f, "change failed: {e}"),
            GuardStep::RolledBack(name) => write!(f, "rolled back to snapshot {name}"),
            GuardStep::RollbackFailed(e) => write!(f, "rollback failed: {e}"),
            GuardStep::RollbackOffered(name) => {
                write!(f, "not rolled back; snapshot {name} is kept for a rollback")
            }
        }
    }
}

/// A rollback the caller may still perform: the VPS and the snapshot taken before the change.
#[derive(Clone, Debug, PartialEq)]
pub struct RollbackOffer {
    /// The VPS.
    pub vps_id: String,
    /// The snapshot to roll back to.
    pub snapshot: String,
}

impl RollbackOffer {
    /// Rolls the VPS back to the snapshot and waits for the job.
    ///
    /// # Errors
    /// As [`RecoveryExt::restore_snapshot`] and [`RecoveryJob::wait`].
    ///
    /// [`RecoveryExt::restore_snapshot`]: crate::RecoveryExt::restore_snapshot
    /// [`RecoveryJob::wait`]: crate::RecoveryJob::wait
    #[must_use = "futures do nothing unless awaited"]
    pub async fn accept(&self, client: &Client, confirm: Destructive, wait: WaitOptions) -> Result<()> {
        snapshots::restore(client, &self.vps_id, &self.snapshot, &confirm).await?.wait(client, wait).await
    }
}

/// What became of a failed change's rollback.
#[derive(Debug)]
#[non_exhaustive]
pub enum Rollback {
    /// Not asked for: here is the offer.
    Offered(RollbackOffer),
    /// Done: the VPS is back at the snapshot.
    Done,
    /// Tried and failed: this error (the change's error is kept beside it).
    Failed(Error),
}

/// A change that failed, and what became of the rollback.
#[derive(Debug)]
#[non_exhaustive]
pub struct GuardFailure {
    /// The change's error.
    pub change: Error,
    /// The rollback.
    pub rollback: Rollback,
}

impl std::fmt::Display for GuardFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the change failed: {}", self.change)?;
        match &self.rollback {
            Rollback::Offered(o) => write!(f, "; not rolled back (snapshot {} is kept)", o.snapshot),
            Rollback::Done => write!(f, "; rolled back to the snapshot"),
            Rollback::Failed(e) => write!(f, "; the rollback failed too: {e}"),
        }
    }
}

impl std::error::Error for GuardFailure {}

/// The report of a guarded change: its steps, and the change's value or the failure.
#[derive(Debug)]
#[non_exhaustive]
pub struct GuardReport<T> {
    /// What happened, in order.
    pub steps: Vec<GuardStep>,
    /// The change's value, or its failure with the rollback's outcome.
    pub outcome: std::result::Result<T, GuardFailure>,
}

/// Snapshot, change, and roll back on failure, in one call.
///
/// ```no_run
/// use hostup::prelude::*;
/// use hostup::{Destructive, GuardedChange, ResourceChange};
/// # async fn run(client: hostup::Client) -> hostup::Result<()> {
/// let vps = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
/// let report = GuardedChange::new(vps, "before-bandwidth")
///     .roll_back_on_failure(Destructive::confirm(vps))
///     .run(&client, async {
///         let quote = client.preview_resources(vps, &ResourceChange::new().set("bandwidthGb", 4096)).await?;
///         quote.commit(&client, hostup::CommitOptions::default()).await
///     })
///     .await?;
/// for (n, step) in report.steps.iter().enumerate() {
///     println!("{}. {step}", n + 1);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct GuardedChange {
    vps_id: String,
    snapshot: String,
    description: Option<String>,
    rollback: Option<Destructive>,
    wait: WaitOptions,
}

impl GuardedChange {
    /// Guards a change of `vps_id` with a snapshot named `snapshot` (validated as any snapshot
    /// name). Without [`roll_back_on_failure`](Self::roll_back_on_failure), a failed change is
    /// not rolled back: the report offers the rollback instead.
    pub fn new(vps_id: impl Into<String>, snapshot: impl Into<String>) -> Self {
        let (vps_id, snapshot) = (vps_id.into(), snapshot.into());
        Self { vps_id, snapshot, description: None, rollback: None, wait: WaitOptions::default() }
    }

    /// The snapshot's description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Roll back to the snapshot when the change fails (it overwrites the VPS's disk).
    #[must_use]
    pub fn roll_back_on_failure(mut self, confirm: Destructive) -> Self {
        self.rollback = Some(confirm);
        self
    }

    /// How long to wait for the snapshot and the rollback (default [`WaitOptions::default`]).
    #[must_use]
    pub fn wait_options(mut self, wait: WaitOptions) -> Self {
        self.wait = wait;
        self
    }

    /// Takes the snapshot and waits for it, then runs `change` (a future is lazy: it starts only
    /// once the snapshot exists), then rolls back or offers to when it fails.
    ///
    /// # Errors
    /// Only before the change runs: the snapshot's refusal or failure (nothing was changed). A
    /// confirmation for another VPS is refused first. A failed change is not an `Err` here: it is
    /// [`GuardReport::outcome`].
    #[must_use = "futures do nothing unless awaited"]
    pub async fn run<T>(
        self,
        client: &Client,
        change: impl Future<Output = Result<T>>,
    ) -> Result<GuardReport<T>> {
        if let Some(confirm) = &self.rollback {
            confirm.check(&self.vps_id, "rolling back a guarded change")?;
        }
        let description = self.description.as_deref();
        let job = snapshots::take(client, &self.vps_id, &self.snapshot, description).await?;
        job.wait(client, self.wait.clone()).await?;
        let mut steps = vec![GuardStep::SnapshotTaken(self.snapshot.clone())];
        let change = match change.await {
            Ok(value) => {
                steps.push(GuardStep::ChangeSucceeded);
                return Ok(GuardReport { steps, outcome: Ok(value) });
            }
            Err(e) => e,
        };
        steps.push(GuardStep::ChangeFailed(change.to_string()));
        let offer = RollbackOffer { vps_id: self.vps_id.clone(), snapshot: self.snapshot.clone() };
        let rollback = match self.rollback {
            None => {
                steps.push(GuardStep::RollbackOffered(self.snapshot.clone()));
                Rollback::Offered(offer)
            }
            Some(confirm) => match offer.accept(client, confirm, self.wait.clone()).await {
                Ok(()) => {
                    steps.push(GuardStep::RolledBack(self.snapshot.clone()));
                    Rollback::Done
                }
                Err(e) => {
                    steps.push(GuardStep::RollbackFailed(e.to_string()));
                    Rollback::Failed(e)
                }
            },
        };
        Ok(GuardReport { steps, outcome: Err(GuardFailure { change, rollback }) })
    }
}
