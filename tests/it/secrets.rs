//! Secrets never show in Debug output, error messages or logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use hostup::Error;

use hostup::ResultExt;

use crate::support::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn key_and_root_password_never_leak() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // With exactly one registered dispatcher, tracing caches a callsite's interest from whichever
    // thread hits it first; another test's thread (no subscriber) could switch it off for all. A
    // second, silent dispatcher keeps interest decided per call.
    let silent = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(std::io::sink);
    let _second = tracing::Dispatch::new(silent.finish());

    let mut leaky = fixture_json("getVpsDetails.200");
    leaky["billing"]["amount"] = serde_json::json!("x"); // forces a decode error carrying an excerpt
    let server = ScriptServer::start(vec![
        json(200, &fixture("getVpsDetails.200")),
        json(200, &leaky.to_string()),
        json(401, &fixture("getVpsDetails.401")),
        json(503, "{}"),
    ])
    .await;
    let client = client(&server.base);
    let vps = client.get_vps_details().id(VPS_ID).send().await.unwrap();
    let mut seen = format!("{vps:?} {:?} {client:?}", vps.access);
    for _ in 0..3 {
        let err = client.get_vps_details().id(VPS_ID).send().await.value().unwrap_err();
        seen.push_str(&format!("{err} {err:?} {err:#?}"));
    }
    let config_err = hostup::Client::builder().api_key(format!("{KEY}\n")).build().unwrap_err();
    seen.push_str(&config_err.to_string());
    seen.push_str(&String::from_utf8_lossy(&logs.0.lock().unwrap()));

    assert!(seen.contains("hostup.request"), "tracing captured nothing");
    assert!(!seen.contains(KEY), "API key leaked");
    assert!(!seen.contains("initial-password-from-panel"), "root password leaked");
    // The key did go out, on the wire only.
    assert_eq!(server.seen()[0].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused() {
    let err = hostup::Client::builder().api_key(KEY).base_url("http://cloud.hostup.se").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(err.to_string().contains("clear text"), "{err}");
}
