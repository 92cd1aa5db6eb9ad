//! No secret (the API key, other keys, root and legacy passwords) in any `Debug`, `Display`, error or
//! TRACE log line, across the whole public API against the sandbox; the secrets do travel in the
//! raw bodies, so their absence elsewhere is redaction, not luck.

use std::time::Duration;

use hostup::prelude::*;
use hostup::{Client, CommitOptions, Error, PowerAction, ResourceChange, RetryPolicy, WaitOptions};
use hostup_sandbox::{Sandbox, fleet};

use crate::support::*;

const SANDBOX_KEY: &str = "hu_sandbox_reliability_Xq93LmP0";
const WRONG_KEY: &str = "hu_wrong_key_Vb27Kd";

/// Everything printed, and the secrets that must not be in it.
#[derive(Default)]
struct Seen(String);

impl Seen {
    fn debug(&mut self, value: &impl std::fmt::Debug) {
        self.0.push_str(&format!("{value:?}\n{value:#?}\n"));
    }
    fn result<T: std::fmt::Debug>(&mut self, result: &hostup::Result<T>) {
        match result {
            Ok(value) => self.debug(value),
            Err(e) => self.error(e),
        }
    }
    fn error(&mut self, e: &Error) {
        self.0.push_str(&format!("{e}\n{e:?}\n{e:#?}\n"));
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            self.0.push_str(&format!("{s}\n{s:?}\n"));
            source = s.source();
        }
    }
}

fn quick() -> WaitOptions {
    WaitOptions::default().with_poll_interval(Duration::from_millis(10), Duration::from_millis(40))
}

fn keyed(sandbox: &Sandbox, key: &str, retry: RetryPolicy) -> Client {
    Client::builder().api_key(key).base_url(sandbox.url()).retry(retry).build().unwrap()
}

async fn reads(c: &Client, seen: &mut Seen) {
    seen.result(&c.all_vps().await);
    for id in fleet::ALL {
        seen.result(&c.get_vps_details().id(id).send().await);
        seen.result(&c.get_vps().id(id).send().await);
        seen.result(&c.get_vps_status().id(id).send().await);
    }
    let legacy = c.get_legacy_vm_details().vmid(fleet::LEGACY_VMID).send().await.unwrap().into_inner();
    seen.debug(&legacy);
    seen.debug(&legacy.data.as_ref().map(|d| d.view()));
    seen.result(&c.get_legacy_vm_details().vmid(999_999u64).send().await);
}

async fn changes(c: &Client, seen: &mut Seen) {
    let change = ResourceChange::new().set("snapshotSlots", 2);
    let quote = c.preview_resources_checked(fleet::MONTHLY_SEK, &change).await.unwrap();
    seen.debug(&quote);
    seen.result(&quote.commit(c, CommitOptions::default()).await);
    let blocked = c.preview_resources(fleet::OVERDUE, &change).await.unwrap();
    seen.result(&blocked.commit(c, CommitOptions::default()).await);
    let bad = ResourceChange::new().set("gpuCount", 1);
    seen.result(&c.preview_resources_checked(fleet::MONTHLY_SEK, &bad).await);
    let fixed = c.get_vps_details().id(fleet::MONTHLY_SEK).send().await.unwrap().into_inner();
    seen.result(&c.resize_cpu_memory(&fixed, 4, 8).await);
    let payg = c.get_vps_details().id(fleet::PAYG_CLOUD).send().await.unwrap().into_inner();
    seen.result(&c.change_billing_cycle(&payg, hostup::types::BillingCycleChoice::Annually, true).await);
    seen.result(&c.get_vps().id("..").send().await);
}

async fn power(c: &Client, seen: &mut Seen) {
    seen.result(&c.power(fleet::MONTHLY_SEK, PowerAction::Start).await); // Blocked: running
    seen.result(&c.start_vps().id(fleet::MONTHLY_SEK).send().await); // 409
    let op = c.power(fleet::QUARTERLY_EUR, PowerAction::Start).await.unwrap();
    seen.debug(&op);
    seen.result(&op.wait(c, quick()).await);
}

async fn faults(sandbox: &Sandbox, c: &Client, seen: &mut Seen) {
    let id = fleet::MONTHLY_SEK;
    seen.result(&keyed(sandbox, WRONG_KEY, fast_retries()).get_vps().id(id).send().await);
    let reader = keyed(sandbox, &sandbox.key_with_scopes(&["read:vm"]), fast_retries());
    seen.result(&reader.restart_vps().id(id).send().await);
    seen.result(&c.get_vps_details().id("vps_01doesnotexist0000000000000").send().await);
    let knobs = sandbox.faults();
    let knobs_on: [fn(&hostup_sandbox::Faults); 3] =
        [|f| f.set_error_rate(1.0), |f| f.set_html_errors(true), |f| f.set_drop_rate(1.0)];
    for set in knobs_on {
        set(knobs);
        seen.result(&c.get_vps().id("vps_01doesnotexist0000000000000").send().await);
        seen.result(&c.get_legacy_vm_details().vmid(fleet::LEGACY_VMID).send().await);
        knobs.clear();
    }
    knobs.set_latency(Duration::from_millis(300));
    let hasty =
        Client::builder().api_key(SANDBOX_KEY).base_url(sandbox.url()).timeout(Duration::from_millis(50));
    let hasty = hasty.retry(RetryPolicy::disabled()).build().unwrap();
    seen.result(&hasty.get_vps_details().id(id).send().await);
    knobs.clear();
    // One client spends the budget; a fresh one (which knows no budget) gets the 429, whose wait
    // is past its cap, and then a client-side refusal (the client holds back for the cap, which is
    // past the call's deadline).
    sandbox.set_rate_limit(1, Duration::from_secs(30));
    seen.result(&c.get_vps_details().id(id).send().await);
    let policy =
        fast_retries().with_max_retry_after(Duration::from_secs(5)).with_deadline(Duration::from_secs(1));
    let capped = keyed(sandbox, SANDBOX_KEY, policy);
    for _ in 0..2 {
        seen.result(&capped.get_vps_details().id(id).send().await);
    }
    sandbox.set_rate_limit(1000, Duration::from_secs(60));
    let with_newline = Client::builder().api_key(format!("{SANDBOX_KEY}\n")).build();
    seen.result(&with_newline);
    let in_url = format!("https://user:{SANDBOX_KEY}@cloud.hostup.se");
    seen.result(&Client::builder().api_key(SANDBOX_KEY).base_url(in_url).build());
    seen.result(
        &Client::builder().api_key(SANDBOX_KEY).base_url(format!("http://x/?k={SANDBOX_KEY}")).build(),
    );
}

#[tokio::test]
async fn no_secret_in_any_debug_display_error_or_log_line() {
    let (logs, _guard) = capture_logs();
    let sandbox = Sandbox::builder()
        .api_key(SANDBOX_KEY)
        .job_duration(Duration::from_millis(40))
        .record_exchanges(true)
        .start()
        .await;
    let client = keyed(&sandbox, SANDBOX_KEY, fast_retries());
    let mut seen = Seen::default();
    guard(reads(&client, &mut seen)).await;
    guard(changes(&client, &mut seen)).await;
    guard(power(&client, &mut seen)).await;
    guard(faults(&sandbox, &client, &mut seen)).await;
    seen.debug(&client);
    seen.debug(&sandbox);
    seen.debug(&client.rate_limit());

    let passwords: Vec<String> = (1..=8).map(|n| format!("sandbox-root-password-{n}")).collect();
    let raw: String =
        sandbox.exchanges().iter().map(|e| String::from_utf8_lossy(&e.body).into_owned()).collect();
    for password in &passwords {
        assert!(raw.contains(&format!("\"rootPassword\":\"{password}\"")), "{password} was never served");
    }
    assert!(raw.contains("\"rootpassword\":\"sandbox-root-password-8\""), "legacy rootpassword");
    assert!(raw.contains("\"password\":\"sandbox-root-password-8\""), "legacy password");

    let logs = logs.text();
    assert!(
        logs.contains("hostup.request") && logs.contains("retrying"),
        "tracing captured too little: {}",
        &logs[..logs.len().min(3000)]
    );
    for (name, text) in [("debug/display/errors", &seen.0), ("logs", &logs)] {
        for secret in passwords.iter().map(String::as_str).chain([SANDBOX_KEY, WRONG_KEY]) {
            assert!(!text.contains(secret), "{secret} leaked into the {name}");
        }
        assert!(!text.contains("hu_sandbox_"), "a sandbox key leaked into the {name}");
    }
    for kind in
        ["HostUp API error 401", "HostUp API error 403", "HostUp API error 404", "HostUp API error 409"]
    {
        assert!(seen.0.contains(kind), "no {kind} was exercised");
    }
    for variant in
        ["Blocked(", "WrongBillingModel(", "InvalidOption", "InvalidRequest(", "Config(", "Timeout("]
    {
        assert!(seen.0.contains(variant), "no {variant} was exercised");
    }
    for variant in ["Legacy(", "Decode(", "Transport(", "status: 429", "status: 503", "RateLimited("] {
        assert!(seen.0.contains(variant), "no {variant} was exercised");
    }
}

/// A server that echoes the key back in an error body (some do: "key … is invalid") must not
/// make the client print it.
#[tokio::test]
async fn a_key_echoed_in_an_error_body_is_not_printed() {
    let v2 = format!(r#"{{"status": 401, "code": "unauthorized", "detail": "API key {KEY} is not valid."}}"#);
    let legacy =
        format!(r#"{{"error": "Unauthorized", "message": "Invalid key {KEY}", "code": "UNAUTHORIZED"}}"#);
    let server = ScriptServer::start(vec![json(401, &v2), http(401, &[], &legacy)]).await;
    let c = client(&server.base);
    let a = error(guard(c.get_vps().id(VPS_ID).send()).await);
    let b = error(guard(c.get_legacy_vm_details().vmid(10415u64).send()).await);
    for err in [a, b] {
        assert!(matches!(err, Error::Api(_) | Error::Legacy(_)), "{err:?}");
        let printed = format!("{err} {err:?}");
        assert!(!printed.contains(KEY), "the echoed key is printed: {printed}");
        assert!(printed.contains("[redacted]"), "{printed}");
    }
}

/// Passwords near a decode error are blanked in the excerpt, v2 and legacy alike.
#[tokio::test]
async fn passwords_next_to_a_decode_error_are_blanked() {
    let v2 = r#"{"id": "vps_1", "access": {"username": "root", "rootPassword": "pw-v2-Hk31"}, "billing": 7}"#;
    let legacy = r#"{"success": true, "data": {"details": {"username": "root", "password": "pw-legacy-Jq8",
        "rootpassword": "pw-root-Mz4"}, "cpu": true}}"#;
    let server = ScriptServer::start(vec![json(200, v2), json(200, legacy)]).await;
    let c = client_with(&server.base, RetryPolicy::disabled());
    let a = error(guard(c.get_vps_details().id(VPS_ID).send()).await);
    let b = error(guard(c.get_legacy_vm_details().vmid(10415u64).send()).await);
    for err in [a, b] {
        let Error::Decode(d) = &err else { panic!("{err:?}") };
        assert!(d.excerpt.contains("[redacted]"), "{}", d.excerpt);
        let printed = format!("{err} {err:?}");
        for secret in ["pw-v2-Hk31", "pw-legacy-Jq8", "pw-root-Mz4"] {
            assert!(!printed.contains(secret), "{secret}: {printed}");
        }
    }
}
