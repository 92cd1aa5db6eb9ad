//! Preview then commit, option validation, and routes chosen by billing model.

use hostup::prelude::*;
use hostup::types::{BillingCycleChoice, VpsDetails};
use hostup::{CommitOptions, Error, ErrorCode, ResourceChange};
use serde_json::json;

use crate::support::*;

fn preview_reply(can_commit: bool) -> Reply {
    let mut body = fixture_json("changeVpsResources.200");
    body["actions"]["canCommit"] = json!({"allowed": can_commit, "reason": if can_commit { None } else { Some("Payment method required.") }, "code": "no_card_on_file"});
    json(200, &body.to_string())
}

fn committed_reply() -> Reply {
    let mut body = fixture_json("changeVpsResources.200");
    body["dryRun"] = json!(false);
    json(200, &body.to_string())
}

fn sent(server: &ScriptServer, n: usize) -> serde_json::Value {
    serde_json::from_str(&server.seen()[n].body).unwrap()
}

#[tokio::test]
async fn preview_then_commit_sends_exactly_the_two_bodies() {
    let server = ScriptServer::start(vec![preview_reply(true), committed_reply()]).await;
    let client = client(&server.base);
    let change = ResourceChange::new().set("bandwidthGb", 4096);
    let quote = client.preview_resources(VPS_ID, &change).await.unwrap();
    assert_eq!(
        (quote.amount_due(), quote.recurring_amount(), quote.currency()),
        (Some(40.0), Some(40.0), Some("SEK"))
    );
    assert!(quote.can_commit());
    let result = quote.commit(&client, CommitOptions::default()).await.unwrap();
    assert_eq!(result.dry_run, Some(false));
    assert_eq!(server.count(), 2);
    assert_eq!(sent(&server, 0), fixture_json("changeVpsResources.request.previewBandwidth"));
    assert_eq!(sent(&server, 1), json!({"resources": {"bandwidthGb": 4096}, "dryRun": false}));
    assert!(server.seen().iter().all(|s| s.path == format!("/api/v2/vps/{VPS_ID}/actions/config")));
}

#[tokio::test]
async fn billing_cycle_hint_goes_only_with_the_preview() {
    let server = ScriptServer::start(vec![preview_reply(true), committed_reply()]).await;
    let client = client(&server.base);
    let change = ResourceChange::new()
        .set("bandwidthGb", 4096)
        .billing_cycle_hint(hostup::types::RequestedBillingCycle::Annually);
    let quote = client.preview_resources(VPS_ID, &change).await.unwrap();
    quote.commit(&client, CommitOptions::default()).await.unwrap();
    assert_eq!(sent(&server, 0)["billingCycle"], "annually");
    assert!(sent(&server, 1).get("billingCycle").is_none());
}

#[tokio::test]
async fn a_quote_that_cannot_be_committed_sends_nothing() {
    let server = ScriptServer::start(vec![preview_reply(false), committed_reply()]).await;
    let client = client(&server.base);
    let quote =
        client.preview_resources(VPS_ID, &ResourceChange::new().set("bandwidthGb", 4096)).await.unwrap();
    assert_eq!(quote.blocked_reason(), Some("Payment method required."));
    let err = quote.commit(&client, CommitOptions::default()).await.unwrap_err();
    let Error::Blocked(blocked) = &err else { panic!("{err:?}") };
    assert_eq!(blocked.code.as_deref(), Some("no_card_on_file"));
    assert_eq!(server.count(), 1, "only the preview was sent");
}

#[tokio::test]
async fn invoice_conflict_is_resent_only_when_asked() {
    let conflict = json(409, &fixture("changeVpsResources.409"));
    // Without opt-in: one request, a typed 409.
    let server = ScriptServer::start(vec![preview_reply(true), conflict.clone(), committed_reply()]).await;
    let client = client(&server.base);
    let quote =
        client.preview_resources(VPS_ID, &ResourceChange::new().set("bandwidthGb", 4096)).await.unwrap();
    let err = quote.commit(&client, CommitOptions::default()).await.unwrap_err();
    assert_eq!(err.code(), Some(&ErrorCode::ExistingInvoiceBlocking));
    assert_eq!(server.count(), 2);

    // With opt-in: the commit, then the resend with cancelExistingInvoice.
    let server = ScriptServer::start(vec![preview_reply(true), conflict, committed_reply()]).await;
    let client = crate::support::client(&server.base);
    let quote =
        client.preview_resources(VPS_ID, &ResourceChange::new().set("bandwidthGb", 4096)).await.unwrap();
    let opt_in = CommitOptions::default().cancel_existing_invoice_on_conflict(true);
    quote.commit(&client, opt_in).await.unwrap();
    assert_eq!(server.count(), 3);
    assert!(sent(&server, 1).get("cancelExistingInvoice").is_none());
    assert_eq!(sent(&server, 2)["cancelExistingInvoice"], true);
}

#[tokio::test]
async fn out_of_range_value_fails_before_the_change_is_sent() {
    let options = json!({"vpsId": VPS_ID, "configurableOptions": [
        {"key": "bandwidthGb", "label": "Bandwidth", "type": "slider", "min": 1000, "max": 8192}]});
    let server = ScriptServer::start(vec![json(200, &options.to_string()), preview_reply(true)]).await;
    let err = client(&server.base)
        .preview_resources_checked(VPS_ID, &ResourceChange::new().set("bandwidthGb", 100_000))
        .await
        .unwrap_err();
    let Error::InvalidOption { key, reason } = &err else { panic!("{err:?}") };
    assert_eq!(key, "bandwidthGb");
    assert!(reason.contains("1000 to 8192"), "{reason}");
    assert_eq!(server.count(), 1, "only the options were read");
    assert_eq!(server.seen()[0].path, format!("/api/v2/vps/{VPS_ID}/actions/upgrade"));
}

fn details(payg: bool) -> VpsDetails {
    let mut body = fixture_json("getVpsDetails.200");
    body["billing"]["isPayg"] = json!(payg);
    body["billing"]["billingCycle"] = json!("monthly");
    body["actions"]["canResize"] = json!({"allowed": payg, "reason": null});
    serde_json::from_value(body).unwrap()
}

#[tokio::test]
async fn payg_with_a_monthly_cycle_is_payg_and_resizes_through_the_payg_route() {
    let vps = details(true);
    assert!(vps.billing_model().is_payg());
    let server = ScriptServer::start(vec![json(200, &fixture("resizePaygVps.200"))]).await;
    let result = client(&server.base).resize_cpu_memory(&vps, 4, 8).await.unwrap();
    assert!(result.resized);
    assert_eq!(server.seen()[0].path, format!("/api/v2/vps/{VPS_ID}/actions/resize"));
    assert_eq!(sent(&server, 0), fixture_json("resizePaygVps.request"));
}

#[tokio::test]
async fn fixed_plans_are_pointed_to_upgrade_and_payg_has_no_cycle() {
    let server = ScriptServer::start(vec![json(200, "{}")]).await;
    let client = client(&server.base);
    let err = client.resize_cpu_memory(&details(false), 4, 8).await.unwrap_err();
    assert!(matches!(&err, Error::WrongBillingModel(m) if m.contains("upgrade")), "{err:?}");
    let err =
        client.change_billing_cycle(&details(true), BillingCycleChoice::Annually, true).await.unwrap_err();
    assert!(matches!(&err, Error::WrongBillingModel(m) if m.contains("PAYG")), "{err:?}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn billing_cycle_change_of_a_fixed_vps_is_sent() {
    let server = ScriptServer::start(vec![json(200, &fixture("changeVpsBillingCycle.200"))]).await;
    let result = client(&server.base)
        .change_billing_cycle(&details(false), BillingCycleChoice::Annually, true)
        .await
        .unwrap();
    assert!(result.dry_run);
    assert_eq!(sent(&server, 0), json!({"billingCycle": "annually", "dryRun": true}));
}

#[test]
fn overdue_invoices_get_absolute_payment_links() {
    let client = hostup::Client::builder().api_key(KEY).build().unwrap();
    let mut body = fixture_json("getVpsDetails.200");
    body["overdueInvoices"] = json!([{"id": "inv_1", "number": "10001", "amount": 99, "currencyCode": "SEK",
        "dueAt": "2026-05-27T00:00:00.000Z", "status": "unpaid", "paymentUrl": "/billing?invoice=10001"}]);
    let vps: VpsDetails = serde_json::from_value(body).unwrap();
    let overdue = vps.unpaid_overdue_invoices(client.base_url());
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].payment_link.as_deref(), Some("https://cloud.hostup.se/billing?invoice=10001"));
}

#[tokio::test]
async fn a_commit_warning_and_a_server_conflict_are_visible() {
    let mut body = fixture_json("changeVpsResources.200");
    body["actions"]["canCommit"] =
        json!({"allowed": true, "reason": null, "code": "existing_invoice_blocking"});
    let server = ScriptServer::start(vec![
        json(200, &body.to_string()),
        json(409, &fixture("changeVpsResources.409")),
    ])
    .await;
    let client = client(&server.base);
    let quote =
        client.preview_resources(VPS_ID, &ResourceChange::new().set("bandwidthGb", 4096)).await.unwrap();
    assert_eq!(quote.commit_warning(), Some("existing_invoice_blocking"));
    let err = quote.commit(&client, CommitOptions::default()).await.unwrap_err();
    assert!(err.is_blocked(), "{err:?}");
}

#[tokio::test]
async fn value_turns_a_generated_result_into_a_hostup_result() {
    use hostup::ResultExt;
    let server =
        ScriptServer::start(vec![json(200, &fixture("getVps.200")), json(404, &fixture("getVps.404"))]).await;
    let client = client(&server.base);
    let vps: hostup::types::VpsSummary = client.get_vps().id(VPS_ID).send().await.value().unwrap();
    assert_eq!(vps.name.as_deref(), Some("app-01"));
    let err = client.get_vps().id(VPS_ID).send().await.value().unwrap_err();
    assert!(err.is_not_found() && !err.is_blocked());
}

#[tokio::test]
async fn numbers_json_cannot_carry_are_refused_by_key_before_sending() {
    let server = ScriptServer::start(vec![json(200, &fixture("getVpsUpgradeOptions.200"))]).await;
    let client = client(&server.base);
    for number in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let change = ResourceChange::new().set("ipv6", true).set("bandwidthGb", number);
        for result in [
            client.preview_resources(VPS_ID, &change).await,
            client.preview_resources_checked(VPS_ID, &change).await,
        ] {
            let err = result.unwrap_err();
            assert!(matches!(&err, Error::InvalidOption { key, .. } if key == "bandwidthGb"), "{err:?}");
            assert!(err.to_string().contains(&number.to_string()), "{err}");
        }
        assert!(!change.resources().contains_key("bandwidthGb"), "never kept as null");
    }
    assert_eq!(server.count(), 0, "nothing was sent");
    // A finite value given later replaces the refused one.
    let fixed = ResourceChange::new().set("bandwidthGb", f64::NAN).set("bandwidthGb", 4096.0);
    assert!(fixed.check_finite().is_ok());
}
