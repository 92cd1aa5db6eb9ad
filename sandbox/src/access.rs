//! Access and network state: the account's SSH keys (fingerprints computed from the key blob, as
//! `ssh-keygen -l` prints them), SSH password login and the interfaces of each VPS with their
//! addresses and PTR records, plus a pool of free public addresses. Metrics are not stored: they
//! are a pure function of the seed, the VPS and the time bucket, so the same seed always draws the
//! same series.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde_json::{Value, json};

use super::ids::Ids;
use super::model::Vps;
use hostup::SshKeyLine;
use hostup::types::PowerState;

/// One account SSH key.
#[derive(Clone, Debug)]
pub(crate) struct Key {
    pub id: String,
    pub name: String,
    pub parsed: SshKeyLine,
    pub created: SystemTime,
    /// Why the key cannot be deleted now (reason, code).
    pub in_use: Option<(&'static str, &'static str)>,
}

/// One address on an interface, or in the free pool.
#[derive(Clone, Debug)]
pub(crate) struct Address {
    pub id: String,
    pub ipv6: bool,
    pub ip: String,
    pub mask: &'static str,
    pub gateway: Option<String>,
    pub main: bool,
    pub rdns: Option<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Interface {
    pub name: String,
    pub mac: String,
    pub vlan: Option<u32>,
    pub addresses: Vec<Address>,
}

#[derive(Debug, Default)]
pub(crate) struct Access {
    pub keys: Vec<Key>,
    /// Root password login per VPS (absent: off).
    pub password_login: HashMap<String, bool>,
    pub interfaces: HashMap<String, Vec<Interface>>,
    /// Public IPv4 addresses free to assign.
    pub free: Vec<Address>,
    /// Old addresses kept with `reserveOldIp: true`.
    pub reserved: Vec<Address>,
    seed: u64,
}

/// An ed25519 public key line with a blob drawn from the generator.
pub(crate) fn generated_key(ids: &Ids, comment: &str) -> String {
    let mut blob = Vec::with_capacity(51);
    blob.extend_from_slice(&11u32.to_be_bytes());
    blob.extend_from_slice(b"ssh-ed25519");
    blob.extend_from_slice(&32u32.to_be_bytes());
    blob.extend((0..32).map(|_| ids.number(0..256) as u8));
    let encoded = base64::engine::general_purpose::STANDARD.encode(blob);
    format!("ssh-ed25519 {encoded} {comment}")
}

fn address(ids: &Ids, ip: String, ipv6: bool, main: bool, rdns: Option<String>) -> Address {
    let gateway = (!ipv6 && main).then(|| format!("{}.1", ip.rsplit_once('.').map_or("", |(net, _)| net)));
    Address { id: ids.public("ip_"), ipv6, mask: if ipv6 { "64" } else { "24" }, ip, gateway, main, rdns }
}

/// The starting state: two account keys (the second held by the pending order of
/// [`fleet::BLOCKED`](crate::fleet::BLOCKED)), one public interface per VPS, a private one on
/// [`fleet::MONTHLY_SEK`](crate::fleet::MONTHLY_SEK), and ten free addresses.
pub(crate) fn seed(fleet: &[Vps], seed: u64) -> Access {
    let ids = Ids::new(seed ^ 0xacce55);
    let created = UNIX_EPOCH + Duration::from_secs(1_740_000_000);
    let key = |name: &str, comment: &str, in_use| {
        let parsed = SshKeyLine::parse(&generated_key(&ids, comment)).expect("a generated key parses");
        Key { id: ids.public("ssh_"), name: name.into(), parsed, created, in_use }
    };
    let keys = vec![
        key("deploy-key", "ops@example.com", None),
        key(
            "staging-provisioning",
            "ci@example.com",
            Some(("The key is used by a pending order.", "pending_order")),
        ),
    ];
    let mut interfaces = HashMap::new();
    for (n, vps) in fleet.iter().enumerate() {
        let public = Interface {
            name: "net0".into(),
            mac: format!("52:54:00:12:34:{:02x}", n + 0x10),
            vlan: None,
            addresses: vec![
                address(&ids, vps.ipv4.clone(), false, true, Some(vps.hostname.clone())),
                address(&ids, vps.ipv6.clone(), true, false, None),
            ],
        };
        let mut list = vec![public];
        if vps.id == crate::fleet::MONTHLY_SEK {
            let private = address(&ids, "10.10.0.12".into(), false, false, None);
            list.push(Interface {
                name: "net1".into(),
                mac: "52:54:00:ab:cd:12".into(),
                vlan: Some(100),
                addresses: vec![private],
            });
        }
        interfaces.insert(vps.id.clone(), list);
    }
    let free = (100..110).map(|n| address(&ids, format!("203.0.113.{n}"), false, false, None)).collect();
    Access { keys, password_login: HashMap::new(), interfaces, free, reserved: Vec::new(), seed }
}

impl Access {
    pub fn key(&self, id: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.id == id)
    }

    pub fn interfaces(&self, vps_id: &str) -> &[Interface] {
        self.interfaces.get(vps_id).map_or(&[], Vec::as_slice)
    }

    /// The address `ip` (or its `ip_...` id) on the VPS: interface index and address index.
    pub fn find_address(&self, vps_id: &str, ip: &str) -> Option<(usize, usize)> {
        self.interfaces(vps_id).iter().enumerate().find_map(|(i, iface)| {
            iface.addresses.iter().position(|a| a.ip == ip || a.id == ip).map(|a| (i, a))
        })
    }

    /// The metrics series: `count` samples `step` apart, ending at the bucket that holds `now`.
    pub fn metrics(&self, vps: &Vps, step: Duration, count: u64, now: SystemTime) -> Vec<Value> {
        let step_secs = step.as_secs().max(1);
        let last = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() / step_secs;
        let vps_hash = vps
            .id
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        let running = vps.power == PowerState::Running;
        (last + 1 - count..=last)
            .map(|bucket| {
                let noise = |channel: u64| unit(self.seed ^ vps_hash ^ bucket.wrapping_mul(0x9e37_79b9) ^ (channel << 56));
                let at = bucket * step_secs;
                let daily = (at % 86_400) as f64 / 86_400.0 * std::f64::consts::TAU;
                let on = if running { 1.0 } else { 0.0 };
                let r = |v: f64| (v * on * 100.0).round() / 100.0;
                json!({
                    "recordedAt": crate::views::iso(UNIX_EPOCH + Duration::from_secs(at)),
                    "cpuUsagePercent": r((12.0 + 18.0 * (0.5 - 0.5 * daily.cos()) + 10.0 * noise(1)).min(100.0)),
                    "memoryUsagePercent": r(38.0 + 12.0 * noise(2)),
                    "diskReadMbPerSecond": r(0.4 + 2.0 * noise(3)),
                    "diskWriteMbPerSecond": r(0.2 + 1.2 * noise(4)),
                    "networkInboundKbPerSecond": r(20.0 + 90.0 * noise(5)),
                    "networkOutboundKbPerSecond": r(10.0 + 45.0 * noise(6)),
                })
            })
            .collect()
    }
}

/// A number in [0, 1) from a 64-bit value (splitmix64's finaliser).
fn unit(mut x: u64) -> f64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_series_and_keys() {
        let fleet = crate::fleet::seed();
        let (a, b) = (seed(&fleet, 7), seed(&fleet, 7));
        assert_eq!(a.keys[0].parsed, b.keys[0].parsed);
        assert_ne!(seed(&fleet, 8).keys[0].parsed.fingerprint, a.keys[0].parsed.fingerprint);
        let now = SystemTime::now();
        let series = a.metrics(&fleet[1], Duration::from_secs(60), 60, now);
        assert_eq!(series, b.metrics(&fleet[1], Duration::from_secs(60), 60, now));
        assert_eq!(series.len(), 60);
        assert_ne!(series, seed(&fleet, 8).metrics(&fleet[1], Duration::from_secs(60), 60, now));
        let stopped = a.metrics(&fleet[3], Duration::from_secs(60), 3, now);
        assert!(stopped.iter().all(|s| s["cpuUsagePercent"] == 0.0));
    }
}
