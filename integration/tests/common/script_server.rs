//! A scripted raw-TCP HTTP server: connection N gets reply N (the last repeats), and a reply can
//! stop, stall or trickle at any byte. Included with `#[path]` by the test binaries' support
//! modules, which provide `Seen` and `read_request` (common/wire.rs).

// Each test binary uses a different part of it.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

use super::{Seen, read_request};

/// One step of a scripted reply.
#[derive(Clone, Debug)]
pub enum Step {
    Write(Vec<u8>),
    Pause(Duration),
}

/// What the scripted server does with one connection.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes, then closes.
    Raw(Vec<u8>),
    /// Writes and pauses in turn, then closes.
    Steps(Vec<Step>),
    /// Reads the request and never answers.
    Hang,
    /// Closes right after reading the request.
    Close,
}

/// The head of an HTTP/1.1 response; `length` None leaves Content-Length out.
pub fn head(status: u16, headers: &[(&str, &str)], length: Option<usize>) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
    if let Some(length) = length {
        text.push_str(&format!("content-length: {length}\r\n"));
    }
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// A complete response.
pub fn http(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut bytes = head(status, headers, Some(body.len()));
    bytes.extend_from_slice(body.as_bytes());
    Reply::Raw(bytes)
}

/// A JSON response (`application/problem+json` for errors).
pub fn json(status: u16, body: &str) -> Reply {
    let content_type = if status >= 400 { "application/problem+json" } else { "application/json" };
    http(status, &[("content-type", content_type)], body)
}

/// A Problem Details 404, which nothing retries.
pub fn not_found() -> Reply {
    json(404, r#"{"status": 404, "code": "not_found", "detail": "No such thing."}"#)
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
            for n in 0usize.. {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let reply = replies[n.min(replies.len() - 1)].clone();
                let log = log.clone();
                tokio::spawn(async move {
                    if let Some(request) = read_request(&mut socket).await {
                        log.lock().unwrap().push(request);
                    }
                    play(&mut socket, reply).await;
                });
            }
        });
        ScriptServer { base, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The requests seen after the first `n`, copying only those (a loop of thousands of calls
    /// that copied the whole log each time spent seconds on it).
    pub fn seen_since(&self, n: usize) -> Vec<Seen> {
        self.seen.lock().unwrap()[n..].to_vec()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

async fn play(socket: &mut TcpStream, reply: Reply) {
    let steps = match reply {
        Reply::Raw(bytes) => vec![Step::Write(bytes)],
        Reply::Steps(steps) => steps,
        Reply::Hang => vec![Step::Pause(Duration::from_secs(3600))],
        Reply::Close => vec![],
    };
    for step in steps {
        match step {
            Step::Write(bytes) => {
                if socket.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Step::Pause(pause) => tokio::time::sleep(pause).await,
        }
    }
    let _ = socket.shutdown().await;
}
