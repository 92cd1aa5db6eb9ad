//! The `hostup` binary as a script would run it: a child process pointed at a sandbox started in
//! this test process through `HOSTUP_BASE_URL` and `HOSTUP_API_KEY`, checked on its stdout, stderr
//! and exit code.

use std::process::{Command, Output};
use std::time::Duration;

use hostup_sandbox::{Sandbox, fleet};
use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `hostup args..` against `base_url` with `key`, off the runtime so the sandbox keeps serving.
async fn hostup_with(base_url: &str, key: Option<&str>, args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hostup"));
    command.args(args).env_remove("HOSTUP_API_KEY").env("HOSTUP_BASE_URL", base_url);
    if let Some(key) = key {
        command.env("HOSTUP_API_KEY", key);
    }
    let output: Output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

async fn hostup(sandbox: &Sandbox, args: &[&str]) -> Run {
    hostup_with(sandbox.url(), Some(sandbox.api_key()), args).await
}

fn json(run: &Run) -> Value {
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

#[tokio::test]
async fn list_prints_a_table_or_json() {
    let sandbox = Sandbox::start().await;
    let run = hostup(&sandbox, &["vps", "list"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap();
    assert!(
        header.starts_with("ID ") && header.contains("BILLING") && header.contains("PER MONTH"),
        "{header}"
    );
    assert!(fleet::ALL.iter().all(|id| run.stdout.contains(id)));
    assert!(run.stdout.contains("PAYG") && run.stdout.contains("fixed, quarterly"), "{}", run.stdout);

    let list = json(&hostup(&sandbox, &["vps", "list", "--json"]).await);
    assert_eq!(list.as_array().unwrap().len(), fleet::ALL.len());
    assert_eq!(list[0]["id"], fleet::PAYG_CLOUD);
}

#[tokio::test]
async fn show_names_the_gates_and_never_prints_the_root_password() {
    let sandbox = Sandbox::start().await;
    let run = hostup(&sandbox, &["vps", "show", fleet::BLOCKED]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("still being processed. (pending_order)"), "{}", run.stdout);

    let details = json(&hostup(&sandbox, &["--json", "vps", "show", fleet::MONTHLY_SEK]).await);
    assert_eq!(details["id"], fleet::MONTHLY_SEK);
    assert_eq!(details["access"]["rootPassword"], "[redacted]");
}

#[tokio::test]
async fn preview_then_commit_changes_the_vps() {
    let sandbox = Sandbox::start().await;
    let id = fleet::MONTHLY_SEK;
    let quote = json(&hostup(&sandbox, &["--json", "vps", "preview", id, "--set", "bandwidthGb=4096"]).await);
    assert_eq!(
        (quote["canCommit"].clone(), quote["currency"].clone()),
        (Value::Bool(true), Value::from("SEK"))
    );
    assert_eq!(quote["resources"]["bandwidthGb"], 4096, "the value is sent as a number");

    let run = hostup(&sandbox, &["vps", "commit", id, "--set", "bandwidthGb=4096"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("committed  yes"), "{}", run.stdout);
    let details = json(&hostup(&sandbox, &["--json", "vps", "show", id]).await);
    assert_eq!(details["bandwidth"]["limitGb"], 4096.0);
}

#[tokio::test]
async fn blocked_commits_exit_3_until_the_invoice_may_be_cancelled() {
    let sandbox = Sandbox::start().await;
    let suspended = hostup(&sandbox, &["vps", "commit", fleet::SUSPENDED, "--set", "snapshotSlots=2"]).await;
    assert_eq!(suspended.code, 3, "{}", suspended.stderr);
    assert!(suspended.stderr.contains("suspended for non-payment"), "{}", suspended.stderr);

    let args = ["vps", "commit", fleet::OVERDUE, "--set", "snapshotSlots=2"];
    let refused = hostup(&sandbox, &args).await;
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains("existing_invoice_blocking") && refused.stderr.contains("[request req_"));
    assert_eq!(refused.stderr.lines().count(), 1, "one line: {}", refused.stderr);
    let cancelled = hostup(&sandbox, &[&args[..], &["--cancel-existing-invoice"]].concat()).await;
    assert_eq!(cancelled.code, 0, "{}", cancelled.stderr);
}

#[tokio::test]
async fn an_unknown_id_exits_1_with_the_request_id() {
    let sandbox = Sandbox::start().await;
    let run = hostup(&sandbox, &["vps", "show", "vps_doesnotexist"]).await;
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: HostUp API error 404 (vps_not_found)"), "{}", run.stderr);
    assert!(run.stderr.contains("[request req_"), "{}", run.stderr);
}

#[tokio::test]
async fn power_actions_wait_with_progress_and_respect_gates() {
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(1000)).start().await;
    let run = hostup(&sandbox, &["vps", "restart", fleet::MONTHLY_SEK, "--wait"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("done: running"), "{}", run.stdout);
    assert!(run.stderr.contains("(poll 1)"), "progress on stderr: {}", run.stderr);

    let blocked = hostup(&sandbox, &["vps", "restart", fleet::SUSPENDED]).await;
    assert_eq!(blocked.code, 3, "{}", blocked.stderr);
    assert!(blocked.stderr.contains("canRestart is not allowed (service_suspended)"), "{}", blocked.stderr);

    let started = json(&hostup(&sandbox, &["--json", "vps", "start", fleet::QUARTERLY_EUR]).await);
    assert_eq!(started["status"], "accepted");
    let timed_out = hostup(&sandbox, &["vps", "stop", fleet::MONTHLY_SEK, "--wait", "--timeout", "0"]).await;
    assert_eq!(timed_out.code, 4, "{}", timed_out.stderr);
}

#[tokio::test]
async fn configuration_and_usage_errors_exit_2_and_transport_5() {
    let sandbox = Sandbox::start().await;
    let no_key = hostup_with(sandbox.url(), None, &["vps", "list"]).await;
    assert_eq!(no_key.code, 2);
    assert!(
        no_key.stderr.contains("HOSTUP_API_KEY") && no_key.stderr.contains("--sandbox"),
        "{}",
        no_key.stderr
    );

    let no_set = hostup(&sandbox, &["vps", "preview", fleet::MONTHLY_SEK]).await;
    assert_eq!(no_set.code, 2);
    let bad_value =
        hostup(&sandbox, &["vps", "preview", fleet::MONTHLY_SEK, "--set", "bandwidthGb=5000"]).await;
    assert_eq!(bad_value.code, 2, "{}", bad_value.stderr);
    assert!(bad_value.stderr.contains("not on the step"), "{}", bad_value.stderr);

    let unreachable = hostup_with("http://127.0.0.1:9", Some("key"), &["vps", "list"]).await;
    assert_eq!(unreachable.code, 5, "{}", unreachable.stderr);
}

#[tokio::test]
async fn sandbox_flag_needs_no_environment() {
    let run =
        hostup_with("http://unused.invalid", None, &["--sandbox", "vps", "show", fleet::PAYG_CLOUD]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("PAYG"), "{}", run.stdout);
}
