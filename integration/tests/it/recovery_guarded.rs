//! The guarded change against scripted servers: success, failure rolled back, failure with the
//! rollback only offered, a rollback that fails too (both errors kept, nothing retried), and a
//! refused snapshot that means the change never runs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hostup::{Destructive, Error, GuardStep, GuardedChange, Rollback};

use crate::recovery_helpers::{accepted, blocked_on, calls, fast, job, open, snapshots};
use crate::support::*;

const V: &str = VPS_ID;

fn guarded_start() -> Vec<Reply> {
    vec![snapshots(&[], 3, open()), accepted("job_s"), job("completed", "")]
}

#[tokio::test]
async fn a_guarded_change_that_succeeds() {
    let s = ScriptServer::start(guarded_start()).await;
    let report = GuardedChange::new(V, "guard").run(&client(&s.base), async { Ok(42) }).await.unwrap();
    assert_eq!(report.steps, [GuardStep::SnapshotTaken("guard".into()), GuardStep::ChangeSucceeded]);
    assert_eq!(report.outcome.unwrap(), 42);
    assert_eq!(s.count(), 3);
}

#[tokio::test]
async fn a_failed_change_is_rolled_back_when_asked() {
    let mut replies = guarded_start();
    replies.extend([snapshots(&["guard"], 3, open()), accepted("job_r"), job("completed", "")]);
    let s = ScriptServer::start(replies).await;
    let change = async { Err::<(), _>(Error::InvalidRequest("the upgrade broke nginx".into())) };
    let report = GuardedChange::new(V, "guard")
        .roll_back_on_failure(Destructive::confirm(V))
        .wait_options(fast())
        .run(&client(&s.base), change)
        .await
        .unwrap();
    assert!(
        matches!(report.steps.as_slice(), [GuardStep::SnapshotTaken(_), GuardStep::ChangeFailed(e), GuardStep::RolledBack(_)] if e.contains("nginx"))
    );
    let failure = report.outcome.unwrap_err();
    assert!(matches!(failure.rollback, Rollback::Done));
    assert_eq!(calls(&s)[4], format!("POST /api/v2/vps/{V}/snapshots/guard/actions/restore"));
}

#[tokio::test]
async fn a_failed_change_without_the_option_only_offers_the_rollback() {
    let s = ScriptServer::start(guarded_start()).await;
    let c = client(&s.base);
    let report = GuardedChange::new(V, "guard")
        .wait_options(fast())
        .run(&c, async { Err::<(), _>(Error::InvalidRequest("boom".into())) })
        .await
        .unwrap();
    assert_eq!(report.steps.last(), Some(&GuardStep::RollbackOffered("guard".into())));
    assert_eq!(s.count(), 3, "nothing after the change");
    let Rollback::Offered(offer) = report.outcome.unwrap_err().rollback else { panic!("no offer") };
    assert_eq!((offer.vps_id.as_str(), offer.snapshot.as_str()), (V, "guard"));
}

#[tokio::test]
async fn a_failed_rollback_reports_both_failures() {
    let mut replies = guarded_start();
    replies.extend([
        snapshots(&["guard"], 3, open()),
        accepted("job_r"),
        job("failed", "restore target busy"),
    ]);
    let s = ScriptServer::start(replies).await;
    let report = GuardedChange::new(V, "guard")
        .roll_back_on_failure(Destructive::confirm(V))
        .wait_options(fast())
        .run(&client(&s.base), async { Err::<(), _>(Error::InvalidRequest("plan change refused".into())) })
        .await
        .unwrap();
    let failure = report.outcome.unwrap_err();
    let text = failure.to_string();
    assert!(text.contains("plan change refused") && text.contains("restore target busy"), "{text}");
    assert!(matches!(failure.rollback, Rollback::Failed(Error::OperationFailed { .. })));
    assert_eq!(calls(&s).iter().filter(|c| c.contains("actions/restore")).count(), 1, "no silent retry");
}

#[tokio::test]
async fn a_refused_snapshot_means_the_change_never_runs() {
    let s = ScriptServer::start(vec![snapshots(&["a"], 1, open())]).await;
    let ran = Arc::new(AtomicBool::new(false));
    let flag = ran.clone();
    let err = GuardedChange::new(V, "guard")
        .run(&client(&s.base), async move {
            flag.store(true, Ordering::SeqCst);
            Ok(())
        })
        .await
        .unwrap_err();
    assert_eq!(blocked_on(&err), "canCreate");
    assert!(err.to_string().contains("limits.totalSnapshots"), "{err}");
    assert!(!ran.load(Ordering::SeqCst));
    let err = GuardedChange::new(V, "guard")
        .roll_back_on_failure(Destructive::confirm("vps_other"))
        .run(&client(&s.base), async { Ok(()) })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
}
