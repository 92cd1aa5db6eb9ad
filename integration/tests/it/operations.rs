//! Each operation against its documented fixtures: the request that goes out, the typed success
//! value, and every documented error status as a typed error.

use hostup::types::{BillingCycle, PowerState, ServiceStatus};
use hostup::{Error, ErrorCode, RetryPolicy};
use httpmock::prelude::*;
use serde_json::json;

use hostup::ResultExt;
use hostup::prelude::*;

use crate::support::*;

const V2_ERRORS: [u16; 6] = [400, 401, 403, 404, 429, 500];

#[tokio::test]
async fn get_vps_details_decodes_the_documented_body_field_by_field() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/api/v2/vps/{VPS_ID}/details"))
                .header("authorization", format!("Bearer {KEY}"))
                .header("accept", "application/json")
                .header_missing("x-api-key")
                .header_missing("api-version");
            then.status(200).header("content-type", "application/json").body(fixture("getVpsDetails.200"));
        })
        .await;
    let vps = client(&server.base_url()).get_vps_details().id(VPS_ID).send().await.unwrap().into_inner();
    mock.assert_async().await;

    assert_eq!(vps.id, VPS_ID);
    assert_eq!(vps.product_name.as_deref(), Some("VPS XS"));
    assert_eq!(vps.hostname.as_deref(), Some("web-01.example.com"));
    assert_eq!(vps.service_status, ServiceStatus::Active);
    assert_eq!(vps.created_at.as_deref(), Some("2026-04-27T12:00:00.000Z"));
    assert_eq!(vps.next_due_at.as_deref(), Some("2026-05-27T00:00:00.000Z"));
    assert_eq!(vps.billing.amount, 99.0);
    assert_eq!(vps.billing.currency_code, "SEK");
    assert_eq!(vps.billing.billing_cycle, BillingCycle::Monthly);
    assert!(!vps.billing.is_payg);
    assert_eq!((vps.cpu_cores, vps.memory_gb, vps.storage_gb), (2.0, 4.0, 80.0));
    assert_eq!(vps.backups_included, 2);
    assert_eq!(vps.bandwidth.used_gb, 12.5);
    assert_eq!(vps.bandwidth.limit_gb, 1000.0);
    assert_eq!(vps.bandwidth.inbound_gb, 4.2);
    assert_eq!(vps.bandwidth.outbound_gb, 8.3);
    assert_eq!(vps.bandwidth.usage_percent, 1.25);
    assert!(!vps.bandwidth.has_overage);
    assert_eq!(vps.bandwidth_usage.data_received_gb, 4.2);
    assert_eq!(vps.bandwidth_usage.data_sent_gb, 8.3);
    assert_eq!(vps.usage_log.len(), 1);
    assert_eq!(vps.usage_log[0].recorded_at, "2026-04-27T00:00:00.000Z");
    assert_eq!(vps.usage_log[0].total_gb, 1.5);
    assert_eq!(vps.ip_addresses, ["203.0.113.10"]);
    assert_eq!(vps.ipv4.as_deref(), Some("203.0.113.10"));
    assert_eq!(vps.ipv6.as_deref(), Some("2001:db8::10"));
    let os = vps.operating_system.as_ref().unwrap();
    assert_eq!(os.display_name.as_deref(), Some("Ubuntu 24.04"));
    assert_eq!(os.family.as_deref(), Some("ubuntu"));
    assert_eq!(os.variant, None);
    assert_eq!(vps.power_state, Some(PowerState::Running));
    assert!(!vps.operation_state.locked);
    assert_eq!(vps.ssh_keys.len(), 1);
    assert_eq!(vps.access.username.as_deref(), Some("root"));
    assert_eq!(vps.access.root_password.as_ref().unwrap().expose(), "initial-password-from-panel");
    let pricing = vps.pricing.as_ref().unwrap();
    assert_eq!(pricing.total_monthly_cost, Some(40.5));
    assert_eq!(pricing.addons[0].id.as_deref(), Some("storage-addon"));
    assert!(!vps.pinned);
    assert!(vps.availability.available);
    assert!(vps.actions.can_rebuild.allowed);
    assert!(!vps.actions.can_start.allowed);
    assert_eq!(vps.actions.can_start.reason.as_deref(), Some("VPS is already running."));
    assert_eq!(
        vps.actions.can_resize.reason.as_deref(),
        Some("Resize is a PAYG-only action. Use upgrade for fixed plans.")
    );
    assert!(vps.actions.can_restart.allowed && vps.actions.can_reset.allowed);
    assert!(vps.overdue_invoices.is_empty());
}

#[tokio::test]
async fn get_vps_decodes_the_summary() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/api/v2/vps/{VPS_ID}"))
                .header("authorization", format!("Bearer {KEY}"));
            then.status(200).header("content-type", "application/json").body(fixture("getVps.200"));
        })
        .await;
    let vps = client(&server.base_url()).get_vps().id(VPS_ID).send().await.unwrap().into_inner();
    assert_eq!(vps.id.as_deref(), Some(VPS_ID));
    assert_eq!(vps.name.as_deref(), Some("app-01"));
    assert_eq!(vps.primary_ip.as_deref(), Some("192.0.2.10"));
    assert_eq!(vps.service_status, Some(ServiceStatus::Active));
    assert_eq!(vps.power_state, Some(PowerState::Running));
    let resources = vps.resources.unwrap();
    assert_eq!(
        (resources.cpu_cores, resources.memory_gb, resources.storage_gb),
        (Some(2.0), Some(4.0), Some(80.0))
    );
    let billing = vps.billing.unwrap();
    assert_eq!((billing.amount, billing.currency_code.as_str()), (99.0, "SEK"));
    assert_eq!(billing.billing_cycle, Some(BillingCycle::Monthly));
    assert_eq!(billing.period_years, None);
    assert!(!billing.is_payg);
    assert_eq!(vps.bandwidth.unwrap().limit_gb, 1000.0);
    assert_eq!(vps.tags, ["production"]);
    assert_eq!(vps.pinned, Some(false));
    assert_eq!(vps.created_at.as_deref(), Some("2026-04-27T12:00:00.000Z"));
    assert_eq!(vps.pending_maintenance, None);
}

#[tokio::test]
async fn legacy_details_use_the_api_key_header_and_a_timestamp_keyed_usage_log() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/vm/10415/details")
                .header("x-api-key", KEY)
                .header_missing("authorization");
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("getLegacyVmDetails.200"));
        })
        .await;
    let vmid = std::num::NonZeroU64::new(10415).unwrap();
    let envelope =
        client(&server.base_url()).get_legacy_vm_details().vmid(vmid).send().await.unwrap().into_inner();
    mock.assert_async().await;
    assert_eq!(envelope.success, Some(true));
    let data = envelope.data.unwrap();
    assert_eq!(data.usage_log.len(), 24);
    assert!(data.usage_log.contains_key("2026-01-12T17:00:00Z"));
    assert_eq!(data.details.unwrap().password.unwrap().expose(), "string");
    assert_eq!(data.ip_addresses, ["string"]);
}

#[tokio::test]
async fn legacy_vmid_zero_is_refused_before_sending() {
    let server = ScriptServer::start(vec![json(200, "{}")]).await;
    let err = client(&server.base).get_legacy_vm_details().vmid(0u64).send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn change_resources_sends_the_documented_body() {
    let server = MockServer::start_async().await;
    let request = fixture_json("changeVpsResources.request.previewBandwidth");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/api/v2/vps/{VPS_ID}/actions/config"))
                .header("authorization", format!("Bearer {KEY}"))
                .header("content-type", "application/json")
                .json_body(request.clone());
            then.status(200)
                .header("content-type", "application/json")
                .body(fixture("changeVpsResources.200"));
        })
        .await;
    let body: hostup::types::ResourceChangeRequest = serde_json::from_value(request).unwrap();
    let result = client(&server.base_url())
        .change_vps_resources()
        .id(VPS_ID)
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(result.dry_run, Some(true));
    let price = result.price_change.unwrap();
    assert_eq!(
        (price.amount, price.recurring_amount, price.additional_recurring_amount),
        (40.0, 40.0, Some(40.0))
    );
    assert_eq!(price.currency_code, "SEK");
    assert_eq!(result.payment_invoice, None);
    let gate = result.actions.unwrap().can_commit.unwrap();
    assert!(gate.allowed);
    assert_eq!(gate.code.as_deref(), Some("pending_order"));
}

#[tokio::test]
async fn integer_resource_values_are_sent_exactly_as_given() {
    let server = ScriptServer::start(vec![json(200, &fixture("changeVpsResources.200"))]).await;
    let body = hostup::types::ResourceChangeRequest::builder()
        .resources(json!({"bandwidthGb": 4096, "ipv6": true}).as_object().unwrap().clone())
        .dry_run(true);
    client(&server.base).change_vps_resources().id(VPS_ID).body(body).send().await.unwrap();
    let sent: serde_json::Value = serde_json::from_str(&server.seen()[0].body).unwrap();
    assert_eq!(sent["resources"], json!({"bandwidthGb": 4096, "ipv6": true}));
    assert!(server.seen()[0].body.contains("4096") && !server.seen()[0].body.contains("4096.0"));
}

async fn error_from(server: &MockServer, status: u16, body: String, path: &str, post: bool) -> Error {
    let p = path.to_string();
    server
        .mock_async(move |when, then| {
            when.path(p);
            then.status(status)
                .header("content-type", "application/problem+json")
                .header("retry-after", "17")
                .body(body);
        })
        .await;
    let client = client_with(&server.base_url(), RetryPolicy::disabled());
    if post {
        let body =
            hostup::types::ResourceChangeRequest::builder().resources(serde_json::Map::new()).dry_run(true);
        client.change_vps_resources().id(VPS_ID).body(body).send().await.value().unwrap_err()
    } else {
        client.get_vps_details().id(VPS_ID).send().await.value().unwrap_err()
    }
}

#[tokio::test]
async fn every_documented_v2_error_is_typed() {
    for (op, statuses, post) in [
        ("getVpsDetails", &V2_ERRORS[..], false),
        ("changeVpsResources", &[400, 401, 403, 404, 409, 429, 500][..], true),
    ] {
        for &status in statuses {
            let server = MockServer::start_async().await;
            let body = fixture(&format!("{op}.{status}"));
            let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
            let path = if post {
                format!("/api/v2/vps/{VPS_ID}/actions/config")
            } else {
                format!("/api/v2/vps/{VPS_ID}/details")
            };
            let err = error_from(&server, status, body, &path, post).await;
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{op} {status}: {err:?}");
            assert_eq!(err.code().map(|c| c.as_str()), doc["code"].as_str(), "{op} {status}");
            assert_eq!(err.request_id(), Some("req_01hxa3b4c5d6e7f8g9h0j1k2m3"));
            let Error::Api(api) = &err else { panic!("{op} {status}: {err:?}") };
            assert_eq!(api.detail.as_deref(), doc["detail"].as_str());
            assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(17)));
            assert!(err.to_string().contains(&status.to_string()));
        }
    }
}

#[tokio::test]
async fn documented_codes_map_to_variants() {
    let server = MockServer::start_async().await;
    let err = error_from(
        &server,
        409,
        fixture("changeVpsResources.409"),
        &format!("/api/v2/vps/{VPS_ID}/actions/config"),
        true,
    )
    .await;
    assert_eq!(err.code(), Some(&ErrorCode::ExistingInvoiceBlocking));
    let server = MockServer::start_async().await;
    let err = error_from(
        &server,
        400,
        fixture("getVpsDetails.400"),
        &format!("/api/v2/vps/{VPS_ID}/details"),
        false,
    )
    .await;
    let Error::Api(api) = err else { panic!() };
    assert_eq!(api.field_errors[0].pointer, "/items/0/domainName");
}

#[tokio::test]
async fn legacy_errors_are_typed() {
    let server = ScriptServer::start(vec![json(
        429,
        r#"{"error": "Too Many Requests", "message": "Slow down", "retryAfter": "42", "requestId": "2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba"}"#,
    )])
    .await;
    let err = client_with(&server.base, RetryPolicy::disabled())
        .get_legacy_vm_details()
        .vmid(7u64)
        .send()
        .await
        .unwrap_err();
    let Error::Legacy(legacy) = &err else { panic!("{err:?}") };
    assert_eq!(legacy.status.as_u16(), 429);
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(42)));
    assert_eq!(err.request_id(), Some("2121ae20-bd9d-41e9-aeeb-5dd1dd1a24ba"));
}

/// Issue 12, item 8: a legacy error's code is answered by `code()`, as an open value.
#[tokio::test]
async fn legacy_error_codes_are_answered_by_code() {
    let body = r#"{"error": "Unauthorized", "message": "Invalid API key", "code": "INVALID_API_KEY"}"#;
    let server = ScriptServer::start(vec![json(401, body)]).await;
    let client = client(&server.base);
    let err = client.get_legacy_vm_details().vmid(7u64).send().await.unwrap_err();
    assert!(matches!(err, Error::Legacy(_)), "{err:?}");
    assert!(matches!(err.code(), Some(hostup::ErrorCode::Other(_))), "{err:?}");
    assert_eq!(err.code().map(hostup::ErrorCode::as_str), Some("INVALID_API_KEY"));
    assert!(err.to_string().contains("(INVALID_API_KEY)"), "{err}");
}

#[tokio::test]
async fn surprising_bodies_still_decode() {
    let mut body = fixture_json("getVpsDetails.200");
    body["serviceStatus"] = json!("hibernating");
    body["powerState"] = json!("");
    body["billing"]["billingCycle"] = json!("decennially");
    body["overdueInvoices"] = json!([{ "id": "inv_1", "number": null, "amount": 5, "currencyCode": "EUR",
        "dueAt": null, "status": "disputed", "paymentUrl": "/billing?invoice=1" }]);
    body["operatingSystem"]["family"] = json!("plan9");
    body["brandNewField"] = json!({"nested": [1, 2, 3]});
    body["actions"]["canTeleport"] = json!({"allowed": false, "reason": "not yet"});
    body.as_object_mut().unwrap().remove("pricing").unwrap();
    body["pricing"] = json!(null);
    let server = ScriptServer::start(vec![json(200, &body.to_string())]).await;
    let vps = client(&server.base).get_vps_details().id(VPS_ID).send().await.unwrap().into_inner();
    // Unknown values are opaque (`UnknownValue`), read through `as_str()`, never matched as strings.
    assert!(matches!(&vps.service_status, ServiceStatus::Other(v) if v.as_str() == "hibernating"));
    assert!(!vps.service_status.is_known());
    assert_eq!(vps.service_status.as_str(), "hibernating");
    assert_eq!(vps.service_status, ServiceStatus::from("hibernating"));
    assert_eq!(vps.power_state, Some(PowerState::NotReported));
    assert_eq!(vps.billing.billing_cycle, BillingCycle::from("decennially"));
    assert_eq!(vps.billing.billing_cycle.to_string(), "decennially");
    assert_eq!(vps.overdue_invoices[0].status.as_str(), "disputed");
    assert_eq!(vps.operating_system.unwrap().family.as_deref(), Some("plan9"));
    assert_eq!(vps.pricing, None);

    // The summary: every top-level field is optional.
    let server =
        ScriptServer::start(vec![json(200, r#"{"id": "vps_x", "powerState": null, "extra": 1}"#)]).await;
    let summary = client(&server.base).get_vps().id("vps_x").send().await.unwrap().into_inner();
    assert_eq!(summary.id.as_deref(), Some("vps_x"));
    assert_eq!(summary.power_state, None);
    assert!(summary.billing.is_none() && summary.tags.is_empty());
}

#[tokio::test]
async fn list_vps_pages_yield_every_item_once() {
    let item = |id: &str| json!({"id": id, "name": id});
    let pages = [
        json!({"data": [item("vps_1"), item("vps_2")], "nextCursor": "c1"}),
        json!({"data": [item("vps_3")], "nextCursor": "c2", "hasMore": true}),
        json!({"data": [item("vps_4")], "nextCursor": null}),
    ];
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/vps").query_param("limit", "2").query_param_missing("cursor");
            then.status(200).header("content-type", "application/json").json_body(pages[0].clone());
        })
        .await;
    for (cursor, page) in [("c1", &pages[1]), ("c2", &pages[2])] {
        let page = page.clone();
        server
            .mock_async(move |when, then| {
                when.method(GET).path("/api/v2/vps").query_param("limit", "2").query_param("cursor", cursor);
                then.status(200).header("content-type", "application/json").json_body(page);
            })
            .await;
    }
    use futures::TryStreamExt;
    let client = client(&server.base_url());
    let ids: Vec<String> = client.vps_stream(2).map_ok(|v| v.id.unwrap()).try_collect().await.unwrap();
    assert_eq!(ids, ["vps_1", "vps_2", "vps_3", "vps_4"]);
    first.assert_calls_async(1).await;
}

#[tokio::test]
async fn list_vps_repeated_cursor_ends_with_an_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/v2/vps");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"data": [{"id": "vps_1"}], "nextCursor": "same"}));
        })
        .await;
    let err = client(&server.base_url()).all_vps().await.unwrap_err();
    assert!(matches!(err, Error::Pagination(_)), "{err:?}");
}

#[tokio::test]
async fn page_size_out_of_range_is_refused_without_a_request() {
    let server = ScriptServer::start(vec![json(200, r#"{"data": []}"#)]).await;
    use futures::StreamExt;
    let first = Box::pin(client(&server.base).vps_stream(101)).next().await.unwrap();
    assert!(matches!(first, Err(Error::InvalidRequest(_))));
    assert_eq!(server.count(), 0);
}
