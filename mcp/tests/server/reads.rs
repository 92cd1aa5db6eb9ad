//! Tool listing, schemas, and every read tool against the sandbox's seeded fleet.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::json;

use crate::common::start;

pub const READS: [&str; 13] = [
    "list_vps",
    "get_vps_details",
    "get_vps_status",
    "get_vps_bandwidth",
    "list_vps_invoices",
    "get_upgrade_options",
    "list_snapshots",
    "get_snapshot_schedule",
    "list_backups",
    "list_backup_schedules",
    "list_restore_sources",
    "list_active_jobs",
    "get_job",
];

#[tokio::test]
async fn tools_are_listed_with_schemas_from_the_spec() {
    let session = start(Settings::default()).await;
    let tools = session.tools().await;
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for read in READS {
        assert!(names.contains(&read), "{read} missing from {names:?}");
    }
    assert!(names.contains(&"commit") && names.contains(&"preview_resource_change"), "{names:?}");
    for tool in &tools {
        assert_eq!(tool.input_schema["type"], "object", "{}", tool.name);
        assert!(
            tool.description.as_deref().is_some_and(|d| d.len() > 60),
            "{} needs a real description",
            tool.name
        );
        assert!(!serde_json::to_string(&tool.input_schema).unwrap().contains("$ref"), "{}", tool.name);
    }
    let find = |name: &str| tools.iter().find(|t| t.name == name).unwrap();
    // Straight from the spec: listVps's `limit` bounds, the PowerState enum, the VpsId description.
    let list = &find("list_vps").input_schema["properties"];
    assert_eq!((list["limit"]["minimum"].clone(), list["limit"]["maximum"].clone()), (json!(1), json!(100)));
    assert!(list["powerState"]["enum"].as_array().unwrap().contains(&json!("stopped")), "{list}");
    let change = &find("preview_resource_change").input_schema;
    assert!(
        change["properties"]["resources"].is_object() && change["properties"]["dryRun"].is_null(),
        "{change:?}"
    );
    assert!(change["required"].as_array().unwrap().contains(&json!("id")));
    assert!(change["properties"]["id"]["description"].as_str().unwrap().contains("list_vps"));
    let plan = &find("preview_plan_change").input_schema;
    assert_eq!(plan["properties"]["productSlug"]["type"], "string", "{plan:?}");
    let annotations = |name: &str| find(name).annotations.clone().unwrap();
    assert_eq!(annotations("commit").destructive_hint, Some(true));
    assert_eq!(annotations("get_vps_details").read_only_hint, Some(true));
}

#[tokio::test]
async fn the_inventory_reads_answer_with_filters_gates_and_invoices() {
    let session = start(Settings::default()).await;
    let all = session.call("list_vps", json!({})).await;
    assert_eq!(all.ok()["data"].as_array().unwrap().len(), fleet::ALL.len());
    let payg = session.call("list_vps", json!({"isPayg": true})).await;
    let ids: Vec<&str> =
        payg.ok()["data"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [fleet::PAYG_CLOUD]);
    assert_eq!(payg.ok()["filteredOut"], fleet::ALL.len() - 1);
    let stopped = session.call("list_vps", json!({"powerState": "stopped", "limit": 100})).await;
    let stopped: Vec<&str> =
        stopped.ok()["data"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert!(stopped.contains(&fleet::QUARTERLY_EUR) && !stopped.contains(&fleet::MONTHLY_SEK), "{stopped:?}");
    let named = session.call("list_vps", json!({"name": "app-01"})).await;
    assert_eq!(named.ok()["data"][0]["id"], fleet::MONTHLY_SEK);

    let blocked = session.call("get_vps_details", json!({"id": fleet::BLOCKED})).await;
    let gates = &blocked.ok()["gates"];
    assert!(gates["blocked"].as_array().unwrap().iter().any(|g| g["code"] == "pending_order"), "{gates}");
    let open = session.call("get_vps_details", json!({"id": fleet::MONTHLY_SEK})).await;
    assert!(open.ok()["gates"]["allowed"].as_array().unwrap().contains(&json!("canRestart")));
    assert_eq!(open.ok()["vps"]["id"], fleet::MONTHLY_SEK);

    let status = session.call("get_vps_status", json!({"id": fleet::QUARTERLY_EUR})).await;
    assert_eq!(status.ok()["powerState"], "stopped", "{}", status.json);
    let bandwidth = session.call("get_vps_bandwidth", json!({"id": fleet::MONTHLY_SEK})).await;
    assert!(bandwidth.ok()["bandwidth"]["usedGb"].is_number(), "{}", bandwidth.json);
    let invoices = session.call("list_vps_invoices", json!({"id": fleet::OVERDUE})).await;
    let link = invoices.ok()["unpaid"][0]["paymentLink"].as_str().unwrap().to_string();
    assert!(link.starts_with(session.sandbox.url()), "{link}");
    let options = session.call("get_upgrade_options", json!({"id": fleet::MONTHLY_SEK})).await;
    assert!(options.ok()["configurableOptions"].is_array(), "{}", options.json);
}

#[tokio::test]
async fn the_recovery_reads_answer_and_an_unknown_id_is_a_structured_refusal() {
    let session = start(Settings::default()).await;
    for tool in ["list_snapshots", "get_snapshot_schedule", "list_backups", "list_backup_schedules"] {
        let answer = session.call(tool, json!({"id": fleet::ANNUAL_SEK})).await;
        assert!(answer.ok().is_object(), "{tool}");
    }
    for tool in ["list_restore_sources", "list_active_jobs"] {
        session.call(tool, json!({"id": fleet::ANNUAL_SEK})).await.ok();
    }
    let snapshots = session.call("list_snapshots", json!({"id": fleet::MONTHLY_SEK})).await;
    assert!(snapshots.ok()["data"].is_array(), "{}", snapshots.json);

    let unknown = session.call("get_vps_details", json!({"id": "vps_01jsbxnosuchvps0000000000099"})).await;
    assert!(unknown.code().contains("not_found"), "{}", unknown.json);
    assert_eq!(unknown.json["error"]["kind"], "api_error");
    assert!(unknown.json["error"]["recovery"].as_str().unwrap().contains("list_vps"));
    let job = session.call("get_job", json!({"jobId": "job_nosuchjob"})).await;
    assert!(job.is_error, "{}", job.json);
    let missing = session.call("get_vps_status", json!({})).await;
    assert_eq!(missing.code(), "invalid_arguments");
    let extra = session.call("get_vps_status", json!({"id": fleet::MONTHLY_SEK, "force": true})).await;
    assert_eq!(extra.code(), "invalid_arguments");
}
