//! A create whose answer never arrived: `hostup vps create` against a server that reads the
//! deployment and drops the connection. The CLI cannot tell whether the VPS exists, says so with
//! the name to look for, sends nothing again, and exits 6 (not 1, which means HostUp refused).

use std::io::Write;
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use crate::common::read_request;

fn fixture(name: &str) -> String {
    let path = format!("{}/../openapi/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// Answers the deployment options and limits from the spec's examples, and drops every POST
/// after reading it. Returns the base URL and the request lines seen.
fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (options, limits) = (fixture("getPaygDeploymentOptions.200.json"), fixture("getPaygLimits.200.json"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let line = read_request(&mut stream);
            log.lock().unwrap().push(line.clone());
            let body = match line.split(' ').nth(1).unwrap_or("") {
                _ if line.starts_with("POST") => continue, // dropped: no answer at all
                "/api/v2/vps/payg/deployments" => &options,
                "/api/v2/vps/payg/limits" => &limits,
                _ => "{}",
            };
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (base, seen)
}

#[test]
fn a_create_whose_answer_never_arrived_exits_6_and_names_what_to_look_for() {
    let (base, seen) = serve();
    let output = Command::new(env!("CARGO_BIN_EXE_hostup"))
        .args(["vps", "create", "--name", "web-07", "--cpu", "2", "--memory", "4", "--storage", "80"])
        .env("HOSTUP_BASE_URL", &base)
        .env("HOSTUP_API_KEY", "hu_test_key")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("may have been created") && stderr.contains("web-07"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing is reported as created");
    let posts = seen.lock().unwrap().iter().filter(|l| l.starts_with("POST")).count();
    assert_eq!(posts, 1, "the deployment is sent once, never again: {:?}", seen.lock().unwrap());
}

#[test]
fn the_help_lists_exit_code_6() {
    let output = Command::new(env!("CARGO_BIN_EXE_hostup")).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.lines().any(|l| l.trim_start().starts_with("6 ")), "{help}");
}
