//! Open enums: schemas marked `x-open-enum` become Rust enums with one variant per documented value
//! and an `Other(UnknownValue)` catch-all, so a value the server adds later still decodes and keeps
//! its raw string. `UnknownValue` is opaque (read through `as_str()`, never matched as a string), so
//! a later release that adds the value as a variant breaks no one's `match`, as in the AWS SDKs.
//! The documented values are `enum`, or `x-known-values` where the server also sends values no
//! list can hold (error codes). Variant names come from `x-enum-varnames` when given (needed for
//! the empty string); `x-enum-descriptions` documents the variants.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

/// One open enum to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenEnum {
    /// Schema (and Rust type) name.
    pub name: String,
    /// The schema's description.
    pub description: String,
    /// `(wire value, Rust variant name)` in spec order.
    pub variants: Vec<(String, String)>,
    /// One doc line per variant, from `x-enum-descriptions` (empty when absent).
    pub docs: Vec<String>,
}

fn strings(value: Option<&Value>, what: &str, name: &str) -> Result<Option<Vec<String>>, String> {
    let Some(list) = value else { return Ok(None) };
    let list = list.as_array().ok_or_else(|| format!("open enum {name}: {what} must be a list"))?;
    list.iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .map(Some)
        .ok_or_else(|| format!("open enum {name}: {what} holds a non-string value"))
}

/// Finds every component schema marked `x-open-enum: true`.
pub fn collect(spec: &Value) -> Result<Vec<OpenEnum>, String> {
    let Some(schemas) = spec.pointer("/components/schemas").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, schema) in schemas {
        if schema.get("x-open-enum").and_then(Value::as_bool) != Some(true) {
            continue;
        }
        let values = match strings(schema.get("enum"), "enum", name)? {
            Some(values) => values,
            None => strings(schema.get("x-known-values"), "x-known-values", name)?
                .ok_or_else(|| format!("open enum {name} has no `enum` or `x-known-values` list"))?,
        };
        let names: Vec<String> = match strings(schema.get("x-enum-varnames"), "x-enum-varnames", name)? {
            Some(list) => list,
            None => values.iter().map(|v| camel_case(v)).collect::<Result<_, _>>()?,
        };
        if names.len() != values.len() {
            return Err(format!("open enum {name}: x-enum-varnames must name every value"));
        }
        if names.iter().any(|n| n == "Other") {
            return Err(format!("open enum {name}: `Other` is the catch-all; name that value otherwise"));
        }
        let docs =
            strings(schema.get("x-enum-descriptions"), "x-enum-descriptions", name)?.unwrap_or_default();
        if !docs.is_empty() && docs.len() != values.len() {
            return Err(format!("open enum {name}: x-enum-descriptions must describe every value"));
        }
        out.push(OpenEnum {
            name: name.clone(),
            description: schema.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
            variants: values.into_iter().zip(names).collect(),
            docs,
        });
    }
    Ok(out)
}

fn camel_case(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err("the empty enum value needs a name in x-enum-varnames".into());
    }
    Ok(value
        .split(['_', '-', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect())
}

/// Renders the enums as Rust code, with the `UnknownValue` they share.
pub fn render(enums: &[OpenEnum]) -> TokenStream {
    let items = enums.iter().map(render_one);
    quote! {
        /// A value of an open enum that this version of the crate does not know, kept as sent.
        ///
        /// Read it with [`as_str`](Self::as_str). It cannot be matched as a string, on purpose: a
        /// later release may add the value as a variant, and code that matched the raw string would
        /// silently stop matching.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct UnknownValue(String);

        impl UnknownValue {
            /// The value as the server sent it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for UnknownValue {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        #(#items)*
    }
}

fn render_one(e: &OpenEnum) -> TokenStream {
    let name = format_ident!("{}", e.name);
    let doc = format!(
        "{}\n\nOpen enum: a value this crate does not know decodes as `Other`, whose [`UnknownValue`] \
         keeps the raw string; read any value with `as_str()`.",
        e.description
    );
    let idents: Vec<_> = e.variants.iter().map(|(_, n)| format_ident!("{}", n)).collect();
    let wires: Vec<_> = e.variants.iter().map(|(w, _)| w.as_str()).collect();
    let variant_docs: Vec<_> = wires
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let wire = if w.is_empty() { "The empty string `\"\"`.".to_string() } else { format!("`{w}`") };
            match e.docs.get(i) {
                Some(text) => format!("{wire}: {text}"),
                None => wire,
            }
        })
        .collect();
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this version of the crate does not know, kept as sent.
            Other(UnknownValue),
        }

        impl #name {
            /// Every documented wire value, in spec order.
            pub const KNOWN: &'static [&'static str] = &[#(#wires),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Other(raw) => raw.as_str(),
                }
            }

            /// True for a documented value, false for `Other`.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Other(UnknownValue(other.to_owned())),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Other(_) => Self::Other(UnknownValue(value)),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        // A visitor, not `Cow<str>`: serde's `Cow` always allocates, and known values need no string.
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                        Ok(#name::from(value))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, value: String) -> Result<Self::Value, E> {
                        Ok(#name::from(value))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collects_marked_enums_with_names() {
        let spec = json!({"components": {"schemas": {
            "P": {"type": "string", "enum": ["in_progress", ""], "x-open-enum": true,
                  "x-enum-varnames": ["InProgress", "NotReported"]},
            "Closed": {"type": "string", "enum": ["a"]}}}});
        let enums = collect(&spec).unwrap();
        assert_eq!(enums.len(), 1);
        assert_eq!(enums[0].variants[1], ("".to_string(), "NotReported".to_string()));
    }

    #[test]
    fn unnamed_empty_value_is_an_error() {
        let spec = json!({"components": {"schemas": {
            "P": {"type": "string", "enum": ["a", ""], "x-open-enum": true}}}});
        assert!(collect(&spec).unwrap_err().contains("x-enum-varnames"));
    }

    #[test]
    fn known_values_and_descriptions_for_codes() {
        let spec = json!({"components": {"schemas": {
            "ErrorCode": {"type": "string", "x-open-enum": true, "x-known-values": ["not_found", "gone"],
                          "x-enum-descriptions": ["No such thing.", "It left."]}}}});
        let enums = collect(&spec).unwrap();
        assert_eq!(enums[0].variants[1], ("gone".to_string(), "Gone".to_string()));
        let code = render(&enums).to_string();
        assert!(code.contains("`gone`: It left.") && code.contains("Other (UnknownValue)"), "{code}");
    }

    #[test]
    fn a_value_named_other_is_refused() {
        let spec = json!({"components": {"schemas": {
            "P": {"type": "string", "enum": ["other"], "x-open-enum": true}}}});
        assert!(collect(&spec).unwrap_err().contains("catch-all"));
    }

    #[test]
    fn camel_cases_snake_values() {
        assert_eq!(camel_case("in_progress").unwrap(), "InProgress");
    }
}
