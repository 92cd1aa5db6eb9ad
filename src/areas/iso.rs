//! ISO media: mounting checks the `canMount` gate and that the ISO and drive are listed; a
//! download from a URL checks the URL (http or https, the spec's pattern), the file's size when
//! the caller knows it (at most the spec's 20 GB) and the `canUpload` gate. The download's 200
//! ("already there") is a finished operation; its 202 is followed like any job.

use crate::areas::devices::{DeviceChange, DeviceWork, invalid};
use crate::gates::IsoGate;
use crate::limits::ISO_FETCH_BOUNDS_FILE_SIZE_GB_MAX;
use crate::types::{
    IsoDecompress, IsoDevice, IsoFetchRequest, IsoMedia, IsoMountRequest, IsoUnmountRequest,
    IsoUnmountResult, Operation, OperationStatus,
};
use crate::{Client, Destructive, Error, Result};

/// Bytes in a GB as the size check counts them (GiB: the lenient reading of "20 GB", so a file
/// the server would take is never refused here).
const GB: f64 = 1024.0 * 1024.0 * 1024.0;

/// A public ISO to download into the VPS owner's library.
///
/// ```
/// let fetch = hostup::IsoFetch::new("https://example.com/ubuntu.iso", "ubuntu.iso").size_bytes(6_000_000_000);
/// assert!(fetch.validate().is_ok());
/// let err = hostup::IsoFetch::new("ftp://example.com/a.iso", "a.iso").validate().unwrap_err();
/// assert!(err.to_string().contains("url"));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct IsoFetch {
    url: String,
    filename: String,
    decompress: Option<IsoDecompress>,
    size_bytes: Option<u64>,
}

impl IsoFetch {
    /// `url` to fetch, stored as `filename`.
    pub fn new(url: impl Into<String>, filename: impl Into<String>) -> Self {
        Self { url: url.into(), filename: filename.into(), decompress: None, size_bytes: None }
    }

    /// How the file is compressed (the server unpacks it).
    pub fn decompress(mut self, how: IsoDecompress) -> Self {
        self.decompress = Some(how);
        self
    }

    /// The file's size, when known (a `Content-Length`, a listing): checked against the limit.
    pub fn size_bytes(mut self, bytes: u64) -> Self {
        self.size_bytes = Some(bytes);
        self
    }

    /// The request body, after every check that needs no server.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] naming `url` (not http/https, no host, the spec's pattern),
    /// `filename` (empty) or `sizeBytes` (above the limit).
    pub fn validate(&self) -> Result<IsoFetchRequest> {
        let parsed = reqwest::Url::parse(&self.url)
            .map_err(|e| invalid("url", format!("{:?} is not a URL: {e}", self.url)))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(
                "url",
                format!("scheme {:?} is not allowed: http or https only", parsed.scheme()),
            ));
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(invalid("url", format!("{:?} names no host", self.url)));
        }
        if let Some(bytes) = self.size_bytes {
            let gb = bytes as f64 / GB;
            if gb > ISO_FETCH_BOUNDS_FILE_SIZE_GB_MAX {
                return Err(invalid(
                    "sizeBytes",
                    format!(
                        "the file is {gb:.1} GB; a download from a URL may be at most {ISO_FETCH_BOUNDS_FILE_SIZE_GB_MAX} GB"
                    ),
                ));
            }
        }
        let url = self.url.parse().map_err(|e| invalid("url", format!("{:?} is {e}", self.url)))?;
        let filename =
            self.filename.parse().map_err(|e| invalid("filename", format!("{:?} is {e}", self.filename)))?;
        Ok(IsoFetchRequest { url, filename, decompress: self.decompress })
    }
}

impl IsoMedia {
    /// `Ok` when `iso_id` is in the library and, when given, `device` is one of the VPS's CD/DVD
    /// slots; and `actions.canMount` is open.
    ///
    /// # Errors
    /// [`Error::Blocked`] for the gate, [`Error::InvalidRequest`] for an unknown ISO or drive.
    pub fn ensure_can_mount(&self, iso_id: &str, device: Option<IsoDevice>) -> Result<()> {
        IsoGate::Mount.check(&self.actions)?;
        self.ensure_listed(iso_id)?;
        if let Some(device) = device {
            let slots: Vec<&str> =
                self.available_devices.iter().filter_map(|d| d.device.as_deref()).collect();
            if !slots.is_empty() && !slots.contains(&device.to_string().as_str()) {
                return Err(Error::InvalidRequest(format!(
                    "the VPS has no CD/DVD drive {device} (drives: {slots:?}); attach an empty drive first"
                )));
            }
        }
        Ok(())
    }

    /// `Ok` when `iso_id` is listed (in the library or in a drive).
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] naming the ISOs listed.
    pub fn ensure_listed(&self, iso_id: &str) -> Result<()> {
        let mounted = self.mounted.iter().filter_map(|m| m.iso_id.as_deref());
        if self.available.iter().any(|i| i.id == iso_id) || mounted.clone().any(|m| m == iso_id) {
            return Ok(());
        }
        let listed: Vec<&str> = self.available.iter().map(|i| i.id.as_str()).chain(mounted).collect();
        Err(Error::InvalidRequest(format!("no ISO {iso_id:?} in the library (listed: {listed:?})")))
    }
}

async fn list(client: &Client, vps_id: &str) -> Result<IsoMedia> {
    Ok(client.list_vps_iso_media().id(vps_id).send().await?.into_inner())
}

pub(crate) async fn mount(
    client: &Client,
    vps_id: &str,
    iso_id: &str,
    device: Option<IsoDevice>,
) -> Result<DeviceChange> {
    let body = IsoMountRequest {
        iso_id: iso_id.parse().map_err(|e| invalid("isoId", format!("{iso_id:?} is {e}")))?,
        device,
    };
    list(client, vps_id).await?.ensure_can_mount(iso_id, device)?;
    let answer = client.mount_vps_iso().id(vps_id).body(body).send().await?;
    let status = answer.status().as_u16();
    let answer = answer.into_inner();
    Ok(DeviceChange::new(vps_id, DeviceWork::MountIso, status, answer.operation.clone(), &answer))
}

pub(crate) async fn unmount(
    client: &Client,
    vps_id: &str,
    device: Option<IsoDevice>,
) -> Result<IsoUnmountResult> {
    let body = IsoUnmountRequest { device };
    Ok(client.unmount_vps_iso().id(vps_id).body(body).send().await?.into_inner())
}

pub(crate) async fn attach_empty(client: &Client, vps_id: &str) -> Result<DeviceChange> {
    let answer = client.attach_vps_empty_drive().id(vps_id).send().await?;
    let status = answer.status().as_u16();
    let answer = answer.into_inner();
    Ok(DeviceChange::new(vps_id, DeviceWork::AttachDrive, status, answer.operation.clone(), &answer))
}

pub(crate) async fn delete(client: &Client, vps_id: &str, volid: &str, confirm: &Destructive) -> Result<()> {
    confirm.check(vps_id, "deleting an ISO")?;
    list(client, vps_id).await?.ensure_listed(volid)?;
    client.delete_vps_iso().id(vps_id).volid(volid).send().await?;
    Ok(())
}

pub(crate) async fn fetch(client: &Client, vps_id: &str, fetch: &IsoFetch) -> Result<DeviceChange> {
    let body = fetch.validate()?;
    IsoGate::Upload.check(&list(client, vps_id).await?.actions)?;
    let answer = client.fetch_vps_iso_from_url().id(vps_id).body(body).send().await?;
    let status = answer.status().as_u16();
    let answer = answer.into_inner();
    // 200: the file is already there, a finished operation with `pollUrl: null`, so a 200 is
    // never polled whatever in-between status it carries (a failure stays one). 202: follow it.
    let operation = answer.operation.as_ref().map(|op| Operation {
        status: match &op.status {
            OperationStatus::Failed => OperationStatus::Failed,
            _ if status == 200 => OperationStatus::Completed,
            other => other.clone(),
        },
        job_id: op.job_id.clone(),
        poll_url: op.poll_url.clone().unwrap_or_default(),
        result: op.result.clone(),
    });
    Ok(DeviceChange::new(vps_id, DeviceWork::FetchIso, status, operation, &answer))
}
