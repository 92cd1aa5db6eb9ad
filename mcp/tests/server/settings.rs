//! The safety settings: read-only lists no write tool, allow and deny lists, unknown names refused.

use hostup_mcp::{HostupMcp, Settings};
use hostup_sandbox::fleet;
use serde_json::json;

use crate::area_reads::{AREA_READS, AREA_WRITES};
use crate::common::start;
use crate::reads::READS;

#[tokio::test]
async fn read_only_lists_no_write_tool_and_refuses_calling_one() {
    let session = start(Settings::default().read_only(true)).await;
    let names = session.tool_names().await;
    assert!(names.contains(&"list_vps".to_string()));
    assert!(names.iter().all(|n| !n.starts_with("preview_") && n != "commit"), "{names:?}");
    // Exactly the reads the tests exercise (reads.rs and area_reads.rs): a new read tool must
    // join one of those lists, and so be called by a test.
    let mut reads: Vec<&str> = READS.iter().chain(&AREA_READS).copied().collect();
    reads.sort_unstable();
    let mut listed: Vec<&str> = names.iter().map(String::as_str).collect();
    listed.sort_unstable();
    assert_eq!(listed, reads, "the read-only tools are the exercised reads");
    for write in AREA_WRITES {
        assert!(!names.iter().any(|n| n == write), "{write} is listed read-only");
        let call = session.call(write, json!({"id": fleet::MONTHLY_SEK})).await;
        assert_eq!(call.code(), "tool_not_exposed", "{write}");
    }
    let tools = session.tools().await;
    assert!(tools.iter().all(|t| t.annotations.as_ref().and_then(|a| a.read_only_hint) == Some(true)));
    let call =
        session.call("preview_power_action", json!({"id": fleet::MONTHLY_SEK, "action": "restart"})).await;
    assert_eq!(call.code(), "tool_not_exposed");
    assert_eq!(session.call("commit", json!({"token": "hq_x"})).await.code(), "tool_not_exposed");
}

#[tokio::test]
async fn allow_and_deny_choose_the_tools() {
    let allow = vec!["list_vps".into(), "preview_power_action".into(), "commit".into()];
    let session = start(Settings::default().allow(allow).deny(vec!["commit".into()])).await;
    assert_eq!(session.tool_names().await, ["list_vps", "preview_power_action"]);
    assert_eq!(
        session.call("get_vps_details", json!({"id": fleet::MONTHLY_SEK})).await.code(),
        "tool_not_exposed"
    );
}

#[tokio::test]
async fn an_unknown_tool_name_in_the_settings_is_an_error() {
    let sandbox = hostup_sandbox::Sandbox::start().await;
    let error =
        HostupMcp::new(sandbox.client(), Settings::default().deny(vec!["list_vpss".into()])).err().unwrap();
    assert!(error.to_string().contains("list_vpss") && error.to_string().contains("list_vps,"), "{error}");
}
