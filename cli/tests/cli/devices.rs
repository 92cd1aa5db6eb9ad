//! `hostup vps firewall|disk|iso ID ...` and `vps ssh-keys ID reset --wait` as processes against a
//! sandbox: what they print (tables, and JSON that parses), what they refuse with which exit
//! code, and that the destructive ones need `--yes` off a terminal.

use std::time::Duration;

use hostup_sandbox::{Sandbox, fleet};

use crate::common::Home;

async fn sandbox() -> Sandbox {
    Sandbox::builder().job_duration(Duration::from_millis(100)).start().await
}

#[tokio::test]
async fn firewall_rules_are_listed_added_replaced_and_deleted_by_position() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let vps = fleet::MONTHLY_SEK;
    let table = home.against(&sandbox, &["vps", "firewall", vps, "list"]).run().await;
    let out = table.ok();
    assert!(out.contains("Allow SSH from office") && out.contains("read-only"), "{out}");
    assert!(out.contains("2 of 10 (8 left)"), "limits shown: {out}");

    let add = ["-o", "json", "vps", "firewall", vps, "add", "--proto", "tcp", "--port", "443"];
    let added = home.against(&sandbox, &add).run().await.json();
    assert_eq!(
        (added["pos"].as_u64(), added["dport"].as_str()),
        (Some(2), Some("443")),
        "read back: {added}"
    );
    let replace = ["-o", "json", "vps", "firewall", vps, "replace", "2", "--proto", "tcp", "--port", "8443"];
    let replaced = home.against(&sandbox, &replace).run().await.json();
    assert_eq!(replaced["dport"], "8443");
    let outbound =
        home.against(&sandbox, &["vps", "firewall", vps, "replace", "1", "--port", "53"]).run().await;
    assert_eq!(outbound.code, 3, "a read-only rule: {}", outbound.stderr);
    assert!(outbound.stderr.contains("read-only"), "{}", outbound.stderr);

    let unconfirmed = home.against(&sandbox, &["vps", "firewall", vps, "delete", "2"]).run().await;
    assert_eq!(unconfirmed.code, 2, "off a terminal, --yes is needed: {}", unconfirmed.stderr);
    assert!(unconfirmed.stderr.contains("--yes"), "{}", unconfirmed.stderr);
    let missing = home.against(&sandbox, &["--yes", "vps", "firewall", vps, "delete", "7"]).run().await;
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stderr.contains("no firewall rule at position 7"), "{}", missing.stderr);
    home.against(&sandbox, &["--yes", "vps", "firewall", vps, "delete", "2"]).run().await.ok();
    let state = home.against(&sandbox, &["-o", "json", "vps", "firewall", vps, "list"]).run().await.json();
    assert_eq!(state["rules"].as_array().unwrap().len(), 2, "{state}");
    assert_eq!(state["limits"]["remainingRules"], 8);

    let blocked =
        home.against(&sandbox, &["vps", "firewall", fleet::BLOCKED, "add", "--port", "80"]).run().await;
    assert_eq!(blocked.code, 3, "{}", blocked.stderr);
    assert!(blocked.stderr.contains("pending_order"), "{}", blocked.stderr);
}

#[tokio::test]
async fn a_policy_that_locks_everyone_out_asks_first() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let bare = fleet::ANNUAL_SEK; // no rules
    let shown =
        home.against(&sandbox, &["-o", "json", "vps", "firewall", bare, "options"]).run().await.json();
    assert_eq!((shown["enabled"].as_bool(), shown["inboundPolicy"].as_str()), (Some(false), Some("ACCEPT")));
    let lockout = ["vps", "firewall", bare, "options", "--enable", "--policy", "drop"];
    let refused = home.against(&sandbox, &lockout).run().await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    let still =
        home.against(&sandbox, &["-o", "json", "vps", "firewall", bare, "options"]).run().await.json();
    assert_eq!(still["enabled"], false, "nothing was sent");
    let mut confirmed = vec!["--yes", "-o", "json"];
    confirmed.extend(lockout);
    let now = home.against(&sandbox, &confirmed).run().await.json();
    assert_eq!((now["enabled"].as_bool(), now["inboundPolicy"].as_str()), (Some(true), Some("DROP")));

    // With an allow rule in place the same change needs no confirmation.
    let vps = fleet::MONTHLY_SEK;
    let safe = ["-o", "json", "vps", "firewall", vps, "options", "--enable", "--policy", "drop"];
    assert_eq!(home.against(&sandbox, &safe).run().await.json()["inboundPolicy"], "DROP");
    let off = home.against(&sandbox, &["vps", "firewall", vps, "options", "--disable"]).run().await;
    assert!(off.ok().contains("false"), "{}", off.stdout);
}

#[tokio::test]
async fn disks_are_added_resized_and_deleted_within_their_quota() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let fixed = fleet::MONTHLY_SEK;
    let list = home.against(&sandbox, &["-o", "json", "vps", "disk", fixed, "list"]).run().await;
    let disks = list.json();
    assert_eq!(disks.as_array().unwrap().len(), 1, "the root disk: {disks}");
    assert!(list.stderr.contains("attachable storage: 0 GB free"), "the budget on stderr: {}", list.stderr);
    let spent = home.against(&sandbox, &["vps", "disk", fixed, "add", "--size", "10"]).run().await;
    assert_eq!(spent.code, 3, "{}", spent.stderr);
    assert!(spent.stderr.contains("attachable.availableGb"), "names the quota: {}", spent.stderr);
    for size in ["0", "1001"] {
        let bad = home.against(&sandbox, &["vps", "disk", fixed, "add", "--size", size]).run().await;
        assert_eq!(bad.code, 2, "{size}: {}", bad.stderr);
        assert!(bad.stderr.contains("sizeGb"), "{}", bad.stderr);
    }
    let root = fleet::root_disk(fixed);
    let kept = home.against(&sandbox, &["--yes", "vps", "disk", fixed, "delete", &root]).run().await;
    assert_eq!(kept.code, 3, "the root disk: {}", kept.stderr);
    assert!(kept.stderr.contains("root disk"), "{}", kept.stderr);

    let payg = fleet::PAYG_CLOUD;
    let listed = home.against(&sandbox, &["vps", "disk", payg, "list"]).run().await;
    assert!(listed.stderr.contains("PAYG storage limit"), "{}", listed.stderr);
    let added = home.against(&sandbox, &["-o", "json", "vps", "disk", payg, "add", "--size", "20", "--wait"]);
    let added = added.run().await.json();
    let id = added["disk"]["id"].as_str().unwrap().to_string();
    let grow = ["vps", "disk", payg, "resize", &id, "--by", "10", "--wait"];
    assert!(home.against(&sandbox, &grow).run().await.ok().contains("done"));
    let shrink = home.against(&sandbox, &["vps", "disk", payg, "resize", &id, "--to", "5"]).run().await;
    assert_eq!(shrink.code, 2, "{}", shrink.stderr);
    let unconfirmed = home.against(&sandbox, &["vps", "disk", payg, "delete", &id]).run().await;
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    let deleted = ["--yes", "-o", "json", "vps", "disk", payg, "delete", &id, "--keep-volume"];
    assert_eq!(home.against(&sandbox, &deleted).run().await.json()["deletedDisk"], id.as_str());
    let disks = home.against(&sandbox, &["-o", "json", "vps", "disk", payg, "list"]).run().await.json();
    assert_eq!(disks.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn isos_are_fetched_mounted_ejected_and_deleted() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let vps = fleet::MONTHLY_SEK;
    let url = "https://example.com/images/debian-12.iso";
    let fetched = home.against(&sandbox, &["vps", "iso", vps, "fetch", url, "--wait"]).run().await;
    assert!(fetched.ok().contains("done"), "{}", fetched.stdout);
    let again = home.against(&sandbox, &["-o", "json", "vps", "iso", vps, "fetch", url]).run().await.json();
    assert_eq!(again["operation"]["status"], "completed", "already there: {again}");
    for bad in ["ftp://example.com/a.iso", "example.com/a.iso"] {
        let refused = home.against(&sandbox, &["vps", "iso", vps, "fetch", bad]).run().await;
        assert_eq!(refused.code, 2, "{bad}: {}", refused.stderr);
        assert!(refused.stderr.contains("url"), "{}", refused.stderr);
    }
    let huge = ["vps", "iso", vps, "fetch", url, "--size-bytes", "40000000000"];
    assert!(home.against(&sandbox, &huge).run().await.stderr.contains("sizeBytes"));

    let media = home.against(&sandbox, &["-o", "json", "vps", "iso", vps, "list"]).run().await.json();
    let iso =
        media["available"].as_array().unwrap().iter().find(|i| i["name"] == "debian-12.iso").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
    home.against(&sandbox, &["vps", "iso", vps, "mount", &iso, "--device", "ide2"]).run().await.ok();
    let table = home.against(&sandbox, &["vps", "iso", vps, "list"]).run().await;
    assert!(table.ok().contains(&format!("ide2  {iso}")), "{}", table.stdout);
    let attached =
        home.against(&sandbox, &["-o", "json", "vps", "iso", vps, "attach-empty"]).run().await.json();
    assert!(attached["device"].as_str().unwrap().starts_with("ide"), "{attached}");
    let unconfirmed = home.against(&sandbox, &["vps", "iso", vps, "delete", &iso]).run().await;
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    let in_use = home.against(&sandbox, &["--yes", "vps", "iso", vps, "delete", &iso]).run().await;
    assert_eq!(in_use.code, 1, "the server refuses a mounted ISO: {}", in_use.stderr);
    let ejected = home.against(&sandbox, &["-o", "json", "vps", "iso", vps, "unmount"]).run().await.json();
    assert_eq!(ejected["device"], "ide2");
    home.against(&sandbox, &["--yes", "vps", "iso", vps, "delete", &iso]).run().await.ok();
    let media = home.against(&sandbox, &["-o", "json", "vps", "iso", vps, "list"]).run().await.json();
    assert!(media["available"].as_array().unwrap().iter().all(|i| i["id"] != iso.as_str()));
}

#[tokio::test]
async fn a_key_reset_waits_for_the_restart_that_applies_it() {
    let (sandbox, home) = (sandbox().await, Home::new());
    let keys = home.against(&sandbox, &["-o", "json", "ssh-key", "list"]).run().await.json();
    let key = keys[0]["id"].as_str().unwrap();
    let vps = fleet::MONTHLY_SEK; // running: the keys are applied by a restart
    let queued = home.against(&sandbox, &["--yes", "vps", "ssh-keys", vps, "reset", key]).run().await;
    assert!(queued.ok().contains("queued"), "without --wait: {}", queued.stdout);
    let waited = ["--yes", "vps", "ssh-keys", vps, "reset", key, "--wait"];
    let waited = home.against(&sandbox, &waited).run().await;
    assert!(waited.ok().contains("completed"), "{}", waited.stdout);
    let json = ["--yes", "-o", "json", "vps", "ssh-keys", vps, "reset", key, "--wait"];
    let answer = home.against(&sandbox, &json).run().await.json();
    assert!(answer["operation"]["jobId"].as_str().unwrap().starts_with("job_"), "{answer}");
}
