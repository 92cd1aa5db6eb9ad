//! The sandbox's behaviour: pagination, power jobs and gates, preview and commit, the blocking
//! invoice, PAYG against fixed billing, and the legacy API.

use std::num::NonZeroU64;
use std::time::Duration;

use futures::TryStreamExt;
use hostup::prelude::*;
use hostup::types::{
    BillingCycle, BillingCycleChangeRequest, BillingCycleChoice, LegacyPowerAction, LegacyPowerRequest,
    OperationStatus, PaygResizeRequest, PlanChangeRequest, PowerState, RenewRequest, ResourceChangeRequest,
};
use hostup::{Error, ErrorCode};
use hostup_sandbox::{Sandbox, fleet};
use serde_json::json;

use crate::support::{error, wait_job};

fn change(value: serde_json::Value) -> hostup::types::builder::ResourceChangeRequest {
    ResourceChangeRequest::builder().resources(value.as_object().unwrap().clone())
}

fn api(err: &Error) -> &hostup::ApiError {
    match err {
        Error::Api(api) => api,
        other => panic!("expected a Problem Details error, got {other:?}"),
    }
}

#[tokio::test]
async fn pagination_walks_the_whole_fleet_and_filters() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let (mut ids, mut cursor, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let mut request = client.list_vps().limit(3u64);
        if let Some(c) = &cursor {
            request = request.cursor(c.clone());
        }
        let page = request.send().await.unwrap().into_inner();
        pages += 1;
        ids.extend(page.data.into_iter().map(|v| v.id.unwrap()));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(ids, fleet::ALL);
    let streamed: Vec<_> = client.vps_stream(2).try_collect().await.unwrap();
    assert_eq!(streamed.len(), fleet::ALL.len());
    assert!(streamed.iter().all(|v| v.pending_maintenance.is_none() && v.overdue_invoices.is_empty()));

    let by_name = client.list_vps().name("APP-01").send().await.unwrap().into_inner();
    assert_eq!(by_name.data[0].id.as_deref(), Some(fleet::MONTHLY_SEK));
    assert_eq!(by_name.data.len(), 1);
    let legacy_ip = client.get_vps().id(fleet::LEGACY).send().await.unwrap().into_inner().primary_ip.unwrap();
    let by_ip = client.list_vps().primary_ip(legacy_ip).send().await.unwrap().into_inner();
    assert_eq!(by_ip.data[0].id.as_deref(), Some(fleet::LEGACY));
    let err = error(client.list_vps().cursor("not-a-cursor").send().await);
    assert_eq!(err.code(), Some(&ErrorCode::InvalidCursor));
}

#[tokio::test]
async fn a_power_action_runs_as_a_job_and_moves_the_gates() {
    // Long enough to look at the VPS while the job runs, even on a busy machine.
    let sandbox = Sandbox::builder().job_duration(Duration::from_secs(1)).start().await;
    let client = sandbox.client();
    let id = fleet::QUARTERLY_EUR;
    let before = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!(before.power_state, Some(PowerState::Stopped));
    assert!(before.actions.can_start.allowed && !before.actions.can_stop.allowed);
    assert_eq!(before.actions.can_stop.code.as_deref(), Some("already_stopped"));

    let accepted = client.start_vps().id(id).send().await.unwrap();
    assert_eq!(accepted.status().as_u16(), 202);
    let operation = accepted.into_inner().operation.unwrap();
    assert_eq!(operation.status, OperationStatus::Queued);
    assert_eq!(operation.poll_url, format!("/api/jobs/{}", operation.job_id));
    assert!(operation.job_id.starts_with("job_") && operation.job_id.len() == 30);

    let during = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!(during.power_state, Some(PowerState::Starting));
    assert!(during.operation_state.locked);
    assert_eq!(during.actions.can_start.code.as_deref(), Some("operation_in_progress"));
    let err = error(client.start_vps().id(id).send().await);
    assert_eq!((err.status().unwrap().as_u16(), err.code()), (409, Some(&ErrorCode::VpsNotReady)));

    wait_job(&client, &operation.job_id).await;
    let after = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!(after.power_state, Some(PowerState::Running));
    assert!(
        !after.operation_state.locked && after.actions.can_stop.allowed && after.actions.can_reset.allowed
    );
    assert_eq!(after.actions.can_start.reason.as_deref(), Some("VPS is already running."));
    let status = client.get_vps_status().id(id).send().await.unwrap().into_inner();
    assert!(status.uptime_seconds.is_some());

    // The crate's own waiter understands the sandbox's jobs.
    let op = client.power(id, hostup::PowerAction::Shutdown).await.unwrap();
    let options = hostup::WaitOptions::default()
        .with_poll_interval(Duration::from_millis(20), Duration::from_millis(50));
    let status = op.wait(&client, options).await.unwrap();
    assert_eq!(status.power_state, Some(PowerState::Stopped));
}

#[tokio::test]
async fn closed_gates_refuse_with_reasons_and_codes() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let blocked = client.get_vps_details().id(fleet::BLOCKED).send().await.unwrap().into_inner();
    for gate in [&blocked.actions.can_restart, &blocked.actions.can_upgrade, &blocked.actions.can_resize_disk]
    {
        assert!(!gate.allowed && gate.reason.is_some());
        assert_eq!(gate.code.as_deref(), Some("pending_order"));
    }
    assert!(!blocked.availability.available);
    let err = error(client.restart_vps().id(fleet::BLOCKED).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::VpsNotReady));
    assert_eq!(api(&err).problem.extensions["gateCode"], "pending_order");

    let suspended = client.get_vps_details().id(fleet::SUSPENDED).send().await.unwrap().into_inner();
    assert_eq!(suspended.actions.can_start.code.as_deref(), Some("service_suspended"));
    assert_eq!(suspended.overdue_invoices.len(), 1);
    let err = error(
        client
            .change_vps_resources()
            .id(fleet::SUSPENDED)
            .body(change(json!({"backupSlots": 1})))
            .send()
            .await,
    );
    assert_eq!(err.code().map(ErrorCode::as_str), Some("service_suspended"));
}

#[tokio::test]
async fn a_preview_changes_nothing_and_a_commit_changes_the_vps_and_its_price() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let id = fleet::MONTHLY_SEK;
    let before = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!((before.bandwidth.limit_gb, before.billing.amount), (2048.0, 99.0));

    let preview =
        client.change_vps_resources().id(id).body(change(json!({"bandwidthGb": 4096})).dry_run(true));
    let preview = preview.send().await.unwrap().into_inner();
    let price = preview.price_change.unwrap();
    assert_eq!(
        (price.recurring_amount, price.additional_recurring_amount, price.amount),
        (119.0, Some(20.0), 20.0)
    );
    assert!(preview.actions.unwrap().can_commit.unwrap().allowed);
    let unchanged = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!((unchanged.bandwidth.limit_gb, unchanged.billing.amount), (2048.0, 99.0));

    let hint =
        change(json!({"bandwidthGb": 4096})).billing_cycle(hostup::types::RequestedBillingCycle::Annually);
    let annual = client.change_vps_resources().id(id).body(hint.clone().dry_run(true)).send().await.unwrap();
    assert_eq!(annual.into_inner().price_change.unwrap().recurring_amount, 1285.2);
    let err = error(client.change_vps_resources().id(id).body(hint).send().await);
    assert_eq!(api(&err).field_errors[0].pointer, "/billingCycle");

    client.change_vps_resources().id(id).body(change(json!({"bandwidthGb": 4096}))).send().await.unwrap();
    let after = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!((after.bandwidth.limit_gb, after.billing.amount), (4096.0, 119.0));
    let summary = client.get_vps().id(id).send().await.unwrap().into_inner();
    assert_eq!(summary.billing.unwrap().amount, 119.0);
}

#[tokio::test]
async fn option_values_are_checked_against_the_configurable_options() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let bad = change(json!({"bandwidthGb": 3000, "backupSlots": 99, "ipv6": "yes", "gpus": 1}));
    let err =
        error(client.change_vps_resources().id(fleet::MONTHLY_SEK).body(bad.dry_run(true)).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::InvalidRequest));
    let found: Vec<(&str, &str)> =
        api(&err).field_errors.iter().map(|e| (e.pointer.as_str(), e.code.as_str())).collect();
    assert_eq!(
        found,
        [
            ("/resources/backupSlots", "out_of_range"),
            ("/resources/bandwidthGb", "invalid_step"),
            ("/resources/gpus", "unknown_option"),
            ("/resources/ipv6", "invalid_type"),
        ]
    );
}

#[tokio::test]
async fn an_unpaid_invoice_blocks_commits_until_the_caller_cancels_it() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let id = fleet::OVERDUE;
    let cycles = client.get_vps_billing_cycle().id(id).send().await.unwrap().into_inner();
    assert_eq!(cycles.blocking_invoices.len(), 1);
    let preview = client.change_vps_resources().id(id).body(change(json!({"backupSlots": 1})).dry_run(true));
    let gate = preview.send().await.unwrap().into_inner().actions.unwrap().can_commit.unwrap();
    assert_eq!((gate.allowed, gate.code.as_deref()), (true, Some("existing_invoice_blocking")));

    let err =
        error(client.change_vps_resources().id(id).body(change(json!({"backupSlots": 1}))).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::ExistingInvoiceBlocking));
    assert_eq!(
        api(&err).problem.extensions["existingInvoice"]["id"],
        cycles.blocking_invoices[0].id.as_str()
    );
    let annually = BillingCycleChangeRequest::builder().billing_cycle(BillingCycleChoice::Annually);
    let dry = client.change_vps_billing_cycle().id(id).body(annually.clone().dry_run(true)).send().await;
    assert!(dry.unwrap().into_inner().would_block);
    let err = error(client.change_vps_billing_cycle().id(id).body(annually.clone()).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::ExistingInvoiceBlocking));
    let err = error(
        client
            .upgrade_vps_plan()
            .id(id)
            .body(PlanChangeRequest::builder().product_slug("vps-lg"))
            .send()
            .await,
    );
    assert_eq!(err.code(), Some(&ErrorCode::ExistingInvoiceBlocking));
    let err = error(client.renew_vps().id(id).body(RenewRequest::default()).send().await);
    assert_eq!(err.code(), Some(&ErrorCode::ExistingInvoiceBlocking));

    let resend = change(json!({"backupSlots": 1})).cancel_existing_invoice(true);
    client.change_vps_resources().id(id).body(resend).send().await.unwrap();
    let cycles = client.get_vps_billing_cycle().id(id).send().await.unwrap().into_inner();
    assert!(cycles.blocking_invoices.is_empty());
    let changed = client.change_vps_billing_cycle().id(id).body(annually).send().await.unwrap().into_inner();
    assert!(changed.changed && !changed.would_block);
    client.renew_vps().id(id).body(RenewRequest::default()).send().await.unwrap();
    let details = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!(details.billing.billing_cycle, BillingCycle::Annually);
    assert_eq!(details.overdue_invoices.len(), 1, "the overdue invoice was not the blocking one");
}

#[tokio::test]
async fn payg_and_fixed_billing_take_different_routes() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let before = client.get_vps_details().id(fleet::PAYG_CLOUD).send().await.unwrap().into_inner();
    assert!(before.actions.can_resize.allowed && !before.actions.can_change_billing_cycle.allowed);
    let resize = PaygResizeRequest::builder().cpu_cores(4u64).memory_gb(8u64);
    client.resize_payg_vps().id(fleet::PAYG_CLOUD).body(resize.clone()).send().await.unwrap();
    let after = client.get_vps_details().id(fleet::PAYG_CLOUD).send().await.unwrap().into_inner();
    assert_eq!((after.cpu_cores, after.memory_gb), (4.0, 8.0));
    assert!(after.billing.amount > before.billing.amount);

    let err = error(client.resize_payg_vps().id(fleet::MONTHLY_SEK).body(resize).send().await);
    assert_eq!((err.status().unwrap().as_u16(), err.code().unwrap().as_str()), (409, "not_payg"));
    let err = error(
        client
            .resize_payg_vps()
            .id(fleet::PAYG_CLOUD)
            .body(PaygResizeRequest::builder().cpu_cores(64u64).memory_gb(8u64))
            .send()
            .await,
    );
    assert_eq!(api(&err).field_errors[0].pointer, "/cpuCores");
    let cycle =
        BillingCycleChangeRequest::builder().billing_cycle(BillingCycleChoice::Annually).dry_run(true);
    let err = error(client.change_vps_billing_cycle().id(fleet::PAYG_CLOUD).body(cycle).send().await);
    assert_eq!(err.code().unwrap().as_str(), "payg_service");
    let err = error(client.renew_vps().id(fleet::PAYG_CLOUD).body(RenewRequest::default()).send().await);
    assert_eq!(err.code().unwrap().as_str(), "payg_service");
    let plan = PlanChangeRequest::builder().product_slug("vps-lg").dry_run(true);
    let preview =
        client.upgrade_vps_plan().id(fleet::PAYG_CLOUD).body(plan).send().await.unwrap().into_inner();
    assert!(!preview.actions.unwrap().can_commit.unwrap().allowed);
}

#[tokio::test]
async fn the_legacy_api_answers_by_vmid_in_its_envelope() {
    let sandbox = Sandbox::builder().job_duration(Duration::from_millis(50)).start().await;
    let client = sandbox.client();
    let vmid = NonZeroU64::new(fleet::LEGACY_VMID).unwrap();
    let details = client.get_legacy_vm_details().vmid(vmid).send().await.unwrap().into_inner();
    assert_eq!(details.success, Some(true));
    let data = details.data.unwrap();
    assert_eq!((data.vm_status.as_deref(), data.billingcycle.as_deref()), (Some("running"), Some("Monthly")));
    assert_eq!(data.price.unwrap().to_string(), "59.00");

    let err = error(client.get_legacy_vm_details().vmid(NonZeroU64::new(99).unwrap()).send().await);
    assert!(
        matches!(&err, Error::Legacy(e) if e.code.as_ref().map(|c| c.as_str()) == Some("NOT_FOUND")),
        "{err:?}"
    );
    let start = LegacyPowerRequest::builder().action(LegacyPowerAction::Start);
    let err = error(client.legacy_power_action().vmid(vmid).body(start).send().await);
    assert!(
        matches!(&err, Error::Legacy(e) if e.code.as_ref().map(|c| c.as_str()) == Some("BAD_REQUEST")),
        "{err:?}"
    );
    assert_eq!(err.status().unwrap().as_u16(), 400, "the legacy API has no 409");

    let stop = LegacyPowerRequest::builder().action(LegacyPowerAction::Stop).force(true);
    let queued =
        client.legacy_power_action().vmid(vmid).body(stop).send().await.unwrap().into_inner().data.unwrap();
    assert_eq!(queued.estimated_time, Some(1));
    wait_job(&client, &queued.job_id.unwrap()).await;
    let status = client.get_vps_status().id(fleet::LEGACY).send().await.unwrap().into_inner();
    assert_eq!(status.power_state, Some(PowerState::Stopped));
}
