//! `hostup payg options|limits [request]` and `hostup products` (the public catalogue, which
//! needs no API key).

use hostup::prelude::*;
use hostup::types::{BillingCycle, PaygLimitType, PaygQuota};
use hostup::{Client, ClientBuilder, ENV_BASE_URL};

use super::Session;
use crate::args::lifecycle::{Commands, LimitsAction, Payg};
use crate::failure::Failure;
use crate::output::money;

/// Runs `payg ...` or `products`.
pub async fn run(client: &Client, session: &Session, command: &Commands) -> Result<(), Failure> {
    match command {
        Commands::Payg(Payg::Options) => options(client, session).await,
        Commands::Payg(Payg::Limits { action: None }) => limits(client, session).await,
        Commands::Payg(Payg::Limits { action: Some(LimitsAction::Request { limit_type, to, reason }) }) => {
            let kind = PaygLimitType::from(limit_type.as_str());
            let filed = client.request_payg_limit(kind, *to, reason).await?;
            session.progress.note("filed: support reviews it; `hostup payg limits` lists it until then");
            let fields = [("id", filed.id.clone()), ("status", filed.status.to_string())];
            session.printer.record(&filed, &fields)
        }
        Commands::Products { currency, cycle } => products(client, session, currency, cycle).await,
    }
}

/// Whether a command of this area works without an API key (the catalogue).
pub fn is_public(command: &Commands) -> bool {
    matches!(command, Commands::Products { .. })
}

/// A client with no key, for the public catalogue: `--base-url`, else `HOSTUP_BASE_URL`.
pub fn public_client(base_url: Option<&str>) -> Result<Client, Failure> {
    let env = std::env::var(ENV_BASE_URL).ok().filter(|v| !v.trim().is_empty());
    let mut builder = ClientBuilder::new().public_only();
    if let Some(url) = base_url.map(String::from).or(env) {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}

async fn options(client: &Client, session: &Session) -> Result<(), Failure> {
    let o = client.get_payg_deployment_options().send().await?.into_inner();
    let gate = &o.actions.can_deploy;
    let can = if gate.allowed {
        "yes".to_string()
    } else {
        format!("no: {} ({})", gate.reason.as_deref().unwrap_or("-"), gate.code.as_deref().unwrap_or("-"))
    };
    let p = &o.pricing;
    let blockers: Vec<String> =
        o.access.iter().flat_map(|a| &a.blocker_reasons).map(|b| b.to_string()).collect();
    let regions: Vec<String> = o
        .regions
        .iter()
        .map(|r| if r.available == Some(false) { format!("{} (unavailable)", r.id) } else { r.id.clone() })
        .collect();
    let fields = [
        ("can deploy", can),
        ("blockers", if blockers.is_empty() { "none".into() } else { blockers.join(" ") }),
        (
            "per hour",
            format!(
                "{} {c} per core, {} {c} per GB memory, {} {c} per GB disk",
                p.cpu_per_core_hour,
                p.memory_per_gb_hour,
                p.storage_per_gb_hour,
                c = p.currency_code
            ),
        ),
        ("default region", o.defaults.region_id.clone()),
        ("regions", regions.join(", ")),
    ];
    session.printer.record(&o, &fields)
}

fn quota(q: &PaygQuota) -> String {
    format!(
        "{} cores, {} GB memory, {} GB disk, {} VPS",
        q.cpu_cores, q.memory_gb, q.storage_gb, q.instance_count
    )
}

async fn limits(client: &Client, session: &Session) -> Result<(), Failure> {
    let l = client.get_payg_limits().send().await?.into_inner();
    let mut fields =
        vec![("used", quota(&l.current)), ("max", quota(&l.max)), ("remaining", quota(&l.remaining))];
    for r in &l.pending_requests {
        fields.push((
            "pending",
            format!(
                "{} {} -> {} ({})",
                r.id,
                r.limit_type,
                r.requested_limit,
                r.reason.as_deref().unwrap_or("-")
            ),
        ));
    }
    session.printer.record(&l, &fields)
}

async fn products(client: &Client, session: &Session, currency: &str, cycle: &str) -> Result<(), Failure> {
    let cycle = BillingCycle::from(cycle);
    let catalogue = client.product_catalogue().await?;
    let headers = ["SLUG", "NAME", "CPU", "MEMORY GB", "STORAGE GB", "PRICE", "AVAILABLE"];
    session.printer.listing(&headers, &catalogue.products, |p| {
        let number = |n: Option<f64>| n.map_or("-".into(), |n| n.to_string());
        vec![
            p.slug.clone(),
            p.name.clone(),
            number(p.resources.cpu_cores),
            number(p.resources.memory_gb),
            number(p.resources.storage_gb),
            p.price(currency, &cycle)
                .map_or("-".into(), |price| format!("{} {cycle}", money(price.amount, &price.currency_code))),
            if p.is_available() { "yes".into() } else { "no".into() },
        ]
    })
}
