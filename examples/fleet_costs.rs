//! What the fleet costs per month, per currency, with PAYG kept apart: prepaid cycles are brought
//! to a month, PAYG amounts are the latest reported figures. Read-only.
//!
//! ```sh
//! cargo run --example fleet_costs                       # the embedded sandbox
//! HOSTUP_API_KEY=... cargo run --example fleet_costs    # your account
//! ```

use std::process::ExitCode;

use hostup::prelude::*;
use hostup::{BillingModel, Client, FleetCost};
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
    let sandbox = match std::env::var_os(hostup::ENV_API_KEY) {
        Some(_) => None,
        None => Some(Sandbox::start().await),
    };
    let client = match &sandbox {
        Some(sandbox) => {
            println!("HOSTUP_API_KEY is not set: using the embedded sandbox at {}.", sandbox.url());
            sandbox.client()
        }
        None => Client::from_env()?,
    };
    let mut vps_list = client.all_vps().await?;
    vps_list.sort_by(|a, b| {
        let cost = |v: &hostup::types::VpsSummary| v.monthly_cost().map_or(0.0, |c| c.amount);
        cost(b).total_cmp(&cost(a))
    });

    println!("\n{:<14} {:<16} {:>14} {:>14}", "NAME", "BILLING", "PER CYCLE", "PER MONTH");
    for vps in &vps_list {
        let billing = match vps.billing_model() {
            Some(BillingModel::Payg) => "PAYG (by use)".to_string(),
            Some(BillingModel::Fixed(cycle)) => cycle.to_string(),
            Some(other) => other.to_string(),
            None => "-".to_string(),
        };
        let per_cycle =
            vps.billing.as_ref().map_or("-".into(), |b| format!("{:.2} {}", b.amount, b.currency_code));
        let monthly = vps.monthly_cost().map_or("-".into(), |c| format!("{:.2} {}", c.amount, c.currency));
        let name = vps.name.as_deref().or(vps.id.as_deref()).unwrap_or("?");
        println!("{name:<14} {billing:<16} {per_cycle:>14} {monthly:>14}");
    }

    let total = FleetCost::of(&vps_list);
    println!("\nPer month, {} VPS:", vps_list.len());
    for (currency, amount) in &total.fixed {
        println!("  fixed-cycle  {amount:>10.2} {currency}   prepaid, brought to one month");
    }
    for (currency, amount) in &total.payg {
        println!("  PAYG         {amount:>10.2} {currency}   latest reported, billed by use");
    }
    if !total.unknown.is_empty() {
        println!("  unknown      {}", total.unknown.join(", "));
    }
    Ok(())
}
