//! Helpers for each area of the API (power, billing, recovery, lifecycle, ...), on top of the
//! runtime in the parent folder. One file per area or flow; the extension traits that expose them
//! live here too.

pub(crate) mod access_ext;
pub(crate) mod backups;
pub(crate) mod billing;
pub(crate) mod cancel;
pub(crate) mod catalogue;
pub(crate) mod changes;
pub(crate) mod client_ext;
pub(crate) mod confirm;
pub(crate) mod convert;
pub(crate) mod deploy;
pub(crate) mod devices;
pub(crate) mod devices_ext;
pub(crate) mod disks;
pub(crate) mod firewall;
pub(crate) mod follow;
pub mod gates;
pub(crate) mod guarded;
pub(crate) mod guest;
pub(crate) mod iso;
pub(crate) mod jobs;
pub(crate) mod legacy;
pub(crate) mod lifecycle_ext;
pub(crate) mod maintenance;
pub(crate) mod network;
pub(crate) mod orders;
pub(crate) mod payg_restore;
pub(crate) mod power;
pub(crate) mod quote;
pub(crate) mod rebuild;
pub(crate) mod recovery;
pub(crate) mod recovery_ext;
pub(crate) mod snapshots;
pub(crate) mod ssh_keys;
