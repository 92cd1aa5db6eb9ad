//! Generates progenitor's httpmock helpers for the spec the `hostup` dependency was built from (its
//! build script reports the path as `DEP_HOSTUP_SPEC`), with `hostup` as the client's crate path,
//! and copies the documented `getVpsDetails` example that the fixtures start from.

use std::path::{Path, PathBuf};

fn fail(message: String) -> ! {
    // A readable failure instead of a panic backtrace.
    println!("cargo::error={message}");
    std::process::exit(1);
}

fn main() {
    println!("cargo::rerun-if-env-changed=DEP_HOSTUP_SPEC");
    println!("cargo::rerun-if-changed=build.rs");
    let Some(spec) = std::env::var_os("DEP_HOSTUP_SPEC").map(PathBuf::from) else {
        fail("the hostup dependency did not report its spec (DEP_HOSTUP_SPEC)".into());
    };
    let fixture = spec.parent().unwrap_or(Path::new(".")).join("examples/getVpsDetails.200.json");
    println!("cargo::rerun-if-changed={}", spec.display());
    println!("cargo::rerun-if-changed={}", fixture.display());

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mocks = hostup_codegen::generate_mocks(&spec, "hostup")
        .unwrap_or_else(|message| fail(format!("{}: {message}", spec.display())));
    let details = std::fs::read_to_string(&fixture)
        .unwrap_or_else(|e| fail(format!("cannot read {}: {e}", fixture.display())));
    for (file, text) in [("httpmock.rs", mocks), ("getVpsDetails.200.json", details)] {
        if let Err(e) = std::fs::write(out_dir.join(file), text) {
            fail(format!("cannot write {file}: {e}"));
        }
    }
}
