//! The legacy API: `/api/vm/{vmid}/details` and the legacy power action, in the `success`/`data`
//! envelope, with numbers sent as strings where the legacy API is known to do so.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::power::gate_name;
use super::{Handler, Reply, ensure, ok};
use crate::api::Call;
use crate::catalog;
use crate::gates;
use crate::model::{PowerVerb, Vps};
use crate::problem::Fail;
use crate::server::Shared;
use crate::views::iso;
use hostup::types::{
    BillingCycle, LegacyBandwidthUsage, LegacyLoginDetails, LegacyNumber, LegacyPowerAction,
    LegacyPowerRequest, LegacyPowerResponse, LegacyPowerResponseData, LegacyPricing,
    LegacyPricingBillingCycle, LegacyUsageSample, LegacyVmDetails, LegacyVmDetailsResponse, PowerState,
    ServiceStatus,
};

pub(super) const HANDLERS: &[(&str, Handler)] =
    &[("getLegacyVmDetails", details), ("legacyPowerAction", power)];

/// The `vmid` of the path (an integer of at least 1, as the spec already checked).
fn vmid(raw: &str) -> Result<u64, Fail> {
    raw.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
        Fail::new(
            axum::http::StatusCode::BAD_REQUEST,
            "bad_request",
            "Bad request",
            format!("Invalid vmid {raw:?}."),
        )
    })
}

fn unknown_vm(vmid: u64) -> Fail {
    Fail::not_found(format!("Virtual server {vmid} was not found."))
}

/// Legacy money: strings with two decimals (`"59.00"`).
fn money(amount: f64) -> LegacyNumber {
    LegacyNumber::String(format!("{amount:.2}"))
}

fn number(value: f64) -> LegacyNumber {
    LegacyNumber::Number(value)
}

fn cycle_word(cycle: &BillingCycle) -> String {
    let word = cycle.as_str();
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn view(vps: &Vps, vmid: u64) -> LegacyVmDetails {
    let now = SystemTime::now();
    let usage_log: HashMap<String, LegacyUsageSample> = (1..=3u64)
        .map(|hours| {
            let time = now - Duration::from_secs(3_600 * hours);
            let hour = humantime::format_rfc3339_seconds(time).to_string();
            let sample = LegacyUsageSample {
                data_received: Some(number(catalog::round2(vps.inbound_gb / 100.0))),
                data_sent: Some(number(catalog::round2(vps.outbound_gb / 100.0))),
                time: Some(number(time.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs() as f64))),
                maxcpu: Some(number(f64::from(vps.cpu))),
                maxmem: Some(number(f64::from(vps.memory_gb) * 1024.0)),
                maxdisk: Some(number(f64::from(vps.storage_gb))),
                ..Default::default()
            };
            (hour, sample)
        })
        .collect();
    let amount = vps.amount();
    let base = catalog::convert(vps.base_monthly_sek(), vps.currency);
    let addons = catalog::convert(vps.options_monthly_sek(&Default::default()), vps.currency);
    let monthly = catalog::round2(base + addons);
    let months = catalog::cycle_terms(&vps.cycle).map_or(1, |(m, _)| m);
    let running = vps.power == PowerState::Running;
    LegacyVmDetails {
        id: Some(vmid.to_string()),
        product_id: Some(vps.plan.product_id.into()),
        product_name: Some(vps.plan.name.into()),
        hostname: Some(vps.hostname.clone()),
        status: Some(match vps.service {
            ServiceStatus::Suspended => "Suspended".into(),
            ServiceStatus::Pending => "Pending".into(),
            _ => "Active".into(),
        }),
        created: Some(iso(vps.created_at)),
        order_id: Some((vmid + 90_000).to_string()),
        billingcycle: Some(cycle_word(&vps.cycle)),
        price: Some(money(amount)),
        total: Some(money(amount)),
        firstpayment: Some(money(amount)),
        next_due: Some(humantime::format_rfc3339_seconds(vps.next_due).to_string()[..10].to_string()),
        cpu: Some(number(f64::from(vps.cpu))),
        ram: Some(number(f64::from(vps.memory_gb))),
        disk: Some(number(f64::from(vps.storage_gb))),
        bandwidth_limit: Some(number(vps.bandwidth_limit_gb())),
        bandwidth_usage: Some(LegacyBandwidthUsage {
            data_received: Some(number(vps.inbound_gb)),
            data_sent: Some(number(vps.outbound_gb)),
        }),
        usage_log,
        backups: Some(number(vps.option("backupSlots"))),
        ip_addresses: vec![vps.ipv4.clone(), vps.ipv6.clone()],
        ipv4: Some(vps.ipv4.clone()),
        ipv6: Some(vps.ipv6.clone()),
        os: Some(vps.os.0.into()),
        node: Some("sto-node-07".into()),
        uptime: Some(number(
            vps.booted_at
                .filter(|_| running)
                .and_then(|t| t.elapsed().ok())
                .map_or(0.0, |d| d.as_secs() as f64),
        )),
        vm_status: Some(vps.power.as_str().into()),
        details: Some(LegacyLoginDetails {
            username: Some("root".into()),
            password: Some(vps.root_password.as_str().into()),
            rootpassword: Some(vps.root_password.as_str().into()),
        }),
        pricing: Some(LegacyPricing {
            currency: Some(vps.currency.into()),
            billing_cycle: Some(LegacyPricingBillingCycle {
                id: Some(vps.cycle.as_str().into()),
                months: Some(number(f64::from(months))),
                raw: Some(cycle_word(&vps.cycle)),
                is_free: Some(false),
            }),
            price_per_cycle: Some(money(amount)),
            base_monthly_cost: Some(money(base)),
            base_annual_cost: Some(money(base * 12.0)),
            addons_monthly_cost: Some(money(addons)),
            addons_annual_cost: Some(money(addons * 12.0)),
            total_monthly_cost: Some(money(monthly)),
            total_annual_cost: Some(money(monthly * 12.0)),
            addons: Vec::new(),
        }),
    }
}

/// `GET /api/vm/{vmid}/details`.
fn details(shared: &Shared, call: &Call<'_>) -> Reply {
    let vmid = vmid(call.param("vmid"))?;
    let state = shared.lock();
    let vps = state.by_vmid(vmid).ok_or_else(|| unknown_vm(vmid))?;
    ok(&LegacyVmDetailsResponse {
        success: Some(true),
        timestamp: Some(iso(SystemTime::now())),
        request_id: Some(shared.ids.uuid()),
        data: Some(view(vps, vmid)),
    })
}

/// `POST /api/vm/{vmid}/status`: answers 200 with a legacy job id (`start-10415-<ms>`), pollable
/// at `/api/jobs/{jobId}` like the v2 jobs.
fn power(shared: &Shared, call: &Call<'_>) -> Reply {
    let vmid = vmid(call.param("vmid"))?;
    let request: LegacyPowerRequest = call.body()?;
    let verb = match request.action {
        LegacyPowerAction::Start => PowerVerb::Start,
        LegacyPowerAction::Stop => PowerVerb::Stop,
        LegacyPowerAction::Shutdown => PowerVerb::Shutdown,
        LegacyPowerAction::Restart => PowerVerb::Restart,
    };
    let mut state = shared.lock();
    let vps = state.by_vmid(vmid).ok_or_else(|| unknown_vm(vmid))?;
    // The legacy API has no 409: it refuses what the state does not allow as BAD_REQUEST.
    ensure(gate_name(verb), gates::power_gate(vps, gate_name(verb)), true).map_err(|mut refused| {
        refused.status = axum::http::StatusCode::BAD_REQUEST;
        refused
    })?;
    let vps_id = vps.id.clone();
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    let job =
        state.begin_power(&vps_id, verb, format!("{}-{vmid}-{millis}", verb.name()), shared.job_duration);
    ok(&LegacyPowerResponse {
        success: Some(true),
        timestamp: Some(iso(SystemTime::now())),
        request_id: Some(shared.ids.uuid()),
        data: Some(LegacyPowerResponseData {
            success: Some(true),
            action: Some(verb.name().into()),
            job_id: Some(job.id),
            message: Some(format!("{} operation queued", verb.name())),
            estimated_time: Some(shared.job_duration.as_secs_f64().ceil().max(1.0) as i64),
        }),
    })
}
