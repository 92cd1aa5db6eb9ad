//! The tool registry: what a tool is (name, kind, description, input schema, handler), and the one
//! list of areas. An area adds its tools in its own file under `tools/` and one line in
//! [`all_tools`].

use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;
use hostup::Client;
use serde_json::Value;

use crate::args::Args;
use crate::refusal::Refusal;
use crate::schemas::InputSchema;
use crate::tools;

/// What a tool may do, which decides whether `--read-only` lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Reads only (GETs).
    Read,
    /// Previews a change (a `dryRun` or read-only checks) and returns a quote with a token; only
    /// the `commit` tool acts on it.
    Preview,
    /// Commits a previewed change.
    Commit,
}

/// What a tool call answers: JSON on success, a refusal otherwise.
pub type Answer = Result<Value, Refusal>;

/// The price of a previewed change, in the quote's currency.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    /// How much the recurring price goes up (what the spending ceiling counts).
    pub recurring_increase: f64,
    /// The new recurring price.
    pub recurring: Option<f64>,
    /// Amount due at once.
    pub due_now: Option<f64>,
    /// ISO currency code.
    pub currency: String,
}

/// Commits a previewed change, exactly as previewed. Called at most once.
pub type CommitFn = Box<dyn FnOnce(Client) -> BoxFuture<'static, Answer> + Send>;

/// A preview's outcome: what will happen, what it costs, why the commit may still be refused,
/// and the commit itself (kept server-side behind the token).
pub struct Preview {
    /// What the commit will do (the server's preview, the gate state), secrets redacted.
    pub quote: Value,
    /// The price, when the change is billed.
    pub cost: Option<Cost>,
    /// Why the commit may still be refused or what it destroys.
    pub warnings: Vec<String>,
    /// The commit destroys or takes away something that cannot be had back (data, access, the
    /// VPS itself); the quote says so at its top level.
    pub destructive: bool,
    /// The commit.
    pub commit: CommitFn,
}

type ReadFn = Arc<dyn Fn(Client, Args) -> BoxFuture<'static, Answer> + Send + Sync>;
type PreviewFn = Arc<dyn Fn(Client, Args) -> BoxFuture<'static, Result<Preview, Refusal>> + Send + Sync>;

/// How a tool runs.
#[derive(Clone)]
pub enum Handler {
    /// A read.
    Read(ReadFn),
    /// A preview.
    Preview(PreviewFn),
    /// The commit tool (run by the server itself, which holds the tokens).
    Commit,
}

/// One tool.
#[derive(Clone)]
pub struct ToolDef {
    /// The tool's name (`get_vps_details`).
    pub name: &'static str,
    /// For the agent: what it returns, which id to pass, what to check first.
    pub description: &'static str,
    /// The arguments' JSON schema.
    pub input: InputSchema,
    /// How it runs.
    pub handler: Handler,
}

impl ToolDef {
    /// A read tool.
    pub fn read<F, Fut>(name: &'static str, description: &'static str, input: InputSchema, run: F) -> Self
    where
        F: Fn(Client, Args) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Answer> + Send + 'static,
    {
        let handler = Handler::Read(Arc::new(move |client, args| Box::pin(run(client, args))));
        ToolDef { name, description, input, handler }
    }

    /// A preview tool.
    pub fn preview<F, Fut>(name: &'static str, description: &'static str, input: InputSchema, run: F) -> Self
    where
        F: Fn(Client, Args) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Preview, Refusal>> + Send + 'static,
    {
        let handler = Handler::Preview(Arc::new(move |client, args| Box::pin(run(client, args))));
        ToolDef { name, description, input, handler }
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self.handler {
            Handler::Read(_) => Kind::Read,
            Handler::Preview(_) => Kind::Preview,
            Handler::Commit => Kind::Commit,
        }
    }
}

/// Every tool of every area, before the session's settings choose which are exposed. One line
/// per area.
pub fn all_tools() -> Vec<ToolDef> {
    let areas: [fn() -> Vec<ToolDef>; 15] = [
        tools::vps::tools,
        tools::recovery::tools,
        tools::lifecycle::tools,
        tools::access::tools,
        tools::devices::tools,
        tools::changes::tools,
        tools::power::tools,
        tools::recovery_writes::tools,
        tools::firewall::tools,
        tools::disks::tools,
        tools::access_writes::tools,
        tools::lifecycle_writes::tools,
        tools::account_writes::tools,
        tools::network_writes::tools,
        tools::iso_writes::tools,
    ];
    let mut all: Vec<ToolDef> = areas.iter().flat_map(|area| area()).collect();
    all.push(tools::commit::tool());
    all
}
