//! Finds every example embedded in the spec, paired with the schema it must satisfy: media-type
//! `example`/`examples`, parameter and header examples, and `example` on schema objects.

use serde_json::Value;

use crate::spec;

/// One example in the spec and the schema it illustrates, both as JSON pointers into the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedExample {
    /// Where the example value is (after following an Example object's `$ref`).
    pub example: String,
    /// The schema it must satisfy.
    pub schema: String,
}

/// Every example embedded in `doc`, components first. Objects that are `$ref`s are skipped here
/// and visited where they are defined, so each example is listed once per schema it must fit.
pub fn embedded_examples(doc: &Value) -> Vec<EmbeddedExample> {
    let mut walk = Walk { doc, out: Vec::new() };
    walk.components();
    walk.paths();
    walk.out
}

struct Walk<'a> {
    doc: &'a Value,
    out: Vec<EmbeddedExample>,
}

/// The entries of an object-valued member, with their pointers.
fn entries<'v>(value: &'v Value, pointer: &str, key: &str) -> Vec<(String, &'v Value)> {
    let base = spec::join(pointer, key);
    value
        .get(key)
        .and_then(Value::as_object)
        .map(|map| map.iter().map(|(name, v)| (spec::join(&base, name), v)).collect())
        .unwrap_or_default()
}

/// The elements of an array-valued member, with their pointers.
fn elements<'v>(value: &'v Value, pointer: &str, key: &str) -> Vec<(String, &'v Value)> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().enumerate().map(|(i, v)| (format!("{pointer}/{key}/{i}"), v)).collect())
        .unwrap_or_default()
}

fn is_ref(value: &Value) -> bool {
    value.get("$ref").is_some()
}

impl Walk<'_> {
    fn components(&mut self) {
        let (doc, at) = (self.doc, "/components");
        let Some(components) = doc.get("components") else {
            return;
        };
        for (pointer, schema) in entries(components, at, "schemas") {
            self.schema(&pointer, schema);
        }
        for kind in ["parameters", "headers"] {
            for (pointer, value) in entries(components, at, kind) {
                self.parameter_like(&pointer, value);
            }
        }
        for (pointer, body) in entries(components, at, "requestBodies") {
            self.content(&pointer, body);
        }
        for (pointer, response) in entries(components, at, "responses") {
            self.response(&pointer, response);
        }
    }

    fn paths(&mut self) {
        let doc = self.doc;
        for (item_pointer, item) in entries(doc, "", "paths") {
            if is_ref(item) {
                continue;
            }
            self.parameters(&item_pointer, item);
            for method in spec::METHODS {
                let Some(op) = item.get(method) else { continue };
                let pointer = spec::join(&item_pointer, method);
                self.parameters(&pointer, op);
                if let Some(body) = op.get("requestBody") {
                    self.content(&format!("{pointer}/requestBody"), body);
                }
                for (status_pointer, response) in entries(op, &pointer, "responses") {
                    self.response(&status_pointer, response);
                }
            }
        }
    }

    fn parameters(&mut self, pointer: &str, owner: &Value) {
        for (param_pointer, param) in elements(owner, pointer, "parameters") {
            self.parameter_like(&param_pointer, param);
        }
    }

    fn response(&mut self, pointer: &str, response: &Value) {
        if is_ref(response) {
            return;
        }
        self.content(pointer, response);
        for (header_pointer, header) in entries(response, pointer, "headers") {
            self.parameter_like(&header_pointer, header);
        }
    }

    /// A parameter or header: `schema` plus `example`/`examples`, or a `content` map.
    fn parameter_like(&mut self, pointer: &str, value: &Value) {
        if is_ref(value) {
            return;
        }
        if let Some(schema) = value.get("schema") {
            let schema_pointer = format!("{pointer}/schema");
            self.schema(&schema_pointer, schema);
            self.examples_of(pointer, value, &schema_pointer);
        }
        self.content(pointer, value);
    }

    /// The `content` map of a request body, response, parameter or header.
    fn content(&mut self, pointer: &str, owner: &Value) {
        if is_ref(owner) {
            return;
        }
        for (media_pointer, media) in entries(owner, pointer, "content") {
            let Some(schema) = media.get("schema") else {
                continue;
            };
            let schema_pointer = format!("{media_pointer}/schema");
            self.schema(&schema_pointer, schema);
            let media_type = media_pointer.rsplit('/').next().unwrap_or_default();
            if spec::is_json_media_type(&media_type.replace("~1", "/").replace("~0", "~")) {
                self.examples_of(&media_pointer, media, &schema_pointer);
            }
        }
    }

    /// `example` and `examples.*.value` of a media type, parameter or header.
    fn examples_of(&mut self, pointer: &str, owner: &Value, schema_pointer: &str) {
        if owner.get("example").is_some() {
            self.push(format!("{pointer}/example"), schema_pointer);
        }
        for (example_pointer, example) in entries(owner, pointer, "examples") {
            // Dangling refs are reported by the structure lint.
            let Ok((resolved, example)) = spec::deref(self.doc, example_pointer, example) else {
                continue;
            };
            if example.get("value").is_some() {
                self.push(format!("{resolved}/value"), schema_pointer);
            }
        }
    }

    /// A schema object and all its subschemas: each `example` is checked against its own schema.
    fn schema(&mut self, pointer: &str, schema: &Value) {
        let Value::Object(map) = schema else { return };
        if map.contains_key("example") {
            self.push(format!("{pointer}/example"), pointer);
        }
        for (sub_pointer, sub) in entries(schema, pointer, "properties") {
            self.schema(&sub_pointer, sub);
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(sub) = map.get(key) {
                self.schema(&spec::join(pointer, key), sub);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (sub_pointer, sub) in elements(schema, pointer, key) {
                self.schema(&sub_pointer, sub);
            }
        }
    }

    fn push(&mut self, example: String, schema: &str) {
        if !self.out.iter().any(|e| e.example == example && e.schema == schema) {
            self.out.push(EmbeddedExample { example, schema: schema.to_string() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_media_parameter_and_schema_examples_once() {
        let doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "example": "x"}],
                "responses": {
                    "200": {"content": {"application/json": {
                        "schema": {"type": "object", "properties": {"n": {"type": "number", "example": 1}}},
                        "examples": {"one": {"value": {"n": 1}}, "shared": {"$ref": "#/components/examples/S"}}
                    }}},
                    "400": {"$ref": "#/components/responses/Bad"}
                }
            }}},
            "components": {
                "examples": {"S": {"value": {"n": 2}}},
                "responses": {"Bad": {"content": {"application/problem+json": {
                    "schema": {"type": "object"}, "example": {}
                }}}}
            }
        });
        let found: Vec<_> = embedded_examples(&doc).into_iter().map(|e| (e.example, e.schema)).collect();
        let media = "/paths/~1a/get/responses/200/content/application~1json";
        let expected = [
            (
                "/components/responses/Bad/content/application~1problem+json/example".to_string(),
                "/components/responses/Bad/content/application~1problem+json/schema".to_string(),
            ),
            (
                "/paths/~1a/get/parameters/0/example".to_string(),
                "/paths/~1a/get/parameters/0/schema".to_string(),
            ),
            (format!("{media}/schema/properties/n/example"), format!("{media}/schema/properties/n")),
            (format!("{media}/examples/one/value"), format!("{media}/schema")),
            ("/components/examples/S/value".to_string(), format!("{media}/schema")),
        ];
        assert_eq!(found, expected);
    }
}
