//! Helpers shared by the test modules: temporary copies of the spec and fixtures, so the
//! real tree is never modified.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

/// A temporary copy of `openapi/examples`.
pub fn copy_examples() -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("examples");
    std::fs::create_dir(&dir).unwrap();
    for entry in std::fs::read_dir(xtask::default_examples()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    (tmp, dir)
}

/// Reads a JSON file.
pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Writes a JSON file.
pub fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// The real spec as a JSON value.
pub fn load_spec() -> Value {
    hostup_codegen::load_spec(&xtask::default_spec()).unwrap()
}

/// Writes `spec` (JSON is valid YAML) into `dir` and returns its path.
pub fn write_spec(dir: &Path, spec: &Value) -> PathBuf {
    let path = dir.join("spec.yaml");
    write_json(&path, spec);
    path
}

/// The operation objects of `spec`, mutable, in document order.
pub fn operations_mut(spec: &mut Value) -> Vec<&mut Value> {
    let methods = xtask::spec::METHODS;
    spec["paths"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .flat_map(|item| {
            item.as_object_mut()
                .unwrap()
                .iter_mut()
                .filter(|(k, _)| methods.contains(&k.as_str()))
                .map(|(_, op)| op)
        })
        .collect()
}

/// Asserts that some failure contains every one of `parts`.
pub fn assert_reported(failures: &[String], parts: &[&str]) {
    assert!(
        failures.iter().any(|f| parts.iter().all(|p| f.contains(p))),
        "no failure mentions all of {parts:?}:\n{}",
        failures.join("\n")
    );
}
