//! Validators compiled from the converted spec (the `validate` feature).

use std::collections::HashMap;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, JsonType, Registry, ValidationError, Validator};
use serde_json::{Map, Value, json};

use crate::{convert_document, convert_schema};

/// JSON Schema dialect the converted schemas are validated with.
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A JSON pointer as a `$ref`-style location for messages (`#/components/...`).
fn location(pointer: &str) -> String {
    format!("#{pointer}")
}

/// One way an instance breaks its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// JSON pointer into the instance (`""` is the instance itself).
    pub pointer: String,
    /// What is wrong, in the validator's words.
    pub reason: String,
}

impl Violation {
    /// The pointer for messages: the root is shown as `/`.
    pub fn display_pointer(&self) -> &str {
        if self.pointer.is_empty() { "/" } else { &self.pointer }
    }
}

/// Compiles and caches one validator per schema location of the spec.
pub struct Validators {
    original: Value,
    /// The converted spec's members that `$ref`s point into (normally `components`), registered
    /// once under [`SPEC_URI`]: each compile then validates and indexes only its own small schema
    /// instead of a copy of every component (which was most of `cargo xtask check`'s time).
    registry: Result<Registry<'static>, String>,
    cache: HashMap<String, Result<Schema, String>>,
}

/// Where the converted spec lives in the registry; `#/...` references are rewritten to it.
const SPEC_URI: &str = "urn:hostup:spec";

/// One compiled schema of the spec, shareable between threads.
#[derive(Debug)]
pub struct Schema(Validator);

impl Schema {
    /// Every way `instance` breaks the schema (empty when valid).
    pub fn violations(&self, instance: &Value) -> Vec<Violation> {
        let mut violations = Vec::new();
        for error in self.0.iter_errors(instance) {
            flatten(&error, &mut violations);
        }
        violations.dedup();
        violations
    }

    /// Every way `instance` breaks the schema, one entry per offending field: a missing required
    /// member or an unknown one is named by its own pointer. For request validation, where the
    /// caller wants field errors.
    pub fn field_violations(&self, instance: &Value) -> Vec<FieldViolation> {
        let mut violations = Vec::new();
        for error in self.0.iter_errors(instance) {
            let mut flat = Vec::new();
            flatten_errors(&error, &mut flat);
            for error in flat {
                field_errors(error, &mut violations);
            }
        }
        violations.dedup();
        violations
    }
}

/// One field of an instance that breaks its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldViolation {
    /// JSON pointer to the field (`""` is the instance itself).
    pub pointer: String,
    /// The JSON Schema keyword that failed (`required`, `additionalProperties`, `maximum`, ...).
    pub keyword: String,
    /// What is wrong, in the validator's words.
    pub reason: String,
}

fn field_errors(error: &ValidationError<'_>, out: &mut Vec<FieldViolation>) {
    let at = error.instance_path().to_string();
    let child = |name: &str| format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
    let keyword = error.kind().keyword().to_string();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().map_or_else(|| property.to_string(), str::to_string);
            let reason = format!("`{name}` is required.");
            out.push(FieldViolation { pointer: child(&name), keyword, reason });
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let reason = format!("`{name}` is not accepted here.");
                out.push(FieldViolation { pointer: child(name), keyword: keyword.clone(), reason });
            }
        }
        _ => out.push(FieldViolation { pointer: at, keyword, reason: error.to_string() }),
    }
}

impl Validators {
    /// Prepares validators for the spec `doc` (as loaded, not yet converted).
    pub fn new(doc: &Value) -> Self {
        let context: Map<String, Value> = match convert_document(doc) {
            // A smaller document indexes faster; keep everything only if some `$ref` needs it.
            Value::Object(converted) if refs_only_into_components(doc) => {
                converted.into_iter().filter(|(key, _)| key == "components").collect()
            }
            Value::Object(converted) => converted,
            _ => Map::new(),
        };
        let resource = Draft::Draft202012.create_resource(Value::Object(context));
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(SPEC_URI, resource)
            .and_then(|builder| builder.prepare())
            .map_err(|e| format!("the spec cannot serve as a schema registry: {e}"));
        Validators { original: doc.clone(), registry, cache: HashMap::new() }
    }

    /// Validates `instance` against the schema at JSON pointer `schema_pointer` in the spec.
    /// Returns every violation (empty when valid), or an error if the schema does not compile.
    pub fn validate(&mut self, schema_pointer: &str, instance: &Value) -> Result<Vec<Violation>, String> {
        if !self.cache.contains_key(schema_pointer) {
            let compiled = self.compile(schema_pointer);
            self.cache.insert(schema_pointer.to_string(), compiled);
        }
        let schema = self.cache[schema_pointer].as_ref().map_err(Clone::clone)?;
        Ok(schema.violations(instance))
    }

    /// Compiles the schema at JSON pointer `schema_pointer` on its own, without caching it.
    pub fn compile(&self, schema_pointer: &str) -> Result<Schema, String> {
        self.compile_validator(schema_pointer).map(Schema)
    }

    /// The root schema is the converted schema itself, its `#/components/schemas/X` references
    /// pointed at the converted spec in the registry, where they resolve exactly as they do in the
    /// spec. Converting the schema here (rather than pointing into the converted spec) keeps
    /// pointers to subschemas of a nullable wrapper valid.
    fn compile_validator(&self, schema_pointer: &str) -> Result<Validator, String> {
        let location = location(schema_pointer);
        let schema =
            self.original.pointer(schema_pointer).ok_or_else(|| format!("no schema at {location}"))?;
        let mut converted = convert_schema(schema);
        point_refs_at_spec(&mut converted);
        let mut root = match converted {
            Value::Object(keywords) => keywords,
            other => Map::from_iter([("allOf".to_string(), json!([other]))]),
        };
        root.insert("$schema".to_string(), json!(DIALECT));
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(self.registry.as_ref().map_err(Clone::clone)?)
            .build(&Value::Object(root))
            .map_err(|e| format!("the schema at {location} does not compile: {e}"))
    }
}

/// Rewrites every document-local `$ref` (`#/...`) of a schema taken out of the spec to the spec's
/// copy in the registry, where the spec's own references resolve as they do in the spec.
fn point_refs_at_spec(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    ("$ref", Value::String(r)) if r.starts_with('#') => *r = format!("{SPEC_URI}{r}"),
                    (_, child) => point_refs_at_spec(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(point_refs_at_spec),
        _ => {}
    }
}

/// True when every `$ref` in the document points into `#/components/`.
fn refs_only_into_components(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().all(|(key, child)| match (key.as_str(), child) {
            ("$ref", Value::String(r)) => r.starts_with("#/components/"),
            _ => refs_only_into_components(child),
        }),
        Value::Array(items) => items.iter().all(refs_only_into_components),
        _ => true,
    }
}

/// Records `error`, replacing an `anyOf`/`oneOf` failure whose only alternative to the failing
/// schema is `null` (a nullable wrapper) with the errors of that schema, which say what is wrong.
fn flatten(error: &ValidationError<'_>, out: &mut Vec<Violation>) {
    let mut flat = Vec::new();
    flatten_errors(error, &mut flat);
    for error in flat {
        out.push(Violation { pointer: error.instance_path().to_string(), reason: error.to_string() });
    }
}

/// The errors [`flatten`] reports, unrendered.
fn flatten_errors<'a, 'e>(error: &'a ValidationError<'e>, out: &mut Vec<&'a ValidationError<'e>>) {
    let branches = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            Some(context)
        }
        _ => None,
    };
    if let Some(branches) = branches {
        let real: Vec<_> = branches.iter().filter(|b| !is_null_branch(b)).collect();
        if real.len() == 1 && real.len() < branches.len() && !real[0].is_empty() {
            for inner in real[0] {
                flatten_errors(inner, out);
            }
            return;
        }
    }
    out.push(error);
}

/// True when a branch failed only because the instance is not `null`.
fn is_null_branch(errors: &[ValidationError<'_>]) -> bool {
    matches!(errors, [only] if matches!(
        only.kind(),
        ValidationErrorKind::Type { kind: TypeKind::Single(JsonType::Null) }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert_schema;

    fn validate(doc: Value, pointer: &str, instance: Value) -> Vec<Violation> {
        Validators::new(&doc).validate(pointer, &instance).unwrap()
    }

    #[test]
    fn nullable_type_accepts_null() {
        let s = convert_schema(&json!({"type": "string", "nullable": true, "example": "x"}));
        assert_eq!(s, json!({"type": ["string", "null"]}));
    }

    #[test]
    fn nullable_enum_accepts_null() {
        let s = convert_schema(&json!({"type": "string", "enum": ["a", ""], "nullable": true}));
        assert_eq!(s, json!({"type": ["string", "null"], "enum": ["a", "", null]}));
    }

    #[test]
    fn nullable_composites_are_wrapped() {
        let s = convert_schema(&json!({
            "nullable": true,
            "description": "d",
            "allOf": [{"$ref": "#/components/schemas/X"}],
            "x-vendor": 1
        }));
        assert_eq!(
            s,
            json!({"description": "d", "anyOf": [
                {"allOf": [{"$ref": "#/components/schemas/X"}]},
                {"type": "null"}
            ]})
        );
    }

    #[test]
    fn property_names_that_look_like_keywords_survive() {
        let s = convert_schema(&json!({"properties": {"example": {"type": "string"}}}));
        assert_eq!(s, json!({"properties": {"example": {"type": "string"}}}));
    }

    #[test]
    fn boolean_exclusive_bounds_become_numbers() {
        let s = convert_schema(&json!({"type": "integer", "maximum": 5, "exclusiveMaximum": true}));
        assert_eq!(s, json!({"type": "integer", "exclusiveMaximum": 5}));
    }

    #[test]
    fn refs_into_components_and_odd_pointers_resolve() {
        let doc = json!({
            "paths": {"/a/{id}": {"get": {"responses": {"200": {"content": {"application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Thing"}
            }}}}}}},
            "components": {"schemas": {
                "Thing": {"type": "object", "required": ["n"], "properties": {
                    "n": {"type": "number"},
                    "state": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/State"}]}
                }},
                "State": {"type": "string", "enum": ["on", "off"]}
            }}
        });
        let pointer = "/paths/~1a~1{id}/get/responses/200/content/application~1problem+json/schema";
        assert!(validate(doc.clone(), pointer, json!({"n": 1, "state": null})).is_empty());
        let errors = validate(doc.clone(), pointer, json!({"n": "1", "state": "dim"}));
        let pointers: Vec<_> = errors.iter().map(|v| v.pointer.as_str()).collect();
        assert_eq!(pointers, ["/n", "/state"], "{errors:?}");
        assert!(errors[0].reason.contains("is not of type \"number\""));
        assert!(errors[1].reason.contains("\"dim\""), "{errors:?}");
    }

    #[test]
    fn subschemas_of_nullable_wrappers_stay_addressable() {
        let doc = json!({"components": {"schemas": {"Outer": {
            "nullable": true,
            "allOf": [{"type": "string", "example": 1}]
        }}}});
        let errors = validate(doc, "/components/schemas/Outer/allOf/0", json!(1));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].reason.contains("is not of type \"string\""));
    }

    #[test]
    fn refs_outside_components_resolve() {
        let doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "integer"}
            }}}}}}},
            "components": {"schemas": {"Alias": {
                "$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema"
            }}}
        });
        let errors = validate(doc, "/components/schemas/Alias", json!("x"));
        assert_eq!(errors.len(), 1, "{errors:?}");
    }
}
