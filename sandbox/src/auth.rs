//! Who may call what: API keys and their scopes, checked against the spec. An operation's
//! `security` names the credentials it takes (`Authorization: Bearer` or an API-key header such
//! as `X-API-Key`), and its `x-required-scopes` must all be granted to the key.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::json;

use crate::api::{Credential, Operation};
use crate::problem::Fail;

/// The issued keys and their scopes.
#[derive(Debug)]
pub(crate) struct Keys(Mutex<HashMap<String, BTreeSet<String>>>);

impl Keys {
    /// The main key, granted `scopes` (every scope of the spec).
    pub fn new(main_key: &str, scopes: BTreeSet<String>) -> Self {
        Keys(Mutex::new(HashMap::from([(main_key.to_string(), scopes)])))
    }

    pub fn issue(&self, key: String, scopes: &[&str]) {
        let scopes = scopes.iter().map(|s| s.to_string()).collect();
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(key, scopes);
    }

    fn scopes_of(&self, key: &str) -> Option<BTreeSet<String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    /// Checks the credentials of a request to `op`.
    pub fn check(&self, op: &Operation, headers: &HeaderMap) -> Result<(), Fail> {
        if op.credentials.is_empty() {
            return Ok(());
        }
        let sent = op.credentials.iter().find_map(|credential| match credential {
            Credential::Bearer => headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
                .map(str::trim)
                .filter(|k| !k.is_empty()),
            Credential::Header(name) => headers
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|k| !k.is_empty()),
        });
        let Some(key) = sent else {
            let how: Vec<String> = op
                .credentials
                .iter()
                .map(|c| match c {
                    Credential::Bearer => "an Authorization: Bearer header".to_string(),
                    Credential::Header(name) => format!("a {name} header"),
                })
                .collect();
            let detail = format!("Authentication is required: send the API key in {}.", how.join(" or "));
            return Err(Fail::unauthorized(&detail));
        };
        let Some(granted) = self.scopes_of(key) else {
            return Err(Fail::unauthorized("The API key is not valid."));
        };
        let missing: Vec<&str> =
            op.scopes.iter().map(String::as_str).filter(|s| !granted.contains(*s)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Fail::new(
            StatusCode::FORBIDDEN,
            hostup::ErrorCode::Forbidden.as_str(),
            "Forbidden",
            format!("The API key lacks the scope {}.", missing.join(", ")),
        )
        .with("requiredScopes", json!(op.scopes))
        .with("missingScopes", json!(missing)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Api;

    #[test]
    fn scopes_are_checked() {
        let api = Api::embedded().unwrap();
        let keys = Keys::new("main", api.scopes());
        keys.issue("reader".into(), &["read:vm"]);
        let op = |id: &str| api.operations.iter().find(|o| o.id == id).unwrap();
        let bearer =
            |k: &str| HeaderMap::from_iter([(header::AUTHORIZATION, format!("Bearer {k}").parse().unwrap())]);
        let restart = op("restartVps");
        assert!(keys.check(restart, &bearer("main")).is_ok());
        assert_eq!(keys.check(restart, &bearer("reader")).unwrap_err().status, StatusCode::FORBIDDEN);
        assert_eq!(keys.check(restart, &bearer("nope")).unwrap_err().status, StatusCode::UNAUTHORIZED);
        assert_eq!(keys.check(op("getJob"), &bearer("main")).unwrap_err().status, StatusCode::UNAUTHORIZED);
        let api_key = HeaderMap::from_iter([("x-api-key".parse().unwrap(), "main".parse().unwrap())]);
        assert!(keys.check(op("getJob"), &api_key).is_ok());
    }
}
