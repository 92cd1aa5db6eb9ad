//! The tools' input schemas, derived from the spec by build.rs (see its header): an operation's
//! parameters and body properties as one object schema, and the component schemas for filters.

use std::sync::{Arc, LazyLock};

use rmcp::model::JsonObject;
use serde_json::{Map, Value};

static GENERATED: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/tool_schemas.json")))
        .expect("build.rs writes valid JSON")
});

/// What the spec documents a Problem Details `code` to mean (`x-enum-descriptions`).
pub fn error_code_meaning(code: &str) -> Option<&'static str> {
    GENERATED["errorCodes"].get(code)?.as_str()
}

/// The schema of one property of a component schema (`property_of("VpsSummary", "powerState")`).
///
/// # Panics
/// When the spec has no such property: a tool naming one is a bug the listing test catches.
pub fn property_of(schema: &str, property: &str) -> Value {
    GENERATED["schemas"][schema]["properties"]
        .get(property)
        .cloned()
        .unwrap_or_else(|| panic!("the spec has no property {schema}.{property}"))
}

/// A component schema by name (`component("PowerState")`).
///
/// # Panics
/// When the spec has no such schema (caught by the tool-listing test).
pub fn component(name: &str) -> Value {
    GENERATED["schemas"].get(name).cloned().unwrap_or_else(|| panic!("the spec has no schema {name}"))
}

/// A tool's input schema, built from an operation's and edited per tool, with the names of its
/// secret arguments (never logged).
#[derive(Clone, Debug)]
pub struct InputSchema(Map<String, Value>, Vec<String>);

impl InputSchema {
    /// The parameters and body properties of `operation_id`.
    ///
    /// # Panics
    /// When the spec has no such operation (caught by the tool-listing test).
    pub fn of(operation_id: &str) -> Self {
        match &GENERATED["operations"][operation_id] {
            Value::Object(schema) => {
                let mut schema = schema.clone();
                schema.remove("description");
                let secrets = GENERATED["secretArguments"][operation_id].as_array().into_iter().flatten();
                InputSchema(schema, secrets.filter_map(|s| s.as_str().map(String::from)).collect())
            }
            _ => panic!("the spec has no operation {operation_id}"),
        }
    }

    /// An object schema with no properties, for tools built only from [`with`](Self::with).
    pub fn empty() -> Self {
        let mut schema = Map::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Object(Map::new()));
        InputSchema(schema, Vec::new())
    }

    /// Without these properties (a `dryRun` the tool sets itself, a field the tool does not offer).
    pub fn without(mut self, names: &[&str]) -> Self {
        if let Some(Value::Object(props)) = self.0.get_mut("properties") {
            props.retain(|name, _| !names.contains(&name.as_str()));
        }
        if let Some(Value::Array(required)) = self.0.get_mut("required") {
            required.retain(|name| !names.iter().any(|n| name == n));
        }
        self
    }

    /// With one more property (required or not).
    pub fn with(mut self, name: &str, schema: Value, required: bool) -> Self {
        if let Some(Value::Object(props)) = self.0.get_mut("properties") {
            props.insert(name.into(), schema);
        }
        if required {
            let list = self.0.entry("required").or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.push(name.into());
            }
        }
        self
    }

    /// A property's description replaced (for wording aimed at an agent: which tool gives the id).
    pub fn describe(mut self, name: &str, description: &str) -> Self {
        if let Some(Value::Object(prop)) = self.0.get_mut("properties").and_then(|p| p.get_mut(name)) {
            prop.insert("description".into(), description.into());
        }
        self
    }

    /// The property names, for argument checks.
    pub fn property_names(&self) -> Vec<String> {
        self.0
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The arguments marked `x-hostup-secret` in the spec.
    pub fn secret_names(&self) -> &[String] {
        &self.1
    }

    /// The schema as MCP sends it.
    pub fn to_object(&self) -> Arc<JsonObject> {
        Arc::new(self.0.clone())
    }
}
