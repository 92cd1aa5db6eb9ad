//! Hostname, reverse DNS, SSH keys and password login as two-step writes, and their refusals.

use hostup_mcp::Settings;
use hostup_sandbox::{Sandbox, fleet};
use serde_json::json;

use crate::common::{start, start_on};

/// The ed25519 key of the integration fixtures, and its fingerprint as `ssh-keygen -l` prints it.
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIATFqRBnwwcK1zQg/QSwAA0z6/JIH9gcFwkPlmVHeXL3 ops@example.com";
const FINGERPRINT: &str = "SHA256:Ppq8z2RsYekUKfPnyrY4imKWJofUq2NtHFiBCPNwk7A";

#[tokio::test]
async fn hostname_and_reverse_dns_are_checked_then_set() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let bad =
        session.call("preview_hostname_set", json!({"id": vps, "hostname": "web_01.example.com"})).await;
    assert_eq!(bad.code(), "invalid_option", "{}", bad.json);
    assert_eq!(bad.json["error"]["details"]["field"], "hostname");
    let (quote, set) =
        session.two_step("preview_hostname_set", json!({"id": vps, "hostname": "web-01.example.com"})).await;
    assert_eq!(quote["quote"]["after"], "web-01.example.com");
    assert!(set.to_string().contains("web-01.example.com"), "{set}");
    let now = session.call("get_hostname", json!({"id": vps})).await;
    assert_eq!(now.ok()["hostname"], "web-01.example.com");
    let gated = session
        .call("preview_hostname_set", json!({"id": fleet::BLOCKED, "hostname": "a.example.com"}))
        .await;
    assert_eq!(gated.json["error"]["kind"], "blocked", "{}", gated.json);

    let ptr = json!({"id": vps, "ip": "192.0.2.12", "rdns": "mail.example.com"});
    let (quote, _) = session.two_step("preview_reverse_dns_set", ptr).await;
    assert_eq!(quote["quote"]["after"], "mail.example.com", "{quote}");
    let network = session.call("get_network", json!({"id": vps})).await;
    assert!(network.ok().to_string().contains("mail.example.com"));
    let elsewhere = session
        .call("preview_reverse_dns_set", json!({"id": vps, "ip": "198.51.100.9", "rdns": "x.example.com"}))
        .await;
    assert_eq!(elsewhere.code(), "invalid_request", "{}", elsewhere.json);
    let bad_name = session
        .call("preview_reverse_dns_set", json!({"id": vps, "ip": "192.0.2.12", "rdns": "not a name"}))
        .await;
    assert_eq!(bad_name.json["error"]["details"]["field"], "rdns", "{}", bad_name.json);
}

#[tokio::test]
async fn ssh_keys_are_added_deleted_and_installed() {
    let session = start(Settings::default()).await;
    let (quote, added) =
        session.two_step("preview_ssh_key_add", json!({"name": "laptop", "publicKey": KEY})).await;
    assert_eq!(quote["quote"]["fingerprint"], FINGERPRINT, "{quote}");
    assert_eq!(added["serverAgrees"], true, "{added}");
    let id = added["key"]["id"].as_str().unwrap().to_string();

    let private =
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
    let refused = session.call("preview_ssh_key_add", json!({"name": "oops", "publicKey": private})).await;
    assert_eq!(refused.json["error"]["details"]["field"], "publicKey", "{}", refused.json);
    assert!(!session.transcript().contains("b3BlbnNzaC1rZXktdjEAAAAA"), "the private key is never echoed");
    assert!(!session.log().contains("b3BlbnNzaC1rZXktdjEAAAAA"), "nor logged");

    let (quote, deleted) = session.two_step("preview_ssh_key_delete", json!({"id": id})).await;
    assert_eq!(quote["destructive"], true);
    assert_eq!(deleted["deleted"], id.as_str());
    let keys = session.call("list_ssh_keys", json!({})).await;
    let keys = keys.ok()["data"].as_array().unwrap().clone();
    assert!(keys.iter().all(|k| k["id"] != id.as_str()));
    let held = keys.iter().find(|k| k["name"] == "staging-provisioning").unwrap()["id"].clone();
    let gated = session.call("preview_ssh_key_delete", json!({"id": held})).await;
    assert_eq!(gated.code(), "pending_order", "{}", gated.json);
    assert_eq!(gated.json["error"]["details"]["gate"], "canDelete");

    let deploy = keys.iter().find(|k| k["name"] == "deploy-key").unwrap()["id"].clone();
    let reset = json!({"id": fleet::QUARTERLY_EUR, "keyIds": [deploy]});
    let (quote, accepted) = session.two_step("preview_vps_ssh_keys_reset", reset).await;
    assert_eq!(quote["destructive"], true);
    assert!(quote["warnings"].to_string().contains("loses SSH access"), "{quote}");
    assert_eq!(accepted["vpsId"], fleet::QUARTERLY_EUR, "{accepted}");
    assert!(accepted["finished"].is_boolean(), "{accepted}");
    let unknown = session
        .call("preview_vps_ssh_keys_reset", json!({"id": fleet::QUARTERLY_EUR, "keyIds": ["ssh_nope"]}))
        .await;
    assert_eq!(unknown.code(), "invalid_request", "{}", unknown.json);
}

#[tokio::test]
async fn password_login_reads_the_guest_once_and_switches() {
    let sandbox = Sandbox::builder().record_exchanges(true).start().await;
    let session = start_on(sandbox, Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let (quote, on) = session.two_step("preview_password_login", json!({"id": vps, "enabled": true})).await;
    assert_eq!((quote["quote"]["now"].clone(), quote["quote"]["after"].clone()), (json!(false), json!(true)));
    assert!(quote["warnings"].to_string().contains("strong"), "{quote}");
    assert_eq!((on["enabled"].clone(), on["lastOperation"]["verified"].clone()), (json!(true), json!(true)));
    let stopped =
        session.call("preview_password_login", json!({"id": fleet::QUARTERLY_EUR, "enabled": false})).await;
    assert_eq!(stopped.code(), "guest_agent_unavailable", "{}", stopped.json);
    assert_eq!(stopped.json["error"]["details"]["gate"], "available");
    let exchanges = session.sandbox.exchanges();
    let reads = exchanges.iter().filter(|e| e.operation.as_deref() == Some("getVpsSshPasswordLogin")).count();
    assert_eq!(reads, 3, "one live read per preview and one by the commit's helper");
}

#[tokio::test]
async fn a_hostname_is_checked_against_the_servers_own_pattern() {
    // A server whose rule is stricter than the spec's: lower-case letters only.
    let server = hostup_testing::MockServer::start_async().await;
    let mut state: hostup::types::HostnameState =
        serde_json::from_str(include_str!("../../../openapi/examples/getVpsHostname.200.json")).unwrap();
    state.validation_rules.pattern = "^[a-z0-9.-]+$".into();
    state.validation_rules.pattern_description = "lower-case letters, digits, dots and hyphens".into();
    let vps = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
    hostup_testing::MockServerExt::get_vps_hostname(&server, |when, then| {
        when.id(vps);
        then.ok(&state);
    });
    let client = hostup_testing::client_for(&server);
    let session = crate::common::start_with(Sandbox::start().await, client, Settings::default()).await;
    let refused =
        session.call("preview_hostname_set", json!({"id": vps, "hostname": "Web-01.example.com"})).await;
    assert_eq!(refused.code(), "invalid_option", "{}", refused.json);
    assert_eq!(refused.json["error"]["details"]["field"], "hostname");
    assert!(
        refused.json["error"]["reason"].as_str().unwrap().contains("lower-case letters"),
        "{}",
        refused.json
    );
    // The same name in lower case passes the rule (the spec's own allows both).
    let quote =
        session.call("preview_hostname_set", json!({"id": vps, "hostname": "web-02.example.com"})).await;
    assert_eq!(quote.ok()["quote"]["after"], "web-02.example.com");
}
