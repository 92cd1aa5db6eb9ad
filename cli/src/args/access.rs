//! The command line of SSH keys, password login, hostname, network and metrics (clap only, like
//! `args.rs`, which includes this file for `cargo xtask man`).

use clap::{Subcommand, ValueEnum};

/// `hostup ssh-key ...`: the account's SSH public keys.
#[derive(Debug, Subcommand)]
pub enum SshKey {
    /// List the account's keys: id, name, type, fingerprint, and whether they may be deleted.
    List,
    /// Add a public key from a .pub file (`-` reads stdin). The fingerprint is computed locally
    /// (as `ssh-keygen -l` prints it) and compared with the server's.
    Add {
        /// The key's label.
        name: String,
        /// The .pub file, or `-` for stdin.
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Give a key another label (the key itself cannot change).
    Rename {
        /// The key id (ssh_...).
        id: String,
        /// The new label.
        name: String,
    },
    /// Delete a key from the account: asks first. VPSes holding it keep it until their keys are reset.
    Delete {
        /// The key id (ssh_...).
        id: String,
    },
}

/// The VPS commands of this area (flattened into `hostup vps ...`).
#[derive(Debug, Subcommand)]
pub enum VpsAccess {
    /// The account keys as the VPS sees them; `reset KEY_ID...` installs exactly those (asks first).
    SshKeys {
        /// The VPS id (vps_...).
        id: String,
        #[command(subcommand)]
        action: Option<SshKeysAction>,
    },
    /// Root password login over SSH: show it (a live read of the guest), or enable or disable it.
    PasswordLogin {
        /// The VPS id (vps_...).
        id: String,
        /// Switch it on or off; without it, show the state.
        #[arg(value_enum)]
        switch: Option<Switch>,
    },
    /// Show the hostname and its rules, or `set NAME`.
    Hostname {
        /// The VPS id (vps_...).
        id: String,
        #[command(subcommand)]
        action: Option<HostnameAction>,
    },
    /// Interfaces and addresses with their PTR records, or a change (the destructive ones ask first).
    Network {
        /// The VPS id (vps_...).
        id: String,
        #[command(subcommand)]
        action: Option<NetworkAction>,
    },
    /// Reverse DNS: `rdns set ID IP NAME`.
    #[command(subcommand)]
    Rdns(Rdns),
    /// Usage over a timeframe, drawn as charts (CPU and memory unless --series says otherwise).
    Metrics {
        /// The VPS id (vps_...).
        id: String,
        /// The window.
        #[arg(long, value_enum, default_value = "hour")]
        timeframe: Timeframe,
        /// The series to draw; repeat for several.
        #[arg(long, value_enum)]
        series: Vec<Series>,
        /// Print the samples as JSON instead of charts.
        #[arg(long)]
        json: bool,
    },
}

/// `vps ssh-keys ID reset ...`
#[derive(Debug, Subcommand)]
pub enum SshKeysAction {
    /// Install exactly these account keys on the VPS; the others lose access, and the VPS may
    /// restart to apply them.
    Reset {
        /// Account key ids (ssh_...).
        #[arg(required = true, value_name = "KEY_ID")]
        keys: Vec<String>,
        #[command(flatten)]
        wait: super::devices::Wait,
    },
}

/// `enable` or `disable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    /// Allow root password login.
    Enable,
    /// Refuse password login; key login keeps working.
    Disable,
}

/// `vps hostname ID set NAME`
#[derive(Debug, Subcommand)]
pub enum HostnameAction {
    /// Change the hostname (checked against the rules first).
    Set {
        /// A fully qualified domain name.
        name: String,
    },
}

/// `vps network ID ...`
#[derive(Debug, Subcommand)]
pub enum NetworkAction {
    /// Set the PTR record of an address of the VPS.
    Rdns {
        /// The address (or its ip_... id).
        ip: String,
        /// The PTR value, a domain name.
        name: String,
    },
    /// Move an interface to another free address: asks first; the old one is released unless
    /// --reserve-old-ip.
    ChangeIp {
        /// The new address, or its ip_... id (from `get_available_subnets`).
        to: String,
        /// The interface (default: the server's choice).
        #[arg(long, value_name = "NAME")]
        interface: Option<String>,
        /// Keep the old address as a reserved one.
        #[arg(long)]
        reserve_old_ip: bool,
    },
    /// Take an address off the VPS: asks first.
    RemoveIp {
        /// The address, or its ip_... id.
        ip: String,
    },
    /// Remove a non-primary interface and its addresses: asks first.
    DeleteInterface {
        /// The interface name (net1, ...).
        name: String,
    },
}

/// `vps rdns set ...`
#[derive(Debug, Subcommand)]
pub enum Rdns {
    /// Set the PTR record of an address of the VPS.
    Set {
        /// The VPS id (vps_...).
        id: String,
        /// The address (or its ip_... id).
        ip: String,
        /// The PTR value, a domain name.
        name: String,
    },
}

/// The metrics windows the docs list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Timeframe {
    /// The last hour.
    Hour,
    /// The last day.
    Day,
    /// The last week.
    Week,
    /// The last month.
    Month,
    /// The last year.
    Year,
}

/// A metrics series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Series {
    /// CPU use, percent.
    Cpu,
    /// Memory use, percent.
    Memory,
    /// Disk reads, MB/s.
    DiskRead,
    /// Disk writes, MB/s.
    DiskWrite,
    /// Inbound network, kB/s.
    NetIn,
    /// Outbound network, kB/s.
    NetOut,
}
