//! Memory while streaming a large fleet through `client.vps_stream(100)`: the peak of live heap
//! bytes (a counting global allocator in this binary) and the peak RSS, for 1,000 to 1,000,000
//! VPSes. Streaming must stay flat; collecting with `all_vps()` is shown for contrast.
//!
//! ```sh
//! cargo bench -p hostup-integration --bench memory
//! ```
//!
//! The sandbox's fleet has 8 VPSes and no way to add more, so the list pages come from a minimal
//! server that makes items on the fly. It runs in a child process (this binary, started again), so
//! the allocator here counts the client's memory only. The fleet size is the first segment of the
//! base URL's path (`http://127.0.0.1:port/n10000`).

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};

use futures::TryStreamExt;
use hostup::Client;
use hostup::prelude::*;
use support::Counting;

#[global_allocator]
static ALLOC: Counting = Counting::new();

const SERVER_ENV: &str = "HOSTUP_BENCH_LIST_SERVER";
const KEY: &str = "hu_bench_0123456789abcdefghijklmnop";

fn main() {
    if std::env::var_os(SERVER_ENV).is_some() {
        serve();
        return;
    }
    let mut child = Command::new(std::env::current_exe().expect("this binary"))
        .env(SERVER_ENV, "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the list server starts");
    let mut port = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut port).expect("the port");
    let base = format!("http://127.0.0.1:{}", port.trim());

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    ALLOC.enable();
    runtime.block_on(measure(&base));
    ALLOC.disable();
    let _ = child.kill();
    let _ = child.wait();
}

fn client(base: &str, fleet: usize) -> Client {
    Client::builder().api_key(KEY).base_url(format!("{base}/n{fleet}")).build().expect("the client builds")
}

/// Runs `work` and returns the peak live heap above what was live before, the peak RSS while
/// it ran, and what `work` returned.
async fn peak<T>(work: impl Future<Output = T>) -> (usize, Option<usize>, T) {
    let before = ALLOC.live();
    ALLOC.reset_peak();
    let rss_reset = support::reset_peak_rss();
    let out = work.await;
    let heap = ALLOC.peak().saturating_sub(before);
    let rss = if rss_reset { support::peak_rss() } else { None };
    (heap, rss, out)
}

async fn stream_all(client: &Client) -> (usize, usize) {
    let mut stream = std::pin::pin!(client.vps_stream(100));
    let (mut count, mut id_bytes) = (0, 0);
    while let Some(vps) = stream.try_next().await.expect("a page") {
        count += 1;
        id_bytes += vps.id.map_or(0, |id| id.len());
    }
    (count, id_bytes)
}

async fn measure(base: &str) {
    // Warm-up: the first calls of a process allocate things once (tracing's callsite registry,
    // the TLS provider, the runtime's timer wheel); they are not the stream's cost.
    let warm = client(base, 300);
    stream_all(&warm).await;
    drop(warm);

    println!("=== memory while streaming with vps_stream(100) ===");
    println!("  peak heap is live bytes above the level before the walk (counting allocator)");
    println!("  {:<36} {:>9} {:>14} {:>14}", "walk", "items", "peak heap", "peak RSS");
    let rss_ok = support::reset_peak_rss();
    // Large to small again at the end: the peak depends on how each walk's body chunks happen
    // to arrive (a body that comes in one chunk is kept without a copy), not on the fleet's size.
    for fleet in [1_000, 10_000, 100_000, 1_000_000, 10_000, 1_000] {
        let client = client(base, fleet);
        let (heap, rss, (count, _)) = peak(stream_all(&client)).await;
        assert_eq!(count, fleet, "every VPS once");
        let rss = rss.map_or("n/a".to_string(), support::bytes);
        println!("  {:<36} {count:>9} {:>14} {rss:>14}", "vps_stream(100)", support::bytes(heap));
    }
    for fleet in [1_000, 10_000] {
        let client = client(base, fleet);
        let (heap, rss, all) = peak(client.all_vps()).await;
        let count = all.expect("every page").len();
        let rss = rss.map_or("n/a".to_string(), support::bytes);
        println!(
            "  {:<36} {count:>9} {:>14} {rss:>14}",
            "all_vps() (collects; contrast)",
            support::bytes(heap)
        );
    }
    if !rss_ok {
        println!("  (peak RSS n/a: /proc/self/clear_refs could not reset VmHWM here)");
    }
    let (allocations, allocated) = ALLOC.totals();
    println!("  allocations in all: {allocations}, {} allocated", support::bytes(allocated as usize));
}

/// The list server: `GET /n{fleet}/api/v2/vps?limit=..&cursor=..`, items made on the fly.
fn serve() {
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a loopback port");
    println!("{}", listener.local_addr().expect("an address").port());
    std::io::stdout().flush().expect("the port is written");
    let template = support::list_template();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let template = template.clone();
        std::thread::spawn(move || connection(stream, &template));
    }
}

fn connection(mut stream: TcpStream, template: &serde_json::Value) {
    let _ = stream.set_nodelay(true);
    let mut pending = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&pending[..end]).into_owned();
            pending.drain(..end + 4);
            let target = head.split_whitespace().nth(1).unwrap_or("/");
            let body = page(target, template);
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body)).is_err() {
                return;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => pending.extend_from_slice(&chunk[..n]),
        }
    }
}

/// One page of the fleet named in the path; the cursor is the offset.
fn page(target: &str, template: &serde_json::Value) -> Vec<u8> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let fleet: usize =
        path.trim_start_matches("/n").split('/').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let (mut limit, mut offset) = (20usize, 0usize);
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("limit", v)) => limit = v.parse().unwrap_or(20),
            Some(("cursor", v)) => offset = v.trim_start_matches('o').parse().unwrap_or(0),
            _ => {}
        }
    }
    let end = (offset + limit).min(fleet);
    let data: Vec<_> = (offset..end).map(|i| support::list_item(template, i)).collect();
    let next = (end < fleet).then(|| format!("o{end}"));
    serde_json::to_vec(&serde_json::json!({ "data": data, "nextCursor": next })).expect("serializes")
}
