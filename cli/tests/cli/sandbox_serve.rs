//! `hostup sandbox serve` as a process: it prints its URL first, serves the CLI and plain HTTP
//! clients, and ends cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// A raw HTTP/1.1 GET, so the test needs no HTTP client: the status line and headers.
fn get(base: &str, path: &str, key: &str) -> String {
    let address = base.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn serve_prints_its_url_serves_and_stops_on_sigterm() {
    let mut server = Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args([
            "sandbox",
            "serve",
            "--port",
            "0",
            "--api-key",
            "k_test",
            "--seed",
            "7",
            "--rate-limit",
            "50/60",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let url = url.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "first line: {url:?}");

    let answer = get(&url, "/api/v2/vps", "k_test");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("x-ratelimit-limit: 50\r\n"), "{answer}");
    assert!(get(&url, "/api/v2/vps", "wrong").starts_with("HTTP/1.1 401"));

    // The CLI itself, pointed at the server.
    let list = Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args(["-o", "json", "vps", "list"])
        .env("HOSTUP_BASE_URL", &url)
        .env("HOSTUP_API_KEY", "k_test")
        .output()
        .unwrap();
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let vps: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(vps.as_array().map(Vec::len), Some(8));

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = server.wait().unwrap();
    let mut stderr = String::new();
    server.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(stderr.contains("SIGTERM received, stopped"), "{stderr}");
    assert!(!stderr.contains("k_test"), "the key given is not echoed: {stderr}");
    assert!(TcpStream::connect(url.strip_prefix("http://").unwrap()).is_err(), "the port is closed");
}

#[test]
fn a_bad_rate_limit_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args(["sandbox", "serve", "--rate-limit", "fast"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("REQUESTS/SECONDS"));
}
