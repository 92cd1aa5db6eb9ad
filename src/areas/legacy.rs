//! A typed view of the legacy `/api/vm/{vmid}/details` answer, for users moving to v2: numbers that
//! arrive as strings parsed, and the timestamp-keyed usage log as an ordered series.

use std::time::SystemTime;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::types::{LegacyNumber, LegacyUsageSample, LegacyVmDetails};

impl LegacyNumber {
    /// The value as a number, parsing strings like `"39.00"`; `None` when it is not numeric.
    ///
    /// ```
    /// use hostup::types::LegacyNumber;
    /// assert_eq!(LegacyNumber::String("39.00".into()).as_f64(), Some(39.0));
    /// assert_eq!(LegacyNumber::Number(4.0).as_f64(), Some(4.0));
    /// assert_eq!(LegacyNumber::String("n/a".into()).as_f64(), None);
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            LegacyNumber::Number(n) => Some(*n),
            LegacyNumber::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        }
    }
}

fn num(value: &Option<LegacyNumber>) -> Option<f64> {
    value.as_ref().and_then(LegacyNumber::as_f64)
}

/// The legacy details with numbers parsed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct LegacyVm {
    /// Server id.
    pub id: Option<String>,
    /// Hostname.
    pub hostname: Option<String>,
    /// Service status, as sent.
    pub status: Option<String>,
    /// Hypervisor status, as sent.
    pub vm_status: Option<String>,
    /// CPU cores.
    pub cpu: Option<f64>,
    /// Memory, as the legacy API counts it.
    pub ram: Option<f64>,
    /// Disk, as the legacy API counts it.
    pub disk: Option<f64>,
    /// Bandwidth allowance.
    pub bandwidth_limit: Option<f64>,
    /// Price per cycle.
    pub price: Option<f64>,
    /// Billing cycle, as sent.
    pub billing_cycle: Option<String>,
    /// Uptime in seconds.
    pub uptime: Option<f64>,
    /// The usage log, oldest first.
    pub usage: Vec<LegacyUsagePoint>,
}

/// One usage sample, with its time parsed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct LegacyUsagePoint {
    /// The timestamp key as sent.
    pub at: String,
    /// The timestamp parsed, when it is RFC 3339 (offsets honoured).
    pub time: Option<SystemTime>,
    /// Bytes (or the API's unit) received.
    pub data_received: Option<f64>,
    /// Bytes (or the API's unit) sent.
    pub data_sent: Option<f64>,
    /// CPU use.
    pub cpu: Option<f64>,
    /// Memory use.
    pub mem: Option<f64>,
    /// Uptime.
    pub uptime: Option<f64>,
}

impl LegacyUsagePoint {
    fn new(at: &str, sample: &LegacyUsageSample) -> Self {
        LegacyUsagePoint {
            at: at.to_string(),
            time: OffsetDateTime::parse(at, &Rfc3339).ok().map(SystemTime::from),
            data_received: num(&sample.data_received),
            data_sent: num(&sample.data_sent),
            cpu: num(&sample.cpu),
            mem: num(&sample.mem),
            uptime: num(&sample.uptime),
        }
    }
}

impl LegacyVmDetails {
    /// The typed view: numbers parsed, usage log ordered by time.
    pub fn view(&self) -> LegacyVm {
        let mut usage: Vec<LegacyUsagePoint> =
            self.usage_log.iter().map(|(at, sample)| LegacyUsagePoint::new(at, sample)).collect();
        // Parsed times first in order; unparseable keys after, by text.
        usage.sort_by(|a, b| match (a.time, b.time) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.at.cmp(&b.at),
        });
        LegacyVm {
            id: self.id.clone(),
            hostname: self.hostname.clone(),
            status: self.status.clone(),
            vm_status: self.vm_status.clone(),
            cpu: num(&self.cpu),
            ram: num(&self.ram),
            disk: num(&self.disk),
            bandwidth_limit: num(&self.bandwidth_limit),
            price: num(&self.price),
            billing_cycle: self.billingcycle.clone(),
            uptime: num(&self.uptime),
            usage,
        }
    }
}
