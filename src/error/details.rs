//! The details each kind of error carries, and their one-line `Display`.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::ErrorCode;
use crate::diagnose;
use crate::rate_limit::RateLimit;
use crate::types;

/// An action that a gate blocks.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ActionBlocked {
    /// The action (`canStart`, `canCommit`, ...).
    pub action: String,
    /// The server's reason, when it gave one.
    pub reason: Option<String>,
    /// The server's machine-readable code, when it gave one.
    pub code: Option<String>,
}

impl std::fmt::Display for ActionBlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is not allowed", self.action)?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        if let Some(reason) = &self.reason {
            write!(f, ": {}", one_line(reason))?;
        }
        Ok(())
    }
}

/// A v2 error: the Problem Details body with the response's status and headers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The machine-readable code.
    pub code: Option<ErrorCode>,
    /// Short summary (varies; do not branch on it).
    pub title: Option<String>,
    /// Human explanation.
    pub detail: Option<String>,
    /// Field-level validation errors.
    pub field_errors: Vec<types::FieldError>,
    /// The server's request id.
    pub request_id: Option<String>,
    /// `Retry-After`, when sent.
    pub retry_after: Option<Duration>,
    /// The rate-limit headers of the response, when sent.
    pub rate_limit: Option<RateLimit>,
    /// The whole Problem Details body, including route-specific extension members.
    pub problem: types::ProblemDetails,
    /// Whether the request was replay-safe (a GET, a `dryRun: true` preview).
    pub replay_safe: bool,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let code = self.code.as_ref().map(ErrorCode::as_str);
        let text = self.detail.as_deref().or(self.title.as_deref()).unwrap_or("no detail given");
        let fields: Vec<String> = self
            .field_errors
            .iter()
            .take(3)
            .map(|e| format!("{} {}", e.pointer, one_line(&e.detail)))
            .collect();
        let line = ErrorLine { kind: "HostUp API error", status: self.status, code, text, fields: &fields };
        line.write(f, self.retry_after, self.request_id.as_deref())
    }
}

/// The one-line shape shared by both APIs' errors.
struct ErrorLine<'a> {
    kind: &'a str,
    status: StatusCode,
    code: Option<&'a str>,
    text: &'a str,
    fields: &'a [String],
}

impl ErrorLine<'_> {
    fn write(
        &self,
        f: &mut std::fmt::Formatter<'_>,
        retry_after: Option<Duration>,
        request_id: Option<&str>,
    ) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.status.as_u16())?;
        if let Some(code) = self.code {
            write!(f, " ({code})")?;
        }
        write!(f, ": {}", one_line(self.text))?;
        for field in self.fields {
            write!(f, "; {field}")?;
        }
        if let Some(wait) = retry_after {
            write!(f, "; retry after {}s", wait.as_secs())?;
        }
        if let Some(id) = request_id {
            write!(f, " [request {id}]")?;
        }
        Ok(())
    }
}

/// An error from the legacy `/api/vm` API.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LegacyApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The legacy code (`UNAUTHORIZED`, `NOT_FOUND`, ...), as an open value.
    pub code: Option<ErrorCode>,
    /// The HTTP title the server gave.
    pub error: Option<String>,
    /// Human message (sometimes Swedish).
    pub message: Option<String>,
    /// The request id (a UUID).
    pub request_id: Option<String>,
    /// The wait from `retryAfter` or `Retry-After`.
    pub retry_after: Option<Duration>,
    /// The whole body.
    pub body: types::LegacyError,
    /// Whether the request was replay-safe (a GET).
    pub replay_safe: bool,
}

impl std::fmt::Display for LegacyApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.message.as_deref().or(self.error.as_deref()).unwrap_or("no message given");
        let line = ErrorLine {
            kind: "HostUp legacy API error",
            status: self.status,
            code: self.code.as_ref().map(ErrorCode::as_str),
            text,
            fields: &[],
        };
        line.write(f, self.retry_after, self.request_id.as_deref())
    }
}

/// A request that got no usable answer: the connection failed or broke, or time ran out. The
/// underlying HTTP error is reachable only through [`std::error::Error::source`].
#[derive(Debug, Clone)]
pub struct TransportError {
    what: String,
    cause: Option<Arc<reqwest::Error>>,
    connect: bool,
    timeout: bool,
    replay_safe: bool,
    sent: bool,
}

impl TransportError {
    /// From an HTTP client error; `replay_safe` as the request was.
    pub(crate) fn new(error: reqwest::Error, replay_safe: bool) -> Self {
        let connect = error.is_connect();
        let (what, timeout) = (error.to_string(), error.is_timeout());
        TransportError { what, connect, timeout, replay_safe, sent: !connect, cause: Some(Arc::new(error)) }
    }

    /// The call's own deadline passed after `elapsed` while a request was out.
    pub(crate) fn deadline(elapsed: Duration, replay_safe: bool) -> Self {
        let what = format!("the call's deadline passed after {} ms", elapsed.as_millis());
        TransportError { what, cause: None, connect: false, timeout: true, replay_safe, sent: true }
    }

    /// True when no connection could be made: the server never saw the request.
    pub fn is_connect(&self) -> bool {
        self.connect
    }

    /// True when time ran out (a request timeout or the call's deadline).
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }

    /// Whether the request was replay-safe (a GET, a `dryRun: true` preview).
    pub fn replay_safe(&self) -> bool {
        self.replay_safe
    }

    /// Whether the request may have reached the server (false only when no connection was made).
    pub fn may_have_reached_server(&self) -> bool {
        self.sent
    }
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.timeout { "HostUp did not answer in time" } else { "could not reach HostUp" };
        write!(f, "{kind}: {}", self.what)
    }
}

impl std::error::Error for TransportError {
    /// The causes below the HTTP client's own message (which `Display` already shows).
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_deref().and_then(std::error::Error::source)
    }
}

/// A response whose body did not decode.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// HTTP status. `None` only when a success body had valid JSON of the wrong shape.
    pub status: Option<StatusCode>,
    /// The response headers.
    pub headers: HeaderMap,
    /// JSON pointer of the first value that did not fit (`/billing/amount`), when the body was JSON.
    pub path: Option<String>,
    /// Why it did not decode.
    pub reason: String,
    /// A short excerpt of the body, secrets blanked.
    pub excerpt: String,
    /// Whether the request was replay-safe (a GET, a `dryRun: true` preview).
    pub replay_safe: bool,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            Some(status) => write!(f, "HostUp response {} did not decode", status.as_u16())?,
            None => write!(f, "HostUp success response did not decode")?,
        }
        if let Some(path) = &self.path {
            write!(f, " at {}", if path.is_empty() { "/" } else { path })?;
        }
        write!(f, ": {}", one_line(&self.reason))?;
        if !self.excerpt.is_empty() {
            write!(f, " (body: {})", self.excerpt)?;
        }
        Ok(())
    }
}

impl DecodeError {
    /// Describes a body that failed `serde_json` decoding: the JSON pointer of the value at fault
    /// and an excerpt with secrets blanked. For bodies you decode yourself.
    pub fn from_serde(
        status: Option<StatusCode>,
        headers: HeaderMap,
        body: &[u8],
        error: &serde_json::Error,
    ) -> Self {
        let offset = diagnose::offset_of(body, error.line(), error.column());
        let (path, reason) = if body.iter().all(u8::is_ascii_whitespace) {
            (None, "the body is empty".to_string())
        } else if error.is_eof() {
            (None, format!("the body is truncated JSON ({error})"))
        } else if error.is_syntax() {
            (None, format!("the body is not JSON ({error})"))
        } else {
            let text = error.to_string();
            // serde's own messages carry a position; anything else came from a type's Deserialize.
            let positioned = [
                "invalid type",
                "invalid value",
                "invalid length",
                "unknown ",
                "missing field",
                "duplicate field",
            ]
            .iter()
            .any(|p| text.starts_with(p));
            let at = if positioned { offset } else { diagnose::custom_error_offset(body, offset) };
            let path = diagnose::json_pointer_at(body, at);
            // serde quotes the value it rejected ("invalid type: integer `123`"): not a secret's.
            let reason = if diagnose::is_secret_path(&path) {
                "a secret field's value does not fit (value not shown)".to_string()
            } else {
                strip_position(error)
            };
            (Some(path), reason)
        };
        DecodeError {
            status,
            headers,
            path,
            reason,
            excerpt: diagnose::excerpt(body, offset),
            replay_safe: false,
        }
    }
}

fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
