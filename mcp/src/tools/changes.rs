//! Billed changes, previewed with `dryRun: true` into a quote: configurable options (the library's
//! `Quote` flow) and plan changes of fixed-cycle VPSes.

use hostup::prelude::*;
use hostup::types::{ActionGate, PlanChangeRequest, PriceChange, ResourceChangeRequest};
use hostup::{Client, CommitOptions, ResourceChange};
use serde_json::json;

use super::{VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Cost, Preview, ToolDef};
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).without(&["dryRun"]).describe("id", VPS_ID);
    vec![
        ToolDef::preview(
            "preview_resource_change",
            "Prices a change of configurable options (keys and bounds from get_upgrade_options \
             `configurableOptions`, e.g. {\"bandwidthGb\": 4096}) without applying it. Checks the values \
             against the options first. Returns the quote: amount due now, the new recurring amount and its \
             increase (what the session's spending ceiling counts), warnings (an unpaid invoice makes the \
             commit answer existing_invoice_blocking unless cancelExistingInvoice is true), and a token. \
             Apply it with `commit`, passing `commitWith` unchanged.",
            input("changeVpsResources"),
            preview_resources,
        ),
        ToolDef::preview(
            "preview_plan_change",
            "Prices moving a fixed-cycle VPS to another plan (`productSlug` from get_upgrade_options \
             `availablePlans[].slug`) without applying it. PAYG VPSes have no plans. Returns the quote \
             with its price change, invoices and a token; apply it with `commit`, passing `commitWith` \
             unchanged.",
            input("upgradeVpsPlan"),
            preview_plan,
        ),
    ]
}

/// The quote's price, counting the recurring increase (the whole new amount when the server does
/// not say the increase).
fn cost(price: &PriceChange) -> Cost {
    Cost {
        recurring_increase: price.additional_recurring_amount.unwrap_or(price.recurring_amount),
        recurring: Some(price.recurring_amount),
        due_now: Some(price.amount),
        currency: price.currency_code.clone(),
    }
}

/// A closed `canCommit` as a refusal carrying the quote.
fn commit_gate(gate: Option<&ActionGate>, quote: serde_json::Value) -> Result<Vec<String>, Refusal> {
    let Some(gate) = gate else { return Ok(Vec::new()) };
    if !gate.allowed {
        let reason = gate.reason.clone().unwrap_or_else(|| "the server gave no reason".into());
        return Err(Refusal::new(
            "blocked",
            gate.code.as_deref().unwrap_or("commit_blocked"),
            format!("the preview says this change cannot be committed: {reason}"),
            "Resolve the reason (list_vps_invoices for unpaid invoices), then preview again.",
        )
        .with_details(json!({ "quote": quote })));
    }
    Ok(gate
        .code
        .iter()
        .map(|code| match code.as_str() {
            "existing_invoice_blocking" => {
                "an unpaid invoice blocks the commit (existing_invoice_blocking): \
                 it will be refused unless this preview is made with cancelExistingInvoice: true, which \
                 cancels that invoice"
                    .to_string()
            }
            other => format!("the server attached code {other} to this preview"),
        })
        .collect())
}

async fn preview_resources(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let body: ResourceChangeRequest = args.body(&["id"])?;
    let mut change = ResourceChange::new();
    for (key, value) in body.resources {
        change = change.set(key, value);
    }
    if let Some(cycle) = body.billing_cycle {
        change = change.billing_cycle_hint(cycle);
    }
    let quote = client.preview_resources_checked(&id, &change).await?;
    let shown = redacted(&quote.preview)?;
    let warnings =
        commit_gate(quote.preview.actions.as_ref().and_then(|a| a.can_commit.as_ref()), shown.clone())?;
    let cancel = body.cancel_existing_invoice == Some(true);
    Ok(Preview {
        quote: json!({ "vpsId": id, "resources": quote.resources(), "preview": shown }),
        cost: quote.price_change().map(cost),
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let options = CommitOptions::default().cancel_existing_invoice_on_conflict(cancel);
                redacted(&quote.commit(&client, options).await?)
            })
        }),
    })
}

async fn preview_plan(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let mut body: PlanChangeRequest = args.body(&["id"])?;
    body.dry_run = Some(true);
    let vps = client.get_vps_details().id(&id).send().await?.into_inner();
    if vps.billing_model().is_payg() {
        return Err(Refusal::new(
            "wrong_billing_model",
            "wrong_billing_model",
            format!("{id} is a PAYG VPS: it has no plan to change"),
            "Change its resources with preview_resource_change instead.",
        ));
    }
    let preview = client.upgrade_vps_plan().id(&id).body(body.clone()).send().await?.into_inner();
    let shown = redacted(&preview)?;
    let warnings = commit_gate(preview.actions.as_ref().and_then(|a| a.can_commit.as_ref()), shown.clone())?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "preview": shown }),
        cost: preview.price_change.as_ref().map(cost),
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let commit = PlanChangeRequest { dry_run: Some(false), ..body };
                redacted(&client.upgrade_vps_plan().id(&id).body(commit).send().await?.into_inner())
            })
        }),
    })
}
