//! The sandbox's VPS rendered in the spec's shapes, built from the generated types so the
//! responses cannot drift from what the client decodes.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::catalog::{self, Kind};
use super::gates;
use super::model::Vps;
use hostup::types::{
    Availability, BandwidthUsage, BillingCycle, BillingCycleGates, BillingCycleOffer, BillingCycleOptions,
    ConfigurableOption, ConfigurableOptionType, DeprecatedPricing, DeprecatedPricingBillingCycle,
    NetworkCounters, OperatingSystem, OperationState, PowerState, ProductReference, ServiceStatus,
    UpgradeOptions, UsageGauge, UsageLogEntry, VpsAccess, VpsBandwidth, VpsBilling, VpsDetails, VpsResources,
    VpsStatus, VpsSummary, VpsSummaryBandwidth, VpsSummaryBilling,
};

/// ISO 8601 with milliseconds, the API's timestamp format.
pub(crate) fn iso(time: SystemTime) -> String {
    humantime::format_rfc3339_millis(time).to_string()
}

fn round2(value: f64) -> f64 {
    catalog::round2(value)
}

fn operating_system(vps: &Vps) -> OperatingSystem {
    let (display, family, version) = vps.os;
    OperatingSystem {
        display_name: Some(display.into()),
        family: Some(family.into()),
        version: Some(version.into()),
        variant: None,
    }
}

fn availability(vps: &Vps) -> Availability {
    let reason = match (&vps.service, vps.blocked) {
        (ServiceStatus::Suspended, _) => Some("The service is suspended for non-payment.".to_string()),
        (_, Some(block)) => Some(block.reason.to_string()),
        _ => None,
    };
    Availability { available: reason.is_none(), reason }
}

fn used_gb(vps: &Vps) -> f64 {
    round2(vps.inbound_gb + vps.outbound_gb)
}

/// One VPS in the list's canonical inventory shape.
pub(crate) fn summary(vps: &Vps, maintenance: bool, invoices: bool) -> VpsSummary {
    VpsSummary {
        id: Some(vps.id.clone()),
        name: Some(vps.name.clone()),
        primary_ip: Some(vps.ipv4.clone()),
        service_status: Some(vps.service.clone()),
        power_state: Some(vps.power.clone()),
        operating_system: Some(operating_system(vps)),
        billing: Some(VpsSummaryBilling {
            amount: vps.amount(),
            currency_code: vps.currency.into(),
            billing_cycle: Some(vps.cycle.clone()),
            is_payg: vps.payg,
            period_years: (vps.cycle == BillingCycle::Annually).then_some(1),
        }),
        resources: Some(VpsResources {
            cpu_cores: Some(f64::from(vps.cpu)),
            memory_gb: Some(f64::from(vps.memory_gb)),
            storage_gb: Some(f64::from(vps.storage_gb)),
        }),
        bandwidth: Some(VpsSummaryBandwidth {
            used_gb: used_gb(vps),
            limit_gb: vps.bandwidth_limit_gb(),
            inbound_gb: vps.inbound_gb,
            outbound_gb: vps.outbound_gb,
            has_overage: used_gb(vps) > vps.bandwidth_limit_gb(),
        }),
        availability: Some(availability(vps)),
        tags: vps.tags.clone(),
        pinned: Some(vps.pinned),
        created_at: Some(iso(vps.created_at)),
        pending_maintenance: maintenance.then_some(vps.maintenance.is_some()),
        pending_maintenance_has_deadline: maintenance.then_some(vps.maintenance == Some(true)),
        overdue_invoices: if invoices { vps.overdue_invoices() } else { Vec::new() },
    }
}

fn pricing(vps: &Vps) -> DeprecatedPricing {
    let months = catalog::cycle_terms(&vps.cycle).map_or(1, |(m, _)| m);
    let base = catalog::convert(vps.base_monthly_sek(), vps.currency);
    let addons = catalog::convert(vps.options_monthly_sek(&Default::default()), vps.currency);
    let monthly = round2(base + addons);
    DeprecatedPricing {
        currency: Some(vps.currency.into()),
        currency_code: Some(vps.currency.into()),
        billing_cycle: Some(DeprecatedPricingBillingCycle {
            id: Some(vps.cycle.as_str().into()),
            months: Some(i64::from(months)),
            is_free: Some(false),
        }),
        price_per_cycle: Some(vps.amount()),
        base_monthly_cost: Some(base),
        base_annual_cost: Some(round2(base * 12.0)),
        addons_monthly_cost: Some(addons),
        addons_annual_cost: Some(round2(addons * 12.0)),
        total_monthly_cost: Some(monthly),
        total_annual_cost: Some(round2(monthly * 12.0)),
        addons: Vec::new(),
    }
}

fn usage_log(vps: &Vps) -> Vec<UsageLogEntry> {
    let now = SystemTime::now();
    (1..=3u32)
        .rev()
        .map(|hours| {
            let received = round2(vps.inbound_gb / 100.0 * f64::from(hours));
            let sent = round2(vps.outbound_gb / 100.0 * f64::from(hours));
            UsageLogEntry {
                recorded_at: iso(now - Duration::from_secs(3_600 * u64::from(hours))),
                data_received_gb: received,
                data_sent_gb: sent,
                total_gb: round2(received + sent),
            }
        })
        .collect()
}

/// `/details`: everything, gates included.
pub(crate) fn details(vps: &Vps) -> VpsDetails {
    let used = used_gb(vps);
    let limit = vps.bandwidth_limit_gb();
    VpsDetails {
        id: vps.id.clone(),
        product_name: Some(vps.plan.name.into()),
        hostname: Some(vps.hostname.clone()),
        service_status: vps.service.clone(),
        created_at: Some(iso(vps.created_at)),
        next_due_at: (!vps.payg).then(|| iso(vps.next_due)),
        billing: VpsBilling {
            amount: vps.amount(),
            currency_code: vps.currency.into(),
            billing_cycle: vps.cycle.clone(),
            is_payg: vps.payg,
        },
        cpu_cores: f64::from(vps.cpu),
        memory_gb: f64::from(vps.memory_gb),
        storage_gb: f64::from(vps.storage_gb),
        backups_included: vps.option("backupSlots") as i64,
        bandwidth: VpsBandwidth {
            used_gb: used,
            limit_gb: limit,
            inbound_gb: vps.inbound_gb,
            outbound_gb: vps.outbound_gb,
            usage_percent: round2(used / limit * 100.0),
            has_overage: used > limit,
        },
        bandwidth_usage: BandwidthUsage { data_received_gb: vps.inbound_gb, data_sent_gb: vps.outbound_gb },
        usage_log: usage_log(vps),
        ip_addresses: vec![vps.ipv4.clone(), vps.ipv6.clone()],
        ipv4: Some(vps.ipv4.clone()),
        ipv6: Some(vps.ipv6.clone()),
        operating_system: Some(operating_system(vps)),
        power_state: Some(vps.power.clone()),
        operation_state: OperationState { locked: vps.job.is_some() },
        ssh_keys: vps.ssh_keys.clone(),
        access: VpsAccess {
            username: Some("root".into()),
            root_password: Some(vps.root_password.as_str().into()),
        },
        pricing: Some(pricing(vps)),
        pinned: vps.pinned,
        availability: availability(vps),
        actions: gates::actions(vps),
        overdue_invoices: vps.overdue_invoices(),
    }
}

fn gauge(used: f64, total: f64) -> UsageGauge {
    let percent = if total > 0.0 { round2(used / total * 100.0) } else { 0.0 };
    UsageGauge { used_gb: round2(used), total_gb: total, usage_percent: percent }
}

/// `/status`: live numbers, made up but steady per VPS.
pub(crate) fn status(vps: &Vps, pending: Option<Value>) -> VpsStatus {
    let running = vps.power == PowerState::Running;
    let load = f64::from(vps.id.bytes().map(u32::from).sum::<u32>() % 40) / 2.0 + 3.0;
    let uptime = vps.booted_at.filter(|_| running).and_then(|t| t.elapsed().ok()).map(|d| d.as_secs() as f64);
    let (memory, storage) = (f64::from(vps.memory_gb), f64::from(vps.storage_gb));
    VpsStatus {
        id: Some(vps.id.clone()),
        power_state: Some(vps.power.clone()),
        uptime_seconds: uptime,
        cpu_usage_percent: Some(if running { load } else { 0.0 }),
        cpu_cores: Some(f64::from(vps.cpu)),
        memory: Some(gauge(if running { memory * 0.46 } else { 0.0 }, memory)),
        storage: Some(gauge(storage * 0.31, storage)),
        network: Some(NetworkCounters {
            inbound_gb: Some(vps.inbound_gb),
            outbound_gb: Some(vps.outbound_gb),
            total_gb: Some(used_gb(vps)),
        }),
        pending_tasks: Some(pending.unwrap_or_else(|| json!([]))),
    }
}

/// The product a VPS is on, as plan changes name it.
pub(crate) fn product(vps: &Vps) -> ProductReference {
    ProductReference {
        id: Some(vps.plan.product_id.into()),
        display_id: None,
        slug: Some(vps.plan.slug.into()),
        name: Some(vps.plan.name.into()),
    }
}

/// `GET actions/upgrade`: the typed shape plus the option values and plan prices a panel shows.
pub(crate) fn upgrade_options(vps: &Vps) -> Value {
    let options: Vec<ConfigurableOption> = vps
        .offered_options()
        .iter()
        .map(|(spec, min)| {
            let (kind, bounds) = match spec.kind {
                Kind::Slider => (ConfigurableOptionType::Slider, true),
                Kind::Quantity => (ConfigurableOptionType::Quantity, true),
                Kind::Toggle => (ConfigurableOptionType::Toggle, false),
            };
            ConfigurableOption {
                key: spec.key.into(),
                label: spec.label.into(),
                type_: kind,
                min: bounds.then_some(*min),
                max: bounds.then_some(spec.max),
                step: bounds.then_some(spec.step),
            }
        })
        .collect();
    let typed = UpgradeOptions {
        vps_id: Some(vps.id.clone()),
        current_product: Some(json!(product(vps))),
        configurable_options: options,
        available_plans: Vec::new(),
    };
    let mut value = json!(typed);
    // Extra fields the schema allows: each option's current value and price, each plan's terms.
    for (option, (spec, _)) in
        value["configurableOptions"].as_array_mut().into_iter().flatten().zip(vps.offered_options())
    {
        let current = vps.option(spec.key);
        option["current"] = if spec.kind == Kind::Toggle { json!(current >= 1.0) } else { json!(current) };
        option["stepPriceMonthly"] = json!(catalog::convert(spec.step_price_sek, vps.currency));
        option["currencyCode"] = json!(vps.currency);
    }
    let plans: Vec<Value> = catalog::PLANS
        .iter()
        .filter(|p| !vps.payg && p.monthly_sek > vps.plan.monthly_sek)
        .map(|p| {
            json!({
                "slug": p.slug,
                "name": p.name,
                "resources": {"cpuCores": p.cpu, "memoryGb": p.memory_gb, "storageGb": p.storage_gb},
                "bandwidthGb": p.bandwidth_gb,
                "amount": catalog::cycle_amount(p.monthly_sek, &vps.cycle, vps.currency),
                "currencyCode": vps.currency,
                "billingCycle": vps.cycle.as_str(),
            })
        })
        .collect();
    value["availablePlans"] = json!(plans);
    value
}

/// `GET actions/billing-cycle`.
pub(crate) fn billing_options(vps: &Vps) -> BillingCycleOptions {
    let offer = |cycle: &BillingCycle| BillingCycleOffer {
        billing_cycle: cycle.clone(),
        amount: vps.amount_in(cycle, &Default::default()),
        currency_code: vps.currency.into(),
        is_current: *cycle == vps.cycle,
    };
    let cycles = if vps.payg {
        vec![offer(&vps.cycle)]
    } else {
        catalog::OFFERED_CYCLES.iter().map(|(cycle, ..)| offer(cycle)).collect()
    };
    BillingCycleOptions {
        current_billing_cycle: vps.cycle.clone(),
        cycles,
        blocking_invoices: vps.blocking_invoices(),
        actions: BillingCycleGates { can_change_billing_cycle: gates::can_change_billing_cycle(vps) },
    }
}
