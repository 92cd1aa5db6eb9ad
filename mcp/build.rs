//! Derives the tools' JSON schemas from the spec the `hostup` dependency was built from (its build
//! script reports the path as `DEP_HOSTUP_SPEC`), so no schema is written by hand:
//!
//! - `operations`: per operationId, one object schema holding the operation's path and query
//!   parameters and its JSON body's properties (the shape a tool's arguments take);
//! - `schemas`: every component schema, for tools that filter on a field of a response;
//! - `errorCodes`: the documented Problem Details codes and what each means (`x-enum-descriptions`);
//! - `secretArguments`: per operationId, the body properties marked `x-hostup-secret`, which the
//!   write log never shows.
//!
//! Schemas are converted from OpenAPI 3.0 to JSON Schema 2020-12 by `hostup-schema` (the converter
//! the sandbox validates requests with) and their `$ref`s are inlined: MCP clients read a tool's
//! `inputSchema` on its own.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

/// Deeper than any schema of the spec nests; a cycle stops here as "any value".
const MAX_DEPTH: usize = 24;
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn fail(message: String) -> ! {
    println!("cargo::error={message}");
    std::process::exit(1);
}

fn main() {
    println!("cargo::rerun-if-env-changed=DEP_HOSTUP_SPEC");
    println!("cargo::rerun-if-changed=build.rs");
    let Some(spec) = std::env::var_os("DEP_HOSTUP_SPEC").map(PathBuf::from) else {
        fail("the hostup dependency did not report its spec (DEP_HOSTUP_SPEC)".into());
    };
    println!("cargo::rerun-if-changed={}", spec.display());
    let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| fail(format!("{}: {e}", spec.display())));
    let doc: Value =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| fail(format!("{}: {e}", spec.display())));
    let converted = hostup_schema::convert_document(&doc);
    let out = json!({
        "operations": operations(&converted).unwrap_or_else(|e| fail(e)),
        "schemas": component_schemas(&converted),
        "errorCodes": error_codes(&doc),
        "secretArguments": secret_arguments(&doc),
    });
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let path = out_dir.join("tool_schemas.json");
    std::fs::write(&path, out.to_string()).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
}

/// The value a local `$ref` (`#/components/...`) points at.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// `schema` with every `$ref` replaced by its target (siblings such as `description` kept).
fn inline(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return json!({});
    }
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let mut target = match resolve(doc, reference) {
                    Some(target) => inline(doc, target, depth + 1),
                    None => json!({}),
                };
                if let Value::Object(target) = &mut target {
                    for (key, value) in map.iter().filter(|(k, _)| k.as_str() != "$ref") {
                        target.insert(key.clone(), inline(doc, value, depth + 1));
                    }
                }
                return target;
            }
            let inline_map = |m: &Map<String, Value>| -> Value {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), inline(doc, v, depth + 1))).collect())
            };
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("properties", Value::Object(props)) => inline_map(props),
                        ("items" | "additionalProperties" | "not", _) => inline(doc, value, depth + 1),
                        ("allOf" | "anyOf" | "oneOf", Value::Array(list)) => {
                            Value::Array(list.iter().map(|s| inline(doc, s, depth + 1)).collect())
                        }
                        _ => value.clone(),
                    };
                    (key.clone(), value)
                })
                .collect::<Map<String, Value>>()
                .into()
        }
        other => other.clone(),
    }
}

/// Per operationId: its parameters and body properties as one object schema.
fn operations(doc: &Value) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    let paths = doc["paths"].as_object().ok_or("the spec has no paths")?;
    for item in paths.values() {
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let id = operation["operationId"].as_str().ok_or("an operation without an operationId")?;
            out.insert(id.to_string(), operation_schema(doc, id, operation)?);
        }
    }
    Ok(out)
}

fn operation_schema(doc: &Value, id: &str, operation: &Value) -> Result<Value, String> {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for parameter in operation["parameters"].as_array().into_iter().flatten() {
        let parameter = match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => resolve(doc, reference).ok_or(format!("{id}: unresolved {reference}"))?,
            None => parameter,
        };
        if !matches!(parameter["in"].as_str(), Some("path" | "query")) {
            continue;
        }
        let name = parameter["name"].as_str().ok_or(format!("{id}: a parameter without a name"))?;
        let mut schema = inline(doc, &parameter["schema"], 0);
        if let (Value::Object(map), Some(description)) = (&mut schema, parameter["description"].as_str()) {
            map.insert("description".into(), description.into());
        }
        if parameter["required"] == Value::Bool(true) {
            required.push(Value::from(name));
        }
        properties.insert(name.to_string(), schema);
    }
    let body = &operation["requestBody"]["content"]["application/json"]["schema"];
    if !body.is_null() {
        let body = inline(doc, body, 0);
        for (name, schema) in body["properties"].as_object().into_iter().flatten() {
            if properties.insert(name.clone(), schema.clone()).is_some() {
                return Err(format!("{id}: body property {name} has the name of a parameter"));
            }
        }
        required.extend(body["required"].as_array().into_iter().flatten().cloned());
    }
    let mut schema = json!({"type": "object", "properties": properties, "required": required});
    if let Some(summary) = operation["summary"].as_str() {
        schema["description"] = summary.into();
    }
    Ok(schema)
}

fn component_schemas(doc: &Value) -> Map<String, Value> {
    let schemas = doc["components"]["schemas"].as_object().into_iter().flatten();
    schemas.map(|(name, schema)| (name.clone(), inline(doc, schema, 0))).collect()
}

/// `{code: description}` from the `ErrorCode` schema's known values and their descriptions.
fn error_codes(doc: &Value) -> Map<String, Value> {
    let schema = &doc["components"]["schemas"]["ErrorCode"];
    let codes = schema["x-known-values"].as_array().into_iter().flatten();
    let descriptions = schema["x-enum-descriptions"].as_array().cloned().unwrap_or_default();
    codes
        .enumerate()
        .filter_map(|(i, code)| {
            Some((code.as_str()?.to_string(), descriptions.get(i).cloned().unwrap_or(Value::Null)))
        })
        .collect()
}

/// Per operationId, the top-level body properties marked `x-hostup-secret` (before conversion,
/// which drops `x-` keys).
fn secret_arguments(doc: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for item in doc["paths"].as_object().into_iter().flat_map(|p| p.values()) {
        for operation in METHODS.iter().filter_map(|m| item.get(*m)) {
            let (Some(id), body) = (
                operation["operationId"].as_str(),
                &operation["requestBody"]["content"]["application/json"]["schema"],
            ) else {
                continue;
            };
            let body = inline(doc, body, 0);
            let secret: Vec<Value> = body["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, schema)| schema["x-hostup-secret"] == Value::Bool(true))
                .map(|(name, _)| Value::from(name.as_str()))
                .collect();
            if !secret.is_empty() {
                out.insert(id.to_string(), Value::Array(secret));
            }
        }
    }
    out
}
