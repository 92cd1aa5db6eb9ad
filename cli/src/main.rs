//! `hostup`: list, inspect, price, change and power-cycle HostUp VPSes from the shell, on top of
//! the `hostup` library. `hostup --help` lists the commands, the exit codes and where the
//! credentials come from.

mod args;
mod bulk;
mod commands;
mod confirm;
mod contexts;
mod credentials;
mod failure;
mod output;
mod sandbox_serve;

use std::process::ExitCode;

use clap::Parser;
use hostup::PowerAction;
use hostup_sandbox::Sandbox;

use args::{Cli, Command, Vps};
use commands::Session;
use failure::Failure;
use output::Printer;
use output::progress::Mode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // A bulk action's result table already said which VPSes failed.
            if !matches!(failure, Failure::Partial { .. }) {
                eprintln!("{} {}", output::style::error_prefix(), failure.message());
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let session = Session {
        printer: Printer::new(cli.output.clone(), cli.no_header),
        progress: Mode::detect(cli.quiet),
        yes: cli.yes,
    };
    let vps = match cli.command {
        Command::Completion { shell } => {
            commands::completion::run(shell);
            return Ok(());
        }
        Command::Context(command) => return commands::context::run(&session, &command),
        // Serves instead of calling: no key, no client.
        Command::Sandbox(command) => return sandbox_serve::run(command, session.progress).await,
        Command::Mcp(args) => {
            let (client, _sandbox) =
                connect(cli.sandbox, cli.context.as_deref(), cli.base_url.as_deref()).await?;
            return commands::mcp::run(client, &args).await;
        }
        Command::Lifecycle(command) => {
            // The catalogue is public: without a key it is read with a keyless client.
            let connected = connect(cli.sandbox, cli.context.as_deref(), cli.base_url.as_deref()).await;
            let (client, _sandbox) = match connected {
                Ok(connected) => connected,
                Err(_) if commands::payg::is_public(&command) => {
                    (commands::payg::public_client(cli.base_url.as_deref())?, None)
                }
                Err(e) => return Err(e),
            };
            return commands::payg::run(&client, &session, &command).await;
        }
        Command::Vps(command) => Ok(command),
        Command::SshKey(command) => Err(command),
    };
    let (client, _sandbox) = connect(cli.sandbox, cli.context.as_deref(), cli.base_url.as_deref()).await?;
    let vps = match vps {
        Ok(vps) => vps,
        Err(keys) => return commands::access::run_keys(&client, &session, &keys).await,
    };
    let power = |p, action| commands::power::run(&client, &session, p, action);
    match &vps {
        Vps::List(filters) => commands::vps::list(&client, &session, filters).await,
        Vps::Show { id, show_secrets } => commands::vps::show(&client, &session, id, *show_secrets).await,
        Vps::Preview { targets, settings } => {
            commands::vps::preview(&client, &session, targets, settings).await
        }
        Vps::Commit { id, settings, cancel_existing_invoice } => {
            commands::vps::commit(&client, &session, id, settings, *cancel_existing_invoice).await
        }
        Vps::Restart { power: p, force } => {
            power(p, if *force { PowerAction::ForceRestart } else { PowerAction::Restart }).await
        }
        Vps::Start(p) => power(p, PowerAction::Start).await,
        Vps::Shutdown(p) => power(p, PowerAction::Shutdown).await,
        Vps::Stop(p) => power(p, PowerAction::Stop).await,
        Vps::Reset(p) => power(p, PowerAction::Reset).await,
        Vps::Access(command) => commands::access::run_vps(&client, &session, command).await,
        Vps::Recovery(command) => commands::recovery::run(&client, &session, command).await,
        Vps::Lifecycle(command) => commands::lifecycle::run(&client, &session, command).await,
        Vps::Devices(command) => commands::devices::run(&client, &session, command).await,
    }
}

/// A client for the embedded sandbox (kept alive by the returned handle) or the credentials.
async fn connect(
    sandbox: bool,
    context: Option<&str>,
    base_url: Option<&str>,
) -> Result<(hostup::Client, Option<Sandbox>), Failure> {
    if sandbox {
        let sandbox = Sandbox::start().await;
        return Ok((sandbox.client(), Some(sandbox)));
    }
    let given = credentials::Given::flags(context, base_url);
    Ok((credentials::client(credentials::resolve(given)?)?, None))
}
