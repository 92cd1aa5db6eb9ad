//! Every operation of the spec through the typed client (decoding proves the shapes), then every
//! recorded body against the spec's schemas.

use std::collections::BTreeSet;
use std::time::Duration;

use hostup::operations::OPERATIONS;
use hostup::types::{
    BillingCycle, BillingCycleChoice, DiskResizeRequest, LegacyPowerAction, LegacyPowerRequest,
    ListVpsIncludeItem, PaygResizeRequest, PlanChangeRequest, PowerState, RenewRequest,
    ResourceChangeRequest,
};
use hostup_sandbox::{Sandbox, fleet};
use serde_json::json;

use crate::support::{Spec, assert_bodies_match_the_spec, wait_job};

fn resources(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().unwrap().clone()
}

#[tokio::test]
async fn every_operation_answers_in_the_documented_shape() {
    let sandbox =
        Sandbox::builder().record_exchanges(true).job_duration(Duration::from_millis(40)).start().await;
    let client = sandbox.client();
    let (monthly, annual, payg) = (fleet::MONTHLY_SEK, fleet::ANNUAL_SEK, fleet::PAYG_CLOUD);

    // Reads.
    let page = client
        .list_vps()
        .limit(3u64)
        .include(vec![ListVpsIncludeItem::PendingMaintenance])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.data.len(), 3);
    assert!(page.data.iter().all(|v| v.pending_maintenance.is_some()));
    let summary = client.get_vps().id(fleet::OVERDUE).send().await.unwrap().into_inner();
    assert_eq!(summary.overdue_invoices.len(), 1);
    let details = client.get_vps_details().id(payg).send().await.unwrap().into_inner();
    assert!(details.billing.is_payg && details.billing.billing_cycle == BillingCycle::Monthly);
    let status = client.get_vps_status().id(monthly).send().await.unwrap().into_inner();
    assert_eq!(status.power_state, Some(PowerState::Running));
    let options = client.get_vps_upgrade_options().id(monthly).send().await.unwrap().into_inner();
    assert!(options.available_plans.iter().any(|p| p.slug.as_deref() == Some("vps-md")));
    assert!(options.configurable_options.iter().any(|o| o.key == "bandwidthGb"));
    let cycles = client.get_vps_billing_cycle().id(annual).send().await.unwrap().into_inner();
    assert_eq!(cycles.current_billing_cycle, BillingCycle::Annually);
    assert!(cycles.cycles.iter().any(|c| c.is_current));

    // Previews and commits.
    let change = ResourceChangeRequest::builder().resources(resources(json!({"bandwidthGb": 4096})));
    let preview =
        client.change_vps_resources().id(monthly).body(change.clone().dry_run(true)).send().await.unwrap();
    assert_eq!(preview.into_inner().dry_run, Some(true));
    let commit = client.change_vps_resources().id(monthly).body(change).send().await.unwrap().into_inner();
    assert!(commit.payment_invoice.is_some());
    let plan = PlanChangeRequest::builder().product_slug("vps-md");
    let preview =
        client.upgrade_vps_plan().id(monthly).body(plan.clone().dry_run(true)).send().await.unwrap();
    assert_eq!(preview.into_inner().current_product.unwrap().slug.as_deref(), Some("vps-sm"));
    client.upgrade_vps_plan().id(monthly).body(plan).send().await.unwrap();
    let cycle =
        hostup::types::BillingCycleChangeRequest::builder().billing_cycle(BillingCycleChoice::Quarterly);
    let preview = client.change_vps_billing_cycle().id(annual).body(cycle.clone().dry_run(true)).send().await;
    assert!(!preview.unwrap().into_inner().changed);
    let changed = client.change_vps_billing_cycle().id(annual).body(cycle).send().await.unwrap().into_inner();
    assert!(changed.changed && changed.target_billing_cycle == BillingCycle::Quarterly);
    let renewal =
        client.renew_vps().id(annual).body(RenewRequest::default()).send().await.unwrap().into_inner();
    assert!(renewal.renewal_scheduled && renewal.new_expires_at.is_some());
    let resize = PaygResizeRequest::builder().cpu_cores(4u64).memory_gb(8u64);
    let resized = client.resize_payg_vps().id(payg).body(resize).send().await.unwrap().into_inner();
    assert_eq!((resized.resources.cpu_cores, resized.previous_resources.cpu_cores), (4, Some(2)));
    let disk =
        DiskResizeRequest::builder().disk_id(fleet::root_disk(monthly)).size_gb(20u64).incremental(true);
    let grown = client.resize_vps_disk().id(monthly).body(disk).send().await.unwrap().into_inner();
    assert_eq!(grown.extra["sizeGb"], 180); // vps-md's 160 GB, plus 20

    // Power: each action completes before the next one's gate opens.
    let restart = client.restart_vps().id(monthly).send().await.unwrap().into_inner().operation.unwrap();
    wait_job(&client, &restart.job_id).await;
    let shutdown = client.shutdown_vps().id(monthly).send().await.unwrap().into_inner().operation.unwrap();
    wait_job(&client, &shutdown.job_id).await;
    let start = client.start_vps().id(monthly).send().await.unwrap().into_inner().operation.unwrap();
    wait_job(&client, &start.job_id).await;
    let reset = client.reset_vps().id(monthly).send().await.unwrap().into_inner().operation.unwrap();
    wait_job(&client, &reset.job_id).await;
    let stop = client.stop_vps().id(monthly).send().await.unwrap().into_inner().operation.unwrap();
    wait_job(&client, &stop.job_id).await;
    let status = client.get_vps_status().id(monthly).send().await.unwrap().into_inner();
    assert_eq!(status.power_state, Some(PowerState::Stopped));

    // Legacy.
    let vmid = std::num::NonZeroU64::new(fleet::LEGACY_VMID).unwrap();
    let legacy = client.get_legacy_vm_details().vmid(vmid).send().await.unwrap().into_inner();
    assert_eq!(legacy.data.unwrap().id.as_deref(), Some("10415"));
    let action = LegacyPowerRequest::builder().action(LegacyPowerAction::Restart);
    let queued = client.legacy_power_action().vmid(vmid).body(action).send().await.unwrap().into_inner();
    let job_id = queued.data.unwrap().job_id.unwrap();
    assert!(job_id.starts_with("restart-10415-"), "{job_id}");
    wait_job(&client, &job_id).await;

    crate::lifecycle::exercise(&client).await;
    // Snapshots, backups, schedules, restores and active jobs.
    crate::recovery::exercise(&client).await;
    // Firewall, disks and ISO media.
    crate::devices::exercise(&client).await;

    let exchanges = sandbox.exchanges();
    let answered: BTreeSet<&str> =
        exchanges.iter().filter(|e| e.status < 300).filter_map(|e| e.operation.as_deref()).collect();
    let all: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(answered, all, "operations not exercised");
    // The docs show `result: null` on a queued operation; the typed decode cannot tell.
    let accepted =
        exchanges.iter().find(|e| e.operation.as_deref() == Some("restartVps")).unwrap().json().unwrap();
    assert_eq!(accepted["operation"].get("result"), Some(&serde_json::Value::Null));
    assert_eq!(assert_bodies_match_the_spec(&exchanges), exchanges.len());
}

#[tokio::test]
async fn error_bodies_match_the_spec_too() {
    let sandbox = Sandbox::builder().record_exchanges(true).start().await;
    let client = sandbox.client();
    let reader = sandbox.client_with_key(&sandbox.key_with_scopes(&["read:vm"]));
    let _ = client.get_vps().id("vps_00000000000000000000000000").send().await;
    let _ = client.start_vps().id(fleet::MONTHLY_SEK).send().await;
    let _ = reader.stop_vps().id(fleet::MONTHLY_SEK).send().await;
    let _ = sandbox.client_with_key("wrong").get_vps_details().id(fleet::MONTHLY_SEK).send().await;
    let bad = ResourceChangeRequest::builder().resources(resources(json!({"bandwidthGb": 1000, "gpus": 1})));
    let _ = client.change_vps_resources().id(fleet::MONTHLY_SEK).body(bad).send().await;
    let _ = client.list_vps().cursor("garbage").send().await;
    let _ = client.get_job().job_id("job_missing").send().await;
    let exchanges = sandbox.exchanges();
    assert!(exchanges.iter().all(|e| e.status >= 400), "{exchanges:?}");
    assert_eq!(assert_bodies_match_the_spec(&exchanges), exchanges.len());
    for exchange in &exchanges {
        let expected = if exchange.path.starts_with("/api/jobs/") {
            "application/json"
        } else {
            "application/problem+json"
        };
        assert_eq!(exchange.content_type.as_deref(), Some(expected), "{}", exchange.path);
        assert!(exchange.json().unwrap()["requestId"].is_string());
    }
}

#[test]
fn the_validator_is_not_vacuous() {
    let mut spec = Spec::load();
    let broken = json!({"id": 5, "billing": {"amount": "99"}});
    let found = spec.violations("getVpsDetails", 200, &broken).unwrap();
    assert!(found.iter().any(|v| v.starts_with("/id:")), "{found:?}");
    assert!(spec.violations("getVpsDetails", 299, &broken).is_none());
}
