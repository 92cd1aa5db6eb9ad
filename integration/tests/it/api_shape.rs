//! The public API's shape, checked by the compiler: the helpers' futures are `Send` (usable in
//! `tokio::spawn` and multi-threaded servers), errors cross threads and box into `dyn Error`, and
//! the VPS stream owns its client.

use futures::TryStreamExt;
use hostup::prelude::*;
use hostup::types::{BillingCycleChoice, VpsDetails};
use hostup::{CommitOptions, Error, PowerAction, PowerOperation, Quote, ResourceChange, WaitOptions};
use serde_json::json;

use crate::support::*;

fn send<T: Send>(_: &T) {}
fn spawnable<T: Send + 'static>(_: &T) {}

/// Never run: it only has to compile.
#[allow(dead_code, clippy::diverging_sub_expression)]
fn every_public_future_is_send(
    client: &hostup::Client,
    op: &PowerOperation,
    quote: &Quote,
    vps: &VpsDetails,
) {
    let change = ResourceChange::new();
    send(&client.power("id", PowerAction::Start));
    send(&op.wait(client, WaitOptions::default()));
    send(&quote.commit(client, CommitOptions::default()));
    send(&client.preview_resources("id", &change));
    send(&client.preview_resources_checked("id", &change));
    send(&client.resize_cpu_memory(vps, 1, 1));
    send(&client.change_billing_cycle(vps, BillingCycleChoice::Annually, true));
    send(&client.all_vps());
    send(&client.get_vps_details().id("id").send());
    spawnable(&client.vps_stream(10));
    spawnable(&hostup::paginate(|_cursor| async { Ok(hostup::Page::<u8>::new(vec![], None)) }));
}

#[test]
fn errors_cross_threads_and_box() {
    fn thread_safe<T: Send + Sync + 'static>() {}
    thread_safe::<Error>();
    let boxed: Box<dyn std::error::Error + Send + Sync + 'static> = Box::new(Error::Pagination("x".into()));
    assert!(boxed.to_string().contains("pagination"));
}

#[tokio::test]
async fn the_vps_stream_outlives_its_client_and_moves_into_a_task() {
    let server = ScriptServer::start(vec![json(
        200,
        &json!({"data": [{"id": "vps_1"}, {"id": "vps_2"}]}).to_string(),
    )])
    .await;
    let fleet = client(&server.base).vps_stream(10);
    let ids = tokio::spawn(async move { fleet.map_ok(|v| v.id.unwrap()).try_collect::<Vec<_>>().await });
    assert_eq!(ids.await.unwrap().unwrap(), ["vps_1", "vps_2"]);
}
