//! Secrets never show in Debug output, error messages or logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use hostup::Error;
use serde_json::json;

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
        let err = client.get_vps_details().id(VPS_ID).send().await.unwrap_err();
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

/// What a user's `main` returning `Box<dyn Error>` (or anyhow) does with a call's error.
async fn details_boxed(client: &hostup::Client) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    client.get_vps_details().id(VPS_ID).send().await?;
    Ok(())
}

/// `{}`, `{:?}` and `{:#?}` of an error and of every source in its chain.
fn everything_shown(err: &(dyn std::error::Error + 'static)) -> String {
    let mut shown = String::new();
    let mut next = Some(err);
    while let Some(e) = next {
        shown.push_str(&format!("{e}\n{e:?}\n{e:#?}\n"));
        next = e.source();
    }
    shown
}

/// Issue 12: a 200 whose body no longer decodes (one field of another type, as after a change on
/// HostUp's side) and carries `access.rootPassword`. Whatever the broken field, wherever the
/// password sits, whatever its type, and with the API key echoed in the body: nothing the user
/// can print shows either.
#[tokio::test]
async fn an_undecodable_success_body_leaks_nothing_through_box_dyn_error() {
    const PASSWORD: &str = "initial-password-from-panel";
    let base = fixture_json("getVpsDetails.200");
    assert_eq!(base["access"]["rootPassword"], PASSWORD, "the fixture carries the password");
    let broken = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut body = base.clone();
        edit(&mut body);
        json(200, &body.to_string())
    };
    let replies = vec![
        // The case: another field changed type; the password is in the body.
        broken(&|b| b["billing"]["amount"] = json!("ninety-nine")),
        // The broken field sits right beside the password, so the excerpt window covers it.
        broken(&|b| b["access"]["username"] = json!(17)),
        // The password itself changed type: serde's message would quote it.
        broken(&|b| b["access"]["rootPassword"] = json!(987_654_321)),
        broken(&|b| b["access"]["rootPassword"] = json!({"value": PASSWORD})),
        // The key echoed back in a body that does not decode.
        broken(&|b| {
            b["hostname"] = json!(KEY);
            b["cpuCores"] = json!("two");
        }),
        broken(&|b| b["hostname"] = json!([KEY, 1])),
    ];
    let cases = replies.len();
    let server = ScriptServer::start(replies).await;
    let client = client(&server.base);
    for case in 0..cases {
        let err = details_boxed(&client).await.unwrap_err();
        let typed = err.downcast_ref::<Error>().expect("a hostup::Error inside the box");
        assert!(matches!(typed, Error::Decode(_)), "case {case}: {typed:?}");
        let shown = everything_shown(err.as_ref());
        assert!(!shown.contains(PASSWORD), "case {case}: root password leaked: {shown}");
        assert!(!shown.contains("987654321"), "case {case}: numeric password leaked: {shown}");
        assert!(!shown.contains(KEY), "case {case}: API key leaked: {shown}");
        assert!(shown.contains("did not decode"), "case {case}: {shown}");
    }
}
