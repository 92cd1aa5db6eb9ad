//! Rate-limit headers are read on every response, and the shared budget holds requests back.

use std::time::{Duration, Instant, SystemTime};

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

#[tokio::test]
async fn spent_budget_makes_the_next_call_wait_for_the_reset() {
    let reset = humantime::format_rfc3339_millis(SystemTime::now() + Duration::from_secs(1)).to_string();
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
    let started = Instant::now();
    // A clone shares the budget.
    client.clone().get_vps().id(VPS_ID).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "waited only {:?}", started.elapsed());
    assert_eq!(server.count(), 2);
}
