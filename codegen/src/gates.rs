//! Action gates: the schema marked `x-hostup-gates: true` (`VpsActions`) has one property per gated
//! action, each an `ActionGate`. Each property becomes a variant of `Action` (`canRebuild` ->
//! `Rebuild`), with its wire name and an accessor for the gate, so a gate added to the spec is an
//! `Action` without Rust edits.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

const GATE_REF: &str = "#/components/schemas/ActionGate";

/// The gates of the marked schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Gates {
    /// The schema holding the gates (`VpsActions`).
    pub schema: String,
    /// `(wire name, Rust variant)`: `("canRebuild", "Rebuild")`.
    pub actions: Vec<(String, String)>,
}

/// Finds the one schema marked `x-hostup-gates: true`.
pub fn collect(spec: &Value) -> Result<Gates, String> {
    let schemas = spec.pointer("/components/schemas").and_then(Value::as_object);
    let marked: Vec<_> = schemas
        .into_iter()
        .flatten()
        .filter(|(_, s)| s.get("x-hostup-gates").and_then(Value::as_bool) == Some(true))
        .collect();
    let [(name, schema)] = marked.as_slice() else {
        return Err(format!("exactly one schema must say `x-hostup-gates: true`, found {}", marked.len()));
    };
    let props =
        schema.get("properties").and_then(Value::as_object).ok_or(format!("{name} has no properties"))?;
    let mut actions = Vec::new();
    for (wire, prop) in props {
        if prop.get("$ref").and_then(Value::as_str) != Some(GATE_REF) {
            return Err(format!(
                "{name}.{wire}: every property of a gate schema must be a $ref to {GATE_REF}"
            ));
        }
        let rest = wire.strip_prefix("can").filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
        let variant =
            rest.ok_or(format!("{name}.{wire}: a gate's name must be `can` + an action (canStart)"))?;
        actions.push((wire.clone(), variant.to_string()));
    }
    Ok(Gates { schema: name.to_string(), actions })
}

/// Renders `Action` with `ALL`, `gate_name` and `gate`.
pub fn render(gates: &Gates) -> TokenStream {
    let schema = format_ident!("{}", gates.schema);
    let variants: Vec<_> = gates.actions.iter().map(|(_, v)| format_ident!("{v}")).collect();
    let wires: Vec<_> = gates.actions.iter().map(|(w, _)| w.as_str()).collect();
    let fields: Vec<_> =
        wires.iter().map(|w| format_ident!("{}", crate::operations::snake_case(w))).collect();
    let docs: Vec<_> = wires.iter().map(|w| format!("The action gated by `actions.{w}`.")).collect();
    quote! {
        /// An action that `/details` gates with `actions.canX` (one variant per gate in the spec).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Action {
            #( #[doc = #docs] #variants, )*
        }

        impl Action {
            /// Every gated action.
            pub const ALL: &'static [Action] = &[#(Action::#variants),*];

            /// The gate's name in the API (`canStart`).
            pub fn gate_name(self) -> &'static str {
                match self {
                    #( Action::#variants => #wires, )*
                }
            }

            /// This action's gate.
            pub fn gate(self, actions: &crate::types::#schema) -> &crate::types::ActionGate {
                match self {
                    #( Action::#variants => &actions.#fields, )*
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(extra: Option<(&str, Value)>) -> Value {
        let mut spec = json!({"components": {"schemas": {"VpsActions": {"type": "object", "x-hostup-gates": true,
            "properties": {"canStart": {"$ref": GATE_REF}, "canDetachIsos": {"$ref": GATE_REF}}}}}});
        if let Some((name, prop)) = extra {
            spec["components"]["schemas"]["VpsActions"]["properties"][name] = prop;
        }
        spec
    }

    #[test]
    fn a_gate_added_to_the_spec_becomes_an_action() {
        assert_eq!(collect(&spec(None)).unwrap().actions.len(), 2);
        let gates = collect(&spec(Some(("canMigrate", json!({"$ref": GATE_REF}))))).unwrap();
        assert!(gates.actions.contains(&("canMigrate".to_string(), "Migrate".to_string())));
        let code = render(&gates).to_string();
        assert!(code.contains("Migrate") && code.contains("can_migrate") && code.contains("\"canMigrate\""));
    }

    #[test]
    fn odd_gates_fail() {
        assert!(collect(&spec(Some(("migrate", json!({"$ref": GATE_REF}))))).unwrap_err().contains("`can`"));
        assert!(collect(&spec(Some(("canX", json!({"type": "string"}))))).unwrap_err().contains("$ref"));
        assert!(collect(&json!({})).unwrap_err().contains("exactly one"));
    }
}
