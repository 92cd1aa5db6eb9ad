//! Snapshot and backup state: what each VPS holds, its schedules and retention settings, and the
//! jobs that take, restore and delete them. Like power jobs, they finish lazily: [`settle`] applies
//! every job whose time has come whenever the state is read. A snapshot or backup keeps the disk
//! side of the VPS (CPU, memory, OS, hostname, SSH keys); a restore puts it back.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::model::Vps;
use hostup::types::PowerState;

/// How long the platform keeps a snapshot (the docs: about 24 hours).
pub(crate) const SNAPSHOT_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The disk side of a VPS, as a snapshot or backup keeps it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Disk {
    pub cpu: u32,
    pub memory_gb: u32,
    pub storage_gb: u32,
    pub os: (&'static str, &'static str, &'static str),
    pub hostname: String,
    pub ssh_keys: Vec<String>,
}

impl Disk {
    pub fn of(vps: &Vps) -> Self {
        Disk {
            cpu: vps.cpu,
            memory_gb: vps.memory_gb,
            storage_gb: vps.storage_gb,
            os: vps.os,
            hostname: vps.hostname.clone(),
            ssh_keys: vps.ssh_keys.clone(),
        }
    }

    /// Puts the disk back. `disk_only` (a restore onto another VM: cross-VPS or a new PAYG VM)
    /// replaces the OS and keys but keeps the VM's own size and network configuration; an
    /// in-place restore also puts back the VM's configuration (CPU, memory, hostname).
    pub fn restore_onto(&self, vps: &mut Vps, disk_only: bool) {
        (vps.os, vps.ssh_keys) = (self.os, self.ssh_keys.clone());
        if !disk_only {
            (vps.cpu, vps.memory_gb, vps.hostname) = (self.cpu, self.memory_gb, self.hostname.clone());
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub name: String,
    pub description: Option<String>,
    /// On the sandbox's (skewable) clock.
    pub created: SystemTime,
    pub disk: Disk,
    /// False while its creation job runs.
    pub ready: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Backup {
    pub id: String,
    pub created: SystemTime,
    pub size_gb: f64,
    pub scheduled: bool,
    pub note: Option<String>,
    pub disk: Disk,
    pub ready: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BackupSchedule {
    pub id: String,
    pub name: Option<String>,
    pub frequency: String,
    pub hour: i64,
    pub day: Option<u64>,
    pub retention: u64,
    pub enabled: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Settings {
    pub max_total: Option<u64>,
    pub auto_delete_oldest: bool,
}

/// What a recovery job does when it completes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Work {
    TakeSnapshot(String),
    DeleteSnapshot(String),
    RestoreSnapshot(String),
    TakeBackup(String),
    /// Restore `backup` of `source` onto the job's VPS; `boot` starts it when done.
    RestoreBackup {
        source: String,
        backup: String,
        boot: bool,
    },
}

impl Work {
    /// The `jobType` of active jobs: backups and restores can be cancelled.
    pub fn job_type(&self) -> &'static str {
        match self {
            Work::TakeBackup(_) => "backup",
            Work::RestoreBackup { .. } | Work::RestoreSnapshot(_) => "restore",
            Work::TakeSnapshot(_) | Work::DeleteSnapshot(_) => "snapshot",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub id: String,
    pub vps_id: String,
    pub work: Work,
    pub created: Instant,
    pub created_wall: SystemTime,
    pub done_at: Instant,
    /// Set when the job was cancelled: it ends at once, failed.
    pub failure: Option<String>,
    /// Set when the job will end failed at `done_at` (the failing-jobs fault).
    pub fails_with: Option<String>,
    pub applied: bool,
}

impl Job {
    pub fn done(&self, now: Instant) -> bool {
        now >= self.done_at || self.failure.is_some()
    }

    /// Why the job failed, once it has.
    pub fn failed(&self, now: Instant) -> Option<&str> {
        self.failure.as_deref().or(self.fails_with.as_deref().filter(|_| now >= self.done_at))
    }
}

/// Every VPS's snapshots, backups and schedules, and the jobs that change them.
#[derive(Debug, Default)]
pub(crate) struct Recovery {
    pub snapshots: HashMap<String, Vec<Snapshot>>,
    pub snapshot_schedules: HashMap<String, (bool, f64)>,
    pub backups: HashMap<String, Vec<Backup>>,
    pub backup_schedules: HashMap<String, Vec<BackupSchedule>>,
    pub settings: HashMap<String, Settings>,
    pub jobs: BTreeMap<String, Job>,
    /// Backups of VPSes that no longer exist, by the terminated VPS's id and name.
    pub retained: Vec<(String, String, Backup)>,
}

impl Recovery {
    /// The job running on a VPS, if any.
    pub fn running(&self, vps_id: &str, now: Instant) -> Option<&Job> {
        self.jobs.values().find(|j| j.vps_id == vps_id && !j.done(now))
    }

    /// Snapshots of a VPS that have not expired by `wall` (the sandbox's clock).
    pub fn live_snapshots(&self, vps_id: &str, wall: SystemTime) -> Vec<&Snapshot> {
        let all = self.snapshots.get(vps_id).into_iter().flatten();
        all.filter(|s| s.created + SNAPSHOT_LIFETIME > wall).collect()
    }

    /// A backup of `vps_id`, or a retained one of a terminated VPS.
    pub fn backup(&self, vps_id: &str, backup_id: &str) -> Option<&Backup> {
        let own = self.backups.get(vps_id).into_iter().flatten().find(|b| b.id == backup_id && b.ready);
        own.or_else(|| {
            self.retained.iter().find(|(v, _, b)| v == vps_id && b.id == backup_id).map(|(_, _, b)| b)
        })
    }
}

/// Applies the recovery jobs that finished by `now` to the fleet.
pub(crate) fn settle(recovery: &mut Recovery, fleet: &mut [Vps], now: Instant) {
    let finished: Vec<Job> = recovery.jobs.values().filter(|j| !j.applied && j.done(now)).cloned().collect();
    for job in finished {
        if let Some(stored) = recovery.jobs.get_mut(&job.id) {
            stored.applied = true;
        }
        let failed = job.failed(now).is_some();
        match &job.work {
            Work::TakeSnapshot(name) => {
                let list = recovery.snapshots.entry(job.vps_id.clone()).or_default();
                if failed {
                    list.retain(|s| &s.name != name);
                } else if let Some(s) = list.iter_mut().find(|s| &s.name == name) {
                    s.ready = true;
                }
            }
            Work::DeleteSnapshot(name) if !failed => {
                recovery.snapshots.entry(job.vps_id.clone()).or_default().retain(|s| &s.name != name);
            }
            Work::TakeBackup(id) => {
                let list = recovery.backups.entry(job.vps_id.clone()).or_default();
                if failed {
                    list.retain(|b| &b.id != id);
                } else if let Some(b) = list.iter_mut().find(|b| &b.id == id) {
                    b.ready = true;
                }
            }
            Work::RestoreSnapshot(name) => {
                let disk =
                    recovery.snapshots.get(&job.vps_id).into_iter().flatten().find(|s| &s.name == name);
                if let (Some(disk), Some(vps), false) =
                    (disk, fleet.iter_mut().find(|v| v.id == job.vps_id), failed)
                {
                    disk.disk.restore_onto(vps, false);
                    vps.booted_at = Some(SystemTime::now());
                }
            }
            Work::RestoreBackup { source, backup, boot } => {
                let disk = recovery.backup(source, backup).map(|b| b.disk.clone());
                let cross = source != &job.vps_id;
                if let Some(vps) = fleet.iter_mut().find(|v| v.id == job.vps_id) {
                    if let (Some(disk), false) = (disk, failed) {
                        disk.restore_onto(vps, cross);
                    }
                    // A cross-VPS restore stopped the target and leaves it stopped.
                    if *boot {
                        vps.power = PowerState::Running;
                        vps.booted_at = Some(SystemTime::now());
                    }
                }
            }
            Work::DeleteSnapshot(_) => {}
        }
    }
}

/// The id of a terminated VPS whose backup is retained, offered as a restore source.
pub(crate) const RETIRED: &str = "vps_01jsbxretiredweb0000000009";

/// The starting state: one backup of the annual VPS (the one with backup slots), and a retained
/// backup of a terminated VPS.
pub(crate) fn seed(fleet: &[Vps]) -> Recovery {
    let mut recovery = Recovery::default();
    let day_ago = SystemTime::now() - Duration::from_secs(86_400);
    let Some(annual) = fleet.iter().find(|v| v.id == crate::fleet::ANNUAL_SEK) else { return recovery };
    let backup = |id: &str, disk: Disk| Backup {
        id: id.into(),
        created: day_ago,
        size_gb: f64::from(disk.storage_gb) * 0.3,
        scheduled: true,
        note: None,
        disk,
        ready: true,
    };
    recovery
        .backups
        .insert(annual.id.clone(), vec![backup("bkp_01jsbxannualnightly0000001", Disk::of(annual))]);
    let mut retired = Disk::of(annual);
    (retired.hostname, retired.os) = ("old-web-01.example.com".into(), ("Ubuntu 22.04", "ubuntu", "22.04"));
    recovery.retained.push((
        RETIRED.into(),
        "old-web-01".into(),
        backup("bkp_01jsbxretiredweb00000001", retired),
    ));
    recovery
}
