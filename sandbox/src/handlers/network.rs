//! Network state and its one POST (PTR records, free subnets, assigning, changing and removing
//! addresses, deleting interfaces), and the metrics series drawn from the seed.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Handler, Reply, ensure, find, find_mut, ok};
use crate::access::{Access, Address, Interface};
use crate::api::Call;
use crate::gates;
use crate::problem::Fail;
use crate::server::Shared;
use hostup::types::NetworkChangeRequest as Change;

pub(super) const HANDLERS: &[(&str, Handler)] =
    &[("getVpsNetwork", network), ("changeVpsNetwork", change), ("getVpsMetrics", metrics)];

fn address_json(a: &Address) -> Value {
    json!({
        "id": a.id, "type": if a.ipv6 { "ipv6" } else { "ipv4" }, "ip": a.ip, "mask": a.mask,
        "gateway": a.gateway, "main": a.main, "rdns": a.rdns,
    })
}

fn interface_json(i: &Interface) -> Value {
    let addresses: Vec<Value> = i.addresses.iter().map(address_json).collect();
    json!({
        "id": i.name, "model": "virtio", "mac": i.mac, "bridge": if i.vlan.is_some() { "vmbr1" } else { "vmbr0" },
        "vlan": i.vlan, "firewallEnabled": true, "linkDown": false, "ip": addresses,
    })
}

fn network(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let interfaces: Vec<Value> =
        state.access.interfaces(call.param("id")).iter().map(interface_json).collect();
    ok(&json!({"interfaces": interfaces}))
}

fn no_address(ip: &str) -> Fail {
    Fail::new(
        StatusCode::NOT_FOUND,
        "ip_not_found",
        "Address not found",
        format!("{ip} is not an address of this VPS."),
    )
}

fn no_interface(name: &str) -> Fail {
    Fail::new(
        StatusCode::NOT_FOUND,
        "interface_not_found",
        "Interface not found",
        format!("No interface {name:?}."),
    )
}

/// Takes the free address `ip` (an address or its id) out of the pool.
fn take_free(access: &mut Access, ip: &str) -> Result<Address, Fail> {
    let at = access.free.iter().position(|a| a.ip == ip || a.id == ip).ok_or_else(|| {
        Fail::new(
            StatusCode::CONFLICT,
            "ip_not_available",
            "Address not available",
            format!("{ip} is not free to assign."),
        )
    })?;
    Ok(access.free.remove(at))
}

fn interface_index(access: &Access, vps_id: &str, name: Option<&str>) -> Result<usize, Fail> {
    let name = name.unwrap_or("net0");
    access.interfaces(vps_id).iter().position(|i| i.name == name).ok_or_else(|| no_interface(name))
}

fn change(shared: &Shared, call: &Call<'_>) -> Reply {
    let request: Change = call.body()?;
    let id = call.param("id");
    let mut state = shared.lock();
    let vps = find(&state, id)?;
    if !matches!(request, Change::AvailableSubnetsRequest(_))
        && let Some(blocked) = gates::account_blocker(vps)
    {
        ensure(gates::OwnGate::Network, blocked, false)?;
    }
    let access = &mut state.access;
    let done = json!({"success": true});
    let interfaces = access.interfaces.entry(id.to_string()).or_default();
    match request {
        Change::UpdateRdnsRequest(r) => {
            let found =
                interfaces.iter_mut().flat_map(|i| &mut i.addresses).find(|a| a.ip == *r.ip || a.id == *r.ip);
            found.ok_or_else(|| no_address(&r.ip))?.rdns = Some(r.rdns.to_string());
            ok(&done)
        }
        Change::AvailableSubnetsRequest(r) => {
            let ipv6 = r.ip_type.to_string() == "ipv6";
            let ips: Vec<Value> = access
                .free
                .iter()
                .filter(|a| a.ipv6 == ipv6)
                .map(|a| json!({"id": a.id, "ip": a.ip}))
                .collect();
            let subnet = json!({"id": "subnet_public_v4", "parentCidr": "203.0.113.0/24", "ips": ips});
            ok(&json!({"subnets": if ips.is_empty() { vec![] } else { vec![subnet] }}))
        }
        Change::AssignIpRequest(r) => {
            let address = take_free(access, &r.ip_id)?;
            access.interfaces.entry(id.to_string()).or_default()[0].addresses.push(address);
            ok(&done)
        }
        Change::ChangeIpRequest(r) => {
            let wanted = r.ip_id.as_deref().or(r.ip_address.as_deref()).ok_or_else(|| {
                Fail::invalid("/ipId", "missing_required", "change_ip needs ipId or ipAddress.")
            })?;
            let at = interface_index(access, id, r.interface_name.as_deref().map(String::as_str))?;
            let mut new = take_free(access, wanted)?;
            let iface = &mut access.interfaces.get_mut(id).expect("checked above")[at];
            let slot = iface.addresses.iter().position(|a| !a.ipv6 && a.main).unwrap_or(0);
            new.main = iface.addresses.get(slot).is_some_and(|a| a.main);
            new.gateway = iface.addresses.get(slot).and_then(|a| a.gateway.clone());
            let old = std::mem::replace(&mut iface.addresses[slot], new.clone());
            let keep = if r.reserve_old_ip == Some(true) { &mut access.reserved } else { &mut access.free };
            keep.push(Address { main: false, rdns: None, ..old });
            if new.main {
                find_mut(&mut state, id)?.ipv4 = new.ip;
            }
            ok(&done)
        }
        Change::RemoveIpRequest(r) => {
            let ip = r.ip_id.as_deref().or(r.ip_address.as_deref()).map_or("", String::as_str);
            let (i, a) = access.find_address(id, ip).ok_or_else(|| no_address(ip))?;
            let iface = &mut access.interfaces.get_mut(id).expect("found above")[i];
            if iface.addresses[a].main {
                let detail = format!("{ip} is the main address; change it with change_ip instead.");
                return Err(Fail::conflict("primary_ip", "Main address", detail));
            }
            let removed = iface.addresses.remove(a);
            access.free.push(Address { rdns: None, ..removed });
            ok(&done)
        }
        Change::DeleteInterfaceRequest(r) => {
            let at = interface_index(access, id, Some(&r.interface_name))?;
            let list = access.interfaces.get_mut(id).expect("checked above");
            if list[at].addresses.iter().any(|a| a.main) {
                let detail = format!("{} is the primary interface.", r.interface_name.as_str());
                return Err(Fail::conflict("primary_interface", "Primary interface", detail));
            }
            list.remove(at);
            ok(&done)
        }
    }
}

/// The window's step and sample count.
fn window(timeframe: &str) -> (Duration, u64, &'static str) {
    match timeframe {
        "day" => (Duration::from_secs(900), 96, "day"),
        "week" => (Duration::from_secs(3600), 168, "week"),
        "month" => (Duration::from_secs(6 * 3600), 120, "month"),
        "year" => (Duration::from_secs(86_400), 365, "year"),
        _ => (Duration::from_secs(60), 60, "hour"),
    }
}

fn metrics(shared: &Shared, call: &Call<'_>) -> Reply {
    let timeframe = call.query.iter().find(|(k, _)| k == "timeframe").map_or("hour", |(_, v)| v.as_str());
    let (step, count, canonical) = window(timeframe);
    let state = shared.lock();
    let vps = find(&state, call.param("id"))?;
    let samples = state.access.metrics(vps, step, count, shared.faults.now());
    ok(&json!({"id": vps.id, "timeframe": canonical, "samples": samples}))
}
