//! Access writes as quotes: the hostname, a PTR record, account SSH keys (add, rename, delete), the keys
//! installed on a VPS (reset) and SSH password login. Each preview validates locally the way the
//! library does (the spec's hostname and domain rules, a public key parsed and fingerprinted) and
//! reads the gate; the commit calls the library's helper, which checks again before sending.

use futures::TryStreamExt;
use hostup::gates::{HostnameGate, PasswordLoginGate, SshKeyGate};
use hostup::prelude::*;
use hostup::types::{ReverseDnsName, SshKey, SshKeyName};
use hostup::{Action, Client, Confirmation, Destructive, Error, SshKeyLine};
use serde_json::{Value, json};

use super::{VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Preview, ToolDef};
use crate::schemas::{InputSchema, property_of};

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    let mut ip = property_of("UpdateRdnsRequest", "ip");
    ip["description"] = "An address of this VPS (get_network `interfaces[].ip[].ip`, or its id).".into();
    vec![
        ToolDef::preview(
            "preview_hostname_set",
            "Checks a new hostname (a fully qualified name: labels of letters, digits and hyphens, at \
             most 253 characters), the canChange gate and the server's own rules (get_hostname `validationRules`: its \
             pattern and maximum length) and \
             returns a quote with the current and new name and a token; `commit` sets it.",
            input("setVpsHostname"),
            hostname_set,
        ),
        ToolDef::preview(
            "preview_reverse_dns_set",
            "Checks that `ip` is an address of this VPS (get_network) and `rdns` a domain name, and \
             returns a quote with the current and new PTR record and a token; `commit` sets it.",
            input("getVpsNetwork").with("ip", ip, true).with(
                "rdns",
                property_of("UpdateRdnsRequest", "rdns"),
                true,
            ),
            reverse_dns_set,
        ),
        ToolDef::preview(
            "preview_ssh_key_add",
            "Checks an OpenSSH PUBLIC key line (the contents of a .pub file: a known type, a base64 \
             blob that matches it; never a private key) and returns a quote with its type and its \
             SHA-256 fingerprint as ssh-keygen -l prints it, and a token. `commit` adds it to the \
             account and says whether the server computed the same fingerprint.",
            InputSchema::of("createSshKey"),
            ssh_key_add,
        ),
        ToolDef::preview(
            "preview_ssh_key_delete",
            "DESTRUCTIVE: removes the account key `id` (`ssh_...` from list_ssh_keys). Checks its \
             canDelete gate and returns a quote with a token; `commit` deletes it. VPSes that hold the \
             key keep it until their keys are reset.",
            InputSchema::of("deleteSshKey"),
            ssh_key_delete,
        ),
        ToolDef::preview(
            "preview_vps_ssh_keys_reset",
            "DESTRUCTIVE: makes `keyIds` (ids from list_vps_ssh_keys) the only keys installed on the \
             VPS: every key not named loses access, and the VPS may restart to apply them. Checks the \
             canResetSshKeys gate and the ids, and returns a quote with a token; `commit` resets them.",
            input("resetVpsSshKeys"),
            ssh_keys_reset,
        ),
        ToolDef::preview(
            "preview_password_login",
            "Previews allowing (`enabled` true) or refusing (false) root password login over SSH; key \
             login keeps working. Reads the guest's live state ONCE (available, the canEnable/canDisable \
             gate, whether keys are configured): do not call it in a loop. Returns a quote with a \
             token; `commit` switches it and answers the state after (check lastOperation.verified).",
            input("setVpsSshPasswordLogin"),
            password_login,
        ),
        ToolDef::preview(
            "preview_ssh_key_rename",
            "Checks a new label `name` for the account key `id` (ssh_... from list_ssh_keys) and its \
             canRename gate, and returns a quote with the name now and after, and a token; `commit` \
             renames it. The key itself never changes.",
            InputSchema::of("renameSshKey")
                .describe("id", "The account key's id (ssh_...) from list_ssh_keys `data[].id`."),
            ssh_key_rename,
        ),
    ]
}

async fn hostname_set(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let name = args.string("hostname")?;
    hostup::hostname(&name)?;
    let state = client.get_vps_hostname().id(&id).send().await?.into_inner();
    HostnameGate::Change.check(&state.actions)?;
    // The server's own length and pattern, as the commit's helper checks them.
    state.ensure_accepts(&name)?;
    Ok(Preview {
        quote: json!({
            "vpsId": id, "now": state.hostname, "after": name,
            "rule": state.validation_rules.pattern_description,
        }),
        cost: None,
        warnings: Vec::new(),
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.set_hostname(&id, &name).await?) })
        }),
    })
}

async fn reverse_dns_set(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let ip = args.string("ip")?;
    let rdns = args.string("rdns")?;
    ReverseDnsName::try_from(rdns.as_str()).map_err(|e| Error::InvalidOption {
        key: "rdns".into(),
        reason: format!("{rdns:?} is not a domain name: {e}"),
    })?;
    let network = client.get_vps_network().id(&id).send().await?.into_inner();
    let Some(address) = network.address(&ip) else {
        let listed: Vec<&str> = network.addresses().filter_map(|a| a.ip.as_deref()).collect();
        return Err(Error::InvalidRequest(format!(
            "ip: {ip} is not an address of {id} (it has {listed:?}); see get_network"
        ))
        .into());
    };
    Ok(Preview {
        quote: json!({ "vpsId": id, "ip": ip, "now": address.rdns, "after": rdns }),
        cost: None,
        warnings: vec!["the PTR record should match a name that resolves to this address".into()],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.set_reverse_dns(&id, &ip, &rdns).await?) })
        }),
    })
}

async fn ssh_key_add(_client: Client, args: Args) -> Result<Preview, Refusal> {
    let name = args.string("name")?;
    let line = args.string("publicKey")?;
    SshKeyName::try_from(name.as_str()).map_err(|e| Error::InvalidOption {
        key: "name".into(),
        reason: format!("key name {name:?} is {e}"),
    })?;
    let key = SshKeyLine::parse(&line)?;
    Ok(Preview {
        quote: json!({
            "name": name, "algorithm": key.algorithm, "keyType": key.key_type,
            "fingerprint": key.fingerprint, "comment": key.comment,
        }),
        cost: None,
        warnings: vec![
            "compare the fingerprint with `ssh-keygen -l -f KEY.pub` on the owner's machine".into(),
        ],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let added = client.add_ssh_key(&name, &line).await?;
                Ok(json!({
                    "key": redacted(&added.key)?, "fingerprint": added.fingerprint,
                    "serverAgrees": added.server_agrees(),
                }))
            })
        }),
    })
}

/// The account key `key_id`, read through every page of the list.
async fn find_key(client: &Client, key_id: &str) -> Result<SshKey, Refusal> {
    let mut keys = client.ssh_key_stream(hostup::limits::LIST_SSH_KEYS_LIMIT_MAX);
    while let Some(key) = keys.try_next().await? {
        if key.id == key_id {
            return Ok(key);
        }
    }
    Err(Error::InvalidRequest(format!("no SSH key {key_id} on this account; see list_ssh_keys")).into())
}

async fn ssh_key_delete(client: Client, args: Args) -> Result<Preview, Refusal> {
    let key_id = args.string("id")?;
    let key = find_key(&client, &key_id).await?;
    if let Some(actions) = &key.actions {
        SshKeyGate::Delete.check(actions)?;
    }
    Ok(Preview {
        quote: json!({ "delete": redacted(&key)? }),
        cost: None,
        warnings: vec![
            "removes the key from the account for good (add it again to get it back); VPSes that hold it \
             keep it until their keys are reset"
                .into(),
        ],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                client.delete_account_ssh_key(&key_id, Confirmation::destroys(&key_id)).await?;
                Ok(json!({ "deleted": key_id }))
            })
        }),
    })
}

async fn ssh_key_rename(client: Client, args: Args) -> Result<Preview, Refusal> {
    let key_id = args.string("id")?;
    let name = args.string("name")?;
    SshKeyName::try_from(name.as_str()).map_err(|e| Error::InvalidOption {
        key: "name".into(),
        reason: format!("key name {name:?} is {e}"),
    })?;
    let key = find_key(&client, &key_id).await?;
    if let Some(actions) = &key.actions {
        SshKeyGate::Rename.check(actions)?;
    }
    Ok(Preview {
        quote: json!({ "id": key_id, "now": key.name, "after": name, "fingerprint": key.fingerprint }),
        cost: None,
        warnings: Vec::new(),
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.rename_account_ssh_key(&key_id, &name).await?) })
        }),
    })
}

async fn ssh_keys_reset(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let key_ids = args.opt::<Vec<String>>("keyIds")?.unwrap_or_default();
    if key_ids.is_empty() {
        return Err(Refusal::arguments("`keyIds`: name at least one account key to install"));
    }
    client.get_vps_details().id(&id).send().await?.into_inner().ensure_allowed(Action::ResetSshKeys)?;
    let offered = client.list_vps_ssh_keys().id(&id).send().await?.into_inner().ssh_keys;
    let unknown: Vec<&String> = key_ids.iter().filter(|k| !offered.iter().any(|o| &o.id == *k)).collect();
    if !unknown.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "keyIds: {unknown:?} are not keys of this account as {id} sees them; see list_vps_ssh_keys"
        ))
        .into());
    }
    let installed: Vec<Value> = offered
        .iter()
        .filter(|k| key_ids.contains(&k.id))
        .map(|k| json!({ "id": k.id, "fingerprint": k.fingerprint }))
        .collect();
    Ok(Preview {
        quote: json!({ "vpsId": id, "install": installed }),
        cost: None,
        warnings: vec![
            "every key not named loses SSH access to the VPS, and the VPS may restart to apply the keys"
                .into(),
        ],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                let ids: Vec<&str> = key_ids.iter().map(String::as_str).collect();
                let reset = client.replace_vps_ssh_keys(&id, &ids, Destructive::confirm(&id)).await?;
                let operation = reset.operation.as_ref().map(redacted).transpose()?;
                Ok(json!({
                    "vpsId": reset.vps_id, "finished": reset.is_finished(), "operation": operation,
                    "follow": if reset.is_finished() { None } else { Some("get_job with operation.jobId") },
                }))
            })
        }),
    })
}

async fn password_login(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let enabled = args.opt::<bool>("enabled")?.ok_or_else(|| Refusal::arguments("`enabled` is required"))?;
    // One live read of the guest: the docs ask not to query it more than needed.
    let state = client.get_vps_ssh_password_login().id(&id).send().await?.into_inner();
    if !state.available {
        let reason = state.reason.clone().unwrap_or_else(|| "the guest agent could not be asked".into());
        return Err(Refusal::new(
            "blocked",
            "guest_agent_unavailable",
            format!("{reason} (the VPS must run qemu-guest-agent)"),
            "Start the VPS (or install and start qemu-guest-agent in it), then preview once more; do not poll.",
        )
        .with_details(json!({ "gate": "available" })));
    }
    match enabled {
        true => PasswordLoginGate::Enable.check(&state.actions)?,
        false => PasswordLoginGate::Disable.check(&state.actions)?,
    }
    let mut warnings = Vec::new();
    let mut destructive = false;
    if enabled {
        warnings.push("root can log in over SSH with the root password: make sure it is strong".into());
    } else if !state.ssh_keys_configured {
        destructive = true;
        warnings.push(
            "no SSH key is configured in the guest: without password login nobody can log in over SSH".into(),
        );
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "now": state.enabled, "after": enabled, "sshKeysConfigured": state.ssh_keys_configured }),
        cost: None,
        warnings,
        destructive,
        commit: Box::new(move |client| {
            Box::pin(async move { redacted(&client.set_ssh_password_login(&id, enabled).await?) })
        }),
    })
}
