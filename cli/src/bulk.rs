//! Acting on many VPSes: which ones (ids, `-` for ids on stdin, or `--all-matching` the
//! filters), running the action a few at a time on one client (so every request draws on the
//! same rate-limit budget), and the per-VPS result table.

use std::future::Future;
use std::io::Read;

use futures::StreamExt;
use hostup::Client;
use hostup::prelude::*;
use hostup::types::VpsSummary;
use serde::Serialize;

use crate::args::{Billing, Filters, Targets};
use crate::failure::Failure;
use crate::output::progress::{Mode, Tally};
use crate::output::{Printer, RedactedJson};

/// How many VPSes are acted on at once. The client's governor paces them within the budget.
const CONCURRENCY: usize = 4;

/// One VPS to act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Its id.
    pub id: String,
    /// Its display name, when the listing gave it.
    pub name: Option<String>,
}

/// What a command acts on.
#[derive(Debug, PartialEq, Eq)]
pub enum Selection {
    /// One id on the command line: the plain single-VPS output.
    One(String),
    /// Several ids, ids from stdin, or `--all-matching`: the per-VPS result table.
    Many(Vec<Target>),
}

/// The VPSes the command line names.
pub async fn select(client: &Client, targets: &Targets) -> Result<Selection, Failure> {
    if targets.all_matching {
        let matching = list(client, &targets.filters).await?;
        let targets = matching
            .into_iter()
            .filter_map(|vps| Some(Target { id: vps.id?, name: vps.name }))
            .collect::<Vec<_>>();
        if targets.is_empty() {
            return Err(Failure::Usage("no VPS matches the filters".into()));
        }
        return Ok(Selection::Many(targets));
    }
    let filtered = targets.filters.status.is_some()
        || targets.filters.power.is_some()
        || targets.filters.billing.is_some()
        || targets.filters.name.is_some();
    if filtered {
        return Err(Failure::Usage(
            "--status, --power, --billing and --name choose VPSes only with --all-matching".into(),
        ));
    }
    if let [id] = targets.ids.as_slice()
        && id != "-"
    {
        return Ok(Selection::One(id.clone()));
    }
    let mut ids: Vec<String> = Vec::new();
    for id in &targets.ids {
        if id == "-" {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::Usage(format!("cannot read VPS ids from stdin: {e}")))?;
            ids.extend(text.split_whitespace().map(String::from));
        } else {
            ids.push(id.clone());
        }
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.is_empty() {
        return Err(Failure::Usage("no VPS ids given (stdin was empty)".into()));
    }
    Ok(Selection::Many(ids.into_iter().map(|id| Target { id, name: None }).collect()))
}

/// Every VPS that matches the filters.
pub async fn list(client: &Client, filters: &Filters) -> Result<Vec<VpsSummary>, Failure> {
    let all = client.all_vps().await?;
    Ok(all.into_iter().filter(|vps| matches(vps, filters)).collect())
}

fn matches(vps: &VpsSummary, filters: &Filters) -> bool {
    let same = |wanted: &Option<String>, actual: Option<String>| {
        wanted.as_ref().is_none_or(|w| actual.is_some_and(|a| a.eq_ignore_ascii_case(w)))
    };
    let billing = filters.billing.is_none_or(|wanted| {
        vps.billing_model().is_some_and(|model| model.is_payg() == (wanted == Billing::Payg))
    });
    billing
        && same(&filters.status, vps.service_status.as_ref().map(|s| s.to_string()))
        && same(&filters.power, vps.power_state.as_ref().map(|s| s.to_string()))
        && same(&filters.name, vps.name.clone())
}

/// The result of the action on one VPS.
pub struct Outcome {
    /// The VPS.
    pub target: Target,
    /// What the action returned (a spec resource) and a short summary, or why it failed.
    pub result: Result<(RedactedJson, String), Failure>,
}

/// Runs `action` on every target, a few at a time, counting them on `tally`; results in the
/// targets' order.
pub async fn each<F, Fut>(targets: &[Target], tally: &Tally, action: F) -> Vec<Outcome>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<(RedactedJson, String), Failure>>,
{
    futures::stream::iter(targets)
        .map(|target| {
            let run = action(target.id.clone());
            async move {
                let result = run.await;
                match &result {
                    Ok((_, summary)) => tally.done(&target.id, summary),
                    Err(failure) => tally.done(&target.id, &format!("failed: {}", failure.message())),
                }
                Outcome { target: target.clone(), result }
            }
        })
        .buffered(CONCURRENCY)
        .collect()
        .await
}

/// One row of the result listing, in JSON.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row<'a> {
    vps_id: &'a str,
    name: Option<&'a str>,
    ok: bool,
    result: Option<&'a RedactedJson>,
    error: Option<String>,
    exit_code: u8,
    #[serde(skip)]
    detail: String,
}

impl hostup::redact::Redact for Row<'_> {
    // `result` is redacted when it is made (`output::redacted`); the rest holds no secret.
    const SECRET_POINTERS: &'static [&'static str] = &[];
}

/// Prints the per-VPS result listing; fails (with the first failure's exit code) when any VPS did.
pub fn report(printer: &Printer, mode: Mode, outcomes: &[Outcome]) -> Result<(), Failure> {
    let rows: Vec<Row> = outcomes
        .iter()
        .map(|o| Row {
            vps_id: &o.target.id,
            name: o.target.name.as_deref(),
            ok: o.result.is_ok(),
            result: o.result.as_ref().ok().map(|(value, _)| value),
            error: o.result.as_ref().err().map(Failure::message),
            exit_code: o.result.as_ref().err().map_or(0, Failure::exit_code),
            detail: match &o.result {
                Ok((_, summary)) => summary.clone(),
                Err(failure) => failure.message(),
            },
        })
        .collect();
    printer.listing(&["ID", "NAME", "RESULT", "DETAIL"], &rows, |row| {
        vec![
            row.vps_id.to_string(),
            row.name.unwrap_or("-").to_string(),
            if row.ok { "ok".into() } else { "failed".into() },
            row.detail.clone(),
        ]
    })?;
    let failed: Vec<&Row> = rows.iter().filter(|r| !r.ok).collect();
    match failed.first() {
        None => Ok(()),
        Some(first) => {
            mode.note(&format!("{} of {} failed", failed.len(), rows.len()));
            Err(Failure::Partial { failed: failed.len(), total: rows.len(), code: first.exit_code })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vps(value: serde_json::Value) -> VpsSummary {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn filters_combine_and_ignore_case() {
        let web = vps(serde_json::json!({
            "id": "vps_1", "name": "Web-1", "serviceStatus": "active", "powerState": "running",
            "billing": {"amount": 1, "currencyCode": "SEK", "billingCycle": "monthly", "isPayg": true}
        }));
        let payg = Filters { billing: Some(Billing::Payg), ..Filters::default() };
        assert!(matches(&web, &payg));
        assert!(!matches(&web, &Filters { billing: Some(Billing::Fixed), ..Filters::default() }));
        let named = Filters { name: Some("web-1".into()), power: Some("running".into()), ..payg };
        assert!(matches(&web, &named));
        assert!(!matches(&web, &Filters { status: Some("suspended".into()), ..Filters::default() }));
        assert!(!matches(&vps(serde_json::json!({"id": "vps_2"})), &named), "unknown fields do not match");
    }
}
