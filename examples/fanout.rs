//! Fan-out under a rate limit: every VPS's details, several rounds, a few requests at a time on one
//! shared client, against a sandbox with a tight budget. The client reads `X-RateLimit-*` on each
//! response and holds requests back when the window is spent, so 429s stay rare, and the few that
//! come are retried after their `Retry-After`.
//!
//! ```sh
//! cargo run --example fanout
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use futures::{StreamExt, stream};
use hostup::prelude::*;
use hostup_sandbox::Sandbox;

const BUDGET: u64 = 10;
const WINDOW: Duration = Duration::from_secs(1);
const ROUNDS: usize = 3;
const CONCURRENCY: usize = 4;

#[tokio::main]
async fn main() -> ExitCode {
    let sandbox = Sandbox::builder().rate_limit(BUDGET, WINDOW).start().await;
    println!("Using the embedded sandbox at {}, {BUDGET} requests per {WINDOW:?}.", sandbox.url());
    let client = sandbox.client();
    let ids: Vec<String> = match client.all_vps().await {
        Ok(list) => list.into_iter().filter_map(|v| v.id).collect(),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };

    let started = Instant::now();
    let calls: Vec<String> = (0..ROUNDS).flat_map(|_| ids.iter().cloned()).collect();
    let results: Vec<hostup::Result<_>> = stream::iter(calls.iter())
        .map(|id| {
            let client = &client;
            async move { client.get_vps_details().id(id.as_str()).send().await }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let wall = started.elapsed();

    let failed: Vec<String> =
        results.iter().filter_map(|r| r.as_ref().err().map(|e| e.to_string())).collect();
    let stats = sandbox.stats();
    println!(
        "\n{} details calls ({} VPS x {ROUNDS} rounds), {CONCURRENCY} at a time:",
        calls.len(),
        ids.len()
    );
    println!("  succeeded       {}", results.len() - failed.len());
    println!("  failed          {}", failed.len());
    println!("  wall time       {:.2}s", wall.as_secs_f64());
    println!("  requests sent   {} (the list included)", stats.requests);
    println!("  429s seen       {}", stats.rate_limited);
    if let Some(rl) = client.rate_limit() {
        println!("  budget left     {} of {}", rl.remaining.unwrap_or(0), rl.limit.unwrap_or(0));
    }
    for error in failed.iter().take(3) {
        println!("  error: {error}");
    }
    if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
