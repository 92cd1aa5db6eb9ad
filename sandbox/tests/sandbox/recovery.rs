//! Snapshots, backups, schedules, restores and active jobs in the sandbox: slots, unique names,
//! expiry on the sandbox's clock, restores that put the VPS back, slower backups, cross-VPS and
//! PAYG restores, cancellation, and every gate refusing with its reason and code.

use std::num::NonZeroU64;
use std::time::Duration;

use hostup::Client;
use hostup::prelude::*;
use hostup::types::*;
use hostup::{BackupCadence, BackupPlan, Destructive, Error, WaitOptions};
use hostup_sandbox::{Sandbox, fleet};

use crate::support::{assert_bodies_match_the_spec, error, wait_job};

fn fast() -> WaitOptions {
    WaitOptions::default().with_poll_interval(Duration::from_millis(5), Duration::from_millis(20))
}

async fn sandbox() -> Sandbox {
    Sandbox::builder().record_exchanges(true).job_duration(Duration::from_millis(40)).start().await
}

fn refusal(err: &Error) -> (u16, String) {
    (err.status().map_or(0, |s| s.as_u16()), err.code().map(|c| c.to_string()).unwrap_or_default())
}

/// Every snapshot, backup and job operation once through the generated client, for the test that
/// checks every operation of the spec answers in its documented shape.
pub async fn exercise(client: &Client) {
    let (payg, annual, monthly) = (fleet::PAYG_CLOUD, fleet::ANNUAL_SEK, fleet::MONTHLY_SEK);
    let name = hostup::snapshot_name("ops-check").unwrap();
    let body = SnapshotCreateRequest { name, description: None };
    let op = client
        .create_vps_snapshot()
        .id(payg)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner()
        .operation
        .unwrap();
    wait_job(client, &op.job_id).await;
    assert_eq!(client.list_vps_snapshots().id(payg).send().await.unwrap().into_inner().data.len(), 1);
    let op = client.restore_vps_snapshot().id(payg).snapshot_id("ops-check").send().await.unwrap();
    wait_job(client, &op.into_inner().operation.unwrap().job_id).await;
    let op = client.delete_vps_snapshot().id(payg).snapshot_id("ops-check").send().await.unwrap();
    wait_job(client, &op.into_inner().operation.unwrap().job_id).await;
    let schedule = SnapshotScheduleRequest { enabled: true, interval_hours: 6.0 };
    client.set_vps_snapshot_schedule().id(payg).body(schedule).send().await.unwrap();
    assert!(
        client.get_vps_snapshot_schedule().id(payg).send().await.unwrap().into_inner().schedule.is_some()
    );
    client.delete_vps_snapshot_schedule().id(payg).send().await.unwrap();

    let backups = client.list_vps_backups().id(annual).send().await.unwrap().into_inner();
    let seeded = backups.backups[0].id.clone();
    let op = client.create_vps_backup().id(annual).send().await.unwrap().into_inner().operation.unwrap();
    wait_job(client, &op.job_id).await;
    let op = client.restore_vps_backup().id(annual).backup_id(seeded.as_str()).send().await.unwrap();
    wait_job(client, &op.into_inner().operation.unwrap().job_id).await;
    let sources = client.list_vps_restore_sources().id(monthly).send().await.unwrap().into_inner();
    let source = sources.sources.iter().find(|s| s.id == annual).unwrap();
    let cross =
        CrossVpsRestoreRequest { source_vps_id: annual.into(), backup_id: source.backups[0].id.clone() };
    let op = client.restore_vps_from_other_vps().id(monthly).body(cross).send().await.unwrap();
    wait_job(client, &op.into_inner().operation.unwrap().job_id).await;
    let payg_restore = client
        .restore_vps_backup_to_payg()
        .id(annual)
        .backup_id(seeded.as_str())
        .body(PaygRestoreRequest::builder().name(Some("restored-db".to_string())))
        .send()
        .await
        .unwrap()
        .into_inner();
    wait_job(client, &payg_restore.operation.unwrap().job_id).await;
    client.delete_vps_backup().id(annual).backup_id(seeded.as_str()).send().await.unwrap();

    let plan = BackupPlan::new(BackupCadence::Weekly { day_of_week: 0 }, 3, 2).request().unwrap();
    let set = client.set_vps_backup_schedule().id(annual).body(plan).send().await.unwrap().into_inner();
    let settings = BackupSettingsRequest::builder().auto_delete_oldest(true);
    client.update_vps_backup_settings().id(annual).body(settings).send().await.unwrap();
    assert_eq!(
        client.list_vps_backup_schedules().id(annual).send().await.unwrap().into_inner().schedules.len(),
        1
    );
    client
        .delete_vps_backup_schedule()
        .id(annual)
        .schedule_id(set.schedule.unwrap().id)
        .send()
        .await
        .unwrap();
    assert!(client.list_vps_active_jobs().id(annual).send().await.unwrap().into_inner().jobs.is_empty());
    let cancel = CancelJobRequest { job_type: CancelJobType::Backup };
    assert!(
        !client.cancel_vps_active_job().id(annual).body(cancel).send().await.unwrap().into_inner().cancelled
    );
}

#[tokio::test]
async fn snapshots_use_slots_unique_names_and_expire_on_the_sandbox_clock() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let payg = fleet::PAYG_CLOUD; // one snapshot slot
    c.take_snapshot(payg, "first", None).await.unwrap().wait(&c, fast()).await.unwrap();
    let err = c.take_snapshot(payg, "second", None).await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.action == "canCreate"), "{err:?}");
    assert!(err.to_string().contains("slots (limits.totalSnapshots) are in use"), "{err}");
    // The server itself refuses what the gate says, with the gate's code.
    let body = SnapshotCreateRequest { name: hostup::snapshot_name("second").unwrap(), description: None };
    let err = error(c.create_vps_snapshot().id(payg).body(body).send().await);
    assert_eq!(refusal(&err), (409, "snapshot_limit_reached".into()));

    // No slots at all on the monthly VPS.
    let err = c.take_snapshot(fleet::MONTHLY_SEK, "x", None).await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.action == "canCreate"), "{err:?}");
    assert!(err.to_string().contains("(available: false)"), "{err}");
    let err = c.set_snapshot_schedule(fleet::MONTHLY_SEK, 6.0, true).await.unwrap_err();
    assert!(matches!(err, Error::Blocked(_)));

    sandbox.faults().set_clock_offset(25 * 3600);
    let list = c.list_vps_snapshots().id(payg).send().await.unwrap().into_inner();
    assert!(list.data.is_empty(), "expired after 24 h on the sandbox's clock");
    c.take_snapshot(payg, "first", None).await.unwrap().wait(&c, fast()).await.unwrap();
}

#[tokio::test]
async fn a_restore_puts_the_vps_back_and_a_failed_one_keeps_the_snapshot() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let payg = fleet::PAYG_CLOUD;
    c.take_snapshot(payg, "before", Some("2 cores")).await.unwrap().wait(&c, fast()).await.unwrap();
    let resize = PaygResizeRequest::builder().cpu_cores(4u64).memory_gb(8u64);
    c.resize_payg_vps().id(payg).body(resize).send().await.unwrap();
    assert_eq!(c.get_vps_details().id(payg).send().await.unwrap().into_inner().cpu_cores, 4.0);

    sandbox.faults().set_failing_jobs(true);
    let job = c.restore_snapshot(payg, "before", Destructive::confirm(payg)).await.unwrap();
    let err = job.wait(&c, fast()).await.unwrap_err();
    assert!(matches!(&err, Error::OperationFailed { detail, .. } if detail.contains("failed")), "{err:?}");
    assert_eq!(c.get_vps_details().id(payg).send().await.unwrap().into_inner().cpu_cores, 4.0);
    let list = c.list_vps_snapshots().id(payg).send().await.unwrap().into_inner();
    assert_eq!(list.data[0].name, "before", "the snapshot is kept");

    sandbox.faults().set_failing_jobs(false);
    c.restore_snapshot(payg, "before", Destructive::confirm(payg))
        .await
        .unwrap()
        .wait(&c, fast())
        .await
        .unwrap();
    let details = c.get_vps_details().id(payg).send().await.unwrap().into_inner();
    assert_eq!((details.cpu_cores, details.memory_gb), (2.0, 4.0), "back to the snapshot");
    assert_eq!(assert_bodies_match_the_spec(&sandbox.exchanges()), sandbox.exchanges().len());
}

#[tokio::test]
async fn backups_gates_and_cancellation() {
    // Jobs long enough to still run when the next requests arrive on a loaded machine.
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(700)).start().await;
    let c = sandbox.client();
    let annual = fleet::ANNUAL_SEK; // two backup slots, one used by the seeded backup
    let job = c.take_backup(annual, Some("manual")).await.unwrap();
    let active = c.list_vps_active_jobs().id(annual).send().await.unwrap().into_inner();
    assert_eq!(active.jobs[0].job_type, Some(JobType::Backup));
    // A job in flight closes the gates.
    let err = c.take_backup(annual, None).await.unwrap_err();
    assert!(
        matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("operation_in_progress")),
        "{err:?}"
    );
    let answer = c.cancel_job(annual, CancelJobType::Backup).await.unwrap();
    assert!(answer.cancelled);
    assert!(job.wait(&c, fast()).await.is_err(), "a cancelled job ends failed");
    let answer = c.cancel_job(annual, CancelJobType::Backup).await.unwrap();
    assert_eq!(
        (answer.cancelled, answer.reason.as_deref()),
        (false, Some("No active backup job was found to cancel."))
    );

    c.take_backup(annual, None).await.unwrap().wait(&c, fast()).await.unwrap();
    let err = c.take_backup(annual, None).await.unwrap_err();
    assert!(
        matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("backup_limit_reached")),
        "{err:?}"
    );
    c.set_backup_retention(annual, None, Some(true)).await.unwrap();
    c.take_backup(annual, None).await.unwrap().wait(&c, fast()).await.unwrap();

    let err = c.take_backup(fleet::SUSPENDED, None).await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("service_suspended")), "{err:?}");
    let err = c.take_backup(fleet::MONTHLY_SEK, None).await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("no_backup_slots")), "{err:?}");
}

#[tokio::test]
async fn cross_vps_restore_stops_the_target_and_keeps_its_network() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let (target, source) = (fleet::MONTHLY_SEK, fleet::ANNUAL_SEK);
    let backup = c.list_vps_backups().id(source).send().await.unwrap().into_inner().backups[0].id.clone();
    let before = c.get_vps_details().id(target).send().await.unwrap().into_inner();
    let job = c.restore_backup_from_vps(target, source, &backup, Destructive::confirm(target)).await.unwrap();
    job.wait(&c, fast()).await.unwrap();
    let after = c.get_vps_details().id(target).send().await.unwrap().into_inner();
    assert_eq!(after.power_state, Some(PowerState::Stopped));
    assert_eq!(after.hostname, before.hostname, "its own network configuration");
    let source_os = c.get_vps_details().id(source).send().await.unwrap().into_inner().operating_system;
    assert_eq!(after.operating_system, source_os, "the source's disk");

    let sources = c.list_vps_restore_sources().id(target).send().await.unwrap().into_inner();
    let retained =
        sources.sources.iter().find(|s| s.source_type == Some(RestoreSourceType::Retained)).unwrap();
    assert_eq!(retained.service_status, Some(ServiceStatus::Terminated));
    let err = c
        .restore_backup_from_vps(target, source, "bkp_nope", Destructive::confirm(target))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
}

#[tokio::test]
async fn restore_to_payg_creates_a_billed_vm_and_needs_write_billing() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let annual = fleet::ANNUAL_SEK;
    let backup = c.list_vps_backups().id(annual).send().await.unwrap().into_inner().backups[0].id.clone();
    let request = PaygRestoreRequest::builder()
        .name(Some("db-copy".to_string()))
        .cpu_cores(NonZeroU64::new(2))
        .try_into()
        .unwrap();
    let restore = c.restore_backup_to_payg(annual, &backup, request).await.unwrap();
    restore.job.unwrap().wait(&c, fast()).await.unwrap();
    let new_vm = c.get_vps_details().id(restore.result.vps_id.unwrap()).send().await.unwrap().into_inner();
    assert!(new_vm.billing.is_payg);
    assert_eq!((new_vm.cpu_cores, new_vm.power_state), (2.0, Some(PowerState::Running)));

    // Past the account's PAYG quota (16 cores, 4 taken now): refused before anything is sent.
    let too_big = PaygRestoreRequest::builder().cpu_cores(NonZeroU64::new(15)).try_into().unwrap();
    let err = c.restore_backup_to_payg(annual, &backup, too_big).await.unwrap_err();
    assert!(matches!(&err, Error::QuotaExceeded(q) if q.limit_type == PaygLimitType::CpuCores), "{err:?}");
    let posts = |s: &Sandbox| {
        let restores =
            s.exchanges().into_iter().filter(|e| e.operation.as_deref() == Some("restoreVpsBackupToPayg"));
        restores.count()
    };
    assert_eq!(posts(&sandbox), 1, "only the first restore reached the sandbox");

    let backup_only = sandbox.key_with_scopes(&["read:vm", "backup:vm"]);
    let limited = Client::builder().api_key(backup_only).base_url(sandbox.url()).build().unwrap();
    let request = PaygRestoreRequest::builder().try_into().unwrap();
    let err = limited.restore_backup_to_payg(annual, &backup, request).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn schedules_in_the_sandbox() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let change = c.set_snapshot_schedule(fleet::PAYG_CLOUD, 100.0, true).await.unwrap();
    assert_eq!(change.state.schedule.unwrap()["intervalHours"], 24.0);
    let annual = fleet::ANNUAL_SEK;
    let weekly = BackupPlan::new(BackupCadence::Weekly { day_of_week: 1 }, 3, 2);
    let first = c.set_backup_schedule(annual, &weekly).await.unwrap().schedule.unwrap();
    let again =
        c.set_backup_schedule(annual, &weekly.clone().named("Monday")).await.unwrap().schedule.unwrap();
    assert_eq!(first.id, again.id, "the same frequency replaces the schedule");
    assert_eq!(again.day_specifier.as_deref(), Some("1"));
    let err = c.set_backup_schedule(fleet::MONTHLY_SEK, &weekly).await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.action == "canCreate"), "{err:?}");
}
