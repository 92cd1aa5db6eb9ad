//! Refusals as an agent reads them: every gate, billing-model, invoice, quota, token, ceiling and
//! API error comes back as a tool result with `isError: true` and this JSON, never as a protocol
//! error, so the agent sees why and what to do next.

use hostup::Error;
use serde::Serialize;
use serde_json::{Value, json};

use crate::schemas::error_code_meaning;

/// Why a tool call was refused, and the documented way forward.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    /// What kind of refusal: `blocked`, `wrong_billing_model`, `invalid_arguments`, `api_error`,
    /// `quota_exceeded`, `token`, `spending_ceiling`, `not_exposed`, `transport`, ...
    pub kind: &'static str,
    /// The machine-readable code: the gate's or the server's `code`, or this server's own.
    pub code: String,
    /// What happened, in one or two sentences (never a secret).
    pub reason: String,
    /// What to do about it.
    pub recovery: String,
    /// Whether a request may have reached HostUp (and so may have been applied).
    pub may_have_reached_server: bool,
    /// The server answered with a 4xx: it refused the request, so nothing was applied.
    #[serde(skip)]
    pub refused_by_server: bool,
    /// Anything else worth reading: the quote, the HTTP status, field errors, the request id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<Value>>,
}

impl Refusal {
    /// A refusal decided here, before anything was sent.
    pub fn new(
        kind: &'static str,
        code: &str,
        reason: impl Into<String>,
        recovery: impl Into<String>,
    ) -> Self {
        Refusal {
            kind,
            code: code.to_string(),
            reason: reason.into(),
            recovery: recovery.into(),
            may_have_reached_server: false,
            refused_by_server: false,
            details: None,
        }
    }

    /// Bad arguments: a missing or mistyped field.
    pub fn arguments(reason: impl Into<String>) -> Self {
        Refusal::new(
            "invalid_arguments",
            "invalid_arguments",
            reason,
            "Fix the arguments to match the tool's input schema; use only ids returned by earlier tool results.",
        )
    }

    /// With more to read.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// The JSON an agent receives.
    pub fn to_json(&self) -> Value {
        json!({ "error": self })
    }
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        let reason = error.to_string();
        let reached = error.may_have_reached_server();
        let mut refusal = match &error {
            Error::Blocked(blocked) => {
                let blockers: Vec<Value> = blocked
                    .blockers
                    .iter()
                    .map(|b| json!({ "code": b.to_string(), "recovery": b.recovery() }))
                    .collect();
                Refusal::new(
                    "blocked",
                    blocked.code.as_deref().unwrap_or("gate_closed"),
                    reason,
                    format!(
                        "The `{}` gate (or check) refused; nothing was sent. Resolve its reason first (for \
                         an unpaid invoice, see list_vps_invoices; for blockers, each one's recovery), then \
                         read the gate again (get_vps_details, or the list tool that showed it) and preview once it is open.",
                        blocked.action
                    ),
                )
                .with_details(json!({ "gate": blocked.action, "blockers": blockers }))
            }
            Error::WrongBillingModel(_) => Refusal::new(
                "wrong_billing_model",
                "wrong_billing_model",
                reason,
                "This change does not exist for the VPS's billing model; the reason names the tool \
                 or operation that fits it (get_vps_details shows billing.isPayg).",
            ),
            Error::InvalidOption { key, .. } => Refusal::new(
                "invalid_option",
                "invalid_option",
                reason.clone(),
                format!(
                    "Nothing was sent. Fix `{key}` as the reason says (for configurable options, \
                     get_upgrade_options lists the allowed values)."
                ),
            )
            .with_details(json!({ "field": key })),
            Error::InvalidRequest(_) => Refusal::new(
                "invalid_request",
                "invalid_request",
                reason,
                "Nothing was sent. Use ids and names exactly as earlier tool results list them.",
            ),
            Error::QuotaExceeded(quota) => Refusal::new(
                "quota_exceeded",
                "quota_exceeded",
                reason,
                format!(
                    "The account's PAYG quota `{}` is too small for this; nothing was sent. Ask for less \
                     (get_payg_limits shows what remains), or have a person file a limit request for it.",
                    quota.limit_type
                ),
            )
            .with_details(json!({
                "limit": quota.limit_type.to_string(), "requested": quota.requested,
                "remaining": quota.remaining, "max": quota.max,
            })),
            Error::Unconfirmed(unconfirmed) => {
                let look = match &unconfirmed.look_for {
                    Some(name) => format!("list_vps with name {name:?}"),
                    None => "the matching list tool".to_string(),
                };
                let recovery = match &unconfirmed.attempt_key {
                    // An order's key makes placing it again answer the same order.
                    Some(key) => format!(
                        "The order may have been placed; its answer never arrived. Preview it again with \
                         attemptKey {key:?} and commit: HostUp answers the same order within the hour \
                         instead of a second one."
                    ),
                    None => format!(
                        "The request may have been applied; its answer never arrived and it was not sent \
                         again. Look for it ({look}) before previewing it again."
                    ),
                };
                Refusal::new("unconfirmed", "unconfirmed", reason, recovery)
                    // `may_have_reached_server` is true for it, so the ceiling keeps its cost.
                    .with_details(
                        json!({ "lookFor": unconfirmed.look_for, "attemptKey": unconfirmed.attempt_key }),
                    )
            }
            Error::RateLimited(wait) => Refusal::new(
                "rate_limited",
                "rate_limited",
                reason,
                format!("Nothing was sent. Wait {} seconds before the next call.", wait.as_secs()),
            ),
            Error::Api(api) => {
                let code = api.code.as_ref().map(|c| c.as_str().to_string());
                let code = code.unwrap_or_else(|| format!("http_{}", api.status.as_u16()));
                let recovery = api_recovery(&code, &error);
                let mut refusal = Refusal::new("api_error", &code, reason, recovery);
                refusal.details = Some(Box::new(json!({
                    "status": api.status.as_u16(),
                    "requestId": api.request_id,
                    "fieldErrors": api.field_errors,
                    "retryAfterSeconds": api.retry_after.map(|d| d.as_secs()),
                })));
                refusal
            }
            Error::Transport(_) | Error::Timeout(_) => Refusal::new(
                "transport",
                if matches!(error, Error::Timeout(_)) { "timeout" } else { "transport" },
                reason,
                if reached {
                    "The request may have reached HostUp and been applied. Do not send it again: check \
                     the VPS (get_vps_details, list_active_jobs) first."
                } else {
                    "HostUp could not be reached; nothing was applied. Try again later."
                },
            ),
            _ => Refusal::new(
                "error",
                error.code().map(|c| c.as_str()).unwrap_or("error"),
                reason,
                "Read the reason; check the VPS's state with get_vps_details before trying anything else.",
            ),
        };
        refusal.may_have_reached_server = reached;
        refusal.refused_by_server = error.status().is_some_and(|s| s.is_client_error());
        refusal
    }
}

/// The spec's meaning of a code, and what to do for the ones with a documented way out.
fn api_recovery(code: &str, error: &Error) -> String {
    let meaning = error_code_meaning(code).map(|m| format!("{m} ")).unwrap_or_default();
    let next = match code {
        "existing_invoice_blocking" => {
            "Pay the unpaid invoice (list_vps_invoices gives its payment link), or preview again with \
             cancelExistingInvoice: true to cancel it."
        }
        "invoice_payment_in_progress" | "cooldown_active" | "vps_not_ready" => {
            "Wait until the pending payment or operation is done, then read get_vps_details again."
        }
        "unauthorized" | "forbidden" => "The API key lacks access or the scope; a person must fix the key.",
        "not_found" | "vps_not_found" => "Use an id from list_vps (or the list tool of that resource).",
        _ if error.is_transient() => "Try again later; the server asked to wait (retryAfterSeconds).",
        _ => "Read the reason and the field errors; do not repeat the same request unchanged.",
    };
    format!("{meaning}{next}")
}
