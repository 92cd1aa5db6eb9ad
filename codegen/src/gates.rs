//! Action gates: every schema marked `x-hostup-gates: <EnumName>` holds gates, one property per
//! gated action, each an `ActionGate` (`canRebuild: {$ref: ActionGate}`). Each marked schema
//! becomes an enum of that name with one variant per gate (`canRebuild` -> `Rebuild`), its wire
//! name and an accessor for the gate, so a gate added to the spec, or a new gate object, is an
//! enum variant without Rust edits. Gates the schema does not require (or that are nullable) may
//! be absent: the accessor then returns an `Option`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

const GATE_REF: &str = "#/components/schemas/ActionGate";
const MARKER: &str = "x-hostup-gates";

/// One gate: its wire name, Rust variant and whether the response may leave it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    /// The property name (`canRebuild`).
    pub wire: String,
    /// The variant (`Rebuild`).
    pub variant: String,
    /// Not required, or nullable: the generated field is an `Option`.
    pub optional: bool,
}

/// The gates of one marked schema.
#[derive(Debug, Clone, PartialEq)]
pub struct GateSet {
    /// The schema holding the gates (`VpsActions`).
    pub schema: String,
    /// The enum generated for it, named by the marker (`Action`).
    pub name: String,
    /// The schema's description, for the enum's documentation.
    pub description: Option<String>,
    /// Its gates, by wire name.
    pub gates: Vec<Gate>,
}

/// Finds every schema marked `x-hostup-gates: <EnumName>`, sorted by schema name.
pub fn collect(spec: &Value) -> Result<Vec<GateSet>, String> {
    let schemas = spec.pointer("/components/schemas").and_then(Value::as_object);
    let mut sets = Vec::new();
    for (name, schema) in schemas.into_iter().flatten() {
        let Some(marker) = schema.get(MARKER) else { continue };
        sets.push(collect_one(name, schema, marker)?);
    }
    if sets.is_empty() {
        return Err(format!("no schema says `{MARKER}: <EnumName>`; the VPS details' gates need one"));
    }
    let mut names: Vec<&str> = sets.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    if let Some(twice) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("two schemas say `{MARKER}: {}`; each gate enum needs its own name", twice[0]));
    }
    Ok(sets)
}

fn collect_one(name: &str, schema: &Value, marker: &Value) -> Result<GateSet, String> {
    let enum_name = marker.as_str().filter(|n| is_type_name(n)).ok_or(format!(
        "{name}: `{MARKER}` names the Rust enum of its gates (`{MARKER}: SnapshotGate`), found {marker}"
    ))?;
    let props =
        schema.get("properties").and_then(Value::as_object).ok_or(format!("{name} has no properties"))?;
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut gates = Vec::new();
    for (wire, prop) in props {
        if !is_gate_ref(prop) {
            return Err(format!(
                "{name}.{wire}: every property of a gate schema must be a $ref to {GATE_REF}"
            ));
        }
        let rest = wire.strip_prefix("can").filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
        let variant =
            rest.ok_or(format!("{name}.{wire}: a gate's name must be `can` + an action (canStart)"))?;
        let nullable = prop.get("nullable").and_then(Value::as_bool) == Some(true);
        let optional = nullable || !required.contains(&wire.as_str());
        gates.push(Gate { wire: wire.clone(), variant: variant.to_string(), optional });
    }
    if gates.is_empty() {
        return Err(format!("{name} is marked `{MARKER}` but has no gates"));
    }
    let description = schema.get("description").and_then(Value::as_str).map(str::to_string);
    Ok(GateSet { schema: name.to_string(), name: enum_name.to_string(), description, gates })
}

/// A `$ref` to `ActionGate`, bare or as the nullable form (`allOf: [$ref]`, `nullable: true`).
fn is_gate_ref(prop: &Value) -> bool {
    let target = |v: &Value| v.get("$ref").and_then(Value::as_str) == Some(GATE_REF);
    target(prop)
        || prop.get("allOf").and_then(Value::as_array).is_some_and(|all| all.len() == 1 && target(&all[0]))
}

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Renders one enum per gate schema, each with `SCHEMA`, `ALL`, `gate_name`, `gate`, `Display`.
pub fn render(sets: &[GateSet]) -> TokenStream {
    let enums = sets.iter().map(render_one);
    quote! { #( #enums )* }
}

fn render_one(set: &GateSet) -> TokenStream {
    let name = format_ident!("{}", set.name);
    let schema = format_ident!("{}", set.schema);
    let schema_name = set.schema.as_str();
    let variants: Vec<_> = set.gates.iter().map(|g| format_ident!("{}", g.variant)).collect();
    let wires: Vec<_> = set.gates.iter().map(|g| g.wire.as_str()).collect();
    let fields: Vec<_> =
        wires.iter().map(|w| format_ident!("{}", crate::operations::snake_case(w))).collect();
    let docs = set.gates.iter().map(|g| {
        let absent = if g.optional { " The response may leave it out." } else { "" };
        format!("The action gated by `{}.{}`.{absent}", set.schema, g.wire)
    });
    let summary = set.description.as_deref().unwrap_or("Gates.").trim();
    let doc = format!(
        "The gates of `{}` (one variant per gate of the spec's schema, generated): {summary}",
        set.schema
    );
    let any_optional = set.gates.iter().any(|g| g.optional);
    let accessor = if any_optional {
        let reads = set.gates.iter().zip(&fields).map(|(g, f)| {
            if g.optional {
                quote! { actions.#f.as_ref() }
            } else {
                quote! { Some(&actions.#f) }
            }
        });
        quote! {
            /// This gate in a gate object; `None` when the server left it out.
            pub fn gate(self, actions: &crate::types::#schema) -> Option<&crate::types::ActionGate> {
                match self {
                    #( #name::#variants => #reads, )*
                }
            }

            /// `Ok` when the gate is open or absent (the server then decides), else
            /// [`Error::Blocked`](crate::Error::Blocked) naming the gate, its reason and code.
            pub fn check(self, actions: &crate::types::#schema) -> crate::Result<()> {
                self.gate(actions).map_or(Ok(()), |gate| crate::gates::check_gate(self.gate_name(), gate))
            }
        }
    } else {
        quote! {
            /// This gate in a gate object.
            pub fn gate(self, actions: &crate::types::#schema) -> &crate::types::ActionGate {
                match self {
                    #( #name::#variants => &actions.#fields, )*
                }
            }

            /// `Ok` when the gate is open, else [`Error::Blocked`](crate::Error::Blocked) naming
            /// the gate, its reason and code.
            pub fn check(self, actions: &crate::types::#schema) -> crate::Result<()> {
                crate::gates::check_gate(self.gate_name(), self.gate(actions))
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #variants, )*
        }

        impl #name {
            /// The spec's schema these gates belong to.
            pub const SCHEMA: &'static str = #schema_name;

            /// Every gate of the schema.
            pub const ALL: &'static [#name] = &[#(#name::#variants),*];

            /// The gate's name in the API (`canStart`).
            pub fn gate_name(self) -> &'static str {
                match self {
                    #( #name::#variants => #wires, )*
                }
            }

            #accessor
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.gate_name())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec() -> Value {
        json!({"components": {"schemas": {
            "VpsActions": {"type": "object", "x-hostup-gates": "Action", "required": ["canStart", "canDetachIsos"],
                "properties": {"canStart": {"$ref": GATE_REF}, "canDetachIsos": {"$ref": GATE_REF}}},
            "SnapshotActions": {"type": "object", "x-hostup-gates": "SnapshotGate", "required": ["canCreate"],
                "properties": {"canCreate": {"$ref": GATE_REF},
                    "canRestore": {"allOf": [{"$ref": GATE_REF}], "nullable": true}}},
            "Unmarked": {"type": "object", "properties": {"canX": {"$ref": GATE_REF}}}}}})
    }

    fn set<'a>(sets: &'a [GateSet], name: &str) -> &'a GateSet {
        sets.iter().find(|s| s.name == name).unwrap()
    }

    #[test]
    fn every_marked_schema_becomes_an_enum() {
        let sets = collect(&spec()).unwrap();
        assert_eq!(sets.len(), 2, "Unmarked stays out");
        assert_eq!(set(&sets, "Action").gates.len(), 2);
        let snapshot = set(&sets, "SnapshotGate");
        assert_eq!(snapshot.schema, "SnapshotActions");
        assert!(!snapshot.gates[0].optional && snapshot.gates[1].optional, "{snapshot:?}");
        let code = render(&sets).to_string();
        assert!(code.contains("pub enum SnapshotGate") && code.contains("\"canRestore\""), "{code}");
        assert!(code.contains("Option < & crate :: types :: ActionGate >"), "optional gates: Option");
        assert!(code.contains("& crate :: types :: ActionGate {"), "all required: a plain reference");
    }

    #[test]
    fn a_gate_added_to_the_spec_becomes_a_variant() {
        let mut spec = spec();
        spec["components"]["schemas"]["SnapshotActions"]["properties"]["canMigrate"] =
            json!({"$ref": GATE_REF});
        let sets = collect(&spec).unwrap();
        let added = set(&sets, "SnapshotGate").gates.iter().find(|g| g.wire == "canMigrate").unwrap();
        assert_eq!(
            (added.wire.as_str(), added.variant.as_str(), added.optional),
            ("canMigrate", "Migrate", true)
        );
        let code = render(&sets).to_string();
        assert!(code.contains("Migrate") && code.contains("can_migrate") && code.contains("\"canMigrate\""));
    }

    #[test]
    fn odd_gates_fail() {
        let with = |prop: &str, value: Value| {
            let mut spec = spec();
            spec["components"]["schemas"]["VpsActions"]["properties"][prop] = value;
            collect(&spec)
        };
        assert!(with("migrate", json!({"$ref": GATE_REF})).unwrap_err().contains("`can`"));
        assert!(with("canX", json!({"type": "string"})).unwrap_err().contains("$ref"));
        assert!(collect(&json!({})).unwrap_err().contains("no schema"));
        let mut unnamed = spec();
        unnamed["components"]["schemas"]["VpsActions"]["x-hostup-gates"] = json!(true);
        assert!(collect(&unnamed).unwrap_err().contains("names the Rust enum"));
        let mut twice = spec();
        twice["components"]["schemas"]["SnapshotActions"]["x-hostup-gates"] = json!("Action");
        assert!(collect(&twice).unwrap_err().contains("two schemas"));
    }
}
