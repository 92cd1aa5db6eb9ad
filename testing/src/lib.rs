//! A kit for testing code that uses the [`hostup`] crate, with no account and no network: httpmock
//! helpers generated from the same spec as the client, for every operation ([`MockServerExt`]),
//! fixtures that start from the spec's documented examples ([`vps_details`], [`problem`]), and
//! scenarios that take more than one mock ([`rate_limited_then_ok`], [`operation_completes`],
//! [`power_action_completes`]). A crate of its own, so httpmock never enters `hostup`'s
//! dependencies.
//!
//! Use it in your tests only:
//!
//! ```toml
//! [dev-dependencies]
//! hostup-testing = "0.1"
//! ```
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> hostup::Result<()> {
//! use hostup_testing::{self as testing, MockServer, MockServerExt};
//! use hostup::{Action, types::PowerState};
//!
//! let server = MockServer::start_async().await;
//! let details = testing::vps_details().id("vps_x").power_state(PowerState::Stopped).build();
//! server.get_vps_details(|when, then| {
//!     when.id("vps_x");
//!     then.ok(&details);
//! });
//!
//! let client = testing::client_for(&server);
//! let vps = client.get_vps_details().id("vps_x").send().await?;
//! assert!(vps.allowed_actions().contains(&Action::Start));
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod fixtures;
mod scenarios;

use std::time::Duration;

pub use fixtures::{DETAILS_FIXTURE, VpsDetailsBuilder, problem, vps_details, vps_status};
pub use httpmock::{self, Method, Mock, MockServer};
pub use mock::MockServerExt;
pub use scenarios::{
    PowerMocks, Sequence, operation, operation_completes, power_action_completes, rate_limited_then_ok,
};

use hostup::{Client, ClientBuilder, RetryPolicy, WaitOptions};

/// The httpmock helpers generated from the spec (by this crate's build.rs, from the spec the
/// `hostup` dependency was built from): `server.get_vps_details(|when, then| ..)` with typed `when`
/// filters (`when.id(..)`) and typed `then` answers (`then.ok(&details)`,
/// `then.not_found(&problem)`), one pair per operation in [`mock::operations`].
#[allow(missing_docs, clippy::all, unused_imports)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/httpmock.rs"));
}

/// The API key [`client_for`] sends.
pub const TEST_API_KEY: &str = "hu_test_0123456789abcdefghijklmnop";

/// A builder for a client of `server`: a test key, short timeouts, and fast retries (4 attempts,
/// 1 to 10 ms backoff), so 429 and 503 scenarios run in milliseconds. Change what you need, then
/// `.build()`.
pub fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(TEST_API_KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_secs(5))
        .retry(fast_retries())
}

/// A client of `server`, as [`builder_for`] configures it.
///
/// # Panics
/// Never for an httpmock server: its URL is loopback HTTP, which the builder accepts.
pub fn client_for(server: &MockServer) -> Client {
    builder_for(server).build().expect("a loopback mock server URL always builds")
}

/// The retry policy of [`builder_for`]: 4 attempts, backoff from 1 ms to 10 ms, 10 s per call.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(10))
        .with_deadline(Duration::from_secs(10))
}

/// Wait options that poll every 5 to 20 ms and give up after 10 s, for [`PowerOperation::wait`](hostup::PowerOperation::wait) in tests.
pub fn fast_wait() -> WaitOptions {
    WaitOptions::default()
        .with_poll_interval(Duration::from_millis(5), Duration::from_millis(20))
        .with_max_wait(Duration::from_secs(10))
}
