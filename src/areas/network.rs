//! Network and reverse DNS: the PTR record of an address checked against the VPS's own addresses,
//! and the changes that take addresses or interfaces away (`change_ip`, `remove_ip`,
//! `delete_interface`) behind a [`Destructive`] confirmation. Every write reads the network state
//! first, as the docs ask, so an unknown address or interface is refused before sending. Also the
//! usage metrics, in time order.

use crate::areas::recovery::Destructive;
use crate::types::{
    ChangeIpRequest, DeleteInterfaceRequest, DeleteInterfaceRequestAction, IpAddress, MetricsTimeframe,
    NetworkChangeRequest, NetworkChangeResult, NetworkState, RemoveIpRequest, ReverseDnsName,
    UpdateRdnsRequest, UpdateRdnsRequestAction, VpsMetrics,
};
use crate::{Client, Error, Result};

impl NetworkState {
    /// Every address of every interface.
    pub fn addresses(&self) -> impl Iterator<Item = &IpAddress> {
        self.interfaces.iter().flat_map(|i| &i.ip)
    }

    /// The address whose `ip` or `id` is `ip`.
    ///
    /// ```
    /// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/getVpsNetwork.200.json"));
    /// let network: hostup::types::NetworkState = serde_json::from_str(json).unwrap();
    /// assert_eq!(network.address("203.0.113.42").unwrap().rdns.as_deref(), Some("web-01.example.com"));
    /// assert!(network.address("198.51.100.1").is_none());
    /// ```
    pub fn address(&self, ip: &str) -> Option<&IpAddress> {
        self.addresses().find(|a| a.ip.as_deref() == Some(ip) || a.id.as_deref() == Some(ip))
    }

    /// `Ok` when `ip` (an address or its `ip_...` id) is on the VPS.
    fn ensure_address(&self, field: &str, ip: &str) -> Result<()> {
        if self.address(ip).is_some() {
            return Ok(());
        }
        let listed: Vec<&str> = self.addresses().filter_map(|a| a.ip.as_deref()).collect();
        Err(Error::InvalidRequest(format!("{field}: {ip} is not an address of this VPS (it has {listed:?})")))
    }

    /// `Ok` when the interface exists; `primary` refuses the one holding the main address.
    fn ensure_interface(&self, name: &str, refuse_primary: bool) -> Result<()> {
        let Some(interface) = self.interfaces.iter().find(|i| i.id.as_deref() == Some(name)) else {
            let names: Vec<&str> = self.interfaces.iter().filter_map(|i| i.id.as_deref()).collect();
            return Err(Error::InvalidRequest(format!(
                "interfaceName: no interface {name:?} (it has {names:?})"
            )));
        };
        if refuse_primary && interface.ip.iter().any(|a| a.main == Some(true)) {
            return Err(Error::InvalidRequest(format!(
                "interfaceName: {name} holds the main address; delete_interface removes non-primary interfaces only"
            )));
        }
        Ok(())
    }
}

async fn state(client: &Client, vps_id: &str) -> Result<NetworkState> {
    Ok(client.get_vps_network().id(vps_id).send().await?.into_inner())
}

async fn send(
    client: &Client,
    vps_id: &str,
    body: impl Into<NetworkChangeRequest>,
) -> Result<NetworkChangeResult> {
    Ok(client.change_vps_network().id(vps_id).body(body.into()).send().await?.into_inner())
}

pub(crate) async fn set_reverse_dns(
    client: &Client,
    vps_id: &str,
    ip: &str,
    rdns: &str,
) -> Result<NetworkChangeResult> {
    let rdns = ReverseDnsName::try_from(rdns).map_err(|e| Error::InvalidOption {
        key: "rdns".into(),
        reason: format!("{rdns:?} is not a domain name: {e}"),
    })?;
    let ip_field =
        ip.try_into().map_err(|e| Error::InvalidOption { key: "ip".into(), reason: format!("{e}") })?;
    state(client, vps_id).await?.ensure_address("ip", ip)?;
    send(
        client,
        vps_id,
        UpdateRdnsRequest { action: UpdateRdnsRequestAction::UpdateRdns, ip: ip_field, rdns },
    )
    .await
}

pub(crate) async fn change_ip(
    client: &Client,
    vps_id: &str,
    change: ChangeIpRequest,
    confirm: &Destructive,
) -> Result<NetworkChangeResult> {
    confirm.check(vps_id, "change_ip (the old address is released unless reserveOldIp is true)")?;
    if change.ip_id.is_none() && change.ip_address.is_none() {
        return Err(Error::InvalidRequest(
            "change_ip needs ipId or ipAddress: the address to move to".into(),
        ));
    }
    if let Some(name) = &change.interface_name {
        state(client, vps_id).await?.ensure_interface(name, false)?;
    }
    send(client, vps_id, change).await
}

pub(crate) async fn remove_ip(
    client: &Client,
    vps_id: &str,
    change: RemoveIpRequest,
    confirm: &Destructive,
) -> Result<NetworkChangeResult> {
    confirm.check(vps_id, "remove_ip (the address is taken off the VPS)")?;
    let network = state(client, vps_id).await?;
    for (field, ip) in [("ipId", change.ip_id.as_deref()), ("ipAddress", change.ip_address.as_deref())] {
        if let Some(ip) = ip {
            network.ensure_address(field, ip)?;
        }
    }
    if let Some(name) = &change.interface_name {
        network.ensure_interface(name, false)?;
    }
    send(client, vps_id, change).await
}

pub(crate) async fn delete_interface(
    client: &Client,
    vps_id: &str,
    interface: &str,
    confirm: &Destructive,
) -> Result<NetworkChangeResult> {
    confirm.check(vps_id, "delete_interface (its addresses go with it)")?;
    let interface_name = interface
        .try_into()
        .map_err(|e| Error::InvalidOption { key: "interfaceName".into(), reason: format!("{e}") })?;
    state(client, vps_id).await?.ensure_interface(interface, true)?;
    send(
        client,
        vps_id,
        DeleteInterfaceRequest { action: DeleteInterfaceRequestAction::DeleteInterface, interface_name },
    )
    .await
}

pub(crate) async fn metrics(
    client: &Client,
    vps_id: &str,
    timeframe: MetricsTimeframe,
) -> Result<VpsMetrics> {
    let mut metrics = client.get_vps_metrics().id(vps_id).timeframe(timeframe).send().await?.into_inner();
    // ISO 8601 timestamps of one format sort as text.
    metrics.samples.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at));
    Ok(metrics)
}
