//! Compares a [`PageModel`] with the spec's operation for the same method and path.
//!
//! Checked, each difference one [`Drift`]:
//! - the operation exists; the page's statuses against the spec's, both ways;
//! - the scope (`x-required-scopes`) and the authentication scheme (`security`);
//! - parameters: presence both ways, type, required, minimum, and that the page's example fits;
//! - request body and response fields: presence both ways, type, required, nullable and enum
//!   values. A spec field missing from the page is reported only when the page describes the
//!   enclosing object in full, i.e. lists at least one of its children (for the body root: lists
//!   any field). Objects the page lists as plain `object` are not expanded;
//! - examples: every body example on the page and every field example must validate against the
//!   spec's schema (with the validator of `cargo xtask check`), and every key in a body example
//!   must be declared by the spec (keys under free-form objects and maps are not checked).
//!
//! Built-in comparison rules (integer/number variance, plain-text empty enum values) are in
//! [`super::leniency`], with the per-case table of deliberate differences.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use super::drift::{Comparison, Coverage, Direction, Drift, Kind};
use super::leniency;
use super::model::{self, Field, PageModel, Rendering};
use super::shape::{self, Additional, SpecField};
use crate::schema::Validators;
use crate::spec::Operation;

/// Compares `page` with the spec `doc`; `validators` must have been built from the same `doc`.
pub fn compare(doc: &Value, validators: &mut Validators, page: &PageModel) -> Comparison {
    let route = format!("{} {}", page.method, page.path);
    let mut cx = Cx { doc, validators, rendering: page.rendering, drifts: Vec::new() };
    for text in &page.unparsed {
        cx.push(
            Kind::Unparsed,
            "page",
            "",
            json!(text),
            Value::Null,
            format!("page: not understood: {text}"),
        );
    }
    let documented = page.params.len()
        + page.request_fields.len()
        + page.responses.values().map(|r| r.fields.len()).sum::<usize>();
    let Some(op) = shape::find_operation(doc, &page.method, &page.path) else {
        cx.push(
            Kind::OperationMissingFromSpec,
            "operation",
            "",
            json!(route),
            Value::Null,
            "operation: not in spec".into(),
        );
        let coverage = Coverage { documented, in_spec: 0 };
        return Comparison { operation: route.clone(), route, drifts: cx.drifts, coverage };
    };
    cx.scope_and_auth(page, &op);
    let mut in_spec = cx.parameters(page, &op);
    in_spec += cx.request(page, &op);
    in_spec += cx.responses(page, &op);
    let operation = op.id().map_or_else(|| route.clone(), str::to_string);
    let mut drifts = cx.drifts;
    for drift in &mut drifts {
        drift.lenient = leniency::find(&operation, drift).map(|l| l.reason);
    }
    Comparison { operation, route, drifts, coverage: Coverage { documented, in_spec } }
}

struct Cx<'a, 'v> {
    doc: &'a Value,
    validators: &'v mut Validators,
    rendering: Rendering,
    drifts: Vec<Drift>,
}

/// `location field path` / `parameter name`: the subject of a report line.
fn subject(location: &str, path: &str) -> String {
    match (location, path) {
        ("parameter", name) => format!("parameter {name}"),
        (location, "") => location.to_string(),
        (location, path) => format!("{location} field {path}"),
    }
}

fn list(values: &[String]) -> String {
    values.iter().map(|v| json!(v).to_string()).collect::<Vec<_>>().join(", ")
}

fn or_none(scopes: &[String]) -> String {
    if scopes.is_empty() { "none".to_string() } else { scopes.join(", ") }
}

impl Cx<'_, '_> {
    fn push(&mut self, kind: Kind, location: &str, path: &str, page: Value, spec: Value, line: String) {
        let (location, path) = (location.to_string(), path.to_string());
        self.drifts.push(Drift { kind, location, path, page, spec, line, lenient: None });
    }

    fn scope_and_auth(&mut self, page: &PageModel, op: &Operation<'_>) {
        let spec_scopes = shape::scopes(op);
        let as_set = |s: &[String]| s.iter().cloned().collect::<BTreeSet<_>>();
        if as_set(&page.scope) != as_set(&spec_scopes) {
            let line = format!("scope: page {}, spec {}", or_none(&page.scope), or_none(&spec_scopes));
            self.push(Kind::Scope, "operation", "", json!(page.scope), json!(spec_scopes), line);
        }
        let spec_auth = shape::auth(self.doc, op);
        let spec_label = spec_auth.iter().map(ToString::to_string).collect::<Vec<_>>();
        if page.auth.is_none_or(|auth| !spec_auth.contains(&auth)) {
            let page_label = page.auth.map_or("none shown".to_string(), |a| a.to_string());
            let line = format!("auth: page {page_label}, spec {}", or_none(&spec_label));
            let page_value = page.auth.map(|a| json!(a.to_string())).unwrap_or(Value::Null);
            self.push(Kind::Auth, "operation", "", page_value, json!(spec_label), line);
        }
    }

    /// Compares parameters; returns how many the spec has.
    fn parameters(&mut self, page: &PageModel, op: &Operation<'_>) -> usize {
        let spec_params = shape::parameters(self.doc, op);
        for param in &page.params {
            let found = spec_params.iter().find(|p| p.name == param.name && p.location == param.location);
            let Some(spec_param) = found else {
                let line = format!("parameter {}: missing from spec", param.name);
                self.push(
                    Kind::ParameterMissingFromSpec,
                    "parameter",
                    &param.name,
                    json!(param.location),
                    Value::Null,
                    line,
                );
                continue;
            };
            let shape = spec_param.schema.as_ref().map(|s| shape::shape(self.doc, s));
            if let Some(shape) = &shape {
                self.compare_type("parameter", &param.name, &param.ty, shape, Direction::Request);
            }
            self.compare_required("parameter", &param.name, param.required, spec_param.required);
            if param.min != spec_param.min {
                let show = |m: Option<f64>| m.map_or("none".to_string(), |m| m.to_string());
                let line = format!(
                    "parameter {}: minimum differs: page {}, spec {}",
                    param.name,
                    show(param.min),
                    show(spec_param.min)
                );
                self.push(
                    Kind::Minimum,
                    "parameter",
                    &param.name,
                    json!(param.min),
                    json!(spec_param.min),
                    line,
                );
            }
            if let (Some(example), Some(schema)) = (&param.example, &spec_param.schema) {
                self.field_example("parameter", &param.name, example, schema);
            }
        }
        for spec_param in &spec_params {
            if !page.params.iter().any(|p| p.name == spec_param.name && p.location == spec_param.location) {
                let line = format!("parameter {}: in spec, not on page", spec_param.name);
                let spec = json!(spec_param.location);
                self.push(
                    Kind::ParameterMissingFromPage,
                    "parameter",
                    &spec_param.name,
                    Value::Null,
                    spec,
                    line,
                );
            }
        }
        spec_params.len()
    }

    /// Compares the request body; returns how many fields the spec's body has.
    fn request(&mut self, page: &PageModel, op: &Operation<'_>) -> usize {
        let documented = page.request_body_required.is_some()
            || !page.request_fields.is_empty()
            || !page.request_examples.is_empty();
        let spec_body = shape::request_body(self.doc, op);
        let (spec_required, schema) = match (documented, spec_body) {
            (false, None) => return 0,
            (true, None) => {
                let line = "request: body on page, not in spec".to_string();
                self.push(Kind::BodyMissingFromSpec, "request", "", json!(true), Value::Null, line);
                return 0;
            }
            (false, Some((required, schema))) => {
                let line = "request: body in spec, not on page".to_string();
                self.push(
                    Kind::BodyMissingFromPage,
                    "request",
                    "",
                    Value::Null,
                    json!({"required": required}),
                    line,
                );
                return schema.map_or(0, |s| shape::flatten(self.doc, &s).len());
            }
            (true, Some(body)) => body,
        };
        if let Some(page_required) = page.request_body_required {
            self.compare_required("request", "", page_required, spec_required);
        }
        let Some(schema) = schema else { return 0 };
        let count = self.fields("request", &page.request_fields, &schema, Direction::Request);
        for example in &page.request_examples {
            let location = format!("request example {}", json!(example.title));
            self.body_example(&location, &example.value, &schema);
        }
        count
    }

    /// Compares statuses and response bodies; returns how many fields the spec's responses have.
    fn responses(&mut self, page: &PageModel, op: &Operation<'_>) -> usize {
        let spec_responses = shape::responses(self.doc, op);
        let mut count = 0;
        for (status, response) in &page.responses {
            let location = format!("response {status}");
            let Some(schema) = spec_responses.get(status) else {
                let line = format!("status {status}: on page, not in spec");
                self.push(Kind::StatusMissingFromSpec, &location, "", json!(status), Value::Null, line);
                continue;
            };
            let Some(schema) = schema else {
                if !response.fields.is_empty() || response.example.is_some() {
                    let line = format!("{location}: body on page, not in spec");
                    self.push(Kind::BodyMissingFromSpec, &location, "", json!(true), Value::Null, line);
                }
                continue;
            };
            count += self.fields(&location, &response.fields, schema, Direction::Response);
            if let Some(example) = &response.example {
                self.body_example(&format!("{location} example"), example, schema);
            }
        }
        for (status, schema) in &spec_responses {
            if !page.responses.contains_key(status) {
                let line = format!("status {status}: in spec, not on page");
                self.push(
                    Kind::StatusMissingFromPage,
                    &format!("response {status}"),
                    "",
                    Value::Null,
                    json!(status),
                    line,
                );
                count += schema.as_ref().map_or(0, |s| shape::flatten(self.doc, s).len());
            }
        }
        count
    }

    /// Compares the page's fields with the body schema at `schema`; returns the spec's count.
    fn fields(&mut self, location: &str, fields: &[Field], schema: &str, direction: Direction) -> usize {
        let spec_fields = shape::flatten(self.doc, schema);
        let by_path: HashMap<&str, &SpecField> = spec_fields.iter().map(|f| (f.path.as_str(), f)).collect();
        for field in fields {
            match by_path.get(field.path.as_str()) {
                Some(spec_field) => self.field(location, field, spec_field, direction),
                None => {
                    let line = format!("{}: missing from spec", subject(location, &field.path));
                    self.push(
                        Kind::FieldMissingFromSpec,
                        location,
                        &field.path,
                        json!(field.ty),
                        Value::Null,
                        line,
                    );
                }
            }
        }
        let described = |parent: &str| {
            if parent.is_empty() {
                !fields.is_empty()
            } else {
                let prefix = format!("{parent}.");
                fields.iter().any(|f| f.path.starts_with(&prefix))
            }
        };
        for spec_field in &spec_fields {
            let parent = spec_field.path.rsplit_once('.').map_or("", |(parent, _)| parent);
            if described(parent) && !fields.iter().any(|f| f.path == spec_field.path) {
                let line = format!("{}: in spec, not on page", subject(location, &spec_field.path));
                let spec = json!(spec_field.shape.type_label());
                self.push(Kind::FieldMissingFromPage, location, &spec_field.path, Value::Null, spec, line);
            }
        }
        spec_fields.len()
    }

    fn field(&mut self, location: &str, field: &Field, spec: &SpecField, direction: Direction) {
        let path = field.path.as_str();
        self.compare_type(location, path, &field.ty, &spec.shape, direction);
        self.compare_required(location, path, field.required, spec.required);
        if field.nullable != spec.shape.nullable {
            let show = |n: bool| if n { "nullable" } else { "not nullable" };
            let line = format!(
                "{}: nullable differs: page {}, spec {}",
                subject(location, path),
                show(field.nullable),
                show(spec.shape.nullable)
            );
            self.push(
                Kind::Nullable,
                location,
                path,
                json!(field.nullable),
                json!(spec.shape.nullable),
                line,
            );
        }
        self.compare_enum(location, path, field.enum_values.as_deref(), spec.shape.enum_values.as_deref());
        if let Some(example) = &field.example {
            self.field_example(location, path, example, &spec.pointer);
        }
    }

    fn compare_type(
        &mut self,
        location: &str,
        path: &str,
        page_ty: &str,
        shape: &shape::Shape,
        direction: Direction,
    ) {
        let matches = match shape.types.iter().collect::<Vec<_>>()[..] {
            [spec_ty] => {
                spec_ty == page_ty
                    || (page_ty == "array" && spec_ty.starts_with("array"))
                    || (spec_ty == "array" && page_ty.starts_with("array<"))
                    || leniency::number_variance_allows(page_ty, spec_ty, direction)
            }
            _ => false,
        };
        if !matches {
            let spec_ty = shape.type_label();
            let line = format!("{}: type differs: page {page_ty}, spec {spec_ty}", subject(location, path));
            self.push(Kind::Type, location, path, json!(page_ty), json!(spec_ty), line);
        }
    }

    fn compare_required(&mut self, location: &str, path: &str, page: bool, spec: bool) {
        if page != spec {
            let show = |r: bool| if r { "required" } else { "optional" };
            let subject = if path.is_empty() { format!("{location} body") } else { subject(location, path) };
            let line = format!("{subject}: required differs: page {}, spec {}", show(page), show(spec));
            self.push(Kind::Required, location, path, json!(page), json!(spec), line);
        }
    }

    fn compare_enum(&mut self, location: &str, path: &str, page: Option<&[String]>, spec: Option<&[String]>) {
        let (page_values, spec_values) = match (page, spec) {
            (None, None) => return,
            (page, spec) => (page.unwrap_or_default(), spec),
        };
        let on_page_only: Vec<String> = match spec_values {
            Some(spec_values) => page_values.iter().filter(|v| !spec_values.contains(v)).cloned().collect(),
            None => page_values.to_vec(),
        };
        if !on_page_only.is_empty() {
            let note = if spec_values.is_none() { " (the spec has no enum)" } else { "" };
            let line = format!(
                "{}: enum values on page, not in spec{note}: {}",
                subject(location, path),
                list(&on_page_only)
            );
            self.push(
                Kind::EnumValuesMissingFromSpec,
                location,
                path,
                json!(on_page_only),
                json!(spec_values),
                line,
            );
        }
        let in_spec_only: Vec<String> = spec_values
            .unwrap_or_default()
            .iter()
            .filter(|v| !page_values.contains(v))
            .filter(|v| !leniency::unrenderable_enum_value(self.rendering, v))
            .cloned()
            .collect();
        if !in_spec_only.is_empty() {
            let note = if page.is_none() { " (the page lists none)" } else { "" };
            let line = format!(
                "{}: enum values in spec, not on page{note}: {}",
                subject(location, path),
                list(&in_spec_only)
            );
            self.push(
                Kind::EnumValuesMissingFromPage,
                location,
                path,
                json!(page),
                json!(in_spec_only),
                line,
            );
        }
    }

    /// A field or parameter example shown as text: one of its readings must validate.
    fn field_example(&mut self, location: &str, path: &str, raw: &str, schema: &str) {
        let mut first_failure = None;
        for candidate in model::example_candidates(raw) {
            match self.validators.validate(schema, &candidate) {
                Ok(violations) if violations.is_empty() => return,
                Ok(violations) => {
                    first_failure.get_or_insert_with(|| violations[0].reason.clone());
                }
                Err(e) => {
                    first_failure.get_or_insert(e);
                }
            }
        }
        let reason = first_failure.unwrap_or_else(|| "no reading of it validates".to_string());
        let line = format!("{}: example {raw} does not validate: {reason}", subject(location, path));
        self.push(Kind::Example, location, path, json!(raw), json!(schema), line);
    }

    /// A body example: it must validate, and each of its keys must be declared.
    fn body_example(&mut self, location: &str, example: &Value, schema: &str) {
        match self.validators.validate(schema, example) {
            Ok(violations) => {
                for v in violations {
                    let line = format!("{location}: {}: {}", v.display_pointer(), v.reason);
                    self.push(
                        Kind::Example,
                        location,
                        v.display_pointer(),
                        json!(v.pointer),
                        json!(v.reason),
                        line,
                    );
                }
            }
            Err(e) => {
                self.push(Kind::Example, location, "", Value::Null, json!(e), format!("{location}: {e}"))
            }
        }
        let mut undeclared = BTreeSet::new();
        self.undeclared_keys(example, schema, "", &mut undeclared);
        for path in undeclared {
            let line = format!("{location} field {path}: missing from spec");
            self.push(Kind::ExampleFieldMissingFromSpec, location, &path, json!(path), Value::Null, line);
        }
    }

    /// Collects the dotted paths of keys in `value` that the schema at `schema` does not declare.
    /// Map values are written `name.*`; free-form objects (no declared properties) are not checked.
    fn undeclared_keys(&self, value: &Value, schema: &str, path: &str, out: &mut BTreeSet<String>) {
        let join = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
        let shape = shape::shape(self.doc, schema);
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if let Some(pointer) = shape.property(key) {
                        self.undeclared_keys(child, pointer, &join(key), out);
                    } else if let Additional::Schema(pointer) = &shape.additional {
                        self.undeclared_keys(child, pointer, &join("*"), out);
                    } else if !shape.properties.is_empty() {
                        out.insert(join(key));
                    }
                }
            }
            Value::Array(items) => {
                if let Some(pointer) = &shape.items {
                    for item in items {
                        self.undeclared_keys(item, pointer, &format!("{path}[]"), out);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs_check::extract;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "security": [{"bearer": []}],
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "schemas": {"Thing": {"type": "object", "required": ["count"], "properties": {
                    "count": {"type": "number"},
                    "whole": {"type": "integer"},
                    "inner": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
                    "blob": {"type": "object", "properties": {"x": {"type": "string"}}}
                }}}
            },
            "paths": {"/things/{id}": {"post": {
                "operationId": "makeThing",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"size": {"type": "integer"}}}
                }}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}
                }}}}
            }}}
        })
    }

    fn lines(page: &str) -> Vec<String> {
        let doc = spec();
        let page = extract::extract(page).unwrap();
        let comparison = compare(&doc, &mut Validators::new(&doc), &page);
        assert_eq!(comparison.operation, "makeThing");
        comparison.real().map(|d| d.line.clone()).collect()
    }

    const HEAD: &str = "## POST /things/{id}\n\n### Headers\n\n- `Authorization`: Bearer K\n\n### Parameters\n\n\
                        - `id` (path, integer, required)\n\n### Request Body\n\n- `size` (number, optional)\n\n";

    #[test]
    fn plain_objects_are_not_expanded_but_described_ones_are() {
        let page = format!(
            "{HEAD}### Response Schema\n\n- `count` (integer, required) Example: `3`\n- `whole` (integer, optional)\n\
             - `inner` (object, optional)\n- `inner.a` (string, optional)\n- `blob` (object, optional)\n\n\
             ### Responses\n\n#### 200 - OK\n```json\n{{\"count\": 3, \"blob\": {{\"x\": \"y\", \"z\": 1}}}}\n```\n"
        );
        assert_eq!(
            lines(&page),
            [
                // `inner` is described in full (it lists `inner.a`), `blob` is not.
                "response 200 field inner.b: in spec, not on page",
                // The example's keys are checked even where the field list stops.
                "response 200 example field blob.z: missing from spec",
            ]
        );
    }

    #[test]
    fn number_variance_follows_the_direction() {
        // The page says response `count` integer (spec number: fine) and request `size` number
        // (spec integer: fine); a response `whole` number against a spec integer is drift.
        let page = format!(
            "{HEAD}### Response Schema\n\n- `count` (integer, required)\n- `whole` (number, optional)\n\
             - `inner` (object, optional)\n- `blob` (object, optional)\n\n### Responses\n\n#### 200 - OK\n"
        );
        assert_eq!(lines(&page), ["response 200 field whole: type differs: page number, spec integer"]);
    }

    #[test]
    fn unknown_routes_and_unparsed_items_are_drift() {
        let doc = spec();
        let page = extract::extract("## GET /nowhere\n\n### Response Schema\n\n- `a` (weird)\n").unwrap();
        let comparison = compare(&doc, &mut Validators::new(&doc), &page);
        let lines: Vec<_> = comparison.real().map(|d| d.line.as_str()).collect();
        assert_eq!(comparison.operation, "GET /nowhere");
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("page: not understood: Response Schema: `a`: unknown attribute `weird`")
        );
        assert_eq!(lines[1], "operation: not in spec");
    }
}
