//! `hostup vps firewall|disk|iso ID ...`: the firewall, disks and ISO media of one VPS, each a
//! few library calls (`DevicesExt`) and a print.

mod disks;
mod firewall;
mod iso;

use std::time::Duration;

use hostup::{Client, Destructive, DeviceChange, WaitOptions};

use super::Session;
use crate::args::devices::{Devices, Wait};
use crate::confirm::{Confirmation, Risk};
use crate::failure::Failure;
use crate::output::progress::Waiting;

/// Runs one firewall, disk or ISO command.
pub async fn run(client: &Client, session: &Session, command: &Devices) -> Result<(), Failure> {
    match command {
        Devices::Firewall { id, action } => firewall::run(client, session, id, action).await,
        Devices::Disk { id, action } => disks::run(client, session, id, action).await,
        Devices::Iso { id, action } => iso::run(client, session, id, action).await,
    }
}

/// Asks (on a terminal) or needs `--yes`, then gives the library's typed confirmation.
fn confirmed(session: &Session, id: &str, what: &str, consequence: &str) -> Result<Destructive, Failure> {
    let what = format!("{what} on {id}");
    Confirmation { what: &what, consequence, risk: Risk::Destructive }.ask(session.yes)?;
    Ok(Destructive::confirm(id))
}

/// Prints a change the server accepted, after waiting for it with `--wait`.
async fn finish(
    client: &Client,
    session: &Session,
    change: DeviceChange,
    wait: &Wait,
) -> Result<(), Failure> {
    let mut state = if change.is_finished() { "done" } else { "accepted" };
    if wait.wait && !change.is_finished() {
        let waiting = Waiting::start(session.progress, &format!("{} on {}", change.work, change.vps_id));
        let options = WaitOptions::default()
            .with_max_wait(Duration::from_secs(wait.timeout))
            .on_progress(waiting.callback());
        let waited = change.wait(client, options).await;
        waiting.finish();
        waited?;
        state = "done";
    }
    let job = change.operation.as_ref().map_or("-".to_string(), |o| o.job_id.clone());
    let fields = [
        ("vps", change.vps_id.clone()),
        ("change", change.work.to_string()),
        ("status", state.to_string()),
        ("job", job),
    ];
    session.printer.record(&crate::output::RedactedJson(change.answer.clone()), &fields)
}

/// A gate as a table cell: `yes`, or `no: reason (code)`.
fn gate_cell(gate: Option<&hostup::types::ActionGate>) -> String {
    match gate {
        None => "-".into(),
        Some(g) if g.allowed => "yes".into(),
        Some(g) => {
            let code = g.code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
            format!("no: {}{code}", g.reason.as_deref().unwrap_or("no reason given"))
        }
    }
}

/// `-` for nothing.
fn text(value: Option<&str>) -> String {
    value.filter(|s| !s.is_empty()).unwrap_or("-").to_string()
}
