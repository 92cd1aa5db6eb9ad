#![doc = include_str!("lib.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod billing;
mod changes;
mod client_ext;
mod config;
mod diagnose;
mod error;
mod gates;
mod jobs;
mod legacy;
#[allow(missing_docs, clippy::all, unused_imports)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}
#[allow(clippy::all)]
mod open_enums {
    include!(concat!(env!("OUT_DIR"), "/open_enums.rs"));
}
#[doc(hidden)] // the operation table, for the workspace's sandbox and tests; not a stable API
pub mod operations;
mod paginate;
mod path_encoding;
mod power;
mod quote;
mod rate_limit;
mod response_guard;
mod result_ext;
mod retry;
mod runtime;
mod secret;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use billing::{BillingModel, FleetCost, MonthlyCost, OverdueInvoice, cycle_months};
pub use changes::{OptionValue, ResourceChange};
pub use client_ext::ClientExt;
pub use config::{ClientBuilder, DEFAULT_BASE_URL, DEFAULT_USER_AGENT, ENV_API_KEY, ENV_BASE_URL};
pub use error::{ActionBlocked, ApiError, DecodeError, Error, ErrorCode, LegacyApiError, Result};
pub use gates::Action;
pub use generated::{Client, ResponseValue};
pub use legacy::{LegacyUsagePoint, LegacyVm};
pub use paginate::{MAX_PAGE_SIZE, Page, paginate};
pub use power::{PowerAction, PowerOperation, WaitOptions, WaitProgress};
pub use quote::{CommitOptions, Quote};
pub use rate_limit::RateLimit;
pub use result_ext::ResultExt;
pub use retry::RetryPolicy;
pub use runtime::Runtime;
pub use secret::Secret;

/// The extension traits, for `use hostup::prelude::*;`: the helpers on [`Client`]
/// ([`ClientExt`]) and `.value()` on generated calls ([`ResultExt`]).
pub mod prelude {
    pub use crate::{ClientExt, ResultExt};
}

/// The request and response types generated from the spec, and the open enums.
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::open_enums::*;
}

/// Builders for each operation's parameters (returned by the `Client` methods).
pub mod builder {
    pub use crate::generated::builder::*;
}
