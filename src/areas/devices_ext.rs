//! The firewall, disk and ISO helpers on [`Client`], kept off its own namespace like
//! [`ClientExt`](crate::ClientExt).

use std::future::Future;

use crate::areas::devices::DeviceChange;
use crate::areas::disks::{self, DiskBudget, DiskSize};
use crate::areas::firewall;
use crate::areas::iso::{self, IsoFetch};
use crate::types::{
    FirewallOptions, FirewallOptionsRequest, FirewallRule, FirewallRuleRequest, IsoDevice, IsoUnmountResult,
};
use crate::{Client, Destructive, Result};
#[allow(unused_imports)] // for the docs
use crate::{Error, WaitOptions};

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Client {}
}

/// The per-VPS firewall, disks and ISO media, with every pre-check the API documents done before
/// sending. `use hostup::prelude::*;` brings it into scope. Sealed.
///
/// Deletes, and a firewall policy that would lock the owner out, take a [`Destructive`]
/// confirmation naming the VPS. No write here is ever sent twice once it may have reached the
/// server; changes the server may queue come back as a [`DeviceChange`] to wait for.
///
/// ```no_run
/// use hostup::prelude::*;
/// use hostup::types::FirewallPolicy;
/// # async fn run(client: hostup::Client) -> hostup::Result<()> {
/// let vps = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
/// let rule = client.add_firewall_rule(vps, hostup::firewall_rule(FirewallPolicy::Accept, "tcp", "22", None)).await?;
/// println!("SSH allowed at position {:?}", rule.pos);
/// client.add_disk(vps, 20, None).await?.wait(&client, hostup::WaitOptions::default()).await?;
/// # Ok(()) }
/// ```
pub trait DevicesExt: sealed::Sealed {
    /// Adds an inbound rule after checking `available`, `actions.canAddRule` and
    /// `limits.remainingRules`, then reads the list again and returns the rule as listed (with
    /// its real position; the create may answer `pos: null`).
    ///
    /// # Errors
    /// [`Error::Blocked`] naming what refused.
    #[must_use = "futures do nothing unless awaited"]
    fn add_firewall_rule(
        &self,
        vps_id: &str,
        rule: FirewallRuleRequest,
    ) -> impl Future<Output = Result<FirewallRule>> + Send;

    /// Replaces the rule at `pos` with `rule` (a full replacement) after checking that the rule
    /// there exists and is `editable`.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for no rule there, [`Error::Blocked`] for a read-only rule.
    #[must_use = "futures do nothing unless awaited"]
    fn replace_firewall_rule(
        &self,
        vps_id: &str,
        pos: u64,
        rule: FirewallRuleRequest,
    ) -> impl Future<Output = Result<FirewallRule>> + Send;

    /// Deletes the rule at `pos` (the rules after it move up one) after the same checks.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation naming another VPS or no rule there.
    #[must_use = "futures do nothing unless awaited"]
    fn delete_firewall_rule(
        &self,
        vps_id: &str,
        pos: u64,
        confirm: Destructive,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Changes the firewall switch and inbound policy (at least one). When the result would be an
    /// enabled firewall with a DROP or REJECT policy and no enabled inbound ACCEPT rule, which
    /// locks everyone out, it is refused unless `lockout` confirms it.
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// use hostup::types::{FirewallOptionsRequest, FirewallPolicy};
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let on = FirewallOptionsRequest { enabled: Some(true), inbound_policy: Some(FirewallPolicy::Drop) };
    /// client.set_firewall_options("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", on, None).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an empty change, or a lock-out without confirmation.
    #[must_use = "futures do nothing unless awaited"]
    fn set_firewall_options(
        &self,
        vps_id: &str,
        change: FirewallOptionsRequest,
        lockout: Option<Destructive>,
    ) -> impl Future<Output = Result<FirewallOptions>> + Send;

    /// The quota a new disk draws on, by billing model: the attachable pool (fixed cycle) or the
    /// account's PAYG storage limit.
    #[must_use = "futures do nothing unless awaited"]
    fn disk_budget(&self, vps_id: &str) -> impl Future<Output = Result<DiskBudget>> + Send;

    /// Attaches a new empty disk of `size_gb` (1 to 1,000) after checking `canAddDisk` and the
    /// quota its billing model draws on ([`DiskBudget`]).
    ///
    /// # Errors
    /// [`Error::InvalidOption`] (`sizeGb`, `interface`), [`Error::Blocked`] for the gate or the
    /// attachable pool, [`Error::QuotaExceeded`] for the PAYG storage limit.
    #[must_use = "futures do nothing unless awaited"]
    fn add_disk(
        &self,
        vps_id: &str,
        size_gb: u64,
        interface: Option<&str>,
    ) -> impl Future<Output = Result<DeviceChange>> + Send;

    /// Grows `disk` (its `vpsdisk_...` id or slot name) after checking its `canResize` gate,
    /// that it grows, and for a non-root disk of a fixed-cycle VPS the attachable pool.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for `sizeGb`, [`Error::Blocked`], [`Error::InvalidRequest`].
    #[must_use = "futures do nothing unless awaited"]
    fn resize_disk(
        &self,
        vps_id: &str,
        disk: &str,
        size: DiskSize,
    ) -> impl Future<Output = Result<DeviceChange>> + Send;

    /// Deletes `disk`, keeping its backing volume where the platform can when `keep_volume`.
    /// The root disk is refused, as is a disk whose `canDetach` gate is closed.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation naming another VPS or an unknown disk,
    /// [`Error::Blocked`] naming `canDetach`.
    #[must_use = "futures do nothing unless awaited"]
    fn delete_disk(
        &self,
        vps_id: &str,
        disk: &str,
        keep_volume: bool,
        confirm: Destructive,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Mounts a library ISO after checking `canMount`, the ISO and the drive.
    #[must_use = "futures do nothing unless awaited"]
    fn mount_iso(
        &self,
        vps_id: &str,
        iso_id: &str,
        device: Option<IsoDevice>,
    ) -> impl Future<Output = Result<DeviceChange>> + Send;

    /// Ejects the medium of `device` (`ide2` when `None`).
    #[must_use = "futures do nothing unless awaited"]
    fn unmount_iso(
        &self,
        vps_id: &str,
        device: Option<IsoDevice>,
    ) -> impl Future<Output = Result<IsoUnmountResult>> + Send;

    /// Attaches an empty CD/DVD drive.
    #[must_use = "futures do nothing unless awaited"]
    fn attach_empty_drive(&self, vps_id: &str) -> impl Future<Output = Result<DeviceChange>> + Send;

    /// Deletes an ISO the customer owns from the library, after checking it is listed.
    #[must_use = "futures do nothing unless awaited"]
    fn delete_iso(
        &self,
        vps_id: &str,
        volid: &str,
        confirm: Destructive,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Downloads an ISO from a URL after [`IsoFetch::validate`] and the `canUpload` gate. A 200
    /// (the file is already there) is a finished change; a 202 is waited for with
    /// [`DeviceChange::wait`].
    #[must_use = "futures do nothing unless awaited"]
    fn fetch_iso(&self, vps_id: &str, fetch: &IsoFetch) -> impl Future<Output = Result<DeviceChange>> + Send;
}

impl DevicesExt for Client {
    fn add_firewall_rule(
        &self,
        vps_id: &str,
        rule: FirewallRuleRequest,
    ) -> impl Future<Output = Result<FirewallRule>> + Send {
        firewall::add(self, vps_id, rule)
    }

    fn replace_firewall_rule(
        &self,
        vps_id: &str,
        pos: u64,
        rule: FirewallRuleRequest,
    ) -> impl Future<Output = Result<FirewallRule>> + Send {
        firewall::replace(self, vps_id, pos, rule)
    }

    async fn delete_firewall_rule(&self, vps_id: &str, pos: u64, confirm: Destructive) -> Result<()> {
        firewall::delete(self, vps_id, pos, &confirm).await
    }

    async fn set_firewall_options(
        &self,
        vps_id: &str,
        change: FirewallOptionsRequest,
        lockout: Option<Destructive>,
    ) -> Result<FirewallOptions> {
        firewall::set_options(self, vps_id, change, lockout.as_ref()).await
    }

    fn disk_budget(&self, vps_id: &str) -> impl Future<Output = Result<DiskBudget>> + Send {
        disks::budget(self, vps_id)
    }

    fn add_disk(
        &self,
        vps_id: &str,
        size_gb: u64,
        interface: Option<&str>,
    ) -> impl Future<Output = Result<DeviceChange>> + Send {
        disks::add(self, vps_id, size_gb, interface)
    }

    fn resize_disk(
        &self,
        vps_id: &str,
        disk: &str,
        size: DiskSize,
    ) -> impl Future<Output = Result<DeviceChange>> + Send {
        disks::resize(self, vps_id, disk, size)
    }

    async fn delete_disk(
        &self,
        vps_id: &str,
        disk: &str,
        keep_volume: bool,
        confirm: Destructive,
    ) -> Result<()> {
        disks::delete(self, vps_id, disk, keep_volume, &confirm).await
    }

    fn mount_iso(
        &self,
        vps_id: &str,
        iso_id: &str,
        device: Option<IsoDevice>,
    ) -> impl Future<Output = Result<DeviceChange>> + Send {
        iso::mount(self, vps_id, iso_id, device)
    }

    fn unmount_iso(
        &self,
        vps_id: &str,
        device: Option<IsoDevice>,
    ) -> impl Future<Output = Result<IsoUnmountResult>> + Send {
        iso::unmount(self, vps_id, device)
    }

    fn attach_empty_drive(&self, vps_id: &str) -> impl Future<Output = Result<DeviceChange>> + Send {
        iso::attach_empty(self, vps_id)
    }

    async fn delete_iso(&self, vps_id: &str, volid: &str, confirm: Destructive) -> Result<()> {
        iso::delete(self, vps_id, volid, &confirm).await
    }

    fn fetch_iso(&self, vps_id: &str, fetch: &IsoFetch) -> impl Future<Output = Result<DeviceChange>> + Send {
        iso::fetch(self, vps_id, fetch)
    }
}
