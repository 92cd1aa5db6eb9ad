//! Generates the client from `openapi/hostup.yaml` into `OUT_DIR` (see the `hostup-codegen` crate).

use std::path::{Path, PathBuf};

const SPEC: &str = "openapi/hostup.yaml";

fn main() {
    // Only the spec and this file affect the output: edits elsewhere never rerun generation.
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    // For hostup-testing's build.rs (`DEP_HOSTUP_SPEC`): its mocks come from this very spec.
    let manifest_dir =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo::metadata=spec={}", manifest_dir.join(SPEC).display());

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let generated = match hostup_codegen::generate(Path::new(SPEC)) {
        Ok(generated) => generated,
        Err(message) => {
            // A readable failure instead of a panic backtrace.
            println!("cargo::error={SPEC}: {message}");
            std::process::exit(1);
        }
    };
    for (file, code) in [
        ("client.rs", &generated.client),
        ("open_enums.rs", &generated.open_enums),
        ("operations.rs", &generated.operations),
        ("gates.rs", &generated.gates),
        ("secrets.rs", &generated.secrets),
        ("limits.rs", &generated.limits),
    ] {
        if let Err(e) = std::fs::write(out_dir.join(file), code) {
            println!("cargo::error=cannot write {file}: {e}");
            std::process::exit(1);
        }
    }
}
