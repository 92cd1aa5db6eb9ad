//! Account SSH keys (cursor pages, add with the fingerprint computed, rename, delete), the keys of
//! a VPS and their reset (a restart applies them, as on the legacy twin), SSH password login and
//! the hostname. Every refusal is a gate the matching read shows.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::{Handler, Reply, ensure, find, find_mut, ok, reply};
use crate::access::Key;
use crate::api::Call;
use crate::gates::{self, gate_object};
use crate::model::{PowerVerb, Vps};
use crate::problem::Fail;
use crate::server::Shared;
use crate::views::iso;
use hostup::SshKeyLine;
use hostup::gates::{Action, HostnameGate, PasswordLoginGate, SshKeyGate};
use hostup::types::{
    ActionGate, HostnameChangeRequest, PowerState, SshKeyCreateRequest, SshKeyRenameRequest,
    SshKeyResetRequest, SshPasswordLoginRequest,
};

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listSshKeys", list_keys),
    ("createSshKey", create_key),
    ("renameSshKey", rename_key),
    ("deleteSshKey", delete_key),
    ("listVpsSshKeys", vps_keys),
    ("resetVpsSshKeys", reset_keys),
    ("getVpsSshPasswordLogin", password_login),
    ("setVpsSshPasswordLogin", set_password_login),
    ("getVpsHostname", hostname),
    ("setVpsHostname", set_hostname),
];

fn allow() -> ActionGate {
    ActionGate { allowed: true, reason: None, code: None }
}

fn deny(reason: &str, code: &str) -> ActionGate {
    ActionGate { allowed: false, reason: Some(reason.into()), code: Some(code.into()) }
}

fn key_json(key: &Key, vps_scoped: bool) -> Value {
    let mut value = json!({
        "id": key.id, "displayId": key.name, "name": key.name, "publicKey": key.parsed.line,
        "fingerprint": key.parsed.fingerprint, "keyType": key.parsed.key_type, "createdAt": iso(key.created),
    });
    if vps_scoped {
        value["lastUsedAt"] = Value::Null;
    } else {
        let delete = key.in_use.map_or_else(allow, |(reason, code)| deny(reason, code));
        value["actions"] = gate_object([(SshKeyGate::Rename, allow()), (SshKeyGate::Delete, delete)]);
    }
    value
}

fn list_keys(shared: &Shared, call: &Call<'_>) -> Reply {
    let query = |name: &str| call.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let limit = query("limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(20);
    let start = match query("cursor") {
        None => 0,
        Some(cursor) => cursor.strip_prefix("keys:").and_then(|n| n.parse().ok()).ok_or_else(|| {
            Fail::new(
                StatusCode::BAD_REQUEST,
                hostup::ErrorCode::InvalidCursor.as_str(),
                "Invalid cursor",
                "The cursor was not issued here.",
            )
        })?,
    };
    let state = shared.lock();
    let keys = &state.access.keys;
    let page: Vec<Value> = keys.iter().skip(start).take(limit).map(|k| key_json(k, false)).collect();
    let next = (start + limit < keys.len()).then(|| format!("keys:{}", start + limit));
    ok(&json!({"data": page, "nextCursor": next}))
}

fn create_key(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: SshKeyCreateRequest = call.body()?;
    let parsed = SshKeyLine::parse(&request.public_key)
        .map_err(|e| Fail::invalid("/publicKey", "invalid_value", e.to_string()))?;
    let mut state = shared.lock();
    if let Some(existing) = state.access.keys.iter().find(|k| k.parsed.fingerprint == parsed.fingerprint) {
        return Err(Fail::conflict(
            "ssh_key_exists",
            "SSH key exists",
            format!("This key is already on the account as {} ({}).", existing.id, existing.name),
        ));
    }
    let key = Key {
        id: shared.ids.public("ssh_"),
        name: request.name.to_string(),
        parsed,
        created: shared.faults.now(),
        in_use: None,
    };
    let body = key_json(&key, false);
    state.access.keys.push(key);
    Ok(reply(StatusCode::CREATED, &body))
}

fn known<'a>(keys: &'a mut [Key], id: &str) -> Result<&'a mut Key, Fail> {
    keys.iter_mut()
        .find(|k| k.id == id)
        .ok_or_else(|| Fail::not_found(format!("No SSH key {id:?} on this account.")))
}

fn rename_key(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: SshKeyRenameRequest = call.body()?;
    let mut state = shared.lock();
    let key = known(&mut state.access.keys, call.param("id"))?;
    key.name = request.name.to_string();
    ok(&key_json(key, false))
}

fn delete_key(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.lock();
    let key = known(&mut state.access.keys, call.param("id"))?;
    if let Some((reason, code)) = key.in_use {
        ensure(SshKeyGate::Delete, deny(reason, code), false)?;
    }
    let id = key.id.clone();
    state.access.keys.retain(|k| k.id != id);
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn vps_keys(shared: &Shared, _call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let keys: Vec<Value> = state.access.keys.iter().map(|k| key_json(k, true)).collect();
    ok(&json!({"sshKeys": keys}))
}

fn reset_keys(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: SshKeyResetRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    ensure(Action::ResetSshKeys, gates::actions(find(&state, id)?).can_reset_ssh_keys, false)?;
    let mut lines = Vec::new();
    for (n, key_id) in request.key_ids.iter().enumerate() {
        match state.access.key(key_id) {
            Some(key) => lines.push(key.parsed.line.clone()),
            None => {
                return Err(Fail::invalid(
                    &format!("/keyIds/{n}"),
                    "invalid_value",
                    format!("No SSH key {key_id:?}."),
                ));
            }
        }
    }
    let running = find(&state, id)?.power == PowerState::Running;
    find_mut(&mut state, id)?.ssh_keys = lines;
    let job_id = shared.ids.public("job_");
    // Applied by a restart when the VPS runs; a stopped VPS picks the keys up at its next boot.
    let status = if running { "queued" } else { "completed" };
    if running {
        state.begin_power(id, PowerVerb::Restart, job_id.clone(), shared.job_duration);
    }
    let operation =
        json!({"status": status, "jobId": job_id, "pollUrl": format!("/api/jobs/{job_id}"), "result": null});
    Ok(reply(StatusCode::ACCEPTED, &json!({"operation": operation})))
}

/// The guest agent answers only while the VPS runs.
fn guest_gate(vps: &Vps) -> ActionGate {
    match gates::account_blocker(vps) {
        Some(blocked) => blocked,
        None if vps.power != PowerState::Running => {
            deny("The guest agent is not responding.", "guest_agent_unavailable")
        }
        None => allow(),
    }
}

fn password_json(shared: &Shared, vps: &Vps) -> Value {
    let state_enabled = shared.lock().access.password_login.get(&vps.id).copied().unwrap_or(false);
    let available = vps.power == PowerState::Running;
    let gate = guest_gate(vps);
    let word = |on: bool| if on { "yes" } else { "no" };
    json!({
        "available": available,
        "enabled": available.then_some(state_enabled),
        "reason": (!available).then_some("The guest agent is not responding."),
        "passwordAuthentication": available.then_some(word(state_enabled)),
        "permitRootLogin": available.then_some(if state_enabled { "yes" } else { "prohibit-password" }),
        "source": if available { "effective_sshd_config" } else { "unavailable" },
        "sshKeysConfigured": !vps.ssh_keys.is_empty(),
        "sshKeys": vps.ssh_keys,
        "actions": gate_object([(PasswordLoginGate::Enable, &gate), (PasswordLoginGate::Disable, &gate)]),
    })
}

fn password_login(shared: &Shared, call: &Call<'_>) -> Reply {
    let vps = find(&shared.lock(), call.param("id"))?.clone();
    ok(&password_json(shared, &vps))
}

fn set_password_login(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: SshPasswordLoginRequest = call.body()?;
    let vps = find(&shared.lock(), call.param("id"))?.clone();
    let gate = if request.enabled { PasswordLoginGate::Enable } else { PasswordLoginGate::Disable };
    ensure(gate, guest_gate(&vps), false)?;
    shared.lock().access.password_login.insert(vps.id.clone(), request.enabled);
    let mut body = password_json(shared, &vps);
    body["lastOperation"] = json!({"requestedEnabled": request.enabled, "verified": true, "message": null});
    ok(&body)
}

fn hostname_json(vps: &Vps) -> Value {
    let gate = match gates::account_blocker(vps) {
        Some(blocked) => blocked,
        None if vps.power != PowerState::Running => {
            deny("VM must be running to change hostname", "vps_not_running")
        }
        None => allow(),
    };
    json!({
        "hostname": vps.hostname, "reloadRecommended": false, "accountInactive": gates::account_blocker(vps).is_some(),
        "accountStatus": vps.service, "cacheCleared": true,
        "actions": gate_object([(HostnameGate::Change, json!({"allowed": gate.allowed, "reason": gate.reason, "code": gate.code}))]),
        "validationRules": {
            "maxLengthChars": 253,
            "pattern": r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$",
            "patternDescription": "Valid FQDN: labels 1-63 chars, alphanumeric with hyphens, no leading/trailing hyphens.",
        },
    })
}

fn hostname(shared: &Shared, call: &Call<'_>) -> Reply {
    ok(&hostname_json(find(&shared.lock(), call.param("id"))?))
}

fn set_hostname(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: HostnameChangeRequest = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    let gate: ActionGate = serde_json::from_value(
        hostname_json(find(&state, id)?)["actions"][HostnameGate::Change.gate_name()].clone(),
    )
    .unwrap_or_else(|_| allow());
    ensure(HostnameGate::Change, gate, false)?;
    let monitored =
        state.access.interfaces(id).iter().flat_map(|i| &i.addresses).filter(|a| a.rdns.is_some()).count();
    let vps = find_mut(&mut state, id)?;
    vps.hostname = request.hostname.to_lowercase();
    let mut body = hostname_json(vps);
    body["reloadRecommended"] = json!(true);
    body["hostnameNormalized"] = json!(request.hostname.as_str() != vps.hostname);
    body["serviceRecordSynced"] = json!(true);
    body["reverseDnsProtection"] = json!({"status": "not_changed", "monitoredIpCount": monitored, "changesDetected": 0, "restoredIps": []});
    ok(&body)
}
