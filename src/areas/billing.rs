//! Billing models and what a VPS costs: PAYG versus fixed cycle (read from `billing.isPayg`, never
//! from `billingCycle`, which PAYG services report as `monthly`), monthly-normalised prices, fleet
//! totals per currency, and overdue invoices with their payment links.

use std::collections::BTreeMap;

use crate::types::{BillingCycle, InvoiceReference, InvoiceStatus, VpsDetails, VpsSummary};

/// How a VPS is billed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BillingModel {
    /// Pay-as-you-go Cloud VPS: resized through `actions/resize`, no billing cycle to change.
    Payg,
    /// Prepaid on a fixed cycle: changed through plan upgrades and billing-cycle changes.
    Fixed(BillingCycle),
}

impl BillingModel {
    fn from_flags(is_payg: bool, cycle: Option<&BillingCycle>) -> Self {
        if is_payg {
            BillingModel::Payg
        } else {
            BillingModel::Fixed(cycle.cloned().unwrap_or(BillingCycle::NotSet))
        }
    }

    /// True for PAYG.
    pub fn is_payg(&self) -> bool {
        matches!(self, BillingModel::Payg)
    }
}

/// `PAYG` or `fixed, annually`.
impl std::fmt::Display for BillingModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BillingModel::Payg => f.write_str("PAYG"),
            BillingModel::Fixed(cycle) => write!(f, "fixed, {cycle}"),
        }
    }
}

impl VpsDetails {
    /// The billing model, from `billing.isPayg`.
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/getVpsDetails.200.json"));
    /// let vps: hostup::types::VpsDetails = serde_json::from_str(json).unwrap();
    /// assert!(!vps.billing_model().is_payg());
    /// ```
    pub fn billing_model(&self) -> BillingModel {
        BillingModel::from_flags(self.billing.is_payg, Some(&self.billing.billing_cycle))
    }

    /// The recurring price per month, when the cycle is known.
    pub fn monthly_cost(&self) -> Option<MonthlyCost> {
        MonthlyCost::new(
            self.billing.amount,
            &self.billing.currency_code,
            Some(&self.billing.billing_cycle),
            self.billing.is_payg,
        )
    }
}

impl VpsSummary {
    /// The billing model, from `billing.isPayg`; `None` when the summary carries no billing.
    pub fn billing_model(&self) -> Option<BillingModel> {
        let billing = self.billing.as_ref()?;
        Some(BillingModel::from_flags(billing.is_payg, billing.billing_cycle.as_ref()))
    }

    /// The recurring price per month, when billing and cycle are known.
    pub fn monthly_cost(&self) -> Option<MonthlyCost> {
        let b = self.billing.as_ref()?;
        MonthlyCost::new(b.amount, &b.currency_code, b.billing_cycle.as_ref(), b.is_payg)
    }
}

/// Months in one billing cycle; `Some(0)` for `free`, `None` when unknown.
pub fn cycle_months(cycle: &BillingCycle) -> Option<u32> {
    match cycle {
        BillingCycle::Monthly => Some(1),
        BillingCycle::Quarterly => Some(3),
        BillingCycle::Semiannually => Some(6),
        BillingCycle::Annually => Some(12),
        BillingCycle::Biennially => Some(24),
        BillingCycle::Triennially => Some(36),
        BillingCycle::Free => Some(0),
        _ => None,
    }
}

/// A recurring price brought to one month.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct MonthlyCost {
    /// Amount per month.
    pub amount: f64,
    /// ISO currency code.
    pub currency: String,
    /// True for PAYG, whose amount is the latest reported figure rather than a prepaid price.
    pub payg: bool,
}

impl MonthlyCost {
    fn new(amount: f64, currency: &str, cycle: Option<&BillingCycle>, payg: bool) -> Option<Self> {
        let amount = if payg {
            amount
        } else {
            match cycle_months(cycle?)? {
                0 => 0.0,
                months => amount / f64::from(months),
            }
        };
        Some(MonthlyCost { amount, currency: currency.to_string(), payg })
    }
}

/// What a fleet costs per month, per currency, PAYG kept apart from fixed-cycle prices.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct FleetCost {
    /// Fixed-cycle services, monthly-normalised, by currency.
    pub fixed: BTreeMap<String, f64>,
    /// PAYG services' reported amounts, by currency.
    pub payg: BTreeMap<String, f64>,
    /// Ids (or names) of services whose cost is unknown (no billing, unknown cycle).
    pub unknown: Vec<String>,
}

impl FleetCost {
    /// Sums a fleet.
    ///
    /// ```
    /// use hostup::FleetCost;
    /// let fleet: Vec<hostup::types::VpsSummary> = serde_json::from_value(serde_json::json!([
    ///     {"id": "a", "billing": {"amount": 120, "currencyCode": "SEK", "billingCycle": "annually", "isPayg": false}},
    ///     {"id": "b", "billing": {"amount": 30, "currencyCode": "SEK", "billingCycle": "monthly", "isPayg": true}},
    /// ])).unwrap();
    /// let cost = FleetCost::of(&fleet);
    /// assert_eq!(cost.fixed["SEK"], 10.0);
    /// assert_eq!(cost.payg["SEK"], 30.0);
    /// ```
    pub fn of<'a>(fleet: impl IntoIterator<Item = &'a VpsSummary>) -> Self {
        let mut total = FleetCost::default();
        for vps in fleet {
            match vps.monthly_cost() {
                Some(cost) => {
                    let bucket = if cost.payg { &mut total.payg } else { &mut total.fixed };
                    *bucket.entry(cost.currency).or_default() += cost.amount;
                }
                None => total.unknown.push(vps.id.clone().or(vps.name.clone()).unwrap_or_default()),
            }
        }
        total
    }
}

/// An overdue invoice with an absolute payment link.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct OverdueInvoice {
    /// The invoice.
    pub invoice: InvoiceReference,
    /// `paymentUrl` resolved against the client's base URL.
    pub payment_link: Option<String>,
}

impl VpsDetails {
    /// The VPS's unpaid overdue invoices (paid, cancelled and refunded ones left out), with their
    /// payment links resolved against `base_url` (the client's: [`ClientExt::base_url`](crate::ClientExt::base_url)).
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/getVpsDetails.200.json"));
    /// let vps: hostup::types::VpsDetails = serde_json::from_str(json).unwrap();
    /// for overdue in vps.unpaid_overdue_invoices("https://cloud.hostup.se") {
    ///     println!("{:?}", overdue.payment_link);
    /// }
    /// ```
    pub fn unpaid_overdue_invoices(&self, base_url: &str) -> Vec<OverdueInvoice> {
        self.overdue_invoices
            .iter()
            .filter(|i| {
                !matches!(i.status, InvoiceStatus::Paid | InvoiceStatus::Cancelled | InvoiceStatus::Refunded)
            })
            .map(|invoice| OverdueInvoice {
                payment_link: invoice.payment_url.as_deref().map(|path| absolute_url(base_url, path)),
                invoice: invoice.clone(),
            })
            .collect()
    }
}

/// Resolves a path the API returned (`/billing?invoice=1`) against the base URL.
fn absolute_url(base_url: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else {
        format!("{}/{}", base_url.trim_end_matches('/'), path.trim_start_matches('/'))
    }
}
