//! The ISO helpers (DevicesExt) and the SSH key reset against scripted servers: URL, size and gate
//! checks before a download, a 200 "already there" never polled and a 202 followed, mounts and
//! deletes of listed ISOs and drives, and a key reset followed like any operation.

use hostup::prelude::*;
use hostup::types::IsoDevice;
use hostup::{Destructive, Error, IsoFetch};
use serde_json::{Value, json};

use crate::devices_helpers::{blocked, calls, closed, fast, invalid_field, job, ok};
use crate::support::*;

const V: &str = VPS_ID;
const ISO: &str = "iso_01hxa3b4c5d6e7f8g9h0j1k2m3";

fn media(can_mount: Value, can_upload: Value) -> Reply {
    let mut media = fixture_json("listVpsIsoMedia.200");
    media["actions"] = json!({"canMount": can_mount, "canUpload": can_upload});
    ok(media)
}

#[tokio::test]
async fn iso_downloads_are_checked_and_a_200_is_already_finished() {
    let open = || json!({"allowed": true, "reason": null});
    let s = ScriptServer::start(vec![media(open(), closed())]).await;
    let c = client(&s.base);
    for url in ["ftp://example.com/a.iso", "file:///etc/passwd", "not a url", "https://"] {
        assert_eq!(
            invalid_field(&c.fetch_iso(V, &IsoFetch::new(url, "a.iso")).await.unwrap_err()),
            "url",
            "{url}"
        );
    }
    let huge = IsoFetch::new("https://example.com/a.iso", "a.iso").size_bytes(21 * 1024 * 1024 * 1024);
    assert_eq!(invalid_field(&c.fetch_iso(V, &huge).await.unwrap_err()), "sizeBytes");
    assert_eq!(
        invalid_field(&c.fetch_iso(V, &IsoFetch::new("http://example.com/a.iso", "")).await.unwrap_err()),
        "filename"
    );
    assert_eq!(s.count(), 0);
    let fetch = IsoFetch::new(
        "https://example.com/downloads/ubuntu-24.04-live-server-amd64.iso",
        "ubuntu-24.04-live-server-amd64.iso",
    )
    .decompress(hostup::types::IsoDecompress::None);
    assert_eq!(blocked(&c.fetch_iso(V, &fetch).await.unwrap_err()), ("canUpload", Some("pending_order")));

    // 200: the file is there; waiting asks nothing more.
    let s =
        ScriptServer::start(vec![media(open(), open()), ok(fixture_json("fetchVpsIsoFromUrl.200"))]).await;
    let change = client(&s.base).fetch_iso(V, &fetch).await.unwrap();
    assert!(change.is_finished() && change.status == 200);
    change.wait(&client(&s.base), fast()).await.unwrap();
    assert_eq!(s.count(), 2);
    assert_eq!(
        serde_json::from_str::<Value>(&s.seen()[1].body).unwrap(),
        fixture_json("fetchVpsIsoFromUrl.request")
    );
    // A 200 that names an in-between status is still "already there": never polled.
    let odd = ok(json!({"operation": {"status": "queued", "jobId": "job_9", "pollUrl": null}}));
    let s = ScriptServer::start(vec![media(open(), open()), odd]).await;
    let change = client(&s.base).fetch_iso(V, &fetch).await.unwrap();
    assert!(change.is_finished(), "{change:?}");
    change.wait(&client(&s.base), fast().with_max_wait(std::time::Duration::from_secs(2))).await.unwrap();
    assert_eq!(s.count(), 2, "no job poll");
    assert_eq!(change.operation.unwrap().job_id, "job_9");
    // 202: followed through pollUrl until the job completes.
    let s = ScriptServer::start(vec![
        media(open(), open()),
        json(202, &fixture("fetchVpsIsoFromUrl.202")),
        job("completed"),
    ])
    .await;
    let change = client(&s.base).fetch_iso(V, &fetch).await.unwrap();
    assert!(!change.is_finished());
    change.wait(&client(&s.base), fast()).await.unwrap();
    assert_eq!(calls(&s)[2], "GET /api/jobs/job_01hxa3b4c5d6e7f8g9h0j1k2m3");
    // A download that fails is OperationFailed with the job's message.
    let failed = ok(
        json!({"operation": {"status": "failed", "jobId": "job_1", "pollUrl": "/api/jobs/job_1", "result": {"message": "404 from the origin"}}}),
    );
    let s = ScriptServer::start(vec![
        media(open(), open()),
        json(202, &fixture("fetchVpsIsoFromUrl.202")),
        failed,
    ])
    .await;
    let change = client(&s.base).fetch_iso(V, &fetch).await.unwrap();
    let err = change.wait(&client(&s.base), fast()).await.unwrap_err();
    assert!(
        matches!(&err, Error::OperationFailed { detail, .. } if detail == "404 from the origin"),
        "{err:?}"
    );
}

#[tokio::test]
async fn mounts_and_deletes_name_listed_isos_and_drives() {
    let open = || json!({"allowed": true, "reason": null});
    let s = ScriptServer::start(vec![media(closed(), open())]).await;
    let err = client(&s.base).mount_iso(V, ISO, None).await.unwrap_err();
    assert_eq!(blocked(&err), ("canMount", Some("pending_order")));
    let s = ScriptServer::start(vec![media(open(), open())]).await;
    let c = client(&s.base);
    assert!(c.mount_iso(V, "iso_gone", None).await.unwrap_err().to_string().contains("no ISO \"iso_gone\""));
    let err = c.mount_iso(V, ISO, Some(IsoDevice::Ide0)).await.unwrap_err();
    assert!(err.to_string().contains("no CD/DVD drive ide0"), "{err}");
    assert!(c.delete_iso(V, "iso_gone", Destructive::confirm(V)).await.is_err());
    assert!(c.delete_iso(V, ISO, Destructive::confirm("vps_other")).await.is_err());
    assert!(calls(&s).iter().all(|c| c.starts_with("GET")), "{:?}", calls(&s));

    let s = ScriptServer::start(vec![
        media(open(), open()),
        ok(fixture_json("mountVpsIso.200")),
        ok(fixture_json("unmountVpsIso.200")),
        ok(fixture_json("attachVpsEmptyDrive.200")),
        media(open(), open()),
        http(204, &[], ""),
    ])
    .await;
    let c = client(&s.base);
    let mounted = c.mount_iso(V, ISO, Some(IsoDevice::Ide2)).await.unwrap();
    assert!(mounted.is_finished() && mounted.answer["device"] == "ide2");
    assert_eq!(c.unmount_iso(V, None).await.unwrap().device, "ide2");
    assert_eq!(c.attach_empty_drive(V).await.unwrap().answer["device"], "ide3");
    c.delete_iso(V, ISO, Destructive::confirm(V)).await.unwrap();
    let seen = calls(&s);
    assert_eq!(seen[1], format!("POST /api/v2/vps/{V}/iso/actions/mount"));
    let sent: Value = serde_json::from_str(&s.seen()[1].body).unwrap();
    assert_eq!(sent, json!({"isoId": ISO, "device": "ide2"}));
    assert_eq!(s.seen()[2].body, "{}");
    assert_eq!(seen[5], format!("DELETE /api/v2/vps/{V}/iso/{ISO}"));
}

#[tokio::test]
async fn a_key_reset_is_followed_like_other_operations() {
    let key = "ssh_01hxa3b4c5d6e7f8g9h0j1k2m3";
    let vps_keys =
        || ok(json!({"sshKeys": [{"id": key, "name": "laptop", "publicKey": "x", "fingerprint": "f"}]}));
    let s = ScriptServer::start(vec![
        ok(fixture_json("getVpsDetails.200")),
        vps_keys(),
        json(202, &fixture("resetVpsSshKeys.202")),
        job("in_progress"),
        job("completed"),
    ])
    .await;
    let c = client(&s.base);
    let reset = c.replace_vps_ssh_keys(V, &[key], Destructive::confirm(V)).await.unwrap();
    assert!(!reset.is_finished() && reset.vps_id == V);
    reset.wait(&c, fast()).await.unwrap();
    assert_eq!(
        calls(&s)[3..],
        ["GET /api/jobs/job_01hxa3b4c5d6e7f8g9h0j1k2m3", "GET /api/jobs/job_01hxa3b4c5d6e7f8g9h0j1k2m3"]
    );
    assert_eq!(calls(&s).iter().filter(|c| c.starts_with("POST")).count(), 1, "never resent");
    // A stopped VPS takes the keys at its next boot: completed at once, nothing to poll.
    let done = json!({"operation": {"status": "completed", "jobId": "job_2", "pollUrl": "/api/jobs/job_2"}});
    let s = ScriptServer::start(vec![
        ok(fixture_json("getVpsDetails.200")),
        vps_keys(),
        json(202, &done.to_string()),
    ])
    .await;
    let reset = client(&s.base).replace_vps_ssh_keys(V, &[key], Destructive::confirm(V)).await.unwrap();
    assert!(reset.is_finished());
    reset.wait(&client(&s.base), fast()).await.unwrap();
    assert_eq!(s.count(), 3);
    // A failed job is the job's failure, not a success.
    let s = ScriptServer::start(vec![
        ok(fixture_json("getVpsDetails.200")),
        vps_keys(),
        json(202, &fixture("resetVpsSshKeys.202")),
        ok(json!({"operation": {"status": "failed", "jobId": "j", "pollUrl": "/api/jobs/j", "result": {"message": "agent gone"}}})),
    ])
    .await;
    let reset = client(&s.base).replace_vps_ssh_keys(V, &[key], Destructive::confirm(V)).await.unwrap();
    assert!(matches!(reset.wait(&client(&s.base), fast()).await, Err(Error::OperationFailed { .. })));
}
