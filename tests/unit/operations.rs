//! Unit tests of `src/operations.rs`, which includes this file: they use its private items.

use super::*;

#[test]
fn table_knows_the_seed_operations() {
    let details = find("get_vps_details").unwrap();
    assert_eq!(details.path, "/api/v2/vps/{id}/details");
    assert_eq!(details.scopes, ["read:vm"]);
    assert!(!details.legacy_auth);
    assert!(find("get_legacy_vm_details").unwrap().legacy_auth);
    assert_eq!(find("change_vps_resources").unwrap().method, "POST");
    assert!(find("getVpsDetails").is_none(), "one canonical name");
    assert_eq!(details.replay_safe, ReplaySafe::Always);
    assert_eq!(find("change_vps_resources").unwrap().replay_safe, ReplaySafe::DryRun);
    assert_eq!(find("restart_vps").unwrap().replay_safe, ReplaySafe::Never);
}
