//! The sandbox's price list: plans, configurable options, billing cycles and PAYG rates.
//!
//! Prices are kept in SEK; other currencies convert at a fixed rate so every number a test sees is
//! predictable.

use hostup::types::BillingCycle;

/// A fixed-cycle plan (or the PAYG Cloud VPS product).
#[derive(Debug)]
pub(crate) struct Plan {
    pub slug: &'static str,
    pub name: &'static str,
    pub product_id: &'static str,
    pub cpu: u32,
    pub memory_gb: u32,
    pub storage_gb: u32,
    /// Traffic included per month; the `bandwidthGb` option starts here.
    pub bandwidth_gb: u32,
    pub monthly_sek: f64,
}

/// Fixed plans, smallest first: a plan change may only move down this list.
pub(crate) const PLANS: &[Plan] = &[
    plan("vps-xs", "VPS XS", "vpsprod_01jsbxplanxs00000000000001", 1, 2, 40, 1024, 59.0),
    plan("vps-sm", "VPS SM", "vpsprod_01jsbxplansm00000000000002", 2, 4, 80, 2048, 99.0),
    plan("vps-md", "VPS MD", "vpsprod_01jsbxplanmd00000000000003", 4, 8, 160, 4096, 199.0),
    plan("vps-lg", "VPS LG", "vpsprod_01jsbxplanlg00000000000004", 8, 16, 320, 8192, 399.0),
];

/// The PAYG product; its resources vary per VPS and are priced by the hour.
pub(crate) const CLOUD: Plan =
    plan("cloud-vm", "Cloud VPS", "vpsprod_01jsbxcloudvm0000000000005", 0, 0, 0, 1024, 0.0);

#[allow(clippy::too_many_arguments)]
const fn plan(
    slug: &'static str,
    name: &'static str,
    product_id: &'static str,
    cpu: u32,
    memory_gb: u32,
    storage_gb: u32,
    bandwidth_gb: u32,
    monthly_sek: f64,
) -> Plan {
    Plan { slug, name, product_id, cpu, memory_gb, storage_gb, bandwidth_gb, monthly_sek }
}

/// The plan with this slug (the PAYG product included).
pub(crate) fn plan_by_slug(slug: &str) -> Option<&'static Plan> {
    PLANS.iter().chain(std::iter::once(&CLOUD)).find(|p| p.slug == slug)
}

/// Hourly PAYG rates in SEK, and the hours a month is billed as.
pub(crate) const PAYG_CPU_CORE_HOUR: f64 = 0.12;
pub(crate) const PAYG_MEMORY_GB_HOUR: f64 = 0.04;
pub(crate) const PAYG_STORAGE_GB_HOUR: f64 = 0.003;
/// PAYG traffic per GB and each IPv4 address per hour, in SEK.
pub(crate) const PAYG_BANDWIDTH_GB: f64 = 0.1;
pub(crate) const PAYG_IP_HOUR: f64 = 0.02;
pub(crate) const HOURS_PER_MONTH: f64 = 730.0;

/// How the panel presents an option (the spec's `ConfigurableOptionType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Slider,
    Quantity,
    Toggle,
}

/// One configurable option. `min` of `bandwidthGb` is the plan's included traffic.
#[derive(Debug)]
pub(crate) struct OptionSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    /// SEK per month for each step above `min` (or above the free amount).
    pub step_price_sek: f64,
    /// Offered on PAYG Cloud VPS too (PAYG pays traffic and storage by use instead).
    pub payg: bool,
}

pub(crate) const OPTIONS: &[OptionSpec] = &[
    option("bandwidthGb", "Bandwidth", Kind::Slider, 0.0, 16384.0, 1024.0, 10.0, false),
    option("backupSlots", "Backup slots", Kind::Quantity, 0.0, 7.0, 1.0, 15.0, true),
    option("snapshotSlots", "Snapshot slots", Kind::Quantity, 0.0, 5.0, 1.0, 10.0, true),
    option("ipv4Count", "IPv4 addresses", Kind::Quantity, 1.0, 4.0, 1.0, 25.0, true),
    option("ipv6", "IPv6", Kind::Toggle, 0.0, 1.0, 1.0, 0.0, true),
    option("additionalStorageGb", "Attachable block storage", Kind::Slider, 0.0, 1000.0, 10.0, 5.0, false),
];

#[allow(clippy::too_many_arguments)]
const fn option(
    key: &'static str,
    label: &'static str,
    kind: Kind,
    min: f64,
    max: f64,
    step: f64,
    step_price_sek: f64,
    payg: bool,
) -> OptionSpec {
    OptionSpec { key, label, kind, min, max, step, step_price_sek, payg }
}

/// The options a VPS offers, with `bandwidthGb` starting at its plan's allowance.
pub(crate) fn options_for(plan: &Plan, payg: bool) -> Vec<(&'static OptionSpec, f64)> {
    OPTIONS
        .iter()
        .filter(|o| !payg || o.payg)
        .map(|o| (o, if o.key == "bandwidthGb" { f64::from(plan.bandwidth_gb) } else { o.min }))
        .collect()
}

/// Monthly SEK for one option value.
pub(crate) fn option_monthly_sek(spec: &OptionSpec, min: f64, value: f64) -> f64 {
    let steps = ((value - min) / spec.step).max(0.0);
    steps * spec.step_price_sek
}

/// Cycles a fixed-cycle VPS may move to, with their price factor (longer cycles are cheaper).
pub(crate) const OFFERED_CYCLES: &[(BillingCycle, u32, f64)] = &[
    (BillingCycle::Monthly, 1, 1.0),
    (BillingCycle::Quarterly, 3, 0.98),
    (BillingCycle::Semiannually, 6, 0.95),
    (BillingCycle::Annually, 12, 0.9),
    (BillingCycle::Biennially, 24, 0.85),
    (BillingCycle::Triennially, 36, 0.8),
];

/// Months and price factor of an offered cycle.
pub(crate) fn cycle_terms(cycle: &BillingCycle) -> Option<(u32, f64)> {
    OFFERED_CYCLES.iter().find(|(c, ..)| c == cycle).map(|(_, months, factor)| (*months, *factor))
}

/// The price of `monthly_sek` per month over one `cycle`, in `currency`.
pub(crate) fn cycle_amount(monthly_sek: f64, cycle: &BillingCycle, currency: &str) -> f64 {
    let (months, factor) = cycle_terms(cycle).unwrap_or((1, 1.0));
    convert(monthly_sek * f64::from(months) * factor, currency)
}

/// SEK into `currency` (SEK or EUR), rounded to cents.
pub(crate) fn convert(sek: f64, currency: &str) -> f64 {
    let rate = if currency == "EUR" { 0.09 } else { 1.0 };
    round2(sek * rate)
}

/// Rounds to two decimals, as invoices do.
pub(crate) fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_discount_and_currencies_convert() {
        assert_eq!(cycle_amount(99.0, &BillingCycle::Monthly, "SEK"), 99.0);
        assert_eq!(cycle_amount(99.0, &BillingCycle::Annually, "SEK"), 1069.2);
        assert_eq!(cycle_amount(100.0, &BillingCycle::Quarterly, "EUR"), 26.46);
        assert!(cycle_terms(&BillingCycle::Free).is_none());
    }

    #[test]
    fn bandwidth_starts_at_the_plan_allowance() {
        let sm = plan_by_slug("vps-sm").unwrap();
        let (spec, min) = options_for(sm, false).into_iter().find(|(o, _)| o.key == "bandwidthGb").unwrap();
        assert_eq!(min, 2048.0);
        assert_eq!(option_monthly_sek(spec, min, 4096.0), 20.0);
        assert!(options_for(&CLOUD, true).iter().all(|(o, _)| o.payg));
    }
}
