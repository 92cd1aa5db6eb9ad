//! Creating and ending VPSes: the account's PAYG access and quota, limit requests, VPSes being
//! provisioned or reinstalled, cancellations, maintenance deadlines and orders. Like the jobs,
//! every step in time is applied lazily by [`settle`] whenever the state is read. Every step runs
//! on the sandbox's (skewable) clock, so a test can move a deployment, a rebuild or a
//! cancellation along with [`Faults::set_clock_offset`](crate::Faults::set_clock_offset).

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use super::catalog;
use super::model::{Block, State, Vps};
use hostup::types::{BillingCycle, InvoiceStatus, OrderStatus, PaygBlockerReason, PowerState, ServiceStatus};

/// What the account may do with Cloud VMs; every field true by default. Switch one off with
/// [`Sandbox::set_payg_account`](crate::Sandbox::set_payg_account) to see its blocker on PAYG
/// deployments and conversions to Cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaygAccount {
    /// The account is verified (else `not_verified`).
    pub verified: bool,
    /// Cloud VMs are enabled for the account (else `no_cloud_access`).
    pub cloud_access: bool,
    /// A payment card is on file (else `no_card_on_file`).
    pub card_on_file: bool,
}

impl Default for PaygAccount {
    fn default() -> Self {
        PaygAccount { verified: true, cloud_access: true, card_on_file: true }
    }
}

/// One reading of the four PAYG quota keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Quota {
    pub cpu_cores: i64,
    pub memory_gb: i64,
    pub storage_gb: i64,
    pub instance_count: i64,
}

impl Quota {
    /// What one VPS takes of the quota.
    pub fn of(vps: &Vps) -> Quota {
        Quota::new(vps.cpu.into(), vps.memory_gb.into(), vps.storage_gb.into())
    }

    /// One instance of this size.
    pub fn new(cpu_cores: i64, memory_gb: i64, storage_gb: i64) -> Quota {
        Quota { cpu_cores, memory_gb, storage_gb, instance_count: 1 }
    }

    /// What the PAYG VPSes of the fleet use.
    pub fn used(fleet: &[Vps]) -> Quota {
        fleet.iter().filter(|v| v.payg).map(Quota::of).fold(Quota::default(), |a, b| a.plus(&b, 1))
    }

    /// `self + sign * other`, floored at 0.
    pub fn plus(&self, other: &Quota, sign: i64) -> Quota {
        let f = |a: i64, b: i64| (a + sign * b).max(0);
        Quota {
            cpu_cores: f(self.cpu_cores, other.cpu_cores),
            memory_gb: f(self.memory_gb, other.memory_gb),
            storage_gb: f(self.storage_gb, other.storage_gb),
            instance_count: f(self.instance_count, other.instance_count),
        }
    }

    /// The blocker of each key where `needed` is more than `remaining`.
    pub fn exceeded(needed: &Quota, remaining: &Quota) -> Vec<PaygBlockerReason> {
        [
            (needed.cpu_cores > remaining.cpu_cores, PaygBlockerReason::CpuLimitExceeded),
            (needed.memory_gb > remaining.memory_gb, PaygBlockerReason::MemoryLimitExceeded),
            (needed.storage_gb > remaining.storage_gb, PaygBlockerReason::StorageLimitExceeded),
            (needed.instance_count > remaining.instance_count, PaygBlockerReason::InstanceLimitExceeded),
        ]
        .into_iter()
        .filter_map(|(over, code)| over.then_some(code))
        .collect()
    }
}

/// A limit increase under review.
#[derive(Clone, Debug)]
pub(crate) struct LimitRequest {
    pub id: String,
    pub limit_type: String,
    pub current: u64,
    pub requested: u64,
    pub reason: String,
}

/// Where a cancellation stands (`none` is the absence of one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CancelStatus {
    Pending,
    Scheduled,
    Completed,
    Revoked,
}

impl CancelStatus {
    pub fn name(self) -> &'static str {
        match self {
            CancelStatus::Pending => "pending",
            CancelStatus::Scheduled => "scheduled",
            CancelStatus::Completed => "completed",
            CancelStatus::Revoked => "revoked",
        }
    }

    pub fn revokable(self) -> bool {
        matches!(self, CancelStatus::Pending | CancelStatus::Scheduled)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Cancellation {
    pub vps_id: String,
    pub immediate: bool,
    pub reason: String,
    pub status: CancelStatus,
    pub cancelled_at: SystemTime,
    /// When it takes effect and the VPS goes.
    pub effective_at: SystemTime,
    /// Until then the record is still being looked up: the status route says `none`.
    pub visible_at: SystemTime,
}

/// A maintenance change queued for a VPS, with its deadline and extension policy.
#[derive(Clone, Debug)]
pub(crate) struct Deadline {
    pub id: Option<String>,
    pub key: &'static str,
    pub current: &'static str,
    pub pending: &'static str,
    pub original: SystemTime,
    pub extension_days: u32,
    pub max_extensions: u32,
    pub used: u32,
}

impl Deadline {
    /// The deadline in force: the original one moved by the extensions used.
    pub fn effective(&self) -> SystemTime {
        self.original + DAY * self.extension_days * self.used
    }

    pub fn can_extend(&self) -> bool {
        self.id.is_some() && self.used < self.max_extensions
    }
}

/// An order; PAYG deployments make one too (active at once, no invoice).
#[derive(Clone, Debug)]
pub(crate) struct Order {
    pub id: String,
    pub status: OrderStatus,
    pub invoice: Option<(String, u32)>,
    pub invoice_status: InvoiceStatus,
    pub amount: f64,
    pub cycle: Option<String>,
    pub payg: bool,
    pub attempt_key: Option<String>,
    pub created: SystemTime,
    /// When its invoice is paid and it becomes `active` (on the sandbox's clock); `None`: never.
    pub paid_at: Option<SystemTime>,
}

/// An OS image a VPS can be rebuilt with: id, display name, family, version, licensing.
#[derive(Debug)]
pub(crate) struct Template {
    pub id: &'static str,
    pub os: (&'static str, &'static str, &'static str),
    pub licensing: Option<(&'static str, &'static str)>,
}

/// The templates every VPS offers.
pub(crate) const TEMPLATES: &[Template] = &[
    template("os_01jsbxubuntu24040000000001", ("Ubuntu 24.04", "ubuntu", "24.04"), None),
    template("os_01jsbxubuntu22040000000002", ("Ubuntu 22.04", "ubuntu", "22.04"), None),
    template("os_01jsbxdebian12000000000003", ("Debian 12", "debian", "12"), None),
    template("os_01jsbxalmalinux90000000004", ("AlmaLinux 9", "almalinux", "9"), None),
    template(
        "os_01jsbxwindows2022000000005",
        ("Windows Server 2022", "windows", "2022"),
        Some(("windows", "Windows Server licences are billed monthly on top of the VPS.")),
    ),
];

const fn template(
    id: &'static str,
    os: (&'static str, &'static str, &'static str),
    licensing: Option<(&'static str, &'static str)>,
) -> Template {
    Template { id, os, licensing }
}

/// A rebuild in flight (a job, polled through `GET /api/jobs/{jobId}`).
#[derive(Clone, Debug)]
pub(crate) struct Rebuild {
    pub vps_id: String,
    pub template: &'static Template,
    pub created: SystemTime,
    pub done_at: SystemTime,
}

/// Everything of this area that changes while the sandbox runs.
#[derive(Debug, Default)]
pub(crate) struct Lifecycle {
    pub account: PaygAccount,
    pub quota_max: Quota,
    pub limit_requests: Vec<LimitRequest>,
    /// VPSes being provisioned, and when they run.
    pub provisioning: HashMap<String, SystemTime>,
    pub rebuilds: BTreeMap<String, Rebuild>,
    /// Oldest first; a VPS's newest one is its status.
    pub cancellations: Vec<Cancellation>,
    pub maintenance: HashMap<String, Vec<Deadline>>,
    pub orders: Vec<Order>,
    /// VPSes whose auto-renewal a blocked cancellation switched off.
    pub autorenew_off: Vec<String>,
}

impl Lifecycle {
    /// The VPS's newest cancellation that the status route shows by `wall`.
    pub fn cancellation(&self, vps_id: &str, wall: SystemTime) -> Option<&Cancellation> {
        self.cancellations.iter().rev().find(|c| c.vps_id == vps_id && c.visible_at <= wall)
    }
}

const DAY: Duration = Duration::from_secs(86_400);

/// How the platform marks a VPS being provisioned: every action waits for it.
pub(crate) const PROVISIONING: Block =
    Block { reason: "The VPS is still being provisioned.", code: "operation_in_progress" };

/// A new PAYG Cloud VPS, provisioning; `n` tells its addresses apart.
pub(crate) fn new_payg(id: String, name: &str, size: (u32, u32, u32), n: u32, wall: SystemTime) -> Vps {
    Vps {
        id,
        vmid: None,
        name: name.to_string(),
        hostname: format!("{}.example.com", name.to_ascii_lowercase()),
        plan: &catalog::CLOUD,
        payg: true,
        currency: "SEK",
        cycle: BillingCycle::Monthly,
        service: ServiceStatus::Pending,
        power: PowerState::Provisioning,
        booted_at: None,
        cpu: size.0,
        memory_gb: size.1,
        storage_gb: size.2,
        options: BTreeMap::from([("ipv6", 1.0)]),
        inbound_gb: 0.0,
        outbound_gb: 0.0,
        ipv4: format!("198.51.100.{}", 10 + n % 240),
        ipv6: format!("2001:db8:1::{}", 10 + n),
        os: TEMPLATES[0].os,
        tags: Vec::new(),
        pinned: false,
        created_at: wall,
        next_due: wall + DAY * 30,
        invoices: Vec::new(),
        blocked: Some(PROVISIONING),
        maintenance: None,
        job: None,
        root_password: format!("sandbox-root-password-new-{n}"),
        ssh_keys: Vec::new(),
    }
}

/// The starting state: a verified account with a PAYG quota of 16 cores, 64 GB of memory,
/// 1000 GB of disk and 10 instances, and a kernel update queued on each VPS with pending
/// maintenance (with a deadline where the fleet says it has one).
pub(crate) fn seed(fleet: &[Vps]) -> Lifecycle {
    let now = SystemTime::now();
    let maintenance = fleet
        .iter()
        .filter_map(|vps| {
            let has_deadline = vps.maintenance?;
            let tail = vps.id.strip_prefix("vps_").unwrap_or(&vps.id);
            let change = Deadline {
                id: has_deadline.then(|| format!("mtd_{tail}")),
                key: "kernel",
                current: "6.8.0-31-generic",
                pending: "6.8.0-45-generic",
                original: now + DAY * 14,
                extension_days: 7,
                max_extensions: 2,
                used: 0,
            };
            Some((vps.id.clone(), vec![change]))
        })
        .collect();
    Lifecycle {
        quota_max: Quota { cpu_cores: 16, memory_gb: 64, storage_gb: 1000, instance_count: 10 },
        maintenance,
        ..Lifecycle::default()
    }
}

/// Applies what has come due: provisioned VPSes run, pending orders are paid (`active`, invoice
/// `paid`), rebuilds finish, cancellations take effect (the VPS leaves the fleet; its backups
/// are retained like a terminated VPS's).
pub(crate) fn settle(state: &mut State, wall: SystemTime) {
    let ready: Vec<String> = state
        .lifecycle
        .provisioning
        .iter()
        .filter(|(_, at)| **at <= wall)
        .map(|(id, _)| id.clone())
        .collect();
    for id in ready {
        state.lifecycle.provisioning.remove(&id);
        if let Some(vps) = state.vps_mut(&id) {
            (vps.service, vps.power, vps.booted_at, vps.blocked) =
                (ServiceStatus::Active, PowerState::Running, Some(wall), None);
        }
    }
    let done: Vec<(String, Rebuild)> = state
        .lifecycle
        .rebuilds
        .iter()
        .filter(|(_, r)| r.done_at <= wall)
        .map(|(id, r)| (id.clone(), r.clone()))
        .collect();
    for order in state.lifecycle.orders.iter_mut() {
        if order.status == OrderStatus::Pending && order.paid_at.is_some_and(|at| at <= wall) {
            (order.status, order.invoice_status) = (OrderStatus::Active, InvoiceStatus::Paid);
        }
    }
    for (job_id, rebuild) in done {
        let Some(vps) = state.vps_mut(&rebuild.vps_id) else { continue };
        if vps.job.as_deref() == Some(job_id.as_str()) {
            (vps.os, vps.power, vps.booted_at, vps.job) =
                (rebuild.template.os, PowerState::Running, Some(wall), None);
            vps.ssh_keys.clear(); // a fresh install: only the new image's keys
        }
    }
    let due: Vec<usize> = (0..state.lifecycle.cancellations.len())
        .filter(|&i| {
            let c = &state.lifecycle.cancellations[i];
            c.status.revokable() && c.effective_at <= wall
        })
        .collect();
    for i in due {
        let cancellation = &mut state.lifecycle.cancellations[i];
        cancellation.status = CancelStatus::Completed;
        let id = cancellation.vps_id.clone();
        terminate(state, &id);
    }
}

/// Takes a cancelled VPS out of the fleet.
fn terminate(state: &mut State, id: &str) {
    let Some(at) = state.fleet.iter().position(|v| v.id == id) else { return };
    let vps = state.fleet.remove(at);
    state.lifecycle.provisioning.remove(id);
    state.lifecycle.maintenance.remove(id);
    for backup in state.recovery.backups.remove(id).into_iter().flatten().filter(|b| b.ready) {
        state.recovery.retained.push((vps.id.clone(), vps.name.clone(), backup));
    }
}
