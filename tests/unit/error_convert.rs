//! Unit tests of `src/error/convert.rs`, which includes this file: they use its private items.

use super::*;

#[test]
fn decode_error_classifies_bodies() {
    let empty = serde_json::from_slice::<types::VpsDetails>(b"").unwrap_err();
    let d = DecodeError::from_serde(Some(StatusCode::OK), HeaderMap::new(), b"", &empty);
    assert_eq!(d.reason, "the body is empty");
    let html = b"<html>Bad gateway</html>";
    let e = serde_json::from_slice::<types::VpsDetails>(html).unwrap_err();
    let d = DecodeError::from_serde(Some(StatusCode::BAD_GATEWAY), HeaderMap::new(), html, &e);
    assert!(d.reason.starts_with("the body is not JSON"), "{}", d.reason);
    assert!(d.to_string().contains("502"));
    let truncated = br#"{"id": "vps_1", "billing": {"amount"#;
    let e = serde_json::from_slice::<types::VpsDetails>(truncated).unwrap_err();
    let d = DecodeError::from_serde(Some(StatusCode::OK), HeaderMap::new(), truncated, &e);
    assert!(d.reason.starts_with("the body is truncated"), "{}", d.reason);
}
