//! The pure helpers on values: billing models and monthly costs, option validation, the legacy
//! view, and the paginator, with no server at all.

use futures::{Stream, TryStreamExt};
use hostup::types::{BillingCycle, LegacyVmDetails, UpgradeOptions, VpsSummary};
use hostup::{BillingModel, Error, FleetCost, Page, ResourceChange, Result, paginate};

fn summary(amount: f64, currency: &str, cycle: &str, payg: bool) -> VpsSummary {
    serde_json::from_value(serde_json::json!({"id": format!("{currency}-{cycle}"), "billing": {
        "amount": amount, "currencyCode": currency, "billingCycle": cycle, "isPayg": payg}}))
    .unwrap()
}

#[test]
fn payg_is_read_from_is_payg_not_the_cycle() {
    assert_eq!(summary(10.0, "SEK", "monthly", true).billing_model(), Some(BillingModel::Payg));
    assert_eq!(
        summary(10.0, "SEK", "monthly", false).billing_model(),
        Some(BillingModel::Fixed(BillingCycle::Monthly))
    );
}

#[test]
fn cycles_normalise_to_months() {
    for (cycle, amount, monthly) in [
        ("monthly", 99.0, 99.0),
        ("quarterly", 300.0, 100.0),
        ("semiannually", 600.0, 100.0),
        ("annually", 1200.0, 100.0),
        ("biennially", 2400.0, 100.0),
        ("triennially", 3600.0, 100.0),
        ("free", 0.0, 0.0),
    ] {
        assert_eq!(summary(amount, "SEK", cycle, false).monthly_cost().unwrap().amount, monthly, "{cycle}");
    }
    assert_eq!(summary(5.0, "SEK", "decennially", false).monthly_cost(), None);
}

#[test]
fn fleet_sums_by_currency_with_payg_apart() {
    let fleet = [
        summary(1200.0, "SEK", "annually", false),
        summary(50.0, "SEK", "monthly", false),
        summary(30.0, "EUR", "quarterly", false),
        summary(80.0, "SEK", "monthly", true),
        summary(1.0, "SEK", "weird", false),
    ];
    let cost = FleetCost::of(&fleet);
    assert_eq!(cost.fixed["SEK"], 150.0);
    assert_eq!(cost.fixed["EUR"], 10.0);
    assert_eq!(cost.payg["SEK"], 80.0);
    assert_eq!(cost.unknown, ["SEK-weird"]);
}

fn options() -> UpgradeOptions {
    serde_json::from_value(serde_json::json!({"configurableOptions": [
        {"key": "bandwidthGb", "label": "Bandwidth", "type": "slider", "min": 1000, "max": 10000, "step": 1024},
        {"key": "ipv6", "label": "IPv6", "type": "toggle"},
        {"key": "snapshotSlots", "label": "Snapshots", "type": "quantity", "min": 0, "max": 5},
    ]}))
    .unwrap()
}

fn reason(change: ResourceChange) -> String {
    match change.validate(&options()) {
        Err(Error::InvalidOption { key, reason }) => format!("{key}: {reason}"),
        other => panic!("expected an invalid option, got {other:?}"),
    }
}

#[test]
fn valid_changes_pass() {
    let change =
        ResourceChange::new().set("bandwidthGb", 1000 + 2 * 1024).set("ipv6", true).set("snapshotSlots", 3);
    assert!(change.validate(&options()).is_ok());
}

#[test]
fn bad_values_name_the_key_and_the_range() {
    assert_eq!(
        reason(ResourceChange::new().set("bandwidthGb", 20000)),
        "bandwidthGb: 20000 is out of range (allowed 1000 to 10000 in steps of 1024)"
    );
    assert!(reason(ResourceChange::new().set("bandwidthGb", 1500)).contains("not on the step"));
    assert!(reason(ResourceChange::new().set("ipv6", "yes")).contains("true or false"));
    assert!(reason(ResourceChange::new().set("snapshotSlots", "three")).contains("expects a number"));
    assert!(reason(ResourceChange::new().set("gpuCount", 1)).contains("not an option"));
}

#[test]
fn parses_strings_and_orders_the_log() {
    let details: LegacyVmDetails = serde_json::from_value(serde_json::json!({
        "cpu": "2", "ram": 4096, "price": "39.00", "disk": "n/a",
        "usage_log": {
            "2026-01-12T19:00:00Z": {"data_received": "30"},
            "2026-01-12T17:00:00Z": {"data_received": 10},
            "2026-01-12T18:30:00+02:00": {"data_received": 5},
            "2026-01-12T18:00:00Z": {"data_received": 20.5}
        }
    }))
    .unwrap();
    let view = details.view();
    assert_eq!((view.cpu, view.ram, view.price, view.disk), (Some(2.0), Some(4096.0), Some(39.0), None));
    let received: Vec<_> = view.usage.iter().map(|p| p.data_received.unwrap()).collect();
    assert_eq!(received, [5.0, 10.0, 20.5, 30.0], "18:30+02:00 is 16:30Z, the earliest");
    assert!(view.usage[0].time.is_some());
}

fn pages(script: Vec<(Vec<u32>, Option<&'static str>)>) -> impl Stream<Item = Result<u32>> {
    let mut script = script.into_iter();
    paginate(move |_cursor| {
        let (items, next) = script.next().expect("no more pages scripted");
        async move { Ok(Page::new(items, next.map(str::to_string))) }
    })
}

#[tokio::test]
async fn yields_every_item_once_across_pages() {
    let all: Vec<u32> = pages(vec![(vec![1, 2], Some("a")), (vec![3], Some("b")), (vec![4, 5], None)])
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn repeated_cursor_is_an_error() {
    let result: Result<Vec<u32>> =
        pages(vec![(vec![1], Some("a")), (vec![2], Some("a")), (vec![3], None)]).try_collect().await;
    assert!(matches!(result, Err(Error::Pagination(_))));
}

#[tokio::test]
async fn has_more_false_ends_even_with_a_cursor() {
    let s = paginate(|_c| async { Ok(Page::new(vec![1u8], Some("x".into())).with_has_more(Some(false))) });
    let all: Vec<u8> = s.try_collect().await.unwrap();
    assert_eq!(all, [1]);
}
