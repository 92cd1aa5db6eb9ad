//! `hostup vps firewall|disk|iso ID ...`: the command line of the firewall, disk and ISO
//! commands. Like its parent, it depends on clap only (`cargo xtask man` reads it too).

use clap::{Args, Subcommand, ValueEnum};

/// The firewall, disk and ISO command groups, flattened into `hostup vps`.
#[derive(Debug, Subcommand)]
pub enum Devices {
    /// The inbound firewall of a VPS: rules by position, the switch and the default policy.
    Firewall {
        /// The VPS id (vps_...).
        id: String,
        /// What to do.
        #[command(subcommand)]
        action: FirewallCommand,
    },
    /// The disks of a VPS and the storage quota they draw on.
    Disk {
        /// The VPS id (vps_...).
        id: String,
        /// What to do.
        #[command(subcommand)]
        action: DiskCommand,
    },
    /// ISO media: the library, the CD/DVD drives, downloads from a URL.
    Iso {
        /// The VPS id (vps_...).
        id: String,
        /// What to do.
        #[command(subcommand)]
        action: IsoCommand,
    },
}

/// `hostup vps firewall ID ...`
#[derive(Debug, Subcommand)]
pub enum FirewallCommand {
    /// Show the firewall: on or off, the policy, the limits and every rule with its position.
    List,
    /// Add an inbound rule (the position is read back from the list).
    Add(RuleArgs),
    /// Replace the inbound rule at POS with a complete new rule.
    Replace {
        /// The rule's position (from `firewall ID list`).
        pos: u64,
        #[command(flatten)]
        rule: RuleArgs,
    },
    /// Delete the inbound rule at POS (the rules after it move up): asks first.
    Delete {
        /// The rule's position (from `firewall ID list`).
        pos: u64,
    },
    /// Show or change the firewall switch and the default inbound policy. An enabled DROP or
    /// REJECT policy without an enabled allow rule locks everyone out: it asks first.
    Options {
        /// Switch the firewall on.
        #[arg(long, conflicts_with = "disable")]
        enable: bool,
        /// Switch the firewall off.
        #[arg(long)]
        disable: bool,
        /// The default inbound policy.
        #[arg(long, value_enum)]
        policy: Option<Policy>,
    },
}

/// What a rule or the policy does with matching traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Policy {
    /// Let it in.
    Accept,
    /// Drop it silently.
    Drop,
    /// Refuse it.
    Reject,
}

/// One inbound rule.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// What the rule does.
    #[arg(long, value_enum, default_value = "accept")]
    pub action: Policy,
    /// The protocol (tcp, udp, icmp).
    #[arg(long)]
    pub proto: Option<String>,
    /// The destination port or range (22, 8000:8080).
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,
    /// The source address or network.
    #[arg(long)]
    pub source: Option<String>,
    /// A note shown in the list.
    #[arg(long)]
    pub description: Option<String>,
    /// Stage the rule switched off.
    #[arg(long)]
    pub disabled: bool,
}

/// `hostup vps disk ID ...`
#[derive(Debug, Subcommand)]
pub enum DiskCommand {
    /// List the disks with their size, usage and what their gates allow, and the storage budget.
    List,
    /// Attach a new empty disk (checks the quota its billing model draws on first).
    Add {
        /// Its size in GB (1 to 1000).
        #[arg(long, value_name = "GB")]
        size: u64,
        /// The disk bus (default scsi).
        #[arg(long)]
        interface: Option<String>,
        #[command(flatten)]
        wait: Wait,
    },
    /// Grow a disk, to a size or by an amount of GB.
    Resize {
        /// The disk: its id (vpsdisk_...) or slot name.
        disk: String,
        /// The new size in GB.
        #[arg(long, value_name = "GB", conflicts_with = "by", required_unless_present = "by")]
        to: Option<u64>,
        /// GB to add.
        #[arg(long, value_name = "GB")]
        by: Option<u64>,
        #[command(flatten)]
        wait: Wait,
    },
    /// Delete a disk and its data (never the root disk): asks first.
    Delete {
        /// The disk: its id (vpsdisk_...) or slot name.
        disk: String,
        /// Keep the backing volume where the platform can.
        #[arg(long)]
        keep_volume: bool,
    },
}

/// `hostup vps iso ID ...`
#[derive(Debug, Subcommand)]
pub enum IsoCommand {
    /// List the ISO library, the drives and what is mounted.
    List,
    /// Mount a library ISO in a CD/DVD drive.
    Mount {
        /// The ISO id (iso_..., from `iso ID list`).
        iso: String,
        /// The drive (default ide2).
        #[arg(long, value_enum)]
        device: Option<Device>,
        #[command(flatten)]
        wait: Wait,
    },
    /// Eject the medium of a drive.
    Unmount {
        /// The drive (default ide2).
        #[arg(long, value_enum)]
        device: Option<Device>,
    },
    /// Attach an empty CD/DVD drive.
    AttachEmpty {
        #[command(flatten)]
        wait: Wait,
    },
    /// Delete an ISO you uploaded from the library: asks first.
    Delete {
        /// The ISO id (iso_...).
        iso: String,
    },
    /// Download a public ISO (http or https, no redirects, at most 20 GB) into the library.
    Fetch {
        /// The URL.
        url: String,
        /// The file name in the library (default: the URL's last path segment).
        #[arg(long)]
        filename: Option<String>,
        /// How the file is compressed (none, gzip, lzo, zstd, bzip2).
        #[arg(long, value_name = "HOW")]
        decompress: Option<String>,
        /// The file's size in bytes, when known: checked against the limit before sending.
        #[arg(long, value_name = "BYTES")]
        size_bytes: Option<u64>,
        #[command(flatten)]
        wait: Wait,
    },
}

/// A CD/DVD device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Device {
    /// The first IDE slot.
    Ide0,
    /// The second IDE slot.
    Ide1,
    /// The third IDE slot (the default drive).
    Ide2,
    /// The fourth IDE slot.
    Ide3,
}

/// Waiting for a change the server queues.
#[derive(Debug, Args)]
pub struct Wait {
    /// Wait until the change has finished, with progress on stderr.
    #[arg(long)]
    pub wait: bool,
    /// The longest wait, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    pub timeout: u64,
}
