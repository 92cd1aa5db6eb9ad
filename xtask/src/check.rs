//! `cargo xtask check`: lints the spec's structure, then validates every example embedded in the
//! spec and every fixture file against its schema.

use std::path::Path;

use serde_json::Value;

use crate::examples::embedded_examples;
use crate::schema::{Validators, Violation};
use crate::{fixtures, spec, spec_lint};

/// Runs every check on the spec at `spec_path` and the fixtures in `examples_dir`. Returns a
/// one-line summary, or every failure as `FILE: POINTER: REASON` lines.
pub fn run(spec_path: &Path, examples_dir: &Path) -> Result<String, Vec<String>> {
    let file = crate::display(spec_path);
    let doc = hostup_codegen::load_spec(spec_path).map_err(|e| vec![e])?;
    let lint = spec_lint::lint(&doc, &file);
    let mut failures = lint.problems;
    if !lint.refs_ok {
        failures.push(format!("{file}: examples and fixtures not validated until every $ref resolves"));
        return Err(failures);
    }

    let mut validators = Validators::new(&doc);
    let embedded = embedded_examples(&doc);
    for example in &embedded {
        let instance = doc.pointer(&example.example).unwrap_or(&Value::Null);
        let label = format!("{file}{}", spec::location(&example.example));
        report(&label, validators.validate(&example.schema, instance), &mut failures);
    }

    let names = fixtures::existing(examples_dir).map_err(|e| vec![e])?;
    let dir = crate::display(examples_dir);
    for name in &names {
        let label = format!("{dir}/{name}");
        let schema = match fixtures::schema_for(&doc, name) {
            Ok(schema) => schema,
            Err(e) => {
                failures.push(format!("{label}: no schema for this file name: {e}"));
                continue;
            }
        };
        let instance = match read_json(&examples_dir.join(name)) {
            Ok(instance) => instance,
            Err(e) => {
                failures.push(format!("{label}: {e}"));
                continue;
            }
        };
        report(&label, validators.validate(&schema, &instance), &mut failures);
    }

    if failures.is_empty() {
        Ok(format!(
            "check: ok, {} operations, {} embedded examples and {} fixtures in {dir} valid",
            lint.operations,
            embedded.len(),
            names.len()
        ))
    } else {
        Err(failures)
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))
}

/// Adds one `LABEL: POINTER: REASON` line per violation.
fn report(label: &str, outcome: Result<Vec<Violation>, String>, failures: &mut Vec<String>) {
    match outcome {
        Ok(violations) => failures
            .extend(violations.iter().map(|v| format!("{label}: {}: {}", v.display_pointer(), v.reason))),
        Err(e) => failures.push(format!("{label}: {e}")),
    }
}
