//! Unit tests of `src/runtime.rs`, which includes this file: they use its private items.

use super::*;

fn op(path: &'static str) -> OperationSpec {
    let replay_safe = operations::ReplaySafe::Always;
    OperationSpec {
        id: "x",
        name: "x",
        method: "GET",
        path,
        legacy_auth: false,
        scopes: &[],
        public: false,
        replay_safe,
    }
}

/// Issue 12, item 10: however a client was put together, the key goes only to its origin.
#[test]
fn requests_to_another_origin_are_refused() {
    let base = Url::parse("https://cloud.hostup.se/stem").unwrap();
    assert!(check_origin(&base, &Url::parse("https://cloud.hostup.se:443/stem/api").unwrap()).is_ok());
    for other in ["http://cloud.hostup.se/stem", "https://evil.example/stem", "https://cloud.hostup.se:8443/"]
    {
        let err = check_origin(&base, &Url::parse(other).unwrap()).unwrap_err();
        assert!(err.contains("refusing to send credentials"), "{other}: {err}");
    }
}

#[test]
fn path_check_accepts_encoded_ids_and_refuses_escapes() {
    let o = op("/api/v2/vps/{id}/details");
    assert!(check_path("", &o, "/api/v2/vps/vps_1/details").is_ok());
    assert!(check_path("", &o, "/api/v2/vps/a%2Fb%3F%23/details").is_ok());
    assert!(check_path("/stem", &o, "/stem/api/v2/vps/v/details").is_ok());
    assert!(check_path("", &o, "/api/v2/details").is_err()); // `..` collapsed
    assert!(check_path("", &o, "/api/v2/vps/details").is_err()); // `.` collapsed
    assert!(check_path("", &o, "/api/v2/vps//details").is_err()); // empty id
    assert!(check_path("/stem", &o, "/api/v2/vps/v/details").is_err());
}
