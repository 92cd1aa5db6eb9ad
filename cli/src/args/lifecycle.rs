//! The command line of creating and ending VPSes: `vps create|rebuild|convert-to-cloud|cancel|
//! cancellation|maintenance|templates`, `payg` and `products`. Like `args.rs`, it depends on clap
//! only (`cargo xtask man` reads both).

use clap::{Args, Subcommand, ValueEnum};

/// The `vps` subcommands that create, reinstall, convert and end a VPS.
#[derive(Debug, Subcommand)]
pub enum VpsLifecycle {
    /// Create a PAYG Cloud VPS (billed by the hour). Checked against the account's deployment
    /// options and PAYG quota first; sent once, never resent.
    Create(Create),
    /// Reinstall a VPS from a template, wiping its disk: asks first, then waits until it runs.
    Rebuild {
        /// The VPS id (vps_...).
        id: String,
        /// The template: an id or a name from `hostup vps templates ID` (`Debian 12`).
        #[arg(long, value_name = "TEMPLATE")]
        template: String,
        /// The longest wait, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 900)]
        timeout: u64,
    },
    /// The templates a VPS can be rebuilt with.
    Templates {
        /// The VPS id (vps_...).
        id: String,
    },
    /// Move a fixed-cycle VPS to PAYG Cloud billing, after the eligibility check: asks first.
    ConvertToCloud {
        /// The VPS id (vps_...).
        id: String,
        /// Only show whether it may convert, and what blocks it.
        #[arg(long)]
        check: bool,
    },
    /// Cancel a VPS, at the end of its paid period or immediately: asks first.
    Cancel {
        /// The VPS id (vps_...).
        id: String,
        /// When it takes effect.
        #[arg(long = "type", value_enum, default_value_t = CancelWhen::EndOfPeriod)]
        when: CancelWhen,
        /// Why (1 to 500 characters), such as "No longer needed".
        #[arg(long)]
        reason: String,
        /// Free text, when the reason is `other`.
        #[arg(long, value_name = "TEXT")]
        other_reason: Option<String>,
    },
    /// Show a VPS's cancellation (`none` when there is none), or withdraw it.
    Cancellation {
        /// The VPS id (vps_...).
        id: String,
        #[command(subcommand)]
        action: Option<CancellationAction>,
    },
    /// Show a VPS's pending maintenance and deadlines, or extend a deadline.
    Maintenance {
        /// The VPS id (vps_...).
        id: String,
        #[command(subcommand)]
        action: Option<MaintenanceAction>,
    },
}

/// `vps create`.
#[derive(Debug, Args)]
pub struct Create {
    /// The VPS's name: 3 to 63 letters, digits and hyphens.
    #[arg(long)]
    pub name: String,
    /// CPU cores (default: the account's deployment default).
    #[arg(long, value_name = "CORES")]
    pub cpu: Option<u64>,
    /// Memory in GB (default: the account's deployment default).
    #[arg(long, value_name = "GB")]
    pub memory: Option<u64>,
    /// Disk in GB (default: the account's deployment default).
    #[arg(long, value_name = "GB")]
    pub storage: Option<u64>,
    /// The region id (default: the account's default region).
    #[arg(long)]
    pub region: Option<String>,
    /// Wait until the VPS runs, with progress on stderr.
    #[arg(long)]
    pub wait: bool,
    /// The longest wait, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 900)]
    pub timeout: u64,
}

/// `--type immediate|end-of-period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CancelWhen {
    /// As soon as it can be processed: the VPS and its data go.
    Immediate,
    /// At the end of the paid period; can be withdrawn until then.
    EndOfPeriod,
}

/// `vps cancellation ID ...`
#[derive(Debug, Subcommand)]
pub enum CancellationAction {
    /// Withdraw the cancellation, while it is pending or scheduled.
    Revoke,
}

/// `vps maintenance ID ...`
#[derive(Debug, Subcommand)]
pub enum MaintenanceAction {
    /// Postpone a deadline by its policy's days, while extensions are left.
    Extend {
        /// The deadline id (mtd_...); may be left out when only one deadline can be extended.
        deadline: Option<String>,
    },
}

/// Top-level commands of this area.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// PAYG Cloud VPS: deployment options, the account's quota, limit requests.
    #[command(subcommand)]
    Payg(Payg),
    /// The public VPS catalogue: plans and prices (needs no API key).
    Products {
        /// Prices in this currency.
        #[arg(long, default_value = "SEK")]
        currency: String,
        /// Prices for this billing cycle (monthly, quarterly, annually, ...).
        #[arg(long, default_value = "monthly")]
        cycle: String,
    },
}

/// `hostup payg ...`
#[derive(Debug, Subcommand)]
pub enum Payg {
    /// Whether the account may deploy, the hourly rates, bounds and regions.
    Options,
    /// The account's PAYG usage, ceilings and headroom, and limit requests under review; or ask
    /// for a higher limit.
    Limits {
        #[command(subcommand)]
        action: Option<LimitsAction>,
    },
}

/// `hostup payg limits ...`
#[derive(Debug, Subcommand)]
pub enum LimitsAction {
    /// Ask support for a higher PAYG limit.
    Request {
        /// The quota key: cpuCores, memoryGb, storageGb or vmCount.
        #[arg(long = "type", value_name = "KEY")]
        limit_type: String,
        /// The ceiling wanted.
        #[arg(long, value_name = "N")]
        to: u64,
        /// Why, for support (at least 10 characters).
        #[arg(long)]
        reason: String,
    },
}
