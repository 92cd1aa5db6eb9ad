//! Renders comparisons: the human report, `--json` and the `--coverage` table.

use serde_json::{Value, json};

use super::drift::{Comparison, Drift, Kind};
use super::model::Rendering;

/// The comparison of one page file.
#[derive(Debug, Clone)]
pub struct PageResult {
    /// The file name, for messages.
    pub file: String,
    /// How the page was rendered.
    pub rendering: Rendering,
    /// What was found.
    pub comparison: Comparison,
}

/// Reasons of entries awaiting a spec fix start with this.
const TODO: &str = "TODO";

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// One block per page: `operation (METHOD /path): clean` or a count and one line per drift.
/// With several pages each header starts with the file name. Lenient drifts are counted, and
/// listed with their reasons when `all` is set (those awaiting a spec fix always are).
pub fn human(results: &[PageResult], all: bool) -> String {
    let mut out = String::new();
    for result in results {
        let c = &result.comparison;
        let real = c.real().count();
        let lenient: Vec<&Drift> = c.drifts.iter().filter(|d| d.lenient.is_some()).collect();
        if results.len() > 1 {
            out.push_str(&format!("{}: ", result.file));
        }
        let verdict = if real == 0 { "clean".to_string() } else { plural(real, "drift") };
        out.push_str(&format!("{} ({}): {verdict}", c.operation, c.route));
        if !lenient.is_empty() {
            out.push_str(&format!(" ({})", plural(lenient.len(), "deliberate difference")));
        }
        out.push('\n');
        for drift in c.real() {
            out.push_str(&format!("  {}\n", drift.line));
        }
        for drift in lenient {
            let reason = drift.lenient.unwrap_or_default();
            if reason.starts_with(TODO) {
                out.push_str(&format!("  todo: {}\n      {reason}\n", drift.line));
            } else if all {
                out.push_str(&format!("  lenient: {}\n      {reason}\n", drift.line));
            }
        }
    }
    if results.len() > 1 {
        let real: usize = results.iter().map(|r| r.comparison.real().count()).sum();
        let total: usize = results.iter().map(|r| r.comparison.drifts.len()).sum();
        out.push_str(&format!(
            "docs-check: {}, {}, {}\n",
            plural(results.len(), "page"),
            plural(real, "drift"),
            plural(total - real, "deliberate difference")
        ));
    }
    out
}

/// A JSON array with one object per drift (lenient ones only when `all` is set): `file`,
/// `operation`, `route`, `kind`, `location`, `path`, `page_value`, `spec_value`, `message` and
/// `lenient` (the reason, or null).
pub fn json(results: &[PageResult], all: bool) -> String {
    let mut drifts = Vec::new();
    for result in results {
        let c = &result.comparison;
        for drift in c.drifts.iter().filter(|d| all || d.lenient.is_none()) {
            drifts.push(json!({
                "file": result.file,
                "operation": c.operation,
                "route": c.route,
                "kind": drift.kind.as_str(),
                "location": drift.location,
                "path": drift.path,
                "page_value": drift.page,
                "spec_value": drift.spec,
                "message": drift.line,
                "lenient": drift.lenient,
            }));
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Array(drifts)).unwrap_or_default();
    text.push('\n');
    text
}

/// A markdown table: per page, the fields it documents, how many of those the spec has (documented
/// fields not reported missing), and the fields the spec has for the same operation (parameters,
/// request body fields and response fields summed over every status, nested objects expanded).
pub fn coverage(results: &[PageResult]) -> String {
    let mut out = String::from(
        "| operation | fields documented | documented fields in the spec | fields in the spec |\n\
         | --- | ---: | ---: | ---: |\n",
    );
    for result in results {
        let c = &result.comparison;
        let missing = c
            .drifts
            .iter()
            .filter(|d| matches!(d.kind, Kind::FieldMissingFromSpec | Kind::ParameterMissingFromSpec))
            .count();
        out.push_str(&format!(
            "| {} ({}, {}) | {} | {} | {} |\n",
            c.operation,
            c.route,
            result.rendering,
            c.coverage.documented,
            c.coverage.documented.saturating_sub(missing),
            c.coverage.in_spec
        ));
    }
    out
}
