//! A change you can take back: snapshot, change, verify, and roll back when the check fails, with
//! `GuardedChange` reporting each step. Runs against the embedded sandbox (it changes things, so
//! never against your account).
//!
//! ```sh
//! cargo run --example safe_change
//! ```
//!
//! 1. A second snapshot slot bought through the preview/commit flow, guarded: it verifies, and
//!    the snapshot, kept until then as a rollback offer, is deleted.
//! 2. A CPU and memory resize whose health check fails: the VPS is rolled back to the snapshot and
//!    the rollback is verified.

use std::process::ExitCode;
use std::time::Duration;

use hostup::prelude::*;
use hostup::{
    Client, CommitOptions, Destructive, Error, GuardReport, GuardedChange, ResourceChange, Rollback,
    WaitOptions,
};
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

fn wait() -> WaitOptions {
    WaitOptions::default().with_poll_interval(Duration::from_millis(200), Duration::from_secs(1))
}

async fn run() -> hostup::Result<()> {
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(500)).start().await;
    println!("Using the embedded sandbox at {} (no account, nothing leaves this machine).", sandbox.url());
    let client = sandbox.client();
    let id = fleet::PAYG_CLOUD; // a PAYG Cloud VPS with one snapshot slot

    // 1. Preview, commit, verify; the snapshot guards it all.
    let change = ResourceChange::new().set("snapshotSlots", 2);
    let guard = GuardedChange::new(id, "before-slots")
        .description("before buying a second snapshot slot")
        .wait_options(wait());
    let report = guard
        .run(&client, async {
            let quote = client.preview_resources(id, &change).await?;
            println!("  quote: {:?} {} due now", quote.amount_due(), quote.currency().unwrap_or(""));
            quote.commit(&client, CommitOptions::default()).await?;
            let list = client.list_vps_snapshots().id(id).send().await?.into_inner();
            verify(list.limits.and_then(|l| l.total_snapshots) == Some(2), "the VPS has 2 snapshot slots")
        })
        .await?;
    print_steps("snapshot slot purchase", &report);
    report.outcome.map_err(|failure| Error::InvalidRequest(failure.to_string()))?;
    client.delete_snapshot(id, "before-slots", Destructive::confirm(id)).await?.wait(&client, wait()).await?;
    println!("  verified; snapshot before-slots deleted, it is no longer needed");

    // 2. Resize, then a health check that fails: rolled back because we said so.
    let before = client.get_vps_details().id(id).send().await?.into_inner();
    let guard = GuardedChange::new(id, "before-resize")
        .roll_back_on_failure(Destructive::confirm(id)) // the typed confirmation: a restore overwrites the disk
        .wait_options(wait());
    let report = guard
        .run(&client, async {
            let vps = client.get_vps_details().id(id).send().await?.into_inner();
            client.resize_cpu_memory(&vps, 4, 8).await?;
            let after = client.get_vps_details().id(id).send().await?.into_inner();
            println!("  resized to {} vCPU, {} GB", after.cpu_cores, after.memory_gb);
            // Your application's own check goes here; this one fails on purpose to show the rollback.
            verify(false, "the application answers on its health endpoint (simulated failure)")
        })
        .await?;
    print_steps("resize", &report);
    let failure = report.outcome.expect_err("the health check failed on purpose");
    match &failure.rollback {
        Rollback::Done => {}
        _ => return Err(Error::InvalidRequest(format!("expected a rollback: {failure}"))),
    }
    let back = client.get_vps_details().id(id).send().await?.into_inner();
    verify(
        (back.cpu_cores, back.memory_gb) == (before.cpu_cores, before.memory_gb),
        "the VPS is back at its size before the change",
    )?;
    println!("  verified: back at {} vCPU, {} GB", back.cpu_cores, back.memory_gb);
    cleanup(&client, id).await
}

/// A check of the change, as an error the guard reacts to.
fn verify(ok: bool, what: &str) -> hostup::Result<()> {
    if ok { Ok(()) } else { Err(Error::InvalidRequest(format!("verification failed: {what}"))) }
}

fn print_steps<T>(title: &str, report: &GuardReport<T>) {
    println!("{title}:");
    for step in &report.steps {
        println!("  - {step}");
    }
}

/// The rollback kept its snapshot; delete it so the slot is free for the next change.
async fn cleanup(client: &Client, id: &str) -> hostup::Result<()> {
    client.delete_snapshot(id, "before-resize", Destructive::confirm(id)).await?.wait(client, wait()).await?;
    println!("done: snapshot before-resize deleted");
    Ok(())
}
