//! A billing-cycle change and a PAYG resize as two-step writes: priced per month against today,
//! the billing model and the quota checked before the token, the ceiling counting the increase.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::json;

use crate::common::start;

#[tokio::test]
async fn a_billing_cycle_change_is_priced_by_the_servers_dry_run_and_committed() {
    let session = start(Settings::default()).await;
    let vps = fleet::MONTHLY_SEK;
    let change = json!({"id": vps, "billingCycle": "annually"});
    let (quote, changed) = session.two_step("preview_billing_cycle_change", change).await;
    assert_eq!(quote["quote"]["preview"]["dryRun"], true, "{quote}");
    assert_eq!(quote["cost"]["currency"], "SEK", "{quote}");
    let (after, now) = (
        quote["quote"]["monthlyAfter"].as_f64().unwrap(),
        quote["quote"]["monthlyNow"]["amount"].as_f64().unwrap(),
    );
    let increase = quote["cost"]["recurringIncrease"].as_f64().unwrap();
    assert!((increase - (after - now).max(0.0)).abs() < 0.011, "per month against today: {quote}");
    assert_eq!(
        (changed["changed"].clone(), changed["dryRun"].clone()),
        (json!(true), json!(false)),
        "{changed}"
    );
    let details = session.call("get_vps_details", json!({"id": vps})).await;
    assert_eq!(details.ok()["vps"]["billing"]["billingCycle"], "annually", "{}", details.json);

    let payg = session
        .call("preview_billing_cycle_change", json!({"id": fleet::PAYG_CLOUD, "billingCycle": "annually"}))
        .await;
    assert_eq!(payg.code(), "wrong_billing_model", "{}", payg.json);
    let overdue = session
        .call("preview_billing_cycle_change", json!({"id": fleet::OVERDUE, "billingCycle": "annually"}))
        .await;
    assert!(overdue.ok()["warnings"].to_string().contains("existing_invoice_blocking"), "{}", overdue.json);
    let refused = session.call("commit", overdue.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "existing_invoice_blocking", "{}", refused.json);
    let gated = session
        .call("preview_billing_cycle_change", json!({"id": fleet::BLOCKED, "billingCycle": "annually"}))
        .await;
    assert_eq!(gated.json["error"]["kind"], "blocked", "{}", gated.json);
}

#[tokio::test]
async fn a_payg_resize_is_priced_from_the_hourly_rates_within_the_quota() {
    let session = start(Settings::default()).await;
    let vps = fleet::PAYG_CLOUD;
    let (quote, resized) =
        session.two_step("preview_payg_resize", json!({"id": vps, "cpuCores": 4, "memoryGb": 8})).await;
    let cost = &quote["cost"];
    assert_eq!(cost["currency"], "SEK", "{quote}");
    assert!(cost["recurringIncrease"].as_f64().unwrap() > 0.0, "more cores cost more: {quote}");
    assert_eq!(quote["quote"]["monthlyChange"], cost["recurringIncrease"], "{quote}");
    assert_eq!(resized["resized"], true, "{resized}");
    let details = session.call("get_vps_details", json!({"id": vps})).await;
    assert_eq!(details.ok()["vps"]["cpuCores"], 4.0, "{}", details.json);

    let big = session.call("preview_payg_resize", json!({"id": vps, "cpuCores": 30, "memoryGb": 8})).await;
    assert_eq!(big.code(), "quota_exceeded", "{}", big.json);
    assert_eq!(big.json["error"]["details"]["limit"], "cpuCores", "{}", big.json);
    let fixed = session
        .call("preview_payg_resize", json!({"id": fleet::MONTHLY_SEK, "cpuCores": 4, "memoryGb": 8}))
        .await;
    assert_eq!(fixed.code(), "wrong_billing_model", "{}", fixed.json);
    // A smaller VPS costs less: nothing for the ceiling to count.
    let smaller = session.call("preview_payg_resize", json!({"id": vps, "cpuCores": 1, "memoryGb": 2})).await;
    assert_eq!(smaller.ok()["cost"]["recurringIncrease"], 0.0, "{}", smaller.json);

    let capped = start(Settings::default().max_spend(1.0, Some("SEK".into()))).await;
    let quote = capped.call("preview_payg_resize", json!({"id": vps, "cpuCores": 4, "memoryGb": 8})).await;
    let refused = capped.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "spending_ceiling_exceeded", "{}", refused.json);
}
