//! No secret in any result or log line: the API key and the sandbox's root passwords.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::json;

use crate::common::start;

#[tokio::test]
async fn no_result_or_log_line_shows_a_secret() {
    let session = start(Settings::default()).await;
    let mut passwords = Vec::new();
    for id in fleet::ALL {
        let details = session.sandbox.client().get_vps_details().id(id).send().await.unwrap().into_inner();
        passwords.extend(details.access.root_password.map(|p| p.expose().to_string()));
        for tool in ["get_vps_details", "get_vps_status", "list_vps_invoices", "get_vps_bandwidth"] {
            session.call(tool, json!({"id": id})).await;
        }
    }
    assert!(!passwords.is_empty(), "the sandbox's VPSes have root passwords");
    session.call("list_vps", json!({})).await;
    let quote =
        session.call("preview_power_action", json!({"id": fleet::MONTHLY_SEK, "action": "restart"})).await;
    session.call("commit", quote.ok()["commitWith"].clone()).await.ok();
    let shown = session.transcript() + &session.log();
    assert!(shown.contains("[redacted]"), "the root password field is shown redacted");
    assert!(!shown.contains(session.sandbox.api_key()), "the API key leaked");
    for password in passwords {
        assert!(!shown.contains(&password), "a root password leaked");
    }
}

#[tokio::test]
async fn no_area_tool_shows_a_secret() {
    let session = start(Settings::default()).await;
    let mut passwords = Vec::new();
    for id in fleet::ALL {
        let details = session.sandbox.client().get_vps_details().id(id).send().await.unwrap().into_inner();
        passwords.extend(details.access.root_password.map(|p| p.expose().to_string()));
        for tool in crate::area_reads::AREA_READS {
            session.call(tool, json!({"id": id})).await;
        }
    }
    for tool in
        ["get_payg_options", "get_payg_limits", "list_cancellations", "list_products", "list_ssh_keys"]
    {
        session.call(tool, json!({})).await.ok();
    }
    let deploy = json!({"name": "web-09", "cpuCores": 1, "memoryGb": 1, "storageGb": 50});
    session.two_step("preview_payg_deploy", deploy).await;
    session.two_step("preview_password_login", json!({"id": fleet::MONTHLY_SEK, "enabled": true})).await;
    session.two_step("preview_rebuild", json!({"id": fleet::ANNUAL_SEK, "templateId": "Debian 12"})).await;
    session.two_step("preview_convert_to_cloud", json!({"id": fleet::MONTHLY_SEK})).await;
    let order = json!({"items": [{"productSlug": "vps-sm", "billingCycle": "monthly"}]});
    session.two_step("preview_order_place", order).await;
    let change = json!({"id": fleet::MONTHLY_SEK, "ipAddress": "203.0.113.101"});
    session.two_step("preview_ip_change", change).await;
    let shown = session.transcript() + &session.log();
    assert!(!passwords.is_empty());
    assert!(!shown.contains(session.sandbox.api_key()), "the API key leaked");
    for password in passwords {
        assert!(!shown.contains(&password), "a root password leaked");
    }
}
