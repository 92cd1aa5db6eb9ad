//! The gates and blockers of this area, read from the fleet and the account: `canDeploy`, the
//! conversion's blockers, `canRebuild`, `canCancel` and `canExtendMaintenance`. `/details`
//! shows them ([`amend`]) and the handlers refuse exactly what they refuse.

use super::gates;
use super::lifecycle::{PaygAccount, Quota};
use super::model::{State, Vps};
use hostup::types::{ActionGate, PaygBlockerReason as Blocker, VpsActions};

fn allow() -> ActionGate {
    ActionGate { allowed: true, reason: None, code: None }
}

fn deny(reason: &str, code: &str) -> ActionGate {
    ActionGate { allowed: false, reason: Some(reason.to_string()), code: Some(code.to_string()) }
}

/// Why each blocker blocks, as the account would be told.
pub(crate) fn blocker_reason(blocker: &Blocker) -> &'static str {
    match blocker {
        Blocker::NotVerified => "Account verification is required before using Cloud VMs.",
        Blocker::NoCloudAccess => "Cloud VMs are not enabled for this account.",
        Blocker::NoCardOnFile => "Add a payment card before using Cloud VMs.",
        Blocker::HasUnpaidInvoice => "Pay the outstanding invoice before converting to Cloud VM.",
        Blocker::CpuLimitExceeded => {
            "The account's PAYG CPU limit would be exceeded; request a higher limit."
        }
        Blocker::MemoryLimitExceeded => {
            "The account's PAYG memory limit would be exceeded; request a higher limit."
        }
        Blocker::StorageLimitExceeded => {
            "The account's PAYG storage limit would be exceeded; request a higher limit."
        }
        Blocker::InstanceLimitExceeded => {
            "The account's PAYG instance limit is reached; request a higher limit."
        }
        _ => "Cloud VMs are not available.",
    }
}

/// A closed gate whose code is this blocker.
fn deny_for(blocker: &Blocker) -> ActionGate {
    deny(blocker_reason(blocker), blocker.as_str())
}

/// The account's own blockers, in the order the docs list them.
pub(crate) fn access_blockers(account: &PaygAccount) -> Vec<Blocker> {
    [
        (!account.verified, Blocker::NotVerified),
        (!account.cloud_access, Blocker::NoCloudAccess),
        (!account.card_on_file, Blocker::NoCardOnFile),
    ]
    .into_iter()
    .filter_map(|(blocked, code)| blocked.then_some(code))
    .collect()
}

/// `canDeploy`: the account's blockers, then a full instance quota.
pub(crate) fn can_deploy(state: &State) -> ActionGate {
    let blockers = access_blockers(&state.lifecycle.account);
    if let Some(first) = blockers.first() {
        return deny_for(first);
    }
    if state.payg_remaining().instance_count < 1 {
        return deny_for(&Blocker::InstanceLimitExceeded);
    }
    allow()
}

/// What blocks converting this fixed-cycle VPS: the account, an unpaid invoice, and the PAYG
/// quota it would take.
pub(crate) fn conversion_blockers(state: &State, vps: &Vps) -> Vec<Blocker> {
    let mut blockers = access_blockers(&state.lifecycle.account);
    if vps.invoices.iter().any(|i| i.is_open()) {
        blockers.push(Blocker::HasUnpaidInvoice);
    }
    blockers.extend(Quota::exceeded(&Quota::of(vps), &state.payg_remaining()));
    blockers
}

/// `canConvertToCloud`.
pub(crate) fn can_convert(state: &State, vps: &Vps) -> ActionGate {
    if vps.payg {
        return deny("The VPS is already a Cloud VPS.", "already_payg");
    }
    if let Some(blocked) = gates::account_blocker(vps) {
        return blocked;
    }
    match conversion_blockers(state, vps).first() {
        Some(first) => deny_for(first),
        None => allow(),
    }
}

/// `canRebuild`: the account state, then any job in flight (a power action or a rebuild).
pub(crate) fn can_rebuild(vps: &Vps) -> ActionGate {
    match gates::account_blocker(vps) {
        Some(blocked) => blocked,
        None if vps.job.is_some() => deny("An operation is in progress.", "operation_in_progress"),
        None => allow(),
    }
}

/// `canCancel`: the fleet's gate (an overdue invoice blocks), then a cancellation already open.
pub(crate) fn can_cancel(state: &State, vps: &Vps) -> ActionGate {
    let gate = gates::actions(vps).can_cancel;
    if !gate.allowed {
        return gate;
    }
    let open = state.lifecycle.cancellations.iter().any(|c| c.vps_id == vps.id && c.status.revokable());
    if open {
        return deny("A cancellation is already filed; revoke it first.", "cancellation_pending");
    }
    gate
}

/// `canExtendMaintenance`: a deadline with extensions left.
pub(crate) fn can_extend_maintenance(state: &State, vps: &Vps) -> ActionGate {
    let changes = state.lifecycle.maintenance.get(&vps.id).map(Vec::as_slice).unwrap_or_default();
    if changes.is_empty() {
        return deny("No pending maintenance to extend.", "no_pending_maintenance");
    }
    if changes.iter().all(|c| c.id.is_none()) {
        return deny("The pending maintenance has no deadline to extend.", "no_maintenance_deadline");
    }
    if !changes.iter().any(|c| c.can_extend()) {
        return deny(
            "Every maintenance deadline was extended as often as its policy allows.",
            "max_extensions_reached",
        );
    }
    gates::account_blocker(vps).unwrap_or_else(allow)
}

/// Puts this area's gates into a VPS's `/details` gates.
pub(crate) fn amend(state: &State, vps: &Vps, actions: &mut VpsActions) {
    actions.can_convert_to_cloud = can_convert(state, vps);
    actions.can_rebuild = can_rebuild(vps);
    actions.can_cancel = can_cancel(state, vps);
    actions.can_extend_maintenance = can_extend_maintenance(state, vps);
}
