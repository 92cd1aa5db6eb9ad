//! One operation of the spec, read once from the document: its route, credentials and scopes,
//! parameters, body, documented statuses and the answer its examples give.

use std::sync::OnceLock;

use axum::http::Method;
use hostup_schema::{Schema, Validators};
use serde_json::Value;

use super::example;
use crate::problem::Flavor;

/// How a request may prove who it is: one of the spec's security schemes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Credential {
    /// `Authorization: Bearer <key>` (an `http` scheme with `scheme: bearer`).
    Bearer,
    /// The key in this header (an `apiKey` scheme `in: header`).
    Header(String),
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum In {
    Path,
    Query,
}

/// A schema of the spec, compiled on first use (most routes never see most schemas).
#[derive(Debug)]
pub(crate) struct LazySchema {
    pointer: String,
    compiled: OnceLock<Result<Schema, String>>,
}

impl LazySchema {
    fn new(pointer: String) -> Self {
        LazySchema { pointer, compiled: OnceLock::new() }
    }

    pub fn get(&self, validators: &Validators) -> Result<&Schema, &str> {
        self.compiled.get_or_init(|| validators.compile(&self.pointer)).as_ref().map_err(String::as_str)
    }
}

/// A path or query parameter.
#[derive(Debug)]
pub(crate) struct Param {
    pub name: String,
    pub location: In,
    pub required: bool,
    /// The JSON type a raw value is read as (`integer`, `array`, ...); `string` when unknown.
    pub kind: String,
    /// The item type of an array parameter.
    pub item_kind: String,
    pub schema: Option<LazySchema>,
    /// The `#/components/parameters/<name>` it was taken from, if any: the state layer looks
    /// parameters up by it (a `VpsId` must name a VPS of the fleet).
    pub component: Option<String>,
    /// The parameter's example, replaced by the real value in example answers.
    pub example: Option<Value>,
}

/// The JSON request body.
#[derive(Debug)]
pub(crate) struct Body {
    pub required: bool,
    pub schema: Option<LazySchema>,
}

/// What the operation answers when nothing particular happens: its lowest 2xx status, with the
/// spec's example (or a body built from the schema).
#[derive(Debug)]
pub(crate) struct Success {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Option<Value>,
}

/// One segment of a path template.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Param(String),
}

/// One operation.
#[derive(Debug)]
pub(crate) struct Operation {
    pub id: String,
    pub method: Method,
    pub segments: Vec<Segment>,
    pub flavor: Flavor,
    /// Accepted credentials (any one will do); empty for a public operation.
    pub credentials: Vec<Credential>,
    pub scopes: Vec<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Option<Success>,
}

/// Follows `$ref`s from `pointer`; returns the final pointer and value.
pub(crate) fn resolve<'a>(doc: &'a Value, pointer: &str) -> Option<(String, &'a Value)> {
    let mut pointer = pointer.to_string();
    for _ in 0..32 {
        let value = doc.pointer(&pointer)?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => pointer = target.strip_prefix('#')?.to_string(),
            None => return Some((pointer, value)),
        }
    }
    None
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn json_type(doc: &Value, schema_pointer: &str) -> String {
    let Some((_, schema)) = resolve(doc, schema_pointer) else { return "string".into() };
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        return kind.to_string();
    }
    // `allOf: [{$ref}]` wrappers: the first member's type.
    match schema.get("allOf") {
        Some(_) => json_type(doc, &format!("{schema_pointer}/allOf/0")),
        None => "string".into(),
    }
}

impl Operation {
    pub fn read(doc: &Value, template: &str, method: &str) -> Result<Operation, String> {
        let at = format!("/paths/{}/{method}", escape(template));
        let op = doc.pointer(&at).ok_or_else(|| format!("no operation at #{at}"))?;
        let id = op["operationId"].as_str().ok_or_else(|| format!("#{at} has no operationId"))?.to_string();
        let segments = template
            .split('/')
            .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(s.to_string()),
            })
            .collect();
        let scopes = op["x-required-scopes"]
            .as_array()
            .map(|list| list.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        Ok(Operation {
            method: Method::from_bytes(method.to_ascii_uppercase().as_bytes()).map_err(|e| e.to_string())?,
            segments,
            flavor: flavor(doc, &at),
            credentials: credentials(doc, op),
            scopes,
            params: params(doc, template, &at),
            body: body(doc, &at),
            success: success(doc, &at),
            id,
        })
    }
}

/// Legacy routes answer errors in the legacy envelope: an operation whose error responses are not
/// Problem Details is a legacy one.
fn flavor(doc: &Value, at: &str) -> Flavor {
    let Some(responses) = doc.pointer(&format!("{at}/responses")).and_then(Value::as_object) else {
        return Flavor::V2;
    };
    let problem = responses.keys().filter(|s| s.starts_with('4') || s.starts_with('5')).any(|status| {
        resolve(doc, &format!("{at}/responses/{status}"))
            .and_then(|(_, r)| {
                r.get("content")?.as_object().map(|c| c.contains_key("application/problem+json"))
            })
            .unwrap_or(false)
    });
    if problem { Flavor::V2 } else { Flavor::Legacy }
}

fn credentials(doc: &Value, op: &Value) -> Vec<Credential> {
    let security = op.get("security").or_else(|| doc.get("security"));
    let schemes = security.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object);
    let mut found = Vec::new();
    for name in schemes.flat_map(|requirement| requirement.keys()) {
        let scheme = &doc["components"]["securitySchemes"][name];
        let credential = match (scheme["type"].as_str(), scheme["in"].as_str()) {
            (Some("http"), _)
                if scheme["scheme"].as_str().is_some_and(|s| s.eq_ignore_ascii_case("bearer")) =>
            {
                Credential::Bearer
            }
            (Some("apiKey"), Some("header")) => match scheme["name"].as_str() {
                Some(header) => Credential::Header(header.to_ascii_lowercase()),
                None => continue,
            },
            _ => continue,
        };
        if !found.contains(&credential) {
            found.push(credential);
        }
    }
    found
}

fn params(doc: &Value, template: &str, at: &str) -> Vec<Param> {
    let path_level = format!("/paths/{}/parameters", escape(template));
    let mut out: Vec<Param> = Vec::new();
    for list in [path_level, format!("{at}/parameters")] {
        let count = doc.pointer(&list).and_then(Value::as_array).map_or(0, Vec::len);
        for i in 0..count {
            let raw = &doc.pointer(&list).unwrap_or(&Value::Null)[i];
            let component = raw["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/parameters/"))
                .map(str::to_string);
            let Some((pointer, param)) = resolve(doc, &format!("{list}/{i}")) else { continue };
            let location = match param["in"].as_str() {
                Some("path") => In::Path,
                Some("query") => In::Query,
                _ => continue,
            };
            let name = param["name"].as_str().unwrap_or_default().to_string();
            let has_schema = param.get("schema").is_some();
            let schema_pointer = format!("{pointer}/schema");
            let example = param.get("example").or_else(|| param["schema"].get("example")).cloned();
            // An operation's parameter replaces the path item's one of the same name.
            out.retain(|p: &Param| !(p.name == name && p.location == location));
            out.push(Param {
                kind: if has_schema { json_type(doc, &schema_pointer) } else { "string".into() },
                item_kind: json_type(doc, &format!("{schema_pointer}/items")),
                schema: has_schema.then(|| LazySchema::new(schema_pointer)),
                required: param["required"].as_bool().unwrap_or(location == In::Path),
                name,
                location,
                component,
                example,
            });
        }
    }
    out
}

fn body(doc: &Value, at: &str) -> Option<Body> {
    let (pointer, body) = resolve(doc, &format!("{at}/requestBody"))?;
    let json = body["content"].as_object()?.keys().find(|t| t.contains("json"))?.clone();
    let schema = body["content"][&json].get("schema").is_some();
    Some(Body {
        required: body["required"].as_bool().unwrap_or(false),
        schema: schema.then(|| LazySchema::new(format!("{pointer}/content/{}/schema", escape(&json)))),
    })
}

fn statuses(op: &Value) -> Vec<u16> {
    let responses = op["responses"].as_object().into_iter().flatten();
    responses.filter_map(|(status, _)| status.parse().ok()).collect()
}

fn success(doc: &Value, at: &str) -> Option<Success> {
    let status = statuses(doc.pointer(at)?).into_iter().filter(|s| (200..300).contains(s)).min()?;
    let (pointer, response) = resolve(doc, &format!("{at}/responses/{status}"))?;
    let Some(content) = response.get("content").and_then(Value::as_object).filter(|c| !c.is_empty()) else {
        return Some(Success { status, content_type: None, body: None });
    };
    let content_type = content.keys().find(|t| t.contains("json")).unwrap_or(content.keys().next()?).clone();
    let media = format!("{pointer}/content/{}", escape(&content_type));
    Some(Success { status, body: Some(example::of_media(doc, &media)), content_type: Some(content_type) })
}
