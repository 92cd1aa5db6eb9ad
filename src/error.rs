//! The one error type every call returns.
//!
//! Generated calls return progenitor's `Error<ProblemDetails>` (or `Error<LegacyError>`); the `From`
//! conversions here turn those into [`Error`], so `?` works from generated calls and helpers alike.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::diagnose;
use crate::rate_limit::{RateLimit, parse_retry_after};
use crate::response_guard::{BufferedBody, Fault};
use crate::types;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call. Its `Display` is one line a person understands.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The v2 API answered with an RFC 7807 Problem Details error.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The legacy API answered with its error envelope.
    #[error("{0}")]
    Legacy(Box<LegacyApiError>),
    /// The request could not be sent or the response not received (DNS, TLS, refused, reset).
    #[error("could not reach HostUp: {}", source_chain(.0))]
    Transport(#[source] reqwest::Error),
    /// The request or the whole call took longer than allowed.
    #[error("HostUp did not answer in time: {0}")]
    Timeout(String),
    /// A response arrived but its body did not decode into the documented shape.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The client-side rate-limit budget is spent and the next window opens after the call's
    /// deadline; nothing was sent.
    #[error("rate-limit budget spent: the next window opens in {}s, past the call's deadline", .0.as_secs())]
    RateLimited(Duration),
    /// An action gate says no: the request was not sent. Carries the server's reason and code.
    #[error("{0}")]
    Blocked(Box<ActionBlocked>),
    /// The call does not fit the VPS's billing model (a PAYG resize on a fixed-cycle VPS, a
    /// billing-cycle change on a PAYG VPS). Nothing was sent.
    #[error("{0}")]
    WrongBillingModel(String),
    /// A resource value does not fit the VPS's configurable options. Nothing was sent.
    #[error("option {key}: {reason}")]
    InvalidOption {
        /// The option key.
        key: String,
        /// What is wrong, with the allowed values.
        reason: String,
    },
    /// An operation ended in `failed`.
    #[error("operation {job_id} failed: {detail}")]
    OperationFailed {
        /// The job id.
        job_id: String,
        /// What the server said.
        detail: String,
    },
    /// An operation did not finish within the wait.
    #[error("operation {job_id} still {last_status} after {}s", .waited.as_secs())]
    WaitTimeout {
        /// The job id.
        job_id: String,
        /// The last status seen.
        last_status: String,
        /// How long the client waited.
        waited: Duration,
    },
    /// A paginated list misbehaved (the server repeated a cursor).
    #[error("pagination stopped: {0}")]
    Pagination(String),
    /// The request was refused before sending (an id that is not one path segment, a value out of
    /// range).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client is misconfigured (missing API key, bad base URL).
    #[error("configuration error: {0}")]
    Config(String),
}

fn source_chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Legacy(e) => Some(e.status),
            Error::Decode(e) => e.status,
            Error::Transport(e) => e.status(),
            _ => None,
        }
    }

    /// The v2 Problem Details `code`, the field to branch on.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(e) => e.code.as_ref(),
            _ => None,
        }
    }

    /// The server's request id, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Legacy(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// How long the server asked the caller to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            Error::Legacy(e) => e.retry_after,
            Error::Decode(e) => parse_retry_after(&e.headers, SystemTime::now()),
            Error::RateLimited(wait) => Some(*wait),
            _ => None,
        }
    }

    /// True when sending the same request later may succeed (429, 502, 503, 504, transport
    /// failures, timeouts). The client has already retried what was safe to retry.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout(_) | Error::RateLimited(_) | Error::WaitTimeout { .. } => {
                true
            }
            Error::InvalidRequest(_)
            | Error::Config(_)
            | Error::Blocked(_)
            | Error::WrongBillingModel(_)
            | Error::InvalidOption { .. }
            | Error::OperationFailed { .. } => false,
            _ => self.status().is_some_and(|s| matches!(s.as_u16(), 429 | 502 | 503 | 504)),
        }
    }

    /// True for a 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal,)*) => {
        /// A Problem Details `code`. The documented codes are variants; any other code is kept in
        /// `Other`, so new server codes never break decoding.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this version of the crate does not know.
            Other(String),
        }

        impl ErrorCode {
            /// The code as sent by the server.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                    ErrorCode::Other(code) => code,
                }
            }
        }

        impl From<&str> for ErrorCode {
            fn from(code: &str) -> Self {
                match code {
                    $($wire => ErrorCode::$variant,)*
                    other => ErrorCode::Other(other.to_string()),
                }
            }
        }
    };
}

error_codes! {
    /// No or invalid authentication (401).
    Unauthorized = "unauthorized",
    /// Missing scope or resource not owned (403).
    Forbidden = "forbidden",
    /// The account is not active (403).
    AccountInactive = "account_inactive",
    /// Verification failed (403).
    VerificationFailed = "verification_failed",
    /// The PAYG storage limit is reached (403).
    CloudStorageLimitExceeded = "cloud_storage_limit_exceeded",
    /// The request failed validation; see the field errors (400).
    InvalidRequest = "invalid_request",
    /// A malformed pagination cursor (400).
    InvalidCursor = "invalid_cursor",
    /// Not a two-letter ISO country code (400).
    InvalidCountryCode = "invalid_country_code",
    /// The resource does not exist or is not the caller's (404).
    NotFound = "not_found",
    /// No VPS with that id (404).
    VpsNotFound = "vps_not_found",
    /// No API key with that id (404).
    ApiKeyNotFound = "api_key_not_found",
    /// The VPS is not ready for the operation (409).
    VpsNotReady = "vps_not_ready",
    /// An unpaid invoice blocks the change; resend with `cancelExistingInvoice` if offered (409).
    ExistingInvoiceBlocking = "existing_invoice_blocking",
    /// An overdue invoice blocks cancellation (409).
    CancellationBlockedOverdueInvoice = "cancellation_blocked_overdue_invoice",
    /// A payment is already being processed (409).
    InvoicePaymentInProgress = "invoice_payment_in_progress",
    /// A pending critical-credit invoice (409).
    CooldownActive = "cooldown_active",
    /// An upstream action failed (409, 502, 503).
    UpstreamFailed = "upstream_failed",
    /// The generic rate limit (429).
    RateLimitExceeded = "rate_limit_exceeded",
    /// A specific throttle (429).
    RateLimited = "rate_limited",
    /// An unexpected server error (500).
    InternalError = "internal_error",
    /// Billing account data is unavailable (503).
    UpstreamUnavailable = "upstream_unavailable",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// The legacy code (`UNAUTHORIZED`, `NOT_FOUND`, ...).
    pub code: Option<String>,
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
}

impl std::fmt::Display for LegacyApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.message.as_deref().or(self.error.as_deref()).unwrap_or("no message given");
        let line = ErrorLine {
            kind: "HostUp legacy API error",
            status: self.status,
            code: self.code.as_deref(),
            text,
            fields: &[],
        };
        line.write(f, self.retry_after, self.request_id.as_deref())
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
    /// Describes a body that failed `serde_json` decoding.
    pub(crate) fn from_serde(
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
            (Some(diagnose::json_pointer_at(body, offset)), strip_position(error))
        };
        DecodeError { status, headers, path, reason, excerpt: diagnose::excerpt(body, offset) }
    }
}

fn strip_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An error body type of the generated client.
pub(crate) trait ErrorBody: serde::de::DeserializeOwned + Sized {
    fn into_error(self, status: StatusCode, headers: &HeaderMap) -> Error;
}

impl ErrorBody for types::ProblemDetails {
    fn into_error(self, status: StatusCode, headers: &HeaderMap) -> Error {
        let now = SystemTime::now();
        Error::Api(Box::new(ApiError {
            status,
            code: self.code.as_deref().map(ErrorCode::from),
            title: self.title.clone(),
            detail: self.detail.clone(),
            field_errors: self.errors.clone(),
            request_id: self.request_id.clone(),
            retry_after: parse_retry_after(headers, now),
            rate_limit: RateLimit::from_headers(headers),
            problem: self,
        }))
    }
}

impl ErrorBody for types::LegacyError {
    fn into_error(self, status: StatusCode, headers: &HeaderMap) -> Error {
        let retry_after = parse_retry_after(headers, SystemTime::now()).or_else(|| {
            self.retry_after.as_deref().and_then(|s| s.trim().parse::<u64>().ok()).map(Duration::from_secs)
        });
        Error::Legacy(Box::new(LegacyApiError {
            status,
            code: self.code.clone(),
            error: self.error.clone(),
            message: self.message.clone(),
            request_id: self.request_id.clone(),
            retry_after,
            body: self,
        }))
    }
}

fn convert<E: ErrorBody>(error: progenitor_client::Error<E>) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::ErrorResponse(value) => {
            let (status, headers) = (value.status(), value.headers().clone());
            value.into_inner().into_error(status, &headers)
        }
        P::UnexpectedResponse(response) => unexpected::<E>(response),
        P::InvalidResponsePayload(body, e) => {
            Error::Decode(Box::new(DecodeError::from_serde(None, HeaderMap::new(), &body, &e)))
        }
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => transport(e),
        P::InvalidRequest(message) => Error::InvalidRequest(message),
        P::Custom(message) => Error::InvalidRequest(message),
    }
}

pub(crate) fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() { Error::Timeout(source_chain(&e)) } else { Error::Transport(e) }
}

/// A status the spec does not declare for the operation, or one the response guard flagged.
fn unexpected<E: ErrorBody>(response: reqwest::Response) -> Error {
    let headers = response.headers().clone();
    let body = response.extensions().get::<BufferedBody>().map(|b| b.0.clone()).unwrap_or_default();
    if let Some(fault) = response.extensions().get::<Fault>() {
        return fault.to_error(headers, &body);
    }
    let status = response.status();
    match serde_json::from_slice::<E>(&body) {
        Ok(parsed) if !status.is_success() => parsed.into_error(status, &headers),
        Ok(_) => Error::Decode(Box::new(DecodeError {
            status: Some(status),
            headers,
            path: None,
            reason: format!("the API documents no {} response for this operation", status.as_u16()),
            excerpt: diagnose::excerpt(&body, 0),
        })),
        Err(e) => Error::Decode(Box::new(DecodeError::from_serde(Some(status), headers, &body, &e))),
    }
}

impl From<progenitor_client::Error<types::ProblemDetails>> for Error {
    fn from(error: progenitor_client::Error<types::ProblemDetails>) -> Self {
        convert(error)
    }
}

impl From<progenitor_client::Error<types::LegacyError>> for Error {
    fn from(error: progenitor_client::Error<types::LegacyError>) -> Self {
        convert(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_are_kept() {
        assert_eq!(ErrorCode::from("vps_not_found"), ErrorCode::VpsNotFound);
        assert_eq!(ErrorCode::from("brand_new_code"), ErrorCode::Other("brand_new_code".into()));
        assert_eq!(ErrorCode::from("brand_new_code").as_str(), "brand_new_code");
    }

    #[test]
    fn decode_error_classifies_bodies() {
        let empty = serde_json::from_slice::<types::VpsDetails>(b"").unwrap_err();
        let d = DecodeError::from_serde(Some(StatusCode::OK), HeaderMap::new(), b"", &empty);
        assert_eq!(d.reason, "the body is empty");
        let html = b"<html>Bad gateway</html>";
        let e = serde_json::from_slice::<types::VpsDetails>(html).unwrap_err();
        let d = DecodeError::from_serde(Some(StatusCode::BAD_GATEWAY), HeaderMap::new(), html, &e);
        assert!(d.reason.starts_with("the body is not JSON"), "{}", d.reason);
        assert!(d.to_string().contains("502"));
        let truncated = br#"{"id": "vps_1", "billing": {"amount"#;
        let e = serde_json::from_slice::<types::VpsDetails>(truncated).unwrap_err();
        let d = DecodeError::from_serde(Some(StatusCode::OK), HeaderMap::new(), truncated, &e);
        assert!(d.reason.starts_with("the body is truncated"), "{}", d.reason);
    }
}
