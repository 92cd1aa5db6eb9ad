//! The snapshot, backup and job helpers on [`Client`], kept off its own namespace like
//! [`ClientExt`](crate::ClientExt).

use std::future::Future;

use crate::areas::backups::{self, BackupPlan};
use crate::areas::payg_restore::{self, PaygRestore};
use crate::areas::recovery::RecoveryJob;
use crate::areas::snapshots::{self, SnapshotScheduleChange};
use crate::types::{
    BackupScheduleResult, BackupSettingsResult, CancelJobRequest, CancelJobResult, CancelJobType,
    PaygRestoreRequest,
};
use crate::{Client, Destructive, Result};
#[allow(unused_imports)] // for the docs
use crate::{Error, WaitOptions};

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Client {}
}

/// Snapshots, backups, their schedules, restores and active jobs, with every pre-check the API
/// documents done before sending. `use hostup::prelude::*;` brings it into scope. Sealed.
///
/// Restores and deletes take a [`Destructive`] confirmation naming the VPS. Every mutation here
/// is a POST or DELETE: the client never sends one twice once it may have reached the server.
///
/// ```no_run
/// use hostup::prelude::*;
/// use hostup::{Destructive, WaitOptions};
/// # async fn run(client: hostup::Client) -> hostup::Result<()> {
/// let vps = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
/// client.take_snapshot(vps, "before-upgrade", Some("Before package upgrade")).await?
///     .wait(&client, WaitOptions::default()).await?;
/// // ... later, if the upgrade went wrong:
/// client.restore_snapshot(vps, "before-upgrade", Destructive::confirm(vps)).await?
///     .wait(&client, WaitOptions::default()).await?;
/// # Ok(()) }
/// ```
pub trait RecoveryExt: sealed::Sealed {
    /// Takes a snapshot named `name` (its id from then on). Checks first, sending nothing when
    /// one refuses: the name against the spec's rule ([`snapshot_name`](crate::snapshot_name)),
    /// then from the list `available`, a free slot of `limits.totalSnapshots` (slots are bought
    /// through the `snapshotSlots` option), `actions.canCreate`, and that the name is free.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for the name, [`Error::Blocked`] naming what refused and why,
    /// [`Error::InvalidRequest`] for a name in use.
    #[must_use = "futures do nothing unless awaited"]
    fn take_snapshot(
        &self,
        vps_id: &str,
        name: &str,
        description: Option<&str>,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send;

    /// Rolls `vps_id` back to the snapshot `name`, overwriting its disk, after checking
    /// `actions.canRestore` and that the snapshot is listed. A failed restore leaves the
    /// snapshot in place.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation naming another VPS or an unknown snapshot,
    /// [`Error::Blocked`] for a closed gate.
    #[must_use = "futures do nothing unless awaited"]
    fn restore_snapshot(
        &self,
        vps_id: &str,
        name: &str,
        confirm: Destructive,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send;

    /// Deletes the snapshot `name`, freeing its slot.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation naming another VPS or an unknown snapshot.
    #[must_use = "futures do nothing unless awaited"]
    fn delete_snapshot(
        &self,
        vps_id: &str,
        name: &str,
        confirm: Destructive,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send;

    /// Sets (creates or replaces) the snapshot schedule: every `hours`, floored and clamped into
    /// the spec's bounds exactly as the server does ([`SnapshotScheduleChange::note`] says so when
    /// it changed the value). Checks `available`, `limits.totalSnapshots` and `canEnable` first.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a non-finite interval, [`Error::Blocked`] naming what refused.
    #[must_use = "futures do nothing unless awaited"]
    fn set_snapshot_schedule(
        &self,
        vps_id: &str,
        hours: f64,
        enabled: bool,
    ) -> impl Future<Output = Result<SnapshotScheduleChange>> + Send;

    /// Queues a manual offsite backup after checking `actions.canCreateBackup`.
    ///
    /// # Errors
    /// [`Error::Blocked`] with the gate's reason and code.
    #[must_use = "futures do nothing unless awaited"]
    fn take_backup(
        &self,
        vps_id: &str,
        note: Option<&str>,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send;

    /// Restores `vps_id` in place from its own backup `backup_id`, replacing its disk, after
    /// checking `actions.canRestore` and that the backup is listed.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation naming another VPS or an unknown backup,
    /// [`Error::Blocked`] for a closed gate.
    #[must_use = "futures do nothing unless awaited"]
    fn restore_backup(
        &self,
        vps_id: &str,
        backup_id: &str,
        confirm: Destructive,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send;

    /// Restores a backup of another VPS of the account onto `target_vps_id`: **the target is
    /// stopped and its disk overwritten** (its own network configuration is applied again), so
    /// the confirmation names the target. Checks `canRestoreFromAnotherVps` on the target and
    /// that `restore-sources` lists the source and the backup.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when source and target are the same VPS, the source or backup is
    /// not offered, or the confirmation names another VPS; [`Error::Blocked`] for a closed gate.
    #[must_use = "futures do nothing unless awaited"]
    fn restore_backup_from_vps(
        &self,
        target_vps_id: &str,
        source_vps_id: &str,
        backup_id: &str,
        confirm: Destructive,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send;

    /// Restores a backup onto a **new, billed** PAYG Cloud VM; the source VPS is not modified.
    /// The API key needs `write:billing` besides `backup:vm`. Checked first, as a deployment is:
    /// `actions.canRestore` and that the backup is listed, the account's Cloud access
    /// (`canDeploy` of the deployment options, with its blockers), and that the new VM fits the
    /// PAYG quota (cores and memory from the request, else the source VPS; storage from the
    /// request, else at least the backup's size). Sent once: it has no idempotency key.
    ///
    /// # Errors
    /// [`Error::Blocked`] for a closed gate or PAYG access blockers, [`Error::QuotaExceeded`]
    /// naming the quota key to raise, [`Error::Unconfirmed`] when the answer never arrived (the
    /// VM may exist: look for it by name), the server's 403 (with
    /// [`Error::blocker_reasons`]) when the key lacks a scope or a blocker appears.
    #[must_use = "futures do nothing unless awaited"]
    fn restore_backup_to_payg(
        &self,
        vps_id: &str,
        backup_id: &str,
        request: PaygRestoreRequest,
    ) -> impl Future<Output = Result<PaygRestore>> + Send;

    /// Deletes one backup for good (answered synchronously).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation naming another VPS or an unknown backup.
    #[must_use = "futures do nothing unless awaited"]
    fn delete_backup(
        &self,
        vps_id: &str,
        backup_id: &str,
        confirm: Destructive,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Creates or replaces a backup schedule after checking `actions.canCreate`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a value out of the spec's bounds, [`Error::Blocked`].
    #[must_use = "futures do nothing unless awaited"]
    fn set_backup_schedule(
        &self,
        vps_id: &str,
        plan: &BackupPlan,
    ) -> impl Future<Output = Result<BackupScheduleResult>> + Send;

    /// Changes the backup retention (the settings PATCH): the most backups kept in all, whether
    /// the oldest is deleted to make room. At least one must be given.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when both are `None`, [`Error::InvalidOption`] out of bounds.
    #[must_use = "futures do nothing unless awaited"]
    fn set_backup_retention(
        &self,
        vps_id: &str,
        max_total_backups: Option<u64>,
        auto_delete_oldest: Option<bool>,
    ) -> impl Future<Output = Result<BackupSettingsResult>> + Send;

    /// Cancels the running job of this type. Nothing to cancel is an answer, not an error:
    /// `cancelled: false` with the server's reason.
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// use hostup::types::CancelJobType;
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let answer = client.cancel_job("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", CancelJobType::Backup).await?;
    /// if !answer.cancelled {
    ///     println!("nothing to cancel: {}", answer.reason.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    fn cancel_job(
        &self,
        vps_id: &str,
        job_type: CancelJobType,
    ) -> impl Future<Output = Result<CancelJobResult>> + Send;
}

impl RecoveryExt for Client {
    fn take_snapshot(
        &self,
        vps_id: &str,
        name: &str,
        description: Option<&str>,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send {
        snapshots::take(self, vps_id, name, description)
    }

    async fn restore_snapshot(&self, vps_id: &str, name: &str, confirm: Destructive) -> Result<RecoveryJob> {
        snapshots::restore(self, vps_id, name, &confirm).await
    }

    async fn delete_snapshot(&self, vps_id: &str, name: &str, confirm: Destructive) -> Result<RecoveryJob> {
        snapshots::delete(self, vps_id, name, &confirm).await
    }

    fn set_snapshot_schedule(
        &self,
        vps_id: &str,
        hours: f64,
        enabled: bool,
    ) -> impl Future<Output = Result<SnapshotScheduleChange>> + Send {
        snapshots::set_schedule(self, vps_id, hours, enabled)
    }

    fn take_backup(
        &self,
        vps_id: &str,
        note: Option<&str>,
    ) -> impl Future<Output = Result<RecoveryJob>> + Send {
        backups::take(self, vps_id, note)
    }

    async fn restore_backup(
        &self,
        vps_id: &str,
        backup_id: &str,
        confirm: Destructive,
    ) -> Result<RecoveryJob> {
        backups::restore(self, vps_id, backup_id, &confirm).await
    }

    async fn restore_backup_from_vps(
        &self,
        target_vps_id: &str,
        source_vps_id: &str,
        backup_id: &str,
        confirm: Destructive,
    ) -> Result<RecoveryJob> {
        backups::restore_from(self, target_vps_id, source_vps_id, backup_id, &confirm).await
    }

    fn restore_backup_to_payg(
        &self,
        vps_id: &str,
        backup_id: &str,
        request: PaygRestoreRequest,
    ) -> impl Future<Output = Result<PaygRestore>> + Send {
        payg_restore::restore_to_payg(self, vps_id, backup_id, request)
    }

    async fn delete_backup(&self, vps_id: &str, backup_id: &str, confirm: Destructive) -> Result<()> {
        backups::delete(self, vps_id, backup_id, &confirm).await
    }

    fn set_backup_schedule(
        &self,
        vps_id: &str,
        plan: &BackupPlan,
    ) -> impl Future<Output = Result<BackupScheduleResult>> + Send {
        backups::set_schedule(self, vps_id, plan)
    }

    fn set_backup_retention(
        &self,
        vps_id: &str,
        max_total_backups: Option<u64>,
        auto_delete_oldest: Option<bool>,
    ) -> impl Future<Output = Result<BackupSettingsResult>> + Send {
        backups::set_retention(self, vps_id, max_total_backups, auto_delete_oldest)
    }

    async fn cancel_job(&self, vps_id: &str, job_type: CancelJobType) -> Result<CancelJobResult> {
        let body = CancelJobRequest { job_type };
        Ok(self.cancel_vps_active_job().id(vps_id).body(body).send().await?.into_inner())
    }
}
