//! Resizes: CPU and memory of a PAYG Cloud VPS (disks grow in the disks module).

use serde_json::json;

use super::{Handler, Reply, ensure, find_mut, ok};
use crate::api::Call;
use crate::gates;
use crate::server::Shared;
use hostup::gates::Action;
use hostup::types::{PaygPreviousResources, PaygResizeRequest, PaygResizeResult, PaygResources};

pub(super) const HANDLERS: &[(&str, Handler)] = &[("resizePaygVps", payg)];

/// `POST actions/resize`: PAYG only (a fixed-cycle VPS answers 409 `not_payg`).
fn payg(shared: &Shared, call: &Call<'_>) -> Reply {
    // Bounds (1 to 32 cores, 1 to 256 GB) were checked against the spec.
    let request: PaygResizeRequest = call.body()?;
    let (cpu, memory) = (request.cpu_cores.get(), request.memory_gb.get());
    let mut state = shared.lock();
    let vps = find_mut(&mut state, call.param("id"))?;
    ensure(Action::Resize, gates::can_resize(vps), false)?;
    let previous = PaygPreviousResources {
        cpu_cores: Some(i64::from(vps.cpu)),
        memory_gb: Some(i64::from(vps.memory_gb)),
    };
    // The request's bounds were checked above, so these fit.
    (vps.cpu, vps.memory_gb) = (cpu as u32, memory as u32);
    let result = PaygResizeResult {
        resized: true,
        resources: PaygResources { cpu_cores: cpu as i64, memory_gb: memory as i64 },
        previous_resources: previous,
    };
    let mut body = json!(result);
    body["billing"] = json!({"amount": vps.amount(), "currencyCode": vps.currency, "isPayg": true});
    ok(&body)
}
