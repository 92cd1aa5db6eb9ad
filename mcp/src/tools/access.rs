//! Reads of the access area: account SSH keys, the keys a VPS sees, SSH password login (a live
//! read of the guest), the hostname, the network with its PTR records, and usage metrics.

use hostup::prelude::*;
use hostup::types::MetricsTimeframe;
use serde_json::json;

use super::{VPS_ID, redacted};
use crate::registry::ToolDef;
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let by_id = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::read(
            "list_ssh_keys",
            "The account's SSH keys, one page at a time (no VPS id): `data[].id` (`ssh_...`, what \
             preview_ssh_key_delete and preview_vps_ssh_keys_reset take), name, type, fingerprint and \
             the gates `actions.canDelete`/`canRename` with their reasons. Pass `nextCursor` back as \
             `cursor` for the next page.",
            InputSchema::of("listSshKeys"),
            |client, args| async move {
                let mut request = client.list_ssh_keys();
                if let Some(limit) = args.opt::<u64>("limit")? {
                    request = request.limit(limit);
                }
                if let Some(cursor) = args.opt_string("cursor")? {
                    request = request.cursor(cursor);
                }
                redacted(&request.send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_vps_ssh_keys",
            "The account keys as this VPS sees them (`sshKeys[].id`): the ids preview_vps_ssh_keys_reset \
             may install on it.",
            by_id("listVpsSshKeys"),
            |client, args| async move {
                redacted(&client.list_vps_ssh_keys().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_password_login",
            "Whether root password login over SSH is on, read LIVE from the guest through its agent \
             (`enabled`, `passwordAuthentication`, `permitRootLogin`, the gates `actions.canEnable`/\
             `canDisable`). Each call queries the running guest: call it once when you need it, never \
             in a loop, and not to follow a change (the switch's answer carries the state after it). \
             `available: false` means the guest agent did not answer (a stopped VPS, no \
             qemu-guest-agent).",
            by_id("getVpsSshPasswordLogin"),
            |client, args| async move {
                redacted(
                    &client.get_vps_ssh_password_login().id(args.string("id")?).send().await?.into_inner(),
                )
            },
        ),
        ToolDef::read(
            "get_hostname",
            "The VPS's hostname, its gate `actions.canChange` and the server's `validationRules` \
             (pattern, maximum length): read them before preview_hostname_set.",
            by_id("getVpsHostname"),
            |client, args| async move {
                redacted(&client.get_vps_hostname().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_network",
            "The VPS's interfaces and their addresses (`interfaces[].ip[]`: ip, id, main, gateway and \
             the PTR record `rdns`). preview_reverse_dns_set takes one of these addresses.",
            by_id("getVpsNetwork"),
            |client, args| async move {
                redacted(&client.get_vps_network().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_metrics",
            "The VPS's usage series over `timeframe` (hour when left out; day, week, month, year): \
             samples in time order with CPU and memory percent, disk MB/s and network kB/s. A stopped \
             VPS reports zeros.",
            by_id("getVpsMetrics"),
            |client, args| async move {
                let id = args.string("id")?;
                let timeframe = args.opt::<MetricsTimeframe>("timeframe")?.unwrap_or(MetricsTimeframe::Hour);
                let metrics = client.vps_metrics(&id, timeframe).await?;
                let count = metrics.samples.len();
                let mut shown = redacted(&metrics)?;
                shown["sampleCount"] = json!(count);
                Ok(shown)
            },
        ),
    ]
}
