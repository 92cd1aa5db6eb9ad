//! The command line: global options, subcommands, and the `--set key=value` parser.

use clap::{Args, Parser, Subcommand};
use serde_json::Value;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the API answered with an error (the message names the request id)
  2  usage or configuration error (bad arguments, no HOSTUP_API_KEY, bad option value)
  3  blocked: a gate, the billing model or an unpaid invoice does not allow it
  4  timed out (a request, a wait, or a rate-limit wait too long)
  5  could not reach HostUp (DNS, TLS, connection)

Environment:
  HOSTUP_API_KEY   the API key (required unless --sandbox)
  HOSTUP_BASE_URL  the API's base URL (default https://cloud.hostup.se)";

/// Manage HostUp VPSes from the shell.
#[derive(Debug, Parser)]
#[command(name = "hostup", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Print JSON on stdout instead of tables, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// Run against a sandbox started inside this process: a simulated account, no network.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// The API's base URL (overrides HOSTUP_BASE_URL).
    #[arg(long, global = true, value_name = "URL", conflicts_with = "sandbox")]
    pub base_url: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Virtual private servers.
    #[command(subcommand)]
    Vps(Vps),
    /// A simulated HostUp API (`hostup sandbox serve`).
    #[command(subcommand)]
    Sandbox(crate::sandbox_serve::SandboxCommand),
}

/// `hostup vps ...`
#[derive(Debug, Subcommand)]
pub enum Vps {
    /// List every VPS: id, name, power state, billing model, monthly cost.
    List,
    /// Show one VPS: billing, bandwidth, and which actions its gates allow or block, and why.
    Show {
        /// The VPS id (vps_...).
        id: String,
    },
    /// Price a change of configurable options without committing it.
    Preview(Change),
    /// Preview a change, then commit it if the quote can be committed.
    Commit {
        #[command(flatten)]
        change: Change,
        /// If an unpaid invoice blocks the change, cancel that invoice and commit anyway.
        #[arg(long)]
        cancel_existing_invoice: bool,
    },
    /// Graceful reboot.
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
    /// Forced power-off.
    Stop(Power),
    /// Hard reboot.
    Reset(Power),
}

/// A VPS and the options to change.
#[derive(Debug, Args)]
pub struct Change {
    /// The VPS id (vps_...).
    pub id: String,
    /// An option to set, as key=value; the value is read as JSON when it parses (4096, true),
    /// else as a string. Repeat for several options.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_setting, required = true)]
    pub settings: Vec<(String, Value)>,
}

/// A VPS and how to wait for a power action.
#[derive(Debug, Args)]
pub struct Power {
    /// The VPS id (vps_...).
    pub id: String,
    /// Wait until the action has finished, with progress on stderr.
    #[arg(long)]
    pub wait: bool,
    /// The longest wait, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
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
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
