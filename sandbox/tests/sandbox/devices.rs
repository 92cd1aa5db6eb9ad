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
    let pos =
        client.list_vps_firewall_rules().id(id).send().await.unwrap().into_inner().rules[0].pos.unwrap();
    client.replace_vps_firewall_rule().id(id).pos(pos).body(rule).send().await.unwrap();
    client.delete_vps_firewall_rule().id(id).pos(pos).send().await.unwrap();
    client.get_vps_firewall_options().id(id).send().await.unwrap();
    let options = FirewallOptionsRequest::builder().enabled(true);
    client.update_vps_firewall_options().id(id).body(options).send().await.unwrap();

    let quota = client.get_vps_storage_quota().id(id).send().await.unwrap().into_inner();
    assert!(quota.attachable.available_gb >= 0.0);
    client.add_vps_disk().id(id).body(DiskAddRequest::builder().size_gb(10u64)).send().await.unwrap();
    let disks = client.list_vps_disks().id(id).send().await.unwrap().into_inner();
    let storage = client.get_vps_storage().id(id).send().await.unwrap().into_inner();
    assert_eq!(storage.disks.len(), disks.len());
    let last = disks.last().unwrap().id.clone().unwrap();
    client.delete_vps_disk().id(id).disk_name(last).keep_volume(false).send().await.unwrap();

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
    client.delete_vps_iso().id(id).volid(iso).send().await.unwrap();
}
