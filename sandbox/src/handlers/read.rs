//! The reads: the paginated list, one VPS in its three shapes, and the option and billing-cycle
//! offers.

use serde_json::json;

use super::{Handler, Reply, find, ok};
use crate::api::Call;
use crate::problem::Fail;
use crate::server::Shared;
use crate::views;
use hostup::types::VpsList;

pub(super) const HANDLERS: &[(&str, Handler)] = &[
    ("listVps", list),
    ("getVps", |shared, call| ok(&views::summary(find(&shared.lock(), call.param("id"))?, false, true))),
    ("getVpsDetails", details),
    ("getVpsStatus", status),
    ("getVpsUpgradeOptions", |shared, call| {
        ok(&views::upgrade_options(find(&shared.lock(), call.param("id"))?))
    }),
    ("getVpsBillingCycle", |shared, call| {
        ok(&views::billing_options(find(&shared.lock(), call.param("id"))?))
    }),
];

const DEFAULT_PAGE: usize = 20;
/// Cursors hide the offset behind a mask: opaque to clients, cheap to check.
const CURSOR_MASK: u32 = 0x5bd1_e995;

pub(super) fn encode_cursor(offset: usize) -> String {
    format!("c{:08x}", offset as u32 ^ CURSOR_MASK)
}

pub(super) fn decode_cursor(cursor: &str) -> Option<usize> {
    let hex = cursor.strip_prefix('c').filter(|h| h.len() == 8)?;
    u32::from_str_radix(hex, 16).ok().map(|n| (n ^ CURSOR_MASK) as usize)
}

pub(super) fn bad_cursor() -> Fail {
    Fail::new(
        axum::http::StatusCode::BAD_REQUEST,
        hostup::ErrorCode::InvalidCursor.as_str(),
        "Validation failed",
        "The cursor is malformed.",
    )
}

/// `GET /api/v2/vps`: `limit`, `cursor`, `name` (case-insensitive), `primaryIp`,
/// `include=pendingMaintenance` (their types and ranges already checked against the spec).
fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let (mut limit, mut cursor, mut maintenance) = (DEFAULT_PAGE, None, false);
    let (mut name, mut primary_ip) = (None, None);
    for (key, value) in &call.query {
        match key.as_str() {
            "limit" => limit = value.parse().unwrap_or(DEFAULT_PAGE),
            "cursor" => cursor = Some(decode_cursor(value).ok_or_else(bad_cursor)?),
            "include" => maintenance |= value == "pendingMaintenance",
            "name" => name = Some(value.clone()),
            "primaryIp" => primary_ip = Some(value.clone()),
            _ => {}
        }
    }
    let state = shared.lock();
    let matches: Vec<_> = state
        .fleet
        .iter()
        .filter(|v| name.as_ref().is_none_or(|n| v.name.eq_ignore_ascii_case(n)))
        .filter(|v| primary_ip.as_ref().is_none_or(|ip| &v.ipv4 == ip))
        .collect();
    let start = cursor.unwrap_or(0);
    if start > matches.len() {
        return Err(bad_cursor());
    }
    let end = (start + limit).min(matches.len());
    let page = VpsList {
        data: matches[start..end].iter().map(|v| views::summary(v, maintenance, false)).collect(),
        next_cursor: (end < matches.len()).then(|| encode_cursor(end)),
        has_more: None,
    };
    ok(&page)
}

/// `/details`, with the gates of creating and ending VPSes read from the account too.
fn details(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let vps = find(&state, call.param("id"))?;
    let mut details = views::details(vps);
    crate::lifecycle_gates::amend(&state, vps, &mut details.actions);
    ok(&details)
}

/// `GET /api/v2/vps/{id}/status`, with the power job in flight as a pending task.
fn status(shared: &Shared, call: &Call<'_>) -> Reply {
    let state = shared.lock();
    let vps = find(&state, call.param("id"))?;
    let pending = vps
        .job
        .as_ref()
        .and_then(|id| state.jobs.get(id))
        .map(|job| json!([{"jobId": job.id, "type": job.verb.name(), "status": "in_progress"}]));
    ok(&views::status(vps, pending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(3)), Some(3));
        assert_eq!(decode_cursor("c123"), None);
        assert_eq!(decode_cursor("nope"), None);
    }
}
