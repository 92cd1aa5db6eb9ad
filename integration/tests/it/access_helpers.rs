//! The access helpers (AccessExt) against scripted servers: the requests each makes, in order, its
//! happy path and every refusal, with nothing sent where the client can tell; and the local
//! fingerprints of real keys against what `ssh-keygen -l -E sha256` printed for them.

use futures::TryStreamExt;
use hostup::prelude::*;
use hostup::types::{ChangeIpRequest, ChangeIpRequestAction, MetricsTimeframe};
use hostup::{Confirmation, Destructive, Error, SshKeyLine};
use serde_json::{Value, json};

use crate::support::*;

const V: &str = VPS_ID;
const K: &str = "ssh_01hxa3b4c5d6e7f8g9h0j1k2m3";

fn ok(body: Value) -> Reply {
    json(200, &body.to_string())
}

fn calls(server: &ScriptServer) -> Vec<String> {
    server.seen().iter().map(|s| format!("{} {}", s.method, s.path)).collect()
}

fn blocked(err: &Error) -> (&str, Option<&str>) {
    match err {
        Error::Blocked(b) => (b.action.as_str(), b.code.as_deref()),
        other => panic!("not blocked: {other:?}"),
    }
}

fn invalid_key(err: &Error) -> &str {
    match err {
        Error::InvalidOption { key, .. } => key,
        other => panic!("not InvalidOption: {other:?}"),
    }
}

fn closed() -> Value {
    json!({"allowed": false, "reason": "Pending order.", "code": "pending_order"})
}

fn fixture_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/ssh/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn fingerprints_match_ssh_keygen() {
    for kind in ["ed25519", "rsa", "ecdsa"] {
        let line = fixture_file(&format!("{kind}.pub"));
        // `ssh-keygen -l -E sha256 -f KEY.pub`: bits, fingerprint, comment, (TYPE).
        let printed = fixture_file(&format!("{kind}.pub.fingerprint"));
        let expected = printed.split_whitespace().nth(1).unwrap();
        let key = SshKeyLine::parse(&line).unwrap();
        assert_eq!(key.fingerprint, expected, "{kind}");
        assert_eq!(key.comment.as_deref(), printed.split_whitespace().nth(2), "{kind}");
        assert_eq!(key.line, line.trim(), "{kind}");
    }
    let rsa = SshKeyLine::parse(&fixture_file("rsa.pub")).unwrap();
    assert_eq!(rsa.key_type, hostup::types::SshKeyType::Rsa);
}

fn key(fingerprint: &str) -> Value {
    json!({"id": K, "name": "laptop", "publicKey": "x", "fingerprint": fingerprint, "keyType": "ed25519", "createdAt": null})
}

#[tokio::test]
async fn add_checks_the_key_before_sending_and_compares_fingerprints() {
    let s = ScriptServer::start(vec![ok(json!({}))]).await;
    let c = client(&s.base);
    let err = c.add_ssh_key("laptop", "ssh-ed25519 AAAA!!").await.unwrap_err();
    assert_eq!(invalid_key(&err), "publicKey");
    let ed = fixture_file("ed25519.pub");
    assert_eq!(invalid_key(&c.add_ssh_key("", &ed).await.unwrap_err()), "name");
    let private =
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
    assert!(c.add_ssh_key("laptop", private).await.unwrap_err().to_string().contains("private key"));
    assert_eq!(s.count(), 0, "nothing sent for bad input");

    let local = SshKeyLine::parse(&ed).unwrap().fingerprint;
    let s = ScriptServer::start(vec![json(201, &key(&local).to_string())]).await;
    let added = client(&s.base).add_ssh_key("laptop", &format!("  {}\n", ed.trim())).await.unwrap();
    assert_eq!(added.server_agrees(), Some(true));
    let body: Value = serde_json::from_str(&s.seen()[0].body).unwrap();
    assert_eq!(body, json!({"name": "laptop", "publicKey": ed.trim()}));

    let s = ScriptServer::start(vec![json(201, &key("SHA256:somethingElse").to_string())]).await;
    assert_eq!(client(&s.base).add_ssh_key("laptop", &ed).await.unwrap().server_agrees(), Some(false));
}

#[tokio::test]
async fn keys_stream_across_pages_and_refuse_bad_page_sizes() {
    let page1 = ok(json!({"data": [key("a")], "nextCursor": "c2"}));
    let page2 = ok(json!({"data": [key("b")], "nextCursor": null}));
    let s = ScriptServer::start(vec![page1, page2]).await;
    let keys: Vec<_> = client(&s.base).ssh_key_stream(1).try_collect().await.unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(calls(&s), ["GET /api/v2/ssh-keys?limit=1", "GET /api/v2/ssh-keys?cursor=c2&limit=1"]);
    for size in [0, 101] {
        let err = client(&s.base).ssh_key_stream(size).try_next().await.unwrap_err();
        assert!(err.to_string().contains("1 to 100"), "{err}");
    }
}

fn listed(gates: Value) -> Reply {
    let mut k = key("f");
    k["actions"] = gates;
    ok(json!({"data": [k], "nextCursor": null}))
}

#[tokio::test]
async fn rename_and_delete_check_the_key_gates_first() {
    let s = ScriptServer::start(vec![listed(json!({"canRename": closed()}))]).await;
    let err = client(&s.base).rename_account_ssh_key(K, "new").await.unwrap_err();
    assert_eq!(blocked(&err), ("canRename", Some("pending_order")));
    assert_eq!(calls(&s), ["GET /api/v2/ssh-keys?limit=100"]);

    let s = ScriptServer::start(vec![listed(json!({"canDelete": closed()}))]).await;
    let c = client(&s.base);
    let err = c.delete_account_ssh_key(K, Confirmation::destroys("ssh_other")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)) && s.count() == 0, "{err}");
    let err = c.delete_account_ssh_key(K, Confirmation::destroys(K)).await.unwrap_err();
    assert_eq!(blocked(&err).0, "canDelete");
    let err =
        c.delete_account_ssh_key("ssh_missing", Confirmation::destroys("ssh_missing")).await.unwrap_err();
    assert!(err.to_string().contains("no SSH key ssh_missing"), "{err}");

    let open = json!({"canRename": {"allowed": true, "reason": null}, "canDelete": {"allowed": true, "reason": null}});
    let s =
        ScriptServer::start(vec![listed(open.clone()), ok(key("f")), listed(open), http(204, &[], "")]).await;
    let c = client(&s.base);
    c.rename_account_ssh_key(K, "production").await.unwrap();
    c.delete_account_ssh_key(K, Confirmation::destroys(K)).await.unwrap();
    let seen = calls(&s);
    assert_eq!(seen[1], format!("PATCH /api/v2/ssh-keys/{K}"));
    assert_eq!(seen[3], format!("DELETE /api/v2/ssh-keys/{K}"));
    assert_eq!(s.seen()[1].body, r#"{"name":"production"}"#);
}

fn details(gate: Option<Value>) -> Reply {
    let mut vps = fixture_json("getVpsDetails.200");
    if let Some(gate) = gate {
        vps["actions"]["canResetSshKeys"] = gate;
    }
    ok(vps)
}

#[tokio::test]
async fn replacing_a_vps_keys_checks_gate_and_ids() {
    let vps_keys = ok(json!({"sshKeys": [key("f")]}));
    let s = ScriptServer::start(vec![details(Some(closed()))]).await;
    let c = client(&s.base);
    assert!(c.replace_vps_ssh_keys(V, &[K], Destructive::confirm("vps_other")).await.is_err());
    assert!(c.replace_vps_ssh_keys(V, &[], Destructive::confirm(V)).await.is_err());
    assert_eq!(s.count(), 0);
    let err = c.replace_vps_ssh_keys(V, &[K], Destructive::confirm(V)).await.unwrap_err();
    assert_eq!(blocked(&err), ("canResetSshKeys", Some("pending_order")));

    let s = ScriptServer::start(vec![details(None), vps_keys.clone()]).await;
    let err =
        client(&s.base).replace_vps_ssh_keys(V, &[K, "ssh_gone"], Destructive::confirm(V)).await.unwrap_err();
    assert!(err.to_string().contains("ssh_gone"), "{err}");
    assert_eq!(s.count(), 2, "details and the VPS's keys, no reset");

    let s =
        ScriptServer::start(vec![details(None), vps_keys, json(202, &fixture("resetVpsSshKeys.202"))]).await;
    let op = client(&s.base).replace_vps_ssh_keys(V, &[K], Destructive::confirm(V)).await.unwrap();
    assert!(op.operation.is_some());
    assert_eq!(calls(&s)[2], format!("POST /api/v2/vps/{V}/actions/reset-ssh-keys"));
    assert_eq!(s.seen()[2].body, format!(r#"{{"keyIds":["{K}"]}}"#));
}

fn login(available: bool, can_disable: Value) -> Reply {
    let mut state = fixture_json("getVpsSshPasswordLogin.200");
    state["available"] = json!(available);
    state["actions"]["canDisable"] = can_disable;
    ok(state)
}

#[tokio::test]
async fn password_login_reads_once_and_respects_its_gates() {
    let open = json!({"allowed": true, "reason": null});
    let s = ScriptServer::start(vec![login(false, open.clone())]).await;
    let err = client(&s.base).set_ssh_password_login(V, true).await.unwrap_err();
    assert_eq!(blocked(&err).0, "available");
    let s = ScriptServer::start(vec![login(true, closed())]).await;
    let err = client(&s.base).set_ssh_password_login(V, false).await.unwrap_err();
    assert_eq!(blocked(&err), ("canDisable", Some("pending_order")));
    assert_eq!(s.count(), 1, "one live read, no write");
    let s =
        ScriptServer::start(vec![login(true, open), json(200, &fixture("setVpsSshPasswordLogin.200"))]).await;
    let done = client(&s.base).set_ssh_password_login(V, false).await.unwrap();
    assert!(done.last_operation.verified);
    let path = format!("/api/v2/vps/{V}/ssh-password-login");
    assert_eq!(calls(&s), [format!("GET {path}"), format!("PATCH {path}")]);
    assert_eq!(s.seen()[1].body, r#"{"enabled":false}"#);
}

fn hostname_state(gate: Value, max: i64) -> Reply {
    let mut state = fixture_json("getVpsHostname.200");
    state["actions"]["canChange"] = gate;
    state["validationRules"]["maxLengthChars"] = json!(max);
    ok(state)
}

#[tokio::test]
async fn hostnames_are_checked_by_rule_gate_and_the_servers_rules() {
    let s = ScriptServer::start(vec![ok(json!({}))]).await;
    let long = ["a".repeat(254), format!("{}.com", "a".repeat(64))];
    for bad in ["-web.example.com", "web_01.example.com", "", &long[0], &long[1]] {
        let err = client(&s.base).set_hostname(V, bad).await.unwrap_err();
        assert_eq!(invalid_key(&err), "hostname", "{bad}");
    }
    assert_eq!(s.count(), 0);
    let s = ScriptServer::start(vec![hostname_state(
        json!({"allowed": false, "reason": "VM must be running"}),
        253,
    )])
    .await;
    let err = client(&s.base).set_hostname(V, "web-02.example.com").await.unwrap_err();
    assert_eq!(blocked(&err), ("canChange", None));
    let s = ScriptServer::start(vec![hostname_state(json!({"allowed": true, "reason": null}), 10)]).await;
    let err = client(&s.base).set_hostname(V, "web-02.example.com").await.unwrap_err();
    assert!(err.to_string().contains("10 characters"), "{err}");
    assert_eq!(s.count(), 1);
    let open = json!({"allowed": true, "reason": null});
    let s =
        ScriptServer::start(vec![hostname_state(open, 253), json(200, &fixture("setVpsHostname.200"))]).await;
    client(&s.base).set_hostname(V, "web-02.example.com").await.unwrap();
    assert_eq!(s.seen()[1].body, r#"{"hostname":"web-02.example.com"}"#);
}

fn network() -> Reply {
    let mut state = fixture_json("getVpsNetwork.200");
    let private = json!({"id": "net1", "model": "virtio", "mac": null, "bridge": "vmbr1", "vlan": 100, "firewallEnabled": true,
        "linkDown": false, "ip": [{"id": "ip_priv", "type": "ipv4", "ip": "10.0.0.5", "mask": "24", "main": false}]});
    state["interfaces"].as_array_mut().unwrap().push(private);
    ok(state)
}

#[tokio::test]
async fn reverse_dns_and_destructive_network_changes_are_checked_first() {
    let done = ok(json!({"success": true}));
    let s = ScriptServer::start(vec![network(), done.clone()]).await;
    let c = client(&s.base);
    assert_eq!(invalid_key(&c.set_reverse_dns(V, "203.0.113.42", "bad_name!").await.unwrap_err()), "rdns");
    assert_eq!(s.count(), 0);
    let err = c.set_reverse_dns(V, "198.51.100.7", "web.example.com").await.unwrap_err();
    assert!(err.to_string().contains("203.0.113.42"), "lists the VPS's addresses: {err}");
    let s = ScriptServer::start(vec![network(), done.clone()]).await;
    client(&s.base).set_reverse_dns(V, "203.0.113.42", "mail.example.com").await.unwrap();
    let body: Value = serde_json::from_str(&s.seen()[1].body).unwrap();
    assert_eq!(body, json!({"action": "update_rdns", "ip": "203.0.113.42", "rdns": "mail.example.com"}));

    let s = ScriptServer::start(vec![network()]).await;
    let c = client(&s.base);
    let other = || Destructive::confirm("vps_other");
    assert!(c.delete_interface(V, "net1", other()).await.is_err());
    let change = ChangeIpRequest::builder()
        .action(ChangeIpRequestAction::ChangeIp)
        .ip_id(Some("ip_x".try_into().unwrap()));
    assert!(c.change_ip(V, change.clone().try_into().unwrap(), other()).await.is_err());
    assert_eq!(s.count(), 0, "a confirmation for another VPS sends nothing");
    let no_target = ChangeIpRequest::builder().action(ChangeIpRequestAction::ChangeIp);
    assert!(
        c.change_ip(V, no_target.try_into().unwrap(), Destructive::confirm(V))
            .await
            .unwrap_err()
            .to_string()
            .contains("ipId")
    );
    let err = c.delete_interface(V, "net0", Destructive::confirm(V)).await.unwrap_err();
    assert!(err.to_string().contains("main address"), "{err}");
    let err = c.delete_interface(V, "net7", Destructive::confirm(V)).await.unwrap_err();
    assert!(err.to_string().contains("net7"), "{err}");

    let s = ScriptServer::start(vec![network(), done]).await;
    client(&s.base).delete_interface(V, "net1", Destructive::confirm(V)).await.unwrap();
    let body: Value = serde_json::from_str(&s.seen()[1].body).unwrap();
    assert_eq!(body, json!({"action": "delete_interface", "interfaceName": "net1"}));
}

#[tokio::test]
async fn metrics_come_in_time_order() {
    let sample = |at: &str| json!({"recordedAt": at, "cpuUsagePercent": 1, "memoryUsagePercent": 2, "diskReadMbPerSecond": 0, "diskWriteMbPerSecond": 0});
    let body = json!({"timeframe": "day", "samples": [sample("2026-04-27T12:10:00.000Z"), sample("2026-04-27T12:00:00.000Z")]});
    let s = ScriptServer::start(vec![ok(body)]).await;
    let metrics = client(&s.base).vps_metrics(V, MetricsTimeframe::Day).await.unwrap();
    assert_eq!(metrics.samples[0].recorded_at, "2026-04-27T12:00:00.000Z");
    assert_eq!(calls(&s), [format!("GET /api/v2/vps/{V}/metrics?timeframe=day")]);
}
