//! `hostup sandbox serve`: the sandbox as a standalone server on loopback, for the CLI itself
//! (`HOSTUP_BASE_URL`), non-Rust tools and load tests. The first line on stdout is the base URL;
//! it serves until SIGINT or SIGTERM, then stops and exits 0.

use std::io::Write;

use hostup_sandbox::{DEFAULT_API_KEY, Sandbox};
use tokio::net::TcpListener;

use crate::args::SandboxCommand;
use crate::failure::Failure;
use crate::output::progress::Mode;

/// Runs a sandbox command; `mode` says whether its notes on stderr are wanted (`--quiet`).
pub async fn run(command: SandboxCommand, mode: Mode) -> Result<(), Failure> {
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
    mode.note(&format!(
        "hostup sandbox: serving at {}, API key {key}; Ctrl-C or SIGTERM stops it",
        sandbox.url()
    ));
    let signal = stop_signal().await;
    sandbox.shutdown().await;
    mode.note(&format!("hostup sandbox: {signal} received, stopped"));
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
