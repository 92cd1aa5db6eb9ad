//! The inbound firewall of each VPS: rules by position (a create answers `pos: null`, as the
//! docs warn, and is appended; a delete moves the later rules up), only inbound rules writable,
//! at most [`MAX_RULES`]; the switch and policy, which the server applies as asked (locking the
//! owner out included: the docs show no safeguard). The legacy VPS has no v2 firewall.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::{Handler, Reply, ensure, find, ok, reply};
use crate::api::Call;
use crate::devices::{Firewall, MAX_RULES, Rule};
use crate::gates::{account_blocker, gate_object};
use crate::model::{State, Vps};
use crate::problem::Fail;
use crate::server::Shared;
use hostup::gates::FirewallGate;
use hostup::types::{ActionGate, FirewallOptionsRequest, FirewallRuleRequest};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listVpsFirewallRules", list),
    ("addVpsFirewallRule", add),
    ("replaceVpsFirewallRule", replace),
    ("deleteVpsFirewallRule", delete),
    ("getVpsFirewallOptions", options),
    ("updateVpsFirewallOptions", update_options),
];

fn unavailable(vps: &Vps) -> Option<&'static str> {
    (vps.vmid.is_some())
        .then_some("The firewall is not available on legacy VPS; use the legacy firewall routes.")
}

fn can_add_rule(vps: &Vps, firewall: &Firewall) -> ActionGate {
    if let Some(blocked) = account_blocker(vps) {
        return blocked;
    }
    match (unavailable(vps), firewall.rules.len() >= MAX_RULES) {
        (Some(reason), _) => deny(reason, "firewall_unavailable"),
        (None, true) => {
            deny(&format!("All {MAX_RULES} firewall rules are in use."), "firewall_rule_limit_reached")
        }
        _ => ActionGate { allowed: true, reason: None, code: None },
    }
}

fn deny(reason: &str, code: &str) -> ActionGate {
    ActionGate { allowed: false, reason: Some(reason.into()), code: Some(code.into()) }
}

fn rule_json(pos: Option<usize>, rule: &Rule) -> Value {
    json!({
        "pos": pos, "type": rule.direction, "action": rule.action, "enabled": rule.enabled,
        "proto": rule.proto, "dport": rule.dport, "sport": rule.sport, "source": rule.source,
        "dest": rule.dest, "description": rule.description, "editable": rule.direction == "in",
    })
}

fn rule_from(request: FirewallRuleRequest, staged_default: bool) -> Rule {
    Rule {
        direction: "in",
        action: request.action.to_string(),
        enabled: request.enabled.unwrap_or(staged_default),
        proto: request.proto,
        dport: request.dport,
        sport: request.sport,
        source: request.source,
        dest: request.dest,
        description: request.description,
    }
}

/// The VPS and its firewall, refusing a VPS without one and an account that blocks changes.
fn writable<'a>(state: &'a mut State, id: &str) -> Result<(Vps, &'a mut Firewall), Fail> {
    let vps = find(state, id)?.clone();
    if let Some(reason) = unavailable(&vps) {
        return Err(Fail::conflict("firewall_unavailable", "Firewall unavailable", reason));
    }
    if let Some(blocked) = account_blocker(&vps) {
        ensure(FirewallGate::AddRule, blocked, false)?;
    }
    let firewall = state.devices.firewall(&vps);
    Ok((vps, firewall))
}

fn state_json(vps: &Vps, firewall: &Firewall) -> Value {
    let available = unavailable(vps).is_none();
    let summary = match firewall.enabled {
        true => "Firewall protection is on. Incoming traffic must match an allow rule to pass.",
        false => "Firewall protection is off. All incoming traffic reaches the VM.",
    };
    let rules: Vec<Value> = firewall.rules.iter().enumerate().map(|(i, r)| rule_json(Some(i), r)).collect();
    json!({
        "available": available, "reason": unavailable(vps), "enabled": firewall.enabled && available,
        "summary": summary, "detail": format!("Traffic that matches no rule is handled by the {} policy.", firewall.policy),
        "limits": {"maxRules": MAX_RULES, "currentRules": rules.len(), "remainingRules": MAX_RULES.saturating_sub(rules.len())},
        "rules": rules,
        "actions": gate_object([(FirewallGate::AddRule, can_add_rule(vps, firewall))]),
    })
}

fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.lock();
    let vps = find(&state, call.param("id"))?.clone();
    let firewall = state.devices.firewall(&vps);
    ok(&state_json(&vps, firewall))
}

fn add(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: FirewallRuleRequest = call.body()?;
    let mut state = shared.lock();
    let (vps, firewall) = writable(&mut state, call.param("id"))?;
    ensure(FirewallGate::AddRule, can_add_rule(&vps, firewall), false)?;
    // Staged rules start switched off unless asked otherwise ("the platform default").
    let rule = rule_from(request, false);
    firewall.rules.push(rule.clone());
    // The docs: the created rule may come back without its position.
    Ok(reply(StatusCode::CREATED, &rule_json(None, &rule)))
}

/// The editable rule at `{pos}`.
fn at(firewall: &Firewall, pos: &str) -> Result<usize, Fail> {
    let digits = !pos.is_empty() && pos.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return Err(Fail::invalid("/pos", "invalid_type", "Not a position."));
    }
    // A position too large for any table holds no rule.
    let index = pos.parse::<usize>().unwrap_or(usize::MAX);
    match firewall.rules.get(index) {
        None => Err(Fail::not_found(format!("No firewall rule at position {index}."))),
        Some(rule) if rule.direction != "in" => Err(Fail::conflict(
            "firewall_rule_read_only",
            "Rule is read-only",
            format!(
                "The {} rule at position {index} comes from upstream and cannot be changed.",
                rule.direction
            ),
        )),
        Some(_) => Ok(index),
    }
}

fn replace(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: FirewallRuleRequest = call.body()?;
    let mut state = shared.lock();
    let (_, firewall) = writable(&mut state, call.param("id"))?;
    let index = at(firewall, call.param("pos"))?;
    let rule = rule_from(request, firewall.rules[index].enabled);
    firewall.rules[index] = rule.clone();
    ok(&rule_json(Some(index), &rule))
}

fn delete(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.lock();
    let (_, firewall) = writable(&mut state, call.param("id"))?;
    let index = at(firewall, call.param("pos"))?;
    firewall.rules.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn options_json(vps: &Vps, firewall: &Firewall) -> Value {
    let available = unavailable(vps).is_none();
    json!({
        "enabled": firewall.enabled, "inboundPolicy": firewall.policy,
        "platformFilteringInbound": firewall.enabled && available, "available": available,
        "reason": unavailable(vps), "source": "live", "mode": "inbound",
    })
}

fn options(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.lock();
    let vps = find(&state, call.param("id"))?.clone();
    let firewall = state.devices.firewall(&vps);
    ok(&options_json(&vps, firewall))
}

fn update_options(shared: &Shared, call: &Call<'_>) -> Reply {
    // At least one field and no unknown ones: checked against the spec before this runs.
    let request: FirewallOptionsRequest = call.body()?;
    let mut state = shared.lock();
    let (vps, firewall) = writable(&mut state, call.param("id"))?;
    if let Some(enabled) = request.enabled {
        firewall.enabled = enabled;
    }
    if let Some(policy) = request.inbound_policy {
        firewall.policy = policy.to_string();
    }
    ok(&options_json(&vps, firewall))
}
