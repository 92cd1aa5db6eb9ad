//! A backup restored to a new PAYG VM passes what a deployment passes (the account's access, then
//! its PAYG quota) and then counts in that quota; orders move from `pending` to `active` when the
//! sandbox's stand-in customer pays, on the sandbox's clock.

use std::num::NonZeroU64;
use std::time::Duration;

use hostup::prelude::*;
use hostup::types::{OrderRequest, OrderStatus, PaygBlockerReason, PaygRestoreRequest};
use hostup::{Client, Error};
use hostup_sandbox::{PaygAccount, Sandbox, fleet};
use serde_json::json;

use crate::support::{assert_bodies_match_the_spec, error};

fn refusal(err: &Error) -> (u16, String) {
    (err.status().map_or(0, |s| s.as_u16()), err.code().map(|c| c.to_string()).unwrap_or_default())
}

fn restore(cpu: u64, storage: u64) -> PaygRestoreRequest {
    PaygRestoreRequest::builder()
        .name(Some("db-copy".to_string()))
        .cpu_cores(NonZeroU64::new(cpu))
        .storage_gb(NonZeroU64::new(storage))
        .try_into()
        .unwrap()
}

async fn restore_raw(client: &Client, backup: &str, request: PaygRestoreRequest) -> Error {
    let sent = client.restore_vps_backup_to_payg().id(fleet::ANNUAL_SEK).backup_id(backup).body(request);
    error(sent.send().await)
}

async fn fleet_size(client: &Client) -> usize {
    client.list_vps().send().await.unwrap().into_inner().data.len()
}

#[tokio::test]
async fn a_restore_to_payg_passes_the_quota_and_the_account_like_a_deployment() {
    let sandbox =
        Sandbox::builder().record_exchanges(true).job_duration(Duration::from_millis(40)).start().await;
    let c = sandbox.client();
    let backup =
        c.list_vps_backups().id(fleet::ANNUAL_SEK).send().await.unwrap().into_inner().backups[0].id.clone();
    let before = fleet_size(&c).await;
    let limits = c.get_payg_limits().send().await.unwrap().into_inner();
    assert_eq!(limits.remaining.cpu_cores, 14, "16 cores, 2 taken by cloud-01");

    // Past the CPU quota: 403 naming the blocker, and no VM appears.
    let err = restore_raw(&c, &backup, restore(15, 80)).await;
    assert_eq!(refusal(&err), (403, "forbidden".into()));
    assert_eq!(err.blocker_reasons(), vec![PaygBlockerReason::CpuLimitExceeded]);
    // Past the storage quota: the documented storage code.
    let err = restore_raw(&c, &backup, restore(2, 1000)).await;
    assert_eq!(refusal(&err), (403, "cloud_storage_limit_exceeded".into()));
    assert_eq!(err.blocker_reasons(), vec![PaygBlockerReason::StorageLimitExceeded]);
    assert_eq!(fleet_size(&c).await, before);

    // One that fits is created and then takes from the quota, as a deployment would.
    let made = c.restore_backup_to_payg(fleet::ANNUAL_SEK, &backup, restore(12, 80)).await.unwrap();
    assert!(made.result.vps_id.is_some());
    assert_eq!(fleet_size(&c).await, before + 1);
    let limits = c.get_payg_limits().send().await.unwrap().into_inner();
    assert_eq!((limits.remaining.cpu_cores, limits.current.instance_count), (2, 2));
    let err = restore_raw(&c, &backup, restore(3, 80)).await;
    assert_eq!(err.blocker_reasons(), vec![PaygBlockerReason::CpuLimitExceeded]);

    // An account without Cloud access is refused first, naming its blockers.
    sandbox.set_payg_account(PaygAccount { cloud_access: false, ..PaygAccount::default() });
    let err = restore_raw(&c, &backup, restore(1, 50)).await;
    assert_eq!((refusal(&err).0, err.blocker_reasons()), (403, vec![PaygBlockerReason::NoCloudAccess]));
    assert_eq!(fleet_size(&c).await, before + 1);
    let exchanges = sandbox.exchanges();
    assert_eq!(assert_bodies_match_the_spec(&exchanges), exchanges.len());
}

fn order() -> OrderRequest {
    serde_json::from_value(json!({"items": [{"productSlug": "vps-sm"}]})).unwrap()
}

fn state(order: &hostup::types::Order) -> (Option<OrderStatus>, Option<String>) {
    (order.status.clone(), order.invoice.as_ref().and_then(|i| i.status.clone()))
}

#[tokio::test]
async fn an_order_is_paid_after_the_configured_time_and_then_cannot_be_cancelled() {
    let sandbox = Sandbox::builder().record_exchanges(true).start().await;
    let c = sandbox.client();
    let placed = c.create_order().body(order()).send().await.unwrap().into_inner();
    let id = placed.id.clone().unwrap();
    assert_eq!(state(&placed), (Some(OrderStatus::Pending), Some("unpaid".into())));
    sandbox.faults().set_clock_offset(9 * 60); // inside the default ten minutes: still pending
    let seen = c.get_order().id(&id).send().await.unwrap().into_inner();
    assert_eq!(state(&seen).0, Some(OrderStatus::Pending));

    sandbox.faults().set_clock_offset(11 * 60);
    let paid = c.get_order().id(&id).send().await.unwrap().into_inner();
    assert_eq!(state(&paid), (Some(OrderStatus::Active), Some("paid".into())));
    let listed = c.list_orders().send().await.unwrap().into_inner();
    assert_eq!(listed.data[0].status, Some(OrderStatus::Active));
    let err = error(c.cancel_order().id(&id).send().await);
    assert_eq!(refusal(&err), (409, "not_cancelable".into()));
    let exchanges = sandbox.exchanges();
    assert_eq!(assert_bodies_match_the_spec(&exchanges), exchanges.len());
}

#[tokio::test]
async fn the_payment_knob_pays_at_once_or_never() {
    let at_once = Sandbox::builder().order_payment(Some(Duration::ZERO)).start().await;
    let c = at_once.client();
    let id = c.create_order().body(order()).send().await.unwrap().into_inner().id.unwrap();
    let seen = c.get_order().id(&id).send().await.unwrap().into_inner();
    assert_eq!(state(&seen), (Some(OrderStatus::Active), Some("paid".into())));

    let never = Sandbox::builder().order_payment(None).start().await;
    let c = never.client();
    let id = c.create_order().body(order()).send().await.unwrap().into_inner().id.unwrap();
    never.faults().set_clock_offset(30 * 86_400);
    let seen = c.get_order().id(&id).send().await.unwrap().into_inner();
    assert_eq!(state(&seen), (Some(OrderStatus::Pending), Some("unpaid".into())));
    let cancelled = c.cancel_order().id(&id).send().await.unwrap().into_inner();
    assert_eq!(cancelled.status, Some(OrderStatus::Cancelled));
}
