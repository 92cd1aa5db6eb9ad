//! The sandbox's mutable world: the fleet with its invoices, and the power jobs in flight.
//!
//! Jobs finish lazily: every request first calls [`State::settle`], which applies the jobs whose
//! time has come. No background task is needed, and a stopped runtime leaves nothing behind.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::catalog::{self, OptionSpec, Plan};
use hostup::types::{BillingCycle, InvoiceReference, InvoiceStatus, PowerState, ServiceStatus};

/// An invoice attached to a VPS.
#[derive(Clone, Debug)]
pub(crate) struct Invoice {
    pub reference: InvoiceReference,
    /// Listed in `overdueInvoices`.
    pub overdue: bool,
    /// Blocks commits (409 `existing_invoice_blocking`) until paid or cancelled.
    pub blocking: bool,
}

impl Invoice {
    pub fn is_open(&self) -> bool {
        self.reference.status == InvoiceStatus::Unpaid
    }
}

/// Why every action of a VPS is refused (a pending order, a suspension).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Block {
    pub reason: &'static str,
    pub code: &'static str,
}

/// One VPS as the sandbox keeps it; the views turn it into the spec's shapes.
#[derive(Clone, Debug)]
pub(crate) struct Vps {
    pub id: String,
    pub vmid: Option<u64>,
    pub name: String,
    pub hostname: String,
    pub plan: &'static Plan,
    pub payg: bool,
    pub currency: &'static str,
    pub cycle: BillingCycle,
    pub service: ServiceStatus,
    pub power: PowerState,
    pub booted_at: Option<SystemTime>,
    pub cpu: u32,
    pub memory_gb: u32,
    pub storage_gb: u32,
    /// Option values by key; a missing key has its minimum.
    pub options: BTreeMap<&'static str, f64>,
    pub inbound_gb: f64,
    pub outbound_gb: f64,
    pub ipv4: String,
    pub ipv6: String,
    /// Display name, family, version.
    pub os: (&'static str, &'static str, &'static str),
    pub tags: Vec<String>,
    pub pinned: bool,
    pub created_at: SystemTime,
    pub next_due: SystemTime,
    pub invoices: Vec<Invoice>,
    pub blocked: Option<Block>,
    /// Pending maintenance: `Some(has_deadline)`.
    pub maintenance: Option<bool>,
    /// The power job in flight.
    pub job: Option<String>,
    pub root_password: String,
    pub ssh_keys: Vec<String>,
}

impl Vps {
    /// The options this VPS offers, with their minimum.
    pub fn offered_options(&self) -> Vec<(&'static OptionSpec, f64)> {
        catalog::options_for(self.plan, self.payg)
    }

    /// The current value of an option.
    pub fn option(&self, key: &str) -> f64 {
        let min = self.offered_options().iter().find(|(o, _)| o.key == key).map(|(_, min)| *min);
        self.options.get(key).copied().or(min).unwrap_or(0.0)
    }

    pub fn bandwidth_limit_gb(&self) -> f64 {
        if self.payg { f64::from(self.plan.bandwidth_gb) } else { self.option("bandwidthGb") }
    }

    /// Monthly SEK of the plan, or of the PAYG resources at the hourly rates.
    pub fn base_monthly_sek(&self) -> f64 {
        if !self.payg {
            return self.plan.monthly_sek;
        }
        catalog::HOURS_PER_MONTH
            * (f64::from(self.cpu) * catalog::PAYG_CPU_CORE_HOUR
                + f64::from(self.memory_gb) * catalog::PAYG_MEMORY_GB_HOUR
                + f64::from(self.storage_gb) * catalog::PAYG_STORAGE_GB_HOUR)
    }

    /// Monthly SEK of the options, with these values (the current ones where `options` has no
    /// entry).
    pub fn options_monthly_sek(&self, options: &BTreeMap<&'static str, f64>) -> f64 {
        self.offered_options()
            .iter()
            .map(|(spec, min)| {
                let value = options.get(spec.key).copied().unwrap_or_else(|| self.option(spec.key));
                catalog::option_monthly_sek(spec, *min, value)
            })
            .sum()
    }

    /// Monthly SEK in all, with these option values.
    pub fn monthly_sek_with(&self, options: &BTreeMap<&'static str, f64>) -> f64 {
        self.base_monthly_sek() + self.options_monthly_sek(options)
    }

    /// What one billing period costs: the cycle price, or a PAYG month's estimate.
    pub fn amount(&self) -> f64 {
        self.amount_in(&self.cycle, &BTreeMap::new())
    }

    /// The period price in `cycle` with these option values.
    pub fn amount_in(&self, cycle: &BillingCycle, options: &BTreeMap<&'static str, f64>) -> f64 {
        let monthly = self.monthly_sek_with(options);
        if self.payg {
            catalog::convert(monthly, self.currency)
        } else {
            catalog::cycle_amount(monthly, cycle, self.currency)
        }
    }

    pub fn overdue_invoices(&self) -> Vec<InvoiceReference> {
        self.invoices.iter().filter(|i| i.is_open() && i.overdue).map(|i| i.reference.clone()).collect()
    }

    pub fn blocking_invoices(&self) -> Vec<InvoiceReference> {
        self.invoices.iter().filter(|i| i.is_open() && i.blocking).map(|i| i.reference.clone()).collect()
    }

    /// Cancels the blocking invoices (the `cancelExistingInvoice: true` recovery).
    pub fn cancel_blocking_invoices(&mut self) {
        for invoice in self.invoices.iter_mut().filter(|i| i.is_open() && i.blocking) {
            invoice.reference.status = InvoiceStatus::Cancelled;
        }
    }
}

/// A power action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PowerVerb {
    Start,
    Stop,
    Shutdown,
    Restart,
    Reset,
}

impl PowerVerb {
    pub fn name(self) -> &'static str {
        match self {
            PowerVerb::Start => "start",
            PowerVerb::Stop => "stop",
            PowerVerb::Shutdown => "shutdown",
            PowerVerb::Restart => "restart",
            PowerVerb::Reset => "reset",
        }
    }

    /// The state shown while the job runs.
    pub fn transitional(self) -> PowerState {
        match self {
            PowerVerb::Stop | PowerVerb::Shutdown => PowerState::Stopping,
            _ => PowerState::Starting,
        }
    }

    /// The state the job ends in.
    pub fn target(self) -> PowerState {
        match self {
            PowerVerb::Stop | PowerVerb::Shutdown => PowerState::Stopped,
            _ => PowerState::Running,
        }
    }
}

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Queued,
    Running,
    Completed,
}

/// A power job.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub id: String,
    pub vps_id: String,
    pub vmid: Option<u64>,
    pub verb: PowerVerb,
    pub created: Instant,
    pub created_wall: SystemTime,
    pub done_at: Instant,
}

impl Job {
    pub fn phase(&self, now: Instant) -> Phase {
        // The first quarter of the job's time it waits in the queue, like a real worker would.
        let queued_until = self.created + (self.done_at - self.created) / 4;
        if now >= self.done_at {
            Phase::Completed
        } else if now < queued_until {
            Phase::Queued
        } else {
            Phase::Running
        }
    }

    /// Progress in percent.
    pub fn progress(&self, now: Instant) -> f64 {
        let total = (self.done_at - self.created).as_secs_f64();
        if total <= 0.0 {
            return 100.0;
        }
        (now.saturating_duration_since(self.created).as_secs_f64() / total * 100.0).min(100.0).round()
    }

    pub fn finished_wall(&self) -> SystemTime {
        self.created_wall + (self.done_at - self.created)
    }
}

/// Everything that changes while the sandbox runs.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub fleet: Vec<Vps>,
    pub jobs: HashMap<String, Job>,
    /// Snapshots, backups, their schedules and jobs.
    pub recovery: crate::recovery::Recovery,
    /// SSH keys, password login, interfaces and addresses.
    pub access: crate::access::Access,
    /// PAYG access and quota, provisioning, rebuilds, cancellations, maintenance, orders.
    pub lifecycle: crate::lifecycle::Lifecycle,
    /// Firewalls, extra disks, CD/DVD drives and the ISO library.
    pub devices: crate::devices::Devices,
}

impl State {
    /// Applies the power jobs that have finished by `now`.
    pub fn settle(&mut self, now: Instant) {
        crate::recovery::settle(&mut self.recovery, &mut self.fleet, now);
        for job in self.jobs.values().filter(|j| j.done_at <= now) {
            let Some(vps) = self.fleet.iter_mut().find(|v| v.id == job.vps_id) else { continue };
            if vps.job.as_deref() != Some(job.id.as_str()) {
                continue;
            }
            vps.job = None;
            vps.power = job.verb.target();
            vps.booted_at = (vps.power == PowerState::Running).then(|| job.finished_wall());
        }
    }

    pub fn vps(&self, id: &str) -> Option<&Vps> {
        self.fleet.iter().find(|v| v.id == id)
    }

    pub fn vps_mut(&mut self, id: &str) -> Option<&mut Vps> {
        self.fleet.iter_mut().find(|v| v.id == id)
    }

    pub fn by_vmid(&self, vmid: u64) -> Option<&Vps> {
        self.fleet.iter().find(|v| v.vmid == Some(vmid))
    }

    /// Starts a power job on a VPS whose gate allowed it.
    pub fn begin_power(&mut self, vps_id: &str, verb: PowerVerb, job_id: String, duration: Duration) -> Job {
        let now = Instant::now();
        let job = Job {
            id: job_id,
            vps_id: vps_id.to_string(),
            vmid: self.vps(vps_id).and_then(|v| v.vmid),
            verb,
            created: now,
            created_wall: SystemTime::now(),
            done_at: now + duration,
        };
        if let Some(vps) = self.vps_mut(vps_id) {
            vps.power = verb.transitional();
            vps.job = Some(job.id.clone());
        }
        self.jobs.insert(job.id.clone(), job.clone());
        job
    }
}
