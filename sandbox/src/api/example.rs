//! Example answers: the spec's own example of a response, or a body built from its schema when it
//! has none, with the request's path parameters put in place of the parameters' examples.

use serde_json::{Map, Value, json};

use super::operation::resolve;

/// The example of the media type at `media` (`.../content/application~1json`): its `example`, the
/// first of its `examples`, the schema's `example`, or a minimal body built from the schema.
pub(crate) fn of_media(doc: &Value, media: &str) -> Value {
    let Some(content) = doc.pointer(media) else { return Value::Null };
    if let Some(example) = content.get("example") {
        return example.clone();
    }
    let first = content.get("examples").and_then(Value::as_object).and_then(|e| e.values().next());
    if let Some(named) = first {
        let named = named["$ref"].as_str().and_then(|r| doc.pointer(r.strip_prefix('#')?)).unwrap_or(named);
        return named.get("value").cloned().unwrap_or(Value::Null);
    }
    build(doc, &format!("{media}/schema"), 0)
}

/// A value the schema at `pointer` accepts: required members only, the smallest numbers, the first
/// enum value; the schema's own example wherever it has one.
fn build(doc: &Value, pointer: &str, depth: usize) -> Value {
    let Some((pointer, schema)) = resolve(doc, pointer) else { return Value::Null };
    if depth > 16 {
        return Value::Null;
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        let parts = (0..members.len()).map(|i| build(doc, &format!("{pointer}/allOf/{i}"), depth + 1));
        return parts.reduce(merge).unwrap_or(Value::Null);
    }
    for choice in ["oneOf", "anyOf"] {
        if schema.get(choice).is_some() {
            return build(doc, &format!("{pointer}/{choice}/0"), depth + 1);
        }
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    let minimum = || schema.get("minimum").cloned().unwrap_or(json!(0));
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let required = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str);
            let members: Map<String, Value> = required
                .map(|name| {
                    let at = format!("{pointer}/properties/{}", name.replace('~', "~0").replace('/', "~1"));
                    (name.to_string(), build(doc, &at, depth + 1))
                })
                .collect();
            Value::Object(members)
        }
        Some("array") => match schema.get("minItems").and_then(Value::as_u64) {
            Some(n) if n > 0 => json!([build(doc, &format!("{pointer}/items"), depth + 1)]),
            _ => json!([]),
        },
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2026-04-27T12:00:00.000Z"),
            Some("date") => json!("2026-04-27"),
            _ => json!("x".repeat(schema["minLength"].as_u64().unwrap_or(1).max(1) as usize)),
        },
        Some("integer" | "number") => minimum(),
        Some("boolean") => json!(false),
        _ if schema.get("nullable") == Some(&json!(true)) => Value::Null,
        _ => json!({}),
    }
}

fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            a.extend(b);
            Value::Object(a)
        }
        (_, b) => b,
    }
}

/// Puts the request's values where the parameters' examples stand: a string example anywhere
/// inside a string (so `pollUrl`s and `instance`s follow), a number example where it is the whole
/// value.
pub(crate) fn fill(body: &mut Value, replacements: &[(&Value, &str)]) {
    match body {
        Value::String(text) => {
            for (example, actual) in replacements {
                match example {
                    Value::String(example) if !example.is_empty() && text.contains(example.as_str()) => {
                        *text = text.replace(example.as_str(), actual);
                    }
                    Value::Number(n) if *text == n.to_string() => *text = actual.to_string(),
                    _ => {}
                }
            }
        }
        Value::Number(n) => {
            let found = replacements.iter().find(|(example, _)| example.as_f64() == n.as_f64());
            if let Some(number) = found.and_then(|(_, actual)| actual.parse::<serde_json::Number>().ok()) {
                *n = number;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| fill(item, replacements)),
        Value::Object(members) => members.values_mut().for_each(|member| fill(member, replacements)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_take_the_request_ids() {
        let mut body = json!({"id": "vps_x", "pollUrl": "/api/jobs/vps_x/a", "n": 7, "other": 8, "s": "7"});
        let (id, n) = (json!("vps_x"), json!(7));
        fill(&mut body, &[(&id, "vps_real"), (&n, "42")]);
        assert_eq!(
            body,
            json!({"id": "vps_real", "pollUrl": "/api/jobs/vps_real/a", "n": 42, "other": 8, "s": "42"})
        );
    }

    #[test]
    fn schemas_without_examples_still_give_a_valid_body() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["n", "e", "b", "l"], "properties": {
                "n": {"type": "integer", "minimum": 3},
                "e": {"type": "string", "enum": ["on", "off"]},
                "b": {"$ref": "#/components/schemas/B"},
                "l": {"type": "array", "items": {"type": "string"}},
                "skipped": {"type": "string"}
            }},
            "B": {"allOf": [{"type": "object", "required": ["x"], "properties": {"x": {"type": "boolean"}}}]}
        }}});
        let body = build(&doc, "/components/schemas/A", 0);
        assert_eq!(body, json!({"n": 3, "e": "on", "b": {"x": false}, "l": []}));
    }
}
