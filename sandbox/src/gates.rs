//! Action gates: what a VPS allows now, and why not. The handlers refuse exactly what the gates
//! refuse, so a client that checks `/details` first never sees a 409 it could have predicted.

use super::model::Vps;
use hostup::types::{ActionGate, PowerState, ServiceStatus, VpsActions};

fn allow() -> ActionGate {
    ActionGate { allowed: true, reason: None, code: None }
}

fn deny(reason: &str, code: &str) -> ActionGate {
    ActionGate { allowed: false, reason: Some(reason.to_string()), code: Some(code.to_string()) }
}

/// What blocks every change of the service: a suspension or a pending order.
pub(crate) fn account_blocker(vps: &Vps) -> Option<ActionGate> {
    if vps.service == ServiceStatus::Suspended {
        return Some(deny("The service is suspended for non-payment.", "service_suspended"));
    }
    vps.blocked.map(|b| deny(b.reason, b.code))
}

/// The gate of a power action (`canStart`, `canStop`, `canShutdown`, `canRestart`, `canReset`).
pub(crate) fn power_gate(vps: &Vps, gate: &str) -> ActionGate {
    if let Some(blocked) = account_blocker(vps) {
        return blocked;
    }
    if vps.job.is_some() {
        return deny("A power operation is in progress.", "operation_in_progress");
    }
    let running = vps.power == PowerState::Running;
    match gate {
        "canStart" if running => deny("VPS is already running.", "already_running"),
        "canStart" => allow(),
        "canStop" | "canShutdown" if !running => deny("VPS is already stopped.", "already_stopped"),
        "canRestart" | "canReset" if !running => deny("VPS is not running.", "not_running"),
        _ => allow(),
    }
}

/// A gate that only the account state can close.
fn plain(vps: &Vps) -> ActionGate {
    account_blocker(vps).unwrap_or_else(allow)
}

pub(crate) fn can_upgrade(vps: &Vps) -> ActionGate {
    match account_blocker(vps) {
        Some(blocked) => blocked,
        None if vps.payg => deny("PAYG Cloud VPS change CPU and memory with resize.", "payg_service"),
        None => allow(),
    }
}

/// `actions/config` on either billing model.
pub(crate) fn can_configure(vps: &Vps) -> ActionGate {
    plain(vps)
}

pub(crate) fn can_change_billing_cycle(vps: &Vps) -> ActionGate {
    match account_blocker(vps) {
        Some(blocked) => blocked,
        None if vps.payg => {
            deny("PAYG Cloud VPS are billed by the hour and have no billing cycle.", "payg_service")
        }
        None => allow(),
    }
}

pub(crate) fn can_resize(vps: &Vps) -> ActionGate {
    match account_blocker(vps) {
        Some(blocked) => blocked,
        None if !vps.payg => deny("Resize is a PAYG-only action. Use upgrade for fixed plans.", "not_payg"),
        None if vps.job.is_some() => deny("A power operation is in progress.", "operation_in_progress"),
        None => allow(),
    }
}

pub(crate) fn can_renew(vps: &Vps) -> ActionGate {
    if vps.payg {
        return deny("PAYG Cloud VPS are billed by use and are never renewed.", "payg_service");
    }
    vps.blocked.map(|b| deny(b.reason, b.code)).unwrap_or_else(allow)
}

pub(crate) fn can_resize_disk(vps: &Vps) -> ActionGate {
    plain(vps)
}

fn slots(vps: &Vps, key: &str, what: &str) -> ActionGate {
    match account_blocker(vps) {
        Some(blocked) => blocked,
        None if vps.option(key) < 1.0 => {
            deny(&format!("No {what} slots; add {key} with actions/config."), &format!("no_{what}_slots"))
        }
        None => allow(),
    }
}

/// Every gate of `/details`.
pub(crate) fn actions(vps: &Vps) -> VpsActions {
    let cancel = if !vps.overdue_invoices().is_empty() {
        deny("An overdue invoice blocks cancellation.", "cancellation_blocked_overdue_invoice")
    } else {
        plain(vps)
    };
    let cancel_job = match vps.job {
        Some(_) => deny("Power operations cannot be cancelled.", "not_cancellable"),
        None => deny("No active jobs to cancel.", "no_active_jobs"),
    };
    let convert = if vps.payg {
        deny("The VPS is already a Cloud VPS.", "already_payg")
    } else {
        deny("Account verification is required before converting to Cloud VM.", "not_verified")
    };
    let maintenance = match vps.maintenance {
        Some(_) => plain(vps),
        None => deny("No pending maintenance to extend.", "no_pending_maintenance"),
    };
    let autorenew = if vps.payg { deny("PAYG Cloud VPS do not renew.", "payg_service") } else { plain(vps) };
    VpsActions {
        can_rebuild: plain(vps),
        can_reset_password: plain(vps),
        can_reset_ssh_keys: plain(vps),
        can_resize_disk: can_resize_disk(vps),
        can_add_disk: plain(vps),
        can_snapshot: slots(vps, "snapshotSlots", "snapshot"),
        can_backup: slots(vps, "backupSlots", "backup"),
        can_change_billing_cycle: can_change_billing_cycle(vps),
        can_upgrade: can_upgrade(vps),
        can_resize: can_resize(vps),
        can_detach_isos: deny("No ISOs attached.", "no_isos"),
        can_convert_to_cloud: convert,
        can_start: power_gate(vps, "canStart"),
        can_stop: power_gate(vps, "canStop"),
        can_restart: power_gate(vps, "canRestart"),
        can_shutdown: power_gate(vps, "canShutdown"),
        can_reset: power_gate(vps, "canReset"),
        can_cancel: cancel,
        can_toggle_autorenew: autorenew,
        can_extend_maintenance: maintenance,
        can_cancel_job: cancel_job,
    }
}
