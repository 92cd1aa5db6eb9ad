//! A session: a sandbox, the server on one end of a duplex pipe, rmcp's client on the other, and
//! the write log captured in memory.

use std::io::Write;
use std::sync::{Arc, Mutex};

use hostup_mcp::{HostupMcp, Settings};
use hostup_sandbox::Sandbox;
use rmcp::model::{CallToolRequestParams, Tool};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};
use serde_json::Value;

/// The log sink, shared with the test.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct Session {
    pub sandbox: Sandbox,
    pub client: RunningService<RoleClient, ()>,
    /// Every tool result's JSON text, as the agent saw it.
    pub seen: Mutex<Vec<String>>,
    log: Captured,
}

/// What a tool call answered.
#[derive(Debug)]
pub struct Answer {
    pub is_error: bool,
    pub json: Value,
}

impl Answer {
    /// The refusal's code (panics on a success, with the answer).
    pub fn code(&self) -> &str {
        assert!(self.is_error, "expected a refusal, got {}", self.json);
        self.json["error"]["code"].as_str().unwrap()
    }

    /// The successful answer (panics on a refusal, with it).
    pub fn ok(&self) -> &Value {
        assert!(!self.is_error, "expected a result, got {}", self.json);
        &self.json
    }
}

pub async fn start(settings: Settings) -> Session {
    start_on(Sandbox::start().await, settings).await
}

/// A session against a sandbox configured by the test.
pub async fn start_on(sandbox: Sandbox, settings: Settings) -> Session {
    let client = sandbox.client();
    start_with(sandbox, client, settings).await
}

/// A session whose server calls HostUp through `client` (a scripted server's, for an answer the
/// sandbox never gives); `sandbox` is kept only for the session's shape.
pub async fn start_with(sandbox: Sandbox, client: hostup::Client, settings: Settings) -> Session {
    let log = Captured::default();
    let server = HostupMcp::new(client, settings.log_to(Box::new(log.clone()))).unwrap();
    let (server_io, client_io) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let client = ().serve(client_io).await.expect("the client initializes");
    Session { sandbox, client, seen: Mutex::new(Vec::new()), log }
}

impl Session {
    pub async fn tools(&self) -> Vec<Tool> {
        self.client.list_all_tools().await.expect("tools/list answers")
    }

    pub async fn tool_names(&self) -> Vec<String> {
        self.tools().await.into_iter().map(|t| t.name.to_string()).collect()
    }

    /// Calls a tool; a protocol error fails the test (refusals must be results).
    pub async fn call(&self, name: &str, arguments: Value) -> Answer {
        let Value::Object(arguments) = arguments else { panic!("arguments are an object") };
        let request = CallToolRequestParams::new(name.to_string()).with_arguments(arguments);
        let result =
            self.client.call_tool(request).await.unwrap_or_else(|e| panic!("{name}: protocol error {e}"));
        let text: Vec<String> =
            result.content.iter().filter_map(|c| c.as_text().map(|t| t.text.clone())).collect();
        self.seen.lock().unwrap().extend(text);
        let json = result.structured_content.clone().expect("every answer carries structured content");
        Answer { is_error: result.is_error == Some(true), json }
    }

    /// The write log so far.
    pub fn log(&self) -> String {
        String::from_utf8(self.log.0.lock().unwrap().clone()).unwrap()
    }

    /// Everything the agent has been shown.
    pub fn transcript(&self) -> String {
        self.seen.lock().unwrap().join("\n")
    }
}

impl Session {
    /// Previews with `tool`, commits the quote once, and checks that a second commit of the same
    /// token is refused. Returns the quote and the commit's `result`.
    pub async fn two_step(&self, tool: &str, arguments: Value) -> (Value, Value) {
        let quote = self.call(tool, arguments.clone()).await;
        let quote = quote.ok().clone();
        assert_eq!(quote["commitWith"]["arguments"], arguments, "{tool}: the token binds the request");
        let committed = self.call("commit", quote["commitWith"].clone()).await;
        let result = committed.ok()["result"].clone();
        let again = self.call("commit", quote["commitWith"].clone()).await;
        assert_eq!(again.code(), "token_used", "{tool}: a token commits once");
        (quote, result)
    }
}
