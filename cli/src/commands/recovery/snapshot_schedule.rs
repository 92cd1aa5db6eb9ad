//! `hostup vps snapshot-schedule show|set|delete`.

use hostup::Client;
use hostup::gates::SnapshotScheduleGate;
use hostup::limits::{
    SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MAX, SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MIN,
};
use hostup::prelude::*;
use hostup::types::SnapshotScheduleState;
use serde_json::json;

use super::{Session, confirm, gate_summary};
use crate::args::recovery::SnapshotSchedule;
use crate::confirm::Risk;
use crate::failure::Failure;
use crate::output::RedactedJson;

pub async fn run(client: &Client, session: &Session, command: &SnapshotSchedule) -> Result<(), Failure> {
    match command {
        SnapshotSchedule::Show(vps) => {
            let state = client.get_vps_snapshot_schedule().id(&vps.id).send().await?.into_inner();
            session.printer.record(&state, &fields(&vps.id, &state))
        }
        SnapshotSchedule::Set { vps, every, disabled } => {
            let change = client.set_snapshot_schedule(&vps.id, *every, !disabled).await?;
            if let Some(note) = change.note() {
                session.progress.note(&note);
            }
            session.printer.record(&change.state, &fields(&vps.id, &change.state))
        }
        SnapshotSchedule::Delete(vps) => {
            let what = format!("delete the snapshot schedule of {}", vps.id);
            confirm(session, &what, "no more snapshots are taken on schedule", Risk::Destructive)?;
            client.delete_vps_snapshot_schedule().id(&vps.id).send().await?;
            let answer = RedactedJson(json!({"vpsId": vps.id, "deleted": true}));
            session.printer.record(&answer, &[("vps", vps.id.clone()), ("schedule", "deleted".into())])
        }
    }
}

fn fields(id: &str, state: &SnapshotScheduleState) -> Vec<(&'static str, String)> {
    // The schedule's fields were never documented: shown as sent.
    let schedule = match &state.schedule {
        None => "none".to_string(),
        Some(map) => {
            let pairs: Vec<String> = map.iter().map(|(k, v)| format!("{k}={v}")).collect();
            pairs.join(" ")
        }
    };
    let mut out = vec![("vps", id.to_string()), ("schedule", schedule)];
    if let Some(available) = state.available {
        let reason = state.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
        out.push(("available", format!("{}{reason}", if available { "yes" } else { "no" })));
    }
    if let Some(total) = state.limits.as_ref().and_then(|l| l.total_snapshots) {
        out.push(("slots", total.to_string()));
    }
    if let Some(actions) = &state.actions {
        let gates = SnapshotScheduleGate::ALL.iter().map(|g| (g.gate_name(), g.gate(actions)));
        out.extend(gate_summary(gates).map(|g| ("gates", g)));
    }
    let (min, max) =
        (SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MIN, SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MAX);
    out.push(("interval", format!("every {min} to {max} hours")));
    out
}
