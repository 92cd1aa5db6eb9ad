//! `hostup vps list|show|preview|commit`.

use hostup::prelude::*;
use hostup::types::{VpsDetails, VpsSummary};
use hostup::{Action, Client, CommitOptions, Quote, ResourceChange};
use serde_json::Value;

use super::Session;
use crate::args::{Filters, Settings, Targets};
use crate::bulk::{self, Selection};
use crate::failure::Failure;
use crate::output::progress::Tally;
use crate::output::{billing, money, redacted};

/// `vps list`: the VPSes that match the filters.
pub async fn list(client: &Client, session: &Session, filters: &Filters) -> Result<(), Failure> {
    let vps_list = bulk::list(client, filters).await?;
    let headers = ["ID", "NAME", "STATUS", "POWER", "BILLING", "PER MONTH"];
    session.printer.listing(&headers, &vps_list, summary_cells)
}

fn summary_cells(vps: &VpsSummary) -> Vec<String> {
    let text = |v: Option<String>| v.filter(|s| !s.is_empty()).unwrap_or_else(|| "-".into());
    vec![
        text(vps.id.clone()),
        text(vps.name.clone()),
        text(vps.service_status.as_ref().map(|s| s.to_string())),
        text(vps.power_state.as_ref().map(|s| s.to_string())),
        billing(vps.billing_model()),
        vps.monthly_cost().map_or("-".into(), |c| money(c.amount, &c.currency)),
    ]
}

/// `vps show ID`.
pub async fn show(client: &Client, session: &Session, id: &str, show_secrets: bool) -> Result<(), Failure> {
    let vps = client.get_vps_details().id(id).send().await?.into_inner();
    let printer =
        if show_secrets { session.printer.clone().showing_secrets() } else { session.printer.clone() };
    printer.record(&vps, &details_fields(client, &vps))
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

fn resource_change(settings: &Settings) -> ResourceChange {
    settings.settings.iter().fold(ResourceChange::new(), |c, (key, value)| c.set(key.clone(), value.clone()))
}

fn quote_fields(quote: &Quote) -> Vec<(&'static str, String)> {
    let settings: Vec<String> = quote.resources().iter().map(|(k, v)| format!("{k}={v}")).collect();
    vec![
        ("vps", quote.vps_id().to_string()),
        ("change", settings.join(" ")),
        ("due now", due_now(quote)),
        ("per cycle", per_cycle(quote)),
        ("can commit", can_commit(quote)),
    ]
}

fn due_now(quote: &Quote) -> String {
    quote.amount_due().map_or("-".into(), |a| money(a, quote.currency().unwrap_or("")))
}

fn per_cycle(quote: &Quote) -> String {
    let currency = quote.currency().unwrap_or("");
    let delta = quote.price_change().and_then(|p| p.additional_recurring_amount);
    match (quote.recurring_amount(), delta) {
        (Some(total), Some(delta)) => format!("{} ({delta:+.2})", money(total, currency)),
        (Some(total), None) => money(total, currency),
        _ => "-".into(),
    }
}

fn can_commit(quote: &Quote) -> String {
    match quote.blocked_reason() {
        None => "yes".to_string(),
        Some(reason) => format!("no: {reason}"),
    }
}

/// `vps preview`: one quote (the spec's `ResourceChangeResult` in JSON), or one per VPS.
pub async fn preview(
    client: &Client,
    session: &Session,
    targets: &Targets,
    settings: &Settings,
) -> Result<(), Failure> {
    let change = resource_change(settings);
    match bulk::select(client, targets).await? {
        Selection::One(id) => {
            let quote = client.preview_resources_checked(&id, &change).await?;
            session.printer.record(&quote.preview, &quote_fields(&quote))
        }
        Selection::Many(targets) => {
            let tally = Tally::start(session.progress, "preview", targets.len());
            let outcomes = bulk::each(&targets, &tally, |id| {
                let change = &change;
                async move {
                    let quote = client.preview_resources_checked(&id, change).await?;
                    let summary = format!(
                        "due now {}, per cycle {}, can commit {}",
                        due_now(&quote),
                        per_cycle(&quote),
                        can_commit(&quote)
                    );
                    Ok((redacted(&quote.preview), summary))
                }
            })
            .await;
            tally.finish();
            bulk::report(&session.printer, session.progress, &outcomes)
        }
    }
}

/// `vps commit`: preview, confirm (the change is billed and cannot be taken back), commit.
pub async fn commit(
    client: &Client,
    session: &Session,
    id: &str,
    settings: &Settings,
    cancel_invoice: bool,
) -> Result<(), Failure> {
    let quote = client.preview_resources_checked(id, &resource_change(settings)).await?;
    if let Some(reason) = quote.blocked_reason() {
        return Err(Failure::Blocked(format!("{id} cannot be committed: {reason}")));
    }
    let settings_text: Vec<String> = quote.resources().iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut consequence = format!(
        "{} is billed now and {} per cycle, and cannot be taken back",
        due_now(&quote),
        per_cycle(&quote)
    );
    if cancel_invoice {
        consequence.push_str("; an unpaid invoice that blocks it is cancelled");
    }
    let what = format!("commit {} on {id}", settings_text.join(" "));
    super::irreversible(client, session, id, &what, &consequence).await?;
    let options = CommitOptions::default().cancel_existing_invoice_on_conflict(cancel_invoice);
    let result = quote.commit(client, options).await?;
    let mut out = quote_fields(&quote);
    out.retain(|(k, _)| *k != "can commit");
    let invoice = result.payment_invoice.as_ref().and_then(|i| i.get("id")).and_then(Value::as_str);
    out.push(("committed", invoice.map_or("yes".into(), |id| format!("yes, invoice {id}"))));
    session.printer.record(&result, &out)
}
