//! `hostup vps iso ID list|mount|unmount|attach-empty|delete|fetch`.

use hostup::prelude::*;
use hostup::types::{IsoDecompress, IsoDevice};
use hostup::{Client, IsoFetch};

use super::{Session, confirmed, finish, gate_cell, text};
use crate::args::devices::{Device, IsoCommand};
use crate::failure::Failure;

fn device(d: Option<Device>) -> Option<IsoDevice> {
    d.map(|d| match d {
        Device::Ide0 => IsoDevice::Ide0,
        Device::Ide1 => IsoDevice::Ide1,
        Device::Ide2 => IsoDevice::Ide2,
        Device::Ide3 => IsoDevice::Ide3,
    })
}

pub async fn run(client: &Client, session: &Session, id: &str, command: &IsoCommand) -> Result<(), Failure> {
    match command {
        IsoCommand::List => list(client, session, id).await,
        IsoCommand::Mount { iso, device: d, wait } => {
            let change = client.mount_iso(id, iso, device(*d)).await?;
            finish(client, session, change, wait).await
        }
        IsoCommand::Unmount { device: d } => {
            let ejected = client.unmount_iso(id, device(*d)).await?;
            session.printer.record(&ejected, &[("vps", id.to_string()), ("ejected", ejected.device.clone())])
        }
        IsoCommand::AttachEmpty { wait } => {
            let change = client.attach_empty_drive(id).await?;
            finish(client, session, change, wait).await
        }
        IsoCommand::Delete { iso } => {
            let yes =
                confirmed(session, id, &format!("delete ISO {iso}"), "the file leaves the library for good")?;
            client.delete_iso(id, iso, yes).await?;
            session.printer.record(
                &crate::output::RedactedJson(serde_json::json!({"vpsId": id, "deletedIso": iso})),
                &[("deleted", iso.clone())],
            )
        }
        IsoCommand::Fetch { url, filename, decompress, size_bytes, wait } => {
            let name = filename.clone().unwrap_or_else(|| {
                url.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("").to_string()
            });
            let mut fetch = IsoFetch::new(url, name);
            if let Some(how) = decompress {
                let how: IsoDecompress = how.parse().map_err(|_| {
                    Failure::Usage(format!("--decompress {how:?}: use none, gzip, lzo, zstd or bzip2"))
                })?;
                fetch = fetch.decompress(how);
            }
            if let Some(bytes) = size_bytes {
                fetch = fetch.size_bytes(*bytes);
            }
            let change = client.fetch_iso(id, &fetch).await?;
            finish(client, session, change, wait).await
        }
    }
}

async fn list(client: &Client, session: &Session, id: &str) -> Result<(), Failure> {
    let media = client.list_vps_iso_media().id(id).send().await?.into_inner();
    let mut fields = vec![
        ("can mount", gate_cell(Some(&media.actions.can_mount))),
        ("can upload", gate_cell(Some(&media.actions.can_upload))),
    ];
    for iso in &media.available {
        let name = iso.display_name.as_deref().or(iso.name.as_deref());
        fields.push(("iso", format!("{}  {} ({} GB)", iso.id, text(name), iso.size_gb.unwrap_or_default())));
    }
    for drive in &media.mounted {
        let what = match (drive.mounted, drive.iso_id.as_deref()) {
            (Some(true), Some(iso)) => iso.to_string(),
            _ => "empty".into(),
        };
        fields.push(("drive", format!("{}  {what}", text(drive.device.as_deref()))));
    }
    session.printer.record(&media, &fields)
}
