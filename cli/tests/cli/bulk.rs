//! Bulk actions: ids on the command line, on stdin, or every VPS matching the filters; a
//! per-VPS result table; a non-zero exit when any VPS failed; one rate-limit budget.

use std::time::Duration;

use hostup_sandbox::{Sandbox, fleet};
use serde_json::Value;

use crate::common::Home;

#[tokio::test]
async fn a_failing_vps_is_reported_in_its_row_and_fails_the_run() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let run = home.against(&sandbox, &["vps", "restart", fleet::MONTHLY_SEK, fleet::SUSPENDED]).run().await;
    assert_eq!(run.code, 3, "the first failure's code (a closed gate): {}", run.stderr);
    let rows: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(rows.len(), 3, "{}", run.stdout);
    assert!(rows[1].starts_with(fleet::MONTHLY_SEK) && rows[1].contains(" ok "), "{}", rows[1]);
    assert!(rows[2].starts_with(fleet::SUSPENDED) && rows[2].contains(" failed "), "{}", rows[2]);
    assert!(rows[2].contains("service_suspended"), "the reason: {}", rows[2]);
    assert!(run.stderr.contains("1 of 2 failed"), "{}", run.stderr);

    let json = home
        .against(&sandbox, &["-o", "json", "vps", "restart", fleet::SUSPENDED, fleet::ANNUAL_SEK])
        .run()
        .await;
    assert_eq!(json.code, 3);
    let rows: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!((rows[0]["ok"].clone(), rows[0]["exitCode"].clone()), (Value::Bool(false), Value::from(3)));
    assert!(rows[0]["error"].as_str().unwrap().contains("service_suspended"));
    assert_eq!(rows[1]["ok"], true);
    assert!(rows[1]["result"]["jobId"].is_string(), "{rows}");
}

#[tokio::test]
async fn ids_come_from_stdin_and_filters_pick_the_targets() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let ids = home
        .against(&sandbox, &["vps", "list", "--power", "running", "-o", "columns=id", "--no-header"])
        .run()
        .await;
    let running: Vec<&str> = ids.ok().lines().collect();
    assert!(running.len() >= 3, "{}", ids.stdout);
    let piped = home
        .against(&sandbox, &["-o", "json", "vps", "preview", "-", "--set", "bandwidthGb=4096"])
        .stdin(&format!("{}\n{}\n\n", fleet::MONTHLY_SEK, fleet::MONTHLY_SEK))
        .run()
        .await
        .json();
    assert_eq!(piped.as_array().unwrap().len(), 1, "duplicates are acted on once: {piped}");

    let payg = home
        .against(&sandbox, &["-o", "json", "vps", "shutdown", "--all-matching", "--billing", "payg"])
        .run()
        .await;
    let payg = payg.json();
    assert_eq!(payg.as_array().unwrap().len(), 1);
    assert_eq!(payg[0]["vpsId"], fleet::PAYG_CLOUD);
    assert!(payg[0]["name"].is_string(), "--all-matching knows the names: {payg}");

    let nothing =
        home.against(&sandbox, &["vps", "start", "--all-matching", "--name", "no-such-vps"]).run().await;
    assert_eq!(nothing.code, 2, "{}", nothing.stderr);
    let empty = home.against(&sandbox, &["vps", "start", "-"]).stdin("").run().await;
    assert_eq!(empty.code, 2, "{}", empty.stderr);
    let filter_alone =
        home.against(&sandbox, &["vps", "start", fleet::MONTHLY_SEK, "--billing", "payg"]).run().await;
    assert_eq!(filter_alone.code, 2, "filters need --all-matching: {}", filter_alone.stderr);
}

#[tokio::test]
async fn many_vpses_share_one_rate_limit_budget() {
    let budget = 6;
    let sandbox = Sandbox::builder()
        .rate_limit(budget, Duration::from_secs(1))
        .job_duration(Duration::from_millis(50))
        .start()
        .await;
    let home = Home::new();
    let args = [
        "vps",
        "restart",
        "--all-matching",
        "--status",
        "active",
        "--power",
        "running",
        "--wait",
        "-o",
        "json",
    ];
    let rows = home.against(&sandbox, &args).run().await.json();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 3 && rows.iter().all(|r| r["ok"] == true), "{rows:?}");
    assert!(rows.iter().all(|r| r["result"]["powerState"] == "running"), "waited for each: {rows:?}");
    let stats = sandbox.stats();
    assert!(stats.requests > budget, "more requests than one window allows: {stats:?}");
}

#[tokio::test]
async fn destructive_bulk_actions_need_yes_without_a_terminal() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let refused =
        home.against(&sandbox, &["vps", "stop", "--all-matching", "--power", "running"]).run().await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("add --yes") && refused.stderr.contains("VPSes ("), "{}", refused.stderr);
    let still =
        home.against(&sandbox, &["-o", "json", "vps", "list", "--power", "running"]).run().await.json();
    assert!(still.as_array().unwrap().len() >= 3, "nothing was stopped");

    let args = ["vps", "stop", fleet::MONTHLY_SEK, fleet::ANNUAL_SEK, "--yes", "--wait"];
    let stopped = home.against(&sandbox, &args).run().await;
    assert!(
        stopped.ok().lines().skip(1).all(|row| row.contains(" ok ") && row.contains("stopped")),
        "{}",
        stopped.stdout
    );
}
