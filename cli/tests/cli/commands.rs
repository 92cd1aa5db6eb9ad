//! Each command's behaviour: tables, gates, quotes, commits, power actions, exit codes.

use std::time::Duration;

use hostup_sandbox::{Sandbox, fleet};
use serde_json::Value;

use crate::common::Home;

#[tokio::test]
async fn list_prints_a_table() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let run = home.against(&sandbox, &["vps", "list"]).run().await;
    let header = run.ok().lines().next().unwrap();
    assert!(
        header.starts_with("ID ") && header.contains("BILLING") && header.contains("PER MONTH"),
        "{header}"
    );
    assert!(fleet::ALL.iter().all(|id| run.stdout.contains(id)));
    assert!(run.stdout.contains("PAYG") && run.stdout.contains("fixed, quarterly"), "{}", run.stdout);
    assert!(!run.stdout.contains('\x1b'), "no colour when stdout is a pipe");
}

#[tokio::test]
async fn list_filters_by_status_power_billing_and_name() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let ids = |args: &'static [&'static str]| {
        let run = home.against(&sandbox, &[&["vps", "list", "-o", "json"][..], args].concat());
        async move {
            let list = run.run().await.json();
            list.as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(&["--billing", "payg"]).await, [fleet::PAYG_CLOUD]);
    assert_eq!(ids(&["--status", "suspended"]).await, [fleet::SUSPENDED]);
    let stopped = ids(&["--power", "stopped"]).await;
    assert!(
        stopped.contains(&fleet::QUARTERLY_EUR.to_string())
            && !stopped.contains(&fleet::MONTHLY_SEK.to_string())
    );
    let fixed = ids(&["--billing", "fixed"]).await;
    assert_eq!(fixed.len(), fleet::ALL.len() - 1);
    let all = home.against(&sandbox, &["vps", "list", "-o", "json"]).run().await.json();
    let name = all[1]["name"].as_str().unwrap().to_uppercase();
    let by_name = home.against(&sandbox, &["vps", "list", "-o", "json", "--name", &name]).run().await.json();
    assert_eq!(by_name.as_array().unwrap().len(), 1, "names match case-insensitively");
    assert_eq!(by_name[0]["id"], all[1]["id"]);
    let none = home.against(&sandbox, &["vps", "list", "--status", "nosuchstatus"]).run().await;
    assert_eq!(none.ok().lines().count(), 1, "only the header: {}", none.stdout);
}

#[tokio::test]
async fn show_names_the_gates() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let run = home.against(&sandbox, &["vps", "show", fleet::BLOCKED]).run().await;
    assert!(run.ok().contains("still being processed. (pending_order)"), "{}", run.stdout);
}

#[tokio::test]
async fn preview_then_commit_changes_the_vps() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let id = fleet::MONTHLY_SEK;
    let quote = home
        .against(&sandbox, &["-o", "json", "vps", "preview", id, "--set", "bandwidthGb=4096"])
        .run()
        .await
        .json();
    assert_eq!(quote["dryRun"], true, "the spec's ResourceChangeResult: {quote}");
    assert_eq!(quote["actions"]["canCommit"]["allowed"], true);
    assert_eq!(quote["priceChange"]["currencyCode"], "SEK");

    let run =
        home.against(&sandbox, &["vps", "commit", id, "--set", "bandwidthGb=4096", "--yes"]).run().await;
    assert!(run.ok().contains("committed  yes"), "{}", run.stdout);
    let details = home.against(&sandbox, &["-o", "json", "vps", "show", id]).run().await.json();
    assert_eq!(details["bandwidth"]["limitGb"], 4096.0);
}

#[tokio::test]
async fn blocked_commits_exit_3_until_the_invoice_may_be_cancelled() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let suspended = home
        .against(&sandbox, &["vps", "commit", fleet::SUSPENDED, "--set", "snapshotSlots=2", "-y"])
        .run()
        .await;
    assert_eq!(suspended.code, 3, "{}", suspended.stderr);
    assert!(suspended.stderr.contains("suspended for non-payment"), "{}", suspended.stderr);

    let args = ["vps", "commit", fleet::OVERDUE, "--set", "snapshotSlots=2", "--yes"];
    let refused = home.against(&sandbox, &args).run().await;
    assert_eq!(refused.code, 3, "{}", refused.stderr);
    assert!(refused.stderr.contains("existing_invoice_blocking") && refused.stderr.contains("[request req_"));
    assert_eq!(refused.stderr.lines().count(), 1, "one line: {}", refused.stderr);
    let cancelled = home.against(&sandbox, &[&args[..], &["--cancel-existing-invoice"]].concat()).run().await;
    assert_eq!(cancelled.code, 0, "{}", cancelled.stderr);
}

#[tokio::test]
async fn an_unknown_id_exits_1_with_the_request_id() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let run = home.against(&sandbox, &["vps", "show", "vps_doesnotexist"]).run().await;
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: HostUp API error 404 (vps_not_found)"), "{}", run.stderr);
    assert!(run.stderr.contains("[request req_"), "{}", run.stderr);
}

#[tokio::test]
async fn power_actions_wait_with_progress_lines_and_respect_gates() {
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(1000)).start().await;
    let home = Home::new();
    let run = home.against(&sandbox, &["vps", "restart", fleet::MONTHLY_SEK, "--wait"]).run().await;
    assert!(run.ok().contains("power   running"), "{}", run.stdout);
    assert!(run.stderr.contains("(poll 1)"), "progress lines on stderr: {}", run.stderr);
    let quiet = home.against(&sandbox, &["vps", "restart", fleet::MONTHLY_SEK, "--wait", "-q"]).run().await;
    assert!(quiet.ok().contains("running") && quiet.stderr.is_empty(), "--quiet: {}", quiet.stderr);

    let blocked = home.against(&sandbox, &["vps", "restart", fleet::SUSPENDED]).run().await;
    assert_eq!(blocked.code, 3, "{}", blocked.stderr);
    assert!(blocked.stderr.contains("canRestart is not allowed (service_suspended)"), "{}", blocked.stderr);

    let started =
        home.against(&sandbox, &["-o", "json", "vps", "start", fleet::QUARTERLY_EUR]).run().await.json();
    assert!(started["jobId"].as_str().unwrap().starts_with("job_"), "the spec's Operation: {started}");
    let args = ["vps", "stop", fleet::MONTHLY_SEK, "--wait", "--timeout", "0", "--yes"];
    let timed_out = home.against(&sandbox, &args).run().await;
    assert_eq!(timed_out.code, 4, "{}", timed_out.stderr);
}

#[tokio::test]
async fn configuration_and_usage_errors_exit_2_and_transport_5() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let no_key = home.hostup(&["vps", "list"]).env("HOSTUP_BASE_URL", sandbox.url()).run().await;
    assert_eq!(no_key.code, 2);
    assert!(
        no_key.stderr.contains("hostup context create") && no_key.stderr.contains("--sandbox"),
        "{}",
        no_key.stderr
    );

    let no_set = home.against(&sandbox, &["vps", "preview", fleet::MONTHLY_SEK]).run().await;
    assert_eq!(no_set.code, 2);
    let bad_value = home
        .against(&sandbox, &["vps", "preview", fleet::MONTHLY_SEK, "--set", "bandwidthGb=5000"])
        .run()
        .await;
    assert_eq!(bad_value.code, 2, "{}", bad_value.stderr);
    assert!(bad_value.stderr.contains("not on the step"), "{}", bad_value.stderr);
    let bad_format = home.against(&sandbox, &["vps", "list", "-o", "xml"]).run().await;
    assert_eq!(bad_format.code, 2, "{}", bad_format.stderr);

    let unreachable = home
        .hostup(&["vps", "list"])
        .env("HOSTUP_BASE_URL", "http://127.0.0.1:9")
        .env("HOSTUP_API_KEY", "key")
        .run()
        .await;
    assert_eq!(unreachable.code, 5, "{}", unreachable.stderr);
}

#[tokio::test]
async fn sandbox_flag_needs_no_environment() {
    let home = Home::new();
    let run = home.hostup(&["--sandbox", "vps", "show", fleet::PAYG_CLOUD]).run().await;
    assert!(run.ok().contains("PAYG"), "{}", run.stdout);
    let version = home.hostup(&["--version"]).run().await;
    assert!(version.ok().starts_with("hostup "), "{}", version.stdout);
    let _: Value = home.hostup(&["--sandbox", "-o", "json", "vps", "list"]).run().await.json();
}
