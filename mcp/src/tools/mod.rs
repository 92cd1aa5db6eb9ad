//! The tools, one file per area. Each file's `tools()` lists its tools; `registry::all_tools`
//! names each area once.

pub mod access;
pub mod access_writes;
pub mod account_writes;
pub mod changes;
pub mod commit;
pub mod devices;
pub mod disks;
pub mod firewall;
pub mod iso_writes;
pub mod lifecycle;
pub mod lifecycle_writes;
pub mod network_writes;
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

/// Hours a month of PAYG use is counted as (8,760 / 12), for the monthly estimates of previews:
/// HostUp bills PAYG by the hour and the spending ceiling counts recurring amounts per month.
pub const PAYG_HOURS_PER_MONTH: f64 = 730.0;

/// A device change the server accepted, as the agent follows it.
pub fn device_change(change: &hostup::DeviceChange) -> Result<Value, Refusal> {
    let operation = change.operation.as_ref().map(redacted).transpose()?;
    Ok(serde_json::json!({
        "vpsId": change.vps_id,
        "work": change.work.to_string(),
        "httpStatus": change.status,
        "finished": change.is_finished(),
        "operation": operation,
        "answer": change.answer,
        "follow": if change.is_finished() { None } else { Some("get_job with operation.jobId") },
    }))
}

/// A cost per month of a PAYG resource used all month, at an hourly rate.
pub fn payg_monthly(hourly: f64, currency: &str) -> crate::registry::Cost {
    let monthly = (hourly * PAYG_HOURS_PER_MONTH * 100.0).round() / 100.0;
    crate::registry::Cost {
        recurring_increase: monthly,
        recurring: Some(monthly),
        due_now: None,
        currency: currency.to_string(),
    }
}
