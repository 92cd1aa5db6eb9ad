//! Each command: one or two library calls, then a table or JSON.

use std::time::{Duration, Instant};

use hostup::prelude::*;
use hostup::types::VpsDetails;
use hostup::{Action, Client, CommitOptions, PowerAction, Quote, ResourceChange, WaitOptions};
use serde_json::{Value, json};

use crate::Failure;
use crate::args::{Change, Power, Vps};
use crate::output::{self, billing, fields, money, table};

/// Runs one `vps` command.
pub async fn run(client: &Client, command: Vps, as_json: bool) -> Result<(), Failure> {
    match command {
        Vps::List => list(client, as_json).await,
        Vps::Show { id } => show(client, &id, as_json).await,
        Vps::Preview(change) => preview(client, &change, as_json).await,
        Vps::Commit { change, cancel_existing_invoice } => {
            commit(client, &change, cancel_existing_invoice, as_json).await
        }
        Vps::Restart { power, force } => {
            let action = if force { PowerAction::ForceRestart } else { PowerAction::Restart };
            power_action(client, &power, action, as_json).await
        }
        Vps::Start(power) => power_action(client, &power, PowerAction::Start, as_json).await,
        Vps::Shutdown(power) => power_action(client, &power, PowerAction::Shutdown, as_json).await,
        Vps::Stop(power) => power_action(client, &power, PowerAction::Stop, as_json).await,
        Vps::Reset(power) => power_action(client, &power, PowerAction::Reset, as_json).await,
    }
}

async fn list(client: &Client, as_json: bool) -> Result<(), Failure> {
    let vps_list = client.all_vps().await?;
    if as_json {
        output::json(&vps_list);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = vps_list
        .iter()
        .map(|vps| {
            vec![
                vps.id.clone().unwrap_or_default(),
                vps.name.clone().unwrap_or_else(|| "-".into()),
                vps.power_state.as_ref().map_or("-".into(), |s| s.to_string()),
                billing(vps.billing_model()),
                vps.monthly_cost().map_or("-".into(), |c| money(c.amount, &c.currency)),
            ]
        })
        .collect();
    println!("{}", table(&["ID", "NAME", "POWER", "BILLING", "PER MONTH"], &rows));
    Ok(())
}

async fn show(client: &Client, id: &str, as_json: bool) -> Result<(), Failure> {
    let vps = client.get_vps_details().id(id).send().await?.into_inner();
    if as_json {
        let mut value = serde_json::to_value(&vps).unwrap_or(Value::Null);
        if let Some(password) = value.pointer_mut("/access/rootPassword").filter(|p| !p.is_null()) {
            *password = Value::from("[redacted]");
        }
        output::json(&value);
        return Ok(());
    }
    println!("{}", fields(&details_fields(client, &vps)));
    Ok(())
}

fn details_fields(client: &Client, vps: &VpsDetails) -> Vec<(&'static str, String)> {
    let power = vps.power_state.as_ref().map_or("-".into(), |s| s.to_string());
    let bw = &vps.bandwidth;
    let mut out = vec![
        ("id", vps.id.clone()),
        ("hostname", vps.hostname.clone().unwrap_or_else(|| "-".into())),
        ("product", vps.product_name.clone().unwrap_or_else(|| "-".into())),
        ("state", format!("{}, {power}", vps.service_status)),
        (
            "billing",
            format!(
                "{}: {}",
                billing(Some(vps.billing_model())),
                money(vps.billing.amount, &vps.billing.currency_code)
            ),
        ),
        (
            "resources",
            format!("{} vCPU, {} GB memory, {} GB storage", vps.cpu_cores, vps.memory_gb, vps.storage_gb),
        ),
        ("bandwidth", format!("{} of {} GB used ({:.1}%)", bw.used_gb, bw.limit_gb, bw.usage_percent)),
    ];
    let allowed = vps.allowed_actions();
    let names: Vec<&str> = allowed.iter().map(|a| a.gate_name()).collect();
    out.push(("allowed", if names.is_empty() { "none".into() } else { names.join(" ") }));
    for action in Action::ALL.iter().filter(|a| !allowed.contains(a)) {
        let gate = vps.gate(*action);
        let code = gate.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        let reason = gate.reason.as_deref().unwrap_or("no reason given");
        out.push(("blocked", format!("{:<22} {reason}{code}", action.gate_name())));
    }
    for overdue in vps.unpaid_overdue_invoices(client.base_url()) {
        let invoice = &overdue.invoice;
        let link = overdue.payment_link.unwrap_or_default();
        out.push((
            "overdue",
            format!("{} {} {link}", invoice.id, money(invoice.amount, &invoice.currency_code)),
        ));
    }
    out
}

fn resource_change(change: &Change) -> ResourceChange {
    change.settings.iter().fold(ResourceChange::new(), |c, (key, value)| c.set(key.clone(), value.clone()))
}

fn quote_json(quote: &Quote) -> Value {
    json!({
        "vpsId": quote.vps_id(),
        "resources": quote.resources(),
        "canCommit": quote.can_commit(),
        "blockedReason": quote.blocked_reason(),
        "amountDue": quote.amount_due(),
        "recurringAmount": quote.recurring_amount(),
        "currency": quote.currency(),
        "preview": quote.preview,
    })
}

fn quote_fields(quote: &Quote) -> Vec<(&'static str, String)> {
    let settings: Vec<String> = quote.resources().iter().map(|(k, v)| format!("{k}={v}")).collect();
    let currency = quote.currency().unwrap_or("");
    let delta = quote.price_change().and_then(|p| p.additional_recurring_amount);
    let commit = match quote.blocked_reason() {
        None => "yes".to_string(),
        Some(reason) => format!("no: {reason}"),
    };
    vec![
        ("vps", quote.vps_id().to_string()),
        ("change", settings.join(" ")),
        ("due now", quote.amount_due().map_or("-".into(), |a| money(a, currency))),
        (
            "per cycle",
            match (quote.recurring_amount(), delta) {
                (Some(total), Some(delta)) => format!("{} ({delta:+.2})", money(total, currency)),
                (Some(total), None) => money(total, currency),
                _ => "-".into(),
            },
        ),
        ("can commit", commit),
    ]
}

async fn preview(client: &Client, change: &Change, as_json: bool) -> Result<(), Failure> {
    let quote = client.preview_resources_checked(&change.id, &resource_change(change)).await?;
    if as_json {
        output::json(&quote_json(&quote));
    } else {
        println!("{}", fields(&quote_fields(&quote)));
    }
    Ok(())
}

async fn commit(
    client: &Client,
    change: &Change,
    cancel_invoice: bool,
    as_json: bool,
) -> Result<(), Failure> {
    let quote = client.preview_resources_checked(&change.id, &resource_change(change)).await?;
    if let Some(reason) = quote.blocked_reason() {
        return Err(Failure::Blocked(format!("{} cannot be committed: {reason}", change.id)));
    }
    let options = CommitOptions::default().cancel_existing_invoice_on_conflict(cancel_invoice);
    let result = quote.commit(client, options).await?;
    if as_json {
        output::json(&json!({"quote": quote_json(&quote), "result": result}));
        return Ok(());
    }
    let mut out = quote_fields(&quote);
    out.retain(|(k, _)| *k != "can commit");
    let invoice = result.payment_invoice.as_ref().and_then(|i| i.get("id")).and_then(Value::as_str);
    out.push(("committed", invoice.map_or("yes".into(), |id| format!("yes, invoice {id}"))));
    println!("{}", fields(&out));
    Ok(())
}

async fn power_action(
    client: &Client,
    power: &Power,
    action: PowerAction,
    as_json: bool,
) -> Result<(), Failure> {
    let started = Instant::now();
    let op = client.power(&power.id, action).await?;
    let job_id = op.operation().map(|o| o.job_id.clone());
    let name = action_name(action);
    if !power.wait {
        if as_json {
            output::json(&json!({"vpsId": power.id, "action": name, "jobId": job_id, "status": "accepted"}));
        } else {
            println!("{name} of {} accepted (job {})", power.id, job_id.as_deref().unwrap_or("-"));
        }
        return Ok(());
    }
    let options = WaitOptions::default()
        .with_max_wait(Duration::from_secs(power.timeout))
        .on_progress(output::progress);
    let waited = op.wait(client, options).await;
    output::end_progress();
    let status = waited?;
    let state = status.power_state.as_ref().map_or("unknown".into(), |s| s.to_string());
    if as_json {
        output::json(
            &json!({"vpsId": power.id, "action": name, "jobId": job_id, "powerState": state, "status": status}),
        );
    } else {
        println!("{name} of {} done: {state} after {:.1}s", power.id, started.elapsed().as_secs_f64());
    }
    Ok(())
}

fn action_name(action: PowerAction) -> &'static str {
    match action {
        PowerAction::Start => "start",
        PowerAction::Shutdown => "shutdown",
        PowerAction::Stop => "stop",
        PowerAction::Restart => "restart",
        PowerAction::ForceRestart => "forced restart",
        PowerAction::Reset => "reset",
        _ => "power action",
    }
}
