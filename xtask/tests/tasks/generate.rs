//! `cargo xtask generate` writes the generated files.

#[test]
fn generate_writes_the_generated_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("generated");
    let summary = xtask::generate::run(&xtask::default_spec(), &out, false).unwrap();
    let files =
        ["client.rs", "open_enums.rs", "operations.rs", "gates.rs", "secrets.rs", "limits.rs", "httpmock.rs"];
    assert!(summary.starts_with(&format!("generate: wrote {} files", files.len())), "{summary}");
    for file in files {
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
