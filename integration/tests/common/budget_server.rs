//! A loopback server that keeps a fixed-window request budget on its own clock, as HostUp does:
//! `limit` requests per `window`, windows counted from its start, `X-RateLimit-*` on every answer
//! (the reset as RFC 3339 with milliseconds, on its clock), `Date` unless told not to send it, and a
//! 429 with `Retry-After` (whole seconds, rounded up) past the budget. Its clock runs `skew` ahead of
//! the real one (negative: behind). Included with `#[path]` by the test binaries.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// How the server's clock and budget behave.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub limit: u64,
    pub window: Duration,
    /// Seconds the server's clock runs ahead of the real one (negative: behind).
    pub skew_secs: i64,
    /// Whether answers carry `Date`.
    pub dated: bool,
}

/// The running server and its counters.
pub struct BudgetServer {
    pub base: String,
    pub requests: Arc<AtomicU64>,
    pub rejected: Arc<AtomicU64>,
}

struct Windows {
    started: Instant,
    index: u64,
    used: u64,
}

impl BudgetServer {
    /// Starts the server; every request is answered with `body` (or the 429 body past the budget).
    pub async fn start(budget: Budget, body: String, too_many: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (requests, rejected) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let windows = Arc::new(Mutex::new(Windows { started: Instant::now(), index: 0, used: 0 }));
        let started_wall = SystemTime::now();
        let (count, refused) = (requests.clone(), rejected.clone());
        let (body, too_many): (Arc<str>, Arc<str>) = (body.into(), too_many.into());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let (windows, count, refused) = (windows.clone(), count.clone(), refused.clone());
                let (body, too_many) = (body.clone(), too_many.clone());
                tokio::spawn(async move {
                    if super::wire::read_request(&mut socket).await.is_none() {
                        return;
                    }
                    count.fetch_add(1, Relaxed);
                    let reply = {
                        let mut w = windows.lock().unwrap();
                        let elapsed = w.started.elapsed();
                        let index = (elapsed.as_nanos() / budget.window.as_nanos()) as u64;
                        if index != w.index {
                            (w.index, w.used) = (index, 0);
                        }
                        w.used += 1;
                        let reset_in = budget.window * (index as u32 + 1) - elapsed;
                        let skewed = |t: SystemTime| {
                            let offset = Duration::from_secs(budget.skew_secs.unsigned_abs());
                            if budget.skew_secs >= 0 { t + offset } else { t - offset }
                        };
                        let now = skewed(started_wall + elapsed);
                        let reset = humantime::format_rfc3339_millis(now + reset_in).to_string();
                        let over = w.used > budget.limit;
                        let mut headers = vec![
                            ("x-ratelimit-limit", budget.limit.to_string()),
                            ("x-ratelimit-remaining", budget.limit.saturating_sub(w.used).to_string()),
                            ("x-ratelimit-reset", reset),
                        ];
                        if budget.dated {
                            headers.push(("date", httpdate::fmt_http_date(now)));
                        }
                        if over {
                            refused.fetch_add(1, Relaxed);
                            headers.push(("retry-after", reset_in.as_secs_f64().ceil().to_string()));
                            headers.push(("content-type", "application/problem+json".into()));
                            response(429, &headers, &too_many)
                        } else {
                            headers.push(("content-type", "application/json".into()));
                            response(200, &headers, &body)
                        }
                    };
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        BudgetServer { base, requests, rejected }
    }
}

fn response(status: u16, headers: &[(&str, String)], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    format!("{text}\r\n{body}")
}
