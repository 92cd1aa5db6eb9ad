//! Errors. Handlers return a [`Fail`]; the server renders it once, knowing the request: as RFC 7807
//! Problem Details on v2 routes, as the legacy envelope on `/api/vm` and `/api/jobs`, or as an HTML
//! page when that fault is switched on.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::gates::GateName;
use hostup::ErrorCode;
use hostup::types::{FieldError, LegacyError, ProblemDetails};

/// An error answer, before it is rendered (boxed: handlers pass it around in every `Result`).
#[derive(Clone, Debug)]
pub(crate) struct Fail(Box<Problem>);

/// What a [`Fail`] says.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub status: StatusCode,
    pub code: String,
    pub title: String,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub extensions: Map<String, Value>,
    /// Gates sent at the top level (`actions.canAddDisk` on a PAYG storage refusal).
    pub actions: Map<String, Value>,
    /// Seconds for `Retry-After` (and the legacy `retryAfter`).
    pub retry_after: Option<u64>,
    /// The `Allow` header of a 405.
    pub allow: Option<String>,
}

impl Fail {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> Self {
        Fail(Box::new(Problem {
            status,
            code: code.to_string(),
            title: title.to_string(),
            detail: detail.into(),
            errors: Vec::new(),
            extensions: Map::new(),
            actions: Map::new(),
            retry_after: None,
            allow: None,
        }))
    }

    /// 400 `invalid_request` with one field error.
    pub fn invalid(pointer: &str, code: &str, detail: impl Into<String>) -> Self {
        Fail::invalid_fields(vec![field(pointer, code, detail)])
    }

    /// 400 `invalid_request` listing every field error.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let mut fail = Fail::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidRequest.as_str(),
            "Invalid request",
            "The request failed validation.",
        );
        fail.errors = errors;
        fail
    }

    pub fn vps_not_found(id: &str) -> Self {
        Fail::new(
            StatusCode::NOT_FOUND,
            ErrorCode::VpsNotFound.as_str(),
            "VPS not found",
            format!("No VPS matching {id:?} was found."),
        )
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Fail::new(StatusCode::NOT_FOUND, ErrorCode::NotFound.as_str(), "Not found", detail)
    }

    pub fn conflict(code: &str, title: &str, detail: impl Into<String>) -> Self {
        Fail::new(StatusCode::CONFLICT, code, title, detail)
    }

    pub fn unauthorized(detail: &str) -> Self {
        Fail::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized.as_str(), "Unauthorized", detail)
    }

    pub fn rate_limited(retry_after: u64) -> Self {
        let mut fail = Fail::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimitExceeded.as_str(),
            "Too many requests",
            "Too many requests. Retry after the limit resets.",
        );
        fail.retry_after = Some(retry_after);
        fail
    }

    /// 405 for a path that exists with other methods, listing them in `Allow`.
    pub fn method_not_allowed(path: &str, method: &axum::http::Method, allow: &[&str]) -> Self {
        let mut fail = Fail::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Method not allowed",
            format!("{path} does not take {method}."),
        );
        fail.allow = Some(allow.join(", "));
        fail
    }

    pub fn unavailable() -> Self {
        Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::UpstreamUnavailable.as_str(),
            "Service unavailable",
            "An upstream service is unavailable (injected by the sandbox). Retry later.",
        )
    }

    /// Adds a gate at the top level, under `actions` (as the add-disk page documents).
    pub fn with_gate(mut self, name: impl GateName, gate: &hostup::types::ActionGate) -> Self {
        self.actions.insert(name.wire().to_string(), serde_json::to_value(gate).unwrap_or_default());
        self
    }

    /// Adds a Problem Details extension member (under `extensions`).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.extensions.insert(key.to_string(), value.into());
        self
    }

    /// The legacy API's upper-case code.
    fn legacy_code(&self) -> String {
        match self.status.as_u16() {
            400 => "BAD_REQUEST".into(),
            401 => "UNAUTHORIZED".into(),
            403 => "FORBIDDEN".into(),
            404 => "NOT_FOUND".into(),
            500 => "INTERNAL_ERROR".into(),
            _ => self.code.to_ascii_uppercase(),
        }
    }
}

impl std::ops::Deref for Fail {
    type Target = Problem;

    fn deref(&self) -> &Problem {
        &self.0
    }
}

impl std::ops::DerefMut for Fail {
    fn deref_mut(&mut self) -> &mut Problem {
        &mut self.0
    }
}

/// One field error; `pointer` is a JSON pointer into the request body.
pub(crate) fn field(pointer: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError { pointer: pointer.to_string(), code: code.to_string(), detail: detail.into() }
}

/// Escapes one JSON pointer token.
pub(crate) fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl IntoResponse for Fail {
    /// An empty response carrying the failure; [`render`] fills in the body.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Which error shape a route speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    V2,
    Legacy,
}

/// What a rendered error needs to know about its request.
pub(crate) struct Context<'a> {
    pub flavor: Flavor,
    pub path: &'a str,
    pub request_id: String,
    pub timestamp: String,
    pub html: bool,
}

/// Renders a failure as the route's error shape.
pub(crate) fn render(fail: Fail, ctx: &Context<'_>) -> Response {
    let (content_type, body) = if ctx.html {
        ("text/html; charset=utf-8", html_page(&fail, ctx).into_bytes())
    } else if ctx.flavor == Flavor::Legacy {
        let limited = fail.status == StatusCode::TOO_MANY_REQUESTS;
        let body = LegacyError {
            error: Some(fail.status.canonical_reason().unwrap_or("Error").to_string()),
            message: Some(fail.detail.clone()),
            // The documented 429 body has `retryAfter` instead of `code` and `timestamp`.
            code: (!limited).then(|| fail.legacy_code()),
            timestamp: (!limited).then(|| ctx.timestamp.clone()),
            request_id: Some(ctx.request_id.clone()),
            retry_after: fail.retry_after.map(|s| s.to_string()),
        };
        ("application/json", serde_json::to_vec(&body).unwrap_or_default())
    } else {
        let body = ProblemDetails {
            type_: Some(format!("https://developer.hostup.se/errors/{}", fail.code)),
            title: Some(fail.title.clone()),
            status: Some(i64::from(fail.status.as_u16())),
            detail: Some(fail.detail.clone()),
            code: Some(fail.code.as_str().into()),
            instance: Some(ctx.path.to_string()),
            request_id: Some(ctx.request_id.clone()),
            timestamp: Some(ctx.timestamp.clone()),
            errors: fail.errors.clone(),
            extensions: fail.extensions.clone(),
            actions: fail.actions.clone(),
            ..ProblemDetails::default()
        };
        ("application/problem+json", serde_json::to_vec(&body).unwrap_or_default())
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = fail.status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(seconds) = fail.retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(allow) = fail.allow.as_deref().and_then(|a| HeaderValue::from_str(a).ok()) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// The page a proxy in front of the API might answer with.
fn html_page(fail: &Fail, ctx: &Context<'_>) -> String {
    let status = fail.status.as_u16();
    let reason = fail.status.canonical_reason().unwrap_or("Error");
    format!(
        "<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\n<body><h1>{status} {reason}</h1>\
         <p>The server could not handle your request.</p><hr><small>{}</small></body></html>\n",
        ctx.request_id
    )
}
