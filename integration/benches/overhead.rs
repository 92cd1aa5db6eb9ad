//! Per-request overhead of the full client against a bare `reqwest::Client` GET plus
//! `serde_json::from_slice::<types::VpsDetails>`, on loopback, against a tiny keep-alive HTTP/1.1
//! server (in this file) that answers every request with the docs' details example and
//! HostUp-style `X-RateLimit-*` headers.
//!
//! ```sh
//! cargo bench -p hostup-integration --bench overhead
//! ```
//!
//! The server runs on its own thread and runtime; the callers share another current-thread
//! runtime, so each side has one of the machine's cores. Every contender keeps one keep-alive
//! connection. First divan's table, then interleaved A/B rounds (the figures in BENCHMARKS.md).

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime};

use divan::black_box;
use hostup::{Client, RetryPolicy, types};
use support::{Contender, DETAILS_FIXTURE};
use tokio::runtime::Runtime;

const KEY: &str = "hu_bench_0123456789abcdefghijklmnop";
const VPS: &str = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

/// The docs' example, compact as a server sends it.
fn body() -> Vec<u8> {
    let value: serde_json::Value = serde_json::from_str(DETAILS_FIXTURE).expect("fixture is JSON");
    serde_json::to_vec(&value).expect("serializes")
}

/// The whole response, headers and body, sent as is for every request.
fn response() -> Vec<u8> {
    let body = body();
    let reset = humantime::format_rfc3339_millis(SystemTime::now() + Duration::from_secs(3600));
    let mut response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-ratelimit-limit: 100000000\r\nx-ratelimit-remaining: 99999999\r\nx-ratelimit-reset: {reset}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    response
}

/// Starts the server on its own thread; it waits `delay` before each answer. Returns its address.
fn serve(delay: Duration) -> SocketAddr {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a loopback port");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("an address");
    let response: Arc<[u8]> = response().into();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, response.clone(), delay));
            }
        });
    });
    addr
}

/// One keep-alive connection: answers each request (GETs, no body) once its head is complete.
async fn connection(stream: tokio::net::TcpStream, response: Arc<[u8]>, delay: Duration) {
    let mut pending = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            pending.drain(..end + 4);
            if !delay.is_zero() {
                // Blocking on purpose: more precise than tokio's millisecond timer, and only one
                // request is ever outstanding.
                std::thread::sleep(delay);
            }
            if write_all(&stream, &response).await.is_err() {
                return;
            }
        }
        if stream.readable().await.is_err() {
            return;
        }
        match stream.try_read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

async fn write_all(stream: &tokio::net::TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

struct Setup {
    runtime: Runtime,
    url: String,
    details_url: String,
}

static SETUP: LazyLock<Setup> = LazyLock::new(|| {
    let addr = serve(Duration::ZERO);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let url = format!("http://{addr}");
    let details_url = format!("{url}/api/v2/vps/{VPS}/details");
    Setup { runtime, url, details_url }
});

/// The client as a user builds it: standard retries armed, rate-limit accounting, tracing spans
/// (no subscriber installed).
fn hostup_client(retry: RetryPolicy, http: Option<reqwest::Client>) -> Client {
    let mut builder = Client::builder().api_key(KEY).base_url(&SETUP.url).retry(retry);
    if let Some(http) = http {
        builder = builder.http_client(http);
    }
    builder.build().expect("the client builds")
}

async fn via_hostup(client: &Client) -> types::VpsDetails {
    client.get_vps_details().id(VPS).send().await.expect("the call succeeds").into_inner()
}

/// The few lines of reqwest + serde a user would write instead.
async fn via_reqwest(http: &reqwest::Client, url: &str) -> types::VpsDetails {
    let response = http.get(url).bearer_auth(KEY).send().await.expect("sent");
    let bytes = response.error_for_status().expect("2xx").bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("decodes")
}

static HOSTUP: LazyLock<Client> = LazyLock::new(|| hostup_client(RetryPolicy::standard(), None));
static BARE: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);

#[divan::bench]
fn bare_reqwest_and_serde() -> types::VpsDetails {
    SETUP.runtime.block_on(via_reqwest(&BARE, black_box(&SETUP.details_url)))
}

#[divan::bench]
fn hostup_get_vps_details() -> types::VpsDetails {
    SETUP.runtime.block_on(via_hostup(black_box(&HOSTUP)))
}

/// `HOSTUP_BENCH_PROFILE=hostup|bare`: only loops that contender for 10 s, for `perf record`.
fn profile(which: &str) {
    let until = std::time::Instant::now() + Duration::from_secs(10);
    let mut calls = 0u64;
    while std::time::Instant::now() < until {
        for _ in 0..100 {
            match which {
                "bare" => drop(black_box(SETUP.runtime.block_on(via_reqwest(&BARE, &SETUP.details_url)))),
                _ => drop(black_box(SETUP.runtime.block_on(via_hostup(&HOSTUP)))),
            }
        }
        calls += 100;
    }
    println!("{which}: {calls} calls in 10 s");
}

fn main() {
    LazyLock::force(&SETUP);
    if let Ok(which) = std::env::var("HOSTUP_BENCH_PROFILE") {
        return profile(&which);
    }
    divan::main();

    println!("\n=== per-request overhead on loopback: interleaved A/B ===");
    let rt = &SETUP.runtime;
    let url = SETUP.details_url.as_str();
    let bare = reqwest::Client::new();
    let bare_timeouts = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("builds");
    let full = hostup_client(RetryPolicy::standard(), None);
    let no_retries = hostup_client(RetryPolicy::disabled(), None);
    let plain_http = hostup_client(RetryPolicy::standard(), Some(reqwest::Client::new()));
    let mut contenders = vec![
        Contender::new("bare reqwest::Client::new() + serde_json", || {
            black_box(rt.block_on(via_reqwest(&bare, url)));
        }),
        Contender::new("hostup client (as built by a user)", || {
            black_box(rt.block_on(via_hostup(&full)));
        }),
        Contender::new("  diagnosis: hostup, RetryPolicy::disabled()", || {
            black_box(rt.block_on(via_hostup(&no_retries)));
        }),
        Contender::new("  diagnosis: hostup on reqwest::Client::new()", || {
            black_box(rt.block_on(via_hostup(&plain_http)));
        }),
        Contender::new("  diagnosis: bare reqwest with timeouts", || {
            black_box(rt.block_on(via_reqwest(&bare_timeouts, url)));
        }),
    ];
    let quick = std::env::var_os("HOSTUP_BENCH_QUICK").is_some();
    let rounds = if quick { 11 } else { 61 };
    let summaries = support::compare(
        "getVpsDetails, one call at a time over one keep-alive connection",
        &mut contenders,
        rounds,
        Duration::from_millis(40),
    );
    report(&summaries);

    // The same calls to a server that takes 1 ms to answer, like an API a few hops away.
    let slow = format!("http://{}", serve(Duration::from_millis(1)));
    let slow_details = format!("{slow}/api/v2/vps/{VPS}/details");
    let slow_client = Client::builder().api_key(KEY).base_url(&slow).build().expect("builds");
    let slow_bare = reqwest::Client::new();
    let mut contenders = vec![
        Contender::new("bare reqwest + serde_json, 1 ms server", || {
            black_box(rt.block_on(via_reqwest(&slow_bare, &slow_details)));
        }),
        Contender::new("hostup client, 1 ms server", || {
            black_box(rt.block_on(via_hostup(&slow_client)));
        }),
    ];
    let summaries = support::compare(
        "getVpsDetails against a server that answers after 1 ms",
        &mut contenders,
        if quick { 5 } else { 21 },
        Duration::from_millis(40),
    );
    report(&summaries);
}

fn report(summaries: &[support::Summary]) {
    let (base, full) = (&summaries[0], &summaries[1]);
    let overhead = full.median.as_secs_f64() - base.median.as_secs_f64();
    println!(
        "\n  overhead of the client: {:+.2} µs per call ({:.3}x, p25..p75 {:.3}..{:.3})",
        overhead * 1e6,
        full.ratio.0,
        full.ratio.1,
        full.ratio.2
    );
}
