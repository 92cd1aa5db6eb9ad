//! From progenitor's errors to [`Error`](super::Error), with the status and headers kept. Only the
//! generated `send()` wrappers call it: progenitor's error type is not part of the public API.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::{ApiError, DecodeError, Error, ErrorCode, LegacyApiError, TransportError};
use crate::diagnose;
use crate::rate_limit::RateLimit;
use crate::rate_limit::headers::{retry_after, server_now};
use crate::response_guard::{BufferedBody, Fault};
use crate::{Client, types};

/// An error body type of the generated client.
pub(crate) trait ErrorBody: serde::de::DeserializeOwned + Sized {
    /// The error for this body; `Retry-After` dates and delta resets are judged on the answer's
    /// own `Date`.
    fn into_error(self, status: StatusCode, headers: &HeaderMap, replay_safe: bool) -> Error;
}

impl ErrorBody for types::ProblemDetails {
    fn into_error(self, status: StatusCode, headers: &HeaderMap, replay_safe: bool) -> Error {
        let now = server_now(headers);
        Error::Api(Box::new(ApiError {
            status,
            code: self.code.clone(),
            title: self.title.clone(),
            detail: self.detail.clone(),
            field_errors: self.errors.clone(),
            request_id: self.request_id.clone(),
            retry_after: retry_after(headers, now),
            rate_limit: RateLimit::read(headers, now),
            problem: self,
            replay_safe,
        }))
    }
}

impl ErrorBody for types::LegacyError {
    fn into_error(self, status: StatusCode, headers: &HeaderMap, replay_safe: bool) -> Error {
        let retry_after = retry_after(headers, server_now(headers)).or_else(|| {
            self.retry_after.as_deref().and_then(|s| s.trim().parse::<u64>().ok()).map(Duration::from_secs)
        });
        Error::Legacy(Box::new(LegacyApiError {
            status,
            code: self.code.as_deref().map(ErrorCode::from),
            error: self.error.clone(),
            message: self.message.clone(),
            request_id: self.request_id.clone(),
            retry_after,
            body: self,
            replay_safe,
        }))
    }
}

/// The generated `send()` methods call this on progenitor's error, which never leaves the crate. A
/// success body is not scrubbed of the API key on arrival (that would cost every call a scan), so a
/// decode failure's excerpt and reason are scrubbed here.
pub(crate) fn from_generated<E: ErrorBody>(error: progenitor_client::Error<E>, client: &Client) -> Error {
    let mut error = convert(error);
    if let Error::Decode(decode) = &mut error {
        let key = client.api_key();
        if !key.is_empty() {
            decode.excerpt = decode.excerpt.replace(key, "[redacted]");
            decode.reason = decode.reason.replace(key, "[redacted]");
        }
    }
    error
}

fn convert<E: ErrorBody>(error: progenitor_client::Error<E>) -> Error {
    use progenitor_client::Error as P;
    match error {
        P::ErrorResponse(value) => {
            let (status, headers) = (value.status(), value.headers().clone());
            value.into_inner().into_error(status, &headers, false)
        }
        P::UnexpectedResponse(response) => unexpected::<E>(response),
        P::InvalidResponsePayload(body, e) => {
            Error::Decode(Box::new(DecodeError::from_serde(None, HeaderMap::new(), &body, &e)))
        }
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => transport(e),
        P::InvalidRequest(message) => Error::InvalidRequest(message),
        // Only the `pre` hook makes these: a call refused for the client's configuration.
        P::Custom(message) => Error::Config(message),
    }
}

fn transport(e: reqwest::Error) -> Error {
    // Only reached for responses that bypassed the exec hook; assume the worst.
    let error = Box::new(TransportError::new(e, false));
    if error.is_timeout() { Error::Timeout(error) } else { Error::Transport(error) }
}

/// A status the spec does not declare for the operation, or one the response guard flagged.
fn unexpected<E: ErrorBody>(response: reqwest::Response) -> Error {
    let headers = response.headers().clone();
    let body = response.extensions().get::<BufferedBody>().map(|b| b.0.clone()).unwrap_or_default();
    if let Some(fault) = response.extensions().get::<Fault>() {
        return fault.to_error(headers);
    }
    let status = response.status();
    match serde_json::from_slice::<E>(&body) {
        Ok(parsed) if !status.is_success() => parsed.into_error(status, &headers, false),
        Ok(_) => Error::Decode(Box::new(DecodeError {
            status: Some(status),
            headers,
            path: None,
            reason: format!("the API documents no {} response for this operation", status.as_u16()),
            excerpt: diagnose::excerpt(&body, 0),
            replay_safe: false,
        })),
        Err(e) => Error::Decode(Box::new(DecodeError::from_serde(Some(status), headers, &body, &e))),
    }
}

#[cfg(test)]
#[path = "../../tests/unit/error_convert.rs"]
mod tests;
