//! What the snapshot and backup helpers share: the typed confirmation that a call destroys data,
//! and the accepted job (a snapshot, backup or restore) with its wait.

use crate::areas::jobs::follow;
use crate::types::Operation;
use crate::{Client, Error, Result, WaitOptions};

/// The caller's explicit word that a call may destroy data on one VPS: a restore overwrites its
/// disk, a delete removes a snapshot or backup for good. There is no default and no `bool`: the
/// confirmation names the VPS, and a helper refuses one made out for another VPS.
///
/// ```
/// use hostup::Destructive;
/// let yes = Destructive::confirm("vps_01hxa3b4c5d6e7f8g9h0j1k2m3");
/// assert_eq!(yes.vps_id(), "vps_01hxa3b4c5d6e7f8g9h0j1k2m3");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destructive {
    vps_id: String,
}

impl Destructive {
    /// "I know this may overwrite or delete data on `vps_id`."
    pub fn confirm(vps_id: impl Into<String>) -> Self {
        Self { vps_id: vps_id.into() }
    }

    /// The VPS the confirmation is for.
    pub fn vps_id(&self) -> &str {
        &self.vps_id
    }

    /// `Ok` when the confirmation names `vps_id`; nothing is sent otherwise.
    pub(crate) fn check(&self, vps_id: &str, what: &str) -> Result<()> {
        if self.vps_id == vps_id {
            return Ok(());
        }
        Err(Error::InvalidRequest(format!(
            "{what} destroys data on {vps_id}, but the confirmation names {}",
            self.vps_id
        )))
    }
}

/// What an accepted job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobKind {
    /// A snapshot is being taken.
    Snapshot,
    /// A snapshot is being deleted.
    SnapshotDelete,
    /// The VPS is being rolled back to a snapshot.
    SnapshotRestore,
    /// An offsite backup is being made.
    Backup,
    /// The VPS is being restored from a backup (its own or another VPS's).
    BackupRestore,
    /// A backup is being restored onto a new PAYG Cloud VM.
    PaygRestore,
}

impl std::fmt::Display for JobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JobKind::Snapshot => "snapshot",
            JobKind::SnapshotDelete => "snapshot delete",
            JobKind::SnapshotRestore => "snapshot restore",
            JobKind::Backup => "backup",
            JobKind::BackupRestore => "backup restore",
            JobKind::PaygRestore => "restore to a new Cloud VM",
        })
    }
}

/// A snapshot, backup or restore the server accepted (202), ready to be waited for with
/// [`RecoveryJob::wait`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RecoveryJob {
    /// The VPS the job runs on.
    pub vps_id: String,
    /// What the job does.
    pub kind: JobKind,
    /// The snapshot name or backup id it concerns.
    pub target: String,
    /// The operation the server returned; `None` when it returned none (nothing to follow).
    pub operation: Option<Operation>,
}

impl RecoveryJob {
    pub(crate) fn new(vps_id: &str, kind: JobKind, target: &str, operation: Option<Operation>) -> Self {
        Self { vps_id: vps_id.to_string(), kind, target: target.to_string(), operation }
    }

    /// Polls the job (`GET /api/jobs/{jobId}`, with backoff) until it is `completed`.
    ///
    /// Polls are GETs, so a failed poll may be retried; the job itself is never sent again. Ends
    /// at once when the server returned no operation (there is nothing to follow).
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let job = client.take_snapshot("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", "before-upgrade", None).await?;
    /// job.wait(&client, hostup::WaitOptions::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::OperationFailed`] with the job's detail when it fails, [`Error::WaitTimeout`] with
    /// the last status when `max_wait` passes, [`Error::InvalidRequest`] when `pollUrl` points at
    /// another host, and the poll's own error (a 404 when the job is unknown).
    #[must_use = "futures do nothing unless awaited"]
    pub async fn wait(&self, client: &Client, options: WaitOptions) -> Result<()> {
        match &self.operation {
            Some(operation) => follow(client, operation, &self.kind.to_string(), &options).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_is_for_one_vps() {
        let yes = Destructive::confirm("vps_a");
        assert!(yes.check("vps_a", "restore").is_ok());
        let err = yes.check("vps_b", "restore").unwrap_err();
        assert!(err.to_string().contains("vps_b") && err.to_string().contains("vps_a"), "{err}");
    }
}
