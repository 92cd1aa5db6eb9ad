//! `hostup vps snapshot|snapshot-schedule|backup|backup-schedule|jobs ...`: the recovery toolkit's
//! command line (clap only, like `args.rs`, which the xtask reads for the manual).

use clap::{Args, Subcommand, ValueEnum};

/// The recovery groups, flattened into `hostup vps`.
#[derive(Debug, Subcommand)]
pub enum Recovery {
    /// Snapshots: short-lived local rollback points (about 24 hours).
    #[command(subcommand)]
    Snapshot(Snapshot),
    /// The snapshot schedule (one per VPS, every 4 to 24 hours).
    #[command(subcommand)]
    SnapshotSchedule(SnapshotSchedule),
    /// Offsite backups and their restores.
    #[command(subcommand)]
    Backup(Backup),
    /// Backup schedules (daily, weekly, monthly) and retention.
    #[command(subcommand)]
    BackupSchedule(BackupSchedule),
    /// The backup and restore jobs in flight.
    #[command(subcommand)]
    Jobs(Jobs),
}

/// The VPS a recovery command acts on.
#[derive(Debug, Args)]
pub struct Vps {
    /// The VPS id (vps_...).
    pub id: String,
}

/// `--wait` and how long.
#[derive(Debug, Args)]
pub struct Wait {
    /// Wait until the job has finished, with progress on stderr.
    #[arg(long)]
    pub wait: bool,
    /// The longest wait, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 1800)]
    pub timeout: u64,
}

/// `hostup vps snapshot ...`
#[derive(Debug, Subcommand)]
pub enum Snapshot {
    /// List a VPS's snapshots; the quota and the gates go to stderr.
    List(Vps),
    /// Take a snapshot (checks availability, the slot quota and the `canCreate` gate first).
    Create {
        #[command(flatten)]
        vps: Vps,
        /// Its name: letters, digits, `_` and `-`, at most 40 characters.
        name: String,
        /// A description.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        #[command(flatten)]
        wait: Wait,
    },
    /// Put the VPS back to a snapshot: everything written since is lost (asks first).
    Restore {
        #[command(flatten)]
        vps: Vps,
        /// The snapshot's name.
        name: String,
        #[command(flatten)]
        wait: Wait,
    },
    /// Delete a snapshot (asks first).
    Delete {
        #[command(flatten)]
        vps: Vps,
        /// The snapshot's name.
        name: String,
        #[command(flatten)]
        wait: Wait,
    },
}

/// `hostup vps snapshot-schedule ...`
#[derive(Debug, Subcommand)]
pub enum SnapshotSchedule {
    /// Show the schedule, the quota and the `canEnable` gate.
    Show(Vps),
    /// Set the schedule; HostUp floors the interval and clamps it into 4 to 24 hours (said on stderr).
    Set {
        #[command(flatten)]
        vps: Vps,
        /// Hours between snapshots.
        #[arg(long, value_name = "HOURS")]
        every: f64,
        /// Store the schedule switched off.
        #[arg(long)]
        disabled: bool,
    },
    /// Delete the schedule (asks first).
    Delete(Vps),
}

/// `hostup vps backup ...`
#[derive(Debug, Subcommand)]
pub enum Backup {
    /// List a VPS's backups; the quota and the gates go to stderr.
    List(Vps),
    /// Take a backup (checks the `canCreateBackup` gate first).
    Create {
        #[command(flatten)]
        vps: Vps,
        /// A note kept with the backup.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        #[command(flatten)]
        wait: Wait,
    },
    /// Restore a backup onto this VPS (its disk is overwritten), from another VPS's backup
    /// (`--from-vps`: this VPS is stopped and overwritten), or onto a new PAYG Cloud VM (`--to-payg`,
    /// billed by the hour). Asks first.
    Restore(Restore),
    /// The account's VPSes whose backups can be restored onto this one (`restore --from-vps`).
    Sources(Vps),
    /// Delete a backup (asks first).
    Delete {
        #[command(flatten)]
        vps: Vps,
        /// The backup id (bkp_...).
        backup: String,
    },
}

/// `hostup vps backup restore ...`
#[derive(Debug, Args)]
pub struct Restore {
    /// The VPS restored onto (with `--to-payg`: the VPS the backup belongs to).
    pub id: String,
    /// The backup id (bkp_...).
    pub backup: String,
    /// The backup belongs to this other VPS of the account (see `backup sources`).
    #[arg(long, value_name = "VPS", conflicts_with = "to_payg")]
    pub from_vps: Option<String>,
    /// Restore onto a new PAYG Cloud VM instead (needs the `write:billing` scope).
    #[arg(long)]
    pub to_payg: bool,
    /// The new VM's name (with `--to-payg`).
    #[arg(long, value_name = "NAME", requires = "to_payg")]
    pub name: Option<String>,
    /// The new VM's region (with `--to-payg`).
    #[arg(long, value_name = "REGION", requires = "to_payg")]
    pub region: Option<String>,
    /// The new VM's vCPUs (with `--to-payg`).
    #[arg(long, value_name = "N", requires = "to_payg")]
    pub cpu_cores: Option<u64>,
    /// The new VM's memory in GB (with `--to-payg`).
    #[arg(long, value_name = "GB", requires = "to_payg")]
    pub memory_gb: Option<u64>,
    /// The new VM's storage in GB (with `--to-payg`).
    #[arg(long, value_name = "GB", requires = "to_payg")]
    pub storage_gb: Option<u64>,
    #[command(flatten)]
    pub wait: Wait,
}

/// `hostup vps backup-schedule ...`
#[derive(Debug, Subcommand)]
pub enum BackupSchedule {
    /// List the schedules; the backup settings go to stderr.
    List(Vps),
    /// Create or replace the schedule of one frequency.
    Set {
        #[command(flatten)]
        vps: Vps,
        /// How often.
        #[arg(long, value_enum)]
        frequency: Frequency,
        /// The day of a weekly schedule, 0 (Sunday) to 6.
        #[arg(long, value_name = "DAY", required_if_eq("frequency", "weekly"))]
        day_of_week: Option<u64>,
        /// The day of a monthly schedule, 1 to 28.
        #[arg(long, value_name = "DAY", required_if_eq("frequency", "monthly"))]
        day_of_month: Option<u64>,
        /// The hour of the day, 0 to 23.
        #[arg(long, value_name = "HOUR")]
        hour: u64,
        /// How many of this schedule's backups to keep.
        #[arg(long, value_name = "N")]
        keep: u64,
        /// A name for the schedule.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Store the schedule switched off.
        #[arg(long)]
        disabled: bool,
    },
    /// Delete a schedule (asks first).
    Delete {
        #[command(flatten)]
        vps: Vps,
        /// The schedule id.
        schedule: String,
    },
    /// Set the retention: the most backups kept in all, and whether the oldest goes first.
    Retention {
        #[command(flatten)]
        vps: Vps,
        /// The most backups kept in all.
        #[arg(long, value_name = "N")]
        max_total: Option<u64>,
        /// Delete the oldest backup when a new one would exceed the limit.
        #[arg(long, value_name = "BOOL")]
        auto_delete_oldest: Option<bool>,
    },
}

/// A backup schedule's frequency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Frequency {
    /// Every day.
    Daily,
    /// Every week (with --day-of-week).
    Weekly,
    /// Every month (with --day-of-month).
    Monthly,
}

/// `hostup vps jobs ...`
#[derive(Debug, Subcommand)]
pub enum Jobs {
    /// List the backup and restore jobs in flight.
    List(Vps),
    /// Cancel the active job of a type (asks first); "nothing to cancel" is an answer, not an error.
    Cancel {
        #[command(flatten)]
        vps: Vps,
        /// Which job: a `jobType` of the API's cancel request (`backup`, `restore`).
        #[arg(long = "type", value_name = "TYPE")]
        job_type: String,
    },
}
