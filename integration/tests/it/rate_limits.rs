//! Rate-limit headers are read on every response, and the shared budget holds requests back.

use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, SystemTime};

use hostup::prelude::*;

use crate::support::*;

#[tokio::test]
async fn rate_limit_headers_are_readable_after_a_call() {
    let server = ScriptServer::start(vec![http(
        200,
        &[
            ("content-type", "application/json"),
            ("x-ratelimit-limit", "120"),
            ("x-ratelimit-remaining", "119"),
            ("x-ratelimit-reset", "2026-04-27T12:35:56.000Z"),
        ],
        &fixture("getVps.200"),
    )])
    .await;
    let client = client(&server.base);
    assert_eq!(client.rate_limit(), None);
    client.get_vps().id(VPS_ID).send().await.unwrap();
    let budget = client.clone().rate_limit().unwrap();
    assert_eq!((budget.limit, budget.remaining), (Some(120), Some(119)));
    assert_eq!(budget.reset, Some(humantime::parse_rfc3339("2026-04-27T12:35:56Z").unwrap()));
}

/// Issue 12, item 11: the wait was measured from after the first call, so a slow first call made
/// it look short. The reset itself is the bound: the second request is not sent before it.
#[tokio::test]
async fn spent_budget_makes_the_next_call_wait_for_the_reset() {
    let reset_at = SystemTime::now() + Duration::from_secs(1);
    let reset = humantime::format_rfc3339_millis(reset_at).to_string();
    let server = ScriptServer::start(vec![http(
        200,
        &[
            ("content-type", "application/json"),
            ("x-ratelimit-limit", "10"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &reset),
        ],
        &fixture("getVps.200"),
    )])
    .await;
    let client = client(&server.base);
    client.get_vps().id(VPS_ID).send().await.unwrap();
    // A clone shares the budget.
    client.clone().get_vps().id(VPS_ID).send().await.unwrap();
    assert!(SystemTime::now() >= reset_at, "the second call ended before the reset");
    assert_eq!(server.count(), 2);
}

/// Issue 12, item 2: a server whose clock (`Date` and reset) is off by an hour or five minutes
/// either way, or that sends no `Date`, with 3 requests per 1 s window: 12 sequential calls all
/// succeed, with at most one window's worth of 429s (the early probes while the client learns the
/// server's clock to better than `Date`'s second).
#[tokio::test]
async fn a_skewed_server_clock_never_wedges_the_budget() {
    let runs = [Some(3600), Some(300), Some(-300), Some(-3600), None].map(|skew| async move {
        let budget = Budget {
            limit: 3,
            window: Duration::from_secs(1),
            skew_secs: skew.unwrap_or(0),
            dated: skew.is_some(),
        };
        let server = BudgetServer::start(budget, fixture("getVps.200"), fixture("getVpsDetails.429")).await;
        let client = client(&server.base);
        let mut failed = Vec::new();
        for _ in 0..12 {
            if let Err(e) = client.get_vps().id(VPS_ID).send().await {
                failed.push(e.to_string());
            }
        }
        (skew, failed, server.requests.load(Relaxed), server.rejected.load(Relaxed))
    });
    for (skew, failed, requests, rejected) in futures::future::join_all(runs).await {
        println!("skew {skew:?}: {requests} requests, {rejected} 429s");
        assert!(failed.is_empty(), "skew {skew:?}: {failed:?}");
        assert!(rejected <= 3, "skew {skew:?}: {rejected} 429s");
        assert_eq!(requests, 12 + rejected, "skew {skew:?}");
    }
}
