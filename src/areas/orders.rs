//! Ordering fixed-cycle VPS plans. An order carries an `attemptKey`, HostUp's documented
//! idempotency key: one key per logical checkout, generated when the draft is made and kept for
//! every send of it. Within the one-hour duplicate window a repeat returns the earlier order, so
//! this is the one POST the client sends again after a lost answer (the retry policy's normal
//! rules, with the same key), and that a caller may place again after a failure.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::Unconfirmed;
use crate::types::{Order, OrderItem, OrderRequest, RequestedBillingCycle};
use crate::{Client, Error, ProductCatalogue, Result};

/// An order to place: the plans, and the attempt key that makes it safe to send again.
///
/// ```
/// use hostup::OrderDraft;
/// use hostup::types::RequestedBillingCycle;
/// let draft = OrderDraft::vps("vps-xs", RequestedBillingCycle::Monthly);
/// let again = draft.clone(); // the same logical attempt: the same key
/// assert_eq!(draft.attempt_key(), again.attempt_key());
/// assert_ne!(draft.attempt_key(), OrderDraft::vps("vps-xs", RequestedBillingCycle::Monthly).attempt_key());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct OrderDraft {
    items: Vec<(String, RequestedBillingCycle)>,
    attempt_key: String,
}

/// A new attempt key: time and randomness, so two checkouts never share one.
fn new_attempt_key() -> String {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    format!("hostup-rs-{millis}-{:016x}", fastrand::u64(..))
}

impl OrderDraft {
    /// An order for one fixed-cycle VPS plan (a `slug` from the catalogue) in `cycle`, with a new
    /// attempt key.
    pub fn vps(slug: impl Into<String>, cycle: RequestedBillingCycle) -> Self {
        OrderDraft { items: vec![(slug.into(), cycle)], attempt_key: new_attempt_key() }
    }

    /// Adds another plan to the same order.
    pub fn and_vps(mut self, slug: impl Into<String>, cycle: RequestedBillingCycle) -> Self {
        self.items.push((slug.into(), cycle));
        self
    }

    /// Resumes an earlier attempt by its key (after a process restart, say): within the hour,
    /// placing it returns the order that attempt created, if it did.
    pub fn with_attempt_key(mut self, key: impl Into<String>) -> Self {
        self.attempt_key = key.into();
        self
    }

    /// The attempt key sent with every send of this draft.
    pub fn attempt_key(&self) -> &str {
        &self.attempt_key
    }

    /// The plan slugs and cycles.
    pub fn items(&self) -> &[(String, RequestedBillingCycle)] {
        &self.items
    }

    /// Checks every plan against the catalogue: it exists, is available, and is sold in the cycle.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming `items[i].productSlug` or `items[i].billingCycle`.
    pub fn check(&self, catalogue: &ProductCatalogue) -> Result<()> {
        for (i, (slug, cycle)) in self.items.iter().enumerate() {
            let key = format!("items[{i}].productSlug");
            let Some(product) = catalogue.get(slug) else {
                let known: Vec<&str> = catalogue.available().map(|p| p.slug.as_str()).collect();
                return Err(crate::areas::cancel::invalid(
                    &key,
                    format!("no plan {slug:?}; available: {known:?}"),
                ));
            };
            if !product.is_available() {
                return Err(crate::areas::cancel::invalid(
                    &key,
                    format!("plan {slug} is not available to order"),
                ));
            }
            let wanted = crate::types::BillingCycle::from(cycle.to_string().as_str());
            let offered: Vec<String> = product
                .prices()
                .iter()
                .filter_map(|p| p.billing_cycle.as_ref())
                .map(|c| c.to_string())
                .collect();
            if !product.billing_cycles.is_empty() && !offered.contains(&wanted.to_string()) {
                return Err(crate::areas::cancel::invalid(
                    &format!("items[{i}].billingCycle"),
                    format!("plan {slug} is sold {offered:?}, not {cycle}"),
                ));
            }
        }
        Ok(())
    }

    /// The request body.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for an empty draft or a key the spec's bounds refuse.
    pub fn to_body(&self) -> Result<OrderRequest> {
        if self.items.is_empty() {
            return Err(crate::areas::cancel::invalid("items", "an order needs at least one item"));
        }
        let items = self
            .items
            .iter()
            .map(|(slug, cycle)| {
                let slug =
                    slug.parse().map_err(|e| crate::areas::cancel::invalid("items[].productSlug", e))?;
                Ok(OrderItem { product_slug: slug, billing_cycle: Some(*cycle), primary_domain: None })
            })
            .collect::<Result<Vec<_>>>()?;
        let key = self.attempt_key.parse().map_err(|e| crate::areas::cancel::invalid("attemptKey", e))?;
        Ok(OrderRequest { attempt_key: Some(key), items, client_data: Default::default() })
    }
}

/// Checks the draft against the public catalogue, then places it. The client's own retries
/// resend it with the same key; an answer that never arrives is reported as
/// [`Error::Unconfirmed`] with the key to place it again with.
pub(crate) async fn place(client: &Client, draft: &OrderDraft) -> Result<Order> {
    let body = draft.to_body()?;
    draft.check(&crate::areas::catalogue::read(client).await?)?;
    match client.create_order().body(body).send().await {
        Ok(order) => Ok(order.into_inner()),
        Err(e @ (Error::Transport(_) | Error::Timeout(_))) if e.may_have_reached_server() => {
            Err(Error::Unconfirmed(Box::new(Unconfirmed {
                what: "order".into(),
                look_for: None,
                attempt_key: Some(draft.attempt_key.clone()),
                source: e,
            })))
        }
        Err(e) => Err(e),
    }
}

impl Order {
    /// Where to pay: `invoice.paymentUrl` when present, else `checkoutUrl` (kept for older
    /// clients), resolved against `base_url` when relative.
    pub fn payment_url(&self, base_url: &str) -> Option<String> {
        let url = self.invoice.as_ref().and_then(|i| i.payment_url.clone()).or(self.checkout_url.clone())?;
        if url.starts_with('/') {
            Some(format!("{}{url}", base_url.trim_end_matches('/')))
        } else {
            Some(url)
        }
    }
}
