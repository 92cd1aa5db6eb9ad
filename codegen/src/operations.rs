//! A static table of the spec's operations, for the runtime: which auth header a path takes, which
//! scopes it needs, and its path template (used to prove a request's path was not altered by an id).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// One operation of the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationRow {
    /// The operationId.
    pub id: String,
    /// The operationId in snake case, as progenitor reports it to hooks.
    pub name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/api/v2/vps/{id}`.
    pub path: String,
    /// True when the operation authenticates with the legacy `X-API-Key` scheme.
    pub legacy_auth: bool,
    /// Scopes from `x-required-scopes`.
    pub scopes: Vec<String>,
    /// True when the operation says `security: []`: it takes no credentials at all.
    pub public: bool,
    /// The request-body field of a documented idempotency key (`x-hostup-idempotency-key`): a
    /// request carrying one may be sent again (`attemptKey` on orders).
    pub idempotency_key: Option<String>,
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
            let public = op.get("security").and_then(Value::as_array).is_some_and(|s| s.is_empty());
            let idempotency_key = idempotency_key(spec, op).map_err(|e| format!("{id}: {e}"))?;
            rows.push(OperationRow {
                id: id.to_string(),
                name: snake_case(id),
                method: method.to_uppercase(),
                path: path.clone(),
                legacy_auth,
                scopes,
                public,
                idempotency_key,
            });
        }
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
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

/// `x-hostup-idempotency-key: <field>`, which must name a property of the JSON request body.
fn idempotency_key(spec: &Value, op: &Value) -> Result<Option<String>, String> {
    let Some(field) = op.get("x-hostup-idempotency-key") else { return Ok(None) };
    let field = field.as_str().ok_or("x-hostup-idempotency-key must name a request-body field")?;
    let mut schema = op.pointer("/requestBody/content/application~1json/schema");
    if let Some(target) = schema.and_then(|s| s.get("$ref")).and_then(Value::as_str) {
        schema = spec.pointer(target.trim_start_matches('#'));
    }
    if schema.and_then(|s| s.pointer(&format!("/properties/{field}"))).is_none() {
        return Err(format!(
            "x-hostup-idempotency-key names {field:?}, which the JSON request body does not declare"
        ));
    }
    Ok(Some(field.to_string()))
}

fn uses_legacy(security: Option<&Value>) -> bool {
    security
        .and_then(Value::as_array)
        .is_some_and(|reqs| reqs.iter().any(|r| r.get("legacyApiKey").is_some()))
}

/// Renders the table as `pub(crate) static OPERATIONS: &[OperationSpec]`.
pub fn render(rows: &[OperationRow]) -> TokenStream {
    let items = rows.iter().map(|r| {
        let OperationRow { id, name, method, path, legacy_auth, scopes, public, idempotency_key } = r;
        let idempotency_key = match idempotency_key {
            Some(field) => quote!(Some(#field)),
            None => quote!(None),
        };
        quote! {
            OperationSpec {
                id: #id,
                name: #name,
                method: #method,
                path: #path,
                legacy_auth: #legacy_auth,
                scopes: &[#(#scopes),*],
                public: #public,
                idempotency_key: #idempotency_key,
            }
        }
    });
    quote! {
        /// Every operation in the spec, sorted by operationId.
        pub static OPERATIONS: &[OperationSpec] = &[#(#items),*];
    }
}
