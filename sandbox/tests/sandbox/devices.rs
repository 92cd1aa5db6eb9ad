//! The firewall, disks and ISO media in the sandbox.

use hostup::Client;
use hostup::types::*;
use hostup_sandbox::fleet;

/// Every firewall, disk and ISO operation once through the generated client, for the test that
/// checks every operation of the spec answers in its documented shape.
pub async fn exercise(client: &Client) {
    let id = fleet::MONTHLY_SEK;
    let rule = hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "443", None);
    let state = client.list_vps_firewall_rules().id(id).send().await.unwrap().into_inner();
    assert!(state.available);
    let created = client.add_vps_firewall_rule().id(id).body(rule.clone()).send().await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let listed = client.list_vps_firewall_rules().id(id).send().await.unwrap().into_inner();
    let added = listed.rules.len() as u64 - 1; // appended
    client.replace_vps_firewall_rule().id(id).pos(added).body(rule).send().await.unwrap();
    client.delete_vps_firewall_rule().id(id).pos(added).send().await.unwrap();
    client.get_vps_firewall_options().id(id).send().await.unwrap();
    let options = FirewallOptionsRequest::builder().enabled(true);
    client.update_vps_firewall_options().id(id).body(options).send().await.unwrap();

    // The plain monthly VPS has no attachable storage; the PAYG VPS draws on the account's limit.
    let quota = client.get_vps_storage_quota().id(id).send().await.unwrap().into_inner();
    assert_eq!(quota.attachable.available_gb, 0.0);
    let payg = fleet::PAYG_CLOUD;
    client.add_vps_disk().id(payg).body(DiskAddRequest::builder().size_gb(10u64)).send().await.unwrap();
    let disks = client.list_vps_disks().id(payg).send().await.unwrap().into_inner();
    let storage = client.get_vps_storage().id(payg).send().await.unwrap().into_inner();
    assert_eq!((disks.len(), storage.disks.len()), (2, 2));
    let last = disks.last().unwrap().id.clone().unwrap();
    client.delete_vps_disk().id(payg).disk_name(last).keep_volume(false).send().await.unwrap();

    let media = client.list_vps_iso_media().id(id).send().await.unwrap().into_inner();
    let iso = media.available[0].id.clone();
    let mount = IsoMountRequest::builder().iso_id(iso.clone()).device(IsoDevice::Ide2);
    client.mount_vps_iso().id(id).body(mount).send().await.unwrap();
    let unmount = IsoUnmountRequest::builder().device(IsoDevice::Ide2);
    client.unmount_vps_iso().id(id).body(unmount).send().await.unwrap();
    client.attach_vps_empty_drive().id(id).send().await.unwrap();
    let fetch =
        hostup::IsoFetch::new("https://example.com/ops-check.iso", "ops-check.iso").validate().unwrap();
    client.fetch_vps_iso_from_url().id(id).body(fetch).send().await.unwrap();
    let own = media.available.iter().find(|i| i.name.as_deref() == Some("rescue.iso")).unwrap();
    client.delete_vps_iso().id(id).volid(own.id.clone()).send().await.unwrap();
}

/// A position beyond 64 bits is a schema-valid integer (the spec sets no maximum): no rule there,
/// so 404, not a validation error (schemathesis found the 400).
#[tokio::test]
async fn a_huge_firewall_position_is_not_found_not_invalid() {
    let sandbox = hostup_sandbox::Sandbox::start().await;
    let url = format!("{}/api/v2/vps/{}/firewall/81749789378752970752", sandbox.url(), fleet::MONTHLY_SEK);
    let response = crate::support::http().delete(&url).bearer_auth(sandbox.api_key()).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "not_found", "{body}");
    let url = format!("{}/api/v2/vps/{}/firewall/1.5", sandbox.url(), fleet::MONTHLY_SEK);
    let response = crate::support::http().delete(&url).bearer_auth(sandbox.api_key()).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400, "a fraction is no position");
}
