//! One change for the whole fleet, safely: preview it on every VPS (values checked against each
//! VPS's options first), commit only where the quote says it can be committed, and report the rest
//! with the server's reasons. Runs against the embedded sandbox only, since it changes things.
//!
//! ```sh
//! cargo run --example safe_bulk_change
//! ```

use std::process::ExitCode;

use hostup::prelude::*;
use hostup::{Client, CommitOptions, Quote, ResourceChange};
use hostup_sandbox::Sandbox;

#[tokio::main]
async fn main() -> ExitCode {
    let sandbox = Sandbox::start().await;
    println!("Using the embedded sandbox at {} (this example changes things).", sandbox.url());
    match run(&sandbox.client()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What happened to one VPS.
enum Outcome {
    Committed,
    Left(String),
}

async fn run(client: &Client) -> hostup::Result<()> {
    let change = ResourceChange::new().set("snapshotSlots", 2);
    println!("\nChange on every VPS: snapshotSlots = 2\n");
    println!("{:<14} {:<10} {:<24} WHY NOT", "NAME", "RESULT", "PRICE PER CYCLE");
    let mut committed = 0;
    let vps_list = client.all_vps().await?;
    for vps in &vps_list {
        let (Some(id), name) = (vps.id.as_deref(), vps.name.as_deref().unwrap_or("?")) else { continue };
        let (outcome, price) = match client.preview_resources_checked(id, &change).await {
            Ok(quote) => (apply(client, &quote).await, price(&quote)),
            Err(e) => (Outcome::Left(format!("preview refused: {e}")), "-".into()),
        };
        match outcome {
            Outcome::Committed => {
                committed += 1;
                println!("{name:<14} {:<10} {price}", "committed");
            }
            Outcome::Left(why) => println!("{name:<14} {:<10} {price:<24} {why}", "left"),
        }
    }
    println!("\nCommitted {committed} of {}; the others are as they were.", vps_list.len());
    Ok(())
}

/// Commits a quote when it can be, without ever cancelling an invoice on the user's behalf.
async fn apply(client: &Client, quote: &Quote) -> Outcome {
    if let Some(reason) = quote.blocked_reason() {
        return Outcome::Left(format!("blocked: {reason}"));
    }
    let warning = quote.preview.actions.as_ref().and_then(|a| a.can_commit.as_ref()?.code.as_deref());
    if warning == Some("existing_invoice_blocking") {
        return Outcome::Left("an unpaid invoice would block it (commit with cancel_existing_invoice_on_conflict to cancel that invoice)".into());
    }
    match quote.commit(client, CommitOptions::default()).await {
        Ok(_) => Outcome::Committed,
        Err(e) => Outcome::Left(format!("commit failed: {e}")),
    }
}

fn price(quote: &Quote) -> String {
    match (quote.price_change(), quote.currency()) {
        (Some(p), Some(currency)) => {
            format!(
                "{:+.2} -> {:.2} {currency}",
                p.additional_recurring_amount.unwrap_or(0.0),
                p.recurring_amount
            )
        }
        _ => "-".into(),
    }
}
