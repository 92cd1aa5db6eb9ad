//! `hostup mcp --sandbox` as an MCP client runs it: a child process spoken to over stdin and
//! stdout by rmcp's client.

use std::process::Stdio;

use rmcp::model::CallToolRequestParams;
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};

const MONTHLY_SEK: &str = "vps_01jsbxfixedmonthlysek00002";
const ANNUAL_SEK: &str = "vps_01jsbxfixedannualsek000003";

async fn serve(flags: &[&str]) -> RunningService<RoleClient, ()> {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_hostup"));
    command.args(["mcp", "--sandbox"]).args(flags).env_remove("HOSTUP_API_KEY").env_remove("HOSTUP_BASE_URL");
    serve_command(command).await
}

async fn serve_command(command: tokio::process::Command) -> RunningService<RoleClient, ()> {
    let (transport, _) =
        TokioChildProcess::builder(command).stderr(Stdio::null()).spawn().expect("hostup mcp starts");
    ().serve(transport).await.expect("the server initializes")
}

async fn call(client: &RunningService<RoleClient, ()>, name: &str, arguments: Value) -> (bool, Value) {
    let Value::Object(arguments) = arguments else { unreachable!() };
    let request = CallToolRequestParams::new(name.to_string()).with_arguments(arguments);
    let result = client.call_tool(request).await.expect("no protocol error");
    (result.is_error == Some(true), result.structured_content.expect("structured"))
}

#[tokio::test]
async fn the_server_lists_tools_reads_and_commits_a_quote_once_with_a_log_file() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("writes.jsonl");
    let client = serve(&["--log", log.to_str().unwrap()]).await;
    let tools = client.list_all_tools().await.unwrap();
    assert!(tools.len() >= 20 && tools.iter().any(|t| t.name == "commit"), "{} tools", tools.len());
    let (failed, list) = call(&client, "list_vps", json!({})).await;
    assert!(!failed && list["data"].as_array().unwrap().len() == 8, "{list}");
    let (_, details) = call(&client, "get_vps_details", json!({"id": MONTHLY_SEK})).await;
    assert_eq!(details["vps"]["access"]["rootPassword"], "[redacted]");

    let (_, quote) =
        call(&client, "preview_power_action", json!({"id": MONTHLY_SEK, "action": "restart"})).await;
    let (failed, committed) = call(&client, "commit", quote["commitWith"].clone()).await;
    assert!(!failed && committed["committed"] == true, "{committed}");
    let (failed, again) = call(&client, "commit", quote["commitWith"].clone()).await;
    assert!(failed && again["error"]["code"] == "token_used", "{again}");

    // The areas added later, over the same stdio: a read, a refusal naming the field, a write.
    let (failed, rules) = call(&client, "list_firewall_rules", json!({"id": MONTHLY_SEK})).await;
    assert!(!failed && rules["rules"][0]["dport"] == "22", "{rules}");
    let bad = json!({"id": MONTHLY_SEK, "hostname": "web_01.example.com"});
    let (failed, refused) = call(&client, "preview_hostname_set", bad).await;
    assert!(failed && refused["error"]["details"]["field"] == "hostname", "{refused}");
    // Another VPS: MONTHLY_SEK is rebooting, and a hostname changes only on a running VPS.
    let good = json!({"id": ANNUAL_SEK, "hostname": "web-01.example.com"});
    let (failed, quote) = call(&client, "preview_hostname_set", good).await;
    assert!(!failed, "{quote}");
    let (failed, set) = call(&client, "commit", quote["commitWith"].clone()).await;
    assert!(!failed && set["committed"] == true, "{set}");
    client.cancel().await.unwrap();
    let written = std::fs::read_to_string(&log).unwrap();
    assert_eq!(written.lines().filter(|l| l.contains("\"event\":\"commit\"")).count(), 2, "{written}");
    assert_eq!(written.lines().filter(|l| l.contains("\"event\":\"refused\"")).count(), 1, "{written}");
}

#[tokio::test]
async fn read_only_and_the_ceiling_hold_in_the_process() {
    let client = serve(&["--read-only"]).await;
    let names: Vec<String> =
        client.list_all_tools().await.unwrap().into_iter().map(|t| t.name.to_string()).collect();
    assert!(
        names.contains(&"list_vps".into())
            && names.contains(&"list_firewall_rules".into())
            && names.iter().all(|n| !n.starts_with("preview_") && n != "commit"),
        "{names:?}"
    );
    client.cancel().await.unwrap();

    let client = serve(&["--max-spend", "1:SEK"]).await;
    let change = json!({"id": MONTHLY_SEK, "resources": {"bandwidthGb": 4096}});
    let (_, quote) = call(&client, "preview_resource_change", change).await;
    let (failed, refused) = call(&client, "commit", quote["commitWith"].clone()).await;
    assert!(failed && refused["error"]["code"] == "spending_ceiling_exceeded", "{refused}");
    client.cancel().await.unwrap();
}

#[test]
fn an_unknown_tool_name_is_a_usage_error() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args(["mcp", "--sandbox", "--deny", "list_vpss"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("list_vpss"));
    assert!(output.stdout.is_empty(), "stdout is the MCP channel");
}

#[tokio::test]
async fn the_account_network_and_iso_writes_quote_and_commit_over_stdio() {
    let client = serve(&[]).await;
    let tools = client.list_all_tools().await.unwrap();
    for name in ["preview_order_place", "preview_convert_to_cloud", "preview_ip_remove", "preview_iso_delete"]
    {
        assert!(tools.iter().any(|t| t.name == name), "{name} is listed");
    }
    let order = json!({"items": [{"productSlug": "vps-sm", "billingCycle": "monthly"}]});
    let (failed, quote) = call(&client, "preview_order_place", order).await;
    assert!(!failed && quote["quote"]["attemptKey"].is_string(), "{quote}");
    let (failed, placed) = call(&client, "commit", quote["commitWith"].clone()).await;
    assert!(!failed && placed["result"]["status"] == "pending", "{placed}");
    let remove = json!({"id": MONTHLY_SEK, "ipAddress": "10.10.0.12", "ipType": "ipv4"});
    let (failed, quote) = call(&client, "preview_ip_remove", remove).await;
    assert!(!failed && quote["destructive"] == true, "{quote}");
    let (failed, main) = call(
        &client,
        "preview_ip_remove",
        json!({"id": MONTHLY_SEK, "ipAddress": "192.0.2.12", "ipType": "ipv4"}),
    )
    .await;
    assert!(failed && main["error"]["code"] == "primary_ip", "{main}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn the_server_uses_the_clis_credentials_from_the_environment() {
    let sandbox = hostup_sandbox::Sandbox::start().await;
    let home = tempfile::tempdir().unwrap();
    let spawn = |key: &str| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_hostup"));
        command
            .arg("mcp")
            .env("HOSTUP_API_KEY", key)
            .env("HOSTUP_BASE_URL", sandbox.url())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"));
        command
    };
    let client = serve_command(spawn(sandbox.api_key())).await;
    let (failed, list) = call(&client, "list_vps", json!({})).await;
    assert!(!failed && list["data"].as_array().unwrap().len() == 8, "{list}");
    client.cancel().await.unwrap();
    let client = serve_command(spawn("hu_not_the_sandboxs_key_000000000")).await;
    let (failed, refused) = call(&client, "list_vps", json!({})).await;
    assert!(failed && refused["error"]["details"]["status"] == 401, "{refused}");
    assert!(!refused.to_string().contains("hu_not_the_sandboxs_key"), "the key is never shown: {refused}");
    client.cancel().await.unwrap();
}
