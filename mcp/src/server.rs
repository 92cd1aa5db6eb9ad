//! The MCP server: lists the tools the settings expose, runs reads, turns previews into quotes
//! with tokens, and commits a token once.

use std::sync::Arc;

use hostup::Client;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};

use crate::args::Args;
use crate::audit::Audit;
use crate::budget::Budget;
use crate::refusal::Refusal;
use crate::registry::{Answer, Handler, Kind, ToolDef, all_tools};
use crate::tokens::{Pending, Tokens};
use crate::{Settings, SettingsError};

const INSTRUCTIONS: &str = "HostUp VPS tools. Start with list_vps to get ids; use only ids that earlier \
results returned. Read get_vps_details before acting: its `gates` say which actions are allowed and why \
not. Changes take two steps: a preview_* tool returns a quote (cost, warnings) with a short-lived token \
and a `commitWith` object; pass that object unchanged to `commit` to apply it, once. Refusals come back \
as results with isError and a JSON `error` {kind, code, reason, recovery}.";

/// The server for one session: one client, the exposed tools, the tokens, the spending ceiling and
/// the write log. Cheap to clone (shared state).
#[derive(Clone)]
pub struct HostupMcp {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    tools: Vec<ToolDef>,
    tokens: Tokens,
    budget: Budget,
    audit: Audit,
}

impl HostupMcp {
    /// A server calling HostUp through `client`, with `settings` choosing the tools and limits.
    ///
    /// # Errors
    /// [`SettingsError`] for an `--allow` or `--deny` name that is no tool.
    pub fn new(client: Client, settings: Settings) -> Result<Self, SettingsError> {
        let all = all_tools();
        for name in settings.allow.iter().flatten().chain(&settings.deny) {
            if !all.iter().any(|t| t.name == name) {
                let known: Vec<&str> = all.iter().map(|t| t.name).collect();
                return Err(SettingsError(format!(
                    "no tool named {name:?}; the tools are {}",
                    known.join(", ")
                )));
            }
        }
        let exposed = |tool: &ToolDef| {
            (!settings.read_only || tool.kind() == Kind::Read)
                && settings.allow.as_ref().is_none_or(|allow| allow.iter().any(|n| n == tool.name))
                && !settings.deny.iter().any(|n| n == tool.name)
        };
        let tools: Vec<ToolDef> = all.into_iter().filter(exposed).collect();
        let inner = Inner {
            client,
            tools,
            tokens: Tokens::new(settings.quote_lifetime),
            budget: Budget::new(settings.max_spend, settings.currency.clone()),
            audit: Audit::new(settings.log),
        };
        Ok(HostupMcp { inner: Arc::new(inner) })
    }

    /// The names of the exposed tools.
    pub fn tool_names(&self) -> Vec<&'static str> {
        self.inner.tools.iter().map(|t| t.name).collect()
    }

    /// Runs one tool call: a result, or a refusal as a result with `isError`.
    pub async fn call(&self, name: &str, arguments: Args) -> CallToolResult {
        match self.answer(name, arguments).await {
            Ok(Value::Object(map)) => CallToolResult::structured(Value::Object(map)),
            Ok(other) => CallToolResult::structured(json!({ "result": other })),
            Err(refusal) => CallToolResult::structured_error(refusal.to_json()),
        }
    }

    async fn answer(&self, name: &str, args: Args) -> Answer {
        let Some(tool) = self.inner.tools.iter().find(|t| t.name == name) else {
            return Err(Refusal::new(
                "not_exposed",
                "tool_not_exposed",
                format!("no tool {name:?} is exposed by this server"),
                "Use only the tools tools/list returns; the server's settings (--read-only, --allow, --deny) hide the others.",
            ));
        };
        let unknown: Vec<&String> =
            args.0.keys().filter(|k| !tool.input.property_names().contains(k)).collect();
        if !unknown.is_empty() {
            return Err(Refusal::arguments(format!("unknown arguments {unknown:?} for {name}")));
        }
        let client = self.inner.client.clone();
        match &tool.handler {
            Handler::Read(run) => run(client, args).await,
            Handler::Preview(run) => self.preview(tool.name, run(client, args.clone()).await?, &args),
            Handler::Commit => self.commit(&args).await,
        }
    }

    /// The arguments of `tool` the spec marks secret (for the log).
    fn secrets(&self, tool: &str) -> &[String] {
        self.inner.tools.iter().find(|t| t.name == tool).map(|t| t.input.secret_names()).unwrap_or_default()
    }

    /// Keeps the commit behind a new token and answers with the quote.
    fn preview(&self, tool: &str, preview: crate::registry::Preview, args: &Args) -> Answer {
        let arguments = args.canonical();
        let cost = preview.cost.clone();
        let pending =
            Pending { tool: tool.to_string(), arguments: arguments.clone(), cost, commit: preview.commit };
        let token = self.inner.tokens.issue(pending)?;
        let lifetime = self.inner.tokens.lifetime().as_secs();
        let cost = preview.cost.as_ref().map(|c| {
            json!({
                "recurringIncrease": c.recurring_increase, "recurring": c.recurring,
                "dueNow": c.due_now, "currency": c.currency,
            })
        });
        self.inner.audit.record(
            "quote",
            tool,
            Some(&token),
            &arguments,
            self.secrets(tool),
            json!({"cost": cost}),
        );
        Ok(json!({
            "quote": preview.quote,
            "cost": cost,
            "warnings": preview.warnings,
            "destructive": preview.destructive,
            "token": token,
            "expiresInSeconds": lifetime,
            "commitWith": {"token": token, "preview": tool, "arguments": arguments},
            "spending": self.inner.budget.summary(),
        }))
    }

    /// Commits the token's request once, within the spending ceiling.
    async fn commit(&self, args: &Args) -> Answer {
        let token = args.opt_string("token")?.filter(|t| !t.is_empty());
        let tool = args.opt_string("preview")?.unwrap_or_default();
        let arguments = match args.0.get("arguments") {
            Some(Value::Object(map)) => Args(map.clone()).canonical(),
            None | Some(Value::Null) => json!({}),
            Some(_) => return Err(Refusal::arguments("`arguments` must be an object")),
        };
        let refused = |refusal: Refusal| {
            let secrets = self.secrets(&tool);
            self.inner.audit.record(
                "refused",
                &tool,
                token.as_deref(),
                &arguments,
                secrets,
                refusal.to_json(),
            );
            Err(refusal)
        };
        let Some(token) = token.as_deref() else {
            return refused(Refusal::new(
                "token",
                "token_missing",
                "a commit needs the token of a preview",
                "Call the preview_* tool for the change first; pass its `commitWith` object to commit.",
            ));
        };
        let pending = match self.inner.tokens.take(token, &tool, &arguments) {
            Ok(pending) => pending,
            Err(refusal) => return refused(refusal),
        };
        if let Err(refusal) = self.inner.budget.reserve(pending.cost.as_ref()) {
            return refused(refusal);
        }
        let outcome = (pending.commit)(self.inner.client.clone()).await;
        match outcome {
            Ok(result) => {
                let spending = self.inner.budget.summary();
                let secrets = self.secrets(&tool);
                self.inner.audit.record(
                    "commit",
                    &tool,
                    Some(token),
                    &arguments,
                    secrets,
                    json!({"committed": true}),
                );
                Ok(json!({"committed": true, "preview": tool, "result": result, "spending": spending}))
            }
            Err(refusal) => {
                if !refusal.may_have_reached_server || refusal.refused_by_server {
                    self.inner.budget.release(pending.cost.as_ref());
                }
                refused(refusal)
            }
        }
    }
}

impl ServerHandler for HostupMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("hostup-mcp", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let tools = self.inner.tools.iter().map(describe).collect();
        Ok(ListToolsResult { tools, ..Default::default() })
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = Args(request.arguments.unwrap_or_default());
        Ok(self.call(&request.name, args).await.into())
    }
}

/// A tool as MCP lists it, with hints for clients that ask a person before writes.
fn describe(tool: &ToolDef) -> Tool {
    let kind = tool.kind();
    let annotations = ToolAnnotations::new()
        .read_only(kind != Kind::Commit)
        .destructive(kind == Kind::Commit)
        .idempotent(kind != Kind::Commit)
        .open_world(true);
    Tool::new(tool.name, tool.description, tool.input.to_object()).annotate(annotations)
}
