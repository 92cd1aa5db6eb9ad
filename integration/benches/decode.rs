//! Decoding cost of the generated types against `serde_json::Value` and against plain hand-written
//! serde structs with the same field set (what "a few lines of serde" would be).
//!
//! ```sh
//! cargo bench -p hostup-integration --bench decode
//! ```
//!
//! First divan's table (every contender, timed on its own), then interleaved A/B rounds whose
//! ratios are the figures in BENCHMARKS.md, then allocations per decode.

mod support;

use std::sync::LazyLock;
use std::time::Duration;

use divan::black_box;
use hostup::types;
use serde::de::IgnoredAny;
use support::{Contender, Counting, DETAILS_FIXTURE};

#[global_allocator]
static ALLOC: Counting = Counting::new();

/// How many entries the large details payload's `usageLog` has.
const LARGE_USAGE_LOG: usize = 5_000;
/// Items on the list page.
const LIST_PAGE: usize = 100;

/// The docs' full example, compact as a server sends it.
static DOCS: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let value: serde_json::Value = serde_json::from_str(DETAILS_FIXTURE).expect("fixture is JSON");
    serde_json::to_vec(&value).expect("serializes")
});

/// The docs' example with a long traffic log.
static LARGE: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut value: serde_json::Value = serde_json::from_str(DETAILS_FIXTURE).expect("fixture is JSON");
    let start = humantime::parse_rfc3339("2025-11-01T00:00:00Z").expect("a time");
    value["usageLog"] = (0..LARGE_USAGE_LOG)
        .map(|i| {
            let at = start + Duration::from_secs(3600 * i as u64);
            let received = (i % 97) as f64 * 0.37 + 0.01;
            let sent = (i % 89) as f64 * 0.53 + 0.02;
            serde_json::json!({
                "recordedAt": humantime::format_rfc3339_millis(at).to_string(),
                "dataReceivedGb": received,
                "dataSentGb": sent,
                "totalGb": received + sent,
            })
        })
        .collect();
    serde_json::to_vec(&value).expect("serializes")
});

/// A full `listVps` page.
static LIST: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let template = support::list_template();
    let page = serde_json::json!({
        "data": (0..LIST_PAGE).map(|i| support::list_item(&template, i)).collect::<Vec<_>>(),
        "nextCursor": "c5bd1e9f1",
    });
    serde_json::to_vec(&page).expect("serializes")
});

/// Plain serde structs for the same JSON: `String`, `f64`, `Option`, `Vec`, no open enums, no
/// secret type. The field set is the generated types' field set.
mod hand {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct VpsDetails {
        pub access: Access,
        pub actions: Actions,
        pub availability: Availability,
        pub backups_included: i64,
        pub bandwidth: Bandwidth,
        pub bandwidth_usage: BandwidthUsage,
        pub billing: Billing,
        pub cpu_cores: f64,
        pub created_at: Option<String>,
        pub hostname: Option<String>,
        pub id: String,
        pub ip_addresses: Vec<String>,
        pub ipv4: Option<String>,
        pub ipv6: Option<String>,
        pub memory_gb: f64,
        pub next_due_at: Option<String>,
        pub operating_system: Option<OperatingSystem>,
        pub operation_state: OperationState,
        pub overdue_invoices: Vec<InvoiceReference>,
        pub pinned: bool,
        pub power_state: Option<String>,
        pub pricing: Option<Pricing>,
        pub product_name: Option<String>,
        pub service_status: String,
        pub ssh_keys: Vec<String>,
        pub storage_gb: f64,
        pub usage_log: Vec<UsageLogEntry>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Access {
        pub root_password: Option<String>,
        pub username: Option<String>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct Gate {
        pub allowed: bool,
        pub code: Option<String>,
        pub reason: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Actions {
        pub can_add_disk: Gate,
        pub can_backup: Gate,
        pub can_cancel: Gate,
        pub can_cancel_job: Gate,
        pub can_change_billing_cycle: Gate,
        pub can_convert_to_cloud: Gate,
        pub can_detach_isos: Gate,
        pub can_extend_maintenance: Gate,
        pub can_rebuild: Gate,
        pub can_reset: Gate,
        pub can_reset_password: Gate,
        pub can_reset_ssh_keys: Gate,
        pub can_resize: Gate,
        pub can_resize_disk: Gate,
        pub can_restart: Gate,
        pub can_shutdown: Gate,
        pub can_snapshot: Gate,
        pub can_start: Gate,
        pub can_stop: Gate,
        pub can_toggle_autorenew: Gate,
        pub can_upgrade: Gate,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct Availability {
        pub available: bool,
        pub reason: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Bandwidth {
        pub has_overage: bool,
        pub inbound_gb: f64,
        pub limit_gb: f64,
        pub outbound_gb: f64,
        pub usage_percent: f64,
        pub used_gb: f64,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct BandwidthUsage {
        pub data_received_gb: f64,
        pub data_sent_gb: f64,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Billing {
        pub amount: f64,
        pub billing_cycle: String,
        pub currency_code: String,
        pub is_payg: bool,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct OperatingSystem {
        pub display_name: Option<String>,
        pub family: Option<String>,
        pub variant: Option<String>,
        pub version: Option<String>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    pub struct OperationState {
        pub locked: bool,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct InvoiceReference {
        pub amount: f64,
        pub currency_code: String,
        pub due_at: Option<String>,
        pub id: String,
        pub number: Option<String>,
        pub payment_url: Option<String>,
        pub status: String,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Pricing {
        #[serde(default)]
        pub addons: Vec<PricingAddon>,
        pub addons_annual_cost: Option<f64>,
        pub addons_monthly_cost: Option<f64>,
        pub base_annual_cost: Option<f64>,
        pub base_monthly_cost: Option<f64>,
        pub billing_cycle: Option<PricingCycle>,
        pub currency: Option<String>,
        pub currency_code: Option<String>,
        pub price_per_cycle: Option<f64>,
        pub total_annual_cost: Option<f64>,
        pub total_monthly_cost: Option<f64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct PricingCycle {
        pub id: Option<String>,
        pub is_free: Option<bool>,
        pub months: Option<i64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct PricingAddon {
        pub annual_cost: Option<f64>,
        pub category: Option<String>,
        pub currency_code: Option<String>,
        pub id: Option<String>,
        pub included: Option<f64>,
        pub monthly_cost: Option<f64>,
        pub name: Option<String>,
        pub quantity: Option<f64>,
        pub unit: Option<String>,
        pub unit_price_monthly: Option<f64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct UsageLogEntry {
        pub data_received_gb: f64,
        pub data_sent_gb: f64,
        pub recorded_at: String,
        pub total_gb: f64,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct VpsList {
        pub data: Vec<VpsSummary>,
        pub has_more: Option<bool>,
        pub next_cursor: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct VpsSummary {
        pub availability: Option<Availability>,
        pub bandwidth: Option<SummaryBandwidth>,
        pub billing: Option<SummaryBilling>,
        pub created_at: Option<String>,
        pub id: Option<String>,
        pub name: Option<String>,
        pub operating_system: Option<OperatingSystem>,
        #[serde(default)]
        pub overdue_invoices: Vec<InvoiceReference>,
        pub pending_maintenance: Option<bool>,
        pub pending_maintenance_has_deadline: Option<bool>,
        pub pinned: Option<bool>,
        pub power_state: Option<String>,
        pub primary_ip: Option<String>,
        pub resources: Option<Resources>,
        pub service_status: Option<String>,
        #[serde(default)]
        pub tags: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct SummaryBandwidth {
        pub has_overage: bool,
        pub inbound_gb: f64,
        pub limit_gb: f64,
        pub outbound_gb: f64,
        pub used_gb: f64,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct SummaryBilling {
        pub amount: f64,
        pub billing_cycle: Option<String>,
        pub currency_code: String,
        pub is_payg: bool,
        pub period_years: Option<i64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    pub struct Resources {
        pub cpu_cores: Option<f64>,
        pub memory_gb: Option<f64>,
        pub storage_gb: Option<f64>,
    }
}

fn decode<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> T {
    serde_json::from_slice(bytes).expect("the payload decodes")
}

/// What the client did with a 2xx body before the benchmarks: a full syntax pass in
/// `response_guard::finish`, then the typed decode in the generated code.
fn full_syntax_pass<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> T {
    decode::<IgnoredAny>(bytes);
    decode(bytes)
}

/// What the client does now: `response_guard::finish` only checks that the body is shaped like a
/// JSON document (and parses it only when it is not), then the generated code decodes it.
fn shape_check<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> T {
    let trimmed = bytes.trim_ascii();
    let document =
        matches!((trimmed.first(), trimmed.last()), (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')));
    if !document {
        decode::<IgnoredAny>(bytes);
    }
    decode(bytes)
}

/// One divan group per payload: the same five contenders.
macro_rules! payload {
    ($group:ident, $bytes:expr, $generated:ty, $hand:ty) => {
        #[divan::bench_group]
        mod $group {
            use super::*;

            #[divan::bench]
            fn hand_written() -> $hand {
                decode(black_box($bytes.as_slice()))
            }

            #[divan::bench]
            fn generated() -> $generated {
                decode(black_box($bytes.as_slice()))
            }

            #[divan::bench]
            fn generated_after_full_syntax_pass() -> $generated {
                full_syntax_pass(black_box($bytes.as_slice()))
            }

            #[divan::bench]
            fn generated_after_shape_check() -> $generated {
                shape_check(black_box($bytes.as_slice()))
            }

            #[divan::bench]
            fn value() -> serde_json::Value {
                decode(black_box($bytes.as_slice()))
            }
        }
    };
}

payload!(details_docs, DOCS, types::VpsDetails, hand::VpsDetails);
payload!(details_usage_log_5000, LARGE, types::VpsDetails, hand::VpsDetails);
payload!(list_page_100, LIST, types::VpsList, hand::VpsList);

fn contenders<G, H>(bytes: &'static [u8]) -> Vec<Contender<'static>>
where
    G: serde::de::DeserializeOwned,
    H: serde::de::DeserializeOwned,
{
    vec![
        Contender::new("hand-written struct", move || drop(black_box(decode::<H>(black_box(bytes))))),
        Contender::new("generated type", move || drop(black_box(decode::<G>(black_box(bytes))))),
        Contender::new("generated + full syntax pass (client, before)", move || {
            drop(black_box(full_syntax_pass::<G>(black_box(bytes))))
        }),
        Contender::new("generated + shape check (client, now)", move || {
            drop(black_box(shape_check::<G>(black_box(bytes))))
        }),
        Contender::new("serde_json::Value", move || {
            drop(black_box(decode::<serde_json::Value>(black_box(bytes))))
        }),
    ]
}

/// Allocations and bytes allocated by one decode.
fn allocations(run: &mut dyn FnMut()) -> (u64, u64) {
    let before = ALLOC.totals();
    ALLOC.enable();
    run();
    ALLOC.disable();
    let after = ALLOC.totals();
    (after.0 - before.0, after.1 - before.1)
}

fn main() {
    let payloads: [(&str, &'static [u8], Vec<Contender<'static>>); 3] = [
        (
            "details, docs example",
            DOCS.as_slice(),
            contenders::<types::VpsDetails, hand::VpsDetails>(DOCS.as_slice()),
        ),
        (
            "details, 5,000-entry usage log",
            LARGE.as_slice(),
            contenders::<types::VpsDetails, hand::VpsDetails>(LARGE.as_slice()),
        ),
        (
            "list page, 100 items",
            LIST.as_slice(),
            contenders::<types::VpsList, hand::VpsList>(LIST.as_slice()),
        ),
    ];

    divan::main();

    println!("\n=== decode: interleaved A/B ===");
    let quick = std::env::var_os("HOSTUP_BENCH_QUICK").is_some();
    let rounds = if quick { 11 } else { 41 };
    for (title, bytes, mut contenders) in payloads {
        let title = format!("{title} ({} bytes)", bytes.len());
        support::compare(&title, &mut contenders, rounds, Duration::from_millis(20));
        println!("  allocations per decode:");
        for c in &mut contenders {
            let (count, total) = allocations(&mut c.run);
            println!("    {:<44} {count:>7} allocations, {:>10}", c.name, support::bytes(total as usize));
        }
    }
}
