//! Sending one call: an attempt ([`attempt`]) under the rate-limit budget and the call's deadline,
//! the retry decision ([`retry_wait`]), and the response the generated code decodes ([`respond`]),
//! every error carried to the caller typed.

use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::time::Instant;

use crate::Error;
use crate::clock;
use crate::error::TransportError;
use crate::operations::OperationSpec;
use crate::response_guard;
use crate::retry::{Decision, Outcome};
use crate::runtime::Shared;

/// How one attempt ended.
pub(crate) enum Attempt {
    /// The client refused to send or to wait any longer: returned as is.
    Refused(Error),
    /// No usable answer (connection failed or broke, body cut off).
    Failed(reqwest::Error),
    /// The server answered.
    Answered {
        status: StatusCode,
        headers: HeaderMap,
        body: Option<Bytes>,
        url: reqwest::Url,
        retry_after: Option<Duration>,
    },
}

/// Sends a request under the retry policy and the rate-limit budget: [`attempt`] sends once,
/// [`retry_wait`] decides, and this loop waits or returns.
pub(crate) async fn send(
    shared: &Shared,
    http: &reqwest::Client,
    request: reqwest::Request,
    op: &OperationSpec,
) -> reqwest::Result<reqwest::Response> {
    let started = Instant::now();
    let deadline = clock::after(started, shared.retry.deadline());
    // Whether it can be sent again without changing anything twice (`x-hostup-replay-safe`; GETs).
    let replay_safe = op.is_replay_safe(&request);
    shared.retry_budget.deposit();
    let span = tracing::Span::current();
    let mut request = request;
    for attempt_no in 1u32.. {
        span.record("attempt", attempt_no);
        // Keep a copy for the next attempt; a streaming body cannot be copied, so it gets one try.
        let copy = request.try_clone();
        let outcome = attempt(shared, http, request, deadline, started, replay_safe).await;
        if let Attempt::Answered { status, .. } = &outcome {
            span.record("status", status.as_u16());
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        }
        match (retry_wait(shared, attempt_no, &outcome, replay_safe, copy.is_some(), deadline), copy) {
            (Some(wait), Some(copy)) => {
                tokio::time::sleep(wait).await;
                request = copy;
            }
            _ => return Ok(respond(shared, outcome, op.legacy_auth, replay_safe)),
        }
    }
    Ok(respond(shared, Attempt::Refused(Error::InvalidRequest("too many attempts".into())), false, false))
}

/// One attempt: a slot in the budget, the request, the whole body, within the call's deadline.
async fn attempt(
    shared: &Shared,
    http: &reqwest::Client,
    request: reqwest::Request,
    deadline: Instant,
    started: Instant,
    replay_safe: bool,
) -> Attempt {
    let permit = match shared.governor.acquire(deadline).await {
        Ok(permit) => permit,
        Err(wait) => return Attempt::Refused(Error::RateLimited(wait)),
    };
    let sent = tokio::time::timeout_at(deadline, async {
        let mut response = http.execute(request).await?;
        let body = response_guard::read_body(&mut response, shared.max_body_bytes).await;
        Ok::<_, reqwest::Error>((response, body))
    });
    let (mut response, body) = match sent.await {
        Err(_elapsed) => {
            tracing::warn!(elapsed_ms = started.elapsed().as_millis() as u64, "call deadline passed");
            let timeout = TransportError::deadline(started.elapsed(), replay_safe);
            return Attempt::Refused(Error::Timeout(Box::new(timeout)));
        }
        Ok(Err(e)) => return Attempt::Failed(e),
        Ok(Ok(answer)) => answer,
    };
    let status = response.status();
    // The body is read: the headers are all that is left to keep.
    let headers = std::mem::take(response.headers_mut());
    let answer = permit.complete(&headers, status == StatusCode::TOO_MANY_REQUESTS);
    if let Some(remaining) = answer.reported.and_then(|r| r.remaining) {
        tracing::Span::current().record("ratelimit_remaining", remaining);
    }
    match body {
        // The connection broke mid-body.
        Err(e) => Attempt::Failed(e),
        Ok(body) => Attempt::Answered {
            status,
            headers,
            body,
            url: response.url().clone(),
            retry_after: answer.retry_after,
        },
    }
}

/// The wait before the next attempt, or `None` to return this one's outcome.
fn retry_wait(
    shared: &Shared,
    attempt_no: u32,
    outcome: &Attempt,
    replay_safe: bool,
    copy_left: bool,
    deadline: Instant,
) -> Option<Duration> {
    let policy = &shared.retry;
    let seen = match outcome {
        Attempt::Refused(_) => return None,
        Attempt::Failed(e) if e.is_connect() => Outcome::NotSent,
        Attempt::Failed(_) => Outcome::Failed,
        Attempt::Answered { status, retry_after, .. } => {
            Outcome::Status { status: *status, retry_after: *retry_after }
        }
    };
    let wait = match policy.decide(attempt_no, &seen, replay_safe) {
        Decision::Retry(wait) if copy_left && clock::after(Instant::now(), wait) < deadline => wait,
        Decision::WaitTooLong(wait) => {
            tracing::warn!(
                wait_s = wait.as_secs(),
                "Retry-After is longer than the policy allows; failing now"
            );
            return None;
        }
        _ => return None,
    };
    if !policy.may_retry(&shared.retry_budget, &seen) {
        tracing::warn!("retry budget spent; not retrying");
        return None;
    }
    match outcome {
        Attempt::Failed(e) => {
            tracing::warn!(error = %e, wait_ms = wait.as_millis() as u64, "request failed; retrying")
        }
        _ => tracing::warn!(wait_ms = wait.as_millis() as u64, "retryable status; retrying"),
    }
    Some(wait)
}

/// The response the generated code decodes: the answer, or the error as a fault.
pub(crate) fn respond(
    shared: &Shared,
    outcome: Attempt,
    legacy: bool,
    replay_safe: bool,
) -> reqwest::Response {
    let error = match outcome {
        Attempt::Answered { status, headers, body, url, .. } => {
            if let Some(id) = body.as_deref().filter(|_| !status.is_success()).and_then(request_id_of) {
                tracing::Span::current().record("request_id", id.as_str());
            }
            tracing::debug!(status = status.as_u16(), "response");
            let key = shared.api_key();
            let response = response_guard::finish(
                status,
                headers,
                body,
                shared.max_body_bytes,
                legacy,
                key,
                replay_safe,
            );
            return response_guard::into_reqwest(response, Some(url));
        }
        Attempt::Refused(error) => error,
        Attempt::Failed(e) => {
            let error = Box::new(TransportError::new(e, replay_safe));
            if error.is_timeout() { Error::Timeout(error) } else { Error::Transport(error) }
        }
    };
    response_guard::into_reqwest(response_guard::fault(HeaderMap::new(), Bytes::new(), error), None)
}

/// The `requestId` of an error body, for the span (success bodies carry none).
fn request_id_of(body: &[u8]) -> Option<String> {
    if body.len() > 64 * 1024 {
        return None;
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "requestId")]
        request_id: Option<String>,
    }
    serde_json::from_slice::<Probe>(body).ok()?.request_id
}
