//! Bodies far over the cap, with and without Content-Length: refused with a decode error that keeps
//! the status, the client stops reading early (the server could not deliver most of the body), and
//! the call's peak heap growth stays near the cap.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hostup::{Client, Error};

use crate::alloc::peak_growth;
use crate::support::{HANG_GUARD, KEY, VPS_ID, fast_retries};

const CAP: usize = 1 << 20;
const TOTAL: usize = 256 << 20;
const CHUNK: usize = 64 << 10;

/// A server on its own OS thread (so its buffers are not counted) that answers every connection
/// with a `TOTAL`-byte body, and records how many body bytes each connection took.
fn huge_server(status: u16, chunked: bool) -> (String, Arc<Mutex<Vec<usize>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(Mutex::new(Vec::new()));
    let log = written.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let framing = if chunked {
                "transfer-encoding: chunked".to_string()
            } else {
                format!("content-length: {TOTAL}")
            };
            let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{framing}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            log.lock().unwrap().push(pour(&mut stream, chunked));
        }
    });
    (base, written)
}

/// Writes body bytes until `TOTAL` or until the client stops reading; returns how many went out.
fn pour(stream: &mut std::net::TcpStream, chunked: bool) -> usize {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let mut data = vec![b'x'; CHUNK];
    data[..9].copy_from_slice(b"{\"pad\":\"x");
    let mut sent = 0;
    while sent < TOTAL {
        let frame = if chunked {
            [format!("{CHUNK:x}\r\n").as_bytes(), &data, b"\r\n"].concat()
        } else {
            data.clone()
        };
        if stream.write_all(&frame).is_err() {
            break;
        }
        sent += CHUNK;
    }
    sent
}

fn capped_client(base: &str) -> Client {
    let builder = Client::builder().api_key(KEY).base_url(base).retry(fast_retries());
    builder.max_body_bytes(CAP).build().unwrap()
}

/// Runs one GET on a current-thread runtime and measures its peak heap growth.
fn measured_call(base: &str) -> (Error, usize) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = capped_client(base);
    peak_growth(|| {
        runtime.block_on(async {
            let call = client.get_vps_details().id(VPS_ID).send();
            let result = tokio::time::timeout(HANG_GUARD, call).await.expect("hung");
            result.unwrap_err()
        })
    })
}

fn check(status: u16, chunked: bool, connections: usize) {
    let (base, written) = huge_server(status, chunked);
    let (err, peak) = measured_call(&base);
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.status.map(|s| s.as_u16()), Some(status));
    assert!(d.reason.contains(&format!("{CAP}-byte limit")), "{}", d.reason);
    assert!(d.excerpt.len() < 1024, "no huge excerpt");
    assert!(peak < 32 << 20, "the call grew the heap by {peak} bytes for a {CAP}-byte cap");
    // Give the server thread a moment to notice the closed connection.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while written.lock().unwrap().len() < connections && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let written = written.lock().unwrap().clone();
    println!("status {status}, chunked {chunked}: peak heap growth {peak} bytes, server wrote {written:?}");
    assert_eq!(written.len(), connections, "{written:?}");
    for sent in written {
        assert!(sent < TOTAL / 4, "the server poured {sent} bytes: the client kept reading");
    }
}

#[test]
fn a_huge_body_with_content_length_is_refused_without_reading_it() {
    check(200, false, 1);
}

#[test]
fn a_huge_chunked_body_is_refused_once_past_the_cap() {
    check(200, true, 1);
}

#[test]
fn a_huge_error_page_is_refused_and_a_get_retries_it() {
    check(502, true, 3);
}

#[tokio::test]
async fn an_oversized_header_block_is_a_transport_error() {
    let junk = "a".repeat(2 << 20);
    let reply = crate::support::http(200, &[("x-junk", &junk)], "{}");
    let server = crate::support::ScriptServer::start(vec![reply]).await;
    let client = capped_client(&server.base);
    let call = client.get_vps_details().id(VPS_ID).send();
    let err = crate::support::guard(call).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(server.count(), 3, "a GET is retried");
}
