//! Account and billing writes as quotes: converting a fixed-cycle VPS to PAYG Cloud (priced at the
//! hourly rates), postponing a maintenance deadline, asking for a higher PAYG quota, and placing or
//! cancelling an order. The previews read what the library's helpers check (the eligibility and
//! its blockers, the `canExtendMaintenance` gate and the deadline's policy, the current quota, the
//! catalogue); the commits call those helpers, which check again.

use hostup::prelude::*;
use hostup::types::{BillingCycle, OrderStatus, PaygLimitType, PaygLimits, RequestedBillingCycle};
use hostup::{Action, Client, Error, OrderDraft};
use serde_json::{Value, json};

use super::{VPS_ID, payg_monthly, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Cost, Preview, ToolDef};
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    let currency = json!({
        "type": "string", "minLength": 3, "maxLength": 3,
        "description": "The ISO currency to price the order in (the plan's own when left out).",
    });
    vec![
        ToolDef::preview(
            "preview_convert_to_cloud",
            "Checks whether a fixed-cycle VPS may move to PAYG Cloud billing (get_conversion_eligibility: \
             `available`, the canConvertToCloud gate, the blockers) and prices it: its cores, memory, \
             storage and IPv4 address at the account's hourly rates, over a month (730 h), against what \
             it costs now (the increase is what the spending ceiling counts). Returns a quote with a \
             token; `commit` converts it. There is no way back to a fixed plan through this server.",
            input("convertVpsToCloud"),
            convert,
        ),
        ToolDef::preview(
            "preview_maintenance_extend",
            "Checks that the maintenance deadline `deadlineId` (get_maintenance \
             `pendingChanges[].deadline.id`) may be postponed (the canExtendMaintenance gate, fewer \
             extensions used than its policy allows) and returns a quote with the deadline now, the \
             days it moves by and the extensions left, and a token; `commit` extends it once.",
            input("extendVpsMaintenance").describe(
                "deadlineId",
                "A deadline id (mtd_...) from get_maintenance `pendingChanges[].deadline.id`.",
            ),
            maintenance_extend,
        ),
        ToolDef::preview(
            "preview_payg_limit_request",
            "Checks a request for a higher PAYG quota (no VPS id): `limitType` (cpuCores, memoryGb, \
             storageGb, vmCount), the new ceiling `requestedLimit` above the current one (get_payg_limits \
             `max`), a `reason` of at least 10 characters for support. Returns a quote with the current \
             and asked ceiling and a token; `commit` files it (support reviews it; nothing changes until \
             then and nothing is billed).",
            InputSchema::of("requestPaygLimitIncrease").without(&["currentLimit"]),
            limit_request,
        ),
        ToolDef::preview(
            "preview_order_place",
            "Checks an order of fixed-cycle VPS plans against the public catalogue (list_products: \
             `items[].productSlug` and a `billingCycle` it sells) and prices it: the sum of the plans' \
             prices per cycle, due now and recurring (what the spending ceiling counts). The quote \
             carries the order's `attemptKey`: if a commit's answer is lost, preview again with that \
             attemptKey and commit, and HostUp answers the same order (within an hour) instead of a \
             second one. `commit` places it; the order then waits for payment (its invoice).",
            InputSchema::of("createOrder")
                .without(&["clientData"])
                .describe(
                    "attemptKey",
                    "Leave out for a new order; pass a lost commit's attemptKey (from its quote) to place \
                     that same order again.",
                )
                .with("currency", currency, false),
            order_place,
        ),
        ToolDef::preview(
            "preview_order_cancel",
            "Checks that the order `id` (ord_... from list_orders) is still pending (unpaid) and returns a \
             quote showing it, with a token; `commit` cancels it and its invoice. A paid or cancelled \
             order cannot be cancelled.",
            InputSchema::of("cancelOrder")
                .describe("id", "The order id (ord_...) from list_orders `data[].id`."),
            order_cancel,
        ),
    ]
}

fn round2(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

async fn convert(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let check = client.get_cloud_conversion_eligibility().id(&id).send().await?.into_inner();
    check.ensure_convertible()?;
    let vps = client.get_vps_details().id(&id).send().await?.into_inner();
    let rates = client.get_payg_limits().send().await?.into_inner().billing;
    let hourly = vps.cpu_cores * rates.cpu_per_core_hour
        + vps.memory_gb * rates.memory_per_gb_hour
        + vps.storage_gb * rates.storage_per_gb_hour
        + rates.ip_per_hour;
    let mut cost = payg_monthly(hourly, &rates.currency_code);
    let now = vps.monthly_cost();
    // The increase over today's monthly price when both are in one currency; else all of it.
    if let Some(now) = now.as_ref().filter(|n| n.currency.eq_ignore_ascii_case(&rates.currency_code)) {
        cost.recurring_increase = round2((cost.recurring_increase - now.amount).max(0.0));
    }
    let mut warnings = vec![format!(
        "billed by the hour from the conversion on: about {hourly:.2} {} an hour, {:.2} a month, plus {} per GB \
         of traffic; there is no way back to a fixed plan through this server",
        rates.currency_code,
        cost.recurring.unwrap_or_default(),
        rates.bandwidth_per_gb
    )];
    let prepaid = check.prepaid_warning.as_ref().map(redacted).transpose()?;
    if prepaid.is_some() {
        warnings.push("prepaid time remains on the current plan and may be affected (prepaidWarning)".into());
    }
    let quote = json!({
        "vpsId": id, "currentProduct": check.current_product_name,
        "nowMonthly": now.as_ref().map(|n| json!({"amount": n.amount, "currency": n.currency})),
        "paygHourly": (hourly * 10_000.0).round() / 10_000.0, "paygMonthlyEstimate": cost.recurring,
        "prepaidWarning": prepaid,
    });
    Ok(Preview {
        quote,
        cost: Some(cost),
        warnings,
        destructive: prepaid.is_some(),
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.convert_to_cloud(&id).await?) })
        }),
    })
}

async fn maintenance_extend(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let deadline_id = args.string("deadlineId")?;
    client.get_vps_details().id(&id).send().await?.into_inner().ensure_allowed(Action::ExtendMaintenance)?;
    let state = client.get_vps_maintenance().id(&id).send().await?.into_inner();
    let Some(change) = state.change_with_deadline(&deadline_id) else {
        let pending: Vec<&str> =
            state.pending_changes.iter().filter_map(|c| c.deadline.as_ref()).map(|d| d.id.as_str()).collect();
        let reason = format!("{id} has no pending deadline {deadline_id}; pending: {pending:?}");
        return Err(Error::InvalidOption { key: "deadlineId".into(), reason }.into());
    };
    let deadline = change.deadline.as_ref();
    let max = deadline.map_or(0, |d| d.max_extensions);
    if !change.can_extend() {
        return Err(Refusal::new(
            "blocked",
            "max_extensions_reached",
            format!(
                "deadline {deadline_id} ({}) was extended {} of at most {max} times",
                change.key,
                change.extensions_used()
            ),
            "Nothing was sent and nothing can postpone it further; the maintenance runs at its deadline \
             (get_maintenance).",
        )
        .with_details(json!({ "gate": "maxExtensions" })));
    }
    let used = change.extensions_used();
    let quote = json!({
        "vpsId": id, "deadlineId": deadline_id, "change": change.key,
        "deadlineNow": change.effective_deadline(), "extensionDays": deadline.map(|d| d.extension_days),
        "extensionsUsed": used, "maxExtensions": max, "leftAfter": (max - used - 1).max(0),
    });
    let mut warnings = Vec::new();
    if max - used == 1 {
        warnings.push("this is the last extension its policy allows".into());
    }
    Ok(Preview {
        quote,
        cost: None,
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.extend_maintenance(&id, &deadline_id).await?) })
        }),
    })
}

/// The current ceiling of a quota key, as the library's limit request reads it.
fn current_limit(limits: &PaygLimits, key: &PaygLimitType) -> Option<i64> {
    match key {
        PaygLimitType::CpuCores => Some(limits.max.cpu_cores),
        PaygLimitType::MemoryGb => Some(limits.max.memory_gb),
        PaygLimitType::StorageGb => Some(limits.max.storage_gb),
        PaygLimitType::VmCount => Some(limits.max.instance_count),
        _ => None,
    }
}

async fn limit_request(client: Client, args: Args) -> Result<Preview, Refusal> {
    let key = args
        .opt::<PaygLimitType>("limitType")?
        .ok_or_else(|| Refusal::arguments("`limitType` is required"))?;
    let requested = args
        .opt::<u64>("requestedLimit")?
        .ok_or_else(|| Refusal::arguments("`requestedLimit` is required"))?;
    let reason = args.string("reason")?;
    if reason.trim().chars().count() < 10 {
        let reason = "a limit request needs a reason of at least 10 characters, for support".to_string();
        return Err(Error::InvalidOption { key: "reason".into(), reason }.into());
    }
    let limits = client.get_payg_limits().send().await?.into_inner();
    let Some(current) = current_limit(&limits, &key) else {
        return Err(Error::InvalidRequest(format!(
            "the PAYG limits report no ceiling for {key}; only cpuCores, memoryGb, storageGb and vmCount can be asked for here"
        ))
        .into());
    };
    if requested <= u64::try_from(current).unwrap_or(0) {
        let reason = format!("{requested} is not above the current {key} limit of {current}");
        return Err(Error::InvalidOption { key: "requestedLimit".into(), reason }.into());
    }
    let open = limits.pending_requests.len();
    let mut warnings = vec!["support reviews the request; the quota stays as it is until then".to_string()];
    if open > 0 {
        warnings.push(format!("{open} limit request(s) of this account are still open"));
    }
    Ok(Preview {
        quote: json!({ "limitType": key, "currentLimit": current, "requestedLimit": requested, "reason": reason }),
        cost: None,
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.request_payg_limit(key, requested, &reason).await?) })
        }),
    })
}

/// The draft an order's items describe (each with its cycle: an order states what it buys).
fn draft(args: &Args) -> Result<OrderDraft, Refusal> {
    let items = args.opt::<Vec<Value>>("items")?.unwrap_or_default();
    let mut draft: Option<OrderDraft> = None;
    for (i, item) in items.iter().enumerate() {
        let slug = item["productSlug"]
            .as_str()
            .ok_or_else(|| Refusal::arguments(format!("`items[{i}].productSlug` is required")))?;
        let cycle: RequestedBillingCycle =
            serde_json::from_value(item["billingCycle"].clone()).map_err(|_| {
                Refusal::arguments(format!("`items[{i}].billingCycle` is required: monthly, annually, ..."))
            })?;
        draft = Some(match draft {
            None => OrderDraft::vps(slug, cycle),
            Some(d) => d.and_vps(slug, cycle),
        });
    }
    let draft = draft.ok_or_else(|| Refusal::arguments("`items`: an order needs at least one plan"))?;
    Ok(match args.opt_string("attemptKey")? {
        Some(key) => draft.with_attempt_key(key),
        None => draft,
    })
}

async fn order_place(client: Client, args: Args) -> Result<Preview, Refusal> {
    let draft = draft(&args)?;
    draft.to_body()?;
    let catalogue = client.product_catalogue().await?;
    draft.check(&catalogue)?;
    let mut total = 0.0;
    let mut currency: Option<String> = args.opt_string("currency")?.map(|c| c.to_uppercase());
    let mut lines = Vec::new();
    for (slug, cycle) in draft.items() {
        let plan = catalogue.get(slug).expect("checked against the catalogue above");
        let wanted = currency.clone().unwrap_or_else(|| plan.billing.currency_code.to_uppercase());
        let price = catalogue.price(slug, &wanted, &BillingCycle::from(cycle.to_string().as_str()));
        let Some(price) = price else {
            let reason = format!("plan {slug} has no {cycle} price in {wanted}");
            return Err(Error::InvalidOption { key: "currency".into(), reason }.into());
        };
        currency = Some(wanted);
        total += price.amount;
        lines.push(json!({ "productSlug": slug, "billingCycle": cycle, "price": price.amount }));
    }
    let currency = currency.unwrap_or_default();
    let cost = Cost {
        recurring_increase: round2(total),
        recurring: Some(round2(total)),
        due_now: Some(round2(total)),
        currency: currency.clone(),
    };
    let key = draft.attempt_key().to_string();
    Ok(Preview {
        quote: json!({ "items": lines, "total": round2(total), "currency": currency, "attemptKey": key }),
        cost: Some(cost),
        warnings: vec![
            "an order is a purchase: its invoice is due, and each plan renews every cycle once paid".into(),
            format!(
                "keep the attemptKey {key}: after a lost answer, preview again with it to get the same order"
            ),
        ],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let order = client.place_order(&draft).await?;
                let mut shown = redacted(&order)?;
                shown["paymentLink"] = order.payment_url(client.base_url()).into();
                shown["attemptKey"] = draft.attempt_key().into();
                Ok(shown)
            })
        }),
    })
}

async fn order_cancel(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let order = client.get_order().id(&id).send().await?.into_inner();
    if order.status != Some(OrderStatus::Pending) {
        let status = order.status.as_ref().map_or("unknown".to_string(), ToString::to_string);
        return Err(Refusal::new(
            "blocked",
            "not_cancelable",
            format!("order {id} is {status}; only a pending (unpaid) order can be cancelled"),
            "Nothing was sent. A paid order's VPS is ended with preview_cancellation instead.",
        )
        .with_details(json!({ "gate": "status" })));
    }
    Ok(Preview {
        quote: json!({ "cancel": redacted(&order)? }),
        cost: None,
        warnings: vec!["cancels the order and its invoice; ordering again makes a new order".into()],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.cancel_order().id(&id).send().await?.into_inner()) })
        }),
    })
}
