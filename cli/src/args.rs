//! The command line: global options, subcommands, and their value parsers.
//!
//! This file depends on clap and serde_json only: `cargo xtask man` reads it as a module of its
//! own to write the manual page, so it must not use anything else of the CLI.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::Value;

#[path = "args/access.rs"]
pub mod access;
#[path = "args/devices.rs"]
pub mod devices;
#[path = "args/lifecycle.rs"]
pub mod lifecycle;
#[path = "args/mcp.rs"]
pub mod mcp;
#[path = "args/recovery.rs"]
pub mod recovery;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  the API answered with an error (the message names the request id)
  2  usage or configuration error (bad arguments, no API key, an unconfirmed destructive command)
  3  blocked: a gate, the billing model or an unpaid invoice does not allow it
  4  timed out (a request, a wait, or a rate-limit wait too long)
  5  could not reach HostUp (DNS, TLS, connection)
  6  not confirmed: a create was sent but its answer never arrived, so it may have happened
     (the message says what to look for; it was not sent again)
An action on several VPSes prints a row for each and exits with the code of the first that failed.

Credentials, first found wins: --context NAME, then HOSTUP_API_KEY, then the active context.
The base URL is --base-url, else that of the context that gave the key (--context or the active
one; HOSTUP_BASE_URL overrides the active context's), else HOSTUP_BASE_URL, else
https://cloud.hostup.se. A key from HOSTUP_API_KEY is never sent to a context's URL.

Environment:
  HOSTUP_API_KEY   the API key
  HOSTUP_BASE_URL  the API's base URL
  NO_COLOR         no colour, even on a terminal";

/// Manage HostUp VPSes from the shell.
#[derive(Debug, Parser)]
#[command(name = "hostup", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Output format: table, json, yaml, or columns=a,b,... (table columns or JSON fields, dotted).
    #[arg(short, long, global = true, value_name = "FORMAT", default_value = "table", value_parser = parse_output)]
    pub output: Output,
    /// Leave the header line out of tables.
    #[arg(long, global = true)]
    pub no_header: bool,
    /// Use this stored context (see `hostup context`) instead of the environment or the active one.
    #[arg(long, global = true, value_name = "NAME", conflicts_with = "sandbox")]
    pub context: Option<String>,
    /// The API's base URL.
    #[arg(long, global = true, value_name = "URL", conflicts_with = "sandbox")]
    pub base_url: Option<String>,
    /// Run against a sandbox started inside this process: a simulated account, no network.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Do not ask before destructive commands (required when stdin is not a terminal).
    #[arg(short, long, global = true)]
    pub yes: bool,
    /// No progress or status lines on stderr; results and errors still print.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How results are printed.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Aligned columns for people.
    Table,
    /// JSON, in the spec's field names.
    Json,
    /// YAML, in the spec's field names.
    Yaml,
    /// A table of the named columns: table headers or dotted JSON fields.
    Columns(Vec<String>),
}

/// `table`, `json`, `yaml` or `columns=id,name,billing.amount`.
pub fn parse_output(text: &str) -> Result<Output, String> {
    match text {
        "table" => Ok(Output::Table),
        "json" => Ok(Output::Json),
        "yaml" => Ok(Output::Yaml),
        _ => {
            let list = text.strip_prefix("columns=").ok_or_else(|| {
                format!("unknown output format {text:?}: use table, json, yaml or columns=a,b,...")
            })?;
            let names: Vec<String> =
                list.split(',').map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect();
            if names.is_empty() {
                return Err("columns= needs at least one column name".into());
            }
            Ok(Output::Columns(names))
        }
    }
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Virtual private servers.
    #[command(subcommand)]
    Vps(Vps),
    /// A simulated HostUp API (`hostup sandbox serve`).
    #[command(subcommand)]
    Sandbox(SandboxCommand),
    /// Stored credentials: an API key and base URL under a name.
    #[command(subcommand)]
    Context(Context),
    /// The account's SSH public keys.
    #[command(subcommand)]
    SshKey(access::SshKey),
    #[command(flatten)]
    Lifecycle(lifecycle::Commands),
    /// Serve HostUp to an AI agent over the Model Context Protocol (stdio).
    Mcp(mcp::Mcp),
    /// Print a shell completion script on stdout.
    Completion {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
}

/// Shells with completion scripts.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Shell {
    /// bash: `source <(hostup completion bash)`
    Bash,
    /// zsh: `hostup completion zsh > "${fpath[1]}/_hostup"`
    Zsh,
    /// fish: `hostup completion fish > ~/.config/fish/completions/hostup.fish`
    Fish,
    /// PowerShell: `hostup completion powershell | Out-String | Invoke-Expression`
    Powershell,
}

/// `hostup context ...`
#[derive(Debug, Subcommand)]
pub enum Context {
    /// Store an API key under NAME and make it the active context. The key is read without
    /// echo on a terminal, or from stdin when piped.
    Create {
        /// The context's name.
        name: String,
        /// The API's base URL for this context (for example a `hostup sandbox serve` URL).
        #[arg(long = "url", value_name = "URL")]
        url: Option<String>,
    },
    /// Make NAME the active context.
    Use {
        /// The context's name.
        name: String,
    },
    /// List the contexts: name, active, base URL and a fingerprint of the key (never the key).
    List,
    /// Delete a stored context and its key.
    Delete {
        /// The context's name.
        name: String,
    },
}

/// `hostup vps ...`
#[derive(Debug, Subcommand)]
pub enum Vps {
    /// List VPSes: id, name, status, power state, billing model, monthly cost.
    List(Filters),
    /// Show one VPS: billing, bandwidth, and which actions its gates allow or block, and why.
    Show {
        /// The VPS id (vps_...).
        id: String,
        /// Print secret fields (the root password) instead of redacting them.
        #[arg(long)]
        show_secrets: bool,
    },
    /// Price a change of configurable options without committing it (on one VPS or many).
    Preview {
        #[command(flatten)]
        targets: Targets,
        #[command(flatten)]
        settings: Settings,
    },
    /// Preview a change, then commit it if the quote can be committed: asks first, since the
    /// change is billed and cannot be taken back.
    Commit {
        /// The VPS id (vps_...).
        id: String,
        #[command(flatten)]
        settings: Settings,
        /// If an unpaid invoice blocks the change, cancel that invoice and commit anyway.
        #[arg(long)]
        cancel_existing_invoice: bool,
    },
    /// Graceful reboot (with --force, a forced one: asks first).
    Restart {
        #[command(flatten)]
        power: Power,
        /// Force the reboot if the guest does not respond.
        #[arg(long)]
        force: bool,
    },
    /// Boot a stopped VPS.
    Start(Power),
    /// Graceful power-off.
    Shutdown(Power),
    /// Forced power-off, like pulling the plug: asks first.
    Stop(Power),
    /// Hard reboot, like pressing reset: asks first.
    Reset(Power),
    #[command(flatten)]
    Access(access::VpsAccess),
    #[command(flatten)]
    Recovery(recovery::Recovery),
    #[command(flatten)]
    Lifecycle(lifecycle::VpsLifecycle),
    #[command(flatten)]
    Devices(devices::Devices),
}

/// Which VPSes `vps list` shows, and `--all-matching` acts on.
#[derive(Clone, Debug, Default, Args)]
pub struct Filters {
    /// Only VPSes with this service status (active, suspended, ...).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only VPSes in this power state (running, stopped, ...).
    #[arg(long, value_name = "STATE")]
    pub power: Option<String>,
    /// Only PAYG or only fixed-cycle VPSes.
    #[arg(long, value_enum)]
    pub billing: Option<Billing>,
    /// Only the VPS with this display name (exact, case-insensitive).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

/// `--billing payg|fixed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Billing {
    /// Pay as you go.
    Payg,
    /// A fixed billing cycle (monthly, quarterly, ...).
    Fixed,
}

/// The VPSes a command acts on: ids, `-` for ids from stdin, or every VPS matching the filters.
#[derive(Debug, Args)]
pub struct Targets {
    /// VPS ids (vps_...); `-` reads ids from stdin, one per line (or separated by spaces).
    #[arg(value_name = "ID", required_unless_present = "all_matching")]
    pub ids: Vec<String>,
    /// Act on every VPS that matches the filters (all VPSes without filters).
    #[arg(long, conflicts_with = "ids")]
    pub all_matching: bool,
    #[command(flatten)]
    pub filters: Filters,
}

/// The options to change.
#[derive(Debug, Args)]
pub struct Settings {
    /// An option to set, as key=value; the value is read as JSON when it parses (4096, true),
    /// else as a string. Repeat for several options.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_setting, required = true)]
    pub settings: Vec<(String, Value)>,
}

/// The VPSes and how to wait for a power action.
#[derive(Debug, Args)]
pub struct Power {
    #[command(flatten)]
    pub targets: Targets,
    /// Wait until the action has finished, with progress on stderr.
    #[arg(long)]
    pub wait: bool,
    /// The longest wait, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
}

/// `hostup sandbox ...`
#[derive(Debug, Subcommand)]
pub enum SandboxCommand {
    /// Serve a simulated HostUp API on 127.0.0.1 until interrupted; prints its base URL first.
    Serve(Serve),
}

/// How the served sandbox starts.
#[derive(Debug, Args)]
pub struct Serve {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The API key it accepts, with every scope (default: the sandbox's public test key).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// The seed of generated ids and fault dice.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// The request budget, as REQUESTS/SECONDS (default 1000/60).
    #[arg(long, value_name = "N/SECONDS", value_parser = parse_rate_limit)]
    pub rate_limit: Option<(u64, Duration)>,
}

/// `100/60` -> 100 requests per 60 seconds.
pub fn parse_rate_limit(text: &str) -> Result<(u64, Duration), String> {
    let bad =
        || format!("expected REQUESTS/SECONDS with whole numbers above 0, such as 100/60, got {text:?}");
    let (requests, seconds) = text.split_once('/').ok_or_else(bad)?;
    let requests: u64 = requests.trim().parse().map_err(|_| bad())?;
    let seconds: u64 = seconds.trim().parse().map_err(|_| bad())?;
    if requests == 0 || seconds == 0 {
        return Err(bad());
    }
    Ok((requests, Duration::from_secs(seconds)))
}

/// `bandwidthGb=4096` -> ("bandwidthGb", 4096); `name=web` -> ("name", "web").
pub fn parse_setting(text: &str) -> Result<(String, Value), String> {
    let (key, value) = text.split_once('=').ok_or_else(|| format!("expected KEY=VALUE, got {text:?}"))?;
    if key.trim().is_empty() {
        return Err(format!("no key before '=' in {text:?}"));
    }
    let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
    Ok((key.trim().to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_json_when_they_parse() {
        assert_eq!(parse_setting("bandwidthGb=4096").unwrap(), ("bandwidthGb".into(), Value::from(4096)));
        assert_eq!(parse_setting("ipv6=true").unwrap().1, Value::Bool(true));
        assert_eq!(parse_setting("os=ubuntu").unwrap().1, Value::from("ubuntu"));
        assert_eq!(parse_setting("note=a=b").unwrap().1, Value::from("a=b"));
        assert!(parse_setting("novalue").is_err());
        assert!(parse_setting("=1").is_err());
    }

    #[test]
    fn rate_limits_read_as_requests_per_seconds() {
        assert_eq!(parse_rate_limit("100/60").unwrap(), (100, Duration::from_secs(60)));
        for bad in ["100", "0/60", "10/0", "a/1", "1/1.5", ""] {
            assert!(parse_rate_limit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn output_formats_parse() {
        assert_eq!(parse_output("yaml").unwrap(), Output::Yaml);
        assert_eq!(
            parse_output("columns=id, billing.amount").unwrap(),
            Output::Columns(vec!["id".into(), "billing.amount".into()])
        );
        assert!(parse_output("columns=").is_err());
        assert!(parse_output("xml").unwrap_err().contains("table, json, yaml"));
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
