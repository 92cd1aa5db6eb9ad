//! Every lifecycle operation against its documented fixtures: the request that goes out (method,
//! path, credentials, the documented body), the typed success value, and each documented error
//! status as a typed error with its code.

use hostup::types::{
    CancelType, CancellationStatus, OrderStatus, PaygBlockerReason, PaygDeploymentStatus, PaygLimitType,
    ServiceType,
};
use hostup::{Client, Error, Result};
use httpmock::prelude::*;
use serde_json::Value;

use crate::support::*;

const ORDER_ID: &str = "ord_01hxa3b4c5d6e7f8g9h0j1k2m3";

/// `(operationId, method, path, success status)` of every operation the lifecycle area added.
fn operations() -> Vec<(&'static str, &'static str, String, u16)> {
    let vps = |tail: &str| format!("/api/v2/vps/{VPS_ID}{tail}");
    vec![
        ("getPaygDeploymentOptions", "GET", "/api/v2/vps/payg/deployments".into(), 200),
        ("createPaygDeployment", "POST", "/api/v2/vps/payg/deployments".into(), 200),
        ("getPaygLimits", "GET", "/api/v2/vps/payg/limits".into(), 200),
        ("requestPaygLimitIncrease", "POST", "/api/v2/vps/payg/limits/requests".into(), 202),
        ("getCloudConversionEligibility", "GET", vps("/actions/convert-to-cloud"), 200),
        ("convertVpsToCloud", "POST", vps("/actions/convert-to-cloud"), 200),
        ("cancelVps", "POST", vps("/actions/cancel"), 200),
        ("getVpsCancellation", "GET", vps("/cancellation"), 200),
        ("revokeVpsCancellation", "DELETE", vps("/cancellation"), 200),
        ("listCancellations", "GET", "/api/v2/cancellations".into(), 200),
        ("listVpsProducts", "GET", "/api/v2/products/vps".into(), 200),
        ("listOrders", "GET", "/api/v2/orders".into(), 200),
        ("createOrder", "POST", "/api/v2/orders".into(), 200),
        ("getOrder", "GET", format!("/api/v2/orders/{ORDER_ID}"), 200),
        ("cancelOrder", "POST", format!("/api/v2/orders/{ORDER_ID}/actions/cancel"), 200),
        ("getVpsMaintenance", "GET", vps("/maintenance"), 200),
        ("extendVpsMaintenance", "POST", vps("/maintenance/actions/extend"), 200),
        ("listVpsTemplates", "GET", vps("/templates"), 200),
        ("rebuildVps", "POST", vps("/actions/rebuild"), 202),
    ]
}

/// Calls one operation with its documented request and returns the typed answer as JSON.
async fn call(client: &Client, id: &str) -> Result<Value> {
    Ok(match id {
        "getPaygDeploymentOptions" => answer_json(client.get_payg_deployment_options().send().await?),
        "createPaygDeployment" => answer_json(
            client
                .create_payg_deployment()
                .body(request_fixture::<hostup::types::PaygDeploymentRequest>(id))
                .send()
                .await?,
        ),
        "getPaygLimits" => answer_json(client.get_payg_limits().send().await?),
        "requestPaygLimitIncrease" => answer_json(
            client
                .request_payg_limit_increase()
                .body(request_fixture::<hostup::types::PaygLimitRequest>(id))
                .send()
                .await?,
        ),
        "getCloudConversionEligibility" => {
            answer_json(client.get_cloud_conversion_eligibility().id(VPS_ID).send().await?)
        }
        "convertVpsToCloud" => answer_json(client.convert_vps_to_cloud().id(VPS_ID).send().await?),
        "cancelVps" => answer_json(
            client
                .cancel_vps()
                .id(VPS_ID)
                .body(request_fixture::<hostup::types::VpsCancelRequest>(id))
                .send()
                .await?,
        ),
        "getVpsCancellation" => answer_json(client.get_vps_cancellation().id(VPS_ID).send().await?),
        "revokeVpsCancellation" => answer_json(client.revoke_vps_cancellation().id(VPS_ID).send().await?),
        "listCancellations" => answer_json(client.list_cancellations().send().await?),
        "listVpsProducts" => answer_json(client.list_vps_products().send().await?),
        "listOrders" => answer_json(client.list_orders().send().await?),
        "createOrder" => answer_json(
            client.create_order().body(request_fixture::<hostup::types::OrderRequest>(id)).send().await?,
        ),
        "getOrder" => answer_json(client.get_order().id(ORDER_ID).send().await?),
        "cancelOrder" => answer_json(client.cancel_order().id(ORDER_ID).send().await?),
        "getVpsMaintenance" => answer_json(client.get_vps_maintenance().id(VPS_ID).send().await?),
        "extendVpsMaintenance" => answer_json(
            client
                .extend_vps_maintenance()
                .id(VPS_ID)
                .body(request_fixture::<hostup::types::MaintenanceExtendRequest>(id))
                .send()
                .await?,
        ),
        "listVpsTemplates" => answer_json(client.list_vps_templates().id(VPS_ID).send().await?),
        "rebuildVps" => answer_json(
            client
                .rebuild_vps()
                .id(VPS_ID)
                .body(request_fixture::<hostup::types::RebuildRequest>(id))
                .send()
                .await?,
        ),
        other => panic!("no call for {other}"),
    })
}

/// `99` and `99.0` are the same JSON number to the API, and a null member the same as a missing
/// one; compare them as such.
fn numbers_as_floats(value: &Value) -> Value {
    match value {
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_floats).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), numbers_as_floats(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn has_fixture(name: &str) -> bool {
    std::path::Path::new(&format!("{}/../openapi/examples/{name}.json", env!("CARGO_MANIFEST_DIR"))).exists()
}

#[tokio::test]
async fn every_lifecycle_operation_sends_its_documented_request_and_decodes_its_answer() {
    // One server and one client for every operation; each operation's mock is the only one
    // mounted while its call runs.
    let server = MockServer::start_async().await;
    let client = client(&server.base_url());
    for (id, method, path, status) in operations() {
        let with_body = has_fixture(&format!("{id}.request"));
        let public = id == "listVpsProducts";
        let mock = server
            .mock_async(|when, then| {
                let mut when = when.method(method).path(path.as_str()).header_missing("api-version");
                when = if public {
                    when.header_missing("authorization")
                } else {
                    when.header("authorization", format!("Bearer {KEY}"))
                };
                if with_body {
                    when.json_body(fixture_json(&format!("{id}.request")));
                }
                then.status(status)
                    .header("content-type", "application/json")
                    .body(fixture(&format!("{id}.{status}")));
            })
            .await;
        let answer = call(&client, id).await.unwrap_or_else(|e| panic!("{id}: {e}"));
        mock.assert_async().await;
        mock.delete_async().await;
        // Every documented field survives the typed round trip.
        let documented = fixture_json(&format!("{id}.{status}"));
        for (key, value) in documented.as_object().unwrap() {
            if !value.is_null() {
                assert_eq!(
                    answer.get(key).map(numbers_as_floats),
                    Some(numbers_as_floats(value)),
                    "{id}: field {key}"
                );
            }
        }
    }
}

#[tokio::test]
async fn every_documented_error_status_is_a_typed_error_with_its_code() {
    // One server and one client for every case (a server and a client per case cost about 0.1 s
    // each time): each case's mock is the only one mounted while its call runs.
    let server = MockServer::start_async().await;
    let client = client_with(&server.base_url(), hostup::RetryPolicy::disabled());
    for (id, method, path, _) in operations() {
        for status in [400u16, 401, 403, 404, 409, 429, 500] {
            let name = format!("{id}.{status}");
            if !has_fixture(&name) {
                continue;
            }
            let mock = server
                .mock_async(|when, then| {
                    when.method(method).path(path.as_str());
                    then.status(status)
                        .header("content-type", "application/problem+json")
                        .header("retry-after", "0")
                        .body(fixture(&name));
                })
                .await;
            let err = call(&client, id).await.unwrap_err();
            mock.assert_async().await;
            mock.delete_async().await;
            let Error::Api(api) = &err else { panic!("{name}: {err:?}") };
            assert_eq!(api.status.as_u16(), status, "{name}");
            let code = fixture_json(&name)["code"].as_str().unwrap().to_string();
            assert_eq!(err.code().unwrap().as_str(), code, "{name}");
        }
    }
}

#[tokio::test]
async fn typed_values_of_the_lifecycle_answers() {
    let options: hostup::types::PaygDeploymentOptions =
        serde_json::from_value(fixture_json("getPaygDeploymentOptions.200")).unwrap();
    assert!(options.actions.can_deploy.allowed);
    assert_eq!(options.defaults.region_id, "stockholm");
    assert_eq!(options.pricing.cpu_per_core_hour, 0.12);
    assert_eq!(options.limits.unwrap().storage_gb.unwrap().min, Some(50));
    let created: hostup::types::PaygDeployment =
        serde_json::from_value(fixture_json("createPaygDeployment.200")).unwrap();
    assert_eq!(created.status, PaygDeploymentStatus::Provisioning);
    let limits: hostup::types::PaygLimits =
        serde_json::from_value(fixture_json("getPaygLimits.200")).unwrap();
    assert_eq!((limits.remaining.cpu_cores, limits.max.instance_count), (12, 10));
    let check: hostup::types::CloudConversionEligibility =
        serde_json::from_value(fixture_json("getCloudConversionEligibility.200")).unwrap();
    assert_eq!(check.blocker_reasons, [PaygBlockerReason::NotVerified, PaygBlockerReason::NoCloudAccess]);
    let status: hostup::types::VpsCancellation =
        serde_json::from_value(fixture_json("getVpsCancellation.200")).unwrap();
    assert_eq!(
        (status.status, status.cancel_type),
        (Some(CancellationStatus::Scheduled), Some(CancelType::EndOfPeriod))
    );
    let none: hostup::types::VpsCancellation =
        serde_json::from_value(serde_json::json!({"status": "none"})).unwrap();
    assert!(!none.exists() && !none.is_revokable());
    let list: hostup::types::CancellationList =
        serde_json::from_value(fixture_json("listCancellations.200")).unwrap();
    assert_eq!(list.cancellations[0].type_, ServiceType::SharedHosting);
    assert!(list.cancellations[0].vps_cancellation().is_none());
    assert!(list.cancellations[1].vps_cancellation().unwrap().is_revokable());
    let order: hostup::types::Order = serde_json::from_value(fixture_json("createOrder.200")).unwrap();
    assert_eq!(order.status, Some(OrderStatus::Pending));
    assert_eq!(
        order.payment_url("https://cloud.hostup.se").as_deref(),
        Some("https://cloud.hostup.se/billing?invoice=202600001")
    );
    let pending: hostup::types::PaygPendingLimitRequest =
        serde_json::from_value(serde_json::json!({"id": "payglim_1", "limitType": "gpuCount", "currentLimit": 0, "requestedLimit": 1})).unwrap();
    assert!(matches!(&pending.limit_type, PaygLimitType::Other(_)), "new quota keys still decode");
    assert_eq!(pending.limit_type.as_str(), "gpuCount");
}

#[tokio::test]
async fn the_public_catalogue_needs_no_key_and_every_other_operation_is_refused_without_one() {
    let public: Vec<&str> =
        hostup::operations::OPERATIONS.iter().filter(|o| o.public).map(|o| o.id).collect();
    assert_eq!(public, ["listVpsProducts"], "only `security: []` operations are public");
    assert!(
        Client::builder().base_url("http://127.0.0.1:9").build().is_err(),
        "a key is still required by default"
    );

    let server = ScriptServer::start(vec![json(200, &fixture("listVpsProducts.200"))]).await;
    let anonymous = Client::builder().public_only().base_url(server.base.as_str()).build().unwrap();
    let page = anonymous.list_vps_products().send().await.unwrap().into_inner();
    assert_eq!(page.data[0].slug, "vps-xs");
    assert_eq!(server.seen()[0].header("authorization"), None, "no credentials on a public route");

    let server = ScriptServer::start(vec![json(200, "{}")]).await;
    let anonymous = Client::builder().public_only().base_url(server.base.as_str()).build().unwrap();
    for (id, ..) in operations().into_iter().filter(|(id, ..)| *id != "listVpsProducts") {
        let err = call(&anonymous, id).await.unwrap_err();
        assert!(matches!(&err, Error::Config(m) if m.contains(id)), "{id}: {err:?}");
    }
    let others = [
        anonymous.get_vps_details().id(VPS_ID).send().await.map(|_| ()),
        anonymous.restart_vps().id(VPS_ID).send().await.map(|_| ()),
        anonymous.list_vps().send().await.map(|_| ()),
        anonymous.get_legacy_vm_details().vmid(10415u64).send().await.map(|_| ()),
    ];
    for err in others {
        assert!(matches!(err, Err(Error::Config(_))), "{err:?}");
    }
    assert_eq!(server.count(), 0, "nothing was sent without credentials");
}
