//! The hand-written part of the sandbox: state that a flow needs, plugged in per resource. Each
//! module lists the operations it answers in a `HANDLERS` table keyed by operationId; every other
//! operation of the spec is answered from the spec's examples. Before any of them runs, the server
//! has routed, authenticated and validated the request against the spec, and [`dispatch`] has
//! checked that the VPS a `VpsId` parameter names exists.
//!
//! A new stateful resource (snapshots, keys, disks, ...) is a module with its state in
//! [`State`](crate::model::State) and its `HANDLERS`, added to [`TABLES`].

mod access;
mod backups;
mod billing;
mod disks;
mod firewall;
mod iso;
mod legacy;
mod lifecycle;
mod network;
mod orders;
mod payg;
mod power;
mod read;
mod recovery_jobs;
mod resize;
mod snapshots;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::api::{Call, fill};
use super::gates::GateName;
use super::model::{State, Vps};
use super::problem::Fail;
use super::server::Shared;
use hostup::ErrorCode;
use hostup::types::ActionGate;

/// What a handler returns; a [`Fail`] is rendered by the server.
type Reply = Result<Response, Fail>;

/// One operation's hand-written answer.
pub(crate) type Handler = fn(&Shared, &Call<'_>) -> Reply;

/// The stateful operations, per resource.
const TABLES: [&[(&str, Handler)]; 16] = [
    read::HANDLERS,
    power::HANDLERS,
    billing::HANDLERS,
    resize::HANDLERS,
    legacy::HANDLERS,
    snapshots::HANDLERS,
    backups::HANDLERS,
    recovery_jobs::HANDLERS,
    access::HANDLERS,
    network::HANDLERS,
    payg::HANDLERS,
    lifecycle::HANDLERS,
    orders::HANDLERS,
    firewall::HANDLERS,
    disks::HANDLERS,
    iso::HANDLERS,
];

/// The component of the path parameter that names a VPS of the fleet.
const VPS_PARAM: &str = "VpsId";

/// The hand-written handler of an operation, if it has one.
pub(crate) fn handler(operation_id: &str) -> Option<Handler> {
    TABLES.iter().flat_map(|t| t.iter()).find(|(id, _)| *id == operation_id).map(|(_, h)| *h)
}

/// Answers a checked request: its handler, or the spec's example.
pub(crate) fn dispatch(shared: &Shared, call: &Call<'_>) -> Reply {
    for param in call.op.params.iter().filter(|p| p.component.as_deref() == Some(VPS_PARAM)) {
        find(&shared.lock(), call.param(&param.name))?;
    }
    match handler(&call.op.id) {
        Some(handler) => handler(shared, call),
        None => from_spec(call),
    }
}

/// The operation's documented success answer, with the request's path parameters in place of
/// their examples.
fn from_spec(call: &Call<'_>) -> Reply {
    let Some(success) = &call.op.success else {
        return Err(Fail::new(
            StatusCode::NOT_IMPLEMENTED,
            "not_implemented",
            "Not implemented",
            "The spec documents no success answer.",
        ));
    };
    let status = StatusCode::from_u16(success.status).unwrap_or(StatusCode::OK);
    let Some(mut body) = success.body.clone() else { return Ok(status.into_response()) };
    let replacements: Vec<_> = call
        .op
        .params
        .iter()
        .filter_map(|p| Some((p.example.as_ref()?, call.param(&p.name))))
        .filter(|(_, actual)| !actual.is_empty())
        .collect();
    fill(&mut body, &replacements);
    let mut response = reply(status, &body);
    if let Some(kind) = success.content_type.as_deref().and_then(|t| HeaderValue::from_str(t).ok()) {
        response.headers_mut().insert(header::CONTENT_TYPE, kind);
    }
    Ok(response)
}

/// A JSON answer.
fn reply<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, Json(body)).into_response()
}

/// A 200 JSON answer.
fn ok<T: Serialize>(body: &T) -> Reply {
    Ok(reply(StatusCode::OK, body))
}

fn find<'a>(state: &'a State, id: &str) -> Result<&'a Vps, Fail> {
    state.vps(id).ok_or_else(|| Fail::vps_not_found(id))
}

fn find_mut<'a>(state: &'a mut State, id: &str) -> Result<&'a mut Vps, Fail> {
    state.vps_mut(id).ok_or_else(|| Fail::vps_not_found(id))
}

/// The 409 for an action its gate refuses. Power actions answer `vps_not_ready`; other actions
/// answer the gate's own code (`not_payg`, `payg_service`, `pending_order`, ...). Either way the
/// gate travels in the extensions.
fn refused(gate_name: impl GateName, gate: &ActionGate, power: bool) -> Fail {
    let gate_name = gate_name.wire();
    let gate_code = gate.code.as_deref().unwrap_or("action_not_allowed");
    let not_ready = ErrorCode::VpsNotReady.as_str();
    let code = if power || gate_code == "operation_in_progress" { not_ready } else { gate_code };
    let detail = gate.reason.clone().unwrap_or_else(|| format!("{gate_name} is not allowed now."));
    Fail::conflict(code, "Action not allowed", detail).with("gate", gate_name).with("gateCode", gate_code)
}

/// `Ok` when the gate allows the action.
fn ensure(gate_name: impl GateName, gate: ActionGate, power: bool) -> Result<(), Fail> {
    if gate.allowed { Ok(()) } else { Err(refused(gate_name, &gate, power)) }
}
