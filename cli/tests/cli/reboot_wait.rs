//! `hostup vps restart --wait` against a server that gives nothing to follow but the VPS's status
//! (no operation in the 202): the command reports done only after it saw the reboot, and says so
//! when it never did.

use std::io::Write;
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::read_request;

const VPS_ID: &str = "vps_01hxa3b4c5d6e7f8g9h0j1k2m3";

/// A server for one VPS whose status polls answer `states` in order (the last repeats).
fn serve(states: &'static [&'static str]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let details = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/examples/getVpsDetails.200.json"
    ))
    .unwrap();
    let polls = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let line = read_request(&mut stream);
            let (status, body) = if line.contains("/details") {
                (200, details.clone())
            } else if line.starts_with("POST") {
                (202, "{}".to_string())
            } else {
                let n = polls.fetch_add(1, Ordering::SeqCst);
                (200, format!(r#"{{"id": "{VPS_ID}", "powerState": "{}"}}"#, states[n.min(states.len() - 1)]))
            };
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    base
}

fn restart_and_wait(base: &str, timeout: &str) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args(["vps", "restart", VPS_ID, "--wait", "--timeout", timeout])
        .env("HOSTUP_BASE_URL", base)
        .env("HOSTUP_API_KEY", "hu_test_key")
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (output.status.code().unwrap_or(-1), text(&output.stdout), text(&output.stderr))
}

#[test]
fn a_restart_never_seen_is_not_reported_done() {
    let (code, stdout, stderr) = restart_and_wait(&serve(&["running"]), "2");
    assert_eq!(code, 4, "a wait that timed out: {stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("no reboot seen"), "{stderr}");
}

#[test]
fn a_restart_seen_going_down_and_up_is_done() {
    let (code, stdout, stderr) = restart_and_wait(&serve(&["running", "stopping", "running"]), "30");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("power   running"), "{stdout}");
}
