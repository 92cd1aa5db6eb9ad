//! Fan-out under a rate limit: N `getVpsDetails` calls through one shared client against the
//! sandbox with a budget of R requests per window. A timed run, not a micro-benchmark.
//!
//! ```sh
//! cargo bench -p hostup-integration --bench fanout
//! ```
//!
//! N calls at R per window cannot finish before window number ceil(N/R) opens, (ceil(N/R) - 1)
//! windows after the first: that instant is the floor. Efficiency is floor / elapsed, so 100 %
//! means no slot of the budget was left idle. Retries are the sandbox's request count minus N.
//!
//! For comparison, the same burst through a few lines of reqwest + serde: once without any 429
//! handling, once with a loop that waits out `Retry-After`.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use hostup::{Client, types};
use hostup_sandbox::{Sandbox, fleet};
use tokio::time::Instant;

/// Who makes the calls.
#[derive(Clone, Copy)]
enum Kind {
    Hostup,
    /// `reqwest::Client` + `serde_json`; with `retry`, a loop that waits out `Retry-After` on a 429
    /// (up to 10 tries).
    Reqwest {
        retry: bool,
    },
}

#[derive(Clone)]
enum Caller {
    Hostup(Client),
    Reqwest { http: reqwest::Client, url: Arc<str>, key: Arc<str>, retry: bool },
}

struct Scenario {
    name: &'static str,
    kind: Kind,
    calls: usize,
    budget: u64,
    window: Duration,
    /// Calls in flight at once per client; `None` launches every call at once.
    concurrency: Option<usize>,
    /// Independent clients sharing the budget (the calls are split between them).
    clients: usize,
    /// Seconds the sandbox's clock (its `Date` and resets) runs ahead of the real one.
    skew_secs: i64,
}

struct Outcome {
    per_window: Vec<usize>,
    /// When the first call finished: a late start (not the budget's doing) shows here.
    first: Duration,
    elapsed: Duration,
    ok: usize,
    failed: usize,
    requests: u64,
    rate_limited: u64,
}

/// Whether the call succeeded, and when it finished (from the sandbox's start).
async fn call(caller: &Caller, started: Instant) -> (bool, Duration) {
    let ok = match caller {
        Caller::Hostup(client) => client.get_vps_details().id(fleet::MONTHLY_SEK).send().await.is_ok(),
        Caller::Reqwest { http, url, key, retry } => bare_call(http, url, key, *retry).await,
    };
    (ok, started.elapsed())
}

async fn bare_call(http: &reqwest::Client, url: &str, key: &str, retry: bool) -> bool {
    for _ in 0..10 {
        let Ok(response) = http.get(url).bearer_auth(key).send().await else { return false };
        if retry && response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
            let wait = response.headers().get("retry-after").and_then(|v| v.to_str().ok());
            tokio::time::sleep(Duration::from_secs(wait.and_then(|v| v.parse().ok()).unwrap_or(1))).await;
            continue;
        }
        return match response.error_for_status() {
            Ok(response) => response
                .bytes()
                .await
                .is_ok_and(|body| serde_json::from_slice::<types::VpsDetails>(&body).is_ok()),
            Err(_) => false,
        };
    }
    false
}

async fn run(scenario: &Scenario) -> Outcome {
    let sandbox = Sandbox::builder()
        .rate_limit(scenario.budget, scenario.window)
        .clock_offset(scenario.skew_secs)
        .start()
        .await;
    // The sandbox's first window opens when it starts; the clock starts with it.
    let started = Instant::now();
    // Independent clients (as separate processes would be); clones of one share its budget.
    let url: Arc<str> = format!("{}/api/v2/vps/{}/details", sandbox.url(), fleet::MONTHLY_SEK).into();
    let key: Arc<str> = sandbox.api_key().into();
    let clients: Vec<Caller> = (0..scenario.clients)
        .map(|_| match scenario.kind {
            Kind::Hostup => Caller::Hostup(sandbox.client()),
            Kind::Reqwest { retry } => {
                Caller::Reqwest { http: reqwest::Client::new(), url: url.clone(), key: key.clone(), retry }
            }
        })
        .collect();
    let share = scenario.calls / scenario.clients;
    let tasks: Vec<_> = clients
        .into_iter()
        .flat_map(|client| match scenario.concurrency {
            // Every call its own task, all spawned at once.
            None => (0..share)
                .map(|_| {
                    let client = client.clone();
                    tokio::spawn(async move { vec![call(&client, started).await] })
                })
                .collect::<Vec<_>>(),
            Some(limit) => vec![tokio::spawn(async move {
                futures::stream::iter(0..share)
                    .map(|_| call(&client, started))
                    .buffer_unordered(limit)
                    .collect::<Vec<_>>()
                    .await
            })],
        })
        .collect();
    let mut results = Vec::with_capacity(scenario.calls);
    for task in tasks {
        results.extend(task.await.expect("no call panics"));
    }
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
        first: results.iter().map(|(_, at)| *at).min().unwrap_or_default(),
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
            kind: Kind::Hostup,
            name: "1,000 calls, all launched at once, 200 per 1 s",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: None,
            clients: 1,
            skew_secs: 0,
        },
        Scenario {
            kind: Kind::Hostup,
            name: "1,000 calls, all launched at once, 200 per 1 s, server clock 1 h ahead",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: None,
            clients: 1,
            skew_secs: 3600,
        },
        Scenario {
            kind: Kind::Hostup,
            name: "1,000 calls, all launched at once, 200 per 1 s, server clock 1 h behind",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: None,
            clients: 1,
            skew_secs: -3600,
        },
        Scenario {
            kind: Kind::Hostup,
            name: "1,000 calls, 32 in flight, 200 per 1 s",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: Some(32),
            clients: 1,
            skew_secs: 0,
        },
        Scenario {
            kind: Kind::Hostup,
            name: "1,000 calls, 32 in flight, 100 per 500 ms",
            calls: 1000,
            budget: 100,
            window: Duration::from_millis(500),
            concurrency: Some(32),
            clients: 1,
            skew_secs: 0,
        },
        Scenario {
            kind: Kind::Hostup,
            name: "1,000 calls from two independent clients sharing the budget, 16 in flight each, 200 per 1 s",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: Some(16),
            clients: 2,
            skew_secs: 0,
        },
        Scenario {
            kind: Kind::Reqwest { retry: false },
            name: "reqwest + serde instead: 1,000 calls, all launched at once, no 429 handling, 200 per 1 s",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: None,
            clients: 1,
            skew_secs: 0,
        },
        Scenario {
            kind: Kind::Reqwest { retry: true },
            name: "reqwest + serde + a Retry-After loop: 1,000 calls, all launched at once, 200 per 1 s",
            calls: 1000,
            budget: 200,
            window: Duration::from_secs(1),
            concurrency: None,
            clients: 1,
            skew_secs: 0,
        },
    ];
    // FANOUT_ONLY=<text> runs only the scenarios whose name contains it (and not the storm);
    // FANOUT_RUNS=<n> runs each of them n times (the goal of issue 12 is "in every run").
    let only = std::env::var("FANOUT_ONLY").ok();
    let runs: usize = std::env::var("FANOUT_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    println!("=== fan-out under a rate limit (sandbox on loopback) ===");
    let chosen = scenarios.iter().filter(|s| only.as_deref().is_none_or(|only| s.name.contains(only)));
    for scenario in chosen.flat_map(|s| std::iter::repeat_n(s, runs)) {
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
        println!(
            "  calls finished per window: {:?}; the first after {} ms",
            outcome.per_window,
            outcome.first.as_millis()
        );
    }
    if only.is_none() {
        storm().await;
    }
}

/// A sustained 503 storm (every request answers 503): requests sent per call made, with the
/// client's shared retry budget and without it.
async fn storm() {
    println!("\n=== 503 storm (sandbox, every request answers 503) ===");
    for budgeted in [true, false] {
        let sandbox = Sandbox::builder().rate_limit(1_000_000, Duration::from_secs(60)).start().await;
        sandbox.faults().set_error_rate(1.0);
        let policy = hostup::RetryPolicy::standard()
            .with_initial_backoff(Duration::from_millis(5))
            .with_max_backoff(Duration::from_millis(20))
            .with_retry_budget(budgeted);
        let client = Client::builder()
            .api_key(sandbox.api_key())
            .base_url(sandbox.url())
            .retry(policy)
            .build()
            .unwrap();
        let calls = 1000;
        let tasks: Vec<_> = (0..calls)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(
                    async move { client.get_vps_details().id(fleet::MONTHLY_SEK).send().await.is_ok() },
                )
            })
            .collect();
        let mut ok = 0;
        for task in tasks {
            ok += usize::from(task.await.expect("no call panics"));
        }
        let requests = sandbox.stats().requests;
        println!(
            "  retry budget {}: {calls} calls, {requests} requests, {:.2} requests per call, {ok} ok",
            if budgeted { "on " } else { "off" },
            requests as f64 / calls as f64
        );
    }
}
