//! The client's handwritten state and the progenitor hooks every generated call passes through:
//! `pre` (credentials, user agent, path check) and `exec` (rate-limit budget, retries, body guard,
//! tracing).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use reqwest::{StatusCode, Url};
use tokio::time::Instant;
use tracing::{Instrument, field};

use crate::clock;
use crate::error::TransportError;
use crate::operations::{self, OperationSpec};
use crate::rate_limit::RateLimit;
use crate::rate_limit::governor::Governor;
use crate::response_guard;
use crate::retry::{Decision, Outcome, RetryBudget, RetryPolicy};
use crate::{Client, Error, Result, Secret};

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// The handwritten state inside every [`Client`]: shared by all its clones.
#[derive(Clone)]
pub struct Runtime(Arc<Shared>);

struct Shared {
    api_key: Secret,
    bearer: HeaderValue,
    legacy_key: HeaderValue,
    user_agent: HeaderValue,
    retry: RetryPolicy,
    retry_budget: RetryBudget,
    governor: Governor,
    max_body_bytes: usize,
    /// The base URL: every request must go to its origin, under its path.
    base_url: Url,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("api_key", &self.0.api_key)
            .field("retry", &self.0.retry)
            .field("max_body_bytes", &self.0.max_body_bytes)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    pub(crate) fn new(
        api_key: Secret,
        user_agent: &str,
        retry: RetryPolicy,
        max_body_bytes: usize,
        base_url: &Url,
    ) -> Result<Self> {
        let sensitive = |value: String| {
            let mut header = HeaderValue::from_str(&value).map_err(|_| {
                Error::Config("the API key contains characters that cannot be sent in a header".into())
            })?;
            header.set_sensitive(true);
            Ok::<_, Error>(header)
        };
        Ok(Runtime(Arc::new(Shared {
            bearer: sensitive(format!("Bearer {}", api_key.expose()))?,
            legacy_key: sensitive(api_key.expose().to_string())?,
            api_key,
            user_agent: HeaderValue::from_str(user_agent)
                .map_err(|_| Error::Config(format!("invalid user agent {user_agent:?}")))?,
            governor: Governor::new(retry.max_retry_after()),
            retry,
            retry_budget: RetryBudget::default(),
            max_body_bytes,
            base_url: base_url.clone(),
        })))
    }
}

impl Client {
    /// For [`ClientExt::rate_limit`](crate::ClientExt::rate_limit).
    pub(crate) fn latest_rate_limit(&self) -> Option<RateLimit> {
        self.inner.0.governor.latest()
    }

    /// The API key, to scrub it from anything an error may show.
    pub(crate) fn api_key(&self) -> &Secret {
        &self.inner.0.api_key
    }

    /// For [`ClientExt::retry_policy`](crate::ClientExt::retry_policy).
    pub(crate) fn configured_retry_policy(&self) -> &RetryPolicy {
        &self.inner.0.retry
    }
}

impl ClientHooks<Runtime> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> std::result::Result<(), progenitor_client::Error<E>> {
        let shared = &self.inner().0;
        let op = operations::find(info.operation_id).ok_or_else(|| {
            progenitor_client::Error::InvalidRequest(format!("unknown operation {}", info.operation_id))
        })?;
        check_origin(&shared.base_url, request.url()).map_err(progenitor_client::Error::InvalidRequest)?;
        let base_path = shared.base_url.path().trim_end_matches('/');
        check_path(base_path, op, request.url().path()).map_err(progenitor_client::Error::InvalidRequest)?;
        let headers = request.headers_mut();
        // progenitor adds the spec's version as `api-version`; HostUp documents no such header.
        headers.remove(API_VERSION);
        headers.insert(USER_AGENT, shared.user_agent.clone());
        if op.legacy_auth {
            headers.insert(X_API_KEY, shared.legacy_key.clone());
        } else {
            headers.insert(AUTHORIZATION, shared.bearer.clone());
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let op = operations::find(info.operation_id);
        let span = tracing::debug_span!(
            "hostup.request",
            operation = info.operation_id,
            method = %request.method(),
            path = op.map_or("", |o| o.path),
            attempt = field::Empty,
            status = field::Empty,
            request_id = field::Empty,
            elapsed_ms = field::Empty,
            ratelimit_remaining = field::Empty,
        );
        let Some(op) = op else {
            let refused = Error::InvalidRequest(format!("unknown operation {}", info.operation_id));
            return Ok(respond(&self.inner().0, Attempt::Refused(refused), false, false));
        };
        send(&self.inner().0, self.client(), request, op).instrument(span).await
    }
}

/// The API key goes only to the configured origin: same scheme, host and port.
fn check_origin(base: &Url, actual: &Url) -> std::result::Result<(), String> {
    if base.origin() == actual.origin() {
        return Ok(());
    }
    Err(format!(
        "refusing to send credentials to {}: the client is configured for {}",
        actual.origin().ascii_serialization(),
        base.origin().ascii_serialization()
    ))
}

/// Proves that the ids in a request's path stayed inside their segments: same segment count as the
/// template, literal segments unchanged, no empty id. (`..` and `.` ids are collapsed by URL
/// parsing, which this catches.)
fn check_path(base_path: &str, op: &OperationSpec, actual: &str) -> std::result::Result<(), String> {
    let refused =
        || format!("an id in {} must be one non-empty path segment other than `.` or `..`", op.path);
    let rest = actual.strip_prefix(base_path).ok_or_else(refused)?;
    let (mut want, mut got) = (op.path.split('/'), rest.split('/'));
    loop {
        match (want.next(), got.next()) {
            (None, None) => return Ok(()),
            (Some(w), Some(g)) if w.starts_with('{') => {
                if g.is_empty() {
                    return Err(refused());
                }
            }
            (Some(w), Some(g)) if w == g => {}
            _ => return Err(refused()),
        }
    }
}

/// Whether this request can be sent again without changing anything twice: the operation table
/// says (`x-hostup-replay-safe` in the spec; GETs always).
fn replay_safe(op: &OperationSpec, request: &reqwest::Request) -> bool {
    op.is_replay_safe(request)
}

/// How one attempt ended.
enum Attempt {
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
async fn send(
    shared: &Shared,
    http: &reqwest::Client,
    request: reqwest::Request,
    op: &OperationSpec,
) -> reqwest::Result<reqwest::Response> {
    let started = Instant::now();
    let deadline = clock::after(started, shared.retry.deadline());
    let replay_safe = replay_safe(op, &request);
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
fn respond(shared: &Shared, outcome: Attempt, legacy: bool, replay_safe: bool) -> reqwest::Response {
    let error = match outcome {
        Attempt::Answered { status, headers, body, url, .. } => {
            if let Some(id) = body.as_deref().filter(|_| !status.is_success()).and_then(request_id_of) {
                tracing::Span::current().record("request_id", id.as_str());
            }
            tracing::debug!(status = status.as_u16(), "response");
            let key = shared.api_key.expose();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn op(path: &'static str) -> OperationSpec {
        let replay_safe = operations::ReplaySafe::Always;
        OperationSpec {
            id: "x",
            name: "x",
            method: "GET",
            path,
            legacy_auth: false,
            scopes: &[],
            replay_safe,
        }
    }

    #[test]
    fn path_check_accepts_encoded_ids_and_refuses_escapes() {
        let o = op("/api/v2/vps/{id}/details");
        assert!(check_path("", &o, "/api/v2/vps/vps_1/details").is_ok());
        assert!(check_path("", &o, "/api/v2/vps/a%2Fb%3F%23/details").is_ok());
        assert!(check_path("/stem", &o, "/stem/api/v2/vps/v/details").is_ok());
        assert!(check_path("", &o, "/api/v2/details").is_err()); // `..` collapsed
        assert!(check_path("", &o, "/api/v2/vps/details").is_err()); // `.` collapsed
        assert!(check_path("", &o, "/api/v2/vps//details").is_err()); // empty id
        assert!(check_path("/stem", &o, "/api/v2/vps/v/details").is_err());
    }
}
