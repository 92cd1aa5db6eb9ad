//! Single breakages of a valid body (a required field removed, a value of the wrong JSON type) with
//! the JSON pointer the client's diagnosis must name, and a JSON writer that varies key order,
//! whitespace, string escapes and number notation without changing the value.

use serde_json::{Value, json};

use crate::mutate::Tape;
use crate::schema_walk::{Kind, Spec};

/// One way to break a body.
#[derive(Clone, Debug)]
pub struct Break {
    /// Tokens (unescaped) of the value to replace, or of the object to remove a field from.
    pub at: Vec<String>,
    /// `None` removes `field`; `Some` replaces the value at `at`.
    pub with: Option<Value>,
    pub field: String,
    /// The value's type reports the error itself (an untagged enum): serde_json gives no position,
    /// and when the value is the last member of a container followed by `,` the client can only
    /// name that container (see `custom_error_offset` in src/diagnose.rs).
    pub custom: bool,
}

fn pointer(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1"))).collect()
}

impl Break {
    /// The JSON pointer the decode error must carry.
    pub fn pointer(&self) -> String {
        pointer(&self.at)
    }

    /// The pointers a decode error may name: the value's, and for a custom error its container's.
    pub fn accepted(&self) -> Vec<String> {
        let mut accepted = vec![self.pointer()];
        if self.custom && self.with.is_some() {
            accepted.push(pointer(&self.at[..self.at.len() - 1]));
        }
        accepted
    }

    pub fn apply(&self, body: &mut Value) {
        let mut target = body;
        for token in &self.at {
            target = match target {
                Value::Object(map) => map.get_mut(token).unwrap(),
                Value::Array(list) => &mut list[token.parse::<usize>().unwrap()],
                _ => unreachable!("breaks point at containers"),
            };
        }
        match &self.with {
            Some(value) => *target = value.clone(),
            None => drop(target.as_object_mut().unwrap().remove(&self.field)),
        }
    }
}

impl Spec {
    /// Every breakage of `value` the decoder must refuse. `strict` says the place is a required
    /// field or an array item, where `null` is wrong unless the schema is nullable.
    pub fn breaks(
        &self,
        schema: &Value,
        value: &Value,
        at: &mut Vec<String>,
        strict: bool,
        out: &mut Vec<Break>,
    ) {
        let shape = self.shape(schema);
        if value.is_null() {
            return;
        }
        let wrong: Vec<Value> = match &shape.kind {
            Kind::Object { .. } => vec![json!("object?"), json!(7), json!(false)],
            Kind::Array(_) => vec![json!("list?"), json!(7), json!(true), json!({"a": [1]})],
            Kind::String { .. } => vec![json!(7), json!(-1.5), json!(true), json!({"s": "x"}), json!(["x"])],
            Kind::Number => vec![json!("7"), json!(true), json!({}), json!([7])],
            Kind::Integer => vec![json!("7"), json!(2.5), json!(false), json!({"n": 1}), json!([])],
            Kind::Boolean => vec![json!("true"), json!(1), json!({}), json!([true])],
            Kind::OneOf(_) => vec![json!(true), json!({"n": "1"}), json!([1])],
            Kind::Any => vec![],
        };
        let null = strict && !shape.nullable && !matches!(shape.kind, Kind::Any);
        let custom = matches!(shape.kind, Kind::OneOf(_));
        for with in wrong.into_iter().chain(null.then_some(Value::Null)) {
            out.push(Break { at: at.clone(), with: Some(with), field: String::new(), custom });
        }
        match (&shape.kind, value) {
            (Kind::Object { props, map_values }, Value::Object(object)) => {
                for (name, sub, required) in props {
                    let Some(child) = object.get(*name) else { continue };
                    if *required {
                        out.push(Break {
                            at: at.clone(),
                            with: None,
                            field: name.to_string(),
                            custom: false,
                        });
                    }
                    at.push(name.to_string());
                    self.breaks(sub, child, at, *required, out);
                    at.pop();
                }
                if let Some(values) = map_values {
                    for (key, child) in object {
                        at.push(key.clone());
                        self.breaks(values, child, at, true, out);
                        at.pop();
                    }
                }
            }
            (Kind::Array(items), Value::Array(list)) => {
                for (i, item) in list.iter().enumerate() {
                    at.push(i.to_string());
                    self.breaks(items, item, at, true, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
}

/// Writes `value` as JSON text with shuffled keys, random whitespace, escapes and number notation.
pub fn write(value: &Value, t: &mut Tape, out: &mut String) {
    match value {
        Value::Null | Value::Bool(_) => out.push_str(&value.to_string()),
        Value::Number(n) => match n.as_f64().filter(|_| n.is_f64()) {
            Some(f) => out.push_str(&match t.pick(4) {
                0 => format!("{f}"),
                1 => format!("{f:?}"),
                2 => format!("{f:e}"),
                _ => format!("{f:E}"),
            }),
            None => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_string(s, t, out),
        Value::Array(list) => {
            out.push('[');
            for (i, item) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(t, out);
                write(item, t, out);
            }
            space(t, out);
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            for i in (1..entries.len()).rev() {
                entries.swap(i, t.pick(i + 1));
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                space(t, out);
                write_string(key, t, out);
                space(t, out);
                out.push(':');
                space(t, out);
                write(item, t, out);
            }
            space(t, out);
            out.push('}');
        }
    }
}

fn space(t: &mut Tape, out: &mut String) {
    out.push_str(["", "", "", " ", "\n", "\n    ", "\t", "\r\n"][t.pick(8)]);
}

fn write_string(s: &str, t: &mut Tape, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if t.chance(2) => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 || t.chance(16) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
