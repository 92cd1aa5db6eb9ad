//! The provisioning, access and devices tools: listed with schemas from the spec, and every read
//! answering the sandbox's data.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::{Value, json};

use crate::common::start;

pub const AREA_READS: [&str; 23] = [
    "get_payg_options",
    "get_payg_limits",
    "list_templates",
    "get_conversion_eligibility",
    "get_cancellation",
    "list_cancellations",
    "get_maintenance",
    "list_products",
    "list_orders",
    "get_order",
    "list_ssh_keys",
    "list_vps_ssh_keys",
    "get_password_login",
    "get_hostname",
    "get_network",
    "get_metrics",
    "list_firewall_rules",
    "get_firewall_options",
    "list_disks",
    "get_disk_budget",
    "get_storage",
    "get_storage_quota",
    "list_iso_media",
];

pub const AREA_WRITES: [&str; 31] = [
    "preview_firewall_rule_add",
    "preview_firewall_rule_replace",
    "preview_firewall_rule_delete",
    "preview_firewall_options",
    "preview_disk_add",
    "preview_disk_resize",
    "preview_disk_delete",
    "preview_iso_mount",
    "preview_iso_unmount",
    "preview_hostname_set",
    "preview_reverse_dns_set",
    "preview_ssh_key_add",
    "preview_ssh_key_delete",
    "preview_vps_ssh_keys_reset",
    "preview_password_login",
    "preview_payg_deploy",
    "preview_rebuild",
    "preview_cancellation",
    "preview_cancellation_revoke",
    "preview_convert_to_cloud",
    "preview_maintenance_extend",
    "preview_payg_limit_request",
    "preview_order_place",
    "preview_order_cancel",
    "preview_ip_change",
    "preview_ip_remove",
    "preview_interface_delete",
    "preview_ssh_key_rename",
    "preview_iso_fetch",
    "preview_iso_delete",
    "preview_iso_attach_drive",
];

#[tokio::test]
async fn the_area_tools_are_listed_with_schemas_from_the_spec() {
    let session = start(Settings::default()).await;
    let tools = session.tools().await;
    let find =
        |name: &str| tools.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("{name} is not listed"));
    for name in AREA_READS.iter().chain(&AREA_WRITES) {
        let tool = find(name);
        assert_eq!(tool.input_schema["type"], "object", "{name}");
        assert!(tool.description.as_deref().is_some_and(|d| d.len() > 80), "{name} needs a real description");
        assert!(!serde_json::to_string(&tool.input_schema).unwrap().contains("$ref"), "{name}");
    }
    let props = |name: &str| Value::Object((*find(name).input_schema).clone())["properties"].clone();
    let required = |name: &str| Value::Object((*find(name).input_schema).clone())["required"].clone();
    // Straight from the spec: the bounds, enums and patterns of the generated types.
    assert_eq!(props("preview_disk_add")["sizeGb"]["maximum"], 1000);
    let deploy = props("preview_payg_deploy");
    assert_eq!(
        (deploy["cpuCores"]["minimum"].clone(), deploy["cpuCores"]["maximum"].clone()),
        (json!(1), json!(32))
    );
    assert_eq!(deploy["name"]["pattern"], "^[A-Za-z0-9-]+$");
    assert!(!required("preview_payg_deploy").as_array().unwrap().contains(&json!("region")));
    let options = props("preview_firewall_options");
    assert_eq!(options["inboundPolicy"]["enum"], json!(["ACCEPT", "DROP", "REJECT"]));
    assert_eq!(options["acknowledgeLockout"]["type"], "boolean");
    assert!(props("preview_hostname_set")["hostname"]["maxLength"].is_number());
    assert_eq!(props("get_metrics")["timeframe"]["enum"][0], "hour");
    assert_eq!(props("preview_iso_mount")["device"]["enum"], json!(["ide0", "ide1", "ide2", "ide3"]));
    assert!(
        props("preview_cancellation")["cancelType"]["enum"].as_array().unwrap().contains(&json!("immediate"))
    );
    assert!(
        props("preview_firewall_rule_delete")["id"]["description"].as_str().unwrap().contains("list_vps")
    );
    assert!(props("preview_ssh_key_delete")["id"]["description"].as_str().unwrap().contains("ssh_"));
    let order = props("preview_order_place");
    assert_eq!(order["items"]["minItems"], 1, "{order}");
    assert!(
        order["items"]["items"]["properties"]["billingCycle"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("annually"))
    );
    assert!(order.get("clientData").is_none(), "{order}");
    assert_eq!(props("preview_payg_limit_request")["reason"]["minLength"], 10);
    assert!(props("preview_payg_limit_request").get("currentLimit").is_none(), "the tool reads it");
    assert_eq!(props("preview_ip_remove")["ipType"]["enum"], json!(["ipv4", "ipv6"]));
    assert!(required("preview_ip_remove").as_array().unwrap().contains(&json!("ipType")));
    assert!(props("preview_ip_change").get("action").is_none(), "the tool sets it");
    assert!(props("preview_iso_fetch")["url"]["pattern"].is_string());
    assert!(find("get_password_login").description.as_deref().unwrap().contains("never in a loop"));
    for destructive in [
        "preview_rebuild",
        "preview_disk_delete",
        "preview_cancellation",
        "preview_ssh_key_delete",
        "preview_ip_change",
        "preview_ip_remove",
        "preview_interface_delete",
        "preview_iso_delete",
    ] {
        assert!(
            find(destructive).description.as_deref().unwrap().starts_with("DESTRUCTIVE"),
            "{destructive}"
        );
    }
}

#[tokio::test]
async fn each_area_read_answers_the_sandboxs_data() {
    let session = start(Settings::default()).await;
    let read = |tool: &'static str, args: Value| {
        let session = &session;
        async move { session.call(tool, args).await.ok().clone() }
    };
    let vps = |id: &str| json!({ "id": id });

    let options = read("get_payg_options", json!({})).await;
    assert!(options["pricing"]["cpuPerCoreHour"].as_f64().unwrap() > 0.0, "{options}");
    assert!(options["regions"].as_array().unwrap().iter().any(|r| r["id"] == "stockholm"), "{options}");
    let limits = read("get_payg_limits", json!({})).await;
    assert_eq!(limits["remaining"]["cpuCores"], 14, "16, minus cloud-01's 2: {limits}");
    let templates = read("list_templates", vps(fleet::MONTHLY_SEK)).await;
    assert!(templates["data"].as_array().unwrap().iter().any(|t| t["name"] == "Debian 12"), "{templates}");
    let eligibility = read("get_conversion_eligibility", vps(fleet::OVERDUE)).await;
    assert!(eligibility.to_string().contains("has_unpaid_invoice"), "{eligibility}");
    assert_eq!(read("get_cancellation", vps(fleet::MONTHLY_SEK)).await["status"], "none");
    assert!(read("list_cancellations", json!({})).await.is_object());
    let maintenance = read("get_maintenance", vps(fleet::ANNUAL_SEK)).await;
    assert_eq!(maintenance["hasPendingMaintenance"], true, "{maintenance}");
    let products = read("list_products", json!({"limit": 10})).await;
    assert!(products.to_string().contains("vps-sm"), "{products}");
    let orders = read("list_orders", json!({})).await;
    assert!(orders["data"].is_array(), "{orders}");
    if let Some(order) = orders["data"][0]["id"].as_str() {
        assert_eq!(read("get_order", json!({"id": order})).await["id"], order);
    }

    let keys = read("list_ssh_keys", json!({"limit": 1})).await;
    assert_eq!(keys["data"].as_array().unwrap().len(), 1, "{keys}");
    assert!(keys["nextCursor"].is_string(), "two keys, one a page: {keys}");
    let second = read("list_ssh_keys", json!({"cursor": keys["nextCursor"]})).await;
    assert_eq!(second["data"][0]["name"], "staging-provisioning", "{second}");
    let vps_keys = read("list_vps_ssh_keys", vps(fleet::MONTHLY_SEK)).await;
    assert_eq!(vps_keys["sshKeys"].as_array().unwrap().len(), 2, "{vps_keys}");
    let login = read("get_password_login", vps(fleet::MONTHLY_SEK)).await;
    assert_eq!(
        (login["available"].clone(), login["permitRootLogin"].clone()),
        (json!(true), json!("prohibit-password"))
    );
    let stopped = read("get_password_login", vps(fleet::QUARTERLY_EUR)).await;
    assert_eq!(stopped["available"], false, "{stopped}");
    let hostname = read("get_hostname", vps(fleet::MONTHLY_SEK)).await;
    assert!(hostname["validationRules"]["pattern"].is_string(), "{hostname}");
    let network = read("get_network", vps(fleet::MONTHLY_SEK)).await;
    assert_eq!(network["interfaces"].as_array().unwrap().len(), 2, "net0 and net1: {network}");
    let metrics = read("get_metrics", json!({"id": fleet::ANNUAL_SEK, "timeframe": "day"})).await;
    assert_eq!((metrics["timeframe"].clone(), metrics["sampleCount"].clone()), (json!("day"), json!(96)));
    let times: Vec<&str> =
        metrics["samples"].as_array().unwrap().iter().map(|s| s["recordedAt"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");
    assert_eq!(read("get_metrics", vps(fleet::ANNUAL_SEK)).await["timeframe"], "hour");

    let rules = read("list_firewall_rules", vps(fleet::MONTHLY_SEK)).await;
    assert_eq!(rules["rules"][0]["description"], "Allow SSH from office", "{rules}");
    assert!(rules["limits"]["remainingRules"].is_number(), "{rules}");
    let firewall = read("get_firewall_options", vps(fleet::MONTHLY_SEK)).await;
    assert_eq!(
        (firewall["enabled"].clone(), firewall["inboundPolicy"].clone()),
        (json!(false), json!("ACCEPT"))
    );
    let disks = read("list_disks", vps(fleet::MONTHLY_SEK)).await;
    assert_eq!(disks["disks"][0]["id"], fleet::root_disk(fleet::MONTHLY_SEK), "{disks}");
    let fixed = read("get_disk_budget", vps(fleet::MONTHLY_SEK)).await;
    assert_eq!(
        (fixed["quota"].clone(), fixed["billingModel"].clone()),
        (json!("attachable.availableGb"), json!("fixed"))
    );
    let payg = read("get_disk_budget", vps(fleet::PAYG_CLOUD)).await;
    assert_eq!((payg["quota"].clone(), payg["maxGb"].clone()), (json!("remaining.storageGb"), json!(1000)));
    assert!(read("get_storage", vps(fleet::MONTHLY_SEK)).await.is_object());
    let quota = read("get_storage_quota", vps(fleet::MONTHLY_SEK)).await;
    assert!(quota["attachable"]["availableGb"].is_number(), "{quota}");
    let media = read("list_iso_media", vps(fleet::MONTHLY_SEK)).await;
    assert!(
        media["available"].as_array().unwrap().iter().any(|i| i["id"] == "iso_01jsbxubuntu2404server00001")
    );
}
