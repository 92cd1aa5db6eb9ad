//! The helpers that create and end VPSes, on [`Client`] through a second sealed extension trait
//! (in `hostup::prelude`): PAYG deployment and limit requests, orders, the public catalogue,
//! rebuild, conversion to Cloud, cancellation and maintenance. Kept apart from [`ClientExt`] so
//! that each file keeps one concern; like it, no method shares a name with an operation.
//!
//! [`ClientExt`]: crate::ClientExt

use std::future::Future;

use crate::areas::client_ext::sealed::Sealed;
use crate::types::{
    CloudConversionResult, MaintenanceExtendResult, Order, PaygDeployment, PaygLimitRequestSubmitted,
    PaygLimitType, VpsCancellation, VpsDetails, VpsStatus,
};
#[allow(unused_imports)] // `Error` is for the docs
use crate::{
    CancelRequest, Client, Confirmation, Error, OrderDraft, PaygDeploy, ProductCatalogue, Result, WaitOptions,
};

/// Creating and ending VPSes: checks before sending (gates, blockers, bounds, quotas, the
/// catalogue), typed confirmations for what destroys data, waits that end in the new state.
/// `use hostup::prelude::*;` brings it into scope. Sealed: only `Client` implements it.
///
/// ```no_run
/// use hostup::prelude::*;
/// use hostup::{PaygDeploy, WaitOptions};
/// # async fn run(client: hostup::Client) -> hostup::Result<()> {
/// let plans = client.product_catalogue().await?;
/// let vps = client.deploy_payg(&PaygDeploy::new("web-01", 2, 4, 80), WaitOptions::default()).await?;
/// # Ok(()) }
/// ```
pub trait LifecycleExt: Sealed {
    /// Creates a PAYG Cloud VPS and waits until it runs: reads the deployment options and the
    /// account's PAYG limits, checks the request against both ([`PaygDeploy::check`]), sends it
    /// once, then follows the new VPS (`provisioning`, then `running`) and returns its details.
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// use hostup::{PaygDeploy, WaitOptions};
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let vps = client.deploy_payg(&PaygDeploy::new("web-01", 2, 4, 80), WaitOptions::default()).await?;
    /// println!("{} runs; {:?} per month", vps.id, vps.monthly_cost());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Before sending: [`Error::InvalidOption`], [`Error::Blocked`] (`canDeploy`, with the
    /// blockers), [`Error::QuotaExceeded`] (with a pointer to [`LifecycleExt::request_payg_limit`]).
    /// After: [`Error::Unconfirmed`] when the answer never arrived (look for the name; it was not
    /// resent), [`Error::WaitTimeout`] with the last state when the VPS does not run in time.
    #[must_use = "futures do nothing unless awaited"]
    fn deploy_payg(
        &self,
        request: &PaygDeploy,
        wait: WaitOptions,
    ) -> impl Future<Output = Result<VpsDetails>> + Send {
        crate::areas::deploy::deploy(self.client(), request, wait)
    }

    /// Creates a PAYG Cloud VPS without waiting: the same checks as
    /// [`deploy_payg`](LifecycleExt::deploy_payg), one send, and the answer naming the new VPS
    /// (`provisioning`).
    ///
    /// # Errors
    /// As [`deploy_payg`](LifecycleExt::deploy_payg), without the wait's.
    #[must_use = "futures do nothing unless awaited"]
    fn create_payg(&self, request: &PaygDeploy) -> impl Future<Output = Result<PaygDeployment>> + Send {
        crate::areas::deploy::create(self.client(), request)
    }

    /// Asks for a higher PAYG quota (`limitType`, the new ceiling, a reason of at least 10
    /// characters); the current ceiling is read from the account's limits.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a short reason or a ceiling that is not higher.
    #[must_use = "futures do nothing unless awaited"]
    fn request_payg_limit(
        &self,
        limit_type: PaygLimitType,
        requested: u64,
        reason: &str,
    ) -> impl Future<Output = Result<PaygLimitRequestSubmitted>> + Send {
        crate::areas::deploy::request_limit(self.client(), limit_type, requested, reason)
    }

    /// Checks the draft against the public catalogue and places the order with its attempt key.
    /// The client's own retries (a reset connection, a 502) resend it with the same key, which
    /// HostUp answers with the same order.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a plan or cycle the catalogue does not sell;
    /// [`Error::Unconfirmed`] with the attempt key when no answer arrived (place it again).
    #[must_use = "futures do nothing unless awaited"]
    fn place_order(&self, draft: &OrderDraft) -> impl Future<Output = Result<Order>> + Send {
        crate::areas::orders::place(self.client(), draft)
    }

    /// Every plan of the public VPS catalogue (needs no API key).
    #[must_use = "futures do nothing unless awaited"]
    fn product_catalogue(&self) -> impl Future<Output = Result<ProductCatalogue>> + Send {
        crate::areas::catalogue::read(self.client())
    }

    /// Reinstalls a VPS from a template (by id or name, from the VPS's template list), after the
    /// `canRebuild` gate and a [`Confirmation`] for this VPS, and waits until it runs again.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation of another VPS, [`Error::InvalidOption`] for
    /// a template not offered, [`Error::Blocked`], [`Error::WaitTimeout`].
    #[must_use = "futures do nothing unless awaited"]
    fn rebuild(
        &self,
        vps_id: &str,
        template: &str,
        confirmation: &Confirmation,
        wait: WaitOptions,
    ) -> impl Future<Output = Result<VpsStatus>> + Send {
        crate::areas::rebuild::rebuild(self.client(), vps_id, template, confirmation, wait)
    }

    /// Converts a fixed-cycle VPS to PAYG Cloud billing after the eligibility check.
    ///
    /// # Errors
    /// [`Error::WrongBillingModel`] when it is PAYG already; [`Error::Blocked`] with the blockers;
    /// a server refusal keeps its status and blockers ([`Error::blocker_reasons`]).
    #[must_use = "futures do nothing unless awaited"]
    fn convert_to_cloud(&self, vps_id: &str) -> impl Future<Output = Result<CloudConversionResult>> + Send {
        crate::areas::convert::convert(self.client(), vps_id)
    }

    /// Cancels a VPS (after the `canCancel` gate and a [`Confirmation`] for it); when the answer
    /// says the record is still being looked up, reads the status until it names one (within
    /// `wait`).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a reason outside 1 to 500 characters; a 409 whose
    /// [`Error::auto_renew_was_disabled`] is true means an overdue invoice blocked it *and*
    /// auto-renewal was switched off.
    #[must_use = "futures do nothing unless awaited"]
    fn cancel_vps_service(
        &self,
        vps_id: &str,
        request: &CancelRequest,
        confirmation: &Confirmation,
        wait: WaitOptions,
    ) -> impl Future<Output = Result<VpsCancellation>> + Send {
        crate::areas::cancel::cancel(self.client(), vps_id, request, confirmation, wait)
    }

    /// Withdraws a cancellation, only when its status says it is revokable.
    ///
    /// # Errors
    /// [`Error::Blocked`] when there is nothing revokable (`none`, `completed`, ...).
    #[must_use = "futures do nothing unless awaited"]
    fn withdraw_cancellation(&self, vps_id: &str) -> impl Future<Output = Result<VpsCancellation>> + Send {
        crate::areas::cancel::revoke(self.client(), vps_id)
    }

    /// Postpones one maintenance deadline, after the `canExtendMaintenance` gate and only while
    /// its policy allows another extension.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for an unknown deadline; [`Error::Blocked`] when the extensions
    /// are used up.
    #[must_use = "futures do nothing unless awaited"]
    fn extend_maintenance(
        &self,
        vps_id: &str,
        deadline_id: &str,
    ) -> impl Future<Output = Result<MaintenanceExtendResult>> + Send {
        crate::areas::maintenance::extend(self.client(), vps_id, deadline_id)
    }
}

impl LifecycleExt for Client {}

#[cfg(test)]
mod tests {
    #[test]
    fn no_helper_shares_a_name_with_an_operation() {
        let source = include_str!("lifecycle_ext.rs");
        let start = source.find("pub trait LifecycleExt").unwrap();
        let body = &source[start..start + source[start..].find("\n}\n").unwrap()];
        let helpers: Vec<&str> =
            body.lines().filter_map(|line| line.trim().strip_prefix("fn ")?.split('(').next()).collect();
        assert!(helpers.contains(&"deploy_payg") && helpers.contains(&"extend_maintenance"), "{helpers:?}");
        for op in crate::operations::OPERATIONS {
            assert!(
                !helpers.contains(&op.name),
                "operation {} would shadow LifecycleExt::{}",
                op.id,
                op.name
            );
        }
    }
}
