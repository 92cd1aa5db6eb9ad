//! `hostup vps firewall ID list|add|replace|delete|options`.

use hostup::prelude::*;
use hostup::types::{
    FirewallOptionsRequest, FirewallPolicy, FirewallRule, FirewallRuleRequest, FirewallRuleType,
};
use hostup::{Client, Destructive};

use super::{Session, confirmed, gate_cell, text};
use crate::args::devices::{FirewallCommand, Policy, RuleArgs};
use crate::confirm::{Confirmation, Risk};
use crate::failure::Failure;

pub async fn run(
    client: &Client,
    session: &Session,
    id: &str,
    command: &FirewallCommand,
) -> Result<(), Failure> {
    match command {
        FirewallCommand::List => list(client, session, id).await,
        FirewallCommand::Add(rule) => {
            let added = client.add_firewall_rule(id, request(rule)).await?;
            session.printer.record(&added, &rule_fields(&added))
        }
        FirewallCommand::Replace { pos, rule } => {
            let replaced = client.replace_firewall_rule(id, *pos, request(rule)).await?;
            session.printer.record(&replaced, &rule_fields(&replaced))
        }
        FirewallCommand::Delete { pos } => {
            let yes = confirmed(
                session,
                id,
                &format!("delete firewall rule {pos}"),
                "the traffic it handled falls to the default policy",
            )?;
            client.delete_firewall_rule(id, *pos, yes).await?;
            let fields = [("vps", id.to_string()), ("deleted", format!("rule {pos}"))];
            session.printer.record(
                &crate::output::RedactedJson(serde_json::json!({"vpsId": id, "deletedPos": pos})),
                &fields,
            )
        }
        FirewallCommand::Options { enable, disable, policy } => {
            options(client, session, id, *enable, *disable, *policy).await
        }
    }
}

fn policy(p: Policy) -> FirewallPolicy {
    match p {
        Policy::Accept => FirewallPolicy::Accept,
        Policy::Drop => FirewallPolicy::Drop,
        Policy::Reject => FirewallPolicy::Reject,
    }
}

fn request(rule: &RuleArgs) -> FirewallRuleRequest {
    FirewallRuleRequest {
        type_: FirewallRuleType::In,
        action: policy(rule.action),
        enabled: Some(!rule.disabled),
        proto: rule.proto.clone(),
        dport: rule.port.clone(),
        sport: None,
        source: rule.source.clone(),
        dest: None,
        description: rule.description.clone(),
    }
}

fn rule_line(rule: &FirewallRule) -> String {
    let kind = rule.type_.as_ref().map_or("-".into(), |t| t.to_string());
    let action = rule.action.as_ref().map_or("-".into(), |a| a.to_string());
    let on = if rule.enabled { "on" } else { "off" };
    let ro = if rule.editable == Some(false) || kind != "in" { ", read-only" } else { "" };
    format!(
        "{kind} {action} {} port {} from {} ({on}{ro}) {}",
        text(rule.proto.as_deref()),
        text(rule.dport.as_deref()),
        text(rule.source.as_deref()),
        rule.description.as_deref().unwrap_or("")
    )
}

fn rule_fields(rule: &FirewallRule) -> Vec<(&'static str, String)> {
    let pos = rule.pos.map_or("unknown (list again)".into(), |p| p.to_string());
    vec![("position", pos), ("rule", rule_line(rule))]
}

async fn list(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let state = client.list_vps_firewall_rules().id(id).send().await?.into_inner();
    let limits = &state.limits;
    let mut fields = vec![
        (
            "available",
            if state.available { "yes".into() } else { format!("no: {}", text(state.reason.as_deref())) },
        ),
        ("enabled", if state.enabled { "yes".into() } else { "no".into() }),
        (
            "rules",
            format!("{} of {} ({} left)", limits.current_rules, limits.max_rules, limits.remaining_rules),
        ),
        ("can add", gate_cell(state.actions.as_ref().and_then(|a| a.can_add_rule.as_ref()))),
    ];
    for rule in &state.rules {
        let pos = rule.pos.map_or("-".into(), |p| p.to_string());
        fields.push(("rule", format!("{pos:>3}  {}", rule_line(rule))));
    }
    session.printer.record(&state, &fields)
}

async fn options(
    client: &Client,
    session: &Session,
    id: &str,
    enable: bool,
    disable: bool,
    new_policy: Option<Policy>,
) -> Result<(), Failure> {
    let enabled = (enable || disable).then_some(enable);
    let change = FirewallOptionsRequest { enabled, inbound_policy: new_policy.map(policy) };
    let current = client.get_vps_firewall_options().id(id).send().await?.into_inner();
    if change.enabled.is_none() && change.inbound_policy.is_none() {
        let fields = [
            ("enabled", current.enabled.to_string()),
            ("inbound policy", current.inbound_policy.to_string()),
            ("available", current.available.map_or("-".into(), |a| a.to_string())),
        ];
        return session.printer.record(&current, &fields);
    }
    // The library refuses a lock-out unless confirmed; ask only when that is what it is.
    let will_enable = change.enabled.unwrap_or(current.enabled);
    let will_block = matches!(change.inbound_policy, Some(FirewallPolicy::Drop | FirewallPolicy::Reject))
        || (change.inbound_policy.is_none() && matches!(current.inbound_policy.as_str(), "DROP" | "REJECT"));
    let mut lockout = None;
    if will_enable && will_block {
        let rules = client.list_vps_firewall_rules().id(id).send().await?.into_inner();
        if !rules.has_allow_rule() {
            let what = format!("block all inbound traffic to {id}");
            let consequence = "there is no enabled allow rule, so everyone is locked out, you included";
            Confirmation { what: &what, consequence, risk: Risk::Destructive }.ask(session.yes)?;
            lockout = Some(Destructive::confirm(id));
        }
    }
    let now = client.set_firewall_options(id, change, lockout).await?;
    let fields = [("enabled", now.enabled.to_string()), ("inbound policy", now.inbound_policy.to_string())];
    session.printer.record(&now, &fields)
}
