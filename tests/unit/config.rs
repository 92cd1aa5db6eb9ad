//! Unit tests of `src/config.rs`, which includes this file: they use its private items.

use super::*;

#[test]
fn missing_and_empty_keys_name_the_source() {
    let err = ClientBuilder::new().build().unwrap_err();
    assert!(err.to_string().contains("HOSTUP_API_KEY"), "{err}");
    let err = ClientBuilder::new().api_key("  ").build().unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
}

/// Issue 12, item 11: a key that is not UTF-8 is reported as such, not as missing. (The only
/// test of this crate that sets the variable.)
#[cfg(unix)]
#[test]
fn a_key_that_is_not_utf8_is_named_as_such() {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: no other test of this binary reads or writes the environment.
    unsafe { std::env::set_var(ENV_API_KEY, std::ffi::OsStr::from_bytes(b"hu_\xff\xfe")) };
    let err = ClientBuilder::from_env().build().unwrap_err();
    unsafe { std::env::remove_var(ENV_API_KEY) };
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");
}

#[test]
fn base_url_rules() {
    assert!(check_base_url("https://cloud.hostup.se", false, "u").is_ok());
    assert!(check_base_url("http://127.0.0.1:8080", false, "u").is_ok());
    assert!(check_base_url("http://[::1]:8080", false, "u").is_ok());
    assert!(check_base_url("http://localhost:1", false, "u").is_ok());
    let err = check_base_url("http://example.com", false, "u").unwrap_err();
    assert!(err.to_string().contains("clear text"), "{err}");
    assert!(check_base_url("http://example.com", true, "u").is_ok());
    assert!(check_base_url("ftp://example.com", false, "u").is_err());
    assert!(check_base_url("https://user:pw@example.com", false, "u").is_err());
    assert!(check_base_url("not a url", false, "u").is_err());
}

#[test]
fn debug_never_shows_the_key() {
    let builder = ClientBuilder::new().api_key("sk-very-secret");
    assert!(!format!("{builder:?}").contains("sk-very-secret"));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains("sk-very-secret"));
}
