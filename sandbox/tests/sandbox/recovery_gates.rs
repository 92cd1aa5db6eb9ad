//! Every snapshot and backup gate the sandbox's state can close, refused twice: by the library
//! before sending (naming the gate from the generated enums, its reason and code) and by the
//! sandbox itself when the request is sent anyway (409 with the gate's code). Snapshot names are
//! unique per VPS, on both sides too.

use std::time::Duration;

use hostup::gates::{BackupGate, BackupScheduleGate, SnapshotGate, SnapshotScheduleGate};
use hostup::prelude::*;
use hostup::types::*;
use hostup::{BackupCadence, BackupPlan, CommitOptions, Destructive, Error, ResourceChange, WaitOptions};
use hostup_sandbox::{Sandbox, fleet};

use crate::support::error;

fn fast() -> WaitOptions {
    WaitOptions::default().with_poll_interval(Duration::from_millis(5), Duration::from_millis(20))
}

/// The library's refusal: the gate, its code, and that a reason is given.
fn library(err: &Error) -> (String, Option<String>) {
    match err {
        Error::Blocked(b) => {
            assert!(b.reason.as_deref().is_some_and(|r| !r.is_empty()), "no reason: {b:?}");
            (b.action.clone(), b.code.clone())
        }
        other => panic!("not blocked: {other:?}"),
    }
}

/// The sandbox's own refusal of the same request: status and code.
fn server(err: &Error) -> (u16, String) {
    (err.status().map_or(0, |s| s.as_u16()), err.code().map(|c| c.to_string()).unwrap_or_default())
}

fn refused(gate: &str, code: &str) -> (String, Option<String>) {
    (gate.to_string(), Some(code.to_string()))
}

#[tokio::test]
async fn every_recovery_gate_refuses_with_its_reason_and_code_on_both_sides() {
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(40)).start().await;
    let c = sandbox.client();
    let (payg, monthly, suspended) = (fleet::PAYG_CLOUD, fleet::MONTHLY_SEK, fleet::SUSPENDED);

    // canRestore (snapshots): nothing to restore yet.
    let err = c.restore_snapshot(payg, "none", Destructive::confirm(payg)).await.unwrap_err();
    assert_eq!(library(&err), refused(SnapshotGate::Restore.gate_name(), "no_snapshots"));
    let err = error(c.restore_vps_snapshot().id(payg).snapshot_id("none").send().await);
    assert_eq!(server(&err), (409, "no_snapshots".into()));

    // canCreate and canEnable: a plan without snapshot slots. The library reads `available`
    // first and still names the gate's code.
    let err = c.take_snapshot(monthly, "x", None).await.unwrap_err();
    assert_eq!(library(&err), refused(SnapshotGate::Create.gate_name(), "no_snapshot_slots"));
    let body = SnapshotCreateRequest { name: hostup::snapshot_name("x").unwrap(), description: None };
    let err = error(c.create_vps_snapshot().id(monthly).body(body).send().await);
    assert_eq!(server(&err), (409, "no_snapshot_slots".into()));
    let err = c.set_snapshot_schedule(monthly, 6.0, true).await.unwrap_err();
    assert_eq!(library(&err), refused(SnapshotScheduleGate::Enable.gate_name(), "no_snapshot_slots"));
    let body = SnapshotScheduleRequest { enabled: true, interval_hours: 6.0 };
    let err = error(c.set_vps_snapshot_schedule().id(monthly).body(body).send().await);
    assert_eq!(server(&err), (409, "no_snapshot_slots".into()));

    // canRestore (backups): this VPS has none.
    let err = c.restore_backup(payg, "bkp_none", Destructive::confirm(payg)).await.unwrap_err();
    assert_eq!(library(&err), refused(BackupGate::Restore.gate_name(), "no_backups"));
    let err = error(c.restore_vps_backup().id(payg).backup_id("bkp_none").send().await);
    assert_eq!(server(&err), (409, "no_backups".into()));

    // canRestoreFromAnotherVps: a suspended target.
    let backup =
        c.list_vps_backups().id(fleet::ANNUAL_SEK).send().await.unwrap().into_inner().backups[0].id.clone();
    let confirm = Destructive::confirm(suspended);
    let err = c.restore_backup_from_vps(suspended, fleet::ANNUAL_SEK, &backup, confirm).await.unwrap_err();
    assert_eq!(library(&err), refused(BackupGate::RestoreFromAnotherVps.gate_name(), "service_suspended"));
    let cross = CrossVpsRestoreRequest { source_vps_id: fleet::ANNUAL_SEK.into(), backup_id: backup };
    let err = error(c.restore_vps_from_other_vps().id(suspended).body(cross).send().await);
    assert_eq!(server(&err), (409, "service_suspended".into()));

    // canCreate (backup schedules): no backup slots.
    let plan = BackupPlan::new(BackupCadence::Daily, 2, 1);
    let err = c.set_backup_schedule(monthly, &plan).await.unwrap_err();
    assert_eq!(library(&err), refused(BackupScheduleGate::Create.gate_name(), "no_backup_slots"));
    let err = error(c.set_vps_backup_schedule().id(monthly).body(plan.request().unwrap()).send().await);
    assert_eq!(server(&err), (409, "no_backup_slots".into()));
}

#[tokio::test]
async fn snapshot_names_are_unique_per_vps() {
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(40)).start().await;
    let c = sandbox.client();
    let payg = fleet::PAYG_CLOUD;
    // A second slot, bought through the preview/commit flow the refusals point to.
    let quote = c.preview_resources(payg, &ResourceChange::new().set("snapshotSlots", 2)).await.unwrap();
    quote.commit(&c, CommitOptions::default()).await.unwrap();
    c.take_snapshot(payg, "same", None).await.unwrap().wait(&c, fast()).await.unwrap();

    let err = c.take_snapshot(payg, "same", None).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("already exists")), "{err:?}");
    let body = SnapshotCreateRequest { name: hostup::snapshot_name("same").unwrap(), description: None };
    let err = error(c.create_vps_snapshot().id(payg).body(body).send().await);
    assert_eq!(server(&err), (409, "snapshot_name_taken".into()));
    let listed = c.list_vps_snapshots().id(payg).send().await.unwrap().into_inner();
    assert_eq!(listed.data.iter().filter(|s| s.name == "same").count(), 1);
}
