//! `hostup mcp`: the library's MCP server on stdio, with the command line's safety settings.

use std::fs::OpenOptions;
use std::time::Duration;

use hostup::Client;
use hostup_mcp::Settings;

use crate::args::mcp::Mcp;
use crate::failure::Failure;

/// Serves until the client closes stdin. Nothing but MCP goes to stdout.
pub async fn run(client: Client, args: &Mcp) -> Result<(), Failure> {
    let mut settings = Settings::default()
        .read_only(args.read_only)
        .deny(args.deny.clone())
        .quote_lifetime(Duration::from_secs(args.quote_ttl));
    if !args.allow.is_empty() {
        settings = settings.allow(args.allow.clone());
    }
    if let Some((amount, currency)) = &args.max_spend {
        settings = settings.max_spend(*amount, currency.clone());
    }
    if let Some(path) = &args.log {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Failure::Usage(format!("cannot open the log {}: {e}", path.display())))?;
        settings = settings.log_to(Box::new(file));
    }
    hostup_mcp::serve_stdio(client, settings).await.map_err(|e| Failure::Usage(format!("mcp: {e}")))
}
