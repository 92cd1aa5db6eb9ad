//! Unit tests of `src/path_encoding.rs`, which includes this file: they use its private items.

use super::*;

#[test]
fn separators_and_specials_are_encoded() {
    assert_eq!(encode_path(r"x\..\y"), "x%5C..%5Cy");
    assert_eq!(encode_path("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
    assert_eq!(encode_path("vps_01hx-~.x"), "vps_01hx-~.x");
    assert_eq!(encode_path("ä"), "%C3%A4");
}
