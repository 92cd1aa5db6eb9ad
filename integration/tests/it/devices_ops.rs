//! Every firewall, disk, storage and ISO operation: the request that goes out (method, path,
//! query, documented body, credentials), the typed answer decoded from the spec's example with
//! every documented field kept, the scopes the table declares, and each documented error status
//! as a typed `hostup::Error` with its code (the 403 of add-disk with its `canAddDisk` extension).

use hostup::operations::{OPERATIONS, ReplaySafe};
use hostup::types::*;
use hostup::{Client, Error, Result};
use httpmock::prelude::*;
use serde_json::{Value, json};

use crate::support::*;

const V: &str = VPS_ID;
const DISK: &str = "vpsdisk_01hxa3b4c5d6e7f8g9h0j1k2m3";
const ISO: &str = "iso_01hxa3b4c5d6e7f8g9h0j1k2m3";

/// `(operationId, method, path, success status)` of every operation of this area.
fn operations() -> Vec<(&'static str, &'static str, String, u16)> {
    let vps = |tail: &str| format!("/api/v2/vps/{V}{tail}");
    vec![
        ("listVpsFirewallRules", "GET", vps("/firewall"), 200),
        ("addVpsFirewallRule", "POST", vps("/firewall"), 201),
        ("replaceVpsFirewallRule", "PUT", vps("/firewall/3"), 200),
        ("deleteVpsFirewallRule", "DELETE", vps("/firewall/3"), 204),
        ("getVpsFirewallOptions", "GET", vps("/firewall/options"), 200),
        ("updateVpsFirewallOptions", "PUT", vps("/firewall/options"), 200),
        ("listVpsDisks", "GET", vps("/disks"), 200),
        ("deleteVpsDisk", "DELETE", vps(&format!("/disks/{DISK}")), 204),
        ("getVpsStorage", "GET", vps("/storage"), 200),
        ("getVpsStorageQuota", "GET", vps("/storage-quota"), 200),
        ("addVpsDisk", "POST", vps("/actions/add-disk"), 200),
        ("resizeVpsDisk", "POST", vps("/actions/resize-disk"), 200),
        ("listVpsIsoMedia", "GET", vps("/iso"), 200),
        ("mountVpsIso", "POST", vps("/iso/actions/mount"), 200),
        ("unmountVpsIso", "POST", vps("/iso/actions/unmount"), 200),
        ("attachVpsEmptyDrive", "POST", vps("/iso/actions/attach-empty"), 200),
        ("fetchVpsIsoFromUrl", "POST", vps("/iso/actions/from-url"), 202),
        ("deleteVpsIso", "DELETE", vps(&format!("/iso/{ISO}")), 204),
    ]
}

/// Calls one operation with its documented request; the typed answer as JSON.
async fn call(client: &Client, id: &str) -> Result<Value> {
    Ok(match id {
        "listVpsFirewallRules" => answer_json(client.list_vps_firewall_rules().id(V).send().await?),
        "addVpsFirewallRule" => answer_json(
            client
                .add_vps_firewall_rule()
                .id(V)
                .body(request_fixture::<FirewallRuleRequest>(id))
                .send()
                .await?,
        ),
        "replaceVpsFirewallRule" => answer_json(
            client
                .replace_vps_firewall_rule()
                .id(V)
                .pos(3u64)
                .body(request_fixture::<FirewallRuleRequest>(id))
                .send()
                .await?,
        ),
        "deleteVpsFirewallRule" => {
            answer_json(client.delete_vps_firewall_rule().id(V).pos(3u64).send().await?)
        }
        "getVpsFirewallOptions" => answer_json(client.get_vps_firewall_options().id(V).send().await?),
        "updateVpsFirewallOptions" => answer_json(
            client
                .update_vps_firewall_options()
                .id(V)
                .body(request_fixture::<FirewallOptionsRequest>(id))
                .send()
                .await?,
        ),
        "listVpsDisks" => answer_json(client.list_vps_disks().id(V).send().await?),
        "deleteVpsDisk" => answer_json(client.delete_vps_disk().id(V).disk_name(DISK).send().await?),
        "getVpsStorage" => answer_json(client.get_vps_storage().id(V).send().await?),
        "getVpsStorageQuota" => answer_json(client.get_vps_storage_quota().id(V).send().await?),
        "addVpsDisk" => {
            answer_json(client.add_vps_disk().id(V).body(request_fixture::<DiskAddRequest>(id)).send().await?)
        }
        "resizeVpsDisk" => answer_json(
            client.resize_vps_disk().id(V).body(request_fixture::<DiskResizeRequest>(id)).send().await?,
        ),
        "listVpsIsoMedia" => answer_json(client.list_vps_iso_media().id(V).send().await?),
        "mountVpsIso" => answer_json(
            client.mount_vps_iso().id(V).body(request_fixture::<IsoMountRequest>(id)).send().await?,
        ),
        "unmountVpsIso" => answer_json(
            client.unmount_vps_iso().id(V).body(request_fixture::<IsoUnmountRequest>(id)).send().await?,
        ),
        "attachVpsEmptyDrive" => answer_json(client.attach_vps_empty_drive().id(V).send().await?),
        "fetchVpsIsoFromUrl" => answer_json(
            client.fetch_vps_iso_from_url().id(V).body(request_fixture::<IsoFetchRequest>(id)).send().await?,
        ),
        "deleteVpsIso" => answer_json(client.delete_vps_iso().id(V).volid(ISO).send().await?),
        other => panic!("no call for {other}"),
    })
}

fn has_fixture(name: &str) -> bool {
    std::path::Path::new(&format!("{}/../openapi/examples/{name}.json", env!("CARGO_MANIFEST_DIR"))).exists()
}

/// `80` and `80.0` are one JSON number to the API, and a null member the same as a missing one.
fn normal(value: &Value) -> Value {
    match value {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.iter().map(normal).collect()),
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), normal(v))).collect(),
        ),
        other => other.clone(),
    }
}

#[tokio::test]
async fn every_device_operation_sends_its_documented_request_and_keeps_its_example() {
    let ops = operations();
    assert_eq!(ops.len(), 18);
    // One server and one client for every operation; each operation's mock is the only one
    // mounted while its call runs.
    let server = MockServer::start_async().await;
    let client = client(&server.base_url());
    for (id, method, path, status) in ops {
        let spec = OPERATIONS.iter().find(|o| o.id == id).unwrap_or_else(|| panic!("{id} not in the spec"));
        assert_eq!(spec.method, method, "{id}");
        let with_body = has_fixture(&format!("{id}.request"));
        let example = format!("{id}.{status}");
        // Add-disk and resize-disk answers were never captured: any JSON object is accepted.
        let answer_text = if has_fixture(&example) { fixture(&example) } else { "{}".to_string() };
        let mock = server
            .mock_async(|when, then| {
                let when =
                    when.method(method).path(path.as_str()).header("authorization", format!("Bearer {KEY}"));
                if with_body {
                    when.json_body(fixture_json(&format!("{id}.request")));
                }
                let then = then.status(status);
                if status != 204 {
                    then.header("content-type", "application/json").body(answer_text.as_str());
                }
            })
            .await;
        let answer = call(&client, id).await.unwrap_or_else(|e| panic!("{id}: {e}"));
        mock.assert_async().await;
        mock.delete_async().await;
        if status == 204 {
            assert_eq!(answer, Value::Null, "{id}: no body");
            continue;
        }
        // Every documented field survives the typed round trip.
        let documented: Value = serde_json::from_str(&answer_text).unwrap();
        assert_eq!(normal(&answer), normal(&documented), "{id}");
    }
}

#[tokio::test]
async fn every_documented_error_status_is_a_typed_error_with_its_code() {
    // One server and one client for every case (a server and a client per case cost about 0.1 s
    // each time): each case's mock is the only one mounted while its call runs.
    let server = MockServer::start_async().await;
    let client = client_with(&server.base_url(), hostup::RetryPolicy::disabled());
    for (id, method, path, _) in operations() {
        // Every route declares these; writes add 409 (a busy VPS, a read-only rule, a full pool).
        let mut declared = vec![400u16, 401, 403, 404, 429, 500];
        if method != "GET" {
            declared.push(409);
        }
        for status in declared {
            let name = format!("{id}.{status}");
            assert!(has_fixture(&name), "{name}: the spec declares it, so its example is a fixture");
            let mock = server
                .mock_async(|when, then| {
                    when.method(method).path(path.as_str());
                    then.status(status)
                        .header("content-type", "application/problem+json")
                        .header("retry-after", "0")
                        .body(fixture(&name));
                })
                .await;
            let err = call(&client, id).await.unwrap_err();
            mock.assert_async().await;
            mock.delete_async().await;
            let Error::Api(api) = &err else { panic!("{name}: {err:?}") };
            assert_eq!(api.status.as_u16(), status, "{name}");
            let code = fixture_json(&name)["code"].as_str().unwrap().to_string();
            assert_eq!(err.code().unwrap().as_str(), code, "{name}");
            assert_eq!(err.request_id(), Some("req_01hxa3b4c5d6e7f8g9h0j1k2m3"), "{name}");
        }
    }
}

#[tokio::test]
async fn a_spent_payg_storage_limit_is_a_403_naming_the_can_add_disk_gate() {
    let s = ScriptServer::start(vec![http(
        403,
        &[("content-type", "application/problem+json")],
        &fixture("addVpsDisk.403"),
    )])
    .await;
    let body = DiskAddRequest { size_gb: std::num::NonZeroU64::new(20).unwrap(), interface: None };
    let err = client(&s.base).add_vps_disk().id(V).body(body).send().await.unwrap_err();
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/actions/add-disk"), Some(json!({"sizeGb": 20})));
    assert_eq!(err.code(), Some(&hostup::ErrorCode::CloudStorageLimitExceeded));
    let Error::Api(api) = &err else { panic!("{err:?}") };
    let gate = api.refused_gate("canAddDisk").expect("the top-level extension");
    assert!(!gate.allowed);
    assert_eq!(gate.code.as_deref(), Some("cloud_storage_limit_exceeded"));
    assert_eq!(gate.reason.as_deref(), Some("The account's Cloud VPS storage limit is reached."));
    assert!(api.refused_gate("canResize").is_none());
    assert!(!err.is_safe_to_resend());

    // A status the spec does not declare for these routes still decodes as Problem Details.
    let problem = json!({"type": "about:blank", "title": "Unprocessable", "status": 422,
        "code": "validation_failed", "detail": "dport is not a port.", "requestId": "req_x"});
    let s = ScriptServer::start(vec![http(
        422,
        &[("content-type", "application/problem+json")],
        &problem.to_string(),
    )])
    .await;
    let rule = hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "99999", None);
    let err = client(&s.base).add_vps_firewall_rule().id(V).body(rule).send().await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.status.as_u16(), err.code().unwrap().as_str()), (422, "validation_failed"));
    assert_eq!(s.count(), 1, "a 422 is not retried");
}

#[tokio::test]
async fn queries_and_optional_fields_on_the_wire() {
    // keepVolume is sent only when asked for.
    let s = ScriptServer::start(vec![http(204, &[], "")]).await;
    client(&s.base).delete_vps_disk().id(V).disk_name("scsi1").keep_volume(true).send().await.unwrap();
    assert_request(&s, "DELETE", &format!("/api/v2/vps/{V}/disks/scsi1?keepVolume=true"), None);
    let s = ScriptServer::start(vec![http(204, &[], "")]).await;
    client(&s.base).delete_vps_disk().id(V).disk_name(DISK).send().await.unwrap();
    assert_request(&s, "DELETE", &format!("/api/v2/vps/{V}/disks/{DISK}"), None);

    // An empty drive is attached with no body at all.
    let s = server(200, &fixture("attachVpsEmptyDrive.200")).await;
    let drive = client(&s.base).attach_vps_empty_drive().id(V).send().await.unwrap().into_inner();
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/iso/actions/attach-empty"), None);
    assert_eq!((drive.device.as_deref(), drive.operation), (Some("ide3"), None));

    // Unmount without a device: the body is required but empty (the server ejects ide2).
    let s = server(200, &fixture("unmountVpsIso.200")).await;
    let c = client(&s.base);
    let ejected = c.unmount_vps_iso().id(V).body(IsoUnmountRequest { device: None }).send().await;
    let ejected = ejected.unwrap().into_inner();
    assert_request(&s, "POST", &format!("/api/v2/vps/{V}/iso/actions/unmount"), Some(json!({})));
    assert_eq!(ejected.device, "ide2");

    // A resize to a target size leaves `incremental` out; a new disk without `interface` too.
    let s =
        server(202, r#"{"operation": {"status": "queued", "jobId": "job_1", "pollUrl": "/api/jobs/job_1"}}"#)
            .await;
    let resize = DiskResizeRequest {
        disk_id: DISK.into(),
        size_gb: std::num::NonZeroU64::new(120).unwrap(),
        incremental: None,
    };
    let answer = client(&s.base).resize_vps_disk().id(V).body(resize).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 202);
    assert_request(
        &s,
        "POST",
        &format!("/api/v2/vps/{V}/actions/resize-disk"),
        Some(json!({"diskId": DISK, "sizeGb": 120})),
    );
    assert_eq!(answer.into_inner().operation.unwrap().job_id, "job_1");

    // Options are a partial update: only the field that is set goes out.
    let s = server(200, &fixture("updateVpsFirewallOptions.200")).await;
    let change = FirewallOptionsRequest { enabled: Some(false), inbound_policy: None };
    client(&s.base).update_vps_firewall_options().id(V).body(change).send().await.unwrap();
    assert_request(&s, "PUT", &format!("/api/v2/vps/{V}/firewall/options"), Some(json!({"enabled": false})));
}

#[tokio::test]
async fn typed_values_of_the_device_answers() {
    let s = server(200, &with_extra("listVpsFirewallRules.200")).await;
    let state = client(&s.base).list_vps_firewall_rules().id(V).send().await.unwrap().into_inner();
    let rule = &state.rules[0];
    assert_eq!(
        (rule.pos, rule.type_.clone(), rule.action.clone()),
        (Some(0), Some(FirewallDirection::In), Some(FirewallVerdict::Accept))
    );
    assert_eq!((rule.dport.as_deref(), rule.sport.as_deref(), rule.editable), (Some("22"), None, Some(true)));
    assert_eq!((state.limits.max_rules, state.limits.remaining_rules), (100, 99));
    assert!(state.actions.as_ref().unwrap().can_add_rule.as_ref().unwrap().allowed);
    assert_eq!(state.extra["futureField"], json!({"nested": true}));

    let created: FirewallRule = serde_json::from_value(fixture_json("addVpsFirewallRule.201")).unwrap();
    assert_eq!(created.pos, None, "the docs' create answers pos: null");
    let options: FirewallOptions = serde_json::from_value(fixture_json("getVpsFirewallOptions.200")).unwrap();
    assert_eq!((options.enabled, options.inbound_policy.as_str()), (true, "DROP"));

    let disks: Vec<VpsDisk> = serde_json::from_value(fixture_json("listVpsDisks.200")).unwrap();
    let root = &disks[0];
    assert!(root.is_root() && !root.actions.can_detach.allowed);
    assert_eq!(root.actions.can_detach.reason.as_deref(), Some("Cannot detach root disk."));
    assert!(!root.actions.can_expand.as_ref().unwrap().allowed);
    assert_eq!(root.capacity.as_ref().unwrap().used_gb, Some(24.2));
    let storage: StorageState = serde_json::from_value(fixture_json("getVpsStorage.200")).unwrap();
    assert_eq!(storage.disks[0].actions.can_detach.code.as_deref(), Some("pending_order"));
    let quota: StorageQuota = serde_json::from_value(fixture_json("getVpsStorageQuota.200")).unwrap();
    assert_eq!((quota.attachable.available_gb, quota.attachable.upgrade_available), (0.0, Some(true)));

    let media: IsoMedia = serde_json::from_value(fixture_json("listVpsIsoMedia.200")).unwrap();
    assert_eq!((media.available[0].id.as_str(), media.available[0].size_gb), (ISO, Some(5.9)));
    assert_eq!(media.mounted[0].iso_id.as_deref(), Some(ISO));
    assert!(media.actions.can_mount.allowed && media.actions.can_upload.allowed);
    assert!(media.ensure_can_mount(ISO, Some(IsoDevice::Ide2)).is_ok());

    let done: IsoFetchAnswer = serde_json::from_value(fixture_json("fetchVpsIsoFromUrl.200")).unwrap();
    let done = done.operation.unwrap();
    assert_eq!((done.status, done.poll_url), (OperationStatus::Completed, None));
    let queued: IsoFetchAnswer = serde_json::from_value(fixture_json("fetchVpsIsoFromUrl.202")).unwrap();
    let queued = queued.operation.unwrap();
    assert_eq!(queued.poll_url.as_deref(), Some("/api/jobs/job_01hxa3b4c5d6e7f8g9h0j1k2m3"));
    assert_eq!(queued.status, OperationStatus::Queued);
}

#[test]
fn the_table_carries_each_documented_scope_and_replay_rule() {
    let op = |id: &str| OPERATIONS.iter().find(|o| o.id == id).unwrap_or_else(|| panic!("{id}"));
    for (id, method, ..) in operations() {
        let spec = op(id);
        let expected: &[&str] = match (method, id) {
            ("GET", _) => &["read:vm"],
            (_, id) if id.contains("Firewall") => &["write:vm"],
            _ => &["write:vm", "write:storage"],
        };
        assert_eq!(spec.scopes, expected, "{id}");
        assert!(!spec.legacy_auth && !spec.public, "{id}");
        let replay = match (method, id) {
            ("GET", _) | (_, "updateVpsFirewallOptions") => ReplaySafe::Always,
            _ => ReplaySafe::Never,
        };
        assert_eq!(spec.replay_safe, replay, "{id}: a delete moves rules up, a POST may create twice");
    }
}
