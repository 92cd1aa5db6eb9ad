//! Previews and commits of resource changes: a change is priced with `dryRun: true` into a
//! [`Quote`], and only a quote can be committed, with exactly the resources that were priced.

use serde_json::{Map, Value};

use crate::gates::CommitGate;
use crate::types::{PriceChange, ResourceChangeRequest, ResourceChangeResult};
use crate::{Client, ErrorCode, ResourceChange, Result};

/// A priced preview. The only way to commit a resource change.
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    vps_id: String,
    resources: Map<String, Value>,
    /// The server's answer to the preview.
    pub preview: ResourceChangeResult,
}

impl Quote {
    /// The VPS the quote is for.
    pub fn vps_id(&self) -> &str {
        &self.vps_id
    }

    /// The options that were priced, and that a commit sends.
    pub fn resources(&self) -> &Map<String, Value> {
        &self.resources
    }

    /// The price change, when the server gave one.
    pub fn price_change(&self) -> Option<&PriceChange> {
        self.preview.price_change.as_ref()
    }

    /// Amount due now.
    pub fn amount_due(&self) -> Option<f64> {
        self.price_change().map(|p| p.amount)
    }

    /// The recurring amount after the change.
    pub fn recurring_amount(&self) -> Option<f64> {
        self.price_change().map(|p| p.recurring_amount)
    }

    /// The currency of the amounts.
    pub fn currency(&self) -> Option<&str> {
        self.price_change().map(|p| p.currency_code.as_str())
    }

    /// Whether the server allows committing (a missing gate counts as allowed).
    pub fn can_commit(&self) -> bool {
        self.preview.actions.as_ref().and_then(|a| a.can_commit.as_ref()).is_none_or(|g| g.allowed)
    }

    /// The code the server attached to an *allowed* commit, a warning worth showing before
    /// committing (for example `existing_invoice_blocking`: the commit will answer 409 unless the
    /// unpaid invoice is cancelled).
    pub fn commit_warning(&self) -> Option<&str> {
        let gate = self.preview.actions.as_ref()?.can_commit.as_ref()?;
        gate.allowed.then_some(gate.code.as_deref()).flatten()
    }

    /// Why committing is blocked, when it is.
    pub fn blocked_reason(&self) -> Option<&str> {
        let gate = self.preview.actions.as_ref()?.can_commit.as_ref()?;
        (!gate.allowed).then(|| gate.reason.as_deref().unwrap_or("no reason given"))
    }
}

/// Options of a commit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct CommitOptions {
    cancel_existing_invoice: bool,
}

impl CommitOptions {
    /// When the server answers 409 `existing_invoice_blocking`, resend once with
    /// `cancelExistingInvoice: true`, cancelling the unpaid invoice. Off by default.
    pub fn cancel_existing_invoice_on_conflict(mut self, yes: bool) -> Self {
        self.cancel_existing_invoice = yes;
        self
    }
}

/// The body of [`ClientExt::preview_resources`](crate::ClientExt::preview_resources).
pub(crate) async fn preview(client: &Client, vps_id: &str, change: &ResourceChange) -> Result<Quote> {
    change.check_finite()?;
    let body = ResourceChangeRequest {
        resources: change.resources().clone(),
        billing_cycle: change.billing_cycle,
        dry_run: Some(true),
        cancel_existing_invoice: None,
    };
    let preview = client.change_vps_resources().id(vps_id).body(body).send().await?.into_inner();
    Ok(Quote { vps_id: vps_id.to_string(), resources: change.resources().clone(), preview })
}

/// Checks the change against the VPS's options, then previews it.
pub(crate) async fn preview_checked(client: &Client, vps_id: &str, change: &ResourceChange) -> Result<Quote> {
    change.check_finite()?;
    let options = client.get_vps_upgrade_options().id(vps_id).send().await?.into_inner();
    change.validate(&options)?;
    preview(client, vps_id, change).await
}

impl Quote {
    /// Commits this previewed change: the same resources, never a billing cycle.
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let change = hostup::ResourceChange::new().set("bandwidthGb", 4096);
    /// let quote = client.preview_resources("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", &change).await?;
    /// if quote.can_commit() {
    ///     quote.commit(&client, hostup::CommitOptions::default()).await?;
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::Blocked`](crate::Error::Blocked) without sending when the quote says it cannot be committed; an
    /// [`Error::Api`](crate::Error::Api) with [`ErrorCode::ExistingInvoiceBlocking`](crate::ErrorCode::ExistingInvoiceBlocking) on a 409, unless `options` opts
    /// in to cancelling the invoice.
    #[must_use = "futures do nothing unless awaited"]
    pub async fn commit(&self, client: &Client, options: CommitOptions) -> Result<ResourceChangeResult> {
        if let Some(actions) = &self.preview.actions {
            CommitGate::Commit.check(actions)?;
        }
        let send = |cancel: bool| {
            let body = ResourceChangeRequest {
                resources: self.resources.clone(),
                billing_cycle: None,
                dry_run: Some(false),
                cancel_existing_invoice: cancel.then_some(true),
            };
            client.change_vps_resources().id(self.vps_id.as_str()).body(body).send()
        };
        match send(false).await {
            Err(e)
                if options.cancel_existing_invoice
                    && e.code() == Some(&ErrorCode::ExistingInvoiceBlocking) =>
            {
                tracing::info!(vps = %self.vps_id, "an unpaid invoice blocks the change; resending with cancelExistingInvoice as asked");
                Ok(send(true).await?.into_inner())
            }
            other => Ok(other?.into_inner()),
        }
    }
}
