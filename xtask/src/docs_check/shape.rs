//! What the spec says about one operation, in the terms a page uses: resolved schema shapes
//! (following `$ref`, merging `allOf`, reading `nullable` wrappers) and flattened field lists.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::model::Auth;
use crate::spec::{self, Operation};

/// Deepest nesting followed when resolving or flattening (guards against cyclic schemas).
const MAX_DEPTH: usize = 24;

/// How a schema treats properties it does not declare.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// Not said (JSON Schema then accepts anything).
    Unsaid,
    /// `additionalProperties: true` or `{}`.
    Any,
    /// `additionalProperties: false`.
    Closed,
    /// `additionalProperties: <schema>`: a map whose values have this schema (pointer).
    Schema(String),
}

/// A schema resolved into what a page can state about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Type words (`string`, `object`, `array<object>`); several for `oneOf`/`anyOf`; empty when
    /// the schema does not restrict the type.
    pub types: BTreeSet<String>,
    /// Whether `null` is accepted.
    pub nullable: bool,
    /// Allowed values (`null` left out), when the schema has an `enum`.
    pub enum_values: Option<Vec<String>>,
    /// Declared properties in key order (as the spec is loaded): name and the pointer to its schema.
    pub properties: Vec<(String, String)>,
    /// Required property names.
    pub required: BTreeSet<String>,
    /// Pointer to the `items` schema, for arrays.
    pub items: Option<String>,
    /// Treatment of undeclared properties.
    pub additional: Additional,
}

impl Shape {
    fn empty() -> Self {
        Shape {
            types: BTreeSet::new(),
            nullable: false,
            enum_values: None,
            properties: Vec::new(),
            required: BTreeSet::new(),
            items: None,
            additional: Additional::Unsaid,
        }
    }

    /// The types for messages: `number|string`, or `any`.
    pub fn type_label(&self) -> String {
        if self.types.is_empty() {
            "any".to_string()
        } else {
            self.types.iter().cloned().collect::<Vec<_>>().join("|")
        }
    }

    /// The pointer to a declared property's schema.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.iter().find(|(n, _)| n == name).map(|(_, p)| p.as_str())
    }
}

/// Resolves the schema at `pointer` in `doc` into a [`Shape`].
pub fn shape(doc: &Value, pointer: &str) -> Shape {
    let mut out = Shape::empty();
    collect(doc, pointer, &mut out, 0);
    if out.types.is_empty() {
        if !out.properties.is_empty() || matches!(out.additional, Additional::Schema(_)) {
            out.types.insert("object".to_string());
        } else if out.items.is_some() {
            out.types.insert("array".to_string());
        }
    }
    if out.types.remove("array") {
        let item = out.items.as_ref().map(|items| shape(doc, items).type_label());
        out.types.insert(match item {
            Some(item) if item != "any" => format!("array<{item}>"),
            _ => "array".to_string(),
        });
    }
    out
}

fn collect(doc: &Value, pointer: &str, out: &mut Shape, depth: usize) {
    let Some(schema) = doc.pointer(pointer) else { return };
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str).and_then(spec::ref_pointer) {
        collect(doc, &target, out, depth + 1);
    }
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        out.nullable = true;
    }
    match schema.get("type") {
        Some(Value::String(t)) if t == "null" => out.nullable = true,
        Some(Value::String(t)) => {
            out.types.insert(t.clone());
        }
        _ => {}
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        out.nullable |= values.contains(&Value::Null);
        out.enum_values = Some(values.iter().filter(|v| !v.is_null()).map(enum_text).collect());
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        let base = spec::join(pointer, "properties");
        for name in props.keys() {
            if out.property(name).is_none() {
                out.properties.push((name.clone(), spec::join(&base, name)));
            }
        }
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        out.required.extend(required.iter().filter_map(Value::as_str).map(str::to_string));
    }
    if schema.get("items").is_some() {
        out.items = Some(spec::join(pointer, "items"));
    }
    match schema.get("additionalProperties") {
        Some(Value::Bool(true)) => out.additional = Additional::Any,
        Some(Value::Bool(false)) => out.additional = Additional::Closed,
        Some(Value::Object(map)) if map.is_empty() => out.additional = Additional::Any,
        Some(Value::Object(_)) => {
            out.additional = Additional::Schema(spec::join(pointer, "additionalProperties"))
        }
        _ => {}
    }
    for (i, _) in schema.get("allOf").and_then(Value::as_array).into_iter().flatten().enumerate() {
        collect(doc, &format!("{pointer}/allOf/{i}"), out, depth + 1);
    }
    for key in ["oneOf", "anyOf"] {
        for (i, _) in schema.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            let branch = shape(doc, &format!("{pointer}/{key}/{i}"));
            out.nullable |= branch.nullable;
            out.types.extend(branch.types);
        }
    }
}

fn enum_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One field of a body schema, flattened to a page-style dotted path.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecField {
    /// Dotted path; array elements are `name[]`.
    pub path: String,
    /// Whether the enclosing object requires it.
    pub required: bool,
    /// Pointer to its schema (for validating field examples).
    pub pointer: String,
    /// Its resolved shape.
    pub shape: Shape,
}

/// Every field of the body schema at `pointer`, depth first, in key order. Objects nested in
/// arrays continue as `name[].child`; map values (`additionalProperties` schemas) are not listed.
pub fn flatten(doc: &Value, pointer: &str) -> Vec<SpecField> {
    let mut out = Vec::new();
    flatten_into(doc, &shape(doc, pointer), "", &mut out, 0);
    out
}

fn flatten_into(doc: &Value, parent: &Shape, prefix: &str, out: &mut Vec<SpecField>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for (name, pointer) in &parent.properties {
        let path = format!("{prefix}{name}");
        let shape = shape(doc, pointer);
        let mut inner = shape.clone();
        let mut child_prefix = format!("{path}.");
        while let Some(items) = inner.items.clone() {
            inner = self::shape(doc, &items);
            child_prefix = format!("{}[].", child_prefix.trim_end_matches('.'));
        }
        out.push(SpecField {
            path,
            required: parent.required.contains(name),
            pointer: pointer.clone(),
            shape,
        });
        flatten_into(doc, &inner, &child_prefix, out, depth + 1);
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecParam {
    /// Name.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Whether it is required.
    pub required: bool,
    /// Its `minimum`, if any.
    pub min: Option<f64>,
    /// Pointer to its schema, if it has one.
    pub schema: Option<String>,
}

/// The operation's parameters: path-level first, then operation-level ones overriding them.
pub fn parameters(doc: &Value, op: &Operation<'_>) -> Vec<SpecParam> {
    let mut out: Vec<SpecParam> = Vec::new();
    for (owner, owner_pointer) in [(op.path_item, &op.path_item_pointer), (op.value, &op.pointer)] {
        let Some(params) = owner.get("parameters").and_then(Value::as_array) else { continue };
        for (i, param) in params.iter().enumerate() {
            let Ok((pointer, param)) = spec::deref(doc, format!("{owner_pointer}/parameters/{i}"), param)
            else {
                continue;
            };
            let text = |key: &str| param.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
            let schema = param.get("schema").map(|_| format!("{pointer}/schema"));
            let min =
                schema.as_ref().and_then(|s| doc.pointer(&format!("{s}/minimum"))).and_then(Value::as_f64);
            let param = SpecParam {
                name: text("name"),
                location: text("in"),
                required: param.get("required") == Some(&Value::Bool(true)),
                min,
                schema,
            };
            out.retain(|p| (&p.name, &p.location) != (&param.name, &param.location));
            out.push(param);
        }
    }
    out
}

/// The JSON media type schema of a request body or response object, as a pointer.
fn json_schema(pointer: &str, owner: &Value) -> Option<String> {
    let content = owner.get("content")?.as_object()?;
    let (media, media_value) = content.iter().find(|(media, _)| spec::is_json_media_type(media))?;
    media_value.get("schema")?;
    Some(format!("{}/schema", spec::join(&spec::join(pointer, "content"), media)))
}

/// The request body: whether it is required, and its JSON schema pointer. `None` without a body.
pub fn request_body(doc: &Value, op: &Operation<'_>) -> Option<(bool, Option<String>)> {
    let body = op.value.get("requestBody")?;
    let (pointer, body) = spec::deref(doc, format!("{}/requestBody", op.pointer), body).ok()?;
    let required = body.get("required") == Some(&Value::Bool(true));
    Some((required, json_schema(&pointer, body)))
}

/// Responses by status: the JSON schema pointer of each (None for a body-less response).
pub fn responses(doc: &Value, op: &Operation<'_>) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    for (status, response) in op.value.get("responses").and_then(Value::as_object).into_iter().flatten() {
        let at = spec::join(&format!("{}/responses", op.pointer), status);
        let schema = spec::deref(doc, at, response).ok().and_then(|(p, r)| json_schema(&p, r));
        out.insert(status.clone(), schema);
    }
    out
}

/// The scopes in `x-required-scopes`.
pub fn scopes(op: &Operation<'_>) -> Vec<String> {
    let scopes = op.value.get("x-required-scopes").and_then(Value::as_array);
    scopes.into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
}

/// The authentication schemes the operation accepts (its `security`, else the document's).
pub fn auth(doc: &Value, op: &Operation<'_>) -> BTreeSet<Auth> {
    let security = op.value.get("security").or_else(|| doc.get("security"));
    let schemes = doc.pointer("/components/securitySchemes");
    let mut out = BTreeSet::new();
    for requirement in security.and_then(Value::as_array).into_iter().flatten() {
        for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
            let Some(scheme) = schemes.and_then(|s| s.get(name)) else { continue };
            let text =
                |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
            match (text("type").as_str(), text("scheme").as_str(), text("name").as_str()) {
                ("http", "bearer", _) => out.insert(Auth::Bearer),
                ("apikey", _, "x-api-key") => out.insert(Auth::ApiKey),
                _ => false,
            };
        }
    }
    out
}

/// A path template with parameter names blanked (`/a/{}/b`), so `{id}` and `{vmid}` match.
pub fn template_key(path: &str) -> String {
    let mut out = String::new();
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            c if !in_name => out.push(c),
            _ => {}
        }
    }
    out.trim_end_matches('/').to_string()
}

/// The operation for `method` and `path` (path parameter names may differ).
pub fn find_operation<'a>(doc: &'a Value, method: &str, path: &str) -> Option<Operation<'a>> {
    let key = template_key(path);
    spec::operations(doc)
        .into_iter()
        .find(|op| op.method.eq_ignore_ascii_case(method) && template_key(op.path) == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Outer": {"type": "object", "required": ["state", "items"], "properties": {
                "state": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/State"}]},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Inner"}},
                "number": {"oneOf": [{"type": "number"}, {"type": "string"}]},
                "map": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Inner"}}
            }},
            "State": {"type": "string", "enum": ["on", "", null]},
            "Inner": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}
        }}})
    }

    #[test]
    fn refs_nullable_wrappers_arrays_and_one_of_resolve() {
        let doc = doc();
        let state = shape(&doc, "/components/schemas/Outer/properties/state");
        assert!(state.nullable);
        assert_eq!(state.type_label(), "string");
        assert_eq!(state.enum_values.as_deref(), Some(&["on".to_string(), String::new()][..]));
        assert_eq!(shape(&doc, "/components/schemas/Outer/properties/items").type_label(), "array<object>");
        assert_eq!(shape(&doc, "/components/schemas/Outer/properties/number").type_label(), "number|string");
        let map = shape(&doc, "/components/schemas/Outer/properties/map");
        assert_eq!(
            map.additional,
            Additional::Schema("/components/schemas/Outer/properties/map/additionalProperties".into())
        );
    }

    #[test]
    fn flattening_walks_into_array_items_but_not_maps() {
        let doc = doc();
        let fields: Vec<_> =
            flatten(&doc, "/components/schemas/Outer").into_iter().map(|f| (f.path, f.required)).collect();
        let expected =
            [("items", true), ("items[].n", true), ("map", false), ("number", false), ("state", true)];
        assert_eq!(fields, expected.map(|(p, r)| (p.to_string(), r)));
    }

    #[test]
    fn templates_match_whatever_the_names() {
        assert_eq!(template_key("/api/vm/{vmid}/details"), template_key("/api/vm/{id}/details"));
        assert_ne!(template_key("/api/v2/vps/{id}"), template_key("/api/v2/vps/{id}/details"));
    }
}
