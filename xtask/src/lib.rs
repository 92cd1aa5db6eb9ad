//! Repository tasks for the `hostup` crate, run as `cargo xtask <command>`:
//!
//! - `check`: lints `openapi/hostup.yaml` and validates its examples and `openapi/examples/`;
//! - `fixtures`: regenerates `openapi/examples/` from the spec's examples;
//! - `generate`: writes the generated client into `generated/` for reading;
//! - `docs-check`: compares HostUp's documentation pages with the spec and reports drift.
//!
//! Each command is a function returning a summary line or every failure, so tests call them
//! directly.

#![warn(missing_docs)]

pub mod check;
pub mod docs_check;
pub mod examples;
pub mod fixtures;
pub mod generate;
/// JSON Schema validation of the spec's schemas (the shared `hostup-schema` crate).
pub use hostup_schema as schema;
pub mod spec;
pub mod spec_lint;

use std::path::{Path, PathBuf};

/// The workspace root (the directory above this crate).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The spec: `openapi/hostup.yaml`.
pub fn default_spec() -> PathBuf {
    workspace_root().join("openapi/hostup.yaml")
}

/// The fixture directory: `openapi/examples`.
pub fn default_examples() -> PathBuf {
    workspace_root().join("openapi/examples")
}

/// Where `generate` writes by default: `generated` (gitignored).
pub fn default_generated() -> PathBuf {
    workspace_root().join("generated")
}

/// A path for messages: relative to the workspace root when inside it.
pub fn display(path: &Path) -> String {
    path.strip_prefix(workspace_root()).unwrap_or(path).display().to_string()
}

/// The CLI's version, as cargo resolves it (the xtask's own `CARGO_PKG_VERSION` is another): the
/// version `cargo xtask man` prints in the pages.
pub fn cli_version() -> Result<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--no-deps", "--offline", "--format-version", "1"])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| vec![format!("cannot run cargo metadata: {e}")])?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| vec![format!("cargo metadata did not answer JSON: {e}")])?;
    let packages = metadata["packages"].as_array().into_iter().flatten();
    packages
        .filter(|p| p["name"] == "hostup-cli")
        .find_map(|p| p["version"].as_str().map(String::from))
        .ok_or_else(|| vec!["cargo metadata lists no hostup-cli".to_string()])
}
