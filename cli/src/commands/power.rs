//! `hostup vps start|shutdown|stop|restart|reset`, on one VPS or many.

use std::time::{Duration, Instant};

use hostup::prelude::*;
use hostup::{Client, PowerAction, PowerOperation, WaitOptions};
use serde_json::Value;

use super::Session;
use crate::args::Power;
use crate::bulk::{self, Selection, Target};
use crate::confirm::{Confirmation, Risk};
use crate::failure::Failure;
use crate::output::progress::{Mode, Tally, Waiting};
use crate::output::{RedactedJson, redacted};

/// What an action costs when it is destructive: cutting power or rebooting without asking the
/// guest loses whatever it had not written. Start, graceful shutdown and graceful restart let
/// the guest shut down cleanly, so they are not asked about.
fn consequence(action: PowerAction) -> Option<&'static str> {
    match action {
        PowerAction::Stop => Some("power is cut without a shutdown: unsaved data is lost"),
        PowerAction::Reset => Some("a hard reboot without a shutdown: unsaved data is lost"),
        PowerAction::ForceRestart => {
            Some("a guest that does not respond is rebooted by force: unsaved data may be lost")
        }
        _ => None,
    }
}

/// `start`, `forced restart`, ...
fn action_name(action: PowerAction) -> &'static str {
    match action {
        PowerAction::Start => "start",
        PowerAction::Shutdown => "shutdown",
        PowerAction::Stop => "stop",
        PowerAction::Restart => "restart",
        PowerAction::ForceRestart => "forced restart",
        PowerAction::Reset => "reset",
        _ => "power action",
    }
}

fn describe(targets: &[Target]) -> String {
    const SHOWN: usize = 5;
    let ids: Vec<&str> = targets.iter().take(SHOWN).map(|t| t.id.as_str()).collect();
    let more = targets.len().saturating_sub(SHOWN);
    let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
    format!("{} VPSes ({}{tail})", targets.len(), ids.join(", "))
}

/// Runs a power action on the VPSes the command line names.
pub async fn run(
    client: &Client,
    session: &Session,
    power: &Power,
    action: PowerAction,
) -> Result<(), Failure> {
    let selection = bulk::select(client, &power.targets).await?;
    let name = action_name(action);
    if let Some(consequence) = consequence(action) {
        let what = match &selection {
            Selection::One(id) => format!("{name} {id}"),
            Selection::Many(targets) => format!("{name} {}", describe(targets)),
        };
        Confirmation { what: &what, consequence, risk: Risk::Destructive }.ask(session.yes)?;
    }
    let max_wait = Duration::from_secs(power.timeout);
    match selection {
        Selection::One(id) => one(client, session, &id, action, power.wait.then_some(max_wait)).await,
        Selection::Many(targets) => {
            let tally = Tally::start(session.progress, name, targets.len());
            let outcomes = bulk::each(&targets, &tally, |id| async move {
                let started = Instant::now();
                let op = client.power(&id, action).await?;
                if !power.wait {
                    return Ok((operation_json(&op), accepted_text(&op)));
                }
                let status = op.wait(client, WaitOptions::default().with_max_wait(max_wait)).await?;
                let state = status.power_state.as_ref().map_or("unknown".into(), |s| s.to_string());
                let summary = format!("{state} after {:.1}s", started.elapsed().as_secs_f64());
                Ok((redacted(&status), summary))
            })
            .await;
            tally.finish();
            bulk::report(&session.printer, session.progress, &outcomes)
        }
    }
}

/// The spec's `Operation` the server returned (null when it returned none).
fn operation_json(op: &PowerOperation) -> RedactedJson {
    op.operation().map_or(RedactedJson(Value::Null), redacted)
}

fn accepted_text(op: &PowerOperation) -> String {
    let job = op.operation().map_or("-", |o| o.job_id.as_str());
    format!("accepted (job {job})")
}

async fn one(
    client: &Client,
    session: &Session,
    id: &str,
    action: PowerAction,
    wait: Option<Duration>,
) -> Result<(), Failure> {
    let started = Instant::now();
    let op = client.power(id, action).await?;
    let name = action_name(action);
    let job = op.operation().map_or("-".to_string(), |o| o.job_id.clone());
    let Some(max_wait) = wait else {
        let fields = [
            ("vps", id.to_string()),
            ("action", name.to_string()),
            ("job", job),
            ("status", "accepted".into()),
        ];
        return session.printer.record(&operation_json(&op), &fields);
    };
    let waiting = Waiting::start(session.progress, &format!("{name} of {id}"));
    let options = WaitOptions::default().with_max_wait(max_wait).on_progress(waiting.callback());
    let waited = op.wait(client, options).await;
    waiting.finish();
    let status = waited?;
    let state = status.power_state.as_ref().map_or("unknown".into(), |s| s.to_string());
    let took = format!("{:.1}s", started.elapsed().as_secs_f64());
    if session.progress == Mode::Lines {
        session.progress.note(&format!("{name} of {id} done after {took}"));
    }
    let fields = [
        ("vps", id.to_string()),
        ("action", name.to_string()),
        ("job", job),
        ("power", state),
        ("took", took),
    ];
    session.printer.record(&status, &fields)
}
