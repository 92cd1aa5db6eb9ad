//! Conversion to Cloud, maintenance extensions, PAYG limit requests and orders as two-step writes:
//! priced where they are billed, checked before the token, committed once.

use hostup_mcp::Settings;
use hostup_sandbox::fleet;
use serde_json::json;

use crate::common::start;

#[tokio::test]
async fn a_conversion_to_cloud_is_checked_priced_and_committed() {
    let session = start(Settings::default()).await;
    let overdue = session.call("preview_convert_to_cloud", json!({"id": fleet::OVERDUE})).await;
    assert_eq!(overdue.json["error"]["kind"], "blocked", "{}", overdue.json);
    assert!(overdue.json.to_string().contains("has_unpaid_invoice"), "{}", overdue.json);
    let payg = session.call("preview_convert_to_cloud", json!({"id": fleet::PAYG_CLOUD})).await;
    assert_eq!(payg.code(), "wrong_billing_model", "{}", payg.json);

    let vps = fleet::MONTHLY_SEK;
    let (quote, converted) = session.two_step("preview_convert_to_cloud", json!({"id": vps})).await;
    let cost = &quote["cost"];
    assert_eq!(cost["currency"], "SEK", "{quote}");
    let (monthly, increase) =
        (cost["recurring"].as_f64().unwrap(), cost["recurringIncrease"].as_f64().unwrap());
    assert!(monthly > 0.0 && increase <= monthly, "the increase is over today's price: {quote}");
    let now = quote["quote"]["nowMonthly"]["amount"].as_f64().unwrap();
    assert!((increase - (monthly - now).max(0.0)).abs() < 0.011, "{quote}");
    assert!(quote["warnings"].to_string().contains("no way back"), "{quote}");
    assert_eq!(converted["converted"], true, "{converted}");
    let listed = session.call("list_vps", json!({"isPayg": true})).await;
    assert!(listed.ok()["data"].to_string().contains(vps), "{}", listed.json);
}

#[tokio::test]
async fn a_maintenance_deadline_is_extended_while_its_policy_allows() {
    let session = start(Settings::default()).await;
    let vps = fleet::ANNUAL_SEK;
    let state = session.call("get_maintenance", json!({"id": vps})).await;
    let deadline = state.ok()["pendingChanges"][0]["deadline"]["id"].as_str().unwrap().to_string();
    let unknown =
        session.call("preview_maintenance_extend", json!({"id": vps, "deadlineId": "mtd_nope"})).await;
    assert_eq!(unknown.json["error"]["details"]["field"], "deadlineId", "{}", unknown.json);
    let extend = json!({"id": vps, "deadlineId": deadline});
    let (quote, first) = session.two_step("preview_maintenance_extend", extend.clone()).await;
    assert_eq!(
        (quote["quote"]["extensionsUsed"].clone(), quote["quote"]["maxExtensions"].clone()),
        (json!(0), json!(2))
    );
    assert_eq!(first["extensionCount"], 1, "{first}");
    let (quote, _) = session.two_step("preview_maintenance_extend", extend.clone()).await;
    assert!(quote["warnings"].to_string().contains("last extension"), "{quote}");
    let used_up = session.call("preview_maintenance_extend", extend).await;
    assert_eq!(used_up.code(), "max_extensions_reached", "{}", used_up.json);
    assert_eq!(used_up.json["error"]["kind"], "blocked");

    let none = session
        .call("preview_maintenance_extend", json!({"id": fleet::QUARTERLY_EUR, "deadlineId": deadline}))
        .await;
    assert!(none.is_error, "{}", none.json);
}

#[tokio::test]
async fn a_payg_limit_request_is_checked_against_the_current_ceiling_and_filed() {
    let session = start(Settings::default()).await;
    let ask = json!({"limitType": "cpuCores", "requestedLimit": 32, "reason": "Need capacity for production traffic"});
    let (quote, filed) = session.two_step("preview_payg_limit_request", ask).await;
    assert_eq!(quote["quote"]["currentLimit"], 16, "{quote}");
    assert_eq!(quote["cost"], json!(null), "nothing is billed: {quote}");
    assert_eq!(filed["status"], "submitted", "{filed}");
    let limits = session.call("get_payg_limits", json!({})).await;
    assert_eq!(limits.ok()["hasPendingRequests"], true, "{}", limits.json);

    let lower =
        json!({"limitType": "cpuCores", "requestedLimit": 8, "reason": "Need capacity for production"});
    let lower = session.call("preview_payg_limit_request", lower).await;
    assert_eq!(lower.json["error"]["details"]["field"], "requestedLimit", "{}", lower.json);
    let short = json!({"limitType": "memoryGb", "requestedLimit": 512, "reason": "more"});
    let short = session.call("preview_payg_limit_request", short).await;
    assert_eq!(short.json["error"]["details"]["field"], "reason", "{}", short.json);
    let unread =
        json!({"limitType": "snapshotCount", "requestedLimit": 50, "reason": "Need more snapshot slots"});
    assert_eq!(session.call("preview_payg_limit_request", unread).await.code(), "invalid_request");
}

#[tokio::test]
async fn an_order_is_priced_placed_once_per_attempt_key_and_cancelled() {
    let session = start(Settings::default()).await;
    let order = json!({"items": [{"productSlug": "vps-sm", "billingCycle": "monthly"}]});
    let (quote, placed) = session.two_step("preview_order_place", order).await;
    let cost = &quote["cost"];
    assert_eq!(cost["currency"], "SEK", "{quote}");
    assert!(cost["recurringIncrease"].as_f64().unwrap() > 0.0, "{quote}");
    let key = quote["quote"]["attemptKey"].as_str().unwrap().to_string();
    assert_eq!(placed["attemptKey"], key.as_str(), "{placed}");
    assert_eq!(placed["status"], "pending", "{placed}");
    let id = placed["id"].as_str().unwrap().to_string();
    let read = session.call("get_order", json!({"id": id})).await;
    assert_eq!(read.ok()["status"], "pending", "get_order reads it back: {}", read.json);

    // The same attempt, previewed and committed again (after a lost answer): the same order.
    let again = json!({"items": [{"productSlug": "vps-sm", "billingCycle": "monthly"}], "attemptKey": key});
    let (_, replayed) = session.two_step("preview_order_place", again).await;
    assert_eq!(replayed["id"], id.as_str(), "{replayed}");
    let orders = session.call("list_orders", json!({})).await;
    let count = orders.ok()["data"].as_array().unwrap().iter().filter(|o| o["id"] == id.as_str()).count();
    assert_eq!(count, 1, "{}", orders.json);

    let unknown = json!({"items": [{"productSlug": "vps-huge", "billingCycle": "monthly"}]});
    let unknown = session.call("preview_order_place", unknown).await;
    assert_eq!(unknown.json["error"]["details"]["field"], "items[0].productSlug", "{}", unknown.json);
    let no_cycle = session.call("preview_order_place", json!({"items": [{"productSlug": "vps-sm"}]})).await;
    assert_eq!(no_cycle.code(), "invalid_arguments", "{}", no_cycle.json);

    let (quote, cancelled) = session.two_step("preview_order_cancel", json!({"id": id})).await;
    assert_eq!(quote["quote"]["cancel"]["status"], "pending", "{quote}");
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    let twice = session.call("preview_order_cancel", json!({"id": id})).await;
    assert_eq!(twice.code(), "not_cancelable", "{}", twice.json);
}

#[tokio::test]
async fn the_ceiling_counts_what_an_order_and_a_conversion_add() {
    let session = start(Settings::default().max_spend(1.0, Some("SEK".into()))).await;
    let count = |orders: &serde_json::Value| orders["data"].as_array().unwrap().len();
    let before = count(session.call("list_orders", json!({"limit": 100})).await.ok());
    let order = json!({"items": [{"productSlug": "vps-sm", "billingCycle": "monthly"}]});
    let quote = session.call("preview_order_place", order).await;
    let refused = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "spending_ceiling_exceeded", "{}", refused.json);
    let after = count(session.call("list_orders", json!({"limit": 100})).await.ok());
    assert_eq!(after, before, "nothing was ordered");
    let quote = session.call("preview_convert_to_cloud", json!({"id": fleet::MONTHLY_SEK})).await;
    assert!(quote.ok()["cost"]["recurringIncrease"].as_f64().unwrap() > 1.0, "{}", quote.json);
    let refused = session.call("commit", quote.ok()["commitWith"].clone()).await;
    assert_eq!(refused.code(), "spending_ceiling_exceeded", "{}", refused.json);
    let details = session.call("get_vps_details", json!({"id": fleet::MONTHLY_SEK})).await;
    assert_eq!(details.ok()["vps"]["billing"]["isPayg"], false, "not converted");
}
