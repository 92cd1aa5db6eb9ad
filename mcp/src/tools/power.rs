//! Power actions as quotes: the preview checks the action's gate on the VPS's details, the commit
//! sends the action once (the library checks the gate again) and answers the operation to follow.

use hostup::prelude::*;
use hostup::{Client, PowerAction};
use serde_json::{Value, json};

use super::{VPS_ID, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Preview, ToolDef};
use crate::schemas::InputSchema;

/// The actions by the name the tool takes, with what each does to the guest.
const ACTIONS: [(&str, PowerAction, &str); 6] = [
    ("start", PowerAction::Start, "boots a stopped VPS"),
    ("shutdown", PowerAction::Shutdown, "powers off gracefully through the guest"),
    ("stop", PowerAction::Stop, "forces power off, like pulling the plug: unsaved data in the guest is lost"),
    ("restart", PowerAction::Restart, "reboots gracefully through the guest"),
    (
        "force_restart",
        PowerAction::ForceRestart,
        "reboots, forced if the guest does not respond: unsaved data may be lost",
    ),
    ("reset", PowerAction::Reset, "hard-resets, like pressing reset: unsaved data in the guest is lost"),
];

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let names: Vec<Value> = ACTIONS.iter().map(|(name, ..)| Value::from(*name)).collect();
    let action = json!({
        "type": "string",
        "enum": names,
        "description": "start, shutdown (graceful), stop (forced), restart (graceful), force_restart, reset (hard).",
    });
    vec![ToolDef::preview(
        "preview_power_action",
        "Checks whether a power action is allowed now (its gate on get_vps_details) and returns a quote \
         saying what it will do, with a token; nothing is sent until `commit` is given `commitWith`. \
         The commit answers the operation; follow it with get_vps_status.",
        InputSchema::of("getVpsStatus").describe("id", VPS_ID).with("action", action, true),
        preview_power,
    )]
}

async fn preview_power(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let name = args.string("action")?;
    let Some((_, action, effect)) = ACTIONS.iter().find(|(n, ..)| *n == name) else {
        let known: Vec<&str> = ACTIONS.iter().map(|(n, ..)| *n).collect();
        return Err(Refusal::arguments(format!("unknown action {name:?}; one of {known:?}")));
    };
    let vps = client.get_vps_details().id(&id).send().await?.into_inner();
    vps.ensure_allowed(action.gate())?;
    let action = *action;
    let now = json!({ "powerState": vps.power_state, "serviceStatus": vps.service_status });
    Ok(Preview {
        quote: json!({ "vpsId": id, "action": name, "effect": effect, "gate": action.gate().gate_name(), "now": now }),
        cost: None,
        warnings: if action.reboots() || matches!(action, PowerAction::Stop) {
            vec![format!("{name} {effect}")]
        } else {
            Vec::new()
        },
        destructive: matches!(action, PowerAction::Stop | PowerAction::ForceRestart | PowerAction::Reset),
        commit: Box::new(move |client| {
            Box::pin(async move {
                let operation = client.power(&id, action).await?;
                let shown = match operation.operation() {
                    Some(op) => redacted(op)?,
                    None => Value::Null,
                };
                Ok(json!({ "vpsId": id, "action": name, "operation": shown }))
            })
        }),
    })
}
