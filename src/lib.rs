#![doc = include_str!("lib.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

mod backups;
mod billing;
mod changes;
mod client_ext;
mod clock;
mod config;
mod diagnose;
mod error;
mod gates;
mod guarded;
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
/// Bounds from the spec (stop-gap until codegen generates every `minimum`/`maximum` as
/// `{SCHEMA}_{PROPERTY}_{MIN|MAX}`; same names, so the generated module replaces this one).
#[allow(missing_docs)]
pub mod limits {
    pub const SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MIN: f64 = 4.0;
    pub const SNAPSHOT_SCHEDULE_REQUEST_INTERVAL_HOURS_MAX: f64 = 24.0;
    pub const BACKUP_SCHEDULE_REQUEST_HOUR_MIN: u64 = 0;
    pub const BACKUP_SCHEDULE_REQUEST_HOUR_MAX: u64 = 23;
    pub const BACKUP_SCHEDULE_REQUEST_DAY_OF_WEEK_MIN: u64 = 0;
    pub const BACKUP_SCHEDULE_REQUEST_DAY_OF_WEEK_MAX: u64 = 6;
    pub const BACKUP_SCHEDULE_REQUEST_DAY_OF_MONTH_MIN: u64 = 1;
    pub const BACKUP_SCHEDULE_REQUEST_DAY_OF_MONTH_MAX: u64 = 31;
    pub const BACKUP_SCHEDULE_REQUEST_RETENTION_COUNT_MIN: u64 = 1;
    pub const BACKUP_SETTINGS_REQUEST_MAX_TOTAL_BACKUPS_MIN: u64 = 1;
}
#[doc(hidden)] // the operation table, for the workspace's sandbox and tests; not a stable API
pub mod operations;
mod paginate;
mod path_encoding;
mod power;
mod quote;
mod rate_limit;
mod recovery;
mod recovery_ext;
mod response_guard;
mod result_ext;
mod retry;
mod runtime;
mod secret;
mod snapshots;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

pub use backups::{BackupCadence, BackupPlan, PaygRestore};
pub use billing::{BillingModel, FleetCost, MonthlyCost, OverdueInvoice, cycle_months};
pub use changes::{OptionValue, ResourceChange};
pub use client_ext::ClientExt;
pub use config::{ClientBuilder, DEFAULT_BASE_URL, DEFAULT_USER_AGENT, ENV_API_KEY, ENV_BASE_URL};
pub use error::{
    ActionBlocked, ApiError, DecodeError, Error, ErrorCode, LegacyApiError, Result, TransportError,
};
pub use gates::Action;
pub use generated::{Client, ResponseValue};
pub use guarded::{GuardFailure, GuardReport, GuardStep, GuardedChange, Rollback, RollbackOffer};
pub use legacy::{LegacyUsagePoint, LegacyVm};
pub use paginate::{MAX_PAGE_SIZE, Page, paginate};
pub use power::{PowerAction, PowerOperation, WaitOptions, WaitProgress};
pub use quote::{CommitOptions, Quote};
pub use rate_limit::RateLimit;
pub use recovery::{Destructive, JobKind, RecoveryJob};
pub use recovery_ext::RecoveryExt;
pub use result_ext::ResultExt;
pub use retry::RetryPolicy;
pub use runtime::Runtime;
pub use secret::Secret;
pub use snapshots::{SnapshotScheduleChange, snapshot_interval_stored, snapshot_name};

/// The extension traits, for `use hostup::prelude::*;`: the helpers on [`Client`]
/// ([`ClientExt`]), the snapshot and backup helpers ([`RecoveryExt`]) and `.value()` on generated
/// calls ([`ResultExt`]).
pub mod prelude {
    pub use crate::{ClientExt, RecoveryExt, ResultExt};
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
