//! Rewrites applied to a copy of the spec before progenitor sees it.
//!
//! - `application/problem+json` becomes `application/json`: progenitor only decodes JSON media
//!   types, and without this every v2 error would arrive as an untyped byte stream.
//! - A property marked `x-hostup-secret` becomes a reference to a synthetic `HostupSecret` schema,
//!   which the generator replaces with the crate's redacting `Secret` type.
//!
//! [`nullable_refs`] runs earlier, when the spec is loaded, for every reader (see `load_spec`).

use serde_json::{Map, Value, json};

/// Name of the synthetic schema that secret properties point to.
pub const SECRET_SCHEMA: &str = "HostupSecret";

/// Returns the spec with the rewrites applied.
pub fn for_progenitor(spec: &Value) -> Value {
    let mut spec = spec.clone();
    rename_problem_json(&mut spec);
    let mut found_secret = false;
    mark_secrets(&mut spec, &mut found_secret);
    if found_secret
        && let Some(schemas) = spec.pointer_mut("/components/schemas").and_then(Value::as_object_mut)
    {
        schemas.insert(
            SECRET_SCHEMA.to_string(),
            json!({"type": "string", "description": "A secret string; never printed."}),
        );
    }
    spec
}

/// The copy used for the httpmock helpers: progenitor's mock generator matches an array-valued
/// query parameter with `to_string()`, which a `Vec` lacks, so those matchers are left out (a test
/// can still match them through `into_inner()`).
pub fn for_mocks(prepared: &Value) -> Value {
    let mut spec = prepared.clone();
    if let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                    params.retain(|p| {
                        !(p["in"] == "query" && p.pointer("/schema/type") == Some(&json!("array")))
                    });
                }
            }
        }
    }
    spec
}

/// Reads the strict OpenAPI 3.0.3 nullable reference, `oneOf: [{$ref: X}, {type: T, nullable: true,
/// enum: [null]}]`, as `nullable: true` + `allOf: [{$ref: X}]`.
///
/// The spec uses the strict form because 3.0.3's `nullable` only extends a `type` in the same
/// schema: beside a bare `allOf` it is an error for Redocly and Spectral, and `null` still fails the
/// referenced schema. Progenitor (an `Option` of the referenced type) and the repository's tools
/// read the `allOf` form, so everything that loads the spec sees that one.
pub fn nullable_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("oneOf").and_then(nullable_ref_target) {
                map.remove("oneOf");
                map.insert("nullable".into(), Value::Bool(true));
                map.insert("allOf".into(), json!([reference]));
            }
            map.values_mut().for_each(nullable_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_refs),
        _ => {}
    }
}

/// The `$ref` branch of a two-branch `oneOf` whose other branch admits only `null`.
fn nullable_ref_target(one_of: &Value) -> Option<Value> {
    let [a, b] = one_of.as_array()?.as_slice() else { return None };
    let is_ref = |v: &Value| v.as_object().is_some_and(|m| m.len() == 1 && m.contains_key("$ref"));
    let is_null =
        |v: &Value| v.get("nullable") == Some(&json!(true)) && v.get("enum") == Some(&json!([null]));
    match (is_ref(a) && is_null(b), is_ref(b) && is_null(a)) {
        (true, _) => Some(a.clone()),
        (_, true) => Some(b.clone()),
        _ => None,
    }
}

fn rename_problem_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(content) = map.get_mut("content").and_then(Value::as_object_mut)
                && let Some(problem) = content.remove("application/problem+json")
            {
                content.entry("application/json").or_insert(problem);
            }
            map.values_mut().for_each(rename_problem_json);
        }
        Value::Array(items) => items.iter_mut().for_each(rename_problem_json),
        _ => {}
    }
}

fn mark_secrets(value: &mut Value, found: &mut bool) {
    match value {
        Value::Object(map) => {
            if let Some(props) = map.get_mut("properties").and_then(Value::as_object_mut) {
                for prop in props.values_mut() {
                    if is_secret(prop) {
                        *found = true;
                        *prop = secret_ref(prop.as_object().expect("checked by is_secret"));
                    }
                }
            }
            map.values_mut().for_each(|v| mark_secrets(v, found));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mark_secrets(v, found)),
        _ => {}
    }
}

fn is_secret(schema: &Value) -> bool {
    schema.get("x-hostup-secret").and_then(Value::as_bool) == Some(true)
}

fn secret_ref(original: &Map<String, Value>) -> Value {
    let reference = json!({"$ref": format!("#/components/schemas/{SECRET_SCHEMA}")});
    let mut out = Map::new();
    // `nullable` next to a bare `$ref` is ignored by the generator; `allOf` keeps it.
    out.insert("allOf".into(), Value::Array(vec![reference]));
    for key in ["nullable", "description"] {
        if let Some(v) = original.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mocks_leave_out_array_query_parameters() {
        let spec = json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "include", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}]}}}});
        let params = for_mocks(&spec)["paths"]["/a"]["get"]["parameters"].clone();
        assert_eq!(params.as_array().unwrap().len(), 1);
        assert_eq!(params[0]["name"], "limit");
    }

    #[test]
    fn strict_nullable_refs_read_as_nullable_all_of() {
        let mut spec = json!({"properties": {
            "os": {"description": "d", "oneOf": [
                {"$ref": "#/components/schemas/Os"},
                {"type": "object", "nullable": true, "enum": [null]}]},
            "either": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}}});
        nullable_refs(&mut spec);
        assert_eq!(
            spec["properties"]["os"],
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/Os"}]})
        );
        assert_eq!(spec["properties"]["either"]["oneOf"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn problem_json_becomes_json() {
        let spec = json!({"paths": {"/a": {"get": {"responses": {"400": {"content": {
            "application/problem+json": {"schema": {"type": "object"}}}}}}}}});
        let out = for_progenitor(&spec);
        let content = out.pointer("/paths/~1a/get/responses/400/content").unwrap();
        assert!(content.get("application/json").is_some());
        assert!(content.get("application/problem+json").is_none());
    }

    #[test]
    fn secret_property_points_at_secret_schema_and_keeps_nullable() {
        let spec = json!({"components": {"schemas": {"A": {"type": "object", "properties": {
            "pw": {"type": "string", "nullable": true, "x-hostup-secret": true},
            "user": {"type": "string"}}}}}});
        let out = for_progenitor(&spec);
        let pw = out.pointer("/components/schemas/A/properties/pw").unwrap();
        assert_eq!(pw["allOf"][0]["$ref"], "#/components/schemas/HostupSecret");
        assert_eq!(pw["nullable"], true);
        assert_eq!(out.pointer("/components/schemas/A/properties/user/type").unwrap(), "string");
        assert!(out.pointer("/components/schemas/HostupSecret").is_some());
    }
}
