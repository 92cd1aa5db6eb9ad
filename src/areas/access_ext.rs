//! The access, network and metrics helpers on [`Client`], kept off its own namespace like
//! [`ClientExt`](crate::ClientExt).

use std::future::Future;

use futures::Stream;

use crate::areas::ssh_keys::{self, AddedSshKey, SshKeysReset};
use crate::areas::{guest, network};
use crate::types::{
    ChangeIpRequest, HostnameChangeResult, MetricsTimeframe, NetworkChangeResult, RemoveIpRequest, SshKey,
    SshKeyRenamed, SshPasswordLoginResult, VpsMetrics,
};
use crate::{Client, Confirmation, Destructive, Result};
#[allow(unused_imports)] // for the docs
use crate::{Error, SshKeyLine};

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Client {}
}

/// SSH keys, SSH password login, the hostname, reverse DNS and network changes, and metrics, with
/// the documented pre-checks done before sending: input against the spec's rules (a public key is
/// parsed and fingerprinted locally), then the gate the server reports. `use hostup::prelude::*;`
/// brings it into scope. Sealed.
///
/// Calls that take addresses, interfaces or installed keys away need a [`Destructive`] naming the
/// VPS; deleting an account key needs a [`Confirmation`] naming the key.
///
/// ```no_run
/// use hostup::prelude::*;
/// # async fn run(client: hostup::Client) -> hostup::Result<()> {
/// let vps = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";
/// let line = std::fs::read_to_string("/home/ops/.ssh/id_ed25519.pub").unwrap();
/// let added = client.add_ssh_key("ops-laptop", &line).await?;
/// assert_eq!(added.server_agrees(), Some(true), "the server stored another key");
/// client.set_hostname(vps, "web-01.example.com").await?;
/// client.set_reverse_dns(vps, "203.0.113.42", "web-01.example.com").await?;
/// # Ok(()) }
/// ```
pub trait AccessExt: sealed::Sealed {
    /// The account's SSH keys, `page_size` (1 to 100) at a time, following `nextCursor`.
    ///
    /// # Errors
    /// Each item: the page request's error, [`Error::InvalidRequest`] for a page size out of
    /// range, [`Error::Pagination`] on a repeated cursor.
    #[must_use = "streams do nothing unless polled"]
    fn ssh_key_stream(&self, page_size: u64) -> impl Stream<Item = Result<SshKey>> + Send + Unpin + 'static;

    /// Adds a public key (a `.pub` file's line) under `name`, after checking it with
    /// [`SshKeyLine::parse`]. The answer carries the local fingerprint:
    /// [`AddedSshKey::server_agrees`] says whether the server computed the same one.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] (`name` or `publicKey`) before sending.
    #[must_use = "futures do nothing unless awaited"]
    fn add_ssh_key(&self, name: &str, public_key: &str) -> impl Future<Output = Result<AddedSshKey>> + Send;

    /// Renames an account key after checking its `actions.canRename`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for an empty name, [`Error::InvalidRequest`] for a key not on the
    /// account, [`Error::Blocked`] for a closed gate.
    #[must_use = "futures do nothing unless awaited"]
    fn rename_account_ssh_key(
        &self,
        key_id: &str,
        name: &str,
    ) -> impl Future<Output = Result<SshKeyRenamed>> + Send;

    /// Deletes an account key after checking its `actions.canDelete`. VPSes that hold the key
    /// keep it until their keys are reset.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a confirmation naming another key or an unknown key,
    /// [`Error::Blocked`] for a closed gate.
    #[must_use = "futures do nothing unless awaited"]
    fn delete_account_ssh_key(
        &self,
        key_id: &str,
        confirm: Confirmation,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Replaces the keys installed on a VPS with `key_ids` (account keys, `ssh_...`): the keys not
    /// named lose access, and the VPS may restart to apply them (the legacy twin does). Checks
    /// `actions.canResetSshKeys` and that every id is listed for the VPS. The answer's operation
    /// is followed with [`SshKeysReset::wait`].
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for no ids, unknown ids or a confirmation for another VPS,
    /// [`Error::Blocked`] for a closed gate.
    #[must_use = "futures do nothing unless awaited"]
    fn replace_vps_ssh_keys(
        &self,
        vps_id: &str,
        key_ids: &[&str],
        confirm: Destructive,
    ) -> impl Future<Output = Result<SshKeysReset>> + Send;

    /// Allows (`true`) or refuses (`false`) root password login over SSH; key login keeps working.
    /// Reads the live state once for `available` and the `canEnable`/`canDisable` gate (the read
    /// reaches into the guest, so never poll it). Check `lastOperation.verified` in the answer.
    ///
    /// # Errors
    /// [`Error::Blocked`] naming `available` (no guest agent) or the gate, with reason and code.
    #[must_use = "futures do nothing unless awaited"]
    fn set_ssh_password_login(
        &self,
        vps_id: &str,
        enabled: bool,
    ) -> impl Future<Output = Result<SshPasswordLoginResult>> + Send;

    /// Changes the hostname after checking it against the spec's rule ([`hostname`](crate::hostname)),
    /// `actions.canChange`, and the server's own `validationRules`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] (key `hostname`) naming the rule, [`Error::Blocked`].
    #[must_use = "futures do nothing unless awaited"]
    fn set_hostname(
        &self,
        vps_id: &str,
        hostname: &str,
    ) -> impl Future<Output = Result<HostnameChangeResult>> + Send;

    /// Sets the PTR record of `ip` (an address or `ip_...` id on the VPS) to `rdns`.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] (`rdns`, `ip`) for a malformed value, [`Error::InvalidRequest`]
    /// for an address the VPS does not hold.
    #[must_use = "futures do nothing unless awaited"]
    fn set_reverse_dns(
        &self,
        vps_id: &str,
        ip: &str,
        rdns: &str,
    ) -> impl Future<Output = Result<NetworkChangeResult>> + Send;

    /// Moves an interface to another address (`change_ip`); the old one is released unless
    /// `reserveOldIp` is true.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] without `ipId`/`ipAddress`, for an unknown interface, or a
    /// confirmation for another VPS.
    #[must_use = "futures do nothing unless awaited"]
    fn change_ip(
        &self,
        vps_id: &str,
        change: ChangeIpRequest,
        confirm: Destructive,
    ) -> impl Future<Output = Result<NetworkChangeResult>> + Send;

    /// Takes an address off the VPS (`remove_ip`).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an address or interface the VPS does not have, or a
    /// confirmation for another VPS.
    #[must_use = "futures do nothing unless awaited"]
    fn remove_ip(
        &self,
        vps_id: &str,
        change: RemoveIpRequest,
        confirm: Destructive,
    ) -> impl Future<Output = Result<NetworkChangeResult>> + Send;

    /// Removes a non-primary interface and its addresses (`delete_interface`).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an unknown interface, the one holding the main address, or a
    /// confirmation for another VPS.
    #[must_use = "futures do nothing unless awaited"]
    fn delete_interface(
        &self,
        vps_id: &str,
        interface: &str,
        confirm: Destructive,
    ) -> impl Future<Output = Result<NetworkChangeResult>> + Send;

    /// The usage series over `timeframe`, samples in time order.
    ///
    /// ```no_run
    /// use hostup::prelude::*;
    /// use hostup::types::MetricsTimeframe;
    /// # async fn run(client: hostup::Client) -> hostup::Result<()> {
    /// let day = client.vps_metrics("vps_01hxa3b4c5d6e7f8g9h0j1k2m3", MetricsTimeframe::Day).await?;
    /// let peak = day.samples.iter().map(|s| s.cpu_usage_percent).fold(0.0, f64::max);
    /// println!("CPU peaked at {peak:.1} %");
    /// # Ok(()) }
    /// ```
    #[must_use = "futures do nothing unless awaited"]
    fn vps_metrics(
        &self,
        vps_id: &str,
        timeframe: MetricsTimeframe,
    ) -> impl Future<Output = Result<VpsMetrics>> + Send;
}

impl AccessExt for Client {
    fn ssh_key_stream(&self, page_size: u64) -> impl Stream<Item = Result<SshKey>> + Send + Unpin + 'static {
        ssh_keys::stream(self.clone(), page_size)
    }

    fn add_ssh_key(&self, name: &str, public_key: &str) -> impl Future<Output = Result<AddedSshKey>> + Send {
        ssh_keys::add(self, name, public_key)
    }

    fn rename_account_ssh_key(
        &self,
        key_id: &str,
        name: &str,
    ) -> impl Future<Output = Result<SshKeyRenamed>> + Send {
        ssh_keys::rename(self, key_id, name)
    }

    async fn delete_account_ssh_key(&self, key_id: &str, confirm: Confirmation) -> Result<()> {
        ssh_keys::delete(self, key_id, &confirm).await
    }

    async fn replace_vps_ssh_keys(
        &self,
        vps_id: &str,
        key_ids: &[&str],
        confirm: Destructive,
    ) -> Result<SshKeysReset> {
        ssh_keys::reset(self, vps_id, key_ids, &confirm).await
    }

    fn set_ssh_password_login(
        &self,
        vps_id: &str,
        enabled: bool,
    ) -> impl Future<Output = Result<SshPasswordLoginResult>> + Send {
        guest::set_password_login(self, vps_id, enabled)
    }

    fn set_hostname(
        &self,
        vps_id: &str,
        hostname: &str,
    ) -> impl Future<Output = Result<HostnameChangeResult>> + Send {
        guest::set_hostname(self, vps_id, hostname)
    }

    fn set_reverse_dns(
        &self,
        vps_id: &str,
        ip: &str,
        rdns: &str,
    ) -> impl Future<Output = Result<NetworkChangeResult>> + Send {
        network::set_reverse_dns(self, vps_id, ip, rdns)
    }

    async fn change_ip(
        &self,
        vps_id: &str,
        change: ChangeIpRequest,
        confirm: Destructive,
    ) -> Result<NetworkChangeResult> {
        network::change_ip(self, vps_id, change, &confirm).await
    }

    async fn remove_ip(
        &self,
        vps_id: &str,
        change: RemoveIpRequest,
        confirm: Destructive,
    ) -> Result<NetworkChangeResult> {
        network::remove_ip(self, vps_id, change, &confirm).await
    }

    async fn delete_interface(
        &self,
        vps_id: &str,
        interface: &str,
        confirm: Destructive,
    ) -> Result<NetworkChangeResult> {
        network::delete_interface(self, vps_id, interface, &confirm).await
    }

    fn vps_metrics(
        &self,
        vps_id: &str,
        timeframe: MetricsTimeframe,
    ) -> impl Future<Output = Result<VpsMetrics>> + Send {
        network::metrics(self, vps_id, timeframe)
    }
}
