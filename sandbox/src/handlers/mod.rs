//! The spec's routes, and what their handlers share: finding the VPS, reading a JSON body as
//! strictly as the API does, answering JSON, and refusing what a gate refuses.

mod billing;
mod legacy;
mod power;
mod read;
mod resize;

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::model::{State, Vps};
use super::problem::{Fail, field, pointer_token};
use super::server;
use hostup::types::ActionGate;

/// The handlers' state.
type Shared = Arc<server::Shared>;

/// What a handler returns; a [`Fail`] is rendered by the server.
type Reply = Result<Response, Fail>;

/// Every operation of the spec.
pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/api/v2/vps", get(read::list))
        .route("/api/v2/vps/{id}", get(read::summary))
        .route("/api/v2/vps/{id}/details", get(read::details))
        .route("/api/v2/vps/{id}/status", get(read::status))
        .route("/api/v2/vps/{id}/actions/upgrade", get(read::upgrade_options).post(billing::upgrade))
        .route("/api/v2/vps/{id}/actions/billing-cycle", get(read::billing_cycle).post(billing::change_cycle))
        .route("/api/v2/vps/{id}/actions/config", post(billing::configure))
        .route("/api/v2/vps/{id}/actions/renew", post(billing::renew))
        .route("/api/v2/vps/{id}/actions/resize", post(resize::payg))
        .route("/api/v2/vps/{id}/actions/resize-disk", post(resize::disk))
        .route("/api/v2/vps/{id}/actions/start", post(power::start))
        .route("/api/v2/vps/{id}/actions/stop", post(power::stop))
        .route("/api/v2/vps/{id}/actions/shutdown", post(power::shutdown))
        .route("/api/v2/vps/{id}/actions/restart", post(power::restart))
        .route("/api/v2/vps/{id}/actions/reset", post(power::reset))
        .route("/api/jobs/{job_id}", get(power::job))
        .route("/api/vm/{vmid}/details", get(legacy::details))
        .route("/api/vm/{vmid}/status", post(legacy::power))
        .fallback(|| async { Fail::not_found("No such route.") })
        .with_state(shared)
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

/// Reads a JSON object body. Members outside `fields` are refused, as the API refuses unknown
/// fields; `required` members must be present. An empty body counts as `{}`.
fn parse<T: DeserializeOwned>(body: &Bytes, fields: &[&str], required: &[&str]) -> Result<T, Fail> {
    let value: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| Fail::invalid("", "invalid_json", format!("The body is not valid JSON: {e}.")))?
    };
    let Some(object) = value.as_object() else {
        return Err(Fail::invalid("", "invalid_type", "The body must be a JSON object."));
    };
    let mut errors = Vec::new();
    for key in object.keys().filter(|k| !fields.contains(&k.as_str())) {
        let detail = format!("`{key}` is not accepted here (accepted: {}).", fields.join(", "));
        errors.push(field(&format!("/{}", pointer_token(key)), "unknown_field", detail));
    }
    for key in required.iter().filter(|k| !object.contains_key(**k)) {
        errors.push(field(&format!("/{key}"), "missing_required", format!("`{key}` is required.")));
    }
    if !errors.is_empty() {
        return Err(Fail::invalid_fields(errors));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer: String =
            e.path().iter().map(|s| format!("/{}", pointer_token(&s.to_string()))).collect();
        Fail::invalid(&pointer, "invalid_value", e.inner().to_string())
    })
}

/// The 409 for an action its gate refuses. Power actions answer `vps_not_ready`; other actions
/// answer the gate's own code (`not_payg`, `payg_service`, `pending_order`, ...). Either way the
/// gate travels in the extensions.
fn refused(gate_name: &str, gate: &ActionGate, power: bool) -> Fail {
    let gate_code = gate.code.as_deref().unwrap_or("action_not_allowed");
    let code = if power || gate_code == "operation_in_progress" { "vps_not_ready" } else { gate_code };
    let detail = gate.reason.clone().unwrap_or_else(|| format!("{gate_name} is not allowed now."));
    Fail::conflict(code, "Action not allowed", detail).with("gate", gate_name).with("gateCode", gate_code)
}

/// `Ok` when the gate allows the action.
fn ensure(gate_name: &str, gate: ActionGate, power: bool) -> Result<(), Fail> {
    if gate.allowed { Ok(()) } else { Err(refused(gate_name, &gate, power)) }
}
