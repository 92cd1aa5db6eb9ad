//! Unit tests of `src/response_guard.rs`, which includes this file: they use its private items.

use super::*;

/// Regression (issue 7): a key echoed in an error body reached `Error`'s Display and Debug.
#[test]
fn error_bodies_lose_the_key_success_bodies_are_kept() {
    let key = "hu_key_0123456789";
    let body = format!(r#"{{"status": 401, "detail": "API key {key} is not valid; {key}"}}"#);
    let response =
        finish(StatusCode::UNAUTHORIZED, HeaderMap::new(), Some(body.into()), 1 << 20, false, key, true);
    let kept = &response.extensions().get::<BufferedBody>().unwrap().0;
    let text = std::str::from_utf8(kept).unwrap();
    assert!(!text.contains(key) && text.matches("[redacted]").count() == 2, "{text}");
    let ok = format!(r#"{{"note": "{key}"}}"#);
    let response =
        finish(StatusCode::OK, HeaderMap::new(), Some(ok.clone().into()), 1 << 20, false, key, true);
    assert_eq!(response.extensions().get::<BufferedBody>().unwrap().0, ok.as_bytes());
    assert_eq!(scrub(Bytes::from_static(b"short key k"), "k"), Bytes::from_static(b"short key k"));
}

/// Regression (benchmarks, per-request overhead): every success body was parsed twice, once
/// here for its syntax and once by the generated decoder; the syntax pass cost a third of the
/// decode. Now only bodies that are not shaped like a JSON document are parsed here.
#[test]
fn success_bodies_are_parsed_here_only_when_they_are_not_json_documents() {
    let fault_of = |body: &'static str| {
        let response = finish(StatusCode::OK, HeaderMap::new(), Some(body.into()), 1 << 20, false, "", true);
        response.extensions().get::<Fault>().map(|f| match &f.0 {
            Error::Decode(d) => d.reason.clone(),
            other => format!("{other:?}"),
        })
    };
    assert_eq!(fault_of(" {\"id\": \"vps_1\"}\n"), None);
    assert_eq!(fault_of("[1, 2]"), None);
    // Malformed inside an intact document: left to the generated decoder (no status then).
    assert_eq!(fault_of("{\"amount\": NaN}"), None);
    assert!(fault_of("OK").is_some());
    assert!(fault_of("").is_some());
    assert!(fault_of("<html><body>Bad gateway</body></html>").is_some());
    assert!(fault_of("{\"id\": \"vps_1\", \"usageLog\": [").is_some());
    // A bare JSON value is still accepted as before.
    assert_eq!(fault_of("\"ok\""), None);
}

#[test]
fn the_rebuilt_response_answers_for_the_request_url() {
    let url = Url::parse("http://127.0.0.1:9/api/v2/vps/v/details").unwrap();
    let response = finish(StatusCode::OK, HeaderMap::new(), Some("{}".into()), 1 << 20, false, "", true);
    assert_eq!(into_reqwest(response, Some(url.clone())).url(), &url);
}
