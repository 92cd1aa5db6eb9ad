//! Firewall, disk and ISO writes: each previews, commits once (a second commit of the token is
//! refused), and refuses what the library refuses with a structured error naming the gate or
//! limit; a firewall that would lock everyone out needs an explicit acknowledgement.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::json;

use crate::common::start;

const UBUNTU: &str = "iso_01jsbxubuntu2404server00001";

#[tokio::test]
async fn firewall_rules_are_added_replaced_and_deleted_by_position() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let add = json!({"id": vps, "action": "ACCEPT", "proto": "tcp", "dport": "443"});
    let (quote, added) = session.two_step("preview_firewall_rule_add", add).await;
    assert_eq!(quote["destructive"], false);
    assert_eq!(quote["quote"]["add"]["type"], "in", "the direction defaults to in: {quote}");
    let pos = added["rule"]["pos"].as_u64().expect("the real position, read back");
    assert_eq!(added["rule"]["dport"], "443");

    let replace = json!({"id": vps, "pos": pos, "action": "ACCEPT", "proto": "tcp", "dport": "8443"});
    let (quote, replaced) = session.two_step("preview_firewall_rule_replace", replace).await;
    assert_eq!(quote["quote"]["current"]["dport"], "443", "{quote}");
    assert_eq!(replaced["rule"]["dport"], "8443", "{replaced}");

    let (quote, deleted) =
        session.two_step("preview_firewall_rule_delete", json!({"id": vps, "pos": pos})).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert_eq!(deleted["deleted"]["dport"], "8443");
    let rules = session.call("list_firewall_rules", json!({"id": vps})).await;
    assert!(!rules.ok().to_string().contains("8443"), "{}", rules.json);

    let read_only = session.call("preview_firewall_rule_delete", json!({"id": vps, "pos": 1})).await;
    assert_eq!(read_only.json["error"]["kind"], "blocked", "the outbound rule: {}", read_only.json);
    assert_eq!(read_only.json["error"]["details"]["gate"], "editable");
    let nowhere = session.call("preview_firewall_rule_delete", json!({"id": vps, "pos": 9})).await;
    assert_eq!(nowhere.code(), "invalid_request", "{}", nowhere.json);
    let gated = session
        .call("preview_firewall_rule_add", json!({"id": fleet::BLOCKED, "action": "ACCEPT", "dport": "22"}))
        .await;
    assert_eq!(gated.code(), "pending_order", "{}", gated.json);
    assert_eq!(gated.json["error"]["details"]["gate"], "canAddRule", "{}", gated.json);
}

#[tokio::test]
async fn a_drop_policy_with_no_allow_rule_needs_the_lockout_acknowledgement() {
    let session = start(Settings::default()).await;
    // PAYG_CLOUD has no rules: an enabled DROP policy would let nobody in.
    let lock = json!({"id": fleet::PAYG_CLOUD, "enabled": true, "inboundPolicy": "DROP"});
    let refused = session.call("preview_firewall_options", lock.clone()).await;
    assert_eq!(refused.code(), "firewall_lockout", "{}", refused.json);
    assert_eq!(refused.json["error"]["details"]["gate"], "lockout");
    assert!(refused.json["error"]["recovery"].as_str().unwrap().contains("acknowledgeLockout"));
    let mut acknowledged = lock.clone();
    acknowledged["acknowledgeLockout"] = true.into();
    let (quote, set) = session.two_step("preview_firewall_options", acknowledged).await;
    assert_eq!(quote["destructive"], true, "{quote}");
    assert!(quote["warnings"].to_string().contains("LOCK-OUT"), "{quote}");
    assert_eq!(set["options"]["inboundPolicy"], "DROP", "{set}");

    // With an allow rule (MONTHLY_SEK's SSH rule) the same change needs nothing more...
    let safe = json!({"id": fleet::MONTHLY_SEK, "enabled": true, "inboundPolicy": "DROP"});
    let (quote, _) = session.two_step("preview_firewall_options", safe).await;
    assert_eq!(quote["destructive"], false, "{quote}");
    // ...but deleting that last allow rule under the DROP policy now does.
    let last =
        session.call("preview_firewall_rule_delete", json!({"id": fleet::MONTHLY_SEK, "pos": 0})).await;
    assert_eq!(last.code(), "firewall_lockout", "{}", last.json);
    let empty = session.call("preview_firewall_options", json!({"id": fleet::MONTHLY_SEK})).await;
    assert_eq!(empty.code(), "invalid_arguments");
}

#[tokio::test]
async fn disks_are_added_resized_and_deleted_within_their_quota() {
    let session = start(Settings::default()).await;
    let vps = fleet::PAYG_CLOUD;
    let (quote, added) = session.two_step("preview_disk_add", json!({"id": vps, "sizeGb": 20})).await;
    let cost = &quote["cost"];
    assert!(cost["recurringIncrease"].as_f64().unwrap() > 0.0, "PAYG storage is billed: {quote}");
    assert_eq!(cost["currency"], "SEK", "{quote}");
    assert_eq!(added["work"], "disk add", "{added}");
    let disks = session.call("list_disks", json!({"id": vps})).await;
    let extra = disks.ok()["disks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["bootOrder"].as_f64() != Some(1.0))
        .cloned();
    let extra = extra.expect("the new disk is listed")["id"].as_str().unwrap().to_string();

    let grow = json!({"id": vps, "diskId": extra, "sizeGb": 10, "incremental": true});
    let (quote, _) = session.two_step("preview_disk_resize", grow).await;
    assert_eq!(quote["quote"]["afterGb"], 30.0, "{quote}");
    let shrink = session.call("preview_disk_resize", json!({"id": vps, "diskId": extra, "sizeGb": 5})).await;
    assert_eq!(shrink.code(), "invalid_option", "{}", shrink.json);
    assert_eq!(shrink.json["error"]["details"]["field"], "sizeGb");

    let (quote, deleted) =
        session.two_step("preview_disk_delete", json!({"id": vps, "diskName": extra})).await;
    assert_eq!(quote["destructive"], true);
    assert!(quote["warnings"].to_string().contains("every byte"), "{quote}");
    assert_eq!(deleted["deleted"], extra.as_str());

    let root =
        session.call("preview_disk_delete", json!({"id": vps, "diskName": fleet::root_disk(vps)})).await;
    assert_eq!(root.code(), "root_disk", "{}", root.json);
    let payg_quota = session.call("preview_disk_add", json!({"id": vps, "sizeGb": 1000})).await;
    assert_eq!(payg_quota.code(), "quota_exceeded", "{}", payg_quota.json);
    assert_eq!(payg_quota.json["error"]["details"]["limit"], "storageGb", "{}", payg_quota.json);
    let pool = session.call("preview_disk_add", json!({"id": fleet::MONTHLY_SEK, "sizeGb": 10})).await;
    assert_eq!(pool.json["error"]["details"]["gate"], "attachable.availableGb", "{}", pool.json);
    let gated = session.call("preview_disk_add", json!({"id": fleet::BLOCKED, "sizeGb": 10})).await;
    assert_eq!(gated.code(), "pending_order", "{}", gated.json);
    let bounds = session.call("preview_disk_add", json!({"id": vps, "sizeGb": 1001})).await;
    assert_eq!(bounds.code(), "invalid_option", "{}", bounds.json);
}

#[tokio::test]
async fn the_ceiling_counts_what_a_payg_disk_costs_a_month() {
    let session = start(Settings::default().max_spend(1.0, Some("SEK".into()))).await;
    let quote = session.call("preview_disk_add", json!({"id": fleet::PAYG_CLOUD, "sizeGb": 20})).await;
    let refused = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "spending_ceiling_exceeded", "{}", refused.json);
    let disks = session.call("list_disks", json!({"id": fleet::PAYG_CLOUD})).await;
    assert_eq!(disks.ok()["disks"].as_array().unwrap().len(), 1, "nothing was sent");
}

#[tokio::test]
async fn isos_are_mounted_and_unmounted() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let (quote, mounted) = session.two_step("preview_iso_mount", json!({"id": vps, "isoId": UBUNTU})).await;
    assert_eq!(quote["quote"]["device"], "ide2", "{quote}");
    assert_eq!(mounted["work"], "ISO mount", "{mounted}");
    let media = session.call("list_iso_media", json!({"id": vps})).await;
    assert!(media.ok()["mounted"].to_string().contains(UBUNTU), "{}", media.json);

    let (quote, ejected) = session.two_step("preview_iso_unmount", json!({"id": vps})).await;
    assert!(quote["quote"]["now"].to_string().contains(UBUNTU), "{quote}");
    assert!(ejected.is_object(), "{ejected}");
    let media = session.call("list_iso_media", json!({"id": vps})).await;
    assert!(!media.ok()["mounted"].to_string().contains(UBUNTU), "{}", media.json);

    let unknown = session.call("preview_iso_mount", json!({"id": vps, "isoId": "iso_nosuch"})).await;
    assert_eq!(unknown.code(), "invalid_request", "{}", unknown.json);
    let no_drive =
        session.call("preview_iso_mount", json!({"id": vps, "isoId": UBUNTU, "device": "ide0"})).await;
    assert!(no_drive.is_error, "{}", no_drive.json);
}
