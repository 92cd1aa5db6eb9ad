//! `hostup ssh-key ...`, `hostup vps ssh-keys|password-login|hostname|network|rdns|metrics` as
//! processes against a sandbox: what they print, what they refuse, and the confirmation of the
//! destructive ones.

use hostup_sandbox::{Sandbox, fleet};

use crate::common::Home;

fn fixture(name: &str) -> String {
    format!("{}/../integration/tests/fixtures/ssh/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn ssh_keys_are_added_from_a_file_or_stdin_listed_renamed_and_deleted() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let added = home
        .against(&sandbox, &["-o", "json", "ssh-key", "add", "laptop", &fixture("rsa.pub")])
        .run()
        .await
        .json();
    let printed = std::fs::read_to_string(fixture("rsa.pub.fingerprint")).unwrap();
    assert_eq!(
        added["fingerprint"].as_str(),
        printed.split_whitespace().nth(1),
        "as ssh-keygen -l printed it"
    );
    let line = std::fs::read_to_string(fixture("ed25519.pub")).unwrap();
    let piped = home.against(&sandbox, &["ssh-key", "add", "ci", "-"]).stdin(&line).run().await;
    assert!(piped.ok().contains("SHA256:Ppq8z2RsYekUKfPnyrY4imKWJofUq2NtHFiBCPNwk7A"), "{}", piped.stdout);

    let bad = home
        .against(&sandbox, &["ssh-key", "add", "x", "-"])
        .stdin("ssh-ed25519 AAAA not base64!")
        .run()
        .await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("publicKey"), "names the field: {}", bad.stderr);

    let list = home.against(&sandbox, &["ssh-key", "list"]).run().await;
    let id = list
        .ok()
        .lines()
        .find(|l| l.contains(" ci "))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert!(list.stdout.contains("no: The key is used by a pending order."), "{}", list.stdout);
    home.against(&sandbox, &["ssh-key", "rename", &id, "ci-runner"]).run().await.ok();

    let refused = home.against(&sandbox, &["ssh-key", "delete", &id]).run().await;
    assert_eq!(refused.code, 2, "off a terminal, --yes is needed: {}", refused.stderr);
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    home.against(&sandbox, &["--yes", "ssh-key", "delete", &id]).run().await.ok();
    let keys = home.against(&sandbox, &["-o", "json", "ssh-key", "list"]).run().await.json();
    assert_eq!(keys.as_array().unwrap().len(), 3, "two seeded and the laptop's: {keys}");
    let held = keys[1]["id"].as_str().unwrap();
    let blocked = home.against(&sandbox, &["--yes", "ssh-key", "delete", held]).run().await;
    assert_eq!(blocked.code, 3, "a closed gate: {}", blocked.stderr);
    assert!(blocked.stderr.contains("pending order"), "{}", blocked.stderr);

    let deploy = keys[0]["id"].as_str().unwrap();
    let vps = fleet::QUARTERLY_EUR;
    let shown = home.against(&sandbox, &["vps", "ssh-keys", vps]).run().await;
    assert!(shown.ok().contains(deploy), "{}", shown.stdout);
    let unconfirmed = home.against(&sandbox, &["vps", "ssh-keys", vps, "reset", deploy]).run().await;
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    let reset = home.against(&sandbox, &["--yes", "vps", "ssh-keys", vps, "reset", deploy]).run().await;
    assert!(
        reset.ok().contains("completed"),
        "a stopped VPS takes the keys at its next boot: {}",
        reset.stdout
    );
}

#[tokio::test]
async fn password_login_and_hostname_show_and_change() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let vps = fleet::MONTHLY_SEK;
    let shown = home.against(&sandbox, &["vps", "password-login", vps]).run().await;
    assert!(shown.ok().contains("prohibit-password"), "{}", shown.stdout);
    let on =
        home.against(&sandbox, &["-o", "json", "vps", "password-login", vps, "enable"]).run().await.json();
    assert_eq!(
        (on["enabled"].as_bool(), on["lastOperation"]["verified"].as_bool()),
        (Some(true), Some(true))
    );
    let stopped =
        home.against(&sandbox, &["vps", "password-login", fleet::QUARTERLY_EUR, "disable"]).run().await;
    assert_eq!(stopped.code, 3, "{}", stopped.stderr);
    assert!(stopped.stderr.contains("qemu-guest-agent"), "{}", stopped.stderr);

    let bad = home.against(&sandbox, &["vps", "hostname", vps, "set", "web_01.example.com"]).run().await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("hostname"), "{}", bad.stderr);
    let set = home.against(&sandbox, &["vps", "hostname", vps, "set", "web-01.example.com"]).run().await;
    assert!(set.ok().contains("web-01.example.com"), "{}", set.stdout);
    let now = home.against(&sandbox, &["vps", "hostname", vps]).run().await;
    assert!(now.ok().contains("web-01.example.com") && now.stdout.contains("Valid FQDN"), "{}", now.stdout);
}

#[tokio::test]
async fn network_rdns_and_destructive_changes() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let vps = fleet::MONTHLY_SEK;
    let table = home.against(&sandbox, &["vps", "network", vps]).run().await;
    assert!(table.ok().contains("net1") && table.stdout.contains("app-01.example.com"), "{}", table.stdout);
    let ip = "192.0.2.12";
    home.against(&sandbox, &["vps", "rdns", "set", vps, ip, "mail.example.com"]).run().await.ok();
    let after = home.against(&sandbox, &["vps", "network", vps]).run().await;
    assert!(after.ok().contains("mail.example.com"), "{}", after.stdout);
    let missing =
        home.against(&sandbox, &["vps", "rdns", "set", vps, "198.51.100.9", "x.example.com"]).run().await;
    assert_eq!(missing.code, 2, "checked against the VPS's addresses first: {}", missing.stderr);

    for args in [
        vec!["delete-interface", "net1"],
        vec!["remove-ip", "10.10.0.12"],
        vec!["change-ip", "203.0.113.101"],
    ] {
        let mut argv = vec!["vps", "network", vps];
        argv.extend(&args);
        let refused = home.against(&sandbox, &argv).run().await;
        assert_eq!(refused.code, 2, "{args:?} needs --yes off a terminal: {}", refused.stderr);
    }
    home.against(
        &sandbox,
        &["--yes", "vps", "network", vps, "change-ip", "203.0.113.101", "--interface", "net0"],
    )
    .run()
    .await
    .ok();
    home.against(&sandbox, &["--yes", "vps", "network", vps, "delete-interface", "net1"]).run().await.ok();
    let primary =
        home.against(&sandbox, &["--yes", "vps", "network", vps, "delete-interface", "net0"]).run().await;
    assert_eq!(primary.code, 2, "{}", primary.stderr);
    let json = home.against(&sandbox, &["-o", "json", "vps", "network", vps]).run().await.json();
    assert_eq!(json["interfaces"].as_array().unwrap().len(), 1);
    assert_eq!(json["interfaces"][0]["ip"][0]["ip"], "203.0.113.101");
}

#[tokio::test]
async fn metrics_draw_charts_or_print_json() {
    let (sandbox, home) = (Sandbox::start().await, Home::new());
    let vps = fleet::ANNUAL_SEK;
    let charts = home.against(&sandbox, &["vps", "metrics", vps, "--timeframe", "day"]).run().await;
    let out = charts.ok();
    assert!(out.contains("96 samples") && out.contains("CPU %") && out.contains("memory %"), "{out}");
    assert!(out.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)), "braille dots drawn: {out}");
    let json =
        home.against(&sandbox, &["vps", "metrics", vps, "--timeframe", "week", "--json"]).run().await.json();
    assert_eq!((json["timeframe"].as_str(), json["samples"].as_array().unwrap().len()), (Some("week"), 168));
    let net = home
        .against(&sandbox, &["vps", "metrics", vps, "--series", "net-in", "--series", "disk-write"])
        .run()
        .await;
    assert!(net.ok().contains("network in kB/s") && net.stdout.contains("disk write MB/s"), "{}", net.stdout);
    let bad = home.against(&sandbox, &["vps", "metrics", vps, "--timeframe", "1h"]).run().await;
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}
