//! ISO library writes as quotes: downloading an ISO from a URL, deleting one the owner uploaded,
//! and attaching an empty CD/DVD drive. The previews run the library's checks on a fresh read
//! (the URL and size rules, the `canUpload` and `canMount` gates, the ISO listed, a free drive
//! slot); the commits call its helpers, which check again and never resend.

use hostup::gates::IsoGate;
use hostup::prelude::*;
use hostup::types::{IsoDecompress, IsoMedia};
use hostup::{Client, Destructive, IsoFetch};
use serde_json::json;

use super::{VPS_ID, device_change, redacted};
use crate::args::Args;
use crate::refusal::Refusal;
use crate::registry::{Preview, ToolDef};
use crate::schemas::InputSchema;

/// The CD/DVD slots a VPS may have.
const SLOTS: usize = 4;

/// This area's tools.
pub fn tools() -> Vec<ToolDef> {
    let input = |operation: &str| InputSchema::of(operation).describe("id", VPS_ID);
    let size = json!({
        "type": "integer", "minimum": 1,
        "description": "The file's size in bytes when known (a Content-Length): above 20 GB is refused.",
    });
    vec![
        ToolDef::preview(
            "preview_iso_fetch",
            "Checks a download of a public ISO into the owner's library: `url` (http or https, no \
             redirect), `filename`, `decompress` when it is compressed, the size when known (sizeBytes, \
             at most 20 GB), and the canUpload gate (list_iso_media). Returns a quote with a token; \
             `commit` starts the download and answers the change to follow (get_job), or a finished one \
             when a file of that name is already there.",
            input("fetchVpsIsoFromUrl").with("sizeBytes", size, false),
            fetch,
        ),
        ToolDef::preview(
            "preview_iso_delete",
            "DESTRUCTIVE: deletes the ISO `volid` (list_iso_media `available[].id`) from the owner's \
             library for good; only ISOs the owner uploaded can be, and not while a drive holds it \
             (preview_iso_unmount first). Checks the canUpload gate and that it is listed, and returns a \
             quote with a token; `commit` deletes it.",
            input("deleteVpsIso").describe("volid", "The ISO's id from list_iso_media `available[].id`."),
            delete,
        ),
        ToolDef::preview(
            "preview_iso_attach_drive",
            "Checks that the VPS can take another empty CD/DVD drive (the canMount gate, a free slot of \
             four; list_iso_media `availableDevices`) and returns a quote with a token; `commit` attaches \
             it and answers the change to follow. The VPS may need a restart to see it.",
            input("attachVpsEmptyDrive"),
            attach,
        ),
    ]
}

async fn media(client: &Client, id: &str) -> Result<IsoMedia, Refusal> {
    Ok(client.list_vps_iso_media().id(id).send().await?.into_inner())
}

async fn fetch(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let url = args.string("url")?;
    let filename = args.string("filename")?;
    let mut request = IsoFetch::new(&url, &filename);
    if let Some(how) = args.opt::<IsoDecompress>("decompress")? {
        request = request.decompress(how);
    }
    if let Some(bytes) = args.opt::<u64>("sizeBytes")? {
        request = request.size_bytes(bytes);
    }
    request.validate()?;
    let listed = media(&client, &id).await?;
    IsoGate::Upload.check(&listed.actions)?;
    let mut warnings =
        vec!["HostUp downloads the file itself; only fetch a URL the owner trusts".to_string()];
    if listed.available.iter().any(|i| i.name.as_deref() == Some(filename.as_str())) {
        warnings.push(format!("{filename} is in the library already: the download answers it as finished"));
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "url": url, "filename": filename }),
        cost: None,
        warnings,
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { device_change(&client.fetch_iso(&id, &request).await?) })
        }),
    })
}

async fn delete(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let volid = args.string("volid")?;
    let listed = media(&client, &id).await?;
    IsoGate::Upload.check(&listed.actions)?;
    listed.ensure_listed(&volid)?;
    let iso = listed.available.iter().find(|i| i.id == volid).map(redacted).transpose()?;
    let mut warnings =
        vec!["deletes the ISO from the library for good; fetch it again to get it back".to_string()];
    if listed.mounted.iter().any(|m| m.iso_id.as_deref() == Some(volid.as_str())) {
        warnings.push(
            "a drive holds it now: the server refuses the delete (iso_in_use) until it is ejected".into(),
        );
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "delete": iso }),
        cost: None,
        warnings,
        destructive: true,
        commit: Box::new(move |client| {
            Box::pin(async move {
                client.delete_iso(&id, &volid, Destructive::confirm(&id)).await?;
                Ok(json!({ "vpsId": id, "deleted": volid }))
            })
        }),
    })
}

async fn attach(client: Client, args: Args) -> Result<Preview, Refusal> {
    let id = args.string("id")?;
    let listed = media(&client, &id).await?;
    IsoGate::Mount.check(&listed.actions)?;
    let drives = listed.available_devices.len();
    if drives >= SLOTS {
        return Err(Refusal::new(
            "blocked",
            "no_free_cdrom_slot",
            format!("{id} has a drive in each of its {SLOTS} CD/DVD slots"),
            "Nothing was sent. Use a drive it has (list_iso_media `availableDevices`).",
        )
        .with_details(json!({ "gate": "availableDevices" })));
    }
    Ok(Preview {
        quote: json!({ "vpsId": id, "drivesNow": drives, "freeSlots": SLOTS - drives }),
        cost: None,
        warnings: vec!["the guest may need a restart to see the new drive".into()],
        destructive: false,
        commit: Box::new(move |client| {
            Box::pin(async move { device_change(&client.attach_empty_drive(&id).await?) })
        }),
    })
}
