//! Reads of the VPS inventory: the list, one VPS's details and gates, status, bandwidth, invoices
//! and upgrade options.

use hostup::prelude::*;
use hostup::types::{ListVpsIncludeItem, VpsDetails};
use hostup::{Action, Client};
use serde_json::{Value, json};

use super::{VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Answer, ToolDef};
use crate::schemas::{InputSchema, component, property_of};

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let by_id = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::read(
            "list_vps",
            "Lists the account's VPSes, one page at a time: id, name, primary IP, service status, power \
             state, billing (isPayg tells PAYG from fixed-cycle), resources, bandwidth. Start here: every \
             other tool takes an id from `data[].id`. Pass `nextCursor` back as `cursor` for the next page \
             (none means the last). `name` and `primaryIp` filter on the server; `serviceStatus`, \
             `powerState` and `isPayg` filter the returned page. Gates are not included: read \
             get_vps_details before acting.",
            InputSchema::of("listVps")
                .with("serviceStatus", component("ServiceStatus"), false)
                .with("powerState", component("PowerState"), false)
                .with("isPayg", property_of("VpsSummaryBilling", "isPayg"), false),
            list_vps,
        ),
        ToolDef::read(
            "get_vps_details",
            "One VPS in full: billing, bandwidth, access (secrets redacted), overdue invoices, and `gates`: \
             which actions are allowed now and, for each blocked one, the reason and code. Check the gate \
             of an action here before previewing it.",
            by_id("getVpsDetails"),
            |client, args| async move {
                let vps = details(&client, &args).await?;
                let gates = gates(&vps);
                Ok(json!({ "vps": redacted(&vps)?, "gates": gates }))
            },
        ),
        ToolDef::read(
            "get_vps_status",
            "The live power state and service status of one VPS (cheaper than get_vps_details); poll it \
             after a power action to see the state change.",
            by_id("getVpsStatus"),
            |client, args| async move {
                redacted(&client.get_vps_status().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_vps_bandwidth",
            "Bandwidth of one VPS this period: used, limit, inbound, outbound, whether it is over its \
             allowance, and the usage breakdown.",
            by_id("getVpsDetails"),
            |client, args| async move {
                let vps = redacted(&details(&client, &args).await?)?;
                Ok(json!({ "bandwidth": vps["bandwidth"], "bandwidthUsage": vps["bandwidthUsage"] }))
            },
        ),
        ToolDef::read(
            "list_vps_invoices",
            "The VPS's billing and its overdue invoices; `unpaid` lists those still to pay with an \
             absolute payment link. An unpaid invoice blocks billed changes (code \
             existing_invoice_blocking): pay it, or preview the change with cancelExistingInvoice.",
            by_id("getVpsDetails"),
            |client, args| async move {
                let vps = details(&client, &args).await?;
                let unpaid: Vec<Value> = vps
                    .unpaid_overdue_invoices(client.base_url())
                    .into_iter()
                    .map(|i| Ok(json!({ "invoice": redacted(&i.invoice)?, "paymentLink": i.payment_link })))
                    .collect::<Result<_, Refusal>>()?;
                let shown = redacted(&vps)?;
                Ok(
                    json!({ "billing": shown["billing"], "overdueInvoices": shown["overdueInvoices"], "unpaid": unpaid }),
                )
            },
        ),
        ToolDef::read(
            "get_upgrade_options",
            "What a VPS can change to: `availablePlans[].slug` (for preview_plan_change, fixed-cycle only) \
             and `configurableOptions[]` with each option's key, type and bounds (for \
             preview_resource_change). Read it before previewing a change.",
            by_id("getVpsUpgradeOptions"),
            |client, args| async move {
                redacted(&client.get_vps_upgrade_options().id(args.string("id")?).send().await?.into_inner())
            },
        ),
    ]
}

async fn details(client: &Client, args: &Args) -> Result<VpsDetails, Refusal> {
    Ok(client.get_vps_details().id(args.string("id")?).send().await?.into_inner())
}

/// The gates as an agent reads them: what is allowed, and why the rest is not.
fn gates(vps: &VpsDetails) -> Value {
    let allowed: Vec<&str> = vps.allowed_actions().iter().map(|a| a.gate_name()).collect();
    let blocked: Vec<Value> = Action::ALL
        .iter()
        .filter(|a| !vps.gate(**a).allowed)
        .map(|a| {
            let gate = vps.gate(*a);
            json!({ "action": a.gate_name(), "reason": gate.reason, "code": gate.code })
        })
        .collect();
    json!({ "allowed": allowed, "blocked": blocked })
}

async fn list_vps(client: Client, args: Args) -> Answer {
    let mut request = client.list_vps();
    if let Some(limit) = args.opt::<u64>("limit")? {
        request = request.limit(limit);
    }
    if let Some(cursor) = args.opt_string("cursor")? {
        request = request.cursor(cursor);
    }
    if let Some(include) = args.opt::<Vec<ListVpsIncludeItem>>("include")? {
        request = request.include(include);
    }
    if let Some(name) = args.opt_string("name")? {
        request = request.name(name);
    }
    if let Some(ip) = args.opt_string("primaryIp")? {
        request = request.primary_ip(ip);
    }
    let mut page = redacted(&request.send().await?.into_inner())?;
    let filters: Vec<(&str, Value)> =
        [("serviceStatus", "/serviceStatus"), ("powerState", "/powerState"), ("isPayg", "/billing/isPayg")]
            .into_iter()
            .filter_map(|(name, pointer)| {
                args.0.get(name).filter(|v| !v.is_null()).map(|v| (pointer, v.clone()))
            })
            .collect();
    if let Some(Value::Array(items)) = page.get_mut("data") {
        let before = items.len();
        items.retain(|vps| filters.iter().all(|(pointer, wanted)| vps.pointer(pointer) == Some(wanted)));
        let filtered_out = before - items.len();
        page["filteredOut"] = filtered_out.into();
    }
    Ok(page)
}
