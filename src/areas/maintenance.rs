//! Pending maintenance: each change's deadline, how many extensions its policy allows and how
//! many are used, and extending a deadline only while the policy allows it.

use crate::types::{MaintenanceChange, MaintenanceExtendRequest, MaintenanceExtendResult, VpsMaintenance};
use crate::{Action, ActionBlocked, Client, Error, Result};

impl MaintenanceChange {
    /// Extensions used so far (0 when none is reported).
    pub fn extensions_used(&self) -> i64 {
        self.extension.as_ref().and_then(|e| e.extension_count).unwrap_or(0)
    }

    /// The deadline now in force: `effectiveDeadline`, an extended deadline, or the original.
    pub fn effective_deadline(&self) -> Option<&str> {
        self.effective_deadline
            .as_deref()
            .or_else(|| self.extension.as_ref().and_then(|e| e.extended_deadline.as_deref()))
            .or_else(|| self.deadline.as_ref().and_then(|d| d.deadline_at.as_deref()))
    }

    /// True while the deadline can be postponed: the server's `canExtend` when it says, else
    /// fewer extensions used than the policy's `maxExtensions`.
    pub fn can_extend(&self) -> bool {
        let Some(deadline) = &self.deadline else { return false };
        self.can_extend.unwrap_or(self.extensions_used() < deadline.max_extensions)
    }
}

impl VpsMaintenance {
    /// The change whose deadline has this id.
    pub fn change_with_deadline(&self, deadline_id: &str) -> Option<&MaintenanceChange> {
        self.pending_changes.iter().find(|c| c.deadline.as_ref().is_some_and(|d| d.id == deadline_id))
    }
}

/// Extends one deadline after the `canExtendMaintenance` gate and the deadline's policy.
pub(crate) async fn extend(
    client: &Client,
    vps_id: &str,
    deadline_id: &str,
) -> Result<MaintenanceExtendResult> {
    let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
    details.ensure_allowed(Action::ExtendMaintenance)?;
    let state = client.get_vps_maintenance().id(vps_id).send().await?.into_inner();
    let Some(change) = state.change_with_deadline(deadline_id) else {
        let pending: Vec<&str> =
            state.pending_changes.iter().filter_map(|c| c.deadline.as_ref()).map(|d| d.id.as_str()).collect();
        return Err(crate::areas::cancel::invalid(
            "deadlineId",
            format!("{vps_id} has no pending deadline {deadline_id}; pending: {pending:?}"),
        ));
    };
    if !change.can_extend() {
        let max = change.deadline.as_ref().map_or(0, |d| d.max_extensions);
        return Err(Error::Blocked(Box::new(ActionBlocked {
            action: Action::ExtendMaintenance.to_string(),
            reason: Some(format!(
                "deadline {deadline_id} ({}) was extended {} of at most {max} times",
                change.key,
                change.extensions_used()
            )),
            code: None,
            blockers: Vec::new(),
        })));
    }
    let body = MaintenanceExtendRequest {
        deadline_id: deadline_id.parse().map_err(|e| crate::areas::cancel::invalid("deadlineId", e))?,
    };
    Ok(client.extend_vps_maintenance().id(vps_id).body(body).send().await?.into_inner())
}
