//! Firewall, disk and ISO state: per VPS its inbound firewall (rules by position, switch and
//! policy), its extra disks beside the root disk, its CD/DVD drives; for the account the ISO
//! library and the downloads into it. A VPS's state is made on first use, so a fresh sandbox
//! needs no seeding beyond the fleet: the plain monthly VPS starts with one allow rule.

use std::collections::HashMap;

use tokio::time::Instant;

use super::lifecycle::Quota;
use super::model::{State, Vps};

/// The most rules a VPS may hold in the sandbox (small, so the limit can be reached).
pub(crate) const MAX_RULES: usize = 10;
/// CD/DVD slots a VPS can have.
pub(crate) const SLOTS: [&str; 4] = ["ide0", "ide1", "ide2", "ide3"];

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rule {
    pub direction: &'static str,
    pub action: String,
    pub enabled: bool,
    pub proto: Option<String>,
    pub dport: Option<String>,
    pub sport: Option<String>,
    pub source: Option<String>,
    pub dest: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Firewall {
    pub enabled: bool,
    pub policy: String,
    /// In position order: a rule's index is its `pos`.
    pub rules: Vec<Rule>,
}

impl Firewall {
    fn seeded(vps: &Vps) -> Self {
        let mut firewall = Firewall { enabled: false, policy: "ACCEPT".into(), rules: Vec::new() };
        if vps.id == crate::fleet::MONTHLY_SEK {
            firewall.rules.push(Rule {
                direction: "in",
                action: "ACCEPT".into(),
                enabled: true,
                proto: Some("tcp".into()),
                dport: Some("22".into()),
                sport: None,
                source: Some("198.51.100.10".into()),
                dest: None,
                description: Some("Allow SSH from office".into()),
            });
            // An upstream outbound rule: listed, never writable through v2.
            firewall.rules.push(Rule {
                direction: "out",
                action: "ACCEPT".into(),
                enabled: true,
                proto: None,
                dport: None,
                sport: None,
                source: None,
                dest: None,
                description: Some("Upstream: all outbound".into()),
            });
        }
        firewall
    }
}

/// A disk beside the root disk.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ExtraDisk {
    pub id: String,
    pub slot: String,
    pub size_gb: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Iso {
    pub id: String,
    pub filename: String,
    pub display_name: String,
    pub size_gb: f64,
    /// Uploaded by the customer (only those can be deleted).
    pub owned: bool,
    /// The download job, while the file is being fetched.
    pub download: Option<String>,
}

/// A CD/DVD drive and what is in it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Drive {
    pub slot: String,
    pub iso: Option<String>,
}

/// A download from a URL, followed through `/api/jobs/{jobId}`.
#[derive(Clone, Debug)]
pub(crate) struct Download {
    pub vps_id: String,
    pub iso_id: String,
    pub created: Instant,
    pub done_at: Instant,
    pub fails_with: Option<String>,
}

impl Download {
    pub fn done(&self, now: Instant) -> bool {
        now >= self.done_at
    }
}

#[derive(Debug, Default)]
pub(crate) struct Devices {
    firewalls: HashMap<String, Firewall>,
    pub disks: HashMap<String, Vec<ExtraDisk>>,
    drives: HashMap<String, Vec<Drive>>,
    library: Option<Vec<Iso>>,
    pub downloads: HashMap<String, Download>,
}

impl Devices {
    pub fn firewall(&mut self, vps: &Vps) -> &mut Firewall {
        self.firewalls.entry(vps.id.clone()).or_insert_with(|| Firewall::seeded(vps))
    }

    pub fn extra_disks(&self, vps_id: &str) -> &[ExtraDisk] {
        self.disks.get(vps_id).map_or(&[], Vec::as_slice)
    }

    /// GB of attachable storage the extra disks of a VPS use.
    pub fn attached_gb(&self, vps_id: &str) -> u64 {
        self.extra_disks(vps_id).iter().map(|d| d.size_gb).sum()
    }

    /// Every VPS starts with one empty drive, `ide2` (the docs' default).
    pub fn drives(&mut self, vps_id: &str) -> &mut Vec<Drive> {
        self.drives
            .entry(vps_id.to_string())
            .or_insert_with(|| vec![Drive { slot: "ide2".into(), iso: None }])
    }

    /// The account's ISO library: a public image and one the customer uploaded. Downloads whose
    /// job has finished join it; failed ones leave it.
    pub fn library(&mut self, now: Instant) -> &mut Vec<Iso> {
        let downloads = &self.downloads;
        let library = self.library.get_or_insert_with(|| {
            vec![
                Iso {
                    id: "iso_01jsbxubuntu2404server00001".into(),
                    filename: "ubuntu-24.04-live-server-amd64.iso".into(),
                    display_name: "Ubuntu 24.04 LTS".into(),
                    size_gb: 5.9,
                    owned: false,
                    download: None,
                },
                Iso {
                    id: "iso_01jsbxcustomrescue000000002".into(),
                    filename: "rescue.iso".into(),
                    display_name: "rescue.iso".into(),
                    size_gb: 0.8,
                    owned: true,
                    download: None,
                },
            ]
        });
        library.retain(|iso| match iso.download.as_ref().and_then(|job| downloads.get(job)) {
            Some(d) => !(d.done(now) && d.fails_with.is_some()),
            None => true,
        });
        for iso in library.iter_mut() {
            if iso.download.as_ref().and_then(|job| downloads.get(job)).is_some_and(|d| d.done(now)) {
                iso.download = None;
            }
        }
        library
    }

    /// GB the extra disks of the PAYG VPSes take of the account's PAYG storage limit.
    fn payg_extra_gb(&self, fleet: &[Vps]) -> u64 {
        fleet.iter().filter(|v| v.payg).map(|v| self.attached_gb(&v.id)).sum()
    }
}

impl State {
    /// What the PAYG VPSes take of the account's quota: their own sizes, and their extra disks'
    /// storage (which `payg/limits` shows and add-disk draws on alike).
    pub(crate) fn payg_used(&self) -> Quota {
        let extra = i64::try_from(self.devices.payg_extra_gb(&self.fleet)).unwrap_or(i64::MAX);
        Quota::used(&self.fleet).plus(&Quota { storage_gb: extra, ..Quota::default() }, 1)
    }

    /// What remains of the account's PAYG quota.
    pub(crate) fn payg_remaining(&self) -> Quota {
        self.lifecycle.quota_max.plus(&self.payg_used(), -1)
    }
}
