//! Every SSH key, password-login, hostname, network and metrics operation: the request that goes
//! out (method, path, query, body, auth), and the typed answer, unknown fields included.

use hostup::types::*;
use serde_json::json;

use crate::support::*;

const V: &str = VPS_ID;
const KEY_ID: &str = "ssh_01hxa3b4c5d6e7f8g9h0j1k2m3";

#[tokio::test]
async fn ssh_key_operations() {
    let s = server(200, &with_extra("listSshKeys.200")).await;
    let page = client(&s.base).list_ssh_keys().limit(20).cursor("eyJvZmZzZXQiOjIwfQ").send().await.unwrap();
    assert_request(&s, "GET", "/api/v2/ssh-keys?cursor=eyJvZmZzZXQiOjIwfQ&limit=20", None);
    let page = page.into_inner();
    let key = &page.data[0];
    assert_eq!((key.id.as_str(), key.key_type.clone()), (KEY_ID, Some(SshKeyType::Ed25519)));
    assert_eq!(key.fingerprint.as_deref(), Some("SHA256:8pQ3ExampleFingerprintForDocsOnly"));
    assert!(key.actions.as_ref().unwrap().can_delete.as_ref().unwrap().allowed);
    assert_eq!((page.next_cursor, page.extra["futureField"].clone()), (None, json!({"nested": true})));

    let s = server(201, &fixture("createSshKey.201")).await;
    let body = SshKeyCreateRequest {
        name: "deploy-key".try_into().unwrap(),
        public_key: fixture_json("createSshKey.request")["publicKey"].as_str().unwrap().try_into().unwrap(),
    };
    let created = client(&s.base).create_ssh_key().body(body).send().await.unwrap().into_inner();
    assert_request(&s, "POST", "/api/v2/ssh-keys", Some(fixture_json("createSshKey.request")));
    assert_eq!(created.name, "deploy-key");

    let s = server(200, &with_extra("renameSshKey.200")).await;
    let body = SshKeyRenameRequest { name: "production-deploy-key".try_into().unwrap() };
    let renamed = client(&s.base).rename_ssh_key().id(KEY_ID).body(body).send().await.unwrap().into_inner();
    assert_request(
        &s,
        "PATCH",
        &format!("/api/v2/ssh-keys/{KEY_ID}"),
        Some(fixture_json("renameSshKey.request")),
    );
    assert_eq!(renamed.name.as_deref(), Some("production-deploy-key"));
    assert!(renamed.extra.contains_key("futureField"));
    // Every field of the rename answer is optional on the page.
    let s = server(200, "{}").await;
    let body = SshKeyRenameRequest { name: "x".try_into().unwrap() };
    assert_eq!(
        client(&s.base).rename_ssh_key().id(KEY_ID).body(body).send().await.unwrap().into_inner().id,
        None
    );

    let s = ScriptServer::start(vec![http(204, &[], "")]).await;
    client(&s.base).delete_ssh_key().id(KEY_ID).send().await.unwrap();
    assert_request(&s, "DELETE", &format!("/api/v2/ssh-keys/{KEY_ID}"), None);

    let s = server(200, &with_extra("listVpsSshKeys.200")).await;
    let keys = client(&s.base).list_vps_ssh_keys().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/ssh-keys"), None);
    assert_eq!((keys.ssh_keys[0].id.as_str(), keys.ssh_keys[0].last_used_at.clone()), (KEY_ID, None));
    assert!(keys.extra.contains_key("futureField"));

    let s = server(202, &fixture("resetVpsSshKeys.202")).await;
    let body = SshKeyResetRequest { key_ids: vec![KEY_ID.try_into().unwrap()] };
    let op = client(&s.base).reset_vps_ssh_keys().id(V).body(body).send().await.unwrap().into_inner();
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/actions/reset-ssh-keys"),
        Some(fixture_json("resetVpsSshKeys.request")),
    );
    assert_eq!(op.operation.unwrap().status, OperationStatus::Queued);
}

#[tokio::test]
async fn password_login_and_hostname_operations() {
    let s = server(200, &with_extra("getVpsSshPasswordLogin.200")).await;
    let state = client(&s.base).get_vps_ssh_password_login().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/ssh-password-login"), None);
    assert_eq!(
        (state.available, state.enabled, state.source),
        (true, Some(false), SshConfigSource::EffectiveSshdConfig)
    );
    assert!(state.actions.can_enable.allowed && state.extra.contains_key("futureField"));
    // The guest agent missing: nulls and `unavailable`, and a source value the docs do not list kept.
    let agentless = json!({"available": false, "enabled": null, "reason": "No agent.", "passwordAuthentication": null,
        "permitRootLogin": null, "source": "agent_v2", "sshKeysConfigured": false, "sshKeys": [],
        "actions": {"canEnable": {"allowed": false, "reason": "No agent."}, "canDisable": {"allowed": false, "reason": "No agent."}}});
    let s = server(200, &agentless.to_string()).await;
    let state = client(&s.base).get_vps_ssh_password_login().id(V).send().await.unwrap().into_inner();
    assert_eq!((state.enabled, state.source.as_str()), (None, "agent_v2"));

    let s = server(200, &fixture("setVpsSshPasswordLogin.200")).await;
    let body = SshPasswordLoginRequest { enabled: true };
    let done =
        client(&s.base).set_vps_ssh_password_login().id(V).body(body).send().await.unwrap().into_inner();
    assert_request(
        &s,
        "PATCH",
        &format!("/api/v2/vps/{V}/ssh-password-login"),
        Some(fixture_json("setVpsSshPasswordLogin.request")),
    );
    assert!(done.last_operation.verified && done.last_operation.requested_enabled);

    let s = server(200, &with_extra("getVpsHostname.200")).await;
    let state = client(&s.base).get_vps_hostname().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/hostname"), None);
    assert_eq!(
        (state.hostname.as_deref(), state.validation_rules.max_length_chars),
        (Some("web-01.example.com"), 253)
    );
    assert_eq!(state.actions.can_change.code, None); // this gate has no code on the page

    let s = server(200, &fixture("setVpsHostname.200")).await;
    let body = HostnameChangeRequest { hostname: "web-01.example.com".try_into().unwrap() };
    let done = client(&s.base).set_vps_hostname().id(V).body(body).send().await.unwrap().into_inner();
    assert_request(
        &s,
        "PUT",
        &format!("/api/v2/vps/{V}/hostname"),
        Some(fixture_json("setVpsHostname.request")),
    );
    let protection = done.reverse_dns_protection.unwrap();
    assert_eq!(
        (protection.status, protection.monitored_ip_count),
        (ReverseDnsProtectionStatus::NotChanged, 1)
    );
}

#[tokio::test]
async fn network_and_metrics_operations() {
    let s = server(200, &with_extra("getVpsNetwork.200")).await;
    let network = client(&s.base).get_vps_network().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/network"), None);
    let address = &network.interfaces[0].ip[0];
    assert_eq!(
        (address.ip.as_deref(), address.mask.as_deref(), address.main),
        (Some("203.0.113.42"), Some("24"), Some(true))
    );
    assert_eq!(network.interfaces[0].vlan, None);
    assert!(network.extra.contains_key("futureField"));

    let rdns = UpdateRdnsRequest {
        action: UpdateRdnsRequestAction::UpdateRdns,
        ip: "203.0.113.42".try_into().unwrap(),
        rdns: "web-01.example.com".try_into().unwrap(),
    };
    let s = server(200, &fixture("changeVpsNetwork.200")).await;
    client(&s.base).change_vps_network().id(V).body(rdns).send().await.unwrap();
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/network"),
        Some(fixture_json("changeVpsNetwork.request")),
    );

    // The strict bodies carry only the fields that are set.
    let change = ChangeIpRequest::builder()
        .action(ChangeIpRequestAction::ChangeIp)
        .ip_id(Some("ip_new".try_into().unwrap()))
        .interface_name(Some("net0".try_into().unwrap()))
        .reserve_old_ip(Some(true));
    let s = server(202, &fixture("changeVpsNetwork.202")).await;
    let answer = client(&s.base)
        .change_vps_network()
        .id(V)
        .body(ChangeIpRequest::try_from(change).unwrap())
        .send()
        .await;
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/network"),
        Some(json!({"action": "change_ip", "ipId": "ip_new", "interfaceName": "net0", "reserveOldIp": true})),
    );
    assert_eq!(answer.unwrap().into_inner().operation.unwrap().job_id, "job_01hxa3b4c5d6e7f8g9h0j1k2m3");
    let subnets = AvailableSubnetsRequest {
        action: AvailableSubnetsRequestAction::GetAvailableSubnets,
        ip_type: IpType::Ipv4,
    };
    let s = server(200, r#"{"subnets": [{"parentCidr": "203.0.113.0/24", "ips": []}]}"#).await;
    let answer = client(&s.base).change_vps_network().id(V).body(subnets).send().await.unwrap().into_inner();
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/network"),
        Some(json!({"action": "get_available_subnets", "ipType": "ipv4"})),
    );
    assert_eq!(answer.subnets[0]["parentCidr"], "203.0.113.0/24");

    let s = server(200, &with_extra("getVpsMetrics.200")).await;
    let metrics =
        client(&s.base).get_vps_metrics().id(V).timeframe(MetricsTimeframe::Week).send().await.unwrap();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/metrics?timeframe=week"), None);
    let metrics = metrics.into_inner();
    let sample = &metrics.samples[0];
    assert_eq!((sample.cpu_usage_percent, sample.network_outbound_kb_per_second), (12.5, Some(12.3)));
    assert_eq!(metrics.timeframe, Some(MetricsTimeframe::Hour));
    // A timeframe the docs do not list decodes as an opaque value.
    let s = server(200, r#"{"timeframe": "quarter", "samples": []}"#).await;
    let metrics = client(&s.base).get_vps_metrics().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "GET", &format!("/api/v2/vps/{V}/metrics"), None);
    assert_eq!(metrics.timeframe.unwrap().as_str(), "quarter");
}
