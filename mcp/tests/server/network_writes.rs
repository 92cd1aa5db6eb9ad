//! Network changes, SSH key labels and the ISO library as two-step writes: the destructive ones
//! marked in the quote, refusals naming the field or gate before any token is issued.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::{Value, json};

use crate::common::start;

const UBUNTU: &str = "iso_01jsbxubuntu2404server00001";
const RESCUE: &str = "iso_01jsbxcustomrescue000000002";

fn addresses(network: &Value) -> String {
    network["interfaces"].to_string()
}

#[tokio::test]
async fn addresses_and_interfaces_are_removed_and_changed_destructively() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let remove = json!({"id": vps, "ipAddress": "10.10.0.12", "ipType": "ipv4"});
    let (quote, _) = session.two_step("preview_ip_remove", remove).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert_eq!(quote["quote"]["remove"]["ip"], "10.10.0.12", "{quote}");
    let network = session.call("get_network", json!({"id": vps})).await;
    assert!(!addresses(network.ok()).contains("10.10.0.12"), "{}", network.json);
    let main = session
        .call("preview_ip_remove", json!({"id": vps, "ipAddress": "192.0.2.12", "ipType": "ipv4"}))
        .await;
    assert_eq!(main.code(), "primary_ip", "{}", main.json);
    let elsewhere = session
        .call("preview_ip_remove", json!({"id": vps, "ipAddress": "198.51.100.9", "ipType": "ipv4"}))
        .await;
    assert_eq!(elsewhere.code(), "invalid_request", "{}", elsewhere.json);
    let untyped = session.call("preview_ip_remove", json!({"id": vps, "ipAddress": "192.0.2.12"})).await;
    assert_eq!(untyped.code(), "invalid_arguments", "ipType is required: {}", untyped.json);

    let (quote, _) =
        session.two_step("preview_interface_delete", json!({"id": vps, "interfaceName": "net1"})).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    let primary = session.call("preview_interface_delete", json!({"id": vps, "interfaceName": "net0"})).await;
    assert_eq!(primary.code(), "primary_interface", "{}", primary.json);
    let missing = session.call("preview_interface_delete", json!({"id": vps, "interfaceName": "net7"})).await;
    assert_eq!(missing.code(), "invalid_request", "{}", missing.json);

    let change = json!({"id": vps, "ipAddress": "203.0.113.101", "interfaceName": "net0"});
    let (quote, _) = session.two_step("preview_ip_change", change).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert_eq!(
        (quote["quote"]["now"]["ip"].clone(), quote["quote"]["after"].clone()),
        (json!("192.0.2.12"), json!("203.0.113.101"))
    );
    assert!(quote["warnings"].to_string().contains("released"), "{quote}");
    let network = session.call("get_network", json!({"id": vps})).await;
    assert_eq!(network.ok()["interfaces"].as_array().unwrap().len(), 1, "{}", network.json);
    assert_eq!(network.ok()["interfaces"][0]["ip"][0]["ip"], "203.0.113.101", "{}", network.json);
    let nothing = session.call("preview_ip_change", json!({"id": vps})).await;
    assert_eq!(nothing.code(), "invalid_arguments", "{}", nothing.json);
}

#[tokio::test]
async fn an_ssh_key_is_renamed_after_its_name_and_gate_are_checked() {
    let session = start(Settings::default()).await;
    let keys = session.call("list_ssh_keys", json!({})).await;
    let deploy =
        keys.ok()["data"].as_array().unwrap().iter().find(|k| k["name"] == "deploy-key").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
    let (quote, renamed) =
        session.two_step("preview_ssh_key_rename", json!({"id": deploy, "name": "deploy-2026"})).await;
    assert_eq!(
        (quote["quote"]["now"].clone(), quote["quote"]["after"].clone()),
        (json!("deploy-key"), json!("deploy-2026"))
    );
    assert_eq!(quote["destructive"], false);
    assert_eq!(renamed["name"], "deploy-2026", "{renamed}");
    let listed = session.call("list_ssh_keys", json!({})).await;
    assert!(listed.ok().to_string().contains("deploy-2026"), "{}", listed.json);
    let bad = session.call("preview_ssh_key_rename", json!({"id": deploy, "name": ""})).await;
    assert_eq!(bad.json["error"]["details"]["field"], "name", "{}", bad.json);
    let unknown = session.call("preview_ssh_key_rename", json!({"id": "ssh_nope", "name": "x1"})).await;
    assert_eq!(unknown.code(), "invalid_request", "{}", unknown.json);
}

#[tokio::test]
async fn isos_are_fetched_deleted_and_drives_attached() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let fetch =
        json!({"id": vps, "url": "https://example.com/images/debian-12.iso", "filename": "debian-12.iso"});
    let (quote, fetched) = session.two_step("preview_iso_fetch", fetch).await;
    assert_eq!(quote["destructive"], false);
    assert_eq!(fetched["work"], "ISO download", "{fetched}");
    assert!(fetched["operation"]["jobId"].is_string(), "a job to follow: {fetched}");
    let ftp = session
        .call("preview_iso_fetch", json!({"id": vps, "url": "ftp://example.com/a.iso", "filename": "a.iso"}))
        .await;
    assert_eq!(ftp.json["error"]["details"]["field"], "url", "{}", ftp.json);
    let huge = json!({"id": vps, "url": "https://example.com/a.iso", "filename": "a.iso", "sizeBytes": 40_000_000_000u64});
    let huge = session.call("preview_iso_fetch", huge).await;
    assert_eq!(huge.json["error"]["details"]["field"], "sizeBytes", "{}", huge.json);
    let gated = json!({"id": fleet::BLOCKED, "url": "https://example.com/a.iso", "filename": "a.iso"});
    let gated = session.call("preview_iso_fetch", gated).await;
    assert_eq!(gated.json["error"]["details"]["gate"], "canUpload", "{}", gated.json);

    let (quote, deleted) = session.two_step("preview_iso_delete", json!({"id": vps, "volid": RESCUE})).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert_eq!(deleted["deleted"], RESCUE);
    let media = session.call("list_iso_media", json!({"id": vps})).await;
    assert!(!media.ok()["available"].to_string().contains(RESCUE), "{}", media.json);
    let unknown = session.call("preview_iso_delete", json!({"id": vps, "volid": "iso_nosuch"})).await;
    assert_eq!(unknown.code(), "invalid_request", "{}", unknown.json);
    // Listed, but not the owner's: the server refuses the commit, as a result with its code.
    let quote = session.call("preview_iso_delete", json!({"id": vps, "volid": UBUNTU})).await;
    let refused = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "iso_not_owned", "{}", refused.json);

    let mut attached = 0;
    let full = loop {
        let quote = session.call("preview_iso_attach_drive", json!({"id": vps})).await;
        if quote.is_error {
            break quote;
        }
        let done = session.call("commit", quote.ok()["commitWith"].clone()).await;
        assert_eq!(done.ok()["result"]["work"], "empty drive attach", "{}", done.json);
        attached += 1;
        assert!(attached <= 4, "four slots at most");
    };
    assert!(attached >= 1, "MONTHLY_SEK has a free slot");
    assert_eq!(full.code(), "no_free_cdrom_slot", "{}", full.json);
    let media = session.call("list_iso_media", json!({"id": vps})).await;
    assert_eq!(media.ok()["availableDevices"].as_array().unwrap().len(), 4, "{}", media.json);
}
