//! Ending a VPS: a cancellation (immediate or at the end of the paid period) with a reason, its
//! status (where `none` is an answer, not a 404), following a pending lookup, and withdrawing it.

use tokio::time::Instant;

use crate::types::{CancelType, CancellationStatus, VpsCancelRequest, VpsCancelResult, VpsCancellation};
use crate::{Action, Client, Confirmation, Error, Result, WaitOptions};

/// What to send: when it takes effect and why.
///
/// ```
/// use hostup::CancelRequest;
/// use hostup::types::CancelType;
/// let request = CancelRequest::new(CancelType::EndOfPeriod, "Moving to different provider");
/// assert!(request.to_body().is_ok());
/// assert!(CancelRequest::new(CancelType::Immediate, "").to_body().is_err()); // 1 to 500 characters
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct CancelRequest {
    cancel_type: CancelType,
    reason: String,
    other_reason: Option<String>,
}

impl CancelRequest {
    /// A cancellation of `cancel_type` with a reason (the spec allows 1 to 500 characters).
    pub fn new(cancel_type: CancelType, reason: impl Into<String>) -> Self {
        CancelRequest { cancel_type, reason: reason.into(), other_reason: None }
    }

    /// Free text for when the reason is `other`.
    pub fn other_reason(mut self, text: impl Into<String>) -> Self {
        self.other_reason = Some(text.into());
        self
    }

    /// The request body, checked against the spec's bounds (the body allows no other fields).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming `reason` or `otherReason` and the bound it breaks.
    pub fn to_body(&self) -> Result<VpsCancelRequest> {
        let reason = self.reason.parse().map_err(|e| invalid("reason", e))?;
        let other_reason = self
            .other_reason
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| invalid("otherReason", e))?;
        Ok(VpsCancelRequest { reason, cancel_type: Some(self.cancel_type.clone()), other_reason })
    }
}

/// A value the spec's bounds refuse (the generated string types check them).
pub(crate) fn invalid(key: &str, error: impl std::fmt::Display) -> Error {
    Error::InvalidOption { key: key.to_string(), reason: error.to_string() }
}

/// Files a cancellation after the `canCancel` gate, then reads the status while the server says
/// the record is still being looked up (within `wait`).
pub(crate) async fn cancel(
    client: &Client,
    vps_id: &str,
    request: &CancelRequest,
    confirmation: &Confirmation,
    wait: WaitOptions,
) -> Result<VpsCancellation> {
    confirmation.covers(vps_id, "cancelling")?;
    let body = request.to_body()?;
    let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
    details.ensure_allowed(Action::Cancel)?;
    let answer = client.cancel_vps().id(vps_id).body(body).send().await?.into_inner();
    if answer.cancellation_lookup_pending != Some(true) {
        return Ok(from_answer(answer));
    }
    // The record is being looked up: read the status until it names one, within the wait.
    let started = Instant::now();
    let mut interval = wait.first_interval;
    loop {
        tokio::time::sleep(interval).await;
        interval = interval.mul_f64(1.5).min(wait.max_interval);
        let status = client.get_vps_cancellation().id(vps_id).send().await?.into_inner();
        let known = status.status.as_ref().is_some_and(|s| *s != CancellationStatus::None);
        if known || started.elapsed() + interval > wait.max_wait {
            return Ok(status);
        }
    }
}

fn from_answer(a: VpsCancelResult) -> VpsCancellation {
    VpsCancellation {
        vps_id: a.vps_id,
        status: a.status,
        cancelled_at: a.cancelled_at,
        scheduled_at: a.scheduled_at,
        reason: a.reason,
        cancel_type: a.cancel_type,
        revokable: a.revokable,
        cancelled_pending_order: a.cancelled_pending_order,
    }
}

/// Withdraws a cancellation, only when the status says it is revokable.
pub(crate) async fn revoke(client: &Client, vps_id: &str) -> Result<VpsCancellation> {
    let status = client.get_vps_cancellation().id(vps_id).send().await?.into_inner();
    if !status.is_revokable() {
        let state = status.status.as_ref().map_or("unknown".to_string(), |s| s.to_string());
        return Err(Error::Blocked(Box::new(crate::ActionBlocked {
            action: "revoke cancellation".into(),
            reason: Some(format!("the cancellation is {state} and not revokable")),
            code: None,
            blockers: Vec::new(),
        })));
    }
    Ok(client.revoke_vps_cancellation().id(vps_id).send().await?.into_inner())
}

impl VpsCancellation {
    /// True when there is a cancellation at all (`status` other than `none`).
    pub fn exists(&self) -> bool {
        self.status.as_ref().is_some_and(|s| *s != CancellationStatus::None)
    }

    /// True when it can still be withdrawn: `revokable`, or, when the server leaves that out, a
    /// `pending` or `scheduled` status.
    pub fn is_revokable(&self) -> bool {
        let open = matches!(self.status, Some(CancellationStatus::Pending | CancellationStatus::Scheduled));
        self.revokable.unwrap_or(open)
    }
}

impl crate::types::ServiceCancellation {
    /// The VPS cancellation inside a `vps` entry of the account's list (`None` for other kinds or
    /// a shape that does not decode).
    pub fn vps_cancellation(&self) -> Option<VpsCancellation> {
        if self.type_ != crate::types::ServiceType::Vps {
            return None;
        }
        serde_json::from_value(self.cancellation.clone()).ok()
    }
}
