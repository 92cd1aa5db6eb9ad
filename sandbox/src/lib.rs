//! The HostUp sandbox: a simulated API server on a loopback port in this process, for
//! tests, examples and benchmarks that need no account and no network.
//!
//! It serves every operation of the spec over real HTTP, starting from a seeded fleet
//! ([`fleet`]) that shows the cases a client must handle: PAYG and fixed-cycle billing, several
//! cycles and currencies, a suspended service, an invoice that blocks changes, gates that refuse
//! with reasons and codes, and a VPS on the legacy API. It keeps state: power actions run as jobs
//! that finish after [`SandboxConfig::job_duration`], committed changes change the VPS and its
//! price. It checks credentials and scopes like the docs describe, enforces a request budget with
//! the `X-RateLimit-*` headers and 429s, and injects [`Faults`] on demand.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> hostup::Result<()> {
//! use hostup_sandbox::{Sandbox, fleet};
//!
//! let sandbox = Sandbox::start().await;
//! let client = sandbox.client();
//! let vps = client.get_vps_details().id(fleet::PAYG_CLOUD).send().await?.into_inner();
//! assert!(vps.billing.is_payg);
//! # Ok(()) }
//! ```
//!
//! What it refuses, and how:
//!
//! - a closed power gate: 409 `vps_not_ready`; another closed gate: 409 with the gate's code
//!   (`not_payg`, `payg_service`, `service_suspended`, `pending_order`); both name the gate in
//!   `extensions.gate` and its code in `extensions.gateCode`;
//! - a commit while an unpaid invoice blocks: 409 `existing_invoice_blocking` with
//!   `extensions.existingInvoice`, until it is resent with `cancelExistingInvoice: true`;
//! - a bad body or option value: 400 `invalid_request` with `errors[]` pointers; a bad cursor:
//!   400 `invalid_cursor`;
//! - credentials: 401 `unauthorized`, 403 `forbidden` (with `extensions.missingScopes`);
//! - the budget: 429 `rate_limit_exceeded` with `Retry-After`.
//!
//! Legacy routes (`/api/vm`, `/api/jobs`) answer errors in the legacy envelope instead.
//! Committed changes are paid at once from a pretend card, so the invoices they return are paid.
//!
//! Needs a tokio runtime.

#![deny(missing_docs)]

mod access;
mod api;
mod auth;
mod catalog;
mod devices;
mod faults;
pub mod fleet;
mod gates;
mod handlers;
mod ids;
mod lifecycle;
mod lifecycle_gates;
mod limits;
mod model;
mod problem;
mod recovery;
mod server;
mod stats;
mod views;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use faults::Faults;
pub use lifecycle::PaygAccount;

/// The OpenAPI document the sandbox serves unless [`SandboxConfig::spec`] names another: the one
/// the `hostup` crate was generated from, parsed. A copy to edit, for a sandbox that serves more.
///
/// ```
/// let spec = hostup_sandbox::embedded_spec();
/// assert!(spec["paths"]["/api/v2/vps/{id}/details"]["get"].is_object());
/// ```
pub fn embedded_spec() -> serde_json::Value {
    api::embedded_spec().clone()
}
pub use stats::{Exchange, SandboxStats};

use hostup::{Client, Secret};
use model::State;

/// The API key a sandbox accepts unless [`SandboxConfig::api_key`] names another. It holds every
/// scope.
pub const DEFAULT_API_KEY: &str = "hu_sandbox_0123456789abcdefghijklmnop";

/// How long after it was placed a pending order is paid, by default (see
/// [`SandboxConfig::order_payment`]).
pub const DEFAULT_ORDER_PAYMENT: Duration = Duration::from_secs(600);

/// How a [`Sandbox`] starts. Build it with [`Sandbox::builder`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
/// let sandbox = hostup_sandbox::Sandbox::builder()
///     .job_duration(Duration::from_millis(50))
///     .rate_limit(10, Duration::from_secs(1))
///     .seed(42)
///     .start()
///     .await;
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    api_key: Secret,
    seed: u64,
    job_duration: Duration,
    order_payment: Option<Duration>,
    rate_limit: (u64, Duration),
    record: bool,
    clock_offset_secs: i64,
    spec: Option<serde_json::Value>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            api_key: Secret::new(DEFAULT_API_KEY),
            seed: 0x5eed,
            job_duration: Duration::from_millis(300),
            order_payment: Some(DEFAULT_ORDER_PAYMENT),
            rate_limit: (1000, Duration::from_secs(60)),
            record: false,
            clock_offset_secs: 0,
            spec: None,
        }
    }
}

impl SandboxConfig {
    /// The key the sandbox's own client uses (default [`DEFAULT_API_KEY`]); it has every scope.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Secret::new(key);
        self
    }

    /// The seed of the generators behind ids and fault dice (default `0x5eed`).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// How long a power job takes from queued to completed (default 300 ms).
    pub fn job_duration(mut self, duration: Duration) -> Self {
        self.job_duration = duration;
        self
    }

    /// How long after it was placed, on the sandbox's clock, a pending order is paid: its invoice
    /// becomes `paid` and the order `active` (and no longer cancellable). Default ten minutes;
    /// `None` keeps orders pending until cancelled. The docs do not say when an order moves on, so
    /// this stands in for the customer paying; move the clock
    /// ([`Faults::set_clock_offset`]) to see it without waiting.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let never_paid = hostup_sandbox::Sandbox::builder().order_payment(None);
    /// let paid_at_once = hostup_sandbox::Sandbox::builder().order_payment(Some(Duration::ZERO));
    /// # let _ = (never_paid, paid_at_once);
    /// ```
    pub fn order_payment(mut self, after: Option<Duration>) -> Self {
        self.order_payment = after;
        self
    }

    /// The request budget: `requests` per `window` for the whole sandbox (default 1000 per
    /// minute). Past it, requests get 429 `rate_limit_exceeded` with `Retry-After`.
    pub fn rate_limit(mut self, requests: u64, window: Duration) -> Self {
        self.rate_limit = (requests, window);
        self
    }

    /// Keeps the newest requests and response bodies for [`Sandbox::exchanges`] (default off).
    pub fn record_exchanges(mut self, on: bool) -> Self {
        self.record = on;
        self
    }

    /// Starts with the server's clock skewed by `seconds` (negative: behind), as
    /// [`Faults::set_clock_offset`] does while it runs (default 0).
    pub fn clock_offset(mut self, seconds: i64) -> Self {
        self.clock_offset_secs = seconds;
        self
    }

    /// Serves this OpenAPI document instead of the embedded one (a parsed YAML or JSON value).
    /// Every operation it holds is served: routed, authenticated, validated, and answered by the
    /// sandbox's state where it keeps some for that operation, from the spec's examples otherwise.
    pub fn spec(mut self, document: serde_json::Value) -> Self {
        self.spec = Some(document);
        self
    }

    /// Starts the sandbox on `127.0.0.1` at a free port.
    ///
    /// # Panics
    /// When no loopback port can be bound, or outside a tokio runtime.
    pub async fn start(self) -> Sandbox {
        self.try_start().await.expect("the sandbox could not bind a loopback port")
    }

    /// Starts the sandbox, returning the error when no loopback port can be bound.
    ///
    /// # Errors
    /// The bind error, or `InvalidData` when the spec given to [`spec`](Self::spec) is not one.
    pub async fn try_start(self) -> std::io::Result<Sandbox> {
        self.try_start_on(TcpListener::bind(("127.0.0.1", 0)).await?).await
    }

    /// Starts the sandbox on a listener the caller bound (`hostup sandbox serve --port`).
    ///
    /// # Errors
    /// As [`try_start`](Self::try_start).
    pub async fn try_start_on(self, listener: TcpListener) -> std::io::Result<Sandbox> {
        let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        let api = match &self.spec {
            Some(document) => Arc::new(api::Api::from_spec(document).map_err(invalid)?),
            None => api::Api::embedded().map_err(invalid)?,
        };
        let url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(server::Shared {
            keys: auth::Keys::new(self.api_key.expose(), api.scopes()),
            api,
            state: Mutex::new({
                let fleet = fleet::seed();
                let recovery = recovery::seed(&fleet);
                let access = access::seed(&fleet, self.seed);
                let lifecycle = lifecycle::seed(&fleet);
                State {
                    fleet,
                    jobs: Default::default(),
                    recovery,
                    lifecycle,
                    access,
                    devices: Default::default(),
                }
            }),
            ids: ids::Ids::new(self.seed),
            budget: limits::Budget::new(self.rate_limit.0, self.rate_limit.1),
            // Its own stream, so ids handed out never shift the fault dice.
            faults: Faults::new(self.seed ^ 0xfa17),
            counters: Default::default(),
            job_duration: self.job_duration,
            order_payment: self.order_payment,
            recorder: self.record.then(Default::default),
        });
        shared.faults.set_clock_offset(self.clock_offset_secs);
        let task = tokio::spawn(server::serve(listener, shared.clone()));
        Ok(Sandbox { shared, url, api_key: self.api_key, task: Some(task) })
    }
}

/// A running sandbox. Dropping it (or [`shutdown`](Sandbox::shutdown)) stops the server and
/// closes its connections.
pub struct Sandbox {
    shared: Arc<server::Shared>,
    url: String,
    api_key: Secret,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox with the default [`SandboxConfig`].
    ///
    /// # Panics
    /// When no loopback port can be bound, or outside a tokio runtime.
    pub async fn start() -> Sandbox {
        SandboxConfig::default().start().await
    }

    /// A [`SandboxConfig`] with the defaults, to change before starting.
    pub fn builder() -> SandboxConfig {
        SandboxConfig::default()
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The sandbox's main API key, which has every scope.
    pub fn api_key(&self) -> &str {
        self.api_key.expose()
    }

    /// A client for this sandbox with its main key and the default settings.
    pub fn client(&self) -> Client {
        self.client_with_key(self.api_key.expose())
    }

    /// A client for this sandbox with another key (one from [`key_with_scopes`](Self::key_with_scopes),
    /// or a wrong one to see a 401).
    ///
    /// # Panics
    /// When `key` is empty: the client refuses to exist without credentials.
    pub fn client_with_key(&self, key: &str) -> Client {
        Client::builder()
            .api_key(key)
            .base_url(&self.url)
            .build()
            .expect("a loopback URL and a key always build")
    }

    /// Issues a new key limited to `scopes` (`read:vm`, `write:vm`, `write:storage`, `power:vm`,
    /// `write:billing`). Operations needing another scope answer 403 `forbidden`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let sandbox = hostup_sandbox::Sandbox::start().await;
    /// let reader = sandbox.client_with_key(&sandbox.key_with_scopes(&["read:vm"]));
    /// let id = hostup_sandbox::fleet::MONTHLY_SEK;
    /// assert!(reader.get_vps().id(id).send().await.is_ok());
    /// let err = hostup::Error::from(reader.restart_vps().id(id).send().await.unwrap_err());
    /// assert_eq!(err.code(), Some(&hostup::ErrorCode::Forbidden));
    /// # }
    /// ```
    pub fn key_with_scopes(&self, scopes: &[&str]) -> String {
        let key = self.shared.ids.public("hu_sandbox_");
        self.shared.keys.issue(key.clone(), scopes);
        key
    }

    /// The fault knobs, switchable while the sandbox runs.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Changes what the account may do with Cloud VMs: a field set to false is a blocker of PAYG
    /// deployments and conversions to Cloud (`not_verified`, `no_cloud_access`,
    /// `no_card_on_file`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use hostup_sandbox::{PaygAccount, Sandbox};
    /// let sandbox = Sandbox::start().await;
    /// sandbox.set_payg_account(PaygAccount { verified: false, ..PaygAccount::default() });
    /// let options = sandbox.client().get_payg_deployment_options().send().await.unwrap().into_inner();
    /// assert!(!options.actions.can_deploy.allowed);
    /// # }
    /// ```
    pub fn set_payg_account(&self, account: PaygAccount) {
        self.shared.lock().lifecycle.account = account;
    }

    /// Changes the request budget; a new window starts now.
    pub fn set_rate_limit(&self, requests: u64, window: Duration) {
        self.shared.budget.set(requests, window);
    }

    /// Counters of requests, 429s and injected faults so far.
    pub fn stats(&self) -> SandboxStats {
        self.shared.counters.snapshot()
    }

    /// The newest exchanges (up to 4096), oldest first; empty unless
    /// [`SandboxConfig::record_exchanges`] is on.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.shared.recorder.as_ref().map(|r| r.all()).unwrap_or_default()
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}
