//! Shared test helpers: fixtures, clients pointed at local servers, and a scripted HTTP server for
//! sequences and faults that httpmock cannot express (503 then 200, resets, hangs).

use std::time::Duration;

use hostup::{Client, RetryPolicy};
use serde_json::{Value, json};

#[path = "../common/wire.rs"]
mod wire;
pub use wire::{Seen, read_request};
#[path = "../common/script_server.rs"]
mod script_server;
pub use script_server::{Reply, ScriptServer, http, json};
#[path = "../common/budget_server.rs"]
mod budget_server;
pub use budget_server::{Budget, BudgetServer};

pub const KEY: &str = "hu_test_key_Zx81Qp";
pub const VPS_ID: &str = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

/// A fixture from `openapi/examples/`, as text.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/../openapi/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A fixture as JSON.
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// The documented request body of operation `id` (its `ID.request` fixture), typed.
pub fn request_fixture<T: serde::de::DeserializeOwned>(id: &str) -> T {
    serde_json::from_value(fixture_json(&format!("{id}.request"))).unwrap()
}

/// A typed answer back as JSON, to compare with the fixture it was decoded from.
pub fn answer_json<T: serde::Serialize>(answer: hostup::ResponseValue<T>) -> Value {
    serde_json::to_value(answer.into_inner()).unwrap()
}

/// A client for `base` with fast retries.
pub fn client(base: &str) -> Client {
    client_with(base, fast_retries())
}

pub fn client_with(base: &str, retry: RetryPolicy) -> Client {
    Client::builder().api_key(KEY).base_url(base).retry(retry).build().unwrap()
}

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

/// The one request a call made, checked against method, path, bearer auth and JSON body.
pub fn assert_request(server: &ScriptServer, method: &str, path: &str, body: Option<Value>) {
    let seen = server.seen();
    assert_eq!(seen.len(), 1, "{method} {path}: one request, no retry");
    let seen = &seen[0];
    assert_eq!((seen.method.as_str(), seen.path.as_str()), (method, path));
    assert_eq!(seen.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    match body {
        Some(expected) => {
            assert_eq!(seen.header("content-type"), Some("application/json"), "{method} {path}");
            assert_eq!(serde_json::from_str::<Value>(&seen.body).unwrap(), expected, "{method} {path}");
        }
        None => assert!(seen.body.is_empty(), "{method} {path} sent a body: {}", seen.body),
    }
}

/// The fixture with a field the docs never showed, to prove it is kept.
pub fn with_extra(name: &str) -> String {
    let mut value = fixture_json(name);
    value["futureField"] = json!({"nested": true});
    value.to_string()
}

/// A server that answers every request with `status` and `body`.
pub async fn server(status: u16, body: &str) -> ScriptServer {
    ScriptServer::start(vec![json(status, body)]).await
}
