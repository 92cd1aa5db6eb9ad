//! What the disk, ISO and firewall helpers share: the answer to a device change that the server
//! may finish at once (200) or queue (202 with an operation to follow), and the refusals.

use crate::areas::jobs::follow;
use crate::error::ActionBlocked;
use crate::types::Operation;
use crate::{Client, Error, Result, WaitOptions};

/// What a device change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceWork {
    /// A new empty disk is being attached.
    AddDisk,
    /// A disk is being grown.
    ResizeDisk,
    /// An ISO is being put into a CD/DVD drive.
    MountIso,
    /// An empty CD/DVD drive is being attached.
    AttachDrive,
    /// An ISO is being downloaded into the library.
    FetchIso,
}

impl std::fmt::Display for DeviceWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DeviceWork::AddDisk => "disk add",
            DeviceWork::ResizeDisk => "disk resize",
            DeviceWork::MountIso => "ISO mount",
            DeviceWork::AttachDrive => "empty drive attach",
            DeviceWork::FetchIso => "ISO download",
        })
    }
}

/// A disk or ISO change the server accepted: finished already, or queued with an operation to
/// follow with [`DeviceChange::wait`]. The request is never sent again.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DeviceChange {
    /// The VPS.
    pub vps_id: String,
    /// What was asked for.
    pub work: DeviceWork,
    /// The HTTP status of the answer (200 done, 202 queued).
    pub status: u16,
    /// The operation to follow; `None` when the answer carried none (the change is done).
    pub operation: Option<Operation>,
    /// The server's answer as sent (its shape is not documented).
    pub answer: serde_json::Value,
}

impl DeviceChange {
    pub(crate) fn new<T: serde::Serialize>(
        vps_id: &str,
        work: DeviceWork,
        status: u16,
        operation: Option<Operation>,
        answer: &T,
    ) -> Self {
        let answer = serde_json::to_value(answer).unwrap_or_default();
        Self { vps_id: vps_id.to_string(), work, status, operation, answer }
    }

    /// True when nothing is left to wait for: no operation, or one already `completed`.
    pub fn is_finished(&self) -> bool {
        self.operation.as_ref().is_none_or(|op| op.status == crate::types::OperationStatus::Completed)
    }

    /// Follows the operation (`GET /api/jobs/{jobId}` with backoff) until it is `completed`;
    /// returns at once when the change is already finished.
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let change = client.add_disk("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", 20, None).await?;
    /// change.wait(&client, hostup::WaitOptions::default()).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::OperationFailed`], [`Error::WaitTimeout`] with the last status, the poll's own error.
    pub async fn wait(&self, client: &Client, options: WaitOptions) -> Result<()> {
        match &self.operation {
            Some(operation) => follow(client, operation, &self.work.to_string(), &options).await,
            None => Ok(()),
        }
    }
}

impl crate::ApiError {
    /// A gate the server sent at the top level of a refusal, by name: `canAddDisk` on the 403
    /// `cloud_storage_limit_exceeded` of a PAYG add-disk (request a higher `storageGb` limit).
    pub fn refused_gate(&self, name: &str) -> Option<crate::types::ActionGate> {
        serde_json::from_value(self.problem.actions.get(name)?.clone()).ok()
    }
}

/// A refusal before sending: `what` (a gate, a quota field) said no, and why.
pub(crate) fn refused(what: &str, reason: String, code: Option<&str>) -> Error {
    Error::Blocked(Box::new(ActionBlocked {
        action: what.to_string(),
        reason: Some(reason),
        code: code.map(str::to_string),
        blockers: Vec::new(),
    }))
}

/// A value that breaks a documented rule, named by its field.
pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::InvalidOption { key: field.to_string(), reason: reason.into() }
}

/// `Ok` when `value` fits the spec's `min..=max` for `field`.
pub(crate) fn within(field: &str, value: u64, min: u64, max: u64) -> Result<()> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(invalid(field, format!("{value} GB is outside {min} to {max} GB (a whole number of GB)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked_against_the_bounds() {
        assert!(within("sizeGb", 1, 1, 1000).is_ok() && within("sizeGb", 1000, 1, 1000).is_ok());
        let err = within("sizeGb", 1001, 1, 1000).unwrap_err();
        assert!(err.to_string().contains("sizeGb") && err.to_string().contains("1 to 1000"), "{err}");
        assert!(within("sizeGb", 0, 1, 1000).is_err());
    }

    #[test]
    fn a_change_without_operation_is_finished() {
        let done = DeviceChange::new("v", DeviceWork::AddDisk, 200, None, &serde_json::json!({}));
        assert!(done.is_finished());
        let op: Operation = serde_json::from_value(
            serde_json::json!({"status": "queued", "jobId": "j", "pollUrl": "/api/jobs/j"}),
        )
        .unwrap();
        let queued = DeviceChange::new("v", DeviceWork::AddDisk, 202, Some(op), &serde_json::json!({}));
        assert!(!queued.is_finished());
    }
}
