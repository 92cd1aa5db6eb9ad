//! The one error type every call returns.
//!
//! Generated calls and helpers alike return [`Result`]: each generated `send()` converts
//! progenitor's error before it returns, so `?` works into any error type.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

use crate::rate_limit::parse_retry_after;

mod convert;
mod details;

pub use crate::open_enums::ErrorCode;
pub(crate) use convert::from_generated;
pub use details::{ActionBlocked, ApiError, DecodeError, LegacyApiError};

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

    /// True when the VPS's state refused the action: a closed gate checked by the client
    /// ([`Error::Blocked`]) or a 409 from the server (an invoice, a job in progress, a gate).
    pub fn is_blocked(&self) -> bool {
        matches!(self, Error::Blocked(_)) || self.status() == Some(StatusCode::CONFLICT)
    }

    /// True for a 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }
}
