//! Keeps rustdoc merging the crate's doctests into one binary. A doctest whose `include_str!`
//! path is relative to its source file compiles on its own but not in rustdoc's merged bundle,
//! which lives elsewhere; rustdoc then silently compiles every doctest of the crate separately
//! (54 binaries: seconds of every `cargo test`). Fixtures are included through
//! `concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/...")` instead.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "md") {
            out.push(path);
        }
    }
}

#[test]
fn no_doctest_includes_a_path_relative_to_its_file() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 20, "the walk found the sources: {files:?}");
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let is_md = file.extension().is_some_and(|e| e == "md");
        for (n, line) in text.lines().enumerate() {
            let doc = is_md || line.trim_start().starts_with("///") || line.trim_start().starts_with("//!");
            if doc && (line.contains("include_str!(\".") || line.contains("include_bytes!(\".")) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "include fixtures by CARGO_MANIFEST_DIR in doctests:\n{}", found.join("\n"));
}
