//! Network writes as quotes: moving an interface to another address (`change_ip`), taking an
//! address off (`remove_ip`) and deleting a non-primary interface. The previews read the VPS's interfaces and refuse what the library's helpers
//! refuse (an address or interface it does not have, the interface holding the main address); the
//! three are destructive (an address released, its PTR record with it) and commit through those
//! helpers with a typed confirmation.

use hostup::prelude::*;
use hostup::types::{ChangeIpRequest, NetworkState, RemoveIpRequest};
use hostup::{Client, Destructive, Error};
use serde_json::{Value, json};

use super::{VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Preview, ToolDef};
use crate::schemas::{InputSchema, component};

/// The VPS id, and the properties of a network change body (`action` set by the tool).
fn network_input(body: &str) -> InputSchema {
    let schema = component(body);
    let required: Vec<&str> =
        schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let mut input = InputSchema::of("getVpsNetwork").describe("id", VPS_ID);
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        if name != "action" {
            input = input.with(name, property.clone(), required.contains(&name.as_str()));
        }
    }
    input
}

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let interface = "An interface name from get_network `interfaces[].id` (net0, net1, ...).";
    vec![
        ToolDef::preview(
            "preview_ip_change",
            "DESTRUCTIVE: replaces the main IPv4 address of an interface (`interfaceName`, net0 when left \
             out) with a free address (`ipId` or `ipAddress`); the old one is released (and its PTR \
             record lost) unless reserveOldIp is true, and whatever reaches the VPS by it stops. Checks \
             the interface (get_network) and returns a quote with the address now and after, and a token; \
             `commit` changes it.",
            network_input("ChangeIpRequest").describe("interfaceName", interface),
            change_ip,
        ),
        ToolDef::preview(
            "preview_ip_remove",
            "DESTRUCTIVE: takes an address (`ipId` or `ipAddress`, from get_network `interfaces[].ip[]`) \
             off the VPS; `ipType` (ipv4, ipv6) is required. The main address is refused (move it with \
             preview_ip_change). Returns a quote showing the address, with a token; `commit` removes it.",
            network_input("RemoveIpRequest").describe("interfaceName", interface),
            remove_ip,
        ),
        ToolDef::preview(
            "preview_interface_delete",
            "DESTRUCTIVE: removes a non-primary interface `interfaceName` (get_network `interfaces[].id`) \
             and every address on it. The interface holding the main address is refused. Returns a quote \
             showing the interface, with a token; `commit` deletes it.",
            network_input("DeleteInterfaceRequest").describe("interfaceName", interface),
            delete_interface,
        ),
    ]
}

async fn network(client: &Client, id: &str) -> Result<NetworkState, Refusal> {
    Ok(client.get_vps_network().id(id).send().await?.into_inner())
}

/// The interface `name` as listed, or the refusal naming those the VPS has.
fn interface<'a>(
    network: &'a NetworkState,
    id: &str,
    name: &str,
) -> Result<&'a hostup::types::NetworkInterface, Refusal> {
    network.interfaces.iter().find(|i| i.id.as_deref() == Some(name)).ok_or_else(|| {
        let names: Vec<&str> = network.interfaces.iter().filter_map(|i| i.id.as_deref()).collect();
        Error::InvalidRequest(format!(
            "interfaceName: {id} has no interface {name:?} (it has {names:?}); see get_network"
        ))
        .into()
    })
}

/// `args` with the body's `action` set, read as the generated request type.
fn body<T: serde::de::DeserializeOwned>(args: &Args, action: &str) -> Result<T, Refusal> {
    let mut with_action = args.clone();
    with_action.0.insert("action".into(), action.into());
    with_action.body(&["id"])
}

async fn change_ip(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let change: ChangeIpRequest = body(&args, "change_ip")?;
    let Some(wanted) = change.ip_id.as_deref().or(change.ip_address.as_deref()).map(|ip| ip.to_string())
    else {
        return Err(Refusal::arguments("give `ipId` or `ipAddress`: the free address to move to"));
    };
    let state = network(&client, &id).await?;
    let name = change.interface_name.as_ref().map_or("net0".to_string(), |n| n.to_string());
    let on = interface(&state, &id, &name)?;
    let now = on.ip.iter().find(|a| a.main == Some(true)).or(on.ip.first());
    let now = now.map(redacted).transpose()?;
    let keep = change.reserve_old_ip == Some(true);
    let warning = if keep {
        "the old address is kept as a reserved address of the account; whatever reaches the VPS by it stops"
    } else {
        "the old address is released for good (its PTR record with it); whatever reaches the VPS by it stops"
    };
    Ok(Preview {
        quote: json!({ "vpsId": id, "interface": name, "now": now, "after": wanted, "reserveOldIp": keep }),
        cost: None,
        warnings: vec![warning.into()],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(
                async move { redacted(&client.change_ip(&id, change, Destructive::confirm(&id)).await?) },
            )
        }),
    })
}

async fn remove_ip(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let change: RemoveIpRequest = body(&args, "remove_ip")?;
    let Some(ip) = change.ip_id.as_deref().or(change.ip_address.as_deref()).map(|ip| ip.to_string()) else {
        return Err(Refusal::arguments("give `ipId` or `ipAddress`: the address to take off"));
    };
    let state = network(&client, &id).await?;
    let Some(address) = state.address(&ip) else {
        let listed: Vec<&str> = state.addresses().filter_map(|a| a.ip.as_deref()).collect();
        return Err(Error::InvalidRequest(format!(
            "ip: {ip} is not an address of {id} (it has {listed:?}); see get_network"
        ))
        .into());
    };
    if address.main == Some(true) {
        return Err(Refusal::new(
            "blocked",
            "primary_ip",
            format!("{ip} is the main address of {id}"),
            "Nothing was sent. Move the main address with preview_ip_change instead.",
        )
        .with_details(json!({ "gate": "main" })));
    }
    if let Some(name) = &change.interface_name {
        interface(&state, &id, name)?;
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "remove": redacted(address)? }),
        cost: None,
        warnings: vec![
            "the address goes back to the pool with its PTR record; whatever reaches the VPS by it stops"
                .into(),
        ],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(
                async move { redacted(&client.remove_ip(&id, change, Destructive::confirm(&id)).await?) },
            )
        }),
    })
}

async fn delete_interface(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let name = args.string("interfaceName")?;
    let state = network(&client, &id).await?;
    let on = interface(&state, &id, &name)?;
    if on.ip.iter().any(|a| a.main == Some(true)) {
        return Err(Refusal::new(
            "blocked",
            "primary_interface",
            format!("{name} holds the main address of {id}: only non-primary interfaces can be deleted"),
            "Nothing was sent. Pick another interface from get_network.",
        )
        .with_details(json!({ "gate": "main" })));
    }
    let shown = redacted(on)?;
    Ok(Preview {
        quote: json!({ "vpsId": id, "delete": shown }),
        cost: None,
        warnings: vec![format!("removes {name} and every address on it")],
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                redacted(&client.delete_interface(&id, &name, Destructive::confirm(&id)).await?)
            })
        }),
    })
}
