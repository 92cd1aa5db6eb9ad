//! A static table of the spec's operations, for the runtime: which auth header a path takes, which
//! scopes it needs, its path template (used to prove a request's path was not altered by an id),
//! and whether a request may be sent again (`x-hostup-replay-safe`).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// One operation of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationRow {
    /// The operationId.
    pub id: String,
    /// The operationId in snake case: the generated method's name, and what progenitor reports to
    /// hooks ([`check_names`] proves they agree).
    pub name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/api/v2/vps/{id}`.
    pub path: String,
    /// True when the operation authenticates with the legacy `X-API-Key` scheme.
    pub legacy_auth: bool,
    /// Scopes from `x-required-scopes`.
    pub scopes: Vec<String>,
    /// When a request may be sent again.
    pub replay_safe: ReplaySafe,
}

/// When sending a request twice is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplaySafe {
    /// Always: a GET, or an operation marked `x-hostup-replay-safe: always`.
    Always,
    /// Only when the body says `"dryRun": true` (`x-hostup-replay-safe: dry-run`).
    DryRun,
    /// Never: it may change something.
    Never,
}

fn replay_safe(spec: &Value, method: &str, op: &Value) -> Result<ReplaySafe, String> {
    match op.get("x-hostup-replay-safe").map(|v| v.as_str()) {
        None if method == "get" => Ok(ReplaySafe::Always),
        None => Ok(ReplaySafe::Never),
        Some(Some("always")) => Ok(ReplaySafe::Always),
        Some(Some("dry-run")) => {
            let body = op.pointer("/requestBody/content/application~1json/schema");
            if body.is_some_and(|schema| has_property(spec, schema, "dryRun", 0)) {
                Ok(ReplaySafe::DryRun)
            } else {
                Err("x-hostup-replay-safe: dry-run needs a JSON request body with a `dryRun` property".into())
            }
        }
        Some(other) => Err(format!("x-hostup-replay-safe must be `always` or `dry-run`, not {other:?}")),
    }
}

/// Collects every operation, failing on one without an operationId.
pub fn collect(spec: &Value) -> Result<Vec<OperationRow>, String> {
    let default_legacy = uses_legacy(spec.get("security"));
    let mut rows = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object).ok_or("the spec has no paths")?;
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{} {path} has no operationId", method.to_uppercase()))?;
            let legacy_auth = match op.get("security") {
                Some(s) => uses_legacy(Some(s)),
                None => default_legacy,
            };
            let scopes = op
                .get("x-required-scopes")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            rows.push(OperationRow {
                id: id.to_string(),
                name: snake_case(id),
                method: method.to_uppercase(),
                path: path.clone(),
                legacy_auth,
                scopes,
                replay_safe: replay_safe(spec, method, op).map_err(|e| format!("{id}: {e}"))?,
            });
        }
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// True when `schema` (through `$ref` and `allOf`) declares the property `name`.
fn has_property(spec: &Value, schema: &Value, name: &str, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = target.trim_start_matches('#');
        return spec.pointer(pointer).is_some_and(|s| has_property(spec, s, name, depth + 1));
    }
    schema.pointer(&format!("/properties/{name}")).is_some()
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|all| all.iter().any(|s| has_property(spec, s, name, depth + 1)))
}

/// Fails unless the table's names are exactly the operation names progenitor generated.
pub fn check_names(rows: &[OperationRow], generated: &[String]) -> Result<(), String> {
    let mut ours: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    let mut theirs: Vec<&str> = generated.iter().map(String::as_str).collect();
    ours.sort_unstable();
    theirs.sort_unstable();
    if ours == theirs {
        return Ok(());
    }
    let missing: Vec<_> = ours.iter().filter(|n| !theirs.contains(n)).collect();
    let extra: Vec<_> = theirs.iter().filter(|n| !ours.contains(n)).collect();
    Err(format!(
        "operation names differ from progenitor's: the table has {missing:?} where progenitor has {extra:?}; \
         rename the operationId or fix codegen's snake_case"
    ))
}

/// `getVpsDetails` -> `get_vps_details`, matching progenitor's method names.
pub fn snake_case(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn uses_legacy(security: Option<&Value>) -> bool {
    security
        .and_then(Value::as_array)
        .is_some_and(|reqs| reqs.iter().any(|r| r.get("legacyApiKey").is_some()))
}

/// Renders the table as `pub static OPERATIONS: &[OperationSpec]`, sorted by snake-case name so
/// the runtime finds a row by binary search.
pub fn render(rows: &[OperationRow]) -> TokenStream {
    let items = rows.iter().map(|r| {
        let OperationRow { id, name, method, path, legacy_auth, scopes, replay_safe } = r;
        let replay_safe = match replay_safe {
            ReplaySafe::Always => quote!(ReplaySafe::Always),
            ReplaySafe::DryRun => quote!(ReplaySafe::DryRun),
            ReplaySafe::Never => quote!(ReplaySafe::Never),
        };
        quote! {
            OperationSpec {
                id: #id,
                name: #name,
                method: #method,
                path: #path,
                legacy_auth: #legacy_auth,
                scopes: &[#(#scopes),*],
                replay_safe: #replay_safe,
            }
        }
    });
    quote! {
        /// Every operation in the spec, sorted by `name`.
        pub static OPERATIONS: &[OperationSpec] = &[#(#items),*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(extension: Value) -> Value {
        let body = json!({"$ref": "#/components/schemas/Change"});
        let mut post = json!({"operationId": "changeThing",
            "requestBody": {"content": {"application/json": {"schema": body}}}});
        if !extension.is_null() {
            post["x-hostup-replay-safe"] = extension;
        }
        json!({"paths": {"/a": {"get": {"operationId": "getThing"}, "post": post}},
            "components": {"schemas": {"Change": {"allOf": [{"properties": {"dryRun": {"type": "boolean"}}}]}}}})
    }

    #[test]
    fn replay_safety_comes_from_the_method_and_the_extension() {
        let rows = collect(&spec(Value::Null)).unwrap();
        let find = |rows: &[OperationRow], id: &str| rows.iter().find(|r| r.id == id).unwrap().replay_safe;
        assert_eq!(find(&rows, "getThing"), ReplaySafe::Always);
        assert_eq!(find(&rows, "changeThing"), ReplaySafe::Never);
        let rows = collect(&spec(json!("dry-run"))).unwrap();
        assert_eq!(find(&rows, "changeThing"), ReplaySafe::DryRun);
        assert!(collect(&spec(json!("sometimes"))).unwrap_err().contains("changeThing"));
        let mut no_dry_run = spec(json!("dry-run"));
        no_dry_run["components"]["schemas"]["Change"] = json!({"type": "object"});
        assert!(collect(&no_dry_run).unwrap_err().contains("dryRun"));
    }

    #[test]
    fn names_must_match_progenitors() {
        let rows = collect(&spec(Value::Null)).unwrap();
        assert_eq!(rows[0].name, "change_thing");
        assert!(check_names(&rows, &["get_thing".into(), "change_thing".into()]).is_ok());
        let err = check_names(&rows, &["get_thing".into(), "change_thing_2".into()]).unwrap_err();
        assert!(err.contains("change_thing_2"), "{err}");
    }
}
