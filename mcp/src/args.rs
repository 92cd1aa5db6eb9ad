//! A tool call's arguments, read with a typed refusal for anything missing or mistyped.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::refusal::Refusal;

/// The JSON object a tool was called with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args(pub Map<String, Value>);

impl Args {
    /// A required string (a VPS id, a snapshot name).
    pub fn string(&self, name: &str) -> Result<String, Refusal> {
        self.opt_string(name)?.ok_or_else(|| Refusal::arguments(format!("`{name}` is required")))
    }

    /// An optional string.
    pub fn opt_string(&self, name: &str) -> Result<Option<String>, Refusal> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Refusal::arguments(format!("`{name}` must be a string"))),
        }
    }

    /// An optional value of type `T` (a number, a boolean, a list of enum values).
    pub fn opt<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Refusal> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_json::from_value(value.clone())
                .map(Some)
                .map_err(|e| Refusal::arguments(format!("`{name}`: {e}"))),
        }
    }

    /// The arguments other than `params` (the path and query parameters), read as the operation's
    /// generated body type.
    pub fn body<T: DeserializeOwned>(&self, params: &[&str]) -> Result<T, Refusal> {
        let body: Map<String, Value> = self
            .0
            .iter()
            .filter(|(k, _)| !params.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        serde_json::from_value(Value::Object(body)).map_err(|e| Refusal::arguments(format!("body: {e}")))
    }

    /// The arguments in the form a quote is bound to: `null` members dropped (they mean "absent").
    pub fn canonical(&self) -> Value {
        Value::Object(
            self.0.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect(),
        )
    }
}
