//! Provisioning and ending a VPS as quotes: a PAYG deployment (priced from the hourly rates,
//! checked against the deployment options and the account's quota), a rebuild, a cancellation and
//! its withdrawal. The commits call the library's helpers; those that wait (rebuild, a cancellation
//! still being looked up) wait at most [`COMMIT_WAIT`] and then answer what is still running.

use std::time::Duration;

use hostup::prelude::*;
use hostup::types::CancelType;
use hostup::{Action, CancelRequest, Client, Confirmation, Error, PaygDeploy, WaitOptions};
use serde_json::json;

use super::{VPS_ID, payg_monthly, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Preview, ToolDef};
use crate::schemas::{InputSchema, property_of};

/// The longest a commit waits for what it started before answering "still running".
pub const COMMIT_WAIT: Duration = Duration::from_secs(30);

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    let mut region = property_of("PaygDeploymentRequest", "region");
    region["description"] =
        "A region id from get_payg_options `regions[].id`; its default when left out.".into();
    vec![
        ToolDef::preview(
            "preview_payg_deploy",
            "Checks a new PAYG Cloud VPS against the deployment options (canDeploy and the account's \
             blockers, its per-resource bounds, the regions) and the account's PAYG quota (get_payg_limits: \
             a refusal names the limit, what is needed and what remains), and prices it: the hourly rate of \
             its cores, memory, storage and one IPv4 address, and that over a month (730 h), which is what \
             the spending ceiling counts. Returns a quote with a token; `commit` creates it ONCE (PAYG \
             creation has no idempotency key: if the commit's answer is lost, look for the name with \
             list_vps before previewing again) and answers the new id, `provisioning`: follow it with \
             get_vps_status.",
            InputSchema::of("createPaygDeployment").without(&["region"]).with("region", region, false),
            payg_deploy,
        ),
        ToolDef::preview(
            "preview_rebuild",
            "DESTRUCTIVE: reinstalls the VPS from a template (`templateId`: an id or name from \
             list_templates), wiping its OS disk: every file on it is lost. Checks the template and the \
             canRebuild gate and returns a quote with a token; `commit` starts the rebuild and waits up \
             to 30 s for the VPS to run again (else answers finished false: follow get_vps_status).",
            input("rebuildVps")
                .describe("templateId", "A template id (or name) from list_templates `data[]`."),
            rebuild,
        ),
        ToolDef::preview(
            "preview_cancellation",
            "DESTRUCTIVE: cancels the VPS, `end_of_period` (default: it runs until the paid period ends, \
             revokable until then) or `immediate` (it and its data go now). `reason` 1 to 500 characters. \
             Checks the canCancel gate and the current cancellation (get_cancellation) and returns a \
             quote with a token; `commit` files it. An overdue invoice makes the server refuse it \
             (cancellation_blocked_overdue_invoice), and that refusal also switches auto-renew off.",
            input("cancelVps"),
            cancel,
        ),
        ToolDef::preview(
            "preview_cancellation_revoke",
            "Checks that the VPS's cancellation can still be withdrawn (get_cancellation `revokable`; \
             pending or scheduled) and returns a quote with a token; `commit` withdraws it.",
            input("revokeVpsCancellation"),
            revoke,
        ),
    ]
}

fn count(args: &Args, name: &str) -> Result<u64, Refusal> {
    args.opt::<u64>(name)?.ok_or_else(|| Refusal::arguments(format!("`{name}` is required")))
}

async fn payg_deploy(client: Client, args: Args) -> Result<Preview, Refusal> {
    let name = args.string("name")?;
    let mut request = PaygDeploy::new(
        &name,
        count(&args, "cpuCores")?,
        count(&args, "memoryGb")?,
        count(&args, "storageGb")?,
    );
    if let Some(region) = args.opt_string("region")? {
        request = request.region(region);
    }
    let options = client.get_payg_deployment_options().send().await?.into_inner();
    let limits = client.get_payg_limits().send().await?.into_inner();
    let body = request.check(&options, &limits)?;
    let rates = &options.pricing;
    let hourly = request.hourly_cost(rates) + rates.ip_per_hour;
    let cost = payg_monthly(hourly, &rates.currency_code);
    let mut warnings = vec![
        format!(
            "billed by the hour from creation until it is cancelled: about {hourly:.2} {} an hour, {:.2} a \
             month, plus {} per GB of traffic",
            rates.currency_code, cost.recurring_increase, rates.bandwidth_per_gb
        ),
        "sent once: a lost answer is not retried; look for the name with list_vps before previewing again"
            .to_string(),
    ];
    let same_name = client.list_vps().name(name.as_str()).send().await?.into_inner().data;
    if !same_name.is_empty() {
        warnings.push(format!("{} VPS(es) named {name:?} exist already", same_name.len()));
    }
    let quote = json!({
        "deploy": body,
        "hourly": (hourly * 10_000.0).round() / 10_000.0,
        "monthlyEstimate": cost.recurring_increase,
        "currency": rates.currency_code,
        "remainingQuota": redacted(&limits.remaining)?,
    });
    Ok(Preview {
        quote,
        cost: Some(cost),
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let created = client.create_payg(&request).await?;
                let mut shown = redacted(&created)?;
                shown["follow"] = "get_vps_status with vpsId until it runs".into();
                Ok(shown)
            })
        }),
    })
}

fn status(cancellation: &hostup::types::VpsCancellation) -> String {
    cancellation.status.as_ref().map_or("unknown".into(), |s| s.to_string())
}

fn wait() -> WaitOptions {
    WaitOptions::default().with_max_wait(COMMIT_WAIT)
}

async fn rebuild(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let template = args.string("templateId")?;
    let templates = client.list_vps_templates().id(&id).send().await?.into_inner();
    let Some(chosen) = templates.find(&template) else {
        let offered: Vec<String> = templates.data.iter().map(|t| format!("{} ({})", t.id, t.name)).collect();
        let reason = format!("{template:?} is not offered for {id}; offered: {}", offered.join(", "));
        return Err(Error::InvalidOption { key: "templateId".into(), reason }.into());
    };
    let chosen = redacted(chosen)?;
    client.get_vps_details().id(&id).send().await?.into_inner().ensure_allowed(Action::Rebuild)?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "template": chosen }),
        cost: None,
        warnings: vec![
            "wipes the VPS's OS disk and installs the template: every file on it is lost (take a snapshot \
             first with preview_snapshot_create if anything matters)"
                .into(),
        ],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                match client.rebuild(&id, &template, &Confirmation::destroys(&id), wait()).await {
                    Ok(status) => Ok(json!({ "vpsId": id, "finished": true, "status": redacted(&status)? })),
                    // Sent and accepted; only the wait ran out.
                    Err(Error::WaitTimeout { last_status, .. }) => Ok(json!({
                        "vpsId": id, "finished": false, "lastStatus": last_status,
                        "follow": "get_vps_status until powerState is running",
                    })),
                    Err(e) => Err(e.into()),
                }
            })
        }),
    })
}

async fn cancel(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let kind = args.opt::<CancelType>("cancelType")?.unwrap_or(CancelType::EndOfPeriod);
    let mut request = CancelRequest::new(kind.clone(), args.string("reason")?);
    if let Some(other) = args.opt_string("otherReason")? {
        request = request.other_reason(other);
    }
    request.to_body()?;
    let vps = client.get_vps_details().id(&id).send().await?.into_inner();
    vps.ensure_allowed(Action::Cancel)?;
    let now = client.get_vps_cancellation().id(&id).send().await?.into_inner();
    let mut warnings = vec![match kind {
        CancelType::Immediate => "ends the VPS now: it and every byte of its data are deleted".to_string(),
        _ => "ends the VPS when its paid period ends; revokable until then".to_string(),
    }];
    if now.exists() {
        warnings.push(format!("the VPS already has a cancellation ({})", status(&now)));
    }
    if !vps.unpaid_overdue_invoices(client.base_url()).is_empty() {
        warnings.push(
            "an overdue invoice is unpaid: the server refuses the cancellation \
             (cancellation_blocked_overdue_invoice) and that refusal switches auto-renew off"
                .into(),
        );
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "cancelType": kind, "now": redacted(&now)? }),
        cost: None,
        warnings,
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let confirmed = Confirmation::destroys(&id);
                match client.cancel_vps_service(&id, &request, &confirmed, wait()).await {
                    Ok(cancellation) => redacted(&cancellation),
                    Err(e) if e.auto_renew_was_disabled() => {
                        let mut refusal = Refusal::from(e);
                        refusal.reason.push_str(" (auto-renewal of the VPS was switched off)");
                        let mut details = refusal.details.take().map_or_else(|| json!({}), |d| *d);
                        details["autoRenewDisabled"] = true.into();
                        Err(refusal.with_details(details))
                    }
                    Err(e) => Err(e.into()),
                }
            })
        }),
    })
}

async fn revoke(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let now = client.get_vps_cancellation().id(&id).send().await?.into_inner();
    if !now.is_revokable() {
        return Err(Refusal::new(
            "blocked",
            "not_revokable",
            format!("the cancellation of {id} is {} and cannot be withdrawn", status(&now)),
            "Only a pending or scheduled cancellation can be withdrawn; read get_cancellation.",
        )
        .with_details(json!({ "gate": "revokable" })));
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "revoke": redacted(&now)? }),
        cost: None,
        warnings: Vec::new(),
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.withdraw_cancellation(&id).await?) })
        }),
    })
}
