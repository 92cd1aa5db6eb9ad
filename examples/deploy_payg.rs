//! Create a PAYG Cloud VPS, wait until it runs, print what it is and costs, and cancel it. It
//! runs in the embedded sandbox only: creating and cancelling servers on a real account is not
//! something an example should do.
//!
//! ```sh
//! cargo run --example deploy_payg
//! ```

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use hostup::prelude::*;
use hostup::types::CancelType;
use hostup::{CancelRequest, Confirmation, PaygDeploy, WaitOptions};
use hostup_sandbox::Sandbox;

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
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(1500)).start().await;
    let client = sandbox.client();
    println!("The embedded sandbox at {}: a simulated account, no network.", sandbox.url());

    let limits = client.get_payg_limits().send().await?.into_inner();
    let left = &limits.remaining;
    println!(
        "PAYG quota left: {} cores, {} GB memory, {} GB disk, {} VPS",
        left.cpu_cores, left.memory_gb, left.storage_gb, left.instance_count
    );

    // Checked against the deployment options and the quota before anything is sent; sent once.
    let request = PaygDeploy::new("web-01", 2, 4, 80);
    println!("\nCreating {} (2 vCPU, 4 GB memory, 80 GB disk)", request.name());
    let started = std::time::Instant::now();
    let wait = WaitOptions::default()
        .with_poll_interval(Duration::from_millis(200), Duration::from_millis(500))
        .on_progress(show_progress);
    let vps = client.deploy_payg(&request, wait).await?;
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[K");
    }
    println!("  running after {:.1}s", started.elapsed().as_secs_f64());
    println!("  id         {}", vps.id);
    println!("  hostname   {}", vps.hostname.as_deref().unwrap_or("-"));
    println!("  address    {}", vps.ipv4.as_deref().unwrap_or("-"));
    let os = vps.operating_system.as_ref().and_then(|os| os.display_name.as_deref());
    println!("  system     {}", os.unwrap_or("-"));
    if let Some(cost) = vps.monthly_cost() {
        println!(
            "  cost       {:.2} {} per month at the hourly rates (estimate)",
            cost.amount, cost.currency
        );
    }

    // Ending it: the gate is checked, and the confirmation names this VPS.
    let cancel = CancelRequest::new(CancelType::Immediate, "No longer needed");
    let ended =
        client.cancel_vps_service(&vps.id, &cancel, &Confirmation::destroys(&vps.id), wait_briefly()).await?;
    let status = ended.status.as_ref().map_or("unknown".into(), |s| s.to_string());
    println!("\nCancelled immediately: {status} (revokable: {})", ended.is_revokable());
    Ok(())
}

fn wait_briefly() -> WaitOptions {
    WaitOptions::default()
        .with_poll_interval(Duration::from_millis(100), Duration::from_millis(200))
        .with_max_wait(Duration::from_secs(10))
}

/// A spinner on a terminal, one line per poll elsewhere (CI logs).
fn show_progress(p: &hostup::WaitProgress) {
    const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
    let mut err = std::io::stderr();
    let line = format!("{} {} after {:.1}s", FRAMES[p.polls as usize % 4], p.status, p.elapsed.as_secs_f64());
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[K  {line}");
    } else {
        let _ = writeln!(err, "  {line}");
    }
}
