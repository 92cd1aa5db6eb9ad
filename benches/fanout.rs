//! Fan-out under a rate limit: N `getVpsDetails` calls through one shared client against the
//! sandbox with a budget of R requests per window. A timed run, not a micro-benchmark.
//!
//! ```sh
//! cargo bench --bench fanout
//! ```
//!
//! N calls at R per window cannot finish before window number ceil(N/R) opens, (ceil(N/R) - 1)
//! windows after the first: that instant is the floor. Efficiency is floor / elapsed, so 100 %
//! means no slot of the budget was left idle. Retries are the sandbox's request count minus N.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use hostup::Client;
use hostup::sandbox::{Sandbox, fleet};
use tokio::time::Instant;

struct Scenario {
    name: &'static str,
    calls: usize,
    budget: u64,
    window: Duration,
    /// Calls in flight at once; `None` launches every call at once.
    concurrency: Option<usize>,
}

struct Outcome {
    per_window: Vec<usize>,
    elapsed: Duration,
    ok: usize,
    failed: usize,
    requests: u64,
    rate_limited: u64,
}

/// Whether the call succeeded, and when it finished (from the sandbox's start).
async fn call(client: &Client, started: Instant) -> (bool, Duration) {
    let ok = client.get_vps_details().id(fleet::MONTHLY_SEK).send().await.is_ok();
    (ok, started.elapsed())
}

async fn run(scenario: &Scenario) -> Outcome {
    let sandbox = Sandbox::builder().rate_limit(scenario.budget, scenario.window).start().await;
    // The sandbox's first window opens when it starts; the clock starts with it.
    let started = Instant::now();
    let client = sandbox.client();
    let results: Vec<(bool, Duration)> = match scenario.concurrency {
        None => {
            let client = Arc::new(client);
            let tasks: Vec<_> = (0..scenario.calls)
                .map(|_| {
                    let client = client.clone();
                    tokio::spawn(async move { call(&client, started).await })
                })
                .collect();
            let mut results = Vec::with_capacity(tasks.len());
            for task in tasks {
                results.push(task.await.unwrap_or((false, Duration::ZERO)));
            }
            results
        }
        Some(limit) => {
            futures::stream::iter(0..scenario.calls)
                .map(|_| call(&client, started))
                .buffer_unordered(limit)
                .collect()
                .await
        }
    };
    let elapsed = started.elapsed();
    let stats = sandbox.stats();
    let ok = results.iter().filter(|(ok, _)| *ok).count();
    // Calls finished in each window (counted from the sandbox's start).
    let windows = (elapsed.as_secs_f64() / scenario.window.as_secs_f64()).ceil() as usize;
    let last = windows.max(1) - 1;
    let mut per_window = vec![0usize; last + 1];
    for (_, at) in &results {
        let i = (at.as_secs_f64() / scenario.window.as_secs_f64()) as usize;
        per_window[i.min(last)] += 1;
    }
    Outcome {
        per_window,
        elapsed,
        ok,
        failed: results.len() - ok,
        requests: stats.requests,
        rate_limited: stats.rate_limited,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let scenarios = [
        Scenario {
            name: "1,000 calls, all launched at once, 200 per 1 s",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: None,
        },
        Scenario {
            name: "1,000 calls, 32 in flight, 200 per 1 s",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: Some(32),
        },
        Scenario {
            name: "1,000 calls, 32 in flight, 100 per 500 ms",
            calls: 1000,
            budget: 100,
            window: Duration::from_millis(500),
            concurrency: Some(32),
        },
    ];
    println!("=== fan-out under a rate limit (sandbox on loopback) ===");
    for scenario in &scenarios {
        let outcome = run(scenario).await;
        let windows = (scenario.calls as u64).div_ceil(scenario.budget);
        let floor = scenario.window * (windows as u32 - 1);
        let allowed = scenario.budget as f64 / scenario.window.as_secs_f64();
        let achieved = outcome.ok as f64 / outcome.elapsed.as_secs_f64();
        println!("\n{}", scenario.name);
        println!(
            "  elapsed {:.3} s; floor {:.3} s (window {windows} opens); efficiency floor/elapsed {:.1} %",
            outcome.elapsed.as_secs_f64(),
            floor.as_secs_f64(),
            100.0 * floor.as_secs_f64() / outcome.elapsed.as_secs_f64()
        );
        println!(
            "  achieved {achieved:.1} req/s against {allowed:.0} req/s allowed ({:.1} %; the floor allows up to {:.1} %)",
            100.0 * achieved / allowed,
            100.0 * scenario.calls as f64 / floor.as_secs_f64() / allowed
        );
        println!(
            "  calls ok {} failed {}; requests {} ; 429s {} ; retries {}",
            outcome.ok,
            outcome.failed,
            outcome.requests,
            outcome.rate_limited,
            outcome.requests.saturating_sub(scenario.calls as u64)
        );
        println!("  calls finished per window: {:?}", outcome.per_window);
    }
}
