//! Secret fields: for every component schema, the JSON pointers of the properties marked
//! `x-hostup-secret: true`, reached through `$ref`, `allOf`/`oneOf`/`anyOf`, array `items` and
//! `additionalProperties` (the last two as a `*` segment: every element or member). Redaction
//! (`hostup::redact`) and the error excerpts use them, so marking a field in the spec is all it
//! takes to keep it out of output.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// Secret pointers per schema, and every secret property name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Secrets {
    /// Schema name -> pointers (`/access/rootPassword`), for object schemas only.
    pub pointers: BTreeMap<String, Vec<String>>,
    /// Every property name marked secret anywhere (`rootPassword`).
    pub names: BTreeSet<String>,
}

/// Walks every component schema.
pub fn collect(spec: &Value) -> Secrets {
    let mut secrets = Secrets::default();
    let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object) else {
        return secrets;
    };
    for (name, schema) in schemas {
        if !is_object(schema) {
            continue;
        }
        let mut found = Vec::new();
        walk(spec, schema, String::new(), &mut vec![name.clone()], &mut found, &mut secrets.names);
        found.sort();
        found.dedup();
        secrets.pointers.insert(name.clone(), found);
    }
    secrets
}

/// True for schemas that become a Rust struct (not enums, strings or numbers).
pub fn is_object(schema: &Value) -> bool {
    let typed = schema.get("type").and_then(Value::as_str);
    schema.get("enum").is_none()
        && (typed == Some("object")
            || (typed.is_none() && ["properties", "allOf"].iter().any(|k| schema.get(k).is_some())))
}

fn walk(
    spec: &Value,
    schema: &Value,
    at: String,
    seen: &mut Vec<String>,
    out: &mut Vec<String>,
    names: &mut BTreeSet<String>,
) {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or_default().to_string();
        // A schema that contains itself (a tree) would recurse forever; its secrets were found once.
        if seen.contains(&name) {
            return;
        }
        if let Some(resolved) = spec.pointer(target.trim_start_matches('#')) {
            seen.push(name);
            walk(spec, resolved, at, seen, out, names);
            seen.pop();
        }
        return;
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            walk(spec, part, at.clone(), seen, out, names);
        }
    }
    for (prop, sub) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let pointer = format!("{at}/{}", prop.replace('~', "~0").replace('/', "~1"));
        if sub.get("x-hostup-secret").and_then(Value::as_bool) == Some(true) {
            names.insert(prop.clone());
            out.push(pointer);
        } else {
            walk(spec, sub, pointer, seen, out, names);
        }
    }
    if let Some(items) = schema.get("items") {
        walk(spec, items, format!("{at}/*"), seen, out, names);
    }
    if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        walk(spec, extra, format!("{at}/*"), seen, out, names);
    }
}

/// Renders `SECRET_FIELD_NAMES`, the `SECRET_POINTERS` table and a `Redact` impl per object schema.
/// `skip` names schemas that are not generated types (replaced ones).
pub fn render(secrets: &Secrets, skip: &[String]) -> TokenStream {
    let names = secrets.names.iter();
    let rows = secrets.pointers.iter().filter(|(_, p)| !p.is_empty()).map(|(schema, pointers)| {
        quote! { (#schema, &[#(#pointers),*]) }
    });
    let impls =
        secrets.pointers.iter().filter(|(schema, _)| !skip.contains(schema)).map(|(schema, pointers)| {
            let ty = format_ident!("{schema}");
            quote! {
                impl Redact for crate::types::#ty {
                    const SECRET_POINTERS: &'static [&'static str] = &[#(#pointers),*];
                }
            }
        });
    quote! {
        /// Every property name marked `x-hostup-secret` in the spec.
        pub const SECRET_FIELD_NAMES: &[&str] = &[#(#names),*];

        /// `(schema, secret pointers)` for every schema that holds a secret, sorted by schema name.
        pub const SECRET_POINTERS: &[(&str, &[&str])] = &[#(#rows),*];

        #(#impls)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "Details": {"type": "object", "properties": {
                "access": {"$ref": "#/components/schemas/Access"},
                "keys": {"type": "array", "items": {"$ref": "#/components/schemas/Access"}},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Details"}}}},
            "Access": {"type": "object", "properties": {
                "user": {"type": "string"},
                "rootPassword": {"type": "string", "x-hostup-secret": true}}},
            "Status": {"type": "string", "enum": ["a"]}}}})
    }

    #[test]
    fn pointers_follow_refs_arrays_and_stop_at_cycles() {
        let secrets = collect(&spec());
        assert_eq!(secrets.pointers["Details"], ["/access/rootPassword", "/keys/*/rootPassword"]);
        assert_eq!(secrets.pointers["Access"], ["/rootPassword"]);
        assert!(!secrets.pointers.contains_key("Status"));
        assert_eq!(secrets.names.iter().collect::<Vec<_>>(), ["rootPassword"]);
    }

    #[test]
    fn a_secret_marked_in_the_spec_is_redacted_everywhere_it_appears() {
        let mut spec = spec();
        spec["components"]["schemas"]["Access"]["properties"]["token"] =
            json!({"type": "string", "x-hostup-secret": true});
        let secrets = collect(&spec);
        assert!(secrets.pointers["Details"].contains(&"/keys/*/token".to_string()));
        let code = render(&secrets, &[]).to_string();
        assert!(code.contains("\"token\"") && code.contains("\"/access/token\""), "{code}");
    }
}
