//! What an endpoint page says, independent of how it was rendered: [`PageModel`] and its parts,
//! plus the small vocabulary both extractors share (type words, field paths, example text).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// How a documentation page was rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// `## GET /path` headings, `### …` sections and bullet lists.
    Markdown,
    /// The text of the rendered HTML page: one field per line, the route at the end.
    PlainText,
}

impl fmt::Display for Rendering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rendering::Markdown => "markdown",
            Rendering::PlainText => "plain text",
        })
    }
}

/// How a route authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Auth {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `X-API-Key: <key>`.
    ApiKey,
}

impl fmt::Display for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Auth::Bearer => "bearer",
            Auth::ApiKey => "api-key",
        })
    }
}

/// One request parameter as the page documents it.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Parameter name.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// The page's type word (`string`, `integer`, …).
    pub ty: String,
    /// Whether the page marks it required.
    pub required: bool,
    /// `min: N`, when the page gives one.
    pub min: Option<f64>,
    /// The example text, when the page gives one with a value.
    pub example: Option<String>,
}

/// One documented field of a request or response body.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Dotted path from the body root; array elements are written `name[]` (`usageLog[].totalGb`).
    pub path: String,
    /// The page's type word without nullability: `string`, `number`, `object`, `array<object>`, …
    pub ty: String,
    /// Whether the page admits `null` (`string,null` or `stringnull`).
    pub nullable: bool,
    /// Whether the page marks it required (absent means optional).
    pub required: bool,
    /// The allowed values, when the page lists them (an empty string is a value).
    pub enum_values: Option<Vec<String>>,
    /// The example text, when the page gives one.
    pub example: Option<String>,
}

/// What the page says about one response status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Response {
    /// The documented fields (empty when the page shows this status by example only).
    pub fields: Vec<Field>,
    /// The example body, when the page shows one.
    pub example: Option<Value>,
}

/// A request body example shown on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestExample {
    /// Its title (`Preview adding bandwidth only`), or `cURL` for the body of the cURL example.
    pub title: String,
    /// The body.
    pub value: Value,
}

/// Everything the drift check reads from one endpoint page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageModel {
    /// How the page was rendered.
    pub rendering: Rendering,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, e.g. `/api/v2/vps/{id}`.
    pub path: String,
    /// Required API scopes (empty when the page names none).
    pub scope: Vec<String>,
    /// The authentication the page shows, if it shows one.
    pub auth: Option<Auth>,
    /// Path, query and header parameters.
    pub params: Vec<Param>,
    /// `Some(true)` when the page marks the request body required, `Some(false)` when it documents
    /// an optional body, `None` when it documents none.
    pub request_body_required: Option<bool>,
    /// Documented request body fields.
    pub request_fields: Vec<Field>,
    /// Responses by status code, as documented.
    pub responses: BTreeMap<String, Response>,
    /// Request body examples.
    pub request_examples: Vec<RequestExample>,
    /// Parts of the page that look structured but could not be read (each a short quote).
    pub unparsed: Vec<String>,
}

impl PageModel {
    /// An empty model for `method` and `path`.
    pub fn new(rendering: Rendering, method: &str, path: &str) -> Self {
        PageModel {
            rendering,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            scope: Vec::new(),
            auth: None,
            params: Vec::new(),
            request_body_required: None,
            request_fields: Vec::new(),
            responses: BTreeMap::new(),
            request_examples: Vec::new(),
            unparsed: Vec::new(),
        }
    }

    /// The status a page's single "Response" example belongs to: the first 2xx, else the first.
    pub fn primary_status(&self) -> Option<String> {
        let statuses = || self.responses.keys();
        statuses().find(|s| s.starts_with('2')).or_else(|| statuses().next()).cloned()
    }
}

/// HTTP methods a page heading or route line may start with.
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Type words the pages use (before `null` and `array<…>` handling).
const TYPE_WORDS: [&str; 6] = ["string", "number", "integer", "boolean", "object", "array"];

/// True for a plain type word or `array<…>`.
pub fn is_type(word: &str) -> bool {
    TYPE_WORDS.contains(&word)
        || word
            .strip_prefix("array<")
            .and_then(|w| w.strip_suffix('>'))
            .is_some_and(|inner| inner.split(',').all(|t| is_type(t.trim()) || t.trim() == "null"))
}

/// Reads a plain-text type word, where nullability is glued on: `stringnull` → (`string`, true).
pub fn glued_type(word: &str) -> Option<(String, bool)> {
    if is_type(word) {
        return Some((word.to_string(), false));
    }
    let base = word.strip_suffix("null")?;
    is_type(base).then(|| (base.to_string(), true))
}

/// True for a field path: identifier characters, `.` between segments, `[]` after a segment.
pub fn is_field_path(text: &str) -> bool {
    let starts_well = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well
        && text.split('.').all(|segment| {
            let name = segment.trim_end_matches("[]");
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

/// Splits `METHOD /path` (or `METHOD https://host/path`) into an upper-case method and the path.
pub fn route(text: &str) -> Option<(String, String)> {
    let (method, target) = text.trim().split_once(' ')?;
    if !METHODS.contains(&method) {
        return None;
    }
    let target = target.trim();
    let path = match target.split_once("://") {
        Some((_, rest)) => &rest[rest.find('/')?..],
        None => target,
    };
    (path.starts_with('/') && !path.contains(char::is_whitespace))
        .then(|| (method.to_string(), path.to_string()))
}

/// Reads the scopes of a `Required API scope: a, b` text (backticks and `and` allowed).
pub fn scopes(text: &str) -> Vec<String> {
    text.replace(['`', ','], " ")
        .split_whitespace()
        .filter(|word| *word != "and")
        .map(str::to_string)
        .collect()
}

/// The authentication a cURL example or header line shows, if any.
pub fn auth_in(text: &str) -> Option<Auth> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("x-api-key") {
        Some(Auth::ApiKey)
    } else if lower.contains("authorization: bearer") {
        Some(Auth::Bearer)
    } else {
        None
    }
}

/// The JSON body of a cURL `-d '…'` / `--data '…'` argument, if it is JSON.
pub fn curl_body(curl: &str) -> Option<Value> {
    let start = ["-d '", "--data '", "--data-raw '"].iter().find_map(|flag| {
        let at = curl.find(flag)?;
        Some(at + flag.len())
    })?;
    let body = &curl[start..];
    serde_json::from_str(&body[..body.find('\'')?]).ok()
}

/// The candidate JSON values an example shown as text may stand for. Pages render every example as
/// text, so `99` may be the number or the string; both are tried (the literal `null` only as null).
pub fn example_candidates(raw: &str) -> Vec<Value> {
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_str::<Value>(raw) {
        out.push(value);
    }
    if raw != "null" && !out.iter().any(|v| v.as_str() == Some(raw)) {
        out.push(Value::String(raw.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_words() {
        assert!(is_type("array<object>"));
        assert!(!is_type("stringnull"));
        assert_eq!(glued_type("stringnull"), Some(("string".into(), true)));
        assert_eq!(glued_type("integer"), Some(("integer".into(), false)));
        assert_eq!(glued_type("Example"), None);
        assert_eq!(glued_type("null"), None);
    }

    #[test]
    fn field_paths() {
        assert!(is_field_path("usageLog[].totalGb"));
        assert!(is_field_path("bandwidth_usage.data_sent"));
        assert!(!is_field_path("200"));
        assert!(!is_field_path("a..b"));
        assert!(!is_field_path("Canonical,"));
    }

    #[test]
    fn routes() {
        assert_eq!(
            route("GET https://cloud.hostup.se/api/v2/vps/{id}"),
            Some(("GET".into(), "/api/v2/vps/{id}".into()))
        );
        assert_eq!(
            route("POST /api/vm/{vmid}/status"),
            Some(("POST".into(), "/api/vm/{vmid}/status".into()))
        );
        assert_eq!(route("GET started"), None);
        assert_eq!(route("Get VPS details"), None);
    }

    #[test]
    fn scopes_auth_and_examples() {
        assert_eq!(scopes("`write:vm` and `write:storage`"), ["write:vm", "write:storage"]);
        assert_eq!(auth_in(r#"-H "X-API-Key: YOUR_API_KEY""#), Some(Auth::ApiKey));
        assert_eq!(auth_in(r#"-H "Authorization: Bearer K""#), Some(Auth::Bearer));
        assert_eq!(curl_body("curl -X POST x \\\n -d '{\"a\": 1}'"), Some(serde_json::json!({"a": 1})));
        assert_eq!(example_candidates("99"), [serde_json::json!(99), serde_json::json!("99")]);
        assert_eq!(example_candidates("null"), [Value::Null]);
        assert_eq!(example_candidates("SEK"), [serde_json::json!("SEK")]);
    }
}
