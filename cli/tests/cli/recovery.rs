//! `hostup vps snapshot|snapshot-schedule|backup|backup-schedule|jobs` as processes against a
//! sandbox: the flows, confirmation off a terminal, JSON output, and gate refusals (exit 3 naming
//! the gate, its reason and code).

use std::time::Duration;

use hostup_sandbox::{Sandbox, fleet};
use serde_json::Value;

use crate::common::{Home, Run};

async fn run(sandbox: &Sandbox, home: &Home, args: &[&str]) -> Run {
    home.against(sandbox, args).run().await
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn snapshots_list_create_restore_delete() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let id = fleet::PAYG_CLOUD; // one snapshot slot
    let empty = run(&sandbox, &home, &["vps", "snapshot", "list", id]).await;
    assert!(empty.ok().starts_with("NAME") && empty.stdout.lines().count() == 1, "{}", empty.stdout);
    assert!(empty.stderr.contains("0 of 1 snapshot slots used; canCreate allowed"), "{}", empty.stderr);

    let create = ["vps", "snapshot", "create", id, "before", "--description", "2 cores", "--wait"];
    let created = run(&sandbox, &home, &create).await;
    assert!(created.ok().contains("status  completed"), "{}", created.stdout);
    assert!(created.stderr.contains("snapshot before of"), "progress on stderr: {}", created.stderr);
    let list = run(&sandbox, &home, &["-o", "json", "vps", "snapshot", "list", id]).await.json();
    assert_eq!(names(&list), ["before"]);
    assert_eq!(list[0]["description"], "2 cores");

    let refused = run(&sandbox, &home, &["vps", "snapshot", "restore", id, "before"]).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("add --yes"), "{}", refused.stderr);
    let restore = ["-o", "json", "vps", "snapshot", "restore", id, "before", "--wait", "--yes"];
    let restored = run(&sandbox, &home, &restore).await.json();
    assert_eq!(restored["status"], "completed", "the spec's Operation: {restored}");
    assert!(restored["jobId"].as_str().is_some_and(|j| !j.is_empty()), "{restored}");

    let refused = run(&sandbox, &home, &["vps", "snapshot", "delete", id, "before"]).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let still = run(&sandbox, &home, &["-o", "json", "vps", "snapshot", "list", id]).await.json();
    assert_eq!(names(&still), ["before"], "nothing was deleted without --yes");
    run(&sandbox, &home, &["vps", "snapshot", "delete", id, "before", "--yes", "--wait"]).await.ok();
    let gone = run(&sandbox, &home, &["-o", "json", "vps", "snapshot", "list", id]).await.json();
    assert_eq!(gone, Value::Array(Vec::new()));
}

#[tokio::test]
async fn gate_and_quota_refusals_exit_3_naming_gate_reason_and_code() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let id = fleet::PAYG_CLOUD;
    run(&sandbox, &home, &["vps", "snapshot", "create", id, "first", "--wait"]).await.ok();
    let full = run(&sandbox, &home, &["vps", "snapshot", "create", id, "second"]).await;
    assert_eq!(full.code, 3, "{}", full.stderr);
    assert!(full.stderr.contains("canCreate is not allowed"), "{}", full.stderr);
    assert!(full.stderr.contains("slots (limits.totalSnapshots) are in use"), "{}", full.stderr);

    let suspended = run(&sandbox, &home, &["vps", "backup", "create", fleet::SUSPENDED]).await;
    assert_eq!(suspended.code, 3, "{}", suspended.stderr);
    assert!(
        suspended.stderr.contains("canCreateBackup is not allowed (service_suspended): "),
        "{}",
        suspended.stderr
    );

    let bad_name = run(&sandbox, &home, &["vps", "snapshot", "create", id, "no spaces"]).await;
    assert_eq!(bad_name.code, 2, "refused before sending: {}", bad_name.stderr);
    assert!(bad_name.stderr.contains("name"), "{}", bad_name.stderr);
}

/// Backup jobs take two job durations: 600 ms with the default 300 ms, past the CLI's first poll
/// (500 ms), so each `--wait` took a second poll (1.25 s); at 100 ms the first poll sees it done.
async fn quick_jobs() -> Sandbox {
    Sandbox::builder().job_duration(Duration::from_millis(100)).start().await
}

/// The seeded backup of `vps`, from `backup list -o json`.
async fn seeded_backup(sandbox: &Sandbox, home: &Home, vps: &str) -> String {
    let list = run(sandbox, home, &["-o", "json", "vps", "backup", "list", vps]).await.json();
    list[0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn backups_list_create_restore_in_place_and_delete() {
    let (sandbox, home) = (quick_jobs().await, Home::new());
    let annual = fleet::ANNUAL_SEK;
    let seeded = seeded_backup(&sandbox, &home, annual).await;
    let table = run(&sandbox, &home, &["vps", "backup", "list", annual]).await;
    assert!(table.ok().starts_with("ID") && table.stdout.contains(&seeded), "{}", table.stdout);
    assert!(table.stderr.contains("canCreateBackup allowed"), "{}", table.stderr);

    let create = ["-o", "json", "vps", "backup", "create", annual, "--note", "manual", "--wait"];
    let created = run(&sandbox, &home, &create).await.json();
    assert_eq!(created["status"], "completed", "{created}");

    let refused = run(&sandbox, &home, &["vps", "backup", "restore", annual, &seeded]).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let in_place =
        run(&sandbox, &home, &["vps", "backup", "restore", annual, &seeded, "--wait", "--yes"]).await;
    assert!(in_place.ok().contains("backup restore"), "{}", in_place.stdout);

    let refused = run(&sandbox, &home, &["vps", "backup", "delete", annual, &seeded]).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let deleted =
        run(&sandbox, &home, &["-o", "json", "vps", "backup", "delete", annual, &seeded, "--yes"]).await;
    assert_eq!(deleted.json()["deleted"], true);
    let list = run(&sandbox, &home, &["-o", "json", "vps", "backup", "list", annual]).await.json();
    assert!(list.as_array().unwrap().iter().all(|b| b["id"] != seeded.as_str()), "{list}");
}

#[tokio::test]
async fn backups_restore_from_another_vps_and_to_a_new_payg_vps() {
    let (sandbox, home) = (quick_jobs().await, Home::new());
    let (annual, monthly) = (fleet::ANNUAL_SEK, fleet::MONTHLY_SEK);
    let seeded = seeded_backup(&sandbox, &home, annual).await;
    let sources = run(&sandbox, &home, &["-o", "json", "vps", "backup", "sources", monthly]).await.json();
    assert!(sources.as_array().unwrap().iter().any(|s| s["id"] == annual), "{sources}");
    let cross = ["vps", "backup", "restore", monthly, &seeded, "--from-vps", annual, "--wait", "--yes"];
    run(&sandbox, &home, &cross).await.ok();
    let target = run(&sandbox, &home, &["-o", "json", "vps", "show", monthly]).await.json();
    assert_eq!(target["powerState"], "stopped", "the target is stopped: {target}");

    let payg = [
        "-o",
        "json",
        "vps",
        "backup",
        "restore",
        annual,
        &seeded,
        "--to-payg",
        "--name",
        "db-copy",
        "--yes",
        "--wait",
    ];
    let restored = run(&sandbox, &home, &payg).await.json();
    let new_vps = restored["vpsId"].as_str().unwrap();
    assert_ne!(new_vps, annual);
    let usage = run(&sandbox, &home, &["vps", "backup", "restore", annual, &seeded, "--name", "x"]).await;
    assert_eq!(usage.code, 2, "--name needs --to-payg: {}", usage.stderr);
}

#[tokio::test]
async fn schedules_set_show_and_delete() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let (payg, annual) = (fleet::PAYG_CLOUD, fleet::ANNUAL_SEK);
    let set = run(&sandbox, &home, &["vps", "snapshot-schedule", "set", payg, "--every", "100"]).await;
    assert!(set.ok().contains("intervalHours=24"), "{}", set.stdout);
    assert!(
        set.stderr.contains("clamps it into 4 to 24 h"),
        "the server's clamping explained: {}",
        set.stderr
    );
    let shown = run(&sandbox, &home, &["-o", "json", "vps", "snapshot-schedule", "show", payg]).await.json();
    assert_eq!(shown["schedule"]["intervalHours"], 24.0, "{shown}");
    assert_eq!(run(&sandbox, &home, &["vps", "snapshot-schedule", "delete", payg]).await.code, 2);
    run(&sandbox, &home, &["vps", "snapshot-schedule", "delete", payg, "--yes"]).await.ok();
    let shown = run(&sandbox, &home, &["-o", "json", "vps", "snapshot-schedule", "show", payg]).await.json();
    assert!(shown["schedule"].is_null(), "{shown}");

    let weekly = ["--frequency", "weekly", "--hour", "3", "--keep", "2"];
    let missing_day =
        run(&sandbox, &home, &[&["vps", "backup-schedule", "set", annual][..], &weekly].concat()).await;
    assert_eq!(missing_day.code, 2, "a weekly schedule needs its day: {}", missing_day.stderr);
    let args =
        [&["-o", "json", "vps", "backup-schedule", "set", annual][..], &weekly, &["--day-of-week", "1"]]
            .concat();
    let result = run(&sandbox, &home, &args).await.json();
    let schedule_id = result["schedule"]["id"].as_str().unwrap().to_string();
    let listed = run(&sandbox, &home, &["vps", "backup-schedule", "list", annual]).await;
    assert!(listed.ok().contains(&schedule_id) && listed.stdout.contains("weekly"), "{}", listed.stdout);
    let retention = run(
        &sandbox,
        &home,
        &["-o", "json", "vps", "backup-schedule", "retention", annual, "--auto-delete-oldest", "true"],
    )
    .await
    .json();
    assert_eq!(retention["settings"]["autoDeleteOldest"], true, "{retention}");
    let delete = ["vps", "backup-schedule", "delete", annual, &schedule_id];
    assert_eq!(run(&sandbox, &home, &delete).await.code, 2);
    run(&sandbox, &home, &[&delete[..], &["--yes"]].concat()).await.ok();
    let list = run(&sandbox, &home, &["-o", "json", "vps", "backup-schedule", "list", annual]).await.json();
    assert_eq!(list, Value::Array(Vec::new()));

    let closed = run(
        &sandbox,
        &home,
        &[&["vps", "backup-schedule", "set", fleet::MONTHLY_SEK][..], &weekly, &["--day-of-week", "1"]]
            .concat(),
    )
    .await;
    assert_eq!(closed.code, 3, "{}", closed.stderr);
    assert!(closed.stderr.contains("canCreate is not allowed"), "{}", closed.stderr);
}

#[tokio::test]
async fn active_jobs_list_and_cancel_and_nothing_to_cancel_is_an_answer() {
    // Jobs that take long enough to be seen in flight.
    let sandbox = Sandbox::builder().job_duration(Duration::from_secs(60)).start().await;
    let home = Home::new();
    let annual = fleet::ANNUAL_SEK;
    run(&sandbox, &home, &["vps", "backup", "create", annual]).await.ok();
    let jobs = run(&sandbox, &home, &["-o", "json", "vps", "jobs", "list", annual]).await.json();
    assert_eq!(jobs[0]["jobType"], "backup", "{jobs}");
    let table = run(&sandbox, &home, &["vps", "jobs", "list", annual]).await;
    assert!(table.ok().starts_with("JOB") && table.stdout.contains("backup"), "{}", table.stdout);

    let cancel = ["vps", "jobs", "cancel", annual, "--type", "backup"];
    let refused = run(&sandbox, &home, &cancel).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let cancelled = run(&sandbox, &home, &[&["-o", "json"][..], &cancel, &["--yes"]].concat()).await.json();
    assert_eq!(cancelled["cancelled"], true, "{cancelled}");
    let again = run(&sandbox, &home, &[&cancel[..], &["--yes"]].concat()).await;
    assert!(again.ok().contains("cancelled  no"), "{}", again.stdout);
    assert!(again.stdout.contains("No active backup job was found"), "{}", again.stdout);

    let bad = run(&sandbox, &home, &["vps", "jobs", "cancel", annual, "--type", "snapshot", "--yes"]).await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("unknown job type"), "{}", bad.stderr);
}
