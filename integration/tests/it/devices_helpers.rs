//! The firewall and disk helpers (DevicesExt) against scripted servers: the requests each makes,
//! in order, its happy path and every refusal, with nothing sent where the client can tell (ISO
//! media and the key reset are in iso_helpers.rs, flows against the sandbox in devices_flows.rs).

use hostup::prelude::*;
use hostup::types::{FirewallOptionsRequest, FirewallPolicy, PaygLimitType};
use hostup::{Destructive, DiskSize, Error, WaitOptions};
use serde_json::{Value, json};

use crate::support::*;

const V: &str = VPS_ID;
const DISK: &str = "vpsdisk_01hxa3b4c5d6e7f8g9h0j1k2m3";
const EXTRA: &str = "vpsdisk_extra";

pub(crate) fn ok(body: Value) -> Reply {
    json(200, &body.to_string())
}

pub(crate) fn calls(server: &ScriptServer) -> Vec<String> {
    server.seen().iter().map(|s| format!("{} {}", s.method, s.path)).collect()
}

pub(crate) fn blocked(err: &Error) -> (&str, Option<&str>) {
    match err {
        Error::Blocked(b) => (b.action.as_str(), b.code.as_deref()),
        other => panic!("not blocked: {other:?}"),
    }
}

pub(crate) fn invalid_field(err: &Error) -> &str {
    match err {
        Error::InvalidOption { key, .. } => key,
        other => panic!("not InvalidOption: {other:?}"),
    }
}

pub(crate) fn closed() -> Value {
    json!({"allowed": false, "reason": "Pending order.", "code": "pending_order"})
}

pub(crate) fn fast() -> WaitOptions {
    WaitOptions::default()
        .with_poll_interval(std::time::Duration::from_millis(5), std::time::Duration::from_millis(10))
}

pub(crate) fn job(status: &str) -> Reply {
    ok(json!({"operation": {"status": status, "jobId": "job_1", "pollUrl": "/api/jobs/job_1"}}))
}

/// The firewall list with `rules`, `remaining` rules left and the add gate.
fn rules(rules: Value, remaining: u64, can_add: Value) -> Reply {
    ok(json!({"available": true, "enabled": true, "reason": null,
        "limits": {"maxRules": 10, "currentRules": 10 - remaining, "remainingRules": remaining},
        "rules": rules, "actions": {"canAddRule": can_add}}))
}

fn ssh_rule() -> Value {
    let mut rule = fixture_json("listVpsFirewallRules.200")["rules"][0].clone();
    rule["editable"] = json!(true);
    rule
}

fn https_rule(pos: Value) -> Value {
    json!({"pos": pos, "type": "in", "action": "ACCEPT", "enabled": true, "proto": "tcp", "dport": "443",
        "sport": null, "source": null, "dest": null, "description": null, "editable": true})
}

#[tokio::test]
async fn a_new_rule_is_checked_first_and_read_back_for_its_position() {
    let https = hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "443", None);
    let open = json!({"allowed": true, "reason": null});
    let s = ScriptServer::start(vec![rules(json!([]), 5, closed())]).await;
    let err = client(&s.base).add_firewall_rule(V, https.clone()).await.unwrap_err();
    assert_eq!(blocked(&err), ("canAddRule", Some("pending_order")));
    let s = ScriptServer::start(vec![rules(json!([]), 0, open.clone())]).await;
    let err = client(&s.base).add_firewall_rule(V, https.clone()).await.unwrap_err();
    assert_eq!(blocked(&err).0, "limits.remainingRules");
    assert!(err.to_string().contains("all 10 firewall rules"), "{err}");
    let s =
        ScriptServer::start(vec![ok(json!({"available": false, "reason": "Legacy VPS.", "enabled": false,
        "limits": {"maxRules": 0, "currentRules": 0, "remainingRules": 0}, "rules": []}))])
        .await;
    let err = client(&s.base).add_firewall_rule(V, https.clone()).await.unwrap_err();
    assert!(blocked(&err).0 == "available" && err.to_string().contains("Legacy VPS."), "{err}");
    assert_eq!(s.count(), 1, "only the list was read");

    // The create answers pos: null; the list read after it has the rule at 1.
    let s = ScriptServer::start(vec![
        rules(json!([ssh_rule()]), 9, open.clone()),
        json(201, &https_rule(Value::Null).to_string()),
        rules(json!([ssh_rule(), https_rule(json!(1))]), 8, open.clone()),
    ])
    .await;
    let added = client(&s.base).add_firewall_rule(V, https.clone()).await.unwrap();
    assert_eq!((added.pos, added.dport.as_deref()), (Some(1), Some("443")));
    let path = format!("/api/v2/vps/{V}/firewall");
    assert_eq!(calls(&s), [format!("GET {path}"), format!("POST {path}"), format!("GET {path}")]);
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[1].body).unwrap(),
        json!({"type": "in", "action": "ACCEPT", "enabled": true, "proto": "tcp", "dport": "443"})
    );
    // The re-read failing keeps the server's answer: the rule exists, the POST is not resent.
    let s = ScriptServer::start(vec![
        rules(json!([]), 9, open),
        json(201, &https_rule(Value::Null).to_string()),
        json(404, &fixture("listVpsFirewallRules.404")),
    ])
    .await;
    let added = client(&s.base).add_firewall_rule(V, https).await.unwrap();
    assert_eq!(added.pos, None);
    assert_eq!(calls(&s).iter().filter(|c| c.starts_with("POST")).count(), 1);
}

#[tokio::test]
async fn only_listed_editable_inbound_rules_are_replaced_or_deleted() {
    let out = json!({"pos": 1, "type": "out", "action": "ACCEPT", "enabled": true});
    let listed = || rules(json!([ssh_rule(), out.clone()]), 8, json!({"allowed": true, "reason": null}));
    let rule = hostup::firewall_rule(FirewallPolicy::Drop, "tcp", "23", None);
    let s = ScriptServer::start(vec![listed()]).await;
    let c = client(&s.base);
    let err = c.delete_firewall_rule(V, 0, Destructive::confirm("vps_other")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)) && s.count() == 0, "{err}");
    let err = c.replace_firewall_rule(V, 7, rule.clone()).await.unwrap_err();
    assert!(err.to_string().contains("no firewall rule at position 7") && err.to_string().contains("[0, 1]"));
    let err = c.replace_firewall_rule(V, 1, rule.clone()).await.unwrap_err();
    assert_eq!(blocked(&err).0, "editable");
    let err = c.delete_firewall_rule(V, 1, Destructive::confirm(V)).await.unwrap_err();
    assert!(err.to_string().contains("read-only (an out rule)"), "{err}");
    assert!(calls(&s).iter().all(|c| c.starts_with("GET")), "nothing written: {:?}", calls(&s));

    let mut replaced = fixture_json("replaceVpsFirewallRule.200");
    replaced["dport"] = json!("23");
    let s = ScriptServer::start(vec![listed(), ok(replaced), listed(), http(204, &[], "")]).await;
    let c = client(&s.base);
    assert_eq!(c.replace_firewall_rule(V, 0, rule).await.unwrap().dport.as_deref(), Some("23"));
    c.delete_firewall_rule(V, 0, Destructive::confirm(V)).await.unwrap();
    let seen = calls(&s);
    assert_eq!(
        (seen[1].as_str(), seen[3].as_str()),
        (
            format!("PUT /api/v2/vps/{V}/firewall/0").as_str(),
            format!("DELETE /api/v2/vps/{V}/firewall/0").as_str()
        )
    );
}

fn options(enabled: bool, policy: &str) -> Reply {
    let mut options = fixture_json("getVpsFirewallOptions.200");
    options["enabled"] = json!(enabled);
    options["inboundPolicy"] = json!(policy);
    ok(options)
}

#[tokio::test]
async fn a_drop_policy_with_no_allow_rule_needs_a_confirmation() {
    let drop_on = FirewallOptionsRequest { enabled: Some(true), inbound_policy: Some(FirewallPolicy::Drop) };
    let s = ScriptServer::start(vec![options(false, "ACCEPT")]).await;
    let c = client(&s.base);
    let empty = FirewallOptionsRequest { enabled: None, inbound_policy: None };
    assert!(matches!(c.set_firewall_options(V, empty, None).await, Err(Error::InvalidRequest(_))));
    let other = Some(Destructive::confirm("vps_other"));
    assert!(c.set_firewall_options(V, drop_on.clone(), other).await.is_err());
    assert_eq!(s.count(), 0, "refused before anything was read");

    // Only a disabled allow rule: still a lock-out.
    let mut disabled = ssh_rule();
    disabled["enabled"] = json!(false);
    let s =
        ScriptServer::start(vec![options(false, "ACCEPT"), rules(json!([disabled]), 9, json!(null))]).await;
    let err = client(&s.base).set_firewall_options(V, drop_on.clone(), None).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("locks everyone out")), "{err}");
    assert_eq!(calls(&s).len(), 2, "options and rules read, nothing written");
    // Enabling a firewall whose stored policy already drops is the same lock-out.
    let enable = FirewallOptionsRequest { enabled: Some(true), inbound_policy: None };
    let s = ScriptServer::start(vec![options(false, "REJECT"), rules(json!([]), 10, json!(null))]).await;
    assert!(client(&s.base).set_firewall_options(V, enable, None).await.is_err());

    // Confirmed: sent without reading the rules.
    let s =
        ScriptServer::start(vec![options(false, "ACCEPT"), ok(fixture_json("updateVpsFirewallOptions.200"))])
            .await;
    let now = client(&s.base).set_firewall_options(V, drop_on.clone(), Some(Destructive::confirm(V))).await;
    assert_eq!(now.unwrap().inbound_policy.as_str(), "DROP");
    assert_eq!(calls(&s)[1], format!("PUT /api/v2/vps/{V}/firewall/options"));
    assert_eq!(s.seen()[1].body, r#"{"enabled":true,"inboundPolicy":"DROP"}"#);
    // An enabled allow rule keeps the owner in: no confirmation needed.
    let s = ScriptServer::start(vec![
        options(false, "ACCEPT"),
        rules(json!([ssh_rule()]), 9, json!(null)),
        ok(fixture_json("updateVpsFirewallOptions.200")),
    ])
    .await;
    client(&s.base).set_firewall_options(V, drop_on, None).await.unwrap();
    assert_eq!(s.count(), 3);
    // Switching it off never locks anyone out.
    let off = FirewallOptionsRequest { enabled: Some(false), inbound_policy: None };
    let s =
        ScriptServer::start(vec![options(true, "DROP"), ok(fixture_json("updateVpsFirewallOptions.200"))])
            .await;
    client(&s.base).set_firewall_options(V, off, None).await.unwrap();
    assert_eq!(calls(&s)[1], format!("PUT /api/v2/vps/{V}/firewall/options"));
}

fn details(payg: bool, can_add_disk: Option<Value>) -> Reply {
    let mut vps = fixture_json("getVpsDetails.200");
    vps["billing"]["isPayg"] = json!(payg);
    if let Some(gate) = can_add_disk {
        vps["actions"]["canAddDisk"] = gate;
    }
    ok(vps)
}

fn pool(available: f64) -> Reply {
    ok(json!({"attachable": {"purchasedGb": 50, "usedGb": 50.0 - available, "availableGb": available}}))
}

fn payg_limits(remaining: i64) -> Reply {
    let mut limits = fixture_json("getPaygLimits.200");
    limits["remaining"]["storageGb"] = json!(remaining);
    ok(limits)
}

#[tokio::test]
async fn a_new_disk_is_sized_gated_and_budgeted_by_billing_model() {
    let s = ScriptServer::start(vec![details(false, None)]).await;
    let c = client(&s.base);
    for size in [0, 1001] {
        let err = c.add_disk(V, size, None).await.unwrap_err();
        assert_eq!(invalid_field(&err), "sizeGb");
        assert!(err.to_string().contains("1 to 1000"), "{err}");
    }
    assert_eq!(invalid_field(&c.add_disk(V, 20, Some("")).await.unwrap_err()), "interface");
    assert_eq!(s.count(), 0, "bad input sends nothing");
    let s = ScriptServer::start(vec![details(false, Some(closed()))]).await;
    let err = client(&s.base).add_disk(V, 20, None).await.unwrap_err();
    assert_eq!(blocked(&err), ("canAddDisk", Some("pending_order")));
    assert_eq!(s.count(), 1, "the details only");

    // Fixed cycle: the attachable pool, named, with how to buy more.
    let s = ScriptServer::start(vec![details(false, None), pool(10.0)]).await;
    let err = client(&s.base).add_disk(V, 11, None).await.unwrap_err();
    assert_eq!(blocked(&err).0, "attachable.availableGb");
    assert!(err.to_string().contains("additionalStorageGb"), "{err}");
    assert_eq!(calls(&s)[1], format!("GET /api/v2/vps/{V}/storage-quota"));
    // PAYG: the account's storage limit, as a quota error.
    let s = ScriptServer::start(vec![details(true, None), payg_limits(5)]).await;
    let Error::QuotaExceeded(q) = client(&s.base).add_disk(V, 6, None).await.unwrap_err() else { panic!() };
    assert_eq!((q.limit_type, q.requested, q.remaining, q.max), (PaygLimitType::StorageGb, 6, 5, 1000));
    assert_eq!(calls(&s)[1], "GET /api/v2/vps/payg/limits");
    assert_eq!(s.count(), 2, "no add-disk sent");

    // 200: done. 202: followed until the job completes; the POST is sent once.
    let s = ScriptServer::start(vec![details(false, None), pool(10.0), ok(json!({"added": true}))]).await;
    let change = client(&s.base).add_disk(V, 10, Some("scsi")).await.unwrap();
    assert!(change.is_finished() && change.answer["added"] == json!(true));
    let sent: Value = serde_json::from_str(&s.seen()[2].body).unwrap();
    assert_eq!(sent, json!({"sizeGb": 10, "interface": "scsi"}), "no placement field");
    let queued = json!({"operation": {"status": "queued", "jobId": "job_1", "pollUrl": "/api/jobs/job_1"}});
    let s = ScriptServer::start(vec![
        details(true, None),
        payg_limits(880),
        json(202, &queued.to_string()),
        job("in_progress"),
        job("completed"),
    ])
    .await;
    let change = client(&s.base).add_disk(V, 20, None).await.unwrap();
    assert_eq!((change.status, change.is_finished()), (202, false));
    change.wait(&client(&s.base), fast()).await.unwrap();
    assert_eq!(calls(&s)[3..], ["GET /api/jobs/job_1", "GET /api/jobs/job_1"]);
}

fn disks(extra_gates: Value) -> Reply {
    let mut root = fixture_json("listVpsDisks.200")[0].clone();
    root["actions"]["canResize"] = json!({"allowed": true, "reason": null});
    let extra = json!({"id": EXTRA, "name": "scsi1", "bootOrder": null,
        "capacity": {"totalGb": 20, "usedGb": 0}, "actions": extra_gates});
    ok(json!([root, extra]))
}

fn open_disk() -> Value {
    json!({"canDetach": {"allowed": true, "reason": null}, "canResize": {"allowed": true, "reason": null}})
}

#[tokio::test]
async fn resizes_grow_within_the_gate_and_pool() {
    let c = |s: &ScriptServer| client(&s.base);
    let s = ScriptServer::start(vec![disks(open_disk())]).await;
    assert_eq!(invalid_field(&c(&s).resize_disk(V, EXTRA, DiskSize::By(0)).await.unwrap_err()), "sizeGb");
    assert_eq!(invalid_field(&c(&s).resize_disk(V, EXTRA, DiskSize::To(1001)).await.unwrap_err()), "sizeGb");
    assert_eq!(s.count(), 0);
    let err = c(&s).resize_disk(V, EXTRA, DiskSize::To(20)).await.unwrap_err();
    assert!(err.to_string().contains("disks only grow"), "{err}");
    let err = c(&s).resize_disk(V, "scsi9", DiskSize::By(1)).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains(EXTRA)), "lists the disks: {err}");
    let s = ScriptServer::start(vec![disks(json!({"canDetach": closed(), "canResize": closed()}))]).await;
    let err = c(&s).resize_disk(V, "scsi1", DiskSize::By(5)).await.unwrap_err();
    assert_eq!(blocked(&err), ("canResize", Some("pending_order")));
    // A non-root disk of a fixed-cycle VPS grows out of the pool: +15 does not fit 10 GB.
    let s = ScriptServer::start(vec![disks(open_disk()), details(false, None), pool(10.0)]).await;
    assert_eq!(
        blocked(&c(&s).resize_disk(V, EXTRA, DiskSize::To(35)).await.unwrap_err()).0,
        "attachable.availableGb"
    );

    let s =
        ScriptServer::start(vec![disks(open_disk()), details(false, None), pool(10.0), ok(json!({}))]).await;
    let change = c(&s).resize_disk(V, "scsi1", DiskSize::By(10)).await.unwrap();
    assert!(change.is_finished());
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[3].body).unwrap(),
        json!({"diskId": EXTRA, "sizeGb": 10, "incremental": true}),
        "the public id, not the slot name"
    );
    // The root disk grows through its own gate, without the pool.
    let s = ScriptServer::start(vec![disks(open_disk()), ok(json!({}))]).await;
    c(&s).resize_disk(V, DISK, DiskSize::To(100)).await.unwrap();
    assert_eq!(calls(&s)[1], format!("POST /api/v2/vps/{V}/actions/resize-disk"));
    assert_eq!(s.seen()[1].body, format!(r#"{{"diskId":"{DISK}","sizeGb":100}}"#));
}

#[tokio::test]
async fn the_root_disk_is_never_deleted_and_others_honour_can_detach() {
    let s = ScriptServer::start(vec![disks(open_disk())]).await;
    let c = client(&s.base);
    assert!(matches!(
        c.delete_disk(V, EXTRA, false, Destructive::confirm("vps_x")).await,
        Err(Error::InvalidRequest(_))
    ));
    assert_eq!(s.count(), 0);
    let mut root = fixture_json("listVpsDisks.200");
    root[0]["actions"]["canDetach"] = json!({"allowed": true, "reason": null}); // even if a server said so
    let s = ScriptServer::start(vec![ok(root)]).await;
    let err = client(&s.base).delete_disk(V, "scsi0", false, Destructive::confirm(V)).await.unwrap_err();
    assert!(blocked(&err).0 == "canDetach" && err.to_string().contains("root disk"), "{err}");
    assert_eq!(s.count(), 1, "no DELETE");
    let s = ScriptServer::start(vec![disks(json!({"canDetach": closed()}))]).await;
    let err = client(&s.base).delete_disk(V, EXTRA, true, Destructive::confirm(V)).await.unwrap_err();
    assert_eq!(blocked(&err), ("canDetach", Some("pending_order")));

    let s = ScriptServer::start(vec![
        disks(open_disk()),
        http(204, &[], ""),
        disks(open_disk()),
        http(204, &[], ""),
    ])
    .await;
    let c = client(&s.base);
    c.delete_disk(V, "scsi1", true, Destructive::confirm(V)).await.unwrap();
    c.delete_disk(V, EXTRA, false, Destructive::confirm(V)).await.unwrap();
    let seen = calls(&s);
    assert_eq!(seen[1], format!("DELETE /api/v2/vps/{V}/disks/{EXTRA}?keepVolume=true"));
    assert_eq!(seen[3], format!("DELETE /api/v2/vps/{V}/disks/{EXTRA}"));
}
