//! The client's handwritten state and the progenitor hooks every generated call passes through:
//! `pre` (credentials, user agent, path check) and `exec` (rate-limit budget, retries, body guard,
//! tracing).

use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue, USER_AGENT};
use tracing::{Instrument, field};

use crate::credentials::{self, Credentials};
use crate::operations::{self, OperationSpec};
use crate::rate_limit::RateLimit;
use crate::rate_limit::governor::Governor;
use crate::retry::{RetryBudget, RetryPolicy};
use crate::send::{Attempt, respond, send};
use crate::{Client, Error, Result, Secret};

const API_VERSION: HeaderName = HeaderName::from_static("api-version");

/// The handwritten state inside every [`Client`]: shared by all its clones.
#[derive(Clone)]
pub struct Runtime(Arc<Shared>);

pub(crate) struct Shared {
    /// `None` for a client built for the public operations only.
    pub(crate) credentials: Option<Credentials>,
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
            .field("credentials", &self.0.credentials)
            .field("retry", &self.0.retry)
            .field("max_body_bytes", &self.0.max_body_bytes)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// `api_key: None` makes a client for the public operations only (`security: []`).
    pub(crate) fn new(
        api_key: Option<Secret>,
        user_agent: &str,
        retry: RetryPolicy,
        max_body_bytes: usize,
        base_url: &Url,
    ) -> Result<Self> {
        let credentials = api_key.map(Credentials::new).transpose()?;
        Ok(Runtime(Arc::new(Shared {
            credentials,
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

impl Shared {
    /// The API key, or `""` for a public-only client.
    pub(crate) fn api_key(&self) -> &str {
        self.credentials.as_ref().map_or("", Credentials::key)
    }
}

impl Client {
    /// For [`ClientExt::rate_limit`](crate::ClientExt::rate_limit).
    pub(crate) fn latest_rate_limit(&self) -> Option<RateLimit> {
        self.inner.0.governor.latest()
    }

    /// The API key (`""` for a public-only client), to scrub it from anything an error may show.
    pub(crate) fn api_key(&self) -> &str {
        self.inner.0.api_key()
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
        // A public operation gets no credentials; any other needs them, and a client built
        // without a key refuses it here, before sending.
        credentials::apply(shared.credentials.as_ref(), op, headers)
            .map_err(progenitor_client::Error::Custom)?;
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
#[path = "../tests/unit/runtime.rs"]
mod tests;
