//! Disks: adding one checks the size against the spec's bounds, the `canAddDisk` gate, and the
//! quota the billing model draws on (the attachable pool of a fixed-cycle VPS, the account's
//! PAYG storage limit of a Cloud VPS), naming which one is short; resizing checks the disk's
//! `canResize` gate and, for a non-root disk of a fixed-cycle VPS, the pool; deleting needs a
//! confirmation and never touches the root disk.

use crate::areas::devices::{DeviceChange, DeviceWork, invalid, refused, within};
use crate::error::QuotaExceeded;
use crate::gates::DiskGate;
use crate::limits::{
    DISK_ADD_REQUEST_SIZE_GB_MAX, DISK_ADD_REQUEST_SIZE_GB_MIN, DISK_RESIZE_REQUEST_SIZE_GB_MAX,
    DISK_RESIZE_REQUEST_SIZE_GB_MIN,
};
use crate::types::{DiskAddRequest, DiskResizeRequest, PaygLimitType, VpsDisk};
use crate::{Action, BillingModel, Client, Destructive, Error, Result};

/// How to buy attachable storage, for refusals (the docs' advice: buy first, then read the quota
/// again; never retry with another size).
const BUY_STORAGE: &str = "buy Attachable Block Storage through the `additionalStorageGb` option \
     (ClientExt::preview_resources, then Quote::commit) and read the storage quota again";

impl VpsDisk {
    /// True for the root disk (`bootOrder` 1, as the docs' example marks it): never detachable,
    /// and grown through the `storageGb` option when its gate says so.
    pub fn is_root(&self) -> bool {
        self.boot_order == Some(1.0)
    }

    /// Whether this disk is the one `disk` names: its public id (preferred) or its slot name.
    pub fn is_named(&self, disk: &str) -> bool {
        self.id.as_deref() == Some(disk) || self.name.as_deref() == Some(disk)
    }

    /// Its size in GB, when reported.
    pub fn size_gb(&self) -> Option<f64> {
        self.capacity.as_ref().map(|c| c.total_gb)
    }
}

/// The quota a new disk, or the growth of a non-root disk, draws on.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DiskBudget {
    /// A fixed-cycle VPS: the purchased Attachable Block Storage pool
    /// (`storage-quota` `attachable.availableGb`).
    Attachable {
        /// GB still free.
        available_gb: f64,
        /// GB bought in all.
        purchased_gb: f64,
    },
    /// A PAYG Cloud VPS: the account's PAYG storage limit (`payg/limits` `remaining.storageGb`).
    PaygStorage {
        /// GB still free on the account.
        remaining_gb: i64,
        /// The account's ceiling.
        max_gb: i64,
    },
}

impl DiskBudget {
    /// The quota's name in the API (`attachable.availableGb`, `remaining.storageGb`).
    pub fn quota(&self) -> &'static str {
        match self {
            DiskBudget::Attachable { .. } => "attachable.availableGb",
            DiskBudget::PaygStorage { .. } => "remaining.storageGb",
        }
    }

    /// GB left to draw on.
    pub fn available_gb(&self) -> f64 {
        match self {
            DiskBudget::Attachable { available_gb, .. } => *available_gb,
            DiskBudget::PaygStorage { remaining_gb, .. } => *remaining_gb as f64,
        }
    }

    /// `Ok` when `needed_gb` fits.
    ///
    /// ```
    /// use hostup::DiskBudget;
    /// let pool = DiskBudget::Attachable { available_gb: 10.0, purchased_gb: 10.0 };
    /// assert!(pool.ensure_fits(10).is_ok());
    /// let err = pool.ensure_fits(11).unwrap_err();
    /// assert!(err.to_string().contains("attachable.availableGb"));
    /// ```
    ///
    /// # Errors
    /// [`Error::Blocked`] naming `attachable.availableGb` with how to buy more (fixed cycle), or
    /// [`Error::QuotaExceeded`] for `storageGb` with how to ask for more (PAYG).
    pub fn ensure_fits(&self, needed_gb: u64) -> Result<()> {
        if needed_gb as f64 <= self.available_gb() {
            return Ok(());
        }
        match self {
            DiskBudget::Attachable { available_gb, purchased_gb } => Err(refused(
                "attachable.availableGb",
                format!(
                    "{needed_gb} GB needed but only {available_gb} GB of the {purchased_gb} GB attachable \
                     storage pool is free; {BUY_STORAGE}"
                ),
                None,
            )),
            DiskBudget::PaygStorage { remaining_gb, max_gb } => {
                Err(Error::QuotaExceeded(Box::new(QuotaExceeded {
                    limit_type: PaygLimitType::StorageGb,
                    requested: i64::try_from(needed_gb).unwrap_or(i64::MAX),
                    remaining: *remaining_gb,
                    max: *max_gb,
                })))
            }
        }
    }
}

pub(crate) async fn budget(client: &Client, vps_id: &str) -> Result<DiskBudget> {
    let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
    budget_for(client, vps_id, details.billing_model()).await
}

async fn budget_for(client: &Client, vps_id: &str, model: BillingModel) -> Result<DiskBudget> {
    if model == BillingModel::Payg {
        let limits = client.get_payg_limits().send().await?.into_inner();
        return Ok(DiskBudget::PaygStorage {
            remaining_gb: limits.remaining.storage_gb,
            max_gb: limits.max.storage_gb,
        });
    }
    let quota = client.get_vps_storage_quota().id(vps_id).send().await?.into_inner();
    let pool = quota.attachable;
    Ok(DiskBudget::Attachable { available_gb: pool.available_gb, purchased_gb: pool.purchased_gb })
}

async fn disks(client: &Client, vps_id: &str) -> Result<Vec<VpsDisk>> {
    Ok(client.list_vps_disks().id(vps_id).send().await?.into_inner())
}

fn find<'a>(disks: &'a [VpsDisk], disk: &str) -> Result<&'a VpsDisk> {
    disks.iter().find(|d| d.is_named(disk)).ok_or_else(|| {
        let listed: Vec<&str> = disks.iter().filter_map(|d| d.id.as_deref().or(d.name.as_deref())).collect();
        Error::InvalidRequest(format!("no disk {disk:?} on this VPS (listed: {listed:?})"))
    })
}

pub(crate) async fn add(
    client: &Client,
    vps_id: &str,
    size_gb: u64,
    interface: Option<&str>,
) -> Result<DeviceChange> {
    within("sizeGb", size_gb, DISK_ADD_REQUEST_SIZE_GB_MIN, DISK_ADD_REQUEST_SIZE_GB_MAX)?;
    let interface = interface
        .map(|i| i.parse().map_err(|e| invalid("interface", format!("{i:?} is {e}"))))
        .transpose()?;
    let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
    details.ensure_allowed(Action::AddDisk)?;
    budget_for(client, vps_id, details.billing_model()).await?.ensure_fits(size_gb)?;
    let size = std::num::NonZeroU64::new(size_gb).ok_or_else(|| invalid("sizeGb", "0 GB"))?;
    let body = DiskAddRequest { size_gb: size, interface };
    // A POST: never sent twice once it may have reached the server. A PAYG storage limit spent
    // meanwhile comes back as 403 `cloud_storage_limit_exceeded` (see `ApiError::refused_gate`).
    let answer = client.add_vps_disk().id(vps_id).body(body).send().await?;
    let status = answer.status().as_u16();
    let answer = answer.into_inner();
    Ok(DeviceChange::new(vps_id, DeviceWork::AddDisk, status, answer.operation.clone(), &answer))
}

/// A disk's new size: an absolute target, or GB to add.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskSize {
    /// Grow to this many GB.
    To(u64),
    /// Grow by this many GB (`incremental: true`).
    By(u64),
}

pub(crate) async fn resize(
    client: &Client,
    vps_id: &str,
    disk: &str,
    size: DiskSize,
) -> Result<DeviceChange> {
    let (value, incremental) = match size {
        DiskSize::To(gb) => (gb, false),
        DiskSize::By(gb) => (gb, true),
    };
    within("sizeGb", value, DISK_RESIZE_REQUEST_SIZE_GB_MIN, DISK_RESIZE_REQUEST_SIZE_GB_MAX)?;
    let listed = disks(client, vps_id).await?;
    let chosen = find(&listed, disk)?;
    DiskGate::Resize.check(&chosen.actions)?;
    let current = chosen.size_gb().unwrap_or(0.0);
    let growth = if incremental { value as f64 } else { value as f64 - current };
    if growth <= 0.0 {
        return Err(invalid(
            "sizeGb",
            format!("disks only grow: {value} GB is not above the current {current} GB"),
        ));
    }
    if !chosen.is_root() {
        let details = client.get_vps_details().id(vps_id).send().await?.into_inner();
        if details.billing_model() != BillingModel::Payg {
            budget_for(client, vps_id, details.billing_model()).await?.ensure_fits(growth.ceil() as u64)?;
        }
    }
    let disk_id = chosen.id.clone().unwrap_or_else(|| disk.to_string());
    let size = std::num::NonZeroU64::new(value).ok_or_else(|| invalid("sizeGb", "0 GB"))?;
    let body = DiskResizeRequest { disk_id, size_gb: size, incremental: incremental.then_some(true) };
    let answer = client.resize_vps_disk().id(vps_id).body(body).send().await?;
    let status = answer.status().as_u16();
    let answer = answer.into_inner();
    Ok(DeviceChange::new(vps_id, DeviceWork::ResizeDisk, status, answer.operation.clone(), &answer))
}

pub(crate) async fn delete(
    client: &Client,
    vps_id: &str,
    disk: &str,
    keep_volume: bool,
    confirm: &Destructive,
) -> Result<()> {
    confirm.check(vps_id, "deleting a disk")?;
    let listed = disks(client, vps_id).await?;
    let chosen = find(&listed, disk)?;
    if chosen.is_root() {
        return Err(refused(DiskGate::Detach.gate_name(), "the root disk is never detachable".into(), None));
    }
    DiskGate::Detach.check(&chosen.actions)?;
    // The docs prefer the public id in the path; a slot name is for old integrations.
    let name = chosen.id.clone().unwrap_or_else(|| disk.to_string());
    let request = client.delete_vps_disk().id(vps_id).disk_name(name);
    let request = if keep_volume { request.keep_volume(true) } else { request };
    request.send().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_billing_model_names_its_quota() {
        let payg = DiskBudget::PaygStorage { remaining_gb: 5, max_gb: 100 };
        let Err(Error::QuotaExceeded(q)) = payg.ensure_fits(6) else { panic!() };
        assert_eq!((q.limit_type.clone(), q.requested, q.remaining), (PaygLimitType::StorageGb, 6, 5));
        assert!(payg.ensure_fits(5).is_ok());
        let pool = DiskBudget::Attachable { available_gb: 0.0, purchased_gb: 0.0 };
        let err = pool.ensure_fits(1).unwrap_err();
        assert!(err.to_string().contains("additionalStorageGb"), "{err}");
        assert_eq!(pool.quota(), "attachable.availableGb");
    }

    #[test]
    fn the_root_disk_is_boot_order_one() {
        let disk: VpsDisk = serde_json::from_str(
            &serde_json::from_str::<serde_json::Value>(include_str!(
                "../../openapi/examples/listVpsDisks.200.json"
            ))
            .unwrap()[0]
                .to_string(),
        )
        .unwrap();
        assert!(
            disk.is_root() && disk.is_named("scsi0") && disk.is_named("vpsdisk_01hxa3b4c5d6e7f8g9h0j1k2m3")
        );
        assert_eq!(disk.size_gb(), Some(80.0));
    }
}
