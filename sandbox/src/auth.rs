//! Who may call what: API keys and their scopes, checked the way the docs describe. v2 routes take
//! `Authorization: Bearer <key>`, legacy routes `X-API-Key`; an operation's `x-required-scopes`
//! (from [`OPERATIONS`]) must all be granted to the key.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use axum::http::{HeaderMap, Method, StatusCode, header};
use serde_json::json;

use super::problem::{Fail, Flavor};
use hostup::operations::{OPERATIONS, OperationSpec};

/// The issued keys and their scopes.
#[derive(Debug)]
pub(crate) struct Keys(Mutex<HashMap<String, BTreeSet<String>>>);

/// Every scope some operation requires: what the sandbox's main key is granted.
pub(crate) fn all_scopes() -> BTreeSet<String> {
    OPERATIONS.iter().flat_map(|op| op.scopes.iter().map(|s| s.to_string())).collect()
}

impl Keys {
    pub fn new(main_key: &str) -> Self {
        Keys(Mutex::new(HashMap::from([(main_key.to_string(), all_scopes())])))
    }

    pub fn issue(&self, key: String, scopes: &[&str]) {
        let scopes = scopes.iter().map(|s| s.to_string()).collect();
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(key, scopes);
    }

    fn scopes_of(&self, key: &str) -> Option<BTreeSet<String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    /// Checks the credentials of a request to an operation (or, for an unknown route, to its API).
    pub fn check(&self, flavor: Flavor, op: Option<&OperationSpec>, headers: &HeaderMap) -> Result<(), Fail> {
        let sent = match flavor {
            Flavor::Legacy => headers.get("x-api-key").and_then(|v| v.to_str().ok()).map(str::trim),
            Flavor::V2 => headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
                .map(str::trim),
        };
        let how = match flavor {
            Flavor::Legacy => "an X-API-Key header",
            Flavor::V2 => "an Authorization: Bearer header",
        };
        let Some(key) = sent.filter(|k| !k.is_empty()) else {
            return Err(Fail::unauthorized(&format!(
                "Authentication is required: send the API key in {how}."
            )));
        };
        let Some(granted) = self.scopes_of(key) else {
            return Err(Fail::unauthorized("The API key is not valid."));
        };
        let required = op.map_or(&[][..], |op| op.scopes);
        let missing: Vec<&str> = required.iter().copied().filter(|s| !granted.contains(*s)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Fail::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Forbidden",
            format!("The API key lacks the scope {}.", missing.join(", ")),
        )
        .with("requiredScopes", json!(required))
        .with("missingScopes", json!(missing)))
    }
}

/// What a request's method and path match.
#[derive(Debug)]
pub(crate) enum Route {
    Operation(&'static OperationSpec),
    /// The path exists, with other methods.
    WrongMethod,
    Unknown,
}

/// Matches a request against the spec's path templates, one segment at a time.
pub(crate) fn route(method: &Method, path: &str) -> Route {
    let fits = |template: &str| {
        let (mut want, mut got) = (template.split('/'), path.split('/'));
        loop {
            match (want.next(), got.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if w.starts_with('{') && !g.is_empty() => {}
                (Some(w), Some(g)) if w == g => {}
                _ => return false,
            }
        }
    };
    let mut path_known = false;
    for op in OPERATIONS.iter().filter(|op| fits(op.path)) {
        if op.method.eq_ignore_ascii_case(method.as_str()) {
            return Route::Operation(op);
        }
        path_known = true;
    }
    if path_known { Route::WrongMethod } else { Route::Unknown }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_templates() {
        let Route::Operation(op) = route(&Method::GET, "/api/v2/vps/vps_1/details") else { panic!() };
        assert_eq!(op.id, "getVpsDetails");
        let Route::Operation(op) = route(&Method::POST, "/api/v2/vps/vps_1/actions/upgrade") else {
            panic!()
        };
        assert_eq!(op.id, "upgradeVpsPlan");
        assert!(matches!(route(&Method::DELETE, "/api/v2/vps/vps_1"), Route::WrongMethod));
        assert!(matches!(route(&Method::GET, "/api/v2/vps//details"), Route::Unknown));
        assert!(matches!(route(&Method::GET, "/api/v2/nothing"), Route::Unknown));
    }

    #[test]
    fn scopes_are_checked() {
        let keys = Keys::new("main");
        keys.issue("reader".into(), &["read:vm"]);
        let op = OPERATIONS.iter().find(|o| o.id == "restartVps").unwrap();
        let bearer =
            |k: &str| HeaderMap::from_iter([(header::AUTHORIZATION, format!("Bearer {k}").parse().unwrap())]);
        assert!(keys.check(Flavor::V2, Some(op), &bearer("main")).is_ok());
        assert_eq!(
            keys.check(Flavor::V2, Some(op), &bearer("reader")).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            keys.check(Flavor::V2, Some(op), &bearer("nope")).unwrap_err().status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            keys.check(Flavor::Legacy, None, &bearer("main")).unwrap_err().status,
            StatusCode::UNAUTHORIZED
        );
    }
}
