//! Building a [`Client`]: base URL, API key, timeouts, retries, user agent.
//!
//! Sources, in order: what the builder is told, then the environment (`HOSTUP_API_KEY`,
//! `HOSTUP_BASE_URL`). A missing key is an error that names the variable; the client never sends a
//! request without credentials.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use crate::runtime::Runtime;
use crate::{Client, Error, Result, RetryPolicy, Secret};

/// The API's base URL.
pub const DEFAULT_BASE_URL: &str = "https://cloud.hostup.se";
/// Environment variable holding the API key.
pub const ENV_API_KEY: &str = "HOSTUP_API_KEY";
/// Environment variable overriding the base URL.
pub const ENV_BASE_URL: &str = "HOSTUP_BASE_URL";
/// The `User-Agent` sent unless the builder is given another.
pub const DEFAULT_USER_AGENT: &str = concat!("hostup-rust/", env!("CARGO_PKG_VERSION"));

/// Configures and builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// let client = hostup::Client::builder()
///     .api_key("my-key")
///     .timeout(Duration::from_secs(20))
///     .retry(hostup::RetryPolicy::standard().with_max_attempts(4))
///     .build()?;
/// # Ok::<(), hostup::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    base_url_source: &'static str,
    api_key: Option<Secret>,
    api_key_source: &'static str,
    api_key_not_unicode: bool,
    public_only: bool,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    max_body_bytes: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            base_url_source: "the base URL",
            api_key: None,
            api_key_source: "",
            api_key_not_unicode: false,
            public_only: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::standard(),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            http_client: None,
            allow_insecure_http: false,
            max_body_bytes: 8 * 1024 * 1024,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults: `https://cloud.hostup.se`, 10 s connect and 30 s request
    /// timeouts, [`RetryPolicy::standard`], an 8 MiB response cap.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that takes the API key from `HOSTUP_API_KEY` and the base URL from
    /// `HOSTUP_BASE_URL` when set. Values given to the builder afterwards win.
    pub fn from_env() -> Self {
        let mut builder = Self::new();
        match std::env::var(ENV_API_KEY) {
            Ok(key) => builder.api_key = Some(Secret::new(key)),
            Err(std::env::VarError::NotUnicode(_)) => builder.api_key_not_unicode = true,
            Err(std::env::VarError::NotPresent) => {}
        }
        builder.api_key_source = ENV_API_KEY;
        match std::env::var(ENV_BASE_URL) {
            Ok(url) => builder.base_url = Some(url),
            // Kept as an invalid URL, so `build` names the variable.
            Err(std::env::VarError::NotUnicode(raw)) => builder.base_url = Some(raw.to_string_lossy().into()),
            Err(std::env::VarError::NotPresent) => return builder,
        }
        builder.base_url_source = ENV_BASE_URL;
        builder
    }

    /// The API key. Sent as `Authorization: Bearer` on v2 routes and `X-API-Key` on legacy ones.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self.api_key_source = "the API key given to ClientBuilder::api_key";
        self
    }

    /// Allows building without an API key, for the operations the spec marks public
    /// (`security: []`: the VPS catalogue). Such a client sends no credentials, and every other
    /// call fails with [`Error::Config`] before sending. A key given or found in the environment
    /// is still used.
    ///
    /// ```
    /// let client = hostup::Client::builder().public_only().build()?;
    /// # Ok::<(), hostup::Error>(())
    /// ```
    pub fn public_only(mut self) -> Self {
        self.public_only = true;
        self
    }

    /// The base URL (default `https://cloud.hostup.se`). Plain `http` is refused unless the host is
    /// loopback or [`allow_insecure_http`](Self::allow_insecure_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self.base_url_source = "the base URL";
        self
    }

    /// Allows plain `http` to a non-loopback host. Your API key then travels in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the last byte (default 30 s). The whole call
    /// is bounded by [`RetryPolicy::with_deadline`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The retry policy (default [`RetryPolicy::standard`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` (default `hostup-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A `reqwest::Client` of your own (proxies, TLS roots). Its timeouts and redirect policy
    /// apply instead of the builder's; keep redirects off or same-origin so credentials never
    /// follow a redirect to another host.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The largest response body accepted (default 8 MiB); a larger one fails the call.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::Config`] when the API key is missing (unless [`public_only`](Self::public_only)) or empty, or the base URL is invalid or plain
    /// `http` to a non-loopback host.
    pub fn build(self) -> Result<Client> {
        let key = match &self.api_key {
            None if self.public_only => None,
            None if self.api_key_not_unicode => {
                return Err(Error::Config(format!("{ENV_API_KEY} is set but is not valid UTF-8")));
            }
            None => {
                return Err(Error::Config(format!(
                    "no API key: set {ENV_API_KEY} or call ClientBuilder::api_key"
                )));
            }
            Some(key) if key.expose().trim().is_empty() => {
                let source = if self.api_key_source.is_empty() { ENV_API_KEY } else { self.api_key_source };
                return Err(Error::Config(format!("{source} is empty")));
            }
            Some(key) => Some(key.clone()),
        };
        let raw_url = self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let base_url = check_base_url(raw_url, self.allow_insecure_http, self.base_url_source)?;
        let http = match self.http_client {
            Some(client) => client,
            None => build_http_client(self.connect_timeout, self.timeout)?,
        };
        let runtime = Runtime::new(key, &self.user_agent, self.retry, self.max_body_bytes, &base_url)?;
        Ok(Client::new_with_client(base_url.as_str().trim_end_matches('/'), http, runtime))
    }
}

fn check_base_url(raw: &str, allow_insecure: bool, source: &str) -> Result<Url> {
    let url = Url::parse(raw).map_err(|e| Error::Config(format!("{source} {raw:?} is not a URL: {e}")))?;
    let Some(host) = url.host_str() else {
        return Err(Error::Config(format!("{source} {raw:?} has no host")));
    };
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::Config(format!(
            "{source} must be scheme, host, port and path only (no query, fragment or credentials)"
        )));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if allow_insecure || is_loopback(host) => Ok(url),
        "http" => Err(Error::Config(format!(
            "{source} {raw:?} is plain http to a non-loopback host: the API key would travel in clear text; \
             use https, or ClientBuilder::allow_insecure_http(true) if you really mean it"
        ))),
        other => Err(Error::Config(format!("{source} has unsupported scheme {other:?}; use https"))),
    }
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn build_http_client(connect_timeout: Duration, timeout: Duration) -> Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .redirect(same_origin_redirects());
    #[cfg(feature = "rustls")]
    let builder = builder.tls_backend_preconfigured(tls_config()?);
    builder.build().map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

/// rustls with an explicit crypto provider and the platform's roots: nothing process-wide is
/// installed, so the application's own TLS choices stay its own.
///
/// The platform verifier reads and parses the system's root certificates when it is made (tens of
/// milliseconds in a debug build), so one is made per process and shared by every client's
/// config; each client still gets a config (and TLS session cache) of its own.
#[cfg(feature = "rustls")]
fn tls_config() -> Result<rustls::ClientConfig> {
    use std::sync::{Arc, OnceLock};
    static VERIFIER: OnceLock<Arc<rustls_platform_verifier::Verifier>> = OnceLock::new();
    let failed = |e: rustls::Error| Error::Config(format!("cannot set up TLS: {e}"));
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = match VERIFIER.get() {
        Some(verifier) => verifier.clone(),
        None => {
            let made = Arc::new(rustls_platform_verifier::Verifier::new(provider.clone()).map_err(failed)?);
            VERIFIER.get_or_init(|| made).clone()
        }
    };
    let builder = rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions();
    let builder = builder.map_err(failed)?.dangerous().with_custom_certificate_verifier(verifier);
    Ok(builder.with_no_client_auth())
}

/// Follows redirects only within the original origin, so credentials never reach another host.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = &attempt.previous()[0];
        let same_origin = attempt.url().origin() == first.origin();
        if attempt.previous().len() > 5 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

impl Client {
    /// A [`ClientBuilder`] with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `HOSTUP_API_KEY` and, when set, `HOSTUP_BASE_URL`.
    ///
    /// # Errors
    /// [`Error::Config`] naming `HOSTUP_API_KEY` when it is unset or empty.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }
}

#[cfg(test)]
#[path = "../tests/unit/config.rs"]
mod tests;
