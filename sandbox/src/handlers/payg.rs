//! PAYG deployments, the PAYG quota and its limit requests, and conversion to Cloud. A deployment
//! takes from the account's quota and puts a new VPS in the fleet, `provisioning` until
//! [`SandboxConfig::job_duration`](crate::SandboxConfig::job_duration) has passed on the
//! sandbox's clock; a conversion takes the VPS's size from the quota too.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Handler, Reply, find, ok, refused, reply};
use crate::api::Call;
use crate::catalog;
use crate::gates::gate_object;
use crate::lifecycle::{Order, Quota, new_payg};
use crate::lifecycle_gates::{access_blockers, blocker_reason, can_convert, can_deploy, conversion_blockers};
use crate::model::State;
use crate::problem::Fail;
use crate::server::Shared;
use hostup::ErrorCode;
use hostup::gates::{CloudConversionGate, PaygDeploymentGate};
use hostup::limits::{
    PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MAX, PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MIN,
    PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MAX, PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MIN,
    PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MAX, PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MIN,
};
use hostup::types::{InvoiceStatus, OrderStatus, PaygBlockerReason, PaygDeploymentRequest, PaygLimitRequest};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("getPaygDeploymentOptions", |shared, _| ok(&options(&shared.lock()))),
    ("createPaygDeployment", create),
    ("getPaygLimits", |shared, _| ok(&limits(&shared.lock()))),
    ("requestPaygLimitIncrease", request_limit),
    ("getCloudConversionEligibility", eligibility),
    ("convertVpsToCloud", convert),
];

/// Regions: where deployments go, and one that is full.
const REGIONS: &[(&str, &str, bool)] = &[("stockholm", "Stockholm", true), ("oslo", "Oslo", false)];

fn rates() -> Value {
    json!({
        "currencyCode": "SEK", "cpuPerCoreHour": catalog::PAYG_CPU_CORE_HOUR,
        "memoryPerGbHour": catalog::PAYG_MEMORY_GB_HOUR, "storagePerGbHour": catalog::PAYG_STORAGE_GB_HOUR,
        "bandwidthPerGb": catalog::PAYG_BANDWIDTH_GB, "ipPerHour": catalog::PAYG_IP_HOUR,
    })
}

fn quota_json(q: &Quota) -> Value {
    json!({"cpuCores": q.cpu_cores, "memoryGb": q.memory_gb, "storageGb": q.storage_gb, "instanceCount": q.instance_count})
}

fn options(state: &State) -> Value {
    let account = state.lifecycle.account;
    let blockers = access_blockers(&account);
    let gate = can_deploy(state);
    let access_reason = blockers.first().map(blocker_reason);
    let range = |min: u64, max: u64| json!({"min": min, "max": max});
    json!({
        "available": gate.allowed, "reason": gate.reason,
        "access": {
            "available": blockers.is_empty(), "reason": access_reason, "countryCode": "SE",
            "countryPaymentAvailable": true, "requiresCard": true, "hasCard": account.card_on_file,
            "verified": account.verified, "cloudAccessEnabled": account.cloud_access, "blockerReasons": blockers,
        },
        "actions": gate_object([(PaygDeploymentGate::Deploy, gate)]),
        "pricing": rates(),
        "defaults": {"regionId": REGIONS[0].0, "resources": {"cpuCores": 2, "memoryGb": 4, "storageGb": 80}},
        "limits": {
            "cpuCores": range(PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MIN, PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MAX),
            "memoryGb": range(PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MIN, PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MAX),
            "storageGb": range(PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MIN, PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MAX),
        },
        "regions": REGIONS.iter().map(|(id, name, available)| json!({"id": id, "name": name, "available": available})).collect::<Vec<_>>(),
    })
}

fn limits(state: &State) -> Value {
    let used = state.payg_used();
    let pending: Vec<Value> = state
        .lifecycle
        .limit_requests
        .iter()
        .map(|r| {
            json!({"id": r.id, "limitType": r.limit_type, "currentLimit": r.current, "requestedLimit": r.requested, "reason": r.reason})
        })
        .collect();
    json!({
        "current": quota_json(&used), "max": quota_json(&state.lifecycle.quota_max),
        "remaining": quota_json(&state.payg_remaining()), "billing": rates(),
        "hasPendingRequests": !pending.is_empty(), "pendingRequests": pending,
    })
}

/// 403 with the blockers, in `extensions.blockerReasons`. A storage quota answers the
/// documented `cloud_storage_limit_exceeded`; the others are `forbidden`.
fn blocked(blockers: &[PaygBlockerReason]) -> Fail {
    let code = if blockers.first() == Some(&PaygBlockerReason::StorageLimitExceeded) {
        ErrorCode::CloudStorageLimitExceeded
    } else {
        ErrorCode::Forbidden
    };
    let detail = blockers.first().map_or("Cloud VMs are not available.", blocker_reason);
    Fail::new(StatusCode::FORBIDDEN, code.as_str(), "Cloud VM not available", detail)
        .with("blockerReasons", json!(blockers))
}

/// The account may use Cloud VMs: 403 with its blockers otherwise.
fn ensure_access(state: &State) -> Result<(), Fail> {
    let access = access_blockers(&state.lifecycle.account);
    if access.is_empty() { Ok(()) } else { Err(blocked(&access)) }
}

/// A new PAYG VM of this size fits what remains of the account's quota: 403 naming each limit
/// it would pass otherwise.
fn ensure_quota(state: &State, needed: &Quota) -> Result<(), Fail> {
    let over = Quota::exceeded(needed, &state.payg_remaining());
    if over.is_empty() { Ok(()) } else { Err(blocked(&over)) }
}

/// What every new PAYG VM passes, deployed or restored from a backup: the account's access, then
/// the quota.
pub(super) fn admit(state: &State, needed: &Quota) -> Result<(), Fail> {
    ensure_access(state)?;
    ensure_quota(state, needed)
}

fn create(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: PaygDeploymentRequest = call.body()?;
    let mut state = shared.lock();
    ensure_access(&state)?;
    let region = request.region.to_string();
    if !REGIONS.iter().any(|(id, _, available)| *id == region && *available) {
        let offered: Vec<&str> = REGIONS.iter().filter(|r| r.2).map(|r| r.0).collect();
        return Err(Fail::invalid(
            "/region",
            "invalid_value",
            format!("{region:?} is not on offer; regions: {offered:?}."),
        ));
    }
    let size = (request.cpu_cores.get(), request.memory_gb.get(), request.storage_gb);
    let as_u32 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let size = (as_u32(size.0), as_u32(size.1), u32::try_from(size.2).unwrap_or(u32::MAX));
    let needed = Quota::new(size.0.into(), size.1.into(), size.2.into());
    ensure_quota(&state, &needed)?;
    let wall = shared.faults.now();
    let id = shared.ids.public("vps_");
    let n = state.fleet.len() as u32;
    let vps = new_payg(id.clone(), &request.name.to_string(), size, n, wall);
    let order = Order {
        id: shared.ids.public("ord_"),
        status: OrderStatus::Active,
        invoice: None,
        invoice_status: InvoiceStatus::Paid,
        amount: catalog::round2(vps.base_monthly_sek()),
        cycle: Some("monthly".into()),
        payg: true,
        attempt_key: None,
        created: wall,
        paid_at: Some(wall),
    };
    let answer = json!({"status": "provisioning", "vpsId": id, "orderId": order.id});
    state.fleet.push(vps);
    state.lifecycle.provisioning.insert(id, wall + shared.job_duration);
    state.lifecycle.orders.push(order);
    ok(&answer)
}

/// Files a limit request; it stays pending (support reviews it). Numbers beyond what a quota can
/// hold (u64) are refused with 400.
fn request_limit(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: PaygLimitRequest = call.body()?;
    let id = shared.ids.public("payglim_");
    shared.lock().lifecycle.limit_requests.push(crate::lifecycle::LimitRequest {
        id: id.clone(),
        limit_type: request.limit_type.to_string(),
        current: request.current_limit,
        requested: request.requested_limit.get(),
        reason: request.reason.to_string(),
    });
    Ok(reply(StatusCode::ACCEPTED, &json!({"id": id, "status": "submitted"})))
}

fn eligibility(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let vps = find(&state, call.param("id"))?;
    let gate = can_convert(&state, vps);
    let blockers = if vps.payg { Vec::new() } else { conversion_blockers(&state, vps) };
    let days = vps.next_due.duration_since(shared.faults.now()).map_or(0, |d| d.as_secs() / 86_400);
    let warning = (!vps.payg && days > 0).then(|| {
        let due = crate::views::iso(vps.next_due);
        json!({"nextDue": &due[..10], "billingCycle": vps.cycle.as_str(), "daysRemaining": days})
    });
    ok(&json!({
        "vpsId": vps.id, "available": gate.allowed, "reason": gate.reason,
        "currentBillingModel": if vps.payg { "payg" } else { "fixed" },
        "requiresVerification": !state.lifecycle.account.verified,
        "actions": gate_object([(CloudConversionGate::ConvertToCloud, gate)]), "blockerReasons": blockers,
        "currentProductName": vps.plan.name, "prepaidWarning": warning,
    }))
}

/// Converts after the same gate: the account's and quota blockers answer 403, an unpaid invoice
/// 409 `has_unpaid_invoice`, both with every blocker in `extensions.blockerReasons`.
fn convert(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.lock();
    let vps = find(&state, call.param("id"))?;
    let gate = can_convert(&state, vps);
    if !gate.allowed {
        let blockers = conversion_blockers(&state, vps);
        let unpaid = PaygBlockerReason::HasUnpaidInvoice;
        return Err(match gate.code.as_deref().map(PaygBlockerReason::from) {
            Some(code) if code == unpaid => {
                Fail::conflict(unpaid.as_str(), "Unpaid invoice", blocker_reason(&unpaid))
                    .with("blockerReasons", json!(blockers))
            }
            Some(code) if blockers.contains(&code) => blocked(&blockers),
            _ => refused(CloudConversionGate::ConvertToCloud, &gate, false),
        });
    }
    let previous = vps.plan.product_id;
    let id = vps.id.clone();
    let Some(vps) = state.vps_mut(&id) else { return Err(Fail::vps_not_found(&id)) };
    (vps.payg, vps.plan) = (true, &catalog::CLOUD);
    vps.options.retain(|key, _| catalog::OPTIONS.iter().any(|o| o.key == *key && o.payg));
    ok(&json!({"converted": true, "previousProductId": previous, "newProductId": catalog::CLOUD.product_id}))
}
