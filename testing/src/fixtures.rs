//! Test values built from the spec's documented examples: a VPS's details changed only where a
//! test says, error bodies with request ids, and live statuses.

use serde_json::{Value, json};

use hostup::Action;
use hostup::types::{BillingCycle, PowerState, ProblemDetails, ServiceStatus, VpsDetails, VpsStatus};

/// The documented `getVpsDetails` 200 example (a fixed-cycle VPS XS, monthly in SEK, running).
pub const DETAILS_FIXTURE: &str = include_str!(concat!(env!("OUT_DIR"), "/getVpsDetails.200.json"));

/// A [`VpsDetails`] builder that starts from [`DETAILS_FIXTURE`].
///
/// ```
/// use hostup::Action;
/// use hostup_testing as testing;
/// use hostup::types::PowerState;
///
/// let vps = testing::vps_details()
///     .id("vps_test")
///     .payg(true)
///     .power_state(PowerState::Stopped)
///     .gate(Action::Start, false, "Pending order.")
///     .bandwidth(900.0, 1000.0)
///     .build();
/// assert!(vps.billing_model().is_payg());
/// assert!(vps.ensure_allowed(Action::Start).is_err());
/// assert!(vps.allowed_actions().contains(&Action::Resize));
/// ```
pub fn vps_details() -> VpsDetailsBuilder {
    VpsDetailsBuilder { json: serde_json::from_str(DETAILS_FIXTURE).expect("the fixture is JSON") }
}

/// Builds a [`VpsDetails`] from the documented example; see [`vps_details`]. Setters that change
/// state (`power_state`, `payg`, `service_status`) also set the gates that follow from it, the way
/// the API would; set a gate yourself afterwards to override.
#[derive(Clone, Debug)]
pub struct VpsDetailsBuilder {
    json: Value,
}

const POWER_GATES: [Action; 5] =
    [Action::Start, Action::Stop, Action::Shutdown, Action::Restart, Action::Reset];

impl VpsDetailsBuilder {
    /// The VPS id.
    pub fn id(self, id: impl Into<String>) -> Self {
        self.set("/id", id.into())
    }

    /// The hostname.
    pub fn hostname(self, hostname: impl Into<String>) -> Self {
        self.set("/hostname", hostname.into())
    }

    /// The power state, with the power gates that follow from it (`canStart` when not running;
    /// `canStop`, `canShutdown`, `canRestart`, `canReset` when running).
    pub fn power_state(mut self, state: PowerState) -> Self {
        let running = state == PowerState::Running;
        for action in POWER_GATES {
            let allowed = (action == Action::Start) != running;
            let reason = if running { "VPS is already running." } else { "VPS is not running." };
            self = self.gate(action, allowed, reason);
        }
        self.set("/powerState", json!(state))
    }

    /// The service status. Anything but `active` closes every gate with `service_<status>`.
    pub fn service_status(mut self, status: ServiceStatus) -> Self {
        if status != ServiceStatus::Active {
            let code = format!("service_{status}");
            for action in Action::ALL {
                self = self.deny(*action, &format!("The service is {status}."), &code);
            }
        }
        self.set("/serviceStatus", json!(status))
    }

    /// PAYG (`billing.isPayg`) or fixed-cycle, with the billing-model gates that follow: PAYG
    /// allows `canResize` and refuses `canUpgrade`, `canChangeBillingCycle` and
    /// `canToggleAutorenew`; fixed-cycle the other way round.
    pub fn payg(self, payg: bool) -> Self {
        let (not_payg, payg_only) = ("Resize is a PAYG-only action.", "PAYG Cloud VPS are billed by use.");
        let mut builder = if payg {
            self.gate(Action::Resize, true, None)
                .deny(Action::Upgrade, payg_only, "payg_service")
                .deny(Action::ChangeBillingCycle, payg_only, "payg_service")
                .deny(Action::ToggleAutorenew, payg_only, "payg_service")
        } else {
            self.deny(Action::Resize, not_payg, "not_payg")
                .gate(Action::Upgrade, true, None)
                .gate(Action::ChangeBillingCycle, true, None)
                .gate(Action::ToggleAutorenew, true, None)
        };
        builder = builder.set("/billing/isPayg", payg);
        if payg { builder.set("/billing/billingCycle", "monthly") } else { builder }
    }

    /// The recurring price, its currency and cycle.
    pub fn billing(self, amount: f64, currency: &str, cycle: BillingCycle) -> Self {
        self.set("/billing/amount", amount)
            .set("/billing/currencyCode", currency)
            .set("/billing/billingCycle", json!(cycle))
    }

    /// Traffic used and allowed this period, in GB (also sets `usagePercent` and `hasOverage`).
    pub fn bandwidth(self, used_gb: f64, limit_gb: f64) -> Self {
        let percent = if limit_gb > 0.0 { used_gb / limit_gb * 100.0 } else { 0.0 };
        self.set("/bandwidth/usedGb", used_gb)
            .set("/bandwidth/limitGb", limit_gb)
            .set("/bandwidth/usagePercent", percent)
            .set("/bandwidth/hasOverage", used_gb > limit_gb)
    }

    /// One gate, with an optional reason and no code.
    pub fn gate<'a>(self, action: Action, allowed: bool, reason: impl Into<Option<&'a str>>) -> Self {
        let reason = if allowed { None } else { reason.into() };
        self.set(&format!("/actions/{}", action.gate_name()), json!({"allowed": allowed, "reason": reason}))
    }

    /// Closes one gate with a reason and a machine-readable code (`pending_order`).
    pub fn deny(self, action: Action, reason: &str, code: &str) -> Self {
        let gate = json!({"allowed": false, "reason": reason, "code": code});
        self.set(&format!("/actions/{}", action.gate_name()), gate)
    }

    /// Sets any field by JSON pointer (`/billing/amount`), for what the setters do not cover.
    ///
    /// # Panics
    /// When the pointer's parent does not exist in the fixture.
    pub fn set(mut self, pointer: &str, value: impl Into<Value>) -> Self {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        let target = self.json.pointer_mut(parent).and_then(Value::as_object_mut);
        let target = target.unwrap_or_else(|| panic!("no object at {parent:?} in the details fixture"));
        target.insert(key.replace("~1", "/").replace("~0", "~"), value.into());
        self
    }

    /// The details as JSON, for a hand-written mock body.
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The details.
    ///
    /// # Panics
    /// When a [`set`](Self::set) made the JSON something `VpsDetails` cannot decode.
    pub fn build(&self) -> VpsDetails {
        serde_json::from_value(self.json.clone())
            .unwrap_or_else(|e| panic!("the details no longer decode as VpsDetails: {e}"))
    }
}

/// A Problem Details error body with a request id (`req_test_<code>`), for `then.not_found(..)`,
/// `then.conflict(..)` and the like.
///
/// ```
/// let body = hostup_testing::problem(404, "vps_not_found", "No VPS vps_x.");
/// assert_eq!(body.request_id.as_deref(), Some("req_test_vps_not_found"));
/// ```
pub fn problem(status: u16, code: &str, detail: &str) -> ProblemDetails {
    serde_json::from_value(json!({
        "type": format!("https://cloud.hostup.se/problems/{}", code.replace('_', "-")),
        "title": detail,
        "status": status,
        "detail": detail,
        "code": code,
        "requestId": format!("req_test_{code}"),
    }))
    .expect("a Problem Details body")
}

/// A live status with only the id and the power state, for `then.ok(..)` on `getVpsStatus`.
pub fn vps_status(vps_id: &str, state: PowerState) -> VpsStatus {
    VpsStatus { id: Some(vps_id.to_string()), power_state: Some(state), ..VpsStatus::default() }
}
