//! Creating and ending VPSes from the shell: `vps create|rebuild|templates|convert-to-cloud|
//! cancel|cancellation|maintenance`, `payg` and `products`, as processes against a sandbox.

use std::time::Duration;

use hostup_sandbox::{Sandbox, fleet};

use crate::common::Home;

async fn sandbox() -> Sandbox {
    Sandbox::builder().job_duration(Duration::from_millis(50)).start().await
}

#[tokio::test]
async fn create_answers_at_once_or_waits_until_the_vps_runs() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let args =
        ["vps", "create", "--name", "web-01", "--cpu", "2", "--memory", "4", "--storage", "80", "-o", "json"];
    let created = home.against(&sandbox, &args).run().await.json();
    assert_eq!(created["status"], "provisioning");
    let id = created["vpsId"].as_str().unwrap().to_string();
    let listed =
        home.against(&sandbox, &["vps", "list", "--name", "web-01", "-o", "json"]).run().await.json();
    assert_eq!(listed[0]["id"], id.as_str());

    // Sizes default to the account's; --wait follows it, with progress on stderr.
    let run = home.against(&sandbox, &["vps", "create", "--name", "web-02", "--wait"]).run().await;
    let out = run.ok();
    assert!(out.contains("running") && out.contains("2 vCPU, 4 GB memory, 80 GB storage"), "{out}");
    assert!(out.contains("SEK per month"), "{out}");
    assert!(run.stderr.contains("web-02 runs after"), "{}", run.stderr);
}

#[tokio::test]
async fn create_past_the_quota_is_refused_before_sending_and_names_the_limit() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let args = ["vps", "create", "--name", "big-01", "--cpu", "15", "--memory", "4", "--storage", "80"];
    let run = home.against(&sandbox, &args).run().await;
    assert_eq!(run.code, 3, "{run:?}");
    assert!(run.stderr.contains("cpuCores") && run.stderr.contains("14"), "{}", run.stderr);
    let bad = home.against(&sandbox, &["vps", "create", "--name", "x", "--cpu", "1"]).run().await;
    assert_eq!(bad.code, 2, "{bad:?}"); // the name is too short
    let listed =
        home.against(&sandbox, &["vps", "list", "--billing", "payg", "-o", "json"]).run().await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "nothing was created");
}

#[tokio::test]
async fn rebuild_lists_templates_asks_and_waits_until_the_vps_runs_again() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let id = fleet::MONTHLY_SEK;
    let templates = home.against(&sandbox, &["vps", "templates", id]).run().await;
    assert!(templates.ok().contains("Debian 12"), "{}", templates.stdout);
    let unconfirmed = home.against(&sandbox, &["vps", "rebuild", id, "--template", "Debian 12"]).run().await;
    assert_eq!(unconfirmed.code, 2);
    assert!(unconfirmed.stderr.contains("--yes"), "{}", unconfirmed.stderr);
    let unknown = home.against(&sandbox, &["vps", "rebuild", id, "--template", "BeOS", "--yes"]).run().await;
    assert_eq!(unknown.code, 2, "{unknown:?}");
    let args = ["vps", "rebuild", id, "--template", "Debian 12", "--yes", "-o", "json"];
    let status = home.against(&sandbox, &args).run().await.json();
    assert_eq!(status["powerState"], "running");
    let details = home.against(&sandbox, &["vps", "show", id, "-o", "json"]).run().await.json();
    assert_eq!(details["operatingSystem"]["family"], "debian");
}

#[tokio::test]
async fn convert_to_cloud_checks_first_and_asks() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let check = home.against(&sandbox, &["vps", "convert-to-cloud", fleet::OVERDUE, "--check"]).run().await;
    assert!(check.ok().contains("has_unpaid_invoice"), "{}", check.stdout);
    let blocked = home.against(&sandbox, &["vps", "convert-to-cloud", fleet::OVERDUE, "--yes"]).run().await;
    assert_eq!(blocked.code, 3, "{blocked:?}");
    let id = fleet::MONTHLY_SEK;
    assert_eq!(home.against(&sandbox, &["vps", "convert-to-cloud", id]).run().await.code, 2);
    let done =
        home.against(&sandbox, &["vps", "convert-to-cloud", id, "--yes", "-o", "json"]).run().await.json();
    assert_eq!(done["converted"], true);
    let payg = home.against(&sandbox, &["vps", "list", "--billing", "payg", "-o", "json"]).run().await.json();
    assert!(payg.as_array().unwrap().iter().any(|v| v["id"] == id), "{payg}");
}

#[tokio::test]
async fn cancel_shows_and_revokes_a_cancellation() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let id = fleet::MONTHLY_SEK;
    let none = home.against(&sandbox, &["vps", "cancellation", id, "-o", "json"]).run().await.json();
    assert_eq!(none["status"], "none");
    let ask = home.against(&sandbox, &["vps", "cancel", id, "--reason", "No longer needed"]).run().await;
    assert_eq!(ask.code, 2, "{ask:?}");
    let empty = home.against(&sandbox, &["vps", "cancel", id, "--reason", "", "--yes"]).run().await;
    assert_eq!(empty.code, 2, "{empty:?}");
    let args = ["vps", "cancel", id, "--reason", "No longer needed", "--yes", "-o", "json"];
    let scheduled = home.against(&sandbox, &args).run().await.json();
    assert_eq!(
        (scheduled["status"].as_str(), scheduled["revokable"].as_bool()),
        (Some("scheduled"), Some(true))
    );
    let shown = home.against(&sandbox, &["vps", "cancellation", id]).run().await;
    assert!(shown.ok().contains("scheduled") && shown.stdout.contains("end_of_period"), "{}", shown.stdout);
    let revoked =
        home.against(&sandbox, &["vps", "cancellation", id, "revoke", "-o", "json"]).run().await.json();
    assert_eq!(revoked["status"], "revoked");
    let again = home.against(&sandbox, &["vps", "cancellation", id, "revoke"]).run().await;
    assert_eq!(again.code, 3, "{again:?}");

    let overdue =
        home.against(&sandbox, &["vps", "cancel", fleet::OVERDUE, "--reason", "Too expensive", "--yes"]);
    let overdue = overdue.run().await;
    assert_eq!(overdue.code, 3, "{overdue:?}");
    assert!(overdue.stderr.contains("cancellation_blocked_overdue_invoice"), "{}", overdue.stderr);
    // Immediate: looked up for a second, then pending (the VPS goes after 16 s).
    let slow = Sandbox::builder().job_duration(Duration::from_secs(4)).start().await;
    let args = [
        "vps",
        "cancel",
        fleet::PAYG_CLOUD,
        "--type",
        "immediate",
        "--reason",
        "Done",
        "--yes",
        "-o",
        "json",
    ];
    let immediate = home.against(&slow, &args).run().await.json();
    assert_eq!(
        (immediate["status"].as_str(), immediate["cancelType"].as_str()),
        (Some("pending"), Some("immediate"))
    );
}

#[tokio::test]
async fn maintenance_lists_deadlines_and_extends_while_the_policy_allows() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let id = fleet::ANNUAL_SEK;
    let table = home.against(&sandbox, &["vps", "maintenance", id]).run().await;
    assert!(
        table.ok().contains("kernel") && table.stdout.contains("mtd_") && table.stdout.contains("0 of 2")
    );
    let first =
        home.against(&sandbox, &["vps", "maintenance", id, "extend", "-o", "json"]).run().await.json();
    assert_eq!(first["extensionCount"], 1);
    let last = home.against(&sandbox, &["vps", "maintenance", id, "extend"]).run().await;
    assert!(last.ok().contains("2 of 2") && last.stderr.contains("last extension"), "{last:?}");
    assert_eq!(home.against(&sandbox, &["vps", "maintenance", id, "extend"]).run().await.code, 3);
    let none = home.against(&sandbox, &["vps", "maintenance", fleet::QUARTERLY_EUR, "extend"]).run().await;
    assert_eq!(none.code, 3, "{none:?}");
}

#[tokio::test]
async fn payg_shows_options_and_limits_and_files_a_limit_request() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let options = home.against(&sandbox, &["payg", "options"]).run().await;
    assert!(
        options.ok().contains("can deploy") && options.stdout.contains("stockholm"),
        "{}",
        options.stdout
    );
    let limits = home.against(&sandbox, &["payg", "limits"]).run().await;
    assert!(limits.ok().contains("14 cores"), "{}", limits.stdout); // 16, minus cloud-01's 2
    let reason = "A production launch needs more cores";
    let args =
        ["payg", "limits", "request", "--type", "cpuCores", "--to", "32", "--reason", reason, "-o", "json"];
    let filed = home.against(&sandbox, &args).run().await.json();
    assert_eq!(filed["status"], "submitted");
    let limits = home.against(&sandbox, &["payg", "limits", "-o", "json"]).run().await.json();
    assert_eq!(limits["hasPendingRequests"], true);
    let short = ["payg", "limits", "request", "--type", "cpuCores", "--to", "32", "--reason", "more"];
    assert_eq!(home.against(&sandbox, &short).run().await.code, 2);
}

#[tokio::test]
async fn products_need_no_key_and_other_commands_do() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let args = ["products", "--currency", "EUR", "--cycle", "annually"];
    let run = home.hostup(&args).env("HOSTUP_BASE_URL", sandbox.url()).run().await;
    let out = run.ok();
    assert!(out.contains("vps-sm") && out.contains("96.23 EUR annually"), "{out}");
    let json =
        home.hostup(&["products", "-o", "json"]).env("HOSTUP_BASE_URL", sandbox.url()).run().await.json();
    assert_eq!(json.as_array().unwrap().len(), 4);
    let keyless = home.hostup(&["payg", "limits"]).env("HOSTUP_BASE_URL", sandbox.url()).run().await;
    assert_eq!(keyless.code, 2, "{keyless:?}");
    assert!(keyless.stderr.contains("no API key"), "{}", keyless.stderr);
}
