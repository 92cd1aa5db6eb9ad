//! `cargo xtask generate`: writes the code `build.rs` generates into a directory people can read
//! and diff. The output is for review only (`generated/` is gitignored); the crate always builds
//! from the spec.

use std::path::Path;

/// Runs the generator on the spec at `spec_path`. Unless `check` is set, writes `client.rs`,
/// `open_enums.rs`, `operations.rs`, `gates.rs`, `secrets.rs`, `limits.rs` (the library's) and
/// `httpmock.rs` (hostup-testing's) into `out_dir`. Returns a summary line.
pub fn run(spec_path: &Path, out_dir: &Path, check: bool) -> Result<String, Vec<String>> {
    let file = crate::display(spec_path);
    let generated = hostup_codegen::generate(spec_path).map_err(|e| vec![format!("{file}: {e}")])?;
    // What the hostup-testing crate's build.rs generates.
    let mocks =
        hostup_codegen::generate_mocks(spec_path, "hostup").map_err(|e| vec![format!("{file}: {e}")])?;
    let files = [
        ("client.rs", &generated.client),
        ("open_enums.rs", &generated.open_enums),
        ("operations.rs", &generated.operations),
        ("gates.rs", &generated.gates),
        ("secrets.rs", &generated.secrets),
        ("limits.rs", &generated.limits),
        ("httpmock.rs", &mocks),
    ];
    let lines: usize = files.iter().map(|(_, code)| code.lines().count()).sum();
    if check {
        return Ok(format!("generate: ok, {} files ({lines} lines) generated from {file}", files.len()));
    }
    let shown = crate::display(out_dir);
    std::fs::create_dir_all(out_dir).map_err(|e| vec![format!("cannot create {shown}: {e}")])?;
    for (name, code) in files {
        std::fs::write(out_dir.join(name), code)
            .map_err(|e| vec![format!("cannot write {shown}/{name}: {e}")])?;
    }
    Ok(format!("generate: wrote {} files ({lines} lines) to {shown}", files.len()))
}
