//! Offsite backups: create, delete and the restores in place and from another VPS of the account
//! (onto a new PAYG Cloud VM: `payg_restore`), each checking the list's gates first; backup
//! schedules whose day field always matches their frequency; retention through the settings PATCH.

use std::num::NonZeroU64;

use crate::areas::recovery::{JobKind, RecoveryJob};
use crate::gates::{BackupGate, BackupScheduleGate};
use crate::types::{
    BackupCreateRequest, BackupFrequency, BackupList, BackupScheduleRequest, BackupScheduleResult,
    BackupSettingsRequest, BackupSettingsResult, CrossVpsRestoreRequest,
};
use crate::{Client, Destructive, Error, Result};

impl BackupList {
    /// `Ok` when `actions.canCreateBackup` is open.
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/listVpsBackups.200.json"));
    /// let list: hostup::types::BackupList = serde_json::from_str(json).unwrap();
    /// assert!(list.ensure_can_create().is_ok());
    /// ```
    ///
    /// # Errors
    /// [`Error::Blocked`] with the gate's reason and code.
    pub fn ensure_can_create(&self) -> Result<()> {
        self.actions.as_ref().map_or(Ok(()), |a| BackupGate::CreateBackup.check(a))
    }

    /// `Ok` when `backup_id` is listed and `actions.canRestore` is open.
    ///
    /// # Errors
    /// [`Error::Blocked`] for a closed gate, [`Error::InvalidRequest`] for an unknown backup.
    pub fn ensure_can_restore(&self, backup_id: &str) -> Result<()> {
        if let Some(actions) = &self.actions {
            BackupGate::Restore.check(actions)?;
        }
        self.ensure_listed(backup_id)
    }

    fn ensure_listed(&self, backup_id: &str) -> Result<()> {
        if self.backups.iter().any(|b| b.id == backup_id) {
            return Ok(());
        }
        let ids: Vec<&str> = self.backups.iter().map(|b| b.id.as_str()).collect();
        Err(Error::InvalidRequest(format!("no backup {backup_id:?} on this VPS (listed: {ids:?})")))
    }
}

pub(crate) async fn list(client: &Client, vps_id: &str) -> Result<BackupList> {
    Ok(client.list_vps_backups().id(vps_id).send().await?.into_inner())
}

pub(crate) async fn take(client: &Client, vps_id: &str, note: Option<&str>) -> Result<RecoveryJob> {
    list(client, vps_id).await?.ensure_can_create()?;
    let request = client.create_vps_backup().id(vps_id);
    let accepted = match note {
        Some(note) => request.body(BackupCreateRequest { note: Some(note.to_string()) }).send().await?,
        None => request.send().await?,
    };
    Ok(RecoveryJob::new(vps_id, JobKind::Backup, "", accepted.into_inner().operation))
}

pub(crate) async fn restore(
    client: &Client,
    vps_id: &str,
    backup_id: &str,
    confirm: &Destructive,
) -> Result<RecoveryJob> {
    confirm.check(vps_id, "a backup restore")?;
    list(client, vps_id).await?.ensure_can_restore(backup_id)?;
    let accepted = client.restore_vps_backup().id(vps_id).backup_id(backup_id).send().await?;
    Ok(RecoveryJob::new(vps_id, JobKind::BackupRestore, backup_id, accepted.into_inner().operation))
}

pub(crate) async fn restore_from(
    client: &Client,
    target_vps_id: &str,
    source_vps_id: &str,
    backup_id: &str,
    confirm: &Destructive,
) -> Result<RecoveryJob> {
    confirm.check(target_vps_id, "a cross-VPS restore (the target is stopped and overwritten)")?;
    if source_vps_id == target_vps_id {
        return Err(Error::InvalidRequest(format!(
            "the source and the target are both {target_vps_id}; restore a VPS's own backup in place instead"
        )));
    }
    let target = list(client, target_vps_id).await?;
    if let Some(actions) = &target.actions {
        BackupGate::RestoreFromAnotherVps.check(actions)?;
    }
    let sources = client.list_vps_restore_sources().id(target_vps_id).send().await?.into_inner();
    let source = sources.sources.iter().find(|s| s.id == source_vps_id).ok_or_else(|| {
        Error::InvalidRequest(format!("{source_vps_id} is not a restore source of {target_vps_id}"))
    })?;
    if !source.backups.iter().any(|b| b.id == backup_id) {
        return Err(Error::InvalidRequest(format!("{source_vps_id} has no restorable backup {backup_id:?}")));
    }
    let body = CrossVpsRestoreRequest { source_vps_id: source_vps_id.into(), backup_id: backup_id.into() };
    let accepted = client.restore_vps_from_other_vps().id(target_vps_id).body(body).send().await?;
    Ok(RecoveryJob::new(target_vps_id, JobKind::BackupRestore, backup_id, accepted.into_inner().operation))
}

pub(crate) async fn delete(
    client: &Client,
    vps_id: &str,
    backup_id: &str,
    confirm: &Destructive,
) -> Result<()> {
    confirm.check(vps_id, "deleting a backup")?;
    list(client, vps_id).await?.ensure_listed(backup_id)?;
    client.delete_vps_backup().id(vps_id).backup_id(backup_id).send().await?;
    Ok(())
}

/// When a scheduled backup runs; each frequency carries exactly the day field it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackupCadence {
    /// Every day.
    Daily,
    /// Every week on this day (0 is Sunday, as in the API).
    Weekly {
        /// 0 (Sunday) to 6.
        day_of_week: u64,
    },
    /// Every month on this day.
    Monthly {
        /// 1 to 31.
        day_of_month: u64,
    },
}

/// A backup schedule to set with [`RecoveryExt::set_backup_schedule`].
///
/// ```
/// use hostup::{BackupCadence, BackupPlan};
/// let plan = BackupPlan::new(BackupCadence::Weekly { day_of_week: 0 }, 2, 4).named("Sunday night");
/// let body = plan.request().unwrap();
/// assert_eq!(body.day_of_week, Some(0));
/// assert_eq!(body.day_of_month, None);
/// assert!(BackupPlan::new(BackupCadence::Daily, 24, 1).request().is_err()); // hour 0 to 23
/// ```
///
/// [`RecoveryExt::set_backup_schedule`]: crate::RecoveryExt::set_backup_schedule
#[derive(Clone, Debug, PartialEq)]
pub struct BackupPlan {
    cadence: BackupCadence,
    hour: u64,
    retention_count: u64,
    enabled: bool,
    name: Option<String>,
}

impl BackupPlan {
    /// Runs at `hour` (server time) on the cadence, keeping `retention_count` backups; enabled.
    pub fn new(cadence: BackupCadence, hour: u64, retention_count: u64) -> Self {
        Self { cadence, hour, retention_count, enabled: true, name: None }
    }

    /// A name for the schedule.
    #[must_use]
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Saved but switched off.
    #[must_use]
    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }

    /// The request body, with every value checked against the spec's bounds.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the field and its bounds.
    pub fn request(&self) -> Result<BackupScheduleRequest> {
        use crate::limits::*;
        let check = |key: &str, value: u64, min: u64, max: Option<u64>| {
            let ok = value >= min && max.is_none_or(|max| value <= max);
            let bounds = max.map_or(format!("at least {min}"), |max| format!("{min} to {max}"));
            if ok {
                Ok(())
            } else {
                Err(Error::InvalidOption { key: key.into(), reason: format!("{value} is not {bounds}") })
            }
        };
        check("hour", self.hour, BACKUP_SCHEDULE_REQUEST_HOUR_MIN, Some(BACKUP_SCHEDULE_REQUEST_HOUR_MAX))?;
        check("retentionCount", self.retention_count, BACKUP_SCHEDULE_REQUEST_RETENTION_COUNT_MIN, None)?;
        let (frequency, day_of_week, day_of_month) = match self.cadence {
            BackupCadence::Daily => (BackupFrequency::Daily, None, None),
            BackupCadence::Weekly { day_of_week } => {
                let (min, max) =
                    (BACKUP_SCHEDULE_REQUEST_DAY_OF_WEEK_MIN, BACKUP_SCHEDULE_REQUEST_DAY_OF_WEEK_MAX);
                check("dayOfWeek", day_of_week, min, Some(max))?;
                (BackupFrequency::Weekly, Some(day_of_week), None)
            }
            BackupCadence::Monthly { day_of_month } => {
                let (min, max) =
                    (BACKUP_SCHEDULE_REQUEST_DAY_OF_MONTH_MIN, BACKUP_SCHEDULE_REQUEST_DAY_OF_MONTH_MAX);
                check("dayOfMonth", day_of_month, min, Some(max))?;
                (BackupFrequency::Monthly, None, Some(day_of_month))
            }
        };
        // In bounds now, so the conversions to the generated field types cannot fail.
        let nonzero = |key: &str, v: u64| {
            NonZeroU64::new(v)
                .ok_or_else(|| Error::InvalidOption { key: key.into(), reason: "0 is not allowed".into() })
        };
        let small = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Ok(BackupScheduleRequest {
            frequency,
            hour: small(self.hour),
            day_of_week: day_of_week.map(small),
            day_of_month: day_of_month.map(|d| nonzero("dayOfMonth", d)).transpose()?,
            retention_count: nonzero("retentionCount", self.retention_count)?,
            enabled: self.enabled,
            name: self.name.clone(),
        })
    }
}

pub(crate) async fn set_schedule(
    client: &Client,
    vps_id: &str,
    plan: &BackupPlan,
) -> Result<BackupScheduleResult> {
    let body = plan.request()?;
    let current = client.list_vps_backup_schedules().id(vps_id).send().await?.into_inner();
    if let Some(actions) = &current.actions {
        BackupScheduleGate::Create.check(actions)?;
    }
    Ok(client.set_vps_backup_schedule().id(vps_id).body(body).send().await?.into_inner())
}

pub(crate) async fn set_retention(
    client: &Client,
    vps_id: &str,
    max_total_backups: Option<u64>,
    auto_delete_oldest: Option<bool>,
) -> Result<BackupSettingsResult> {
    use crate::limits::BACKUP_SETTINGS_REQUEST_MAX_TOTAL_BACKUPS_MIN as MIN;
    if max_total_backups.is_none() && auto_delete_oldest.is_none() {
        return Err(Error::InvalidRequest(
            "backup settings: give maxTotalBackups, autoDeleteOldest or both".into(),
        ));
    }
    if let Some(max) = max_total_backups.filter(|m| *m < MIN) {
        return Err(Error::InvalidOption {
            key: "maxTotalBackups".into(),
            reason: format!("{max} is not at least {MIN}"),
        });
    }
    let max_total_backups = max_total_backups.and_then(NonZeroU64::new);
    let body = BackupSettingsRequest { max_total_backups, auto_delete_oldest };
    Ok(client.update_vps_backup_settings().id(vps_id).body(body).send().await?.into_inner())
}
