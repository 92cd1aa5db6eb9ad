//! `hostup sandbox serve`: the sandbox as a standalone server on loopback, for the CLI itself
//! (`HOSTUP_BASE_URL`), non-Rust tools and load tests. The first line on stdout is the base URL;
//! it serves until SIGINT or SIGTERM, then stops and exits 0.

use std::io::Write;
use std::time::Duration;

use clap::{Args, Subcommand};
use hostup_sandbox::{DEFAULT_API_KEY, Sandbox};
use tokio::net::TcpListener;

use crate::Failure;

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

/// Runs a sandbox command.
pub async fn run(command: SandboxCommand) -> Result<(), Failure> {
    let SandboxCommand::Serve(serve) = command;
    let mut config = Sandbox::builder();
    if let Some(key) = &serve.api_key {
        if key.trim().is_empty() {
            return Err(Failure::Usage("--api-key must not be empty".into()));
        }
        config = config.api_key(key.clone());
    }
    if let Some(seed) = serve.seed {
        config = config.seed(seed);
    }
    if let Some((requests, window)) = serve.rate_limit {
        config = config.rate_limit(requests, window);
    }
    let listener = TcpListener::bind(("127.0.0.1", serve.port))
        .await
        .map_err(|e| Failure::Usage(format!("cannot listen on 127.0.0.1:{}: {e}", serve.port)))?;
    let sandbox = config.try_start_on(listener).await.map_err(|e| Failure::Usage(e.to_string()))?;
    let mut stdout = std::io::stdout();
    // Scripts read this line to find the server; flushed since stdout may be a pipe.
    let _ = writeln!(stdout, "{}", sandbox.url()).and_then(|()| stdout.flush());
    let key = match serve.api_key {
        Some(_) => "the one given with --api-key".to_string(),
        None => DEFAULT_API_KEY.to_string(),
    };
    eprintln!("hostup sandbox: serving at {}, API key {key}; Ctrl-C or SIGTERM stops it", sandbox.url());
    let signal = stop_signal().await;
    sandbox.shutdown().await;
    eprintln!("hostup sandbox: {signal} received, stopped");
    Ok(())
}

/// Waits for SIGINT or (on Unix) SIGTERM; names the one that came.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "SIGINT"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_read_as_requests_per_seconds() {
        assert_eq!(parse_rate_limit("100/60").unwrap(), (100, Duration::from_secs(60)));
        for bad in ["100", "0/60", "10/0", "a/1", "1/1.5", ""] {
            assert!(parse_rate_limit(bad).is_err(), "{bad}");
        }
    }
}
