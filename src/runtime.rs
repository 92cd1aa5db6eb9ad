//! The client's handwritten state and the progenitor hooks every generated call passes through:
//! `pre` (credentials, user agent, path check) and `exec` (rate-limit budget, retries, body guard,
//! tracing).

use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue, USER_AGENT};
use tracing::{Instrument, field};

use crate::operations::{self, OperationSpec};
use crate::rate_limit::RateLimit;
use crate::rate_limit::governor::Governor;
use crate::retry::{RetryBudget, RetryPolicy};
use crate::send::{Attempt, respond, send};
use crate::{Client, Error, Result, Secret};

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// The handwritten state inside every [`Client`]: shared by all its clones.
#[derive(Clone)]
pub struct Runtime(Arc<Shared>);

pub(crate) struct Shared {
    pub(crate) api_key: Secret,
    bearer: HeaderValue,
    legacy_key: HeaderValue,
    user_agent: HeaderValue,
    pub(crate) retry: RetryPolicy,
    pub(crate) retry_budget: RetryBudget,
    pub(crate) governor: Governor,
    pub(crate) max_body_bytes: usize,
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

    /// Issue 12, item 10: however a client was put together, the key goes only to its origin.
    #[test]
    fn requests_to_another_origin_are_refused() {
        let base = Url::parse("https://cloud.hostup.se/stem").unwrap();
        assert!(check_origin(&base, &Url::parse("https://cloud.hostup.se:443/stem/api").unwrap()).is_ok());
        for other in
            ["http://cloud.hostup.se/stem", "https://evil.example/stem", "https://cloud.hostup.se:8443/"]
        {
            let err = check_origin(&base, &Url::parse(other).unwrap()).unwrap_err();
            assert!(err.contains("refusing to send credentials"), "{other}: {err}");
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
