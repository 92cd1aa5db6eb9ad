//! Reads of the devices area: the firewall (rules by position, switch and policy), disks and the
//! quota a new disk draws on, storage, and ISO media.

use hostup::DiskBudget;
use hostup::prelude::*;
use serde_json::{Value, json};

use super::{VPS_ID, redacted};
use crate::refusal::Refusal;
use crate::registry::ToolDef;
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let by_id = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::read(
            "list_firewall_rules",
            "The VPS's inbound firewall: `available`, `enabled`, the rules by position (`rules[].pos` \
             is what preview_firewall_rule_replace and _delete take; only `editable` inbound rules can \
             be written), `limits.remainingRules` and the gate `actions.canAddRule`. Read it before \
             any firewall preview; positions shift after a delete.",
            by_id("listVpsFirewallRules"),
            |client, args| async move {
                redacted(&client.list_vps_firewall_rules().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_firewall_options",
            "The firewall switch (`enabled`) and default `inboundPolicy` (ACCEPT, DROP, REJECT). An \
             enabled DROP or REJECT policy lets in only what an enabled ACCEPT rule allows.",
            by_id("getVpsFirewallOptions"),
            |client, args| async move {
                redacted(&client.get_vps_firewall_options().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_disks",
            "The VPS's disks: `disks[].id` (`vpsdisk_...`, what preview_disk_resize and \
             preview_disk_delete take), size, `bootOrder` (1 is the root disk, never deletable) and each \
             disk's gates `actions.canResize`/`canDetach`. get_disk_budget says how much a new disk \
             may take.",
            by_id("listVpsDisks"),
            |client, args| async move {
                let disks = client.list_vps_disks().id(args.string("id")?).send().await?.into_inner();
                let shown: Vec<Value> = disks.iter().map(redacted).collect::<Result<_, Refusal>>()?;
                Ok(json!({ "disks": shown }))
            },
        ),
        ToolDef::read(
            "get_disk_budget",
            "The quota a new disk (or a non-root disk's growth) draws on, by billing model: a \
             fixed-cycle VPS's purchased attachable pool (`attachable.availableGb`), a PAYG VPS's \
             account storage limit (`remaining.storageGb`, billed per GB-hour). Read it before \
             preview_disk_add.",
            by_id("getVpsDetails"),
            |client, args| async move { Ok(budget_json(&client.disk_budget(&args.string("id")?).await?)) },
        ),
        ToolDef::read(
            "get_storage",
            "The VPS's storage: its disks with capacity and use, as the storage page shows them.",
            by_id("getVpsStorage"),
            |client, args| async move {
                redacted(&client.get_vps_storage().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_storage_quota",
            "The VPS's storage budgets: the attachable pool (purchased, used, available GB) and the \
             main disk's limits.",
            by_id("getVpsStorageQuota"),
            |client, args| async move {
                redacted(&client.get_vps_storage_quota().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_iso_media",
            "The ISO library (`available[].id`, what preview_iso_mount takes), what is in each CD/DVD \
             drive (`mounted[]`, with its `device`), the drive slots, and the gates `actions.canMount`/\
             `canUpload`.",
            by_id("listVpsIsoMedia"),
            |client, args| async move {
                redacted(&client.list_vps_iso_media().id(args.string("id")?).send().await?.into_inner())
            },
        ),
    ]
}

/// A disk budget as the agent reads it.
pub fn budget_json(budget: &DiskBudget) -> Value {
    let mut shown = json!({ "quota": budget.quota(), "availableGb": budget.available_gb() });
    match budget {
        DiskBudget::Attachable { purchased_gb, .. } => {
            shown["billingModel"] = "fixed".into();
            shown["purchasedGb"] = json!(purchased_gb);
        }
        DiskBudget::PaygStorage { max_gb, .. } => {
            shown["billingModel"] = "payg".into();
            shown["maxGb"] = json!(max_gb);
        }
        _ => {}
    }
    shown
}
