//! Shared test helpers: fixtures, clients pointed at local servers, and a scripted HTTP server for
//! sequences and faults that httpmock cannot express (503 then 200, resets, hangs).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hostup::{Client, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

#[path = "../common/wire.rs"]
mod wire;
pub use wire::{Seen, read_request};
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

/// What the scripted server does with one connection.
#[derive(Clone)]
pub enum Reply {
    /// Writes these bytes, then closes.
    Raw(Vec<u8>),
    /// Reads the request and never answers.
    Hang,
    /// Closes right after reading the request.
    Close,
}

/// A complete HTTP/1.1 response.
pub fn http(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut text = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    Reply::Raw(text.into_bytes())
}

/// A JSON response.
pub fn json(status: u16, body: &str) -> Reply {
    let content_type = if status >= 400 { "application/problem+json" } else { "application/json" };
    http(status, &[("content-type", content_type)], body)
}

/// Answers connection N with reply N (the last reply repeats), recording each request.
pub struct ScriptServer {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl ScriptServer {
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            let mut n = 0usize;
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let reply = replies[n.min(replies.len() - 1)].clone();
                n += 1;
                let log = log.clone();
                tokio::spawn(async move {
                    if let Some(request) = read_request(&mut socket).await {
                        log.lock().unwrap().push(request);
                    }
                    match reply {
                        Reply::Raw(bytes) => {
                            let _ = socket.write_all(&bytes).await;
                            let _ = socket.shutdown().await;
                        }
                        Reply::Hang => tokio::time::sleep(Duration::from_secs(3600)).await,
                        Reply::Close => drop(socket),
                    }
                });
            }
        });
        ScriptServer { base, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
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
