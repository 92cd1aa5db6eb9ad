//! Structural checks on the spec that a JSON Schema validator cannot make: it parses as OpenAPI
//! 3.0, every `$ref` resolves, operationIds are present and unique, and path templates agree with
//! the declared path parameters.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::spec::{self, Operation};

/// Marker pushed on the key stack for array elements.
const ARRAY_ITEM: &str = "[]";

/// What the structure lint found.
#[derive(Debug, Default)]
pub struct Lint {
    /// One message per problem, each prefixed with the spec's file name.
    pub problems: Vec<String>,
    /// False when some `$ref` does not resolve; schema validation is pointless then.
    pub refs_ok: bool,
    /// Number of operations in the spec.
    pub operations: usize,
}

/// Runs every structural check on `doc`, the spec loaded as JSON. `file` prefixes the messages.
pub fn lint(doc: &Value, file: &str) -> Lint {
    let mut problems = Vec::new();
    if let Err(e) = serde_json::from_value::<openapiv3::OpenAPI>(doc.clone()) {
        problems.push(format!("not a valid OpenAPI 3.0 document: {e}"));
    }
    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => problems.push(format!("#/openapi: version {v} is not 3.0.x")),
        None => problems.push("#/openapi: missing (expected 3.0.x)".to_string()),
    }
    let before = problems.len();
    check_refs(doc, doc, "", &mut Vec::new(), &mut problems);
    let refs_ok = problems.len() == before;

    let operations = spec::operations(doc);
    check_operation_ids(&operations, &mut problems);
    for op in &operations {
        check_path_parameters(doc, op, &mut problems);
    }
    Lint {
        problems: problems.into_iter().map(|p| format!("{file}: {p}")).collect(),
        refs_ok,
        operations: operations.len(),
    }
}

/// True when `key` inside the current object holds data (examples, defaults, extensions) rather
/// than OpenAPI structure, so a `$ref` key under it is not a reference.
fn is_data(stack: &[String], key: &str) -> bool {
    if stack.last().is_some_and(|parent| spec::is_named_map(parent)) {
        return false;
    }
    match key {
        "example" | "default" | "enum" | "const" => true,
        // The `value` of an Example object (`examples: {name: {value: …}}`).
        "value" => stack.len() >= 2 && stack[stack.len() - 2] == "examples",
        _ => key.starts_with("x-"),
    }
}

fn check_refs(
    doc: &Value,
    value: &Value,
    pointer: &str,
    stack: &mut Vec<String>,
    problems: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            match map.get("$ref") {
                Some(Value::String(reference)) => {
                    if let Err(e) = spec::resolve_ref(doc, reference) {
                        problems.push(format!("{}: $ref {e}", spec::location(pointer)));
                    }
                }
                Some(_) => problems.push(format!("{}: $ref is not a string", spec::location(pointer))),
                None => {}
            }
            for (key, child) in map {
                if key == "$ref" || is_data(stack, key) {
                    continue;
                }
                stack.push(key.clone());
                check_refs(doc, child, &spec::join(pointer, key), stack, problems);
                stack.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                stack.push(ARRAY_ITEM.to_string());
                check_refs(doc, child, &format!("{pointer}/{i}"), stack, problems);
                stack.pop();
            }
        }
        _ => {}
    }
}

fn check_operation_ids(operations: &[Operation<'_>], problems: &mut Vec<String>) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for op in operations {
        match op.id().filter(|id| !id.is_empty()) {
            None => {
                problems.push(format!("{}: {} has no operationId", spec::location(&op.pointer), op.label()))
            }
            Some(id) => {
                if let Some(first) = seen.get(id) {
                    problems.push(format!(
                        "{}: operationId `{id}` of {} is already used by {first}",
                        spec::location(&op.pointer),
                        op.label()
                    ));
                } else {
                    seen.insert(id, op.label());
                }
            }
        }
    }
}

/// The `{name}` segments of a path template, or an error for unbalanced braces.
fn template_names(path: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(format!("unbalanced `}}` in path template {path}"));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("unclosed `{{` in path template {path}"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("malformed parameter in path template {path}"));
        }
        names.push(name);
        rest = &after[close + 1..];
    }
    Ok(names)
}

fn check_path_parameters(doc: &Value, op: &Operation<'_>, problems: &mut Vec<String>) {
    let at = spec::location(&op.pointer);
    let names = match template_names(op.path) {
        Ok(names) => names,
        Err(e) => return problems.push(format!("{at}: {e}")),
    };
    // Path-level parameters first; operation-level ones override them by (name, in).
    let mut declared: HashMap<String, bool> = HashMap::new();
    for (owner, owner_pointer) in [(op.path_item, &op.path_item_pointer), (op.value, &op.pointer)] {
        let Some(params) = owner.get("parameters").and_then(Value::as_array) else {
            continue;
        };
        for (i, param) in params.iter().enumerate() {
            let pointer = format!("{owner_pointer}/parameters/{i}");
            // Dangling refs are reported by the `$ref` check.
            let Ok((_, param)) = spec::deref(doc, pointer, param) else {
                continue;
            };
            if param.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            if let Some(name) = param.get("name").and_then(Value::as_str) {
                let required = param.get("required").and_then(Value::as_bool) == Some(true);
                declared.insert(name.to_string(), required);
            }
        }
    }
    let in_template: BTreeSet<&str> = names.iter().copied().collect();
    for name in &in_template {
        match declared.get(*name) {
            None => problems.push(format!(
                "{at}: path parameter `{name}` of {} is not declared as an `in: path` parameter",
                op.label()
            )),
            Some(false) => problems
                .push(format!("{at}: path parameter `{name}` of {} must be `required: true`", op.label())),
            Some(true) => {}
        }
    }
    let mut extra: Vec<&String> =
        declared.keys().filter(|name| !in_template.contains(name.as_str())).collect();
    extra.sort();
    for name in extra {
        problems.push(format!(
            "{at}: {} declares path parameter `{name}` that its path template does not contain",
            op.label()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_are_extracted() {
        assert_eq!(template_names("/a/{id}/b/{x}").unwrap(), ["id", "x"]);
        assert!(template_names("/a/{id").is_err());
        assert!(template_names("/a/id}").is_err());
        assert!(template_names("/a/{}").is_err());
    }

    #[test]
    fn data_keys_are_skipped_but_names_are_not() {
        let stack = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert!(is_data(&stack(&["schema"]), "example"));
        assert!(is_data(&stack(&["examples", "one"]), "value"));
        assert!(is_data(&stack(&["schema"]), "x-open-enum"));
        assert!(!is_data(&stack(&["properties"]), "example"));
        assert!(!is_data(&stack(&["examples"]), "value"));
    }
}
