//! Issue 12: a 503 storm stays within the retry budget, and hundreds of calls dropped on the wire or
//! while waiting leave the client free for the next call.

use std::time::Duration;

use hostup::{Client, RetryPolicy};
use hostup_sandbox::{Sandbox, fleet};

use crate::support::*;

/// `calls` concurrent GETs; returns how many succeeded.
async fn burst(client: &Client, calls: usize) -> usize {
    let tasks = (0..calls).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get_vps().id(fleet::MONTHLY_SEK).send().await })
    });
    let results = guard(futures::future::join_all(tasks)).await;
    results.into_iter().filter(|r| matches!(r, Ok(Ok(_)))).count()
}

fn quick(sandbox: &Sandbox, budgeted: bool) -> Client {
    let policy = fast_retries().with_retry_budget(budgeted);
    Client::builder().api_key(sandbox.api_key()).base_url(sandbox.url()).retry(policy).build().unwrap()
}

/// Every request of a sustained storm answers 503: the shared retry budget keeps the requests sent
/// within 1.2 times the calls made (three attempts a call without it). Isolated failures (one
/// request in ten, the sandbox's seeded dice) are all retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_storm_stays_within_the_retry_budget_and_isolated_failures_are_retried() {
    for (budgeted, calls) in [(true, 200), (false, 50)] {
        let sandbox = Sandbox::builder().rate_limit(100_000, Duration::from_secs(60)).start().await;
        let client = quick(&sandbox, budgeted);
        sandbox.faults().set_error_rate(0.1);
        for _ in 0..100 {
            let call = client.get_vps().id(fleet::MONTHLY_SEK).send();
            guard(call).await.expect("an isolated 503 is retried");
        }
        let before = sandbox.stats().requests;
        sandbox.faults().set_error_rate(1.0);
        let ok = burst(&client, calls).await;
        let sent = sandbox.stats().requests - before;
        println!("503 storm, retry budget {budgeted}: {calls} calls, {sent} requests ({ok} ok)");
        assert_eq!(ok, 0);
        if budgeted {
            assert!(sent as f64 <= 1.2 * calls as f64, "{sent} requests for {calls} calls");
        } else {
            assert_eq!(sent, 3 * calls as u64, "without the budget every call makes three attempts");
        }
    }
}

/// Hundreds of calls on the wire (the server never answers) and hundreds waiting for the first
/// answer of an unknown budget are dropped; the next call goes at once, within a deadline shorter
/// than any wait a leaked slot would cause.
#[tokio::test]
async fn calls_dropped_mid_flight_and_mid_wait_leave_the_client_free() {
    let budget = |remaining: &str| {
        let headers = [
            ("content-type", "application/json"),
            ("x-ratelimit-limit", "1000"),
            ("x-ratelimit-remaining", remaining),
            ("x-ratelimit-reset", "30"),
        ];
        http(200, &headers, &fixture("getVps.200"))
    };
    // Mid-flight: the budget is known, 300 calls are all on the wire when they are dropped.
    let mut replies = vec![budget("999")];
    replies.extend(std::iter::repeat_n(Reply::Hang, 300));
    replies.push(budget("600"));
    let server = ScriptServer::start(replies).await;
    let client = client(&server.base);
    client.get_vps().id(VPS_ID).send().await.unwrap();
    let calls: Vec<_> = (0..300)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_vps().id(VPS_ID).send().await.map(drop) })
        })
        .collect();
    guard(async {
        while server.count() < 301 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    calls.iter().for_each(tokio::task::JoinHandle::abort);
    futures::future::join_all(calls).await;
    guard(client.get_vps().id(VPS_ID).send()).await.expect("the next call goes");

    // Mid-wait: the budget is unknown, one request is out to learn it, 300 wait for its answer.
    let server = ScriptServer::start(vec![Reply::Hang, budget("999")]).await;
    let client = client_with(&server.base, fast_retries().with_deadline(Duration::from_millis(900)));
    let calls: Vec<_> = (0..301)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_vps().id(VPS_ID).send().await.map(drop) })
        })
        .collect();
    guard(async {
        while server.count() < 1 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    calls.iter().for_each(tokio::task::JoinHandle::abort);
    futures::future::join_all(calls).await;
    assert_eq!(server.count(), 1, "the waiting calls never went out");
    client.get_vps().id(VPS_ID).send().await.expect("the next call goes at once");
    assert_eq!(server.count(), 2);
}

/// Issue 12, item 5: `Duration::MAX` in every setter, and the server's most absurd values, end in
/// a result or a typed error, never a panic.
#[tokio::test]
async fn duration_max_in_every_setter_never_panics() {
    let max = Duration::MAX;
    let policy = RetryPolicy::standard()
        .with_deadline(max)
        .with_max_retry_after(max)
        .with_initial_backoff(max)
        .with_max_backoff(max);
    let _ = hostup::WaitOptions::default().with_max_wait(max).with_poll_interval(max, max);
    let builder = Client::builder().api_key(KEY).timeout(max).connect_timeout(max).retry(policy.clone());
    let too_many = |retry_after: &str| {
        let headers = [("retry-after", retry_after), ("content-type", "application/problem+json")];
        http(429, &headers, &fixture("getVpsDetails.429"))
    };
    for retry_after in ["18446744073709551615", "99999999999", "1e300"] {
        let server =
            ScriptServer::start(vec![too_many(retry_after), json(200, &fixture("getVps.200"))]).await;
        let client = builder.clone().base_url(&server.base).build().unwrap();
        let (logs, _capture) = capture_logs();
        let call = done_or_waiting(client.get_vps().id(VPS_ID).send(), &logs);
        let result = tokio::time::timeout(Duration::from_secs(5), call).await;
        // Either the absurd wait is refused with the server's value, or the call waits (the cap is
        // raised to `Duration::MAX`): both without a panic.
        if let Ok(Some(result)) = result {
            let err = result.map(drop).unwrap_err();
            assert!(err.retry_after().is_some() || err.status().is_some(), "{err:?}");
        }
    }
}

/// Polls `call` until it ends (`Some`) or is pending after it logged that it waits to retry
/// (`None`): the wait is then computed and scheduled, which is where an absurd value would
/// overflow, so there is no need to sit out the rest of the timeout (5 s of this target's time).
async fn done_or_waiting<F: std::future::Future>(call: F, logs: &Captured) -> Option<F::Output> {
    let mut call = std::pin::pin!(call);
    std::future::poll_fn(|cx| match call.as_mut().poll(cx) {
        std::task::Poll::Ready(out) => std::task::Poll::Ready(Some(out)),
        std::task::Poll::Pending if logs.text().contains("; retrying") => std::task::Poll::Ready(None),
        std::task::Poll::Pending => std::task::Poll::Pending,
    })
    .await
}
