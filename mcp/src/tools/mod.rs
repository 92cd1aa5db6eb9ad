//! The tools, one file per area. Each file's `tools()` lists its tools; `registry::all_tools`
//! names each area once.

pub mod changes;
pub mod commit;
pub mod power;
pub mod recovery;
pub mod recovery_writes;
pub mod vps;

use hostup::redact::Redact;
use serde::Serialize;
use serde_json::Value;

use crate::refusal::Refusal;

/// How every tool describes the VPS id it takes.
pub const VPS_ID: &str = "The VPS id (vps_...) from list_vps `data[].id`. Never built by hand.";

/// A generated response as JSON, with the spec's secret fields redacted.
pub fn redacted<T: Redact + Serialize>(value: &T) -> Result<Value, Refusal> {
    hostup::redact::to_redacted_json(value).map_err(|e| {
        Refusal::new("internal", "encode_failed", format!("cannot encode the answer: {e}"), "Try again.")
    })
}
