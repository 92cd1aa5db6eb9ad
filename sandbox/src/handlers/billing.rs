//! The preview/commit routes: option changes, plan changes, billing cycles, and renewals.
//!
//! A preview (`dryRun: true`) prices and changes nothing. A commit checks the gate, then the
//! blocking invoices (409 `existing_invoice_blocking` unless `cancelExistingInvoice: true`, which
//! cancels them), then applies the change. The sandbox pays what a commit costs from the card on
//! file at once, so the invoices it returns are already paid and block nothing.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use super::{Handler, Reply, ensure, find_mut, ok};
use crate::api::Call;
use crate::catalog::{self, Kind, PLANS};
use crate::gates;
use crate::model::Vps;
use crate::problem::{Fail, field, pointer_token};
use crate::server::Shared;
use crate::views::{iso, product};
use hostup::ErrorCode;
use hostup::gates::{Action, BillingCycleGate, CommitGate};
use hostup::types::{
    ActionGate, BillingCycle, BillingCycleChangeRequest, BillingCycleChangeResult, CommitActions,
    InvoiceReference, InvoiceStatus, PlanChangeRequest, PlanChangeResult, PriceChange, RenewBilling,
    RenewRequest, RenewResult, ResourceChangeRequest, ResourceChangeResult,
};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("changeVpsResources", configure),
    ("upgradeVpsPlan", upgrade),
    ("changeVpsBillingCycle", change_cycle),
    ("renewVps", renew),
];

/// Checks option values against the VPS's configurable options (key, type, range, step).
fn check_options(vps: &Vps, resources: &Map<String, Value>) -> Result<BTreeMap<&'static str, f64>, Fail> {
    if resources.is_empty() {
        return Err(Fail::invalid("/resources", "missing_required", "Give at least one option to change."));
    }
    let offered = vps.offered_options();
    let (mut values, mut errors) = (BTreeMap::new(), Vec::new());
    for (key, value) in resources {
        let pointer = format!("/resources/{}", pointer_token(key));
        let Some((spec, min)) = offered.iter().find(|(o, _)| o.key == key) else {
            let known: Vec<&str> = offered.iter().map(|(o, _)| o.key).collect();
            let detail = format!("`{key}` is not an option of this VPS (options: {}).", known.join(", "));
            errors.push(field(&pointer, "unknown_option", detail));
            continue;
        };
        let number = match (spec.kind, value) {
            (Kind::Toggle, Value::Bool(on)) => f64::from(u8::from(*on)),
            (Kind::Toggle, _) => {
                errors.push(field(&pointer, "invalid_type", format!("`{key}` expects true or false.")));
                continue;
            }
            (_, value) => match value.as_f64() {
                Some(number) => number,
                None => {
                    errors.push(field(&pointer, "invalid_type", format!("`{key}` expects a number.")));
                    continue;
                }
            },
        };
        let steps = (number - min) / spec.step;
        if number < *min || number > spec.max {
            let detail = format!("`{key}` must be {min} to {}, not {number}.", spec.max);
            errors.push(field(&pointer, "out_of_range", detail));
        } else if (steps - steps.round()).abs() > 1e-9 {
            let detail =
                format!("`{key}` moves in steps of {} from {min}; {number} is between steps.", spec.step);
            errors.push(field(&pointer, "invalid_step", detail));
        } else {
            values.insert(spec.key, number);
        }
    }
    if errors.is_empty() { Ok(values) } else { Err(Fail::invalid_fields(errors)) }
}

/// The 409 recovery: refuses while a blocking invoice is open, or cancels it when asked to.
fn clear_invoices(vps: &mut Vps, cancel: bool) -> Result<(), Fail> {
    let Some(invoice) = vps.blocking_invoices().into_iter().next() else { return Ok(()) };
    if cancel {
        vps.cancel_blocking_invoices();
        return Ok(());
    }
    Err(Fail::conflict(
        ErrorCode::ExistingInvoiceBlocking.as_str(),
        "Existing invoice blocking",
        "An unpaid invoice blocks this change. Resend with cancelExistingInvoice set to true to cancel it.",
    )
    .with("existingInvoice", json!(invoice))
    .with("recovery", json!({"cancelExistingInvoice": true})))
}

/// The preview's `canCommit`: the action's gate, or a note that an invoice will answer 409.
fn can_commit(vps: &Vps, gate: ActionGate) -> CommitActions {
    let gate = match gate.allowed && !vps.blocking_invoices().is_empty() {
        true => ActionGate {
            allowed: true,
            reason: None,
            code: Some(ErrorCode::ExistingInvoiceBlocking.to_string()),
        },
        false => gate,
    };
    CommitActions { can_commit: Some(gate) }
}

fn price_change(vps: &Vps, before: f64, after: f64) -> PriceChange {
    let delta = catalog::round2(after - before);
    PriceChange {
        amount: delta.max(0.0),
        recurring_amount: after,
        additional_recurring_amount: Some(delta),
        currency_code: vps.currency.into(),
    }
}

/// An invoice the sandbox has already charged.
fn paid_invoice(shared: &Shared, amount: f64, currency: &str) -> InvoiceReference {
    let number = shared.ids.number(20_000..99_999);
    InvoiceReference {
        id: shared.ids.public("inv_"),
        number: Some(number.to_string()),
        amount,
        currency_code: currency.into(),
        due_at: Some(iso(SystemTime::now())),
        status: InvoiceStatus::Paid,
        payment_url: Some(format!("/billing?invoice={number}")),
    }
}

fn as_object(invoice: InvoiceReference) -> Option<Map<String, Value>> {
    match json!(invoice) {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A cycle a request named, if the VPS can be billed in it.
fn offered_cycle(pointer: &str, cycle: &str) -> Result<BillingCycle, Fail> {
    let cycle = BillingCycle::from(cycle);
    match catalog::cycle_terms(&cycle) {
        Some(_) => Ok(cycle),
        // A well-formed request that this VPS's offer refuses: a conflict with its state.
        None => Err(Fail::conflict(
            "cycle_not_offered",
            "Billing cycle not offered",
            format!("`{}` is not offered for this VPS (see GET actions/billing-cycle).", cycle.as_str()),
        )
        .with("pointer", pointer)),
    }
}

/// `POST actions/config`.
fn configure(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: ResourceChangeRequest = call.body()?;
    let dry_run = request.dry_run == Some(true);
    if !dry_run && request.billing_cycle.is_some() {
        let detail =
            "`billingCycle` is accepted only on previews; change the cycle with actions/billing-cycle.";
        return Err(Fail::invalid("/billingCycle", "preview_only", detail));
    }
    let mut state = shared.lock();
    let vps = find_mut(&mut state, call.param("id"))?;
    let changes = check_options(vps, &request.resources)?;
    let cycle = match &request.billing_cycle {
        Some(hint) if !vps.payg => offered_cycle("/billingCycle", &hint.to_string())?,
        _ => vps.cycle.clone(),
    };
    let before = vps.amount_in(&cycle, &BTreeMap::new());
    let price = price_change(vps, before, vps.amount_in(&cycle, &changes));
    if dry_run {
        let actions = can_commit(vps, gates::can_configure(vps));
        return ok(&ResourceChangeResult {
            dry_run: Some(true),
            price_change: Some(price),
            payment_invoice: None,
            actions: Some(actions),
        });
    }
    ensure(CommitGate::Commit, gates::can_configure(vps), false)?;
    clear_invoices(vps, request.cancel_existing_invoice == Some(true))?;
    vps.options.extend(changes);
    let invoice = (price.amount > 0.0).then(|| paid_invoice(shared, price.amount, vps.currency));
    ok(&ResourceChangeResult {
        dry_run: Some(false),
        price_change: Some(price),
        payment_invoice: invoice.and_then(as_object),
        actions: None,
    })
}

/// `POST actions/upgrade`: a move to a larger plan, priced in the current (or requested) cycle.
fn upgrade(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: PlanChangeRequest = call.body()?;
    let mut state = shared.lock();
    let vps = find_mut(&mut state, call.param("id"))?;
    let gate = gates::can_upgrade(vps);
    let Some(plan) = PLANS.iter().find(|p| p.slug == request.product_slug.as_str()) else {
        let known: Vec<&str> = PLANS.iter().map(|p| p.slug).collect();
        let detail = format!("No plan {:?} (plans: {}).", request.product_slug, known.join(", "));
        return Err(Fail::not_found(detail));
    };
    if gate.allowed && plan.monthly_sek <= vps.plan.monthly_sek {
        let detail = format!("{} is not larger than the current plan {}.", plan.slug, vps.plan.slug);
        // A refusal by the VPS's current plan, not by the request's shape.
        return Err(Fail::conflict("not_an_upgrade", "Not an upgrade", detail));
    }
    let cycle = match &request.billing_cycle {
        Some(cycle) => offered_cycle("/billingCycle", &cycle.to_string())?,
        None => vps.cycle.clone(),
    };
    let mut target = vps.clone();
    (target.plan, target.cpu, target.memory_gb, target.storage_gb, target.cycle) =
        (plan, plan.cpu, plan.memory_gb, plan.storage_gb.max(vps.storage_gb), cycle.clone());
    // Paid traffic above the new allowance is kept unless the caller lets it go.
    let keep_bandwidth = request.preserve_extra_bandwidth != Some(false);
    if !keep_bandwidth || target.option("bandwidthGb") < f64::from(plan.bandwidth_gb) {
        target.options.remove("bandwidthGb");
    }
    let price = price_change(vps, vps.amount_in(&cycle, &BTreeMap::new()), target.amount());
    let mut result = PlanChangeResult {
        dry_run: Some(request.dry_run == Some(true)),
        current_product: Some(product(vps)),
        price_change: Some(price.clone()),
        payment_invoice: None,
        renewal_invoice: None,
        actions: None,
    };
    if request.dry_run == Some(true) {
        result.actions = Some(can_commit(vps, gate));
    } else {
        ensure(Action::Upgrade, gate, false)?;
        clear_invoices(vps, request.cancel_existing_invoice == Some(true))?;
        target.invoices = vps.invoices.clone();
        *vps = target.clone();
        let invoice = (price.amount > 0.0).then(|| paid_invoice(shared, price.amount, vps.currency));
        result.payment_invoice = invoice.and_then(as_object);
    }
    let mut body = json!(result);
    body["targetProduct"] = json!(product(&target));
    ok(&body)
}

/// `POST actions/billing-cycle`: fixed-cycle services only.
fn change_cycle(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: BillingCycleChangeRequest = call.body()?;
    let mut state = shared.lock();
    let vps = find_mut(&mut state, call.param("id"))?;
    ensure(BillingCycleGate::ChangeBillingCycle, gates::can_change_billing_cycle(vps), false)?;
    let target = offered_cycle("/billingCycle", &request.billing_cycle.to_string())?;
    let dry_run = request.dry_run == Some(true);
    let changes = !dry_run && target != vps.cycle;
    if changes {
        clear_invoices(vps, request.cancel_existing_invoice == Some(true))?;
    }
    let result = BillingCycleChangeResult {
        dry_run,
        changed: changes,
        current_billing_cycle: vps.cycle.clone(),
        target_billing_cycle: target.clone(),
        target_amount: vps.amount_in(&target, &BTreeMap::new()),
        currency_code: vps.currency.into(),
        would_block: !vps.blocking_invoices().is_empty(),
    };
    if changes {
        vps.cycle = target;
    }
    ok(&result)
}

/// `POST actions/renew`: extends a fixed-cycle service by one cycle.
fn renew(shared: &Shared, call: &Call<'_>) -> Reply {
    // Nothing of the request matters to the sandbox; its shape was checked against the spec.
    let _request: RenewRequest = call.body()?;
    let mut state = shared.lock();
    let vps = find_mut(&mut state, call.param("id"))?;
    ensure(gates::OwnGate::Renew, gates::can_renew(vps), false)?;
    if let Some(invoice) = vps.blocking_invoices().into_iter().next() {
        let detail = "An unpaid renewal invoice exists; pay it before renewing again.";
        let recovery = json!({"paymentUrl": invoice.payment_url});
        return Err(Fail::conflict(
            ErrorCode::ExistingInvoiceBlocking.as_str(),
            "Existing invoice blocking",
            detail,
        )
        .with("existingInvoice", json!(invoice))
        .with("recovery", recovery));
    }
    let months = catalog::cycle_terms(&vps.cycle).map_or(1, |(m, _)| m);
    vps.next_due += Duration::from_secs(30 * 86_400 * u64::from(months));
    let amount = vps.amount();
    ok(&RenewResult {
        vps_id: vps.id.clone(),
        renewal_scheduled: true,
        new_expires_at: Some(iso(vps.next_due)),
        billing: RenewBilling { amount: Some(amount), currency_code: vps.currency.into() },
        renewal_invoice: Some(paid_invoice(shared, amount, vps.currency)),
        invoice_lookup_pending: Some(false),
    })
}
