//! Limits: every `minimum` and `maximum` of a component schema's property or of an operation's
//! parameter becomes a constant, so helpers check values against the spec's own numbers:
//! `PaygResizeRequest.cpuCores` `maximum: 32` -> `PAYG_RESIZE_REQUEST_CPU_CORES_MAX: u64 = 32`,
//! `listVps`'s `limit` parameter -> `LIST_VPS_LIMIT_MAX`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// One bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Limit {
    /// The constant's name (`PAYG_RESIZE_REQUEST_CPU_CORES_MAX`).
    pub name: String,
    /// Where it comes from (`PaygResizeRequest.cpuCores`), for the doc comment.
    pub source: String,
    /// `u64` (integers that cannot be negative), `i64` or `f64`.
    pub rust_type: &'static str,
    /// The bound as written in the spec.
    pub value: serde_json::Number,
}

/// Collects every bound, sorted by name; fails on two bounds that would share a name.
pub fn collect(spec: &Value) -> Result<Vec<Limit>, String> {
    let mut out = Vec::new();
    for (name, schema) in spec.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten()
    {
        properties(schema, &[name.as_str()], &mut out);
    }
    for item in spec.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            for param in op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
                let param = resolve(spec, param);
                if let (Some(name), Some(schema)) =
                    (param.get("name").and_then(Value::as_str), param.get("schema"))
                {
                    bounds(resolve(spec, schema), &[id, name], &mut out);
                }
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = out.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(format!(
            "limits {} and {} would both be named {}",
            pair[0].source, pair[1].source, pair[0].name
        ));
    }
    Ok(out)
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(target) => spec.pointer(target.trim_start_matches('#')).unwrap_or(value),
        None => value,
    }
}

fn properties(schema: &Value, path: &[&str], out: &mut Vec<Limit>) {
    for (prop, sub) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let path = [path, &[prop.as_str()]].concat();
        bounds(sub, &path, out);
        properties(sub, &path, out);
    }
}

fn bounds(schema: &Value, path: &[&str], out: &mut Vec<Limit>) {
    let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
    let numbers = ["minimum", "maximum"].map(|k| schema.get(k).and_then(Value::as_f64));
    let non_negative = numbers[0].is_some_and(|min| min >= 0.0);
    let rust_type = match (integer, non_negative) {
        (true, true) => "u64",
        (true, false) => "i64",
        (false, _) => "f64",
    };
    for (key, suffix) in [("minimum", "MIN"), ("maximum", "MAX")] {
        if let Some(Value::Number(value)) = schema.get(key) {
            let stem: Vec<String> = path.iter().map(|p| screaming_snake(p)).collect();
            out.push(Limit {
                name: format!("{}_{suffix}", stem.join("_")),
                source: path.join("."),
                rust_type,
                value: value.clone(),
            });
        }
    }
}

/// `PaygResizeRequest` -> `PAYG_RESIZE_REQUEST`, `cpuCores` -> `CPU_CORES`.
fn screaming_snake(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' });
    }
    out
}

/// Renders the constants.
pub fn render(limits: &[Limit]) -> Result<TokenStream, String> {
    let mut items = Vec::new();
    for limit in limits {
        let name = format_ident!("{}", limit.name);
        let ty = format_ident!("{}", limit.rust_type);
        let value = match limit.rust_type {
            "u64" => limit.value.as_u64().map(Literal::u64_unsuffixed),
            "i64" => limit.value.as_i64().map(Literal::i64_unsuffixed),
            _ => limit.value.as_f64().map(Literal::f64_unsuffixed),
        }
        .ok_or(format!("{}: bound {} does not fit {}", limit.source, limit.value, limit.rust_type))?;
        let bound = if limit.name.ends_with("_MIN") { "minimum" } else { "maximum" };
        let doc = format!("The {bound} of `{}` in the spec.", limit.source);
        items.push(quote! { #[doc = #doc] pub const #name: #ty = #value; });
    }
    Ok(quote! { #(#items)* })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {"PaygResizeRequest": {"type": "object", "properties": {
                "cpuCores": {"type": "integer", "minimum": 1, "maximum": 32}}}}},
            "paths": {"/vps": {"get": {"operationId": "listVps", "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]}}}})
    }

    #[test]
    fn bounds_become_named_constants() {
        let names: Vec<_> = collect(&spec()).unwrap().into_iter().map(|l| l.name).collect();
        assert_eq!(
            names,
            [
                "LIST_VPS_LIMIT_MAX",
                "LIST_VPS_LIMIT_MIN",
                "PAYG_RESIZE_REQUEST_CPU_CORES_MAX",
                "PAYG_RESIZE_REQUEST_CPU_CORES_MIN"
            ]
        );
    }

    #[test]
    fn a_limit_added_to_the_spec_is_a_constant() {
        let mut spec = spec();
        spec["components"]["schemas"]["PaygResizeRequest"]["properties"]["memoryGb"] =
            json!({"type": "integer", "minimum": 1, "maximum": 256});
        let code = render(&collect(&spec).unwrap()).unwrap().to_string();
        assert!(code.contains("pub const PAYG_RESIZE_REQUEST_MEMORY_GB_MAX : u64 = 256"), "{code}");
        spec["components"]["schemas"]["Temperature"] =
            json!({"type": "object", "properties": {"celsius": {"type": "number", "minimum": -40.5}}});
        let file: syn::File = syn::parse2(render(&collect(&spec).unwrap()).unwrap()).unwrap();
        let code = prettyplease::unparse(&file);
        assert!(code.contains("pub const TEMPERATURE_CELSIUS_MIN: f64 = -40.5;"), "{code}");
    }
}
