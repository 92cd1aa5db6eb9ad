//! The building blocks on their own (`hostup_mcp::parts`, hidden from the docs): the input schemas
//! derived from the spec, quote tokens on an injected clock, and the spending ceiling. They were
//! the library's unit tests; here they share this binary instead of a second build of the crate.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hostup_mcp::Refusal;
use hostup_mcp::parts::{Budget, Cost, InputSchema, Pending, Tokens, error_code_meaning, property_of};
use serde_json::{Value, json};

#[test]
fn an_operation_schema_has_its_parameters_and_body() {
    let schema = InputSchema::of("changeVpsResources").to_object();
    let props = schema["properties"].as_object().unwrap();
    assert!(props.contains_key("id") && props.contains_key("resources") && props.contains_key("dryRun"));
    assert!(schema["required"].as_array().unwrap().contains(&"id".into()));
    let without = InputSchema::of("changeVpsResources").without(&["dryRun"]).to_object();
    assert!(!without["properties"].as_object().unwrap().contains_key("dryRun"));
}

#[test]
fn refs_are_inlined_and_codes_documented() {
    let text = serde_json::to_string(&*InputSchema::of("upgradeVpsPlan").to_object()).unwrap();
    assert!(!text.contains("$ref"), "{text}");
    assert!(error_code_meaning("existing_invoice_blocking").unwrap().contains("cancelExistingInvoice"));
    assert!(property_of("VpsSummary", "powerState").is_object());
}

fn pending(arguments: Value) -> Pending {
    Pending {
        tool: "preview_power_action".into(),
        arguments,
        cost: None,
        commit: Box::new(|_| Box::pin(async { Ok(json!({})) })),
    }
}

fn code(result: Result<Pending, Refusal>) -> String {
    result.err().map(|r| r.code).unwrap_or_else(|| "committed".into())
}

#[test]
fn a_token_commits_once_and_only_its_own_request() {
    let tokens = Tokens::new(Duration::from_secs(60));
    let args = json!({"id": "vps_1", "action": "restart"});
    let token = tokens.issue(pending(args.clone())).unwrap();
    let other = json!({"id": "vps_2", "action": "restart"});
    assert_eq!(code(tokens.take(&token, "preview_power_action", &other)), "token_mismatch");
    assert_eq!(code(tokens.take(&token, "preview_snapshot_restore", &args)), "token_mismatch");
    assert_eq!(code(tokens.take("hq_00", "preview_power_action", &args)), "token_unknown");
    assert_eq!(code(tokens.take(&token, "preview_power_action", &args)), "committed");
    assert_eq!(code(tokens.take(&token, "preview_power_action", &args)), "token_used");
}

#[test]
fn a_token_expires_on_the_servers_clock() {
    let start = Instant::now();
    let now = Arc::new(Mutex::new(start));
    let clock = now.clone();
    let tokens = Tokens::with_clock(Duration::from_secs(60), Arc::new(move || *clock.lock().unwrap()));
    let args = json!({"id": "vps_1"});
    let token = tokens.issue(pending(args.clone())).unwrap();
    *now.lock().unwrap() = start + Duration::from_secs(60);
    assert_eq!(code(tokens.take(&token, "preview_power_action", &args)), "token_expired");
    assert_eq!(code(tokens.take(&token, "preview_power_action", &args)), "token_expired");
    let fresh = tokens.issue(pending(args.clone())).unwrap();
    assert_ne!(fresh, token);
    assert_eq!(code(tokens.take(&fresh, "preview_power_action", &args)), "committed");
}

fn cost(increase: f64, currency: &str) -> Cost {
    Cost { recurring_increase: increase, recurring: None, due_now: None, currency: currency.into() }
}

#[test]
fn a_commit_past_the_ceiling_is_refused_and_a_release_gives_room_back() {
    let budget = Budget::new(Some(100.0), None);
    budget.reserve(Some(&cost(60.0, "SEK"))).unwrap();
    let refused = budget.reserve(Some(&cost(50.0, "SEK"))).unwrap_err();
    assert_eq!(refused.code, "spending_ceiling_exceeded");
    assert_eq!(budget.reserve(Some(&cost(10.0, "EUR"))).unwrap_err().code, "currency_mismatch");
    budget.reserve(Some(&cost(40.0, "sek"))).unwrap();
    budget.release(Some(&cost(40.0, "SEK")));
    budget.reserve(Some(&cost(40.0, "SEK"))).unwrap();
    budget.reserve(None).unwrap();
    assert_eq!(budget.summary()["remaining"], 0.0);
}
