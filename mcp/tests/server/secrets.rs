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
