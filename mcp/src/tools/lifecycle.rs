//! Reads of the provisioning and lifecycle area: PAYG deployment options and limits, templates,
//! conversion eligibility, cancellations, maintenance, the public catalogue and orders.

use super::{VPS_ID, redacted};
use crate::registry::ToolDef;
use crate::schemas::InputSchema;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let by_id = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    vec![
        ToolDef::read(
            "get_payg_options",
            "What a new PAYG Cloud VPS may be, account-wide (no VPS id): `available` and \
             `actions.canDeploy` (with `access.blockerReasons` when the account may not deploy: \
             verification, Cloud access, a card), the hourly `pricing` (per core, per GB of memory and \
             storage, per IP), the default sizes, the account's per-resource min/max and the `regions` \
             (their `id` is preview_payg_deploy's `region`). Read it, and get_payg_limits, before \
             preview_payg_deploy.",
            InputSchema::of("getPaygDeploymentOptions"),
            |client, _args| async move {
                redacted(&client.get_payg_deployment_options().send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_payg_limits",
            "The account's PAYG quota (no VPS id): `current` use, `max` ceilings and `remaining` \
             headroom for cpuCores, memoryGb, storageGb and instanceCount, the hourly rates, and limit \
             requests still open. A deployment or a PAYG disk larger than `remaining` is refused \
             (quota_exceeded, naming the key); only a limit request (preview_payg_limit_request, reviewed \
             by support) raises it.",
            InputSchema::of("getPaygLimits"),
            |client, _args| async move { redacted(&client.get_payg_limits().send().await?.into_inner()) },
        ),
        ToolDef::read(
            "list_templates",
            "The OS templates this VPS can be rebuilt with: `data[].id` (or its `name`) is what \
             preview_rebuild takes; read `licensingNotice` before choosing a licensed one.",
            by_id("listVpsTemplates"),
            |client, args| async move {
                redacted(&client.list_vps_templates().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "get_conversion_eligibility",
            "Whether a fixed-cycle VPS may convert to PAYG Cloud billing: `available`, the \
             `currentBillingModel`, `blockerReasons` (has_unpaid_invoice, the quota ones, ...) and the \
             prepaid-time warning. Read it before preview_convert_to_cloud.",
            by_id("getCloudConversionEligibility"),
            |client, args| async move {
                redacted(
                    &client
                        .get_cloud_conversion_eligibility()
                        .id(args.string("id")?)
                        .send()
                        .await?
                        .into_inner(),
                )
            },
        ),
        ToolDef::read(
            "get_cancellation",
            "The VPS's cancellation: `status` (`none` means there is none, not an error; pending, \
             scheduled, completed, revoked), `cancelType`, `scheduledAt` and `revokable` (only then \
             can preview_cancellation_revoke withdraw it). Check it before preview_cancellation.",
            by_id("getVpsCancellation"),
            |client, args| async move {
                redacted(&client.get_vps_cancellation().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_cancellations",
            "Every current cancellation of the account (no VPS id; not paginated), each with its \
             service type and state.",
            InputSchema::of("listCancellations"),
            |client, _args| async move { redacted(&client.list_cancellations().send().await?.into_inner()) },
        ),
        ToolDef::read(
            "get_maintenance",
            "Maintenance queued for the VPS: `hasPendingMaintenance` and `pendingChanges` with their \
             deadlines (`deadline.id` is preview_maintenance_extend's `deadlineId`) and how often each may \
             still be postponed.",
            by_id("getVpsMaintenance"),
            |client, args| async move {
                redacted(&client.get_vps_maintenance().id(args.string("id")?).send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_products",
            "The public VPS catalogue, one page at a time: plans by `slug` with their resources and \
             prices per currency and billing cycle (the slugs preview_plan_change takes come from \
             get_upgrade_options, for one VPS). Pass `nextCursor` back as `cursor` for the next page.",
            InputSchema::of("listVpsProducts"),
            |client, args| async move {
                let mut request = client.list_vps_products();
                if let Some(limit) = args.opt::<u64>("limit")? {
                    request = request.limit(limit);
                }
                if let Some(cursor) = args.opt_string("cursor")? {
                    request = request.cursor(cursor);
                }
                if let Some(locale) = args.opt_string("locale")? {
                    request = request.locale(locale);
                }
                redacted(&request.send().await?.into_inner())
            },
        ),
        ToolDef::read(
            "list_orders",
            "The account's orders, one page at a time (`data[].id` is get_order's and \
             preview_order_cancel's id, `status` pending means unpaid); pass `nextCursor` back as \
             `cursor`.",
            InputSchema::of("listOrders"),
            |client, args| async move {
                let mut request = client.list_orders();
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
            "get_order",
            "One order by its id (`ord_...` from list_orders or an invoice): items, status, invoice.",
            InputSchema::of("getOrder"),
            |client, args| async move {
                redacted(&client.get_order().id(args.string("id")?).send().await?.into_inner())
            },
        ),
    ]
}
