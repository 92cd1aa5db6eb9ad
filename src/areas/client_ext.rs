//! The handwritten helpers that need a client, kept off `Client`'s own namespace: its inherent
//! methods are the spec's operations, so an operation HostUp adds later can never shadow a helper
//! (a unit test below compares the names). Helpers on a value live on its type instead
//! ([`PowerOperation::wait`], [`Quote::commit`], [`VpsDetails::unpaid_overdue_invoices`]).
//!
//! [`VpsDetails::unpaid_overdue_invoices`]: crate::types::VpsDetails::unpaid_overdue_invoices

use std::future::Future;

use futures::Stream;

use crate::types::{BillingCycleChangeResult, BillingCycleChoice, PaygResizeResult, VpsDetails, VpsSummary};
#[allow(unused_imports)] // `Error` is for the docs
use crate::{
    Client, Error, PowerAction, PowerOperation, Quote, RateLimit, ResourceChange, Result, RetryPolicy,
};

pub(crate) mod sealed {
    /// Only `Client` implements the extension; the helpers reach it through here.
    pub trait Sealed {
        fn client(&self) -> &crate::Client;
    }

    impl Sealed for crate::Client {
        fn client(&self) -> &crate::Client {
            self
        }
    }
}

/// Helpers on [`Client`] that combine operations: gates checked before acting, previews before
/// commits, pagination. Bring them into scope with `use hostup::prelude::*;`. Sealed: only
/// `Client` implements it, so adding a helper is not a breaking change.
///
/// ```no_run
/// use hostup::prelude::*;
/// use hostup::{PowerAction, ResourceChange, WaitOptions};
/// # async fn run(client: hostup::Client) -> hostup::Result<()> {
/// let fleet = client.all_vps().await?;
/// let id = fleet[0].id.clone().unwrap_or_default();
/// let quote = client.preview_resources(&id, &ResourceChange::new().set("bandwidthGb", 4096)).await?;
/// println!("{:?} {:?} per cycle", quote.recurring_amount(), quote.currency());
/// let op = client.power(&id, PowerAction::Restart).await?;
/// op.wait(&client, WaitOptions::default()).await?;
/// # Ok(()) }
/// ```
pub trait ClientExt: sealed::Sealed {
    /// The base URL the client sends to (payment links and poll URLs are resolved against it).
    ///
    /// ```
    /// use hostup::prelude::*;
    /// let client = hostup::Client::builder().api_key("k").build()?;
    /// assert_eq!(client.base_url(), hostup::DEFAULT_BASE_URL);
    /// # Ok::<(), hostup::Error>(())
    /// ```
    fn base_url(&self) -> &str {
        &self.client().baseurl
    }

    /// The rate-limit budget from the latest response that reported one (all clones share it).
    ///
    /// ```
    /// use hostup::prelude::*;
    /// let client = hostup::Client::builder().api_key("k").build()?;
    /// if let Some(budget) = client.rate_limit() {
    ///     println!("{:?} requests left", budget.remaining);
    /// }
    /// # Ok::<(), hostup::Error>(())
    /// ```
    fn rate_limit(&self) -> Option<RateLimit> {
        self.client().latest_rate_limit()
    }

    /// The retry policy this client was built with.
    fn retry_policy(&self) -> &RetryPolicy {
        self.client().configured_retry_policy()
    }

    /// Sends a power action after checking its gate on the VPS's details; wait for it with
    /// [`PowerOperation::wait`].
    ///
    /// # Errors
    /// [`Error::Blocked`] without sending when the gate is closed.
    #[must_use = "futures do nothing unless awaited"]
    fn power(
        &self,
        vps_id: &str,
        action: PowerAction,
    ) -> impl Future<Output = Result<PowerOperation>> + Send {
        crate::areas::power::send(self.client(), vps_id, action)
    }

    /// Every VPS of the account, across pages, `page_size` (1 to 100) at a time. The stream owns a
    /// clone of the client, so it can be moved into `tokio::spawn`.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use hostup::prelude::*;
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let mut fleet = client.vps_stream(50);
    /// while let Some(vps) = fleet.try_next().await? {
    ///     println!("{}", vps.id.as_deref().unwrap_or("?"));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Each item: the page request's error, [`Error::InvalidRequest`] for a page size out of
    /// range, [`Error::Pagination`] on a repeated cursor.
    #[must_use = "streams do nothing unless polled"]
    fn vps_stream(&self, page_size: u64) -> impl Stream<Item = Result<VpsSummary>> + Send + Unpin + 'static {
        crate::paginate::vps_stream(self.client().clone(), page_size)
    }

    /// Every VPS of the account, collected into one `Vec`.
    ///
    /// # Errors
    /// The first error of any page request, or [`Error::Pagination`] on a repeated cursor.
    #[must_use = "futures do nothing unless awaited"]
    fn all_vps(&self) -> impl Future<Output = Result<Vec<VpsSummary>>> + Send {
        futures::TryStreamExt::try_collect(self.vps_stream(crate::MAX_PAGE_SIZE))
    }

    /// Prices a resource change without committing it (`dryRun: true`); commit the
    /// [`Quote`] with [`Quote::commit`].
    ///
    /// # Errors
    /// [`Error::InvalidOption`] before sending when a value is not finite.
    #[must_use = "futures do nothing unless awaited"]
    fn preview_resources(
        &self,
        vps_id: &str,
        change: &ResourceChange,
    ) -> impl Future<Output = Result<Quote>> + Send {
        crate::areas::quote::preview(self.client(), vps_id, change)
    }

    /// Checks the change against the VPS's configurable options, then previews it.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] before the preview is sent when a value does not fit.
    #[must_use = "futures do nothing unless awaited"]
    fn preview_resources_checked(
        &self,
        vps_id: &str,
        change: &ResourceChange,
    ) -> impl Future<Output = Result<Quote>> + Send {
        crate::areas::quote::preview_checked(self.client(), vps_id, change)
    }

    /// Resizes CPU and memory the way the billing model allows: PAYG services through
    /// `actions/resize` (after the `canResize` gate); fixed-cycle services are refused with a
    /// pointer to the plan upgrade.
    ///
    /// # Errors
    /// [`Error::WrongBillingModel`] for a fixed-cycle VPS, [`Error::Blocked`] when the gate is
    /// closed, [`Error::InvalidRequest`] for values out of the spec's limits.
    #[must_use = "futures do nothing unless awaited"]
    fn resize_cpu_memory(
        &self,
        vps: &VpsDetails,
        cpu_cores: u64,
        memory_gb: u64,
    ) -> impl Future<Output = Result<PaygResizeResult>> + Send {
        crate::areas::changes::resize_cpu_memory(self.client(), vps, cpu_cores, memory_gb)
    }

    /// Previews (`dry_run`) or commits a billing-cycle change of a fixed-cycle VPS, after the
    /// `canChangeBillingCycle` gate.
    ///
    /// # Errors
    /// [`Error::WrongBillingModel`] for a PAYG VPS, which has no cycle to change;
    /// [`Error::Blocked`] when the gate is closed.
    #[must_use = "futures do nothing unless awaited"]
    fn change_billing_cycle(
        &self,
        vps: &VpsDetails,
        cycle: BillingCycleChoice,
        dry_run: bool,
    ) -> impl Future<Output = Result<BillingCycleChangeResult>> + Send {
        crate::areas::changes::change_billing_cycle(self.client(), vps, cycle, dry_run)
    }
}

impl ClientExt for Client {}

#[cfg(test)]
mod tests {
    /// The method names of `ClientExt`, read from this file's trait definition so the list cannot
    /// drift from the trait.
    fn helper_names() -> Vec<&'static str> {
        let source = include_str!("client_ext.rs");
        let start = source.find("pub trait ClientExt").unwrap();
        let body = &source[start..start + source[start..].find("\n}\n").unwrap()];
        body.lines().filter_map(|line| line.trim().strip_prefix("fn ")?.split('(').next()).collect()
    }

    #[test]
    fn no_helper_shares_a_name_with_an_operation() {
        let helpers = helper_names();
        assert!(helpers.contains(&"power") && helpers.contains(&"change_billing_cycle"), "{helpers:?}");
        for op in crate::operations::OPERATIONS {
            assert!(
                !helpers.contains(&op.name),
                "operation {} would shadow the helper ClientExt::{}: rename the helper",
                op.id,
                op.name
            );
        }
    }
}
