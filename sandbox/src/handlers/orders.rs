//! The public VPS catalogue (the sandbox's price list, in SEK and EUR for every cycle) and orders.
//! An order with an `attemptKey` already used within the hour (on the sandbox's clock) answers
//! the earlier order instead of a second one, with 200 instead of 201. The docs do not say when an
//! order moves on; here a pending order is paid a fixed time after it was placed (default ten
//! minutes of the sandbox's clock, [`SandboxConfig::order_payment`]), and is then `active`, its
//! invoice `paid`, and no longer cancellable.
//!
//! [`SandboxConfig::order_payment`]: crate::SandboxConfig::order_payment

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::read::{bad_cursor, decode_cursor, encode_cursor};
use super::{Handler, Reply, ok, reply};
use crate::api::Call;
use crate::catalog::{self, OFFERED_CYCLES, PLANS, Plan};
use crate::lifecycle::Order;
use crate::problem::Fail;
use crate::server::Shared;
use hostup::types::{BillingCycle, InvoiceStatus, OrderRequest, OrderStatus, OrderType};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listVpsProducts", products),
    ("listOrders", list),
    ("createOrder", create),
    ("getOrder", |shared, call| ok(&order_json(by_id(&shared.lock().lifecycle.orders, call.param("id"))?))),
    ("cancelOrder", cancel),
];

/// The documented duplicate-prevention window of `attemptKey`.
const ATTEMPT_WINDOW: Duration = Duration::from_secs(3600);

const DEFAULT_PAGE: usize = 20;

/// `limit` and `cursor` of a list: the page's bounds within `len` items.
fn page(call: &Call<'_>, len: usize) -> Result<(usize, usize), Fail> {
    let (mut limit, mut start) = (DEFAULT_PAGE, 0);
    for (key, value) in &call.query {
        match key.as_str() {
            "limit" => limit = value.parse().unwrap_or(DEFAULT_PAGE),
            "cursor" => start = decode_cursor(value).filter(|s| *s <= len).ok_or_else(bad_cursor)?,
            _ => {}
        }
    }
    Ok((start, (start + limit).min(len)))
}

fn listing(items: Vec<Value>, call: &Call<'_>) -> Reply {
    let (start, end) = page(call, items.len())?;
    let more = end < items.len();
    ok(&json!({"data": items[start..end], "hasMore": more, "nextCursor": more.then(|| encode_cursor(end))}))
}

fn product_json(plan: &Plan) -> Value {
    let price = |cycle: &BillingCycle, currency: &str| json!({"billingCycle": cycle, "amount": catalog::cycle_amount(plan.monthly_sek, cycle, currency), "currencyCode": currency});
    let cycles: Vec<Value> =
        OFFERED_CYCLES.iter().flat_map(|(c, ..)| [price(c, "SEK"), price(c, "EUR")]).collect();
    json!({
        "id": plan.product_id, "slug": plan.slug, "tier": plan.slug.trim_start_matches("vps-"), "name": plan.name,
        "resources": {"cpuCores": plan.cpu, "memoryGb": plan.memory_gb, "storageGb": plan.storage_gb},
        "bandwidth": {"limitGb": plan.bandwidth_gb}, "billing": price(&BillingCycle::Monthly, "SEK"),
        "billingCycles": cycles, "available": true,
    })
}

fn products(_: &Shared, call: &Call<'_>) -> Reply {
    listing(PLANS.iter().map(product_json).collect(), call)
}

fn order_json(o: &Order) -> Value {
    let invoice = o.invoice.as_ref().map(|(id, number)| {
        json!({"id": id, "status": o.invoice_status, "paymentUrl": format!("/billing?invoice={number}")})
    });
    json!({
        "id": o.id, "number": format!("O-{}", o.id[4..12].to_ascii_uppercase()), "status": o.status, "type": OrderType::New,
        "invoiceId": o.invoice.as_ref().map(|i| &i.0),
        "checkoutUrl": o.invoice.as_ref().map(|(_, n)| format!("/billing?invoice={n}")),
        "client": {"id": null, "firstName": "Sandbox", "lastName": "Customer", "companyName": null},
        "billing": {"amount": o.amount, "currencyCode": "SEK", "billingCycle": o.cycle, "isPayg": o.payg},
        "invoice": invoice,
    })
}

fn by_id<'a>(orders: &'a [Order], id: &str) -> Result<&'a Order, Fail> {
    orders.iter().find(|o| o.id == id).ok_or_else(|| Fail::not_found(format!("No order {id:?}.")))
}

fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let orders: Vec<Value> = shared.lock().lifecycle.orders.iter().map(order_json).collect();
    listing(orders, call)
}

/// Places an order for fixed-cycle plans (slugs of the catalogue), `pending` with an unpaid
/// invoice until the sandbox's stand-in customer pays it ([`SandboxConfig::order_payment`]), then
/// `active` with the invoice `paid`.
///
/// [`SandboxConfig::order_payment`]: crate::SandboxConfig::order_payment
fn create(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: OrderRequest = call.body()?;
    let wall = shared.faults.now();
    let key = request.attempt_key.as_ref().map(|k| k.to_string());
    let mut state = shared.lock();
    let earlier = state
        .lifecycle
        .orders
        .iter()
        .find(|o| o.attempt_key.is_some() && o.attempt_key == key && wall < o.created + ATTEMPT_WINDOW);
    if let Some(earlier) = earlier {
        return ok(&order_json(earlier));
    }
    let mut amount = 0.0;
    let mut cycles = Vec::new();
    for (i, item) in request.items.iter().enumerate() {
        let slug = item.product_slug.to_string();
        let Some(plan) = PLANS.iter().find(|p| p.slug == slug) else {
            let known: Vec<&str> = PLANS.iter().map(|p| p.slug).collect();
            let detail = format!("No VPS product {slug:?}; the catalogue has {known:?}.");
            return Err(Fail::invalid(&format!("/items/{i}/productSlug"), "invalid_value", detail));
        };
        let cycle =
            item.billing_cycle.map_or(BillingCycle::Monthly, |c| BillingCycle::from(c.to_string().as_str()));
        amount += catalog::cycle_amount(plan.monthly_sek, &cycle, "SEK");
        cycles.push(cycle.as_str().to_string());
    }
    cycles.sort();
    cycles.dedup();
    let order = Order {
        id: shared.ids.public("ord_"),
        status: OrderStatus::Pending,
        invoice: Some((shared.ids.public("inv_"), shared.ids.number(202_600_000..202_699_999))),
        invoice_status: InvoiceStatus::Unpaid,
        amount: catalog::round2(amount),
        cycle: if cycles.len() == 1 { cycles.pop() } else { None },
        payg: false,
        attempt_key: key,
        created: wall,
        paid_at: shared.order_payment.map(|after| wall + after),
    };
    let answer = order_json(&order);
    state.lifecycle.orders.push(order);
    Ok(reply(StatusCode::CREATED, &answer))
}

/// Cancels a pending order and its invoice; any other order answers 409 `not_cancelable`.
fn cancel(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.param("id");
    let mut state = shared.lock();
    by_id(&state.lifecycle.orders, id)?;
    let Some(order) = state.lifecycle.orders.iter_mut().find(|o| o.id == id) else {
        return Err(Fail::not_found(format!("No order {id:?}.")));
    };
    if order.status != OrderStatus::Pending {
        let detail = format!("Order {id} is {}; only a pending order can be cancelled.", order.status);
        return Err(Fail::conflict(
            hostup::ErrorCode::NotCancelable.as_str(),
            "Order cannot be cancelled",
            detail,
        ));
    }
    (order.status, order.invoice_status) = (OrderStatus::Cancelled, InvoiceStatus::Cancelled);
    ok(&order_json(order))
}
