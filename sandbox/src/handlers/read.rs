//! The reads: the paginated list, one VPS in its three shapes, and the option and billing-cycle
//! offers.

use axum::extract::{Path, Query, State};
use serde_json::json;

use super::{Reply, Shared, find, ok};
use crate::problem::Fail;
use crate::views;
use hostup::types::VpsList;

const DEFAULT_PAGE: usize = 20;
const MAX_PAGE: usize = 100;
/// Cursors hide the offset behind a mask: opaque to clients, cheap to check.
const CURSOR_MASK: u32 = 0x5bd1_e995;

fn encode_cursor(offset: usize) -> String {
    format!("c{:08x}", offset as u32 ^ CURSOR_MASK)
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let hex = cursor.strip_prefix('c').filter(|h| h.len() == 8)?;
    u32::from_str_radix(hex, 16).ok().map(|n| (n ^ CURSOR_MASK) as usize)
}

fn bad_cursor() -> Fail {
    Fail::new(
        axum::http::StatusCode::BAD_REQUEST,
        "invalid_cursor",
        "Validation failed",
        "The cursor is malformed.",
    )
}

/// `GET /api/v2/vps`: `limit`, `cursor`, `name` (case-insensitive), `primaryIp`,
/// `include=pendingMaintenance`.
pub(super) async fn list(State(shared): State<Shared>, Query(query): Query<Vec<(String, String)>>) -> Reply {
    let (mut limit, mut cursor, mut maintenance) = (DEFAULT_PAGE, None, false);
    let (mut name, mut primary_ip) = (None, None);
    for (key, value) in &query {
        match key.as_str() {
            "limit" => {
                limit = value.parse().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                    Fail::invalid(
                        "/limit",
                        "out_of_range",
                        format!("`limit` must be 1 to {MAX_PAGE}, not {value:?}."),
                    )
                })?;
            }
            "cursor" => cursor = Some(decode_cursor(value).ok_or_else(bad_cursor)?),
            "include" => {
                for item in value.split(',') {
                    if item != "pendingMaintenance" {
                        return Err(Fail::invalid(
                            "/include",
                            "invalid_value",
                            format!("Unknown include {item:?}."),
                        ));
                    }
                    maintenance = true;
                }
            }
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

/// `GET /api/v2/vps/{id}`: the summary, with overdue invoices.
pub(super) async fn summary(State(shared): State<Shared>, Path(id): Path<String>) -> Reply {
    ok(&views::summary(find(&shared.lock(), &id)?, false, true))
}

/// `GET /api/v2/vps/{id}/details`.
pub(super) async fn details(State(shared): State<Shared>, Path(id): Path<String>) -> Reply {
    ok(&views::details(find(&shared.lock(), &id)?))
}

/// `GET /api/v2/vps/{id}/status`, with the power job in flight as a pending task.
pub(super) async fn status(State(shared): State<Shared>, Path(id): Path<String>) -> Reply {
    let state = shared.lock();
    let vps = find(&state, &id)?;
    let pending = vps
        .job
        .as_ref()
        .and_then(|id| state.jobs.get(id))
        .map(|job| json!([{"jobId": job.id, "type": job.verb.name(), "status": "in_progress"}]));
    ok(&views::status(vps, pending))
}

/// `GET /api/v2/vps/{id}/actions/upgrade`.
pub(super) async fn upgrade_options(State(shared): State<Shared>, Path(id): Path<String>) -> Reply {
    ok(&views::upgrade_options(find(&shared.lock(), &id)?))
}

/// `GET /api/v2/vps/{id}/actions/billing-cycle`.
pub(super) async fn billing_cycle(State(shared): State<Shared>, Path(id): Path<String>) -> Reply {
    ok(&views::billing_options(find(&shared.lock(), &id)?))
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
