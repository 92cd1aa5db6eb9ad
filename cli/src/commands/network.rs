//! `hostup vps network ID [...]`, `hostup vps rdns set ...` and `hostup vps metrics ID`, the
//! metrics drawn as braille line charts with `textplots`.

use std::time::SystemTime;

use hostup::prelude::*;
use hostup::types::{
    ChangeIpRequest, ChangeIpRequestAction, IpType, MetricSample, MetricsTimeframe, NetworkChangeResult,
    RemoveIpRequest, RemoveIpRequestAction, VpsMetrics,
};
use hostup::{Client, Destructive};
use serde_json::Value;
use textplots::{Chart, Plot, Shape};

use super::Session;
use crate::args::access::{NetworkAction, Rdns, Series, Timeframe};
use crate::confirm::{Confirmation, Risk};
use crate::failure::Failure;
use crate::output::emit;

fn usage(e: impl std::fmt::Display) -> Failure {
    Failure::Usage(e.to_string())
}

fn confirm(session: &Session, what: &str, consequence: &str) -> Result<(), Failure> {
    Confirmation { what, consequence, risk: Risk::Destructive }.ask(session.yes)
}

/// `vps network ID` and its changes.
pub async fn network(
    client: &Client,
    session: &Session,
    id: &str,
    action: Option<&NetworkAction>,
) -> Result<(), Failure> {
    let done = match action {
        None => return show(client, session, id).await,
        Some(NetworkAction::Rdns { ip, name }) => client.set_reverse_dns(id, ip, name).await?,
        Some(NetworkAction::ChangeIp { to, interface, reserve_old_ip }) => {
            let mut change = ChangeIpRequest::builder().action(ChangeIpRequestAction::ChangeIp);
            change = match to.starts_with("ip_") {
                true => change.ip_id(Some(to.as_str().try_into().map_err(usage)?)),
                false => change.ip_address(Some(to.as_str().try_into().map_err(usage)?)),
            };
            if let Some(name) = interface {
                change = change.interface_name(Some(name.as_str().try_into().map_err(usage)?));
            }
            let change =
                ChangeIpRequest::try_from(change.reserve_old_ip(Some(*reserve_old_ip))).map_err(usage)?;
            let kept = if *reserve_old_ip { "kept as a reserved address" } else { "released" };
            confirm(
                session,
                &format!("move {id} to {to}"),
                &format!("the old address is {kept}; connections to it break"),
            )?;
            client.change_ip(id, change, Destructive::confirm(id)).await?
        }
        Some(NetworkAction::RemoveIp { ip }) => {
            let ip_type = if ip.contains(':') { IpType::Ipv6 } else { IpType::Ipv4 };
            let mut remove =
                RemoveIpRequest::builder().action(RemoveIpRequestAction::RemoveIp).ip_type(ip_type);
            remove = match ip.starts_with("ip_") {
                true => remove.ip_id(Some(ip.as_str().try_into().map_err(usage)?)),
                false => remove.ip_address(Some(ip.as_str().try_into().map_err(usage)?)),
            };
            let remove = RemoveIpRequest::try_from(remove).map_err(usage)?;
            confirm(session, &format!("remove {ip} from {id}"), "the address stops reaching the VPS")?;
            client.remove_ip(id, remove, Destructive::confirm(id)).await?
        }
        Some(NetworkAction::DeleteInterface { name }) => {
            confirm(session, &format!("delete interface {name} of {id}"), "its addresses go with it")?;
            client.delete_interface(id, name, Destructive::confirm(id)).await?
        }
    };
    changed(session, id, &done)
}

fn changed(session: &Session, id: &str, done: &NetworkChangeResult) -> Result<(), Failure> {
    let job = done.operation.as_ref().map_or("-".into(), |o| format!("{} ({})", o.job_id, o.status));
    session.printer.record(done, &[("vps", id.to_string()), ("status", "done".into()), ("job", job)])
}

/// `vps rdns set ID IP NAME`.
pub async fn rdns(client: &Client, session: &Session, command: &Rdns) -> Result<(), Failure> {
    let Rdns::Set { id, ip, name } = command;
    let done = client.set_reverse_dns(id, ip, name).await?;
    changed(session, id, &done)
}

async fn show(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let network = client.get_vps_network().id(id).send().await?.into_inner();
    let rows: Vec<Value> = network
        .interfaces
        .iter()
        .flat_map(|i| i.ip.iter().map(move |a| (i, a)))
        .map(|(i, a)| serde_json::json!({"interface": i.id, "vlan": i.vlan, "address": a}))
        .collect();
    if rows.is_empty() || !session.printer.is_table() {
        return session.printer.record(&network, &[("interfaces", network.interfaces.len().to_string())]);
    }
    let cell = |v: &Value| {
        v.as_str().map(String::from).unwrap_or_else(|| if v.is_null() { "-".into() } else { v.to_string() })
    };
    let table: Vec<crate::output::RedactedJson> = rows.into_iter().map(crate::output::RedactedJson).collect();
    session.printer.listing(&["INTERFACE", "ADDRESS", "MASK", "TYPE", "MAIN", "PTR"], &table, |row| {
        let a = &row.0["address"];
        vec![
            cell(&row.0["interface"]),
            cell(&a["ip"]),
            cell(&a["mask"]),
            cell(&a["type"]),
            cell(&a["main"]),
            cell(&a["rdns"]),
        ]
    })
}

fn timeframe(t: Timeframe) -> MetricsTimeframe {
    match t {
        Timeframe::Hour => MetricsTimeframe::Hour,
        Timeframe::Day => MetricsTimeframe::Day,
        Timeframe::Week => MetricsTimeframe::Week,
        Timeframe::Month => MetricsTimeframe::Month,
        Timeframe::Year => MetricsTimeframe::Year,
    }
}

fn series(s: Series) -> (&'static str, fn(&MetricSample) -> Option<f64>) {
    match s {
        Series::Cpu => ("CPU %", |m| Some(m.cpu_usage_percent)),
        Series::Memory => ("memory %", |m| Some(m.memory_usage_percent)),
        Series::DiskRead => ("disk read MB/s", |m| Some(m.disk_read_mb_per_second)),
        Series::DiskWrite => ("disk write MB/s", |m| Some(m.disk_write_mb_per_second)),
        Series::NetIn => ("network in kB/s", |m| m.network_inbound_kb_per_second),
        Series::NetOut => ("network out kB/s", |m| m.network_outbound_kb_per_second),
    }
}

/// The series as (hours before the last sample, value) points.
fn points(metrics: &VpsMetrics, value: fn(&MetricSample) -> Option<f64>) -> Vec<(f32, f32)> {
    let at = |s: &MetricSample| humantime::parse_rfc3339_weak(&s.recorded_at).ok();
    let last = metrics.samples.iter().rev().find_map(at).unwrap_or(SystemTime::UNIX_EPOCH);
    let hours_before = |t: SystemTime| last.duration_since(t).map_or(0.0, |d| d.as_secs_f64() / 3600.0);
    metrics.samples.iter().filter_map(|s| Some((-(hours_before(at(s)?) as f32), value(s)? as f32))).collect()
}

/// `vps metrics ID --timeframe T [--series S]... [--json]`.
pub async fn metrics(
    client: &Client,
    session: &Session,
    id: &str,
    window: Timeframe,
    wanted: &[Series],
    json: bool,
) -> Result<(), Failure> {
    let metrics = client.vps_metrics(id, timeframe(window)).await?;
    if json || !session.printer.is_table() {
        let value = serde_json::to_value(&metrics).map_err(usage)?;
        emit(&serde_json::to_string_pretty(&value).map_err(usage)?);
        return Ok(());
    }
    let wanted = if wanted.is_empty() { &[Series::Cpu, Series::Memory][..] } else { wanted };
    let shown = metrics.timeframe.as_ref().map_or("?".into(), |t| t.to_string());
    emit(&format!(
        "{id}: {} samples over the last {shown} (x: hours before the last sample)",
        metrics.samples.len()
    ));
    for s in wanted {
        let (label, value) = series(*s);
        let points = points(&metrics, value);
        if points.is_empty() {
            emit(&format!("\n{label}: no samples"));
            continue;
        }
        let xmin = points.iter().map(|p| p.0).fold(0.0, f32::min).min(-1.0 / 60.0);
        let (low, high) = points.iter().fold((f32::MAX, f32::MIN), |(l, h), p| (l.min(p.1), h.max(p.1)));
        let avg = points.iter().map(|p| p.1).sum::<f32>() / points.len() as f32;
        let ymax = if label.ends_with('%') { 100.0 } else { high.max(1.0) * 1.1 };
        let shape = Shape::Lines(&points);
        let mut chart = Chart::new_with_y_range(120, 32, xmin, 0.0, 0.0, ymax);
        let chart = chart.lineplot(&shape);
        chart.axis();
        chart.figures();
        emit(&format!("\n{label}: min {low:.2}, average {avg:.2}, max {high:.2}\n{chart}"));
    }
    Ok(())
}
