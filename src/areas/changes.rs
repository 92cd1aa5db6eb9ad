//! Changing what a VPS has, safely: option values are checked against the VPS's configurable
//! options (and refused when JSON cannot carry them) before anything is sent, then priced into a
//! [`Quote`](crate::Quote); CPU/memory and billing-cycle changes go to the route that fits the
//! billing model.

use serde_json::{Map, Value};

use crate::types::{
    BillingCycleChangeResult, BillingCycleChoice, ConfigurableOption, ConfigurableOptionType,
    PaygResizeResult, RequestedBillingCycle, UpgradeOptions, VpsDetails,
};
use crate::{Action, Client, Error, Result};

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
    pub(crate) billing_cycle: Option<RequestedBillingCycle>,
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

/// The body of [`ClientExt::resize_cpu_memory`](crate::ClientExt::resize_cpu_memory).
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
    use crate::limits::{
        PAYG_RESIZE_REQUEST_CPU_CORES_MAX as CPU_MAX, PAYG_RESIZE_REQUEST_CPU_CORES_MIN as CPU_MIN,
        PAYG_RESIZE_REQUEST_MEMORY_GB_MAX as MEM_MAX, PAYG_RESIZE_REQUEST_MEMORY_GB_MIN as MEM_MIN,
    };
    if !(CPU_MIN..=CPU_MAX).contains(&cpu_cores) || !(MEM_MIN..=MEM_MAX).contains(&memory_gb) {
        return Err(Error::InvalidRequest(format!(
            "a PAYG resize takes {CPU_MIN} to {CPU_MAX} cores and {MEM_MIN} to {MEM_MAX} GB, not {cpu_cores} cores and {memory_gb} GB"
        )));
    }
    let body = crate::types::PaygResizeRequest::builder().cpu_cores(cpu_cores).memory_gb(memory_gb);
    Ok(client.resize_payg_vps().id(vps.id.as_str()).body(body).send().await?.into_inner())
}

/// The body of [`ClientExt::change_billing_cycle`](crate::ClientExt::change_billing_cycle).
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
