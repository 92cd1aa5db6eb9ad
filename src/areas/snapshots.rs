//! Snapshots: short-lived local rollback points. Taking one checks everything the list reports
//! first (availability, the slot quota, the `canCreate` gate, a free name) and validates the name
//! with the spec's own rule, so a refusal names its reason before anything is sent. Restoring and
//! deleting need a [`Destructive`] confirmation. The snapshot schedule is a singleton whose
//! interval the server floors and clamps; the helper does the same and says so.

use crate::areas::recovery::{JobKind, RecoveryJob};
use crate::error::ActionBlocked;
use crate::gates::{SnapshotGate, SnapshotScheduleGate};
use crate::types::{
    ActionGate, Snapshot, SnapshotCreateRequest, SnapshotList, SnapshotName, SnapshotScheduleRequest,
    SnapshotScheduleState,
};
use crate::{Client, Destructive, Error, Result};

/// How to get more snapshot capacity, for refusals (the docs' advice).
const MORE_SLOTS: &str = "buy slots through the `snapshotSlots` option (ClientExt::preview_resources with \
     ResourceChange::new().set(\"snapshotSlots\", n), then Quote::commit) or change plan";

/// A refusal of the gate `gate` that the list's other fields (`available`, the quota) decided,
/// with the gate's own code when the server closed it too.
fn blocked(gate: impl std::fmt::Display, reason: String, closed: Option<&ActionGate>) -> Error {
    Error::Blocked(Box::new(ActionBlocked {
        action: gate.to_string(),
        reason: Some(reason),
        code: closed.filter(|g| !g.allowed).and_then(|g| g.code.clone()),
        blockers: Vec::new(),
    }))
}

fn unavailable(reason: Option<&str>) -> String {
    let why = reason.unwrap_or("the plan includes no snapshots");
    format!("{why} (available: false); {MORE_SLOTS}")
}

fn no_slots() -> String {
    format!("the plan has 0 snapshot slots (limits.totalSnapshots); {MORE_SLOTS}")
}

/// Checks a snapshot name against the spec's rule (`SnapshotName`: letters, digits, `_` and
/// `-`, at most 40 characters) without sending anything.
///
/// ```
/// assert!(hostup::snapshot_name("before-upgrade").is_ok());
/// let err = hostup::snapshot_name("before upgrade!").unwrap_err();
/// assert!(err.to_string().contains("name"));
/// assert!(hostup::snapshot_name(&"x".repeat(41)).is_err());
/// ```
///
/// # Errors
/// [`Error::InvalidOption`] (key `name`) with the rule the name breaks.
pub fn snapshot_name(name: &str) -> Result<SnapshotName> {
    SnapshotName::try_from(name).map_err(|e| Error::InvalidOption {
        key: "name".into(),
        reason: format!("snapshot name {name:?} is {e}"),
    })
}

impl SnapshotList {
    /// The snapshot with this name.
    pub fn find(&self, name: &str) -> Option<&Snapshot> {
        self.data.iter().find(|s| s.name == name)
    }

    /// Slots not in use, when the quota is known.
    pub fn free_slots(&self) -> Option<i64> {
        let total = self.limits.as_ref()?.total_snapshots?;
        Some((total - self.data.len() as i64).max(0))
    }

    /// `Ok` when a new snapshot may be taken: the plan offers snapshots (`available`), the quota
    /// has a free slot (`limits.totalSnapshots`) and `actions.canCreate` is open. Fields the
    /// server left out are not held against the call (the server still decides).
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/listVpsSnapshots.200.json"));
    /// let list: hostup::types::SnapshotList = serde_json::from_str(json).unwrap();
    /// assert!(list.ensure_can_create().is_ok()); // 1 of 3 slots used
    /// ```
    ///
    /// # Errors
    /// [`Error::Blocked`] on [`SnapshotGate::Create`] whichever refused; the reason says which
    /// (`available` false, the slot quota `limits.totalSnapshots` used up, or the gate with its
    /// reason and code) and how to get more slots.
    pub fn ensure_can_create(&self) -> Result<()> {
        let gate = self.actions.as_ref().and_then(|a| SnapshotGate::Create.gate(a));
        if self.available == Some(false) {
            return Err(blocked(SnapshotGate::Create, unavailable(self.reason.as_deref()), gate));
        }
        let total = self.limits.as_ref().and_then(|l| l.total_snapshots);
        if total == Some(0) {
            return Err(blocked(SnapshotGate::Create, no_slots(), gate));
        }
        if self.free_slots() == Some(0) {
            let total = total.unwrap_or_default();
            return Err(blocked(
                SnapshotGate::Create,
                format!(
                    "all {total} snapshot slots (limits.totalSnapshots) are in use; delete a snapshot, or {MORE_SLOTS}"
                ),
                gate,
            ));
        }
        self.actions.as_ref().map_or(Ok(()), |a| SnapshotGate::Create.check(a))
    }

    /// `Ok` when `name` is listed and `actions.canRestore` is open (or not reported).
    ///
    /// # Errors
    /// [`Error::Blocked`] for a closed gate, [`Error::InvalidRequest`] for an unknown snapshot.
    pub fn ensure_can_restore(&self, name: &str) -> Result<()> {
        if let Some(actions) = &self.actions {
            SnapshotGate::Restore.check(actions)?;
        }
        self.ensure_listed(name)
    }

    fn ensure_listed(&self, name: &str) -> Result<()> {
        if self.find(name).is_some() {
            return Ok(());
        }
        let names: Vec<&str> = self.data.iter().map(|s| s.name.as_str()).collect();
        Err(Error::InvalidRequest(format!("no snapshot named {name:?} (listed: {names:?})")))
    }
}

async fn list(client: &Client, vps_id: &str) -> Result<SnapshotList> {
    Ok(client.list_vps_snapshots().id(vps_id).send().await?.into_inner())
}

pub(crate) async fn take(
    client: &Client,
    vps_id: &str,
    name: &str,
    description: Option<&str>,
) -> Result<RecoveryJob> {
    let valid = snapshot_name(name)?;
    let snapshots = list(client, vps_id).await?;
    snapshots.ensure_can_create()?;
    if snapshots.find(name).is_some() {
        return Err(Error::InvalidRequest(format!(
            "a snapshot named {name:?} already exists on {vps_id}; snapshot names are their ids"
        )));
    }
    let body = SnapshotCreateRequest { name: valid, description: description.map(str::to_string) };
    let accepted = client.create_vps_snapshot().id(vps_id).body(body).send().await?.into_inner();
    Ok(RecoveryJob::new(vps_id, JobKind::Snapshot, name, accepted.operation))
}

pub(crate) async fn restore(
    client: &Client,
    vps_id: &str,
    name: &str,
    confirm: &Destructive,
) -> Result<RecoveryJob> {
    confirm.check(vps_id, "a snapshot restore")?;
    list(client, vps_id).await?.ensure_can_restore(name)?;
    // A POST: the runtime never sends it twice once it may have reached the server.
    let accepted = client.restore_vps_snapshot().id(vps_id).snapshot_id(name).send().await?.into_inner();
    Ok(RecoveryJob::new(vps_id, JobKind::SnapshotRestore, name, accepted.operation))
}

pub(crate) async fn delete(
    client: &Client,
    vps_id: &str,
    name: &str,
    confirm: &Destructive,
) -> Result<RecoveryJob> {
    confirm.check(vps_id, "deleting a snapshot")?;
    list(client, vps_id).await?.ensure_listed(name)?;
    let accepted = client.delete_vps_snapshot().id(vps_id).snapshot_id(name).send().await?.into_inner();
    Ok(RecoveryJob::new(vps_id, JobKind::SnapshotDelete, name, accepted.operation))
}

/// A snapshot schedule that was set: what was asked, what was sent after the server's own
/// flooring and clamping, and the state the server answered with.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SnapshotScheduleChange {
    /// The interval the caller asked for, in hours.
    pub requested_hours: f64,
    /// The interval sent: floored and clamped into the spec's bounds, as the server would.
    pub sent_hours: f64,
    /// The server's answer.
    pub state: SnapshotScheduleState,
}

impl SnapshotScheduleChange {
    /// A sentence when the interval was changed on the way, else `None`.
    pub fn note(&self) -> Option<String> {
        (self.sent_hours != self.requested_hours).then(|| {
            let (min, max) = interval_bounds();
            format!(
                "asked for every {} h; HostUp floors the interval and clamps it into {min} to {max} h, so it is every {} h",
                self.requested_hours, self.sent_hours
            )
        })
    }
}

/// The interval bounds of `SnapshotScheduleRequest.intervalHours` in the spec.
fn interval_bounds() -> (f64, f64) {
    use crate::limits::{
        SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MAX, SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MIN,
    };
    (SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MIN, SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MAX)
}

/// What the server stores for an asked interval: floored, then clamped into the spec's bounds.
///
/// ```
/// assert_eq!(hostup::snapshot_interval_stored(12.7), Some(12.0));
/// assert_eq!(hostup::snapshot_interval_stored(1.0), Some(4.0));
/// assert_eq!(hostup::snapshot_interval_stored(48.0), Some(24.0));
/// assert_eq!(hostup::snapshot_interval_stored(f64::NAN), None);
/// ```
pub fn snapshot_interval_stored(hours: f64) -> Option<f64> {
    let (min, max) = interval_bounds();
    hours.is_finite().then(|| hours.floor().clamp(min, max))
}

pub(crate) async fn set_schedule(
    client: &Client,
    vps_id: &str,
    hours: f64,
    enabled: bool,
) -> Result<SnapshotScheduleChange> {
    let sent = snapshot_interval_stored(hours).ok_or_else(|| Error::InvalidOption {
        key: "intervalHours".into(),
        reason: format!("{hours} is not a number of hours"),
    })?;
    let current = client.get_vps_snapshot_schedule().id(vps_id).send().await?.into_inner();
    let gate = current.actions.as_ref().and_then(|a| SnapshotScheduleGate::Enable.gate(a));
    if current.available == Some(false) {
        return Err(blocked(SnapshotScheduleGate::Enable, unavailable(current.reason.as_deref()), gate));
    }
    if current.limits.as_ref().and_then(|l| l.total_snapshots) == Some(0) {
        return Err(blocked(SnapshotScheduleGate::Enable, no_slots(), gate));
    }
    if let Some(actions) = &current.actions {
        SnapshotScheduleGate::Enable.check(actions)?;
    }
    let body = SnapshotScheduleRequest { enabled, interval_hours: sent };
    let state = client.set_vps_snapshot_schedule().id(vps_id).body(body).send().await?.into_inner();
    Ok(SnapshotScheduleChange { requested_hours: hours, sent_hours: sent, state })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(value: serde_json::Value) -> SnapshotList {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn each_refusal_names_what_refused() {
        let names = |r: Result<()>| match r {
            Err(Error::Blocked(b)) => format!("{}: {}", b.action, b.reason.unwrap_or_default()),
            other => panic!("{other:?}"),
        };
        let none = list(serde_json::json!({"data": [], "available": false, "reason": "Not in plan."}));
        assert!(names(none.ensure_can_create()).starts_with("canCreate: Not in plan. (available: false)"));
        let zero = list(serde_json::json!({"data": [], "limits": {"totalSnapshots": 0}}));
        assert!(names(zero.ensure_can_create()).starts_with("canCreate: the plan has 0 snapshot slots"));
        // The server closed the gate too: its code comes along with the quota's reason.
        let closed =
            list(serde_json::json!({"data": [], "limits": {"totalSnapshots": 0}, "actions": {"canCreate":
            {"allowed": false, "reason": "No slots.", "code": "no_snapshot_slots"}}}));
        let Err(Error::Blocked(b)) = closed.ensure_can_create() else { panic!("not blocked") };
        assert_eq!((b.action.as_str(), b.code.as_deref()), ("canCreate", Some("no_snapshot_slots")));
        let full = list(serde_json::json!({"data": [{"name": "a"}], "limits": {"totalSnapshots": 1}}));
        let err = full.ensure_can_create().unwrap_err();
        assert!(err.to_string().contains("snapshotSlots") && err.to_string().contains("in use"), "{err}");
        let gate = list(serde_json::json!({"data": [], "actions": {"canCreate":
            {"allowed": false, "reason": "Pending order.", "code": "pending_order"}}}));
        let err = gate.ensure_can_create().unwrap_err();
        assert!(err.to_string().contains("canCreate") && err.to_string().contains("pending_order"), "{err}");
        assert!(list(serde_json::json!({"data": []})).ensure_can_create().is_ok(), "nothing reported");
    }

    #[test]
    fn names_follow_the_spec_rule() {
        for good in ["a", "before-upgrade", "A_1-b", &"x".repeat(40)] {
            assert!(snapshot_name(good).is_ok(), "{good}");
        }
        for bad in ["", "with space", "ä", "a/b", "a.b", &"x".repeat(41)] {
            assert!(matches!(snapshot_name(bad), Err(Error::InvalidOption { .. })), "{bad:?}");
        }
    }

    #[test]
    fn a_clamped_interval_is_explained() {
        let state: SnapshotScheduleState = serde_json::from_value(serde_json::json!({})).unwrap();
        let change = SnapshotScheduleChange { requested_hours: 2.5, sent_hours: 4.0, state };
        assert!(change.note().unwrap().contains("clamps it into 4 to 24"));
    }
}
