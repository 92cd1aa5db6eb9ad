//! Unit tests of `src/redact.rs`, which includes this file: they use its private items.

use super::*;
use serde_json::json;

#[test]
fn pointers_with_wildcards_redact_every_match() {
    let mut value = json!({"items": [{"pw": "a"}, {"pw": null}, {}], "map": {"x": {"pw": 1}}});
    redact_pointers(&mut value, &["/items/*/pw", "/map/*/pw", "/absent/pw"]);
    assert_eq!(value, json!({"items": [{"pw": REDACTED}, {"pw": null}, {}], "map": {"x": {"pw": REDACTED}}}));
}

#[test]
fn lookup_by_schema_name() {
    assert_eq!(secret_pointers("VpsDetails"), ["/access/rootPassword"]);
    assert!(secret_pointers("VpsStatus").is_empty() && secret_pointers("NoSuchSchema").is_empty());
    assert!(SECRET_FIELD_NAMES.contains(&"rootPassword"));
}
