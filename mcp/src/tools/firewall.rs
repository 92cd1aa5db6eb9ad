//! Firewall writes as quotes: add, replace and delete an inbound rule by position, and the
//! switch and policy. Each preview reads the rules and options and refuses what the library would
//! (the `canAddRule` gate, `remainingRules`, a read-only rule), plus any change that would leave an
//! enabled DROP or REJECT policy with no enabled allow rule (everyone, the owner included, is
//! locked out) unless the agent acknowledges it. A commit sends through the library's helper,
//! after checking that the rule at the position is still the one previewed.

use hostup::prelude::*;
use hostup::types::{FirewallOptionsRequest, FirewallPolicy, FirewallRuleRequest, FirewallState};
use hostup::{Client, Destructive};
use serde_json::{Value, json};

use super::{VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Preview, ToolDef};
use crate::schemas::{InputSchema, component};

const ACK: &str = "acknowledgeLockout";

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let ack = json!({
        "type": "boolean",
        "description": "Set true only when the person you act for has agreed to lock everyone out: \
            without it, a change that leaves an enabled DROP/REJECT policy with no enabled ACCEPT rule \
            is refused (code firewall_lockout).",
    });
    let direction = json!({"description": "Always `in` (v2 writes inbound rules only); `in` when left out."});
    let rule = |operation: &str| {
        let mut kind = component("FirewallRuleType");
        kind["description"] = direction["description"].clone();
        InputSchema::of(operation).describe("id", VPS_ID).without(&["type"]).with("type", kind, false).with(
            ACK,
            ack.clone(),
            false,
        )
    };
    vec![
        ToolDef::preview(
            "preview_firewall_rule_add",
            "Checks that an inbound rule can be added (firewall `available`, the canAddRule gate, \
             limits.remainingRules; see list_firewall_rules) and returns a quote with a token. `action` \
             is ACCEPT, DROP or REJECT; `proto`, `dport`, `source` narrow it. `commit` adds it and \
             answers the rule as listed, with its real position.",
            rule("addVpsFirewallRule"),
            add,
        ),
        ToolDef::preview(
            "preview_firewall_rule_replace",
            "Checks that the rule at `pos` (list_firewall_rules `rules[].pos`) exists and is editable \
             and returns a quote showing it and its full replacement, with a token. Replacing the last \
             allow rule under an enabled DROP/REJECT policy is refused unless acknowledgeLockout. \
             `commit` replaces it only if that position still holds the previewed rule.",
            rule("replaceVpsFirewallRule"),
            replace,
        ),
        ToolDef::preview(
            "preview_firewall_rule_delete",
            "DESTRUCTIVE: deletes the rule at `pos` (the rules after it move up one). Checks that it \
             exists and is editable and returns a quote showing it, with a token. Deleting the last \
             allow rule under an enabled DROP/REJECT policy is refused unless acknowledgeLockout. \
             `commit` deletes it only if that position still holds the previewed rule.",
            InputSchema::of("deleteVpsFirewallRule").describe("id", VPS_ID).with(ACK, ack.clone(), false),
            delete,
        ),
        ToolDef::preview(
            "preview_firewall_options",
            "Previews switching the firewall (`enabled`) and/or its default `inboundPolicy` (at least \
             one). The usual way to protect a VPS: add allow rules first (preview_firewall_rule_add), \
             then enabled true with DROP. An enabled DROP/REJECT policy with no enabled ACCEPT rule \
             locks everyone out: refused (firewall_lockout) unless acknowledgeLockout is true, and then \
             the quote is marked destructive. `commit` applies it.",
            InputSchema::of("updateVpsFirewallOptions").describe("id", VPS_ID).with(ACK, ack, false),
            options,
        ),
    ]
}

fn rule_body(args: &Args) -> Result<FirewallRuleRequest, Refusal> {
    let mut with_type = args.clone();
    with_type.0.entry("type").or_insert_with(|| "in".into());
    with_type.body(&["id", "pos", ACK])
}

async fn rules(client: &Client, id: &str) -> Result<FirewallState, Refusal> {
    Ok(client.list_vps_firewall_rules().id(id).send().await?.into_inner())
}

/// The switch and policy as they will be, and whether the rules that will remain let anyone in:
/// a lock-out is refused without the acknowledgement, and a warning with it.
async fn lockout(
    client: &Client,
    id: &str,
    after: Option<(bool, String)>,
    allow_after: bool,
    ack: bool,
) -> Result<Option<String>, Refusal> {
    let (enabled, policy) = match after {
        Some(state) => state,
        None => {
            let now = client.get_vps_firewall_options().id(id).send().await?.into_inner();
            (now.enabled, now.inbound_policy.to_string())
        }
    };
    if !enabled || !matches!(policy.as_str(), "DROP" | "REJECT") || allow_after {
        return Ok(None);
    }
    let what = format!(
        "the firewall of {id} would be enabled with inboundPolicy {policy} and no enabled inbound ACCEPT \
         rule: it drops all inbound traffic, SSH and the owner's included"
    );
    if ack {
        return Ok(Some(format!("LOCK-OUT acknowledged: {what}")));
    }
    Err(Refusal::new(
        "blocked",
        "firewall_lockout",
        what,
        "Add an ACCEPT rule for the owner's access first (preview_firewall_rule_add), or preview again \
         with acknowledgeLockout: true if the person you act for wants everyone locked out.",
    )
    .with_details(json!({ "gate": "lockout", "enabled": enabled, "inboundPolicy": policy })))
}

async fn add(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let rule = rule_body(&args)?;
    let state = rules(&client, &id).await?;
    state.ensure_can_add()?;
    let quote = json!({
        "vpsId": id, "add": rule, "remainingRules": state.limits.remaining_rules,
        "firewallEnabled": state.enabled,
    });
    Ok(Preview {
        quote,
        cost: None,
        warnings: Vec::new(),
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let added = client.add_firewall_rule(&id, rule).await?;
                Ok(json!({ "vpsId": id, "rule": redacted(&added)? }))
            })
        }),
    })
}

/// The rule at `pos` as previewed, and an error when the commit finds another one there.
async fn still_there(client: &Client, id: &str, pos: u64, previewed: &Value) -> Result<(), Refusal> {
    let state = rules(client, id).await?;
    let now = state.rule_at(pos).map(redacted).transpose()?;
    if now.as_ref() == Some(previewed) {
        return Ok(());
    }
    Err(Refusal::new(
        "blocked",
        "rule_moved",
        format!("the rule at position {pos} of {id} is no longer the one previewed; nothing was sent"),
        "Read list_firewall_rules again and preview the change for the rule's current position.",
    )
    .with_details(json!({ "previewed": previewed, "now": now })))
}

async fn replace(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let pos = args.opt::<u64>("pos")?.ok_or_else(|| Refusal::arguments("`pos` is required"))?;
    let rule = rule_body(&args)?;
    let mut state = rules(&client, &id).await?;
    let current = redacted(state.ensure_editable(pos)?)?;
    state.rules.retain(|r| r.pos != Some(pos));
    let allows = rule.action == FirewallPolicy::Accept && rule.enabled != Some(false);
    let ack = args.opt::<bool>(ACK)?.unwrap_or(false);
    let warning = lockout(&client, &id, None, allows || state.has_allow_rule(), ack).await?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "pos": pos, "current": current, "replacement": rule }),
        cost: None,
        destructive: warning.is_some(),
        warnings: warning.into_iter().collect(),
        commit: Box::new(move |client| {
            Box::pin(async move {
                still_there(&client, &id, pos, &current).await?;
                let replaced = client.replace_firewall_rule(&id, pos, rule).await?;
                Ok(json!({ "vpsId": id, "rule": redacted(&replaced)? }))
            })
        }),
    })
}

async fn delete(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let pos = args.opt::<u64>("pos")?.ok_or_else(|| Refusal::arguments("`pos` is required"))?;
    let mut state = rules(&client, &id).await?;
    let current = redacted(state.ensure_editable(pos)?)?;
    state.rules.retain(|r| r.pos != Some(pos));
    let ack = args.opt::<bool>(ACK)?.unwrap_or(false);
    let lock = lockout(&client, &id, None, state.has_allow_rule(), ack).await?;
    let mut warnings = vec![format!("deletes the rule at position {pos}; the rules after it move up one")];
    warnings.extend(lock);
    Ok(Preview {
        quote: json!({ "vpsId": id, "pos": pos, "delete": current }),
        cost: None,
        warnings,
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                still_there(&client, &id, pos, &current).await?;
                client.delete_firewall_rule(&id, pos, Destructive::confirm(&id)).await?;
                Ok(json!({ "vpsId": id, "deleted": current }))
            })
        }),
    })
}

async fn options(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let change: FirewallOptionsRequest = args.body(&["id", ACK])?;
    if change.enabled.is_none() && change.inbound_policy.is_none() {
        return Err(Refusal::arguments("give `enabled`, `inboundPolicy` or both"));
    }
    let now = client.get_vps_firewall_options().id(&id).send().await?.into_inner();
    let enabled = change.enabled.unwrap_or(now.enabled);
    let policy = change.inbound_policy.map_or(now.inbound_policy.to_string(), |p| p.to_string());
    let allow = rules(&client, &id).await?.has_allow_rule();
    let ack = args.opt::<bool>(ACK)?.unwrap_or(false);
    let warning = lockout(&client, &id, Some((enabled, policy.clone())), allow, ack).await?;
    let quote = json!({
        "vpsId": id,
        "now": { "enabled": now.enabled, "inboundPolicy": now.inbound_policy.to_string() },
        "after": { "enabled": enabled, "inboundPolicy": policy },
    });
    let confirm = warning.as_ref().map(|_| Destructive::confirm(&id));
    Ok(Preview {
        quote,
        cost: None,
        destructive: warning.is_some(),
        warnings: warning.into_iter().collect(),
        commit: Box::new(move |client| {
            Box::pin(async move {
                let set = client.set_firewall_options(&id, change, confirm).await?;
                Ok(json!({ "vpsId": id, "options": redacted(&set)? }))
            })
        }),
    })
}
