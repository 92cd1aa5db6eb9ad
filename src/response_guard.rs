//! Makes every response safe for the generated decoder, without losing the status or headers.
//!
//! The generated code decodes a declared status's body and, when that fails, reports only the bytes:
//! the status and `Retry-After` of an HTML 429 from a proxy would be lost. So the exec hook buffers
//! each body (refusing one over the size cap) and checks it first: an error body is decoded into
//! the typed error here, a success body only checked for the shape of a JSON document (the
//! generated decoder parses it in full anyway, and reports what is wrong inside it, without the
//! status). Every error is handed on as a *fault*: the response gets a status no operation
//! declares ([`FAULT_STATUS`]), which the generated code returns untouched as
//! `UnexpectedResponse`, and the typed error rides along in the response's extensions, with what
//! the client knows about the request (replay-safe or not). The same channel carries transport
//! failures and the client's own refusals (deadline, local rate-limit budget).

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::{ResponseBuilderExt, StatusCode, Url};

use crate::error::{DecodeError, Error, ErrorBody};
use crate::types;

/// A status no operation declares, so the generated code passes the response through untouched.
const FAULT_STATUS: u16 = 999;

/// The buffered body, kept in the response's extensions for error reporting.
#[derive(Clone)]
pub(crate) struct BufferedBody(pub Bytes);

/// The typed error of a response or a call; carried in the response's extensions.
#[derive(Clone, Debug)]
pub(crate) struct Fault(pub Error);

impl Fault {
    /// The error, with the response's headers where it keeps them.
    pub(crate) fn to_error(&self, headers: HeaderMap) -> Error {
        match self.0.clone() {
            Error::Decode(mut d) => {
                d.headers = headers;
                Error::Decode(d)
            }
            other => other,
        }
    }
}

/// Reads the whole body, or stops once it passes `cap` bytes (`Ok(None)`). A body that arrives
/// in one chunk is kept as it came, without a copy.
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    cap: usize,
) -> Result<Option<Bytes>, reqwest::Error> {
    let announced = response.content_length();
    if announced.is_some_and(|len| len > cap as u64) {
        return Ok(None);
    }
    let Some(first) = response.chunk().await? else { return Ok(Some(Bytes::new())) };
    if first.len() > cap {
        return Ok(None);
    }
    let Some(second) = response.chunk().await? else { return Ok(Some(first)) };
    let expected = announced.map_or(0, |len| len as usize);
    let mut body = BytesMut::with_capacity(expected.max(first.len() + second.len()));
    let mut next = Some(second);
    body.extend_from_slice(&first);
    while let Some(chunk) = next {
        if body.len() + chunk.len() > cap {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await?;
    }
    Ok(Some(body.freeze()))
}

/// Rebuilds a response around its buffered body, or a fault when the body would not decode.
/// [`into_reqwest`] makes it what the generated code takes.
pub(crate) fn finish(
    status: StatusCode,
    headers: HeaderMap,
    body: Option<Bytes>,
    cap: usize,
    legacy: bool,
    api_key: &str,
    replay_safe: bool,
) -> http::Response<Bytes> {
    let refuse = |headers, body, reason: String| {
        let diagnosis = DecodeError {
            status: Some(status),
            headers: HeaderMap::new(),
            path: None,
            reason,
            excerpt: String::new(),
            replay_safe,
        };
        fault(headers, body, Error::Decode(Box::new(diagnosis)))
    };
    let Some(body) = body else {
        return refuse(headers, Bytes::new(), format!("the body is larger than the {cap}-byte limit"));
    };
    if status.is_redirection() {
        // Same-origin redirects were followed; this one points elsewhere, so credentials stay here.
        let location =
            headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("nowhere");
        let reason =
            format!("the server redirected to {location:?}; redirects to another origin are not followed");
        return refuse(headers, body, reason);
    }
    // An error body may echo the key back ("key … is invalid"); the errors print those messages.
    let body = if status.is_success() { body } else { scrub(body, api_key) };
    let check: serde_json::Result<Result<(), Error>> =
        if matches!(status, StatusCode::NO_CONTENT | StatusCode::RESET_CONTENT) {
            // No body by definition (a synchronous delete): nothing to decode.
            Ok(Ok(()))
        } else if status.is_success() {
            // The typed decode happens once, in the generated code. Here only bodies that are not even
            // shaped like a JSON document (an HTML page, plain text, nothing, a truncated body) are
            // parsed, to say exactly what is wrong while the status is still known; a full syntax pass
            // over every success body cost a third of the decode.
            if looks_like_a_json_document(&body) {
                Ok(Ok(()))
            } else {
                serde_json::from_slice::<serde::de::IgnoredAny>(&body).map(|_| Ok(()))
            }
        } else {
            let error = if legacy { typed::<types::LegacyError> } else { typed::<types::ProblemDetails> };
            error(&body, status, &headers, replay_safe).map(Err)
        };
    match check {
        Ok(Ok(())) => rebuild(status, headers, body, None),
        Ok(Err(error)) => fault(headers, body, error),
        Err(e) => {
            let mut diagnosis = DecodeError::from_serde(Some(status), HeaderMap::new(), &body, &e);
            diagnosis.replay_safe = replay_safe;
            if !api_key.is_empty() {
                diagnosis.excerpt = diagnosis.excerpt.replace(api_key, "[redacted]");
            }
            fault(headers, body, Error::Decode(Box::new(diagnosis)))
        }
    }
}

/// An error body decoded into its typed error.
fn typed<E: ErrorBody>(
    body: &[u8],
    status: StatusCode,
    headers: &HeaderMap,
    replay_safe: bool,
) -> serde_json::Result<Error> {
    Ok(serde_json::from_slice::<E>(body)?.into_error(status, headers, replay_safe))
}

/// Replaces every occurrence of `secret` in `body` with `[redacted]`. Keys shorter than 8 bytes are
/// left alone: replacing them would mangle ordinary words.
fn scrub(body: Bytes, secret: &str) -> Bytes {
    let needle = secret.as_bytes();
    if needle.len() < 8 || !body.windows(needle.len()).any(|w| w == needle) {
        return body;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut rest = &body[..];
    while !rest.is_empty() {
        if rest.starts_with(needle) {
            out.extend_from_slice(b"[redacted]");
            rest = &rest[needle.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    Bytes::from(out)
}

/// Starts with `{` and ends with `}`, or `[` and `]`, whitespace aside.
fn looks_like_a_json_document(body: &[u8]) -> bool {
    let body = body.trim_ascii();
    matches!((body.first(), body.last()), (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']')))
}

/// A response that carries only an error (no server response to show).
pub(crate) fn fault(headers: HeaderMap, body: Bytes, error: Error) -> http::Response<Bytes> {
    let status = StatusCode::from_u16(FAULT_STATUS).expect("999 is a valid status code");
    rebuild(status, headers, body, Some(Fault(error)))
}

fn rebuild(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    fault: Option<Fault>,
) -> http::Response<Bytes> {
    let mut response = http::Response::new(body.clone());
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response.extensions_mut().insert(BufferedBody(body));
    if let Some(fault) = fault {
        response.extensions_mut().insert(fault);
    }
    response
}

/// The `reqwest::Response` the generated code decodes, answering for `url` (the request's URL;
/// without one reqwest parses a placeholder URL for every response).
pub(crate) fn into_reqwest(response: http::Response<Bytes>, url: Option<Url>) -> reqwest::Response {
    let (mut parts, body) = response.into_parts();
    if let Some(url) = url
        && let Ok(marker) = http::Response::builder().url(url).body(())
    {
        parts.extensions.extend(marker.into_parts().0.extensions);
    }
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

#[cfg(test)]
#[path = "../tests/unit/response_guard.rs"]
mod tests;
