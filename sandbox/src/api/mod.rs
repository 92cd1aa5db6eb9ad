//! The spec, compiled for serving. Every operation of the OpenAPI document is read once into an
//! [`Operation`]: its route, credentials and scopes, parameter and body schemas, documented
//! statuses and example answer. Nothing here knows a particular operation, so an operation added
//! to the spec is routed, authenticated, validated and answered from its examples as it stands.

mod example;
mod operation;
mod request;

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use axum::http::Method;
use hostup_schema::Validators;
use serde_json::Value;

pub(crate) use example::fill;
pub(crate) use operation::{Credential, In, Operation, Segment};
pub(crate) use request::{Call, validate};

use crate::problem::Flavor;

/// HTTP methods a path item may hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The operations of one spec, and the validators of its schemas.
pub(crate) struct Api {
    pub operations: Vec<Operation>,
    pub validators: Validators,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api").field("operations", &self.operations.len()).finish_non_exhaustive()
    }
}

/// What a request's method and path match.
#[derive(Debug)]
pub(crate) enum Route<'a> {
    /// An operation, with the path's parameter values (percent-decoded).
    Operation(&'a Operation, Vec<(String, String)>),
    /// The path exists with other methods (for `Allow`).
    WrongMethod {
        allow: Vec<&'a str>,
        flavor: Flavor,
    },
    Unknown(Flavor),
}

impl Route<'_> {
    /// Which error shape the answer takes.
    pub fn flavor(&self) -> Flavor {
        match self {
            Route::Operation(op, _) => op.flavor,
            Route::WrongMethod { flavor, .. } | Route::Unknown(flavor) => *flavor,
        }
    }
}

/// The spec the sandbox embeds: the one the `hostup` crate was generated from.
pub(crate) fn embedded_spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| serde_yaml_ng::from_str(hostup::operations::SPEC_YAML).unwrap_or(Value::Null))
}

impl Api {
    /// The embedded spec's operations, read once per process.
    pub fn embedded() -> Result<Arc<Api>, String> {
        static API: OnceLock<Result<Arc<Api>, String>> = OnceLock::new();
        API.get_or_init(|| Api::from_spec(embedded_spec()).map(Arc::new)).clone()
    }

    /// Reads every operation of `doc`.
    pub fn from_spec(doc: &Value) -> Result<Api, String> {
        let paths = doc.get("paths").and_then(Value::as_object).ok_or("the spec has no `paths`")?;
        let mut operations = Vec::new();
        for (template, item) in paths {
            for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
                operations.push(Operation::read(doc, template, method)?);
            }
        }
        Ok(Api { operations, validators: Validators::new(doc) })
    }

    /// Every scope some operation requires.
    pub fn scopes(&self) -> BTreeSet<String> {
        self.operations.iter().flat_map(|op| op.scopes.iter().cloned()).collect()
    }

    /// Matches a request against the templates; literal segments win over parameters, so the
    /// resource is the most specific template that fits, and `Allow` lists only its methods.
    pub fn route(&self, method: &Method, path: &str) -> Route<'_> {
        let got: Vec<&str> = path.split('/').collect();
        let fitting: Vec<(usize, &Operation)> =
            self.operations.iter().filter_map(|op| fits(&op.segments, &got).map(|n| (n, op))).collect();
        let most = fitting.iter().map(|(n, _)| *n).max();
        let mut best: Option<(usize, &Operation)> = None;
        let mut allow = Vec::new();
        for &(literals, op) in fitting.iter().filter(|(n, _)| Some(*n) == most) {
            if op.method == *method {
                best = Some((literals, op));
            } else if !allow.contains(&op.method.as_str()) {
                allow.push(op.method.as_str());
            }
        }
        if let Some((_, op)) = best {
            let params = op.segments.iter().zip(&got).filter_map(|(want, value)| match want {
                Segment::Param(name) => Some((name.clone(), decode(value))),
                Segment::Literal(_) => None,
            });
            return Route::Operation(op, params.collect());
        }
        let flavor = self.nearest_flavor(&got);
        if allow.is_empty() { Route::Unknown(flavor) } else { Route::WrongMethod { allow, flavor } }
    }

    /// The error shape of the operation sharing the longest leading part with an unknown path.
    fn nearest_flavor(&self, got: &[&str]) -> Flavor {
        let shared = |op: &Operation| {
            op.segments
                .iter()
                .zip(got)
                .take_while(|(w, g)| matches!(w, Segment::Literal(l) if l == *g))
                .count()
        };
        self.operations.iter().max_by_key(|op| shared(op)).map_or(Flavor::V2, |op| op.flavor)
    }
}

/// How many literal segments of `want` match `got`, if the whole path matches.
fn fits(want: &[Segment], got: &[&str]) -> Option<usize> {
    if want.len() != got.len() {
        return None;
    }
    let mut literals = 0;
    for (w, g) in want.iter().zip(got) {
        match w {
            Segment::Literal(l) if l == g => literals += 1,
            Segment::Param(_) if !g.is_empty() => {}
            _ => return None,
        }
    }
    Some(literals)
}

/// Percent-decodes one path segment (invalid escapes are kept as they are).
fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_the_embedded_templates() {
        let api = Api::embedded().unwrap();
        let Route::Operation(op, params) = api.route(&Method::GET, "/api/v2/vps/vps_1/details") else {
            panic!()
        };
        assert_eq!(
            (op.id.as_str(), params),
            ("getVpsDetails", vec![("id".to_string(), "vps_1".to_string())])
        );
        let Route::Operation(op, _) = api.route(&Method::POST, "/api/v2/vps/vps_1/actions/upgrade") else {
            panic!()
        };
        assert_eq!(op.id, "upgradeVpsPlan");
        let Route::WrongMethod { allow, .. } = api.route(&Method::DELETE, "/api/v2/vps/vps_1") else {
            panic!()
        };
        assert_eq!(allow, ["GET"]);
        assert!(matches!(api.route(&Method::GET, "/api/v2/vps//details"), Route::Unknown(Flavor::V2)));
        assert!(matches!(api.route(&Method::GET, "/api/vm/1/nothing"), Route::Unknown(Flavor::Legacy)));
        let Route::Operation(_, params) = api.route(&Method::GET, "/api/jobs/a%2Fb") else { panic!() };
        assert_eq!(params[0].1, "a/b");
    }

    #[test]
    fn operations_carry_their_credentials_and_scopes() {
        let api = Api::embedded().unwrap();
        let find = |id: &str| api.operations.iter().find(|op| op.id == id).unwrap();
        assert_eq!(find("restartVps").credentials, [Credential::Bearer]);
        assert_eq!(find("restartVps").scopes, ["power:vm"]);
        assert_eq!(find("getJob").credentials, [Credential::Header("x-api-key".into())]);
        assert_eq!(find("getJob").flavor, Flavor::Legacy);
        assert_eq!(find("restartVps").success.as_ref().unwrap().status, 202);
        assert!(api.scopes().contains("write:billing"));
    }
}
