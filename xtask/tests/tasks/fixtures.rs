//! `cargo xtask fixtures [--check]` against the committed tree and temp copies of it.

use std::process::Command;

use crate::common::*;
use serde_json::json;

#[test]
fn committed_fixtures_match_the_spec() {
    xtask::fixtures::run(&xtask::default_spec(), &xtask::default_examples(), true)
        .unwrap_or_else(|f| panic!("fixtures --check failed:\n{}", f.join("\n")));
}

#[test]
fn check_reports_edited_missing_and_stale_files_then_regeneration_fixes_them() {
    let spec = xtask::default_spec();
    let (_tmp, dir) = copy_examples();
    let edited = dir.join("getVpsDetails.200.json");
    let mut fixture = read_json(&edited);
    fixture["pinned"] = json!(true);
    std::fs::write(&edited, serde_json::to_string_pretty(&fixture).unwrap() + "\n").unwrap();
    std::fs::remove_file(dir.join("getVps.200.json")).unwrap();
    std::fs::write(dir.join("retired.200.json"), "{}\n").unwrap();
    std::fs::write(dir.join("README.md"), "not a fixture\n").unwrap();

    let failures = xtask::fixtures::run(&spec, &dir, true).unwrap_err();
    assert_reported(&failures, &["getVpsDetails.200.json", "differs"]);
    assert_reported(&failures, &["getVps.200.json", "missing"]);
    assert_reported(&failures, &["retired.200.json", "stale"]);
    assert_eq!(failures.len(), 3, "{failures:?}");
    assert!(dir.join("retired.200.json").exists(), "--check must not write");

    let summary = xtask::fixtures::run(&spec, &dir, false).unwrap();
    assert!(summary.contains("2 written, 1 removed"), "{summary}");
    assert!(!dir.join("retired.200.json").exists());
    assert!(dir.join("README.md").exists(), "only .json files are managed");
    xtask::fixtures::run(&spec, &dir, true).unwrap();
}

#[test]
fn fixtures_are_pretty_json_in_spec_key_order() {
    let text = std::fs::read_to_string(xtask::default_examples().join("getVpsDetails.200.json")).unwrap();
    assert!(text.starts_with("{\n  \"id\": "), "keys not in spec order:\n{text}");
    assert!(text.ends_with("}\n"));
}

#[test]
fn binary_check_fails_after_an_edit() {
    let (_tmp, dir) = copy_examples();
    std::fs::write(dir.join("getVps.200.json"), "{}\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["fixtures", "--check", "--examples"])
        .arg(&dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("getVps.200.json: differs"), "{stderr}");
}
