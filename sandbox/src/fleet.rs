//! The seeded fleet: one VPS for each case a client has to handle. Tests and examples name them
//! with these constants; every sandbox starts from the same fleet.
//!
//! ```
//! use hostup_sandbox::fleet;
//! assert_eq!(fleet::ALL.len(), 8);
//! assert!(fleet::ALL.iter().all(|id| id.len() == 30 && id.starts_with("vps_")));
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::catalog::{self, Plan};
use super::model::{Block, Invoice, Vps};
use hostup::types::{BillingCycle, InvoiceReference, InvoiceStatus, PowerState, ServiceStatus};

/// A PAYG Cloud VPS: `billing.isPayg: true` although `billingCycle` says `monthly`. Running.
pub const PAYG_CLOUD: &str = "vps_01jsbxpaygcloud00000000001";
/// A fixed-cycle VPS SM paid monthly in SEK. Running; the plain case.
pub const MONTHLY_SEK: &str = "vps_01jsbxfixedmonthlysek00002";
/// A fixed-cycle VPS MD paid annually in SEK. Running, with pending maintenance.
pub const ANNUAL_SEK: &str = "vps_01jsbxfixedannualsek000003";
/// A fixed-cycle VPS XS paid quarterly in EUR. Stopped, so it can be started.
pub const QUARTERLY_EUR: &str = "vps_01jsbxfixedquarterlyeur004";
/// A suspended VPS with an overdue invoice: every action is refused (`service_suspended`).
pub const SUSPENDED: &str = "vps_01jsbxsuspended00000000005";
/// A VPS with an overdue invoice and an unpaid invoice that blocks plan, option and billing-cycle
/// commits with 409 `existing_invoice_blocking` until a commit sends `cancelExistingInvoice: true`.
pub const OVERDUE: &str = "vps_01jsbxoverdueinvoice000006";
/// A VPS whose order is still pending: its gates say `allowed: false` with code `pending_order`.
pub const BLOCKED: &str = "vps_01jsbxblockedactions000007";
/// An older VPS that is also reachable on the legacy API as [`LEGACY_VMID`].
pub const LEGACY: &str = "vps_01jsbxlegacy00000000000008";
/// The legacy integer id of [`LEGACY`], for `/api/vm/{vmid}/...`.
pub const LEGACY_VMID: u64 = 10415;

/// Every seeded VPS, in list order.
pub const ALL: [&str; 8] =
    [PAYG_CLOUD, MONTHLY_SEK, ANNUAL_SEK, QUARTERLY_EUR, SUSPENDED, OVERDUE, BLOCKED, LEGACY];

/// The root disk of a VPS (`vpsdisk_` and the VPS id's tail), for `actions/resize-disk`.
///
/// ```
/// use hostup_sandbox::fleet;
/// assert_eq!(fleet::root_disk(fleet::MONTHLY_SEK), "vpsdisk_01jsbxfixedmonthlysek00002");
/// ```
pub fn root_disk(vps_id: &str) -> String {
    format!("vpsdisk_{}", vps_id.strip_prefix("vps_").unwrap_or(vps_id))
}

const DAY: Duration = Duration::from_secs(86_400);

fn at(iso: &str) -> SystemTime {
    humantime::parse_rfc3339(iso).unwrap_or(SystemTime::UNIX_EPOCH)
}

fn plan(slug: &str) -> &'static Plan {
    catalog::plan_by_slug(slug).unwrap_or(&catalog::PLANS[0])
}

/// A running VPS with the plan's resources and default options.
fn base(id: &str, name: &str, n: u8, slug: &str, currency: &'static str, cycle: BillingCycle) -> Vps {
    let plan = plan(slug);
    let now = SystemTime::now();
    Vps {
        id: id.to_string(),
        vmid: None,
        name: name.to_string(),
        hostname: format!("{name}.example.com"),
        plan,
        payg: false,
        currency,
        cycle,
        service: ServiceStatus::Active,
        power: PowerState::Running,
        booted_at: Some(now - Duration::from_secs(197_424 + u64::from(n) * 3_600)),
        cpu: plan.cpu,
        memory_gb: plan.memory_gb,
        storage_gb: plan.storage_gb,
        options: BTreeMap::from([("ipv6", 1.0)]),
        inbound_gb: catalog::round2(4.2 * f64::from(n)),
        outbound_gb: catalog::round2(8.3 * f64::from(n)),
        ipv4: format!("192.0.2.{}", 10 + n),
        ipv6: format!("2001:db8::{}", 10 + n),
        os: ("Ubuntu 24.04", "ubuntu", "24.04"),
        tags: Vec::new(),
        pinned: false,
        created_at: at("2025-03-01T09:00:00Z") + DAY * u32::from(n) * 7,
        next_due: now + DAY * (10 + u32::from(n)),
        invoices: Vec::new(),
        blocked: None,
        maintenance: None,
        job: None,
        root_password: format!("sandbox-root-password-{n}"),
        ssh_keys: vec![format!("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIsandbox{n} ops@example.com")],
    }
}

fn invoice(id: &str, number: u32, amount: f64, currency: &str, due: SystemTime) -> InvoiceReference {
    InvoiceReference {
        id: id.to_string(),
        number: Some(number.to_string()),
        amount,
        currency_code: currency.to_string(),
        due_at: Some(humantime::format_rfc3339_millis(due).to_string()),
        status: InvoiceStatus::Unpaid,
        payment_url: Some(format!("/billing?invoice={number}")),
    }
}

/// The fleet every sandbox starts with.
pub(crate) fn seed() -> Vec<Vps> {
    let now = SystemTime::now();

    let mut payg = base(PAYG_CLOUD, "cloud-01", 1, "cloud-vm", "SEK", BillingCycle::Monthly);
    payg.payg = true;
    (payg.cpu, payg.memory_gb, payg.storage_gb) = (2, 4, 50);
    payg.options.insert("snapshotSlots", 1.0);
    payg.tags = vec!["payg".into(), "ci".into()];

    let mut monthly = base(MONTHLY_SEK, "app-01", 2, "vps-sm", "SEK", BillingCycle::Monthly);
    monthly.tags = vec!["production".into()];
    monthly.pinned = true;

    let mut annual = base(ANNUAL_SEK, "db-01", 3, "vps-md", "SEK", BillingCycle::Annually);
    annual.options.insert("backupSlots", 2.0);
    annual.maintenance = Some(true);
    annual.os = ("Debian 12", "debian", "12");
    annual.tags = vec!["production".into(), "database".into()];

    let mut quarterly = base(QUARTERLY_EUR, "eu-web-01", 4, "vps-xs", "EUR", BillingCycle::Quarterly);
    quarterly.power = PowerState::Stopped;
    quarterly.booted_at = None;
    quarterly.maintenance = Some(false);

    let mut suspended = base(SUSPENDED, "old-build-01", 5, "vps-xs", "SEK", BillingCycle::Monthly);
    suspended.service = ServiceStatus::Suspended;
    suspended.power = PowerState::Stopped;
    suspended.booted_at = None;
    suspended.next_due = now - DAY * 20;
    let overdue = invoice("inv_01jsbxsuspendedoverdue0001", 10001, 59.0, "SEK", now - DAY * 20);
    suspended.invoices.push(Invoice { reference: overdue, overdue: true, blocking: false });

    let mut shop = base(OVERDUE, "shop-01", 6, "vps-sm", "SEK", BillingCycle::Monthly);
    let overdue = invoice("inv_01jsbxshopoverdue000000002", 10002, 99.0, "SEK", now - DAY * 5);
    shop.invoices.push(Invoice { reference: overdue, overdue: true, blocking: false });
    let pending = invoice("inv_01jsbxshopupgrade000000003", 10003, 100.0, "SEK", now + DAY * 7);
    shop.invoices.push(Invoice { reference: pending, overdue: false, blocking: true });
    shop.tags = vec!["production".into(), "shop".into()];

    let mut blocked = base(BLOCKED, "staging-01", 7, "vps-sm", "SEK", BillingCycle::Monthly);
    blocked.service = ServiceStatus::Pending;
    blocked.power = PowerState::Provisioning;
    blocked.booted_at = None;
    blocked.blocked =
        Some(Block { reason: "The order for this VPS is still being processed.", code: "pending_order" });

    let mut legacy = base(LEGACY, "legacy-01", 8, "vps-xs", "SEK", BillingCycle::Monthly);
    legacy.vmid = Some(LEGACY_VMID);
    legacy.os = ("AlmaLinux 8", "almalinux", "8");
    legacy.created_at = at("2021-06-01T12:00:00Z");

    vec![payg, monthly, annual, quarterly, suspended, shop, blocked, legacy]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_ids_have_the_public_shape_and_match_the_constants() {
        let fleet = seed();
        let ids: Vec<&str> = fleet.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ALL);
        for id in ALL {
            let tail = id.strip_prefix("vps_").unwrap();
            assert_eq!(tail.len(), 26, "{id}");
            assert!(tail.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{id}");
        }
        for invoice in fleet.iter().flat_map(|v| &v.invoices) {
            assert_eq!(invoice.reference.id.len(), 30, "{}", invoice.reference.id);
        }
    }
}
