//! Unit tests of `src/secret.rs`, which includes this file: they use its private items.

use super::*;

#[test]
fn debug_and_display_hide_the_value() {
    let s = Secret::new("swordfish");
    assert!(!format!("{s:?} {s} {s:#?}").contains("swordfish"));
}

#[test]
fn round_trips_through_json() {
    let s: Secret = serde_json::from_str("\"swordfish\"").unwrap();
    assert_eq!(s.expose(), "swordfish");
    assert_eq!(serde_json::to_string(&s).unwrap(), "\"swordfish\"");
}
