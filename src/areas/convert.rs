//! Converting a fixed-cycle VPS to PAYG Cloud billing: the eligibility check first (the billing
//! model, the `canConvertToCloud` gate, the blockers with their recovery), then the conversion.

use crate::gates::CloudConversionGate;
use crate::types::{BillingModelName, CloudConversionEligibility, CloudConversionResult};
use crate::{ActionBlocked, Client, Error, Result};

impl CloudConversionEligibility {
    /// `Ok` when the conversion may be sent.
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/getCloudConversionEligibility.200.json"));
    /// let check: hostup::types::CloudConversionEligibility = serde_json::from_str(json).unwrap();
    /// let err = check.ensure_convertible().unwrap_err();
    /// assert!(err.to_string().contains("not_verified (verify the account"));
    /// ```
    ///
    /// # Errors
    /// [`Error::WrongBillingModel`] when the VPS is PAYG already; [`Error::Blocked`] with the
    /// gate's reason and the blockers (each with its recovery) when the gate is closed.
    pub fn ensure_convertible(&self) -> Result<()> {
        if self.current_billing_model == BillingModelName::Payg {
            return Err(Error::WrongBillingModel(format!(
                "{} is a PAYG Cloud VPS already (currentBillingModel payg): nothing to convert",
                self.vps_id
            )));
        }
        let gate = CloudConversionGate::ConvertToCloud.gate(&self.actions);
        if self.available && gate.allowed && self.blocker_reasons.is_empty() {
            return Ok(());
        }
        let code = gate.code.clone().or_else(|| self.blocker_reasons.first().map(|b| b.to_string()));
        Err(Error::Blocked(Box::new(ActionBlocked {
            action: CloudConversionGate::ConvertToCloud.to_string(),
            reason: gate.reason.clone().or_else(|| self.reason.clone()),
            code,
            blockers: self.blocker_reasons.clone(),
        })))
    }
}

/// Checks eligibility, then converts. A refusal by the server keeps its status (403 for the
/// account and quota blockers, 409 for `has_unpaid_invoice`); read the blockers with
/// [`Error::blocker_reasons`].
pub(crate) async fn convert(client: &Client, vps_id: &str) -> Result<CloudConversionResult> {
    let check = client.get_cloud_conversion_eligibility().id(vps_id).send().await?.into_inner();
    check.ensure_convertible()?;
    Ok(client.convert_vps_to_cloud().id(vps_id).send().await?.into_inner())
}
