//! Schema-guided variants of a response body: valid ones (optional fields dropped or added,
//! nullable ones nulled, open enums and strings replaced, numbers as ints or floats, unknown fields
//! at any depth) and single breakages (a required field removed, a value of the wrong JSON type),
//! written as JSON text with shuffled keys, random whitespace and escapes.

use serde_json::{Map, Number, Value, json};

use crate::schema_walk::{Kind, Spec};

/// A seeded source of decisions.
pub struct Tape(fastrand::Rng);

impl Tape {
    pub fn new(seed: u64) -> Self {
        Tape(fastrand::Rng::with_seed(seed))
    }
    pub fn chance(&mut self, one_in: u32) -> bool {
        self.0.u32(0..one_in.max(1)) == 0
    }
    pub fn pick(&mut self, n: usize) -> usize {
        self.0.usize(0..n.max(1))
    }
}

const WORDS: [&str; 12] = [
    "",
    "x",
    "running",
    "ÅÄÖ åäö",
    "中文",
    "😀",
    "\u{202e}rtl",
    "a\"b\\c",
    "/~0~1/",
    "\n\t\r",
    "\u{0}",
    "null",
];

pub fn string(t: &mut Tape) -> String {
    match t.pick(4) {
        0 => "y".repeat(t.pick(300)),
        1 => (0..t.pick(6)).map(|_| WORDS[t.pick(WORDS.len())]).collect(),
        _ => WORDS[t.pick(WORDS.len())].to_string(),
    }
}

fn float(t: &mut Tape) -> f64 {
    [0.0, -0.0, 1.0, 2.5, -7.25, 1e-7, 99.99, 1e300, -1e300, f64::MAX, f64::MIN_POSITIVE][t.pick(11)]
}

fn integer(t: &mut Tape) -> i64 {
    [0, 1, -1, 42, 4096, i64::MAX, i64::MIN, t.0.i64(..)][t.pick(8)]
}

/// Any JSON value.
pub fn any(t: &mut Tape, depth: u32) -> Value {
    match t.pick(if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(t.chance(2)),
        2 => json!(integer(t)),
        3 => json!(float(t)),
        4 => Value::String(string(t)),
        5 => Value::Array((0..t.pick(4)).map(|_| any(t, depth - 1)).collect()),
        _ => Value::Object((0..t.pick(4)).map(|_| (string(t), any(t, depth - 1))).collect()),
    }
}

impl Spec {
    /// A valid value for `schema`, from scratch.
    pub fn generate(&self, schema: &Value, t: &mut Tape, depth: u32) -> Value {
        let shape = self.shape(schema);
        if shape.nullable && t.chance(4) {
            return Value::Null;
        }
        match shape.kind {
            Kind::Object { props, map_values } => {
                let mut out = Map::new();
                for (name, sub, required) in props {
                    if required || (depth > 0 && t.chance(2)) {
                        out.insert(name.to_string(), self.generate(sub, t, depth.saturating_sub(1)));
                    }
                }
                if let Some(values) = map_values.filter(|_| depth > 0) {
                    for _ in 0..t.pick(3) {
                        out.insert(string(t), self.generate(values, t, depth - 1));
                    }
                }
                Value::Object(out)
            }
            Kind::Array(items) if depth > 0 => {
                Value::Array((0..t.pick(3)).map(|_| self.generate(items, t, depth - 1)).collect())
            }
            Kind::Array(_) => json!([]),
            Kind::String { values, open } => match values.is_empty() || (open && t.chance(3)) {
                true => Value::String(string(t)),
                false => json!(values[t.pick(values.len())]),
            },
            Kind::Number => json!(if t.chance(2) { float(t) } else { integer(t) as f64 }),
            Kind::Integer => json!(integer(t)),
            Kind::Boolean => Value::Bool(t.chance(2)),
            Kind::OneOf(options) => self.generate(options[t.pick(options.len())], t, depth),
            Kind::Any => any(t, depth.min(2)),
        }
    }

    /// Changes `value` into another valid value for `schema`; `rate` is the one-in chance of each
    /// change.
    pub fn vary(&self, schema: &Value, value: &mut Value, t: &mut Tape, rate: u32) {
        let shape = self.shape(schema);
        if shape.nullable && t.chance(rate * 2) {
            *value = Value::Null;
            return;
        }
        match (shape.kind, value) {
            (Kind::Object { props, map_values }, Value::Object(object)) => {
                for (name, sub, required) in &props {
                    match object.get_mut(*name) {
                        Some(_) if !required && t.chance(rate) => drop(object.remove(*name)),
                        Some(child) => self.vary(sub, child, t, rate),
                        None if t.chance(rate) => {
                            drop(object.insert(name.to_string(), self.generate(sub, t, 2)))
                        }
                        None => {}
                    }
                }
                if let Some(values) = map_values {
                    object.values_mut().for_each(|child| self.vary(values, child, t, rate));
                    if t.chance(rate) {
                        object.insert(string(t), self.generate(values, t, 2));
                    }
                } else if t.chance(rate) {
                    let key = format!("x-unknown-{}", string(t));
                    if !props.iter().any(|(name, ..)| *name == key) {
                        object.insert(key, any(t, 3));
                    }
                }
            }
            (Kind::Array(items), Value::Array(list)) => {
                if !list.is_empty() && t.chance(rate) {
                    list.remove(t.pick(list.len()));
                }
                if !list.is_empty() && t.chance(rate) {
                    list.push(list[t.pick(list.len())].clone());
                }
                list.iter_mut().for_each(|item| self.vary(items, item, t, rate));
            }
            (Kind::String { values, open }, value) if t.chance(rate) => {
                *value = match values.is_empty() || open && t.chance(2) {
                    true => Value::String(string(t)),
                    false => json!(values[t.pick(values.len())]),
                }
            }
            (Kind::Number, value) if t.chance(rate) => {
                *value = json!(if t.chance(2) { float(t) } else { integer(t) as f64 })
            }
            (Kind::Number, value) if t.chance(2) => {
                // The same number as a float: written `2.0`, `2e0` and so on.
                if let Some(n) = value.as_f64().and_then(Number::from_f64) {
                    *value = Value::Number(n);
                }
            }
            (Kind::Integer, value) if t.chance(rate) => *value = json!(integer(t)),
            (Kind::Boolean, value) if t.chance(rate) => *value = Value::Bool(t.chance(2)),
            (Kind::OneOf(options), value) if t.chance(rate) => {
                *value = self.generate(options[t.pick(options.len())], t, 1)
            }
            (Kind::Any, value) if t.chance(rate) => *value = any(t, 3),
            _ => {}
        }
    }

    /// A copy of `value` for the JSON Schema validator, which does not know `x-open-enum`: every
    /// undocumented value of an open enum becomes a documented one.
    pub fn close_open_enums(&self, schema: &Value, value: &mut Value) {
        match (self.shape(schema).kind, value) {
            (Kind::Object { props, map_values }, Value::Object(object)) => {
                for (name, sub, _) in props {
                    if let Some(child) = object.get_mut(name) {
                        self.close_open_enums(sub, child);
                    }
                }
                if let Some(values) = map_values {
                    object.values_mut().for_each(|child| self.close_open_enums(values, child));
                }
            }
            (Kind::Array(items), Value::Array(list)) => {
                list.iter_mut().for_each(|item| self.close_open_enums(items, item));
            }
            (Kind::String { values, open: true }, Value::String(s))
                if !values.is_empty() && !values.contains(&s.as_str()) =>
            {
                *s = values[0].to_string();
            }
            _ => {}
        }
    }
}
