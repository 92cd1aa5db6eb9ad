//! A [Model Context Protocol](https://modelcontextprotocol.io) server for HostUp VPSes, on top of
//! the [`hostup`] client: what an agent gets that a raw HTTP tool cannot give it.
//!
//! - **Reads** (`list_vps`, `get_vps_details` with its gates, status, bandwidth, invoices, upgrade
//!   options, snapshots, backups, jobs; PAYG options and limits, templates, cancellations,
//!   maintenance, the catalogue, orders; SSH keys, password login, hostname, network, metrics;
//!   firewall, disks, storage, ISO media) answer redacted JSON: secrets (`x-hostup-secret`
//!   fields, the API key) never appear.
//! - **Writes take two steps.** A `preview_*` tool checks gates and limits, prices the change
//!   (`dryRun`) and answers a quote with a short-lived token; only `commit`, given that token and
//!   the same request, acts, once. Commits are never retried by the client.
//! - **Refusals are results**, with `isError` and `{kind, code, reason, recovery}`.
//! - **Settings** per session: read-only, allow and deny lists, a spending ceiling, a write log.
//!
//! Tool input schemas are derived from the spec at build time (see `build.rs`). `hostup mcp` (the
//! CLI) serves it over stdio:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = hostup::Client::builder().api_key("hu_...").build()?;
//! hostup_mcp::serve_stdio(client, hostup_mcp::Settings::default().read_only(true)).await?;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod args;
mod audit;
mod budget;
mod refusal;
mod registry;
mod schemas;
mod server;
mod tokens;
mod tools;

use std::io::Write;
use std::time::Duration;

pub use args::Args;
pub use refusal::Refusal;
pub use registry::Kind;
pub use server::HostupMcp;

/// The building blocks behind the tools, reachable for this crate's own tests
/// (`tests/server/parts.rs`): not part of the API, and may change in any release.
#[doc(hidden)]
pub mod parts {
    pub use crate::budget::Budget;
    pub use crate::registry::{CommitFn, Cost};
    pub use crate::schemas::{InputSchema, error_code_meaning, property_of};
    pub use crate::tokens::{Clock, Pending, Tokens};
}

/// How long a quote's token may be committed, unless set otherwise.
pub const DEFAULT_QUOTE_LIFETIME: Duration = Duration::from_secs(120);

/// The session's safety settings.
pub struct Settings {
    read_only: bool,
    allow: Option<Vec<String>>,
    deny: Vec<String>,
    max_spend: Option<f64>,
    currency: Option<String>,
    quote_lifetime: Duration,
    log: Box<dyn Write + Send>,
}

impl Default for Settings {
    /// Every tool, no ceiling, quotes for two minutes, writes logged to stderr.
    fn default() -> Self {
        Settings {
            read_only: false,
            allow: None,
            deny: Vec::new(),
            max_spend: None,
            currency: None,
            quote_lifetime: DEFAULT_QUOTE_LIFETIME,
            log: Box::new(std::io::stderr()),
        }
    }
}

impl Settings {
    /// Only read tools are listed (no preview, no commit).
    pub fn read_only(mut self, yes: bool) -> Self {
        self.read_only = yes;
        self
    }

    /// Only these tools are listed (and `deny` still applies).
    pub fn allow(mut self, names: Vec<String>) -> Self {
        self.allow = Some(names);
        self
    }

    /// These tools are never listed.
    pub fn deny(mut self, names: Vec<String>) -> Self {
        self.deny = names;
        self
    }

    /// The most the committed quotes of this session may raise recurring costs by, in `currency`
    /// (`None`: the first committed quote's currency).
    pub fn max_spend(mut self, amount: f64, currency: Option<String>) -> Self {
        self.max_spend = Some(amount);
        self.currency = currency;
        self
    }

    /// How long a token may be committed.
    pub fn quote_lifetime(mut self, lifetime: Duration) -> Self {
        self.quote_lifetime = lifetime;
        self
    }

    /// Where writes are logged (default: stderr).
    pub fn log_to(mut self, sink: Box<dyn Write + Send>) -> Self {
        self.log = sink;
        self
    }
}

/// A setting that cannot be honoured (a tool name that does not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError(pub String);

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingsError {}

/// Serves MCP over stdin and stdout until the client closes stdin.
///
/// # Errors
/// [`SettingsError`] for an unknown tool name; the transport's error when the session cannot start.
pub async fn serve_stdio(
    client: hostup::Client,
    settings: Settings,
) -> Result<(), Box<dyn std::error::Error>> {
    use rmcp::ServiceExt;
    let server = HostupMcp::new(client, settings)?;
    let running = server.serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    Ok(())
}
