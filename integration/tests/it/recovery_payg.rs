//! Restoring a backup onto a new PAYG VM against scripted servers: checked as a deployment is
//! before anything is sent (the backup's gate, the account's Cloud access, the PAYG quota with
//! sizes the source VPS and the backup fill in), sent once, and the server's 403 naming blockers.

use hostup::prelude::*;
use hostup::types::{PaygBlockerReason, PaygLimitType, PaygRestoreRequest};
use hostup::{Error, QuotaExceeded};
use serde_json::{Value, json};

use crate::recovery_helpers::{backup_gates, backups, blocked_on, calls, closed, ok};
use crate::support::*;

const V: &str = VPS_ID;

/// The deployment options, with the account's blockers.
fn options(blockers: &[&str]) -> Reply {
    let mut value = fixture_json("getPaygDeploymentOptions.200");
    value["access"]["blockerReasons"] = json!(blockers);
    ok(value)
}

/// The source VPS's details with this much memory (the fixture: 2 cores, 4 GB, 80 GB).
fn source(memory_gb: u64) -> Reply {
    let mut value = fixture_json("getVpsDetails.200");
    value["memoryGb"] = json!(memory_gb);
    ok(value)
}

/// The fixture's PAYG limits: 12 cores, 56 GB of memory, 880 GB of storage, 8 VMs remain.
fn limits() -> Reply {
    ok(fixture_json("getPaygLimits.200"))
}

/// Only the name and the cores: memory comes from the source VPS, storage from the backup.
fn request(cpu: u64) -> PaygRestoreRequest {
    PaygRestoreRequest {
        memory_gb: None,
        storage_gb: None,
        cpu_cores: std::num::NonZeroU64::new(cpu),
        ..full()
    }
}

/// Every size given: nothing is read from the source VPS.
fn full() -> PaygRestoreRequest {
    PaygRestoreRequest::builder()
        .name(Some("db-copy".to_string()))
        .cpu_cores(std::num::NonZeroU64::new(2))
        .memory_gb(std::num::NonZeroU64::new(4))
        .storage_gb(std::num::NonZeroU64::new(80))
        .try_into()
        .unwrap()
}

fn quota(err: &Error) -> &QuotaExceeded {
    match err {
        Error::QuotaExceeded(q) => q,
        other => panic!("not a quota refusal: {other:?}"),
    }
}

#[tokio::test]
async fn restore_to_payg_checks_then_returns_the_new_vm_and_its_job() {
    let answer = json!({"vpsId": "vps_new", "operation": {"status": "queued", "jobId": "job_p", "pollUrl": "/api/jobs/job_p"}});
    let replies =
        vec![backups(backup_gates()), options(&[]), source(4), limits(), json(202, &answer.to_string())];
    let s = ScriptServer::start(replies).await;
    let restore = client(&s.base).restore_backup_to_payg(V, "bkp_1", request(2)).await.unwrap();
    assert_eq!(restore.result.vps_id.as_deref(), Some("vps_new"));
    assert_eq!(restore.job.unwrap().target, "vps_new");
    assert_eq!(
        calls(&s),
        [
            format!("GET /api/v2/vps/{V}/backups"),
            "GET /api/v2/vps/payg/deployments".into(),
            format!("GET /api/v2/vps/{V}/details"),
            "GET /api/v2/vps/payg/limits".into(),
            format!("POST /api/v2/vps/{V}/backups/bkp_1/actions/restore-to-payg"),
        ]
    );
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[4].body).unwrap(),
        json!({"name": "db-copy", "cpuCores": 2}),
        "only what was asked is sent; the server fills in the rest"
    );
}

#[tokio::test]
async fn a_restore_past_the_payg_quota_is_refused_before_sending() {
    // Asked for: 14 cores, 12 remain.
    let s = ScriptServer::start(vec![backups(backup_gates()), options(&[]), source(4), limits()]).await;
    let err = client(&s.base).restore_backup_to_payg(V, "bkp_1", request(14)).await.unwrap_err();
    let q = quota(&err);
    assert_eq!(
        (q.limit_type.clone(), q.requested, q.remaining, q.max),
        (PaygLimitType::CpuCores, 14, 12, 16)
    );
    assert!(err.to_string().contains("limit request"), "{err}");
    assert_eq!(s.count(), 4, "nothing was posted");

    // Memory left out: the source's 64 GB are copied, 56 remain.
    let s = ScriptServer::start(vec![backups(backup_gates()), options(&[]), source(64), limits()]).await;
    let err = client(&s.base).restore_backup_to_payg(V, "bkp_1", request(2)).await.unwrap_err();
    assert_eq!((quota(&err).limit_type.clone(), quota(&err).requested), (PaygLimitType::MemoryGb, 64));

    // Storage left out: the VM holds at least the backup (900.4 GB, so 901), 880 remain; cores
    // and memory given, so the source is not read.
    let list = ok(json!({"backups": [{"id": "bkp_1", "sizeGb": 900.4}], "actions": backup_gates()}));
    let s = ScriptServer::start(vec![list, options(&[]), limits()]).await;
    let asked = PaygRestoreRequest { storage_gb: None, ..full() };
    let err = client(&s.base).restore_backup_to_payg(V, "bkp_1", asked).await.unwrap_err();
    assert_eq!((quota(&err).limit_type.clone(), quota(&err).requested), (PaygLimitType::StorageGb, 901));
    assert_eq!(s.count(), 3);
}

#[tokio::test]
async fn a_closed_gate_or_an_account_blocker_refuses_before_sending() {
    let mut gates = backup_gates();
    gates["canRestore"] = closed("canRestore")["canRestore"].clone();
    let s = ScriptServer::start(vec![backups(gates)]).await;
    let err = client(&s.base).restore_backup_to_payg(V, "bkp_1", full()).await.unwrap_err();
    assert_eq!(blocked_on(&err), "canRestore");
    assert!(err.to_string().contains("pending_order"), "{err}");
    assert_eq!(s.count(), 1);

    let s = ScriptServer::start(vec![backups(backup_gates()), options(&["not_verified"])]).await;
    let err = client(&s.base).restore_backup_to_payg(V, "bkp_1", full()).await.unwrap_err();
    assert_eq!(blocked_on(&err), hostup::gates::PaygDeploymentGate::Deploy.gate_name());
    assert_eq!(err.blocker_reasons(), [PaygBlockerReason::NotVerified]);
    assert_eq!(s.count(), 2, "nothing was posted");
}

#[tokio::test]
async fn a_restore_whose_answer_never_arrived_is_unconfirmed_and_not_sent_again() {
    let replies = vec![backups(backup_gates()), options(&[]), limits(), Reply::Close, Reply::Close];
    let s = ScriptServer::start(replies).await;
    let err = client(&s.base).restore_backup_to_payg(V, "bkp_1", full()).await.unwrap_err();
    assert!(matches!(&err, Error::Unconfirmed(u) if u.look_for.as_deref() == Some("db-copy")), "{err:?}");
    assert!(err.to_string().contains("db-copy") && err.may_have_reached_server(), "{err}");
    assert_eq!(calls(&s).iter().filter(|c| c.starts_with("POST")).count(), 1, "sent once");
}

#[tokio::test]
async fn the_servers_403_names_the_payg_blockers_as_a_deployments_does() {
    let replies = vec![
        backups(backup_gates()),
        options(&[]),
        limits(),
        json(403, &fixture("restoreVpsBackupToPayg.403")),
    ];
    let s = ScriptServer::start(replies).await;
    let err = client(&s.base).restore_backup_to_payg(V, "bkp_1", full()).await;
    let err = err.map(|_| ()).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    // The spec's 403 of this operation is the PAYG blocker answer, so its example carries them.
    assert_eq!(err.blocker_reasons(), [PaygBlockerReason::NotVerified, PaygBlockerReason::NoCloudAccess]);
}
