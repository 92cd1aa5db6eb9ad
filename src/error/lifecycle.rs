//! The errors of creating and ending a VPS: a PAYG quota that does not fit, and a create whose
//! answer never arrived; plus reading PAYG blockers and side effects out of API errors.

use super::{ApiError, Error, ErrorCode};
use crate::types::{PaygBlockerReason, PaygLimitType};

/// A PAYG request that does not fit the account's quota. Nothing was sent; ask for more with
/// [`LifecycleExt::request_payg_limit`](crate::LifecycleExt::request_payg_limit).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct QuotaExceeded {
    /// The quota key to raise in a limit request (`cpuCores`, `vmCount`, ...).
    pub limit_type: PaygLimitType,
    /// What the request needs.
    pub requested: i64,
    /// What is left (`remaining.*` of the account's PAYG limits).
    pub remaining: i64,
    /// The account's ceiling (`max.*`).
    pub max: i64,
}

impl std::fmt::Display for QuotaExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PAYG quota {}: {} needed but only {} of {} remain on this account; file a limit request \
             (POST /api/v2/vps/payg/limits/requests, limitType {}) and try again once it is granted",
            self.limit_type, self.requested, self.remaining, self.max, self.limit_type
        )
    }
}

/// A create whose answer never arrived (a timeout or a broken connection after sending): the
/// resource may exist. A PAYG deployment is never sent again (it has no idempotency key): look
/// for it by name. An order may be placed again with the same attempt key: within the hour
/// HostUp returns the order that attempt created, if it did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Unconfirmed {
    /// What was asked for (`PAYG deployment`, `order`).
    pub what: String,
    /// The VPS name to look for (`GET /api/v2/vps?name=...`), for a deployment.
    pub look_for: Option<String>,
    /// The attempt key to place the order again with, for an order.
    pub attempt_key: Option<String>,
    /// Why the answer is missing.
    pub source: Error,
}

impl std::fmt::Display for Unconfirmed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} may have been created ({})", self.what, self.source)?;
        if let Some(name) = &self.look_for {
            write!(
                f,
                "; it was not sent again: look for a VPS named {name:?} (hostup vps list, \
                 GET /api/v2/vps?name={name}) before retrying"
            )?;
        }
        if let Some(key) = &self.attempt_key {
            write!(
                f,
                "; place it again with attemptKey {key:?} within an hour to get the same order, not a second one"
            )?;
        }
        Ok(())
    }
}

impl ApiError {
    /// The PAYG blockers of a refused deployment or conversion, read from both places the docs
    /// put them (`extensions.blockerReasons` and the top level), without duplicates.
    pub fn blocker_reasons(&self) -> Vec<PaygBlockerReason> {
        let nested = self.problem.extensions.get("blockerReasons").and_then(|v| v.as_array());
        let nested = nested.into_iter().flatten().filter_map(|v| v.as_str()).map(PaygBlockerReason::from);
        let mut out: Vec<PaygBlockerReason> = self.problem.blocker_reasons.clone();
        for reason in nested {
            if !out.contains(&reason) {
                out.push(reason);
            }
        }
        out
    }
}

impl Error {
    /// The PAYG blockers carried by an API error (empty for any other error).
    pub fn blocker_reasons(&self) -> Vec<PaygBlockerReason> {
        match self {
            Error::Api(e) => e.blocker_reasons(),
            Error::Blocked(b) => b.blockers.clone(),
            _ => Vec::new(),
        }
    }

    /// True for the 409 `cancellation_blocked_overdue_invoice`: the cancellation was refused *and*
    /// HostUp switched the service's auto-renewal off as a side effect. Pay the overdue invoice,
    /// then cancel again (or turn auto-renewal back on to keep the service).
    pub fn auto_renew_was_disabled(&self) -> bool {
        self.code() == Some(&ErrorCode::CancellationBlockedOverdueInvoice)
    }
}

impl PaygBlockerReason {
    /// How to lift this blocker.
    pub fn recovery(&self) -> &'static str {
        match self {
            PaygBlockerReason::NotVerified => "verify the account in the HostUp panel",
            PaygBlockerReason::NoCloudAccess => "ask HostUp support to enable Cloud VM access",
            PaygBlockerReason::NoCardOnFile => "add a payment card to the account",
            PaygBlockerReason::HasUnpaidInvoice => "pay the outstanding invoice",
            PaygBlockerReason::CpuLimitExceeded
            | PaygBlockerReason::MemoryLimitExceeded
            | PaygBlockerReason::StorageLimitExceeded
            | PaygBlockerReason::InstanceLimitExceeded => {
                "file a PAYG limit request (POST /api/v2/vps/payg/limits/requests), then retry"
            }
            _ => "see the reason HostUp gave",
        }
    }

    /// The quota key a `*_limit_exceeded` blocker asks to raise.
    pub fn limit_type(&self) -> Option<PaygLimitType> {
        match self {
            PaygBlockerReason::CpuLimitExceeded => Some(PaygLimitType::CpuCores),
            PaygBlockerReason::MemoryLimitExceeded => Some(PaygLimitType::MemoryGb),
            PaygBlockerReason::StorageLimitExceeded => Some(PaygLimitType::StorageGb),
            PaygBlockerReason::InstanceLimitExceeded => Some(PaygLimitType::VmCount),
            _ => None,
        }
    }
}
