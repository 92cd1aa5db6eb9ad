//! The one error type every call returns.
//!
//! Generated calls and helpers alike return [`Result`]: each generated `send()` converts
//! progenitor's error before it returns, so `?` works into any error type.

use std::time::Duration;

use reqwest::StatusCode;

use crate::rate_limit::headers;

mod convert;
mod details;
mod lifecycle;

pub use crate::open_enums::ErrorCode;
pub(crate) use convert::{ErrorBody, from_generated};
pub use details::{ActionBlocked, ApiError, DecodeError, LegacyApiError, TransportError};
pub use lifecycle::{QuotaExceeded, Unconfirmed};

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call. Its `Display` is one line a person understands.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The v2 API answered with an RFC 7807 Problem Details error.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The legacy API answered with its error envelope.
    #[error("{0}")]
    Legacy(Box<LegacyApiError>),
    /// The request could not be sent or the response not received (DNS, TLS, refused, reset).
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// The request or the whole call took longer than allowed.
    #[error(transparent)]
    Timeout(Box<TransportError>),
    /// A response arrived but its body did not decode into the documented shape.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The client-side rate-limit budget is spent and the next window opens after the call's
    /// deadline; nothing was sent.
    #[error("rate-limit budget spent: requests are held for {}s more, past the call's deadline", .0.as_secs())]
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
    /// An operation did not finish within the wait (or, for a reboot, was never seen to happen).
    #[error("{} still {last_status} after {}s", if job_id.is_empty() { "the VPS is".to_string() } else { format!("operation {job_id}") }, .waited.as_secs())]
    WaitTimeout {
        /// The job id (empty when the server gave none to follow).
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
    /// A PAYG request does not fit the account's quota. Nothing was sent.
    #[error("{0}")]
    QuotaExceeded(Box<QuotaExceeded>),
    /// A create may have reached the server but its answer never arrived; it was not resent.
    #[error("{0}")]
    Unconfirmed(Box<Unconfirmed>),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Legacy(e) => Some(e.status),
            Error::Decode(e) => e.status,
            _ => None,
        }
    }

    /// The error's machine-readable `code`, the field to branch on: the v2 Problem Details code,
    /// or the legacy API's (`INVALID_API_KEY` is kept as [`ErrorCode::Other`]).
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api(e) => e.code.as_ref(),
            Error::Legacy(e) => e.code.as_ref(),
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
            Error::Decode(e) => headers::retry_after(&e.headers, headers::server_now(&e.headers)),
            Error::RateLimited(wait) => Some(*wait),
            _ => None,
        }
    }

    /// True when the same request may succeed later: 429, 502, 503, 504, a transport failure, a
    /// timeout, a spent rate-limit budget, an unfinished wait. Says nothing about whether sending it
    /// again is harmless: see [`is_safe_to_resend`](Self::is_safe_to_resend).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(_) | Error::Timeout(_) | Error::RateLimited(_) | Error::WaitTimeout { .. } => {
                true
            }
            Error::Api(_) | Error::Legacy(_) | Error::Decode(_) => {
                self.status().is_some_and(|s| matches!(s.as_u16(), 429 | 502 | 503 | 504))
            }
            _ => false,
        }
    }

    /// True when sending the same request again may succeed *and* cannot apply it twice: the error
    /// is [transient](Self::is_transient), and either nothing was done (a 429, a refused
    /// connection, the client's own budget refusal) or the request is replay-safe (a GET, a
    /// `dryRun: true` preview). A committed change that may have reached the server is never safe to
    /// resend. The client has already resent what was safe, as often as its policy allows.
    pub fn is_safe_to_resend(&self) -> bool {
        self.is_transient()
            && match self {
                Error::Transport(t) | Error::Timeout(t) => t.replay_safe() || !t.may_have_reached_server(),
                Error::RateLimited(_) => true,
                Error::WaitTimeout { .. } => false,
                _ => self.status() == Some(StatusCode::TOO_MANY_REQUESTS) || self.replay_safe() == Some(true),
            }
    }

    /// The same as [`is_safe_to_resend`](Self::is_safe_to_resend), for generic retry wrappers.
    pub fn is_retryable(&self) -> bool {
        self.is_safe_to_resend()
    }

    /// Whether the request was replay-safe (a GET, a `dryRun: true` preview); `None` for errors
    /// that are not about one sent request.
    pub fn replay_safe(&self) -> Option<bool> {
        match self {
            Error::Api(e) => Some(e.replay_safe),
            Error::Legacy(e) => Some(e.replay_safe),
            Error::Decode(e) => Some(e.replay_safe),
            Error::Transport(t) | Error::Timeout(t) => Some(t.replay_safe()),
            _ => None,
        }
    }

    /// Whether the request may have reached the server (and so may have been applied, unless the
    /// server's answer says otherwise). False when the client refused before sending or the
    /// connection could not be made.
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            Error::Transport(t) | Error::Timeout(t) => t.may_have_reached_server(),
            Error::Api(_) | Error::Legacy(_) | Error::Decode(_) => true,
            Error::OperationFailed { .. } | Error::WaitTimeout { .. } | Error::Pagination(_) => true,
            // A create whose answer never arrived: the server may hold it.
            Error::Unconfirmed(_) => true,
            _ => false,
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
