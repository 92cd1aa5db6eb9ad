//! `hostup ssh-key list|add|rename|delete`, `hostup vps ssh-keys|password-login|hostname`, and the
//! dispatch of this area's `vps` commands.

use std::io::Read;
use std::time::Duration;

use futures::TryStreamExt;
use hostup::prelude::*;
use hostup::types::{ActionGate, OperationAccepted, SshKey};
use hostup::{Client, Confirmation as Confirmed, Destructive, WaitOptions};

use super::Session;
use crate::args::access::{HostnameAction, SshKey as Command, SshKeysAction, Switch, VpsAccess};
use crate::args::devices::Wait;
use crate::confirm::{Confirmation, Risk};
use crate::failure::Failure;
use crate::output::progress::Waiting;

/// `hostup vps ...` of this area.
pub async fn run_vps(client: &Client, session: &Session, command: &VpsAccess) -> Result<(), Failure> {
    match command {
        VpsAccess::SshKeys { id, action: None } => vps_keys(client, session, id).await,
        VpsAccess::SshKeys { id, action: Some(SshKeysAction::Reset { keys, wait }) } => {
            reset(client, session, id, keys, wait).await
        }
        VpsAccess::PasswordLogin { id, switch } => password_login(client, session, id, *switch).await,
        VpsAccess::Hostname { id, action } => hostname(client, session, id, action.as_ref()).await,
        VpsAccess::Network { id, action } => {
            super::network::network(client, session, id, action.as_ref()).await
        }
        VpsAccess::Rdns(command) => super::network::rdns(client, session, command).await,
        VpsAccess::Metrics { id, timeframe, series, json } => {
            super::network::metrics(client, session, id, *timeframe, series, *json).await
        }
    }
}

/// `hostup ssh-key ...`.
pub async fn run_keys(client: &Client, session: &Session, command: &Command) -> Result<(), Failure> {
    match command {
        Command::List => {
            let keys: Vec<SshKey> =
                client.ssh_key_stream(hostup::limits::LIST_SSH_KEYS_LIMIT_MAX).try_collect().await?;
            list(session, &keys, true)
        }
        Command::Add { name, file } => add(client, session, name, file).await,
        Command::Rename { id, name } => {
            let key = client.rename_account_ssh_key(id, name).await?;
            let fields = [("id", id.clone()), ("name", key.name.clone().unwrap_or_default())];
            session.printer.record(&key, &fields)
        }
        Command::Delete { id } => {
            let what = format!("delete SSH key {id}");
            let consequence = "it can no longer be installed on a VPS (VPSes holding it keep it until their keys are reset)";
            Confirmation { what: &what, consequence, risk: Risk::Destructive }.ask(session.yes)?;
            client.delete_account_ssh_key(id, Confirmed::destroys(id.clone())).await?;
            session.progress.note(&format!("deleted {id}"));
            Ok(())
        }
    }
}

fn gate_cell(gate: Option<&ActionGate>) -> String {
    match gate {
        None => "-".into(),
        Some(g) if g.allowed => "yes".into(),
        Some(g) => format!("no: {}", g.reason.as_deref().or(g.code.as_deref()).unwrap_or("refused")),
    }
}

fn list(session: &Session, keys: &[SshKey], account: bool) -> Result<(), Failure> {
    let headers = ["ID", "NAME", "TYPE", "FINGERPRINT", if account { "DELETABLE" } else { "LAST USED" }];
    session.printer.listing(&headers, keys, |k| {
        let last = if account {
            gate_cell(k.actions.as_ref().and_then(|a| a.can_delete.as_ref()))
        } else {
            k.last_used_at.clone().unwrap_or_else(|| "-".into())
        };
        let kind = k.key_type.as_ref().map_or("-".into(), |t| t.to_string());
        vec![k.id.clone(), k.name.clone(), kind, k.fingerprint.clone().unwrap_or_else(|| "-".into()), last]
    })
}

async fn add(client: &Client, session: &Session, name: &str, file: &str) -> Result<(), Failure> {
    let text = if file == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(file).map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?
    };
    let added = client.add_ssh_key(name, &text).await?;
    if added.server_agrees() == Some(false) {
        let theirs = added.key.fingerprint.clone().unwrap_or_default();
        return Err(Failure::Usage(format!(
            "{} was stored, but the server's fingerprint {theirs} is not the key's {}: check it, and delete it if it is wrong",
            added.key.id, added.fingerprint
        )));
    }
    let fields = [
        ("id", added.key.id.clone()),
        ("name", added.key.name.clone()),
        ("fingerprint", added.fingerprint.clone()),
    ];
    session.printer.record(&added.key, &fields)
}

async fn vps_keys(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let keys = client.list_vps_ssh_keys().id(id).send().await?.into_inner().ssh_keys;
    list(session, &keys, false)
}

async fn reset(
    client: &Client,
    session: &Session,
    id: &str,
    keys: &[String],
    wait: &Wait,
) -> Result<(), Failure> {
    let what = format!("replace the SSH keys of {id} with {}", keys.join(", "));
    let consequence = "keys not named lose access, and the VPS may restart to apply the new ones";
    Confirmation { what: &what, consequence, risk: Risk::Destructive }.ask(session.yes)?;
    let ids: Vec<&str> = keys.iter().map(String::as_str).collect();
    let reset = client.replace_vps_ssh_keys(id, &ids, Destructive::confirm(id)).await?;
    let mut status = reset.operation.as_ref().map_or("-".into(), |o| o.status.to_string());
    if wait.wait && !reset.is_finished() {
        let waiting = Waiting::start(session.progress, &format!("SSH key reset on {id}"));
        let options = WaitOptions::default()
            .with_max_wait(Duration::from_secs(wait.timeout))
            .on_progress(waiting.callback());
        let waited = reset.wait(client, options).await;
        waiting.finish();
        waited?;
        status = "completed".into();
    }
    let job = reset.operation.as_ref().map_or("-".into(), |o| format!("{} ({status})", o.job_id));
    // The API's answer as it came (`OperationAccepted`).
    let accepted = OperationAccepted { operation: reset.operation.clone() };
    session.printer.record(&accepted, &[("vps", id.to_string()), ("keys", keys.join(" ")), ("job", job)])
}

fn text(value: Option<impl ToString>) -> String {
    value.map_or("-".into(), |v| v.to_string())
}

async fn password_login(
    client: &Client,
    session: &Session,
    id: &str,
    switch: Option<Switch>,
) -> Result<(), Failure> {
    let Some(switch) = switch else {
        // One live read of the guest; never polled.
        let state = client.get_vps_ssh_password_login().id(id).send().await?.into_inner();
        let fields = [
            ("available", state.available.to_string()),
            ("enabled", text(state.enabled)),
            ("source", state.source.to_string()),
            ("passwordAuthentication", text(state.password_authentication.as_ref())),
            ("permitRootLogin", text(state.permit_root_login.as_ref())),
            ("enable", gate_cell(Some(&state.actions.can_enable))),
            ("disable", gate_cell(Some(&state.actions.can_disable))),
            ("reason", text(state.reason.as_ref())),
        ];
        return session.printer.record(&state, &fields);
    };
    let done = client.set_ssh_password_login(id, switch == Switch::Enable).await?;
    let verified = done.last_operation.verified;
    if !verified {
        let message = done.last_operation.message.clone().unwrap_or_default();
        session.progress.note(&format!("the guest did not confirm the change yet {message}"));
    }
    let fields =
        [("vps", id.to_string()), ("enabled", text(done.enabled)), ("verified", verified.to_string())];
    session.printer.record(&done, &fields)
}

async fn hostname(
    client: &Client,
    session: &Session,
    id: &str,
    action: Option<&HostnameAction>,
) -> Result<(), Failure> {
    let Some(HostnameAction::Set { name }) = action else {
        let state = client.get_vps_hostname().id(id).send().await?.into_inner();
        let fields = [
            ("hostname", text(state.hostname.as_ref())),
            ("change", gate_cell(Some(&state.actions.can_change))),
            ("rules", state.validation_rules.pattern_description.clone()),
        ];
        return session.printer.record(&state, &fields);
    };
    let done = client.set_hostname(id, name).await?;
    let protection = done.reverse_dns_protection.as_ref().map_or("-".into(), |p| p.status.to_string());
    let fields = [
        ("hostname", text(done.hostname.as_ref())),
        ("reboot recommended", done.reload_recommended.to_string()),
        ("reverse DNS", protection),
    ];
    session.printer.record(&done, &fields)
}
