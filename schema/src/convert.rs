//! OpenAPI 3.0 schemas as JSON Schema 2020-12: pure JSON rewriting, no validator (the MCP server's
//! build script uses only this part).

use serde_json::{Map, Value, json};

/// Schema keywords that exist in OpenAPI 3.0 but have no validation meaning in JSON Schema.
const DROPPED_KEYWORDS: [&str; 6] =
    ["nullable", "example", "deprecated", "discriminator", "xml", "externalDocs"];

/// Annotations kept on the outside of a nullable wrapper so they stay attached to the property.
const ANNOTATIONS: [&str; 5] = ["title", "description", "default", "readOnly", "writeOnly"];

/// Keywords whose value is a single subschema.
const SUBSCHEMA_KEYWORDS: [&str; 3] = ["items", "not", "additionalProperties"];

/// Keywords whose value is a list of subschemas.
const SUBSCHEMA_LIST_KEYWORDS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// Keywords that make a schema a composite, which a nullable must wrap rather than extend.
const COMPOSITE_KEYWORDS: [&str; 5] = ["$ref", "allOf", "anyOf", "oneOf", "not"];

/// Keys whose values are data in the document (never converted as schemas).
const DATA_KEYS: [&str; 3] = ["example", "examples", "default"];

/// Keys whose object values are maps of user-chosen names (property names, status codes, media
/// types, component names), so the keys inside them are never keywords.
const NAMED_MAPS: [&str; 14] = [
    "properties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "examples",
    "securitySchemes",
    "links",
    "callbacks",
    "content",
    "paths",
    "encoding",
    "variables",
];

/// True when the object under `key` is a map of names rather than an OpenAPI object.
pub fn is_named_map(key: &str) -> bool {
    NAMED_MAPS.contains(&key)
}

/// Converts one OpenAPI 3.0 schema object (recursively) into JSON Schema 2020-12.
///
/// - `nullable: true` admits `null`: `type: T` becomes `type: [T, "null"]` (and an `enum` gains
///   `null`); a schema built from `$ref`/`allOf`/`oneOf`/`anyOf`/`not` becomes
///   `anyOf: [<schema>, {type: null}]`.
/// - Boolean `exclusiveMinimum`/`exclusiveMaximum` (draft 4 style) become numeric ones.
/// - `example`, `deprecated`, `discriminator`, `xml`, `externalDocs` and `x-*` are dropped.
pub fn convert_schema(schema: &Value) -> Value {
    let Value::Object(source) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in source {
        if DROPPED_KEYWORDS.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let converted = match key.as_str() {
            "properties" => match value {
                Value::Object(props) => {
                    Value::Object(props.iter().map(|(name, s)| (name.clone(), convert_schema(s))).collect())
                }
                other => other.clone(),
            },
            k if SUBSCHEMA_KEYWORDS.contains(&k) => convert_schema(value),
            k if SUBSCHEMA_LIST_KEYWORDS.contains(&k) => match value {
                Value::Array(list) => Value::Array(list.iter().map(convert_schema).collect()),
                other => other.clone(),
            },
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    convert_exclusive(&mut out, "exclusiveMaximum", "maximum");
    convert_exclusive(&mut out, "exclusiveMinimum", "minimum");
    if source.get("nullable") == Some(&Value::Bool(true)) { make_nullable(out) } else { Value::Object(out) }
}

/// `{maximum: m, exclusiveMaximum: true}` → `{exclusiveMaximum: m}`; `false` is dropped.
fn convert_exclusive(schema: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    match schema.get(exclusive) {
        Some(Value::Bool(true)) => {
            schema.remove(exclusive);
            if let Some(limit) = schema.remove(bound) {
                schema.insert(exclusive.to_string(), limit);
            }
        }
        Some(Value::Bool(false)) => {
            schema.remove(exclusive);
        }
        _ => {}
    }
}

fn make_nullable(mut schema: Map<String, Value>) -> Value {
    let composite = COMPOSITE_KEYWORDS.iter().any(|k| schema.contains_key(*k));
    if composite {
        let mut wrapper = Map::new();
        for key in ANNOTATIONS {
            if let Some(value) = schema.remove(key) {
                wrapper.insert(key.to_string(), value);
            }
        }
        wrapper.insert("anyOf".to_string(), json!([Value::Object(schema), {"type": "null"}]));
        return Value::Object(wrapper);
    }
    match schema.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            schema.insert("type".to_string(), json!([t, "null"]));
        }
        Some(Value::Array(types)) if !types.contains(&json!("null")) => types.push(json!("null")),
        _ => {}
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&Value::Null)
    {
        values.push(Value::Null);
    }
    Value::Object(schema)
}

/// Returns a copy of the whole spec in which every schema (under `components/schemas` and every
/// `schema` of a media type, parameter or header) is converted with [`convert_schema`].
/// Everything else is kept, so JSON pointers into the spec stay valid in the copy.
pub fn convert_document(doc: &Value) -> Value {
    let mut out = doc.clone();
    convert_in_place(&mut out, None, None);
    out
}

fn convert_in_place(value: &mut Value, key: Option<&str>, parent_key: Option<&str>) {
    let named = |k: Option<&str>| k.is_some_and(is_named_map);
    let is_schema = (key == Some("schema") && !named(parent_key)) || parent_key == Some("schemas");
    if is_schema {
        *value = convert_schema(value);
        return;
    }
    match value {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if !named(key) && (DATA_KEYS.contains(&k.as_str()) || k.starts_with("x-")) {
                    continue;
                }
                convert_in_place(child, Some(k), key);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| convert_in_place(item, None, key)),
        _ => {}
    }
}
