//! The firewall, disk, ISO and key-reset helpers against the sandbox (`hostup-sandbox`): the
//! state each change leaves, what the next read shows, and the refusals the sandbox's state
//! makes (a pending order's gates, a full rule table, a spent pool or PAYG limit).

use std::time::Duration;

use futures::TryStreamExt;
use hostup::prelude::*;
use hostup::types::{FirewallOptionsRequest, FirewallPolicy, IsoDevice, PaygLimitType};
use hostup::{
    CommitOptions, Destructive, DiskBudget, DiskSize, Error, IsoFetch, ResourceChange, WaitOptions,
};
use hostup_sandbox::{Sandbox, fleet};

fn fast() -> WaitOptions {
    WaitOptions::default()
        .with_poll_interval(Duration::from_millis(10), Duration::from_millis(40))
        .with_max_wait(Duration::from_secs(60))
}

async fn sandbox() -> Sandbox {
    Sandbox::builder().job_duration(Duration::from_millis(100)).start().await
}

fn blocked(err: &Error) -> (&str, Option<&str>) {
    match err {
        Error::Blocked(b) => (b.action.as_str(), b.code.as_deref()),
        other => panic!("not blocked: {other:?}"),
    }
}

#[tokio::test]
async fn firewall_rules_by_position_and_the_lockout_guard() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let vps = fleet::MONTHLY_SEK; // an SSH allow rule at 0, an upstream outbound rule at 1
    let https = hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "443", None);
    let added = c.add_firewall_rule(vps, https).await.unwrap();
    assert_eq!((added.pos, added.dport.as_deref()), (Some(2), Some("443")), "read back from the list");
    let mut alt = hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "8443", Some("203.0.113.0/24"));
    alt.description = Some("alt https".into());
    let replaced = c.replace_firewall_rule(vps, 2, alt).await.unwrap();
    assert_eq!((replaced.pos, replaced.dport.as_deref()), (Some(2), Some("8443")));
    let err = c.replace_firewall_rule(vps, 1, hostup::firewall_rule(FirewallPolicy::Drop, "udp", "53", None));
    assert_eq!(blocked(&err.await.unwrap_err()).0, "editable", "the outbound rule is read-only");
    c.delete_firewall_rule(vps, 0, Destructive::confirm(vps)).await.unwrap();
    let state = c.list_vps_firewall_rules().id(vps).send().await.unwrap().into_inner();
    let ports: Vec<_> = state.rules.iter().map(|r| (r.pos, r.dport.clone())).collect();
    assert_eq!(ports, [(Some(0), None), (Some(1), Some("8443".into()))], "later rules moved up");

    // A VPS with no rules: DROP would lock the owner out.
    let bare = fleet::ANNUAL_SEK;
    let drop_on = FirewallOptionsRequest { enabled: Some(true), inbound_policy: Some(FirewallPolicy::Drop) };
    let err = c.set_firewall_options(bare, drop_on.clone(), None).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("locks everyone out")), "{err}");
    let options = c.get_vps_firewall_options().id(bare).send().await.unwrap().into_inner();
    assert_eq!((options.enabled, options.inbound_policy.as_str()), (false, "ACCEPT"), "unchanged");
    let ssh = hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "22", Some("198.51.100.10"));
    c.add_firewall_rule(bare, ssh).await.unwrap();
    let now = c.set_firewall_options(bare, drop_on.clone(), None).await.unwrap();
    assert_eq!((now.enabled, now.inbound_policy.as_str()), (true, "DROP"));
    let confirmed = c.set_firewall_options(
        fleet::QUARTERLY_EUR,
        drop_on,
        Some(Destructive::confirm(fleet::QUARTERLY_EUR)),
    );
    assert_eq!(confirmed.await.unwrap().inbound_policy.as_str(), "DROP", "confirmed lock-out is sent");
}

#[tokio::test]
async fn firewall_refusals_name_their_gate() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let rule = || hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "80", None);
    let err = c.add_firewall_rule(fleet::BLOCKED, rule()).await.unwrap_err();
    assert_eq!(blocked(&err), ("canAddRule", Some("pending_order")));
    let err = c.add_firewall_rule(fleet::LEGACY, rule()).await.unwrap_err();
    assert!(blocked(&err).0 == "available" && err.to_string().contains("legacy"), "{err}");
    let vps = fleet::QUARTERLY_EUR;
    let max = c.list_vps_firewall_rules().id(vps).send().await.unwrap().into_inner().limits.max_rules;
    for _ in 0..max {
        c.add_firewall_rule(vps, rule()).await.unwrap();
    }
    let err = c.add_firewall_rule(vps, rule()).await.unwrap_err();
    assert_eq!(blocked(&err), ("canAddRule", Some("firewall_rule_limit_reached")));
    let state = c.list_vps_firewall_rules().id(vps).send().await.unwrap().into_inner();
    assert_eq!((state.rules.len() as u64, state.limits.remaining_rules), (max, 0));
}

#[tokio::test]
async fn disks_draw_on_the_pool_of_a_fixed_vps() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let vps = fleet::MONTHLY_SEK;
    let err = c.add_disk(vps, 10, None).await.unwrap_err();
    assert!(
        blocked(&err).0 == "attachable.availableGb" && err.to_string().contains("additionalStorageGb"),
        "{err}"
    );
    let quote =
        c.preview_resources(vps, &ResourceChange::new().set("additionalStorageGb", 30)).await.unwrap();
    quote.commit(&c, CommitOptions::default()).await.unwrap();
    assert_eq!(
        c.disk_budget(vps).await.unwrap(),
        DiskBudget::Attachable { available_gb: 30.0, purchased_gb: 30.0 }
    );

    let change = c.add_disk(vps, 20, None).await.unwrap();
    change.wait(&c, fast()).await.unwrap();
    let disks = c.list_vps_disks().id(vps).send().await.unwrap().into_inner();
    let extra = disks.iter().find(|d| !d.is_root()).unwrap().clone();
    assert_eq!(extra.size_gb(), Some(20.0));
    assert_eq!(c.disk_budget(vps).await.unwrap().available_gb(), 10.0);
    // Growing it by 15 needs 15 of the 10 GB left.
    let extra_id = extra.id.clone().unwrap();
    let err = c.resize_disk(vps, &extra_id, DiskSize::By(15)).await.unwrap_err();
    assert_eq!(blocked(&err).0, "attachable.availableGb");
    c.resize_disk(vps, "scsi1", DiskSize::To(30)).await.unwrap();
    let err = c.resize_disk(vps, &extra_id, DiskSize::To(25)).await.unwrap_err();
    assert!(err.to_string().contains("disks only grow"), "{err}");
    // The root disk grows through its own gate; it is never detached.
    let root = fleet::root_disk(vps);
    let before = disks.iter().find(|d| d.is_root()).unwrap().size_gb().unwrap();
    c.resize_disk(vps, &root, DiskSize::By(10)).await.unwrap();
    let err = c.delete_disk(vps, &root, false, Destructive::confirm(vps)).await.unwrap_err();
    assert!(blocked(&err).0 == "canDetach" && err.to_string().contains("root disk"), "{err}");
    c.delete_disk(vps, &extra_id, true, Destructive::confirm(vps)).await.unwrap();
    let disks = c.list_vps_disks().id(vps).send().await.unwrap().into_inner();
    assert_eq!(disks.len(), 1);
    assert_eq!(disks[0].size_gb(), Some(before + 10.0));
    assert_eq!(c.disk_budget(vps).await.unwrap().available_gb(), 30.0, "the pool is free again");
    let err = c.add_disk(fleet::BLOCKED, 1, None).await.unwrap_err();
    assert_eq!(blocked(&err).1, Some("pending_order"));
}

#[tokio::test]
async fn payg_disks_draw_on_the_accounts_storage_limit() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let vps = fleet::PAYG_CLOUD;
    let DiskBudget::PaygStorage { remaining_gb, max_gb } = c.disk_budget(vps).await.unwrap() else {
        panic!("a PAYG VPS draws on the account's limit")
    };
    let limits = c.get_payg_limits().send().await.unwrap().into_inner();
    assert_eq!((remaining_gb, max_gb), (limits.remaining.storage_gb, limits.max.storage_gb));
    c.add_disk(vps, 100, None).await.unwrap();
    // The new disk counts against the limit, so the next read says so.
    let after = c.disk_budget(vps).await.unwrap();
    assert_eq!(after.available_gb(), (remaining_gb - 100) as f64, "{after:?}");
    let limits = c.get_payg_limits().send().await.unwrap().into_inner();
    assert_eq!(limits.remaining.storage_gb, remaining_gb - 100);
    assert_eq!(limits.current.storage_gb + limits.remaining.storage_gb, limits.max.storage_gb);
    // Past the limit: refused before sending, naming the quota.
    let over = u64::try_from(remaining_gb - 100 + 1).unwrap().min(1000);
    let Error::QuotaExceeded(q) = c.add_disk(vps, over, None).await.unwrap_err() else { panic!() };
    assert_eq!((q.limit_type, q.remaining), (PaygLimitType::StorageGb, remaining_gb - 100));
    // Growing a PAYG disk is the server's to refuse (403 cloud_storage_limit_exceeded, canAddDisk).
    let extra = c.list_vps_disks().id(vps).send().await.unwrap().into_inner();
    let extra = extra.iter().find(|d| !d.is_root()).unwrap().id.clone().unwrap();
    let err = c
        .resize_disk(vps, &extra, DiskSize::By(u64::try_from(remaining_gb).unwrap().min(900)))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(err.code(), Some(&hostup::ErrorCode::CloudStorageLimitExceeded));
    assert!(!api.refused_gate("canAddDisk").unwrap().allowed);
}

#[tokio::test]
async fn isos_are_fetched_mounted_and_deleted() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let vps = fleet::MONTHLY_SEK;
    let fetch = IsoFetch::new("https://example.com/debian-12.iso", "debian-12.iso");
    let change = c.fetch_iso(vps, &fetch).await.unwrap();
    assert_eq!((change.status, change.is_finished()), (202, false));
    change.wait(&c, fast()).await.unwrap();
    let media = c.list_vps_iso_media().id(vps).send().await.unwrap().into_inner();
    let iso = media.available.iter().find(|i| i.name.as_deref() == Some("debian-12.iso")).unwrap().id.clone();
    // The same file again: 200, already there, nothing to wait for.
    let again = c.fetch_iso(vps, &fetch).await.unwrap();
    assert_eq!((again.status, again.is_finished()), (200, true));

    let mounted = c.mount_iso(vps, &iso, Some(IsoDevice::Ide2)).await.unwrap();
    assert!(mounted.is_finished() && mounted.answer["device"] == "ide2");
    let err = c.mount_iso(vps, &iso, Some(IsoDevice::Ide3)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "no ide3 yet: {err}");
    let drive = c.attach_empty_drive(vps).await.unwrap();
    let slot = drive.answer["device"].as_str().unwrap().to_string();
    let media = c.list_vps_iso_media().id(vps).send().await.unwrap().into_inner();
    assert!(media.available_devices.iter().any(|d| d.device.as_deref() == Some(slot.as_str())));
    let err = c.delete_iso(vps, &iso, Destructive::confirm(vps)).await.unwrap_err();
    assert_eq!(err.code().unwrap().as_str(), "iso_in_use", "the server refuses a mounted ISO");
    assert_eq!(c.unmount_iso(vps, None).await.unwrap().device, "ide2");
    c.delete_iso(vps, &iso, Destructive::confirm(vps)).await.unwrap();
    let media = c.list_vps_iso_media().id(vps).send().await.unwrap().into_inner();
    assert!(media.available.iter().all(|i| i.id != iso));
    let err = c.fetch_iso(fleet::BLOCKED, &fetch).await.unwrap_err();
    assert_eq!(blocked(&err), ("canUpload", Some("pending_order")));

    // A download that fails is the job's failure.
    sandbox.faults().set_failing_jobs(true);
    let broken =
        c.fetch_iso(vps, &IsoFetch::new("http://example.com/broken.iso", "broken.iso")).await.unwrap();
    assert!(matches!(broken.wait(&c, fast()).await, Err(Error::OperationFailed { .. })));
}

#[tokio::test]
async fn a_running_vps_applies_reset_keys_by_a_followed_restart() {
    let sandbox = sandbox().await;
    let c = sandbox.client();
    let keys: Vec<_> = c.ssh_key_stream(100).try_collect().await.unwrap();
    let vps = fleet::MONTHLY_SEK;
    let reset = c.replace_vps_ssh_keys(vps, &[&keys[0].id], Destructive::confirm(vps)).await.unwrap();
    assert!(!reset.is_finished(), "a running VPS restarts to apply them");
    reset.wait(&c, fast()).await.unwrap();
    let details = c.get_vps_details().id(vps).send().await.unwrap().into_inner();
    assert_eq!(details.ssh_keys, std::slice::from_ref(&keys[0].public_key));
    let stopped = fleet::QUARTERLY_EUR;
    let reset = c.replace_vps_ssh_keys(stopped, &[&keys[0].id], Destructive::confirm(stopped)).await.unwrap();
    assert!(reset.is_finished(), "taken at the next boot");
}
