//! Creating a PAYG Cloud VPS and waiting until it runs. The request is checked before anything is
//! sent: against the spec's bounds, the deployment options (the `canDeploy` gate, access
//! blockers, regions, the account's per-resource bounds) and the account's PAYG quota (naming
//! what remains and the limit request that lifts it). PAYG creation has no idempotency key, so it
//! is sent once: an answer that never arrives is reported as "may have been created" with the
//! name to look for.

use crate::error::{QuotaExceeded, Unconfirmed};
use crate::follow::{Until, until_running};
use crate::gates::PaygDeploymentGate;
use crate::limits::{
    PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MAX, PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MIN,
    PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MAX, PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MIN,
    PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MAX, PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MIN,
};
use crate::types::{
    PaygDeployment, PaygDeploymentOptions, PaygDeploymentRequest, PaygLimitType, PaygLimits, PaygRange,
    PaygRates, VpsDetails,
};
use crate::{ActionBlocked, Client, Error, Result, WaitOptions};

/// A PAYG Cloud VPS to create.
///
/// ```
/// # let options: hostup::types::PaygDeploymentOptions =
/// #     serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/getPaygDeploymentOptions.200.json"))).unwrap();
/// # let limits: hostup::types::PaygLimits =
/// #     serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/getPaygLimits.200.json"))).unwrap();
/// let ok = hostup::PaygDeploy::new("web-01", 2, 4, 80);
/// assert!(ok.check(&options, &limits).is_ok());
/// let too_big = hostup::PaygDeploy::new("web-01", 14, 4, 80); // 12 cores remain on the account
/// assert!(matches!(too_big.check(&options, &limits), Err(hostup::Error::QuotaExceeded(_))));
/// let bad_name = hostup::PaygDeploy::new("web_01", 2, 4, 80);
/// assert!(matches!(bad_name.check(&options, &limits), Err(hostup::Error::InvalidOption { key, .. }) if key == "name"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct PaygDeploy {
    name: String,
    cpu_cores: u64,
    memory_gb: u64,
    storage_gb: u64,
    region: Option<String>,
}

impl PaygDeploy {
    /// A VPS named `name` (3 to 63 letters, digits and hyphens) with these resources, in the
    /// default region.
    pub fn new(name: impl Into<String>, cpu_cores: u64, memory_gb: u64, storage_gb: u64) -> Self {
        PaygDeploy { name: name.into(), cpu_cores, memory_gb, storage_gb, region: None }
    }

    /// The region (an id from the deployment options); the options' default when not set.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What it costs per hour at these rates, before IP addresses and traffic.
    pub fn hourly_cost(&self, rates: &PaygRates) -> f64 {
        self.cpu_cores as f64 * rates.cpu_per_core_hour
            + self.memory_gb as f64 * rates.memory_per_gb_hour
            + self.storage_gb as f64 * rates.storage_per_gb_hour
    }

    /// Checks the request and returns the body to send.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the field and the bound (the spec's, or the account's from
    /// the options) or the regions on offer; [`Error::Blocked`] for the `canDeploy` gate with the
    /// access blockers and their recovery; [`Error::QuotaExceeded`] naming the quota key, what is
    /// needed and what remains.
    pub fn check(
        &self,
        options: &PaygDeploymentOptions,
        limits: &PaygLimits,
    ) -> Result<PaygDeploymentRequest> {
        let spec = [
            (
                "cpuCores",
                self.cpu_cores,
                PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MIN,
                PAYG_DEPLOYMENT_REQUEST_CPU_CORES_MAX,
            ),
            (
                "memoryGb",
                self.memory_gb,
                PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MIN,
                PAYG_DEPLOYMENT_REQUEST_MEMORY_GB_MAX,
            ),
            (
                "storageGb",
                self.storage_gb,
                PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MIN,
                PAYG_DEPLOYMENT_REQUEST_STORAGE_GB_MAX,
            ),
        ];
        for (key, value, min, max) in spec {
            if !(min..=max).contains(&value) {
                return Err(crate::areas::cancel::invalid(
                    key,
                    format!("{value} is outside {min} to {max}, the API's bounds"),
                ));
            }
        }
        let name = self.name.parse().map_err(|e| crate::areas::cancel::invalid("name", e))?;
        ensure_deployable(options)?;
        let region = self.region.clone().unwrap_or_else(|| options.defaults.region_id.clone());
        check_region(options, &region)?;
        if let Some(bounds) = &options.limits {
            let account = [
                ("cpuCores", self.cpu_cores, &bounds.cpu_cores),
                ("memoryGb", self.memory_gb, &bounds.memory_gb),
                ("storageGb", self.storage_gb, &bounds.storage_gb),
            ];
            for (key, value, range) in account {
                check_range(key, value, range)?;
            }
        }
        check_quota(limits, Some(self.cpu_cores), Some(self.memory_gb), Some(self.storage_gb))?;
        Ok(PaygDeploymentRequest {
            name,
            cpu_cores: nonzero(self.cpu_cores)?,
            memory_gb: nonzero(self.memory_gb)?,
            storage_gb: i64::try_from(self.storage_gb)
                .map_err(|e| crate::areas::cancel::invalid("storageGb", e))?,
            region: region.parse().map_err(|e| crate::areas::cancel::invalid("region", e))?,
        })
    }
}

/// One new PAYG VM of this size fits what remains of the account's quota. A size left `None` is
/// not known before sending and is left to the server.
pub(crate) fn check_quota(
    limits: &PaygLimits,
    cpu_cores: Option<u64>,
    memory_gb: Option<u64>,
    storage_gb: Option<u64>,
) -> Result<()> {
    let quota = [
        (PaygLimitType::CpuCores, cpu_cores, limits.remaining.cpu_cores, limits.max.cpu_cores),
        (PaygLimitType::MemoryGb, memory_gb, limits.remaining.memory_gb, limits.max.memory_gb),
        (PaygLimitType::StorageGb, storage_gb, limits.remaining.storage_gb, limits.max.storage_gb),
        (PaygLimitType::VmCount, Some(1), limits.remaining.instance_count, limits.max.instance_count),
    ];
    for (limit_type, requested, remaining, max) in quota {
        let Some(requested) = requested else { continue };
        let requested = i64::try_from(requested).unwrap_or(i64::MAX);
        if requested > remaining {
            return Err(Error::QuotaExceeded(Box::new(QuotaExceeded {
                limit_type,
                requested,
                remaining,
                max,
            })));
        }
    }
    Ok(())
}

fn nonzero(value: u64) -> Result<std::num::NonZeroU64> {
    std::num::NonZeroU64::new(value).ok_or_else(|| Error::InvalidRequest("a resource of 0".into()))
}

/// The account may create a Cloud VM (deployed, or restored from a backup): `available`, the
/// `canDeploy` gate, and no access blockers.
pub(crate) fn ensure_deployable(options: &PaygDeploymentOptions) -> Result<()> {
    let gate = PaygDeploymentGate::Deploy.gate(&options.actions);
    let blockers = options.access.as_ref().map(|a| a.blocker_reasons.clone()).unwrap_or_default();
    if options.available && gate.allowed && blockers.is_empty() {
        return Ok(());
    }
    Err(Error::Blocked(Box::new(ActionBlocked {
        action: PaygDeploymentGate::Deploy.to_string(),
        reason: gate.reason.clone().or_else(|| options.reason.clone()),
        code: gate.code.clone().or_else(|| blockers.first().map(|b| b.to_string())),
        blockers,
    })))
}

fn check_region(options: &PaygDeploymentOptions, region: &str) -> Result<()> {
    if options.regions.is_empty() {
        return Ok(()); // the list was not captured in the docs: the server decides
    }
    let offered: Vec<&str> =
        options.regions.iter().filter(|r| r.available != Some(false)).map(|r| r.id.as_str()).collect();
    if offered.contains(&region) {
        return Ok(());
    }
    Err(crate::areas::cancel::invalid("region", format!("{region:?} is not on offer; regions: {offered:?}")))
}

fn check_range(key: &str, value: u64, range: &Option<PaygRange>) -> Result<()> {
    let value = i64::try_from(value).unwrap_or(i64::MAX);
    let (min, max) = range.as_ref().map_or((None, None), |r| (r.min, r.max));
    if let Some(min) = min.filter(|min| value < *min) {
        return Err(crate::areas::cancel::invalid(
            key,
            format!("{value} is below this account's minimum of {min}"),
        ));
    }
    if let Some(max) = max.filter(|max| value > *max) {
        return Err(crate::areas::cancel::invalid(
            key,
            format!("{value} is above this account's maximum of {max}"),
        ));
    }
    Ok(())
}

/// Reads the options and limits, checks, creates (once), and follows the new VPS until it runs.
pub(crate) async fn deploy(client: &Client, request: &PaygDeploy, wait: WaitOptions) -> Result<VpsDetails> {
    let created = create(client, request).await?;
    until_running(client, &created.vps_id, None, Until::Running, &wait).await?;
    Ok(client.get_vps_details().id(created.vps_id.as_str()).send().await?.into_inner())
}

/// Reads the options and limits, checks, and creates once; an answer that never arrived is
/// [`Error::Unconfirmed`] with the name to look for.
pub(crate) async fn create(client: &Client, request: &PaygDeploy) -> Result<PaygDeployment> {
    let options = client.get_payg_deployment_options().send().await?.into_inner();
    let limits = client.get_payg_limits().send().await?.into_inner();
    let body = request.check(&options, &limits)?;
    match client.create_payg_deployment().body(body).send().await {
        Ok(created) => Ok(created.into_inner()),
        Err(e) if may_have_reached_the_server(&e) => Err(Error::Unconfirmed(Box::new(Unconfirmed {
            what: "PAYG deployment".into(),
            look_for: Some(request.name.clone()),
            attempt_key: None,
            source: e,
        }))),
        Err(e) => Err(e),
    }
}

/// A failure after which the deployment may exist: no answer (a timeout, a broken connection,
/// not a refused one), a gateway error, or a success body that did not decode. A 4xx or 500 with
/// Problem Details is the server saying it did not create it.
pub(crate) fn may_have_reached_the_server(e: &Error) -> bool {
    match e {
        Error::Transport(_) | Error::Timeout(_) => e.may_have_reached_server(),
        Error::Decode(d) => d.status.is_none_or(|s| s.is_success()),
        _ => e.status().is_some_and(|s| matches!(s.as_u16(), 502..=504)),
    }
}

/// Files a PAYG limit request, with the current ceiling read from the account's limits.
pub(crate) async fn request_limit(
    client: &Client,
    limit_type: PaygLimitType,
    requested: u64,
    reason: &str,
) -> Result<crate::types::PaygLimitRequestSubmitted> {
    let reason = reason.parse().map_err(|e| crate::areas::cancel::invalid("reason", e))?;
    let limits = client.get_payg_limits().send().await?.into_inner();
    let current = match limit_type {
        PaygLimitType::CpuCores => limits.max.cpu_cores,
        PaygLimitType::MemoryGb => limits.max.memory_gb,
        PaygLimitType::StorageGb => limits.max.storage_gb,
        PaygLimitType::VmCount => limits.max.instance_count,
        _ => {
            return Err(Error::InvalidRequest(format!(
                "the PAYG limits report no ceiling for {limit_type}; send requestPaygLimitIncrease with your current limit"
            )));
        }
    };
    let current = u64::try_from(current).unwrap_or(0);
    if requested <= current {
        return Err(crate::areas::cancel::invalid(
            "requestedLimit",
            format!("{requested} is not above the current {limit_type} limit of {current}"),
        ));
    }
    let requested_limit = nonzero(requested)?;
    let body = crate::types::PaygLimitRequest { limit_type, current_limit: current, requested_limit, reason };
    Ok(client.request_payg_limit_increase().body(body).send().await?.into_inner())
}
