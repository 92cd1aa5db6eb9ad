//! The client's handwritten state and the progenitor hooks every generated call passes through:
//! `pre` (credentials, user agent, path check) and `exec` (rate-limit budget, retries, body guard,
//! tracing).

use std::sync::Arc;
use std::time::SystemTime;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use tokio::time::Instant;
use tracing::{Instrument, field};

use crate::operations::{self, OperationSpec};
use crate::rate_limit::{Governor, RateLimit, parse_retry_after, wait_after_429};
use crate::response_guard::{self, Fault};
use crate::retry::{Decision, Outcome, RetryPolicy};
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
    governor: Governor,
    max_body_bytes: usize,
    /// The base URL's path (`""` or `/stem`), which every request path starts with.
    base_path: String,
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
        base_url: &reqwest::Url,
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
            retry,
            governor: Governor::default(),
            max_body_bytes,
            base_path: base_url.path().trim_end_matches('/').to_string(),
        })))
    }
}

impl Client {
    /// The rate-limit budget from the latest response that reported one (all clones share it).
    ///
    /// ```
    /// # let client = hostup::Client::builder().api_key("k").build()?;
    /// if let Some(budget) = client.rate_limit() {
    ///     println!("{:?} requests left", budget.remaining);
    /// }
    /// # Ok::<(), hostup::Error>(())
    /// ```
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.0.governor.latest()
    }

    /// The API key, to scrub it from anything an error may show.
    pub(crate) fn api_key(&self) -> &Secret {
        &self.inner.0.api_key
    }

    /// The retry policy this client was built with.
    pub fn retry_policy(&self) -> &RetryPolicy {
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
        check_path(&shared.base_path, op, request.url().path())
            .map_err(progenitor_client::Error::InvalidRequest)?;
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
        let legacy = op.is_some_and(|o| o.legacy_auth);
        let replay_safe = op.is_some_and(|o| o.is_replay_safe(&request));
        send(&self.inner().0, self.client(), request, legacy, replay_safe).instrument(span).await
    }
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

/// Sends a request under the retry policy and the rate-limit budget.
async fn send(
    shared: &Shared,
    http: &reqwest::Client,
    request: reqwest::Request,
    legacy: bool,
    replay_safe: bool,
) -> reqwest::Result<reqwest::Response> {
    let policy = &shared.retry;
    let started = Instant::now();
    let deadline = started + policy.deadline();
    let span = tracing::Span::current();
    let mut pending = Some(request);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        span.record("attempt", attempt);
        let Some(current) = pending.take() else { unreachable!("a request is kept for every attempt") };
        // Keep a copy for the next attempt; a streaming body cannot be copied, so it gets one try.
        pending = current.try_clone();
        let permit = match shared.governor.acquire(deadline).await {
            Ok(permit) => permit,
            Err(wait) => {
                let fault =
                    response_guard::fault(HeaderMap::new(), Default::default(), Fault::BudgetSpent(wait));
                return Ok(response_guard::into_reqwest(fault, None));
            }
        };
        let attempt_result = tokio::time::timeout_at(deadline, async {
            let mut response = http.execute(current).await?;
            let body = response_guard::read_body(&mut response, shared.max_body_bytes).await;
            Ok::<_, reqwest::Error>((response, body))
        })
        .await;
        let (mut response, body) = match attempt_result {
            Err(_elapsed) => {
                drop(permit);
                tracing::warn!(elapsed_ms = started.elapsed().as_millis() as u64, "call deadline passed");
                let elapsed = Fault::Deadline(started.elapsed());
                return Ok(response_guard::into_reqwest(
                    response_guard::fault(HeaderMap::new(), Default::default(), elapsed),
                    None,
                ));
            }
            Ok(Err(e)) => {
                drop(permit);
                let outcome = if e.is_connect() { Outcome::NotSent } else { Outcome::Failed };
                match policy.decide(attempt, &outcome, replay_safe) {
                    Decision::Retry(wait) if pending.is_some() && Instant::now() + wait < deadline => {
                        tracing::warn!(error = %e, wait_ms = wait.as_millis() as u64, "request failed; retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    _ => return Err(e),
                }
            }
            Ok(Ok((response, body))) => (response, body),
        };
        let status = response.status();
        let url = response.url().clone();
        // The body is read: the headers are all that is left to keep.
        let headers = std::mem::take(response.headers_mut());
        drop(response);
        let retry_after = if status == StatusCode::TOO_MANY_REQUESTS {
            wait_after_429(&headers, SystemTime::now())
        } else {
            parse_retry_after(&headers, SystemTime::now())
        };
        let reported = permit
            .complete(&headers, (status == StatusCode::TOO_MANY_REQUESTS).then_some(retry_after).flatten());
        span.record("status", status.as_u16());
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        if let Some(remaining) = reported.and_then(|r| r.remaining) {
            span.record("ratelimit_remaining", remaining);
        }
        let body = match body {
            Ok(body) => body,
            Err(e) => {
                // The connection broke mid-body.
                match policy.decide(attempt, &Outcome::Failed, replay_safe) {
                    Decision::Retry(wait) if pending.is_some() && Instant::now() + wait < deadline => {
                        tracing::warn!(error = %e, "response body broke off; retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    _ => return Err(e),
                }
            }
        };
        // Only error bodies carry a request id; success bodies are not parsed twice.
        if let Some(id) = body.as_deref().filter(|_| !status.is_success()).and_then(request_id_of) {
            span.record("request_id", id.as_str());
        }
        match policy.decide(attempt, &Outcome::Status { status, retry_after }, replay_safe) {
            Decision::Retry(wait) if pending.is_some() && Instant::now() + wait < deadline => {
                tracing::warn!(
                    status = status.as_u16(),
                    wait_ms = wait.as_millis() as u64,
                    "retryable status; retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            Decision::WaitTooLong(wait) => {
                tracing::warn!(
                    wait_s = wait.as_secs(),
                    "Retry-After is longer than the policy allows; failing now"
                );
            }
            _ => {}
        }
        tracing::debug!(status = status.as_u16(), "response");
        let response = response_guard::finish(
            status,
            headers,
            body,
            shared.max_body_bytes,
            legacy,
            shared.api_key.expose(),
        );
        return Ok(response_guard::into_reqwest(response, Some(url)));
    }
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
