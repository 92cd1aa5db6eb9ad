//! SSH keys, password login, hostname, network and metrics in the sandbox: keys with computed
//! fingerprints across cursor pages, gates refusing with reason and code where the state says so,
//! PTR records and address changes that the next read shows, and metrics drawn from the seed.

use futures::TryStreamExt;
use hostup::prelude::*;
use hostup::types::*;
use hostup::{Client, Confirmation, Destructive, Error};
use hostup_sandbox::{Sandbox, fleet};

use crate::support::{assert_bodies_match_the_spec, error, wait_job};

const SECOND_KEY: &str = include_str!("../../../integration/tests/fixtures/ssh/ed25519.pub");

fn refusal(err: &Error) -> (u16, String) {
    (err.status().map_or(0, |s| s.as_u16()), err.code().map(|c| c.to_string()).unwrap_or_default())
}

/// Every operation of this area once through the generated client, for the test that checks that
/// every operation of the spec answers in its documented shape.
pub async fn exercise(client: &Client) {
    let (annual, monthly) = (fleet::ANNUAL_SEK, fleet::MONTHLY_SEK);
    let page = client.list_ssh_keys().limit(1).send().await.unwrap().into_inner();
    assert_eq!((page.data.len(), page.next_cursor.is_some()), (1, true));
    let body =
        SshKeyCreateRequest { name: "ops".try_into().unwrap(), public_key: SECOND_KEY.try_into().unwrap() };
    let key = client.create_ssh_key().body(body).send().await.unwrap().into_inner();
    let rename = SshKeyRenameRequest { name: "ops-laptop".try_into().unwrap() };
    client.rename_ssh_key().id(&key.id).body(rename).send().await.unwrap();
    let vps_keys = client.list_vps_ssh_keys().id(monthly).send().await.unwrap().into_inner().ssh_keys;
    assert!(vps_keys.iter().any(|k| k.name == "ops-laptop"));
    let reset = SshKeyResetRequest { key_ids: vec![key.id.as_str().try_into().unwrap()] };
    let op = client
        .reset_vps_ssh_keys()
        .id(annual)
        .body(reset)
        .send()
        .await
        .unwrap()
        .into_inner()
        .operation
        .unwrap();
    wait_job(client, &op.job_id).await;
    client.delete_ssh_key().id(&key.id).send().await.unwrap();

    let login = client.get_vps_ssh_password_login().id(annual).send().await.unwrap().into_inner();
    assert_eq!(login.enabled, Some(false));
    let on = SshPasswordLoginRequest { enabled: true };
    assert_eq!(
        client.set_vps_ssh_password_login().id(annual).body(on).send().await.unwrap().into_inner().enabled,
        Some(true)
    );
    let name = client.get_vps_hostname().id(annual).send().await.unwrap().into_inner();
    assert_eq!(name.hostname.as_deref(), Some("db-01.example.com"));
    let change = HostnameChangeRequest { hostname: "db-02.example.com".try_into().unwrap() };
    client.set_vps_hostname().id(annual).body(change).send().await.unwrap();

    let network = client.get_vps_network().id(monthly).send().await.unwrap().into_inner();
    assert_eq!(network.interfaces.len(), 2);
    let subnets = AvailableSubnetsRequest {
        action: AvailableSubnetsRequestAction::GetAvailableSubnets,
        ip_type: IpType::Ipv4,
    };
    let free = client.change_vps_network().id(monthly).body(subnets).send().await.unwrap().into_inner();
    assert_eq!(free.subnets[0]["ips"].as_array().unwrap().len(), 10);
    let metrics = client.get_vps_metrics().id(annual).timeframe(MetricsTimeframe::Day).send().await.unwrap();
    assert_eq!(metrics.into_inner().samples.len(), 96);
}

#[tokio::test]
async fn keys_are_fingerprinted_paged_and_guarded() {
    let sandbox = Sandbox::builder().record_exchanges(true).start().await;
    let client = sandbox.client();
    let added = client.add_ssh_key("ops", SECOND_KEY).await.unwrap();
    assert_eq!(added.server_agrees(), Some(true), "the sandbox computes the same fingerprint");
    let keys: Vec<SshKey> = client.ssh_key_stream(1).try_collect().await.unwrap();
    assert_eq!(keys.len(), 3, "two seeded keys and the new one, one page each");
    let err = client.add_ssh_key("again", SECOND_KEY).await.unwrap_err();
    assert_eq!(refusal(&err), (409, "ssh_key_exists".into()));
    client.rename_account_ssh_key(&added.key.id, "ops-laptop").await.unwrap();
    // The second seeded key is held by the pending order.
    let held = &keys[1];
    let err =
        client.delete_account_ssh_key(&held.id, Confirmation::destroys(held.id.clone())).await.unwrap_err();
    match &err {
        Error::Blocked(b) => {
            assert_eq!((b.action.as_str(), b.code.as_deref()), ("canDelete", Some("pending_order")))
        }
        other => panic!("{other:?}"),
    }
    client.delete_account_ssh_key(&added.key.id, Confirmation::destroys(added.key.id.clone())).await.unwrap();
    assert_eq!(client.ssh_key_stream(100).try_collect::<Vec<_>>().await.unwrap().len(), 2);
    // A raw request with a key whose blob does not match its type gets a field error.
    let bad = SshKeyCreateRequest {
        name: "x".try_into().unwrap(),
        public_key: "ssh-rsa AAAAC3NzaC1lZDI1NTE5".try_into().unwrap(),
    };
    let err = error(client.create_ssh_key().body(bad).send().await);
    assert_eq!(refusal(&err), (400, "invalid_request".into()));

    // Resetting installs exactly the named keys; the running VPS restarts to apply them.
    let deploy = &keys[0];
    let op = client
        .replace_vps_ssh_keys(fleet::PAYG_CLOUD, &[&deploy.id], Destructive::confirm(fleet::PAYG_CLOUD))
        .await;
    wait_job(&client, &op.unwrap().operation.unwrap().job_id).await;
    let details = client.get_vps_details().id(fleet::PAYG_CLOUD).send().await.unwrap().into_inner();
    assert_eq!(details.ssh_keys, std::slice::from_ref(&deploy.public_key));
    let err = client
        .replace_vps_ssh_keys(fleet::BLOCKED, &[&deploy.id], Destructive::confirm(fleet::BLOCKED))
        .await;
    assert!(matches!(err, Err(Error::Blocked(b)) if b.code.as_deref() == Some("pending_order")));
    assert_eq!(assert_bodies_match_the_spec(&sandbox.exchanges()), sandbox.exchanges().len());
}

#[tokio::test]
async fn guest_changes_follow_the_gates() {
    let sandbox = Sandbox::builder().record_exchanges(true).start().await;
    let client = sandbox.client();
    let done = client.set_ssh_password_login(fleet::MONTHLY_SEK, true).await.unwrap();
    assert_eq!((done.enabled, done.last_operation.verified), (Some(true), true));
    // Stopped: the guest agent cannot be asked.
    let err = client.set_ssh_password_login(fleet::QUARTERLY_EUR, false).await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.action == "available"), "{err:?}");
    let err = client.set_hostname(fleet::BLOCKED, "staging-02.example.com").await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("pending_order")), "{err:?}");

    let changed = client.set_hostname(fleet::MONTHLY_SEK, "App-02.Example.com").await.unwrap();
    assert_eq!(
        (changed.hostname.as_deref(), changed.hostname_normalized),
        (Some("app-02.example.com"), true)
    );
    let err = client.set_hostname(fleet::QUARTERLY_EUR, "eu-web-02.example.com").await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("vps_not_running")), "{err:?}");
    assert!(err.to_string().contains("VM must be running"), "{err}");
    assert_eq!(assert_bodies_match_the_spec(&sandbox.exchanges()), sandbox.exchanges().len());
}

#[tokio::test]
async fn network_changes_show_in_the_next_read() {
    let sandbox = Sandbox::builder().record_exchanges(true).start().await;
    let client = sandbox.client();
    let vps = fleet::MONTHLY_SEK;
    let main = client.get_vps_details().id(vps).send().await.unwrap().into_inner().ipv4.unwrap();
    client.set_reverse_dns(vps, &main, "mail.example.com").await.unwrap();
    let network = client.get_vps_network().id(vps).send().await.unwrap().into_inner();
    assert_eq!(network.address(&main).unwrap().rdns.as_deref(), Some("mail.example.com"));

    let change = ChangeIpRequest::builder()
        .action(ChangeIpRequestAction::ChangeIp)
        .ip_address(Some("203.0.113.100".try_into().unwrap()))
        .interface_name(Some("net0".try_into().unwrap()))
        .reserve_old_ip(Some(true));
    client.change_ip(vps, change.try_into().unwrap(), Destructive::confirm(vps)).await.unwrap();
    let details = client.get_vps_details().id(vps).send().await.unwrap().into_inner();
    assert_eq!(details.ipv4.as_deref(), Some("203.0.113.100"));
    client.delete_interface(vps, "net1", Destructive::confirm(vps)).await.unwrap();
    assert_eq!(client.get_vps_network().id(vps).send().await.unwrap().into_inner().interfaces.len(), 1);
    // The main address cannot be removed, only changed.
    let remove = RemoveIpRequest::builder()
        .action(RemoveIpRequestAction::RemoveIp)
        .ip_type(IpType::Ipv4)
        .ip_address(Some("203.0.113.100".try_into().unwrap()));
    let err = client.remove_ip(vps, remove.try_into().unwrap(), Destructive::confirm(vps)).await.unwrap_err();
    assert_eq!(refusal(&err), (409, "primary_ip".into()));
    assert_eq!(assert_bodies_match_the_spec(&sandbox.exchanges()), sandbox.exchanges().len());
}

#[tokio::test]
async fn metrics_are_the_seeds() {
    let (a, b) = (Sandbox::builder().seed(3).start().await, Sandbox::builder().seed(3).start().await);
    let other = Sandbox::builder().seed(4).start().await;
    let read = |s: &Sandbox| {
        let client = s.client();
        async move { client.vps_metrics(fleet::MONTHLY_SEK, MetricsTimeframe::Week).await.unwrap() }
    };
    let (first, second, third) = (read(&a).await, read(&b).await, read(&other).await);
    assert_eq!(first.samples.len(), 168);
    assert_eq!(first.timeframe, Some(MetricsTimeframe::Week));
    assert!(first.samples.iter().all(|s| (0.0..=100.0).contains(&s.cpu_usage_percent)));
    // Compared bucket by bucket, since the reads may fall on either side of an hour.
    let same = |x: &VpsMetrics, y: &VpsMetrics| {
        let pairs: Vec<_> = x
            .samples
            .iter()
            .filter_map(|s| {
                y.samples
                    .iter()
                    .find(|t| t.recorded_at == s.recorded_at)
                    .map(|t| (s.cpu_usage_percent, t.cpu_usage_percent))
            })
            .collect();
        assert!(pairs.len() >= 167, "{} buckets in common", pairs.len());
        pairs.iter().all(|(p, q)| p == q)
    };
    assert!(same(&first, &second), "the same seed draws the same series");
    assert!(!same(&first, &third), "another seed draws another");
    // QUARTERLY_EUR is stopped: its guest reports nothing.
    let off = a.client().vps_metrics(fleet::QUARTERLY_EUR, MetricsTimeframe::Hour).await.unwrap();
    assert!(off.samples.iter().all(|s| s.cpu_usage_percent == 0.0));
}
