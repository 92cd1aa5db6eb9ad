//! A tour of the client: list the fleet, read one VPS, price and commit a change, restart and wait.
//!
//! ```sh
//! cargo run --example quickstart                        # the embedded sandbox: no account, no network
//! HOSTUP_API_KEY=... cargo run --example quickstart     # your account, read-only: list and details
//! ```

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use hostup::prelude::*;
use hostup::types::{VpsDetails, VpsSummary};
use hostup::{Action, BillingModel, Client, CommitOptions, PowerAction, ResourceChange, WaitOptions};
use hostup_sandbox::{Sandbox, fleet};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> hostup::Result<()> {
    // With a key, the real API, read-only. Without one, the sandbox, where changing things is safe.
    let sandbox = match std::env::var_os(hostup::ENV_API_KEY) {
        Some(_) => None,
        None => Some(Sandbox::builder().job_duration(Duration::from_millis(1200)).start().await),
    };
    let client = match &sandbox {
        Some(sandbox) => {
            println!("HOSTUP_API_KEY is not set: using the embedded sandbox at {}.", sandbox.url());
            sandbox.client()
        }
        None => {
            println!("HOSTUP_API_KEY is set: reading your account (read-only).");
            Client::from_env()?
        }
    };

    let vps_list = client.all_vps().await?;
    print_fleet(&vps_list);

    let id = match (&sandbox, vps_list.first()) {
        (Some(_), _) => fleet::MONTHLY_SEK.to_string(),
        (None, Some(first)) => first.id.clone().unwrap_or_default(),
        (None, None) => return Ok(()),
    };
    let vps = client.get_vps_details().id(id.as_str()).send().await?.into_inner();
    print_details(&vps);
    if sandbox.is_none() {
        return Ok(());
    }

    let change = ResourceChange::new().set("bandwidthGb", 4096);
    let quote = client.preview_resources(&id, &change).await?;
    let currency = quote.currency().unwrap_or("?");
    println!("\nPreview: bandwidthGb {} -> 4096 GB", vps.bandwidth.limit_gb);
    println!(
        "  due now {:.2} {currency}, then {:.2} {currency} per cycle; can commit: {}",
        quote.amount_due().unwrap_or(0.0),
        quote.recurring_amount().unwrap_or(0.0),
        if quote.can_commit() { "yes" } else { quote.blocked_reason().unwrap_or("no") },
    );
    quote.commit(&client, CommitOptions::default()).await?;
    let after = client.get_vps_details().id(id.as_str()).send().await?;
    println!("  committed: the limit is now {} GB", after.bandwidth.limit_gb);

    println!("\nRestart {}", vps.hostname.as_deref().unwrap_or(&id));
    let started = std::time::Instant::now();
    let op = client.power(&id, PowerAction::Restart).await?;
    let wait =
        WaitOptions::default().with_poll_interval(Duration::from_millis(200), Duration::from_millis(400));
    let status = op.wait(&client, wait.on_progress(show_progress)).await?;
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[K");
    }
    let state = status.power_state.map_or("unknown".into(), |s| s.to_string());
    println!("  done: {state} again after {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

fn billing(model: Option<BillingModel>) -> String {
    model.map_or("-".into(), |m| m.to_string())
}

fn print_fleet(vps_list: &[VpsSummary]) {
    println!("\n{:<30}  {:<13} {:<13} {:<16} {:>14}", "ID", "NAME", "POWER", "BILLING", "PER MONTH");
    for vps in vps_list {
        let cost = vps.monthly_cost().map_or("-".into(), |c| format!("{:.2} {}", c.amount, c.currency));
        println!(
            "{:<30}  {:<13} {:<13} {:<16} {:>14}",
            vps.id.as_deref().unwrap_or("?"),
            vps.name.as_deref().unwrap_or("-"),
            vps.power_state.as_ref().map_or("-".into(), |s| s.to_string()),
            billing(vps.billing_model()),
            cost,
        );
    }
}

fn print_details(vps: &VpsDetails) {
    let allowed = vps.allowed_actions();
    println!("\n{} ({})", vps.hostname.as_deref().unwrap_or("-"), vps.id);
    println!(
        "  billing    {} at {:.2} {}",
        billing(Some(vps.billing_model())),
        vps.billing.amount,
        vps.billing.currency_code
    );
    println!("  bandwidth  {} of {} GB used", vps.bandwidth.used_gb, vps.bandwidth.limit_gb);
    let mut line = String::from("  allowed   ");
    for action in &allowed {
        if line.len() + action.gate_name().len() > 100 {
            println!("{line}");
            line = " ".repeat(12);
        }
        line = format!("{line} {action}");
    }
    println!("{line}");
    for action in Action::ALL.iter().filter(|a| !allowed.contains(a)) {
        let gate = vps.gate(*action);
        let code = gate.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        println!("  blocked    {:<22}{}{code}", action.gate_name(), gate.reason.as_deref().unwrap_or("-"));
    }
}

/// A spinner on a terminal, one line per poll elsewhere (CI logs).
fn show_progress(p: &hostup::WaitProgress) {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let mut err = std::io::stderr();
    let line = format!(
        "{} {} after {:.1}s (poll {})",
        FRAMES[p.polls as usize % 4],
        p.status,
        p.elapsed.as_secs_f64(),
        p.polls
    );
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[K  {line}");
    } else {
        let _ = writeln!(err, "  {line}");
    }
}
