//! `cargo xtask generate` writes the four generated files.

#[test]
fn generate_writes_the_generated_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("generated");
    let summary = xtask::generate::run(&xtask::default_spec(), &out, false).unwrap();
    assert!(summary.starts_with("generate: wrote 4 files"), "{summary}");
    for file in ["client.rs", "open_enums.rs", "operations.rs", "httpmock.rs"] {
        let code = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(!code.trim().is_empty(), "{file} is empty");
    }
}

#[test]
fn generate_check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("generated");
    xtask::generate::run(&xtask::default_spec(), &out, true).unwrap();
    assert!(!out.exists());
}
