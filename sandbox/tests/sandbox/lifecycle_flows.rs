//! Creating and ending VPSes against the sandbox's state: PAYG deployments that take from the
//! quota and provision, limit requests, conversion with each blocker reached by the fleet or the
//! account, rebuilds, cancellations in every status, maintenance extensions, orders with an
//! attempt key, and the public catalogue. Every body is checked against the spec as well.

use std::time::Duration;

use hostup::prelude::*;
use hostup::types::{
    CancelType, CancellationStatus, OrderRequest, PaygBlockerReason, PaygDeploymentRequest, PaygLimitType,
    PowerState, RequestedBillingCycle, VpsCancelRequest,
};
use hostup::{CancelRequest, Client, Confirmation, Error, OrderDraft, PaygDeploy, WaitOptions};
use hostup_sandbox::{PaygAccount, Sandbox, fleet};
use serde_json::json;

use crate::support::{assert_bodies_match_the_spec, error, http};

async fn sandbox() -> Sandbox {
    Sandbox::builder().record_exchanges(true).job_duration(Duration::from_millis(60)).start().await
}

/// A sandbox whose deployments, rebuilds and cancellations take an hour of its clock, which the
/// tests move on with the clock offset: each step is seen without depending on timing.
async fn slow_sandbox() -> Sandbox {
    Sandbox::builder().record_exchanges(true).job_duration(HOUR).start().await
}

const HOUR: Duration = Duration::from_secs(3600);

fn fast_wait() -> WaitOptions {
    WaitOptions::default()
        .with_poll_interval(Duration::from_millis(10), Duration::from_millis(40))
        .with_max_wait(Duration::from_secs(10))
}

fn deployment(name: &str, cpu: u64, memory: u64, storage: u64) -> PaygDeploymentRequest {
    let body = json!({"name": name, "cpuCores": cpu, "memoryGb": memory, "storageGb": storage, "region": "stockholm"});
    serde_json::from_value(body).unwrap()
}

fn refusal(err: &Error) -> (u16, String) {
    (err.status().map_or(0, |s| s.as_u16()), err.code().map(|c| c.to_string()).unwrap_or_default())
}

async fn power(client: &Client, id: &str) -> Option<PowerState> {
    client.get_vps_status().id(id).send().await.unwrap().into_inner().power_state
}

fn check_bodies(sandbox: &Sandbox) {
    let exchanges = sandbox.exchanges();
    assert_eq!(assert_bodies_match_the_spec(&exchanges), exchanges.len());
}

#[tokio::test]
async fn a_deployment_takes_from_the_quota_appears_provisioning_and_then_runs() {
    let sandbox = slow_sandbox().await;
    let client = sandbox.client();
    let before = client.get_payg_limits().send().await.unwrap().into_inner();
    assert_eq!((before.current.cpu_cores, before.current.instance_count), (2, 1)); // cloud-01
    let created = client.create_payg_deployment().body(deployment("web-01", 4, 8, 100)).send().await.unwrap();
    let created = created.into_inner();
    let id = created.vps_id.clone();
    let listed = client.list_vps().name("web-01").send().await.unwrap().into_inner().data;
    assert_eq!(listed[0].id.as_deref(), Some(id.as_str()));
    assert_eq!(listed[0].power_state, Some(PowerState::Provisioning));
    let details = client.get_vps_details().id(&id).send().await.unwrap().into_inner();
    assert!(details.billing.is_payg);
    assert_eq!(details.actions.can_start.code.as_deref(), Some("operation_in_progress"));
    let after = client.get_payg_limits().send().await.unwrap().into_inner();
    assert_eq!((after.current.cpu_cores, after.current.memory_gb, after.current.storage_gb), (6, 12, 150));
    assert_eq!(after.remaining.cpu_cores, before.remaining.cpu_cores - 4);
    assert_eq!(after.remaining.instance_count, before.remaining.instance_count - 1);
    sandbox.faults().set_clock_offset(3600);
    assert_eq!(power(&client, &id).await, Some(PowerState::Running));
    let orders = client.list_orders().send().await.unwrap().into_inner().data;
    let order = orders.iter().find(|o| o.id == created.order_id).unwrap();
    assert!(order.billing.as_ref().unwrap().is_payg == Some(true));
    check_bodies(&sandbox);

    // The helper does all of it: options, limits, checks, one create, the wait.
    let quick = self::sandbox().await;
    let client = quick.client();
    let vps = client.deploy_payg(&PaygDeploy::new("web-02", 2, 4, 80), fast_wait()).await.unwrap();
    assert_eq!(vps.power_state, Some(PowerState::Running));
    let cost = vps.monthly_cost().unwrap();
    assert!(cost.amount > 0.0 && cost.currency == "SEK", "{cost:?}");
    check_bodies(&quick);
}

#[tokio::test]
async fn the_quota_refuses_with_its_blocker_and_a_limit_request_becomes_pending() {
    let sandbox = sandbox().await;
    let client = sandbox.client();
    let err = error(client.create_payg_deployment().body(deployment("big", 15, 4, 80)).send().await);
    assert_eq!(refusal(&err), (403, "forbidden".into()));
    assert_eq!(err.blocker_reasons(), vec![PaygBlockerReason::CpuLimitExceeded]);
    let err = error(client.create_payg_deployment().body(deployment("disk", 1, 1, 1000)).send().await);
    assert_eq!(refusal(&err), (403, "cloud_storage_limit_exceeded".into()));
    // The helper says so before sending.
    let err = client.deploy_payg(&PaygDeploy::new("big", 15, 4, 80), fast_wait()).await.unwrap_err();
    assert!(matches!(&err, Error::QuotaExceeded(q) if q.remaining == 14), "{err}");

    let filed = client
        .request_payg_limit(PaygLimitType::CpuCores, 32, "A production launch needs more cores")
        .await
        .unwrap();
    let limits = client.get_payg_limits().send().await.unwrap().into_inner();
    assert!(limits.has_pending_requests);
    let pending = &limits.pending_requests[0];
    assert_eq!(
        (pending.id.as_str(), pending.current_limit, pending.requested_limit),
        (filed.id.as_str(), 16, 32)
    );

    // Nine more small VPSes fill the instance quota: the gate closes.
    for n in 0..9 {
        client.create_payg_deployment().body(deployment(&format!("n-{n}"), 1, 1, 50)).send().await.unwrap();
    }
    let options = client.get_payg_deployment_options().send().await.unwrap().into_inner();
    assert_eq!(options.actions.can_deploy.code.as_deref(), Some("instance_limit_exceeded"));
    let err = error(client.create_payg_deployment().body(deployment("one-more", 1, 1, 50)).send().await);
    assert_eq!(err.blocker_reasons(), vec![PaygBlockerReason::InstanceLimitExceeded]);
    check_bodies(&sandbox);
}

#[tokio::test]
async fn the_accounts_blockers_close_deployment_and_conversion() {
    let sandbox = sandbox().await;
    let client = sandbox.client();
    sandbox.set_payg_account(PaygAccount { verified: false, card_on_file: false, ..PaygAccount::default() });
    let options = client.get_payg_deployment_options().send().await.unwrap().into_inner();
    assert!(!options.available && !options.actions.can_deploy.allowed);
    let blockers = vec![PaygBlockerReason::NotVerified, PaygBlockerReason::NoCardOnFile];
    assert_eq!(options.access.unwrap().blocker_reasons, blockers);
    let err = error(client.create_payg_deployment().body(deployment("web-01", 2, 4, 80)).send().await);
    assert_eq!((refusal(&err).0, err.blocker_reasons()), (403, blockers.clone()));
    let check = client.get_cloud_conversion_eligibility().id(fleet::MONTHLY_SEK).send().await.unwrap();
    assert_eq!(check.into_inner().blocker_reasons, blockers);
    let err = error(client.convert_vps_to_cloud().id(fleet::MONTHLY_SEK).send().await);
    assert_eq!((refusal(&err).0, err.blocker_reasons()), (403, blockers));
    let err = client.convert_to_cloud(fleet::MONTHLY_SEK).await.unwrap_err();
    assert!(matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("not_verified")), "{err}");
    check_bodies(&sandbox);
}

#[tokio::test]
async fn conversion_blockers_follow_the_fleet_and_a_conversion_moves_the_vps_to_payg() {
    let sandbox = sandbox().await;
    let client = sandbox.client();
    let check = client.get_cloud_conversion_eligibility().id(fleet::OVERDUE).send().await.unwrap();
    assert_eq!(check.into_inner().blocker_reasons, vec![PaygBlockerReason::HasUnpaidInvoice]);
    let err = error(client.convert_vps_to_cloud().id(fleet::OVERDUE).send().await);
    assert_eq!(refusal(&err), (409, "has_unpaid_invoice".into()));
    assert_eq!(err.blocker_reasons(), vec![PaygBlockerReason::HasUnpaidInvoice]);
    let err = client.convert_to_cloud(fleet::PAYG_CLOUD).await.unwrap_err();
    assert!(matches!(err, Error::WrongBillingModel(_)), "{err}");

    // The library's helper converts; the VPS is PAYG afterwards and counts in the quota.
    let converted = client.convert_to_cloud(fleet::MONTHLY_SEK).await.unwrap();
    assert!(converted.converted);
    assert!(
        client.get_vps_details().id(fleet::MONTHLY_SEK).send().await.unwrap().into_inner().billing.is_payg
    );
    let limits = client.get_payg_limits().send().await.unwrap().into_inner();
    assert_eq!(limits.current.cpu_cores, 4); // cloud-01's 2 and app-01's 2

    // A PAYG fleet that takes the cores leaves none for converting db-01's 4.
    client.create_payg_deployment().body(deployment("fill", 10, 8, 50)).send().await.unwrap();
    let check = client.get_cloud_conversion_eligibility().id(fleet::ANNUAL_SEK).send().await.unwrap();
    let check = check.into_inner();
    assert_eq!(check.blocker_reasons, vec![PaygBlockerReason::CpuLimitExceeded]);
    assert_eq!(check.actions.can_convert_to_cloud.code.as_deref(), Some("cpu_limit_exceeded"));
    let err = error(client.convert_vps_to_cloud().id(fleet::ANNUAL_SEK).send().await);
    assert_eq!((refusal(&err).0, err.blocker_reasons()), (403, vec![PaygBlockerReason::CpuLimitExceeded]));
    check_bodies(&sandbox);
}

#[tokio::test]
async fn a_rebuild_reinstalls_the_template_and_the_vps_runs_again() {
    let sandbox = sandbox().await;
    let client = sandbox.client();
    let id = fleet::MONTHLY_SEK;
    let err = client.rebuild(id, "Debian 12", &Confirmation::destroys(fleet::PAYG_CLOUD), fast_wait()).await;
    assert!(matches!(err, Err(Error::InvalidRequest(_))), "{err:?}");
    let status = client.rebuild(id, "Debian 12", &Confirmation::destroys(id), fast_wait()).await.unwrap();
    assert_eq!(status.power_state, Some(PowerState::Running));
    let details = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!(details.operating_system.unwrap().family.as_deref(), Some("debian"));

    check_bodies(&sandbox);

    // While one runs, the gate is closed and a second is refused.
    let sandbox = slow_sandbox().await;
    let client = sandbox.client();
    let templates = client.list_vps_templates().id(id).send().await.unwrap().into_inner();
    let body = hostup::types::RebuildRequest { template_id: templates.data[0].id.parse().unwrap() };
    client.rebuild_vps().id(id).body(body.clone()).send().await.unwrap();
    assert_eq!(power(&client, id).await, Some(PowerState::Provisioning));
    let gate = client.get_vps_details().id(id).send().await.unwrap().into_inner().actions.can_rebuild;
    assert_eq!(gate.code.as_deref(), Some("operation_in_progress"));
    let err = error(client.rebuild_vps().id(id).body(body).send().await);
    assert_eq!(refusal(&err), (409, "vps_not_ready".into())); // the gate's code is in the extensions
    sandbox.faults().set_clock_offset(3600);
    assert_eq!(power(&client, id).await, Some(PowerState::Running));
    let details = client.get_vps_details().id(id).send().await.unwrap().into_inner();
    assert_eq!(details.operating_system.unwrap().display_name.as_deref(), Some("Ubuntu 24.04"));
    check_bodies(&sandbox);
}

#[tokio::test]
async fn cancellations_go_through_every_status() {
    let sandbox = slow_sandbox().await;
    let client = sandbox.client();
    let id = fleet::MONTHLY_SEK;
    let none = client.get_vps_cancellation().id(id).send().await.unwrap().into_inner();
    assert_eq!(none.status, Some(CancellationStatus::None));
    let end = CancelRequest::new(CancelType::EndOfPeriod, "Moving to different provider");
    let scheduled =
        client.cancel_vps_service(id, &end, &Confirmation::destroys(id), fast_wait()).await.unwrap();
    assert_eq!((scheduled.status, scheduled.revokable), (Some(CancellationStatus::Scheduled), Some(true)));
    let gate = client.get_vps_details().id(id).send().await.unwrap().into_inner().actions.can_cancel;
    assert_eq!(gate.code.as_deref(), Some("cancellation_pending"));
    let revoked = client.withdraw_cancellation(id).await.unwrap();
    assert_eq!(revoked.status, Some(CancellationStatus::Revoked));
    let err = client.withdraw_cancellation(id).await.unwrap_err();
    assert!(matches!(err, Error::Blocked(_)), "{err}");
    let err = error(client.revoke_vps_cancellation().id(id).send().await);
    assert_eq!(refusal(&err), (409, "not_revokable".into()));

    // An overdue invoice blocks it and switches auto-renewal off.
    let body = VpsCancelRequest {
        reason: "Too expensive".parse().unwrap(),
        cancel_type: Some(CancelType::Immediate),
        other_reason: None,
    };
    let err = error(client.cancel_vps().id(fleet::OVERDUE).body(body).send().await);
    assert_eq!(refusal(&err), (409, "cancellation_blocked_overdue_invoice".into()));
    assert!(err.auto_renew_was_disabled());

    // Immediate: looked up first (the status says none), pending, then the VPS goes.
    let payg = fleet::PAYG_CLOUD;
    let body = VpsCancelRequest {
        reason: "No longer needed".parse().unwrap(),
        cancel_type: Some(CancelType::Immediate),
        other_reason: None,
    };
    let answer = client.cancel_vps().id(payg).body(body).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 202);
    assert_eq!(answer.into_inner().cancellation_lookup_pending, Some(true));
    let looking = client.get_vps_cancellation().id(payg).send().await.unwrap().into_inner();
    assert_eq!(looking.status, Some(CancellationStatus::None));
    sandbox.faults().set_clock_offset(15 * 60);
    let pending = client.get_vps_cancellation().id(payg).send().await.unwrap().into_inner();
    assert_eq!((pending.status, pending.revokable), (Some(CancellationStatus::Pending), Some(true)));
    sandbox.faults().set_clock_offset(4 * 3600);
    assert_eq!(error(client.get_vps().id(payg).send().await).status().map(|s| s.as_u16()), Some(404));
    let all = client.list_cancellations().send().await.unwrap().into_inner().cancellations;
    let gone = all.iter().find_map(|c| c.vps_cancellation().filter(|c| c.vps_id.as_deref() == Some(payg)));
    assert_eq!(gone.unwrap().status, Some(CancellationStatus::Completed));

    // End of period: the VPS goes when the server's clock passes its due date.
    let annual = fleet::ANNUAL_SEK;
    client.cancel_vps_service(annual, &end, &Confirmation::destroys(annual), fast_wait()).await.unwrap();
    assert!(client.get_vps().id(annual).send().await.is_ok());
    sandbox.faults().set_clock_offset(40 * 86_400);
    assert_eq!(error(client.get_vps().id(annual).send().await).status().map(|s| s.as_u16()), Some(404));
    check_bodies(&sandbox);
}

#[tokio::test]
async fn the_cancel_helper_follows_the_lookup_until_the_record_shows() {
    // Looked up for a quarter second, effective after four: the helper sees it pending.
    let sandbox =
        Sandbox::builder().record_exchanges(true).job_duration(Duration::from_secs(1)).start().await;
    let client = sandbox.client();
    let payg = fleet::PAYG_CLOUD;
    let now = CancelRequest::new(CancelType::Immediate, "No longer needed");
    let pending =
        client.cancel_vps_service(payg, &now, &Confirmation::destroys(payg), fast_wait()).await.unwrap();
    assert_eq!(pending.status, Some(CancellationStatus::Pending));
    let statuses =
        sandbox.exchanges().iter().filter(|e| e.operation.as_deref() == Some("getVpsCancellation")).count();
    assert!(statuses >= 1);
    check_bodies(&sandbox);
}

#[tokio::test]
async fn maintenance_deadlines_extend_within_the_policy() {
    let sandbox = sandbox().await;
    let client = sandbox.client();
    let id = fleet::ANNUAL_SEK;
    let state = client.get_vps_maintenance().id(id).send().await.unwrap().into_inner();
    let change = &state.pending_changes[0];
    let deadline = change.deadline.clone().unwrap();
    assert_eq!((deadline.extension_days, deadline.max_extensions, change.can_extend()), (7, 2, true));
    let first = client.extend_maintenance(id, &deadline.id).await.unwrap();
    assert_eq!((first.extension_count, first.can_extend_again), (Some(1), Some(true)));
    let second = client.extend_maintenance(id, &deadline.id).await.unwrap();
    assert_eq!((second.extension_count, second.can_extend_again), (Some(2), Some(false)));
    let original = humantime::parse_rfc3339(deadline.deadline_at.as_deref().unwrap()).unwrap();
    let new = humantime::parse_rfc3339(second.new_deadline.as_deref().unwrap()).unwrap();
    assert_eq!(new.duration_since(original).unwrap(), Duration::from_secs(14 * 86_400));
    let err = client.extend_maintenance(id, &deadline.id).await.unwrap_err();
    assert!(
        matches!(&err, Error::Blocked(b) if b.code.as_deref() == Some("max_extensions_reached")),
        "{err}"
    );
    let body = hostup::types::MaintenanceExtendRequest { deadline_id: deadline.id.parse().unwrap() };
    let err = error(client.extend_vps_maintenance().id(id).body(body).send().await);
    assert_eq!(refusal(&err), (409, "max_extensions_reached".into()));

    let no_deadline = client.get_vps_details().id(fleet::QUARTERLY_EUR).send().await.unwrap().into_inner();
    assert_eq!(no_deadline.actions.can_extend_maintenance.code.as_deref(), Some("no_maintenance_deadline"));
    let none = client.get_vps_maintenance().id(fleet::MONTHLY_SEK).send().await.unwrap().into_inner();
    assert!(!none.has_pending_maintenance && none.pending_changes.is_empty());
    check_bodies(&sandbox);
}

#[tokio::test]
async fn an_attempt_key_repeated_within_the_hour_returns_the_same_order() {
    let sandbox = sandbox().await;
    let client = sandbox.client();
    let request: OrderRequest =
        serde_json::from_value(json!({"attemptKey": "checkout-1", "items": [{"productSlug": "vps-sm"}]}))
            .unwrap();
    let first = client.create_order().body(request.clone()).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 201);
    let again = client.create_order().body(request.clone()).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(again.into_inner().id, first.into_inner().id.clone());
    assert_eq!(client.list_orders().send().await.unwrap().into_inner().data.len(), 1);
    sandbox.faults().set_clock_offset(2 * 3600); // past the window: a new order
    let later = client.create_order().body(request).send().await.unwrap();
    assert_eq!(later.status().as_u16(), 201);
    assert_eq!(client.list_orders().send().await.unwrap().into_inner().data.len(), 2);

    // The helper checks the catalogue and carries its own key.
    let draft = OrderDraft::vps("vps-sm", RequestedBillingCycle::Annually);
    let order = client.place_order(&draft).await.unwrap();
    assert_eq!(client.place_order(&draft).await.unwrap().id, order.id);
    assert_eq!(order.billing.as_ref().map(|b| b.amount), Some(1069.2)); // 99 a month, 10 % off yearly
    assert!(order.payment_url(sandbox.url()).unwrap().starts_with(sandbox.url()));
    let err =
        client.place_order(&OrderDraft::vps("vps-xxl", RequestedBillingCycle::Monthly)).await.unwrap_err();
    assert!(matches!(err, Error::InvalidOption { .. }), "{err}");
    let id = order.id.unwrap();
    let cancelled = client.cancel_order().id(&id).send().await.unwrap().into_inner();
    assert_eq!(cancelled.status.map(|s| s.to_string()).as_deref(), Some("cancelled"));
    let err = error(client.cancel_order().id(&id).send().await);
    assert_eq!(refusal(&err), (409, "not_cancelable".into()));
    assert_eq!(refusal(&error(client.get_order().id("ord_missing").send().await)).0, 404);
    check_bodies(&sandbox);
}

#[tokio::test]
async fn the_catalogue_is_public_and_priced_per_currency_and_cycle() {
    let sandbox = sandbox().await;
    let public = Client::builder().public_only().base_url(sandbox.url()).build().unwrap();
    let catalogue = public.product_catalogue().await.unwrap();
    let slugs: Vec<&str> = catalogue.products.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(slugs, ["vps-lg", "vps-md", "vps-sm", "vps-xs"]);
    let yearly = catalogue.price("vps-sm", "EUR", &hostup::types::BillingCycle::Annually).unwrap();
    assert_eq!(yearly.amount, 96.23); // 99 SEK x 12 x 0.9, in EUR
    let err = public.get_payg_limits().send().await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err}");
    // No credentials at all, over plain HTTP: the catalogue answers, the orders do not.
    let raw = http().get(format!("{}/api/v2/products/vps?limit=2", sandbox.url())).send().await.unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    let page: serde_json::Value = raw.json().await.unwrap();
    assert_eq!((page["data"].as_array().unwrap().len(), page["hasMore"].as_bool()), (2, Some(true)));
    let cursor = page["nextCursor"].as_str().unwrap();
    let next =
        http().get(format!("{}/api/v2/products/vps?cursor={cursor}", sandbox.url())).send().await.unwrap();
    assert_eq!(next.json::<serde_json::Value>().await.unwrap()["data"].as_array().unwrap().len(), 2);
    let orders = http().get(format!("{}/api/v2/orders", sandbox.url())).send().await.unwrap();
    assert_eq!(orders.status().as_u16(), 401);
    check_bodies(&sandbox);
}
