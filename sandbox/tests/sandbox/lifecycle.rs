//! The lifecycle operations (PAYG deployment and limits, conversion, cancellation, the catalogue,
//! orders, maintenance, templates, rebuild) through the typed client, for the every-operation test.

use hostup::Client;
use hostup::types::{
    CancelType, MaintenanceExtendRequest, OrderRequest, PaygDeploymentRequest, PaygLimitRequest,
    PaygLimitType, RebuildRequest, VpsCancelRequest,
};
use hostup_sandbox::fleet;
use serde_json::json;

fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

/// Calls every lifecycle operation once, each answered with a success.
pub async fn exercise(client: &Client) {
    let (fixed, payg) = (fleet::MONTHLY_SEK, fleet::PAYG_CLOUD);
    client.get_payg_deployment_options().send().await.unwrap();
    client.get_payg_limits().send().await.unwrap();
    let deploy: PaygDeploymentRequest = decode(
        json!({"name": "web-01", "cpuCores": 2, "memoryGb": 4, "storageGb": 80, "region": "stockholm"}),
    );
    client.create_payg_deployment().body(deploy).send().await.unwrap();
    let limit = PaygLimitRequest {
        limit_type: PaygLimitType::CpuCores,
        current_limit: 16,
        requested_limit: std::num::NonZeroU64::new(32).unwrap(),
        reason: "Need capacity for production traffic".parse().unwrap(),
    };
    client.request_payg_limit_increase().body(limit).send().await.unwrap();
    // Converted here: the recovery flows use the other fixed-cycle VPSes.
    let convertible = fleet::QUARTERLY_EUR;
    client.get_cloud_conversion_eligibility().id(convertible).send().await.unwrap();
    client.convert_vps_to_cloud().id(convertible).send().await.unwrap();
    let templates = client.list_vps_templates().id(payg).send().await.unwrap().into_inner();
    let rebuild = RebuildRequest { template_id: templates.data[2].id.parse().unwrap() };
    let rebuilt = fleet::LEGACY;
    let queued = client.rebuild_vps().id(rebuilt).body(rebuild).send().await.unwrap().into_inner();
    crate::support::wait_job(client, &queued.operation.unwrap().job_id).await;
    let annual = fleet::ANNUAL_SEK; // a kernel update with a deadline
    let maintenance = client.get_vps_maintenance().id(annual).send().await.unwrap().into_inner();
    let deadline = maintenance.pending_changes[0].deadline.clone().unwrap().id;
    let extend = MaintenanceExtendRequest { deadline_id: deadline.parse().unwrap() };
    client.extend_vps_maintenance().id(annual).body(extend).send().await.unwrap();
    let cancel = VpsCancelRequest {
        reason: "Moving to different provider".parse().unwrap(),
        cancel_type: Some(CancelType::EndOfPeriod),
        other_reason: None,
    };
    client.cancel_vps().id(fixed).body(cancel).send().await.unwrap();
    client.get_vps_cancellation().id(fixed).send().await.unwrap();
    client.revoke_vps_cancellation().id(fixed).send().await.unwrap();
    client.list_cancellations().send().await.unwrap();
    let products = client.list_vps_products().send().await.unwrap().into_inner();
    assert!(!products.data.is_empty());
    let order: OrderRequest = decode(json!({"attemptKey": "order-1", "items": [{"productSlug": "vps-xs"}]}));
    let order = client.create_order().body(order).send().await.unwrap().into_inner();
    let order_id = order.id.unwrap();
    client.list_orders().send().await.unwrap();
    client.get_order().id(order_id.as_str()).send().await.unwrap();
    client.cancel_order().id(order_id.as_str()).send().await.unwrap();
}
