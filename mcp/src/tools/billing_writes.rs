//! The two billed changes the library offers besides options and plans: a fixed-cycle VPS's
//! billing cycle (previewed with the server's `dryRun`) and a PAYG VPS's CPU and memory (priced
//! from the account's hourly rates, checked against the PAYG quota). Both count towards the
//! spending ceiling as what they add per month; the commits call the library's helpers, which
//! check the billing model and the gate again.

use hostup::prelude::*;
use hostup::types::BillingCycleChoice;
use hostup::{Client, cycle_months};
use serde_json::json;

use super::{PAYG_HOURS_PER_MONTH, VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Cost, Preview, ToolDef};
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::preview(
            "preview_billing_cycle_change",
            "Prices moving a fixed-cycle VPS to another `billingCycle` (monthly, quarterly, ... annually) \
             with the server's dry run, without applying it; PAYG VPSes have no cycle. Checks the \
             canChangeBillingCycle gate (get_vps_details). Returns the quote: the new cycle's amount, \
             what that is per month against today (the increase per month is what the spending ceiling \
             counts), whether an unpaid invoice would block the commit, and a token; `commit` changes it.",
            input("changeVpsBillingCycle").without(&["dryRun", "cancelExistingInvoice"]),
            billing_cycle,
        ),
        ToolDef::preview(
            "preview_payg_resize",
            "Prices new CPU cores and memory for a PAYG Cloud VPS (fixed-cycle VPSes change plans with \
             preview_plan_change instead): the canResize gate, the spec's bounds, the account's PAYG \
             quota for the extra cores and memory (get_payg_limits `remaining`), and the hourly rates: \
             the quote's monthly difference (730 h) is what the spending ceiling counts. Returns a quote \
             with a token; `commit` resizes it (the VPS may restart).",
            input("resizePaygVps"),
            payg_resize,
        ),
    ]
}

fn round2(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

async fn billing_cycle(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let cycle = args
        .opt::<BillingCycleChoice>("billingCycle")?
        .ok_or_else(|| Refusal::arguments("`billingCycle` is required"))?;
    let vps = client.get_vps_details().id(&id).send().await?.into_inner();
    let preview = client.change_billing_cycle(&vps, cycle, true).await?;
    let months = cycle_months(&preview.target_billing_cycle).filter(|m| *m > 0);
    let monthly_after = months.map(|m| preview.target_amount / f64::from(m));
    let now = vps.monthly_cost();
    let increase = match (monthly_after, &now) {
        (Some(after), Some(now)) if now.currency.eq_ignore_ascii_case(&preview.currency_code) => {
            round2((after - now.amount).max(0.0))
        }
        _ => preview.target_amount,
    };
    let mut warnings = Vec::new();
    if preview.would_block {
        warnings.push(
            "an unpaid invoice blocks the commit (existing_invoice_blocking): pay it first (list_vps_invoices)"
                .to_string(),
        );
    }
    let quote = json!({
        "vpsId": id, "preview": redacted(&preview)?,
        "monthlyAfter": monthly_after.map(round2),
        "monthlyNow": now.as_ref().map(|n| json!({"amount": n.amount, "currency": n.currency})),
    });
    Ok(Preview {
        quote,
        cost: Some(Cost {
            recurring_increase: increase,
            recurring: Some(preview.target_amount),
            due_now: None,
            currency: preview.currency_code.clone(),
        }),
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let vps = client.get_vps_details().id(&id).send().await?.into_inner();
                redacted(&client.change_billing_cycle(&vps, cycle, false).await?)
            })
        }),
    })
}

fn count(args: &Args, name: &str) -> Result<u64, Refusal> {
    args.opt::<u64>(name)?.ok_or_else(|| Refusal::arguments(format!("`{name}` is required")))
}

async fn payg_resize(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let (cores, memory) = (count(&args, "cpuCores")?, count(&args, "memoryGb")?);
    let vps = client.get_vps_details().id(&id).send().await?.into_inner();
    if !vps.billing_model().is_payg() {
        return Err(Refusal::new(
            "wrong_billing_model",
            "wrong_billing_model",
            format!("{id} is a fixed-cycle VPS: its CPU and memory come with its plan"),
            "Move it to another plan with preview_plan_change instead (get_upgrade_options lists them).",
        ));
    }
    vps.ensure_allowed(hostup::Action::Resize)?;
    let limits = client.get_payg_limits().send().await?.into_inner();
    let (more_cores, more_memory) = (cores as f64 - vps.cpu_cores, memory as f64 - vps.memory_gb);
    for (key, more, remaining) in [
        ("cpuCores", more_cores, limits.remaining.cpu_cores),
        ("memoryGb", more_memory, limits.remaining.memory_gb),
    ] {
        if more > remaining as f64 {
            return Err(Refusal::new(
                "quota_exceeded",
                "quota_exceeded",
                format!("{more} more {key} is above what the account's PAYG quota has left ({remaining})"),
                "Nothing was sent. Ask for less, or file preview_payg_limit_request for it first.",
            )
            .with_details(json!({ "limit": key, "requested": more, "remaining": remaining })));
        }
    }
    let rates = &limits.billing;
    let hourly_more = more_cores * rates.cpu_per_core_hour + more_memory * rates.memory_per_gb_hour;
    let hourly_after = cores as f64 * rates.cpu_per_core_hour
        + memory as f64 * rates.memory_per_gb_hour
        + vps.storage_gb * rates.storage_per_gb_hour
        + rates.ip_per_hour;
    let cost = Cost {
        recurring_increase: round2((hourly_more * PAYG_HOURS_PER_MONTH).max(0.0)),
        recurring: Some(round2(hourly_after * PAYG_HOURS_PER_MONTH)),
        due_now: None,
        currency: rates.currency_code.clone(),
    };
    let quote = json!({
        "vpsId": id,
        "now": { "cpuCores": vps.cpu_cores, "memoryGb": vps.memory_gb },
        "after": { "cpuCores": cores, "memoryGb": memory },
        "hourlyChange": (hourly_more * 10_000.0).round() / 10_000.0,
        "monthlyChange": round2(hourly_more * PAYG_HOURS_PER_MONTH),
        "currency": rates.currency_code,
    });
    Ok(Preview {
        quote,
        cost: Some(cost),
        warnings: vec!["the VPS may restart to apply the new CPU and memory".into()],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let vps = client.get_vps_details().id(&id).send().await?.into_inner();
                redacted(&client.resize_cpu_memory(&vps, cores, memory).await?)
            })
        }),
    })
}
