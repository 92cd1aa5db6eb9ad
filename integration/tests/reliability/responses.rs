//! The responses the property tests start from: every success fixture, a v2 Problem Details error
//! and a legacy error envelope, each with its typed decoder and the call that receives it.

use hostup::types::*;
use hostup::{Client, Error};
use serde::de::DeserializeOwned;

pub struct Fixture {
    /// `operationId.status`, the fixture's file name.
    pub name: &'static str,
    pub status: u16,
    /// The body, when there is no fixture file for it.
    inline: Option<&'static str>,
    /// Decodes a body like the generated code does; a failure goes through the crate's diagnosis.
    pub decode: fn(&[u8]) -> hostup::Result<()>,
}

/// Decodes `body` as `T` with `serde_json` (what the generated code does) and turns a failure into
/// `hostup::Error` through `DecodeError::from_serde`, the crate's diagnosis.
pub fn direct<T: DeserializeOwned>(body: &[u8]) -> hostup::Result<()> {
    serde_json::from_slice::<T>(body).map(drop).map_err(|e| {
        Error::Decode(Box::new(hostup::DecodeError::from_serde(None, Default::default(), body, &e)))
    })
}

const LEGACY_401: &str = r#"{"error": "Unauthorized", "message": "Invalid or missing API key.",
    "code": "UNAUTHORIZED", "timestamp": "2026-04-27T12:34:56.000Z",
    "requestId": "0b4f8f4e-8f60-4d1a-9a8e-4a1f6c1d2e3f"}"#;

macro_rules! fixtures {
    ($($name:literal $status:literal $ty:ty $(, $inline:expr)?;)*) => {
        pub const FIXTURES: &[Fixture] = &[$(Fixture {
            name: $name,
            status: $status,
            inline: { let _inline: Option<&'static str> = None; $(let _inline = Some($inline);)? _inline },
            decode: direct::<$ty>,
        },)*];
    };
}

fixtures! {
    "listVps.200" 200 VpsList;
    "getVps.200" 200 VpsSummary;
    "getVpsDetails.200" 200 VpsDetails;
    "getVpsStatus.200" 200 VpsStatus;
    "getVpsUpgradeOptions.200" 200 UpgradeOptions;
    "getVpsBillingCycle.200" 200 BillingCycleOptions;
    "changeVpsResources.200" 200 ResourceChangeResult;
    "upgradeVpsPlan.200" 200 PlanChangeResult;
    "changeVpsBillingCycle.200" 200 BillingCycleChangeResult;
    "renewVps.200" 200 RenewResult;
    "resizePaygVps.200" 200 PaygResizeResult;
    "restartVps.202" 202 OperationAccepted;
    "stopVps.202" 202 OperationAccepted;
    "getJob.200" 200 JobStatusResponse;
    "getLegacyVmDetails.200" 200 LegacyVmDetailsResponse;
    "legacyPowerAction.200" 200 LegacyPowerResponse;
    "getVpsDetails.404" 404 ProblemDetails;
    "getLegacyVmDetails.401" 401 LegacyError, LEGACY_401;
}

impl Fixture {
    pub fn body(&self) -> String {
        self.inline.map_or_else(|| crate::support::fixture(self.name), str::to_string)
    }

    fn legacy(&self) -> bool {
        self.name.starts_with("getLegacy")
            || self.name.starts_with("legacy")
            || self.name.starts_with("getJob")
    }

    pub fn content_type(&self) -> &'static str {
        if self.status >= 400 && !self.legacy() { "application/problem+json" } else { "application/json" }
    }

    /// A valid body gives `Ok` for a success status and the API's own error otherwise.
    pub fn expect_valid(&self, result: hostup::Result<()>, body: &str) {
        match (self.status, result) {
            (..300, Ok(())) => {}
            (400.., Err(Error::Api(e))) if !self.legacy() => assert_eq!(e.status.as_u16(), self.status),
            (400.., Err(Error::Legacy(e))) if self.legacy() => assert_eq!(e.status.as_u16(), self.status),
            (_, other) => {
                let body: String = body.chars().take(1500).collect();
                panic!("{}: a valid body gave {other:?}\n{body}", self.name)
            }
        }
    }
}

/// Makes the call whose response `fixture` is.
pub async fn call(c: &Client, fixture: &Fixture) -> hostup::Result<()> {
    let id = crate::support::VPS_ID;
    let operation = fixture.name.split('.').next().unwrap();
    let resources = serde_json::json!({"bandwidthGb": 4096}).as_object().unwrap().clone();
    match operation {
        "listVps" => c.list_vps().send().await.map(drop),
        "getVps" => c.get_vps().id(id).send().await.map(drop),
        "getVpsDetails" => c.get_vps_details().id(id).send().await.map(drop),
        "getVpsStatus" => c.get_vps_status().id(id).send().await.map(drop),
        "getVpsUpgradeOptions" => c.get_vps_upgrade_options().id(id).send().await.map(drop),
        "getVpsBillingCycle" => c.get_vps_billing_cycle().id(id).send().await.map(drop),
        "changeVpsResources" => {
            let body = ResourceChangeRequest::builder().resources(resources).dry_run(true);
            c.change_vps_resources().id(id).body(body).send().await.map(drop)
        }
        "upgradeVpsPlan" => {
            let body = PlanChangeRequest::builder().product_slug("vps-sm").dry_run(true);
            c.upgrade_vps_plan().id(id).body(body).send().await.map(drop)
        }
        "changeVpsBillingCycle" => {
            let body = BillingCycleChangeRequest::builder().billing_cycle(BillingCycleChoice::Annually);
            c.change_vps_billing_cycle().id(id).body(body).send().await.map(drop)
        }
        "renewVps" => c.renew_vps().id(id).body(RenewRequest::builder()).send().await.map(drop),
        "resizePaygVps" => {
            let body = PaygResizeRequest::builder().cpu_cores(2u64).memory_gb(4u64);
            c.resize_payg_vps().id(id).body(body).send().await.map(drop)
        }
        "restartVps" => c.restart_vps().id(id).send().await.map(drop),
        "stopVps" => c.stop_vps().id(id).send().await.map(drop),
        "getJob" => c.get_job().job_id("job_1").send().await.map(drop),
        "getLegacyVmDetails" => c.get_legacy_vm_details().vmid(10415u64).send().await.map(drop),
        "legacyPowerAction" => {
            let body = LegacyPowerRequest::builder().action(LegacyPowerAction::Restart);
            c.legacy_power_action().vmid(10415u64).body(body).send().await.map(drop)
        }
        other => panic!("no call for {other}"),
    }
}
