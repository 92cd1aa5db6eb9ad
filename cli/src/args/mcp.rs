//! `hostup mcp`: its flags (read by `cargo xtask man` with the rest of `args.rs`, so clap only).

use std::path::PathBuf;

use clap::Args;

/// Serve HostUp to an AI agent over the Model Context Protocol (stdio).
#[derive(Debug, Args)]
pub struct Mcp {
    /// List read tools only: no preview and no commit tool at all.
    #[arg(long)]
    pub read_only: bool,
    /// List only these tools (comma-separated or repeated); --deny still applies.
    #[arg(long, value_delimiter = ',', value_name = "TOOL")]
    pub allow: Vec<String>,
    /// Never list these tools (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "TOOL")]
    pub deny: Vec<String>,
    /// The most that this session's commits may raise recurring costs by, as AMOUNT or
    /// AMOUNT:CURRENCY (else the first committed quote's currency). A commit past it is refused.
    #[arg(long, value_name = "AMOUNT[:CURRENCY]", value_parser = parse_spend)]
    pub max_spend: Option<(f64, Option<String>)>,
    /// How long a quote's token may be committed, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    pub quote_ttl: u64,
    /// Append the write log (one JSON line per quote and commit) to FILE instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
}

/// `200` or `200:SEK`.
pub fn parse_spend(text: &str) -> Result<(f64, Option<String>), String> {
    let (amount, currency) = match text.split_once(':') {
        Some((amount, currency)) => (amount, Some(currency.trim().to_uppercase())),
        None => (text, None),
    };
    let amount: f64 =
        amount.trim().parse().map_err(|_| format!("expected AMOUNT or AMOUNT:CURRENCY, got {text:?}"))?;
    if !amount.is_finite() || amount < 0.0 {
        return Err(format!("the amount must be a number of 0 or more, got {text:?}"));
    }
    if currency.as_deref().is_some_and(|c| c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_alphabetic())) {
        return Err(format!("the currency must be a three-letter ISO code, got {text:?}"));
    }
    Ok((amount, currency))
}
