//! A request checked against its operation: path and query parameters and the JSON body against
//! their schemas, every problem reported at once as 400 `invalid_request` with field pointers.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::operation::Param;
use super::{Api, In, Operation};
use crate::problem::{Fail, field};
use hostup::types::FieldError;

/// A request that passed its operation's checks, as handlers see it.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub op: &'a Operation,
    /// Path parameters by name, decoded.
    pub path: Vec<(String, String)>,
    /// The query string's pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The JSON body; `Null` when none was sent.
    pub body: Value,
}

impl Call<'_> {
    /// A path parameter's value (empty when the template has no such parameter).
    pub fn param(&self, name: &str) -> &str {
        self.path.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    /// The body as the generated request type; no body reads as `{}`. The body already matched
    /// the spec's schema, so this fails only where the type is stricter than the schema.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, Fail> {
        let body = if self.body.is_null() { Value::Object(Map::new()) } else { self.body.clone() };
        serde_path_to_error::deserialize(body).map_err(|e| {
            let pointer: String = e.path().iter().map(|s| format!("/{s}")).collect();
            Fail::invalid(&pointer, "invalid_value", e.inner().to_string())
        })
    }
}

/// The code of a field error, from the JSON Schema keyword that failed.
fn code(keyword: &str) -> &'static str {
    match keyword {
        "required" => "missing_required",
        "additionalProperties" => "unknown_field",
        "type" => "invalid_type",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "out_of_range",
        "minLength" | "maxLength" => "invalid_length",
        "pattern" | "format" => "invalid_format",
        "maxItems" => "too_many_items",
        "minItems" => "too_few_items",
        _ => "invalid_value",
    }
}

/// A raw parameter value as the JSON type its schema names; a value that does not parse stays a
/// string, so the schema reports it.
fn typed(raw: &str, kind: &str) -> Value {
    let parsed = match kind {
        // Beyond 64 bits an integer is still one (the spec sets no bound): keep it as a number.
        "integer" => raw.parse::<i64>().ok().map(Value::from).or_else(|| {
            let digits = raw.strip_prefix('-').unwrap_or(raw);
            let whole = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            whole
                .then(|| raw.parse::<f64>().ok().and_then(serde_json::Number::from_f64))
                .flatten()
                .map(Value::Number)
        }),
        "number" => raw.parse::<f64>().ok().and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
        "boolean" => raw.parse::<bool>().ok().map(Value::Bool),
        _ => None,
    };
    parsed.unwrap_or_else(|| json!(raw))
}

fn check(api: &Api, param: &Param, value: &Value, errors: &mut Vec<FieldError>) {
    let Some(schema) = &param.schema else { return };
    let pointer = format!("/{}", param.name);
    match schema.get(&api.validators) {
        Ok(schema) => errors.extend(schema.field_violations(value).into_iter().map(|v| {
            let detail = format!("`{}`: {}", param.name, v.reason);
            field(&format!("{pointer}{}", v.pointer), code(&v.keyword), detail)
        })),
        Err(broken) => errors.push(field(&pointer, "invalid_value", broken)),
    }
}

/// Checks a request against `op`.
pub(crate) fn validate<'a>(
    api: &Api,
    op: &'a Operation,
    path: Vec<(String, String)>,
    query: Option<&str>,
    body: &[u8],
) -> Result<Call<'a>, Fail> {
    let query: Vec<(String, String)> =
        query.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
    let mut errors = Vec::new();
    for param in &op.params {
        let value = match param.location {
            In::Path => path.iter().find(|(n, _)| *n == param.name).map(|(_, v)| typed(v, &param.kind)),
            In::Query => {
                let mut sent =
                    query.iter().filter(|(n, _)| *n == param.name).map(|(_, v)| v.as_str()).peekable();
                match (sent.peek().is_some(), param.kind.as_str()) {
                    (false, _) => None,
                    (true, "array") => Some(Value::Array(sent.map(|v| typed(v, &param.item_kind)).collect())),
                    (true, kind) => sent.last().map(|v| typed(v, kind)),
                }
            }
        };
        match value {
            Some(value) => check(api, param, &value, &mut errors),
            None if param.required => {
                let detail = format!("`{}` is required.", param.name);
                errors.push(field(&format!("/{}", param.name), "missing_required", detail));
            }
            None => {}
        }
    }
    let body = read_body(api, op, body, &mut errors)?;
    if !errors.is_empty() {
        return Err(Fail::invalid_fields(errors));
    }
    Ok(Call { op, path, query, body })
}

fn read_body(api: &Api, op: &Operation, raw: &[u8], errors: &mut Vec<FieldError>) -> Result<Value, Fail> {
    let Some(spec) = &op.body else { return Ok(Value::Null) };
    // Only a missing body is no body; whitespace alone is a body that is not JSON.
    if raw.is_empty() {
        if spec.required {
            errors.push(field("", "missing_required", "A JSON body is required."));
        }
        return Ok(Value::Null);
    }
    let body: Value = serde_json::from_slice(raw)
        .map_err(|e| Fail::invalid("", "invalid_json", format!("The body is not valid JSON: {e}.")))?;
    if let Some(schema) = &spec.schema {
        match schema.get(&api.validators) {
            Ok(schema) => errors.extend(
                schema
                    .field_violations(&body)
                    .into_iter()
                    .map(|v| field(&v.pointer, code(&v.keyword), v.reason)),
            ),
            Err(broken) => errors.push(field("", "invalid_value", broken)),
        }
    }
    Ok(body)
}
