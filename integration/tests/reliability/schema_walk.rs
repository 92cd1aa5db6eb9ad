//! What the spec allows at each place of a response: the schema resolved through `$ref`, a single
//! `allOf` and `nullable`, reduced to the shape the property tests need.

use serde_json::Value;

/// The spec, loaded once per test.
pub struct Spec {
    pub doc: Value,
}

/// The shape of one schema.
pub struct Shape<'a> {
    pub nullable: bool,
    pub kind: Kind<'a>,
}

pub enum Kind<'a> {
    /// Named properties (schema, required), and the schema of other keys when it is a typed map.
    Object {
        props: Vec<(&'a str, &'a Value, bool)>,
        map_values: Option<&'a Value>,
    },
    Array(&'a Value),
    /// A string; `values` are the documented ones, `open` says others are allowed too.
    String {
        values: Vec<&'a str>,
        open: bool,
    },
    Number,
    Integer,
    Boolean,
    /// `oneOf` alternatives (the legacy number-or-string).
    OneOf(Vec<&'a Value>),
    /// No type: any JSON.
    Any,
}

impl Spec {
    pub fn load() -> Self {
        Spec { doc: hostup_codegen::load_spec(&xtask::default_spec()).unwrap() }
    }

    /// Follows `$ref` chains.
    fn deref<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            schema = xtask::spec::resolve_ref(&self.doc, reference).unwrap().1;
        }
        schema
    }

    pub fn shape<'a>(&'a self, schema: &'a Value) -> Shape<'a> {
        let schema = self.deref(schema);
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            let inner = self.shape(only);
            return Shape { nullable: nullable || inner.nullable, kind: inner.kind };
        }
        if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
            return Shape { nullable, kind: Kind::OneOf(options.iter().collect()) };
        }
        let kind = match schema.get("type").and_then(Value::as_str) {
            Some("object") => object(schema),
            Some("array") => Kind::Array(&schema["items"]),
            Some("string") => Kind::String {
                values: schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .map(|v| v.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default(),
                open: schema.get("enum").is_none() || schema.get("x-open-enum") == Some(&Value::Bool(true)),
            },
            Some("number") => Kind::Number,
            Some("integer") => Kind::Integer,
            Some("boolean") => Kind::Boolean,
            _ if schema.get("properties").is_some() => object(schema),
            _ => Kind::Any,
        };
        Shape { nullable, kind }
    }
}

fn object(schema: &Value) -> Kind<'_> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let props = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.iter().map(|(name, s)| (name.as_str(), s, required.contains(&name.as_str()))).collect())
        .unwrap_or_default();
    // A typed map only when there are no named properties (`usage_log`); otherwise extra keys are
    // free-form and ignored.
    let map_values = schema
        .get("additionalProperties")
        .filter(|a| a.is_object() && schema.get("properties").is_none())
        .filter(|a| a.as_object().is_some_and(|o| !o.is_empty()));
    Kind::Object { props, map_values }
}
