//! Changing what a VPS has, safely: resource options are previewed (`dryRun: true`) into a
//! [`Quote`], and only a quote can be committed; values are checked against the VPS's configurable
//! options before anything is sent; CPU/memory and billing-cycle changes go to the route that fits
//! the billing model.

use serde_json::{Map, Value};

use crate::gates::check_gate;
use crate::types::{
    BillingCycleChangeResult, BillingCycleChoice, ConfigurableOption, ConfigurableOptionType,
    PaygResizeResult, PriceChange, RequestedBillingCycle, ResourceChangeRequest, ResourceChangeResult,
    UpgradeOptions, VpsDetails,
};
use crate::{Action, Client, Error, ErrorCode, Result};

/// Option values to change, by `configurableOptions[].key`. Values are sent exactly as given;
/// a number that is not finite (NaN, infinity), which JSON cannot carry, is refused with
/// [`Error::InvalidOption`] naming its key before anything is sent.
///
/// ```
/// let change = hostup::ResourceChange::new().set("bandwidthGb", 4096).set("ipv6", true);
/// assert_eq!(change.resources()["bandwidthGb"], 4096);
/// let bad = hostup::ResourceChange::new().set("bandwidthGb", f64::NAN);
/// assert!(matches!(bad.check_finite(), Err(hostup::Error::InvalidOption { key, .. }) if key == "bandwidthGb"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct ResourceChange {
    resources: Map<String, Value>,
    billing_cycle: Option<RequestedBillingCycle>,
    /// Keys given a number JSON cannot carry, with that number.
    not_finite: Vec<(String, f64)>,
}

/// A value for [`ResourceChange::set`]: anything that converts into JSON, or a number that is not
/// finite, kept apart so that it is refused instead of being sent as `null`.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionValue(std::result::Result<Value, f64>);

macro_rules! option_values {
    ($($t:ty),*) => {$(
        impl From<$t> for OptionValue {
            fn from(value: $t) -> Self {
                OptionValue(Ok(value.into()))
            }
        }
    )*};
}
option_values!(bool, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, String, &str, Value);

impl From<f64> for OptionValue {
    fn from(value: f64) -> Self {
        OptionValue(if value.is_finite() { Ok(value.into()) } else { Err(value) })
    }
}

impl From<f32> for OptionValue {
    fn from(value: f32) -> Self {
        f64::from(value).into()
    }
}

impl ResourceChange {
    /// An empty change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets one option.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<OptionValue>) -> Self {
        let key = key.into();
        self.not_finite.retain(|(k, _)| *k != key);
        match value.into().0 {
            Ok(value) => {
                self.resources.insert(key, value);
            }
            Err(number) => {
                self.resources.remove(&key);
                self.not_finite.push((key, number));
            }
        }
        self
    }

    /// Prices the preview in another billing cycle. Sent only with the preview, never on commit.
    pub fn billing_cycle_hint(mut self, cycle: RequestedBillingCycle) -> Self {
        self.billing_cycle = Some(cycle);
        self
    }

    /// The options to change.
    pub fn resources(&self) -> &Map<String, Value> {
        &self.resources
    }

    /// Checks every value against the options `GET /actions/upgrade` returned: the key exists, the
    /// type fits, the value is within `min`/`max` and on the `step`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the key and the allowed values.
    pub fn validate(&self, options: &UpgradeOptions) -> Result<()> {
        self.check_finite()?;
        for (key, value) in &self.resources {
            let option = options.configurable_options.iter().find(|o| &o.key == key).ok_or_else(|| {
                let known: Vec<&str> = options.configurable_options.iter().map(|o| o.key.as_str()).collect();
                invalid(key, format!("not an option of this VPS (options: {})", known.join(", ")))
            })?;
            check_value(option, value)?;
        }
        Ok(())
    }
}

impl ResourceChange {
    /// `Ok` unless a value was a number JSON cannot carry (NaN, infinity).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming the first such key.
    pub fn check_finite(&self) -> Result<()> {
        match self.not_finite.first() {
            Some((key, number)) => Err(invalid(key, format!("{number} is not a number JSON can carry"))),
            None => Ok(()),
        }
    }
}

fn invalid(key: &str, reason: String) -> Error {
    Error::InvalidOption { key: key.to_string(), reason }
}

fn check_value(option: &ConfigurableOption, value: &Value) -> Result<()> {
    let key = option.key.as_str();
    match &option.type_ {
        ConfigurableOptionType::Toggle => {
            return if value.is_boolean() {
                Ok(())
            } else {
                Err(invalid(key, format!("expects true or false, got {value}")))
            };
        }
        ConfigurableOptionType::Slider | ConfigurableOptionType::Quantity => {}
        // `input` and `select` values are not described by the docs; leave them to the server.
        _ => return Ok(()),
    }
    let Some(number) = value.as_f64() else {
        return Err(invalid(key, format!("expects a number, got {value}")));
    };
    let range = describe_range(option);
    if option.min.is_some_and(|min| number < min) || option.max.is_some_and(|max| number > max) {
        return Err(invalid(key, format!("{number} is out of range ({range})")));
    }
    if let Some(step) = option.step.filter(|s| *s > 0.0) {
        let offset = (number - option.min.unwrap_or(0.0)) / step;
        if (offset - offset.round()).abs() > 1e-9 {
            return Err(invalid(key, format!("{number} is not on the step ({range})")));
        }
    }
    Ok(())
}

fn describe_range(option: &ConfigurableOption) -> String {
    let bound = |b: Option<f64>| b.map_or("any".to_string(), |v| v.to_string());
    let mut text = format!("allowed {} to {}", bound(option.min), bound(option.max));
    if let Some(step) = option.step {
        text.push_str(&format!(" in steps of {step}"));
    }
    text
}

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

/// Prices a resource change without committing it ([`ClientExt::preview_resources`]).
///
/// [`ClientExt::preview_resources`]: crate::ClientExt::preview_resources
pub(crate) async fn preview(client: &Client, vps_id: &str, change: &ResourceChange) -> Result<Quote> {
    change.check_finite()?;
    let body = ResourceChangeRequest {
        resources: change.resources.clone(),
        billing_cycle: change.billing_cycle,
        dry_run: Some(true),
        cancel_existing_invoice: None,
    };
    let preview = client.change_vps_resources().id(vps_id).body(body).send().await?.into_inner();
    Ok(Quote { vps_id: vps_id.to_string(), resources: change.resources.clone(), preview })
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
    /// [`Error::Blocked`] without sending when the quote says it cannot be committed; an
    /// [`Error::Api`] with [`ErrorCode::ExistingInvoiceBlocking`] on a 409, unless `options` opts
    /// in to cancelling the invoice.
    pub async fn commit(&self, client: &Client, options: CommitOptions) -> Result<ResourceChangeResult> {
        if let Some(gate) = self.preview.actions.as_ref().and_then(|a| a.can_commit.as_ref()) {
            check_gate("canCommit", gate)?;
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
        match send(false).await.map_err(Error::from) {
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

/// Resizes CPU and memory the way the billing model allows ([`ClientExt::resize_cpu_memory`]).
///
/// [`ClientExt::resize_cpu_memory`]: crate::ClientExt::resize_cpu_memory
pub(crate) async fn resize_cpu_memory(
    client: &Client,
    vps: &VpsDetails,
    cpu_cores: u64,
    memory_gb: u64,
) -> Result<PaygResizeResult> {
    if !vps.billing_model().is_payg() {
        return Err(Error::WrongBillingModel(format!(
            "{} is a fixed-cycle VPS: change its CPU and memory with a plan upgrade (upgrade_vps_plan), not a PAYG resize",
            vps.id
        )));
    }
    vps.ensure_allowed(Action::Resize)?;
    if !(1..=32).contains(&cpu_cores) || !(1..=256).contains(&memory_gb) {
        return Err(Error::InvalidRequest(format!(
            "a PAYG resize takes 1 to 32 cores and 1 to 256 GB, not {cpu_cores} cores and {memory_gb} GB"
        )));
    }
    let body = crate::types::PaygResizeRequest::builder().cpu_cores(cpu_cores).memory_gb(memory_gb);
    Ok(client.resize_payg_vps().id(vps.id.as_str()).body(body).send().await?.into_inner())
}

/// Previews or commits a billing-cycle change ([`ClientExt::change_billing_cycle`]).
///
/// [`ClientExt::change_billing_cycle`]: crate::ClientExt::change_billing_cycle
pub(crate) async fn change_billing_cycle(
    client: &Client,
    vps: &VpsDetails,
    cycle: BillingCycleChoice,
    dry_run: bool,
) -> Result<BillingCycleChangeResult> {
    if vps.billing_model().is_payg() {
        return Err(Error::WrongBillingModel(format!(
            "{} is a PAYG Cloud VPS: it is billed by use and has no billing cycle to change",
            vps.id
        )));
    }
    vps.ensure_allowed(Action::ChangeBillingCycle)?;
    let body = crate::types::BillingCycleChangeRequest {
        billing_cycle: cycle,
        dry_run: Some(dry_run),
        cancel_existing_invoice: None,
    };
    Ok(client.change_vps_billing_cycle().id(vps.id.as_str()).body(body).send().await?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> UpgradeOptions {
        serde_json::from_value(serde_json::json!({"configurableOptions": [
            {"key": "bandwidthGb", "label": "Bandwidth", "type": "slider", "min": 1000, "max": 10000, "step": 1024},
            {"key": "ipv6", "label": "IPv6", "type": "toggle"},
            {"key": "snapshotSlots", "label": "Snapshots", "type": "quantity", "min": 0, "max": 5},
        ]}))
        .unwrap()
    }

    fn reason(change: ResourceChange) -> String {
        match change.validate(&options()) {
            Err(Error::InvalidOption { key, reason }) => format!("{key}: {reason}"),
            other => panic!("expected an invalid option, got {other:?}"),
        }
    }

    #[test]
    fn valid_changes_pass() {
        let change = ResourceChange::new()
            .set("bandwidthGb", 1000 + 2 * 1024)
            .set("ipv6", true)
            .set("snapshotSlots", 3);
        assert!(change.validate(&options()).is_ok());
    }

    #[test]
    fn bad_values_name_the_key_and_the_range() {
        assert_eq!(
            reason(ResourceChange::new().set("bandwidthGb", 20000)),
            "bandwidthGb: 20000 is out of range (allowed 1000 to 10000 in steps of 1024)"
        );
        assert!(reason(ResourceChange::new().set("bandwidthGb", 1500)).contains("not on the step"));
        assert!(reason(ResourceChange::new().set("ipv6", "yes")).contains("true or false"));
        assert!(reason(ResourceChange::new().set("snapshotSlots", "three")).contains("expects a number"));
        assert!(reason(ResourceChange::new().set("gpuCount", 1)).contains("not an option"));
    }
}
