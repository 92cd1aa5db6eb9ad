//! The per-VPS inbound firewall: rules by position, checked against the list before each write
//! (the `canAddRule` gate, `limits.remainingRules`, `editable`), the list read again after a
//! create (a new rule may come back with `pos: null`), and the options change that would lock the
//! owner out (a DROP or REJECT policy with no enabled allow rule) refused unless confirmed.

use crate::areas::devices::refused;
use crate::gates::FirewallGate;
use crate::types::{
    FirewallDirection, FirewallOptions, FirewallOptionsRequest, FirewallPolicy, FirewallRule,
    FirewallRuleRequest, FirewallState, FirewallVerdict,
};
use crate::{Client, Destructive, Error, Result};

impl FirewallState {
    /// The rule at position `pos`.
    pub fn rule_at(&self, pos: u64) -> Option<&FirewallRule> {
        self.rules.iter().find(|r| r.pos == Some(pos))
    }

    /// True when an enabled inbound ACCEPT rule exists: the owner keeps a way in under a DROP
    /// policy (whether it admits the owner's own address is for the caller to judge).
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/listVpsFirewallRules.200.json"));
    /// let state: hostup::types::FirewallState = serde_json::from_str(json).unwrap();
    /// assert!(state.has_allow_rule()); // "Allow SSH from office"
    /// ```
    pub fn has_allow_rule(&self) -> bool {
        self.rules.iter().any(|r| {
            r.enabled
                && r.action == Some(FirewallVerdict::Accept)
                && matches!(r.type_, Some(FirewallDirection::In) | None)
        })
    }

    /// `Ok` when a rule may be added: the firewall is `available`, `actions.canAddRule` is open
    /// (when reported) and `limits.remainingRules` is above 0.
    ///
    /// # Errors
    /// [`Error::Blocked`] naming `available`, `canAddRule` or `limits.remainingRules`.
    pub fn ensure_can_add(&self) -> Result<()> {
        self.ensure_available()?;
        if let Some(actions) = &self.actions {
            FirewallGate::AddRule.check(actions)?;
        }
        if self.limits.remaining_rules == 0 {
            let max = self.limits.max_rules;
            let why = format!("all {max} firewall rules are in use; delete or replace a rule first");
            return Err(refused("limits.remainingRules", why, None));
        }
        Ok(())
    }

    /// `Ok` when the rule at `pos` exists and is `editable` (inbound rules only: `out` and
    /// `group` rules are read-only in v2).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for no rule there, [`Error::Blocked`] for a read-only rule.
    pub fn ensure_editable(&self, pos: u64) -> Result<&FirewallRule> {
        self.ensure_available()?;
        let Some(rule) = self.rule_at(pos) else {
            let listed: Vec<u64> = self.rules.iter().filter_map(|r| r.pos).collect();
            return Err(Error::InvalidRequest(format!(
                "no firewall rule at position {pos} (positions listed: {listed:?})"
            )));
        };
        let inbound = matches!(rule.type_, Some(FirewallDirection::In) | None);
        if rule.editable == Some(false) || !inbound {
            let kind = rule.type_.as_ref().map_or("this".into(), |t| format!("an {t}"));
            let why =
                format!("the rule at position {pos} is read-only ({kind} rule); v2 edits inbound rules only");
            return Err(refused("editable", why, None));
        }
        Ok(rule)
    }

    fn ensure_available(&self) -> Result<()> {
        if self.available {
            return Ok(());
        }
        let why = self.reason.clone().unwrap_or_else(|| "the firewall is not available for this VPS".into());
        Err(refused("available", why, None))
    }
}

/// Whether the rule as listed is the one that was sent (the fields a create echoes back).
fn same_rule(listed: &FirewallRule, sent: &FirewallRuleRequest) -> bool {
    listed.action.as_ref().map(|a| a.as_str()) == Some(&sent.action.to_string())
        && listed.proto == sent.proto
        && listed.dport == sent.dport
        && listed.sport == sent.sport
        && listed.source == sent.source
        && listed.dest == sent.dest
        && listed.description == sent.description
}

async fn list(client: &Client, vps_id: &str) -> Result<FirewallState> {
    Ok(client.list_vps_firewall_rules().id(vps_id).send().await?.into_inner())
}

pub(crate) async fn add(client: &Client, vps_id: &str, rule: FirewallRuleRequest) -> Result<FirewallRule> {
    list(client, vps_id).await?.ensure_can_add()?;
    // A POST: never sent twice once it may have reached the server.
    let created = client.add_vps_firewall_rule().id(vps_id).body(rule.clone()).send().await?.into_inner();
    // The docs: the created rule may carry `pos: null`; the list has the real positions. The rule
    // exists either way, so a failed re-read keeps the server's answer rather than an error that
    // would invite a second create.
    let Ok(now) = list(client, vps_id).await else { return Ok(created) };
    let at_its_pos = created.pos.and_then(|p| now.rule_at(p)).filter(|r| same_rule(r, &rule));
    let found = at_its_pos.or_else(|| now.rules.iter().rev().find(|r| same_rule(r, &rule)));
    Ok(found.cloned().unwrap_or(created))
}

pub(crate) async fn replace(
    client: &Client,
    vps_id: &str,
    pos: u64,
    rule: FirewallRuleRequest,
) -> Result<FirewallRule> {
    list(client, vps_id).await?.ensure_editable(pos)?;
    Ok(client.replace_vps_firewall_rule().id(vps_id).pos(pos).body(rule).send().await?.into_inner())
}

pub(crate) async fn delete(client: &Client, vps_id: &str, pos: u64, confirm: &Destructive) -> Result<()> {
    confirm.check(vps_id, "deleting a firewall rule")?;
    list(client, vps_id).await?.ensure_editable(pos)?;
    // Never resent: the rules after it move up, so a second delete would remove another rule.
    client.delete_vps_firewall_rule().id(vps_id).pos(pos).send().await?;
    Ok(())
}

/// True for a policy that drops whatever no rule allows.
fn blocks(policy: &str) -> bool {
    matches!(policy, "DROP" | "REJECT")
}

pub(crate) async fn set_options(
    client: &Client,
    vps_id: &str,
    change: FirewallOptionsRequest,
    lockout: Option<&Destructive>,
) -> Result<FirewallOptions> {
    if change.enabled.is_none() && change.inbound_policy.is_none() {
        return Err(Error::InvalidRequest(
            "a firewall options change needs `enabled` or `inboundPolicy` (the API refuses an empty one)"
                .into(),
        ));
    }
    if let Some(confirm) = lockout {
        confirm.check(vps_id, "a firewall policy that may lock the owner out")?;
    }
    let current = client.get_vps_firewall_options().id(vps_id).send().await?.into_inner();
    let enabled = change.enabled.unwrap_or(current.enabled);
    let policy = change.inbound_policy.map_or(current.inbound_policy.to_string(), |p| p.to_string());
    if enabled && blocks(&policy) && lockout.is_none() {
        let rules = list(client, vps_id).await?;
        if !rules.has_allow_rule() {
            return Err(Error::InvalidRequest(format!(
                "an enabled firewall with inboundPolicy {policy} and no enabled inbound ACCEPT rule locks \
                 everyone out of {vps_id}, its owner included: add an allow rule first, or confirm with \
                 Destructive::confirm({vps_id:?})"
            )));
        }
    }
    Ok(client.update_vps_firewall_options().id(vps_id).body(change).send().await?.into_inner())
}

/// An inbound rule to add or put in place of another: `action` on `proto`/`dport` from `source`.
///
/// ```
/// use hostup::types::FirewallPolicy;
/// let rule = hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "22", Some("198.51.100.10"));
/// assert_eq!(rule.dport.as_deref(), Some("22"));
/// assert_eq!(rule.enabled, Some(true));
/// ```
pub fn firewall_rule(
    action: FirewallPolicy,
    proto: &str,
    dport: &str,
    source: Option<&str>,
) -> FirewallRuleRequest {
    FirewallRuleRequest {
        type_: crate::types::FirewallRuleType::In,
        action,
        enabled: Some(true),
        proto: Some(proto.to_string()),
        dport: Some(dport.to_string()),
        sport: None,
        source: source.map(str::to_string),
        dest: None,
        description: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(rules: serde_json::Value, remaining: i64) -> FirewallState {
        serde_json::from_value(serde_json::json!({
            "available": true, "enabled": true, "rules": rules,
            "limits": {"maxRules": 2, "currentRules": 2 - remaining, "remainingRules": remaining},
        }))
        .unwrap()
    }

    #[test]
    fn adding_needs_room_and_an_open_gate() {
        let full = state(serde_json::json!([]), 0);
        let err = full.ensure_can_add().unwrap_err();
        assert!(
            err.to_string().contains("limits.remainingRules") && err.to_string().contains("all 2"),
            "{err}"
        );
        assert!(state(serde_json::json!([]), 1).ensure_can_add().is_ok());
        let mut gated = state(serde_json::json!([]), 1);
        gated.actions = serde_json::from_value(serde_json::json!(
            {"canAddRule": {"allowed": false, "reason": "Pending order.", "code": "pending_order"}}
        ))
        .unwrap();
        assert!(
            gated
                .ensure_can_add()
                .unwrap_err()
                .to_string()
                .contains("canAddRule is not allowed (pending_order)")
        );
    }

    #[test]
    fn only_editable_inbound_rules_are_written() {
        let rules = serde_json::json!([
            {"pos": 0, "type": "in", "action": "ACCEPT", "enabled": true, "editable": true},
            {"pos": 1, "type": "out", "action": "DROP", "enabled": true},
        ]);
        let s = state(rules, 0);
        assert!(s.ensure_editable(0).is_ok());
        assert!(s.ensure_editable(1).unwrap_err().to_string().contains("read-only (an out rule)"));
        assert!(matches!(s.ensure_editable(7), Err(Error::InvalidRequest(_))));
        assert!(s.has_allow_rule());
        let disabled = state(serde_json::json!([{"pos": 0, "action": "ACCEPT", "enabled": false}]), 1);
        assert!(!disabled.has_allow_rule());
    }
}
