//! Action gates: `actions.canX` on the VPS details, read as a typed set, and checked before a
//! mutation so a blocked action never reaches the server.

use std::collections::BTreeSet;

use crate::error::ActionBlocked;
use crate::types::{ActionGate, VpsActions, VpsDetails};
use crate::{Error, Result};

macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident => $field:ident, $wire:literal;)*) => {
        /// An action that `/details` gates with `actions.canX`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Action {
            $($(#[$doc])* $variant,)*
        }

        impl Action {
            /// Every gated action.
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The gate's name in the API (`canStart`).
            pub fn gate_name(self) -> &'static str {
                match self {
                    $(Action::$variant => $wire,)*
                }
            }

            /// This action's gate.
            pub fn gate(self, actions: &VpsActions) -> &ActionGate {
                match self {
                    $(Action::$variant => &actions.$field,)*
                }
            }
        }
    };
}

actions! {
    /// Reinstall the OS.
    Rebuild => can_rebuild, "canRebuild";
    /// Reset the root password.
    ResetPassword => can_reset_password, "canResetPassword";
    /// Replace the SSH keys.
    ResetSshKeys => can_reset_ssh_keys, "canResetSshKeys";
    /// Grow a disk.
    ResizeDisk => can_resize_disk, "canResizeDisk";
    /// Add a disk.
    AddDisk => can_add_disk, "canAddDisk";
    /// Take a snapshot.
    Snapshot => can_snapshot, "canSnapshot";
    /// Take a backup.
    Backup => can_backup, "canBackup";
    /// Change the billing cycle (fixed-cycle VPS).
    ChangeBillingCycle => can_change_billing_cycle, "canChangeBillingCycle";
    /// Change plan (fixed-cycle VPS).
    Upgrade => can_upgrade, "canUpgrade";
    /// Resize CPU and memory (PAYG VPS).
    Resize => can_resize, "canResize";
    /// Detach ISO media.
    DetachIsos => can_detach_isos, "canDetachIsos";
    /// Convert to a PAYG Cloud VPS.
    ConvertToCloud => can_convert_to_cloud, "canConvertToCloud";
    /// Boot.
    Start => can_start, "canStart";
    /// Forced power-off.
    Stop => can_stop, "canStop";
    /// Graceful reboot.
    Restart => can_restart, "canRestart";
    /// Graceful power-off.
    Shutdown => can_shutdown, "canShutdown";
    /// Hard reboot.
    Reset => can_reset, "canReset";
    /// Cancel the service.
    Cancel => can_cancel, "canCancel";
    /// Toggle automatic renewal.
    ToggleAutorenew => can_toggle_autorenew, "canToggleAutorenew";
    /// Postpone pending maintenance.
    ExtendMaintenance => can_extend_maintenance, "canExtendMaintenance";
    /// Cancel a running job.
    CancelJob => can_cancel_job, "canCancelJob";
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.gate_name())
    }
}

/// Turns a closed gate into the typed error.
pub(crate) fn check_gate(name: &str, gate: &ActionGate) -> Result<()> {
    if gate.allowed {
        return Ok(());
    }
    Err(Error::Blocked(Box::new(ActionBlocked {
        action: name.to_string(),
        reason: gate.reason.clone(),
        code: gate.code.clone(),
        blockers: Vec::new(),
    })))
}

impl VpsDetails {
    /// The actions the gates currently allow.
    ///
    /// ```
    /// use hostup::Action;
    /// # let json = include_str!("../openapi/examples/getVpsDetails.200.json");
    /// let vps: hostup::types::VpsDetails = serde_json::from_str(json).unwrap();
    /// let allowed = vps.allowed_actions();
    /// assert!(allowed.contains(&Action::Restart));
    /// assert!(!allowed.contains(&Action::Start)); // already running
    /// ```
    pub fn allowed_actions(&self) -> BTreeSet<Action> {
        Action::ALL.iter().copied().filter(|a| a.gate(&self.actions).allowed).collect()
    }

    /// The gate of one action.
    pub fn gate(&self, action: Action) -> &ActionGate {
        action.gate(&self.actions)
    }

    /// `Ok` when the action is allowed, else [`Error::Blocked`] with the server's reason and code.
    pub fn ensure_allowed(&self, action: Action) -> Result<()> {
        check_gate(action.gate_name(), self.gate(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> VpsDetails {
        serde_json::from_str(include_str!("../openapi/examples/getVpsDetails.200.json")).unwrap()
    }

    #[test]
    fn allowed_set_matches_the_fixture() {
        let allowed = details().allowed_actions();
        assert_eq!(allowed.len(), 13);
        for blocked in [Action::Snapshot, Action::Backup, Action::Resize, Action::Start, Action::CancelJob] {
            assert!(!allowed.contains(&blocked), "{blocked}");
        }
    }

    #[test]
    fn blocked_gate_gives_reason_and_code() {
        let mut vps = details();
        vps.actions.can_restart = ActionGate {
            allowed: false,
            reason: Some("Pending order.".into()),
            code: Some("pending_order".into()),
        };
        let Err(Error::Blocked(blocked)) = vps.ensure_allowed(Action::Restart) else { panic!() };
        assert_eq!(blocked.action, "canRestart");
        assert_eq!(blocked.code.as_deref(), Some("pending_order"));
        assert!(blocked.to_string().contains("Pending order."));
        assert!(vps.ensure_allowed(Action::Reset).is_ok());
    }
}
