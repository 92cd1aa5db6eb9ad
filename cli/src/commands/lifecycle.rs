//! `hostup vps create|rebuild|templates|convert-to-cloud|cancel|cancellation|maintenance`: each a
//! library helper (which checks gates, blockers and bounds before sending) and a print.

use std::time::Duration;

use hostup::prelude::*;
use hostup::types::{CancelType, VpsCancellation, VpsDetails};
use hostup::{CancelRequest, Client, Confirmation as Destroys, PaygDeploy, WaitOptions};

use super::Session;
use crate::args::lifecycle::{CancelWhen, CancellationAction, Create, MaintenanceAction, VpsLifecycle};
use crate::confirm::{Confirmation, Risk};
use crate::failure::Failure;
use crate::output::money;
use crate::output::progress::{Mode, Waiting};

/// Runs one of this area's `vps` subcommands.
pub async fn run(client: &Client, session: &Session, command: &VpsLifecycle) -> Result<(), Failure> {
    match command {
        VpsLifecycle::Create(create) => self::create(client, session, create).await,
        VpsLifecycle::Rebuild { id, template, timeout } => {
            rebuild(client, session, id, template, *timeout).await
        }
        VpsLifecycle::Templates { id } => templates(client, session, id).await,
        VpsLifecycle::ConvertToCloud { id, check } => convert(client, session, id, *check).await,
        VpsLifecycle::Cancel { id, when, reason, other_reason } => {
            let kind = match when {
                CancelWhen::Immediate => CancelType::Immediate,
                CancelWhen::EndOfPeriod => CancelType::EndOfPeriod,
            };
            let mut request = CancelRequest::new(kind, reason);
            if let Some(text) = other_reason {
                request = request.other_reason(text);
            }
            cancel(client, session, id, &request).await
        }
        VpsLifecycle::Cancellation { id, action } => cancellation(client, session, id, action.as_ref()).await,
        VpsLifecycle::Maintenance { id, action } => maintenance(client, session, id, action.as_ref()).await,
    }
}

/// Waits up to `seconds`, showing progress for `what`.
fn waiting(session: &Session, what: &str, seconds: u64) -> (Waiting, WaitOptions) {
    let waiting = Waiting::start(session.progress, what);
    let options =
        WaitOptions::default().with_max_wait(Duration::from_secs(seconds)).on_progress(waiting.callback());
    (waiting, options)
}

fn text(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).filter(|s| !s.is_empty()).unwrap_or_else(|| "-".into())
}

fn created_fields(vps: &VpsDetails) -> Vec<(&'static str, String)> {
    let cost = vps
        .monthly_cost()
        .map_or("-".into(), |c| format!("{} per month (estimate)", money(c.amount, &c.currency)));
    vec![
        ("id", vps.id.clone()),
        ("hostname", text(vps.hostname.as_ref())),
        ("power", text(vps.power_state.as_ref())),
        (
            "resources",
            format!("{} vCPU, {} GB memory, {} GB storage", vps.cpu_cores, vps.memory_gb, vps.storage_gb),
        ),
        ("ipv4", text(vps.ipv4.as_ref())),
        ("cost", cost),
    ]
}

/// `vps create`: checks, creates once; with `--wait`, follows it until it runs.
async fn create(client: &Client, session: &Session, args: &Create) -> Result<(), Failure> {
    let (cpu, memory, storage) = match (args.cpu, args.memory, args.storage) {
        (Some(c), Some(m), Some(s)) => (c, m, s),
        _ => {
            let options = client.get_payg_deployment_options().send().await?.into_inner();
            let d = options.defaults.resources;
            let pick = |given: Option<u64>, default: Option<i64>, name: &str| {
                given.or(default.and_then(|d| u64::try_from(d).ok())).ok_or_else(|| {
                    Failure::Usage(format!("the account has no default {name}: give --{name}"))
                })
            };
            (
                pick(args.cpu, Some(d.cpu_cores), "cpu")?,
                pick(args.memory, d.memory_gb, "memory")?,
                pick(args.storage, d.storage_gb, "storage")?,
            )
        }
    };
    let mut request = PaygDeploy::new(&args.name, cpu, memory, storage);
    if let Some(region) = &args.region {
        request = request.region(region);
    }
    if !args.wait {
        let created = client.create_payg(&request).await?;
        session.progress.note(&format!(
            "{} is provisioning; `hostup vps show {}` follows it",
            created.vps_id, created.vps_id
        ));
        let fields = [
            ("id", created.vps_id.clone()),
            ("status", created.status.to_string()),
            ("order", text(created.order_id.as_ref())),
        ];
        return session.printer.record(&created, &fields);
    }
    let started = std::time::Instant::now();
    let (progress, options) = waiting(session, &format!("creating {}", args.name), args.timeout);
    let vps = client.deploy_payg(&request, options).await;
    progress.finish();
    let vps = vps?;
    if session.progress == Mode::Lines {
        session.progress.note(&format!("{} runs after {:.1}s", args.name, started.elapsed().as_secs_f64()));
    }
    session.printer.record(&vps, &created_fields(&vps))
}

/// `vps rebuild`: the template must be offered and the gate open; then asks, and waits.
async fn rebuild(
    client: &Client,
    session: &Session,
    id: &str,
    template: &str,
    timeout: u64,
) -> Result<(), Failure> {
    let what = format!("rebuild {id} from {template}");
    super::irreversible(
        client,
        session,
        id,
        &what,
        "its disk is wiped and reinstalled: every file on it is lost",
    )
    .await?;
    let (progress, options) = waiting(session, &format!("rebuild of {id}"), timeout);
    let status = client.rebuild(id, template, &Destroys::destroys(id), options).await;
    progress.finish();
    let status = status?;
    let fields = [
        ("vps", id.to_string()),
        ("template", template.to_string()),
        ("power", text(status.power_state.as_ref())),
    ];
    session.printer.record(&status, &fields)
}

async fn templates(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let list = client.list_vps_templates().id(id).send().await?.into_inner();
    session.printer.listing(&["ID", "NAME", "FAMILY", "VERSION", "LICENSING"], &list.data, |t| {
        vec![
            t.id.clone(),
            t.name.clone(),
            text(t.family.as_ref()),
            text(t.version.as_ref()),
            text(t.licensing.as_ref()),
        ]
    })
}

/// `vps convert-to-cloud`: the eligibility check (printed with `--check`), then asks, converts.
async fn convert(client: &Client, session: &Session, id: &str, check_only: bool) -> Result<(), Failure> {
    let check = client.get_cloud_conversion_eligibility().id(id).send().await?.into_inner();
    if check_only {
        let blockers: Vec<String> = check.blocker_reasons.iter().map(|b| b.to_string()).collect();
        let fields = [
            ("vps", check.vps_id.clone()),
            ("billing model", check.current_billing_model.to_string()),
            (
                "can convert",
                if check.ensure_convertible().is_ok() {
                    "yes".into()
                } else {
                    format!("no: {}", text(check.reason.as_ref()))
                },
            ),
            ("blockers", if blockers.is_empty() { "none".into() } else { blockers.join(" ") }),
        ];
        return session.printer.record(&check, &fields);
    }
    check.ensure_convertible()?;
    let consequence = "it is billed by the hour from now on and its prepaid period is not refunded";
    super::irreversible(client, session, id, &format!("convert {id} to PAYG Cloud billing"), consequence)
        .await?;
    let result = client.convert_to_cloud(id).await?;
    let fields = [
        ("vps", id.to_string()),
        ("converted", result.converted.to_string()),
        ("product", text(result.new_product_id.as_ref())),
    ];
    session.printer.record(&result, &fields)
}

fn cancellation_fields(id: &str, c: &VpsCancellation) -> Vec<(&'static str, String)> {
    vec![
        ("vps", id.to_string()),
        ("status", text(c.status.as_ref())),
        ("type", text(c.cancel_type.as_ref())),
        ("takes effect", text(c.scheduled_at.as_ref())),
        ("reason", text(c.reason.as_ref())),
        ("revokable", if c.is_revokable() { "yes".into() } else { "no".into() }),
    ]
}

/// `vps cancel`: asks (typing the id for an immediate one), then files it.
async fn cancel(
    client: &Client,
    session: &Session,
    id: &str,
    request: &CancelRequest,
) -> Result<(), Failure> {
    let body = request.to_body()?; // bounds first: nothing to confirm for a reason the API refuses
    if body.cancel_type == Some(CancelType::Immediate) {
        let what = format!("cancel {id} immediately");
        super::irreversible(client, session, id, &what, "the VPS and everything on it are deleted").await?;
    } else {
        let what = format!("cancel {id} at the end of its paid period");
        let consequence = "it is deleted then, unless the cancellation is revoked first";
        Confirmation { what: &what, consequence, risk: Risk::Destructive }.ask(session.yes)?;
    }
    let wait = WaitOptions::default().with_max_wait(Duration::from_secs(60));
    let result = client.cancel_vps_service(id, request, &Destroys::destroys(id), wait).await;
    if let Err(e) = &result
        && e.auto_renew_was_disabled()
    {
        session.progress.note("note: the server switched auto-renewal off for this VPS");
    }
    let status = result?;
    session.printer.record(&status, &cancellation_fields(id, &status))
}

async fn cancellation(
    client: &Client,
    session: &Session,
    id: &str,
    action: Option<&CancellationAction>,
) -> Result<(), Failure> {
    let status = match action {
        None => client.get_vps_cancellation().id(id).send().await?.into_inner(),
        Some(CancellationAction::Revoke) => client.withdraw_cancellation(id).await?,
    };
    session.printer.record(&status, &cancellation_fields(id, &status))
}

async fn maintenance(
    client: &Client,
    session: &Session,
    id: &str,
    action: Option<&MaintenanceAction>,
) -> Result<(), Failure> {
    let state = client.get_vps_maintenance().id(id).send().await?.into_inner();
    let Some(MaintenanceAction::Extend { deadline }) = action else {
        let headers = ["KEY", "CURRENT", "PENDING", "DEADLINE ID", "DEADLINE", "EXTENSIONS", "CAN EXTEND"];
        return session.printer.listing(&headers, &state.pending_changes, |c| {
            let max = c
                .deadline
                .as_ref()
                .map_or("-".into(), |d| format!("{} of {}", c.extensions_used(), d.max_extensions));
            vec![
                c.key.clone(),
                text(c.current_value.as_ref()),
                text(c.pending_value.as_ref()),
                text(c.deadline.as_ref().map(|d| &d.id)),
                text(c.effective_deadline()),
                max,
                if c.can_extend() { "yes".into() } else { "no".into() },
            ]
        });
    };
    let deadline = match deadline {
        Some(d) => d.clone(),
        None => {
            let open: Vec<&str> = state
                .pending_changes
                .iter()
                .filter(|c| c.can_extend())
                .filter_map(|c| c.deadline.as_ref())
                .map(|d| d.id.as_str())
                .collect();
            match open.as_slice() {
                [one] => one.to_string(),
                [] => {
                    return Err(Failure::Blocked(format!(
                        "{id} has no maintenance deadline that can be extended"
                    )));
                }
                many => {
                    return Err(Failure::Usage(format!(
                        "{id} has several deadlines: name one of {}",
                        many.join(", ")
                    )));
                }
            }
        }
    };
    let result = client.extend_maintenance(id, &deadline).await?;
    if session.progress != Mode::Quiet && result.can_extend_again == Some(false) {
        session.progress.note("that was the last extension its policy allows");
    }
    let fields = [
        ("vps", id.to_string()),
        ("deadline", deadline),
        ("new deadline", text(result.new_deadline.as_ref())),
        ("extensions", format!("{} of {}", text(result.extension_count), text(result.max_extensions))),
    ];
    session.printer.record(&result, &fields)
}
