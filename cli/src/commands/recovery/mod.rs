//! `hostup vps snapshot|snapshot-schedule|backup|backup-schedule|jobs`: one file per group, each a
//! few `RecoveryExt` calls (which check gates and quotas before sending) and a print. What the
//! groups share lives here: the confirmation, `--wait`, a job's record, and gate summaries.

mod backup;
mod backup_schedule;
mod jobs;
mod snapshot;
mod snapshot_schedule;

use std::time::Duration;

use hostup::types::{ActionGate, OperationStatus};
use hostup::{Client, RecoveryJob, WaitOptions};
use serde_json::Value;

use super::Session;
use crate::args::recovery::{Recovery, Wait};
use crate::confirm::{Confirmation, Risk};
use crate::failure::Failure;
use crate::output::progress::Waiting;
use crate::output::{RedactedJson, redacted};

/// Runs one recovery command.
pub async fn run(client: &Client, session: &Session, command: &Recovery) -> Result<(), Failure> {
    match command {
        Recovery::Snapshot(c) => snapshot::run(client, session, c).await,
        Recovery::SnapshotSchedule(c) => snapshot_schedule::run(client, session, c).await,
        Recovery::Backup(c) => backup::run(client, session, c).await,
        Recovery::BackupSchedule(c) => backup_schedule::run(client, session, c).await,
        Recovery::Jobs(c) => jobs::run(client, session, c).await,
    }
}

/// Asks before a destructive step (or takes `--yes`).
fn confirm(session: &Session, what: &str, consequence: &str, risk: Risk) -> Result<(), Failure> {
    Confirmation { what, consequence, risk }.ask(session.yes)
}

/// A restore overwrites data for good: type the VPS's id to confirm.
fn typed(id: &str) -> Risk {
    Risk::Irreversible(vec![id.to_string()])
}

/// Waits for `job` when `--wait` asks, with progress on stderr; the status to print.
async fn finish(
    client: &Client,
    session: &Session,
    job: &RecoveryJob,
    wait: &Wait,
) -> Result<String, Failure> {
    let accepted = job.operation.as_ref().map_or("accepted".into(), |o| o.status.to_string());
    if !wait.wait {
        return Ok(accepted);
    }
    let what = if job.target.is_empty() {
        format!("{} of {}", job.kind, job.vps_id)
    } else {
        format!("{} {} of {}", job.kind, job.target, job.vps_id)
    };
    let waiting = Waiting::start(session.progress, &what);
    let options = WaitOptions::default()
        .with_max_wait(Duration::from_secs(wait.timeout))
        .on_progress(waiting.callback());
    let waited = job.wait(client, options).await;
    waiting.finish();
    waited?;
    session.progress.note(&format!("{what}: completed"));
    Ok("completed".into())
}

/// Prints an accepted (or finished) job: a table of its fields, or the spec's `Operation` the
/// server accepted (its `status` is `completed` once `--wait` saw the job complete).
fn print_job(session: &Session, job: &RecoveryJob, status: &str) -> Result<(), Failure> {
    let mut operation = job.operation.clone();
    if let Some(op) = operation.as_mut().filter(|_| status == "completed") {
        op.status = OperationStatus::Completed;
    }
    let json = operation.as_ref().map_or(RedactedJson(Value::Null), redacted);
    let mut fields = vec![("vps", job.vps_id.clone()), ("action", job.kind.to_string())];
    if !job.target.is_empty() {
        fields.push(("target", job.target.clone()));
    }
    fields.push(("job", job.operation.as_ref().map_or("-".into(), |o| o.job_id.clone())));
    fields.push(("status", status.to_string()));
    session.printer.record(&json, &fields)
}

/// `canCreate allowed`, `canRestore blocked (pending_order): Pending order.`
fn gate_line(name: &str, gate: &ActionGate) -> String {
    if gate.allowed {
        return format!("{name} allowed");
    }
    let code = gate.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
    format!("{name} blocked{code}: {}", gate.reason.as_deref().unwrap_or("no reason given"))
}

/// The gates the server reported, one phrase each, for a note on stderr.
fn gate_summary<'a>(gates: impl Iterator<Item = (&'static str, Option<&'a ActionGate>)>) -> Option<String> {
    let lines: Vec<String> = gates.filter_map(|(name, gate)| gate.map(|g| gate_line(name, g))).collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

/// A cell for an optional value.
fn cell<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".into(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_read_as_phrases() {
        let open = ActionGate { allowed: true, reason: None, code: None };
        let closed = ActionGate {
            allowed: false,
            reason: Some("Pending order.".into()),
            code: Some("pending_order".into()),
        };
        assert_eq!(gate_line("canCreate", &open), "canCreate allowed");
        assert_eq!(gate_line("canRestore", &closed), "canRestore blocked (pending_order): Pending order.");
        let summary = gate_summary([("canCreate", Some(&open)), ("canX", None)].into_iter());
        assert_eq!(summary.as_deref(), Some("canCreate allowed"), "absent gates are left out");
        assert_eq!(gate_summary(std::iter::empty()), None);
    }
}
