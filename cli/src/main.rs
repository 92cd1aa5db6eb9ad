//! `hostup`: list, inspect, price, change and power-cycle HostUp VPSes from the shell, on top of
//! the `hostup` library. `hostup --help` lists the commands and the exit codes.

mod args;
mod commands;
mod output;
mod sandbox_serve;

use std::process::ExitCode;

use clap::Parser;
use hostup::{ClientBuilder, ENV_API_KEY, Error, ErrorCode};
use hostup_sandbox::Sandbox;

use args::{Cli, Command};

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// A library error; its kind picks the code.
    Hostup(Error),
    /// Refused before sending: a gate or quote says no (3).
    Blocked(String),
    /// Bad arguments or configuration (2).
    Usage(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Hostup(error)
    }
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Blocked(_) => 3,
            Failure::Hostup(e) => exit_code(e),
        }
    }

    /// One line, with the request id when the server gave one.
    fn message(&self) -> String {
        match self {
            Failure::Usage(text) | Failure::Blocked(text) => text.clone(),
            Failure::Hostup(e) => match e.request_id() {
                Some(id) if !e.to_string().contains(id) => format!("{e} [request {id}]"),
                _ => e.to_string(),
            },
        }
    }
}

/// 1 API error, 2 usage/config, 3 blocked, 4 timeout, 5 transport.
fn exit_code(error: &Error) -> u8 {
    let gate_conflict = match error {
        Error::Api(api) => {
            api.problem.extensions.contains_key("gate")
                || matches!(api.code, Some(ErrorCode::ExistingInvoiceBlocking | ErrorCode::VpsNotReady))
        }
        _ => false,
    };
    match error {
        Error::Config(_) | Error::InvalidRequest(_) | Error::InvalidOption { .. } => 2,
        Error::Blocked(_) | Error::WrongBillingModel(_) => 3,
        Error::Timeout(_) | Error::WaitTimeout { .. } | Error::RateLimited(_) => 4,
        Error::Transport(_) => 5,
        _ if gate_conflict => 3,
        _ => 1,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let command = match cli.command {
        // Serves instead of calling: no key, no client.
        Command::Sandbox(command) => return sandbox_serve::run(command).await,
        Command::Vps(command) => command,
    };
    let sandbox = if cli.sandbox { Some(Sandbox::start().await) } else { None };
    let client = match &sandbox {
        Some(sandbox) => sandbox.client(),
        None => {
            if std::env::var(ENV_API_KEY).map_or(true, |k| k.trim().is_empty()) {
                return Err(Failure::Usage(format!(
                    "no API key: set {ENV_API_KEY}, or add --sandbox to try against a simulated account"
                )));
            }
            let mut builder = ClientBuilder::from_env();
            if let Some(url) = cli.base_url {
                builder = builder.base_url(url);
            }
            builder.build()?
        }
    };
    commands::run(&client, command, cli.json).await
}
